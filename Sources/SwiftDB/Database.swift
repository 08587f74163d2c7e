// Database: the public entry point (`import SwiftDB`). A Sendable handle on
// one database file (or an in-memory database) that opens connections with
// the same options and lends them from a pool.
//
// Share one Database between tasks and threads; each closure given to
// `read`/`write` gets a connection of its own for its duration (connections
// are not Sendable). The synchronous calls block only their caller; the async
// calls suspend the task instead and never block a cooperative-pool thread
// (their blocking work runs on the database's I/O threads, IOThreadPool.swift).
// Writers in one process wait for each other up to `busyTimeoutMilliseconds`.

import Base
import Engine
import IO

/// A database: a file, or an in-memory database, opened with options.
///
/// ```swift
/// let db = try Database(path: "library.db")
/// try db.execute("CREATE TABLE IF NOT EXISTS book(id INTEGER PRIMARY KEY, title TEXT NOT NULL)")
/// try db.execute("INSERT INTO book(title) VALUES (?)", "Dune")
/// for row in try db.query("SELECT id, title FROM book") {
///     print(try row.get("id", as: Int.self), try row.get("title", as: String.self))
/// }
/// let count = try await db.read { connection in
///     try await connection.scalar("SELECT count(*) FROM book", as: Int.self)
/// }
/// ```
public final class Database: Sendable {
    /// The file's path, or ":memory:".
    public let path: String
    /// The options every connection is opened with.
    public let options: DatabaseOptions
    let threads: IOThreadPool
    let pool: ConnectionPool

    /// Opens (creating when absent, unless read-only) the database file at `path`; ":memory:" or
    /// "" opens a private in-memory database. Fails with SQLite's errors: `SQLITE_CANTOPEN`,
    /// `SQLITE_NOTADB` for a file that is not a database, …
    public init(path: String, options: DatabaseOptions = DatabaseOptions()) throws(DatabaseError) {
        self.path = path
        self.options = options
        let isMemory = path.isEmpty || path == ":memory:"
        let threads = IOThreadPool(threadCount: options.ioThreads)
        self.threads = threads
        let open = { () throws(DatabaseError) -> Connection in
            try Database.openConnection(path: path, options: options, threads: threads)
        }
        pool = ConnectionPool(limit: isMemory ? 1 : options.maximumConnections, open: open)
        let first = try open()
        if let mode = options.journalMode {
            try first.execute("PRAGMA journal_mode=\(mode.rawValue)")
        }
        pool.adopt(first)
    }

    /// A private in-memory database (gone when the Database is).
    public static func inMemory(options: DatabaseOptions = DatabaseOptions()) throws(DatabaseError) -> Database {
        try Database(path: ":memory:", options: options)
    }

    deinit {
        threads.shutdown()
    }

    private static func openConnection(path: String, options: DatabaseOptions,
                                       threads: IOThreadPool) throws(DatabaseError) -> Connection {
        var co = ConnectionOptions()
        co.pageSize = options.pageSize
        co.readOnly = options.readOnly
        if let size = options.cacheSize { co.cacheSize = size }
        if options.ioBackend != .automatic {
            let selection = IOBackends.make(setting: options.ioBackend.setting)
            co.io = selection.backend
            co.ioReason = selection.reason
        }
        let engine: Engine.Connection
        do { engine = try Engine.Connection(path: path, options: co) } catch { throw error.publicError() }
        engine.busyTimeout = options.busyTimeoutMilliseconds
        let connection = Connection(engine: engine, threads: threads)
        if let s = options.synchronous { try connection.execute("PRAGMA synchronous=\(s.rawValue)") }
        return connection
    }

    /// The I/O back-end the connections use and why it was chosen (`PRAGMA io_backend`).
    public var ioBackend: (name: String, reason: String) {
        (try? read { $0.ioBackend }) ?? ("unknown", "no connection could be opened")
    }

    // MARK: borrowing a connection

    /// Runs `body` with a connection of the pool (blocking the caller while all are lent).
    public func read<T>(_ body: (Connection) throws -> T) throws -> T {
        let c = try pool.acquire()
        defer { giveBack(c) }
        return try body(c)
    }

    /// Runs `body` in a transaction (BEGIN IMMEDIATE … COMMIT, ROLLBACK when it throws).
    public func write<T>(_ body: (Connection) throws -> T) throws -> T {
        try read { c in try c.transaction(.immediate, body) }
    }

    /// Runs `body` with a connection of the pool; suspends (never blocks) while all are lent.
    nonisolated(nonsending)
    public func read<T>(_ body: nonisolated(nonsending) (Connection) async throws -> T) async throws -> T {
        let c = try await pool.acquire()
        do {
            let result = try await body(c)
            await giveBack(c)
            return result
        } catch {
            await giveBack(c)
            throw error
        }
    }

    /// Runs `body` in a transaction (BEGIN IMMEDIATE … COMMIT, ROLLBACK when it throws or the task
    /// is cancelled).
    nonisolated(nonsending)
    public func write<T>(_ body: nonisolated(nonsending) (Connection) async throws -> T) async throws -> T {
        try await read { c in try await c.transaction(.immediate, body) }
    }

    /// A connection of your own, outside the pool (a file database only: every connection to
    /// ":memory:" is a new database). It closes when released.
    public func connect() throws(DatabaseError) -> Connection {
        if path.isEmpty || path == ":memory:" {
            throw DatabaseError(.misuse, message: "an in-memory database has one connection: use read or write")
        }
        return try Database.openConnection(path: path, options: options, threads: threads)
    }

    private func giveBack(_ c: Connection) {
        c.rollbackQuietly()
        pool.release(c)
    }

    nonisolated(nonsending)
    private func giveBack(_ c: Connection) async {
        await c.rollbackQuietly()
        pool.release(c)
    }

    // MARK: one-statement conveniences

    /// Runs every statement of `sql` on a pooled connection (see `Connection.execute(_:_:)`).
    public func execute(_ sql: String, _ arguments: StatementArgument...) throws(DatabaseError) {
        try typed { try read { c in try c.execute(sql, arguments: arguments) } }
    }

    /// Runs `sql` (one statement) on a pooled connection and returns its rows.
    public func query(_ sql: String, _ arguments: StatementArgument...) throws(DatabaseError) -> [Row] {
        try typed { try read { c in try c.query(sql, arguments: arguments) } }
    }

    /// Runs every statement of `sql` on a pooled connection without blocking a cooperative thread.
    nonisolated(nonsending)
    public func execute(_ sql: String, _ arguments: StatementArgument...) async throws(DatabaseError) {
        let args = UncheckedBox(arguments)
        try await typed { try await read { c in try await c.execute(sql, arguments: args.value) } }
    }

    /// Runs `sql` (one statement) on a pooled connection and returns its rows, without blocking a
    /// cooperative thread.
    nonisolated(nonsending)
    public func query(_ sql: String, _ arguments: StatementArgument...) async throws(DatabaseError) -> [Row] {
        let args = UncheckedBox(arguments)
        return try await typed { try await read { c in try await c.query(sql, arguments: args.value) } }
    }

    private func typed<T>(_ body: () throws -> T) throws(DatabaseError) -> T {
        do { return try body() } catch let e as DatabaseError { throw e } catch {
            throw DatabaseError(.internal, message: "\(error)")
        }
    }

    nonisolated(nonsending)
    private func typed<T>(_ body: () async throws -> T) async throws(DatabaseError) -> T {
        do { return try await body() } catch let e as DatabaseError { throw e } catch {
            throw DatabaseError(.internal, message: "\(error)")
        }
    }
}
