// BTreeCursor: a position in one b-tree, and movement between entries.
//
// The cursor keeps the path from the root to its page as a stack of levels
// (page, and the cell or child index on it), at most BTree.maxDepth deep;
// every page on the stack is pinned. On a leaf the index names a cell; on an
// interior page below the top it names the child followed (cellCount means
// the right child). An index-tree cursor may rest on an interior cell, which
// is an entry of its own (fileformat2.html 1.6).
//
// Resumability (DESIGN.md, decision 3): every movement first pins all the
// pages it will need into a scratch path and only then replaces the cursor's
// stack. If a page read is pending (`DBError.ioPending`) the scratch pages are
// released and the cursor is exactly where it was, so the caller can simply
// call the same method again once the I/O completed.

import Base

struct CursorLevel {
    var frame: FrameIndex = -1
    var pgno: UInt32 = 0
    var data: UnsafeMutableRawPointer? = nil
    var index: Int = 0
}

public final class BTreeCursor {
    public let tree: BTree
    let pager: Pager
    public private(set) var root: UInt32
    /// True for a table (intkey) b-tree, false for an index b-tree.
    public private(set) var isTable: Bool
    /// How index keys compare; unused for tables.
    public var keyInfo: KeyInfo

    let levels: UnsafeMutablePointer<CursorLevel>
    let scratch: UnsafeMutablePointer<CursorLevel>
    /// Index of the top level (-1: not positioned).
    var depth = -1
    /// Set when the cursor moved past either end.
    public internal(set) var isAtEnd = true
    /// Changes whenever the cursor's position or pinned pages change, so callers that cache
    /// pointers into the current entry (the VM's column cache) know when to drop them.
    public internal(set) var generation: UInt64 = 0
    /// Entries arrive in key order past the end of the tree (CREATE INDEX's sorted keys, SQLite's
    /// BTREE_BULKLOAD): a full last leaf of an index tree splits off a new leaf instead of rebalancing
    /// with its siblings, so the pages stay full.
    public var bulkLoad = false
    /// The tree's list of open cursors (BTree.firstOpenCursor). Not weak references: weak references move an
    /// object's reference count to a side table, which makes every retain and release of a cursor slow. A
    /// cursor leaves the list in its deinit, so the list never holds a dangling one.
    unowned(unsafe) var nextOpen: BTreeCursor?
    unowned(unsafe) var previousOpen: BTreeCursor?
    /// False while the cursor is closed for reuse (`close()`), out of the tree's list.
    var isRegistered = true
    /// Another open cursor is, or was while this one was open, on the same tree (btree.c's BTCF_Multiple):
    /// only then must a change through this cursor save the others' positions. Set when either opens.
    var sharesRoot = false
    /// Reused buffer for the cell an insert builds (its bytes are copied onto the page): raw bytes, so that
    /// building a cell of another length needs no resizing of an array. Room for the largest leaf cell of
    /// the tree's page size (`cellBufferCapacity` bytes, allocated at the first insert).
    var cellBuffer = UnsafeMutableRawPointer.allocate(byteCount: 0, alignment: 8)
    var cellBufferCapacity = 0
    /// Reused buffer for payloads that spill to overflow pages.
    var payloadBuffer: [UInt8] = []
    /// The key to seek back to before the next movement (another cursor changed the tree, or this one did).
    var saved: SavedPosition? {
        didSet { savedSkip = 0 }
    }
    /// The `skipNext` a cursor had when it saved its position (it sat beside an entry it deleted): a
    /// restore that finds the saved entry again puts it back (btree.c keeps CURSOR_SKIPNEXT the same way).
    var savedSkip = 0
    /// > 0: the cursor already sits on the entry next() should return (a restore that did not find the
    /// saved entry, or a delete that left the cursor on its successor); < 0: on the one previous() should
    /// return (the deleted entry's predecessor).
    var skipNext = 0
    /// Read-ahead of a forward table scan: the parent page whose children are being read ahead, and
    /// the last child index whose read was submitted (see `readAheadLeaves`).
    var readAheadParent: UInt32 = 0
    var readAheadThrough = -1
    /// Leaves in flight ahead of a forward table scan (128 KiB of 4 KiB pages).
    static let readAheadWindow = 32

