// Pager+Spill: writing dirty pages to the database file before commit when a
// write transaction outgrows the cache (pager.c's pagerStress; PRAGMA
// cache_size bounds the cache, https://sqlite.org/pragma.html#pragma_cache_size).
//
// Without it every page a transaction changes stays in memory until commit,
// so one big transaction (CREATE INDEX on a large table, a bulk INSERT) holds
// the whole change set. A spill works only in the rollback-journal modes that
// keep a journal file:
//   1. EXCLUSIVE is taken without waiting (a reader keeps the file from being
//      written; then the cache just grows past its bound, as pcache does when
//      pagerStress reports SQLITE_BUSY) and kept until the transaction ends;
//   2. the journal is opened if need be; the first spill syncs and seals it
//      (syncJournal), so the header's initial size lets a rollback cut off
//      pages appended since; later ones sync it only when too few dirty pages
//      have their journal records synced already (`needsSync`; pages past
//      the original size never need it; at synchronous=OFF no sync waits, so
//      the journal's staged records are just written out when a page needs them);
//   3. a quarter of a cache of unpinned dirty pages (page 1 excepted: commit
//      stamps it), the least recently used ones, is written in page order as
//      one batch, unsynced, and those frames become clean. A page changed
//      again is dirty again; it is not journaled twice.
//   4. Nothing waits for those writes (pager.c's pagerStress writes and
//      returns; here the write is in flight when the spill returns): the
//      statement goes on while the kernel copies the pages (on io_uring an
//      io-wq worker, on another core, since ext4 cannot take a buffered write
//      without blocking). Until its completion is applied, a frame is
//      `writing`: it can be read, but not evicted, reused or changed. The
//      next spill, commit, rollback and anything that drops cached frames
//      first wait for the writes in flight (`settleSpillWrites`). Reads of
//      pages by the same pager never see a stale file image: a page with a
//      write in flight is still in the cache.
//   5. A page fetched again while its write is in flight (nearly always to be
//      changed: random inserts into an index larger than the cache land on
//      the leaves a spill just wrote) moves to another frame rather than wait
//      for the spill's writes, which an io-wq worker copies one after another
//      (~1.5 µs a page, so ~170 µs for a quarter of a 2 MB cache):
//      `relocateSpilledPage` copies the image to a fresh frame, marked dirty
//      (the file may not hold that image until the write completes, so the
//      frame must not be evicted; it is about to change anyway), and takes the
//      old frame out of the index; the old frame is freed when its write
//      completes. Only a frame someone still pins (its image is shared) makes
//      a change wait instead (makeWritable).
//      A failed write makes its page dirty again and is kept in
//      `spillWriteError` until rollback: the transaction cannot commit.
// From the first spill on, the file holds uncommitted pages: a rollback plays
// the journal back into the file (Pager+Write.swift, rollback) and then
// forgets the cache, and a crash leaves a hot journal that does the same.

import Base
import IO

extension Pager {
    /// True when a write transaction holds at least a cache's worth of dirty pages and may spill.
    /// Spilling starts at seven eighths of the cache, leaving room for the clean pages being read.
    @inline(__always)
    var wantsSpill: Bool { dirtyFrames.count >= max(cache.capacity * 7 / 8, spillFloor) }

    /// Writes a quarter of a cache of unpinned dirty pages to the file (see the file header). A busy lock
    /// is not an error: the pages stay dirty and the cache grows instead. A failed journal or page
    /// write is (SQLITE_FULL, SQLITE_IOERR_*): pager.c then enters its error state and the statement's
    /// failure rolls the whole transaction back (Connection.statementFailed), which plays back the
    /// journal since some pages may have reached the file.
    @inline(never)
    func spillDirtyPages() throws(DBError) {
        // Only where the caller may block (write paths run in `.blocking`; a suspended read just grows the cache).
        guard state == .writer, wal == nil, !isMemory, journalMode.usesJournalFile, ioMode == .blocking,
              let io, let file, let lock = dbLock else {
            spillFloor = dirtyFrames.count + max(cache.capacity / 2, 16)
            return
        }
        // The last spill's writes are done by now, as a rule; their frames become evictable again.
        try settleSpillWrites()
        // Unless this spill succeeds, the next attempt waits until a few more pages are dirty.
        spillFloor = dirtyFrames.count + max(cache.capacity / 8, 8)
        if lock.level != .exclusive {
            do { try acquire(lock, .exclusive, mayWait: false) } catch { return }
        }
        if !journal.isOpen { try openJournal() }
        // The first spill syncs and seals the journal, whatever it writes: from then on the file may
        // differ from its committed state, and only a sealed journal can put it back.
        if !spilledToFile { try syncJournal() }
        // Dirty pages whose journal records are synced (pages past the original size have
        // none to wait for); only when too few are, the journal is synced to free the others
        // (pcache.c's pcacheFetchStress prefers pages without PGHDR_NEED_SYNC the same way).
        let wanted = max(cache.capacity / 4, 1)
        var candidates: [FrameIndex]
        if synchronous == .off {
            // Nothing is ever synced: a page's journal record only has to be written out first.
            candidates = spillCandidates(wanted, needingNoSync: false)
            if candidates.contains(where: { cache.frames[Int($0)].needsSync }) { try syncJournal() }
        } else {
            candidates = spillCandidates(wanted, needingNoSync: true)
            if candidates.count < wanted / 2 {
                try syncJournal()
                candidates = spillCandidates(wanted, needingNoSync: false)
            }
        }
        guard !candidates.isEmpty else { return }
        spilledToFile = true
        submitPageWrites(candidates, io, file, tag: PagerTag.spillWrite)
        for f in candidates {
            cache.frames[Int(f)].dirty = false
            cache.frames[Int(f)].writing = true
        }
        spillWritesInFlight += candidates.count
        dirtyFrames.removeAll { !cache.frames[Int($0)].dirty }
        io.flush()
        spillCount += 1
        spilledPageCount += candidates.count
        spillFloor = 0
    }

