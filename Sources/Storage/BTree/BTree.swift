// BTree: the b-tree layer over one pager — the database's trees, its page 1
// header fields, and the payload-size rules all cursors share.
//
// Implements https://sqlite.org/fileformat2.html sections 1.5–1.6. Table
// b-trees (intkey) hold rowid → record; index b-trees hold records ordered by
// `KeyInfo`. Page 1 carries the database header and the root of
// sqlite_schema. The local/overflow split of a payload follows SQLite exactly
// (`localPayloadSize`), because a different split would make cells that
// sqlite3 reads differently. Trees are at most `maxDepth` pages deep; a deeper
// tree is declared corrupt (as btreeInt.h's BTCURSOR_MAX_DEPTH).

import Base
import IO

public final class BTree {
    public let pager: Pager
    /// Deepest tree a cursor will follow; anything deeper is corrupt.
    public static let maxDepth = 20

    public private(set) var usableSize: Int
    var maxLocalTable: Int
    var maxLocalIndex: Int
    var minLocal: Int
    /// Text encoding of the database (from the header; UTF-8 for a new database unless set).
    public internal(set) var encoding: TextEncoding = .utf8
    /// Header offset 52 is non-zero: pointer-map pages are kept (auto_vacuum full or incremental).
    public internal(set) var autoVacuum = false
    /// Header offset 64 is non-zero: auto-vacuum happens only on PRAGMA incremental_vacuum.
    public internal(set) var incrementalVacuum = false
    /// The auto-vacuum mode PRAGMA auto_vacuum chose for a database that has no pages yet.
    var pendingAutoVacuum = 0
    /// The cursors open on this b-tree file, linked through their `nextOpen`/`previousOpen` (as BtShared.pCursor),
    /// so a change through one can save the positions of the others on its tree. Opening and closing a cursor
    /// allocates nothing; a change walks the few cursors a statement has open.
    unowned(unsafe) var firstOpenCursor: BTreeCursor?
    /// The cell list of the last rebalancing, kept so the next one reuses its buffers (balancing is never
    /// nested: a parent is rebalanced after its children's rebalancing has returned).
    var spareBalanceCells: CellList?

    public init(pager: Pager) throws(DBError) {
        self.pager = pager
        usableSize = 0
        maxLocalTable = 0
        maxLocalIndex = 0
        minLocal = 0
        pager.emptyPageOneImage = { page, pageSize in
            // An empty table leaf after the 100-byte header: no cells, content starting at the end.
            page.storeBytes(of: 0x0D, toByteOffset: 100, as: UInt8.self)
            put16(page, 105, pageSize == 65536 ? 0 : pageSize)
        }
        try reloadFileProperties()
    }

    /// Takes the page size, encoding and vacuum mode from the file again (after another connection
    /// or process changed it: Pager.externalChangeCount).
    public func reloadFileProperties() throws(DBError) {
        computeThresholds()
        guard pager.pageCount > 0 else { return }
        let p1 = try pager.getBlocking(1)
        defer { pager.release(p1) }
        let header = try DatabaseHeader(decoding: p1.data, count: pager.pageSize)
        encoding = header.textEncoding
        autoVacuum = header.largestRootPage != 0
        incrementalVacuum = autoVacuum && header.incrementalVacuum != 0
    }

    func computeThresholds() {
        let u = pager.usableSize
        usableSize = u
        maxLocalTable = u - 35
        maxLocalIndex = (u - 12) * 64 / 255 - 23
        minLocal = (u - 12) * 32 / 255 - 23
    }

    /// Bytes of a `payloadSize`-byte payload stored on the b-tree page itself (fileformat2 1.6).
    @inline(__always)
    func localPayloadSize(_ payloadSize: Int, table: Bool) -> Int {
        let maxLocal = table ? maxLocalTable : maxLocalIndex
        if payloadSize <= maxLocal { return payloadSize }
        let k = minLocal + (payloadSize - minLocal) % (usableSize - 4)
        return k <= maxLocal ? k : minLocal
    }

    /// Pins page `pgno` as a validated b-tree node.
    @inline(__always)
    func node(_ pgno: UInt32) throws(DBError) -> (PageRef, BTreeNode) {
        let page = try pager.get(pgno)
        let node = BTreeNode(page, usableSize: usableSize)
        // Checked once per image, as btree.c's btreeInitPage runs once per MemPage load.
        if !pager.isValidatedNode(page) {
            do {
                try node.validate()
            } catch {
                pager.release(page)
                throw error
            }
            pager.markValidatedNode(page)
        }
        return (page, node)
    }

    // MARK: page 1 header fields

    /// Reads a 4-byte header field of page 1.
    public func headerField(_ offset: Int) throws(DBError) -> UInt32 {
        guard pager.pageCount > 0 else { return 0 }
        let p1 = try pager.get(1)
        defer { pager.release(p1) }
        return get32(p1.data, offset)
    }