    public init(tree: BTree, root: UInt32, isTable: Bool, keyInfo: KeyInfo = KeyInfo(binaryFields: 0)) {
        self.tree = tree
        pager = tree.pager
        self.root = root
        self.isTable = isTable
        self.keyInfo = keyInfo
        levels = .allocate(capacity: BTree.maxDepth + 1)
        levels.initialize(repeating: CursorLevel(), count: BTree.maxDepth + 1)
        scratch = .allocate(capacity: BTree.maxDepth + 1)
        scratch.initialize(repeating: CursorLevel(), count: BTree.maxDepth + 1)
        tree.register(self)
    }

    deinit {
        releaseLevels(from: 0)
        levels.deallocate()
        scratch.deallocate()
        cellBuffer.deallocate()
        if isRegistered { tree.unregister(self) }
    }

    /// Closes the cursor but keeps the object for `reopen`: its pages are released and it leaves the
    /// tree's list of open cursors, so no change to the tree visits it. A statement's cursors are
    /// reused by the next statement's (VM cursor pool): allocating and freeing them, with their level
    /// stacks, was a large share of a short statement's cost.
    public func close() {
        reset()
        bulkLoad = false
        readAheadParent = 0
        readAheadThrough = -1
        // A closed cursor waits in a pool: it keeps small buffers, not a large payload's.
        if cellBufferCapacity > 16384 + BTree.cellHeadRoom {
            cellBuffer.deallocate()
            cellBuffer = .allocate(byteCount: 0, alignment: 8)
            cellBufferCapacity = 0
        }
        if payloadBuffer.capacity > 16384 { payloadBuffer = [] }
        if isRegistered {
            tree.unregister(self)
            isRegistered = false
        }
    }

    /// A closed cursor becomes a new, unpositioned cursor on `root` of the same tree.
    public func reopen(root: UInt32, isTable: Bool, keyInfo: KeyInfo) {
        precondition(!isRegistered, "reopen of an open cursor")
        self.root = root
        self.isTable = isTable
        self.keyInfo = keyInfo
        generation &+= 1
        sharesRoot = false
        tree.register(self)
        isRegistered = true
    }

    /// Releases the cursor's pages; it must be positioned again before use.
    public func reset() {
        releaseLevels(from: 0)
        isAtEnd = true
        saved = nil
        skipNext = 0
    }

    /// True when the cursor is on an entry.
    @inline(__always) public var isValid: Bool { depth >= 0 && !isAtEnd }

    @inline(__always)
    func releaseLevels(from level: Int) {
        generation &+= 1
        var i = depth
        while i >= level {
            pager.release(PageRef(frame: levels[i].frame, pgno: levels[i].pgno, data: levels[i].data!))
            i -= 1
        }
        depth = level - 1
    }

    @inline(__always)
    func releaseScratch(_ count: Int) {
        for i in 0..<count {
            pager.release(PageRef(frame: scratch[i].frame, pgno: scratch[i].pgno, data: scratch[i].data!))
        }
    }

    /// The node at stack level `i`.
    @inline(__always)
    func node(at i: Int) -> BTreeNode {
        BTreeNode(PageRef(frame: levels[i].frame, pgno: levels[i].pgno, data: levels[i].data!),
                  usableSize: tree.usableSize)
    }

