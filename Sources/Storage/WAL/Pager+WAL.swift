// Pager+WAL: the pager in WAL mode (https://sqlite.org/wal.html): reads from
// a snapshot of the log, commits that append frames, checkpoints, recovery
// of a log left by a crash (swiftdb's or sqlite3's) and the switch between
// rollback and WAL modes. The log's shared state and its invariants are in
// WALIndex.swift; the file layout in WALFormat.swift.
//
// Commit writes every dirty page as a frame, in page order, the last one a
// commit frame carrying the database size, all in one batch, then syncs the
// log under synchronous=FULL/EXTRA (NORMAL syncs only at checkpoints), and
// only then publishes the frames in the index: a crash before that leaves
// frames recovery ignores (their checksums chain from the last commit, or
// their salts are old). Page 1's change counter is bumped only when page 1
// changes anyway, as pager.c's pagerWalFrames does. A checkpoint syncs the
// log, copies the newest safe frame of each page into the database file,
// truncates the file to the committed size when it copied everything, and
// syncs the file.

import Base
import IO

/// PRAGMA wal_checkpoint modes.
public enum CheckpointMode: String, Sendable {
    case passive, full, restart, truncate
}

extension Pager {
    public var isWAL: Bool { wal != nil }
    var connectionID: ObjectIdentifier { ObjectIdentifier(self) }

    // MARK: entering and leaving WAL mode

    /// Joins the process's log (recovering it from the -wal file if this is the first connection).
    /// Called with no rollback-mode lock held.
    func attachWAL() throws(DBError) {
        guard wal == nil, let io, let dbLock else { return }
        // Attaching may recover the log (reading all of it) and wait for locks.
        if ioMode == .noWait { throw DBError.wouldBlock }
        var attempts = 0
        while true {
            let recovered = try dbLock.attachWAL { () throws(DBError) -> WALIndex in try recoverWAL(io) }
            if let recovered {
                wal = recovered
                break
            }
            guard let handler = busyHandler, handler(attempts) else { throw DBError(.busy, "database is locked") }
            attempts += 1
        }
        if walFile == nil { walFile = try io.open(walPath, options: [.create]) }
        journalMode = .wal
        walSeenVersion = .max
    }

    /// Leaves the log; the process's last connection checkpoints it and removes the -wal file.
    func detachWAL() {
        guard wal != nil, let dbLock else { return }
        dbLock.detachWAL { w in
            if let io, let file, let wf = walFile {
                // Nothing else uses the log: copy it all back and remove it (as sqlite3 does on close).
                if (try? checkpointFrames(io, file, wf, w, upTo: w.maxFrame)) != nil, w.backfilled == w.maxFrame {
                    io.close(wf)
                    walFile = nil
                    try? io.delete(walPath)
                }
            }
        }
        if let io, let wf = walFile { io.close(wf) }
        walFile = nil
        wal = nil
    }

