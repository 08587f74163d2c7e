// IntegrityCheck+Columns: reading one row's record the way sqlite3's
// integrity check does, and the per-column datatype rules.
//
// `recordFields` parses the record header as OP_Column does to reach the last
// stored column: the header must lie inside the payload (at most 98307
// bytes, SQLite's cap), and once it is parsed to its end the body sizes must
// add up to the payload exactly; only the header is read, as sqlite3 reads
// no column content for these checks. The datatype rules are pragma.c's:
// NOT NULL; a STRICT column holds its declared type; a TEXT-affinity column
// holds no number; a numeric column holds no text that would convert to a
// number (datatype3.html 3, stricttables.html 3).

import Base

extension IntegrityChecker {
    /// The serial types and places of the current record's fields up to field `last` (fewer if the
    /// record is shorter), into `spans` (emptied first; its storage is reused from row to row). Returns the
    /// current cell, for `withFields`.
    func recordFields(_ cursor: BTreeCursor, through last: Int) throws(DBError) -> CellInfo {
        // The buffer moves out of `self` while in use, so appending to it never copies it.
        var out = spans
        spans = []
        out.removeAll(keepingCapacity: true)
        defer { spans = out }
        let info = try cursor.currentCell()
        guard last >= 0 else { return info }
        _ = try withRecordHeader(cursor, info) { (p, headerStart, headerSize, payloadSize) throws(DBError) in
            try parseFields(p, headerSize: headerSize, start: headerStart, through: last, payloadSize: payloadSize,
                            into: &out)
        }
        return info
    }

    /// Calls `body` with the header bytes of the current record, whose cell is `info` (pointer, where the
    /// serial types start, header size, payload size); nil for an empty record (header size 0, as OP_Column
    /// allows).
    private func withRecordHeader<R>(_ cursor: BTreeCursor, _ info: CellInfo,
                                     _ body: (UnsafeRawPointer, Int, Int, Int) throws(DBError) -> R)
        throws(DBError) -> R? {
        guard info.payloadSize > 0, let page = cursor.levels[cursor.depth].data else { return nil }
        let local = UnsafeRawPointer(page + info.payloadOffset)
        let (h, n) = readVarint(local, local + info.localSize)
        guard n > 0 else { throw DBError.corrupt("page \(cursor.levels[cursor.depth].pgno): truncated record header") }
        if h == 0 { return nil }
        guard h <= 98307, h <= UInt64(info.payloadSize) else {
            throw DBError.corrupt("page \(cursor.levels[cursor.depth].pgno): record header of \(h) bytes")
        }
        return try withPayloadPrefix(cursor, info, Int(h)) { (p) throws(DBError) in
            try body(p, n, Int(h), info.payloadSize)
        }
    }

    /// Calls `body` with at least the first `length` bytes of the current payload, reading overflow
    /// pages only as far as they are needed (as sqlite3 reads a column).
    private func withPayloadPrefix<R>(_ cursor: BTreeCursor, _ info: CellInfo, _ length: Int,
                                      _ body: (UnsafeRawPointer) throws(DBError) -> R) throws(DBError) -> R {
        let page = cursor.levels[cursor.depth].data!
        if length <= info.localSize { return try body(UnsafeRawPointer(page + info.payloadOffset)) }
        let bytes: [UInt8]
        do { bytes = try tree.readPayloadPrefix(info, from: page, count: length) } catch {
            payloadReadFailed = true
            throw error
        }
        return try typedThrows { try bytes.withUnsafeBytes { b in try body(b.baseAddress!) } }
    }

    private func parseFields(_ p: UnsafeRawPointer, headerSize: Int, start: Int, through last: Int,
                             payloadSize: Int, into fields: inout [FieldSpan]) throws(DBError) {
        var hp = start
        var offset = headerSize
        while hp < headerSize && fields.count <= last {
            let (t, n) = readVarint(p + hp, p + headerSize)
            guard n > 0 else { throw DBError.corrupt("truncated record header") }
            hp += n
            let t32 = min(t, 0xFFFF_FFFF)
            let length = max(0, serialTypeLength(t32))
            fields.append(FieldSpan(type: t32, offset: offset, length: length))
            offset += length
        }
        if (hp >= headerSize && offset != payloadSize) || offset > payloadSize {
            throw DBError.corrupt("record body of \(offset) bytes in a payload of \(payloadSize)")
        }
    }

