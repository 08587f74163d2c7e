// Pager+Read: fetching pages into the cache, pinning and releasing them, and
// routing I/O completions. The fast path (a resident, loaded page) is one
// hash lookup and a pin; see Pager.swift, invariant 4, for the slow path.

import Base
import IO

extension Pager {
    /// Pins page `pgno` and returns it, reading it first if needed.
    /// Throws `DBError.ioPending` in `.suspend` mode while the read is in flight.
    @inline(__always)
    public func get(_ pgno: UInt32) throws(DBError) -> PageRef {
        if let f = cache.lookup(pgno) {
            let fr = cache.frames + Int(f)
            if fr.pointee.state == .loaded && !fr.pointee.writing { return pinLoaded(f, pgno) }
            return try getSlow(pgno, existing: f)
        }
        return try getSlow(pgno, existing: nil)
    }

    /// Pins loaded frame `f`, marks it referenced (clock eviction) and stamps its use (LRU spills).
    @inline(__always)
    private func pinLoaded(_ f: FrameIndex, _ pgno: UInt32) -> PageRef {
        let fr = cache.frames + Int(f)
        fr.pointee.pins += 1
        fr.pointee.referenced = true
        cache.useClock &+= 1
        fr.pointee.lastUse = cache.useClock
        return PageRef(frame: f, pgno: pgno, data: fr.pointee.data)
    }

    @inline(never)
    func getSlow(_ pgno: UInt32, existing: FrameIndex?) throws(DBError) -> PageRef {
        if let existing, cache.frames[Int(existing)].state == .loaded {
            // Loaded, with a spill's write in flight (the fast path leaves those here): an unpinned
            // one moves to another frame rather than make a change wait for the write (Pager+Spill.swift).
            if cache.frames[Int(existing)].pins == 0, let moved = relocateSpilledPage(existing, pgno) { return moved }
            return pinLoaded(existing, pgno)
        }
        if pgno == 1 && pageCount == 0 && existing == nil, let fill = emptyPageOneImage {
            // A database with no pages reads as one whose page 1 is empty (sqlite3 answers queries
            // of an empty file as of an empty database); the frame is replaced when page 1 is written.
            let f = cache.claimFrame(for: 1)
            let fr = cache.frames + Int(f)
            fr.pointee.data.initializeMemory(as: UInt8.self, repeating: 0, count: pageSize)
            fill(fr.pointee.data, pageSize)
            fr.pointee.state = .loaded
            fr.pointee.pins = 1
            return PageRef(frame: f, pgno: 1, data: fr.pointee.data)
        }
        guard pgno >= 1, pgno <= pageCount else {
            throw DBError.corrupt("page \(pgno) out of range (database has \(pageCount) pages)")
        }
        // Not in the cache: a read (or a wait for one already in flight) is blocking work.
        if ioMode == .noWait && io != nil && file != nil { throw DBError.wouldBlock }
        var f: FrameIndex
        if let existing {
            f = existing
        } else {
            if wantsSpill { try spillDirtyPages() }
            // Frames whose spill write completed may be evicted again: apply what is ready.
            if spillWritesInFlight > 0 { pollIO() }
            f = cache.claimFrame(for: pgno)
            let fr = cache.frames + Int(f)
            guard let io, let file else {
                // An in-memory database's page that was never written reads as zeros.
                fr.pointee.data.initializeMemory(as: UInt8.self, repeating: 0, count: pageSize)
                fr.pointee.state = .loaded
                return PageRef(frame: f, pgno: pgno, data: fr.pointee.data)
            }
            startRead(pgno, into: f, io, file)
        }
        while true {
            let fr = cache.frames + Int(f)
            switch fr.pointee.state {
            case .loaded:
                return pinLoaded(f, pgno)
            case .failed:
                let e = fr.pointee.readError
                cache.discard(f)
                throw DBError(.ioerrRead, ResultCode.ioerr.defaultMessage, detail: "reading page \(pgno): errno \(e)")
            case .reading:
                if ioMode == .suspend {
                    // Its completion may be in already (read-ahead): apply what is ready before suspending.
                    if pollIO() > 0, cache.frames[Int(f)].state != .reading, cache.frames[Int(f)].pgno == pgno { continue }
                    throw DBError.ioPending
                }
                waitForIO()
            case .free:
                throw DBError(.internal, "page frame lost")
            }
            // The frame may have been discarded and reused while waiting (never while reading, by invariant).
            guard let again = cache.lookup(pgno) else { return try getSlow(pgno, existing: nil) }
            f = again
        }
    }

    // MARK: read-ahead

    /// Whether `readAhead` does anything: the back-end gains from reads submitted early, and the
    /// cache is large enough that a window of `window` pages in flight will not evict pages in use.
    public func readAheadPays(window: Int) -> Bool {
        guard let io, file != nil, io.benefitsFromReadAhead else { return false }
        return cache.capacity >= 8 * window
    }

    /// Submits a read of page `pgno` into a cache frame, unless it is cached or being read already;
    /// nothing waits for it (the frame stays `.reading`, unpinned and unevictable, until its completion
    /// is applied). Call `flushReadAhead` after a batch so they go to the kernel together.
    public func readAhead(_ pgno: UInt32) {
        guard let io, let file, pgno >= 1, pgno <= pageCount, cache.lookup(pgno) == nil else { return }
        let f = cache.claimFrame(for: pgno)
        startRead(pgno, into: f, io, file)
        cache.frames[Int(f)].referenced = false  // evicted first if it is never used
        readAheadCount += 1
    }

