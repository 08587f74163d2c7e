// Balance: keeping every b-tree page within its size after a change.
//
// After an insert that does not fit, or a delete that leaves a page less than
// a third full, the page is rebalanced together with up to two neighbouring
// siblings (SQLite's balance_nonroot): their cells, and for index trees and
// interior table pages the dividers between them, are gathered into one list,
// spread over as many pages as needed (filled left to right, then evened
// right to left), and the parent gets new dividers. The parent's new cell
// list may itself not fit, or be underfull, so balancing walks up the
// cursor's path. At the root, content that does not fit moves into a new
// child (balance_deeper); a root interior page left with no cells takes in
// its only child when that fits (balance_shallower). Appending past the end
// of a table's last leaf starts a new leaf instead (balance_quick), which
// keeps pages full under sequential inserts. Invariants afterwards: every
// non-root page holds at least one cell, cells are in key order, and under
// auto-vacuum the pointer map names every moved page's parent.

import Base

/// The intended cells of a page (and its right child, for interior pages) that may not fit it yet.
struct PageContent {
    var cells: CellList
    var rightChild: UInt32
}

/// A cell that belongs at `index` of a leaf it did not fit (btree.c's overflow cell): the leaf is
/// unchanged, and rebalancing takes the cell in with the leaf's own.
struct OverflowCell {
    var cell: [UInt8]
    var index: Int
}

/// What rebalancing a page did to its parent.
enum ParentUpdate {
    /// The parent page holds its new dividers already.
    case inPlace
    /// The parent's new dividers do not fit it: this is its intended content.
    case content(PageContent)
}

extension BTreeCursor {
    @inline(__always)
    func pageRef(at level: Int) -> PageRef {
        PageRef(frame: levels[level].frame, pgno: levels[level].pgno, data: levels[level].data!)
    }

    /// Rebalances the leaf at stack level `level`, which `overflow` did not fit, and upwards: the cell goes
    /// straight into the rebalanced siblings (or a new leaf), so the leaf's cells are gathered only once.
    func balance(level: Int, overflow: OverflowCell) throws(DBError) {
        let here = node(at: level)
        let appended = overflow.index == here.cellCount
        var update: ParentUpdate? = nil
        if level > 0 {
            if appended && isTable && here.cellCount > 0 {
                update = try overflow.cell.withUnsafeBytesTyped { (p, n) throws(DBError) in
                    try balanceQuick(level, newCell: UnsafeRawBufferPointer(start: p, count: n)) }
            } else if appended && bulkLoad && !isTable && here.cellCount > 1 {
                update = try overflow.cell.withUnsafeBytesTyped { (p, n) throws(DBError) in
                    try balanceQuickIndex(level, newCell: UnsafeRawBufferPointer(start: p, count: n)) }
            }
            if update == nil { update = try balanceSiblings(level: level, content: nil, overflow: overflow) }
        }
        guard let update else {
            // The root leaf: its content, new cell included, goes one level down (balance_deeper).
            var cells = try CellList(here, tree: tree)
            cells.insert(overflow.cell, at: overflow.index)
            return try balance(level: level, content: PageContent(cells: cells, rightChild: 0), insertedAt: overflow.index)
        }
        // The parent, changed in place or given content that may not fit, is balanced in its turn.
        switch update {
        case .content(let parentContent): try balance(level: level - 1, content: parentContent, insertedAt: nil)
        case .inPlace: try balance(level: level - 1, content: nil, insertedAt: nil)
        }
    }