    /// Pins `pgno` as a validated node into scratch slot `slot`, checking the page type matches the tree.
    @inline(__always)
    func loadScratch(_ slot: Int, _ pgno: UInt32) throws(DBError) -> BTreeNode {
        guard slot <= BTree.maxDepth else {
            releaseScratch(slot)
            throw DBError.corrupt("b-tree rooted at page \(root) is deeper than \(BTree.maxDepth) levels")
        }
        let page: PageRef
        let node: BTreeNode
        do {
            (page, node) = try tree.node(pgno)
        } catch {
            releaseScratch(slot)
            throw error
        }
        scratch[slot] = CursorLevel(frame: page.frame, pgno: pgno, data: page.data, index: 0)
        // Only a root may be empty (as SQLite's getAndInitPage); this also keeps empty-leaf skipping finite.
        if pgno != root && node.cellCount == 0 {
            releaseScratch(slot + 1)
            throw DBError.corrupt("page \(pgno) of the b-tree at \(root) has no cells")
        }
        if node.isTable != isTable {
            releaseScratch(slot + 1)
            throw DBError.corrupt("page \(pgno) of the \(isTable ? "table" : "index") b-tree at \(root) has type \(node.typeByte)")
        }
        return node
    }

    /// Replaces levels from `level` up with scratch slots 0..<count.
    @inline(__always)
    func commitScratch(at level: Int, count: Int) {
        if level == 0 {
            // A movement from the root replaces any saved position.
            saved = nil
            skipNext = 0
        }
        releaseLevels(from: level)
        for i in 0..<count { levels[level + i] = scratch[i] }
        depth = level + count - 1
    }

    /// Pins the pages from `pgno` down to the leftmost (or rightmost) leaf into scratch, starting at `slot`.
    /// Returns the number of scratch slots used; indices point at the first (last) entry.
    func descendEdge(from pgno: UInt32, slot: Int, leftmost: Bool, startDepth: Int) throws(DBError) -> Int {
        var s = slot
        var pg = pgno
        while true {
            guard startDepth + s <= BTree.maxDepth else {
                releaseScratch(s)
                throw DBError.corrupt("b-tree rooted at page \(root) is deeper than \(BTree.maxDepth) levels")
            }
            let node = try loadScratch(s, pg)
            let n = node.cellCount
            if node.isLeaf {
                scratch[s].index = leftmost ? 0 : n - 1
                return s + 1
            }
            scratch[s].index = leftmost ? 0 : n
            let child: UInt32
            do { child = try node.childPage(leftmost ? 0 : n) } catch { releaseScratch(s + 1); throw error }
            if !leftmost && !isTable && n > 0 && child == 0 {
                releaseScratch(s + 1)
                throw DBError.corrupt("page \(pg): missing right child")
            }
            s += 1
            pg = child
        }
    }

    // MARK: first, last, next, previous

    /// The number of entries in the tree, counted by a walk from the first (OP_Count); the cursor is left
    /// past the last entry.
    public func countEntries() throws(DBError) -> Int64 {
        var n: Int64 = 0
        var more = try first()
        while more {
            n += 1
            more = try next()
        }
        return n
    }

    /// Moves to the first entry; false when the tree is empty.
    @discardableResult
    public func first() throws(DBError) -> Bool {
        let n = try descendEdge(from: root, slot: 0, leftmost: true, startDepth: 0)
        commitScratch(at: 0, count: n)
        if isTable && depth >= 1 { readAheadLeaves(parent: depth - 1, from: 1) }
        return settleAfterEdge()
    }

    /// Moves to the last entry; false when the tree is empty.
    @discardableResult
    public func last() throws(DBError) -> Bool {
        // Already on the last leaf (NewRowid after an append; SQLite's BTCF_AtLast): no descent.
        if depth >= 0, saved == nil, isOnRightmostPath {
            let leaf = node(at: depth)
            let cells = leaf.cellCount
            if leaf.isLeaf && cells > 0 {
                levels[depth].index = cells - 1
                generation &+= 1
                isAtEnd = false
                skipNext = 0
                return true
            }
        }
        let n = try descendEdge(from: root, slot: 0, leftmost: false, startDepth: 0)
        commitScratch(at: 0, count: n)
        return settleAfterEdge()
    }

    /// After an edge descent, a leaf with no cells means the tree is empty (only a root may be empty).
    private func settleAfterEdge() -> Bool {
        let leaf = node(at: depth)
        if leaf.cellCount == 0 {
            isAtEnd = true
            return false
        }
        isAtEnd = false
        return true
    }

