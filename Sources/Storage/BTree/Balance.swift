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
    var cells: [[UInt8]]
    var rightChild: UInt32
}

extension BTreeCursor {
    @inline(__always)
    func pageRef(at level: Int) -> PageRef {
        PageRef(frame: levels[level].frame, pgno: levels[level].pgno, data: levels[level].data!)
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
                if appended && isTable && here.isLeaf && here.cellCount > 0, let quick = try balanceQuick(level, c) {
                    content = quick
                } else {
                    content = try balanceSiblings(level: level, content: c)
                }
                appended = false
                level -= 1
                continue
            }
            if level == 0 {
                try balanceShallower()
                return
            }
            if !(try isUnderfull(here)) { return }
            content = try balanceSiblings(level: level, content: nil)
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
        tree.rebuild(rootPage, type: isTable ? .interiorTable : .interiorIndex, cells: [], rightChild: child.pgno)
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
        let cells: [[UInt8]]
        do { cells = try childNode.allCells(tree: tree) } catch { pager.release(childPage); throw error }
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
    /// Returns the parent's new content, or nil when the shortcut does not apply.
    private func balanceQuick(_ level: Int, _ content: PageContent) throws(DBError) -> PageContent? {
        let parentLevel = level - 1
        let parent = node(at: parentLevel)
        let parentPage = pageRef(at: parentLevel)
        guard levels[parentLevel].index == parent.cellCount, parentPage.pgno != 1,
              let newCell = content.cells.last else { return nil }
        let oldLeaf = node(at: level)
        let lastRowid = try oldLeaf.tableCellRowid(oldLeaf.cellCount - 1)
        let fresh = try tree.allocatePage()
        defer { pager.release(fresh) }
        tree.rebuild(fresh, type: .leafTable, cells: [newCell], rightChild: 0)
        try tree.setPointerMapEntry(fresh.pgno, type: .btree, parent: parentPage.pgno)
        try tree.updatePointerMap(for: fresh)
        var cells = try parent.allCells(tree: tree)
        var divider = pageNumberBytes(levels[level].pgno)
        appendVarint(&divider, UInt64(bitPattern: lastRowid))
        cells.append(divider)
        return PageContent(cells: cells, rightChild: fresh.pgno)
    }

    /// Redistributes the cells of the page at `level` (or `content`) and up to two siblings.
    /// Returns the parent's new content.
    private func balanceSiblings(level: Int, content: PageContent?) throws(DBError) -> PageContent {
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
        let parentCells = try parent.allCells(tree: tree)
        var oldPages: [UInt32] = []
        var cells: [[UInt8]] = []
        var lastRight: UInt32 = 0
        for k in 0..<count {
            let ci = first + k
            let pgno = try parent.childPage(ci)
            oldPages.append(pgno)
            var pageCells: [[UInt8]]
            var right: UInt32 = 0
            if ci == pi {
                guard pgno == levels[level].pgno else { throw DBError.corrupt("page \(parentPage.pgno): child mismatch") }
                if let content {
                    pageCells = content.cells
                    right = content.rightChild
                } else {
                    pageCells = try here.allCells(tree: tree)
                    right = leaf ? 0 : here.rightChild
                }
            } else {
                let (sp, sn) = try tree.node(pgno)
                defer { pager.release(sp) }
                guard sn.typeByte == type.rawValue else {
                    throw DBError.corrupt("page \(pgno): sibling of page \(here.pgno) has another type")
                }
                pageCells = try sn.allCells(tree: tree)
                right = leaf ? 0 : sn.rightChild
            }
            cells.append(contentsOf: pageCells)
            if k < count - 1 {
                let div = parentCells[ci]
                if !leafData {
                    var d: [UInt8] = leaf ? [] : pageNumberBytes(right)
                    d.append(contentsOf: div[4...])
                    cells.append(d)
                }
            } else {
                lastRight = right
            }
        }
        // A corrupt file may name one page twice, or its parent, as a child: rebalancing would overwrite it.
        guard Set(oldPages).count == count, !oldPages.contains(parentPage.pgno) else {
            throw DBError.corrupt("page \(parentPage.pgno): a child page appears twice")
        }
        let capacity = tree.usableSize - (leaf ? 8 : 12)
        let groups = try distribute(cells, capacity: capacity, leafData: leafData)
        let newCount = groups.count
        var newPages: [PageRef] = []
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
        for j in 0..<newCount {
            let g = groups[j]
            var right: UInt32 = 0
            if !leaf {
                right = j < newCount - 1 ? cells[g.upperBound].withUnsafeBytes { get32($0.baseAddress!, 0) } : lastRight
            }
            tree.rebuild(newPages[j], type: type, cells: Array(cells[g]), rightChild: right)
            try tree.setPointerMapEntry(newPages[j].pgno, type: .btree, parent: parentPage.pgno)
            try tree.updatePointerMap(for: newPages[j])
            if j < newCount - 1 {
                var up = pageNumberBytes(newPages[j].pgno)
                if leafData {
                    appendVarint(&up, UInt64(bitPattern: tableCellRowid(cells[g.upperBound - 1])))
                } else if leaf {
                    up.append(contentsOf: cells[g.upperBound])
                } else {
                    up.append(contentsOf: cells[g.upperBound][4...])
                }
                ups.append(up)
            }
        }
        var newParentCells = Array(parentCells[0..<first])
        newParentCells.append(contentsOf: ups)
        newParentCells.append(contentsOf: parentCells[(first + count - 1)...])
        var newRight = parent.rightChild
        let lastNew = newPages[newCount - 1].pgno
        if first + count - 1 < parentCells.count {
            let i = first + ups.count
            let b = pageNumberBytes(lastNew)
            newParentCells[i].replaceSubrange(0..<4, with: b)
        } else {
            newRight = lastNew
        }
        return PageContent(cells: newParentCells, rightChild: newRight)
    }

