// Pager: page-granular access to one database file, with a page cache,
// dirty-page tracking, savepoints, file locks, the rollback journal and
// commit/rollback (pager.c's job).
//
// States, with the lock each holds (https://sqlite.org/lockingv3.html):
//   idle (NONE) ──beginRead──▶ reader (SHARED) ──beginWrite──▶ writer (RESERVED)
//   writer ──commit (EXCLUSIVE while writing the file)/rollback──▶ reader ──endRead──▶ idle
// Invariants:
//   1. Only a writer modifies a page, and only after `makeWritable`, which
//      journals the page's original image (Pager+Journal.swift) and records
//      its prior image in every open savepoint that needs it.
//   2. A dirty page stays in the cache (never evicted) until commit writes it,
//      rollback discards it, or a cache spill writes it early (Pager+Spill.swift,
//      only after its original image is synced in the journal). Until a spill
//      the file is untouched before commit and a rollback just discards dirty
//      frames; after one, or when a commit fails part-way, or after a crash,
//      the journal is played back.
//   3. `pageCount` is the database size in pages as the current transaction
//      sees it; pages past it are never read.
//   4. Reads of non-resident pages go through the IO back-end. In `.blocking`
//      mode the pager waits for the completion itself; in `.suspend` mode it
//      submits the read and throws `DBError.ioPending`, and the caller re-enters
//      after `waitForIO()` (DESIGN.md, decision 3). A resident page costs a
//      hash lookup and a pin, nothing more.
//   5. The cache is trusted only while SHARED is held: each read transaction
//      first rolls back a hot journal, then compares the header's change
//      counter with the one it last saw and empties the cache if another
//      connection or process changed the file in between.
// An in-memory database (no file) keeps every page in the cache for good.

import Base
import IO

/// A pinned page: its number, frame and bytes. Valid until released.
public struct PageRef {
    public let frame: FrameIndex
    public let pgno: UInt32
    public let data: UnsafeMutableRawPointer
}

/// How the pager treats a read of a page that is not in the cache.
public enum PagerIOMode: Sendable {
    /// Wait for the read on the calling thread (the synchronous API).
    case blocking
    /// Submit the read and throw `DBError.ioPending`; the caller waits and re-enters.
    case suspend
    /// Never block the thread: a page not in the cache, a read the OS page cache cannot serve at
    /// once, a busy lock or a hot journal throws `DBError.wouldBlock` (after undoing what was
    /// started), and the caller re-runs the work where blocking is allowed. Opening a transaction
    /// from async code uses it (Connection+Transactions.swift, beginStatementTransaction).
    case noWait
}

/// Options fixed when a pager opens a file.
public struct PagerOptions {
    /// Page size of a new database; an existing file keeps its own.
    public var pageSize: Int = 4096
    /// PRAGMA cache_size semantics: pages when positive, KiB when negative.
    public var cacheSize: Int = -2000
    public var readOnly = false
    /// The source of journal nonces.
    public var random: RandomSource = SystemRandom()
    public init() {}
}

public final class Pager {
    public let io: IOBackend?
    public let path: String
    /// The rollback journal's and the WAL's paths beside the file (built once: every read transaction
    /// looks for both).
    public let journalPath: String
    public let walPath: String
    let file: FileID?
    public internal(set) var pageSize: Int
    /// Reserved bytes at the end of each page (header offset 20).
    public internal(set) var reservedBytes: Int
    /// Pages in the database as the current transaction sees it.
    public internal(set) var pageCount: UInt32
    public let readOnly: Bool
    public var ioMode: PagerIOMode = .blocking
    /// Pages read ahead of need so far (tests and `.stats` look at it).
    public internal(set) var readAheadCount = 0
    var cache: PageCache
    private(set) var cacheSizeSetting: Int

