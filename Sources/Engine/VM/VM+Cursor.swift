// VM+Cursor: the cursor opcodes — opening, moving, seeking, reading columns,
// and the row and index writes.

import Base
import Storage

extension VM {
    func openCursor(_ op: Instruction) throws(DBError) {
        var root = UInt32(op.p2)
        if op.p5 & 2 != 0, case .integer(let r) = registers[Int(op.p2)] { root = UInt32(truncatingIfNeeded: r) }
        var keyInfo = KeyInfo(binaryFields: 0)
        var isTable = true
        if case .keyInfo(let k) = operand(op) {
            keyInfo = k
            isTable = false
        }
        let tree = op.p3 == 0 ? connection.tree : try connection.tree(ofDatabase: op.p3)
        let c: VMCursor
        if root == 1 && op.opcode == .OpenRead && tree.pager.pageCount == 0 {
            // A database with no pages yet has an empty sqlite_schema (page 1 does not exist until the
            // first write): read it as an empty table, as sqlite3BtreeCursor does for an empty file.
            let e = try EphemeralTable(isTable: true, encoding: tree.encoding)
            c = VMCursor(kind: .btree, isTable: isTable, keyInfo: keyInfo, encoding: tree.encoding,
                         btree: BTreeCursor(tree: e.tree, root: e.root, isTable: true, keyInfo: keyInfo))
            c.ephemeral = e
        } else if op.p3 == 0, let pooled = connection.pooledCursor(root: root, isTable: isTable, keyInfo: keyInfo) {
            c = pooled
        } else {
            c = VMCursor(kind: .btree, isTable: isTable, keyInfo: keyInfo, encoding: tree.encoding,
                         btree: BTreeCursor(tree: tree, root: root, isTable: isTable, keyInfo: keyInfo))
        }
        closeCursor(Int(op.p1))
        setCursor(op.p1, c)
    }

    func openEphemeral(_ op: Instruction) throws(DBError) {
        if let existing = cursors[Int(op.p1)], let e = existing.ephemeral {
            try e.clear()
            existing.btree?.reset()
            existing.invalidateCache()
            return
        }
        var keyInfo = KeyInfo(binaryFields: 0)
        var isTable = true
        if case .keyInfo(let k) = operand(op) {
            keyInfo = k
            isTable = false
        }
        let enc = connection.tree.encoding
        let e = try EphemeralTable(isTable: isTable, encoding: enc)
        let c = VMCursor(kind: .btree, isTable: isTable, keyInfo: keyInfo, encoding: enc,
                         btree: BTreeCursor(tree: e.tree, root: e.root, isTable: isTable, keyInfo: keyInfo))
        c.ephemeral = e
        setCursor(op.p1, c)
    }

    func openDuplicate(_ op: Instruction) throws(DBError) {
        guard let original = cursors[Int(op.p2)], let e = original.ephemeral else {
            throw DBError(.internal, "OpenDup of a cursor that is not ephemeral")
        }
        let c = VMCursor(kind: .btree, isTable: original.isTable, keyInfo: original.keyInfo,
                         encoding: original.encoding,
                         btree: BTreeCursor(tree: e.tree, root: e.root, isTable: original.isTable,
                                            keyInfo: original.keyInfo))
        c.ephemeral = e
        setCursor(op.p1, c)
    }

    /// Installs `c` as cursor `i`: the array owns it, and `cursorRefs` mirrors it unretained.
    func setCursor(_ i: Int32, _ c: VMCursor?) {
        cursors[Int(i)] = c
        cursorRefs[Int(i)] = c.map { Unmanaged.passUnretained($0) }
    }

    /// Runs `body` on cursor `i` borrowed from the cursor array, with no reference counting: the array
    /// keeps the cursor alive, and no instruction closes a cursor while it works on one.
    @inline(__always)
    func withCursor<R>(_ i: Int32, _ body: (VMCursor) throws(DBError) -> R) throws(DBError) -> R {
        guard let u = cursorRefs[Int(i)] else { throw DBError(.internal, "cursor \(i) is not open") }
        return try borrow(u, body)
    }

