// BTreeCursor+Modify: inserting and deleting entries.
//
// Before any change through a cursor, every other cursor on the same tree
// saves its position as a key and lets go of its pages (`saveOtherCursors`):
// an insert, delete or rebalance may move any cell of the tree. A saved
// cursor seeks back to its key the next time it moves; if its entry is gone,
// `skipNext` remembers on which side of the old key it landed, so next() and
// previous() still visit each remaining entry once (as SQLite's skipNext).
// The changing cursor saves its own position the same way after the change.
//
// Writes run with the pager in blocking mode: a write path that met a pending
// read halfway would leave the tree half-changed (docs/ARCHITECTURE.md, "I/O
// execution model", lists this as the remaining work for decision 3).

import Base

enum SavedPosition {
    case rowid(Int64)
    case key([UInt8])
}

extension BTreeCursor {
    // MARK: saved positions

    /// Saves this cursor's position as a key and releases its pages.
    func savePosition() throws(DBError) {
        if depth >= 0 && !isAtEnd {
            if isTable {
                saved = .rowid(try rowid)
            } else {
                saved = .key(try payload())
            }
            savedSkip = skipNext
        }
        releaseLevels(from: 0)
        skipNext = 0
    }

    /// Re-seeks a cursor whose position was saved. Returns true when it is back on the same entry.
    @discardableResult
    public func restorePosition() throws(DBError) -> Bool {
        guard let s = saved else { return isValid }
        let bias = savedSkip  // read first: the seek below clears `saved`, and with it `savedSkip`
        let res: Int
        switch s {
        case .rowid(let r): res = try seek(rowid: r)
        case .key(let k):
            let values = try typedThrows {
                try k.withUnsafeBytes { b in try RecordReader(b.baseAddress!, size: b.count, encoding: tree.encoding).values() }
            }
            res = try seek(key: SearchKey(values))
        }
        saved = nil
        skipNext = isAtEnd ? 0 : (res == 0 && bias != 0 ? bias : res)
        return res == 0 && !isAtEnd
    }

    /// True when the cursor holds a saved position it has not returned to yet.
    public var hasSavedPosition: Bool { saved != nil }

    /// True when the cursor's next movement first returns to a saved position or skips (it is not
    /// simply on an entry it reached by seeking or stepping).
    public var hasPendingMove: Bool { saved != nil || skipNext != 0 }

    /// Saves the position of every other cursor on this tree (before a change); none was ever open beside
    /// this one unless `sharesRoot`.
    func saveOtherCursors() throws(DBError) {
        guard sharesRoot else { return }
        try tree.forEachOpenCursor(on: root) { (c: BTreeCursor) throws(DBError) in
            if c !== self && c.depth >= 0 { try c.savePosition() }
        }
    }

    func requireWritable() throws(DBError) {
        guard pager.inWriteTransaction else { throw DBError(.internal, "b-tree change outside a write transaction") }
    }

    // MARK: insert

    /// Inserts the row `rowid` with `record`, replacing a row with that rowid (table trees).
    public func insert(rowid: Int64, record: UnsafeRawBufferPointer) throws(DBError) {
        guard isTable else { throw DBError(.internal, "rowid insert into an index b-tree") }
        try requireWritable()
        let mode = pager.ioMode
        pager.ioMode = .blocking
        defer { pager.ioMode = mode }
        try saveOtherCursors()
        saved = nil
        let res = try seek(rowid: rowid)
        let cell = try buildCell(payload: record, rowid: rowid, table: true)
        var index = 0
        if !isAtEnd {
            index = levels[depth].index
            if res == 0, try overwriteLeafCell(index, with: cell, payloadSize: record.count) {
                stayOnInsertedCell(index)
                return
            }
            if res == 0 {
                try removeLeafCell(index, freeOverflow: true)
            } else if res < 0 {
                index += 1
            }
        }
        if try insertIntoLeaf(cell, at: index) {
            stayOnInsertedCell(index)
        } else {
            saved = .rowid(rowid)
            releaseLevels(from: 0)
        }
    }