    /// Moves to the next entry; false (and `isAtEnd`) past the last one.
    @inline(__always)
    @discardableResult
    public func next() throws(DBError) -> Bool {
        guard depth >= 0, !isAtEnd, skipNext == 0 else { return try nextAfterRestore() }
        let top = depth
        let n = node(at: top)
        if n.isLeaf {
            let i = levels[top].index + 1
            if i < n.cellCount {
                levels[top].index = i
                generation &+= 1
                return true
            }
        }
        return try nextSlow()
    }

    /// next() for a cursor that must first return to a saved position.
    @inline(never)
    func nextAfterRestore() throws(DBError) -> Bool {
        if saved != nil { try restorePosition() }
        let skip = skipNext
        skipNext = 0
        guard depth >= 0, !isAtEnd else { return false }
        if skip > 0 { return true }
        return try next()
    }

    @inline(never)
    func nextSlow() throws(DBError) -> Bool {
        let top = depth
        let topNode = node(at: top)
        if !topNode.isLeaf {
            // On an interior cell of an index tree: the next entry is the leftmost of the child to its right.
            let c = levels[top].index + 1
            let child = try topNode.childPage(c)
            let count = try descendEdge(from: child, slot: 0, leftmost: true, startDepth: top + 1)
            levels[top].index = c
            commitScratch(at: top + 1, count: count)
            return true
        }
        var level = top - 1
        while level >= 0 {
            let parent = node(at: level)
            let c = levels[level].index
            if isTable {
                if c < parent.cellCount {
                    if level == top - 1 { readAheadLeaves(parent: level, from: c + 1) }
                    let child = try parent.childPage(c + 1)
                    let count = try descendEdge(from: child, slot: 0, leftmost: true, startDepth: level + 1)
                    levels[level].index = c + 1
                    commitScratch(at: level + 1, count: count)
                    if node(at: depth).cellCount == 0 { return try nextSlow() }
                    return true
                }
            } else if c < parent.cellCount {
                releaseLevels(from: level + 1)
                return true
            }
            level -= 1
        }
        isAtEnd = true
        return false
    }

    /// Sequential-scan read-ahead (issue 6): moving to leaf `child` of the parent at `level`, make sure
    /// the reads of the leaves after it, up to `readAheadWindow` ahead, are in flight, so a scan
    /// finds its next leaves loaded or loading instead of asking for them one at a time. Submitted
    /// half a window at a time, in one batch; only where the back-end gains from it
    /// (`Pager.readAheadPays`). A damaged child pointer just ends the batch: the scan itself reports it.
    func readAheadLeaves(parent level: Int, from child: Int) {
        let parent = node(at: level)
        let pgno = levels[level].pgno
        if pgno != readAheadParent {
            readAheadParent = pgno
            readAheadThrough = child - 1
        }
        let window = BTreeCursor.readAheadWindow
        guard child + window / 2 > readAheadThrough, pager.readAheadPays(window: window) else { return }
        let last = min(child + window, parent.cellCount)  // cellCount: the right child
        var i = max(child, readAheadThrough + 1)
        while i <= last {
            guard let page = try? parent.childPage(i) else { break }
            pager.readAhead(page)
            i += 1
        }
        readAheadThrough = last
        pager.flushReadAhead()
    }

