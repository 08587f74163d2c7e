// Compiler+PragmaFunctions: table-valued pragma functions in FROM —
// `SELECT * FROM pragma_table_info('t')` (pragma.html, "PRAGMA functions";
// sqlite3's pragma virtual tables, pragma.c's pragmaVtab*).
//
// `pragma_NAME(arg, schema)` reads the rows `PRAGMA schema.NAME(arg)` returns,
// with the same column names. The pragma is compiled and run when the FROM item
// is filled, with the argument's value then (it may come from an enclosing
// query), into an ephemeral table the query reads like a materialized subquery.
// Only pragmas that answer with rows are tables; a pragma that takes no argument
// takes none here ("too many arguments … - max 0"). An argument may name a
// column of an earlier item of the same FROM clause (`FROM sqlite_schema AS m,
// pragma_table_info(m.name)`): the table is then filled again at its own loop.
// The hidden `arg` and `schema` columns are not provided.

import Base
import SQL

extension Compiler {
    /// Pragmas whose table takes an argument (and a schema name after it): PragFlg_Result1 with an `arg`.
    private static let pragmaFunctionsWithArgument: Set<String> = [
        "table_info", "table_xinfo", "index_list", "index_info", "index_xinfo", "integrity_check", "quick_check",
    ]

    /// The FROM term of `pragma_NAME(args…)`, or nil when `name` names no such table.
    func pragmaFunctionTerm(_ name: QualifiedName, _ args: [Expr], alias: String?, scope: Scope) throws(DBError) -> FromTerm? {
        let full = name.name.name
        guard full.utf8.count > 7, foldName(String(full.prefix(7))) == "pragma_" else { return nil }
        let pragmaName = foldName(String(full.dropFirst(7)))
        let takesArgument = Self.pragmaFunctionsWithArgument.contains(pragmaName)
        let maximum = takesArgument ? 2 : 0
        if args.count > maximum {
            throw DBError(.error, "too many arguments on \(full)() - max \(maximum)")
        }
        // The columns: the pragma compiled (never run) with a placeholder argument.
        let probe = Compiler(connection: connection, catalog: catalog, tempCatalog: tempCatalog, source: [])
        let probeValue: Pragma.Value? = takesArgument ? .name(Identifier("", quoting: .singleQuotes)) : nil
        let probed = try probe.compileStatement(Statement(command: .pragma(
            Pragma(name: QualifiedName(name: Identifier(pragmaName)), value: probeValue, isCall: probeValue != nil))))
        let columns = probed.columnNames
        guard !columns.isEmpty else { return nil }
        // An argument naming a column of another item of this FROM clause makes the table lateral: it is
        // filled again at its own loop, for each row of the loops around it (which must come first).
        var lateral = false
        for a in args {
            visitExpressions(a) { x in
                if case .column(let ref) = x.kind, (try? scope.resolveHere(ref)) != nil { lateral = true }
                return !lateral
            }
        }
        let table = b.allocateCursor()
        let term = FromTerm(name: alias ?? full, table: nil, columnNames: columns,
                            affinities: Array(repeating: .blob, count: columns.count),
                            collations: Array(repeating: .binary, count: columns.count),
                            declaredTypes: Array(repeating: nil, count: columns.count), cursor: table, hasRowid: false)
        let fill = { (argumentScope: Scope) throws(DBError) in
            try self.emitPragmaTableFill(pragmaName, args, argumentScope, takesArgument: takesArgument,
                                         argumentRequired: Self.pragmaFunctionsRequiringArgument.contains(pragmaName),
                                         width: columns.count, into: table)
        }
        if lateral {
            term.lateralFill = { () throws(DBError) in try fill(scope) }
        } else {
            do {
                try fill(Scope(terms: [], parent: scope.parent))
            } catch where error.message.hasPrefix("no such column: ") && error.message.contains(".") {
                // Perhaps a later item of this FROM clause (sqlite3 orders the loops to make that work).
                throw DBError(.error, "\(full)() with an argument read from a later FROM item is not supported yet")
            }
        }
        return term
    }

    /// Pragmas whose table is empty without an argument.
    private static let pragmaFunctionsRequiringArgument: Set<String> = [
        "table_info", "table_xinfo", "index_list", "index_info", "index_xinfo",
    ]

    /// Code that runs the pragma with the arguments' current values and puts its rows in the ephemeral table
    /// `table` (emptied first).
    private func emitPragmaTableFill(_ pragmaName: String, _ args: [Expr], _ argumentScope: Scope, takesArgument: Bool,
                                     argumentRequired: Bool, width: Int, into table: Int32) throws(DBError) {
        let argumentBase = b.allocateRegisters(max(args.count, 1))
        for (i, a) in args.enumerated() { try expr(a, argumentScope, argumentBase + Int32(i)) }
        let argumentCount = args.count
        let connection = self.connection
        let rowsCursor = b.allocateCursor()
        b.emit(.Native, rowsCursor, 0, 0, .native(NativeStep("PRAGMA \(pragmaName)") { (vm: VM) throws(DBError) -> [[Value]]? in
            var value: Pragma.Value?
            var schema: Identifier?
            if argumentCount >= 1 {
                guard let text = Self.pragmaArgumentText(vm.registers[Int(argumentBase)]) else { return [] }
                value = .name(Identifier(text, quoting: .singleQuotes))
            }
            if argumentCount >= 2 {
                guard let text = Self.pragmaArgumentText(vm.registers[Int(argumentBase) + 1]) else { return [] }
                schema = Identifier(text)
            }
            if argumentRequired && value == nil { return [] }  // pragma_table_info(): no rows
            let statement = Statement(command: .pragma(Pragma(name: QualifiedName(schema: schema, name: Identifier(pragmaName)),
                                                              value: value, isCall: value != nil)))
            let program = try Compiler.compile(statement, source: [], connection: connection)
            let run = VM(program: program, connection: connection)
            var rows: [[Value]] = []
            let width = program.columnNames.count
            while try run.step() == .row { rows.append((0..<width).map { run.column($0) }) }
            return rows
        }))
        // Copied into an ephemeral table, read as a materialized subquery is.
        b.emit(.OpenEphemeral, table, Int32(width))
        let done = b.makeLabel()
        b.emit(.Rewind, rowsCursor, done)
        let top = b.count
        let regs = b.allocateRegisters(width)
        for i in 0..<width { b.emit(.Column, rowsCursor, Int32(i), regs + Int32(i)) }
        let record = b.allocateRegisters(), rowid = b.allocateRegisters()
        b.emit(.MakeRecord, regs, Int32(width), record)
        b.emit(.NewRowid, table, rowid)
        b.emit(.Insert, table, record, rowid)
        b.emit(.Next, rowsCursor, top)
        b.resolve(done)
    }

    /// A pragma argument's text (NULL: no rows).
    private static func pragmaArgumentText(_ v: Value) -> String? {
        switch v {
        case .null: return nil
        case .text(let t), .blob(let t): return String(decoding: t, as: UTF8.self)
        case .integer(let i): return String(i)
        case .real(let d): return String(decoding: renderRealAsText(d), as: UTF8.self)
        }
    }
}
