// DatabaseLock: SQLite's five lock levels on a database file, kept with the
// POSIX advisory-lock protocol sqlite3 uses (https://sqlite.org/lockingv3.html,
// os_unix.c), so swiftdb and sqlite3 never write one file at once.
//
// The lock bytes sit in the page at offset 2^30 (PENDING_BYTE), which no
// database ever stores data in:
//   PENDING  byte 0x40000000     RESERVED byte 0x40000001
//   SHARED   bytes 0x40000002 … +510
// SHARED: read-lock the pending byte, read-lock the shared range, drop the
// pending byte (a writer waiting for EXCLUSIVE holds the pending byte, so new
// readers stay out). RESERVED: write-lock the reserved byte. EXCLUSIVE:
// write-lock the pending byte, then the whole shared range.
//
// POSIX locks belong to a process, not to a file descriptor, and closing any
// descriptor of a file drops all of the process's locks on it. So, as
// os_unix.c does with its inode table, connections of one process that open
// the same file share one `InodeLock`: the process takes a POSIX lock only
// when the shared state changes, connections of the same process exclude each
// other here, and a descriptor is closed only when no lock is held (until then
// it waits in `deferredCloses`).

import Base
import IO
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SQLite's lock levels, weakest first.
public enum LockLevel: Int, Comparable, Sendable {
    case none = 0, shared, reserved, pending, exclusive
    public static func < (a: LockLevel, b: LockLevel) -> Bool { a.rawValue < b.rawValue }
}

enum LockBytes {
    static let pending: Int64 = 0x4000_0000
    static let reserved: Int64 = pending + 1
    static let sharedFirst: Int64 = pending + 2
    static let sharedSize: Int64 = 510
}

/// The lock state one process keeps for one file (os_unix.c's unixInodeInfo).
final class InodeLock {
    /// The strongest level any connection of this process holds.
    var level: LockLevel = .none
    /// Connections of this process holding SHARED or more.
    var sharedHolders = 0
    /// Connections with the file open.
    var openCount = 0
    /// Descriptors whose close waits until no lock is held (closing would drop the process's locks).
    var deferredCloses: [(IOBackend, FileID)] = []
    /// The write-ahead log while the file is in WAL mode in this process (the process then holds
    /// an exclusive POSIX lock on the file, and `level` is `.exclusive`).
    var wal: WALIndex?
}

/// The process-wide table of `InodeLock`s, keyed by `IOBackend.fileIdentity`.
/// Safety: `entries` and every `InodeLock` in it are touched only inside `withLock`.
final class InodeLockTable: @unchecked Sendable {
    static let table = InodeLockTable()
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var entries: [String: InodeLock] = [:]

    private init() {
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    func withLock<R>(_ body: (inout [String: InodeLock]) throws(DBError) -> R) throws(DBError) -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&entries)
    }

    func withLockNoThrow(_ body: (inout [String: InodeLock]) -> Void) {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        body(&entries)
    }
}

/// One connection's lock on one database file.
public final class DatabaseLock {
    let io: IOBackend
    let file: FileID
    let key: String
    /// The process's entry for the file: the table keeps it while any connection has the file open, and
    /// this one does until `close`, so lock and unlock use it without hashing the key (still only under
    /// the table's mutex).
    private let inode: InodeLock
    public private(set) var level: LockLevel = .none

    init(io: IOBackend, file: FileID) {
        self.io = io
        self.file = file
        let key = io.fileIdentity(file)
        self.key = key
        var entry: InodeLock?
        InodeLockTable.table.withLockNoThrow { t in
            let inode = t[key] ?? InodeLock()
            inode.openCount += 1
            t[key] = inode
            entry = inode
        }
        inode = entry!
    }

