// BTreeNode: one b-tree page seen through its header, cell pointer array and
// cells (https://sqlite.org/fileformat2.html section 1.6).
//
//   OFFSET SIZE DESCRIPTION (from the page header, at 100 on page 1, else 0)
//        0    1 page type: 2 interior index, 5 interior table, 10 leaf index, 13 leaf table
//        1    2 offset of the first freeblock, 0 if none
//        3    2 number of cells
//        5    2 start of the cell content area (0 means 65536)
//        7    1 fragmented free bytes in the content area
//        8    4 right-most child pointer (interior pages only)
//
// The cell pointer array follows the 8- or 12-byte header; cell content grows
// down from the end of the usable area. Freeblocks form a list sorted by
// offset, each starting with (next offset: 2 bytes, size: 2 bytes).
// Everything read from a page is bounds-checked against the usable size before
// use: a violation is SQLITE_CORRUPT naming the page.

import Base

enum PageType: UInt8 {
    case interiorIndex = 2
    case interiorTable = 5
    case leafIndex = 10
    case leafTable = 13
}

enum PageHeaderOffset {
    static let type = 0
    static let firstFreeblock = 1
    static let cellCount = 3
    static let contentStart = 5
    static let fragmentedBytes = 7
    static let rightChild = 8
}

/// The parsed layout of one cell.
struct CellInfo {
    /// Offset of the cell in the page.
    var offset: Int
    /// Total bytes the cell occupies in the page (at least 4).
    var size: Int
    /// Table b-trees: the rowid. Index b-trees: unused.
    var rowid: Int64
    /// Total payload bytes (0 for interior table cells).
    var payloadSize: Int
    /// Offset in the page of the first payload byte.
    var payloadOffset: Int
    /// Payload bytes stored on this page.
    var localSize: Int
    /// First overflow page, 0 when the payload is all local.
    var overflowPage: UInt32
    /// Left child (interior pages), else 0.
    var leftChild: UInt32
}

/// A view of a b-tree page's bytes. Cheap to make; holds no reference.
struct BTreeNode {
    let data: UnsafeMutableRawPointer
    let pgno: UInt32
    /// Offset of the page header: 100 on page 1, else 0.
    let hdr: Int
    let usableSize: Int

    @inline(__always)
    init(_ page: PageRef, usableSize: Int) {
        data = page.data
        pgno = page.pgno
        hdr = page.pgno == 1 ? 100 : 0
        self.usableSize = usableSize
    }

    @inline(__always) var typeByte: UInt8 { data.load(fromByteOffset: hdr, as: UInt8.self) }
    /// Leaf pages have bit 3 set (types 10 and 13).
    @inline(__always) var isLeaf: Bool { typeByte & 8 != 0 }
    /// Table (intkey) pages are types 5 and 13.
    @inline(__always) var isTable: Bool { typeByte & 1 != 0 }
    @inline(__always) var headerSize: Int { isLeaf ? 8 : 12 }
    @inline(__always) var cellCount: Int { get16(data, hdr + PageHeaderOffset.cellCount) }
    @inline(__always) var cellPointerStart: Int { hdr + headerSize }
    @inline(__always) var rightChild: UInt32 { get32(data, hdr + PageHeaderOffset.rightChild) }
    @inline(__always) var firstFreeblock: Int { get16(data, hdr + PageHeaderOffset.firstFreeblock) }
    @inline(__always) var fragmentedBytes: Int { Int(data.load(fromByteOffset: hdr + 7, as: UInt8.self)) }
    @inline(__always) var contentStart: Int {
        let v = get16(data, hdr + PageHeaderOffset.contentStart)
        return v == 0 ? 65536 : v
    }

    /// Checks the header fields every access relies on.
    func validate() throws(DBError) {
        let t = typeByte
        guard t == 2 || t == 5 || t == 10 || t == 13 else {
            throw DBError.corrupt("page \(pgno): invalid b-tree page type \(t)")
        }
        let n = cellCount
        guard cellPointerStart + 2 * n <= usableSize else {
            throw DBError.corrupt("page \(pgno): \(n) cells do not fit")
        }
        let cs = contentStart
        guard cs >= cellPointerStart + 2 * n || n == 0, cs <= usableSize || (cs == 65536 && usableSize == 65536) else {
            throw DBError.corrupt("page \(pgno): cell content area starts at \(cs)")
        }
    }

    /// Offset of cell `i`, checked to lie inside the content area.
    @inline(__always)
    func cellOffset(_ i: Int) throws(DBError) -> Int {
        let o = get16(data, cellPointerStart + 2 * i)
        guard o >= cellPointerStart + 2 * cellCount, o + 4 <= usableSize else {
            throw DBError.corrupt("page \(pgno): cell \(i) at offset \(o) is outside the content area")
        }
        return o
    }

