// Shell+Schema: the dot-commands that read the schema — .tables and .indexes
// (names in columns, column-major, as sqlite3 lays them out), .schema and
// .fullschema (each CREATE with ";", in .schema a view followed by a
// /* name(columns) */ comment; how each prints, --indent too, is SchemaIndent)
// and .databases (.dump is Shell+Dump).

import Base
import Engine

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Shell {
    /// A LIKE pattern as an SQL string literal.
    private func literal(_ s: String) -> String { "'" + s.replacingQuotes() + "'" }

    /// The databases the connection has open, as PRAGMA database_list names them (main, then temp once used).
    private func databaseNames() -> [String] {
        guard let result = rows("PRAGMA database_list") else { return ["main"] }
        return result.compactMap { $0.count > 1 ? String(decoding: listText($0[1]), as: UTF8.self) : nil }
    }

    func tablesCommand(_ args: [[UInt8]], indexes: Bool) -> DotResult {
        let pattern = args.count > 1 ? String(decoding: args[1], as: UTF8.self) : "%"
        if indexes {
            guard args.count <= 2 else {
                out.error("Usage: .indexes ?LIKE-PATTERN?")
                return .failed
            }
        }
        // One SELECT per database, names outside main prefixed with the database's (shell.c.in, .tables).
        let selects = databaseNames().map { db in
            let column = db == "main" ? "name" : "\(literal(db))||'.'||name"
            let filter = indexes ? "type='index' AND tbl_name LIKE \(literal(pattern))"
                : "type IN ('table','view') AND name NOT LIKE 'sqlite_%' AND name LIKE \(literal(pattern))"
            return "SELECT \(column) FROM \"\(db)\".sqlite_schema WHERE \(filter)"
        }
        let sql = selects.joined(separator: " UNION ALL ") + " ORDER BY 1"
        guard let result = rows(sql) else { return .failed }
        let names = result.map { listText($0[0]) }
        guard !names.isEmpty else { return .ok }
        let width = names.map { $0.count }.max() ?? 0
        let columns = max(1, 80 / (width + 2))
        let lines = (names.count + columns - 1) / columns
        for i in 0..<lines {
            var j = i
            while j < names.count {
                if j >= lines { out.write("  ") }
                out.write(names[j])
                out.write([UInt8](repeating: 0x20, count: width - names[j].count))
                j += lines
            }
            out.write(byte: 0x0A)
        }
        return .ok
    }

    func schemaCommand(_ args: [[UInt8]], full: Bool) -> DotResult {
        var pattern: String?
        var noSys = full
        var indent = false
        for (i, a) in args.enumerated().dropFirst() {
            let s = String(decoding: a, as: UTF8.self)
            // optionMatch: one or two dashes; .fullschema takes --indent alone.
            if (s == "--indent" || s == "-indent") && (!full || (i == 1 && args.count == 2)) { indent = true; continue }
            if (s == "--nosys" || s == "-nosys") && !full { noSys = true; continue }
            if pattern == nil && !full { pattern = s; continue }
            out.error(full ? "Usage: .fullschema ?--indent?" : "Usage: .schema ?--indent? ?--nosys? ?LIKE-PATTERN?")
            return .failed
        }
        for db in full ? ["main"] : databaseNames() {
            var sql = "SELECT sql, type, name FROM \"\(db)\".sqlite_schema WHERE sql IS NOT NULL AND type != 'meta'"
            if let pattern { sql += " AND tbl_name LIKE \(literal(pattern))" }
            if noSys { sql += " AND name NOT LIKE 'sqlite_%'" }
            sql += " ORDER BY rowid"
            if full {
                // .fullschema lists main's and temp's objects together, by rowid, without database names.
                sql = "SELECT sql, type, name FROM (SELECT sql sql, type type, tbl_name tbl_name, name name, rowid x "
                    + "FROM sqlite_schema UNION ALL SELECT sql, type, tbl_name, name, rowid FROM sqlite_temp_schema) "
                    + "WHERE type!='meta' AND sql NOTNULL AND name NOT LIKE 'sqlite_%' ORDER BY x"
            }
            guard let result = rows(sql) else { return .failed }
            let schema: String? = db == "main" ? nil : db
            for row in result {
                var statement = addingSchemaName(listText(row[0]), schema)
                // .schema adds each view's columns as a comment (shell_add_schema); .fullschema does not.
                if !full, case .text(let type) = row[1], type == Array("view".utf8) {
                    let name = String(decoding: listText(row[2]), as: UTF8.self)
                    statement += Array("\n/* ".utf8)
                    if let schema { statement += Array((schema + ".").utf8) }
                    statement += quotedIdentifierIfNeeded(name) + [0x28]
                    statement += Array(viewColumns(name, schema: schema).map { quotedIdentifierIfNeeded($0) }
                        .joined(separator: [0x2C]))
                    statement += Array(") */".utf8)
                }
                writeSchemaStatement(statement, pretty: indent)
            }
        }
        if full { out.write("/* No STAT tables available */\n") }
        return .ok
    }

    /// A CREATE statement of database `schema` (nil for main) with the database's name before the object's,
    /// as shell.c.in's shellAddSchemaName writes it: `CREATE TABLE temp.t(…)`.
    private func addingSchemaName(_ sql: [UInt8], _ schema: String?) -> [UInt8] {
        guard let schema, sql.starts(with: Array("CREATE ".utf8)) else { return sql }
        for kind in ["TABLE", "INDEX", "UNIQUE INDEX", "VIEW", "TRIGGER", "VIRTUAL TABLE"] {
            let k = Array(kind.utf8)
            guard sql.count > 7 + k.count, Array(sql[7..<(7 + k.count)]) == k, sql[7 + k.count] == 0x20 else { continue }
            return Array(sql[..<(8 + k.count)]) + Array((schema + ".").utf8) + Array(sql[(8 + k.count)...])
        }
        return sql
    }

    private func viewColumns(_ name: String, schema: String? = nil) -> [String] {
        let qualifier = schema.map { $0 + "." } ?? ""
        guard let connection,
              let s = try? connection.prepare("SELECT * FROM " + qualifier
                                               + String(decoding: quotedIdentifierIfNeeded(name), as: UTF8.self))
        else { return [] }
        return (0..<s.columnCount).map { s.columnName($0) }
    }

    func databasesCommand() -> DotResult {
        var path = ""
        if databasePath != ":memory:" && !databasePath.isEmpty {
            path = databasePath
            if let resolved = realpath(databasePath, nil) {
                path = String(cString: resolved)
                free(resolved)
            }
        }
        out.write("main: \(path.isEmpty ? "\"\"" : path) \(readOnly ? "r/o" : "r/w")\n")
        if databaseNames().contains("temp") { out.write("temp: \"\" r/w\n") }
        return .ok
    }
}

extension String {
    /// The string with every ' doubled, for an SQL string literal.
    func replacingQuotes() -> String {
        var r = ""
        for c in self {
            r.append(c)
            if c == "'" { r.append("'") }
        }
        return r
    }
}
