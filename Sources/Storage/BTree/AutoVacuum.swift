// AutoVacuum: moving pages so an auto-vacuum database has no free pages at
// commit (auto_vacuum=FULL) or gives back N of them on request
// (PRAGMA incremental_vacuum), and keeping root pages packed at the front.
//
// Implements https://sqlite.org/fileformat2.html 1.7 with the pointer map:
// to move a page, its pointer-map entry names who references it (a parent
// b-tree page, the cell owning an overflow chain, or the previous overflow
// page); that one reference is rewritten, the page's own children are told
// their new parent, and the map entry moves with it. Root pages never move
// this way (sqlite_schema names them); dropping a root moves the last root
// into the gap and reports it so the schema can follow. Every move first saves
// all cursors' positions, since any tree may change.

import Base

extension BTree {
    /// The root page for a new tree: the first page after the largest root, made free if in use.
    func allocateRootPage() throws(DBError) -> PageRef {
        let largest = try headerField(HeaderOffset.largestRootPage)
        guard largest <= pager.pageCount else { throw DBError.corrupt("largest root page \(largest) past the file") }
        var target = largest + 1
        while isPointerMapPage(target) || target == pager.pendingBytePage { target += 1 }
        try saveAllCursors()
        let page: PageRef
        if target > pager.pageCount {
            var p = try allocatePage()
            while p.pgno < target {
                // Pages skipped on the way (possible only around pointer-map pages) go to the freelist.
                let skipped = p.pgno
                pager.release(p)
                try freePage(skipped)
                p = try pager.allocatePage()
            }
            page = p
        } else if try removeFromFreelist(target) {
            page = try pager.getForOverwrite(target)
        } else {
            let (type, parent) = try pointerMapEntry(target)
            guard let kind = PointerMapType(rawValue: type), kind != .rootPage, kind != .freePage else {
                throw DBError.corrupt("page \(target): pointer-map type \(type) where a new root must go")
            }
            let destination = try allocatePage()
            let destinationNo = destination.pgno
            pager.release(destination)
            try relocatePage(target, to: destinationNo, type: kind, parent: parent)
            page = try pager.getForOverwrite(target)
        }
        try setHeaderField(HeaderOffset.largestRootPage, target)
        return page
    }

    /// After a tree's pages were freed: moves the last root page into `root`'s place when they differ.
    func dropRootPage(_ root: UInt32) throws(DBError) -> (from: UInt32, to: UInt32)? {
        let largest = try headerField(HeaderOffset.largestRootPage)
        guard largest >= root, largest >= 2, largest <= pager.pageCount else {
            throw DBError.corrupt("dropping root \(root) with the largest root at \(largest)")
        }
        var moved: (UInt32, UInt32)?
        if root == largest {
            try freePage(root)
        } else {
            try saveAllCursors()
            try relocatePage(largest, to: root, type: .rootPage, parent: 0)
            try freePage(largest)
            moved = (largest, root)
        }
        var newLargest = largest - 1
        while newLargest > 1 && (isPointerMapPage(newLargest) || newLargest == pager.pendingBytePage) { newLargest -= 1 }
        try setHeaderField(HeaderOffset.largestRootPage, newLargest)
        return moved
    }

    /// Copies page `source` to `destination` (a page the caller owns) and rewrites every reference to it.
    func relocatePage(_ source: UInt32, to destination: UInt32, type: PointerMapType, parent: UInt32) throws(DBError) {
        let src = try pager.getBlocking(source)
        let dst: PageRef
        do { dst = try pager.getForOverwrite(destination) } catch { pager.release(src); throw error }
        defer { pager.release(src); pager.release(dst) }
        dst.data.copyMemory(from: src.data, byteCount: pager.pageSize)
        switch type {
        case .rootPage, .btree:
            try updatePointerMap(for: dst)
        case .overflow1, .overflow2:
            let next = get32(dst.data, 0)
            if next != 0 { try setPointerMapEntry(next, type: .overflow2, parent: destination) }
        case .freePage:
            throw DBError.corrupt("relocating free page \(source)")
        }
        if type != .rootPage {
            try rewriteReference(in: parent, from: source, to: destination, type: type)
        }
        try setPointerMapEntry(destination, type: type, parent: parent)
    }

    /// Points the one reference `parent` holds to `old` at `new`.
    private func rewriteReference(in parent: UInt32, from old: UInt32, to new: UInt32,
                                  type: PointerMapType) throws(DBError) {
        let page = try pager.getBlocking(parent)
        defer { pager.release(page) }
        try pager.makeWritable(page)
        if type == .overflow2 {
            guard get32(page.data, 0) == old else { throw DBError.corrupt("page \(parent): not the overflow parent of \(old)") }
            put32(page.data, 0, new)
            return
        }
        let node = BTreeNode(page, usableSize: usableSize)
        try node.validate()
        for i in 0..<node.cellCount {
            let info = try node.cell(i, self)
            if type == .overflow1 && info.overflowPage == old {
                put32(page.data, info.payloadOffset + info.localSize, new)
                return
            }
            if type == .btree && !node.isLeaf && info.leftChild == old {
                put32(page.data, info.offset, new)
                return
            }
        }
        if type == .btree && !node.isLeaf && node.rightChild == old {
            node.setRightChild(new)
            return
        }
        throw DBError.corrupt("page \(parent) holds no reference to page \(old)")
    }

