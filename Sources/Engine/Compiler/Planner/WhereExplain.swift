// WhereExplain: the EXPLAIN QUERY PLAN line of a loop (wherecode.c's
// sqlite3WhereExplainOneScan and sqlite3WhereExplainBloomFilter).
//
//   SCAN t | SEARCH t
//     USING [COVERING] INDEX i (a=? AND b>? AND b<?)   — ">" and "<" stand for
//         both strict and non-strict bounds, as in sqlite3
//     USING PRIMARY KEY (…)                    WITHOUT ROWID tables
//     USING AUTOMATIC [PARTIAL] COVERING INDEX (x=?)
//     USING INTEGER PRIMARY KEY (rowid=?) / (rowid>? AND rowid<?)
//   followed by " LEFT-JOIN" for the right table of a LEFT JOIN.

import Base
import SQL

extension Compiler {
    func scanDescription(_ info: WhereInfo, _ loop: WhereLoop, autoIndex: PlanIndex?) -> String {
        let term = info.scope.terms[loop.tab]
        let flags = loop.flags
        let isSearch = !flags.isDisjoint(with: [.bottomLimit, .topLimit]) || loop.nEq > 0
            || !info.flags.isDisjoint(with: [.orderByMin, .orderByMax])
        var s = (isSearch ? "SEARCH " : "SCAN ") + (term.writtenSchema.map { $0 + "." } ?? "") + term.name
        if !flags.contains(.ipk), let index = autoIndex ?? loop.index {
            var format: String?
            if index.isPrimaryKey {
                if isSearch { format = "PRIMARY KEY" }
            } else if flags.contains(.partialIndex) {
                format = "AUTOMATIC PARTIAL COVERING INDEX"
            } else if flags.contains(.autoIndex) {
                format = "AUTOMATIC COVERING INDEX"
            } else if flags.contains(.indexOnly) {
                format = "COVERING INDEX \(index.name)"
            } else {
                format = "INDEX \(index.name)"
            }
            if let format {
                s += " USING " + format
                s += indexRange(info, loop, index)
            }
        } else if flags.contains(.ipk) && !flags.isDisjoint(with: .constraint) {
            s += " USING INTEGER PRIMARY KEY (rowid"
            if !flags.isDisjoint(with: [.columnEq, .columnIn]) {
                s += "=?)"
            } else if flags.contains(.bothLimit) {
                s += ">? AND rowid<?)"
            } else if flags.contains(.bottomLimit) {
                s += ">?)"
            } else {
                s += "<?)"
            }
        }
        if isLeftJoin(info, loop.tab) { s += " LEFT-JOIN" }
        return s
    }

    /// explainIndexColumnName.
    private func indexColumnName(_ info: WhereInfo, _ loop: WhereLoop, _ index: PlanIndex, _ j: Int) -> String {
        let c = index.columns[j]
        if c == -2 { return "<expr>" }
        if c == -1 { return "rowid" }
        return info.scope.terms[loop.tab].columnNames[c]
    }

    /// explainIndexRange: " (a=? AND b>? AND b<?)".
    private func indexRange(_ info: WhereInfo, _ loop: WhereLoop, _ index: PlanIndex) -> String {
        let nEq = loop.nEq
        if nEq == 0 && loop.flags.isDisjoint(with: [.bottomLimit, .topLimit]) { return "" }
        var parts: [String] = []
        for i in 0..<nEq {
            let z = indexColumnName(info, loop, index, i)
            parts.append(i >= loop.nSkip ? "\(z)=?" : "ANY(\(z))")
        }
        if nEq < index.columns.count {
            let z = indexColumnName(info, loop, index, nEq)
            if loop.flags.contains(.bottomLimit) { parts.append("\(z)>?") }
            if loop.flags.contains(.topLimit) { parts.append("\(z)<?") }
        }
        return " (" + parts.joined(separator: " AND ") + ")"
    }

    /// sqlite3WhereExplainBloomFilter.
    func bloomFilterDescription(_ info: WhereInfo, _ loop: WhereLoop) -> String {
        let term = info.scope.terms[loop.tab]
        var s = "BLOOM FILTER ON \(term.name) ("
        if loop.flags.contains(.ipk) {
            if let t = term.table, let alias = t.rowidAlias {
                s += "\(t.columns[alias].name)=?"
            } else {
                s += "rowid=?"
            }
        } else if let index = loop.index {
            var parts: [String] = []
            for i in loop.nSkip..<loop.nEq { parts.append("\(indexColumnName(info, loop, index, i))=?") }
            s += parts.joined(separator: " AND ")
        }
        return s + ")"
    }
}
