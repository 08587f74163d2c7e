// Shell+SHA3Sum: .sha3sum ?OPTIONS? ?LIKE-PATTERN? (shell.c.in's .sha3sum
// branch). It builds the same query sqlite3 builds — one SELECT per table in
// name order (sqlite_schema, sqlite_sequence and sqlite_stat1/4 with --schema
// or a pattern like sqlite\_%, each read in a fixed order) gathered in a
// VALUES list — and runs it in the current output mode; sha3_query()
// (Engine/Functions/SHA3Functions.swift) does the hashing. Without a pattern
// the tables are hashed together into one digest; with one, each matching
// table gets its own row (hash|label). --debug prints the query instead. As
// in sqlite3, errors of that query are not reported (shell_exec is called
// without an error message pointer): an empty database prints nothing.

import Base
import Engine

extension Shell {
    func sha3sumCommand(_ args: [[UInt8]]) -> DotResult {
        let command = String(decoding: args[0], as: UTF8.self)
        var pattern: [UInt8]?
        var schema = false
        var bits = 224
        var debug = false
        for a in args.dropFirst() {
            guard a.first == 0x2D else {
                if pattern != nil {
                    out.error("Usage: .sha3sum ?OPTIONS? ?LIKE-PATTERN?")
                    return .failed
                }
                pattern = a
                if StringPatterns.like(Array("sqlite\\_%".utf8), a, escape: 0x5C) { schema = true }
                continue
            }
            var option = a.dropFirst()
            if option.first == 0x2D { option = option.dropFirst() }
            switch String(decoding: option, as: UTF8.self) {
            case "schema": schema = true
            case "sha3-224": bits = 224
            case "sha3-256": bits = 256
            case "sha3-384": bits = 384
            case "sha3-512": bits = 512
            case "debug": debug = true
            default:
                out.error("Unknown option \"\(String(decoding: a, as: UTF8.self))\" on \"\(command)\"")
                helpCommand(command)
                return .failed
            }
        }
        let sql = sha3sumQuery(pattern: pattern, schema: schema, bits: bits)
        if debug {
            out.write(sql)
            out.write(byte: 0x0A)
        } else {
            runQuietly(sql)
        }
        return .ok
    }

    /// The query .sha3sum runs (shell.c.in builds it with appendText; quoting as there).
    private func sha3sumQuery(pattern: [UInt8]?, schema: Bool, bits: Int) -> [UInt8] {
        var tablesSQL = "SELECT lower(name) FROM sqlite_schema WHERE type='table' AND coalesce(rootpage,0)>1"
        tablesSQL += schema ? " UNION ALL SELECT 'sqlite_schema'" : " AND name NOT LIKE 'sqlite_%'"
        tablesSQL += " ORDER BY 1 collate nocase"
        let tables = try? connection?.query(tablesSQL)
        var sql = Array("WITH [sha3sum$query](a,b) AS(".utf8)
        var separator = "VALUES("
        // shell.c.in keeps the last table's query for a sqlite_ table it has no query for.
        var query: [UInt8] = []
        for row in tables ?? [] {
            guard let table = columnText(row[0]) else { continue }
            if let pattern, !StringPatterns.like(pattern, table) { continue }
            let name = String(decoding: table, as: UTF8.self)
            if !name.hasPrefix("sqlite_") {
                query = Array("SELECT * FROM ".utf8) + quoted(table, 0x22) + Array(" NOT INDEXED;".utf8)
            } else if name == "sqlite_schema" {
                query = Array("SELECT type,name,tbl_name,sql FROM sqlite_schema ORDER BY name;".utf8)
            } else if name == "sqlite_sequence" {
                query = Array("SELECT name,seq FROM sqlite_sequence ORDER BY name;".utf8)
            } else if name == "sqlite_stat1" {
                query = Array("SELECT tbl,idx,stat FROM sqlite_stat1 ORDER BY tbl,idx;".utf8)
            } else if name == "sqlite_stat4" {
                query = Array("SELECT * FROM sqlite_stat4 ORDER BY tbl, idx, rowid;\n".utf8)
            }
            sql += Array(separator.utf8) + quoted(query, 0x27) + [0x2C] + quoted(table, 0x27)
            separator = "),("
        }
        let select = pattern != nil ? "sha3_query(a,\(bits)))) AS hash, b AS label"
                                    : "sha3_query(group_concat(a,''),\(bits)))) AS hash"
        return sql + Array(")) SELECT lower(hex(\(select)   FROM [sha3sum$query]".utf8)
    }

    /// `text` between `quote`s, each `quote` inside doubled.
    private func quoted(_ text: [UInt8], _ quote: UInt8) -> [UInt8] {
        var r: [UInt8] = [quote]
        for c in text {
            r.append(c)
            if c == quote { r.append(quote) }
        }
        r.append(quote)
        return r
    }

    /// shell_exec without an error message pointer: rows print in the current mode; an error
    /// ends the run and is not reported.
    func runQuietly(_ sql: [UInt8]) {
        guard let connection else { return }
        var offset = 0
        while offset < sql.count {
            guard let (statement, next) = try? connection.prepare(sql, at: offset) else { return }
            offset = next
            guard let statement else { continue }
            do { try printRows(statement) } catch { return }
        }
    }
}
