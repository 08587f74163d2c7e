// PageEdit: changing the cells of one b-tree page in place.
//
// Space inside a page comes from three places, tried in order (as SQLite's
// allocateSpace): a freeblock big enough (what is left over, if under 4
// bytes, becomes fragmented bytes), the gap between the cell pointer array
// and the content area, and — after defragmenting — the gap again. Freed
// cells go back onto the sorted freeblock list, merged with neighbours, or
// extend the content area when adjacent to it. The caller has made the page
// writable and checked that the cell fits (`freeSpace() >= size + 2`).
// `rebuild` rewrites a page from a list of cells, packed at the end.

import Base

extension BTreeNode {
    @inline(__always) func setCellCount(_ n: Int) { put16(data, hdr + PageHeaderOffset.cellCount, n) }
    @inline(__always) func setContentStart(_ v: Int) { put16(data, hdr + PageHeaderOffset.contentStart, v == 65536 ? 0 : v) }
    @inline(__always) func setFirstFreeblock(_ v: Int) { put16(data, hdr + PageHeaderOffset.firstFreeblock, v) }
    @inline(__always) func setFragmentedBytes(_ v: Int) {
        data.storeBytes(of: UInt8(v), toByteOffset: hdr + PageHeaderOffset.fragmentedBytes, as: UInt8.self)
    }
    @inline(__always) func setRightChild(_ v: UInt32) { put32(data, hdr + PageHeaderOffset.rightChild, v) }

    /// Room for content on this page when it is empty.
    var emptyCapacity: Int { usableSize - hdr - headerSize }

    /// Reserves `size` bytes for a new cell (the pointer slot is the caller's); returns the offset, or nil.
    func allocateSpace(_ size: Int, tree: BTree) throws(DBError) -> Int? {
        let pointerEnd = cellPointerStart + 2 * cellCount
        var top = contentStart
        guard top <= usableSize else { throw DBError.corrupt("page \(pgno): cell content area starts past the page") }
        if firstFreeblock != 0 && pointerEnd + 2 <= top {
            if let off = try takeFromFreeblock(size) { return off }
        }
        if pointerEnd + 2 + size <= top {
            top -= size
            setContentStart(top)
            return top
        }
        if try closeFreeblockGaps() {
            top = contentStart
            if pointerEnd + 2 + size <= top {
                top -= size
                setContentStart(top)
                return top
            }
        }
        try defragment(tree: tree)
        top = contentStart
        if pointerEnd + 2 + size <= top {
            top -= size
            setContentStart(top)
            return top
        }
        return nil
    }

    /// First fit on the freeblock list.
    private func takeFromFreeblock(_ size: Int) throws(DBError) -> Int? {
        var link = hdr + PageHeaderOffset.firstFreeblock
        var fb = firstFreeblock
        var steps = 0
        while fb != 0 {
            guard fb + 4 <= usableSize, steps < usableSize / 4 else {
                throw DBError.corrupt("page \(pgno): freeblock list is damaged")
            }
            let blockSize = get16(data, fb + 2)
            guard fb + blockSize <= usableSize else { throw DBError.corrupt("page \(pgno): freeblock past the page") }
            if blockSize >= size {
                let rest = blockSize - size
                if rest < 4 {
                    if fragmentedBytes + rest > 60 { return nil }
                    put16(data, link, get16(data, fb))
                    setFragmentedBytes(fragmentedBytes + rest)
                    return fb
                }
                put16(data, fb + 2, rest)
                return fb + rest
            }
            link = fb
            fb = get16(data, fb)
            steps += 1
        }
        return nil
    }

    /// Returns `size` bytes at `offset` to the page's free space.
    func releaseSpace(_ offset: Int, _ size: Int) throws(DBError) {
        var link = hdr + PageHeaderOffset.firstFreeblock
        var previous = 0
        var next = firstFreeblock
        var steps = 0
        while next != 0 && next < offset {
            guard steps < usableSize / 4, next + 4 <= usableSize else {
                throw DBError.corrupt("page \(pgno): freeblock list is damaged")
            }
            previous = next
            link = next
            next = get16(data, next)
            steps += 1
        }
        var start = offset
        var end = offset + size
        var fragmentsAbsorbed = 0
        if next != 0 && end + 3 >= next {
            guard next >= end, next + 4 <= usableSize else { throw DBError.corrupt("page \(pgno): overlapping freeblocks") }
            fragmentsAbsorbed += next - end
            end = next + get16(data, next + 2)
            next = get16(data, next)
        }
        if previous != 0 {
            let prevEnd = previous + get16(data, previous + 2)
            if prevEnd + 3 >= start {
                guard prevEnd <= start else { throw DBError.corrupt("page \(pgno): overlapping freeblocks") }
                fragmentsAbsorbed += start - prevEnd
                start = previous
                // `link` pointed at `previous`'s own next field; find the link into `previous` again.
                link = hdr + PageHeaderOffset.firstFreeblock
                var p = firstFreeblock
                while p != previous && p != 0 {
                    link = p
                    p = get16(data, p)
                }
            }
        }
        guard fragmentsAbsorbed <= fragmentedBytes else { throw DBError.corrupt("page \(pgno): fragment count") }
        setFragmentedBytes(fragmentedBytes - fragmentsAbsorbed)
        if start <= contentStart {
            guard start == contentStart, link == hdr + PageHeaderOffset.firstFreeblock else {
                throw DBError.corrupt("page \(pgno): freed space before the content area")
            }
            put16(data, link, next)
            setContentStart(end)
        } else {
            put16(data, start, next)
            put16(data, start + 2, end - start)
            put16(data, link, start)
        }
    }

