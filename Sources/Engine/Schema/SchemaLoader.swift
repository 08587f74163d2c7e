// SchemaLoader: reads sqlite_schema (fileformat2.html 2.6) into a Catalog.
//
// Rows are read in rowid order, which is creation order; a table's row comes
// before its indexes' and triggers'. An automatic index (sql NULL) takes its
// root page from its row; a WITHOUT ROWID table's primary key is the table's
// own b-tree. A virtual table is listed with its module, which swiftdb does
// not have. Rows are filed unparsed and built when first needed (Catalog);
// a row that does not parse, or names what does not exist, is then
// SQLITE_CORRUPT "malformed database schema (name)" as in sqlite3.

import Base
import Storage
import SQL

enum SchemaLoader {
    /// The columns of sqlite_schema itself.
    static let schemaColumns = ["type", "name", "tbl_name", "rootpage", "sql"]

    /// Reads the schema of `tree`, the b-tree file of database `database` (0 main, 1 temp; the temp
    /// schema is built whole at once, Catalog.buildAll).
    static func load(tree: BTree, database: Int = 0) throws(DBError) -> Catalog {
        let catalog = Catalog(database: database)
        catalog.add(schemaTable(named: database == 1 ? "sqlite_temp_master" : "sqlite_schema"))
        guard tree.pager.pageCount > 0 else { return catalog }
        catalog.cookie = try tree.headerField(HeaderOffset.schemaCookie)
        let cursor = BTreeCursor(tree: tree, root: 1, isTable: true)
        var more = try cursor.first()
        while more {
            let v = try cursor.values()
            more = try cursor.next()
            guard v.count >= 5 else { continue }
            let root: UInt32
            if case .integer(let r) = v[3] { root = UInt32(truncatingIfNeeded: r) } else { root = 0 }
            let sql: [UInt8]?
            if case .text(let bytes) = v[4] { sql = bytes } else { sql = nil }
            catalog.addPending(SchemaRow(type: v[0].textString ?? "", name: v[1].textString ?? "",
                                         tableName: v[2].textString ?? "", root: root, sql: sql))
        }
        try loadStatistics(catalog, tree: tree)
        if database == 1 { try catalog.buildAll() }
        return catalog
    }

    /// The catalog entry for sqlite_schema (root page 1).
    static func schemaTable(named name: String) -> Table {
        let t = Table(name: name, sql: "CREATE TABLE \(name)(type text,name text,tbl_name text,rootpage int,sql text)")
        t.rootPage = 1
        t.columns = [Column(name: "type", declaredType: "text"), Column(name: "name", declaredType: "text"),
                     Column(name: "tbl_name", declaredType: "text"), Column(name: "rootpage", declaredType: "int"),
                     Column(name: "sql", declaredType: "text")]
        return t
    }

    /// SQLITE_CORRUPT "malformed database schema (name) - reason", as sqlite3 reports a schema row it
    /// cannot use.
    static func malformed(_ name: String, _ error: DBError) -> DBError {
        if error.code == .corrupt { return error }
        return DBError(.corrupt, "malformed database schema (\(name)) - \(error.message)")
    }

    /// Parses one sqlite_schema row and adds its object to `catalog` (Catalog builds rows lazily).
    static func build(_ row: SchemaRow, into catalog: Catalog) throws(DBError) {
        do throws(DBError) {
            try addRow(catalog, type: row.type, name: row.name, tableName: row.tableName, root: row.root, sql: row.sql)
        } catch {
            throw malformed(row.name, error)
        }
    }

    static func addRow(_ catalog: Catalog, type: String, name: String, tableName: String, root: UInt32,
                       sql: [UInt8]?) throws(DBError) {
        guard let sqlBytes = sql else {
            // An automatic index: its table named it already.
            guard type == "index", let t = try catalog.table(tableName),
                  let index = t.indexes.first(where: { namesMatch($0.name, name) }) else {
                throw DBError.corrupt("schema row for \(name) has no SQL")
            }
            index.rootPage = root
            catalog.add(index)
            return
        }
        let statement = try parseSchemaStatement(sqlBytes)
        let text = String(decoding: sqlBytes, as: UTF8.self)
        switch statement.command {
        case .createTable(let c):
            let t = try SchemaBuilder.table(c, sql: text, source: sqlBytes)
            t.rootPage = root
            if t.withoutRowid { t.primaryKeyIndex?.rootPage = root }
            catalog.add(t)
            if let pk = t.primaryKeyIndex, t.withoutRowid { catalog.add(pk) }
        case .createIndex(let c):
            guard let t = try catalog.table(c.table.name) else { throw DBError(.error, "no such table: \(c.table.name)") }
            let index = try SchemaBuilder.index(c, table: t, sql: text)
            index.rootPage = root
            t.indexes.append(index)
            catalog.add(index)
        case .createView(let c):
            let t = Table(name: c.name.name.name, sql: text)
            t.viewSelect = c.select
            t.viewColumnNames = c.columns?.map(\.name)
            catalog.add(t)
        case .createTrigger(let c):
            catalog.add(Trigger(name: c.name.name.name, tableName: c.table.name.name, definition: c, sql: text))
        case .createVirtualTable(let c):
            // Loaded, never usable (Table.virtualModule): the rest of the database stays readable.
            let t = Table(name: c.name.name.name, sql: text)
            t.virtualModule = c.module.name
            catalog.add(t)
        default:
            throw DBError(.error, "invalid schema statement")
        }
    }

    static func parseSchemaStatement(_ sql: [UInt8]) throws(DBError) -> Statement {
        var parser = Parser(sql, options: ParserOptions(isReadingSchema: true))
        let parsed: Statement?
        do { parsed = try parser.next() } catch { throw error.dbError }
        guard let parsed else { throw DBError(.error, "empty schema statement") }
        return parsed
    }

    /// sqlite_stat1 (ANALYZE) row counts for the planner, when present.
    static func loadStatistics(_ catalog: Catalog, tree: BTree) throws(DBError) {
        guard let stat = try catalog.table("sqlite_stat1"), stat.rootPage > 1 else { return }
        let cursor = BTreeCursor(tree: tree, root: stat.rootPage, isTable: true)
        var more = try cursor.first()
        while more {
            let v = try cursor.values()
            more = try cursor.next()
            guard v.count >= 3, let tbl = v[0].textString, let t = try catalog.table(tbl), let s = v[2].textString else { continue }
            let numbers = s.split(separator: " ").compactMap { Int64($0) }
            guard let rows = numbers.first else { continue }
            if let idx = v[1].textString, let index = try catalog.index(idx) {
                index.stat = numbers
                if t.estimatedRows == nil { t.estimatedRows = rows }
            } else {
                t.estimatedRows = rows
            }
        }
    }
}

extension Value {
    /// The value as a Swift string when it is TEXT.
    var textString: String? {
        if case .text(let t) = self { return String(decoding: t, as: UTF8.self) }
        return nil
    }
}
