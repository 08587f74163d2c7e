// Shell+DBInfo: .dbinfo ?DB? (shell.c.in shell_dbinfo_command): the fields of
// the database header — page size, file formats, reserved bytes, then the
// 4-byte fields from the change counter to the software version — the counts
// of tables, indexes, triggers and views and the schema's size from
// sqlite_schema, and the data version. sqlite3 reads page 1 through the
// sqlite_dbpage virtual table, which Debian's libsqlite3 lacks (there .dbinfo
// fails with "error: no such table: sqlite_dbpage"); swiftdb prints what a
// sqlite3 3.40.1 built with SQLITE_ENABLE_DBPAGE_VTAB prints. Only "main" has
// a header to show: like sqlite3 for an empty temp database or an unknown
// schema name, any other DB gets "unable to read database header".

import Base
import Engine

extension Shell {
    func dbinfoCommand(_ args: [[UInt8]]) -> DotResult {
        guard let connection else { return .failed }
        let db = args.count >= 2 ? String(decoding: args[1], as: UTF8.self) : "main"
        var header: [UInt8]?
        if db.lowercased() == "main" { header = try? connection.databaseHeaderBytes() }
        guard let h = header else {
            out.error("unable to read database header")
            return .failed
        }
        func line(_ label: String, _ value: String) {
            out.write(label + String(repeating: " ", count: max(0, 20 - label.utf8.count)) + " " + value + "\n")
        }
        func field(_ offset: Int) -> UInt32 { h[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) } }
        let pageSize = Int(h[16]) << 8 | Int(h[17])
        line("database page size:", String(pageSize == 1 ? 65536 : pageSize))
        line("write format:", String(h[18]))
        line("read format:", String(h[19]))
        line("reserved bytes:", String(h[20]))
        let fields: [(String, Int)] = [
            ("file change counter:", 24), ("database page count:", 28), ("freelist page count:", 36),
            ("schema cookie:", 40), ("schema format:", 44), ("default cache size:", 48),
            ("autovacuum top root:", 52), ("incremental vacuum:", 64), ("text encoding:", 56),
            ("user version:", 60), ("application id:", 68), ("software version:", 96),
        ]
        let encodings: [UInt32: String] = [1: " (utf8)", 2: " (utf16le)", 3: " (utf16be)"]
        for (label, offset) in fields {
            let value = field(offset)
            line(label, String(value) + (offset == 56 ? encodings[value] ?? "" : ""))
        }
        let counts: [(String, String)] = [
            ("number of tables:", "SELECT count(*) FROM \"main\".sqlite_schema WHERE type='table'"),
            ("number of indexes:", "SELECT count(*) FROM \"main\".sqlite_schema WHERE type='index'"),
            ("number of triggers:", "SELECT count(*) FROM \"main\".sqlite_schema WHERE type='trigger'"),
            ("number of views:", "SELECT count(*) FROM \"main\".sqlite_schema WHERE type='view'"),
            ("schema size:", "SELECT total(length(sql)) FROM \"main\".sqlite_schema"),
        ]
        for (label, sql) in counts {
            // db_int: the first column of the first row as sqlite3_column_int reads it, 0 on error.
            var value: Int32 = 0
            if let row = (try? connection.query(sql))?.first, let v = row.first {
                switch v {
                case .integer(let i): value = Int32(truncatingIfNeeded: i)
                case .real(let r): value = Int32(truncatingIfNeeded: Int64(exactly: r.rounded(.towardZero)) ?? 0)
                default: value = 0
                }
            }
            line(label, String(value))
        }
        line("data version", String(connection.dataVersion))
        return .ok
    }
}