    /// Releases every lock and closes the descriptor, now or once the process holds no lock on the file.
    func close() {
        try? unlock(to: .none)
        let (io, file, key) = (self.io, self.file, self.key)
        InodeLockTable.table.withLockNoThrow { t in
            guard let inode = t[key] else { io.close(file); return }
            inode.openCount -= 1
            if inode.sharedHolders > 0 || inode.wal != nil {
                inode.deferredCloses.append((io, file))
            } else {
                io.close(file)
            }
            if inode.openCount == 0 {
                for (b, f) in inode.deferredCloses { b.close(f) }
                t[key] = nil
            }
        }
    }

    /// Raises this connection's lock to `target` (SHARED, RESERVED or EXCLUSIVE); false when another
    /// connection or process holds a conflicting lock (SQLITE_BUSY; the caller may retry).
    /// A failed EXCLUSIVE leaves PENDING held, so new readers wait while this writer does.
    func lock(_ target: LockLevel) throws(DBError) -> Bool {
        if level >= target { return true }
        let (io, file) = (self.io, self.file)
        let current = level
        var newLevel = current
        let inode = self.inode
        let granted = try InodeLockTable.table.withLock { _ throws(DBError) -> Bool in
            // Another connection of this process holds a lock that excludes this request.
            if current != inode.level && (inode.level >= .pending || target > .shared) { return false }
            if target == .shared {
                if inode.level == .shared || inode.level == .reserved {
                    // The process already holds the POSIX shared lock.
                    inode.sharedHolders += 1
                    newLevel = .shared
                    return true
                }
                guard try io.lock(file, offset: LockBytes.pending, length: 1, kind: .shared) else { return false }
                let ok = try io.lock(file, offset: LockBytes.sharedFirst, length: LockBytes.sharedSize, kind: .shared)
                _ = try io.lock(file, offset: LockBytes.pending, length: 1, kind: .unlock)
                guard ok else { return false }
                inode.sharedHolders = 1
                inode.level = .shared
                newLevel = .shared
                return true
            }
            if target == .exclusive && inode.sharedHolders > 1 {
                // Other connections of this process still read: take PENDING and wait for them.
                if current < .pending {
                    guard try io.lock(file, offset: LockBytes.pending, length: 1, kind: .exclusive) else { return false }
                    inode.level = .pending
                    newLevel = .pending
                }
                return false
            }
            if target == .reserved {
                guard try io.lock(file, offset: LockBytes.reserved, length: 1, kind: .exclusive) else { return false }
                inode.level = .reserved
                newLevel = .reserved
                return true
            }
            // EXCLUSIVE: the pending byte first, then every reader gone.
            if current < .pending {
                guard try io.lock(file, offset: LockBytes.pending, length: 1, kind: .exclusive) else { return false }
                inode.level = .pending
                newLevel = .pending
            }
            guard try io.lock(file, offset: LockBytes.sharedFirst, length: LockBytes.sharedSize, kind: .exclusive) else {
                return false
            }
            inode.level = .exclusive
            newLevel = .exclusive
            return true
        }
        level = newLevel
        return granted
    }

    /// Lowers this connection's lock to SHARED or NONE.
    func unlock(to target: LockLevel) throws(DBError) {
        guard level > target else { return }
        let (io, file, current) = (self.io, self.file, self.level)
        let inode = self.inode
        try InodeLockTable.table.withLock { _ throws(DBError) in
            if current > .shared {
                // Back to a plain shared lock: downgrade the shared range, drop pending and reserved.
                if current == .exclusive {
                    _ = try io.lock(file, offset: LockBytes.sharedFirst, length: LockBytes.sharedSize, kind: .shared)
                }
                _ = try io.lock(file, offset: LockBytes.pending, length: 2, kind: .unlock)
                inode.level = .shared
            }
            if target == .none {
                inode.sharedHolders -= 1
                if inode.sharedHolders == 0 {
                    _ = try io.lock(file, offset: 0, length: 0, kind: .unlock)
                    inode.level = .none
                    for (b, f) in inode.deferredCloses { b.close(f) }
                    inode.deferredCloses.removeAll()
                }
            }
        }
        level = target
    }

