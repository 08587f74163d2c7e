// Pager+Write: write transactions — making pages writable, growing and
// shrinking the database, savepoints, commit and rollback.
//
// Commit (https://sqlite.org/atomiccommit.html §3): EXCLUSIVE on the file;
// the journal sealed (Pager+Journal.swift); page 1's change counter, in-header
// size and version-valid-for number updated, as sqlite3 does, so other
// readers see the change (fileformat2.html 1.3.5, 1.3.7); every dirty page
// written in page-number order as one batch, the file truncated when it
// shrank, synced unless synchronous=OFF; then the journal ended, which is the
// commit point. A commit that fails after the file was touched plays the
// journal back at once, so the file is again the last committed state.
// The file is written at commit, or earlier by a cache spill (Pager+Spill.swift). An in-memory
// database has no file to fall back on, so its write transaction keeps the
// prior image of each page it changes.

import Base
import IO

/// PRAGMA synchronous levels.
public enum SynchronousMode: Int, Sendable, Comparable {
    case off = 0, normal = 1, full = 2, extra = 3
    public static func < (a: SynchronousMode, b: SynchronousMode) -> Bool { a.rawValue < b.rawValue }
}

extension Pager {
    /// Makes a pinned page writable: records its prior image where savepoints need it and marks it dirty.
    @inline(__always)
    public func makeWritable(_ page: PageRef) throws(DBError) {
        let fr = cache.frames + Int(page.frame)
        fr.pointee.validated = false  // the caller is about to change it
        if fr.pointee.dirty && savepoints.isEmpty { return }
        try makeWritableSlow(page)
    }

    @inline(never)
    func makeWritableSlow(_ page: PageRef) throws(DBError) {
        guard state == .writer else { throw DBError(.internal, "page write outside a write transaction") }
        let fr = cache.frames + Int(page.frame)
        // Its image is being written by a spill: the kernel may still be copying it.
        if fr.pointee.writing { try settleSpillWrites() }
        if !fr.pointee.dirty && needsJournal(page.pgno) {
            try journalPage(page.pgno, page.data)
            fr.pointee.needsSync = true
        }
        if isMemory && !fr.pointee.dirty && page.pgno <= originalPageCount {
            // No file holds the committed image of an in-memory page: keep it for rollback.
            memoryPriorImages.append((page.pgno, Array(UnsafeRawBufferPointer(start: page.data, count: pageSize))))
        }
        if let top = savepoints.indices.last, page.pgno <= savepoints[top].pageCount,
           !savepoints[top].recorded.contains(page.pgno) {
            savepoints[top].recorded.insert(page.pgno)
            subjournal.append((page.pgno, Array(UnsafeRawBufferPointer(start: page.data, count: pageSize))))
        }
        if !fr.pointee.dirty {
            fr.pointee.dirty = true
            dirtyFrames.append(page.frame)
        }
    }

