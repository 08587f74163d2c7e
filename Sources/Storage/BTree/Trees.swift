// Trees: creating, clearing and dropping whole b-trees.
//
// A new tree is one empty leaf page (table or index). Clearing frees every
// page of a tree except its root, and every overflow chain, leaving an empty
// root. Dropping also frees the root. In an auto-vacuum database root pages
// stay packed at the front of the file (fileformat2.html 1.7): see
// AutoVacuum.swift for where a new root goes and which root moves into a
// dropped one's place.

import Base

extension BTree {
    /// Creates an empty b-tree and returns its root page number.
    public func createTree(table: Bool) throws(DBError) -> UInt32 {
        guard pager.inWriteTransaction else { throw DBError(.internal, "create tree outside a write transaction") }
        if pager.pageCount == 0 { try createDatabase(encoding: encoding) }
        let page: PageRef
        if autoVacuum {
            page = try allocateRootPage()
        } else {
            page = try allocatePage()
        }
        defer { pager.release(page) }
        initializePage(page, type: table ? .leafTable : .leafIndex)
        try setPointerMapEntry(page.pgno, type: .rootPage, parent: 0)
        return page.pgno
    }

    /// Removes every entry of the tree rooted at `root`; returns how many entries (table rows) it held.
    @discardableResult
    public func clearTree(_ root: UInt32) throws(DBError) -> Int {
        guard pager.inWriteTransaction else { throw DBError(.internal, "clear tree outside a write transaction") }
        try saveAllCursors(on: root)
        var count = 0
        try clearPage(root, isRoot: true, depth: 0, count: &count)
        return count
    }

    private func clearPage(_ pgno: UInt32, isRoot: Bool, depth: Int, count: inout Int) throws(DBError) {
        guard depth <= BTree.maxDepth else { throw DBError.corrupt("b-tree deeper than \(BTree.maxDepth) levels") }
        let page = try pager.getBlocking(pgno)
        defer { pager.release(page) }
        let node = BTreeNode(page, usableSize: usableSize)
        try node.validate()
        let n = node.cellCount
        for i in 0..<n {
            let info = try node.cell(i, self)
            if !node.isLeaf { try clearPage(info.leftChild, isRoot: false, depth: depth + 1, count: &count) }
            try freeOverflowChain(info)
        }
        if !node.isLeaf { try clearPage(node.rightChild, isRoot: false, depth: depth + 1, count: &count) }
        if node.isLeaf || !node.isTable { count += n }
        if isRoot {
            try pager.makeWritable(page)
            initializePage(page, type: node.isTable ? .leafTable : .leafIndex)
        } else {
            try freePage(pgno)
        }
    }

    /// Drops the tree rooted at `root`. Under auto-vacuum the last root page may move into its place:
    /// the result is then (moved from, moved to) so the schema can be updated; otherwise nil.
    public func dropTree(_ root: UInt32) throws(DBError) -> (from: UInt32, to: UInt32)? {
        try clearTree(root)
        if autoVacuum { return try dropRootPage(root) }
        try freePage(root)
        return nil
    }

    /// Saves the positions of every cursor on `root` (before a change no single cursor makes).
    func saveAllCursors(on root: UInt32) throws(DBError) {
        try forEachOpenCursor(on: root) { (c: BTreeCursor) throws(DBError) in
            if c.depth >= 0 { try c.savePosition() }
        }
    }

    /// Saves the positions of every open cursor (before pages of any tree move).
    func saveAllCursors() throws(DBError) {
        try forEachOpenCursor(on: nil) { (c: BTreeCursor) throws(DBError) in
            if c.depth >= 0 { try c.savePosition() }
        }
    }
}
