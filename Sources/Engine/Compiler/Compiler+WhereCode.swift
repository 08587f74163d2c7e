// Compiler+WhereCode: the loop header of one level for its access path, and
// whether the chosen paths already deliver rows in ORDER BY order.
//
// Values a lookup compares against are computed once per entry into the
// level (they depend only on outer tables), have the index column's affinity
// applied (as OP_Affinity does before a seek), and make the level find
// nothing when an equality value is NULL. Terms a path uses to position the
// cursor are marked consumed, so they are not tested twice.

import Base
import Storage
import SQL

extension Compiler {
    func emitLevel(_ plan: LevelPlan, _ scope: Scope, _ terms: inout [WhereTerm], available: UInt64,
                   outerBreak: Int32) throws(DBError) -> LevelCode {
        let term = scope.terms[plan.term]
        let brk = b.makeLabel()
        let cont = b.makeLabel()
        var code = LevelCode(cursor: term.cursor, next: nil, top: 0, continueLabel: cont, breakLabel: brk)
        var matchFlag: Int32?
        if term.joinType?.contains(.left) ?? false {
            let f = b.allocateRegisters()
            b.emit(.Integer, 0, f)
            matchFlag = f
        }
        var indexCursor: Int32?
        planLine(planDescription(plan, term, terms, scope))
        switch plan.path {
        case .fullScan:
            code.top = b.emit(.Rewind, term.cursor, brk) + 1
            code.next = .Next
        case .rowidEquality(let k):
            let r = try exprToRegister(terms[k].value!, terms[k].scope)
            b.emit(.SeekRowid, term.cursor, brk, r)
            code.top = b.count
            consumeTerm(k, &terms)
        case .rowidIn(let k):
            let (eph, top, inCont) = try openInLoop(terms[k], terms[k].scope, brk, affinity: .integer)
            let r = b.allocateRegisters()
            b.emit(.Column, eph, 0, r)
            b.emit(.SeekRowid, term.cursor, inCont, r)
            code.top = b.count
            code.inLoops.append((eph, top, inCont))
            consumeTerm(k, &terms)
        case .rowidRange(let lower, let upper):
            var upperReg: Int32?
            if let u = upper { upperReg = try exprToRegister(terms[u].value!, terms[u].scope) }
            if let l = lower {
                let r = try exprToRegister(terms[l].value!, terms[l].scope)
                b.emit(terms[l].op == .gt ? .SeekGT : .SeekGE, term.cursor, brk, r)
                consumeTerm(l, &terms)
            } else {
                b.emit(.Rewind, term.cursor, brk)
            }
            code.top = b.count
            if let u = upper, let ur = upperReg {
                let rowid = b.allocateRegisters()
                b.emit(.Rowid, term.cursor, rowid)
                // Leave the loop once the rowid passes the bound (NULL bound: nothing matches).
                b.emit(terms[u].op == .lt ? .Ge : .Gt, ur, brk, rowid, .none,
                       UInt16(Affinity.numeric.rawValue) | ComparisonFlags.jumpIfNull)
                consumeTerm(u, &terms)
            }
            code.next = .Next
        case .index(let index, let eqs, let lower, let upper, let covering):
            let ic: Int32
            if index.origin == .primaryKey && index.table.withoutRowid {
                ic = term.cursor
            } else {
                ic = b.allocateCursor()
                b.emit(.OpenRead, ic, Int32(bitPattern: index.rootPage), 0, .keyInfo(index.keyInfo))
            }
            indexCursor = ic == term.cursor ? nil : ic
            if covering && ic != term.cursor {
                term.coveringCursor = ic
                term.coveringIndex = index
            }
            code.cursor = ic
            try emitIndexLoop(index, eqs, lower, upper, ic, term, scope, &terms, &code, brk, plan.reverse,
                              covering: covering || ic == term.cursor)
        }
        return try finishLevel(code, term, matchFlag, indexCursor: indexCursor, scope, &terms, plan, available)
    }

    /// Marks term `k` used by an access path (and its BETWEEN parent once both bounds are).
    func consumeTerm(_ k: Int, _ terms: inout [WhereTerm]) {
        terms[k].consumed = true
        if terms[k].isCommuted, let p = terms[k].parent {
            terms[p].consumed = true
            return
        }
        // BETWEEN is fully enforced only when both of its bounds became lookups.
        if let p = terms[k].parent, terms[p].virtualChildren.count == 2,
           terms[p].virtualChildren.allSatisfy({ terms[$0].consumed }) {
            terms[p].consumed = true
        }
    }

