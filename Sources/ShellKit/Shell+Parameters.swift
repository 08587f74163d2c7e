// Shell+Parameters: `.parameter init | list | set KEY VALUE | unset KEY | clear`
// and the binding of SQL parameters from them, as sqlite3 3.40.1's shell does
// (shell.c.in: the ".parameter" branch of do_meta_command, bind_table_init,
// bind_prepared_stmt). sqlite3 keeps the bindings in the TEMP table
// temp.sqlite_parameters(key TEXT PRIMARY KEY, value) WITHOUT ROWID; the engine
// has no TEMP schema yet, so the shell keeps them itself, in that table's key
// order, and reproduces what sqlite3 shows of it: VALUE evaluated as an SQL
// expression (as text when that does not compile), the list's layout, and
// every parameter of a statement bound from the table once it exists (NULL
// when its name is not there).

import Base
import Engine

/// The rows of sqlite3's temp.sqlite_parameters, ordered by key as its primary key orders them.
struct ParameterTable {
    private(set) var entries: [(key: Value, value: Value)] = []

    /// Where `key` is, or where it would go.
    private func position(of key: Value) -> (index: Int, found: Bool) {
        var low = 0, high = entries.count
        while low < high {
            let middle = (low + high) / 2
            let order = compareValues(entries[middle].key, key)
            if order == 0 { return (middle, true) }
            if order < 0 { low = middle + 1 } else { high = middle }
        }
        return (low, false)
    }

    /// REPLACE INTO: a row with the same key is replaced.
    mutating func set(_ key: Value, _ value: Value) {
        let (index, found) = position(of: key)
        if found { entries[index].value = value } else { entries.insert((key, value), at: index) }
    }

    mutating func remove(_ key: Value) {
        let (index, found) = position(of: key)
        if found { entries.remove(at: index) }
    }

    func value(for key: Value) -> Value? {
        let (index, found) = position(of: key)
        return found ? entries[index].value : nil
    }
}

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
            parameters = nil
        case (2, "list"):
            listParameters()
        case (2, "init"):
            if parameters == nil { parameters = ParameterTable() }
        case (4, "set"):
            if parameters == nil { parameters = ParameterTable() }
            setParameter(key: args[2], value: args[3])
        case (3, "unset"):
            parameters?.remove(.text(cText(args[2])))
        default:
            out.write(Shell.helpLines.first { $0.hasPrefix(".parameter ") }! + "\n")
            for line in Shell.parameterHelpDetails { out.write(line + "\n") }
        }
        return .ok
    }

    /// Binds every parameter of `statement` from the table by its name (`?N` for a nameless `?`), NULL for a
    /// name it lacks; without the table (before `.parameter init` or `set`, after `clear`) nothing is bound.
    func bindParameters(_ statement: PreparedStatement) {
        guard let parameters, statement.parameterCount > 0 else { return }
        for i in 1...statement.parameterCount {
            let name = statement.parameterName(i) ?? "?\(i)"
            try? statement.bind(parameters.value(for: .text(name)) ?? .null, at: i)
        }
    }

    /// sqlite3 runs `REPLACE INTO temp.sqlite_parameters(key,value) VALUES(%Q,%s)` and, when that does not
    /// compile, stores VALUE as text. The same VALUES clause on its own yields the rows it would insert
    /// (more than one if VALUE closes the parenthesis and opens another); a failure while running it stores
    /// nothing, silently, as sqlite3's unchecked step does.
    private func setParameter(key: [UInt8], value: [UInt8]) {
        guard let connection else { return }
        let sql = Array("VALUES(".utf8) + sqlString(key) + [0x2C] + cText(value) + Array(");".utf8)
        var rows: [(Value, Value)] = []
        if let statement = (try? connection.prepare(sql))?.0, statement.columnCount == 2 {
            do {
                while try statement.step() == .row { rows.append((statement.column(0), statement.column(1))) }
            } catch {
                return
            }
        } else {
            // It did not compile, or gave another number of values than the table's two columns.
            rows = [(.text(cText(key)), .text(cText(value)))]
        }
        // The key column's TEXT affinity; a NULL key fails the NOT NULL of the primary key.
        var keyed: [(Value, Value)] = []
        for (key, value) in rows {
            switch key {
            case .null: return
            case .integer, .real:
                guard let text = evaluate("SELECT CAST(?1 AS TEXT)", key) else { return }
                keyed.append((text, value))
            default: keyed.append((key, value))
            }
        }
        for (key, value) in keyed { parameters?.set(key, value) }
    }

    /// The keys padded to the longest one's length in characters (at most 40; nothing at all when that is 0)
    /// and quote(value): sqlite3's `%-*s %s`.
    private func listParameters() {
        guard let entries = parameters?.entries else { return }
        var width = 0
        for (key, _) in entries {
            if case .integer(let n)? = evaluate("SELECT length(?1)", key) { width = max(width, Int(n)) }
        }
        width = min(width, 40)
        guard width > 0 else { return }
        for (key, value) in entries {
            let text = columnText(key) ?? []
            out.write(text)
            if text.count < width { out.write([UInt8](repeating: 0x20, count: width - text.count)) }
            out.write(byte: 0x20)
            if let quoted = evaluate("SELECT quote(?1)", value) { out.write(columnText(quoted) ?? []) }
            out.write(byte: 0x0A)
        }
    }

    /// The one value `sql` computes from `argument` with the engine's own functions.
    private func evaluate(_ sql: String, _ argument: Value) -> Value? {
        guard let statement = try? connection?.prepare(sql) else { return nil }
        try? statement.bind(argument, at: 1)
        guard (try? statement.step()) == .row else { return nil }
        return statement.column(0)
    }

    /// An argument as a C string: up to its first NUL byte.
    private func cText(_ bytes: [UInt8]) -> [UInt8] {
        bytes.firstIndex(of: 0).map { Array(bytes[..<$0]) } ?? bytes
    }
}
