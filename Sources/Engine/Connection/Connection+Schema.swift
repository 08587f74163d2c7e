// Connection+Schema: writing sqlite_schema (fileformat2.html 2.6) for DDL —
// adding, removing and re-pointing rows — and keeping the schema cookie
// (header offset 40) moving so every reader, sqlite3 included, notices.

import Base
import Storage

extension Connection {
    /// Appends a row to the schema table of database `db` (0 main, 1 temp).
    func insertSchemaRow(type: String, name: String, table: String, root: UInt32, sql: String?,
                         database db: Int = 0) throws(DBError) {
        let tree = try tree(ofDatabase: Int32(db))
        let cursor = BTreeCursor(tree: tree, root: 1, isTable: true)
        let rowid = (try cursor.last() ? try cursor.rowid : 0) + 1
        let record = RecordEncoder.encode([.text(type), .text(name), .text(table), .integer(Int64(root)),
                                           sql.map { Value.text($0) } ?? .null], encoding: tree.encoding)
        try record.withUnsafeBytesTyped { p, n throws(DBError) in
            try cursor.insert(rowid: rowid, record: UnsafeRawBufferPointer(start: p, count: n))
        }
        // sqlite3InitCallback files a new table or view in the schema's hash as the schema row is read.
        if db == 0 && (type == "table" || type == "view") { schemaHash?.insert(foldName(name)) }
    }

    /// Deletes the sqlite_schema rows for which `matches(type, name, tbl_name)` holds.
    func deleteSchemaRows(database db: Int = 0, _ matches: (String, String, String) -> Bool) throws(DBError) {
        let tree = try tree(ofDatabase: Int32(db))
        let cursor = BTreeCursor(tree: tree, root: 1, isTable: true)
        var more = try cursor.first()
        while more {
            let v = try cursor.values()
            if v.count >= 3, matches(v[0].textString ?? "", v[1].textString ?? "", v[2].textString ?? "") {
                try cursor.delete()
            }
            more = try cursor.next()
        }
    }

    /// Calls `body(type, name, sql)` for each sqlite_schema row of database `db` that has SQL text.
    func forEachSchemaRow(database db: Int = 0, _ body: (String, String, String) throws(DBError) -> Void) throws(DBError) {
        if db == 1 && temp == nil { return }
        let tree = try tree(ofDatabase: Int32(db))
        let cursor = BTreeCursor(tree: tree, root: 1, isTable: true)
        var more = try cursor.first()
        while more {
            let v = try cursor.values()
            if v.count >= 5, let type = v[0].textString, let name = v[1].textString, let sql = v[4].textString {
                try body(type, name, sql)
            }
            more = try cursor.next()
        }
    }

    /// Rewrites sqlite_schema rows: `change` returns a replacement row or nil to keep the row.
    func rewriteSchemaRows(database db: Int = 0, _ change: ([Value]) -> [Value]?) throws(DBError) {
        let tree = try tree(ofDatabase: Int32(db))
        let cursor = BTreeCursor(tree: tree, root: 1, isTable: true)
        var updates: [(Int64, [Value])] = []
        var more = try cursor.first()
        while more {
            if let replacement = change(try cursor.values()) { updates.append((try cursor.rowid, replacement)) }
            more = try cursor.next()
        }
        for (rowid, values) in updates {
            let record = RecordEncoder.encode(values, encoding: tree.encoding)
            try record.withUnsafeBytesTyped { p, n throws(DBError) in
                try cursor.insert(rowid: rowid, record: UnsafeRawBufferPointer(start: p, count: n))
            }
        }
    }

    /// Replaces the CREATE TABLE text of table `name` in database `db`'s schema (ALTER TABLE ADD and DROP COLUMN).
    func replaceTableSQL(_ name: String, with sql: String, database db: Int) throws(DBError) {
        try rewriteSchemaRows(database: db) { v in
            guard v.count >= 5, v[0].textString == "table", let n = v[1].textString, namesMatch(n, name) else { return nil }
            var w = v
            w[4] = .text(sql)
            return w
        }
    }

