// Statement+Async: stepping a statement from async code without blocking a
// thread of Swift's cooperative pool (DESIGN.md, decision 3).
//
// A step that may block runs on the database's I/O threads (IOThreadPool):
// the first step of every statement (it opens the transaction: locks, busy
// waits, cache revalidation, hot-journal checks) and every step of a statement
// that writes (page writes, syncs, commits). The later steps of a read-only
// statement run on the caller's thread with the pager in `.suspend` mode: a
// page already in the cache costs nothing extra; a page that is not makes the
// engine submit its read and return "I/O pending", the task suspends while an
// I/O thread waits for the completion, and the step is re-entered at the same
// instruction. Cancelling the task interrupts the statement (SQLITE_INTERRUPT).

import Base
import Engine

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
        if !isBusy || !isReadOnly {
            let me = UncheckedBox(self)
            return try await connection.threads.run { () throws(DatabaseError) -> Bool in try me.value.step() }
        }
        let pager = engine.pager
        while true {
            pager.ioMode = .suspend
            do {
                let more = try prepared.step() == .row
                pager.ioMode = .blocking
                return more
            } catch where error.isIOPending {
                pager.ioMode = .blocking
            } catch {
                pager.ioMode = .blocking
                throw error.publicError(sql: sql)
            }
            connection.ioSuspensions += 1
            let waiting = UncheckedBox(pager)
            try await connection.threads.run { () throws(DatabaseError) in waiting.value.waitForIO() }
        }
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
