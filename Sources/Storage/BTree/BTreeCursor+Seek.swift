// BTreeCursor+Seek: positioning a cursor by key.
//
// A seek walks from the root, binary-searching each page, and leaves the
// cursor on the entry it found or on a neighbour of where the key would go.
// The result follows sqlite3BtreeMovetoUnpacked: 0 — the cursor is on an
// entry equal to the key; negative — on the entry just before where the key
// would be (or the tree is empty: the cursor is then at end); positive — on
// the entry just after. An index seek can stop on an interior cell when that
// entry equals the key. Like every movement, a seek changes nothing until all
// the pages it needs are pinned (see BTreeCursor.swift, resumability).

import Base

extension BTreeCursor {
    /// Positions the cursor at `key` in a table b-tree. See the file header for the result.
    public func seek(rowid key: Int64) throws(DBError) -> Int {
        if let r = try seekWithinCurrentLeaf(key) { return r }
        var slot = 0
        var pg = root
        while true {
            let node = try loadScratch(slot, pg)
            let n = node.cellCount
            var lo = 0, hi = n
            if node.isLeaf {
                while lo < hi {
                    let mid = (lo + hi) >> 1
                    let r: Int64
                    do { r = try node.tableCellRowid(mid) } catch { releaseScratch(slot + 1); throw error }
                    if r < key { lo = mid + 1 } else if r > key { hi = mid } else {
                        scratch[slot].index = mid
                        commitScratch(at: 0, count: slot + 1)
                        isAtEnd = false
                        return 0
                    }
                }
                return finishLeafSeek(slot: slot, cellCount: n, insertionPoint: lo)
            }
            while lo < hi {
                let mid = (lo + hi) >> 1
                let r: Int64
                do { r = try node.tableCellRowid(mid) } catch { releaseScratch(slot + 1); throw error }
                if r < key { lo = mid + 1 } else { hi = mid }
            }
            scratch[slot].index = lo
            do { pg = try node.childPage(lo) } catch { releaseScratch(slot + 1); throw error }
            slot += 1
        }
    }

    /// Sequential access often seeks a key on the leaf the cursor already holds: try that leaf alone first.
    @inline(__always)
    private func seekWithinCurrentLeaf(_ key: Int64) throws(DBError) -> Int? {
        guard depth >= 0, isTable, saved == nil else { return nil }
        let leaf = node(at: depth)
        let n = leaf.cellCount
        guard leaf.isLeaf, n > 0 else { return nil }
        // Already on the key (an UPDATE writing back the row it reads: btree.c's BTCF_ValidNKey check in
        // sqlite3BtreeInsert).
        let at = levels[depth].index
        if !isAtEnd && skipNext == 0 && at < n, try leaf.tableCellRowid(at) == key {
            generation &+= 1
            return 0
        }
        let firstKey = try leaf.tableCellRowid(0)
        let lastKey = try leaf.tableCellRowid(n - 1)
        if key > lastKey && isOnRightmostPath {
            // Appending past the end of the tree (as SQLite's BTCF_AtLast shortcut).
            levels[depth].index = n - 1
            generation &+= 1
            isAtEnd = false
            skipNext = 0
            return -1
        }
        guard firstKey <= key, key <= lastKey else { return nil }
        var lo = 0, hi = n
        while lo < hi {
            let mid = (lo + hi) >> 1
            let r = try leaf.tableCellRowid(mid)
            if r < key { lo = mid + 1 } else if r > key { hi = mid } else {
                levels[depth].index = mid
                generation &+= 1
                isAtEnd = false
                skipNext = 0
                return 0
            }
        }
        levels[depth].index = lo
        generation &+= 1
        isAtEnd = false
        skipNext = 0
        return 1
    }

    /// True when every level above the leaf follows its page's right child: the leaf is the tree's last.
    @inline(__always)
    var isOnRightmostPath: Bool {
        var i = 0
        while i < depth {
            if levels[i].index != node(at: i).cellCount { return false }
            i += 1
        }
        return true
    }

    private func finishLeafSeek(slot: Int, cellCount n: Int, insertionPoint lo: Int) -> Int {
        if n == 0 {
            scratch[slot].index = 0
            commitScratch(at: 0, count: slot + 1)
            isAtEnd = true
            return -1
        }
        if lo == n {
            scratch[slot].index = n - 1
            commitScratch(at: 0, count: slot + 1)
            isAtEnd = false
            return -1
        }
        scratch[slot].index = lo
        commitScratch(at: 0, count: slot + 1)
        isAtEnd = false
        return 1
    }