    /// Packs every cell at the end of the page: no freeblocks, no fragments.
    /// defragmentPage's fast path: a page with one or two freeblocks (the usual shape after a cell is
    /// replaced by a bigger one) and at most 4 fragmented bytes is compacted by moving the content above
    /// each freeblock up and shifting the cell pointers that point there, with no cell parsed. False
    /// (page untouched) for another shape; fragmented bytes stay.
    func closeFreeblockGaps() throws(DBError) -> Bool {
        guard fragmentedBytes <= 4 else { return false }
        let free1 = firstFreeblock
        guard free1 != 0 else { return false }
        guard free1 <= usableSize - 4 else { throw DBError.corrupt("page \(pgno): freeblock past the page") }
        let free2 = get16(data, free1)
        guard free2 <= usableSize - 4 else { throw DBError.corrupt("page \(pgno): freeblock past the page") }
        guard free2 == 0 || get16(data, free2) == 0 else { return false }
        let size1 = get16(data, free1 + 2)
        let top = contentStart
        guard top < free1 else { throw DBError.corrupt("page \(pgno): freeblock below the content area") }
        var size2 = 0
        if free2 != 0 {
            guard free1 + size1 <= free2 else { throw DBError.corrupt("page \(pgno): freeblocks overlap") }
            size2 = get16(data, free2 + 2)
            guard free2 + size2 <= usableSize else { throw DBError.corrupt("page \(pgno): freeblock past the page") }
            (data + free1 + size1 + size2).copyMemory(from: data + free1 + size1, byteCount: free2 - (free1 + size1))
        } else {
            guard free1 + size1 <= usableSize else { throw DBError.corrupt("page \(pgno): freeblock past the page") }
        }
        let shift = size1 + size2
        (data + top + shift).copyMemory(from: data + top, byteCount: free1 - top)
        let end = free2 == 0 ? free1 : free2
        for i in 0..<cellCount {
            let slot = cellPointerStart + 2 * i
            let pc = get16(data, slot)
            if pc < free1 {
                put16(data, slot, pc + shift)
            } else if pc < end {
                put16(data, slot, pc + size2)
            }
        }
        setContentStart(top + shift)
        setFirstFreeblock(0)
        return true
    }