    /// Inserts `record` as an index entry (index trees); an entry equal to it is replaced.
    ///
    /// `seekResult`, when not 0, is what a seek of this cursor that found no equal entry returned, and the
    /// cursor has not moved since (the caller checks `generation`): `record` sorts the same against every
    /// entry as the key sought, so it goes where that seek stopped (SQLite's OPFLAG_USESEEKRESULT, the
    /// IdxInsert after a NoConflict of a UNIQUE index).
    public func insert(indexRecord record: UnsafeRawBufferPointer, seekResult: Int = 0) throws(DBError) {
        guard !isTable else { throw DBError(.internal, "key insert into a table b-tree") }
        try requireWritable()
        let mode = pager.ioMode
        pager.ioMode = .blocking
        defer { pager.ioMode = mode }
        try saveOtherCursors()
        saved = nil
        // Entries are equal when their key fields are (a WITHOUT ROWID table's key is its primary key).
        let fields = keyInfo.fieldCount > 0 ? keyInfo.fieldCount : Int.max
        var res: Int
        if seekResult != 0 && depth >= 0 && node(at: depth).isLeaf {
            res = seekResult
            assert(try! positionMatchesSeek(record, fields: fields, result: seekResult),
                   "insert's seek result does not match a seek of the record")
        } else if let r = try appendsPastLastEntry(record, fields: fields) {
            res = r
        } else {
            res = try seek(record: record, fields: fields)
        }
        if res == 0 {
            try deleteCurrent()
            res = try seek(record: record, fields: fields)
        }
        var index = 0
        if depth >= 0 && !isAtEnd {
            index = levels[depth].index + (res < 0 ? 1 : 0)
        }
        let cell = try buildCell(payload: record, rowid: 0, table: false)
        if try insertIntoLeaf(cell, at: index) {
            stayOnInsertedCell(index)
        } else {
            saved = .key(Array(record))
            releaseLevels(from: 0)
        }
    }

    /// Debug check of a seek result handed to `insert(indexRecord:seekResult:)`: seeking `record` leaves the
    /// cursor where it is, with the same result. Seeks again (moving the cursor to the same place).
    private func positionMatchesSeek(_ record: UnsafeRawBufferPointer, fields: Int, result: Int) throws(DBError) -> Bool {
        let before = (0...depth).map { (levels[$0].pgno, levels[$0].index) }
        let res = try seek(record: record, fields: fields)
        let after = (0...depth).map { (levels[$0].pgno, levels[$0].index) }
        return res == result && before.elementsEqual(after) { $0 == $1 }
    }

    /// When the cursor is on the tree's last entry and `record` sorts after it, the record goes at the end
    /// of that leaf: returns -1 (the seek result) without descending from the root (sorted inserts, as SQLite's
    /// BTCF_AtLast shortcut and OP_SeekEnd). Nil when that does not hold.
    @inline(__always)
    private func appendsPastLastEntry(_ record: UnsafeRawBufferPointer, fields: Int) throws(DBError) -> Int? {
        guard depth >= 0, saved == nil, !isAtEnd else { return nil }
        let leaf = node(at: depth)
        let n = leaf.cellCount
        guard leaf.isLeaf, n > 0, levels[depth].index == n - 1, isOnRightmostPath,
              let (offset, size) = try leaf.localIndexPayload(n - 1, tree) else { return nil }
        let c = try compareRecords(leaf.data + offset, size, record.baseAddress!, record.count, keyInfo: keyInfo,
                                   fields: fields, defaultOrder: 0, encoding: tree.encoding)
        guard c < 0 else { return nil }
        generation &+= 1
        skipNext = 0
        return -1
    }

    /// After an insert that fit its leaf, the cursor stays on the new entry: the rest of the path is unchanged,
    /// so the next nearby seek or insert starts from this leaf.
    private func stayOnInsertedCell(_ index: Int) {
        levels[depth].index = index
        generation &+= 1
        isAtEnd = false
        skipNext = 0
        saved = nil
    }

    /// The leaf cell for `payload` built in the cursor's cell buffer (valid until the next build).
    private func buildCell(payload: UnsafeRawBufferPointer, rowid: Int64, table: Bool) throws(DBError) -> UnsafeRawBufferPointer {
        let needed = tree.usableSize + BTree.cellHeadRoom
        if cellBufferCapacity < needed {
            cellBuffer.deallocate()
            cellBuffer = .allocate(byteCount: needed, alignment: 8)
            cellBufferCapacity = needed
        }
        let n = try tree.buildCell(payload: payload, rowid: rowid, table: table, leaf: true, into: cellBuffer)
        return UnsafeRawBufferPointer(start: cellBuffer, count: n)
    }

