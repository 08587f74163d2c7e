// Statement+Async: stepping a statement from async code without blocking a
// thread of Swift's cooperative pool (DESIGN.md, decision 3).
//
// A step that may block runs on the database's I/O threads (IOThreadPool):
// the first step of every statement (it opens the transaction: locks, busy
// waits, cache revalidation, hot-journal checks) and every step of a statement
// that writes (page writes, syncs, commits). The later steps of a read-only
// statement run on the caller's thread with the pager in `.suspend` mode: a
// page already in the cache costs nothing extra; a page that is not makes the
// engine submit its read and return "I/O pending", the task suspends until the
// read completes, and the step is re-entered at the same instruction.
//
// How the task waits depends on the back-end. With a completion notifier
// (io_uring) no thread waits: the CompletionReactor resumes the task when the
// kernel posts the completion, so every task's reads can be in the kernel at
// once. A read-only statement's first step then runs on the caller's thread
// too: it opens its transaction in the pager's `.noWait` mode, and only when
// that would block (a busy lock, a hot journal, a header not in the OS page
// cache) does the step go to an I/O thread. Without a notifier (the syscall
// back-end) an I/O thread waits for each read (its pread).
// Cancelling the task interrupts the statement (SQLITE_INTERRUPT).

import Base
import Engine
import IO

extension Statement {
    /// Runs to the next row without blocking a cooperative-pool thread: true when a row is ready,
    /// false at the end. A cancelled task's statement fails with `SQLITE_INTERRUPT`.
    nonisolated(nonsending)
    public func step() async throws(DatabaseError) -> Bool {
        try await connection.interruptible { () async throws(DatabaseError) -> Bool in
            try await stepWithoutBlocking()
        }
    }

    /// The next row, or nil at the end (then the statement is reset for another run).
    nonisolated(nonsending)
    public func next() async throws(DatabaseError) -> Row? {
        if try await step() { return row }
        reset()
        return nil
    }

    /// Binds `arguments` (when given), runs the statement to its end and resets it.
    nonisolated(nonsending)
    public func execute(_ arguments: StatementArgument...) async throws(DatabaseError) {
        try start(arguments)
        defer { reset() }
        while try await step() {}
    }

    /// Binds `arguments` (when given) and returns every row.
    nonisolated(nonsending)
    public func fetchAll(_ arguments: StatementArgument...) async throws(DatabaseError) -> [Row] {
        try await fetchAll(arguments: arguments)
    }

    /// Binds `arguments` (when given) and returns every row.
    nonisolated(nonsending)
    public func fetchAll(arguments: [StatementArgument]) async throws(DatabaseError) -> [Row] {
        try start(arguments)
        var rows: [Row] = []
        while let r = try await next() { rows.append(r) }
        return rows
    }

    /// The rows as an `AsyncSequence`; iterating steps the statement (the async `step`).
    ///
    /// ```swift
    /// for try await row in statement.rows() { … }
    /// ```
    public func rows(_ arguments: StatementArgument...) -> Rows {
        Rows(statement: self, arguments: arguments)
    }

    nonisolated(nonsending)
    func stepWithoutBlocking() async throws(DatabaseError) -> Bool {
        let engine = connection.engine
        if Task.isCancelled {
            if !isBusy { throw DatabaseError(.interrupt, sql: sql) }
            engine.interruptFlag.raise()
        }
        // A back-end with a completion notifier (io_uring) lets a read-only statement's reads
        // suspend even in its first step; without one, the first step (it opens the transaction)
        // and every step of a writing statement run on an I/O thread.
        let notifier = isReadOnly ? connection.completionNotifier : nil
        if notifier == nil && (!isBusy || !isReadOnly) { return try await stepOnIOThread() }
        var suspensions = 0
        while true {
            switch try stepSuspending() {
            case .finished(let more):
                return more
            case .mustBlock:
                // Opening the transaction would block (a busy lock, a hot journal, a header the OS
                // must read from the device): the step is re-run on an I/O thread, which may block.
                return try await stepOnIOThread()
            case .pending:
                break
            }
            connection.ioSuspensions += 1
            suspensions += 1
            if suspensions > Self.suspensionsBeforeBlocking {
                // An instruction that needs more pages at once than the cache keeps (count(*) of a big
                // tree, a long overflow chain) would lose its earlier pages on every re-entry: finish
                // this step on an I/O thread, waiting for each read.
                return try await stepOnIOThread()
            }
            if let notifier {
                await awaitCompletion(notifier)
            } else {
                let pager = UncheckedBox(engine.pager)
                try await connection.threads.run { () throws(DatabaseError) in pager.value.waitForIO() }
            }
        }
    }

