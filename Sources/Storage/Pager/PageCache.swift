// PageCache: the pager's frames, its page-number index, and eviction.
//
// A frame holds one page image (`pageSize` bytes, owned by the cache) plus its
// bookkeeping. Frames are addressed by index (`FrameIndex`), which stays valid
// for the cache's lifetime, so cursors and the pager keep indices rather than
// references (no reference counting on the hot path). Invariants:
//   - a page number appears in at most one frame, and `index` maps it there;
//   - a frame with pins > 0, a dirty frame, or a frame with a read or a
//     spill's write in flight is never evicted or reused;
//   - `capacity` (from PRAGMA cache_size) bounds the number of frames unless
//     every frame is pinned or dirty, in which case the cache grows.
// Eviction is the clock algorithm over the frames' reference bits.
//
// Safety: frame and page memory is allocated here and freed only in deinit;
// `data` pointers stay valid while the cache lives.

/// An index into the page cache's frame table.
public typealias FrameIndex = Int32

/// The state of a frame's page image.
enum FrameState: UInt8 {
    case free, reading, loaded, failed
}

struct PageFrame {
    var pgno: UInt32 = 0
    var pins: Int32 = 0
    var state: FrameState = .free
    var dirty = false
    /// Its original image went to the journal after the journal's last sync: the page may not be
    /// written to the file (a cache spill) before the journal is synced again.
    var needsSync = false
    var referenced = false
    /// A cache spill's write of this (clean) image is in flight (Pager+Spill.swift): the frame may be
    /// read but not changed, evicted or reused until the pager applies the write's completion.
    var writing = false
    /// `PageCache.useClock` when the page was last fetched: how a spill finds the least recently used
    /// dirty pages (compared as ages, `useClock &- lastUse`, so the counter may wrap).
    var lastUse: UInt32 = 0
    /// The errno of a failed read, reported to the next fetch of the page.
    var readError: Int32 = 0
    /// Its b-tree page header passed BTreeNode.validate since the image was read or last made writable
    /// (btree.c's MemPage.isInit): a later load skips the check. Cleared whenever the image is replaced
    /// (a read, a restore, a reload) or may change (makeWritable).
    var validated = false
    var data: UnsafeMutableRawPointer
}

final class PageCache {
    let pageSize: Int
    private(set) var frames: UnsafeMutablePointer<PageFrame>
    private(set) var frameCount = 0
    private var frameCapacity = 0
    /// Soft limit on frames (PRAGMA cache_size, in pages).
    var capacity: Int
    /// When false (an in-memory database), clean frames are never evicted: they are the only copy.
    let evictable: Bool
    private var clockHand = 0
    /// Counts page fetches; each fetch stamps its frame's `lastUse`.
    var useClock: UInt32 = 0
    /// How many frames the pager holds dirty (its `dirtyFrames`): they cannot be evicted.
    var dirtyFrameCount = 0
    private var freeFrames: [FrameIndex] = []
    /// Frame memory comes in chunks of `framesPerChunk` frames (frame i lives in chunk i / framesPerChunk),
    /// so an I/O back-end can register a chunk as one buffer (Pager.ioBuffer).
    static let framesPerChunk = 32
    let frameStride: Int
    private(set) var chunks: [UnsafeMutableRawPointer] = []
    /// Each chunk's registered-buffer index (IOBackend.registerBuffer): -2 not asked yet, -1 none.
    var chunkBuffers: [Int32] = []
    var chunkBytes: Int { PageCache.framesPerChunk * frameStride }
    // Open-addressing index pgno -> frame, linear probing; -1 is empty.
    private var slots: UnsafeMutablePointer<Int32>
    private var slotMask: Int

    init(pageSize: Int, capacity: Int, evictable: Bool) {
        self.pageSize = pageSize
        frameStride = (pageSize + 8 + 15) & ~15
        self.capacity = max(capacity, 10)
        self.evictable = evictable
        frameCapacity = 64
        frames = .allocate(capacity: frameCapacity)
        slotMask = 255
        slots = .allocate(capacity: slotMask + 1)
        slots.initialize(repeating: -1, count: slotMask + 1)
    }

