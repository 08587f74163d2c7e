// CellList: the cells of one or more b-tree pages gathered for rebalancing.
//
// Rebalancing reads every cell of up to three sibling pages (and the
// dividers between them), spreads them over new pages and rewrites each page
// from its share. The cells live back to back in one byte buffer with a
// (start, size) span per cell, so gathering a page's worth costs no
// allocation per cell (SQLite's balance_nonroot likewise keeps cell pointers
// into one scratch space). Insertion reorders spans only: a cell's bytes stay
// where they were appended.
//
// The bytes and spans are raw buffers (CellListStorage) that grow by doubling,
// so the per-cell loops of gathering and writing a page run without array
// bounds or uniqueness checks; the struct keeps value semantics by copying its
// storage before a mutation when it is shared. Invariant: spans 0..<count are
// initialized and each lies within bytes 0..<byteCount.
//
// Lazy sizes. `appendLazily` gathers a page's cells without sizing them (a
// size of 0 or less means "not computed yet", and holds minus the end of the
// copy of the page the cell came from): rebalancing needs the sizes of the
// cells that move between pages only (btree.c's cachedCellSize), and cells
// that stay on their page are never parsed. `size(_:)` parses a cell on first
// use, bounded by that end, and caches the result; the cache is not an
// observable change, so it is written even into shared storage.

import Base

/// The buffers behind a CellList.
final class CellListStorage {
    var bytes: UnsafeMutableRawPointer
    var byteCount = 0
    var byteCapacity: Int
    var starts: UnsafeMutablePointer<Int32>
    var sizes: UnsafeMutablePointer<Int32>
    var count = 0
    var capacity: Int
    /// A page was gathered lazily (its cells' sizes hold minus the end of its copy; see the file header).
    var hasLazyCells = false
    /// What lazily gathered cells are (every such cell of one list is of one page type).
    var lazyTable = false, lazyLeaf = false
    var maxLocal = 0, minLocal = 0, usableSize = 0

    init(bytes: Int, cells: Int) {
        byteCapacity = max(bytes, 64)
        capacity = max(cells, 8)
        self.bytes = .allocate(byteCount: byteCapacity, alignment: 8)
        starts = .allocate(capacity: capacity)
        sizes = .allocate(capacity: capacity)
    }

    deinit {
        bytes.deallocate()
        starts.deallocate()
        sizes.deallocate()
    }

    func copy() -> CellListStorage {
        let c = CellListStorage(bytes: byteCapacity, cells: capacity)
        c.bytes.copyMemory(from: bytes, byteCount: byteCount)
        c.starts.update(from: starts, count: count)
        c.sizes.update(from: sizes, count: count)
        c.byteCount = byteCount
        c.count = count
        c.hasLazyCells = hasLazyCells
        (c.lazyTable, c.lazyLeaf, c.maxLocal, c.minLocal, c.usableSize) = (lazyTable, lazyLeaf, maxLocal, minLocal, usableSize)
        return c
    }

    /// Room for `more` further bytes.
    @inline(__always)
    func reserveBytes(_ more: Int) {
        if byteCount + more > byteCapacity { growBytes(byteCount + more) }
    }

    /// `capacity` doubled as often as it takes to hold `needed`.
    private static func doubled(_ capacity: Int, toHold needed: Int) -> Int {
        var c = capacity * 2
        while c < needed { c *= 2 }
        return c
    }

    private func growBytes(_ needed: Int) {
        let c = Self.doubled(byteCapacity, toHold: needed)
        let b = UnsafeMutableRawPointer.allocate(byteCount: c, alignment: 8)
        b.copyMemory(from: bytes, byteCount: byteCount)
        bytes.deallocate()
        bytes = b
        byteCapacity = c
    }

    /// Room for `more` further spans.
    @inline(__always)
    func reserveCells(_ more: Int) {
        if count + more > capacity { growCells(count + more) }
    }

