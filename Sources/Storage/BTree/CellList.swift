// CellList: the cells of one or more b-tree pages gathered for rebalancing.
//
// Rebalancing reads every cell of up to three sibling pages (and the
// dividers between them), spreads them over new pages and rewrites each page
// from its share. The cells live back to back in one byte buffer with a
// (start, size) span per cell, so gathering a page's worth costs two
// allocations rather than one per cell (SQLite's balance_nonroot likewise
// keeps cell pointers into one scratch space). Insertion reorders spans only:
// a cell's bytes stay where they were appended.

import Base

struct CellList {
    private(set) var bytes: [UInt8] = []
    private var starts: [Int32] = []
    private var sizes: [Int32] = []

    init() {}

    /// The cells of `node`, in order.
    init(_ node: BTreeNode, tree: BTree) throws(DBError) {
        let n = node.cellCount
        bytes.reserveCapacity(node.usableSize)
        starts.reserveCapacity(n + 4)
        sizes.reserveCapacity(n + 4)
        try append(cellsOf: node, tree: tree)
    }

    var count: Int { starts.count }
    var isEmpty: Bool { starts.isEmpty }

    /// Bytes cell `i` occupies on a page.
    @inline(__always) func size(_ i: Int) -> Int { Int(sizes[i]) }

    /// Calls `body` with each cell's size in bytes (a page also gives each a 2-byte cell pointer).
    func withCellSizes<R>(_ body: (UnsafeBufferPointer<Int32>) -> R) -> R {
        sizes.withUnsafeBufferPointer(body)
    }

    /// Bytes the cells take on a page, cell pointers included.
    var pageBytes: Int {
        var total = 0
        for s in sizes { total += Int(s) + 2 }
        return total
    }

    /// Appends every cell of `node`: the part of the page from its lowest cell to the end is copied in one
    /// piece and each cell is found at its page offset in that copy (freeblocks come along unused), so
    /// gathering a page costs one copy and a size per cell. The spans are written through raw buffers
    /// grown once per page (an array append per cell cost more than the cell's size computation).
    mutating func append(cellsOf node: BTreeNode, tree: BTree) throws(DBError) {
        let n = node.cellCount
        guard n > 0 else { return }
        let usable = node.usableSize
        let firstNew = starts.count
        starts.append(contentsOf: repeatElement(0, count: n))
        sizes.append(contentsOf: repeatElement(0, count: n))
        // cellOffset's checks, with the page's header fields read once rather than per cell.
        let data = UnsafeRawPointer(node.data)
        let pointers = node.cellPointerStart
        let contentFloor = pointers + 2 * n
        let isTable = node.isTable, isLeaf = node.isLeaf
        let maxLocal = isTable ? tree.maxLocalTable : tree.maxLocalIndex
        var lowest = usable
        var failure: DBError?
        starts.withUnsafeMutableBufferPointer { st in
            sizes.withUnsafeMutableBufferPointer { sz in
                for i in 0..<n {
                    let offset = get16(data, pointers + 2 * i)
                    guard offset >= contentFloor, offset + 4 <= usable else {
                        failure = DBError.corrupt(
                            "page \(node.pgno): cell \(i) at offset \(offset) is outside the content area")
                        return
                    }
                    // BTreeNode.cellSize's fast paths inline: a one-byte payload size that keeps the
                    // payload on the page.
                    var size = 0
                    if !isTable {
                        let p = isLeaf ? offset : offset + 4
                        if p < usable {
                            let b = Int(data.load(fromByteOffset: p, as: UInt8.self))
                            if b < 0x80 && b <= maxLocal { size = Swift.max(p - offset + 1 + b, 4) }
                        }
                    } else if isLeaf {
                        let b = Int(data.load(fromByteOffset: offset, as: UInt8.self))
                        if b < 0x80 && b <= maxLocal {
                            let m = readVarint(data + offset + 1, data + usable).length
                            if m > 0 { size = Swift.max(1 + m + b, 4) }
                        }
                    }
                    if size == 0 {
                        do throws(DBError) { size = try node.cellSize(at: offset, tree) } catch { failure = error; return }
                    }
                    guard size > 0, offset + size <= usable else {
                        failure = DBError.corrupt("cell \(i) extends past its page")
                        return
                    }
                    if offset < lowest { lowest = offset }
                    st[firstNew + i] = Int32(offset)  // the page offset for now; rebased below
                    sz[firstNew + i] = Int32(size)
                }
            }
        }
        if let failure {
            starts.removeSubrange(firstNew...)
            sizes.removeSubrange(firstNew...)
            throw failure
        }
        let shift = Int32(bytes.count - lowest)
        bytes.append(contentsOf: UnsafeRawBufferPointer(start: data + lowest, count: usable - lowest))
        starts.withUnsafeMutableBufferPointer { s in
            for k in firstNew..<firstNew + n { s[k] &+= shift }
        }
    }

