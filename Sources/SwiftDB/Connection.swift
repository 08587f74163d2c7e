// Connection: one connection to a database (sqlite3*) and its synchronous API.
//
// A connection is confined to one task or thread at a time (it is not
// Sendable); a `Database` hands connections out from its pool, or `connect()`
// gives one of your own. Synchronous calls block their caller while I/O is in
// flight; calling them from async code blocks that task's thread, so async
// code should use the async calls (Connection+Async.swift).

import Base
import Engine
import IO

/// How `BEGIN` takes its locks (https://sqlite.org/lang_transaction.html).
public enum TransactionKind: String, Sendable {
    /// Locks are taken when the transaction first reads or writes.
    case deferred = "DEFERRED"
    /// The write lock is taken at BEGIN.
    case immediate = "IMMEDIATE"
    /// The write lock is taken at BEGIN (in rollback-journal modes, readers are kept out too).
    case exclusive = "EXCLUSIVE"
}

/// A connection to a database.
///
/// ```swift
/// try db.write { connection in
///     try connection.execute("INSERT INTO users(name) VALUES (?)", "ada")
///     print(connection.lastInsertRowID)
/// }
/// ```
public final class Connection {
    let engine: Engine.Connection
    let threads: IOThreadPool
    /// How often an async step suspended for a page read (tests check the suspend path runs).
    var ioSuspensions = 0

    /// The back-end's completion notifier when the reactor can watch it (Statement+Async.swift);
    /// made on the first async step, so a connection used only synchronously never has one.
    lazy var completionNotifier: Int32? = {
        #if os(Linux)
        return CompletionReactor.shared.isAvailable ? engine.pager.io?.completionNotifier() : nil
        #else
        return nil
        #endif
    }()

    /// Statements kept for `cachedStatement(_:)`, and apart from them those `execute`, `query` and
    /// `scalar` reuse (StatementCache.swift).
    var cachedStatements = StatementCache()
    var reusedStatements = StatementCache()

    init(engine: Engine.Connection, threads: IOThreadPool) {
        self.engine = engine
        self.threads = threads
    }

    /// The rowid of the last successful INSERT (`sqlite3_last_insert_rowid`).
    public var lastInsertRowID: Int64 { engine.lastInsertRowID }
    /// Rows changed by the last INSERT, UPDATE or DELETE (`sqlite3_changes`).
    public var changes: Int { Int(engine.changes) }
    /// Rows changed since the connection opened (`sqlite3_total_changes`).
    public var totalChanges: Int { Int(engine.totalChanges) }
    /// False inside BEGIN … COMMIT (`sqlite3_get_autocommit`).
    public var isAutocommit: Bool { engine.autocommit }
    /// The I/O back-end in use and why it was chosen (as `PRAGMA io_backend` reports).
    public var ioBackend: (name: String, reason: String) {
        (engine.pager.io?.name ?? "none", engine.ioBackendReason)
    }

    /// Stops the statement running on this connection with `SQLITE_INTERRUPT` (`sqlite3_interrupt`).
    /// Safe to call from any thread; a no-op when nothing is running.
    public func interrupt() { engine.interruptFlag.raise() }

    // MARK: statements

    /// Compiles the first statement of `sql` (`sqlite3_prepare_v2`). SQLITE_MISUSE when `sql` holds
    /// no statement (only comments or white space).
    public func prepare(_ sql: String) throws(DatabaseError) -> Statement {
        let prepared: PreparedStatement?
        do { prepared = try engine.prepare(sql) } catch { throw error.publicError(sql: sql) }
        guard let prepared else { throw DatabaseError(.misuse, message: "not an SQL statement", sql: sql) }
        return Statement(prepared, connection: self)
    }

    /// The statement for `sql` (exactly one statement), compiled on the first call and kept for later
    /// calls with the same text, as GRDB's `cachedStatement(sql:)`: it comes back reset, its
    /// bindings cleared. Every call returns the same compiled statement, so finish with one before
    /// asking again. A schema change compiles it again on its next step, as it does a `prepare`d
    /// statement. The connection keeps the 64 most recently used texts.
    public func cachedStatement(_ sql: String) throws(DatabaseError) -> Statement {
        if let p = cachedStatements.take(sql) {
            cachedStatements.put(sql, p)
            return Statement(p, connection: self)
        }
        guard let p = try singleStatement(sql) else {
            throw DatabaseError(.misuse, message: "cachedStatement needs exactly one SQL statement", sql: sql)
        }
        cachedStatements.put(sql, p)
        return Statement(p, connection: self)
    }

    /// `sql` compiled when it is exactly one statement (comments and white space around it aside);
    /// nil when it holds none or more than one.
    func singleStatement(_ sql: String) throws(DatabaseError) -> PreparedStatement? {
        let bytes = Array(sql.utf8)
        let first: PreparedStatement?, tail: Int
        do { (first, tail) = try engine.prepare(bytes, at: 0) } catch { throw error.publicError(sql: sql) }
        guard let first else { return nil }
        // A tail that does not parse is not "no statement": the caller runs the text statement by
        // statement and reports the error where sqlite3 would.
        let more = (try? engine.containsStatement(bytes, at: tail)) ?? true
        return more ? nil : first
    }