    /// Runs `body` on the b-tree cursor of `c` (a .btree cursor), borrowed as `withCursor` borrows.
    @inline(__always)
    func withBTreeCursor<R>(_ c: VMCursor, _ body: (BTreeCursor) throws(DBError) -> R) throws(DBError) -> R {
        guard let u = c.borrowedBTree else { throw DBError(.internal, "not a b-tree cursor") }
        return try borrow(u, body)
    }

    /// Rewind / Last: false when the cursor has no entries.
    func moveToEdge(_ op: Instruction, first: Bool) throws(DBError) -> Bool {
        try withCursor(op.p1) { c throws(DBError) -> Bool in
            c.nullRow = false
            c.deferredRowid = nil
            c.invalidateCache()
            switch c.kind {
            case .btree:
                return try withBTreeCursor(c) { b throws(DBError) -> Bool in first ? try b.first() : try b.last() }
            case .rows:
                c.rowIndex = first ? 0 : c.rows.count - 1
                return !c.rows.isEmpty
            default:
                throw DBError(.internal, "Rewind on a \(c.kind) cursor")
            }
        }
    }

    /// Next / Prev: true when the cursor moved onto another entry.
    @inline(__always)
    func advance(_ op: Instruction, forward: Bool) throws(DBError) -> Bool {
        try withCursor(op.p1) { c throws(DBError) -> Bool in
            c.deferredRowid = nil
            c.invalidateCache()
            // NullRow leaves the cursor on no entry (vdbe.c clears the b-tree cursor): Next and Prev end the
            // loop. A LEFT JOIN's row of NULLs runs the loop's body once, then reaches its Next.
            if c.nullRow { return false }
            switch c.kind {
            case .btree:
                return try withBTreeCursor(c) { b throws(DBError) -> Bool in forward ? try b.next() : try b.previous() }
            case .rows:
                c.rowIndex += forward ? 1 : -1
                return c.rowIndex >= 0 && c.rowIndex < c.rows.count
            default:
                throw DBError(.internal, "Next on a \(c.kind) cursor")
            }
        }
    }

    /// SeekRowid / NotExists: true when the row exists (the cursor is then on it).
    func seekRowid(_ op: Instruction) throws(DBError) -> Bool {
        return try withCursor(op.p1) { c throws(DBError) -> Bool in
            c.nullRow = false
            c.deferredRowid = nil
            c.invalidateCache()
            var key = registers[Int(op.p3)]
            if op.opcode == .SeekRowid, case .integer = key {} else if op.opcode == .SeekRowid {
                key = key.applyingAffinity(.numeric)
            }
            guard case .integer(let rowid) = key else { return false }
            return try withBTreeCursor(c) { b throws(DBError) -> Bool in
                return try b.seek(rowid: rowid) == 0 && b.isValid
            }
        }
    }

    /// SeekGE/GT/LE/LT: false when no entry satisfies the bound.
    func seek(_ op: Instruction) throws(DBError) -> Bool {
        return try withCursor(op.p1) { c throws(DBError) -> Bool in
            c.nullRow = false
            c.deferredRowid = nil
            c.invalidateCache()
            return try withBTreeCursor(c) { b throws(DBError) -> Bool in
                let forward = op.opcode == .SeekGE || op.opcode == .SeekGT
                if c.isTable {
                    return try seekTable(b, op.opcode, registers[Int(op.p3)])
                }
                let n = Int(op.p4) == 0 ? 1 : nFields(op)
                // Equal prefixes sort after the key for GE and LT, before it for GT and LE.
                let dflt = (op.opcode == .SeekGE || op.opcode == .SeekLT) ? 1 : -1
                let res = try b.seek(key: searchKey(Int(op.p3), n, defaultOrder: dflt))
                if b.isAtEnd && res < 0 && forward { return false }
                if b.isAtEnd { return false }
                if forward {
                    if res < 0 { return try b.next() }
                    return true
                }
                if res > 0 { return try b.previous() }
                return true
            }
        }
    }

