// VM: runs a Program one step at a time (sqlite3_step), after vdbe.c.
//
// State: the register file, the cursors, the program counter, and the
// statement's transaction bookkeeping. `step()` runs instructions until a
// ResultRow (returns .row; the row stays readable in the registers until the
// next step) or a Halt (returns .done). Errors end the statement: the VM
// undoes what the statement must undo (its savepoint, or the whole
// transaction for ROLLBACK and for autocommit statements) and rethrows.
//
// I/O (DESIGN.md, decision 3): a storage call that meets a page read in
// flight throws `DBError.ioPending` before changing anything; the VM leaves
// `pc` on that instruction and rethrows, and the next `step()` runs it again.
// `DBError.wouldBlock` (the pager's `.noWait` mode refused to block) is
// handled the same way: the caller re-runs the step where it may block.

import Base
import Storage

public enum StepResult: Sendable {
    case row, done
}

final class VM {
    let program: Program
    unowned let connection: Connection
    /// The connection's sqlite3_interrupt flag, checked on loop back-edges.
    let interrupt: InterruptFlag
    let registers: UnsafeMutablePointer<Value>
    let registerCount: Int
    /// The statement's cursors, owned here; `cursorRefs` mirrors them unretained (VM.setCursor keeps the
    /// two in step) so that instructions borrow a cursor without reference counting (withCursor).
    var cursors: [VMCursor?]
    var cursorRefs: [Unmanaged<VMCursor>?]
    var pc = 0
    var bindings: [Value]
    let accumulators = AccumulatorSlots()
    var functionContext: FunctionContext
    /// The row the last ResultRow produced: registers rowStart..<rowStart+rowCount.
    var rowStart: Int32 = 0
    var rowCount: Int32 = 0
    var lastCompare = 0
    var halted = false
    var started = false
    /// Instructions executed so far (sqlite3_stmt_status's SQLITE_STMTSTATUS_VM_STEP): it keeps counting
    /// across resets until its owner sets it back to 0.
    var vmSteps = 0
    /// The database's text encoding, read when the statement starts (it is fixed once the file has a
    /// schema; MakeRecord reads it per row, where `connection.tree.encoding` cost three reference counts).
    var encoding = TextEncoding.utf8
    /// The values of the last search key built from registers (`searchKey`), kept for its capacity.
    var searchKeyValues: [Value] = []
    /// Record buffers the last run left in its registers, emptied, for the next run's MakeRecord
    /// (`takeBlobBuffer`): a statement run once per row (a prepared INSERT) then builds its record
    /// without allocating, as vdbe.c's registers keep their zMalloc.
    var spareBlobBuffers: [[UInt8]] = []
    /// Rows this statement inserted, updated or deleted (sqlite3_changes).
    var changeCount: Int64 = 0
    /// Rows changed by trigger bodies (they count for total_changes(), not changes()).
    var triggerChangeCount: Int64 = 0
    /// The statement began the transaction it runs in and ends it (autocommit).
    var ownsTransaction = false
    /// The pager savepoint that undoes this statement alone, if one was opened.
    var statementSavepoint: Int?
    /// The temp database's savepoint for this statement, if one was opened (Connection+TempDatabase.swift).
    var tempStatementSavepoint: Int?
    /// The statement writes inside a transaction it shares without a savepoint (its program cannot
    /// fail half-way, `Program.mayAbort`); should it fail anyway, the transaction is rolled back.
    var writesWithoutSavepoint = false
    /// A row of the database (not of an ephemeral table) has been written or deleted since the statement
    /// started: a statement without a savepoint that fails before any leaves nothing to undo. (Native
    /// steps are not counted: the writing ones, DDL, run in programs that always take a savepoint; in a
    /// program without one they are table-valued PRAGMA functions, which read.)
    var wroteRows = false