    /// Writes a 4-byte header field of page 1 (inside a write transaction).
    public func setHeaderField(_ offset: Int, _ value: UInt32) throws(DBError) {
        let p1 = try pager.getBlocking(1)
        defer { pager.release(p1) }
        try pager.makeWritable(p1)
        put32(p1.data, offset, value)
    }

    /// The decoded header of the database (a default header before page 1 exists).
    public func header() throws(DBError) -> DatabaseHeader {
        guard pager.pageCount > 0 else { return DatabaseHeader(pageSize: pager.pageSize, encoding: encoding) }
        let p1 = try pager.get(1)
        defer { pager.release(p1) }
        return try DatabaseHeader(decoding: p1.data, count: pager.pageSize)
    }

    public var isAutoVacuum: Bool { autoVacuum }

    /// Writes page 1 of a new database: the header and an empty sqlite_schema root.
    /// `autoVacuum` / `incremental` set the vacuum mode, which cannot change later without VACUUM.
    public func createDatabase(autoVacuum: Bool = false, incremental: Bool = false,
                               encoding: TextEncoding = .utf8) throws(DBError) {
        guard pager.pageCount == 0 else { return }
        let autoVacuum = autoVacuum || pendingAutoVacuum == 1
        let incremental = incremental || pendingAutoVacuum == 2
        try pager.beginWrite()
        self.encoding = encoding
        self.autoVacuum = autoVacuum || incremental
        self.incrementalVacuum = incremental
        computeThresholds()
        let p1 = try pager.allocatePage()
        defer { pager.release(p1) }
        var header = DatabaseHeader(pageSize: pager.pageSize, reservedBytes: pager.reservedBytes, encoding: encoding,
                                    autoVacuum: autoVacuum, incrementalVacuum: incremental)
        // As btree.c's newDatabase: the pager's commit stamps these (files only, see stampHeader).
        header.changeCounter = 0
        header.versionValidFor = 0
        header.sqliteVersion = 0
        header.encode(into: p1.data)
        initializePage(p1, type: .leafTable)
    }

    func register(_ cursor: BTreeCursor) {
        var other = firstOpenCursor
        while let c = other {
            if c.root == cursor.root {
                c.sharesRoot = true
                cursor.sharesRoot = true
            }
            other = c.nextOpen
        }
        cursor.nextOpen = firstOpenCursor
        cursor.previousOpen = nil
        firstOpenCursor?.previousOpen = cursor
        firstOpenCursor = cursor
    }

    func unregister(_ cursor: BTreeCursor) {
        if let p = cursor.previousOpen { p.nextOpen = cursor.nextOpen } else { firstOpenCursor = cursor.nextOpen }
        cursor.nextOpen?.previousOpen = cursor.previousOpen
        cursor.nextOpen = nil
        cursor.previousOpen = nil
    }

    /// Calls `body` with each open cursor on the tree rooted at `root` (every open cursor when nil).
    @inline(__always)
    func forEachOpenCursor(on root: UInt32?, _ body: (BTreeCursor) throws(DBError) -> Void) throws(DBError) {
        var c = firstOpenCursor
        while let cursor = c {
            c = cursor.nextOpen
            if root == nil || cursor.root == root! { try body(cursor) }
        }
    }

    /// Formats `page` as an empty b-tree page of `type`.
    func initializePage(_ page: PageRef, type: PageType) {
        let hdr = page.pgno == 1 ? 100 : 0
        let d = page.data
        d.storeBytes(of: type.rawValue, toByteOffset: hdr, as: UInt8.self)
        put16(d, hdr + PageHeaderOffset.firstFreeblock, 0)
        put16(d, hdr + PageHeaderOffset.cellCount, 0)
        put16(d, hdr + PageHeaderOffset.contentStart, usableSize == 65536 ? 0 : usableSize)
        d.storeBytes(of: UInt8(0), toByteOffset: hdr + PageHeaderOffset.fragmentedBytes, as: UInt8.self)
        if type == .interiorIndex || type == .interiorTable { put32(d, hdr + PageHeaderOffset.rightChild, 0) }
    }
}

extension BTree {
    /// PRAGMA encoding before the first table: the encoding page 1 will record.
    public func setEncodingOfEmptyDatabase(_ e: TextEncoding) {
        guard pager.pageCount == 0 else { return }
        encoding = e
    }

    /// PRAGMA auto_vacuum before the first table: 0 none, 1 full, 2 incremental.
    public func setAutoVacuumOfEmptyDatabase(_ mode: Int) {
        guard pager.pageCount == 0 else { return }
        pendingAutoVacuum = mode
    }
}