    /// LEFT JOIN bookkeeping and the WHERE terms that become testable at this level.
    private func finishLevel(_ codeIn: LevelCode, _ term: FromTerm, _ matchFlag: Int32?, indexCursor: Int32?,
                             _ scope: Scope, _ terms: inout [WhereTerm], _ plan: LevelPlan,
                             _ available: UInt64) throws(DBError) -> LevelCode {
        var code = codeIn
        let here = available | (1 << UInt64(plan.term))
        // ON terms of this LEFT JOIN first: a failure is "no match", not "skip the row".
        for k in terms.indices where !terms[k].consumed && !terms[k].isVirtual && terms[k].onLeftJoin == plan.term
            && terms[k].mask & ~here == 0 {
            try jumpIfFalse(terms[k].expr, terms[k].scope, code.continueLabel, jumpIfNull: true)
            terms[k].consumed = true
        }
        if let f = matchFlag {
            b.emit(.Integer, 1, f)
            code.leftJoin = (f, b.count, term.cursor, indexCursor)
        }
        for k in terms.indices where !terms[k].consumed && !terms[k].isVirtual && terms[k].mask != Compiler.allTermsMask
            && terms[k].mask & ~here == 0 && (terms[k].onLeftJoin == nil || terms[k].onLeftJoin == plan.term) {
            try jumpIfFalse(terms[k].expr, terms[k].scope, code.continueLabel, jumpIfNull: true)
            terms[k].consumed = true
        }
        return code
    }

    /// An ephemeral index of an IN list's values, looped over: returns (cursor, loop top, continue label).
    func openInLoop(_ t: WhereTerm, _ scope: Scope, _ brk: Int32, affinity: Affinity) throws(DBError)
        -> (Int32, Int32, Int32) {
        guard case .in(let inx) = t.expr.kind, case .list(let items) = inx.target else {
            throw DBError(.internal, "IN loop without a list")
        }
        let eph = b.allocateCursor()
        b.emit(.OpenEphemeral, eph, 1, 0, .keyInfo(KeyInfo(binaryFields: 1)))
        let r = b.allocateRegisters(), rec = b.allocateRegisters()
        for item in items {
            try expr(item, scope, r)
            if affinity != .none && affinity != .blob {
                b.emit(.Affinity, r, 1, 0, .affinities([affinity]))
            }
            b.emit(.MakeRecord, r, 1, rec)
            b.emit(.IdxInsert, eph, rec, r, .int64(1))
        }
        b.emit(.Rewind, eph, brk)
        let top = b.count
        let cont = b.makeLabel()
        return (eph, top, cont)
    }

    private func emitIndexLoop(_ index: Index, _ eqs: [Int], _ lower: Int?, _ upper: Int?, _ ic: Int32,
                               _ term: FromTerm, _ scope: Scope, _ terms: inout [WhereTerm], _ code: inout LevelCode,
                               _ brk: Int32, _ reverse: Bool, covering: Bool) throws(DBError) {
        let k = eqs.count
        let keyBase = b.allocateRegisters(k + 1)
        let endBase = b.allocateRegisters(k + 1)
        var loopBreak = brk
        for (j, t) in eqs.enumerated() {
            let colAff = indexColumnAffinity(index, j)
            if terms[t].op == .inList {
                let (eph, top, inCont) = try openInLoop(terms[t], terms[t].scope, loopBreak, affinity: colAff)
                b.emit(.Column, eph, 0, keyBase + Int32(j))
                code.inLoops.append((eph, top, inCont))
                loopBreak = inCont
            } else if terms[t].op == .isNull {
                b.emit(.Null, 0, keyBase + Int32(j))
            } else {
                try expr(terms[t].value!, terms[t].scope, keyBase + Int32(j))
                if terms[t].op == .eq { b.emit(.IsNull, keyBase + Int32(j), loopBreak) }
                if colAff != .blob && colAff != .none {
                    b.emit(.Affinity, keyBase + Int32(j), 1, 0, .affinities([colAff]))
                }
            }
            consumeTerm(t, &terms)
        }
        let rangeDesc = k < index.columns.count && index.columns[k].descending
        // Convert value bounds to bounds in index order (a DESC column swaps them).
        var seekTerm = lower, endTerm = upper
        if rangeDesc { swap(&seekTerm, &endTerm) }
        for j in 0..<k { b.emit(.SCopy, keyBase + Int32(j), endBase + Int32(j)) }
        var seekFields = k
        var seekOp: Opcode = .SeekGE
        if let s = seekTerm {
            try expr(terms[s].value!, terms[s].scope, keyBase + Int32(k))
            b.emit(.IsNull, keyBase + Int32(k), loopBreak)
            let aff = indexColumnAffinity(index, k)
            if aff != .blob && aff != .none { b.emit(.Affinity, keyBase + Int32(k), 1, 0, .affinities([aff])) }
            seekFields = k + 1
            let exclusive = terms[s].op == .gt || terms[s].op == .lt
            seekOp = exclusive ? .SeekGT : .SeekGE
            consumeTerm(s, &terms)
        } else if endTerm != nil && !rangeDesc {
            // Skip the NULLs at the start of the range column.
            b.emit(.Null, 0, keyBase + Int32(k))
            seekFields = k + 1
            seekOp = .SeekGT
        }
        if seekFields == 0 {
            b.emit(.Rewind, ic, loopBreak)
        } else {
            b.emit(seekOp, ic, loopBreak, keyBase, .int64(Int64(seekFields)))
        }
        code.top = b.count
        if let e = endTerm {
            try expr(terms[e].value!, terms[e].scope, endBase + Int32(k))
            b.emit(.IsNull, endBase + Int32(k), loopBreak)
            let aff = indexColumnAffinity(index, k)
            if aff != .blob && aff != .none { b.emit(.Affinity, endBase + Int32(k), 1, 0, .affinities([aff])) }
            let exclusive = terms[e].op == .gt || terms[e].op == .lt
            b.emit(exclusive ? .IdxGE : .IdxGT, ic, loopBreak, endBase, .int64(Int64(k + 1)))
            consumeTerm(e, &terms)
        } else if k > 0 {
            b.emit(.IdxGT, ic, loopBreak, endBase, .int64(Int64(k)))
        }
        if rangeDesc && seekTerm == nil && endTerm != nil {
            // A DESC range column with only an index-order upper bound: NULLs sort last; stop at them.
            let r = b.allocateRegisters()
            b.emit(.Column, ic, Int32(k), r)
            b.emit(.IsNull, r, loopBreak)
        }
        if !covering {
            b.emit(.DeferredSeek, ic, 0, term.cursor)
        }
        code.next = .Next
    }