    /// A page whose old contents do not matter (a new page or a reused free page): pinned, zeroed, writable.
    /// `noRollbackImage`: the page's committed image needs no keeping either (a freelist leaf that was
    /// free when the transaction began: a rollback leaves it free, whatever it holds), so it is neither
    /// read nor journaled nor kept for a savepoint, as pager.c's PAGER_GET_NOCONTENT marks the page
    /// journaled without writing it (btree.c's allocateBtreePage, "optimization 2").
    public func getForOverwrite(_ pgno: UInt32, noRollbackImage: Bool = false) throws(DBError) -> PageRef {
        guard state == .writer else { throw DBError(.internal, "page write outside a write transaction") }
        guard pgno >= 1 && pgno <= pageCount else { throw DBError.corrupt("page \(pgno) out of range") }
        if noRollbackImage && !isMemory && pgno <= originalPageCount {
            if journalMode.usesJournalFile { journal.journaled.insert(pgno) }
            for i in savepoints.indices where pgno <= savepoints[i].pageCount { savepoints[i].recorded.insert(pgno) }
        }
        let page: PageRef
        if let f = cache.lookup(pgno), cache.frames[Int(f)].state == .loaded {
            cache.frames[Int(f)].pins += 1
            page = PageRef(frame: f, pgno: pgno, data: cache.frames[Int(f)].data)
        } else if cache.lookup(pgno) != nil || (!isMemory && (needsPriorImage(pgno) || needsJournal(pgno))) {
            // In flight, or the journal or a savepoint needs its old image: read it first. (A savepoint
            // may need the image of a page this transaction appended, which a spill wrote and evicted.)
            page = try getBlocking(pgno)
        } else {
            if wantsSpill { try spillDirtyPages() }
            if spillWritesInFlight > 0 { pollIO() }
            let f = cache.claimFrame(for: pgno)
            cache.frames[Int(f)].data.initializeMemory(as: UInt8.self, repeating: 0, count: pageSize)
            cache.frames[Int(f)].state = .loaded
            page = PageRef(frame: f, pgno: pgno, data: cache.frames[Int(f)].data)
        }
        try makeWritable(page)
        page.data.initializeMemory(as: UInt8.self, repeating: 0, count: pageSize)
        return page
    }

    /// True when an open savepoint would need the current image of `pgno` before it changes.
    func needsPriorImage(_ pgno: UInt32) -> Bool {
        guard let top = savepoints.last else { return false }
        return pgno <= top.pageCount && !top.recorded.contains(pgno)
    }

    /// `get` that waits for I/O even in `.suspend` mode (write paths; see docs/ARCHITECTURE.md).
    public func getBlocking(_ pgno: UInt32) throws(DBError) -> PageRef {
        let mode = ioMode
        ioMode = .blocking
        defer { ioMode = mode }
        return try get(pgno)
    }

    /// Appends a page to the database (skipping the lock-byte page) and returns it pinned, zeroed and writable.
    public func allocatePage() throws(DBError) -> PageRef {
        guard state == .writer else { throw DBError(.internal, "page allocation outside a write transaction") }
        guard pageCount < 0xFFFF_FFFE else { throw DBError(.full) }
        pageCount += 1
        if pageCount == pendingBytePage { pageCount += 1 }
        return try getForOverwrite(pageCount)
    }

    /// Shrinks the database to `count` pages (auto-vacuum, VACUUM); pages past it are forgotten.
    public func truncate(toPageCount count: UInt32) {
        guard count < pageCount else { return }
        if spillWritesInFlight > 0 { drainIO() }  // frames are about to be dropped
        for f in cache.occupiedFrames() where cache.frames[Int(f)].pgno > count {
            let fr = cache.frames + Int(f)
            // The page is about to be forgotten: keep the image an open savepoint (or, for an in-memory
            // database, the transaction) may have to restore.
            if fr.pointee.state == .loaded {
                recordPriorImage(fr.pointee.pgno, fr.pointee.data, dirty: fr.pointee.dirty)
            }
            fr.pointee.dirty = false
            if fr.pointee.pins == 0 { cache.discard(f) }
        }
        dirtyFrames.removeAll { cache.frames[Int($0)].pgno == 0 || cache.frames[Int($0)].pgno > count }
        pageCount = count
    }

    /// Records the current image of `pgno` where a savepoint or an in-memory rollback needs it.
    private func recordPriorImage(_ pgno: UInt32, _ data: UnsafeMutableRawPointer, dirty: Bool) {
        if isMemory && !dirty && pgno <= originalPageCount {
            memoryPriorImages.append((pgno, Array(UnsafeRawBufferPointer(start: data, count: pageSize))))
        }
        if let top = savepoints.indices.last, pgno <= savepoints[top].pageCount,
           !savepoints[top].recorded.contains(pgno) {
            savepoints[top].recorded.insert(pgno)
            subjournal.append((pgno, Array(UnsafeRawBufferPointer(start: data, count: pageSize))))
        }
    }