    /// Re-entries of one step after which it finishes on an I/O thread instead (see above).
    static let suspensionsBeforeBlocking = 256

    /// The synchronous step (the pager waits for its reads), run on one of the database's I/O threads.
    nonisolated(nonsending)
    func stepOnIOThread() async throws(DatabaseError) -> Bool {
        let me = UncheckedBox(self)
        return try await connection.threads.run { () throws(DatabaseError) -> Bool in try me.value.step() }
    }

    /// How a step in `.suspend` mode ended.
    enum SuspendingStep {
        /// It ran to a row (true) or to the end (false).
        case finished(Bool)
        /// It stopped at a page read in flight; re-entering it goes on at the same instruction.
        case pending
        /// Opening its transaction would block (DBError.wouldBlock), undone.
        case mustBlock
    }

    /// One step with the pager in `.suspend` mode.
    func stepSuspending() throws(DatabaseError) -> SuspendingStep {
        let pager = connection.engine.pager
        pager.ioMode = .suspend
        defer { pager.ioMode = .blocking }
        do {
            return .finished(try prepared.step() == .row)
        } catch where error.isIOPending {
            return .pending
        } catch where error.isWouldBlock {
            return .mustBlock
        } catch {
            throw error.publicError(sql: sql)
        }
    }

    /// Hands the pending reads to the kernel and suspends the task until one completes
    /// (CompletionReactor); the completions are applied on this task's thread.
    nonisolated(nonsending)
    func awaitCompletion(_ notifier: Int32) async {
        let pager = connection.engine.pager
        // Completions already in (or a read that just went to the kernel finishing at once) mean
        // progress: re-enter the step rather than wait for the next one.
        guard pager.pollIO() == 0, pager.hasIOInFlight else { return }
        #if os(Linux)
        await CompletionReactor.shared.wait(for: notifier)
        #endif
        pager.pollIO()
    }
}

/// The rows of a statement as an `AsyncSequence` of `Row`s.
///
/// Iterate it once, in the task that owns the connection. Leaving the loop early leaves the
/// statement stepped part-way; it ends when reset, re-run or released.
public struct Rows: AsyncSequence {
    public typealias Element = Row
    public typealias Failure = DatabaseError

    let source: Source
    let arguments: [StatementArgument]

    enum Source {
        case statement(Statement)
        /// Prepared on the first `next()`, on an I/O thread (preparing may read the schema).
        case sql(String, Connection)
    }

    init(statement: Statement, arguments: [StatementArgument]) {
        source = .statement(statement)
        self.arguments = arguments
    }

    init(sql: String, connection: Connection, arguments: [StatementArgument]) {
        source = .sql(sql, connection)
        self.arguments = arguments
    }

    public func makeAsyncIterator() -> Iterator { Iterator(source: source, arguments: arguments) }

    /// Steps the statement for each row.
    public struct Iterator: AsyncIteratorProtocol {
        var source: Source
        var arguments: [StatementArgument]
        var statement: Statement?
        var finished = false

        init(source: Source, arguments: [StatementArgument]) {
            self.source = source
            self.arguments = arguments
        }

        nonisolated(nonsending)
        public mutating func next() async throws(DatabaseError) -> Row? {
            if finished { return nil }
            let s: Statement
            if let statement {
                s = statement
            } else {
                switch source {
                case .statement(let given): s = given
                case .sql(let sql, let connection): s = try await connection.prepare(sql)
                }
                try s.start(arguments)
                statement = s
            }
            do {
                if let row = try await s.next() { return row }
            } catch {
                finished = true
                throw error
            }
            finished = true
            return nil
        }

        public mutating func next(isolation actor: isolated (any Actor)?) async throws(DatabaseError) -> Row? {
            try await next()
        }
    }
}
