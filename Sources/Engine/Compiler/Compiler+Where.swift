// Compiler+Where: the nested loops of a query (where.c, much simplified).
//
// whereBegin picks a join order and, for each FROM term, an access path —
// a rowid lookup, rowid range, index lookup or range, IN list, or a full
// scan — by estimated cost (rows examined, as SQLite's planner counts them
// without statistics: a table of about a million rows, ten rows per index
// equality, a quarter of the rows per range bound). It emits the loop
// headers outermost first, evaluates each WHERE term at the first level where
// every table it reads is positioned, and returns the labels the body uses:
// `continueLabel` (next row) and `breakLabel` (leave all loops). whereEnd
// closes the loops innermost first. A LEFT JOIN level keeps a match flag;
// when its loop ends without a match it runs the rest once more with the
// right table on a row of NULLs (lang_select.html §2.1.2).

import Base
import Storage
import SQL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How one level of the loop reads its table.
enum AccessPath {
    case fullScan
    case rowidEquality(term: Int)
    case rowidIn(term: Int)
    case rowidRange(lower: Int?, upper: Int?)
    case index(Index, equalities: [Int], lower: Int?, upper: Int?, covering: Bool)
}

struct LevelPlan {
    var term: Int
    var path: AccessPath
    var cost: Double
    var rows: Double
    /// The scan runs backwards (ORDER BY … DESC satisfied by the index).
    var reverse = false
}

final class WhereLoop {
    var continueLabel: Int32 = 0
    var breakLabel: Int32 = 0
    var orderSatisfied = false
    var levels: [LevelCode] = []
}

struct LevelCode {
    var cursor: Int32
    var next: Opcode?
    var top: Int32
    var continueLabel: Int32
    var breakLabel: Int32
    /// LEFT JOIN: (match flag register, where the right table's body starts, the table cursor).
    var leftJoin: (flag: Int32, body: Int32, cursor: Int32, indexCursor: Int32?)?
    /// IN loops wrapped around this level: (ephemeral cursor, top address, continue label).
    var inLoops: [(Int32, Int32, Int32)] = []
}

extension Compiler {
    func whereBegin(_ scope: Scope, whereClause: Expr?, sortKeys: [SortKey]) throws(DBError) -> WhereLoop {
        var terms = analyzeWhere(whereClause, scope)
        markColumnUsage(scope, whereClause: whereClause)
        let plans = try chooseJoinOrder(scope, terms)
        let loop = WhereLoop()
        loop.breakLabel = b.makeLabel()
        // Terms that read no table of this scope are checked once, before any loop.
        for i in terms.indices where terms[i].mask == 0 && !terms[i].isVirtual && terms[i].onLeftJoin == nil {
            try jumpIfFalse(terms[i].expr, scope, loop.breakLabel, jumpIfNull: true)
            terms[i].consumed = true
        }
        for t in scope.terms {
            guard let table = t.table else { continue }
            if table.withoutRowid, let pk = table.primaryKeyIndex {
                b.emit(.OpenRead, t.cursor, Int32(bitPattern: table.rootPage), 0, .keyInfo(pk.keyInfo))
            } else {
                b.emit(.OpenRead, t.cursor, Int32(bitPattern: table.rootPage), 0)
            }
        }
        var available: UInt64 = 0
        var outerBreak = loop.breakLabel
        for (n, plan) in plans.enumerated() {
            let code = try emitLevel(plan, scope, &terms, available: available, outerBreak: outerBreak)
            loop.levels.append(code)
            available |= 1 << UInt64(min(plan.term, 62))
            outerBreak = code.breakLabel
            _ = n
        }
        // Anything left (terms that read every table, or that no level took) runs in the innermost body.
        let inner = loop.levels.last?.continueLabel ?? loop.breakLabel
        for i in terms.indices where !terms[i].consumed && !terms[i].isVirtual {
            try jumpIfFalse(terms[i].expr, scope, inner, jumpIfNull: true)
            terms[i].consumed = true
        }
        loop.continueLabel = inner
        if loop.levels.isEmpty {
            loop.continueLabel = loop.breakLabel
        }
        loop.orderSatisfied = orderIsSatisfied(plans, scope, sortKeys)
        return loop
    }

