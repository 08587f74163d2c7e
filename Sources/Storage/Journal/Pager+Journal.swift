// Pager+Journal: writing the rollback journal of a write transaction in the
// DELETE, TRUNCATE and PERSIST modes (https://sqlite.org/atomiccommit.html,
// fileformat2.html §4; the layout is in JournalFormat.swift).
//
// Invariants:
//   1. Before the database file is written, the original image of every page
//      it will change — and of every page a shrinking commit cuts off — is in
//      the journal, and (unless synchronous=OFF) the journal is synced and then
//      sealed: its header gets the magic and the record count, synced again
//      under FULL. A crash before sealing leaves a journal whose first byte is
//      zero, which no one treats as hot; the database file was not touched.
//   2. The commit point is the journal's finalization: deleted (DELETE),
//      truncated to zero (TRUNCATE) or its header zeroed (PERSIST). Until then
//      a crash leaves a hot journal that rolls the file back.
//   3. Each page is journaled once per transaction (`journaled`); pages past
//      the original size are never journaled (rollback truncates them away).
// Records are gathered in a staging buffer and written in large blocks; the
// journal file is created at the first record, as pager.c opens it lazily.

import Base
import IO

/// The rollback journal of the current write transaction.
struct JournalWriter {
    /// Records and the header use SQLite's default sector size with power-safe overwrite.
    static let sectorSize = 512

    var file: FileID?
    var nonce: UInt32 = 0
    var recordCount: UInt32 = 0
    /// Pages whose original image is in the journal.
    var journaled = Set<UInt32>()
    /// File offset of the first staged byte.
    var stagingOffset: Int64 = 0
    var staging: UnsafeMutableRawPointer?
    var stagingUsed = 0
    var stagingCapacity = 0
    /// The journal was created by this transaction: its first sync also syncs the directory.
    var createdFile = false
    /// Whether the header was written sealed at open (synchronous=OFF: count from the file size).
    var sealedAtOpen = false

    var isOpen: Bool { file != nil }
}

extension Pager {
    /// True when page `pgno` must reach the journal before its first change in this transaction.
    @inline(__always)
    func needsJournal(_ pgno: UInt32) -> Bool {
        journalMode.usesJournalFile && !isMemory && pgno <= originalPageCount && !journal.journaled.contains(pgno)
    }

    /// Appends the original image of `pgno` (at `data`) to the journal.
    func journalPage(_ pgno: UInt32, _ data: UnsafeRawPointer) throws(DBError) {
        if !journal.isOpen { try openJournal() }
        let recordSize = pageSize + 8
        if journal.stagingUsed + recordSize > journal.stagingCapacity { try flushJournalStaging() }
        let r = journal.staging! + journal.stagingUsed
        put32(r, 0, pgno)
        (r + 4).copyMemory(from: data, byteCount: pageSize)
        put32(r, 4 + pageSize, JournalChecksum.of(page: data, pageSize: pageSize, nonce: journal.nonce))
        journal.stagingUsed += recordSize
        journal.recordCount += 1
        journal.journaled.insert(pgno)
    }

    /// Creates (or reuses, in TRUNCATE/PERSIST) the journal file and writes its first header.
    func openJournal() throws(DBError) {
        guard let io else { return }
        let existed = io.fileExists(journalPath)
        let f = try io.open(journalPath, options: [.create])
        journal.file = f
        journal.createdFile = !existed
        journal.nonce = UInt32(truncatingIfNeeded: random.nextUInt64())
        journal.recordCount = 0
        let capacity = max(256 * 1024, 4 * (pageSize + 8))
        if journal.stagingCapacity < capacity {
            journal.staging?.deallocate()
            journal.staging = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
            journal.stagingCapacity = capacity
        }
        // The header, padded to a sector, is the first staged block.
        let s = JournalWriter.sectorSize
        journal.staging!.initializeMemory(as: UInt8.self, repeating: 0, count: s)
        journal.sealedAtOpen = synchronous == .off
        journalHeader(recordCount: JournalHeader.countFromFileSize)
            .encode(into: journal.staging!, sealed: journal.sealedAtOpen)
        journal.stagingOffset = 0
        journal.stagingUsed = s
    }

    private func journalHeader(recordCount: UInt32) -> JournalHeader {
        JournalHeader(recordCount: recordCount, nonce: journal.nonce, initialPageCount: originalPageCount,
                      sectorSize: UInt32(JournalWriter.sectorSize), pageSize: UInt32(pageSize))
    }

