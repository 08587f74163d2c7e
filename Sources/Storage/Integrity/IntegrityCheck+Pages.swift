// IntegrityCheck+Pages: the file phase's page accounting — the freelist,
// overflow chains, pointer-map entries and pages nobody uses.
//
// As SQLite (btree.c: checkList, checkPtrmap, sqlite3BtreeIntegrityCheck):
// the lock-byte page counts as used; the freelist is walked from header
// offset 32 and must hold header offset 36 pages; every b-tree named by the
// caller is walked (IntegrityCheck+Tree.swift); then any page no one
// referenced is "never used", except pointer-map pages, which no one may
// reference. Under auto-vacuum every page's pointer-map entry must name its
// parent (fileformat2.html 1.7). Each list walk stops at the first page
// referenced twice, so cycles end.

import Base

extension IntegrityChecker {
    /// The file phase: freelist, header fields, every tree in `roots`, then unused pages.
    func checkFile(roots: [UInt32]) {
        guard pageCount > 0 else { return }
        let pending = pager.pendingBytePage
        if pending <= pageCount { setReferenced(pending) }
        let header = readHeaderFields()
        prefix = .freelist
        checkList(isFreelist: true, first: header.firstTrunk, expected: header.freeCount)
        prefix = .none
        if tree.autoVacuum {
            let mx = roots.max() ?? 0
            if mx != header.largestRoot {
                report("max rootpage (\(Int32(bitPattern: mx))) disagrees with header "
                       + "(\(Int32(bitPattern: header.largestRoot)))")
            }
        } else if header.incrementalVacuum != 0 {
            report("incremental_vacuum enabled with a max rootpage of zero")
        }
        for root in roots where budget > 0 {
            if tree.autoVacuum && root > 1 { checkPointerMap(root, .rootPage, parent: 0) }
            prefix = .none
            prefixPage = 0
            prefixCell = 0
            _ = checkTreePage(root, maxKey: Int64.max, level: 0)
        }
        prefix = .none
        for pgno in 1...pageCount {
            guard budget > 0 else { break }
            let isMap = tree.autoVacuum && tree.isPointerMapPage(pgno)
            let used = isReferenced(pgno)
            if !used && !isMap { report("Page \(pgno) is never used") }
            if used && isMap { report("Pointer map page \(pgno) is referenced") }
        }
    }

    private func readHeaderFields() -> (firstTrunk: UInt32, freeCount: UInt32, largestRoot: UInt32,
                                        incrementalVacuum: UInt32) {
        guard let p1 = try? pager.getBlocking(1) else { return (0, 0, 0, 0) }
        defer { pager.release(p1) }
        return (get32(p1.data, HeaderOffset.firstFreelistTrunk), get32(p1.data, HeaderOffset.freelistCount),
                get32(p1.data, HeaderOffset.largestRootPage), get32(p1.data, HeaderOffset.incrementalVacuum))
    }

    /// Walks the freelist or an overflow chain from `first`, which should hold `expected` pages (checkList).
    func checkList(isFreelist: Bool, first: UInt32, expected: UInt32) {
        var remaining = expected
        var pgno = first
        let findingsAtStart = findings.count
        while pgno != 0 && budget > 0 {
            if checkRef(pgno) { break }
            remaining &-= 1
            guard let page = try? pager.getBlocking(pgno) else {
                report("failed to get page \(Int32(bitPattern: pgno))")
                break
            }
            if isFreelist {
                let leaves = get32(page.data, 4)
                if tree.autoVacuum { checkPointerMap(pgno, .freePage, parent: 0) }
                if Int(leaves) > usableSize / 4 - 2 {
                    report("freelist leaf count too big on page \(Int32(bitPattern: pgno))")
                    remaining &-= 1
                } else {
                    for i in 0..<Int(leaves) {
                        let leaf = get32(page.data, 8 + 4 * i)
                        if tree.autoVacuum { checkPointerMap(leaf, .freePage, parent: 0) }
                        _ = checkRef(leaf)
                    }
                    remaining &-= leaves
                }
            } else if tree.autoVacuum && remaining > 0 {
                checkPointerMap(get32(page.data, 0), .overflow2, parent: pgno)
            }
            let next = get32(page.data, 0)
            pager.release(page)
            pgno = next
        }
        if remaining != 0 && findings.count == findingsAtStart {
            let what = isFreelist ? "size" : "overflow list length"
            let found = Int32(bitPattern: expected &- remaining)
            report("\(what) is \(found) but should be \(Int32(bitPattern: expected))")
        }
    }

    /// Checks that the pointer map says `child` is of `type` with parent `parent` (checkPtrmap).
    func checkPointerMap(_ child: UInt32, _ type: PointerMapType, parent: UInt32) {
        guard let (gotType, gotParent) = readPointerMap(child) else {
            report("Failed to read ptrmap key=\(Int32(bitPattern: child))")
            return
        }
        if gotType != type.rawValue || gotParent != parent {
            report("Bad ptr map entry key=\(Int32(bitPattern: child)) expected=(\(type.rawValue),"
                   + "\(Int32(bitPattern: parent))) got=(\(gotType),\(Int32(bitPattern: gotParent)))")
        }
    }

    /// The pointer-map entry of `pgno`, or nil when it cannot be read or holds no valid type (ptrmapGet).
    /// A map page past the end of the database reads as zeros, as SQLite's pager returns it.
    private func readPointerMap(_ pgno: UInt32) -> (UInt8, UInt32)? {
        guard pgno >= 2 else { return nil }
        let map = tree.pointerMapPage(for: pgno)
        guard map < pgno else { return nil }
        guard map <= pageCount else { return nil }
        guard let page = try? pager.getBlocking(map) else { return nil }
        defer { pager.release(page) }
        let offset = 5 * Int(pgno - map - 1)
        guard offset + 5 <= usableSize else { return nil }
        let type = page.data.load(fromByteOffset: offset, as: UInt8.self)
        guard type >= 1 && type <= 5 else { return nil }
        return (type, get32(page.data, offset + 1))
    }
}
