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

    func tablesCommand(_ args: [[UInt8]], indexes: Bool) -> DotResult {
        let pattern = args.count > 1 ? String(decoding: args[1], as: UTF8.self) : "%"
        let sql: String
        if indexes {
            guard args.count <= 2 else {
                out.error("Usage: .indexes ?LIKE-PATTERN?")
                return .failed
            }
            sql = "SELECT name FROM sqlite_schema WHERE type='index' AND tbl_name LIKE \(literal(pattern)) ORDER BY 1"
        } else {
            sql = "SELECT name FROM sqlite_schema WHERE type IN ('table','view') AND name NOT LIKE 'sqlite_%' "
                + "AND name LIKE \(literal(pattern)) ORDER BY 1"
        }
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
        var sql = "SELECT sql, type, name FROM sqlite_schema WHERE sql IS NOT NULL AND type != 'meta'"
        if let pattern { sql += " AND tbl_name LIKE \(literal(pattern))" }
        if noSys { sql += " AND name NOT LIKE 'sqlite_%'" }
        guard let result = rows(sql + " ORDER BY rowid") else { return .failed }
        for row in result {
            var statement = listText(row[0])
            // .schema adds each view's columns as a comment (shell_add_schema); .fullschema does not.
            if !full, case .text(let type) = row[1], type == Array("view".utf8) {
                let name = String(decoding: listText(row[2]), as: UTF8.self)
                statement += Array("\n/* ".utf8) + quotedIdentifierIfNeeded(name) + [0x28]
                statement += Array(viewColumns(name).map { quotedIdentifierIfNeeded($0) }.joined(separator: [0x2C]))
                statement += Array(") */".utf8)
            }
            writeSchemaStatement(statement, pretty: indent)
        }
        if full { out.write("/* No STAT tables available */\n") }
        return .ok
    }

    private func viewColumns(_ name: String) -> [String] {
        guard let connection,
              let s = try? connection.prepare("SELECT * FROM " + String(decoding: quotedIdentifierIfNeeded(name),
                                                                        as: UTF8.self))
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