    /// Writes the staged records to the journal file and waits for the write; with `sync`, the
    /// journal's fdatasync goes in the same batch, behind the write (one submission, one wait).
    private func flushJournalStaging(sync: Bool = false) throws(DBError) {
        guard let io, let file = journal.file else { return }
        let writes = journal.stagingUsed > 0
        var requests: [IORequest] = []
        if writes {
            requests.append(.write(file, offset: journal.stagingOffset, from: journal.staging!,
                                   length: journal.stagingUsed, tag: 0))
        }
        if sync { requests.append(.sync(file, dataOnly: true, tag: 0)) }
        guard !requests.isEmpty else { return }
        let results = performBatch(requests)
        if writes {
            if results[0] < 0 { throw Pager.ioError(.ioerrWrite, results[0], "writing the journal") }
            journal.stagingOffset += Int64(journal.stagingUsed)
            journal.stagingUsed = 0
        }
        if sync { try journalSynced(io, results[results.count - 1]) }
    }

    /// Commit, phase one for the journal: every page the commit cuts off is journaled, the records
    /// are written and synced, and the header is sealed (invariant 1).
    func sealJournal() throws(DBError) {
        guard io != nil, journalMode.usesJournalFile, !isMemory else { return }
        if pageCount < originalPageCount {
            for pgno in (pageCount + 1)...originalPageCount where needsJournal(pgno) && pgno != pendingBytePage {
                try journalPageFromFile(pgno)
            }
        }
        try syncJournal()
    }

    /// Makes every journal record so far count: the records written (and, under FULL, synced), then
    /// the header's record count rewritten in place and synced (pager.c's syncJournal). After it the
    /// database file may receive any page journaled so far: commit, or a cache spill.
    func syncJournal() throws(DBError) {
        try writeAndSyncJournal()
        for f in dirtyFrames { cache.frames[Int(f)].needsSync = false }
    }

    private func writeAndSyncJournal() throws(DBError) {
        guard let io, let file = journal.file else { return }
        // The records, synced before the header says they count (FULL and above).
        try flushJournalStaging(sync: synchronous >= .full)
        guard synchronous != .off else { return }
        // Only the magic and the record count change: the first 12 bytes of the header; written
        // and synced in one batch.
        var sealed = [UInt8](repeating: 0, count: JournalHeader.size)
        sealed.withUnsafeMutableBytes { b in
            journalHeader(recordCount: journal.recordCount).encode(into: b.baseAddress!, sealed: true)
        }
        let results = sealed.withUnsafeBytes { b in
            performBatch([.write(file, offset: 0, from: b.baseAddress!, length: 12, tag: 0),
                          .sync(file, dataOnly: true, tag: 0)])
        }
        if results[0] < 0 { throw Pager.ioError(.ioerrWrite, results[0], "sealing the journal") }
        try journalSynced(io, results[1])
    }

    /// After the journal's fdatasync (result `r`): its error, or the directory sync a new journal needs.
    private func journalSynced(_ io: IOBackend, _ r: Int32) throws(DBError) {
        if r < 0 { throw Pager.ioError(.ioerrFsync, r, "syncing the journal") }
        if journal.createdFile {
            // A new journal's directory entry must be durable too (os_unix.c's UNIXFILE_DIRSYNC).
            try io.syncDirectory(of: journalPath)
            journal.createdFile = false
        }
    }

    /// Journals a page that is not in the cache, reading its image from the database file.
    private func journalPageFromFile(_ pgno: UInt32) throws(DBError) {
        guard let file else { return }
        let buf = UnsafeMutableRawPointer.allocate(byteCount: pageSize, alignment: 16)
        defer { buf.deallocate() }
        if let f = cache.lookup(pgno), cache.frames[Int(f)].state == .loaded, !cache.frames[Int(f)].dirty {
            buf.copyMemory(from: cache.frames[Int(f)].data, byteCount: pageSize)
        } else {
            let r = performNow(.read(file, offset: fileOffset(pgno), into: buf, length: pageSize, tag: 0))
            if r < 0 { throw Pager.ioError(.ioerrRead, r, "reading page \(pgno) for the journal") }
            if Int(r) < pageSize { (buf + Int(r)).initializeMemory(as: UInt8.self, repeating: 0, count: pageSize - Int(r)) }
        }
        try journalPage(pgno, buf)
    }