    /// The frame of `pgno`, claimed (loaded, contents undefined) if the page is not cached.
    private func frameForRestore(_ pgno: UInt32) -> FrameIndex {
        if let f = cache.lookup(pgno) { return f }
        let f = cache.claimFrame(for: pgno)
        cache.frames[Int(f)].pins = 0
        cache.frames[Int(f)].state = .loaded
        return f
    }

    // MARK: savepoints

    /// Opens a savepoint; returns its depth (0 is the outermost).
    @discardableResult
    public func openSavepoint() -> Int {
        savepoints.append(PagerSavepoint(pageCount: pageCount, subjournalStart: subjournal.count))
        return savepoints.count - 1
    }

    public var savepointCount: Int { savepoints.count }

    /// Forgets savepoint `depth` and every savepoint inside it, keeping their changes.
    public func releaseSavepoint(_ depth: Int) {
        guard depth < savepoints.count else { return }
        if depth == 0 {
            savepoints.removeAll()
            subjournal.removeAll()
            return
        }
        if depth > 0 {
            var merged = savepoints[depth - 1].recorded
            for sp in savepoints[depth...] {
                for p in sp.recorded where p <= savepoints[depth - 1].pageCount { merged.insert(p) }
            }
            savepoints[depth - 1].recorded = merged
        }
        savepoints.removeSubrange(depth...)
    }

    /// Restores every page to its state when savepoint `depth` opened; the savepoint stays open.
    public func rollbackToSavepoint(_ depth: Int) throws(DBError) {
        guard depth < savepoints.count else { return }
        if spillWritesInFlight > 0 { drainIO() }  // frames are about to be rewritten or dropped
        let sp = savepoints[depth]
        var restored = Set<UInt32>()
        for i in sp.subjournalStart..<subjournal.count {
            let (pgno, image) = subjournal[i]
            guard pgno <= sp.pageCount, restored.insert(pgno).inserted else { continue }
            // A page truncated away since (auto-vacuum) is no longer cached: it comes back.
            let f = frameForRestore(pgno)
            image.withUnsafeBytes { cache.frames[Int(f)].data.copyMemory(from: $0.baseAddress!, byteCount: pageSize) }
            cache.frames[Int(f)].validated = false
            if !cache.frames[Int(f)].dirty {
                cache.frames[Int(f)].dirty = true
                dirtyFrames.append(f)
            }
        }
        if pageCount > sp.pageCount {
            for f in cache.occupiedFrames() where cache.frames[Int(f)].pgno > sp.pageCount {
                cache.frames[Int(f)].dirty = false
                if cache.frames[Int(f)].pins == 0 { cache.discard(f) }
            }
            dirtyFrames.removeAll { cache.frames[Int($0)].pgno == 0 || cache.frames[Int($0)].pgno > sp.pageCount }
        }
        pageCount = sp.pageCount
        subjournal.removeSubrange(sp.subjournalStart...)
        savepoints[depth].recorded = []
        savepoints.removeSubrange((depth + 1)...)
    }

    // MARK: commit and rollback

