// IntegrityCheck+Rows: the rows phase (pragma.c, PRAGMA integrity_check):
// every row of every described table, in b-tree order.
//
// Per row, as sqlite3 does it: the record header parses up to the last stored
// column (OP_Column's checks); a WITHOUT ROWID key exceeds the previous one;
// NOT NULL and datatype rules hold; each index holds the entry the row implies
// ("row N" counts rows from 1 in scan order, as sqlite3 prints it), once only
// if UNIQUE; afterwards each index holds as many entries as rows imply. An
// entry of plain columns is built from the row record's bytes (a column the
// record is too short for takes its default, with the column's affinity) and
// sought as an encoded record; a partial or expression index's entry is
// computed by the caller from the row's values.
// quick_check skips key order and indexes. A record that does not parse ends
// the check with the row "database disk image is malformed" (OP_Column's jump);
// any other failed read (a page, an overflow chain) ends it with that error, as
// it ends sqlite3's statement. Walks stop after as many entries as the file can
// hold, so a tree whose pages are shared between parents (a DAG) cannot hang it.

import Base

extension IntegrityChecker {
    /// The rows phase over `tables`, in order. Throws the first read error.
    func checkRows(tables: [IntegrityTable], options: IntegrityCheckOptions) throws(DBError) {
        for table in tables where table.root != 0 {
            guard budget > 0, !endedByMalformedRecord else { return }
            try checkRows(of: table, options)
        }
    }

    /// Most entries any walk of one b-tree can meet in a sound file of this size.
    var entryLimit: Int { Int(pageCount) * ((pager.pageSize - 8) / 6 + 1) }

    func tooManyEntries(_ root: UInt32) -> DBError {
        DBError.corrupt("b-tree \(root) has more entries than fit the file (pages shared between parents)")
    }