    /// Rebalances from stack level `level` upwards. `content` is that page's intended cells when they do
    /// not fit (nil: check its own cells for underflow). `insertedAt` names a cell just inserted there.
    func balance(level startLevel: Int, content startContent: PageContent?, insertedAt: Int?) throws(DBError) {
        var level = startLevel
        var content = startContent
        var appended = insertedAt != nil && startContent != nil && insertedAt! == startContent!.cells.count - 1
        while true {
            let page = pageRef(at: level)
            let here = node(at: level)
            guard let type = PageType(rawValue: here.typeByte) else {
                throw DBError.corrupt("page \(page.pgno): invalid b-tree page type")
            }
            if let c = content {
                if tree.cellsFit(c.cells, pgno: page.pgno, leaf: here.isLeaf) {
                    try pager.makeWritable(page)
                    tree.rebuild(page, type: type, cells: c.cells, rightChild: c.rightChild)
                    try tree.updatePointerMap(for: page)
                    content = nil
                    if level == 0 {
                        try balanceShallower()
                        return
                    }
                    if !(try isUnderfull(here)) { return }
                    continue
                }
                if level == 0 {
                    try balanceDeeper(type: type)
                    level = 1
                    appended = false
                    continue
                }
                let update: ParentUpdate
                if appended && isTable && here.isLeaf && here.cellCount > 0 && !c.cells.isEmpty,
                   let quick = try c.cells.withCell(c.cells.count - 1, { cell throws(DBError) in
                       try balanceQuick(level, newCell: cell) }) {
                    update = quick
                } else if appended && bulkLoad && !isTable && here.isLeaf && here.cellCount > 1
                            && c.cells.count == here.cellCount + 1,
                          let quick = try c.cells.withCell(here.cellCount, { cell throws(DBError) in
                              try balanceQuickIndex(level, newCell: cell) }) {
                    update = quick
                } else {
                    update = try balanceSiblings(level: level, content: c)
                }
                if case .content(let parentContent) = update { content = parentContent } else { content = nil }
                appended = false
                level -= 1
                continue
            }
            if level == 0 {
                try balanceShallower()
                return
            }
            if !(try isUnderfull(here)) { return }
            if case .content(let parentContent) = try balanceSiblings(level: level, content: nil) {
                content = parentContent
            }
            level -= 1
        }
    }

    /// A non-root page needs rebalancing when empty or less than a third full (as sqlite3BtreeDelete).
    func isUnderfull(_ node: BTreeNode) throws(DBError) -> Bool {
        if node.cellCount == 0 { return true }
        return try node.freeSpace() * 3 > tree.usableSize * 2
    }

    /// The root's content moves to a new child; the root becomes an interior page whose only child it is.
    private func balanceDeeper(type: PageType) throws(DBError) {
        guard depth + 1 <= BTree.maxDepth else {
            throw DBError.corrupt("b-tree rooted at page \(root) would grow deeper than \(BTree.maxDepth) levels")
        }
        let rootPage = pageRef(at: 0)
        let child = try tree.allocatePage()
        tree.initializePage(child, type: type)
        try pager.makeWritable(rootPage)
        tree.rebuild(rootPage, type: isTable ? .interiorTable : .interiorIndex, cells: CellList(), rightChild: child.pgno)
        try tree.setPointerMapEntry(child.pgno, type: .btree, parent: rootPage.pgno)
        releaseLevels(from: 1)
        levels[0].index = 0
        levels[1] = CursorLevel(frame: child.frame, pgno: child.pgno, data: child.data, index: 0)
        depth = 1
    }

    /// A root interior page with no cells takes in its only child's cells when they fit.
    private func balanceShallower() throws(DBError) {
        let rootNode = node(at: 0)
        guard !rootNode.isLeaf, rootNode.cellCount == 0 else { return }
        let childNo = rootNode.rightChild
        let (childPage, childNode) = try tree.node(childNo)
        let cells: CellList
        do { cells = try CellList(childNode, tree: tree) } catch { pager.release(childPage); throw error }
        guard let type = PageType(rawValue: childNode.typeByte),
              tree.cellsFit(cells, pgno: root, leaf: childNode.isLeaf) else {
            pager.release(childPage)
            return
        }
        let right = childNode.isLeaf ? 0 : childNode.rightChild
        pager.release(childPage)
        let rootPage = pageRef(at: 0)
        try pager.makeWritable(rootPage)
        tree.rebuild(rootPage, type: type, cells: cells, rightChild: right)
        try tree.updatePointerMap(for: rootPage)
        releaseLevels(from: 1)
        try tree.freePage(childNo)
    }

