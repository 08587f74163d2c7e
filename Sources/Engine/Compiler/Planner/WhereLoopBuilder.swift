// WhereLoopBuilder: every candidate loop of every table (where.c's
// whereLoopAddAll and whereLoopAddBtree).
//
// Costs, as LogEsts of "row visits", without sqlite_stat1 guesses:
//   full scan            rRun = nRow + 16 (3*N)
//   covering index scan  rRun = nRow + 1 + 15*szIdx/szTab (N*K, K in 1.1…3)
//   automatic index      rSetup = N*log N (+28, or -10 for a view); rRun = log N + 20 rows
// Rows out are then lowered for WHERE terms the loop does not use
// (whereLoopOutputAdjust): each such term keeps 15/16 of the rows, and an
// unused `x = expr` caps the estimate at a quarter of the table (a half
// when expr is -1, 0 or 1).

import Base
import SQL

/// pBuilder: the clause being searched and the loop template under construction.
final class WhereLoopBuilder {
    let info: WhereInfo
    var clause: WhereClause
    var new = WhereLoop()
    /// Set while costing an OR disjunct: only the best costs are kept (pOrSet).
    var orSet: WhereOrSet?
    var indexUseFlags = 0

    static let indexedFlag = 1
    static let uniqueFlag = 2

    init(info: WhereInfo, clause: WhereClause) {
        self.info = info
        self.clause = clause
    }
}

extension Compiler {
    /// whereLoopAddAll.
    func addAllLoops(_ info: WhereInfo) {
        let builder = WhereLoopBuilder(info: info, clause: info.clause)
        info.loops.planLimit = 20_000
        var prereq: UInt64 = 0
        var prior: UInt64 = 0
        var firstPastRightJoin = false, hasRightJoin = false
        for (i, term) in info.scope.terms.prefix(info.loopCount).enumerated() {
            builder.new = WhereLoop()
            builder.new.tab = i
            builder.new.maskSelf = UInt64(1) << UInt64(i)
            info.loops.planLimit += 1_000
            // No loop moves across a CROSS or outer join; the right side of a RIGHT JOIN stays before the
            // terms after it, and once a RIGHT JOIN follows, nothing moves left over a LEFT JOIN either.
            let jt = term.joinType ?? []
            if firstPastRightJoin || !jt.isDisjoint(with: [.outer, .cross]) || term.leftOfRightJoin
                || term.lateralFill != nil {
                if term.leftOfRightJoin { hasRightJoin = true }
                prereq |= prior
                firstPastRightJoin = jt.contains(.right)
            } else if !hasRightJoin {
                prereq = 0
            }
            addBtreeLoops(builder, prereq)
            if builder.clause.hasOr { addOrLoops(builder, prereq) }
            prior |= builder.new.maskSelf
        }
    }

    /// Inserts the template into the candidate list (or, while costing a disjunct, into its cost set).
    func insertLoop(_ builder: WhereLoopBuilder) {
        let info = builder.info
        if builder.orSet != nil {
            if info.loops.planLimit == 0 {
                builder.orSet?.costs = []
                return
            }
            info.loops.planLimit -= 1
            var t = builder.new
            info.loops.adjustCost(&t)
            if !t.terms.isEmpty { builder.orSet?.insert(prereq: t.prereq, run: t.run, nOut: t.nOut) }
            return
        }
        var t = builder.new
        if t.index?.kind == .rowid { t.index = nil }
        info.loops.insert(t)
    }

    /// True for a FROM term that is the right side of a LEFT or FULL JOIN (JT_LEFT).
    func isLeftJoin(_ info: WhereInfo, _ i: Int) -> Bool {
        info.scope.terms[i].joinType?.contains(.left) ?? false
    }

    /// True for a FROM term that is the right side of a RIGHT or FULL JOIN (JT_RIGHT).
    func isRightJoin(_ info: WhereInfo, _ i: Int) -> Bool {
        info.scope.terms[i].joinType?.contains(.right) ?? false
    }

    /// jointype & (JT_LEFT|JT_LTORJ|JT_RIGHT): the term's rows may be NULL-extended, so only its own ON
    /// terms may restrict how its loop finds rows.
    func isOuterJoined(_ info: WhereInfo, _ i: Int) -> Bool {
        let t = info.scope.terms[i]
        return t.leftOfRightJoin || !(t.joinType ?? []).isDisjoint(with: [.left, .right])
    }

    /// constraintCompatibleWithOuterJoin (for a term of loop `i` where `isOuterJoined`): an ON term of
    /// this very join, and of an outer join when the term is the right side of one.
    func compatibleWithOuterJoin(_ info: WhereInfo, _ t: WhereTerm, _ i: Int) -> Bool {
        if t.outerJoin == i { return true }
        guard t.innerJoin == i else { return false }
        return (info.scope.terms[i].joinType ?? []).isDisjoint(with: [.left, .right])
    }