    /// Splits `cells` into page-sized runs. For trees whose dividers are cells (all but table leaves) the
    /// cell after each run but the last is the divider. Every run gets at least one cell.
    func distribute(_ cells: [[UInt8]], capacity: Int, leafData: Bool) throws(DBError) -> [Range<Int>] {
        let n = cells.count
        if n == 0 { return [0..<0] }
        let sizes = cells.map { $0.count + 2 }
        var groups: [Range<Int>] = []
        var i = 0
        while i < n {
            let start = i
            var used = 0
            while i < n && used + sizes[i] <= capacity {
                used += sizes[i]
                i += 1
            }
            guard i > start else { throw DBError.corrupt("b-tree cell of \(sizes[start]) bytes cannot fit a page") }
            if leafData || i >= n {
                groups.append(start..<i)
                continue
            }
            if i == n - 1 {
                // A divider must have a page after it: give this run's last cell to be the divider instead.
                guard i - start >= 2 else { throw DBError.corrupt("b-tree cells too large to split") }
                i -= 1
            }
            groups.append(start..<i)
            i += 1
        }
        // Even out right to left: move cells rightwards while the right page stays no fuller than the left.
        var size = groups.map { r in r.reduce(0) { $0 + sizes[$1] } }
        var j = groups.count - 1
        while j > 0 {
            while groups[j - 1].count > 1 {
                let last = groups[j - 1].upperBound - 1
                let incoming = leafData ? sizes[last] : sizes[groups[j - 1].upperBound]
                let newRight = size[j] + incoming
                let newLeft = size[j - 1] - sizes[last]
                guard newRight <= capacity, newRight <= newLeft else { break }
                groups[j - 1] = groups[j - 1].lowerBound..<last
                groups[j] = (groups[j].lowerBound - 1)..<groups[j].upperBound
                size[j - 1] = newLeft
                size[j] = newRight
            }
            j -= 1
        }
        return groups
    }

    /// The rowid of a table leaf cell given as bytes.
    func tableCellRowid(_ cell: [UInt8]) -> Int64 {
        cell.withUnsafeBytes { b in
            let base = b.baseAddress!, end = base + b.count
            let n = readVarint(base, end).length
            return Int64(bitPattern: readVarint(base + n, end).value)
        }
    }
}

/// A page number as the 4 big-endian bytes of a child pointer.
@inline(__always)
func pageNumberBytes(_ p: UInt32) -> [UInt8] {
    [UInt8(p >> 24), UInt8((p >> 16) & 0xFF), UInt8((p >> 8) & 0xFF), UInt8(p & 0xFF)]
}