    /// Reads the -wal file into a fresh index: every frame up to the last valid commit frame.
    func recoverWAL(_ io: IOBackend) throws(DBError) -> WALIndex {
        let index = WALIndex(pageSize: pageSize)
        guard io.fileExists(walPath) else {
            index.nameNeedsSync = true  // attachWAL creates it
            return index
        }
        let wf = try io.open(walPath, options: [])
        defer { io.close(wf) }
        let size = try io.size(of: wf)
        guard size >= Int64(WALFormat.headerSize) else { return index }
        var headerBytes = [UInt8](repeating: 0, count: WALFormat.headerSize)
        let r = headerBytes.withUnsafeMutableBytes { b in performNow(.read(wf, offset: 0, into: b.baseAddress!, length: b.count, tag: 0)) }
        guard r == Int32(WALFormat.headerSize),
              let header = headerBytes.withUnsafeBytes({ WALHeader(decoding: $0.baseAddress!) }) else { return index }
        index.header = header
        index.pageSize = header.pageSize
        index.lastChecksum = header.checksum
        let frameSize = WALFormat.frameHeaderSize + header.pageSize
        // Frames are read a chunk (about 1 MiB) at a time.
        let perChunk = max(1, (1 << 20) / frameSize)
        var chunk = [UInt8](repeating: 0, count: perChunk * frameSize)
        var chunkFirst: UInt32 = 0, chunkCount = 0
        var checksum = header.checksum
        var pending: [UInt32] = []
        var n: UInt32 = 1
        scan: while WALFormat.frameOffset(n, pageSize: header.pageSize) + Int64(frameSize) <= size {
            if chunkCount == 0 || n >= chunkFirst + UInt32(chunkCount) {
                let available = Int((size - WALFormat.frameOffset(n, pageSize: header.pageSize)) / Int64(frameSize))
                let want = min(perChunk, available)
                let rr = chunk.withUnsafeMutableBytes { b in
                    performNow(.read(wf, offset: WALFormat.frameOffset(n, pageSize: header.pageSize), into: b.baseAddress!,
                                     length: want * frameSize, tag: 0))
                }
                guard rr == Int32(want * frameSize) else { break }
                chunkFirst = n
                chunkCount = want
            }
            let at = Int(n - chunkFirst) * frameSize
            let valid = chunk.withUnsafeBytes { b -> (UInt32, UInt32, (UInt32, UInt32))? in
                let p = b.baseAddress! + at
                let pgno = get32(p, 0), commit = get32(p, 4)
                guard pgno != 0, get32(p, 8) == header.salt1, get32(p, 12) == header.salt2 else { return nil }
                var c = WALFormat.checksum(p, 8, bigEndianWords: header.bigEndianChecksums, checksum)
                c = WALFormat.checksum(p + WALFormat.frameHeaderSize, header.pageSize,
                                       bigEndianWords: header.bigEndianChecksums, c)
                guard c.0 == get32(p, 16), c.1 == get32(p, 20) else { return nil }
                return (pgno, commit, c)
            }
            guard let (pgno, commit, c) = valid else { break scan }
            checksum = c
            pending.append(pgno)
            if commit != 0 {
                index.append(pages: pending, commitSize: commit, checksum: c)
                pending.removeAll()
            }
            n += 1
        }
        return index
    }

    // MARK: read transactions

    /// Starts a read transaction on the log's newest snapshot (invariant 2 of WALIndex.swift).
    func beginWALRead() throws(DBError) {
        guard let dbLock else { return }
        let me = connectionID
        let (snapshot, version, count) = try dbLock.withWAL { w throws(DBError) -> (UInt32, UInt64, UInt32?) in
            guard let w else { throw DBError(.internal, "WAL index missing") }
            let s = w.backfilled == w.maxFrame ? 0 : w.maxFrame
            w.readers[me] = s
            return (s, w.version, s > 0 ? w.pageCount(at: s) : nil)
        }
        walSnapshot = snapshot
        if version != walSeenVersion {
            forgetCache()
            if let count {
                pageCount = count
            } else {
                seenFileVersion = []
                try refreshFromFile(rollBack: false, initial: true)
            }
            // Only now: a refresh refused in `.noWait` mode (DBError.wouldBlock) runs again.
            walSeenVersion = version
            externalChangeCount += 1
        }
    }

    func endWALRead() {
        let me = connectionID
        _ = try? dbLock?.withWAL { w in w?.readers[me] = nil }
    }

    /// The log frame holding page `pgno` in this connection's snapshot, if any.
    func walFrame(of pgno: UInt32) -> UInt32? {
        guard walSnapshot > 0, let dbLock else { return nil }
        let s = walSnapshot
        return (try? dbLock.withWAL { w in w?.frame(of: pgno, snapshot: s) }) ?? nil
    }

    // MARK: write transactions

    /// Takes the log's write lock; the snapshot must be the newest (else SQLITE_BUSY_SNAPSHOT).
    func beginWALWrite(mayWait: Bool) throws(DBError) {
        guard let dbLock else { return }
        let me = connectionID
        let seen = walSeenVersion
        var attempts = 0
        while true {
            let outcome = try dbLock.withWAL { w throws(DBError) -> Int in
                guard let w else { throw DBError(.internal, "WAL index missing") }
                if let holder = w.writer, holder != me { return 1 }
                if w.version != seen { return 2 }
                w.writer = me
                return 0
            }
            if outcome == 0 { return }
            if outcome == 2 { throw DBError(.busySnapshot, "database is locked") }
            guard mayWait, let handler = busyHandler, handler(attempts) else { throw DBError(.busy, "database is locked") }
            attempts += 1
        }
    }

    func endWALWrite() {
        let me = connectionID
        _ = try? dbLock?.withWAL { w in if w?.writer == me { w?.writer = nil } }
    }