    /// Appends the `size` bytes at `p` as one cell.
    mutating func append(_ p: UnsafeRawPointer, _ size: Int) {
        let base = bytes.count
        starts.append(Int32(base))
        sizes.append(Int32(size))
        bytes.append(contentsOf: repeatElement(0, count: size))
        bytes.withUnsafeMutableBytes { b in (b.baseAddress! + base).copyMemory(from: p, byteCount: size) }
    }

    /// Appends every cell of `other`.
    mutating func append(contentsOf other: CellList) {
        let base = Int32(bytes.count)
        let first = starts.count
        bytes.append(contentsOf: other.bytes)
        starts.append(contentsOf: other.starts)
        sizes.append(contentsOf: other.sizes)
        starts.withUnsafeMutableBufferPointer { s in
            for k in first..<s.count { s[k] &+= base }
        }
    }

    mutating func append(_ cell: [UInt8]) {
        starts.append(Int32(bytes.count))
        sizes.append(Int32(cell.count))
        bytes.append(contentsOf: cell)
    }

    /// Appends a cell made of a 4-byte child pointer followed by `size` bytes at `p`.
    mutating func append(child: UInt32, then p: UnsafeRawPointer, _ size: Int) {
        starts.append(Int32(bytes.count))
        sizes.append(Int32(size + 4))
        bytes.append(contentsOf: pageNumberBytes(child))
        bytes.append(contentsOf: UnsafeRawBufferPointer(start: p, count: size))
    }

    /// Inserts `cell` so that it becomes cell `i`.
    mutating func insert(_ cell: [UInt8], at i: Int) {
        starts.insert(Int32(bytes.count), at: i)
        sizes.insert(Int32(cell.count), at: i)
        bytes.append(contentsOf: cell)
    }

    /// Calls `body` with the bytes of cell `i`.
    @inline(__always)
    func withCell<R>(_ i: Int, _ body: (UnsafeRawBufferPointer) throws(DBError) -> R) throws(DBError) -> R {
        let start = Int(starts[i]), size = Int(sizes[i])
        return try bytes.withUnsafeBytesTyped { (base, _) throws(DBError) in
            try body(UnsafeRawBufferPointer(start: base + start, count: size))
        }
    }

    /// The first four bytes of cell `i` read as a child page number (interior cells).
    func childPointer(_ i: Int) -> UInt32 {
        let s = Int(starts[i])
        return UInt32(bytes[s]) << 24 | UInt32(bytes[s + 1]) << 16 | UInt32(bytes[s + 2]) << 8 | UInt32(bytes[s + 3])
    }

    /// Overwrites the child pointer that starts interior cell `i`.
    mutating func setChildPointer(_ i: Int, _ pgno: UInt32) {
        let s = Int(starts[i])
        bytes[s] = UInt8(pgno >> 24)
        bytes[s + 1] = UInt8((pgno >> 16) & 0xFF)
        bytes[s + 2] = UInt8((pgno >> 8) & 0xFF)
        bytes[s + 3] = UInt8(pgno & 0xFF)
    }

    /// Writes cells `range` one after another downwards from `top` in `page`, their pointers from `pointer`
    /// upwards. Returns the new top.
    func write(_ range: Range<Int>, into page: UnsafeMutableRawPointer, top: Int, pointer: Int) -> Int {
        var top = top
        var ptr = pointer
        bytes.withUnsafeBytes { b in
            for i in range {
                let size = Int(sizes[i])
                top -= size
                copyCell(to: page + top, from: b.baseAddress! + Int(starts[i]), size)
                put16(page, ptr, top)
                ptr += 2
            }
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
