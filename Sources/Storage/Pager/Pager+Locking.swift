// Pager+Locking: starting and ending transactions under the file locks
// (DatabaseLock.swift), with busy retries, and re-reading the file's state
// when another connection or process changed it (Pager.swift, invariant 5).
//
// As in SQLite, the busy handler is consulted for SHARED and for the
// EXCLUSIVE lock a commit needs, and for RESERVED only when the connection
// holds no read transaction of its own: one that already reads would
// deadlock waiting for a writer that waits for it, so it gets SQLITE_BUSY at
// once (btree.c, sqlite3BtreeBeginTrans).

import Base
import IO
#if canImport(Glibc)
import Glibc
#endif

extension Pager {
    public func beginRead() throws(DBError) {
        guard state == .idle else { return }
        if let lock = dbLock {
            if wal == nil && lock.processUsesWAL { try attachWAL() }
            if wal == nil {
                try acquire(lock, .shared, mayWait: true)
                do {
                    try refreshFromFile()
                } catch {
                    try? lock.unlock(to: .none)
                    throw error
                }
                if fileWantsWAL && !readOnly && !leavingWAL {
                    // The file is in WAL mode: leave the rollback-mode lock for the log's.
                    try? lock.unlock(to: .none)
                    try attachWAL()
                }
            }
            if wal != nil { try beginWALRead() }
        }
        state = .reader
    }

    public func endRead() {
        guard state == .reader else { return }
        state = .idle
        if wal != nil {
            endWALRead()
        } else {
            try? dbLock?.unlock(to: .none)
        }
    }

    public var inWriteTransaction: Bool { state == .writer }

    /// Starts a write transaction: RESERVED on the file; the journal opens at the first page change.
    public func beginWrite() throws(DBError) {
        if state == .writer { return }
        if readOnly { throw DBError(.readonly) }
        let wasIdle = state == .idle
        if wasIdle { try beginRead() }
        if wal != nil {
            do {
                try beginWALWrite(mayWait: wasIdle)
            } catch {
                if wasIdle { endRead() }
                throw error
            }
        } else if let lock = dbLock {
            do {
                try acquire(lock, .reserved, mayWait: wasIdle)
            } catch {
                if wasIdle { endRead() }
                throw error
            }
        }
        state = .writer
        originalPageCount = pageCount
        journal.journaled.removeAll(keepingCapacity: true)
        freedInTransaction.removeAll(keepingCapacity: true)
    }

    /// BEGIN EXCLUSIVE: the write transaction with EXCLUSIVE held from the start.
    public func beginExclusiveWrite() throws(DBError) {
        try beginWrite()
        if wal == nil, let lock = dbLock { try acquire(lock, .exclusive, mayWait: true) }
    }

    /// Takes `level`, retrying while the busy handler allows.
    func acquire(_ lock: DatabaseLock, _ level: LockLevel, mayWait: Bool) throws(DBError) {
        var attempts = 0
        while try !lock.lock(level) {
            if mayWait && busyHandler != nil && ioMode == .noWait { throw DBError.wouldBlock }
            guard mayWait, let handler = busyHandler, handler(attempts) else {
                throw DBError(.busy, "database is locked")
            }
            attempts += 1
        }
    }