    /// Takes `pgno` off the freelist; false when it is not free.
    func removeFromFreelist(_ pgno: UInt32) throws(DBError) -> Bool {
        var freeCount = try headerField(HeaderOffset.freelistCount)
        var link: (page: UInt32, offset: Int) = (1, HeaderOffset.firstFreelistTrunk)
        var trunkNo = try headerField(HeaderOffset.firstFreelistTrunk)
        var steps: UInt32 = 0
        while trunkNo != 0 {
            guard trunkNo >= 2, trunkNo <= pager.pageCount, steps <= freeCount else {
                throw DBError.corrupt("freelist trunk chain is damaged at page \(trunkNo)")
            }
            let trunk = try pager.getBlocking(trunkNo)
            defer { pager.release(trunk) }
            let leaves = Int(get32(trunk.data, 4))
            guard leaves <= usableSize / 4 - 2 else { throw DBError.corrupt("freelist trunk \(trunkNo) claims \(leaves) leaves") }
            if trunkNo == pgno {
                if leaves == 0 {
                    try setLink(link, get32(trunk.data, 0))
                } else {
                    // The last leaf becomes the trunk in its place.
                    let heir = get32(trunk.data, 8 + 4 * (leaves - 1))
                    let heirPage = try pager.getForOverwrite(heir)
                    heirPage.data.copyMemory(from: trunk.data, byteCount: 8 + 4 * (leaves - 1))
                    put32(heirPage.data, 4, UInt32(leaves - 1))
                    pager.release(heirPage)
                    try setLink(link, heir)
                }
                guard freeCount > 0 else { throw DBError.corrupt("freelist count 0 with pages on the freelist") }
                freeCount -= 1
                try setHeaderField(HeaderOffset.freelistCount, freeCount)
                return true
            }
            for i in 0..<leaves where get32(trunk.data, 8 + 4 * i) == pgno {
                try pager.makeWritable(trunk)
                put32(trunk.data, 8 + 4 * i, get32(trunk.data, 8 + 4 * (leaves - 1)))
                put32(trunk.data, 4, UInt32(leaves - 1))
                guard freeCount > 0 else { throw DBError.corrupt("freelist count 0 with pages on the freelist") }
                freeCount -= 1
                try setHeaderField(HeaderOffset.freelistCount, freeCount)
                return true
            }
            link = (trunkNo, 0)
            trunkNo = get32(trunk.data, 0)
            steps += 1
        }
        return false
    }

    private func setLink(_ link: (page: UInt32, offset: Int), _ value: UInt32) throws(DBError) {
        if link.page == 1 {
            try setHeaderField(link.offset, value)
            return
        }
        let p = try pager.getBlocking(link.page)
        defer { pager.release(p) }
        try pager.makeWritable(p)
        put32(p.data, link.offset, value)
    }

    /// Moves pages from the end of the file into free pages and shrinks the file, until `limit` free pages
    /// were given back (nil: all of them). Returns how many were.
    @discardableResult
    public func vacuumFreePages(limit: Int? = nil) throws(DBError) -> Int {
        guard autoVacuum, pager.inWriteTransaction else { return 0 }
        var reclaimed = 0
        var last = pager.pageCount
        var changed = false
        while try headerField(HeaderOffset.freelistCount) > 0 && (limit == nil || reclaimed < limit!) {
            if !changed {
                try saveAllCursors()
                changed = true
            }
            guard last > 1 else { throw DBError.corrupt("freelist count exceeds the pages of the file") }
            if isPointerMapPage(last) || last == pager.pendingBytePage {
                last -= 1
                pager.truncate(toPageCount: last)
                continue
            }
            let (type, parent) = try pointerMapEntry(last)
            guard let kind = PointerMapType(rawValue: type), kind != .rootPage else {
                throw DBError.corrupt("page \(last): pointer-map type \(type) at the end of an auto-vacuum file")
            }
            if kind == .freePage {
                guard try removeFromFreelist(last) else { throw DBError.corrupt("page \(last) marked free but not on the freelist") }
            } else {
                let free = try allocatePage()
                let freeNo = free.pgno
                pager.release(free)
                guard freeNo < last else { throw DBError.corrupt("free page \(freeNo) after the last page") }
                try relocatePage(last, to: freeNo, type: kind, parent: parent)
            }
            last -= 1
            pager.truncate(toPageCount: last)
            reclaimed += 1
        }
        // A pointer-map or lock-byte page left last maps nothing: drop it too.
        while last > 1 && (isPointerMapPage(last) || last == pager.pendingBytePage) {
            last -= 1
            pager.truncate(toPageCount: last)
        }
        return reclaimed
    }

    /// The work auto_vacuum=FULL does before every commit.
    public func autoVacuumBeforeCommit() throws(DBError) {
        guard autoVacuum, !incrementalVacuum else { return }
        try vacuumFreePages()
    }
}