    // MARK: WAL mode

    /// Runs `body` on the process's WAL index under the table's mutex (nil outside WAL mode).
    func withWAL<R>(_ body: (WALIndex?) throws(DBError) -> R) throws(DBError) -> R {
        let inode = self.inode
        return try InodeLockTable.table.withLock { _ throws(DBError) -> R in try body(inode.wal) }
    }

    /// True when this process has the file in WAL mode.
    var processUsesWAL: Bool { (try? withWAL { $0 != nil }) ?? false }

    /// Joins the process's WAL index, or creates it with `make` after taking the file exclusively
    /// for the process; false (SQLITE_BUSY) when another connection or process holds a lock that
    /// stands in the way. This connection's rollback-mode lock must already be released.
    func attachWAL(_ make: () throws(DBError) -> WALIndex) throws(DBError) -> WALIndex? {
        // The caller released its rollback-mode lock; if that unlock failed (an I/O error, e.g. after a
        // power cut) the lock is still held: an error, never a trap (DESIGN.md decision 7).
        guard level == .none else {
            throw DBError(.ioerrUnlock, ResultCode.ioerr.defaultMessage, detail: "a rollback-mode lock could not be released")
        }
        let (io, file) = (self.io, self.file)
        return try InodeLockTable.table.withLock { t throws(DBError) -> WALIndex? in
            guard let inode = t[key] else { throw DBError(.internal, "lock table entry missing") }
            if let w = inode.wal {
                w.users += 1
                return w
            }
            guard inode.level == .none else { return nil }
            guard try io.lock(file, offset: LockBytes.pending, length: 1, kind: .exclusive) else { return nil }
            guard try io.lock(file, offset: LockBytes.sharedFirst, length: LockBytes.sharedSize, kind: .exclusive) else {
                _ = try io.lock(file, offset: LockBytes.pending, length: 1, kind: .unlock)
                return nil
            }
            let w: WALIndex
            do throws(DBError) { w = try make() } catch {
                _ = try? io.lock(file, offset: 0, length: 0, kind: .unlock)
                throw error
            }
            w.users = 1
            inode.wal = w
            inode.level = .exclusive
            return w
        }
    }

    /// Leaves the WAL index; the last user runs `last` (checkpoint, remove the log) before the
    /// process drops its exclusive lock.
    func detachWAL(_ last: (WALIndex) -> Void) {
        let (io, file) = (self.io, self.file)
        var lastUser: WALIndex?
        InodeLockTable.table.withLockNoThrow { t in
            guard let inode = t[key], let w = inode.wal else { return }
            w.users -= 1
            if w.users == 0 { lastUser = w }
        }
        guard let w = lastUser else { return }
        // Outside the mutex: the checkpoint takes it. The process still holds the file exclusively.
        last(w)
        InodeLockTable.table.withLockNoThrow { t in
            guard let inode = t[key], inode.wal === w, w.users == 0 else { return }
            inode.wal = nil
            inode.level = .none
            if inode.sharedHolders == 0 {
                _ = try? io.lock(file, offset: 0, length: 0, kind: .unlock)
                for (b, f) in inode.deferredCloses { b.close(f) }
                inode.deferredCloses.removeAll()
            }
        }
    }

    /// True when some other connection or process holds RESERVED or more (a live writer).
    func otherHoldsReserved() throws(DBError) -> Bool {
        let (io, file, current) = (self.io, self.file, self.level)
        return try InodeLockTable.table.withLock { t throws(DBError) -> Bool in
            guard let inode = t[key] else { return false }
            if inode.level >= .reserved { return current < .reserved }
            // No connection of this process writes: ask the other processes.
            guard try io.lock(file, offset: LockBytes.reserved, length: 1, kind: .shared) else { return true }
            _ = try io.lock(file, offset: LockBytes.reserved, length: 1, kind: .unlock)
            return false
        }
    }
}
