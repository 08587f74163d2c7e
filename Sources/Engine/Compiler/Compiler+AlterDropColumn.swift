// Compiler+AlterDropColumn: ALTER TABLE … DROP COLUMN (lang_altertable.html,
// "ALTER TABLE DROP COLUMN"; alter.c's sqlite3AlterDropColumn).
//
// Refused at prepare time: a column that is not there, a PRIMARY KEY column, a
// column with its own UNIQUE constraint, the table's only column, views and
// internal tables. Otherwise, when the statement runs: the column's text leaves
// the CREATE TABLE statement (from its name to the next column's name; for the
// last column, from the comma before it to its end, as sqlite_drop_column cuts),
// the schema is tested as sqlite3 tests it (renameTestSchema: the table itself,
// its indexes, every view and every trigger must still compile; the first object
// that does not fails the statement with "error in <type> <name> after drop
// column: …"), and every row is written again without the column's field (a
// VIRTUAL generated column has none).

import Base
import Storage
import SQL

extension Compiler {
    func compileDropColumn(_ t: Table, _ name: Identifier, database db: Int) throws(DBError) {
        guard let ci = t.columnIndex(name.name) else {
            var error = DBError(.error, "no such column: \"\(name.name)\"")
            if name.range.end > name.range.start { error.offset = Int(name.range.start) }
            throw error
        }
        let column = t.columns[ci]
        let statement = try SchemaLoader.parseSchemaStatement(Array(t.sql.utf8))
        guard case .createTable(let create) = statement.command, case .definition(let definition) = create.body,
              ci < definition.columns.count else {
            throw DBError(.error, "cannot drop column from \(t.name): its definition cannot be edited")
        }
        let ownUnique = definition.columns[ci].constraints.contains { if case .unique = $0 { return true } else { return false } }
        if column.primaryKeyPosition > 0 || ownUnique {
            throw DBError(.error, "cannot drop \(column.primaryKeyPosition > 0 ? "PRIMARY KEY" : "UNIQUE") column: \"\(column.name)\"")
        }
        if t.columns.count <= 1 {
            throw DBError(.error, "cannot drop column \"\(column.name)\": no other columns exist")
        }
        // sqlite_drop_column's cut.
        let sql = Array(t.sql.utf8)
        let cut: Range<Int>
        if ci < definition.columns.count - 1 {
            cut = Int(definition.columns[ci].name.range.start)..<Int(definition.columns[ci + 1].name.range.start)
        } else {
            var start = Int(definition.columns[ci].name.range.start)
            while start > 0 && sql[start] != 0x2C { start -= 1 }
            cut = start..<Int(definition.columns[ci].range.end)
        }
        let newSQL = String(decoding: sql[..<cut.lowerBound] + sql[cut.upperBound...], as: UTF8.self)
        let tableName = t.name
        let root = t.rootPage
        let withoutRowid = t.withoutRowid
        let keyInfo = t.primaryKeyIndex?.keyInfo
        let field: Int? = t.isVirtual(ci) ? nil : t.storagePosition(ci)
        let connection = self.connection
        emitNative("ALTER TABLE DROP COLUMN") { (vm: VM) throws(DBError) -> [[Value]]? in
            try connection.replaceTableSQL(tableName, with: newSQL, database: db)
            connection.schemaHash = nil  // alter.c's renameReloadSchema reads the whole schema again
            try connection.schemaChanged(vm, database: db)
            try Compiler.testSchemaAfterAlter(connection, database: db, table: tableName, when: "after drop column")
            if let field {
                try Compiler.dropRecordField(field, tree: connection.tree(ofDatabase: Int32(db)), root: root,
                                             withoutRowid: withoutRowid, keyInfo: keyInfo)
            }
            return nil
        }
    }

