// WhereOrderBy: does a (partial) path deliver rows in ORDER BY order, or
// group GROUP BY / DISTINCT rows together (where.c's
// wherePathSatisfiesOrderBy)?
//
// Returns the number of ORDER BY terms satisfied, or -1 while that is not
// yet known (more loops may still fix the order). An ORDER BY column fixed
// by `col = outer-value` is satisfied by any loop; otherwise each loop's
// index columns must match the next ORDER BY terms in order and direction
// (a loop may run backwards: its bit in `rev`). A loop whose ordered columns
// are UNIQUE and NOT NULL ("order-distinct") lets inner loops' order count.
// GROUP BY and DISTINCT accept the terms in any order and either direction.

import Base
import SQL

extension Compiler {
    /// sqlite3WhereFindTerm: a term `X op expr` on the column, preferring a constant right side.
    func findTerm(_ clause: WhereClause, _ cur: Int, _ column: Int, notReady: UInt64, op: WhereOp,
                  scope: Scope) -> TermRef? {
        var scan = makeScan(clause, term: cur, index: nil, column: column, opMask: op, scope: scope)
        var result: TermRef?
        let eqOps = op.intersection([.eq, .isOp])
        while let ref = nextScanTerm(&scan) {
            let t = ref.term
            if t.prereqRight & notReady == 0 {
                if t.prereqRight == 0 && !t.op.intersection(eqOps).isEmpty { return ref }
                if result == nil { result = ref }
            }
        }
        return result
    }

    /// wherePathSatisfiesOrderBy for `path`'s first `nLoop` loops followed by `last`.
    func pathSatisfiesOrderBy(_ info: WhereInfo, _ orderBy: [PlanOrderTerm], _ path: WherePath, _ flags: WhereFlags,
                              _ nLoop: Int, _ last: WhereLoop, _ rev: inout UInt64) -> Int {
        let nOrderBy = orderBy.count
        if nOrderBy > 63 { return 0 }
        var isOrderDistinct = true
        let obDone: UInt64 = (UInt64(1) << UInt64(nOrderBy)) - 1
        var obSat: UInt64 = 0
        var orderDistinctMask: UInt64 = 0
        var ready: UInt64 = 0
        var eqOpMask: WhereOp = [.eq, .isOp, .isNull]
        if !flags.isDisjoint(with: [.orderByLimit, .orderByMax, .orderByMin]) { eqOpMask.insert(.inOp) }
        let obColumns = orderBy.map { o -> (term: Int, column: Int)? in
            let (x, _) = skipCollateAndLikely(o.expr)
            guard case .column = x.kind else { return nil }
            return plannerColumn(x, o.scope, loops: info.scope)
        }
        var loop = last
        var iLoop = 0
        while isOrderDistinct && obSat < obDone && iLoop <= nLoop {
            if iLoop > 0 { ready |= loop.maskSelf }
            if iLoop < nLoop {
                loop = info.loops.loops[path.loops[iLoop]]
                if flags.contains(.orderByLimit) {
                    iLoop += 1
                    continue
                }
            } else {
                loop = last
            }
            let cur = loop.tab
            for i in 0..<nOrderBy where obSat & (1 << UInt64(i)) == 0 {
                guard let c = obColumns[i], c.term == cur else { continue }
                guard let ref = findTerm(info.clause, cur, c.column, notReady: ~ready, op: eqOpMask,
                                         scope: info.scope) else { continue }
                let t = ref.term
                if t.op == .inOp && !loop.terms.contains(where: { $0 == ref }) { continue }
                if !t.op.intersection([.eq, .isOp]).isEmpty && c.column >= 0 {
                    if orderBy[i].collation != t.collation { continue }
                }
                obSat |= 1 << UInt64(i)
            }
            if !loop.flags.contains(.oneRow) {
                guard let r = orderedColumns(info, loop, orderBy, obColumns, flags, iLoop, &obSat, &rev,
                                             &isOrderDistinct) else { return 0 }
                _ = r
            }
            if isOrderDistinct {
                orderDistinctMask |= loop.maskSelf
                for i in 0..<nOrderBy where obSat & (1 << UInt64(i)) == 0 {
                    let p = orderBy[i].expr
                    let m = exprUsage(p, orderBy[i].scope, loops: info.scope)
                    if m == 0 && !isConstantExpression(p) { continue }
                    if m & ~orderDistinctMask == 0 { obSat |= 1 << UInt64(i) }
                }
            }
            iLoop += 1
        }
        if obSat == obDone { return nOrderBy }
        if !isOrderDistinct {
            var i = nOrderBy - 1
            while i > 0 {
                let m: UInt64 = (UInt64(1) << UInt64(i)) - 1
                if obSat & m == m { return i }
                i -= 1
            }
            return 0
        }
        return -1
    }

