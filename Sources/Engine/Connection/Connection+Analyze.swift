// Connection+Analyze: ANALYZE (https://sqlite.org/lang_analyze.html) — the
// row count of each table and, for each index, the average number of rows
// sharing each prefix of its key, written to sqlite_stat1 in SQLite's format
// ("nRow avg1 avg2 …", avg_i = ceil(nRow / distinct prefixes of length i)).
// Empty tables get no row; a table without indexes gets one with idx NULL.

import Base
import Storage

extension Connection {
    /// ANALYZE: every table (`only` nil), one table, or one index (`onlyIndex`, with its table in `only`).
    ///
    /// As analyze.c: the whole database's ANALYZE empties sqlite_stat1 (OP_Clear, so rowids start again
    /// at 1) and walks the tables in the order of the schema's hash of tables (SchemaHash); one table's
    /// first deletes its rows (`WHERE tbl=`), one index's only that index's row (`WHERE idx=`). Each
    /// table's rows follow its index list (newest index first), then a row for the table itself when no
    /// index covers every row (no indexes, or only partial ones).
    func analyze(only: Set<String>?, onlyIndex: String? = nil) throws(DBError) {
        var catalog = try self.catalog
        let hash = schemaHash ?? SchemaHash(names: catalog.schemaHashNames)
        schemaHash = hash
        // The walk is decided before a sqlite_stat1 made here joins the hash (analyze.c builds the code
        // that walks the hash before the new table's row is parsed).
        let order = hash.ordered()
        if try catalog.table("sqlite_stat1") == nil {
            let root = try tree.createTree(table: true)
            try insertSchemaRow(type: "table", name: "sqlite_stat1", table: "sqlite_stat1", root: root,
                                sql: "CREATE TABLE sqlite_stat1(tbl,idx,stat)")
            try schemaChanged(nil)
            catalog = try self.catalog
        }
        guard let stat = try catalog.table("sqlite_stat1") else { return }
        var tables: [Table] = []
        for key in order {
            guard let t = try catalog.table(key), !t.isView, t.virtualModule == nil, t.rootPage > 1,
                  !t.name.lowercased().hasPrefix("sqlite_") else { continue }
            if let only, !only.contains(foldName(t.name)) { continue }
            tables.append(t)
        }
        var rows: [[Value]] = []
        for t in tables {
            let count = try countRows(t)
            var indexes = t.indexes.filter { $0.rootPage > 0 }.reversed() as [Index]
            if let onlyIndex { indexes = indexes.filter { namesMatch($0.name, onlyIndex) } }
            for index in indexes {
                // A partial index's row counts its own entries.
                let entries = index.whereClause == nil ? count : try countEntries(index)
                guard entries > 0 else { continue }
                let averages = try prefixAverages(index, rows: entries)
                // A WITHOUT ROWID table's primary key index is the table: its row names the table (analyze.c).
                let name = t.withoutRowid && index.origin == .primaryKey ? t.name : index.name
                rows.append([.text(t.name), .text(name),
                             .text(([entries] + averages).map(String.init).joined(separator: " "))])
            }
            if onlyIndex == nil && count > 0 && !t.indexes.contains(where: { $0.rootPage > 0 && $0.whereClause == nil }) {
                rows.append([.text(t.name), .null, .text(String(count))])
            }
        }
        if only == nil {
            _ = try tree.clearTree(stat.rootPage)
        } else if let onlyIndex, let index = try catalog.index(onlyIndex) {
            try deleteStatisticsRows(.idx, name: index.name)
        } else {
            for t in tables { try deleteStatisticsRows(.tbl, name: t.name) }
        }
        let cursor = BTreeCursor(tree: tree, root: stat.rootPage, isTable: true)
        for row in rows {
            let rowid = (try cursor.last() ? try cursor.rowid : 0) + 1
            let record = RecordEncoder.encode(row, encoding: tree.encoding)
            try record.withUnsafeBytesTyped { p, n throws(DBError) in
                try cursor.insert(rowid: rowid, record: UnsafeRawBufferPointer(start: p, count: n))
            }
        }
        invalidateCatalog(keepingSchemaHash: true)
    }

    private func countEntries(_ index: Index) throws(DBError) -> Int64 {
        try BTreeCursor(tree: tree, root: index.rootPage, isTable: false, keyInfo: index.keyInfo).countEntries()
    }

    private func countRows(_ t: Table) throws(DBError) -> Int64 {
        try BTreeCursor(tree: tree, root: t.rootPage, isTable: !t.withoutRowid,
                        keyInfo: t.primaryKeyIndex?.keyInfo ?? KeyInfo(binaryFields: 0)).countEntries()
    }

    /// For each key prefix length of `index`, ceil(rows / distinct prefixes).
    private func prefixAverages(_ index: Index, rows: Int64) throws(DBError) -> [Int64] {
        let k = index.columns.count
        let info = index.keyInfo
        let c = BTreeCursor(tree: tree, root: index.rootPage, isTable: false, keyInfo: info)
        var distinct = [Int64](repeating: 0, count: k)
        let encoding = tree.encoding
        // The previous entry's record, compared field by field in place: a raw buffer it is copied into, grown
        // when a record is larger (an array emptied and refilled per entry cost a generic replaceSubrange).
        var capacity = 256
        var previous = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        defer { previous.deallocate() }
        var previousSize = -1
        var more = try c.first()
        while more {
            let (p, n) = try c.currentPayload()
            let current = try RecordReader(p, size: n, encoding: encoding)
            if previousSize >= 0 {
                // The first differing field ends a run for every prefix that includes it.
                let first = try current.firstDifferingField(from: RecordReader(previous, size: previousSize, encoding: encoding),
                                                            count: k, collations: info.collations)
                for i in first..<k { distinct[i] += 1 }
            } else {
                for i in 0..<k { distinct[i] = 1 }
            }
            if n > capacity {
                previous.deallocate()
                capacity = Swift.max(n, 2 * capacity)
                previous = .allocate(byteCount: capacity, alignment: 8)
            }
            previous.copyMemory(from: p, byteCount: n)
            previousSize = n
            more = try c.next()
        }
        return distinct.map { d in
            guard d > 0 else { return rows }
            let average = (rows + d - 1) / d
            // analyze.c's statGet: an average of 2 from nearly distinct keys (rows within 10% of them) is 1.
            return average == 2 && rows * 10 <= d * 11 ? 1 : average
        }
    }
}