    /// A new cell appended past the last entry of a table's rightmost leaf goes to a new leaf of its own.
    /// Returns nil when the shortcut does not apply.
    private func balanceQuick(_ level: Int, newCell cell: UnsafeRawBufferPointer) throws(DBError) -> ParentUpdate? {
        let parentLevel = level - 1
        let parent = node(at: parentLevel)
        let parentPage = pageRef(at: parentLevel)
        guard levels[parentLevel].index == parent.cellCount, parentPage.pgno != 1 else { return nil }
        let oldLeaf = node(at: level)
        let lastRowid = try oldLeaf.tableCellRowid(oldLeaf.cellCount - 1)
        let fresh = try tree.allocatePage()
        defer { pager.release(fresh) }
        var newCell = CellList()
        newCell.append(cell.baseAddress!, cell.count)
        tree.rebuild(fresh, type: .leafTable, cells: newCell, rightChild: 0)
        try tree.setPointerMapEntry(fresh.pgno, type: .btree, parent: parentPage.pgno)
        try tree.updatePointerMap(for: fresh)
        var divider = pageNumberBytes(levels[level].pgno)
        appendVarint(&divider, UInt64(bitPattern: lastRowid))
        return try replaceDividers(parentLevel: parentLevel, first: parent.cellCount, removing: 0, with: [divider],
                                   lastChild: fresh.pgno)
    }

    /// Bulk loading an index: a cell appended past the end of the tree's full last leaf goes to a new leaf of
    /// its own, and the old leaf's last cell moves up as the divider between them (the old leaf stays as full
    /// as it was, as balance_nonroot packs pages under BTREE_BULKLOAD). Nil when the shortcut does not apply.
    private func balanceQuickIndex(_ level: Int, newCell cell: UnsafeRawBufferPointer) throws(DBError) -> ParentUpdate? {
        let parentLevel = level - 1
        let parent = node(at: parentLevel)
        let parentPage = pageRef(at: parentLevel)
        guard levels[parentLevel].index == parent.cellCount, parentPage.pgno != 1 else { return nil }
        let leafPage = pageRef(at: level)
        try pager.makeWritable(leafPage)
        let oldLeaf = node(at: level)
        let n = oldLeaf.cellCount
        let dividerInfo = try oldLeaf.cell(n - 1, tree)
        var divider = pageNumberBytes(levels[level].pgno)
        divider.append(contentsOf: UnsafeRawBufferPointer(start: oldLeaf.data + dividerInfo.offset,
                                                          count: dividerInfo.size))
        let fresh = try tree.allocatePage()
        defer { pager.release(fresh) }
        var newCell = CellList()
        newCell.append(cell.baseAddress!, cell.count)
        tree.rebuild(fresh, type: .leafIndex, cells: newCell, rightChild: 0)
        try tree.setPointerMapEntry(fresh.pgno, type: .btree, parent: parentPage.pgno)
        try tree.updatePointerMap(for: fresh)
        try oldLeaf.dropCell(n - 1, size: dividerInfo.size)
        return try replaceDividers(parentLevel: parentLevel, first: parent.cellCount, removing: 0, with: [divider],
                                   lastChild: fresh.pgno)
    }

