// Connection+Analyze: ANALYZE (https://sqlite.org/lang_analyze.html) — the
// row count of each table and, for each index, the average number of rows
// sharing each prefix of its key, written to sqlite_stat1 in SQLite's format
// ("nRow avg1 avg2 …", avg_i = ceil(nRow / distinct prefixes of length i)).
// Empty tables get no row; a table without indexes gets one with idx NULL.

import Base
import Storage

extension Connection {
    /// Analyzes the tables named in `only` (nil: all of them).
    func analyze(only: Set<String>?) throws(DBError) {
        var catalog = try self.catalog
        if try catalog.table("sqlite_stat1") == nil {
            let root = try tree.createTree(table: true)
            try insertSchemaRow(type: "table", name: "sqlite_stat1", table: "sqlite_stat1", root: root,
                                sql: "CREATE TABLE sqlite_stat1(tbl,idx,stat)")
            try schemaChanged(nil)
            catalog = try self.catalog
        }
        guard let stat = try catalog.table("sqlite_stat1") else { return }
        var rows: [[Value]] = []
        var analyzed = Set<String>()
        for t in try catalog.allTables() where !t.isView && !t.isInternal && t.rootPage > 1 {
            if let only, !only.contains(foldName(t.name)) { continue }
            analyzed.insert(foldName(t.name))
            let count = try countRows(t)
            guard count > 0 else { continue }
            let indexes = t.indexes.filter { $0.rootPage > 0 }
            if indexes.isEmpty {
                rows.append([.text(t.name), .null, .text(String(count))])
                continue
            }
            for index in indexes.reversed() {
                let averages = try prefixAverages(index, rows: count)
                // A WITHOUT ROWID table's primary key index is the table: its row names the table (analyze.c).
                let name = t.withoutRowid && index.origin == .primaryKey ? t.name : index.name
                rows.append([.text(t.name), .text(name),
                             .text(([count] + averages).map(String.init).joined(separator: " "))])
            }
        }
        // Replace the old rows of the analyzed tables.
        let cursor = BTreeCursor(tree: tree, root: stat.rootPage, isTable: true)
        var more = try cursor.first()
        while more {
            let v = try cursor.values()
            if let n = v.first?.textString, analyzed.contains(foldName(n)) { try cursor.delete() }
            more = try cursor.next()
        }
        for row in rows {
            let rowid = (try cursor.last() ? try cursor.rowid : 0) + 1
            let record = RecordEncoder.encode(row, encoding: tree.encoding)
            try record.withUnsafeBytesTyped { p, n throws(DBError) in
                try cursor.insert(rowid: rowid, record: UnsafeRawBufferPointer(start: p, count: n))
            }
        }
        invalidateCatalog()
    }

    private func countRows(_ t: Table) throws(DBError) -> Int64 {
        let c = BTreeCursor(tree: tree, root: t.rootPage, isTable: !t.withoutRowid,
                            keyInfo: t.primaryKeyIndex?.keyInfo ?? KeyInfo(binaryFields: 0))
        var n: Int64 = 0
        var more = try c.first()
        while more {
            n += 1
            more = try c.next()
        }
        return n
    }

    /// For each key prefix length of `index`, ceil(rows / distinct prefixes).
    private func prefixAverages(_ index: Index, rows: Int64) throws(DBError) -> [Int64] {
        let k = index.columns.count
        let info = index.keyInfo
        let c = BTreeCursor(tree: tree, root: index.rootPage, isTable: false, keyInfo: info)
        var distinct = [Int64](repeating: 0, count: k)
        var previous: [Value]?
        var more = try c.first()
        while more {
            let v = Array(try c.values().prefix(k))
            if let p = previous {
                // The first differing field ends a run for every prefix that includes it.
                var first = k
                for i in 0..<min(k, v.count, p.count) where compareValues(v[i], p[i], collation: info.collations[i]) != 0 {
                    first = i
                    break
                }
                for i in first..<k { distinct[i] += 1 }
            } else {
                for i in 0..<k { distinct[i] = 1 }
            }
            previous = v
            more = try c.next()
        }
        return distinct.map { d in d == 0 ? rows : (rows + d - 1) / d }
    }
}
