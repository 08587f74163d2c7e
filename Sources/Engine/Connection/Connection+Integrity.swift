// Connection+Integrity: PRAGMA integrity_check / quick_check. The storage
// layer checks pages, trees and rows; this file describes the schema to it
// the way sqlite3 walks it (sqlite_schema first, then each table with its
// indexes newest first).

import Base
import SQL
import Storage

extension Connection {
    func integrityCheck(maxErrors: Int, quick: Bool) throws(DBError) -> [String] {
        // A database with no pages yet (nothing written) has nothing to be wrong with.
        if tree.pager.pageCount == 0 { return ["ok"] }
        let catalog = try self.catalog
        var tables: [IntegrityTable] = [IntegrityTable.schemaTable]
        for t in try catalog.allTables() where !t.isView && t.rootPage > 1 {
            tables.append(integrityDescription(t))
        }
        var options = IntegrityCheckOptions(maxErrors: maxErrors, quick: quick)
        options.textIsNumeric = { bytes in
            if case .text = Value.text(bytes).applyingAffinity(.numeric) { return false }
            return true
        }
        let report = tree.integrityCheck(tables: tables, options: options)
        if let e = report.error { throw e }
        return report.rows
    }

    private func integrityDescription(_ t: Table) -> IntegrityTable {
        var columns: [IntegrityColumn] = []
        let order = t.storedColumns
        for i in order {
            let c = t.columns[i]
            columns.append(IntegrityColumn(name: c.name, defaultValue: c.recordDefault ?? .null, notNull: c.notNull,
                                           affinity: columnAffinity(c.affinity), isRowidAlias: t.rowidAlias == i))
        }
        var desc = IntegrityTable(name: t.name, root: t.rootPage, columns: columns, isStrict: t.strict)
        if t.withoutRowid, let pk = t.primaryKeyIndex {
            desc.primaryKey = IntegrityPrimaryKey(fieldCount: pk.columns.count, keyInfo: pk.keyInfo)
        }
        for index in t.indexes.reversed() where !(t.withoutRowid && index.origin == .primaryKey) {
            var fields: [IndexField] = []
            var plain = index.whereClause == nil
            for c in index.recordColumns {
                switch c.source {
                // An INTEGER PRIMARY KEY is stored as NULL: its index entries hold the rowid.
                case .column(let i) where t.rowidAlias == i: fields.append(.rowid)
                // A VIRTUAL column is not in the record: its entries are computed like an expression's.
                case .column(let i) where t.isVirtual(i): plain = false
                case .column(let i): fields.append(.column(order.firstIndex(of: i) ?? i))
                case .rowid: fields.append(.rowid)
                case .expression: plain = false
                }
            }
            var entry: ((IntegrityRow) throws(DBError) -> [Value]?)?
            if !plain {
                guard let compute = computedEntries(index, t) else { continue }
                entry = compute
            }
            desc.indexes.append(IntegrityIndex(name: index.name, root: index.rootPage, fields: fields,
                                               keyFieldCount: index.columns.count, keyInfo: index.keyInfo,
                                               isUnique: index.unique, entryForRow: entry))
        }
        return desc
    }

    /// For a partial or expression index: a row's expected entry, computed by a statement that reads the row
    /// back by its key (rowid, or the primary key of a WITHOUT ROWID table, whose values lead the stored
    /// record) and evaluates the index's expressions and WHERE clause; nil when the row has no entry.
    private func computedEntries(_ index: Index, _ t: Table) -> ((IntegrityRow) throws(DBError) -> [Value]?)? {
        var fields: [String] = []
        for c in index.recordColumns {
            switch c.source {
            case .column(let i): fields.append(quotedIdentifier(t.columns[i].name))
            case .rowid: fields.append("rowid")
            case .expression(let e): fields.append("(" + String(decoding: ASTPrinter.sql(for: e), as: UTF8.self) + ")")
            }
        }
        if let w = index.whereClause {
            fields.append("CASE WHEN (" + String(decoding: ASTPrinter.sql(for: w), as: UTF8.self) + ") THEN 1 ELSE 0 END")
        }
        let keys = t.withoutRowid ? t.primaryKey.map { quotedIdentifier(t.columns[$0].name) } : ["rowid"]
        let sql = "SELECT " + fields.joined(separator: ", ") + " FROM main." + quotedIdentifier(t.name) + " WHERE "
            + keys.enumerated().map { "\($0.element) IS ?\($0.offset + 1)" }.joined(separator: " AND ")
        guard let stmt = try? prepare(sql) else { return nil }
        let width = index.recordColumns.count
        let partial = index.whereClause != nil
        return { (row: IntegrityRow) throws(DBError) -> [Value]? in
            stmt.reset()
            if let rowid = row.rowid {
                try stmt.bind(.integer(rowid), at: 1)
            } else {
                for k in keys.indices where k < row.values.count { try stmt.bind(row.values[k], at: k + 1) }
            }
            guard try stmt.step() == .row else { return nil }
            if partial, case .integer(let inIndex) = stmt.column(width), inIndex == 0 { return nil }
            return (0..<width).map { stmt.column($0) }
        }
    }

    private func columnAffinity(_ a: Affinity) -> ColumnAffinity {
        switch a {
        case .text: return .text
        case .numeric: return .numeric
        case .integer: return .integer
        case .real: return .real
        default: return .blob
        }
    }
}