    /// Redistributes the cells of the page at `level` (or `content`; or its own and `overflow`) and up to
    /// two siblings, then gives the parent its new dividers (btree.c's balance_nonroot). The siblings'
    /// cells are gathered unsized (CellList.appendLazily); each page's share comes from its used bytes and
    /// the sizes of the cells that cross a boundary (`divide`); a page that keeps some of its cells is
    /// edited in place (BTreeNode.editCells), the others are rewritten from the list.
    private func balanceSiblings(level: Int, content: PageContent?, overflow: OverflowCell? = nil) throws(DBError) -> ParentUpdate {
        let parentLevel = level - 1
        let parent = node(at: parentLevel)
        let parentPage = pageRef(at: parentLevel)
        let here = node(at: level)
        guard let type = PageType(rawValue: here.typeByte) else { throw DBError.corrupt("page \(here.pgno): bad type") }
        let leaf = here.isLeaf
        let leafData = isTable && leaf
        let pi = levels[parentLevel].index
        let childCount = parent.cellCount + 1
        let first: Int, count: Int
        if childCount <= 3 {
            (first, count) = (0, childCount)
        } else {
            first = pi == 0 ? 0 : (pi == childCount - 1 ? pi - 2 : pi - 1)
            count = 3
        }
        let capacity = tree.usableSize - (leaf ? 8 : 12)
        var oldPages: [UInt32] = []
        oldPages.reserveCapacity(count)
        // Room for every sibling's content area and the dividers, so gathering does not regrow the list
        // (the last rebalancing's list, when there is one, lends its buffers).
        var cells = tree.spareBalanceCells ?? CellList()
        tree.spareBalanceCells = nil
        cells.removeAll(reservingBytes: (count + 1) * tree.usableSize, cells: 4 * (here.cellCount + 2))
        defer { tree.spareBalanceCells = cells }
        // Per old page: its cells' range in `cells`, the bytes they take (pointers included), and whether
        // the page holds exactly those cells (but the overflow cell), so that it can be edited.
        var oldRanges: [Range<Int>] = []
        oldRanges.reserveCapacity(count)
        var used: [Int] = []
        used.reserveCapacity(count)
        var editable: [Bool] = []
        editable.reserveCapacity(count)
        var overflowAt = -1
        var lastRight: UInt32 = 0
        for k in 0..<count {
            let ci = first + k
            let pgno = try parent.childPage(ci)
            oldPages.append(pgno)
            var right: UInt32 = 0
            let start = cells.count
            var bytes: Int
            if ci == pi {
                guard pgno == levels[level].pgno else { throw DBError.corrupt("page \(parentPage.pgno): child mismatch") }
                if let content {
                    cells.append(contentsOf: content.cells)
                    right = content.rightChild
                    bytes = content.cells.pageBytes
                    editable.append(false)
                } else {
                    try cells.appendLazily(cellsOf: here, tree: tree)
                    bytes = here.emptyCapacity - (try here.freeSpace())
                    if let overflow {
                        overflowAt = start + overflow.index
                        cells.insert(overflow.cell, at: overflowAt)
                        bytes += overflow.cell.count + 2
                    }
                    right = leaf ? 0 : here.rightChild
                    editable.append(true)
                }
            } else {
                let (sp, sn) = try tree.node(pgno)
                defer { pager.release(sp) }
                guard sn.typeByte == type.rawValue else {
                    throw DBError.corrupt("page \(pgno): sibling of page \(here.pgno) has another type")
                }
                try cells.appendLazily(cellsOf: sn, tree: tree)
                bytes = sn.emptyCapacity - (try sn.freeSpace())
                right = leaf ? 0 : sn.rightChild
                editable.append(true)
            }
            guard bytes >= 2 * (cells.count - start) else {
                throw DBError.corrupt("page \(pgno): free space larger than the page allows")
            }
            oldRanges.append(start..<cells.count)
            used.append(bytes)
            if k < count - 1 {
                // The divider comes down between the two pages' cells (not for table leaves, whose dividers
                // are only keys): onto a leaf without its child pointer, onto an interior page pointing at
                // the left page's right child.
                if !leafData {
                    let div = try parent.cell(ci, tree)
                    guard div.size > 4 else { throw DBError.corrupt("page \(parentPage.pgno): divider too small") }
                    if leaf {
                        cells.append(parent.data + div.offset + 4, div.size - 4)
                    } else {
                        cells.append(child: right, then: parent.data + div.offset + 4, div.size - 4)
                    }
                }
            } else {
                lastRight = right
            }
        }
        // A corrupt file may name one page twice, or its parent, as a child: rebalancing would overwrite it.
        let distinct = oldPages.indices.allSatisfy { a in !oldPages[..<a].contains(oldPages[a]) }  // at most 3
        guard distinct, !oldPages.contains(parentPage.pgno) else {
            throw DBError.corrupt("page \(parentPage.pgno): a child page appears twice")
        }
        let ends = try divide(cells, oldRanges: oldRanges, used: used, capacity: capacity, leafData: leafData)
        let newCount = ends.count
        var newPages: [PageRef] = []
        newPages.reserveCapacity(newCount)
        defer { for p in newPages { pager.release(p) } }
        for j in 0..<newCount {
            if j < count {
                let p = try pager.getBlocking(oldPages[j])
                newPages.append(p)
                try pager.makeWritable(p)
            } else {
                let fresh = try tree.allocatePage()
                newPages.append(fresh)
                // A page still on the cursor's path cannot be free: the freelist is corrupt.
                guard (0...level).allSatisfy({ levels[$0].pgno != fresh.pgno }), !oldPages.contains(fresh.pgno) else {
                    throw DBError.corrupt("freelist hands out page \(fresh.pgno), which is in use")
                }
            }
        }
        if newCount < count {
            for j in newCount..<count { try tree.freePage(oldPages[j]) }
        }
        var ups: [[UInt8]] = []
        ups.reserveCapacity(newCount - 1)
        for j in 0..<newCount {
            let range = (j == 0 ? 0 : ends[j - 1] + (leafData ? 0 : 1))..<ends[j]
            var right: UInt32 = 0
            if !leaf {
                right = j < newCount - 1 ? cells.childPointer(range.upperBound) : lastRight
            }
            let page = newPages[j]
            let node = BTreeNode(page, usableSize: tree.usableSize)
            let edited = j < count && editable[j]
                ? try node.editCells(cells, old: oldRanges[j], overflowAt: overflowAt, new: range) : false
            if edited {
                if !leaf { node.setRightChild(right) }
            } else {
                guard try cells.pageBytes(range) <= capacity else {
                    throw DBError.corrupt("page \(page.pgno): rebalanced cells do not fit")
                }
                tree.rebuild(page, type: type, cells: cells, range: range, rightChild: right)
            }
            try tree.setPointerMapEntry(page.pgno, type: .btree, parent: parentPage.pgno)
            try tree.updatePointerMap(for: page)
            if j < newCount - 1 {
                // The divider: this page's number, then its last rowid (table) or the cell after it, less
                // that cell's own child pointer (index).
                let up = try cells.withCell(leafData ? range.upperBound - 1 : range.upperBound) { c -> [UInt8] in
                    if leafData {
                        var up = pageNumberBytes(page.pgno)
                        up.reserveCapacity(13)
                        appendVarint(&up, UInt64(bitPattern: tableCellRowid(c)))
                        return up
                    }
                    let key = leaf ? c : UnsafeRawBufferPointer(rebasing: c[4...])
                    return [UInt8](unsafeUninitializedCapacity: 4 + key.count) { buffer, initialized in
                        put32(buffer.baseAddress!, 0, page.pgno)
                        UnsafeMutableRawPointer(buffer.baseAddress! + 4).copyMemory(from: key.baseAddress!, byteCount: key.count)
                        initialized = 4 + key.count
                    }
                }
                ups.append(up)
            }
        }
        return try replaceDividers(parentLevel: parentLevel, first: first, removing: count - 1, with: ups,
                                   lastChild: newPages[newCount - 1].pgno)
    }

