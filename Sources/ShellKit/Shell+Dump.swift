// Shell+Dump: .dump — the database as SQL that sqlite3 and swiftdb both load,
// as sqlite3 3.40.1 writes it (shell.c.in: the ".dump" branch of
// do_meta_command, dump_callback, tableColumnList, printSchemaLine,
// run_table_dump_query). Tables come in sqlite_schema order, each CREATE
// followed by its rows as INSERTs of the columns PRAGMA table_info lists (no
// generated column: the load computes it); sqlite_sequence comes last, as
// DELETE FROM sqlite_sequence and its rows; a sqlite_stat table is
// "ANALYZE sqlite_schema" and its rows; a virtual table is a row written into
// sqlite_schema under writable_schema. Then the indexes, triggers and views,
// and COMMIT — or "ROLLBACK; -- due to errors" when a table could not be read.
// Options: --data-only, --newlines, --nosys, --preserve-rowids; other
// arguments are LIKE patterns naming what to dump.

import Base
import Engine
import SQL

/// What one .dump writes (shell.c.in's SHFLG_Dump* flags and p->writableSchema).
private struct DumpState {
    var dataOnly = false
    var newlines = false
    var noSys = false
    var preserveRowids = false
    var writableSchema = false
    var errors = 0
}

extension Shell {
    func dumpCommand(_ args: [[UInt8]]) -> DotResult {
        var state = DumpState()
        var like: String?
        for a in args.dropFirst() {
            let arg = String(decoding: a, as: UTF8.self)
            guard arg.hasPrefix("-") else {
                // A table matches its own name, or the name of the virtual table whose shadow table it is.
                let p = sqlQuoted(arg)
                let expr = "name LIKE \(p) ESCAPE '\\' OR EXISTS (  SELECT 1 FROM sqlite_schema WHERE     "
                    + "name LIKE \(p) ESCAPE '\\' AND    sql LIKE 'CREATE VIRTUAL TABLE%' AND    "
                    + "substr(o.name, 1, length(name)+1) == (name||'_'))"
                like = like.map { $0 + " OR " + expr } ?? expr
                continue
            }
            switch arg.hasPrefix("--") ? String(arg.dropFirst(2)) : String(arg.dropFirst()) {
            case "preserve-rowids": state.preserveRowids = true
            case "newlines": state.newlines = true
            case "data-only": state.dataOnly = true
            case "nosys": state.noSys = true
            default:
                out.error("Unknown option \"\(arg)\" on \".dump\"")
                return .failed
            }
        }
        guard let connection else { return .failed }
        if !state.dataOnly { out.write("PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n") }
        // One read transaction for the whole dump, as sqlite3's "SAVEPOINT dump" gives.
        _ = try? connection.execute("SAVEPOINT dump; PRAGMA writable_schema=ON")
        let filter = like ?? "true"
        if let tables = try? connection.query("SELECT name, type, sql FROM sqlite_schema AS o WHERE (\(filter)) "
                                              + "AND type=='table'  AND sql NOT NULL "
                                              + "ORDER BY tbl_name='sqlite_sequence', rowid") {
            for t in tables {
                guard case .text(let name) = t[0], case .text(let type) = t[1], case .text(let sql) = t[2] else {
                    continue
                }
                dumpTable(String(decoding: name, as: UTF8.self), type: type, sql: sql, &state)
            }
        }
        if !state.dataOnly {
            dumpSchemaStatements("SELECT sql FROM sqlite_schema AS o WHERE (\(filter)) AND sql NOT NULL  "
                                 + "AND type IN ('index','trigger','view')", &state)
        }
        if state.writableSchema { out.write("PRAGMA writable_schema=OFF;\n") }
        _ = try? connection.execute("PRAGMA writable_schema=OFF;")
        _ = try? connection.execute("RELEASE dump;")
        if !state.dataOnly { out.write(state.errors > 0 ? "ROLLBACK; -- due to errors\n" : "COMMIT;\n") }
        return .ok
    }

    /// dump_callback: one table's CREATE statement (or what stands for it) and its rows.
    private func dumpTable(_ name: String, type: [UInt8], sql: [UInt8], _ state: inout DumpState) {
        if name == "sqlite_sequence" && !state.noSys {
            if !state.dataOnly { out.write("DELETE FROM sqlite_sequence;\n") }
        } else if name.hasPrefix("sqlite_stat") && name.utf8.count == 12 && !state.noSys {
            if !state.dataOnly { out.write("ANALYZE sqlite_schema;\n") }
        } else if name.hasPrefix("sqlite_") {
            return
        } else if state.dataOnly {
            // Rows only.
        } else if sql.starts(with: "CREATE VIRTUAL TABLE".utf8) {
            if !state.writableSchema {
                out.write("PRAGMA writable_schema=ON;\n")
                state.writableSchema = true
            }
            let text = String(decoding: sql, as: UTF8.self)
            out.write("INSERT INTO sqlite_schema(type,name,tbl_name,rootpage,sql)VALUES('table',"
                      + "\(sqlQuoted(name)),\(sqlQuoted(name)),0,\(sqlQuoted(text)));\n")
            return
        } else {
            writeSchemaLine(sql)
        }
        if type == Array("table".utf8) {
            dumpRows(name, virtual: sql.starts(with: "CREATE VIRTUAL TABLE".utf8), &state)
        }
    }