    func whereEnd(_ loop: WhereLoop) throws(DBError) {
        for level in loop.levels.reversed() {
            b.resolve(level.continueLabel)
            if let next = level.next {
                b.emit(next, level.cursor, level.top)
            }
            for (cursor, top, cont) in level.inLoops.reversed() {
                b.resolve(cont)
                b.emit(.Next, cursor, top)
            }
            b.resolve(level.breakLabel)
            if let lj = level.leftJoin {
                let done = b.makeLabel()
                b.emit(.If, lj.flag, done)
                b.emit(.NullRow, lj.cursor)
                if let ic = lj.indexCursor { b.emit(.NullRow, ic) }
                b.emit(.Integer, 1, lj.flag)
                b.emit(.Goto, 0, lj.body)
                b.resolve(done)
            }
        }
        b.resolve(loop.breakLabel)
    }

    private func markColumnUsage(_ scope: Scope, whereClause: Expr?) {
        if let w = whereClause { recordColumnUsage([w], scope) }
    }

    /// Notes which columns of each FROM term `exprs` read. A subquery may read any column of any term,
    /// so it rules covering indexes out for the whole scope.
    func recordColumnUsage(_ exprs: [Expr], _ scope: Scope) {
        for e in exprs {
            if containsSubquery(e) {
                for t in scope.terms { t.coveringAllowed = false; t.usageUnknown = true }
                continue
            }
            visitExpressions(e) { x in
                if case .column(let ref) = x.kind, let binding = try? scope.resolveHere(ref) {
                    switch binding {
                    case .column(let t, let c): t.usedColumns.insert(c)
                    case .rowid(let t): t.usesRowid = true
                    }
                }
                return true
            }
        }
        for t in scope.terms where !t.usageUnknown { t.coveringAllowed = true }
    }

    // MARK: planning

    private func chooseJoinOrder(_ scope: Scope, _ terms: [WhereTerm]) throws(DBError) -> [LevelPlan] {
        let n = scope.terms.count
        if n == 0 { return [] }
        if n == 1 { return [try bestPath(0, scope, terms, available: 0)] }
        // A LEFT JOIN's right side stays after everything before it: only reorder runs of inner joins.
        let movable = (0..<n).map { !(scope.terms[$0].joinType?.contains(.left) ?? false) }
        var best: [LevelPlan]?
        var bestCost = Double.infinity
        if n <= 6 {
            var order = Array(0..<n)
            func search(_ k: Int, _ available: UInt64, _ rowsSoFar: Double, _ cost: Double, _ acc: [LevelPlan]) {
                if cost >= bestCost { return }
                if k == n {
                    bestCost = cost
                    best = acc
                    return
                }
                for j in k..<n {
                    let candidate = order[j]
                    // Terms before a LEFT JOIN's right side must all be placed before it, and it keeps its place.
                    if !movable[candidate] && k != candidate { continue }
                    if k < n && !movable[order[k]] && j != k { continue }
                    guard let plan = try? bestPath(candidate, scope, terms, available: available) else { continue }
                    order.swapAt(k, j)
                    let c = cost + rowsSoFar * plan.cost
                    search(k + 1, available | (1 << UInt64(min(candidate, 62))), rowsSoFar * max(plan.rows, 1), c,
                           acc + [plan])
                    order.swapAt(k, j)
                }
            }
            search(0, 0, 1, 0, [])
        }
        if let best { return best }
        // Many tables: keep the FROM order.
        var plans: [LevelPlan] = []
        var available: UInt64 = 0
        for i in 0..<n {
            plans.append(try bestPath(i, scope, terms, available: available))
            available |= 1 << UInt64(min(i, 62))
        }
        return plans
    }

    func estimatedRows(_ term: FromTerm) -> Double {
        if let t = term.table, let e = t.estimatedRows { return Double(max(e, 1)) }
        if term.table == nil { return 1000 }
        return 1_048_576
    }