    private func checkRows(of table: IntegrityTable, _ options: IntegrityCheckOptions) throws(DBError) {
        let full = !options.quick
        let primaryKey = full ? table.primaryKey : nil
        // One object per index: the row loop reads an index's description through a reference, where
        // subscripting an array of IntegrityIndex copied the struct (retaining its arrays) per row and index.
        let checks = (full ? table.indexes.filter { $0.root != 0 } : []).map { index in
            IndexEntryCheck(index, BTreeCursor(tree: tree, root: index.root, isTable: false, keyInfo: index.keyInfo))
        }
        let cursor = BTreeCursor(tree: tree, root: table.root, isTable: table.primaryKey == nil,
                                 keyInfo: table.primaryKey?.keyInfo ?? KeyInfo(binaryFields: 0))
        let lastColumn = table.columns.lastIndex { !$0.isRowidAlias } ?? -1
        // The fields read as values: a WITHOUT ROWID table's key, and every field when an index's entries are
        // computed from the row. The other indexes' entries are built from the record's bytes, as far as
        // their columns reach (as sqlite3 loads only the columns it needs).
        var valuesNeeded = primaryKey?.fieldCount ?? 0
        var fieldsForEntries = 0
        for check in checks {
            if check.index.entryForRow != nil { valuesNeeded = Int.max; continue }
            for case .column(let i) in check.index.fields where i >= 0 {
                fieldsForEntries = max(fieldsForEntries, i + 1)
            }
        }
        // Text in these columns is read to see whether it looks like a number (checkColumns).
        let numericColumns = table.columns.map { !table.isStrict && ($0.affinity != .blob && $0.affinity != .text) }
        let defaults = table.columns.map { EncodedField($0.defaultValue, tree.encoding) }
        let encoding = tree.encoding
        var previousKey: [Value]?
        var rowNumber = 0
        var row = IntegrityRow(rowid: nil, values: [])
        var more = try cursor.first()
        while more {
            rowNumber += 1
            guard rowNumber <= entryLimit else { throw tooManyEntries(table.root) }
            row.rowid = nil
            row.values.removeAll(keepingCapacity: true)
            do {
                payloadReadFailed = false
                let cell = try recordFields(cursor, through: lastColumn)
                if table.primaryKey == nil { row.rowid = try cursor.rowid }
                let fields = spans
                var wanted = valuesNeeded
                if options.textIsNumeric != nil,
                   let last = fields.indices.last(where: { j in
                       fields[j].type >= 13 && fields[j].type & 1 == 1 && j < numericColumns.count && numericColumns[j]
                   }) {
                    wanted = max(wanted, last + 1)
                }
                let rowid = row.rowid ?? 0
                try withFields(cursor, cell, count: max(wanted, fieldsForEntries)) { (p) throws(DBError) in
                    for f in fields.prefix(wanted) {
                        row.values.append(decodeSerialValue(f.type, p + f.offset, f.length, encoding))
                    }
                    for check in checks where check.index.entryForRow == nil {
                        check.encodeEntry(p, fields, rowid: rowid, defaults: defaults)
                    }
                }
            } catch {
                // sqlite3's OP_Column ends the check with this row when a record does not parse; a failed
                // page read instead fails the statement.
                if payloadReadFailed || error.code != .corrupt { throw error }
                findings.append(ResultCode.corrupt.defaultMessage)
                endedByMalformedRecord = true
                return
            }
            if let primaryKey {
                let key = Array(row.values.prefix(primaryKey.fieldCount))
                if let previousKey, try cursor.compareCurrent(to: SearchKey(previousKey)) <= 0 {
                    reportRow("row not in PRIMARY KEY order for \(table.name)")
                    if budget == 0 { return }
                }
                previousKey = key
            }
            try checkColumns(of: table, fields: spans, row: row, options)
            if budget == 0 { return }
            for check in checks {
                if let compute = check.index.entryForRow {
                    guard let entry = try compute(row) else { continue }
                    check.entries += 1
                    try checkEntry(check, entry, rowNumber: rowNumber)
                } else {
                    check.entries += 1
                    try checkEntry(check, rowNumber: rowNumber)
                }
                if budget == 0 { return }
            }
            more = try cursor.next()
        }
        for check in checks {
            if try countEntries(check.cursor) != check.entries {
                reportRow("wrong # of entries in index \(check.index.name)")
                if budget == 0 { return }
            }
        }
    }

    /// The index must hold the entry `check` encoded for the row, and a UNIQUE index no other entry with the
    /// same key (OP_Found, OP_IdxGT).
    private func checkEntry(_ check: IndexEntryCheck, rowNumber: Int) throws(DBError) {
        let cursor = check.cursor
        let index = check.index
        let entry = check.record
        guard try cursor.seek(record: entry, fields: index.fields.count) == 0, cursor.isValid else {
            reportRow("row \(rowNumber) missing from index \(index.name)")
            return
        }
        guard index.isUnique,
              !(try recordLeadingFieldsContainNull(entry.baseAddress!, entry.count, fields: index.keyFieldCount))
        else { return }
        if try cursor.next(), try cursor.compareCurrent(record: entry, fields: index.keyFieldCount) <= 0 {
            reportRow("non-unique entry in index \(index.name)")
        }
    }

    /// The same for an entry computed from the row (a partial or expression index).
    private func checkEntry(_ check: IndexEntryCheck, _ entry: [Value], rowNumber: Int) throws(DBError) {
        let cursor = check.cursor
        guard try cursor.seek(key: SearchKey(entry)) == 0, cursor.isValid else {
            reportRow("row \(rowNumber) missing from index \(check.index.name)")
            return
        }
        guard check.index.isUnique else { return }
        let key = Array(entry.prefix(check.index.keyFieldCount))
        if key.contains(where: { $0.isNull }) { return }
        if try cursor.next(), try cursor.compareCurrent(to: SearchKey(key)) <= 0 {
            reportRow("non-unique entry in index \(check.index.name)")
        }
    }