    func defragment(tree: BTree) throws(DBError) {
        let n = cellCount
        let usable = usableSize
        // One allocation: a copy of the content area, then each cell's size (SQLite's defragmentPage
        // copies the page to scratch space the same way).
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: usable + 4 * n, alignment: 8)
        defer { buffer.deallocate() }
        let sizes = (buffer + usable).bindMemory(to: Int32.self, capacity: n)
        var total = 0
        var lowest = usable
        for i in 0..<n {
            let o = try cellOffset(i)
            let size = try cellSize(at: o, tree)
            guard o + size <= usable else { throw DBError.corrupt("page \(pgno): cell \(i) past the page") }
            sizes[i] = Int32(size)
            total += size
            if o < lowest { lowest = o }
        }
        // Cells that overlap (a corrupt page) add up to more than fits: checked before anything moves.
        guard usable - total >= cellPointerStart + 2 * n else {
            throw DBError.corrupt("page \(pgno): cells overlap")
        }
        (buffer + lowest).copyMemory(from: data + lowest, byteCount: usable - lowest)
        var top = usable
        for i in 0..<n {
            let slot = cellPointerStart + 2 * i
            let size = Int(sizes[i])
            top -= size
            copyCell(to: data + top, from: buffer + get16(data, slot), size)
            put16(data, slot, top)
        }
        setContentStart(top)
        setFirstFreeblock(0)
        setFragmentedBytes(0)
    }

    /// Inserts `cell` as cell number `index`; false (page untouched) when it does not fit.
    func insertCell(_ cell: [UInt8], at index: Int, tree: BTree) throws(DBError) -> Bool {
        try cell.withUnsafeBytesTyped { p, n throws(DBError) in
            try insertCell(UnsafeRawBufferPointer(start: p, count: n), at: index, tree: tree)
        }
    }

    /// `insertCell` of the `cell.count` bytes at `cell` (a cell at least 4 bytes long).
    func insertCell(_ cell: UnsafeRawBufferPointer, at index: Int, tree: BTree) throws(DBError) -> Bool {
        let size = cell.count
        // The gap above the cell pointers is part of the free space: when it holds the cell, the
        // freeblock list need not be walked to know that the page does.
        if contentStart - (cellPointerStart + 2 * cellCount) < size + 2 {
            guard try freeSpace() >= size + 2 else { return false }
        }
        guard let offset = try allocateSpace(size, tree: tree) else { return false }
        let n0 = cellCount
        // A damaged header or freeblock list must not make the copy below leave the page (decision 7).
        guard index >= 0, index <= n0, offset >= cellPointerStart + 2 * (n0 + 1), offset + size <= usableSize else {
            throw DBError.corrupt("page \(pgno): no room for cell \(index) where the page says there is")
        }
        (data + offset).copyMemory(from: cell.baseAddress!, byteCount: size)
        let n = cellCount
        let ptr = cellPointerStart + 2 * index
        if index < n { (data + ptr + 2).copyMemory(from: data + ptr, byteCount: 2 * (n - index)) }
        put16(data, ptr, offset)
        setCellCount(n + 1)
        return true
    }

    /// Makes this page, which holds cells `old` of `cells` (all but the one at `overflowAt`, an overflow cell
    /// it never held; -1 for none), hold cells `new` instead, touching only the cells that differ (btree.c's
    /// editPage): cells leaving at either end give their space back, cells arriving at either end (and the
    /// overflow cell) are copied in, and the cells both share stay where they are, never parsed. False when
    /// the two share no cell or the page lacks room without defragmenting; the page may then be half edited,
    /// and the caller rewrites it whole (`BTree.rebuild`). The page is writable; `new` fits an empty page.
    func editCells(_ cells: CellList, old: Range<Int>, overflowAt anyOverflow: Int, new: Range<Int>) throws(DBError) -> Bool {
        // The overflow cell belongs to one page's range at most.
        let overflowAt = old.contains(anyOverflow) ? anyOverflow : -1
        let keepLow = Swift.max(old.lowerBound, new.lowerBound), keepHigh = Swift.min(old.upperBound, new.upperBound)
        let overflowKept = overflowAt >= keepLow && overflowAt < keepHigh
        // Cells of the page itself among those kept: none, and there is nothing to edit.
        guard keepHigh - keepLow - (overflowKept ? 1 : 0) > 0 else { return false }
        @inline(__always) func pageIndex(_ k: Int) -> Int {
            k - old.lowerBound - (overflowAt >= 0 && k > overflowAt ? 1 : 0)
        }
        var n = cellCount
        guard n == old.count - (overflowAt >= 0 ? 1 : 0) else { throw DBError.corrupt("page \(pgno): cell count changed") }
        if new.upperBound < old.upperBound {
            var removed = 0
            var run = FreedRun()
            for k in new.upperBound..<old.upperBound where k != overflowAt {
                try run.add(try cellOffset(pageIndex(k)), try cells.size(k), on: self)
                removed += 1
            }
            try run.flush(on: self)
            n -= removed
            setCellCount(n)
        }
        if new.lowerBound > old.lowerBound {
            var removed = 0
            var run = FreedRun()
            for k in old.lowerBound..<new.lowerBound where k != overflowAt {
                try run.add(try cellOffset(pageIndex(k)), try cells.size(k), on: self)
                removed += 1
            }
            try run.flush(on: self)
            let pointers = data + cellPointerStart
            pointers.copyMemory(from: pointers + 2 * removed, byteCount: 2 * (n - removed))
            n -= removed
            setCellCount(n)
        }
        // The final pointer array must end below the content area, so that the pointers can move before
        // the cells they point at are written.
        let pointerEnd = cellPointerStart + 2 * new.count
        guard contentStart >= pointerEnd else { return false }
        let pointers = data + cellPointerStart
        if new.lowerBound < old.lowerBound {
            let added = old.lowerBound - new.lowerBound
            (pointers + 2 * added).copyMemory(from: pointers, byteCount: 2 * n)
            n += added
            for t in 0..<added {
                guard let offset = try place(cells, new.lowerBound + t, pointerEnd: pointerEnd) else { return false }
                put16(pointers, 2 * t, offset)
            }
        }
        if overflowKept {
            let position = overflowAt - new.lowerBound
            (pointers + 2 * position + 2).copyMemory(from: pointers + 2 * position, byteCount: 2 * (n - position))
            n += 1
            guard let offset = try place(cells, overflowAt, pointerEnd: pointerEnd) else { return false }
            put16(pointers, 2 * position, offset)
        }
        if new.upperBound > old.upperBound {
            for k in old.upperBound..<new.upperBound {
                guard let offset = try place(cells, k, pointerEnd: pointerEnd) else { return false }
                put16(pointers, 2 * n, offset)
                n += 1
            }
        }
        guard n == new.count else { throw DBError.corrupt("page \(pgno): cells miscounted while rebalancing") }
        setCellCount(n)
        return true
    }

    /// Cells leaving a page, freed as runs of adjacent bytes (btree.c's pageFreeArray): a page written top
    /// down keeps neighbouring cells side by side, so the cells leaving either end of it usually free as
    /// one region, and the freeblock list is walked once per run instead of once per cell.
    struct FreedRun {
        private var start = 0, end = 0

        /// Frees `size` bytes at `offset`: joins the pending run when adjacent to it, else frees that run first.
        mutating func add(_ offset: Int, _ size: Int, on node: BTreeNode) throws(DBError) {
            if end != 0 {
                if offset + size == start { start = offset; return }
                if offset == end { end = offset + size; return }
                try node.releaseSpace(start, end - start)
            }
            (start, end) = (offset, offset + size)
        }

        /// Frees the pending run.
        mutating func flush(on node: BTreeNode) throws(DBError) {
            if end != 0 { try node.releaseSpace(start, end - start) }
            end = 0
        }
    }

    /// Copies cell `k` of `cells` into space taken from a freeblock or the gap above `pointerEnd` (no
    /// defragmenting: btree.c's pageInsertArray); its offset, or nil when there is no such room.
    private func place(_ cells: CellList, _ k: Int, pointerEnd: Int) throws(DBError) -> Int? {
        let size = try cells.size(k)
        var offset: Int? = nil
        if firstFreeblock != 0 { offset = try takeFromFreeblock(size) }
        if offset == nil {
            let top = contentStart
            guard top - size >= pointerEnd else { return nil }
            setContentStart(top - size)
            offset = top - size
        }
        copyCell(to: data + offset!, from: cells.cellBytes(k), size)
        return offset
    }

    /// Removes cell `index` (its overflow chain is the caller's business).
    func dropCell(_ index: Int, size: Int) throws(DBError) {
        let n = cellCount
        let offset = try cellOffset(index)
        try releaseSpace(offset, size)
        let ptr = cellPointerStart + 2 * index
        if index < n - 1 { (data + ptr).copyMemory(from: data + ptr + 2, byteCount: 2 * (n - 1 - index)) }
        setCellCount(n - 1)
        if n - 1 == 0 {
            setContentStart(usableSize)
            setFirstFreeblock(0)
            setFragmentedBytes(0)
        }
    }
}