    /// Runs `body` with a statement for `sql` taken from `reusedStatements` (or compiled) and puts it
    /// back afterwards, reset: a nested call with the same text compiles its own. nil when `sql` is not
    /// exactly one statement.
    func withReusedStatement<T>(_ sql: String,
                                _ body: (Statement) throws(DatabaseError) -> T) throws(DatabaseError) -> T? {
        let prepared: PreparedStatement
        if let p = reusedStatements.take(sql) {
            prepared = p
        } else if let p = try singleStatement(sql) {
            prepared = p
        } else {
            return nil
        }
        defer { reusedStatements.put(sql, prepared) }
        return try body(Statement(prepared, connection: self))
    }

    /// Runs every statement of `sql`, discarding rows. `arguments` bind to the statements' parameters
    /// in order, each statement taking as many as it has.
    public func execute(_ sql: String, _ arguments: StatementArgument...) throws(DatabaseError) {
        try execute(sql, arguments: arguments)
    }

    /// Runs every statement of `sql` with `arguments` (see `execute(_:_:)`).
    public func execute(_ sql: String, arguments: [StatementArgument]) throws(DatabaseError) {
        // One statement (the usual case: an INSERT run for each row, BEGIN, COMMIT) is kept compiled.
        let ran: Void? = try withReusedStatement(sql) { (s: Statement) throws(DatabaseError) in
            try s.bind(Array(arguments.prefix(s.parameterCount)))
            while try s.step() {}
        }
        if ran != nil { return }
        var remaining = arguments[...]
        try forEachStatement(sql) { (statement: PreparedStatement) throws(DatabaseError) in
            let s = Statement(statement, connection: self)
            let n = min(s.parameterCount, remaining.count)
            try s.bind(Array(remaining.prefix(n)))
            remaining = remaining.dropFirst(n)
            while try s.step() {}
        }
    }

    /// Runs `sql` (one statement) with `arguments` and returns its rows.
    public func query(_ sql: String, _ arguments: StatementArgument...) throws(DatabaseError) -> [Row] {
        try query(sql, arguments: arguments)
    }

    /// Runs `sql` (one statement) with `arguments` and returns its rows.
    public func query(_ sql: String, arguments: [StatementArgument]) throws(DatabaseError) -> [Row] {
        if let rows = try withReusedStatement(sql, { (s: Statement) throws(DatabaseError) in
            try s.fetchAll(arguments: arguments)
        }) { return rows }
        return try prepare(sql).fetchAll(arguments: arguments)
    }

    /// Runs `sql` and returns the first column of its first row converted to `T`, or nil when there
    /// is no row or the value is NULL.
    public func scalar<T: DatabaseValueConvertible>(_ sql: String, _ arguments: StatementArgument...,
                                                    as type: T.Type = T.self) throws(DatabaseError) -> T? {
        let value: T?? = try withReusedStatement(sql) { (s: Statement) throws(DatabaseError) -> T? in
            try s.bind(arguments)
            guard try s.step() else { return nil }
            return try s.row.get(0, as: T?.self)
        }
        if let value { return value }
        let s = try prepare(sql)
        try s.bind(arguments)
        defer { s.reset() }
        guard try s.step() else { return nil }
        return try s.row.get(0, as: T?.self)
    }

    /// Runs `body` in a transaction: BEGIN, then COMMIT when `body` returns, ROLLBACK when it throws
    /// (the error is rethrown). Not for use inside another transaction (use SAVEPOINT there).
    public func transaction<T>(_ kind: TransactionKind = .deferred,
                               _ body: (Connection) throws -> T) throws -> T {
        try execute("BEGIN \(kind.rawValue)")
        let result: T
        do {
            result = try body(self)
        } catch {
            rollbackQuietly()
            throw error
        }
        do {
            try execute("COMMIT")
        } catch {
            rollbackQuietly()
            throw error
        }
        return result
    }

    /// ROLLBACK when a transaction is still open (a failed COMMIT may have ended it already).
    func rollbackQuietly() {
        if !engine.autocommit { try? engine.execute("ROLLBACK") }
    }

    /// Prepares each statement of `sql` in turn and hands it to `body`.
    func forEachStatement(_ sql: String,
                          _ body: (PreparedStatement) throws(DatabaseError) -> Void) throws(DatabaseError) {
        let bytes = Array(sql.utf8)
        var offset = 0
        while offset < bytes.count {
            let prepared: PreparedStatement?
            let next: Int
            do { (prepared, next) = try engine.prepare(bytes, at: offset) } catch { throw error.publicError(sql: sql) }
            offset = next
            if let prepared { try body(prepared) }
        }
    }
}