    deinit {
        for c in chunks { c.deallocate() }
        frames.deinitialize(count: frameCount)
        frames.deallocate()
        slots.deallocate()
    }

    @inline(__always) private func hash(_ pgno: UInt32) -> Int {
        Int(truncatingIfNeeded: pgno &* 0x9E37_79B1) & slotMask
    }

    /// The frame holding `pgno`, if any.
    @inline(__always)
    func lookup(_ pgno: UInt32) -> FrameIndex? {
        var s = hash(pgno)
        while true {
            let f = slots[s]
            if f < 0 { return nil }
            if frames[Int(f)].pgno == pgno { return f }
            s = (s + 1) & slotMask
        }
    }

    private func insertIndex(_ pgno: UInt32, _ f: FrameIndex) {
        if (frameCount + 1) * 2 > slotMask { growIndex() }
        var s = hash(pgno)
        while slots[s] >= 0 { s = (s + 1) & slotMask }
        slots[s] = f
    }

    private func removeIndex(_ pgno: UInt32) {
        var s = hash(pgno)
        while true {
            let f = slots[s]
            if f < 0 { return }
            if frames[Int(f)].pgno == pgno { break }
            s = (s + 1) & slotMask
        }
        // Backward-shift deletion keeps every probe chain unbroken.
        var hole = s
        var next = (s + 1) & slotMask
        while slots[next] >= 0 {
            let home = hash(frames[Int(slots[next])].pgno)
            let distNext = (next - home) & slotMask
            let distHole = (hole - home) & slotMask
            if distHole <= distNext {
                slots[hole] = slots[next]
                hole = next
            }
            next = (next + 1) & slotMask
        }
        slots[hole] = -1
    }

    private func growIndex() {
        let old = slots, oldCount = slotMask + 1
        slotMask = oldCount * 2 - 1
        slots = .allocate(capacity: slotMask + 1)
        slots.initialize(repeating: -1, count: slotMask + 1)
        for i in 0..<oldCount where old[i] >= 0 {
            var s = hash(frames[Int(old[i])].pgno)
            while slots[s] >= 0 { s = (s + 1) & slotMask }
            slots[s] = old[i]
        }
        old.deallocate()
    }

    /// A frame for `pgno` (which must not be cached), pinned once, state `.free`, contents undefined.
    func claimFrame(for pgno: UInt32) -> FrameIndex {
        claim(reusableFrame() ?? newFrame(), for: pgno)
    }

    /// Gives frame `f` (free: from `reusableFrameWithoutGrowing`) to `pgno`, pinned once, state `.free`.
    func claim(_ f: FrameIndex, for pgno: UInt32) -> FrameIndex {
        frames[Int(f)].pgno = pgno
        frames[Int(f)].pins = 1
        frames[Int(f)].state = .free
        frames[Int(f)].dirty = false
        frames[Int(f)].needsSync = false
        frames[Int(f)].writing = false
        frames[Int(f)].referenced = true
        frames[Int(f)].lastUse = useClock
        frames[Int(f)].readError = 0
        frames[Int(f)].validated = false
        insertIndex(pgno, f)
        return f
    }

    /// A free frame or an evicted clean one, not yet claimed (`claim`); nil rather than a new frame (a
    /// relocated spilled page must not grow the cache past what the spill left it).
    func reusableFrameWithoutGrowing() -> FrameIndex? {
        reusableFrame() ?? (evictable && mayHoldEvictable(frameCount - freeFrames.count) ? evictClean() : nil)
    }

    private func newFrame() -> FrameIndex {
        if frameCount == frameCapacity {
            let bigger = UnsafeMutablePointer<PageFrame>.allocate(capacity: frameCapacity * 2)
            bigger.moveInitialize(from: frames, count: frameCount)
            frames.deallocate()
            frames = bigger
            frameCapacity *= 2
        }
        let k = frameCount % PageCache.framesPerChunk
        if k == 0 {
            // Untouched memory of a chunk's unused frames is not resident (the allocation is lazy).
            chunks.append(.allocate(byteCount: chunkBytes, alignment: 4096))
            chunkBuffers.append(-2)
        }
        let data = chunks[chunks.count - 1] + k * frameStride
        (frames + frameCount).initialize(to: PageFrame(data: data))
        frameCount += 1
        return FrameIndex(frameCount - 1)
    }

