// Pager+HotJournal: finding a hot journal and rolling the database back from
// it (https://sqlite.org/atomiccommit.html §4.2 "Hot Rollback Journals",
// pager.c's hasHotJournal and pager_playback). The journal may be swiftdb's or
// sqlite3's: both write the layout in JournalFormat.swift.
//
// A journal is hot when it exists, its first byte is not zero, the database
// file is not empty and no one holds RESERVED (a live writer's journal is not
// hot). Rolling back needs EXCLUSIVE. Playback reads every segment, writes the
// first record of each page (the oldest image) back into the database, stops
// at the first record whose checksum or page number is wrong (it was never
// synced, so its page was never overwritten), truncates the file to the size
// the first header recorded, syncs, and then ends the journal. A journal that
// names a super-journal that no longer exists belongs to a multi-database
// transaction that committed: it is deleted without playback.

import Base
import IO

extension Pager {
    /// Called with SHARED held: rolls back a hot journal if there is one. Returns true if it did.
    @discardableResult
    func rollBackHotJournalIfAny() throws(DBError) -> Bool {
        guard let io, let dbFile = file, let lock = dbLock, io.fileExists(journalPath) else { return false }
        // Looking at a journal reads it (and playing it back writes): not on a thread that must not block.
        if ioMode == .noWait { throw DBError.wouldBlock }
        guard try (io.size(of: dbFile)) > 0 else { return false }
        if try lock.otherHoldsReserved() { return false }
        guard try journalFirstByteIsSet(io) else { return false }
        // Hot: take EXCLUSIVE (a reader elsewhere that sees it too waits on PENDING), then look again.
        guard try lock.lock(.exclusive) else {
            throw DBError(.busy, "database is locked")
        }
        defer { try? lock.unlock(to: .shared) }
        guard io.fileExists(journalPath), try journalFirstByteIsSet(io) else { return false }
        try playBackJournal(io, dbFile)
        return true
    }

    private func journalFirstByteIsSet(_ io: IOBackend) throws(DBError) -> Bool {
        let jf: FileID
        do { jf = try io.open(journalPath, options: [.readOnly]) } catch { return false }
        defer { io.close(jf) }
        var first: UInt8 = 0
        let r = withUnsafeMutableBytes(of: &first) { b in
            performNow(.read(jf, offset: 0, into: b.baseAddress!, length: 1, tag: 0))
        }
        return r == 1 && first != 0
    }