    /// Submits the read of page `pgno` into frame `f` (just claimed for it), which stays `.reading`
    /// and unpinned until the completion is applied (`complete`).
    private func startRead(_ pgno: UInt32, into f: FrameIndex, _ io: IOBackend, _ file: FileID) {
        let fr = cache.frames + Int(f)
        fr.pointee.state = .reading
        fr.pointee.pins = 0
        pageReadCount += 1
        let (source, offset) = location(of: pgno, file)
        var read = IORequest.read(source, offset: offset, into: fr.pointee.data, length: pageSize,
                                  tag: PagerTag.pageRead | UInt64(f))
        read.fixedBuffer = ioBuffer(f)
        io.submit(read)
    }

    /// Hands the read-ahead batch to the kernel.
    public func flushReadAhead() { io?.flush() }

    // MARK: registered buffers

    /// The registered-buffer index of frame `f`'s memory: its chunk's (PageCache.framesPerChunk
    /// frames), registered on first use with one call; -1 when the back-end has none for it
    /// (IOBackend.registerBuffer).
    @inline(__always)
    func ioBuffer(_ f: FrameIndex) -> Int32 {
        let c = Int(f) / PageCache.framesPerChunk
        if cache.chunkBuffers[c] == -2 {
            cache.chunkBuffers[c] = io?.registerBuffer(cache.chunks[c], length: cache.chunkBytes) ?? -1
        }
        return cache.chunkBuffers[c]
    }

    /// Unregisters the cache's buffers: its memory is about to be freed or replaced (after drainIO,
    /// so no request still uses one).
    func releaseIOBuffers() {
        guard let io else { return }
        for c in cache.chunkBuffers.indices where cache.chunkBuffers[c] >= 0 {
            io.unregisterBuffer(cache.chunkBuffers[c])
            cache.chunkBuffers[c] = -2
        }
    }

    /// Waits for every request in flight (before cache memory is freed or replaced).
    func drainIO() {
        guard let io else { return }
        // All at once: one wait for every completion (a commit's writes and sync) rather than one each.
        while io.inFlight > 0 { io.wait(minimum: io.inFlight) { c in self.complete(c) } }
    }

    /// Whether `page`'s b-tree header was validated since its image was read or last made writable.
    @inline(__always)
    public func isValidatedNode(_ page: PageRef) -> Bool { cache.frames[Int(page.frame)].validated }

    /// Records that `page`'s b-tree header passed validation (see PageFrame.validated).
    @inline(__always)
    public func markValidatedNode(_ page: PageRef) { cache.frames[Int(page.frame)].validated = true }

    /// Unpins a page obtained from `get`, `allocatePage` or `newPage`.
    @inline(__always)
    public func release(_ page: PageRef) {
        let fr = cache.frames + Int(page.frame)
        assert(fr.pointee.pins > 0, "release of an unpinned page")
        fr.pointee.pins -= 1
    }

    /// Pins an already pinned page once more (a cursor copying a reference).
    @inline(__always)
    public func retain(_ page: PageRef) {
        cache.frames[Int(page.frame)].pins += 1
    }

    /// Waits for at least one completion and applies every completion that is ready.
    public func waitForIO() {
        guard let io else { return }
        io.wait(minimum: 1) { c in self.complete(c) }
    }

    /// Applies the completions that are ready, without waiting; returns how many.
    @discardableResult
    public func pollIO() -> Int {
        io?.reap { c in self.complete(c) } ?? 0
    }

    /// True while reads or writes of this pager are in flight.
    public var hasIOInFlight: Bool { (io?.inFlight ?? 0) > 0 }

    func complete(_ c: IOCompletion) {
        switch c.tag & PagerTag.kindMask {
        case PagerTag.pageRead:
            let f = Int(c.tag & ~PagerTag.kindMask)
            guard f < cache.frameCount, cache.frames[f].state == .reading else { return }
            if cache.frames[f].pgno == 0 {
                cache.discard(FrameIndex(f))  // orphaned by forgetCache while in flight
                return
            }
            if c.result < 0 {
                cache.frames[f].state = .failed
                cache.frames[f].readError = -c.result
            } else {
                // A short read (end of file) leaves zeros, as SQLite treats SQLITE_IOERR_SHORT_READ.
                if Int(c.result) < pageSize {
                    (cache.frames[f].data + Int(c.result)).initializeMemory(as: UInt8.self, repeating: 0,
                                                                            count: pageSize - Int(c.result))
                }
                cache.frames[f].state = .loaded
            }
        case PagerTag.spillWrite:
            spillWriteCompleted(c)
        default:
            writeCompleted(c)
        }
    }

    /// True when page `pgno` is in the cache and loaded.
    func isResident(_ pgno: UInt32) -> Bool {
        if let f = cache.lookup(pgno) { return cache.frames[Int(f)].state == .loaded }
        return false
    }

    /// Starts reading `pgno` into the cache without waiting (read-ahead). No effect if resident or out of range.
    public func prefetch(_ pgno: UInt32) {
        guard let io, let file, pgno >= 1, pgno <= pageCount, cache.lookup(pgno) == nil else { return }
        let f = cache.claimFrame(for: pgno)
        cache.frames[Int(f)].state = .reading
        cache.frames[Int(f)].pins = 0
        let (source, offset) = location(of: pgno, file)
        io.submit(.read(source, offset: offset, into: cache.frames[Int(f)].data, length: pageSize,
                        tag: PagerTag.pageRead | UInt64(f)))
    }

    /// Where page `pgno` is read from: its newest frame in the snapshot's log, else the database file.
    @inline(__always)
    func location(of pgno: UInt32, _ file: FileID) -> (FileID, Int64) {
        if wal != nil, let wf = walFile, let frame = walFrame(of: pgno) {
            return (wf, WALFormat.frameOffset(frame, pageSize: pageSize) + Int64(WALFormat.frameHeaderSize))
        }
        return (file, fileOffset(pgno))
    }
}