    private func growCells(_ needed: Int) {
        let c = Self.doubled(capacity, toHold: needed)
        let st = UnsafeMutablePointer<Int32>.allocate(capacity: c)
        let sz = UnsafeMutablePointer<Int32>.allocate(capacity: c)
        st.moveInitialize(from: starts, count: count)
        sz.moveInitialize(from: sizes, count: count)
        starts.deallocate()
        sizes.deallocate()
        starts = st
        sizes = sz
        capacity = c
    }

    /// Appends `size` bytes at `p` as one cell, optionally after a 4-byte child pointer.
    @inline(__always)
    func appendCell(_ p: UnsafeRawPointer, _ size: Int, child: UInt32? = nil) {
        let total = size + (child == nil ? 0 : 4)
        reserveBytes(total)
        reserveCells(1)
        var at = bytes + byteCount
        if let child {
            at.storeBytes(of: child.bigEndian, as: UInt32.self)
            at += 4
        }
        at.copyMemory(from: p, byteCount: size)
        starts[count] = Int32(byteCount)
        sizes[count] = Int32(total)
        byteCount += total
        count += 1
    }
}

struct CellList {
    private var storage: CellListStorage

    init() { storage = CellListStorage(bytes: 0, cells: 0) }

    /// An empty list with room for `bytes` bytes of cells and `cells` cells before it grows.
    init(reservingBytes bytes: Int, cells: Int) { storage = CellListStorage(bytes: bytes, cells: cells) }

    /// The cells of `node`, in order, each sized.
    init(_ node: BTreeNode, tree: BTree) throws(DBError) {
        storage = CellListStorage(bytes: node.usableSize, cells: node.cellCount + 4)
        try appendLazily(cellsOf: node, tree: tree)
        try computeSizes(0..<count)
    }

    /// Empties the list, keeping its buffers, with room for `bytes` bytes of cells and `cells` cells.
    mutating func removeAll(reservingBytes bytes: Int, cells: Int) {
        let s = unique
        s.byteCount = 0
        s.count = 0
        s.hasLazyCells = false
        s.reserveBytes(bytes)
        s.reserveCells(cells)
    }

    var count: Int { storage.count }
    var isEmpty: Bool { storage.count == 0 }

    /// The storage, copied first when another CellList shares it.
    private var unique: CellListStorage {
        mutating get {
            if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
            return storage
        }
    }

    /// Bytes cell `i` occupies on a page (parsed now if it was gathered lazily; a cell that does not fit
    /// its page is corrupt).
    @inline(__always) func size(_ i: Int) throws(DBError) -> Int {
        precondition(i >= 0 && i < storage.count)
        let s = Int(storage.sizes[i])
        return s > 0 ? s : try parseSize(i)
    }

    /// Sizes every cell of `range` that was gathered lazily.
    func computeSizes(_ range: Range<Int>) throws(DBError) {
        for i in range where storage.sizes[i] <= 0 { _ = try parseSize(i) }
    }

    @inline(never)
    private func parseSize(_ i: Int) throws(DBError) -> Int {
        let s = storage
        let start = Int(s.starts[i])
        // The end of the page copy holding the cell, recorded when it was gathered.
        let end = -Int(s.sizes[i])
        guard start < end, end <= s.byteCount else {
            throw DBError(.internal, "cell \(i) of a rebalancing list has neither size nor page")
        }
        let p = UnsafeRawPointer(s.bytes) + start
        var size = 0
        if !s.lazyTable {
            // An index cell whose one-byte payload size keeps the payload on the page (cellSize's fast path).
            let header = s.lazyLeaf ? 0 : 4
            if start + header < end {
                let b = Int(p.load(fromByteOffset: header, as: UInt8.self))
                if b < 0x80 && b <= s.maxLocal && start + header + 1 + b <= end { size = Swift.max(header + 1 + b, 4) }
            }
        }
        if size == 0 {
            size = try parsedCellSize(p, end: UnsafeRawPointer(s.bytes) + end, table: s.lazyTable, leaf: s.lazyLeaf,
                                      maxLocal: s.maxLocal, minLocal: s.minLocal, usableSize: s.usableSize)
        }
        s.sizes[i] = Int32(size)
        return size
    }