    /// Positions the cursor at `key` in an index b-tree. See the file header for the result.
    public func seek(key: SearchKey) throws(DBError) -> Int {
        // The key's description read once: loading the cursor's `keyInfo` per comparison retains and
        // releases its arrays each time.
        let ki = keyInfo, enc = tree.encoding
        // A leading integer, or UTF-8 text under BINARY, is taken out of the key once for the whole
        // descent: each cell's first field is compared with it in place, and the general comparison
        // (which receives the key and its description on every call) runs only on a tie or another type.
        let descending = ki.descending.first ?? false
        let single = key.values.count == 1
        if case .integer(let j)? = key.values.first {
            return try seekIndex { (node, view, i) throws(DBError) in
                if let x = view.leadingInteger(i) {
                    if x != j { return (x < j) != descending ? -1 : 1 }
                    if single { return key.defaultOrder }
                }
                if let (offset, size) = try view.localPayload(i, node, tree) {
                    return try compareRecord(node.data + offset, size: size, to: key, keyInfo: ki, encoding: enc)
                }
                return try compareCell(node, i, key)
            }
        }
        if case .text(let text)? = key.values.first, ki.leadingFieldIsBinaryText(enc) {
            return try text.withUnsafeBytesTyped { (base, count) throws(DBError) -> Int in
                let sought = UnsafeRawBufferPointer(start: base, count: count)
                return try seekIndex { (node, view, i) throws(DBError) in
                    if let (offset, size) = try view.localPayload(i, node, tree) {
                        if case .text(let bytes)? = leadingField(node.data + offset, size) {
                            let c = compareBytes(bytes, sought)
                            if c != 0 { return descending ? -c : c }
                            if single { return key.defaultOrder }
                        }
                        return try compareRecord(node.data + offset, size: size, to: key, keyInfo: ki, encoding: enc)
                    }
                    return try compareCell(node, i, key)
                }
            }
        }
        return try seekIndex { (node, view, i) throws(DBError) in
            if let (offset, size) = try view.localPayload(i, node, tree) {
                return try compareRecord(node.data + offset, size: size, to: key, keyInfo: ki, encoding: enc)
            }
            return try compareCell(node, i, key)
        }
    }

    /// Positions the cursor at an index record given encoded (`record`), comparing its first `fields` fields
    /// without decoding them. Same results as `seek(key:)`.
    public func seek(record: UnsafeRawBufferPointer, fields: Int, defaultOrder: Int = 0) throws(DBError) -> Int {
        // The key description is read from the cursor once (each read of the property retains its arrays).
        let ki = keyInfo
        let comparison = FixedKeyComparison(key: record, keyInfo: ki, fields: fields, defaultOrder: defaultOrder,
                                            encoding: tree.encoding)
        // As in seek(key:): a leading integer, or BINARY text, is compared with each cell's first field in
        // place (vdbeRecordCompareInt/String), and the whole-record comparison runs only on a tie or
        // another type. The integer case reads the cell's field with straight-line loads. (One descent
        // with a switch, not one per case: three closures would each copy the comparison.)
        let lead: SeekLead
        switch comparison.keyLead {
        case .integer(let j)?: lead = .integer(j)
        case .text(let t)? where comparison.binaryText: lead = .text(t)
        default: lead = .other
        }
        let descending = comparison.leadDescending, single = fields == 1
        return try seekIndex { (node, view, i) throws(DBError) in
            switch lead {
            case .integer(let j):
                if let x = view.leadingInteger(i) {
                    if x != j { return (x < j) != descending ? -1 : 1 }
                    if single { return defaultOrder }
                    if let (offset, size) = try view.localPayload(i, node, tree) {
                        return try comparison.compareAfterLeadingTie(node.data + offset, size, keyInfo: ki)
                    }
                }
            case .text(let sought):
                if let (offset, size) = try view.localPayload(i, node, tree),
                   case .text(let bytes)? = leadingField(node.data + offset, size) {
                    let c = compareBytes(bytes, sought)
                    if c != 0 { return descending ? -c : c }
                    if single { return defaultOrder }
                    return try comparison.compareAfterLeadingTie(node.data + offset, size, keyInfo: ki)
                }
            case .other:
                break
            }
            if let (offset, size) = try view.localPayload(i, node, tree) {
                return try comparison.compare(node.data + offset, size, keyInfo: ki)
            }
            try tree.readPayload(try node.cell(i, tree), from: node.data, into: &payloadBuffer)
            return try payloadBuffer.withUnsafeBytesTyped { p, size throws(DBError) in
                try compareRecords(p, size, record.baseAddress!, record.count, keyInfo: ki, fields: fields,
                                   defaultOrder: defaultOrder, encoding: comparison.encoding)
            }
        }
    }