    @inline(__always)
    func noteWrite(_ cursor: Int32) {
        if !wroteRows && cursors[Int(cursor)]?.ephemeral == nil { wroteRows = true }
    }
    /// What a failure of the current instruction does (a constraint's ON CONFLICT).
    var errorAction: ConflictAction = .abort
    /// The schema changed in this statement; the catalog must be reloaded if it is undone.
    var changedSchema = false
    /// The statement is counted among the connection's active statements.
    var countedActive = false

    init(program: Program, connection: Connection) {
        self.program = program
        self.connection = connection
        interrupt = connection.interruptFlag
        registerCount = max(program.registerCount, 1)
        registers = .allocate(capacity: registerCount)
        registers.initialize(repeating: .null, count: registerCount)
        cursors = Array(repeating: nil, count: program.cursorCount)
        cursorRefs = Array(repeating: nil, count: program.cursorCount)
        bindings = Array(repeating: .null, count: program.parameterCount)
        functionContext = FunctionContext(host: connection)
    }

    deinit {
        registers.deinitialize(count: registerCount)
        registers.deallocate()
    }

    /// Returns the VM to its state before the first step (sqlite3_reset); bindings stay.
    func reset() {
        if started && !halted { abandon() }
        for i in 0..<registerCount {
            let old = (registers + i).move()
            (registers + i).initialize(to: .null)
            if case .blob(var buffer) = old, spareBlobBuffers.count < 4, buffer.capacity <= 1 << 16 {
                buffer.removeAll(keepingCapacity: true)
                spareBlobBuffers.append(buffer)
            }
        }
        for i in cursors.indices { closeCursor(i) }
        searchKeyValues.removeAll(keepingCapacity: true)
        accumulators.removeAll()
        pc = 0
        halted = false
        started = false
        changeCount = 0
        triggerChangeCount = 0
        statementSavepoint = nil
        tempStatementSavepoint = nil
        writesWithoutSavepoint = false
        wroteRows = false
        ownsTransaction = false
        changedSchema = false
    }

    /// Resets a finished VM to run its program again as if new (the literal cache's parked VMs): what
    /// `reset` keeps for sqlite3_reset (bindings) or leaves to the next step goes too.
    func prepareForReuse() {
        reset()
        for i in bindings.indices { bindings[i] = .null }
        vmSteps = 0
        rowStart = 0
        rowCount = 0
        lastCompare = 0
        errorAction = .abort
    }

    /// The current result row's column `i`.
    @inline(__always)
    func column(_ i: Int) -> Value { registers[Int(rowStart) + i] }

    /// Runs until the next row or the end of the statement.
    func step() throws(DBError) -> StepResult {
        if halted { return .done }
        if !started {
            started = true
            encoding = connection.tree.encoding
            functionContext.resetStatementTime()
            if connection.activeStatements == 0 { interrupt.clear() }
        }
        do throws(DBError) {
            if interrupt.isRaised { throw DBError(.interrupt) }
            return try run()
        } catch {
            if error.isIOPending || error.isWouldBlock { throw error }
            fail(error)
            throw error
        }
    }

    /// Ends a statement that was stepped but not finished (reset or finalize mid-way): as SQLite,
    /// its changes so far stand, and an autocommit transaction it opened commits.
    func abandon() {
        closeCursors()
        if let sp = statementSavepoint {
            connection.pager.releaseSavepoint(sp)
            statementSavepoint = nil
        }
        connection.releaseTempStatement(self)
        try? connection.endStatement(self, commit: true)
        halted = true
    }

    func closeCursors() {
        for i in cursors.indices { closeCursor(i) }
    }

    /// Undoes what a failed statement must undo and ends it.
    private func fail(_ error: DBError) {
        halted = true
        closeCursors()
        connection.statementFailed(self, error: error)
    }

    /// Ends a successful statement: its savepoint is released and an autocommit transaction commits.
    func finish() throws(DBError) {
        halted = true
        closeCursors()
        try connection.statementFinished(self)
    }
}

/// What a failed statement undoes (ON CONFLICT / OR clauses, https://sqlite.org/lang_conflict.html).
enum ConflictAction: UInt8 {
    case rollback = 1, abort, fail, ignore, replace
}