    /// Rolls back a hot journal (when `rollBack`), then checks whether the file changed since this
    /// pager last saw it and, if so, empties the cache and takes the new size and page size.
    func refreshFromFile(rollBack: Bool = true, initial: Bool = false) throws(DBError) {
        guard let io, let file else { return }
        if rollBack && !readOnly { try rollBackHotJournalIfAny() }
        let size = try io.size(of: file)
        if size == 0 {
            // A log beside an empty file belongs to no database: sqlite3 deletes it too.
            if !readOnly && io.fileExists(walPath) { try? io.delete(walPath) }
            fileWantsWAL = false
            if pageCount != 0 || !seenFileVersion.isEmpty {
                forgetCache()
                if !initial { externalChangeCount += 1 }
            }
            pageCount = 0
            seenFileVersion = []
            return
        }
        let headerBuffer = headerScratch
        let noWait = ioMode == .noWait
        var read = IORequest.read(file, offset: 0, into: headerBuffer, length: 100, tag: 0)
        read.noWait = noWait
        let r = performNow(read)
        if noWait && (r == -EAGAIN || (r >= 0 && Int64(r) < min(100, size))) { throw DBError.wouldBlock }
        if r < 0 { throw Pager.ioError(.ioerrRead, r, "reading the header") }
        if r < 100 { throw DBError(.notadb) }
        // WAL mode: the header says so, or a log lies beside the file (pager.c, pagerOpenWalIfPresent).
        fileWantsWAL = headerBuffer.load(fromByteOffset: 18, as: UInt8.self) == 2
            || headerBuffer.load(fromByteOffset: 19, as: UInt8.self) == 2 || io.fileExists(walPath)
        // The file change counter and what follows it (offsets 24..<40): unchanged means the cache holds.
        let versionBytes = UnsafeRawBufferPointer(start: headerBuffer + 24, count: 16)
        // Compared as bytes in place (the generic elementsEqual cost more than the rest of this check).
        if seenFileVersion.count == 16,
           seenFileVersion.withUnsafeBytes({ memcmp($0.baseAddress!, versionBytes.baseAddress!, 16) }) == 0 {
            return
        }
        let version = Array(versionBytes)
        let header = try DatabaseHeader(decoding: headerBuffer, count: 100)
        forgetCache()
        if header.pageSize != pageSize {
            commitsAndPageSizeChanges += 1
            drainIO()
            releaseIOBuffers()
            pageSize = header.pageSize
            cache = PageCache(pageSize: pageSize, capacity: Pager.pages(forCacheSize: cacheSizeSetting, pageSize: pageSize),
                              evictable: true)
        }
        reservedBytes = header.reservedBytes
        let filePages = UInt32(clamping: size / Int64(header.pageSize))
        if header.databaseSizeIsValid {
            // In WAL mode the log, not the file, has the last word on the size (a checkpoint may have
            // stopped part-way); beginWALRead takes it from there.
            guard header.databaseSize <= filePages || fileWantsWAL else {
                throw DBError.corrupt("header says \(header.databaseSize) pages, file holds \(filePages)")
            }
            pageCount = header.databaseSize
        } else {
            pageCount = filePages
        }
        seenFileVersion = version
        if !initial { externalChangeCount += 1 }
    }

    /// Records page 1's version bytes after this pager wrote them, so its own commits never
    /// look like someone else's.
    func noteOwnFileVersion() {
        guard let f = cache.lookup(1), cache.frames[Int(f)].state == .loaded else { seenFileVersion = []; return }
        seenFileVersion = Array(UnsafeRawBufferPointer(start: cache.frames[Int(f)].data + 24, count: 16))
    }

    /// Drops every clean cached page (a pinned one is re-read in place). A read still in flight
    /// (read-ahead a finished statement left behind) is orphaned: its image may be older than the
    /// change that made the pager forget, so it is dropped when it completes.
    func forgetCache() {
        if spillWritesInFlight > 0 { drainIO() }  // a frame being written cannot be dropped
        for f in cache.occupiedFrames() {
            let fr = cache.frames + Int(f)
            if fr.pointee.state == .reading {
                cache.orphanReading(f)
                continue
            }
            guard fr.pointee.state == .loaded, !fr.pointee.dirty else { continue }
            if fr.pointee.pins == 0 {
                cache.discard(f)
            } else if let file {
                let (source, offset) = location(of: fr.pointee.pgno, file)
                fr.pointee.validated = false
                let r = performNow(.read(source, offset: offset, into: fr.pointee.data, length: pageSize, tag: 0))
                let got = max(0, Int(r))
                if got < pageSize { (fr.pointee.data + got).initializeMemory(as: UInt8.self, repeating: 0, count: pageSize - got) }
            }
        }
    }

    /// The lock this connection holds on the file.
    public var lockLevel: LockLevel { dbLock?.level ?? .none }
}