    /// Commit point and rollback cleanup: ends the journal as the journal mode says (invariant 2).
    func finalizeJournal() throws(DBError) {
        defer {
            journal.journaled.removeAll(keepingCapacity: true)
            journal.recordCount = 0
            journal.stagingUsed = 0
        }
        guard let io, let file = journal.file else { return }
        journal.file = nil
        switch journalMode {
        case .truncate:
            let r = performNow(.truncate(file, toSize: 0, tag: 0))
            if r >= 0 && synchronous >= .full { _ = performNow(.sync(file, dataOnly: true, tag: 0)) }
            io.close(file)
            if r < 0 { throw Pager.ioError(.ioerrTruncate, r, "truncating the journal") }
        case .persist:
            // PRAGMA journal_size_limit=0 empties the file; a positive limit trims it (pager.c, zeroJournalHdr).
            let r: Int32
            if journalSizeLimit == 0 {
                r = performNow(.truncate(file, toSize: 0, tag: 0))
            } else {
                let zeros = [UInt8](repeating: 0, count: JournalHeader.size)
                r = zeros.withUnsafeBytes { b in performNow(.write(file, offset: 0, from: b.baseAddress!, length: b.count, tag: 0)) }
            }
            if r >= 0 && synchronous != .off { _ = performNow(.sync(file, dataOnly: true, tag: 0)) }
            if r >= 0 && journalSizeLimit > 0, let size = try? io.size(of: file), size > journalSizeLimit {
                _ = performNow(.truncate(file, toSize: journalSizeLimit, tag: 0))
            }
            io.close(file)
            if r < 0 { throw Pager.ioError(.ioerrWrite, r, "zeroing the journal header") }
        default:
            io.close(file)
            do { try io.delete(journalPath) } catch where error.code == .ioerrDeleteNoent {}
            if synchronous == .extra { try io.syncDirectory(of: journalPath) }
        }
    }

    /// Submits one request and waits for its completion, routing any other completion as usual.
    /// Returns bytes transferred or a negated errno.
    func performNow(_ request: IORequest) -> Int32 {
        guard let io else { return -5 }
        var req = request
        directTagCounter &+= 1
        req.tag = PagerTag.direct | (directTagCounter & ~PagerTag.kindMask)
        var result: Int32?
        io.submit(req)
        while result == nil {
            io.wait(minimum: 1) { c in
                if c.tag == req.tag { result = c.result } else { self.complete(c) }
            }
        }
        return result!
    }

    /// Submits `requests` as one batch and waits for all of them; returns each one's result in order.
    func performBatch(_ requests: [IORequest]) -> [Int32] {
        guard let io, !requests.isEmpty else { return [] }
        var results = [Int32?](repeating: nil, count: requests.count)
        var tags: [UInt64: Int] = [:]
        for (i, request) in requests.enumerated() {
            var req = request
            directTagCounter &+= 1
            req.tag = PagerTag.direct | (directTagCounter & ~PagerTag.kindMask)
            tags[req.tag] = i
            io.submit(req)
        }
        var pending = requests.count
        while pending > 0 {
            io.wait(minimum: pending) { c in
                if let i = tags[c.tag] {
                    results[i] = c.result
                    pending -= 1
                } else {
                    self.complete(c)
                }
            }
        }
        return results.map { $0! }
    }

    static func ioError(_ code: ResultCode, _ r: Int32, _ what: String) -> DBError {
        if -r == 28 { return DBError(.full) }
        return DBError(code, ResultCode.ioerr.defaultMessage, detail: "\(what): errno \(-r)")
    }
}

extension Pager {
    /// Sets PRAGMA journal_mode. Leaving PERSIST or TRUNCATE for a mode without a journal file removes
    /// the file those modes leave behind (pager.c, sqlite3PagerSetJournalMode), unless a writer uses it.
    public func setJournalMode(_ mode: JournalMode, removingStaleJournal: Bool = false) throws(DBError) {
        let old = journalMode
        journalMode = mode
        guard removingStaleJournal, let io, let lock = dbLock, old == .persist || old == .truncate,
              mode == .delete || !mode.usesJournalFile, io.fileExists(journalPath) else { return }
        let wasIdle = state == .idle
        if wasIdle { try beginRead() }
        defer { if wasIdle { endRead() } }
        if try !lock.otherHoldsReserved() {
            do { try io.delete(journalPath) } catch where error.code == .ioerrDeleteNoent {}
        }
    }
}