    /// Entries in an index b-tree (OP_Count), bounded like every walk.
    private func countEntries(_ cursor: BTreeCursor) throws(DBError) -> Int {
        var n = 0
        var more = try cursor.first()
        while more {
            n += 1
            guard n <= entryLimit else { throw tooManyEntries(cursor.root) }
            more = try cursor.next()
        }
        return n
    }
}

/// One index's side of the rows phase: its description, its cursor, the entries rows imply so far, and
/// the entry the current row implies, encoded as the index stores it (in a buffer reused from row to row).
private final class IndexEntryCheck {
    let index: IntegrityIndex
    let cursor: BTreeCursor
    var entries = 0
    private var buffer: UnsafeMutableRawPointer
    private var capacity = 64
    private(set) var size = 0

    init(_ index: IntegrityIndex, _ cursor: BTreeCursor) {
        self.index = index
        self.cursor = cursor
        buffer = .allocate(byteCount: capacity, alignment: 8)
    }

    deinit { buffer.deallocate() }

    /// The encoded entry.
    var record: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: buffer, count: size) }

    /// The serial type and length of entry field `f` for a row with record fields `fields` and `rowid`:
    /// the record's own (a reserved type reads as NULL, as OP_Column reads it), the column's default where
    /// the record is too short, the rowid as an integer.
    @inline(__always)
    private func fieldType(_ f: IndexField, _ fields: [FieldSpan], _ rowid: Int64,
                           _ defaults: [EncodedField]) -> (type: UInt64, length: Int) {
        switch f {
        case .rowid: return serialType(forInteger: rowid)
        case .column(let i):
            if i >= 0 && i < fields.count {
                let t = fields[i].type
                return t == 10 || t == 11 ? (0, 0) : (t, fields[i].length)
            }
            return i >= 0 && i < defaults.count ? (defaults[i].type, defaults[i].bytes.count) : (0, 0)
        }
    }

    /// Encodes the entry a row implies, given its record's fields (`fields`, bytes at `p`) and rowid, each
    /// column as the row's record encodes it (values compare the same however they are encoded).
    func encodeEntry(_ p: UnsafeRawPointer, _ fields: [FieldSpan], rowid: Int64, defaults: [EncodedField]) {
        var headerBytes = 0, bodyBytes = 0
        for f in index.fields {
            let (t, length) = fieldType(f, fields, rowid, defaults)
            headerBytes += varintLength(t)
            bodyBytes += length
        }
        // The header's size counts the varint that holds it.
        var headerSize = headerBytes + 1
        while headerBytes + varintLength(UInt64(headerSize)) != headerSize {
            headerSize = headerBytes + varintLength(UInt64(headerSize))
        }
        size = headerSize + bodyBytes
        if size > capacity {
            buffer.deallocate()
            capacity = max(size, 2 * capacity)
            buffer = .allocate(byteCount: capacity, alignment: 8)
        }
        var hp = writeVarint(buffer, UInt64(headerSize))
        var bp = headerSize
        for f in index.fields {
            let (t, length) = fieldType(f, fields, rowid, defaults)
            hp += writeVarint(buffer + hp, t)
            guard length > 0 else { continue }
            switch f {
            case .rowid: writeSignedInteger(buffer + bp, rowid, length)
            case .column(let i):
                if i < fields.count {
                    (buffer + bp).copyMemory(from: p + fields[i].offset, byteCount: length)
                } else {
                    defaults[i].bytes.withUnsafeBytes { (buffer + bp).copyMemory(from: $0.baseAddress!, byteCount: length) }
                }
            }
            bp += length
        }
    }
}

/// A value as a record field: its serial type and its bytes.
struct EncodedField {
    var type: UInt64
    var bytes: [UInt8]

    init(_ value: Value, _ encoding: TextEncoding) {
        let record = RecordEncoder.encode([value], encoding: encoding)
        // One field: the header (its size, then the serial type) is shorter than 128 bytes.
        let headerSize = Int(record[0])
        type = record.withUnsafeBytes { b in readVarint(b.baseAddress! + 1, b.baseAddress! + headerSize).value }
        bytes = Array(record[headerSize...])
    }
}
