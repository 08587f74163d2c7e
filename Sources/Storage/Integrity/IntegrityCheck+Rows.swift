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
        let indexes = full ? table.indexes.filter { $0.root != 0 } : []
        let cursor = BTreeCursor(tree: tree, root: table.root, isTable: table.primaryKey == nil,
                                 keyInfo: table.primaryKey?.keyInfo ?? KeyInfo(binaryFields: 0))
        let indexCursors = indexes.map { BTreeCursor(tree: tree, root: $0.root, isTable: false, keyInfo: $0.keyInfo) }
        var entryCounts = [Int](repeating: 0, count: indexes.count)
        let lastColumn = table.columns.lastIndex { !$0.isRowidAlias } ?? -1
        // The fields the index checks read (as sqlite3 loads only the columns it needs).
        var fieldsNeeded = primaryKey?.fieldCount ?? 0
        for index in indexes {
            if index.entryForRow != nil { fieldsNeeded = Int.max }
            for case .column(let i) in index.fields where i >= 0 && i < Int.max {
                fieldsNeeded = max(fieldsNeeded, i + 1)
            }
        }
        var previousKey: [Value]?
        var rowNumber = 0
        var more = try cursor.first()
        while more {
            rowNumber += 1
            guard rowNumber <= entryLimit else { throw tooManyEntries(table.root) }
            var types: [UInt64] = []
            var row = IntegrityRow(rowid: nil, values: [])
            do {
                payloadReadFailed = false
                types = try recordTypes(cursor, through: lastColumn)
                if table.primaryKey == nil { row.rowid = try cursor.rowid }
                var wanted = fieldsNeeded
                if options.textIsNumeric != nil, let last = types.lastIndex(where: { $0 >= 13 && $0 & 1 == 1 }) {
                    wanted = max(wanted, last + 1)
                }
                if wanted > 0 { row.values = try recordValues(cursor, count: wanted) }
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
            // By position: binding each index to a loop variable copied the struct (and retained its
            // arrays) per row and index.
            for j in indexes.indices {
                guard let entry = try entry(of: indexes[j], for: row, table) else { continue }
                entryCounts[j] += 1
                try checkEntry(entry, in: indexes[j], cursor: indexCursors[j], rowNumber: rowNumber)
                if budget == 0 { return }
            }
            more = try cursor.next()
        }
        for (j, index) in indexes.enumerated() {
            if try countEntries(indexCursors[j]) != entryCounts[j] {
                reportRow("wrong # of entries in index \(index.name)")
                if budget == 0 { return }
            }
        }
    }

    /// The fields of the entry `index` holds for `row`; nil when the row has none (partial index).
    private func entry(of index: IntegrityIndex, for row: IntegrityRow, _ table: IntegrityTable)
        throws(DBError) -> [Value]? {
        if let compute = index.entryForRow { return try compute(row) }
        return index.fields.map { f -> Value in
            switch f {
            case .rowid: return .integer(row.rowid ?? 0)
            case .column(let i):
                if i >= 0 && i < row.values.count { return row.values[i] }
                return i >= 0 && i < table.columns.count ? table.columns[i].defaultValue : .null
            }
        }
    }

    /// The index must hold `entry`, and a UNIQUE index no other entry with the same key (OP_Found, OP_IdxGT).
    private func checkEntry(_ entry: [Value], in index: IntegrityIndex, cursor: BTreeCursor,
                            rowNumber: Int) throws(DBError) {
        guard try cursor.seek(key: SearchKey(entry)) == 0, cursor.isValid else {
            reportRow("row \(rowNumber) missing from index \(index.name)")
            return
        }
        guard index.isUnique else { return }
        let key = Array(entry.prefix(index.keyFieldCount))
        if key.contains(where: { $0.isNull }) { return }
        if try cursor.next(), try cursor.compareCurrent(to: SearchKey(key)) <= 0 {
            reportRow("non-unique entry in index \(index.name)")
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
