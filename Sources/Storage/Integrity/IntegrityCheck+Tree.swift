// IntegrityCheck+Tree: the file phase's walk of one b-tree (btree.c,
// checkTreePage), page by page, children before the cells that point to them.
//
// For each page: the header is sane (page type, cell count, freeblock list —
// SQLite's btreeInitPage and btreeComputeFreeSpace), every cell lies inside
// the content area and the page, table keys strictly increase (checked right
// to left against the smallest key of the subtree to the right), overflow
// chains have the length the payload needs, all children are equally deep,
// and cells and freeblocks never overlap while the bytes between them add up
// to the header's fragmentation count (fileformat2.html 1.6). Recursion is
// bounded: a page is entered once (checkRef), and no deeper than a cursor
// would go (BTree.maxDepth).

import Base

extension IntegrityChecker {
    /// Checks the subtree at `pgno`, whose table keys must not exceed `maxKey`.
    /// Returns its depth (a leaf is 0) and its smallest key (nil when the page could not be checked).
    func checkTreePage(_ pgno: UInt32, maxKey maxKeyIn: Int64, level: Int) -> (depth: Int, minKey: Int64?) {
        if pgno == 0 { return (0, nil) }
        if checkRef(pgno) { return (0, nil) }
        let saved = (prefix, prefixPage, prefixCell)
        defer { (prefix, prefixPage, prefixCell) = saved }
        prefix = .page
        prefixPage = pgno
        guard level <= BTree.maxDepth else {
            report("b-tree is more than \(BTree.maxDepth) levels deep")
            return (0, nil)
        }
        let page: PageRef
        do { page = try pager.getBlocking(pgno) } catch {
            report("unable to get the page. error code=\(error.code.rawValue)")
            return (0, nil)
        }
        defer { pager.release(page) }
        let node = BTreeNode(page, usableSize: usableSize)
        guard pageHeaderIsSane(node) else {
            report("btreeInitPage() returns error code 11")
            return (0, nil)
        }
        guard freeSpaceIsSane(node) else {
            report("free space corruption")
            return (0, nil)
        }
        return checkCells(node, maxKey: maxKeyIn, level: level)
    }

    /// btreeInitPage: a known page type and no more cells than a page can hold.
    private func pageHeaderIsSane(_ node: BTreeNode) -> Bool {
        let t = node.typeByte
        guard t == 2 || t == 5 || t == 10 || t == 13 else { return false }
        return node.cellCount <= (pager.pageSize - 8) / 6
    }

    /// btreeComputeFreeSpace: the freeblock list is ascending and inside the page, and the free
    /// space it implies fits between the cell pointer array and the end of the page.
    private func freeSpaceIsSane(_ node: BTreeNode) -> Bool {
        let top = node.contentStart
        let firstCell = node.cellPointerStart + 2 * node.cellCount
        var free = node.fragmentedBytes + top
        var pc = node.firstFreeblock
        if pc > 0 {
            if pc < top { return false }
            var next = 0, size = 0
            while true {
                if pc > usableSize - 4 { return false }
                next = get16(node.data, pc)
                size = get16(node.data, pc + 2)
                free += size
                if next <= pc + size + 3 { break }
                pc = next
            }
            if next > 0 { return false }
            if pc + size > usableSize { return false }
        }
        return free <= usableSize && free >= firstCell
    }

    /// The cell checks of one sane page, its children first (see the file header).
    private func checkCells(_ node: BTreeNode, maxKey maxKeyIn: Int64, level: Int) -> (depth: Int, minKey: Int64?) {
        let pgno = node.pgno
        prefix = .cell
        let contentOffset = node.contentStart
        let nCell = node.cellCount
        var depth = -1
        var maxKey = maxKeyIn
        var keyCanBeEqual = true
        var coverage = true
        var spans: [UInt32] = []
        if !node.isLeaf {
            let right = node.rightChild
            if tree.autoVacuum {
                prefix = .rightChild
                checkPointerMap(right, .btree, parent: pgno)
            }
            let (d, minKey) = checkTreePage(right, maxKey: maxKey, level: level + 1)
            depth = d
            if let minKey { maxKey = minKey }
            keyCanBeEqual = false
        }
        var i = nCell - 1
        while i >= 0 && budget > 0 {
            defer { i -= 1 }
            prefixCell = i
            let pc = get16(node.data, node.cellPointerStart + 2 * i)
            if pc < contentOffset || pc > usableSize - 4 {
                report("Offset \(pc) out of range \(contentOffset)..\(usableSize - 4)")
                coverage = false
                continue
            }
            guard let info = try? node.cellAt(pc, tree), pc + info.size <= usableSize else {
                report("Extends off end of page")
                coverage = false
                continue
            }
            if node.isTable {
                if keyCanBeEqual ? info.rowid > maxKey : info.rowid >= maxKey {
                    report("Rowid \(info.rowid) out of order")
                }
                maxKey = info.rowid
                keyCanBeEqual = false
            }
            if info.payloadSize > info.localSize {
                let pages = (info.payloadSize - info.localSize + usableSize - 5) / (usableSize - 4)
                let first = get32(node.data, pc + info.size - 4)
                if tree.autoVacuum { checkPointerMap(first, .overflow1, parent: pgno) }
                checkList(isFreelist: false, first: first, expected: UInt32(truncatingIfNeeded: pages))
            }
            if !node.isLeaf {
                let child = info.leftChild
                if tree.autoVacuum { checkPointerMap(child, .btree, parent: pgno) }
                let (d2, minKey) = checkTreePage(child, maxKey: maxKey, level: level + 1)
                if let minKey { maxKey = minKey }
                keyCanBeEqual = false
                if d2 != depth {
                    report("Child page depth differs")
                    depth = d2
                }
            } else {
                spans.append(UInt32(pc) << 16 | UInt32(pc + info.size - 1))
            }
        }
        prefix = .none
        if coverage && budget > 0 {
            checkCoverage(node, leafSpans: spans)
        }
        return (depth + 1, maxKey)
    }

    /// Cells and freeblocks must not overlap; the bytes between them are the fragmentation count.
    /// Each span is (first byte << 16) | last byte, as SQLite's heap holds them.
    private func checkCoverage(_ node: BTreeNode, leafSpans: [UInt32]) {
        var spans = leafSpans
        if !node.isLeaf {
            for i in 0..<node.cellCount {
                let pc = get16(node.data, node.cellPointerStart + 2 * i)
                let size = (try? node.cellAt(pc, tree).size) ?? 4
                spans.append(UInt32(pc) << 16 | UInt32(truncatingIfNeeded: pc + size - 1))
            }
        }
        var fb = node.firstFreeblock
        while fb > 0 {
            let size = get16(node.data, fb + 2)
            spans.append(UInt32(fb) << 16 | UInt32(truncatingIfNeeded: fb + size - 1) & 0xFFFF)
            fb = get16(node.data, fb)
        }
        spans.sort()
        var fragments = 0
        var previous = UInt32(node.contentStart - 1)
        var unpulled = spans.count
        for x in spans {
            unpulled -= 1
            if previous & 0xFFFF >= x >> 16 {
                report("Multiple uses for byte \(x >> 16) of page \(node.pgno)")
                break
            }
            fragments += Int(x >> 16) - Int(previous & 0xFFFF) - 1
            previous = x
        }
        fragments += usableSize - Int(previous & 0xFFFF) - 1
        if unpulled == 0 && fragments != node.fragmentedBytes {
            report("Fragmentation of \(fragments) bytes reported as \(node.fragmentedBytes) on page \(node.pgno)")
        }
    }
}