    /// The left child of interior cell `i`, or the right child for `i == cellCount`.
    @inline(__always)
    func childPage(_ i: Int) throws(DBError) -> UInt32 {
        if i == cellCount { return rightChild }
        return get32(data, try cellOffset(i))
    }

    /// The rowid of a table-page cell (interior or leaf) without parsing the rest.
    @inline(__always)
    func tableCellRowid(_ i: Int) throws(DBError) -> Int64 {
        var p = try cellOffset(i)
        let end = data + usableSize
        if isLeaf {
            let (_, n) = readVarint(data + p, end)
            guard n > 0 else { throw DBError.corrupt("page \(pgno): truncated cell \(i)") }
            p += n
        } else {
            p += 4
        }
        let (r, m) = readVarint(data + p, end)
        guard m > 0 else { throw DBError.corrupt("page \(pgno): truncated cell \(i)") }
        return Int64(bitPattern: r)
    }

    /// Parses cell `i` of this page.
    @inline(__always)
    func cell(_ i: Int, _ tree: BTree) throws(DBError) -> CellInfo {
        try cellAt(try cellOffset(i), tree)
    }

    /// Where the payload of index cell `i` starts and how long it is, when it lies wholly on this page
    /// (nil: it spills to overflow pages). The common one-byte payload size takes no full parse.
    @inline(__always)
    func localIndexPayload(_ i: Int, _ tree: BTree) throws(DBError) -> (offset: Int, size: Int)? {
        if let local = commonLocalPayload(i, tree) { return local }
        let info = try cell(i, tree)
        return info.localSize == info.payloadSize ? (info.payloadOffset, info.payloadSize) : nil
    }

    /// Where the payload of cell `i` starts and how long it is, when it lies wholly on this page (nil: it
    /// spills to overflow pages, or the cell is a table interior cell, which has none). Common cells take
    /// `commonLocalPayload`; anything unusual takes the full parse, which reports corruption.
    @inline(__always)
    func localPayload(_ i: Int, _ tree: BTree) throws(DBError) -> (offset: Int, size: Int)? {
        if let local = commonLocalPayload(i, tree) { return local }
        if isTable && !isLeaf { return nil }
        let info = try cell(i, tree)
        return info.localSize == info.payloadSize ? (info.payloadOffset, info.payloadSize) : nil
    }

    /// The payload of cell `i` read as btreeParseCellPtr and btreeParseCellPtrIndex read it, by
    /// straight-line reads and without throwing: on a table leaf the payload size and the rowid's bytes
    /// skipped unparsed, on an index page a one-byte payload size (after the child pointer on an interior
    /// page), the cell inside the content area (cellOffset's check) and its payload wholly on the page.
    /// Nil for anything else, table interior cells included: the callers' full parse decides.
    @inline(__always)
    func commonLocalPayload(_ i: Int, _ tree: BTree) -> (offset: Int, size: Int)? {
        // The page type read once: 13 table leaf, 10 index leaf, 2 index interior (12-byte header).
        let type = typeByte
        let n = cellCount, pointers = hdr &+ (type == 13 || type == 10 ? 8 : 12)
        guard UInt(bitPattern: i) < UInt(n) else { return nil }
        let o = get16(data, pointers &+ 2 &* i)
        guard o >= pointers &+ 2 &* n, o &+ 4 <= usableSize else { return nil }
        if type == 13 {
            let (size, k) = readVarint(data + o, data + usableSize)
            // Room for the longest rowid varint, so that skipping it needs no bound per byte.
            guard k > 0, size <= UInt64(tree.maxLocalTable), o &+ k &+ 9 <= usableSize else { return nil }
            var p = o &+ k, rowidBytes = 1
            while rowidBytes < 9 && data.load(fromByteOffset: p, as: UInt8.self) >= 0x80 {
                p &+= 1
                rowidBytes &+= 1
            }
            p &+= 1
            guard p &+ Int(size) <= usableSize else { return nil }
            return (p, Int(size))
        }
        guard type == 10 || type == 2 else { return nil }
        let p = type == 10 ? o : o &+ 4
        let b = Int(data.load(fromByteOffset: p, as: UInt8.self))
        guard b < 0x80, b <= tree.maxLocalIndex, p &+ 1 &+ b <= usableSize else { return nil }
        return (p &+ 1, b)
    }

