// PreparedStatement: a compiled statement ready to run (sqlite3_stmt):
// parameters are bound, `step()` produces rows, `reset()` starts over.
// An EXPLAIN statement lists its program instead of running it.

import Base

public final class PreparedStatement {
    public let connection: Connection
    private(set) var program: Program
    private(set) var vm: VM
    private var explainRows: [[Value]]?
    /// How many times the statement was compiled again for a changed schema (its columns may differ).
    public private(set) var recompilations = 0
    private var explainPosition = -1

    /// The literal-cache entry that handed out `program` (LiteralStatementCache.swift), which takes the VM
    /// back when the statement ends.
    private let literalEntry: LiteralStatementCache.Entry?

    init(connection: Connection, program: Program, vm: VM? = nil, literalEntry: LiteralStatementCache.Entry? = nil) {
        self.connection = connection
        self.program = program
        self.vm = vm ?? VM(program: program, connection: connection)
        self.literalEntry = literalEntry
    }

    deinit {
        if vm.started && !vm.halted { vm.abandon() }
        // A program from the literal cache goes back with its VM, unless recompiled since.
        if let literalEntry, vm.program === program, program.compileFlagsGeneration == connection.compileFlagsGeneration {
            connection.literalStatements.park(vm, in: literalEntry)
        }
    }

    /// The statement's text (sqlite3_sql).
    public var sql: String { program.sql }
    public var isExplain: Bool { program.explain != nil }
    public var isExplainQueryPlan: Bool { program.explain == .queryPlan }
    public var isReadOnly: Bool { program.isReadOnly }
    /// Stepped and not yet finished or reset (sqlite3_stmt_busy).
    public var isBusy: Bool { vm.started && !vm.halted }

    public var columnCount: Int {
        switch program.explain {
        case .explain: return 8
        case .queryPlan: return 4
        case nil: return program.columnNames.count
        }
    }

    public func columnName(_ i: Int) -> String {
        switch program.explain {
        case .explain: return ["addr", "opcode", "p1", "p2", "p3", "p4", "p5", "comment"][i]
        case .queryPlan: return ["id", "parent", "notused", "detail"][i]
        case nil: return program.columnNames[i]
        }
    }

    public func columnDeclaredType(_ i: Int) -> String? {
        program.explain == nil && i < program.columnDeclaredTypes.count ? program.columnDeclaredTypes[i] : nil
    }

    public var parameterCount: Int { program.parameterCount }

    /// The 1-based index of the parameter written `name` (with its prefix, as `:a`), or nil.
    public func parameterIndex(_ name: String) -> Int? {
        program.parameterNames.first { $0.name == name }?.number
    }

    public func parameterName(_ index: Int) -> String? {
        program.parameterNames.first { $0.number == index }?.name
    }

    /// Binds `value` to parameter `index` (1-based).
    public func bind(_ value: Value, at index: Int) throws(DBError) {
        try checkBindable(index)
        vm.bindings[index - 1] = value
    }

    /// Binds `text` as TEXT to parameter `index` (1-based), copying its UTF-8 into the buffer the
    /// parameter's previous text held when nothing else shares it: rebinding a statement run once per row
    /// allocates nothing (sqlite3_bind_text copies into the parameter's Mem the same way).
    public func bind(text: String, at index: Int) throws(DBError) {
        try checkBindable(index)
        var buffer: [UInt8] = []
        if case .text(let old) = vm.bindings[index - 1] { buffer = old }
        vm.bindings[index - 1] = .null  // the binding's reference goes, so `buffer` may be unique
        buffer.removeAll(keepingCapacity: buffer.capacity <= 4096)
        buffer.append(contentsOf: text.utf8)
        vm.bindings[index - 1] = .text(buffer)
    }

    private func checkBindable(_ index: Int) throws(DBError) {
        guard index >= 1 && index <= program.parameterCount else {
            throw DBError(.range, "column index out of range")
        }
        if vm.started && !vm.halted { throw DBError(.misuse, "bad parameter or other API misuse") }
    }

    public func clearBindings() {
        for i in vm.bindings.indices { vm.bindings[i] = .null }
    }

    /// Runs to the next row (`.row`) or the end (`.done`).
    /// Virtual machine instructions executed (sqlite3_stmt_status(SQLITE_STMTSTATUS_VM_STEP)): it keeps
    /// counting across resets until set back to 0.
    public var vmSteps: Int {
        get { vm.vmSteps }
        set { vm.vmSteps = newValue }
    }

    public func step() throws(DBError) -> StepResult {
        if program.explain != nil {
            if explainRows == nil { explainRows = program.explain == .explain ? program.listing() : program.queryPlan() }
            explainPosition += 1
            return explainPosition < explainRows!.count ? .row : .done
        }
        if !vm.started && program.compileFlagsGeneration != connection.compileFlagsGeneration { try recompile() }
        if !program.keepsLiteralStatements { connection.literalStatements.clear() }
        var attempts = 0
        while true {
            let fresh = !vm.started
            do {
                return try vm.step()
            } catch where error.code == .schema && fresh && attempts < 3 {
                // Another connection changed the schema before this statement read anything: prepare
                // it again against the new schema and run that (as sqlite3_prepare_v2 statements do).
                attempts += 1
                try recompile()
            }
        }
    }

    private func recompile() throws(DBError) {
        guard let again = try connection.prepare(Array(program.sql.utf8), at: 0).0 else { return }
        let bindings = vm.bindings
        vm.reset()
        program = again.program
        vm = VM(program: program, connection: connection)
        recompilations += 1
        for i in bindings.indices where i < vm.bindings.count { vm.bindings[i] = bindings[i] }
    }

    /// Column `i` of the current row.
    public func column(_ i: Int) -> Value {
        if program.explain != nil { return explainRows![explainPosition][i] }
        return vm.column(i)
    }

    /// Back to the start; bindings are kept.
    public func reset() {
        explainPosition = -1
        explainRows = nil
        vm.reset()
    }
}