    /// The index-column part of wherePathSatisfiesOrderBy for one loop; nil when the loop has no order.
    private func orderedColumns(_ info: WhereInfo, _ loop: WhereLoop, _ orderBy: [PlanOrderTerm],
                                _ obColumns: [(term: Int, column: Int)?], _ flags: WhereFlags, _ iLoop: Int,
                                _ obSat: inout UInt64, _ revMask: inout UInt64,
                                _ isOrderDistinct: inout Bool) -> Bool? {
        let index: PlanIndex?
        let nKeyCol: Int, nColumn: Int
        if loop.flags.contains(.ipk) {
            index = nil
            nKeyCol = 0
            nColumn = 1
        } else if let ix = loop.index, !loop.flags.contains(.autoIndex) {
            index = ix
            nKeyCol = ix.keyCount
            nColumn = ix.columns.count
            isOrderDistinct = ix.unique && !loop.flags.contains(.skipScan)
        } else {
            return nil
        }
        let eqOpMask: WhereOp = flags.isDisjoint(with: [.orderByLimit, .orderByMax, .orderByMin])
            ? [.eq, .isOp, .isNull] : [.eq, .isOp, .isNull, .inOp]
        let nOrderBy = orderBy.count
        var rev = false, revSet = false, distinctColumns = false
        let table = info.scope.terms[loop.tab].table
        for j in 0..<nColumn {
            var once = true
            if j < loop.nEq && j >= loop.nSkip, let ref = loop.terms[j] {
                let eOp = ref.term.op
                if !eOp.intersection(eqOpMask).isEmpty {
                    if !eOp.isDisjoint(with: [.isNull, .isOp]) { isOrderDistinct = false }
                    continue
                } else if eOp.contains(.inOp) {
                    for i in (j + 1)..<max(loop.nEq, j + 1) where loop.terms[i]?.term.expr == ref.term.expr {
                        once = false
                    }
                }
            }
            var iColumn: Int
            var revIdx: Bool
            if let index {
                iColumn = index.termColumn(j)
                revIdx = index.descending[j]
            } else {
                iColumn = -1
                revIdx = false
            }
            if isOrderDistinct {
                if iColumn >= 0 && j >= loop.nEq, let t = table, !t.columns[iColumn].notNull {
                    isOrderDistinct = false
                }
                if iColumn >= 0 && j >= loop.nEq && table == nil { isOrderDistinct = false }
                if iColumn == -2 { isOrderDistinct = false }
            }
            var matched: Int?
            var i = 0
            while once && i < nOrderBy {
                defer { i += 1 }
                if obSat & (1 << UInt64(i)) != 0 { continue }
                if flags.isDisjoint(with: [.groupBy, .distinctBy]) { once = false }
                guard iColumn >= -1, let c = obColumns[i], c.term == loop.tab, c.column == iColumn else { continue }
                if iColumn != -1, let index, orderBy[i].collation != index.collations[j] { continue }
                matched = i
                break
            }
            var isMatch = matched != nil
            if let m = matched, !flags.contains(.groupBy) {
                if revSet {
                    if (rev != revIdx) != orderBy[m].descending { isMatch = false }
                } else {
                    rev = revIdx != orderBy[m].descending
                    if rev { revMask |= UInt64(1) << UInt64(iLoop) }
                    revSet = true
                }
            }
            // NULLS FIRST on DESC / NULLS LAST on ASC: sqlite3 scans the index in two passes there
            // (WHERE_BIGNULL_SORT); swiftdb sorts instead.
            if isMatch, let m = matched, orderBy[m].bigNull { isMatch = false }
            if isMatch, let m = matched {
                if iColumn == -1 { distinctColumns = true }
                obSat |= UInt64(1) << UInt64(m)
            } else {
                if j == 0 || j < nKeyCol { isOrderDistinct = false }
                break
            }
        }
        if distinctColumns { isOrderDistinct = true }
        return true
    }
}