    /// Bytes the cells take on a page, cell pointers included (every cell sized: not a lazy list).
    var pageBytes: Int {
        var total = 0
        for i in 0..<storage.count {
            assert(storage.sizes[i] > 0, "pageBytes of a lazily gathered cell")
            total += Int(storage.sizes[i]) + 2
        }
        return total
    }

    /// Bytes cells `range` take on a page, cell pointers included.
    func pageBytes(_ range: Range<Int>) throws(DBError) -> Int {
        var total = 0
        for i in range { total += try size(i) + 2 }
        return total
    }

    /// Appends every cell of `node` without sizing them (see the file header): one copy of the page's
    /// content area and a checked offset per cell, rebased onto where the copy lands (`byteCount`) as it is
    /// read.
    mutating func appendLazily(cellsOf node: BTreeNode, tree: BTree) throws(DBError) {
        let n = node.cellCount
        guard n > 0 else { return }
        let s = unique
        let usable = node.usableSize
        if !s.hasLazyCells {
            s.hasLazyCells = true
            s.lazyTable = node.isTable
            s.lazyLeaf = node.isLeaf
            s.maxLocal = node.isTable ? tree.maxLocalTable : tree.maxLocalIndex
            s.minLocal = tree.minLocal
            s.usableSize = usable
        } else if s.lazyTable != node.isTable || s.lazyLeaf != node.isLeaf {
            throw DBError.corrupt("page \(node.pgno): sibling pages of different types")
        }
        s.reserveCells(n)
        let st = s.starts + s.count, sz = s.sizes + s.count
        let data = UnsafeRawPointer(node.data)
        let pointers = node.cellPointerStart
        // Every cell lies in the content area, between the header's content start and the page's end: that
        // area is copied whole (freeblocks included) and each offset is checked against it with one compare.
        let content = node.contentStart
        guard content >= pointers + 2 * n, content <= usable - 4 else {
            throw DBError.corrupt("page \(node.pgno): content area starts at \(content)")
        }
        let room = UInt(usable - 4 - content)
        let shift = s.byteCount - content
        let pointerArray = data + pointers
        for i in 0..<n {
            let offset = Int(UInt16(bigEndian: pointerArray.loadUnaligned(fromByteOffset: i &<< 1, as: UInt16.self)))
            guard UInt(bitPattern: offset &- content) <= room else {
                throw DBError.corrupt("page \(node.pgno): cell \(i) at offset \(offset) is outside the content area")
            }
            st[i] = Int32(truncatingIfNeeded: offset &+ shift)
        }
        let span = usable - content
        sz.initialize(repeating: -Int32(truncatingIfNeeded: s.byteCount + span), count: n)
        s.reserveBytes(span)
        (s.bytes + s.byteCount).copyMemory(from: data + content, byteCount: span)
        s.byteCount += span
        s.count += n
    }

    /// Appends the `size` bytes at `p` as one cell.
    mutating func append(_ p: UnsafeRawPointer, _ size: Int) {
        unique.appendCell(p, size)
    }

    /// Appends every cell of `other`, each sized (a lazily gathered cell's size depends on its list's layout).
    mutating func append(contentsOf other: CellList) {
        let o = other.storage
        let s = unique
        s.reserveBytes(o.byteCount)
        s.reserveCells(o.count)
        (s.bytes + s.byteCount).copyMemory(from: o.bytes, byteCount: o.byteCount)
        let base = Int32(s.byteCount)
        for k in 0..<o.count {
            s.starts[s.count + k] = o.starts[k] &+ base
            assert(o.sizes[k] > 0, "appending a lazily gathered cell")
            s.sizes[s.count + k] = o.sizes[k]
        }
        s.byteCount += o.byteCount
        s.count += o.count
    }

    mutating func append(_ cell: [UInt8]) {
        let s = unique
        cell.withUnsafeBytes { s.appendCell($0.baseAddress!, $0.count) }
    }