    /// True when term `t` may be used to look up FROM term `i` given the tables already positioned.
    private func usable(_ t: WhereTerm, for i: Int, available: UInt64) -> Bool {
        guard let c = t.column, c.term == i, !t.consumed else { return false }
        if t.valueMask & ~available != 0 { return false }
        if let lj = t.onLeftJoin, lj != i { return false }
        return true
    }

    /// The cheapest access path for FROM term `i` when the tables in `available` are already positioned.
    func bestPath(_ i: Int, _ scope: Scope, _ terms: [WhereTerm], available: UInt64) throws(DBError) -> LevelPlan {
        let term = scope.terms[i]
        let n = estimatedRows(term)
        let logN = max(log2(n), 1)
        var best = LevelPlan(term: i, path: .fullScan, cost: n * 3, rows: n)
        // A LEFT JOIN's right side must not use WHERE terms (they apply after the NULL row).
        let isLeft = term.joinType?.contains(.left) ?? false
        func ok(_ t: WhereTerm) -> Bool {
            usable(t, for: i, available: available) && (!isLeft || t.onLeftJoin == i)
        }
        if term.hasRowid && term.table != nil && term.indexHint == nil || term.indexHint == .notIndexed {
            for (k, t) in terms.enumerated() where ok(t) && t.column!.column == -1 {
                switch t.op {
                case .eq, .isOp:
                    let plan = LevelPlan(term: i, path: .rowidEquality(term: k), cost: logN, rows: 1)
                    if plan.cost < best.cost { best = plan }
                case .inList:
                    if case .in(let inx) = t.expr.kind, case .list(let items) = inx.target {
                        let m = Double(items.count)
                        let plan = LevelPlan(term: i, path: .rowidIn(term: k), cost: m * logN, rows: m)
                        if plan.cost < best.cost { best = plan }
                    }
                default:
                    break
                }
            }
            var lower: Int?, upper: Int?
            for (k, t) in terms.enumerated() where ok(t) && t.column!.column == -1 {
                switch t.op {
                case .gt, .ge: if lower == nil { lower = k }
                case .lt, .le: if upper == nil { upper = k }
                default: break
                }
            }
            if lower != nil || upper != nil {
                let rows = n / (lower != nil && upper != nil ? 16 : 4)
                let plan = LevelPlan(term: i, path: .rowidRange(lower: lower, upper: upper), cost: rows * 3 + logN,
                                     rows: rows)
                if plan.cost < best.cost { best = plan }
            }
        }
        guard let table = term.table, term.indexHint != .notIndexed else { return best }
        var forced: Index?
        if case .indexedBy(let name) = term.indexHint { forced = catalog.index(name.name) }
        var candidates = table.indexes.filter { $0.whereClause == nil && $0.rootPage > 0 }
        if table.withoutRowid, let pk = table.primaryKeyIndex, !candidates.contains(where: { $0 === pk }) {
            candidates.append(pk)
        }
        if let forced { candidates = [forced] }
        for index in candidates {
            if let plan = indexPath(index, i, term, scope, terms, n: n, logN: logN, ok: ok) {
                if plan.cost < best.cost || forced != nil { best = plan }
            }
        }
        if forced != nil, case .fullScan = best.path, let f = forced {
            best = LevelPlan(term: i, path: .index(f, equalities: [], lower: nil, upper: nil, covering: false),
                             cost: n * 4, rows: n)
        }
        if table.withoutRowid, case .fullScan = best.path, let pk = table.primaryKeyIndex {
            best.path = .index(pk, equalities: [], lower: nil, upper: nil, covering: true)
        }
        return best
    }