    /// Replaces the parent's dividers `first..<first + removing` with `ups` and points the child after them
    /// at `lastChild`: in place when the result fits the parent page (as SQLite's insertCell into the
    /// parent), else as the parent's intended content for the next level of balancing.
    private func replaceDividers(parentLevel: Int, first: Int, removing: Int, with ups: [[UInt8]],
                                 lastChild: UInt32) throws(DBError) -> ParentUpdate {
        let parent = node(at: parentLevel)
        let parentPage = pageRef(at: parentLevel)
        var freed = 0
        for i in first..<first + removing { freed += try parent.cell(i, tree).size + 2 }
        var needed = 0
        for u in ups { needed += u.count + 2 }
        if try parent.freeSpace() + freed >= needed {
            try pager.makeWritable(parentPage)
            for _ in 0..<removing { try parent.dropCell(first, size: try parent.cell(first, tree).size) }
            for (k, up) in ups.enumerated() {
                guard try parent.insertCell(up, at: first + k, tree: tree) else {
                    throw DBError.corrupt("page \(parentPage.pgno): free space miscounted")
                }
                if tree.autoVacuum, !isTable, let ovfl = overflowPointer(of: up, leaf: false) {
                    try tree.setPointerMapEntry(ovfl, type: .overflow1, parent: parentPage.pgno)
                }
            }
            let after = first + ups.count
            if after == parent.cellCount {
                parent.setRightChild(lastChild)
            } else {
                put32(parent.data, try parent.cellOffset(after), lastChild)
            }
            return .inPlace
        }
        var cells = CellList()
        var right = parent.rightChild
        for i in 0..<parent.cellCount where i < first || i >= first + removing {
            if i == first + removing {
                for up in ups { cells.append(up) }
            }
            let info = try parent.cell(i, tree)
            cells.append(parent.data + info.offset, info.size)
        }
        if first + removing == parent.cellCount {
            for up in ups { cells.append(up) }
            right = lastChild
        } else {
            cells.setChildPointer(first + ups.count, lastChild)
        }
        return .content(PageContent(cells: cells, rightChild: right))
    }