    /// printSchemaLine: the statement and ";". A statement ending inside a comment has the comment closed
    /// first (a "*/" or a newline, whichever makes it complete); "CREATE TABLE 'x'" or "CREATE TABLE \"x\""
    /// becomes CREATE TABLE IF NOT EXISTS, as for the shadow tables of FTS.
    private func writeSchemaLine(_ sql: [UInt8]) {
        var text = sql
        if contains(sql, Array("/*".utf8)) || contains(sql, Array("--".utf8)) {
            for ending in ["", "*/", "\n"] where Parser.isComplete(sql + Array(ending.utf8) + [0x3B]) {
                text = sql + Array(ending.utf8)
                break
            }
        }
        if text.count > 13 && text.starts(with: "CREATE TABLE ".utf8) && (text[13] == 0x27 || text[13] == 0x22) {
            out.write("CREATE TABLE IF NOT EXISTS ")
            out.write(Array(text[13...]))
        } else {
            out.write(text)
        }
        out.write(";\n")
    }

    /// The table's rows as INSERT statements, reading the columns PRAGMA table_info lists (tableColumnList),
    /// the rowid first under --preserve-rowids when it has one of its own. A virtual table's rows (dumped
    /// under --data-only) cannot be read without its module: swiftdb says so on stderr, where sqlite3, whose
    /// modules a database may use, reads them (and, without the module, leaves them out silently).
    private func dumpRows(_ name: String, virtual: Bool, _ state: inout DumpState) {
        guard let connection else { return }
        let info: [[Value]]
        do {
            info = try connection.query("PRAGMA table_info=" + sqlQuoted(name))
        } catch {
            if virtual { out.error("Error: \(error.message)") }
            state.errors += 1
            return
        }
        guard !info.isEmpty else {
            state.errors += 1
            return
        }
        let columns = info.map { String(decoding: listText($0[1]), as: UTF8.self) }
        let rowid = state.preserveRowids ? rowidName(name, info) : nil
        let table = String(decoding: quotedIdentifierIfNeeded(name), as: UTF8.self)
        let quotedColumns = columns.map { String(decoding: quotedIdentifierIfNeeded($0), as: UTF8.self) }
        var target = "INSERT INTO " + table
        if let rowid { target += "(" + ([rowid] + quotedColumns).joined(separator: ",") + ")" }
        target += " VALUES("
        let select = "SELECT " + (rowid.map { $0 + "," } ?? "") + quotedColumns.joined(separator: ",")
            + " FROM " + table
        do {
            guard let s = try connection.prepare(select) else { return }
            while try s.step() == .row {
                out.write(target)
                for i in 0..<s.columnCount {
                    if i > 0 { out.write(byte: 0x2C) }
                    out.write(insertLiteral(s.column(i), newlines: state.newlines))
                }
                out.write(");\n")
                out.endLine()
            }
        } catch {
            state.errors += 1
        }
    }

    /// The name the rowid can be read by (tableColumnList): none for a WITHOUT ROWID table or one whose
    /// INTEGER PRIMARY KEY is the rowid, else the first of rowid, _rowid_, oid that is no column's name.
    private func rowidName(_ table: String, _ info: [[Value]]) -> String? {
        let keys = info.filter { if case .integer(let k) = $0[5] { return k > 0 } else { return false } }
        if keys.count == 1, case .text(let type) = keys[0][2],
           String(decoding: type, as: UTF8.self).lowercased() == "integer" {
            // An INTEGER PRIMARY KEY DESC (or of a WITHOUT ROWID table) has a "pk" index; the rowid alias has not.
            let indexes = (try? connection?.query("PRAGMA index_list=" + sqlQuoted(table))) ?? nil
            guard let indexes, indexes.contains(where: { listText($0[3]) == Array("pk".utf8) }) else { return nil }
        }
        let names = info.map { String(decoding: listText($0[1]), as: UTF8.self).lowercased() }
        guard let name = ["rowid", "_rowid_", "oid"].first(where: { !names.contains($0) }) else { return nil }
        // A WITHOUT ROWID table has no rowid by any name (sqlite3_table_column_metadata fails).
        let quoted = String(decoding: quotedIdentifierIfNeeded(table), as: UTF8.self)
        return (try? connection?.prepare("SELECT \(name) FROM \(quoted)")) != nil ? name : nil
    }

    /// run_table_dump_query: each statement and ";" — on a line of its own after a statement holding "--",
    /// which a trailing comment would otherwise swallow.
    private func dumpSchemaStatements(_ sql: String, _ state: inout DumpState) {
        guard let connection, let rows = try? connection.query(sql) else {
            state.errors += 1
            return
        }
        for row in rows {
            let text = listText(row[0])
            out.write(text)
            out.write(contains(text, Array("--".utf8)) ? "\n;\n" : ";\n")
        }
    }

    /// 'text' with quotes doubled (sqlite3_mprintf's %Q).
    private func sqlQuoted(_ s: String) -> String { "'" + s.replacingQuotes() + "'" }
}
