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
//      one batch, unsynced, and those frames become clean and evictable. A
//      page changed again is dirty again; it is not journaled twice.
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
        submitPageWrites(candidates, io, file)
        drainIO()
        if let e = pendingWriteError {
            // The pages stay dirty; the transaction is rolled back from the journal.
            pendingWriteError = nil
            throw e
        }
        for f in candidates { cache.frames[Int(f)].dirty = false }
        dirtyFrames.removeAll { !cache.frames[Int($0)].dirty }
        spillCount += 1
        spilledPageCount += candidates.count
        spillFloor = 0
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
