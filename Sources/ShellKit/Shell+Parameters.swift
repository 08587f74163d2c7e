// Shell+Parameters: `.parameter init | list | set KEY VALUE | unset KEY | clear`
// and the binding of SQL parameters from them, as sqlite3 3.40.1's shell does
// (shell.c.in: the ".parameter" branch of do_meta_command, bind_table_init,
// bind_prepared_stmt). The bindings live in the TEMP table
// temp.sqlite_parameters(key TEXT PRIMARY KEY, value) WITHOUT ROWID, which SQL
// can read and .schema shows: VALUE is stored as an SQL expression's value (as
// text when that does not compile), and once the table exists every parameter
// of a statement is bound from it (NULL when its name is not there).

import Base
import Engine

extension Shell {
    static let parameterHelpDetails = [
        "   clear                   Erase all bindings",
        "   init                    Initialize the TEMP table that holds bindings",
        "   list                    List the current parameter bindings",
        "   set PARAMETER VALUE     Given SQL parameter PARAMETER a value of VALUE",
        "                           PARAMETER should start with one of: $ : @ ?",
        "   unset PARAMETER         Remove PARAMETER from the binding table",
    ]

    /// `.parameter …`. A wrong form prints the command's help on stdout and is not an error, as in sqlite3.
    func parameterCommand(_ args: [[UInt8]]) -> DotResult {
        let action = args.count > 1 ? String(decoding: args[1], as: UTF8.self) : ""
        switch (args.count, action) {
        case (2, "clear"):
            runQuietly(Array("DROP TABLE IF EXISTS temp.sqlite_parameters;".utf8))
        case (2, "list"):
            listParameters()
        case (2, "init"):
            createParameterTable()
        case (4, "set"):
            createParameterTable()
            return setParameter(key: args[2], value: args[3])
        case (3, "unset"):
            runQuietly(Array("DELETE FROM temp.sqlite_parameters WHERE key=".utf8) + sqlString(args[2]))
        default:
            out.write(Shell.helpLines.first { $0.hasPrefix(".parameter ") }! + "\n")
            for line in Shell.parameterHelpDetails { out.write(line + "\n") }
        }
        return .ok
    }

    /// bind_table_init: the table's name is reserved (sqlite_), so it is created under writable_schema.
    private func createParameterTable() {
        guard let connection else { return }
        let saved = connection.writableSchema
        connection.writableSchema = true
        defer { connection.writableSchema = saved }
        runQuietly(Array("CREATE TABLE IF NOT EXISTS temp.sqlite_parameters(\n  key TEXT PRIMARY KEY,\n  value\n) WITHOUT ROWID;".utf8))
    }

    /// Binds every parameter of `statement` from the table by its name (`?N` for a nameless `?`), NULL for a
    /// name it lacks; without the table (before `.parameter init` or `set`, after `clear`) nothing is bound.
    func bindParameters(_ statement: PreparedStatement) {
        guard statement.parameterCount > 0,
              let lookup = try? connection?.prepare("SELECT value FROM temp.sqlite_parameters WHERE key=?1") else { return }
        for i in 1...statement.parameterCount {
            let name = statement.parameterName(i) ?? "?\(i)"
            lookup.reset()
            try? lookup.bind(.text(Array(name.utf8)), at: 1)
            let value = (try? lookup.step()) == .row ? lookup.column(0) : .null
            try? statement.bind(value, at: i)
        }
        lookup.reset()
    }

    /// `REPLACE INTO temp.sqlite_parameters(key,value) VALUES(%Q,%s)`, or VALUE as text (%Q) when that does
    /// not compile; a failure while it runs stores nothing, silently, as sqlite3's unchecked step does.
    private func setParameter(key: [UInt8], value: [UInt8]) -> DotResult {
        guard let connection else { return .ok }
        let insert = Array("REPLACE INTO temp.sqlite_parameters(key,value)VALUES(".utf8) + sqlString(key) + [0x2C]
        var statement: PreparedStatement?
        do {
            statement = try connection.prepare(insert + cText(value) + Array(");".utf8)).0
        } catch {
            do {
                statement = try connection.prepare(insert + sqlString(value) + Array(");".utf8)).0
            } catch {
                out.write("Error: \(error.message)\n")
                return .failed
            }
        }
        _ = try? statement?.step()
        return .ok
    }

    /// sqlite3's `%-*s %s` of key and quote(value), the keys padded to the longest one's length (at most 40;
    /// nothing at all when that is 0).
    private func listParameters() {
        guard let connection,
              let widest = (try? connection.query("SELECT max(length(key)) FROM temp.sqlite_parameters;"))?.first?.first,
              case .integer(let n) = widest, n > 0 else { return }
        let width = Int(min(n, 40))
        for row in (try? connection.query("SELECT key, quote(value) FROM temp.sqlite_parameters;")) ?? [] {
            let text = columnText(row[0]) ?? []
            out.write(text)
            if text.count < width { out.write([UInt8](repeating: 0x20, count: width - text.count)) }
            out.write(byte: 0x20)
            out.write(columnText(row[1]) ?? [])
            out.write(byte: 0x0A)
        }
    }

    /// An argument as a C string: up to its first NUL byte.
    private func cText(_ bytes: [UInt8]) -> [UInt8] {
        bytes.firstIndex(of: 0).map { Array(bytes[..<$0]) } ?? bytes
    }
}