    /// Re-points whatever sqlite_schema row had root page `from` at `to` (an auto-vacuum root move).
    func moveSchemaRoot(from: UInt32, to: UInt32, database db: Int = 0) throws(DBError) {
        try rewriteSchemaRows(database: db) { v in
            guard v.count >= 5, case .integer(let r) = v[3], r == Int64(from) else { return nil }
            var w = v
            w[3] = .integer(Int64(to))
            return w
        }
    }

    /// Bumps the schema cookie of database `db`; the catalogs are reloaded at the next statement.
    func schemaChanged(_ vm: VM?, database db: Int = 0) throws(DBError) {
        let tree = try tree(ofDatabase: Int32(db))
        let cookie = try tree.headerField(HeaderOffset.schemaCookie)
        try tree.setHeaderField(HeaderOffset.schemaCookie, cookie &+ 1)
        // New databases get schema format 4 and the connection's encoding once the first object exists.
        if try tree.headerField(HeaderOffset.schemaFormat) == 0 {
            try tree.setHeaderField(HeaderOffset.schemaFormat, 4)
        }
        vm?.changedSchema = true
        schemaChangedInTransaction = true
        invalidateCatalog(keepingSchemaHash: true)
    }
}

extension Connection {
    /// Deletes the sqlite_sequence row of `table` (DROP TABLE of an AUTOINCREMENT table): build.c's
    /// `DELETE FROM sqlite_sequence WHERE name=%Q`, an exact (BINARY) match.
    func deleteSequenceRow(_ table: String, database db: Int = 0) throws(DBError) {
        try deleteRows(of: "sqlite_sequence", whereField: 0, is: table, database: db)
    }

    /// Which sqlite_stat1 column names the object whose rows go: its table (`tbl`) or its index (`idx`).
    enum StatisticsColumn: Int {
        case tbl = 0, idx = 1
    }

    /// Deletes the sqlite_stat1 rows of a dropped or re-analyzed table or index, as build.c's
    /// sqlite3ClearStatTables: `DELETE FROM sqlite_stat1 WHERE tbl=%Q` (or `idx=`), an exact (BINARY) match.
    func deleteStatisticsRows(_ column: StatisticsColumn, name: String, database db: Int = 0) throws(DBError) {
        try deleteRows(of: "sqlite_stat1", whereField: column.rawValue, is: name, database: db)
    }

    /// Deletes the rows of the internal table `table` whose field `field` is the text `value`.
    private func deleteRows(of table: String, whereField field: Int, is value: String, database db: Int) throws(DBError) {
        guard let t = try catalog(ofDatabase: db).table(table), t.rootPage > 1 else { return }
        let tree = try tree(ofDatabase: Int32(db))
        let cursor = BTreeCursor(tree: tree, root: t.rootPage, isTable: true)
        var more = try cursor.first()
        while more {
            let v = try cursor.values()
            if field < v.count, v[field].textString == value { try cursor.delete() }
            more = try cursor.next()
        }
    }

    /// Renames the sqlite_sequence row of a renamed table.
    func renameSequenceRow(from old: String, to new: String, database db: Int = 0) throws(DBError) {
        guard let seq = try catalog(ofDatabase: db).table("sqlite_sequence") else { return }
        let tree = try tree(ofDatabase: Int32(db))
        let cursor = BTreeCursor(tree: tree, root: seq.rootPage, isTable: true)
        var updates: [(Int64, [Value])] = []
        var more = try cursor.first()
        while more {
            var v = try cursor.values()
            if let n = v.first?.textString, namesMatch(n, old) {
                v[0] = .text(new)
                updates.append((try cursor.rowid, v))
            }
            more = try cursor.next()
        }
        for (rowid, v) in updates {
            let record = RecordEncoder.encode(v, encoding: tree.encoding)
            try record.withUnsafeBytesTyped { p, n throws(DBError) in
                try cursor.insert(rowid: rowid, record: UnsafeRawBufferPointer(start: p, count: n))
            }
        }
    }
}
