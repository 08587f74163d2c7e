// IntegrityCheck+Rows: the rows phase (pragma.c, PRAGMA integrity_check):
// every row of every described table, in b-tree order.
//
// Per row, as sqlite3 does it: the record header parses up to the last stored
// column (OP_Column's checks); a WITHOUT ROWID key exceeds the previous one;
// NOT NULL and datatype rules hold; each index holds the entry the row implies
// ("row N" counts rows from 1 in scan order, as sqlite3 prints it), once only
// if UNIQUE; afterwards each index holds as many entries as rows imply.
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
        // The fields the index checks read (as sqlite3 loads only the columns it needs).
        var fieldsNeeded = primaryKey?.fieldCount ?? 0
        for check in checks {
            if check.index.entryForRow != nil { fieldsNeeded = Int.max }
            for case .column(let i) in check.index.fields where i >= 0 && i < Int.max {
                fieldsNeeded = max(fieldsNeeded, i + 1)
            }
        }
        var previousKey: [Value]?
        var rowNumber = 0
        // Reused from row to row.
        var types: [UInt64] = []
        var row = IntegrityRow(rowid: nil, values: [])
        var more = try cursor.first()
        while more {
            rowNumber += 1
            guard rowNumber <= entryLimit else { throw tooManyEntries(table.root) }
            row.rowid = nil
            do {
                payloadReadFailed = false
                try recordTypes(cursor, through: lastColumn, into: &types)
                if table.primaryKey == nil { row.rowid = try cursor.rowid }
                var wanted = fieldsNeeded
                if options.textIsNumeric != nil, let last = types.lastIndex(where: { $0 >= 13 && $0 & 1 == 1 }) {
                    wanted = max(wanted, last + 1)
                }
                try recordValues(cursor, count: wanted, into: &row.values)
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
            try checkColumns(of: table, types: types, row: row, options)
            if budget == 0 { return }
            for check in checks {
                guard try check.fillEntry(for: row, table) else { continue }
                check.entries += 1
                try checkEntry(check, rowNumber: rowNumber)
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

    /// The index must hold the entry `check` holds, and a UNIQUE index no other entry with the same key
    /// (OP_Found, OP_IdxGT).
    private func checkEntry(_ check: IndexEntryCheck, rowNumber: Int) throws(DBError) {
        let cursor = check.cursor
        guard try cursor.seek(key: SearchKey(check.entry)) == 0, cursor.isValid else {
            reportRow("row \(rowNumber) missing from index \(check.index.name)")
            return
        }
        guard check.index.isUnique else { return }
        let key = Array(check.entry.prefix(check.index.keyFieldCount))
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
/// the entry of the current row (a buffer reused from row to row).
private final class IndexEntryCheck {
    let index: IntegrityIndex
    let cursor: BTreeCursor
    var entries = 0
    var entry: [Value] = []

    init(_ index: IntegrityIndex, _ cursor: BTreeCursor) {
        self.index = index
        self.cursor = cursor
    }

    /// Sets `entry` to the fields the index holds for `row`; false when the row has none (partial index).
    func fillEntry(for row: IntegrityRow, _ table: IntegrityTable) throws(DBError) -> Bool {
        if let compute = index.entryForRow {
            guard let e = try compute(row) else { return false }
            entry = e
            return true
        }
        entry.removeAll(keepingCapacity: true)
        for f in index.fields {
            switch f {
            case .rowid: entry.append(.integer(row.rowid ?? 0))
            case .column(let i):
                if i >= 0 && i < row.values.count {
                    entry.append(row.values[i])
                } else {
                    entry.append(i >= 0 && i < table.columns.count ? table.columns[i].defaultValue : .null)
                }
            }
        }
        return true
    }
}
