// Table+Storage: where a table's columns sit in its records
// (https://sqlite.org/fileformat2.html 2.1, https://sqlite.org/gencol.html).
// A rowid table's record holds the columns in table order; a WITHOUT ROWID
// table's holds the primary-key columns first, then the others in table order.
// Either way a VIRTUAL generated column is never stored: it is computed when
// read, and the columns after it move up one field (SQLite's
// sqlite3TableColumnToStorage; STORED generated columns are stored like any
// other).

import SQL

extension Table {
    /// Column `i` is a VIRTUAL generated column (computed, not stored).
    func isVirtual(_ i: Int) -> Bool { columns[i].generated?.1 == .virtual }

    /// Any generated column, VIRTUAL or STORED.
    var hasGenerated: Bool { columns.contains { $0.generated != nil } }

    /// The stored columns in record order.
    var storedColumns: [Int] {
        let plain = columns.indices.filter { !isVirtual($0) }
        guard withoutRowid else { return plain }
        return primaryKey + plain.filter { !primaryKey.contains($0) }
    }

    /// The record field that holds column `i` (not a VIRTUAL column).
    func storagePosition(_ i: Int) -> Int {
        if withoutRowid, let k = primaryKey.firstIndex(of: i) { return k }
        var position = withoutRowid ? primaryKey.count : 0
        for c in 0..<i where !isVirtual(c) && !(withoutRowid && primaryKey.contains(c)) { position += 1 }
        return position
    }
}
