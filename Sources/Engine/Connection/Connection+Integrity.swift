// Connection+Integrity: PRAGMA integrity_check / quick_check. The storage
// layer checks pages, trees and rows; this file describes the schema to it
// the way sqlite3 walks it (sqlite_schema first, then each table with its
// indexes newest first).

import Base
import Storage

extension Connection {
    func integrityCheck(maxErrors: Int, quick: Bool) throws(DBError) -> [String] {
        let catalog = try self.catalog
        var tables: [IntegrityTable] = [IntegrityTable.schemaTable]
        for t in catalog.tableOrder where !t.isView && t.rootPage > 1 {
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
        let order = t.withoutRowid ? storageOrder(t) : Array(t.columns.indices)
        for i in order {
            let c = t.columns[i]
            var dflt = Value.null
            if let d = c.defaultValue, case .literal(let lit) = d.kind, case .string(let s) = lit { dflt = .text(s) }
            columns.append(IntegrityColumn(name: c.name, defaultValue: dflt, notNull: c.notNull,
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
                case .column(let i): fields.append(.column(order.firstIndex(of: i) ?? i))
                case .rowid: fields.append(.rowid)
                case .expression: plain = false
                }
            }
            guard plain else { continue }
            desc.indexes.append(IntegrityIndex(name: index.name, root: index.rootPage, fields: fields,
                                               keyFieldCount: index.columns.count, keyInfo: index.keyInfo,
                                               isUnique: index.unique))
        }
        return desc
    }

    private func storageOrder(_ t: Table) -> [Int] {
        t.primaryKey + t.columns.indices.filter { !t.primaryKey.contains($0) }
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
