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
            try jumpIfFalse(terms[i].expr, terms[i].scope, loop.breakLabel, jumpIfNull: true)
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
            available |= 1 << UInt64(plan.term)
            outerBreak = code.breakLabel
            _ = n
        }
        // Anything left (terms that read every table, or that no level took) runs in the innermost body.
        let inner = loop.levels.last?.continueLabel ?? loop.breakLabel
        for i in terms.indices where !terms[i].consumed && !terms[i].isVirtual {
            try jumpIfFalse(terms[i].expr, terms[i].scope, inner, jumpIfNull: true)
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
                    case .expression(let e, let inner, _, _): recordColumnUsage([e], inner)
                    }
                }
                return true
            }
        }
        for t in scope.terms where !t.usageUnknown { t.coveringAllowed = true }
    }

    // MARK: planning

    /// The join order and access paths with the lowest estimated cost (where.c's wherePathSolver, with a beam:
    /// every order for up to six tables, else the best ten partial orders at each step).
    private func chooseJoinOrder(_ scope: Scope, _ terms: [WhereTerm]) throws(DBError) -> [LevelPlan] {
        let n = scope.terms.count
        if n == 0 { return [] }
        if n == 1 { return [try bestPath(0, scope, terms, available: 0)] }
        // The right side of a LEFT JOIN comes after every table to its left.
        var prerequisites = [UInt64](repeating: 0, count: n)
        for i in 0..<n where scope.terms[i].joinType?.contains(.left) ?? false {
            prerequisites[i] = (UInt64(1) << UInt64(i)) - 1
        }
        struct Path {
            var plans: [LevelPlan]
            var available: UInt64
            var rows: Double
            var cost: Double
        }
        let beam = n <= 6 ? Int.max : 10
        var paths = [Path(plans: [], available: 0, rows: 1, cost: 0)]
        for _ in 0..<n {
            var next: [Path] = []
            for p in paths {
                for i in 0..<n {
                    let bit = UInt64(1) << UInt64(i)
                    guard p.available & bit == 0, prerequisites[i] & ~p.available == 0 else { continue }
                    let plan = try bestPath(i, scope, terms, available: p.available)
                    next.append(Path(plans: p.plans + [plan], available: p.available | bit,
                                     rows: p.rows * max(plan.rows, 1), cost: p.cost + p.rows * plan.cost))
                }
            }
            // Cheapest first; equal costs keep the FROM order (stable sort).
            next.sort { $0.cost < $1.cost }
            if next.count > beam {
                // Keep the best path for each set of tables, then the best `beam` of those.
                var seen = Set<UInt64>()
                next = next.filter { seen.insert($0.available).inserted }
                if next.count > beam { next.removeLast(next.count - beam) }
            }
            paths = next
        }
        guard let best = paths.first else { throw DBError(.internal, "no join order") }
        return best.plans
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
        // A covering index is a cheaper full scan than the table (its rows are narrower): the narrowest wins.
        if forced == nil, case .fullScan = best.path, !table.withoutRowid {
            var narrowest: Index?
            for index in candidates where index.origin != .primaryKey || !table.withoutRowid {
                guard indexCovers(index, term), index.columns.allSatisfy({
                    if case .column = $0.source { return true } else { return false }
                }) else { continue }
                if narrowest == nil || index.columns.count < narrowest!.columns.count { narrowest = index }
            }
            if let idx = narrowest, idx.columns.count < table.columns.count {
                best = LevelPlan(term: i, path: .index(idx, equalities: [], lower: nil, upper: nil, covering: true),
                                 cost: n * 2.9, rows: n)
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
                guard termMatchesIndexColumn(t, index, pos, t.scope, loops: scope) else { continue }
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
                guard termMatchesIndexColumn(t, index, pos, t.scope, loops: scope) else { continue }
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
    private func termMatchesIndexColumn(_ t: WhereTerm, _ index: Index, _ position: Int, _ scope: Scope,
                                        loops: Scope) -> Bool {
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
        let columnExpr = columnExpression(t, scope, loops: loops)
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
    private func columnExpression(_ t: WhereTerm, _ scope: Scope, loops: Scope) -> Expr {
        switch t.expr.kind {
        case .binary(_, let l, let r):
            if let c = columnOf(l, scope, loops: loops), c.term == t.column!.term, c.column == t.column!.column { return l }
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