    public enum State { case idle, reader, writer }
    public internal(set) var state: State = .idle
    /// Database size when the write transaction began.
    var originalPageCount: UInt32 = 0
    var dirtyFrames: [FrameIndex] = [] {
        didSet { cache.dirtyFrameCount = dirtyFrames.count }
    }
    var savepoints: [PagerSavepoint] = []
    /// Dirty pages at which the write transaction next tries to spill (Pager+Spill.swift); 0 at its start.
    var spillFloor = 0
    /// The write transaction has written pages to the file before commit: rollback must play back the journal.
    var spilledToFile = false
    /// Cache spills so far (tests and `.stats` look at it).
    public internal(set) var spillCount = 0
    /// Pages those spills wrote.
    public internal(set) var spilledPageCount = 0
    /// Pages fetched again while their spill write was in flight, moved to another frame (Pager+Spill.swift).
    public internal(set) var relocatedPageCount = 0
    /// Spill writes submitted and not yet completed (their frames are `writing`; Pager+Spill.swift).
    var spillWritesInFlight = 0
    /// The first failure of a spill write, kept until the transaction rolls back: it cannot commit.
    var spillWriteError: DBError?
    /// Pages the current write transaction put on the freelist (btree.c's pHasContent): reused, their
    /// committed image still matters to a rollback, unlike a page that was free when it began.
    var freedInTransaction = Set<UInt32>()
    /// Pages read from the file so far (tests).
    public internal(set) var pageReadCount = 0
    /// Temporary files opened so far (Pager+TemporaryFile.swift; tests look at it).
    public internal(set) var temporaryFileCount = 0
    /// Prior page images kept for savepoint rollback (SQLite's statement/sub-journal).
    var subjournal: [(pgno: UInt32, image: [UInt8])] = []
    /// Committed images of in-memory pages changed by the write transaction (its rollback journal).
    var memoryPriorImages: [(pgno: UInt32, image: [UInt8])] = []
    /// The first I/O error met while writing, kept until the transaction ends (a failed
    /// fsync is never treated as success later).
    var pendingWriteError: DBError?
    /// PRAGMA journal_mode: how a write transaction keeps its undo information.
    public internal(set) var journalMode: JournalMode
    /// PRAGMA synchronous: where commits sync.
    public var synchronous: SynchronousMode = .full
    var journal = JournalWriter()
    /// This connection's lock on the file (nil in memory).
    let dbLock: DatabaseLock?
    let random: RandomSource
    var directTagCounter: UInt64 = 0
    /// Header bytes 24..<40 (change counter, size, …) as last seen: another writer changes them.
    var seenFileVersion: [UInt8] = []
    /// Where each read transaction reads the file's 100-byte header (reused, so the check allocates nothing).
    let headerScratch = UnsafeMutableRawPointer.allocate(byteCount: 100, alignment: 16)
    /// Counts the times the cache was emptied because the file changed underneath (the connection
    /// then checks its schema).
    public internal(set) var externalChangeCount = 0
    /// Write transactions committed and page size changes, for `dataVersion`.
    var commitsAndPageSizeChanges = 0
    /// What sqlite3_file_control(SQLITE_FCNTL_DATA_VERSION) answers (pager.c's iDataVersion, which
    /// pager_reset and sqlite3PagerCommitPhaseTwo bump): 1 for the cache's first filling, plus one
    /// per change by another connection seen, per write transaction committed (with or without
    /// changes) and per page size change. The shell's .dbinfo prints it.
    public var dataVersion: UInt32 { UInt32(truncatingIfNeeded: 1 + externalChangeCount + commitsAndPageSizeChanges) }
    /// Called when a lock is busy with the number of earlier calls; returns true to try again
    /// (PRAGMA busy_timeout).
    public var busyHandler: ((Int) -> Bool)?
    /// Fills a page-size buffer with what page 1 of a database without pages reads as (set by the
    /// b-tree layer: an empty sqlite_schema leaf).
    public var emptyPageOneImage: ((UnsafeMutableRawPointer, Int) -> Void)?
    /// The process's write-ahead log while the file is in WAL mode (Pager+WAL.swift).
    var wal: WALIndex?
    var walFile: FileID?
    /// This connection's read snapshot: the last log frame it sees (0: the database file alone).
    var walSnapshot: UInt32 = 0
    /// The log's version when this connection last looked: its cache is good while they agree.
    var walSeenVersion: UInt64 = .max
    /// PRAGMA wal_autocheckpoint: log frames after which a commit checkpoints (0: never).
    public var walAutoCheckpoint = 1000
    /// PRAGMA journal_size_limit (-1: no limit).
    public var journalSizeLimit: Int64 = -1
    /// The file says it is in WAL mode (header bytes 18 and 19, or a -wal file beside it).
    var fileWantsWAL = false
    /// Set while PRAGMA journal_mode leaves WAL: the header still says WAL until that commit.
    var leavingWAL = false

    /// Opens (or, unless read-only, prepares to create) the database file at `path`.
    public init(io: IOBackend, path: String, options: PagerOptions = PagerOptions()) throws(DBError) {
        self.io = io
        self.path = path
        journalPath = path + "-journal"
        walPath = path + "-wal"
        readOnly = options.readOnly
        let exists = io.fileExists(path)
        if !exists && options.readOnly { throw DBError(.cantopen) }
        let f = try io.open(path, options: options.readOnly ? [.readOnly] : [.create])
        file = f
        dbLock = DatabaseLock(io: io, file: f)
        random = options.random
        journalMode = .delete
        pageSize = options.pageSize
        reservedBytes = 0
        pageCount = 0
        cacheSizeSetting = options.cacheSize
        cache = PageCache(pageSize: pageSize, capacity: Pager.pages(forCacheSize: options.cacheSize, pageSize: pageSize),
                          evictable: true)
        do {
            // A hot journal left by a crash is rolled back before the header is believed; when another
            // connection holds the file, the header read now is provisional and checked again by beginRead.
            if try dbLock!.lock(.shared) {
                defer { try? dbLock!.unlock(to: .none) }
                try refreshFromFile(initial: true)
            } else {
                try refreshFromFile(rollBack: false, initial: true)
            }
        } catch {
            dbLock?.close()
            throw error
        }
    }