    /// Registers `first..<first+count` as a search key. The values go into a buffer the VM keeps, which is
    /// unique again once the caller's key is gone, so a seek or index comparison per row allocates nothing.
    @inline(__always)
    func searchKey(_ first: Int, _ count: Int, defaultOrder: Int) -> SearchKey {
        if searchKeyValues.count == count {
            // The usual case, a loop's IdxGT/IdxLT on each row: overwrite in place (removeAll and append
            // would destroy and rebuild the elements through the generic replaceSubrange).
            for i in 0..<count { searchKeyValues[i] = registers[first + i] }
        } else {
            searchKeyValues.removeAll(keepingCapacity: true)
            for i in 0..<count { searchKeyValues.append(registers[first + i]) }
        }
        return SearchKey(searchKeyValues, defaultOrder: defaultOrder)
    }

    /// The number of key fields a seek or index comparison uses (P4 holds it as an int64 operand).
    @inline(__always)
    func nFields(_ op: Instruction) -> Int {
        if case .int64(let n) = operand(op) { return Int(n) }
        return 1
    }

    private func seekTable(_ b: BTreeCursor, _ opcode: Opcode, _ raw: Value) throws(DBError) -> Bool {
        var opc = opcode
        var key: Int64
        switch raw.applyingAffinity(.numeric) {
        case .integer(let i): key = i
        case .real(let r):
            // A fractional bound: rowid >= 2.5 is rowid >= 3, rowid > 2.5 is rowid > 2, and so on.
            if r.isNaN { return false }
            if r >= 9.2233720368547758e18 {
                if opc == .SeekGE || opc == .SeekGT { return false }
                return try b.last()
            }
            if r < -9.2233720368547758e18 {
                if opc == .SeekLE || opc == .SeekLT { return false }
                return try b.first()
            }
            let f = r.rounded(.down)
            key = Int64(f)
            if f != r {
                switch opc {
                case .SeekGE: opc = .SeekGT
                case .SeekLT: opc = .SeekLE
                default: break
                }
            }
        case .null: return false
        default:
            // Text and blobs sort after every number.
            if opc == .SeekGE || opc == .SeekGT { return false }
            return try b.last()
        }
        let res = try b.seek(rowid: key)
        if b.isAtEnd { return false }
        switch opc {
        case .SeekGE: return res < 0 ? try b.next() : true
        case .SeekGT:
            if res <= 0 { return try b.next() }
            return true
        case .SeekLE: return res > 0 ? try b.previous() : true
        default:
            if res >= 0 { return try b.previous() }
            return true
        }
    }

    /// IdxGE/GT/LE/LT: compares the index entry's first fields with the key.
    func indexCompareJumps(_ op: Instruction) throws(DBError) -> Bool {
        return try withCursor(op.p1) { c throws(DBError) -> Bool in
            return try withBTreeCursor(c) { b throws(DBError) -> Bool in
                // A first field that differs decides without building the key (the usual case of a loop's
                // bound check), as does an equal one when it is the whole key.
                let n = nFields(op)
                let order: Int
                if n >= 1, let leading = try b.compareCurrentLeadingField(to: registers[Int(op.p3)]), leading != 0 || n == 1 {
                    order = leading
                } else {
                    order = try b.compareCurrent(to: searchKey(Int(op.p3), n, defaultOrder: 0))
                }
                switch op.opcode {
                case .IdxGE: return order >= 0
                case .IdxGT: return order > 0
                case .IdxLE: return order <= 0
                default: return order < 0
                }
            }
        }
    }

    /// Found / NotFound / NoConflict: whether to jump.
    func foundJumps(_ op: Instruction) throws(DBError) -> Bool {
        return try withCursor(op.p1) { c throws(DBError) -> Bool in
            c.invalidateCache()
            // An entry whose leading fields equal the key compares equal (SQLite's default_rc = 0 for OP_Found):
            // the seek stops on one, or fails where the key would go. Register keys reuse the VM's key buffer.
            let key: SearchKey
            if case .int64 = operand(op) {
                key = searchKey(Int(op.p3), nFields(op), defaultOrder: 0)
            } else if case .blob(let record) = registers[Int(op.p3)] {
                let values = try typedThrows {
                    try record.withUnsafeBytes { try RecordReader($0.baseAddress!, size: $0.count, encoding: c.encoding).values() }
                }
                key = SearchKey(values, defaultOrder: 0)
            } else {
                key = searchKey(Int(op.p3), 1, defaultOrder: 0)
            }
            c.seekResult = 0
            if op.opcode == .NoConflict && key.values.contains(where: \.isNull) { return true }
            return try withBTreeCursor(c) { b throws(DBError) -> Bool in
                let res = try b.seek(key: key)
                let found = res == 0 && b.isValid
                // Where a missing key would go, for an IdxInsert of the same key that follows (vdbe.c's
                // OP_Found/NotFound/NoConflict keep seekResult for OPFLAG_USESEEKRESULT).
                if !found {
                    c.seekResult = res
                    c.seekGeneration = b.generation
                }
                return op.opcode == .Found ? found : !found
            }
        }
    }