    /// Appends the transaction's pages to the log and publishes them (see the file header).
    func commitToWAL() throws(DBError) {
        guard let io, let dbLock, let wf = walFile else { return }
        let me = connectionID
        if dirtyFrames.isEmpty && pageCount == originalPageCount { return }
        // Page 1 carries the database size: it changes whenever the size does (btree.c keeps it so).
        if pageCount != originalPageCount || cache.lookup(1).map({ cache.frames[Int($0)].dirty }) == true {
            try stampHeader()
        }
        var pages = dirtyFrames.filter { cache.frames[Int($0)].pgno <= pageCount }
        pages.sort { cache.frames[Int($0)].pgno < cache.frames[Int($1)].pgno }

        // Where the frames go: after the last commit, or from the start of a restarted log.
        let plan = try dbLock.withWAL { w throws(DBError) -> (WALHeader, Bool, UInt32, (UInt32, UInt32)) in
            guard let w else { throw DBError(.internal, "WAL index missing") }
            let others = w.readers.filter { $0.key != me }
            let restart = w.header == nil || w.header!.pageSize != pageSize || w.maxFrame == 0
                || (w.mayRestart && others.values.allSatisfy { $0 == 0 })
            if restart {
                let old = w.header
                let seq = old.map { $0.checkpointSequence &+ 1 } ?? 0
                let salt1 = old.map { $0.salt1 &+ 1 } ?? UInt32(truncatingIfNeeded: random.nextUInt64())
                let header = WALHeader(pageSize: pageSize, checkpointSequence: seq, salt1: salt1,
                                       salt2: UInt32(truncatingIfNeeded: random.nextUInt64()))
                return (header, true, 1, header.checksum)
            }
            return (w.header!, false, w.maxFrame + 1, w.lastChecksum)
        }
        let (header, restart, firstFrame, startChecksum) = plan
        let frameSize = WALFormat.frameHeaderSize + pageSize
        let perBuffer = max(1, (1 << 20) / frameSize)
        var buffers: [UnsafeMutableRawPointer] = []
        defer { for b in buffers { b.deallocate() } }
        pendingWriteError = nil
        if restart {
            let h = UnsafeMutableRawPointer.allocate(byteCount: WALFormat.headerSize, alignment: 16)
            buffers.append(h)
            header.encode(into: h)
            io.submit(.write(wf, offset: 0, from: h, length: WALFormat.headerSize, tag: PagerTag.pageWrite))
        }
        var checksum = startChecksum
        var i = 0
        var pgnos: [UInt32] = []
        pgnos.reserveCapacity(pages.count)
        while i < pages.count {
            let n = min(perBuffer, pages.count - i)
            let buf = UnsafeMutableRawPointer.allocate(byteCount: n * frameSize, alignment: 16)
            buffers.append(buf)
            for k in 0..<n {
                let fr = cache.frames[Int(pages[i + k])]
                let p = buf + k * frameSize
                let isLast = i + k == pages.count - 1
                put32(p, 0, fr.pgno)
                put32(p, 4, isLast ? pageCount : 0)
                put32(p, 8, header.salt1)
                put32(p, 12, header.salt2)
                (p + WALFormat.frameHeaderSize).copyMemory(from: fr.data, byteCount: pageSize)
                checksum = WALFormat.checksum(p, 8, bigEndianWords: header.bigEndianChecksums, checksum)
                checksum = WALFormat.checksum(p + WALFormat.frameHeaderSize, pageSize,
                                              bigEndianWords: header.bigEndianChecksums, checksum)
                put32(p, 16, checksum.0)
                put32(p, 20, checksum.1)
                pgnos.append(fr.pgno)
            }
            let offset = WALFormat.frameOffset(firstFrame + UInt32(i), pageSize: pageSize)
            io.submit(.write(wf, offset: offset, from: buf, length: n * frameSize, tag: PagerTag.pageWrite))
            i += n
        }
        if synchronous >= .full || (restart && synchronous != .off) {
            io.submit(.sync(wf, dataOnly: true, tag: PagerTag.sync))
        }
        drainIO()
        if let e = pendingWriteError {
            pendingWriteError = nil
            throw e
        }
        if synchronous >= .full || (restart && synchronous != .off) { try syncWALNameIfNew(io) }
        let size = pageCount
        let final = checksum
        let version = try dbLock.withWAL { w throws(DBError) -> UInt64 in
            guard let w else { throw DBError(.internal, "WAL index missing") }
            if restart {
                w.header = header
                w.pageSize = pageSize
                w.reset()
            }
            w.append(pages: pgnos, commitSize: size, checksum: final)
            w.readers[me] = w.maxFrame
            return w.version
        }
        walSeenVersion = version
        walSnapshot = firstFrame + UInt32(pgnos.count) - 1
        if restart && journalSizeLimit >= 0 {
            // A restarted log keeps at most journal_size_limit bytes of old frames (wal.c, walLimitSize).
            let end = WALFormat.frameOffset(walSnapshot + 1, pageSize: pageSize)
            if let size = try? io.size(of: wf), size > max(end, journalSizeLimit) {
                _ = performNow(.truncate(wf, toSize: max(end, journalSizeLimit), tag: 0))
            }
        }
    }