    /// Makes the transaction's changes durable (per `synchronous`) and returns to the reader state.
    /// SQLITE_BUSY (readers keep EXCLUSIVE away) leaves the transaction open; any other failure
    /// rolls it back (see the file header).
    public func commit() throws(DBError) {
        guard state == .writer else { return }
        let changed = !dirtyFrames.isEmpty || originalPageCount != pageCount
        if wal != nil {
            do {
                try commitToWAL()
            } catch {
                rollback()
                throw error
            }
        } else if let io, let file, changed {
            if spillWritesInFlight > 0 || spillWriteError != nil {
                // A spill write that failed dooms the transaction (see Pager+Spill.swift).
                do { try settleSpillWrites() } catch {
                    rollback()
                    throw error
                }
            }
            if let lock = dbLock { try acquire(lock, .exclusive, mayWait: true) }
            do {
                if pageCount > 0 { try stampHeader() }
                try sealJournal()
            } catch {
                rollback()
                throw error
            }
            do {
                try writeDirtyPages(io, file)
                try finalizeJournal()
            } catch {
                recoverFromFailedCommit(io, file)
                throw error
            }
        } else if changed, pageCount > 0 {
            try stampHeader(changeCounter: !isMemory)
        } else if journal.isOpen {
            try? finalizeJournal()
        }
        for f in dirtyFrames { cache.frames[Int(f)].dirty = false }
        dirtyFrames.removeAll(keepingCapacity: true)
        savepoints.removeAll()
        subjournal.removeAll()
        memoryPriorImages.removeAll()
        spillFloor = 0
        spilledToFile = false
        originalPageCount = pageCount
        state = .reader
        commitsAndPageSizeChanges += 1
        if wal != nil {
            endWALWrite()
            cache.shrinkToCapacity()
            autoCheckpointIfDue()
        } else if !isMemory {
            noteOwnFileVersion()
            try? dbLock?.unlock(to: .shared)
            cache.shrinkToCapacity()
        }
    }

    /// The file may hold part of the transaction: put back the journaled images, forget the cache.
    private func recoverFromFailedCommit(_ io: IOBackend, _ file: FileID) {
        if let jf = journal.file {
            io.close(jf)
            journal.file = nil
        }
        journal.journaled.removeAll(keepingCapacity: true)
        for f in dirtyFrames where cache.frames[Int(f)].pgno != 0 { cache.frames[Int(f)].dirty = false }
        dirtyFrames.removeAll(keepingCapacity: true)
        savepoints.removeAll()
        subjournal.removeAll()
        pageCount = originalPageCount
        spillFloor = 0
        spilledToFile = false
        if journalMode.usesJournalFile, io.fileExists(journalPath) {
            // If this fails too the journal stays hot and the next transaction rolls back from it.
            try? playBackJournal(io, file)
        }
        forgetCache()
        seenFileVersion = []
        state = .reader
        try? dbLock?.unlock(to: .shared)
    }

    /// Bumps the change counter and records the size in page 1, as every sqlite3 commit does. An
    /// in-memory database keeps only the size up to date: sqlite3's pager writes the change counter,
    /// version-valid-for and software version fields only to files (pager_incr_changecounter), so
    /// .dbinfo shows 0 for them.
    func stampHeader(changeCounter: Bool = true) throws(DBError) {
        let p1 = try getBlocking(1)
        defer { release(p1) }
        try makeWritable(p1)
        put32(p1.data, HeaderOffset.databaseSize, pageCount)
        guard changeCounter else { return }
        let counter = get32(p1.data, HeaderOffset.changeCounter) &+ 1
        put32(p1.data, HeaderOffset.changeCounter, counter)
        put32(p1.data, HeaderOffset.versionValidFor, counter)
        put32(p1.data, HeaderOffset.sqliteVersion, DatabaseHeader.writerVersionNumber)
    }

    func writeDirtyPages(_ io: IOBackend, _ file: FileID) throws(DBError) {
        submitPageWrites(dirtyFrames, io, file)
        let fileSize = (try? io.size(of: file)) ?? 0
        if fileSize > Int64(pageCount) * Int64(pageSize) {
            io.submit(.truncate(file, toSize: Int64(pageCount) * Int64(pageSize), tag: PagerTag.truncate))
        }
        if synchronous != .off {
            io.submit(.sync(file, dataOnly: true, tag: PagerTag.sync))
        }
        drainIO()
        if let e = pendingWriteError {
            pendingWriteError = nil
            throw e
        }
    }

