// Overflow: payloads that spill past a b-tree page (fileformat2.html 1.6,
// "Cell Payload Overflow Pages").
//
// An overflow page holds a 4-byte next-page number (0 ends the chain) and
// then usableSize-4 payload bytes. The number of pages a payload needs is
// known from its size, so a chain longer than that (a cycle, or a damaged
// pointer) is corruption, detected without following it forever.

import Base

extension BTree {
    /// Pages an overflow chain holding `bytes` payload bytes must have.
    @inline(__always)
    func overflowPageCount(_ bytes: Int) -> Int {
        bytes <= 0 ? 0 : (bytes + usableSize - 5) / (usableSize - 4)
    }

    /// Copies a cell's whole payload (local part and overflow chain) into `out`.
    func readPayload(_ info: CellInfo, from page: UnsafeRawPointer, into out: inout [UInt8]) throws(DBError) {
        out.removeAll(keepingCapacity: true)
        var remaining = info.payloadSize - info.localSize
        var next = info.overflowPage
        var pagesLeft = overflowPageCount(remaining)
        // A payload size no chain in this file could hold is corrupt: never allocate for it.
        guard pagesLeft < Int(pager.pageCount) else {
            throw DBError.corrupt("payload of \(info.payloadSize) bytes needs more overflow pages than the file has")
        }
        out.reserveCapacity(info.payloadSize)
        out.append(contentsOf: UnsafeRawBufferPointer(start: page + info.payloadOffset, count: info.localSize))
        while remaining > 0 {
            guard next >= 2, next <= pager.pageCount, pagesLeft > 0 else {
                throw DBError.corrupt("overflow chain broken at page \(next)")
            }
            let p = try pager.get(next)
            let n = min(remaining, usableSize - 4)
            out.append(contentsOf: UnsafeRawBufferPointer(start: p.data + 4, count: n))
            let following = get32(p.data, 0)
            pager.release(p)
            next = following
            remaining -= n
            pagesLeft -= 1
        }
    }

    /// Builds the bytes of a cell for `payload` (and `rowid` on table leaves) at `p`, which has room for
    /// `usableSize + cellHeadRoom` bytes (a cursor's cell buffer), writing any overflow pages; returns the
    /// cell's length. Interior index cells get a zero left-child pointer the caller fills in.
    func buildCell(payload: UnsafeRawBufferPointer, rowid: Int64, table: Bool, leaf: Bool,
                   into p: UnsafeMutableRawPointer) throws(DBError) -> Int {
        let size = payload.count
        let local = localPayloadSize(size, table: table)
        let first = local < size ? try writeOverflowChain(UnsafeRawBufferPointer(rebasing: payload[local...])) : 0
        // A cell is at least 4 bytes: zeros pad it.
        let head = (leaf ? 0 : 4) + varintLength(UInt64(size)) + (table ? varintLength(UInt64(bitPattern: rowid)) : 0)
        let total = head + local + (local < size ? 4 : 0)
        precondition(total <= usableSize + BTree.cellHeadRoom, "a cell larger than its page allows")
        var at = 0
        if !leaf {
            put32(p, 0, 0)
            at = 4
        }
        at += writeVarint(p + at, UInt64(size))
        if table { at += writeVarint(p + at, UInt64(bitPattern: rowid)) }
        if local > 0 { (p + at).copyMemory(from: payload.baseAddress!, byteCount: local) }
        at += local
        if local < size {
            put32(p, at, first)
            at += 4
        }
        while at < 4 {
            p.storeBytes(of: 0, toByteOffset: at, as: UInt8.self)
            at += 1
        }
        return at
    }

    /// Bytes beyond the usable page size a cell buffer needs: a cell holds at most a page's worth of payload
    /// (maxLocal is below the usable size) after a child pointer and two varints, and an overflow pointer.
    static let cellHeadRoom = 4 + 9 + 9 + 4

    /// Writes `bytes` into a new overflow chain and returns its first page.
    func writeOverflowChain(_ bytes: UnsafeRawBufferPointer) throws(DBError) -> UInt32 {
        var first: UInt32 = 0
        var previous: PageRef?
        var offset = 0
        defer { if let previous { pager.release(previous) } }
        while offset < bytes.count {
            let page = try allocatePage()
            let n = min(bytes.count - offset, usableSize - 4)
            put32(page.data, 0, 0)
            (page.data + 4).copyMemory(from: bytes.baseAddress! + offset, byteCount: n)
            if let prev = previous {
                put32(prev.data, 0, page.pgno)
                try setPointerMapEntry(page.pgno, type: .overflow2, parent: prev.pgno)
                pager.release(prev)
            } else {
                first = page.pgno
            }
            previous = page
            offset += n
        }
        return first
    }

    /// Frees the overflow chain of `info` (a cell about to be removed).
    func freeOverflowChain(_ info: CellInfo) throws(DBError) {
        guard info.overflowPage != 0 else { return }
        var next = info.overflowPage
        var pagesLeft = overflowPageCount(info.payloadSize - info.localSize)
        while next != 0 && pagesLeft > 0 {
            guard next >= 2, next <= pager.pageCount else { throw DBError.corrupt("overflow chain broken at page \(next)") }
            let p = try pager.getBlocking(next)
            let following = get32(p.data, 0)
            pager.release(p)
            try freePage(next)
            next = following
            pagesLeft -= 1
        }
    }
}

@inline(__always)
func appendVarint(_ out: inout [UInt8], _ v: UInt64) {
    if v < 0x80 {
        out.append(UInt8(v))
        return
    }
    var tmp: (UInt64, UInt64) = (0, 0)
    let n = withUnsafeMutableBytes(of: &tmp) { writeVarint($0.baseAddress!, v) }
    withUnsafeBytes(of: &tmp) { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
}