    /// A free frame, or an evicted clean one once the cache is at capacity.
    private func reusableFrame() -> FrameIndex? {
        // Frames left free by a transaction that outgrew the capacity (dirty pages are never evicted)
        // are reused only while fewer than `capacity` frames hold pages: a full cache evicts first, so
        // it goes back to its PRAGMA cache_size bound once those pages are clean.
        let held = frameCount - freeFrames.count
        if evictable && held >= capacity && mayHoldEvictable(held), let f = evictClean() { return f }
        if let f = freeFrames.popLast() { return f }
        guard evictable, frameCount >= capacity, mayHoldEvictable(held) else { return nil }
        return evictClean()
    }

    /// False when nearly every held frame is dirty, so a clock scan would visit them all in vain
    /// (a large transaction before commit: without this, each new page would cost a full scan).
    /// The margin stands for frames pinned by cursors, which are few (a b-tree path is at most 20);
    /// when it says no, the cache grows past its soft limit instead, as it does when all are dirty.
    @inline(__always)
    private func mayHoldEvictable(_ held: Int) -> Bool { held - dirtyFrameCount > min(64, held / 2) }

    /// The next clean, unpinned, unreferenced frame in clock order, emptied; nil when none is.
    private func evictClean() -> FrameIndex? {
        var scanned = 0
        while scanned < 2 * frameCount {
            let i = clockHand
            clockHand = (clockHand + 1) % frameCount
            scanned += 1
            let fr = frames[i]
            if fr.pgno == 0 || fr.pins != 0 || fr.dirty || fr.state == .reading || fr.writing { continue }
            if fr.referenced {
                frames[i].referenced = false
                continue
            }
            removeIndex(fr.pgno)
            frames[i].pgno = 0
            frames[i].state = .free
            return FrameIndex(i)
        }
        return nil
    }

    /// Drops `f` from the cache (it must be unpinned or about to be forgotten); its memory is reused later.
    func discard(_ f: FrameIndex) {
        let i = Int(f)
        assert(!frames[i].writing, "discarding a frame whose write is in flight")
        if frames[i].pgno != 0 { removeIndex(frames[i].pgno) }
        frames[i].pgno = 0
        frames[i].pins = 0
        frames[i].dirty = false
        frames[i].state = .free
        freeFrames.append(f)
    }

    /// Takes a frame whose read is still in flight out of the index: its image may predate a change
    /// the pager just learned of. It holds no page (pgno 0), so nothing finds or evicts it, and the
    /// pager frees it when the read completes (Pager.complete).
    func orphanReading(_ f: FrameIndex) {
        let i = Int(f)
        guard frames[i].state == .reading, frames[i].pgno != 0 else { return }
        removeIndex(frames[i].pgno)
        frames[i].pgno = 0
    }

    /// Takes a frame whose spill write is still in flight out of the index (its page moved to another
    /// frame: Pager.relocateSpilledPage). Holding no page, it is neither found nor evicted, and the pager
    /// frees it when the write completes.
    func orphanWriting(_ f: FrameIndex) {
        let i = Int(f)
        guard frames[i].writing, frames[i].pgno != 0 else { return }
        removeIndex(frames[i].pgno)
        frames[i].pgno = 0
    }

    /// Every frame index currently holding a page (for scans such as rollback and truncate).
    func occupiedFrames() -> [FrameIndex] {
        var out: [FrameIndex] = []
        for i in 0..<frameCount where frames[i].pgno != 0 { out.append(FrameIndex(i)) }
        return out
    }

    /// Evicts clean, unpinned frames until at most `capacity` frames hold pages (after cache_size shrinks).
    func shrinkToCapacity() {
        guard evictable else { return }
        var held = 0
        for i in 0..<frameCount where frames[i].pgno != 0 { held += 1 }
        var i = 0
        while held > capacity && i < frameCount {
            let fr = frames[i]
            if fr.pgno != 0 && fr.pins == 0 && !fr.dirty && fr.state != .reading && !fr.writing {
                discard(FrameIndex(i))
                held -= 1
            }
            i += 1
        }
    }
}