    /// Appends a cell made of a 4-byte child pointer followed by `size` bytes at `p`.
    mutating func append(child: UInt32, then p: UnsafeRawPointer, _ size: Int) {
        unique.appendCell(p, size, child: child)
    }

    /// Inserts `cell` so that it becomes cell `i`.
    mutating func insert(_ cell: [UInt8], at i: Int) {
        let s = unique
        precondition(i >= 0 && i <= s.count)
        cell.withUnsafeBytes { s.appendCell($0.baseAddress!, $0.count) }
        let n = s.count - 1
        if i < n {
            let start = s.starts[n], size = s.sizes[n]
            (s.starts + i + 1).update(from: s.starts + i, count: n - i)
            (s.sizes + i + 1).update(from: s.sizes + i, count: n - i)
            s.starts[i] = start
            s.sizes[i] = size
        }
    }

    /// Calls `body` with the bytes of cell `i`.
    @inline(__always)
    func withCell<R>(_ i: Int, _ body: (UnsafeRawBufferPointer) throws(DBError) -> R) throws(DBError) -> R {
        let size = try self.size(i)
        return try body(UnsafeRawBufferPointer(start: storage.bytes + Int(storage.starts[i]), count: size))
    }

    /// Where cell `i`'s bytes start.
    @inline(__always)
    func cellBytes(_ i: Int) -> UnsafeRawPointer {
        precondition(i >= 0 && i < storage.count)
        return UnsafeRawPointer(storage.bytes) + Int(storage.starts[i])
    }

    /// The first four bytes of cell `i` read as a child page number (interior cells).
    func childPointer(_ i: Int) -> UInt32 {
        precondition(i >= 0 && i < storage.count)
        return UInt32(bigEndian: (storage.bytes + Int(storage.starts[i])).loadUnaligned(as: UInt32.self))
    }

    /// Overwrites the child pointer that starts interior cell `i`.
    mutating func setChildPointer(_ i: Int, _ pgno: UInt32) {
        let s = unique
        precondition(i >= 0 && i < s.count)
        (s.bytes + Int(s.starts[i])).storeBytes(of: pgno.bigEndian, as: UInt32.self)
    }

    /// Writes cells `range` one after another downwards from `top` in `page`, their pointers from `pointer`
    /// upwards. Returns the new top.
    func write(_ range: Range<Int>, into page: UnsafeMutableRawPointer, top: Int, pointer: Int) -> Int {
        precondition(range.lowerBound >= 0 && range.upperBound <= storage.count)
        var top = top
        var ptr = pointer
        let base = UnsafeRawPointer(storage.bytes), starts = storage.starts, sizes = storage.sizes
        for i in range {
            let size = Int(sizes[i])
            assert(size > 0, "writing a cell that was never sized")
            top -= size
            copyCell(to: page + top, from: base + Int(starts[i]), size)
            put16(page, ptr, top)
            ptr += 2
        }
        return top
    }
}

/// Copies one cell. Index cells are often a few bytes long, where a call to memcpy costs more than the copy:
/// up to 16 bytes move as two overlapping words (cells are at least 4 bytes long).
@inline(__always)
func copyCell(to dst: UnsafeMutableRawPointer, from src: UnsafeRawPointer, _ size: Int) {
    if size >= 8 && size <= 16 {
        let head = src.loadUnaligned(as: UInt64.self), tail = src.loadUnaligned(fromByteOffset: size - 8, as: UInt64.self)
        dst.storeBytes(of: head, as: UInt64.self)
        dst.storeBytes(of: tail, toByteOffset: size - 8, as: UInt64.self)
    } else if size >= 4 && size < 8 {
        let head = src.loadUnaligned(as: UInt32.self), tail = src.loadUnaligned(fromByteOffset: size - 4, as: UInt32.self)
        dst.storeBytes(of: head, as: UInt32.self)
        dst.storeBytes(of: tail, toByteOffset: size - 4, as: UInt32.self)
    } else {
        dst.copyMemory(from: src, byteCount: size)
    }
}
