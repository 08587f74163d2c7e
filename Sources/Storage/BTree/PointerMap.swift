// PointerMap: the auto-vacuum back-pointers (fileformat2.html 1.7).
//
// In an auto-vacuum or incremental-vacuum database, page 2 and every
// (usableSize/5 + 1)th page after it is a pointer-map page. Each holds one
// 5-byte entry (type: 1 byte, parent page: 4 bytes) for each of the pages that
// follow it, so any page's parent can be found when the page must move.
//
//   TYPE MEANING                         PARENT
//      1 root page of a b-tree            0
//      2 free page                        0
//      3 first page of an overflow chain  the b-tree page holding the cell
//      4 later page of an overflow chain  the previous overflow page
//      5 non-root b-tree page             the parent b-tree page

import Base

/// The kind of a pointer-map entry.
public enum PointerMapType: UInt8, Sendable {
    case rootPage = 1
    case freePage = 2
    case overflow1 = 3
    case overflow2 = 4
    case btree = 5
}

extension BTree {
    /// The pointer-map page that holds the entry for `pgno`; 0 for pages 0 and 1, which have none.
    func pointerMapPage(for pgno: UInt32) -> UInt32 {
        guard pgno >= 2 else { return 0 }
        let perMap = UInt32(usableSize / 5 + 1)
        var page = (pgno - 2) / perMap * perMap + 2
        if page == pager.pendingBytePage { page += 1 }
        return page
    }

    /// True when `pgno` is itself a pointer-map page.
    func isPointerMapPage(_ pgno: UInt32) -> Bool {
        pgno >= 2 && pointerMapPage(for: pgno) == pgno
    }

    /// Records the parent of `pgno` (no-op unless the database auto-vacuums).
    func setPointerMapEntry(_ pgno: UInt32, type: PointerMapType, parent: UInt32) throws(DBError) {
        guard autoVacuum else { return }
        let map = pointerMapPage(for: pgno)
        guard map >= 2, map < pgno else { throw DBError.corrupt("pointer-map entry for page \(pgno)") }
        let page = try pager.getBlocking(map)
        defer { pager.release(page) }
        let offset = 5 * Int(pgno - map - 1)
        guard offset + 5 <= usableSize else { throw DBError.corrupt("pointer-map offset for page \(pgno)") }
        if page.data.load(fromByteOffset: offset, as: UInt8.self) == type.rawValue && get32(page.data, offset + 1) == parent {
            return
        }
        try pager.makeWritable(page)
        page.data.storeBytes(of: type.rawValue, toByteOffset: offset, as: UInt8.self)
        put32(page.data, offset + 1, parent)
    }

    /// Reads the pointer-map entry of `pgno`: (type, parent).
    func pointerMapEntry(_ pgno: UInt32) throws(DBError) -> (type: UInt8, parent: UInt32) {
        let map = pointerMapPage(for: pgno)
        guard map >= 2, map < pgno, map <= pager.pageCount else {
            throw DBError.corrupt("no pointer-map entry for page \(pgno)")
        }
        let page = try pager.get(map)
        defer { pager.release(page) }
        let offset = 5 * Int(pgno - map - 1)
        return (page.data.load(fromByteOffset: offset, as: UInt8.self), get32(page.data, offset + 1))
    }
}
