// IOBackend: the one I/O seam of the engine (DESIGN.md, decisions 2 and 3).
//
// Every file operation of the storage layer goes through this protocol. Data
// transfers (read, write, sync, truncate) are *requests*: `submit` queues them
// and they complete later, reported by `reap`/`wait` as `IOCompletion`s that
// carry the caller's tag. Several submits before a reap form one batch (one
// io_uring_enter on the io_uring back-end). Metadata operations that have no
// useful asynchronous form (open, close, size, locks, delete) are synchronous.
//
// Ownership and threading: a back-end instance is confined to one connection
// (one task at a time), which is the only submitter, as an io_uring submission
// queue requires. The buffer a read or write names must stay valid and
// untouched until its completion has been reaped: the pager keeps such pages
// pinned (docs/ARCHITECTURE.md, "I/O execution model").

import Base

/// A file opened through a back-end; meaningful only to the back-end that opened it.
public struct FileID: Hashable, Sendable {
    public var raw: Int32
    public init(raw: Int32) { self.raw = raw }
}

/// How a file is opened.
public struct FileOpenOptions: OptionSet, Sendable {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// Open for reading only.
    public static let readOnly = FileOpenOptions(rawValue: 1 << 0)
    /// Create the file when it does not exist.
    public static let create = FileOpenOptions(rawValue: 1 << 1)
    /// Fail when the file exists already (with `.create`).
    public static let exclusive = FileOpenOptions(rawValue: 1 << 2)
}

/// One asynchronous operation on an open file.
///
/// Safety: `buffer` points at `length` bytes owned by the submitter, which must
/// neither free nor touch them until the request's completion has been reaped.
public struct IORequest {
    public enum Kind: UInt8, Sendable {
        case read, write, sync, dataSync, truncate
    }
    public var kind: Kind
    public var file: FileID
    /// Byte offset for read/write; the new size for truncate.
    public var offset: Int64
    public var buffer: UnsafeMutableRawPointer?
    public var length: Int
    /// The submitter's tag, returned in the completion.
    public var tag: UInt64
    /// For a read: complete with -EAGAIN at once, rather than wait for the device, when the data is
    /// not already in memory (io_uring: RWF_NOWAIT). A back-end that cannot tell answers -EAGAIN;
    /// back-ends whose files live in memory ignore the flag.
    public var noWait = false
    /// For a read or write: the index `registerBuffer` gave the memory `buffer` lies in, or -1.
    public var fixedBuffer: Int32 = -1

    public static func read(_ file: FileID, offset: Int64, into buffer: UnsafeMutableRawPointer,
                            length: Int, tag: UInt64) -> IORequest {
        IORequest(kind: .read, file: file, offset: offset, buffer: buffer, length: length, tag: tag)
    }

    public static func write(_ file: FileID, offset: Int64, from buffer: UnsafeRawPointer,
                             length: Int, tag: UInt64) -> IORequest {
        IORequest(kind: .write, file: file, offset: offset, buffer: UnsafeMutableRawPointer(mutating: buffer),
                  length: length, tag: tag)
    }

    /// fsync (`dataOnly == false`) or fdatasync.
    public static func sync(_ file: FileID, dataOnly: Bool, tag: UInt64) -> IORequest {
        IORequest(kind: dataOnly ? .dataSync : .sync, file: file, offset: 0, buffer: nil, length: 0, tag: tag)
    }

    public static func truncate(_ file: FileID, toSize size: Int64, tag: UInt64) -> IORequest {
        IORequest(kind: .truncate, file: file, offset: size, buffer: nil, length: 0, tag: tag)
    }
}

/// The outcome of one request: bytes transferred (>= 0) or a negated errno.
public struct IOCompletion: Sendable, Equatable {
    public var tag: UInt64
    public var result: Int32
    public init(tag: UInt64, result: Int32) {
        self.tag = tag
        self.result = result
    }
    public var isError: Bool { result < 0 }
    public var errno: Int32 { result < 0 ? -result : 0 }
}

/// The POSIX advisory lock kinds SQLite's locking protocol uses on byte ranges.
public enum FileLockKind: Sendable {
    case shared, exclusive, unlock
}

/// The completion-based file I/O protocol (see the file header).
public protocol IOBackend: AnyObject {
    /// A short name for `.io` and `PRAGMA io_backend`: "io_uring", "syscall", "memory".
    var name: String { get }

    func open(_ path: String, options: FileOpenOptions) throws(DBError) -> FileID
    func close(_ file: FileID)
    /// The file's current size in bytes.
    func size(of file: FileID) throws(DBError) -> Int64
    func fileExists(_ path: String) -> Bool
    func delete(_ path: String) throws(DBError)
    /// fsync of the directory holding `path`, so a created or deleted file is durable.
    func syncDirectory(of path: String) throws(DBError)
    /// Takes or releases an advisory lock on `length` bytes at `offset`; false when another holder conflicts.
    func lock(_ file: FileID, offset: Int64, length: Int64, kind: FileLockKind) throws(DBError) -> Bool
    /// A key equal for every open of the same underlying file within this process (device and
    /// inode for real files), so lock state can be shared the way POSIX locks are: per process.
    func fileIdentity(_ file: FileID) -> String

    /// Queues a request; it is handed to the kernel at the next `flush`, `reap` or `wait`.
    func submit(_ request: IORequest)
    /// Hands every queued request to the kernel (one batch).
    func flush()
    /// Completions that are ready, without waiting; returns how many were delivered.
    @discardableResult
    func reap(_ deliver: (IOCompletion) -> Void) -> Int
    /// Waits until at least `minimum` completions were delivered (flushing first).
    func wait(minimum: Int, _ deliver: (IOCompletion) -> Void)
    /// Requests submitted and not yet delivered.
    var inFlight: Int { get }
    /// A descriptor that polls readable (an eventfd) whenever a completion is ready to reap, so a
    /// task can await this back-end's I/O without any thread blocking on it (CompletionReactor);
    /// nil for back-ends whose requests only run while someone waits for them.
    func completionNotifier() -> Int32?
    /// True when reads submitted ahead of need cost less than reading on demand: several pages
    /// go to the kernel in one call and run while the engine works (io_uring). The syscall
    /// back-end would only do the same preads earlier, so it answers false.
    var benefitsFromReadAhead: Bool { get }
    /// Registers `length` bytes at `base` as a fixed buffer, so transfers into and out of it spare
    /// the kernel pinning its pages per request (io_uring's registered buffers); nil when the back-end
    /// has none or refuses (RLIMIT_MEMLOCK). The memory must stay allocated until `unregisterBuffer`,
    /// and no request may use the index after that.
    func registerBuffer(_ base: UnsafeMutableRawPointer, length: Int) -> Int32?
    func unregisterBuffer(_ index: Int32)
}

extension IOBackend {
    public func completionNotifier() -> Int32? { nil }
    public var benefitsFromReadAhead: Bool { false }
    public func registerBuffer(_ base: UnsafeMutableRawPointer, length: Int) -> Int32? { nil }
    public func unregisterBuffer(_ index: Int32) {}
}