    /// An in-memory database: no file, every page lives in the cache.
    public init(memoryWithPageSize pageSize: Int = 4096) {
        io = nil
        path = ":memory:"
        journalPath = path + "-journal"
        walPath = path + "-wal"
        file = nil
        readOnly = false
        self.pageSize = pageSize
        reservedBytes = 0
        pageCount = 0
        cacheSizeSetting = -2000
        journalMode = .memory
        dbLock = nil
        random = SystemRandom()
        cache = PageCache(pageSize: pageSize, capacity: 1 << 30, evictable: false)
    }

    deinit {
        // Reads still in flight (read-ahead, a statement abandoned while suspended) write into cache
        // frames: the cache must outlive them. Then the frames' registered buffers go.
        drainIO()
        releaseIOBuffers()
        if let io, let f = journal.file { io.close(f) }
        journal.staging?.deallocate()
        if wal != nil {
            endWALRead()
            endWALWrite()
            detachWAL()
        }
        dbLock?.close()
        // Last: the log's checkpoint above may still read the header.
        headerScratch.deallocate()
    }

    /// Pages the cache may hold for a PRAGMA cache_size value (negative: KiB).
    static func pages(forCacheSize n: Int, pageSize: Int) -> Int {
        if n >= 0 { return n }
        let kib = n == Int.min ? Int.max : -n
        return Int(min(Int64(kib) * 1024 / Int64(pageSize), Int64(1) << 30))
    }

    /// Bytes per page available to b-tree content.
    public var usableSize: Int { pageSize - reservedBytes }
    public var isMemory: Bool { file == nil }

    /// PRAGMA cache_size: the value as set (pages if positive, KiB if negative).
    public var cacheSize: Int {
        get { cacheSizeSetting }
        set {
            cacheSizeSetting = newValue
            guard !isMemory else { return }
            cache.capacity = max(10, Pager.pages(forCacheSize: newValue, pageSize: pageSize))
            cache.shrinkToCapacity()
        }
    }

    /// Sets the page size of a database that has no pages yet (PRAGMA page_size before the first write).
    public func setPageSizeOfEmptyDatabase(_ size: Int) {
        guard pageCount == 0, state != .writer, size >= 512, size <= 65536, size & (size - 1) == 0,
              size != pageSize else { return }
        drainIO()
        releaseIOBuffers()
        pageSize = size
        commitsAndPageSizeChanges += 1
        let capacity = isMemory ? 1 << 30 : Pager.pages(forCacheSize: cacheSizeSetting, pageSize: size)
        cache = PageCache(pageSize: size, capacity: capacity, evictable: !isMemory)
    }

    /// Sets the reserved bytes of a new database (only before page 1 exists).
    public func setReservedBytesOfEmptyDatabase(_ n: Int) {
        guard pageCount == 0, n >= 0, n <= 255, pageSize - n >= 480 else { return }
        reservedBytes = n
    }

    /// Byte offset of page `pgno` in the database file.
    @inline(__always) func fileOffset(_ pgno: UInt32) -> Int64 { Int64(pgno - 1) * Int64(pageSize) }

    /// The page that holds SQLite's lock bytes (offset 2^30), which the database never uses.
    public var pendingBytePage: UInt32 { UInt32(0x4000_0000 / pageSize) + 1 }
}

/// Tags that say what a completion belongs to (high byte) and to which frame (low bits).
enum PagerTag {
    static let pageRead: UInt64 = 2 << 56
    static let pageWrite: UInt64 = 3 << 56
    static let sync: UInt64 = 4 << 56
    static let truncate: UInt64 = 5 << 56
    /// A request the pager waits for on the spot (`performNow`).
    static let direct: UInt64 = 6 << 56
    /// A cache spill's page write, which nothing waits for (Pager+Spill.swift).
    static let spillWrite: UInt64 = 7 << 56
    static let kindMask: UInt64 = 0xFF << 56
}

/// One open savepoint of the pager.
struct PagerSavepoint {
    var pageCount: UInt32
    var subjournalStart: Int
    /// Pages whose prior image is already in the subjournal since this savepoint began.
    var recorded: Set<UInt32> = []
}
