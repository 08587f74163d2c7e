// Connection+Async: the connection's API for async code. Nothing here blocks
// a cooperative-pool thread: preparing (which may load the schema) and
// statements that write run on the database's I/O threads; rows of read-only
// statements come through the async `Statement.step` (Statement+Async.swift).
// Cancelling the task interrupts the running statement (SQLITE_INTERRUPT).

import Base
import Engine

extension Connection {
    /// Compiles the first statement of `sql` on an I/O thread (preparing may read the schema).
    nonisolated(nonsending)
    public func prepare(_ sql: String) async throws(DatabaseError) -> Statement {
        let me = UncheckedBox(self)
        return try await threads.run { () throws(DatabaseError) -> Statement in try me.value.prepare(sql) }
    }

    /// Runs every statement of `sql`, discarding rows; `arguments` bind in order (see the synchronous
    /// `execute(_:_:)`). Runs on an I/O thread; cancelling the task interrupts it.
    nonisolated(nonsending)
    public func execute(_ sql: String, _ arguments: StatementArgument...) async throws(DatabaseError) {
        try await execute(sql, arguments: arguments)
    }

    /// Runs every statement of `sql` with `arguments` (see `execute(_:_:)`).
    nonisolated(nonsending)
    public func execute(_ sql: String, arguments: [StatementArgument]) async throws(DatabaseError) {
        if Task.isCancelled { throw DatabaseError.interrupted }
        let me = UncheckedBox(self)
        let args = UncheckedBox(arguments)
        try await interruptible { () async throws(DatabaseError) in
            try await threads.run { () throws(DatabaseError) in try me.value.execute(sql, arguments: args.value) }
        }
    }

    /// Runs `sql` (one statement) with `arguments` and returns its rows.
    nonisolated(nonsending)
    public func query(_ sql: String, _ arguments: StatementArgument...) async throws(DatabaseError) -> [Row] {
        try await query(sql, arguments: arguments)
    }

    /// Runs `sql` (one statement) with `arguments` and returns its rows.
    nonisolated(nonsending)
    public func query(_ sql: String, arguments: [StatementArgument]) async throws(DatabaseError) -> [Row] {
        try await prepare(sql).fetchAll(arguments: arguments)
    }

    /// The rows of `sql` as an `AsyncSequence`, prepared when iteration starts.
    ///
    /// ```swift
    /// for try await row in connection.rows("SELECT name FROM users WHERE age > ?", 30) {
    ///     print(try row.get("name", as: String.self))
    /// }
    /// ```
    public func rows(_ sql: String, _ arguments: StatementArgument...) -> Rows {
        Rows(sql: sql, connection: self, arguments: arguments)
    }

    /// Runs `sql` and returns the first column of its first row as `T`, or nil (no row, or NULL).
    nonisolated(nonsending)
    public func scalar<T: DatabaseValueConvertible>(_ sql: String, _ arguments: StatementArgument...,
                                                    as type: T.Type = T.self) async throws(DatabaseError) -> T? {
        let s = try await prepare(sql)
        try s.bind(arguments)
        defer { s.reset() }
        guard try await s.step() else { return nil }
        return try s.row.get(0, as: T?.self)
    }

    /// Runs `body` in a transaction: BEGIN, COMMIT when it returns, ROLLBACK when it throws (the
    /// error is rethrown, and a cancelled task's transaction rolls back).
    nonisolated(nonsending)
    public func transaction<T>(_ kind: TransactionKind = .deferred,
                               _ body: nonisolated(nonsending) (Connection) async throws -> T) async throws -> T {
        try await execute("BEGIN \(kind.rawValue)")
        let result: T
        do {
            result = try await body(self)
            try Task.checkCancellation()
            try await execute("COMMIT")
        } catch {
            await rollbackQuietly()
            if error is CancellationError { throw DatabaseError.interrupted }
            throw error
        }
        return result
    }

    nonisolated(nonsending)
    func rollbackQuietly() async {
        guard !engine.autocommit else { return }
        let me = UncheckedBox(self)
        _ = try? await threads.run { () throws(DatabaseError) in me.value.rollbackQuietly() }
    }

    /// Runs `body` with task cancellation raising this connection's interrupt flag.
    nonisolated(nonsending)
    func interruptible<T>(_ body: () async throws(DatabaseError) -> T) async throws(DatabaseError) -> T {
        let flag = engine.interruptFlag
        do {
            return try await withTaskCancellationHandler {
                try await body()
            } onCancel: {
                flag.raise()
            }
        } catch let error as DatabaseError {
            throw error
        } catch {
            throw DatabaseError(.internal, message: "\(error)")
        }
    }
}