    /// renameTestSchema after DROP COLUMN or RENAME TO (`when` words the error): the changed table, then every
    /// index, view and trigger of the schema in its order, compiled against the new schema.
    static func testSchemaAfterAlter(_ connection: Connection, database db: Int, table: String,
                                     when: String) throws(DBError) {
        let catalog = try connection.catalog(ofDatabase: db)
        let tree = try connection.tree(ofDatabase: Int32(db))
        let cursor = BTreeCursor(tree: tree, root: 1, isTable: true)
        var rows: [(type: String, name: String, tableName: String, sql: [UInt8])] = []
        var more = try cursor.first()
        while more {
            let v = try cursor.values()
            more = try cursor.next()
            guard v.count >= 5, case .text(let sql) = v[4], let type = v[0].textString, let name = v[1].textString,
                  let tbl = v[2].textString else { continue }
            rows.append((type, name, tbl, sql))
        }
        for row in rows {
            let isTable = row.type == "table" && namesMatch(row.name, table)
            let isIndex = row.type == "index" && namesMatch(row.tableName, table)
            guard isTable || isIndex || row.type == "view" || row.type == "trigger" else { continue }
            do throws(DBError) {
                let side = Compiler(connection: connection, catalog: try connection.catalog,
                                    tempCatalog: try connection.tempCatalog, source: row.sql)
                let statement = try SchemaLoader.parseSchemaStatement(row.sql)
                let text = String(decoding: row.sql, as: UTF8.self)
                switch statement.command {
                case .createTable(let c):
                    let t = try SchemaBuilder.table(c, sql: text, source: row.sql)
                    for check in t.checks { try side.validateSelfReference(check.expr, .check, table: t) }
                    for col in t.columns {
                        if let (e, _) = col.generated { try side.validateSelfReference(e, .check, table: t) }
                    }
                case .createIndex(let c):
                    guard let t = try catalog.table(c.table.name) else { break }
                    let index = try SchemaBuilder.index(c, table: t, sql: text)
                    if let w = index.whereClause { try side.validateSelfReference(w, .partialIndex, table: t) }
                    for ic in index.columns {
                        if case .expression(let e) = ic.source { try side.validateSelfReference(e, .indexExpression, table: t) }
                    }
                case .createView(let c):
                    side.schemaObjectDatabases = [db]
                    _ = try side.compileSelect(c.select, parent: nil, destination: .callback { (_: Int32) throws(DBError) in })
                case .createTrigger:
                    guard let trigger = try catalog.trigger(row.name) else { break }
                    try side.compileTriggerBodyForTest(trigger)
                default:
                    break
                }
            } catch {
                var message = error.message
                // A schema row the catalog could not build reports what SQLite's own test would have said.
                if message.hasPrefix("malformed database schema") {
                    let bytes = Array(message.utf8)
                    if let i = (0..<max(bytes.count - 2, 0)).first(where: { bytes[$0] == 0x20 && bytes[$0 + 1] == 0x2D && bytes[$0 + 2] == 0x20 }) {
                        message = String(decoding: bytes[(i + 3)...], as: UTF8.self)
                    }
                }
                throw DBError(.error, "error in \(row.type) \(row.name) \(when): \(message)")
            }
        }
    }

    /// Writes every record of the table rooted at `root` again without field `field`.
    static func dropRecordField(_ field: Int, tree: BTree, root: UInt32, withoutRowid: Bool, keyInfo: KeyInfo?) throws(DBError) {
        let encoding = tree.encoding
        if withoutRowid, let keyInfo {
            let cursor = BTreeCursor(tree: tree, root: root, isTable: false, keyInfo: keyInfo)
            var records: [[UInt8]] = []
            var more = try cursor.first()
            while more {
                var v = try cursor.values()
                if field < v.count { v.remove(at: field) }
                records.append(RecordEncoder.encode(v, encoding: encoding))
                more = try cursor.next()
            }
            _ = try tree.clearTree(root)
            for r in records {
                try r.withUnsafeBytesTyped { p, n throws(DBError) in
                    try cursor.insert(indexRecord: UnsafeRawBufferPointer(start: p, count: n))
                }
            }
            return
        }
        let cursor = BTreeCursor(tree: tree, root: root, isTable: true)
        var rows: [(Int64, [UInt8])] = []
        var more = try cursor.first()
        while more {
            var v = try cursor.values()
            if field < v.count { v.remove(at: field) }
            rows.append((try cursor.rowid, RecordEncoder.encode(v, encoding: encoding)))
            more = try cursor.next()
        }
        for (rowid, r) in rows {
            try r.withUnsafeBytesTyped { p, n throws(DBError) in
                try cursor.insert(rowid: rowid, record: UnsafeRawBufferPointer(start: p, count: n))
            }
        }
    }
}