    /// Submits a write of each frame's page to its place in the file, in page order (errors land in
    /// `pendingWriteError` as the completions are applied).
    func submitPageWrites(_ frames: [FrameIndex], _ io: IOBackend, _ file: FileID, tag: UInt64 = PagerTag.pageWrite) {
        let sorted = frames.sorted { cache.frames[Int($0)].pgno < cache.frames[Int($1)].pgno }
        pendingWriteError = nil
        for f in sorted {
            let fr = cache.frames[Int(f)]
            var write = IORequest.write(file, offset: fileOffset(fr.pgno), from: fr.data, length: pageSize,
                                        tag: tag | UInt64(f))
            write.fixedBuffer = ioBuffer(f)
            io.submit(write)
        }
    }

    func writeCompleted(_ c: IOCompletion) {
        guard c.result < 0 else { return }
        if pendingWriteError == nil { pendingWriteError = writeError(c) }
    }

    /// The error a failed write, sync or truncate reports (SQLITE_FULL for ENOSPC).
    func writeError(_ c: IOCompletion) -> DBError {
        let code: ResultCode
        switch c.tag & PagerTag.kindMask {
        case PagerTag.sync: code = .ioerrFsync
        case PagerTag.truncate: code = .ioerrTruncate
        default: code = .ioerrWrite
        }
        return c.errno == 28 ? DBError(.full) : DBError(code, ResultCode.ioerr.defaultMessage, detail: "errno \(c.errno)")
    }

    /// Abandons the write transaction: every page returns to its last committed image.
    public func rollback() {
        guard state == .writer else { return }
        // The journal is played back into the file only after the spill writes have landed.
        if spillWritesInFlight > 0 { drainIO() }
        spillWriteError = nil
        if isMemory {
            for (pgno, image) in memoryPriorImages {
                let f = frameForRestore(pgno)
                image.withUnsafeBytes { cache.frames[Int(f)].data.copyMemory(from: $0.baseAddress!, byteCount: pageSize) }
                cache.frames[Int(f)].validated = false
            }
            memoryPriorImages.removeAll()
            for f in dirtyFrames where cache.frames[Int(f)].pgno != 0 {
                cache.frames[Int(f)].dirty = false
                if cache.frames[Int(f)].pgno > originalPageCount && cache.frames[Int(f)].pins == 0 { cache.discard(f) }
            }
        } else {
            for f in dirtyFrames where cache.frames[Int(f)].pgno != 0 {
                cache.frames[Int(f)].dirty = false
                if cache.frames[Int(f)].pins == 0 {
                    cache.discard(f)
                } else if !spilledToFile {
                    // Still pinned by a cursor: reload its committed image now (after a spill, the
                    // file is played back first and rollBackSpilledFile reloads every pinned page).
                    reloadCommittedImage(f)
                }
            }
        }
        dirtyFrames.removeAll(keepingCapacity: true)
        savepoints.removeAll()
        subjournal.removeAll()
        pageCount = originalPageCount
        state = .reader
        spillFloor = 0
        if spilledToFile {
            spilledToFile = false
            rollBackSpilledFile()
            try? dbLock?.unlock(to: .shared)
            return
        }
        if wal != nil {
            // Nothing reached the log's committed part: the write lock is all there is to give back.
            endWALWrite()
            return
        }
        // Nothing spilled, so the file was not written (invariant 2 of Pager.swift): the journal only needs ending.
        try? finalizeJournal()
        try? dbLock?.unlock(to: .shared)
    }

    private func reloadCommittedImage(_ f: FrameIndex) {
        guard let file else { return }
        cache.frames[Int(f)].validated = false
        let pgno = cache.frames[Int(f)].pgno
        if pgno > originalPageCount {
            cache.frames[Int(f)].data.initializeMemory(as: UInt8.self, repeating: 0, count: pageSize)
            return
        }
        let (source, offset) = location(of: pgno, file)
        let r = performNow(.read(source, offset: offset, into: cache.frames[Int(f)].data, length: pageSize, tag: 0))
        if r < pageSize && r >= 0 {
            (cache.frames[Int(f)].data + Int(r)).initializeMemory(as: UInt8.self, repeating: 0, count: pageSize - Int(r))
        }
    }
}
