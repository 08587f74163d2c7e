// WALIndex: the state of one database's write-ahead log, shared by the
// connections of this process that have the file open (what SQLite keeps in
// the -shm wal-index; https://sqlite.org/walformat.html).
//
// Until the -shm protocol is its own issue, the index lives in memory, as
// sqlite3's does under PRAGMA locking_mode=EXCLUSIVE, and the process holds
// an exclusive POSIX lock on the database file while in WAL mode, so another
// process gets SQLITE_BUSY rather than a file it could misread.
//
// Invariants (all state is read and changed only under the lock table's mutex):
//   1. `pageOfFrame[i-1]` is the page frame i holds, for frames 1...maxFrame,
//      every one of them part of a committed transaction; `framesOfPage[p]`
//      lists page p's frames in ascending order.
//   2. A reader's snapshot is a commit boundary s (0: the database file alone,
//      allowed only when every frame is already backfilled); it reads page p
//      from the newest frame of p that is <= s, else from the database file.
//   3. A checkpoint copies frames only up to the oldest active snapshot, and
//      none while a snapshot-0 reader is active, so the database file never
//      holds a page newer than some reader expects.
//   4. The log restarts (frames written again from the start, with new salts)
//      only when every frame is backfilled and no reader's snapshot is > 0.

import Base
import IO

final class WALIndex {
    var header: WALHeader?
    var pageSize: Int
    /// Page number of each committed frame (frame i at index i-1).
    var pageOfFrame: [UInt32] = []
    var framesOfPage: [UInt32: [UInt32]] = [:]
    /// Database size in pages after each commit frame.
    var commitSize: [UInt32: UInt32] = [:]
    /// Cumulative checksum after the last committed frame (the header's when there is none).
    var lastChecksum: (UInt32, UInt32) = (0, 0)
    /// Frames already copied into the database file.
    var backfilled: UInt32 = 0
    /// Bumped at every commit, checkpoint and restart: connections drop their caches when it moves.
    var version: UInt64 = 0
    /// Active read snapshots, by connection.
    var readers: [ObjectIdentifier: UInt32] = [:]
    /// The connection holding the write lock, if any.
    var writer: ObjectIdentifier?
    /// Connections of this process using the log.
    var users = 0
    /// This process created the -wal file and has not yet synced its directory: until it does, a power
    /// cut may lose the file's name and with it every frame (set by recovery when no file existed).
    var nameNeedsSync = false

    init(pageSize: Int) {
        self.pageSize = pageSize
    }

    var maxFrame: UInt32 { UInt32(pageOfFrame.count) }

    /// Database size in pages at snapshot `s` (> 0).
    func pageCount(at s: UInt32) -> UInt32? { commitSize[s] }

    /// The newest frame of `pgno` not after snapshot `s`, if any.
    func frame(of pgno: UInt32, snapshot s: UInt32) -> UInt32? {
        guard s > 0, let list = framesOfPage[pgno] else { return nil }
        var lo = 0, hi = list.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if list[mid] <= s { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? nil : list[lo - 1]
    }

    /// Adds committed frames (pages in order; `size` after the last) to the index.
    func append(pages: [UInt32], commitSize size: UInt32, checksum: (UInt32, UInt32)) {
        for p in pages {
            pageOfFrame.append(p)
            framesOfPage[p, default: []].append(maxFrame)
        }
        commitSize[maxFrame] = size
        lastChecksum = checksum
        version &+= 1
    }

    /// Forgets every frame (the log restarts or was emptied by a checkpoint).
    func reset() {
        pageOfFrame.removeAll()
        framesOfPage.removeAll()
        commitSize.removeAll()
        backfilled = 0
        lastChecksum = header?.checksum ?? (0, 0)
        version &+= 1
    }

    /// The frame a checkpoint may copy up to: the oldest active snapshot that reads the log.
    func safeCheckpointFrame() -> UInt32 {
        var safe = maxFrame
        for (_, s) in readers {
            // A reader of the file alone must not see it change under it (SQLite's read-mark 0).
            if s == 0 { return backfilled }
            if s < safe { safe = s }
        }
        return safe
    }

    /// True when the next commit may write from the start of the log (invariant 4).
    var mayRestart: Bool {
        maxFrame > 0 && backfilled == maxFrame && readers.values.allSatisfy { $0 == 0 }
    }
}