    /// Puts a leaf cell on the cursor's leaf at `index`, rebalancing when it does not fit. Returns true when
    /// it fit (no rebalancing: the cursor's path still holds).
    func insertIntoLeaf(_ cell: UnsafeRawBufferPointer, at index: Int) throws(DBError) -> Bool {
        let top = depth
        let page = PageRef(frame: levels[top].frame, pgno: levels[top].pgno, data: levels[top].data!)
        try pager.makeWritable(page)
        let leaf = node(at: top)
        if try leaf.insertCell(cell, at: index, tree: tree) {
            if tree.autoVacuum, let ovfl = overflowPointer(of: cell, leaf: true) {
                try tree.setPointerMapEntry(ovfl, type: .overflow1, parent: page.pgno)
            }
            return true
        }
        // The page stays as it is and the cell rides along as its overflow cell (btree.c's apOvfl):
        // rebalancing gathers the page's cells once, with the new one among them.
        try balance(level: top, overflow: OverflowCell(cell: Array(cell), index: index))
        return false
    }

    /// The overflow page a cell's bytes reference, if any.
    func overflowPointer(of cell: [UInt8], leaf: Bool) -> UInt32? {
        cell.withUnsafeBytes { overflowPointer(of: $0, leaf: leaf) }
    }

    func overflowPointer(of b: UnsafeRawBufferPointer, leaf: Bool) -> UInt32? {
        var p = leaf ? 0 : 4
        let base = b.baseAddress!, end = base + b.count
        let (size, n) = readVarint(base + p, end)
        p += n
        if isTable { p += readVarint(base + p, end).length }
        let local = tree.localPayloadSize(Int(size), table: isTable)
        guard local < Int(size), p + local + 4 <= b.count else { return nil }
        return get32(base, p + local)
    }

    // MARK: delete

    /// Deletes the entry the cursor is on. Afterwards next() moves to the entry that followed it.
    public func delete() throws(DBError) {
        try requireWritable()
        if saved != nil { try restorePosition() }
        guard isValid else { throw DBError(.internal, "delete with no current entry") }
        let mode = pager.ioMode
        pager.ioMode = .blocking
        defer { pager.ioMode = mode }
        try saveOtherCursors()
        if try deleteLeafCellInPlace() { return }
        let key: SavedPosition = isTable ? .rowid(try rowid) : .key(try payload())
        try deleteCurrent()
        saved = key
        skipNext = 0
        releaseLevels(from: 0)
    }

    /// sqlite3BtreeDelete's common case: the entry is on a leaf that stays at least a third full (or is
    /// the root and keeps an entry), so no page but the leaf changes and the cursor keeps its pages. It
    /// is left on the entry that followed (skipNext > 0), or on the one before when the deleted entry was
    /// the leaf's last (skipNext < 0), so next() and previous() go on without seeking. False, with
    /// nothing changed, when the leaf would need rebalancing.
    private func deleteLeafCellInPlace() throws(DBError) -> Bool {
        let top = depth
        let leaf = node(at: top)
        let n = leaf.cellCount
        guard leaf.isLeaf, n > 1 else { return false }
        let index = levels[top].index
        if top > 0 {
            // The leaf's free space once the cell and its pointer are gone (dropCell adds exactly that).
            let size = try leaf.cell(index, tree).size
            if (try leaf.freeSpace() + size + 2) * 3 > tree.usableSize * 2 { return false }
        }
        try removeLeafCell(index, freeOverflow: true)
        generation &+= 1
        saved = nil
        if index < n - 1 {
            skipNext = 1
        } else {
            levels[top].index = index - 1
            skipNext = -1
        }
        return true
    }

    /// Removes the current entry and rebalances; leaves the cursor unpositioned.
    func deleteCurrent() throws(DBError) {
        let top = depth
        let here = node(at: top)
        if here.isLeaf {
            try removeLeafCell(levels[top].index, freeOverflow: true)
            try balance(level: top, content: nil, insertedAt: nil)
            releaseLevels(from: 0)
            return
        }
        try deleteInteriorIndexEntry()
    }