    /// termCanDriveIndex: could `t` be a key column of an automatic index on loop `i`?
    func termCanDriveIndex(_ info: WhereInfo, _ t: WhereTerm, _ i: Int, notReady: UInt64) -> Bool {
        guard t.leftTerm == i, !t.op.intersection([.eq, .isOp]).isEmpty else { return false }
        if isOuterJoined(info, i) && !compatibleWithOuterJoin(info, t, i) { return false }
        if t.prereqRight & notReady != 0 { return false }
        guard t.leftColumn >= 0 else { return false }
        let from = info.scope.terms[i]
        let aff = t.leftColumn < from.affinities.count ? from.affinities[t.leftColumn] : .blob
        return indexAffinityOk(t, aff)
    }

    /// True when the FROM term is a view, subquery or CTE read from an ephemeral table.
    func isEphemeral(_ term: FromTerm) -> Bool { term.table == nil }

    /// whereLoopAddBtree.
    func addBtreeLoops(_ builder: WhereLoopBuilder, _ prereq: UInt64) {
        let info = builder.info
        let i = builder.new.tab
        let from = info.scope.terms[i]
        let rSize = info.rowLogEst[i]
        if builder.orSet == nil && info.flags.isDisjoint(with: [.orSubclause, .rightJoinPass]) && from.indexHint == nil
            && !isRightJoin(info, i)
            && from.hasRowidForPlanning && !isRecursiveReference(from) && from.coroutine == nil && from.table?.withoutRowid != true
            && from.lateralFill == nil {
            let rLogSize = rSize.estimatedLog
            let wc = builder.clause
            for k in wc.terms.indices {
                let t = wc.terms[k]
                if t.prereqRight & builder.new.maskSelf != 0 { continue }
                guard termCanDriveIndex(info, t, i, notReady: 0) else { continue }
                builder.new.nEq = 1
                builder.new.nSkip = 0
                builder.new.index = nil
                builder.new.terms = [TermRef(clause: wc, index: k)]
                var setup = rLogSize + rSize
                if isEphemeral(from) { setup -= 10 } else { setup += 28 }
                if setup.value < 0 { setup = LogEst(0) }
                builder.new.setup = setup
                builder.new.nOut = LogEst(43)
                builder.new.run = rLogSize.adding(builder.new.nOut)
                builder.new.flags = .autoIndex
                builder.new.prereq = prereq | t.prereqRight
                builder.new.sortIndex = 0
                builder.new.nBtm = 0
                builder.new.nTop = 0
                insertLoop(builder)
            }
        }
        var sortIndex = 1
        for probe in info.probes[i] {
            if let w = probe.partialWhere, !partialIndexUsable(info, i, builder.clause, w) {
                sortIndex += 1
                continue
            }
            let size = probe.rowLogEst[0]
            builder.new.nEq = 0
            builder.new.nBtm = 0
            builder.new.nTop = 0
            builder.new.nSkip = 0
            builder.new.terms = []
            builder.new.sortIndex = 0
            builder.new.setup = LogEst(0)
            builder.new.prereq = prereq
            builder.new.nOut = size
            builder.new.index = probe
            let helpsOrder = indexMightHelpWithOrderBy(info, probe, i)
            if probe.kind == .rowid {
                builder.new.flags = .ipk
                builder.new.sortIndex = helpsOrder ? sortIndex : 0
                builder.new.run = size + 16
                if isEphemeral(from) { builder.new.flags.insert(.viewScan) }
                outputAdjust(builder.clause, &builder.new, size, info)
                insertLoop(builder)
                builder.new.nOut = size
            } else {
                let covering = probe.isCovering(info.columnsUsed[i]) && coversHighColumns(probe, from, info, i)
                builder.new.flags = covering ? [.indexOnly, .indexed] : .indexed
                let table = from.table
                if helpsOrder || table?.withoutRowid == true || probe.partialWhere != nil || from.indexHint != nil
                    || (covering && probe.rowSize < info.rowSize[i] && !info.flags.contains(.onePassDesired)) {
                    builder.new.sortIndex = helpsOrder ? sortIndex : 0
                    builder.new.run = size + 1 + (15 * probe.rowSize.value) / info.rowSize[i].value
                    if !covering {
                        var lookup = size + 16
                        for t in info.clause.terms {
                            if !exprCoveredByIndex(t.expr, t.scope, i, probe, info) { break }
                            if t.truthProb.value <= 0 {
                                lookup += t.truthProb
                            } else {
                                lookup -= 1
                                if !t.op.intersection([.eq, .isOp]).isEmpty { lookup -= 19 }
                            }
                        }
                        builder.new.run = builder.new.run.adding(lookup)
                    }
                    outputAdjust(builder.clause, &builder.new, size, info)
                    insertLoop(builder)
                    builder.new.nOut = size
                }
            }
            builder.indexUseFlags = 0
            addBtreeIndexLoops(builder, probe, nInMul: LogEst(0))
            sortIndex += 1
        }
    }