    /// The index descent both seeks share: a binary search of each page with `compare(node, cell)`
    /// (the cell's key against the sought one), down to the match or the leaf's insertion point.
    @inline(__always)
    private func seekIndex(_ compare: (BTreeNode, IndexPageView, Int) throws(DBError) -> Int) throws(DBError) -> Int {
        var slot = 0
        var pg = root
        while true {
            let node = try loadScratch(slot, pg)
            let n = node.cellCount
            let view = IndexPageView(node, tree)
            var lo = 0, hi = n - 1
            while lo <= hi {
                let mid = (lo + hi) >> 1
                let c: Int
                do { c = try compare(node, view, mid) } catch { releaseScratch(slot + 1); throw error }
                if c < 0 { lo = mid + 1 } else if c > 0 { hi = mid - 1 } else {
                    scratch[slot].index = mid
                    commitScratch(at: 0, count: slot + 1)
                    isAtEnd = false
                    return 0
                }
            }
            if node.isLeaf { return finishLeafSeek(slot: slot, cellCount: n, insertionPoint: lo) }
            scratch[slot].index = lo
            do { pg = try node.childPage(lo) } catch { releaseScratch(slot + 1); throw error }
            slot += 1
        }
    }

    /// Compares the record in cell `i` of `node` with `key` (negative: the record sorts first).
    @inline(__always)
    func compareCell(_ node: BTreeNode, _ i: Int, _ key: SearchKey) throws(DBError) -> Int {
        if let (offset, size) = try node.localIndexPayload(i, tree) {
            return try compareRecord(node.data + offset, size: size, to: key, keyInfo: keyInfo, encoding: tree.encoding)
        }
        try tree.readPayload(try node.cell(i, tree), from: node.data, into: &payloadBuffer)
        let ki = keyInfo, enc = tree.encoding
        return try typedThrows {
            try payloadBuffer.withUnsafeBytes { b in
                try compareRecord(b.baseAddress!, size: b.count, to: key, keyInfo: ki, encoding: enc)
            }
        }
    }

    /// Compares the current entry's record with `key` (index trees).
    public func compareCurrent(to key: SearchKey) throws(DBError) -> Int {
        try compareCell(node(at: depth), levels[depth].index, key)
    }

    /// Compares the current entry's record with the encoded record `key` over its first `fields` fields
    /// (index trees; 0 when those are equal).
    public func compareCurrent(record key: UnsafeRawBufferPointer, fields: Int) throws(DBError) -> Int {
        let node = node(at: depth), i = levels[depth].index
        let ki = keyInfo, enc = tree.encoding
        if let (offset, size) = try node.localIndexPayload(i, tree) {
            return try compareRecords(node.data + offset, size, key.baseAddress!, key.count, keyInfo: ki, fields: fields,
                                      defaultOrder: 0, encoding: enc)
        }
        try tree.readPayload(try node.cell(i, tree), from: node.data, into: &payloadBuffer)
        return try payloadBuffer.withUnsafeBytesTyped { p, size throws(DBError) in
            try compareRecords(p, size, key.baseAddress!, key.count, keyInfo: ki, fields: fields, defaultOrder: 0,
                               encoding: enc)
        }
    }

    /// The current entry's first field against `value` (index trees), when both are integers or both are
    /// text under BINARY over UTF-8: compared in place, in the field's direction, 0 when equal (the caller
    /// decides what equality means for a longer key). Nil otherwise, or when the record spills: then
    /// `compareCurrent` decides (vdbeRecordCompareInt/String's shortcut for IdxGT and friends).
    @inline(__always)
    public func compareCurrentLeadingField(to value: Value) throws(DBError) -> Int? {
        let node = node(at: depth)
        let ki = keyInfo
        guard let (offset, size) = try node.localIndexPayload(levels[depth].index, tree),
              let field = leadingField(node.data + offset, size),
              let c = compareLeadingField(field, to: value, keyInfo: ki, encoding: tree.encoding) else { return nil }
        return ki.leadingFieldOrder(c)
    }
}