    /// Column: the value of column P2 of cursor P1 into register P3 (a text or blob read from a record
    /// reuses the buffer the register holds: decodeSerialValue(_:_:_:_:into:)).
    @inline(__always)
    func storeColumn(_ op: Instruction) throws(DBError) {
        let slot = registers + Int(op.p3)
        if let v = try readColumn(op, into: slot) { slot.pointee = v }
    }

    /// Column's work: nil once the value is in `slot`, else the value to store there.
    @inline(__always)
    private func readColumn(_ op: Instruction, into slot: UnsafeMutablePointer<Value>) throws(DBError) -> Value? {
        try withCursor(op.p1) { c throws(DBError) -> Value? in
            if c.nullRow { return .null }
            let i = Int(op.p2)
            switch c.kind {
            case .btree:
                let onRow = try withBTreeCursor(c) { b throws(DBError) -> Bool in
                    if let target = c.deferredRowid {
                        // Cleared only once the seek is done: a seek that meets a read in flight (.suspend
                        // mode) is re-run when the step is re-entered.
                        _ = try b.seek(rowid: target)
                        c.deferredRowid = nil
                        c.invalidateCache()
                    }
                    if !c.cacheValid || c.cachedGeneration != b.generation {
                        if b.hasSavedPosition { try b.restorePosition() }
                        guard b.isValid else { return false }
                        let (p, n) = try b.currentPayload()
                        try c.loadRecord(p, n)
                        c.cachedGeneration = b.generation
                    }
                    return true
                }
                if !onRow { return .null }
            case .pseudo:
                if !c.cacheValid {
                    guard case .blob(let record) = registers[Int(c.pseudoRegister)] else { return .null }
                    c.pseudoRecord = record
                    let base = c.pseudoRecord.withUnsafeBytes { $0.baseAddress }
                    guard let base else { return .null }
                    try c.loadRecord(base, record.count)
                }
            case .rows:
                let row = c.rows[c.rowIndex]
                return i < row.count ? row[i] : .null
            case .sorter:
                guard let s = c.sorter else { return .null }
                try s.withCurrent { p, n throws(DBError) in
                    try RecordReader(p, size: n, encoding: c.encoding).value(at: i, into: slot)
                }
                return nil
            }
            if try c.column(i, into: slot) { return nil }
            if case .value(let d) = operand(op) { return d }
            return .null
        }
    }

    func readRowid(_ i: Int) throws(DBError) -> Value {
        return try withCursor(Int32(i)) { c throws(DBError) -> Value in
            if c.nullRow { return .null }
            if let target = c.deferredRowid { return .integer(target) }
            return try withBTreeCursor(c) { b throws(DBError) -> Value in
                if b.hasSavedPosition { try b.restorePosition() }
                guard b.isValid else { return .null }
                return .integer(try b.rowid)
            }
        }
    }

    /// IdxRowid: the rowid stored as the last field of the current index entry.
    func readIndexRowid(_ i: Int) throws(DBError) -> Value {
        return try withCursor(Int32(i)) { c throws(DBError) -> Value in
            if c.nullRow { return .null }
            return try withBTreeCursor(c) { b throws(DBError) -> Value in
                if b.hasSavedPosition { try b.restorePosition() }
                guard b.isValid else { return .null }
                let (p, n) = try b.currentPayload()
                let reader = try RecordReader(p, size: n, encoding: c.encoding)
                let count = try reader.columnCount()
                return try reader.value(at: count - 1)
            }
        }
    }