extension BTree {
    /// Rewrites `page` as a page of `type` holding exactly `cells[range]` (which must fit) and, if interior,
    /// `rightChild`.
    func rebuild(_ page: PageRef, type: PageType, cells: CellList, range: Range<Int>? = nil, rightChild: UInt32) {
        initializePage(page, type: type)
        let node = BTreeNode(page, usableSize: usableSize)
        let r = range ?? 0..<cells.count
        let top = cells.write(r, into: page.data, top: usableSize, pointer: node.cellPointerStart)
        assert(top >= node.cellPointerStart + 2 * r.count, "rebuild overfilled page \(page.pgno)")
        node.setCellCount(r.count)
        node.setContentStart(top)
        if type == .interiorIndex || type == .interiorTable { node.setRightChild(rightChild) }
    }

    /// True when `cells` fit on page `pgno` (page 1 loses 100 bytes to the file header).
    func cellsFit(_ cells: CellList, pgno: UInt32, leaf: Bool) -> Bool {
        cells.pageBytes <= usableSize - (pgno == 1 ? 100 : 0) - (leaf ? 8 : 12)
    }

    /// Points the pointer map at `page` for each child and overflow chain its cells reference.
    func updatePointerMap(for page: PageRef) throws(DBError) {
        guard autoVacuum else { return }
        let node = BTreeNode(page, usableSize: usableSize)
        for i in 0..<node.cellCount {
            let info = try node.cell(i, self)
            if info.overflowPage != 0 { try setPointerMapEntry(info.overflowPage, type: .overflow1, parent: page.pgno) }
            if !node.isLeaf { try setPointerMapEntry(info.leftChild, type: .btree, parent: page.pgno) }
        }
        if !node.isLeaf { try setPointerMapEntry(node.rightChild, type: .btree, parent: page.pgno) }
    }
}