    /// Restores the database file from the journal and ends the journal (see the file header).
    func playBackJournal(_ io: IOBackend, _ dbFile: FileID) throws(DBError) {
        let jf = try io.open(journalPath, options: [])
        var closed = false
        defer { if !closed { io.close(jf) } }
        let journalSize = try io.size(of: jf)
        if let superName = try superJournalName(jf, size: journalSize), !superName.isEmpty, !io.fileExists(superName) {
            // The multi-database transaction committed: nothing to undo.
            io.close(jf)
            closed = true
            try? io.delete(journalPath)
            return
        }
        var headerBytes = [UInt8](repeating: 0, count: JournalHeader.size)
        var offset: Int64 = 0
        var originalSize: UInt32?
        var restoredPageSize = 0
        var restored = Set<UInt32>()
        var record: [UInt8] = []
        playback: while offset + Int64(JournalHeader.size) <= journalSize {
            let r = headerBytes.withUnsafeMutableBytes { b in
                performNow(.read(jf, offset: offset, into: b.baseAddress!, length: b.count, tag: 0))
            }
            if r < 0 { throw Pager.ioError(.ioerrRead, r, "reading the journal") }
            guard r == Int32(JournalHeader.size),
                  let header = headerBytes.withUnsafeBytes({ JournalHeader(decoding: $0.baseAddress!) }) else { break }
            let sector = Int64(header.sectorSize)
            guard sector >= 32, sector <= 65536, sector & (sector - 1) == 0,
                  header.pageSize >= 512, header.pageSize <= 65536, header.pageSize & (header.pageSize - 1) == 0
            else { break }
            if originalSize == nil {
                originalSize = header.initialPageCount
                restoredPageSize = Int(header.pageSize)
            } else if Int(header.pageSize) != restoredPageSize {
                break
            }
            offset += sector
            let recordSize = Int64(header.recordSize)
            var count = Int64(header.recordCount)
            if header.recordCount == JournalHeader.countFromFileSize {
                count = (journalSize - offset) / recordSize
            }
            if record.count != Int(recordSize) { record = [UInt8](repeating: 0, count: Int(recordSize)) }
            let lockPage = UInt32(0x4000_0000 / restoredPageSize) + 1
            for _ in 0..<count {
                guard offset + recordSize <= journalSize else { break playback }
                let rr = record.withUnsafeMutableBytes { b in
                    performNow(.read(jf, offset: offset, into: b.baseAddress!, length: b.count, tag: 0))
                }
                if rr < 0 { throw Pager.ioError(.ioerrRead, rr, "reading the journal") }
                guard Int64(rr) == recordSize else { break playback }
                let ok = record.withUnsafeBytes { b -> (UInt32, Bool) in
                    let p = b.baseAddress!
                    let pgno = get32(p, 0)
                    let sum = get32(p, 4 + restoredPageSize)
                    return (pgno, sum == JournalChecksum.of(page: p + 4, pageSize: restoredPageSize, nonce: header.nonce))
                }
                guard ok.0 != 0, ok.0 != lockPage, ok.1 else { break playback }
                offset += recordSize
                let pgno = ok.0
                guard pgno <= originalSize!, restored.insert(pgno).inserted else { continue }
                let w = record.withUnsafeBytes { b in
                    performNow(.write(dbFile, offset: Int64(pgno - 1) * Int64(restoredPageSize), from: b.baseAddress! + 4,
                                      length: restoredPageSize, tag: 0))
                }
                if w < 0 { throw Pager.ioError(.ioerrWrite, w, "restoring page \(pgno) from the journal") }
            }
            // The next segment starts at the next sector boundary.
            offset = (offset + sector - 1) / sector * sector
        }
        if let originalSize {
            let target = Int64(originalSize) * Int64(restoredPageSize)
            let size = try io.size(of: dbFile)
            if size > target {
                let r = performNow(.truncate(dbFile, toSize: target, tag: 0))
                if r < 0 { throw Pager.ioError(.ioerrTruncate, r, "truncating after rollback") }
            } else if size < target {
                // Extend the file to its original size, as pager_truncate does.
                var zero: UInt8 = 0
                let r = withUnsafeBytes(of: &zero) { b in
                    performNow(.write(dbFile, offset: target - 1, from: b.baseAddress!, length: 1, tag: 0))
                }
                if r < 0 { throw Pager.ioError(.ioerrWrite, r, "extending after rollback") }
            }
            let s = performNow(.sync(dbFile, dataOnly: false, tag: 0))
            if s < 0 { throw Pager.ioError(.ioerrFsync, s, "syncing after rollback") }
        }
        io.close(jf)
        closed = true
        try endJournalAfterPlayback(io)
    }

    /// After a rollback the journal is ended as the journal mode says (a hot journal found in
    /// PERSIST or TRUNCATE mode keeps its file, emptied; otherwise it is deleted).
    private func endJournalAfterPlayback(_ io: IOBackend) throws(DBError) {
        switch journalMode {
        case .persist, .truncate:
            let jf = try io.open(journalPath, options: [])
            defer { io.close(jf) }
            let r = performNow(.truncate(jf, toSize: 0, tag: 0))
            if r < 0 { throw Pager.ioError(.ioerrTruncate, r, "truncating the journal") }
            _ = performNow(.sync(jf, dataOnly: true, tag: 0))
        default:
            do { try io.delete(journalPath) } catch where error.code == .ioerrDeleteNoent {}
        }
    }

    /// The super-journal name recorded at the end of a journal, or nil when there is none.
    private func superJournalName(_ jf: FileID, size: Int64) throws(DBError) -> String? {
        guard size >= 16 else { return nil }
        var tail = [UInt8](repeating: 0, count: 16)
        let r = tail.withUnsafeMutableBytes { b in performNow(.read(jf, offset: size - 16, into: b.baseAddress!, length: 16, tag: 0)) }
        guard r == 16, Array(tail[8..<16]) == JournalHeader.magic else { return nil }
        let length = tail.withUnsafeBytes { Int(get32($0.baseAddress!, 0)) }
        let sum = tail.withUnsafeBytes { get32($0.baseAddress!, 4) }
        guard length > 0, Int64(length) + 20 <= size else { return nil }
        var name = [UInt8](repeating: 0, count: length)
        let n = name.withUnsafeMutableBytes { b in
            performNow(.read(jf, offset: size - 16 - Int64(length), into: b.baseAddress!, length: length, tag: 0))
        }
        guard n == Int32(length) else { return nil }
        var check: UInt32 = 0
        for byte in name { check &+= UInt32(byte) }
        guard check == sum else { return nil }
        if let z = name.firstIndex(of: 0) { name.removeSubrange(z...) }
        return String(decoding: name, as: UTF8.self)
    }
}