    /// DeferredSeek: table cursor P3 will move to index cursor P1's rowid when first read.
    func deferredSeek(_ op: Instruction) throws(DBError) {
        guard case .integer(let rowid) = try readIndexRowid(Int(op.p1)) else {
            throw DBError.corrupt("index entry without a rowid (cursor \(op.p1))")
        }
        try withCursor(op.p3) { table throws(DBError) in
            table.deferredRowid = rowid
            table.nullRow = false
            table.invalidateCache()
        }
    }

    func makeRecord(_ op: Instruction) {
        let first = Int(op.p1), n = Int(op.p2)
        if case .affinities(let affs) = operand(op) {
            for i in 0..<Swift.min(n, affs.count) {
                registers[first + i] = registers[first + i].applyingAffinity(affs[i])
            }
        }
        let target = Int(op.p3)
        var out = (first..<first + n).contains(target) ? [] : takeBlobBuffer(target)
        RecordEncoder.encode(UnsafeBufferPointer(start: registers + first, count: n), encoding: encoding,
                             into: &out)
        registers[target] = .blob(out)
    }

    /// The blob register `r` holds, taken out of it (the register becomes NULL) so that its buffer can be
    /// refilled in place: a record the previous row left there is usually no longer shared (an insert or a
    /// sorter copied it), so refilling allocates nothing. Empty when `r` holds no blob.
    func takeBlobBuffer(_ r: Int) -> [UInt8] {
        guard case .blob(let old) = registers[r] else { return spareBlobBuffers.popLast() ?? [] }
        registers[r] = .null
        return old
    }

    func countEntries(_ i: Int) throws(DBError) -> Int64 {
        try withCursor(Int32(i)) { c throws(DBError) -> Int64 in
            try withBTreeCursor(c) { b throws(DBError) -> Int64 in try b.countEntries() }
        }
    }

    /// NewRowid: one more than the largest rowid (or AUTOINCREMENT's high-water mark); random after 2^63-1.
    func newRowid(_ op: Instruction) throws(DBError) -> Int64 {
        return try withCursor(op.p1) { c throws(DBError) -> Int64 in
            return try withBTreeCursor(c) { b throws(DBError) -> Int64 in
                c.invalidateCache()
                // OP_NewRowid: one more than the last rowid, even a negative one (1 for an empty table),
                // random once the last rowid is the largest possible.
                var v: Int64 = 1
                var random = false
                if try b.last() {
                    let last = try b.rowid
                    if last == Int64.max { random = true } else { v = last + 1 }
                }
                if op.p3 != 0 {
                    // AUTOINCREMENT: above the largest rowid ever used, too.
                    let high = registers[Int(op.p3)].integerOrZero
                    if high == Int64.max || random { throw DBError(.full) }
                    if v < high + 1 { v = high + 1 }
                    registers[Int(op.p3)] = .integer(v)
                }
                if !random { return v }
                for _ in 0..<100 {
                    let candidate = Int64(bitPattern: connection.random.nextUInt64() & 0x7FFF_FFFF_FFFF_FFFF)
                    if candidate > 0, try b.seek(rowid: candidate) != 0 { return candidate }
                }
                throw DBError(.full)
            }
        }
    }

    func insertRow(_ op: Instruction) throws(DBError) {
        try withCursor(op.p1) { c throws(DBError) -> Void in
            guard case .integer(let rowid) = registers[Int(op.p3)] else { throw DBError(.mismatch, "datatype mismatch") }
            c.invalidateCache()
            c.deferredRowid = nil  // the insert positions the cursor itself
            try withBTreeCursor(c) { b throws(DBError) -> Void in
                switch registers[Int(op.p2)] {
                case .blob(let record):
                    try record.withUnsafeBytesTyped { p, n throws(DBError) in
                        try b.insert(rowid: rowid, record: UnsafeRawBufferPointer(start: p, count: n))
                    }
                default:
                    let empty = RecordEncoder.encode([])
                    try empty.withUnsafeBytesTyped { p, n throws(DBError) in
                        try b.insert(rowid: rowid, record: UnsafeRawBufferPointer(start: p, count: n))
                    }
                }
                if op.p5 & InsertFlags.countChange != 0 { changeCount += 1 }
                if op.p5 & InsertFlags.countTotal != 0 { triggerChangeCount += 1 }
                if op.p5 & InsertFlags.lastRowid != 0 { connection.lastInsertRowID = rowid }
            }
        }
    }