/// What a seek compares in place first: the key's leading integer, its leading BINARY text, or nothing.
private enum SeekLead {
    case integer(Int64)
    case text(UnsafeRawBufferPointer)
    case other
}

/// One index page's layout read once for a binary search over its cells: where the cell pointers are,
/// the lowest offset a cell may have, and how a cell's payload starts. A cell whose pointer or one-byte
/// payload size is unusual takes BTreeNode.localIndexPayload, which checks it fully (and reports corruption).
struct IndexPageView {
    let data: UnsafeMutableRawPointer
    let pointers: Int
    let contentFloor: Int
    let usable: Int
    let payloadShift: Int
    /// One more than the largest one-byte payload size kept whole on the page: min(0x80, maxLocal + 1),
    /// so one comparison says "a one-byte varint, and local".
    let localSizeBound: Int

    @inline(__always)
    init(_ node: BTreeNode, _ tree: BTree) {
        data = node.data
        pointers = node.cellPointerStart
        contentFloor = pointers + 2 * node.cellCount
        usable = node.usableSize
        payloadShift = node.isLeaf ? 0 : 4
        localSizeBound = min(0x80, tree.maxLocalIndex + 1)
    }

    /// The first field of cell `i` when it is an integer in the common layout: a local payload with a
    /// one-byte size, a one-byte header size and a one-byte serial type 1–6, 8 or 9 (fileformat2.html
    /// 2.1). Nil for anything else (the general comparison decides). Straight-line reads, no record parse:
    /// the binary search of an integer-keyed index compares most cells with this alone
    /// (vdbeRecordCompareInt's shortcut).
    @inline(__always)
    func leadingInteger(_ i: Int) -> Int64? {
        let o = Int(UInt16(bigEndian: (data + pointers).loadUnaligned(fromByteOffset: i &<< 1, as: UInt16.self)))
        let p = o &+ payloadShift
        guard o >= contentFloor, p &+ 3 <= usable else { return nil }
        let size = Int(data.load(fromByteOffset: p, as: UInt8.self))
        let header = Int(data.load(fromByteOffset: p &+ 1, as: UInt8.self))
        let type = Int(data.load(fromByteOffset: p &+ 2, as: UInt8.self))
        // A one-byte local payload size, on the page, and a one-byte header size of at least 2 (2...0x7F).
        guard size < localSizeBound, p &+ 1 &+ size <= usable, UInt(bitPattern: header &- 2) < 0x7E else { return nil }
        if UInt(bitPattern: type &- 1) < 6 {
            // Serial types 1…6 hold 1, 2, 3, 4, 6 and 8 bytes (one nibble each, type 1 lowest).
            let length = (0x86_4321 &>> ((type &- 1) &* 4)) & 0xF
            let end = p &+ 1 &+ header &+ length
            guard end <= p &+ 1 &+ size else { return nil }
            // The eight bytes ending at the field (the cell pointer array and header lie before it, so
            // they stay on the page), sign-extended from the field's width.
            let word = Int64(bitPattern: UInt64(bigEndian: data.loadUnaligned(fromByteOffset: end &- 8, as: UInt64.self)))
            let shift = Int64(64 &- 8 &* length)
            return (word &<< shift) &>> shift
        }
        if type == 8 || type == 9 { return Int64(type &- 8) }
        return nil
    }

    /// Where cell `i`'s payload starts and its size, when it lies wholly on the page; nil when it spills.
    @inline(__always)
    func localPayload(_ i: Int, _ node: BTreeNode, _ tree: BTree) throws(DBError) -> (offset: Int, size: Int)? {
        let o = get16(data, pointers + 2 * i)
        if o >= contentFloor && o + 4 <= usable {
            let p = o + payloadShift
            let b = Int(data.load(fromByteOffset: p, as: UInt8.self))
            if b < localSizeBound && p + 1 + b <= usable { return (p + 1, b) }
        }
        return try node.localIndexPayload(i, tree)
    }
}