    /// Bytes the cell at `offset` takes on the page (as `cellAt(offset).size`, SQLite's cellSizePtr): the common
    /// cells whose payload size is one byte and lies wholly on the page take no full parse.
    @inline(__always)
    func cellSize(at offset: Int, _ tree: BTree) throws(DBError) -> Int {
        if !isTable {
            let p = isLeaf ? offset : offset + 4
            if p < usableSize {
                let b = Int(data.load(fromByteOffset: p, as: UInt8.self))
                if b < 0x80 && b <= tree.maxLocalIndex { return Swift.max(p - offset + 1 + b, 4) }
            }
        } else if isLeaf {
            let b = Int(data.load(fromByteOffset: offset, as: UInt8.self))
            if b < 0x80 && b <= tree.maxLocalTable {
                let m = readVarint(data + offset + 1, data + usableSize).length
                if m > 0 { return Swift.max(1 + m + b, 4) }
            }
        }
        return try cellAt(offset, tree).size
    }

    /// Parses the cell at `offset`.
    func cellAt(_ offset: Int, _ tree: BTree) throws(DBError) -> CellInfo {
        let end = data + usableSize
        var p = offset
        var info = CellInfo(offset: offset, size: 0, rowid: 0, payloadSize: 0, payloadOffset: 0, localSize: 0,
                            overflowPage: 0, leftChild: 0)
        let leaf = isLeaf, table = isTable
        if !leaf {
            info.leftChild = get32(data, p)
            p += 4
        }
        if table && !leaf {
            let (r, n) = readVarint(data + p, end)
            guard n > 0 else { throw DBError.corrupt("page \(pgno): truncated cell at \(offset)") }
            info.rowid = Int64(bitPattern: r)
            info.size = p + n - offset
            if info.size < 4 { info.size = 4 }
            return info
        }
        let (ps, n) = readVarint(data + p, end)
        guard n > 0, ps <= 0x7FFF_FFFF else { throw DBError.corrupt("page \(pgno): bad payload size in cell at \(offset)") }
        p += n
        if table {
            let (r, m) = readVarint(data + p, end)
            guard m > 0 else { throw DBError.corrupt("page \(pgno): truncated cell at \(offset)") }
            info.rowid = Int64(bitPattern: r)
            p += m
        }
        info.payloadSize = Int(ps)
        info.payloadOffset = p
        let local = tree.localPayloadSize(info.payloadSize, table: table)
        info.localSize = local
        var size = p - offset + local
        if local < info.payloadSize {
            guard p + local + 4 <= usableSize else {
                throw DBError.corrupt("page \(pgno): cell at \(offset) overflows the page")
            }
            info.overflowPage = get32(data, p + local)
            size += 4
        } else if p + local > usableSize {
            throw DBError.corrupt("page \(pgno): cell at \(offset) overflows the page")
        }
        info.size = max(size, 4)
        return info
    }

    /// Free bytes: the gap between the pointer array and the content, freeblocks and fragments.
    func freeSpace() throws(DBError) -> Int {
        var total = contentStart - (cellPointerStart + 2 * cellCount) + fragmentedBytes
        var fb = firstFreeblock
        var steps = 0
        while fb != 0 {
            guard fb + 4 <= usableSize, steps < usableSize / 4 else {
                throw DBError.corrupt("page \(pgno): freeblock list is damaged")
            }
            total += get16(data, fb + 2)
            let next = get16(data, fb)
            guard next == 0 || next > fb + get16(data, fb + 2) else {
                throw DBError.corrupt("page \(pgno): freeblocks out of order")
            }
            fb = next
            steps += 1
        }
        return total
    }
}

/// Bytes a cell takes on its page, parsed from its bytes at `cell`, which must end by `end` (as
/// BTreeNode.cellAt's size, SQLite's cellSizePtr): for cells held outside their page, such as a
/// rebalancing list's (CellList). `maxLocal` is the tree kind's largest local payload.
func parsedCellSize(_ cell: UnsafeRawPointer, end: UnsafeRawPointer, table: Bool, leaf: Bool, maxLocal: Int,
                    minLocal: Int, usableSize: Int) throws(DBError) -> Int {
    var p = cell
    if !leaf {
        p += 4
        guard p < end else { throw DBError.corrupt("a cell runs past its page") }
        if table {
            let n = readVarint(p, end).length
            guard n > 0 else { throw DBError.corrupt("a truncated table interior cell") }
            return 4 + n
        }
    }
    let (payload, n) = readVarint(p, end)
    guard n > 0, payload <= 0x7FFF_FFFF else { throw DBError.corrupt("a cell with a bad payload size") }
    p += n
    if table {
        let m = readVarint(p, end).length
        guard m > 0 else { throw DBError.corrupt("a truncated table leaf cell") }
        p += m
    }
    let size = Int(payload)
    var local = size
    if size > maxLocal {
        let k = minLocal + (size - minLocal) % (usableSize - 4)
        local = k <= maxLocal ? k : minLocal
    }
    var total = (p - cell) + local
    if local < size { total += 4 }
    guard cell + total <= end else { throw DBError.corrupt("a cell runs past its page") }
    return Swift.max(total, 4)
}
