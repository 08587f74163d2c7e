// VMCursor: what a VM cursor number refers to — a b-tree cursor (table,
// index or ephemeral), a sorter, a pseudo-table holding one record, or rows
// produced by a native step — plus the column cache of the current row.
//
// The column cache keeps the current record's location and the serial types
// and offsets of the columns parsed so far, so reading column N costs one
// header walk per row, not one per column (as vdbe.c's VdbeCursor.aType).
// It is valid only while the underlying b-tree cursor's `generation` is the
// one recorded: any move, or another cursor's change to the tree, drops it.
// The parsed serial types and offsets live in two raw buffers owned by the
// cursor (grown to the widest record seen, freed in deinit): resetting them
// per row is one store, where arrays paid a uniqueness check and a
// replaceSubrange per row.

import Base
import Storage

final class VMCursor {
    enum Kind: UInt8 { case btree, sorter, pseudo, rows }

    let kind: Kind
    /// Fixed for the cursor's life (set by the Open* instruction that made the cursor).
    let btree: BTreeCursor?
    /// `btree` unretained, for VM.withBTreeCursor (the cursor owns it for its whole life).
    let borrowedBTree: Unmanaged<BTreeCursor>?
    /// Keeps an ephemeral table's private pager alive.
    var ephemeral: EphemeralTable?
    var sorter: Sorter?
    var pseudoRegister: Int32 = 0
    var rows: [[Value]] = []
    var rowIndex = 0
    /// True for a table (rowid) b-tree.
    var isTable: Bool
    var keyInfo: KeyInfo
    /// The cursor is on a row of NULLs (NullRow, or an outer join with no match).
    var nullRow = false
    /// A table cursor that must first move to this rowid (DeferredSeek).
    var deferredRowid: Int64?
    var sequence: Int64 = 0
    let encoding: TextEncoding
    /// What the last Found, NotFound or NoConflict seek returned when it missed (0: nothing usable), and the
    /// b-tree cursor's generation then: the IdxInsert that follows inserts there without seeking again.
    var seekResult = 0
    var seekGeneration: UInt64 = 0

    // Column cache.
    var cachedGeneration: UInt64 = .max
    var cacheValid = false
    var record: UnsafeRawPointer?
    var recordSize = 0
    var headerSize = 0
    var headerCursor = 0
    var bodyCursor = 0
    /// Serial types and body offsets of the first `parsedColumns` columns of the loaded record.
    private var types: UnsafeMutablePointer<UInt64>
    private var offsets: UnsafeMutablePointer<Int>
    private var parsedColumns = 0
    private var columnCapacity = 8
    /// A copy of a pseudo cursor's record, which must outlive the register it came from.
    var pseudoRecord: [UInt8] = []

    init(kind: Kind, isTable: Bool, keyInfo: KeyInfo, encoding: TextEncoding, btree: BTreeCursor? = nil) {
        self.kind = kind
        self.btree = btree
        borrowedBTree = btree.map { Unmanaged.passUnretained($0) }
        self.isTable = isTable
        self.keyInfo = keyInfo
        self.encoding = encoding
        types = .allocate(capacity: columnCapacity)
        offsets = .allocate(capacity: columnCapacity)
    }

    deinit {
        types.deallocate()
        offsets.deallocate()
    }

    /// True for a cursor on the database's own b-tree with nothing else attached: one the pool may keep.
    var isPoolable: Bool { kind == .btree && ephemeral == nil && sorter == nil && rows.isEmpty }

