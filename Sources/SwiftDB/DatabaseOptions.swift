// DatabaseOptions: how a Database opens its connections. Each setting maps
// to the PRAGMA or open flag SQLite users know; nil leaves SQLite's default
// (or, for the journal mode, what the file already has).

/// How a `Database` is opened.
///
/// ```swift
/// var options = DatabaseOptions()
/// options.journalMode = .wal
/// options.synchronous = .normal
/// let db = try Database(path: "app.db", options: options)
/// ```
public struct DatabaseOptions: Sendable {
    /// `PRAGMA journal_mode` set once at open; nil keeps the file's mode (DELETE for a new file).
    public var journalMode: JournalMode?
    /// `PRAGMA synchronous` for every connection; nil keeps SQLite's default (FULL).
    public var synchronous: Synchronous?
    /// `PRAGMA cache_size` for every connection: pages when positive, KiB when negative; nil keeps
    /// the default (-2000, about 2 MB).
    public var cacheSize: Int?
    /// How long a connection retries a busy lock before `SQLITE_BUSY` (`PRAGMA busy_timeout`), in
    /// milliseconds. Connections of one database wait for each other's writes this long.
    public var busyTimeoutMilliseconds = 5000
    /// Opens the file read-only (`SQLITE_OPEN_READONLY`); writes fail with `SQLITE_READONLY`.
    public var readOnly = false
    /// The page size of a new database file (512–65536, a power of two).
    public var pageSize = 4096
    /// Which I/O back-end the connections use.
    public var ioBackend: IOBackendChoice = .automatic
    /// The most connections the database's pool keeps open at once (an in-memory database has one).
    public var maximumConnections = 8
    /// Threads that run the async API's blocking work (commits, lock waits, page reads), so that no
    /// thread of Swift's cooperative pool waits on disk.
    public var ioThreads = 4

    public init() {}
}

/// SQLite's journal modes (https://sqlite.org/pragma.html#pragma_journal_mode).
public enum JournalMode: String, Sendable, CaseIterable {
    case delete, truncate, persist, memory, wal, off
}

/// SQLite's synchronous levels (https://sqlite.org/pragma.html#pragma_synchronous).
public enum Synchronous: String, Sendable, CaseIterable {
    case off, normal, full, extra
}

/// The I/O back-end of a database's connections (docs/ARCHITECTURE.md, "I/O execution model").
public enum IOBackendChoice: Sendable, Equatable {
    /// The platform's default, honouring the `SWIFTDB_IO` environment variable.
    case automatic
    /// io_uring, falling back to the syscall back-end (with the reason) where the kernel refuses it.
    case ioUring
    /// pread/pwrite/fdatasync.
    case syscall

    var setting: String? {
        switch self {
        case .automatic: return nil
        case .ioUring: return "io_uring"
        case .syscall: return "syscall"
        }
    }
}