    /// The EXPLAIN QUERY PLAN line for a level ("SCAN t", "SEARCH t USING INDEX i (a=? AND b>?)").
    func planDescription(_ plan: LevelPlan, _ term: FromTerm, _ terms: [WhereTerm], _ scope: Scope) -> String {
        func op(_ k: Int) -> String {
            switch terms[k].op {
            case .lt: return "<"
            case .le: return "<="
            case .gt: return ">"
            case .ge: return ">="
            default: return "="
            }
        }
        switch plan.path {
        case .fullScan:
            return "SCAN \(term.name)"
        case .rowidEquality, .rowidIn:
            return "SEARCH \(term.name) USING INTEGER PRIMARY KEY (rowid=?)"
        case .rowidRange(let lower, let upper):
            let parts = [lower, upper].compactMap { $0 }.map { "rowid\(op($0))?" }
            return "SEARCH \(term.name) USING INTEGER PRIMARY KEY (\(parts.joined(separator: " AND ")))"
        case .index(let index, let eqs, let lower, let upper, let covering):
            let isPrimary = index.origin == .primaryKey && index.table.withoutRowid
            let kind = isPrimary ? "PRIMARY KEY" : (covering ? "COVERING INDEX \(index.name)" : "INDEX \(index.name)")
            var parts: [String] = []
            for (j, _) in eqs.enumerated() {
                if case .column(let c) = index.columns[j].source { parts.append("\(index.table.columns[c].name)=?") }
            }
            if eqs.count < index.columns.count, case .column(let c) = index.columns[eqs.count].source {
                let name = index.table.columns[c].name
                for b in [lower, upper].compactMap({ $0 }) { parts.append("\(name)\(op(b))?") }
            }
            if parts.isEmpty { return "SCAN \(term.name) USING \(kind)" }
            return "SEARCH \(term.name) USING \(kind) (\(parts.joined(separator: " AND ")))"
        }
    }

    func indexColumnAffinity(_ index: Index, _ position: Int) -> Affinity {
        guard position < index.columns.count, case .column(let c) = index.columns[position].source else { return .blob }
        return index.table.columns[c].affinity
    }

    /// True when the loops already produce rows in `sortKeys` order (no sorter needed).
    func orderIsSatisfied(_ plans: [LevelPlan], _ scope: Scope, _ sortKeys: [SortKey]) -> Bool {
        guard !sortKeys.isEmpty, let first = plans.first else { return false }
        // Only the outermost level's order counts, and only if every inner level yields at most one row.
        for p in plans.dropFirst() where p.rows > 1 { return false }
        let term = scope.terms[first.term]
        let desc = sortKeys[0].descending
        guard sortKeys.allSatisfy({ $0.descending == desc }), !desc else { return false }
        var keyCols: [Int] = []
        for k in sortKeys {
            guard let c = columnOf(k.expr, scope), c.term == first.term else { return false }
            let coll = term.collations.indices.contains(c.column) ? term.collations[c.column] : .binary
            if c.column >= 0 && k.collation != coll { return false }
            keyCols.append(c.column)
        }
        switch first.path {
        case .fullScan, .rowidRange, .rowidEquality:
            return term.table != nil && term.hasRowid && keyCols == [-1]
        case .index(let index, let eqs, _, _, _):
            var cols: [Int] = []
            for c in index.columns {
                guard case .column(let x) = c.source, !c.descending else { break }
                cols.append(x)
            }
            let rest = Array(cols.dropFirst(eqs.count))
            for (n, k) in keyCols.enumerated() {
                if n < rest.count && rest[n] == k { continue }
                if k == -1 && n == rest.count && !index.table.withoutRowid && n == index.columns.count - eqs.count { continue }
                return false
            }
            return true
        default:
            return false
        }
    }
}