    /// Calls `body` with the first bytes of the current payload (cell `info`), through the end of field
    /// `count - 1` of `spans` (read in place when they lie on the page).
    func withFields<R>(_ cursor: BTreeCursor, _ info: CellInfo, count: Int,
                       _ body: (UnsafeRawPointer) throws(DBError) -> R) throws(DBError) -> R {
        let n = min(count, spans.count)
        let end = n > 0 ? spans[n - 1].offset + spans[n - 1].length : 0
        return try withPayloadPrefix(cursor, info, end, body)
    }

    /// The datatype rules for each column of one row; each breach is a finding.
    func checkColumns(of table: IntegrityTable, fields: [FieldSpan], row: IntegrityRow,
                      _ options: IntegrityCheckOptions) throws(DBError) {
        for (j, column) in table.columns.enumerated() where !column.isRowidAlias {
            guard budget > 0 else { return }
            let typeCheck = table.isStrict ? (column.strictType.map { $0 != .any } ?? false) : column.affinity != .blob
            if !column.notNull && !typeCheck { continue }
            let type = j < fields.count ? StorageClass(serialType: fields[j].type) : StorageClass(column.defaultValue)
            if column.notNull && type == .null {
                reportRow("NULL value in \(table.name).\(column.name)")
                continue
            }
            guard typeCheck else { continue }
            if table.isStrict, let declared = column.strictType {
                if !declared.admits(type) {
                    reportRow("non-\(declared.rawValue) value in \(table.name).\(column.name)")
                }
            } else if column.affinity == .text {
                if type == .integer || type == .real { reportRow("NUMERIC value in \(table.name).\(column.name)") }
            } else if type == .text, let isNumeric = options.textIsNumeric {
                let value = j < row.values.count ? row.values[j] : column.defaultValue
                if case .text(let t) = value, isNumeric(t) {
                    reportRow("TEXT value in \(table.name).\(column.name)")
                }
            }
        }
    }
}

/// A value's storage class (datatype3.html 2), as typeof() names it.
enum StorageClass {
    case null, integer, real, text, blob

    init(serialType t: UInt64) {
        switch t {
        case 0, 10, 11: self = .null
        case 7: self = .real
        case 1...9: self = .integer
        default: self = t & 1 == 1 ? .text : .blob
        }
    }

    init(_ v: Value) {
        switch v {
        case .null: self = .null
        case .integer: self = .integer
        case .real: self = .real
        case .text: self = .text
        case .blob: self = .blob
        }
    }
}

extension StrictType {
    /// The storage classes a STRICT column of this type may hold (NULL always; REAL also takes integers).
    func admits(_ c: StorageClass) -> Bool {
        switch (self, c) {
        case (_, .null), (.any, _): return true
        case (.blob, .blob), (.int, .integer), (.integer, .integer), (.text, .text): return true
        case (.real, .real), (.real, .integer): return true
        default: return false
        }
    }
}

extension BTree {
    /// The first `count` bytes of a cell's payload (local part, then as much of the chain as needed).
    func readPayloadPrefix(_ info: CellInfo, from page: UnsafeRawPointer, count: Int) throws(DBError) -> [UInt8] {
        let wanted = min(count, info.payloadSize)
        var out = [UInt8](UnsafeRawBufferPointer(start: page + info.payloadOffset, count: min(wanted, info.localSize)))
        var remaining = wanted - out.count
        var next = info.overflowPage
        var pagesLeft = overflowPageCount(info.payloadSize - info.localSize)
        while remaining > 0 {
            guard next >= 2, next <= pager.pageCount, pagesLeft > 0 else {
                throw DBError.corrupt("overflow chain broken at page \(next)")
            }
            let p = try pager.getBlocking(next)
            let n = min(remaining, usableSize - 4)
            out.append(contentsOf: UnsafeRawBufferPointer(start: p.data + 4, count: n))
            next = get32(p.data, 0)
            pager.release(p)
            remaining -= n
            pagesLeft -= 1
        }
        return out
    }
}