    // MARK: checkpoints

    /// PRAGMA wal_checkpoint: returns (busy, frames in the log, frames checkpointed), or
    /// (0, -1, -1) outside WAL mode, as sqlite3 prints them.
    public func checkpoint(_ mode: CheckpointMode) throws(DBError) -> (Int, Int, Int) {
        guard let io, let file, let wf = walFile, let dbLock else { return (0, -1, -1) }
        let me = connectionID
        let writerBusy = try dbLock.withWAL { w in w.map { $0.writer != nil && $0.writer != me } ?? false }
        if writerBusy && mode != .passive {
            let counts = try dbLock.withWAL { w in (Int(w?.maxFrame ?? 0), Int(w?.backfilled ?? 0)) }
            return (1, counts.0, counts.1)
        }
        let w = try dbLock.withWAL { w throws(DBError) -> WALIndex in
            guard let w else { throw DBError(.internal, "WAL index missing") }
            return w
        }
        let target = try dbLock.withWAL { _ in w.safeCheckpointFrame() }
        try checkpointFrames(io, file, wf, w, upTo: target)
        return try dbLock.withWAL { _ throws(DBError) -> (Int, Int, Int) in
            let everything = w.backfilled == w.maxFrame
            let readersInLog = w.readers.contains { $0.key != me && $0.value > 0 }
            var busy = mode != .passive && !everything ? 1 : 0
            if mode == .restart || mode == .truncate {
                if readersInLog || !everything {
                    busy = 1
                } else if mode == .truncate && w.writer == nil {
                    // Empty the log now; the next commit writes a new header.
                    _ = performNow(.truncate(wf, toSize: 0, tag: 0))
                    if synchronous != .off { _ = performNow(.sync(wf, dataOnly: true, tag: 0)) }
                    w.reset()
                    return (0, 0, 0)
                }
            }
            return (busy, Int(w.maxFrame), Int(w.backfilled))
        }
    }

    /// Copies frames backfilled+1 … `target` into the database file (the newest of each page).
    func checkpointFrames(_ io: IOBackend, _ file: FileID, _ wf: FileID, _ w: WALIndex, upTo target: UInt32) throws(DBError) {
        guard let dbLock else { return }
        let (from, unsorted, committedSize, maxFrame) = try dbLock.withWAL { _ -> (UInt32, [(UInt32, UInt32)], UInt32, UInt32) in
            var list: [(UInt32, UInt32)] = []
            for pgno in w.framesOfPage.keys {
                if let f = w.frame(of: pgno, snapshot: target), f > w.backfilled { list.append((pgno, f)) }
            }
            return (w.backfilled, list, w.commitSize[target] ?? 0, w.maxFrame)
        }
        guard target > from else { return }
        var copies = unsorted
        copies.sort { $0.0 < $1.0 }
        if synchronous != .off {
            let r = performNow(.sync(wf, dataOnly: true, tag: 0))
            if r < 0 { throw Pager.ioError(.ioerrFsync, r, "syncing the WAL") }
            try syncWALNameIfNew(io)
        }
        let size = w.pageSize
        let wanted = copies.filter { $0.0 <= committedSize }
        // Pages move in batches: all of a batch's reads in one submission, then all its writes.
        let batch = max(1, (2 << 20) / size)
        let buf = UnsafeMutableRawPointer.allocate(byteCount: batch * size, alignment: 16)
        defer { buf.deallocate() }
        var i = 0
        while i < wanted.count {
            let part = wanted[i..<min(i + batch, wanted.count)]
            let reads = part.enumerated().map { k, c in
                IORequest.read(wf, offset: WALFormat.frameOffset(c.1, pageSize: size) + Int64(WALFormat.frameHeaderSize),
                               into: buf + k * size, length: size, tag: 0)
            }
            for (k, r) in performBatch(reads).enumerated() where r != Int32(size) {
                throw Pager.ioError(.ioerrRead, r < 0 ? r : -5, "reading WAL frame \(part[part.startIndex + k].1)")
            }
            let writes = part.enumerated().map { k, c in
                IORequest.write(file, offset: Int64(c.0 - 1) * Int64(size), from: buf + k * size, length: size, tag: 0)
            }
            for (k, r) in performBatch(writes).enumerated() where r < 0 {
                throw Pager.ioError(.ioerrWrite, r, "checkpointing page \(part[part.startIndex + k].0)")
            }
            i += part.count
        }
        if target == maxFrame {
            let r = performNow(.truncate(file, toSize: Int64(committedSize) * Int64(size), tag: 0))
            if r < 0 { throw Pager.ioError(.ioerrTruncate, r, "truncating after checkpoint") }
        }
        if synchronous != .off {
            let r = performNow(.sync(file, dataOnly: true, tag: 0))
            if r < 0 { throw Pager.ioError(.ioerrFsync, r, "syncing after checkpoint") }
        }
        _ = try? dbLock.withWAL { _ in w.backfilled = max(w.backfilled, target) }
    }

