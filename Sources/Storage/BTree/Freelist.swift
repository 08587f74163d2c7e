// Freelist: unused pages of the database (fileformat2.html 1.5).
//
// The freelist is a chain of trunk pages starting at header offset 32; each
// trunk holds (next trunk: 4 bytes, leaf count: 4 bytes, leaf page numbers…).
// Header offset 36 counts every free page, trunks included. A trunk is filled
// to usableSize/4 - 8 leaves, as SQLite does for compatibility with old
// readers (reading accepts up to usableSize/4 - 2). Allocation takes a free
// page before growing the file; a page past the end is appended, skipping
// the lock-byte page and, under auto-vacuum, pointer-map pages.

import Base

extension BTree {
    /// Most leaves a trunk page receives when swiftdb frees a page.
    var trunkLeafCapacity: Int { usableSize / 4 - 8 }

    /// A page for new content: pinned, zeroed and writable.
    func allocatePage() throws(DBError) -> PageRef {
        let freeCount = try headerField(HeaderOffset.freelistCount)
        if freeCount > 0 {
            return try allocateFromFreelist(freeCount)
        }
        var page = try pager.allocatePage()
        if isAutoVacuum && isPointerMapPage(page.pgno) {
            // This position belongs to a pointer-map page: keep it (zeroed) and take the next one.
            pager.release(page)
            page = try pager.allocatePage()
        }
        return page
    }

    private func allocateFromFreelist(_ freeCount: UInt32) throws(DBError) -> PageRef {
        let trunkNo = try headerField(HeaderOffset.firstFreelistTrunk)
        guard trunkNo >= 2, trunkNo <= pager.pageCount else {
            throw DBError.corrupt("freelist trunk page \(trunkNo) out of range")
        }
        let trunk = try pager.getBlocking(trunkNo)
        defer { pager.release(trunk) }
        let leaves = Int(get32(trunk.data, 4))
        guard leaves <= usableSize / 4 - 2 else { throw DBError.corrupt("freelist trunk \(trunkNo) claims \(leaves) leaves") }
        try setHeaderField(HeaderOffset.freelistCount, freeCount - 1)
        if leaves > 0 {
            let leaf = get32(trunk.data, 8 + 4 * (leaves - 1))
            guard leaf >= 2, leaf <= pager.pageCount, leaf != trunkNo else {
                throw DBError.corrupt("freelist leaf \(leaf) out of range")
            }
            try pager.makeWritable(trunk)
            put32(trunk.data, 4, UInt32(leaves - 1))
            // A leaf that was already free when the transaction began comes back free on rollback:
            // its image is not read or journaled (btree.c's btreeGetHasContent, PAGER_GET_NOCONTENT).
            return try pager.getForOverwrite(leaf, noRollbackImage: !pager.freedInTransaction.contains(leaf))
        }
        let nextTrunk = get32(trunk.data, 0)
        try setHeaderField(HeaderOffset.firstFreelistTrunk, nextTrunk)
        return try pager.getForOverwrite(trunkNo)
    }

    /// Puts `pgno` on the freelist.
    func freePage(_ pgno: UInt32) throws(DBError) {
        guard pgno >= 2, pgno <= pager.pageCount else { throw DBError.corrupt("freeing page \(pgno) out of range") }
        let freeCount = try headerField(HeaderOffset.freelistCount)
        let trunkNo = try headerField(HeaderOffset.firstFreelistTrunk)
        guard freeCount < pager.pageCount else { throw DBError.corrupt("freelist count \(freeCount) exceeds the file") }
        try setHeaderField(HeaderOffset.freelistCount, freeCount + 1)
        try setPointerMapEntry(pgno, type: .freePage, parent: 0)
        pager.freedInTransaction.insert(pgno)
        if trunkNo != 0 {
            guard trunkNo >= 2, trunkNo <= pager.pageCount else {
                throw DBError.corrupt("freelist trunk page \(trunkNo) out of range")
            }
            let trunk = try pager.getBlocking(trunkNo)
            defer { pager.release(trunk) }
            let leaves = Int(get32(trunk.data, 4))
            if leaves < trunkLeafCapacity {
                try pager.makeWritable(trunk)
                put32(trunk.data, 8 + 4 * leaves, pgno)
                put32(trunk.data, 4, UInt32(leaves + 1))
                return
            }
        }
        // The freed page becomes the new first trunk.
        let page = try pager.getForOverwrite(pgno)
        defer { pager.release(page) }
        put32(page.data, 0, trunkNo)
        put32(page.data, 4, 0)
        try setHeaderField(HeaderOffset.firstFreelistTrunk, pgno)
    }
}