    private func indexPath(_ index: Index, _ i: Int, _ term: FromTerm, _ scope: Scope, _ terms: [WhereTerm],
                           n: Double, logN: Double, ok: (WhereTerm) -> Bool) -> LevelPlan? {
        var equalities: [Int] = []
        var lower: Int?, upper: Int?
        var inCount = 1.0
        for (pos, col) in index.columns.enumerated() {
            guard case .column(let c) = col.source else { break }
            var found: Int?
            for (k, t) in terms.enumerated() where ok(t) && t.column!.column == c
                && (t.op == .eq || t.op == .isOp || t.op == .isNull || t.op == .inList) {
                guard termMatchesIndexColumn(t, index, pos, scope) else { continue }
                found = k
                break
            }
            if let k = found {
                if terms[k].op == .inList, case .in(let inx) = terms[k].expr.kind, case .list(let items) = inx.target {
                    inCount *= Double(items.count)
                }
                equalities.append(k)
                continue
            }
            for (k, t) in terms.enumerated() where ok(t) && t.column!.column == c {
                guard termMatchesIndexColumn(t, index, pos, scope) else { continue }
                switch t.op {
                case .gt, .ge: if lower == nil { lower = k }
                case .lt, .le: if upper == nil { upper = k }
                default: break
                }
            }
            break
        }
        if equalities.isEmpty && lower == nil && upper == nil { return nil }
        var rows = n
        let k = equalities.count
        if k > 0 {
            if index.unique && k == index.columns.count {
                rows = 1
            } else if k < index.stat.count, index.stat[k] > 0 {
                rows = Double(index.stat[k])
            } else {
                rows = max(n / pow(10, Double(k)), [10.0, 9, 8, 7, 6][min(k, 5) - 1])
                rows = min(rows, [10.0, 9, 8, 7, 6][min(k, 5) - 1])
            }
        }
        if lower != nil { rows /= 4 }
        if upper != nil { rows /= 4 }
        rows *= inCount
        let covering = indexCovers(index, term)
        let perRow = covering ? 1.0 : 1.0 + logN
        let cost = logN * inCount + rows * perRow
        return LevelPlan(term: i, path: .index(index, equalities: equalities, lower: lower, upper: upper,
                                                covering: covering), cost: cost, rows: max(rows, 1))
    }

    /// sqlite3IndexAffinityOk and the collation rule: may this comparison seek in that index column?
    private func termMatchesIndexColumn(_ t: WhereTerm, _ index: Index, _ position: Int, _ scope: Scope) -> Bool {
        guard case .column(let c) = index.columns[position].source else { return false }
        let colAff = index.table.columns[c].affinity
        if t.op == .isNull { return true }
        if t.op == .inList {
            // IN compares with the column's own affinity and collation.
            if case .in(let inx) = t.expr.kind, let (coll, explicit) = collation(of: inx.value, scope), explicit {
                return coll == index.columns[position].collation
            }
            return index.table.columns[c].collation == index.columns[position].collation
        }
        guard let value = t.value else { return false }
        let columnExpr = columnExpression(t, scope)
        let aff = Affinity.forComparison(affinity(of: columnExpr, scope), affinity(of: value, scope))
        let cmpAff: Affinity = aff == .none ? .blob : aff
        if cmpAff.rawValue >= Affinity.text.rawValue {
            if cmpAff == .text && colAff != .text { return false }
            if cmpAff.isNumeric && !colAff.isNumeric { return false }
        }
        let coll = comparisonCollation(columnExpr, value, scope)
        return coll == index.columns[position].collation
    }

    /// The column side of a term, as an expression.
    private func columnExpression(_ t: WhereTerm, _ scope: Scope) -> Expr {
        switch t.expr.kind {
        case .binary(_, let l, let r):
            if let c = columnOf(l, scope), c.term == t.column!.term, c.column == t.column!.column { return l }
            return r
        default:
            return t.expr
        }
    }

    /// Whether every column the statement reads from `term` is in `index` (rowid included).
    func indexCovers(_ index: Index, _ term: FromTerm) -> Bool {
        guard term.coveringAllowed else { return false }
        let cols = Set(index.recordColumns.compactMap { c -> Int? in if case .column(let x) = c.source { return x } else { return nil } })
        for c in term.usedColumns where !cols.contains(c) && term.table?.rowidAlias != c { return false }
        return true
    }
}