    /// Where each new page's cells end (exclusive; for trees whose dividers are cells, the cell at that
    /// index is the divider after the page), starting from the old pages' cells `oldRanges` and the bytes
    /// `used` on each (btree.c's balance_nonroot): left to right, a page too full gives its last cells to
    /// the next (a new page past the last if need be) and a page with room takes the next page's first
    /// cells; then right to left, cells move right while that leaves the right page no fuller than the
    /// left (not when bulk loading an index, which keeps left pages packed). Only cells crossing a
    /// boundary are sized.
    func divide(_ cells: CellList, oldRanges: [Range<Int>], used: [Int], capacity: Int, leafData: Bool) throws(DBError) -> [Int] {
        let n = cells.count
        let divider = leafData ? 0 : 1
        var k = oldRanges.count
        var cnt: [Int] = []
        cnt.reserveCapacity(k + 2)
        for r in oldRanges { cnt.append(r.upperBound) }
        cnt.append(n)
        cnt.append(n)
        var sz: [Int] = []
        sz.reserveCapacity(k + 2)
        sz.append(contentsOf: used)
        sz.append(0)
        sz.append(0)
        var i = 0
        while i < k {
            while sz[i] > capacity {
                if i + 1 >= k {
                    k = i + 2
                    guard k <= oldRanges.count + 2 else { throw DBError.corrupt("rebalancing needs too many pages") }
                    sz[k - 1] = 0
                    cnt[k - 1] = n
                }
                guard cnt[i] - 1 > (i > 0 ? cnt[i - 1] : -1) else { throw DBError.corrupt("a b-tree cell cannot fit a page") }
                var moved = 2 + (try cells.size(cnt[i] - 1))
                sz[i] -= moved
                if !leafData { moved = cnt[i] < n ? 2 + (try cells.size(cnt[i])) : 0 }
                sz[i + 1] += moved
                cnt[i] -= 1
            }
            while cnt[i] < n {
                var moved = 2 + (try cells.size(cnt[i]))
                if sz[i] + moved > capacity { break }
                sz[i] += moved
                cnt[i] += 1
                if !leafData { moved = cnt[i] < n ? 2 + (try cells.size(cnt[i])) : 0 }
                sz[i + 1] -= moved
            }
            if cnt[i] >= n {
                k = i + 1
            } else if cnt[i] <= (i > 0 ? cnt[i - 1] : 0) {
                throw DBError.corrupt("b-tree cells too large to rebalance")
            }
            i += 1
        }
        var j = k - 1
        while j > 0 {
            var right = sz[j], left = sz[j - 1]
            var r = cnt[j - 1] - 1
            var d = r + 1 - (leafData ? 1 : 0)
            while r >= 0 {
                let sizeR = try cells.size(r), sizeD = try cells.size(d)
                if right != 0 && (bulkLoad || right + sizeD + 2 > left - (sizeR + (j == k - 1 ? 0 : 2))) { break }
                right += sizeD + 2
                left -= sizeR + 2
                cnt[j - 1] = r
                r -= 1
                d -= 1
            }
            sz[j] = right
            sz[j - 1] = left
            if cnt[j - 1] <= (j > 1 ? cnt[j - 2] : 0) { throw DBError.corrupt("b-tree cells too large to rebalance") }
            j -= 1
        }
        // Every page gets at least one cell, and the last ends with the list.
        cnt.removeLast(cnt.count - k)
        cnt[k - 1] = n
        var low = 0
        for e in cnt {
            guard e > low else { throw DBError.corrupt("rebalancing left a page without cells") }
            low = e + divider
        }
        return cnt
    }

    /// The rowid of a table leaf cell given as bytes.
    func tableCellRowid(_ cell: UnsafeRawBufferPointer) -> Int64 {
        let base = cell.baseAddress!, end = base + cell.count
        let n = readVarint(base, end).length
        return Int64(bitPattern: readVarint(base + n, end).value)
    }
}

/// A page number as the 4 big-endian bytes of a child pointer.
@inline(__always)
func pageNumberBytes(_ p: UInt32) -> [UInt8] {
    [UInt8(p >> 24), UInt8((p >> 16) & 0xFF), UInt8((p >> 8) & 0xFF), UInt8(p & 0xFF)]
}