    /// Drops cell `index` of the leaf at the top of the stack.
    /// btreeOverwriteCell's common case: a new version of a row whose payload has the old one's size and
    /// fits on the page (an UPDATE of a fixed-size column) is copied over the old cell in place, with no
    /// removal, insertion or change to the page's free space. False when the sizes differ or either spills.
    private func overwriteLeafCell(_ index: Int, with cell: UnsafeRawBufferPointer, payloadSize: Int) throws(DBError) -> Bool {
        let top = depth
        let info = try node(at: top).cell(index, tree)
        guard info.overflowPage == 0, info.payloadSize == payloadSize, info.size == cell.count else { return false }
        try pager.makeWritable(PageRef(frame: levels[top].frame, pgno: levels[top].pgno, data: levels[top].data!))
        let leaf = node(at: top)
        leaf.data.advanced(by: info.offset).copyMemory(from: cell.baseAddress!, byteCount: cell.count)
        return true
    }

    func removeLeafCell(_ index: Int, freeOverflow: Bool) throws(DBError) {
        let top = depth
        let page = PageRef(frame: levels[top].frame, pgno: levels[top].pgno, data: levels[top].data!)
        let leaf = node(at: top)
        let info = try leaf.cell(index, tree)
        if freeOverflow { try tree.freeOverflowChain(info) }
        try pager.makeWritable(page)
        try leaf.dropCell(index, size: info.size)
    }

    /// Deletes an entry that sits on an interior page of an index tree: its predecessor (the last entry of
    /// its left subtree) takes its place, then the predecessor's old leaf copy is removed.
    private func deleteInteriorIndexEntry() throws(DBError) {
        let top = depth
        let interior = node(at: top)
        let i = levels[top].index
        let doomed = try interior.cell(i, tree)
        // Find the predecessor: the rightmost leaf entry under child i.
        let child = doomed.leftChild
        let count = try descendEdge(from: child, slot: 0, leftmost: false, startDepth: top + 1)
        commitScratch(at: top + 1, count: count)
        let leaf = node(at: depth)
        let predecessorCell = try leaf.cell(levels[depth].index, tree)
        let predecessorLeafCell = Array(UnsafeRawBufferPointer(start: leaf.data + predecessorCell.offset,
                                                               count: predecessorCell.size))
        let predecessorPayload = try payload()
        // Replace the doomed interior cell with the predecessor (same left child).
        try tree.freeOverflowChain(doomed)
        let interiorPage = PageRef(frame: levels[top].frame, pgno: levels[top].pgno, data: levels[top].data!)
        try pager.makeWritable(interiorPage)
        try interior.dropCell(i, size: doomed.size)
        var replacement: [UInt8] = [UInt8(child >> 24), UInt8((child >> 16) & 0xFF), UInt8((child >> 8) & 0xFF),
                                    UInt8(child & 0xFF)]
        replacement.append(contentsOf: predecessorLeafCell)
        releaseLevels(from: top + 1)
        if try interior.insertCell(replacement, at: i, tree: tree) {
            if tree.autoVacuum, let ovfl = overflowPointer(of: replacement, leaf: false) {
                try tree.setPointerMapEntry(ovfl, type: .overflow1, parent: interiorPage.pgno)
            }
        } else {
            var cells = try CellList(interior, tree: tree)
            cells.insert(replacement, at: i)
            try balance(level: top, content: PageContent(cells: cells, rightChild: interior.rightChild), insertedAt: i)
        }
        // Remove the predecessor's leaf copy: the first of the two equal entries in key order.
        let values = try typedThrows {
            try predecessorPayload.withUnsafeBytes { b in
                try RecordReader(b.baseAddress!, size: b.count, encoding: tree.encoding).values()
            }
        }
        _ = try seek(key: SearchKey(values, defaultOrder: 1))
        guard isValid, node(at: depth).isLeaf else {
            throw DBError.corrupt("index b-tree \(root): predecessor entry lost during delete")
        }
        try removeLeafCell(levels[depth].index, freeOverflow: false)
        try balance(level: depth, content: nil, insertedAt: nil)
        releaseLevels(from: 0)
        // The surviving copy owns the overflow chain now: point the pointer map at its page.
        if tree.autoVacuum {
            if try seek(key: SearchKey(values)) == 0 {
                let page = PageRef(frame: levels[depth].frame, pgno: levels[depth].pgno, data: levels[depth].data!)
                try tree.updatePointerMap(for: page)
            }
            releaseLevels(from: 0)
        }
    }
}