    func deleteRow(_ op: Instruction) throws(DBError) {
        try withCursor(op.p1) { c throws(DBError) -> Void in
            c.invalidateCache()
            if let target = c.deferredRowid {
                _ = try c.btree!.seek(rowid: target)
                c.deferredRowid = nil
            }
            try c.btree!.delete()
            if op.p5 & InsertFlags.countChange != 0 { changeCount += 1 }
            if op.p5 & InsertFlags.countTotal != 0 { triggerChangeCount += 1 }
        }
    }

    func insertIndexKey(_ op: Instruction) throws(DBError) {
        try withCursor(op.p1) { c throws(DBError) -> Void in
            c.invalidateCache()
            guard case .blob(let record) = registers[Int(op.p2)] else { throw DBError(.internal, "IdxInsert without a record") }
            try withBTreeCursor(c) { b throws(DBError) -> Void in
                if op.p5 & InsertFlags.bulkLoad != 0 { b.bulkLoad = true }
                let hint = op.p5 & InsertFlags.useSeekResult != 0 && c.seekGeneration == b.generation ? c.seekResult : 0
                c.seekResult = 0
                try record.withUnsafeBytesTyped { p, n throws(DBError) in
                    try b.insert(indexRecord: UnsafeRawBufferPointer(start: p, count: n), seekResult: hint)
                }
                if op.p5 & InsertFlags.countChange != 0 { changeCount += 1 }
                if op.p5 & InsertFlags.countTotal != 0 { triggerChangeCount += 1 }
            }
        }
    }

    func deleteIndexKey(_ op: Instruction) throws(DBError) {
        try withCursor(op.p1) { c throws(DBError) -> Void in
            c.invalidateCache()
            try withBTreeCursor(c) { b throws(DBError) -> Void in
                let key = searchKey(Int(op.p2), Int(op.p3), defaultOrder: 0)
                // A DELETE or UPDATE looping over this index is already on the entry (and delete() leaves it
                // beside the next one): compare in place before seeking (sqlite3's one-pass Delete on the cursor).
                if b.isValid && !b.hasPendingMove, try b.compareCurrent(to: key) == 0 {
                    try b.delete()
                } else if try b.seek(key: key) == 0 && b.isValid {
                    try b.delete()
                }
            }
        }
    }

    func runNative(_ op: Instruction) throws(DBError) {
        guard case .native(let step) = operand(op) else { throw DBError(.internal, "Native without a step") }
        let rows = try step.run(self)
        if let rows, op.p1 >= 0, Int(op.p1) < cursors.count {
            let c = VMCursor(kind: .rows, isTable: true, keyInfo: KeyInfo(binaryFields: 0), encoding: .utf8)
            c.rows = rows
            setCursor(op.p1, c)
        }
    }
}

/// P5 flags of Insert and Delete (SQLite's OPFLAG_NCHANGE, OPFLAG_LASTROWID).
enum InsertFlags {
    static let countChange: UInt16 = 1
    static let lastRowid: UInt16 = 2
    /// A row changed by a statement of a trigger body: counted by total_changes() only (OP_ResetCount).
    static let countTotal: UInt16 = 4
    /// IdxInsert of sorted keys into a new index (CREATE INDEX, REINDEX): SQLite's OPFLAG_BULKCSR.
    static let bulkLoad: UInt16 = 8
    /// IdxInsert of the key a NoConflict on the same cursor just sought: the insert goes where that seek
    /// stopped if the cursor has not moved since (SQLite's OPFLAG_USESEEKRESULT).
    static let useSeekResult: UInt16 = 16
}

extension Value {
    var integerOrZero: Int64 {
        if case .integer(let i) = self { return i }
        return 0
    }
}