    /// Columns from 63 on are not in the usage mask's bits: check them one by one (whereIsCoveringIndex).
    private func coversHighColumns(_ probe: PlanIndex, _ from: FromTerm, _ info: WhereInfo, _ i: Int) -> Bool {
        if probe.isCovering || info.columnsUsed[i] & (1 << 63) == 0 { return true }
        for c in from.usedColumns where c >= 63 && from.table?.rowidAlias != c {
            if !probe.columns.contains(c) { return false }
        }
        return true
    }

    /// indexMightHelpWithOrderBy.
    func indexMightHelpWithOrderBy(_ info: WhereInfo, _ probe: PlanIndex, _ i: Int) -> Bool {
        guard let orderBy = info.orderBy else { return false }
        for o in orderBy {
            let (x, _) = skipCollateAndLikely(o.expr)
            guard let c = plannerColumn(x, o.scope, loops: info.scope), c.term == i else { continue }
            if c.column < 0 { return true }
            for j in 0..<probe.keyCount where probe.columns[j] == c.column { return true }
        }
        return false
    }

    /// sqlite3ExprCoveredByIndex: does `e` read only columns of loop `i` that `probe` holds (and no subquery)?
    func exprCoveredByIndex(_ e: Expr, _ scope: Scope, _ i: Int, _ probe: PlanIndex, _ info: WhereInfo) -> Bool {
        if containsSubquery(e) { return false }
        var covered = true
        visitExpressions(e) { x in
            guard case .column = x.kind else { return covered }
            if let c = plannerColumn(x, scope, loops: info.scope), c.term == i, c.column >= 0,
               !probe.columns.contains(c.column) {
                covered = false
            }
            return covered
        }
        return covered
    }

    /// whereLoopOutputAdjust: lowers nOut for terms on this table the loop does not use.
    func outputAdjust(_ wc: WhereClause, _ loop: inout WhereLoop, _ nRow: LogEst, _ info: WhereInfo) {
        let notAllowed = ~(loop.prereq | loop.maskSelf)
        var reduce = 0
        for k in 0..<wc.baseCount {
            let t = wc.terms[k]
            if t.prereqAll & notAllowed != 0 { continue }
            if t.prereqAll & loop.maskSelf == 0 { continue }
            if t.isVirtual { continue }
            var used = false
            for x in loop.terms.reversed() {
                guard let x else { continue }
                if x.clause === wc && x.index == k { used = true; break }
                if x.term.parent >= 0 && x.term.parent == k { used = true; break }
            }
            if used { continue }
            if loop.maskSelf == t.prereqAll {
                if !t.op.intersection(.comparisons).isEmpty
                    || !(isLeftJoin(info, loop.tab) || info.scope.terms[loop.tab].leftOfRightJoin) {
                    loop.flags.insert(.selfCull)
                }
            }
            if t.truthProb.value <= 0 {
                loop.nOut += t.truthProb
            } else {
                loop.nOut -= 1
                if !t.op.intersection([.eq, .isOp]).isEmpty {
                    var k = 20
                    if let r = t.rhs, let v = integerLiteral(r), v >= -1 && v <= 1 { k = 10 }
                    if reduce < k { reduce = k }
                }
            }
        }
        if loop.nOut.value > nRow.value - reduce { loop.nOut = LogEst(nRow.value - reduce) }
    }

    /// sqlite3ExprIsInteger: the value of an integer literal (possibly negated).
    func integerLiteral(_ e: Expr) -> Int64? {
        switch e.kind {
        case .literal(.numeric(let n)) where n.kind != .real:
            guard let v = try? NumericLiteralConversion.integer(n.text, negated: false), case .integer(let x) = v else {
                return nil
            }
            return x
        case .unary(.negate, let x):
            if let v = integerLiteral(x), v != Int64.min { return -v }
            return nil
        case .unary(.plus, let x):
            return integerLiteral(x)
        default:
            return nil
        }
    }

    /// A recursive CTE's reference to itself, inside its recursive part.
    func isRecursiveReference(_ term: FromTerm) -> Bool {
        term.table == nil && boundTables.values.contains { $0.cursor == term.cursor }
    }
}

extension FromTerm {
    /// HasRowid for the planner: rowid tables and the ephemeral tables of views and subqueries.
    var hasRowidForPlanning: Bool { table.map { !$0.withoutRowid } ?? true }
}