    /// After a sync of the log: if this process created the -wal file, its directory is synced once, so
    /// the name is as durable as the frames (os_unix.c does the same for a new WAL: UNIXFILE_DIRSYNC).
    /// Without it a power cut could take the whole log, every commit since the last checkpoint, and
    /// the pages a checkpoint was copying from it (found by the simulated back-end's power-loss test).
    func syncWALNameIfNew(_ io: IOBackend) throws(DBError) {
        guard let dbLock, try dbLock.withWAL({ w in w?.nameNeedsSync ?? false }) else { return }
        try io.syncDirectory(of: walPath)
        try dbLock.withWAL { w in w?.nameNeedsSync = false }
    }

    /// Runs a passive checkpoint when the log has reached PRAGMA wal_autocheckpoint frames.
    func autoCheckpointIfDue() {
        guard walAutoCheckpoint > 0, let dbLock else { return }
        let frames = (try? dbLock.withWAL { w in w.map { Int($0.maxFrame) } ?? 0 }) ?? 0
        if frames >= walAutoCheckpoint { _ = try? checkpoint(.passive) }
    }
}

extension Pager {
    /// PRAGMA journal_mode=WAL from a rollback mode: marks the file as WAL (header bytes 18 and 19
    /// become 2, committed through the rollback journal), then joins the log. The caller ensures no
    /// transaction is open and the database has page 1.
    public func switchToWAL() throws(DBError) {
        guard !isMemory, wal == nil else { return }
        if state == .idle { try beginRead() }
        if wal == nil {
            if state == .reader { try beginWrite() }
            try setFileFormatVersions(2)
            try commit()
            endRead()
            try attachWAL()
            try beginRead()
        }
    }

    /// PRAGMA journal_mode=<rollback mode> from WAL: checkpoints and removes the log (only when no
    /// other connection of this process uses it), then marks the file as a rollback-journal file.
    public func switchFromWAL(to mode: JournalMode) throws(DBError) {
        guard let dbLock, wal != nil else { return }
        let alone = try dbLock.withWAL { w in (w?.users ?? 0) == 1 && (w?.writer == nil) }
        guard alone else { throw DBError(.busy, "database is locked") }
        let wasReading = state == .reader
        if wasReading { endRead() }
        detachWAL()
        journalMode = mode
        seenFileVersion = []
        leavingWAL = true
        defer { leavingWAL = false }
        try beginRead()
        try beginWrite()
        try setFileFormatVersions(1)
        try commit()
        if !wasReading { endRead() }
    }

    /// Header bytes 18 and 19, the file format's write and read versions: 1 for a rollback journal,
    /// 2 for WAL (fileformat2.html 1.3.3). Inside the caller's write transaction.
    private func setFileFormatVersions(_ version: UInt8) throws(DBError) {
        let p1 = try getBlocking(1)
        defer { release(p1) }
        try makeWritable(p1)
        p1.data.storeBytes(of: version, toByteOffset: HeaderOffset.writeVersion, as: UInt8.self)
        p1.data.storeBytes(of: version, toByteOffset: HeaderOffset.readVersion, as: UInt8.self)
    }
}