    /// Moves to the previous entry; false (and `isAtEnd`) before the first one.
    @discardableResult
    public func previous() throws(DBError) -> Bool {
        if saved != nil || skipNext != 0 {
            if saved != nil { try restorePosition() }
            let skip = skipNext
            skipNext = 0
            if isAtEnd { return false }
            if skip < 0 { return true }
        }
        guard depth >= 0, !isAtEnd else { return false }
        let top = depth
        let topNode = node(at: top)
        if topNode.isLeaf {
            let i = levels[top].index - 1
            if i >= 0 {
                levels[top].index = i
                generation &+= 1
                return true
            }
        } else {
            // On an interior cell of an index tree: the previous entry is the rightmost of its left child.
            let c = levels[top].index
            let child = try topNode.childPage(c)
            let count = try descendEdge(from: child, slot: 0, leftmost: false, startDepth: top + 1)
            commitScratch(at: top + 1, count: count)
            return true
        }
        var level = top - 1
        while level >= 0 {
            let parent = node(at: level)
            let c = levels[level].index
            if c > 0 {
                if isTable {
                    let child = try parent.childPage(c - 1)
                    let count = try descendEdge(from: child, slot: 0, leftmost: false, startDepth: level + 1)
                    levels[level].index = c - 1
                    commitScratch(at: level + 1, count: count)
                    if node(at: depth).cellCount == 0 { return try previous() }
                } else {
                    levels[level].index = c - 1
                    releaseLevels(from: level + 1)
                }
                return true
            }
            level -= 1
        }
        isAtEnd = true
        return false
    }

    // MARK: the current entry

    /// The current cell's layout.
    @inline(__always)
    func currentCell() throws(DBError) -> CellInfo {
        try node(at: depth).cell(levels[depth].index, tree)
    }

    /// The rowid of the current entry (table trees).
    @inline(__always)
    public var rowid: Int64 {
        get throws(DBError) {
            try node(at: depth).tableCellRowid(levels[depth].index)
        }
    }

    /// The current entry's whole payload: a pointer into the page when it is all local, else into a
    /// buffer assembled from the overflow chain. Valid until the cursor moves (see `generation`).
    @inline(__always)
    public func currentPayload() throws(DBError) -> (UnsafeRawPointer, Int) {
        let node = node(at: depth)
        if let local = node.commonLocalPayload(levels[depth].index, tree) {
            return (UnsafeRawPointer(node.data + local.offset), local.size)
        }
        return try currentPayloadInGeneral()
    }

    /// `currentPayload` for spilled payloads and unusual cell layouts: the full cell parse, which reports
    /// corruption (out of line: it and the overflow assembly would give the common path their stack frame).
    @inline(never)
    func currentPayloadInGeneral() throws(DBError) -> (UnsafeRawPointer, Int) {
        let node = node(at: depth)
        let info = try node.cell(levels[depth].index, tree)
        let data = node.data
        if info.localSize == info.payloadSize { return (UnsafeRawPointer(data + info.payloadOffset), info.payloadSize) }
        try tree.readPayload(info, from: data, into: &payloadBuffer)
        return payloadBuffer.withUnsafeBytes { ($0.baseAddress ?? UnsafeRawPointer(data), $0.count) }
    }

    /// The current entry's payload size in bytes.
    public var payloadSize: Int {
        get throws(DBError) { try currentCell().payloadSize }
    }

    /// Calls `body` with the current entry's whole payload, contiguous (assembled from overflow pages if needed).
    @inline(__always)
    public func withPayload<R>(_ body: (UnsafeRawPointer, Int) throws(DBError) -> R) throws(DBError) -> R {
        let node = node(at: depth)
        if let local = try node.localPayload(levels[depth].index, tree) {
            return try body(node.data + local.offset, local.size)
        }
        let info = try node.cell(levels[depth].index, tree)
        let data = node.data
        if info.localSize == info.payloadSize {
            return try body(data + info.payloadOffset, info.payloadSize)
        }
        try tree.readPayload(info, from: data, into: &payloadBuffer)
        return try typedThrows { try payloadBuffer.withUnsafeBytes { b in try body(b.baseAddress!, b.count) } }
    }

    /// A copy of the current entry's payload.
    public func payload() throws(DBError) -> [UInt8] {
        try withPayload { p, n in Array(UnsafeRawBufferPointer(start: p, count: n)) }
    }

    /// The current entry's record, decoded.
    public func values() throws(DBError) -> [Value] {
        let enc = tree.encoding
        return try withPayload { (p, n) throws(DBError) in try RecordReader(p, size: n, encoding: enc).values() }
    }
}