    /// Waits for the spill writes in flight (their completions make the frames evictable and
    /// changeable again); throws the first spill write's failure, then and until rollback.
    func settleSpillWrites() throws(DBError) {
        if spillWritesInFlight > 0 { drainIO() }
        if let e = spillWriteError { throw e }
    }

    /// Applies a spill write's completion to its frame (Pager.complete). A failed write leaves the
    /// page dirty again (its image is the transaction's only copy) and dooms the transaction.
    func spillWriteCompleted(_ c: IOCompletion) {
        let f = Int(c.tag & ~PagerTag.kindMask)
        spillWritesInFlight -= 1
        guard f < cache.frameCount, cache.frames[f].writing else { return }
        cache.frames[f].writing = false
        if c.result < 0 && spillWriteError == nil { spillWriteError = writeError(c) }
        if cache.frames[f].pgno == 0 {
            // Relocated while in flight (relocateSpilledPage): the page lives on, dirty, in another frame.
            cache.discard(FrameIndex(f))
            return
        }
        guard c.result < 0 else { return }
        if !cache.frames[f].dirty {
            cache.frames[f].dirty = true
            dirtyFrames.append(FrameIndex(f))
        }
    }

    /// Moves page `pgno`, unpinned in frame `f` with a spill's write in flight, to a fresh frame, pinned,
    /// dirty and loaded with the same image; `f` leaves the index and is freed when its write completes
    /// (see the file header, 5). No journal record is needed: the spill wrote only journaled pages.
    /// Nil when no frame is free or evictable: the cache does not grow for it (peak memory), and the
    /// caller pins the page where it is (a change then waits for the spill's writes).
    @inline(never)
    func relocateSpilledPage(_ f: FrameIndex, _ pgno: UInt32) -> PageRef? {
        guard let free = cache.reusableFrameWithoutGrowing() else { return nil }
        cache.orphanWriting(f)
        let g = cache.claim(free, for: pgno)
        let to = cache.frames + Int(g)
        to.pointee.data.copyMemory(from: cache.frames[Int(f)].data, byteCount: pageSize)
        to.pointee.state = .loaded
        to.pointee.dirty = true
        dirtyFrames.append(g)
        relocatedPageCount += 1
        return PageRef(frame: g, pgno: pgno, data: to.pointee.data)
    }

    /// Up to `count` unpinned dirty pages that a spill may write (page 1 stays: commit stamps it), the
    /// least recently used first, as pcache.c takes them from the tail of its dirty list (a page moves
    /// to its front whenever it is used): the pages a transaction keeps changing (interior pages, the
    /// leaves it appends to) stay in memory instead of being written again and again.
    private func spillCandidates(_ count: Int, needingNoSync: Bool) -> [FrameIndex] {
        let now = cache.useClock
        var eligible: [(age: UInt32, frame: FrameIndex)] = []
        eligible.reserveCapacity(dirtyFrames.count)
        for f in dirtyFrames {
            let fr = cache.frames[Int(f)]
            guard fr.pins == 0 && fr.pgno > 1 && fr.pgno <= pageCount && fr.state == .loaded
                && !(needingNoSync && fr.needsSync) else { continue }
            eligible.append((now &- fr.lastUse, f))
        }
        if eligible.count > count {
            eligible.sort { $0.age > $1.age }
            eligible.removeSubrange(count...)
        }
        return eligible.map(\.frame)
    }

    /// A rollback after a spill: the file holds uncommitted pages, so the journal is played back
    /// into it, and every cached page is read again (rollback has already dropped the dirty ones).
    func rollBackSpilledFile() {
        guard let io, let file else { return }
        if let jf = journal.file {
            io.close(jf)
            journal.file = nil
        }
        journal.journaled.removeAll(keepingCapacity: true)
        journal.recordCount = 0
        journal.stagingUsed = 0
        // If this fails, the journal stays hot and the next transaction rolls back from it.
        try? playBackJournal(io, file)
        forgetCache()
        seenFileVersion = []
    }
}