    /// A pooled cursor (its b-tree cursor closed) becomes a new cursor on `root`, as the Open instruction
    /// that would have made one; every field a statement may have changed is set back.
    func reopen(root: UInt32, isTable: Bool, keyInfo: KeyInfo) {
        btree!.reopen(root: root, isTable: isTable, keyInfo: keyInfo)
        self.isTable = isTable
        self.keyInfo = keyInfo
        pseudoRegister = 0
        rowIndex = 0
        nullRow = false
        deferredRowid = nil
        sequence = 0
        seekResult = 0
        cachedGeneration = .max
        cacheValid = false
        record = nil
        recordSize = 0
        headerSize = 0
        headerCursor = 0
        bodyCursor = 0
        parsedColumns = 0
        pseudoRecord.removeAll(keepingCapacity: true)
    }

    @inline(__always) func invalidateCache() {
        cacheValid = false
    }

    /// Loads the current record's location and resets the parsed-header state.
    @inline(__always)
    func loadRecord(_ base: UnsafeRawPointer, _ size: Int) throws(DBError) {
        record = base
        recordSize = size
        // A header of fewer than 128 bytes (nearly every record) gives its size in one byte.
        let first = size > 0 ? base.load(as: UInt8.self) : 0x80
        let (h, n) = first < 0x80 ? (Int(first), 1) : readRecordHeaderSize(base, size)
        guard n > 0, h >= n, h <= size else {
            throw DBError.corrupt("record header size \(h) in a record of \(size) bytes")
        }
        headerSize = h
        headerCursor = n
        bodyCursor = h
        parsedColumns = 0
        cacheValid = true
    }

    /// Stores column `i` of the loaded record into `slot` (reusing the text or blob buffer it holds, see
    /// decodeSerialValue(_:_:_:_:into:)); false when the record has fewer columns.
    @inline(__always)
    func column(_ i: Int, into slot: UnsafeMutablePointer<Value>) throws(DBError) -> Bool {
        guard try parseHeader(through: i) else { return false }
        let t = types[i]
        decodeSerialValue(t, record! + offsets[i], serialTypeLength(t), encoding, into: slot)
        return true
    }

    /// Walks the record header as far as column `i`; false when the record has fewer columns.
    @inline(__always)
    private func parseHeader(through i: Int) throws(DBError) -> Bool {
        while parsedColumns <= i {
            if headerCursor >= headerSize { return false }
            // Serial types below 128 (every number, and text or blobs under 58 bytes) are one byte.
            let at = record! + headerCursor
            let first = at.load(as: UInt8.self)
            let (t, n) = first < 0x80 ? (UInt64(first), 1) : readRecordVarint(at, record! + headerSize)
            guard n > 0 else { throw DBError.corrupt("truncated record header") }
            headerCursor += n
            let len = serialTypeLength(t)
            guard len >= 0, bodyCursor + len <= recordSize else {
                throw DBError.corrupt("record body overflows its payload")
            }
            if parsedColumns == columnCapacity { growColumnCache() }
            types[parsedColumns] = t
            offsets[parsedColumns] = bodyCursor
            parsedColumns += 1
            bodyCursor += len
        }
        return true
    }

    private func growColumnCache() {
        let capacity = columnCapacity * 2
        let newTypes = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
        let newOffsets = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
        newTypes.initialize(from: types, count: parsedColumns)
        newOffsets.initialize(from: offsets, count: parsedColumns)
        types.deallocate()
        offsets.deallocate()
        types = newTypes
        offsets = newOffsets
        columnCapacity = capacity
    }
}

/// A temporary b-tree with its own in-memory pager (OpenEphemeral, automatic indexes, materialized views).
final class EphemeralTable {
    let pager: Pager
    let tree: BTree
    let root: UInt32
    let isTable: Bool

    init(isTable: Bool, encoding: TextEncoding) throws(DBError) {
        pager = Pager(memoryWithPageSize: 4096)
        tree = try BTree(pager: pager)
        try pager.beginWrite()
        try tree.createDatabase(encoding: encoding)
        root = try tree.createTree(table: isTable)
        self.isTable = isTable
    }

    /// Drops every entry (OpenEphemeral on an already open cursor clears it).
    func clear() throws(DBError) {
        try tree.clearTree(root)
    }
}
