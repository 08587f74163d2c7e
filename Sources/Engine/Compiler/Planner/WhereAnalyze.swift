// WhereAnalyze: exprAnalyze (whereexpr.c) — what each term of a WHERE
// clause can do for the planner.
//
// Terms are gathered in SQLite's order: the WHERE clauses of flattened views
// (the last flattened first), the query's WHERE, then ON and USING terms in
// FROM order. Analysis runs from the last term to the first, as sqlite3's
// does, so the virtual terms it appends sit in the same places. A term
// `X op expr` records X's loop and column; `X = Y` between two loops also
// gets a commuted virtual copy, marked WO_EQUIV when the two columns are
// interchangeable (same affinity class, compatible collation).

import Base
import SQL

extension Compiler {
    /// The WHERE clause of a query over `scope`'s loops, analysed.
    func buildWhereClause(_ whereClause: Expr?, _ scope: Scope, includeJoins: Bool = true) throws(DBError)
        -> WhereClause {
        let clause = WhereClause(.and)
        var flattened: [(Expr, Scope, FromTerm?)] = []
        if includeJoins { gatherFlattenedConditions(scope, into: &flattened) }
        for (w, s, outerLoop) in flattened.reversed() {
            // A view flattened into a LEFT JOIN: its WHERE clause is part of the join's ON clause (EP_OuterON).
            let outerJoin = outerLoop.flatMap { loop in scope.terms.firstIndex { $0 === loop } }
            splitTerms(w, s, into: clause, outerJoin: outerJoin)
        }
        if let w = whereClause { splitTerms(w, scope, into: clause, outerJoin: nil) }
        for (i, t) in scope.terms.enumerated() where includeJoins {
            guard let on = t.onClause else { continue }
            // LEFT, RIGHT and FULL joins are outer joins (JT_OUTER): their ON terms are EP_OuterON.
            let isOuter = !(t.joinType ?? []).isDisjoint(with: [.left, .right])
            splitTerms(on, scope, into: clause, outerJoin: isOuter ? i : nil, innerJoin: isOuter ? nil : i)
        }
        try analyzeAll(clause, scope)
        return clause
    }

    /// The WHERE clauses of flattened views in `scope` (and in views flattened into those), in flattening
    /// order, with their scopes.
    func gatherFlattenedWheres(_ scope: Scope, into out: inout [(Expr, Scope)]) {
        var all: [(Expr, Scope, FromTerm?)] = []
        gatherFlattenedConditions(scope, into: &all)
        out += all.map { ($0.0, $0.1) }
    }

    /// gatherFlattenedWheres, with the loop whose outer join each WHERE clause belongs to (a view flattened
    /// into a LEFT JOIN), or nil.
    func gatherFlattenedConditions(_ scope: Scope, into out: inout [(Expr, Scope, FromTerm?)]) {
        guard let named = scope.namedTerms else { return }
        for t in named {
            guard let inner = t.expansionScope else { continue }
            if let w = t.flattenedWhere { out.append((w, inner, t.outerJoinLoop)) }
            gatherFlattenedConditions(inner, into: &out)
        }
    }

    /// sqlite3WhereSplit: appends the AND-connected parts of `e` (or OR-connected, for an OR clause).
    func splitTerms(_ e: Expr, _ scope: Scope, into clause: WhereClause, outerJoin: Int?, innerJoin: Int? = nil) {
        let (x, probability) = skipCollateAndLikely(e)
        if clause.connective == .and, case .binary(.and, let l, let r) = x.kind {
            splitTerms(l, scope, into: clause, outerJoin: outerJoin, innerJoin: innerJoin)
            splitTerms(r, scope, into: clause, outerJoin: outerJoin, innerJoin: innerJoin)
            return
        }
        if clause.connective == .or, case .binary(.or, let l, let r) = x.kind {
            splitTerms(l, scope, into: clause, outerJoin: outerJoin, innerJoin: innerJoin)
            splitTerms(r, scope, into: clause, outerJoin: outerJoin, innerJoin: innerJoin)
            return
        }
        var t = WhereTerm(expr: x, scope: scope)
        if let p = probability { t.truthProb = LogEst(count: UInt64(max(p, 0))) - 270 }
        t.outerJoin = outerJoin
        t.innerJoin = innerJoin
        clause.insert(t)
    }

    /// sqlite3ExprSkipCollateAndLikely: `e` without COLLATE and likely()/unlikely()/likelihood() wrappers, and
    /// the probability the outermost such call gives (scaled by 2^27, as SQLite keeps it).
    func skipCollateAndLikely(_ e: Expr) -> (Expr, Int?) {
        var x = e
        var probability: Int?
        while true {
            if case .collate(let inner, _) = x.kind {
                x = inner
                continue
            }
            if case .function(let call) = x.kind, call.over == nil, case .list(_, let args) = call.arguments {
                let name = call.name.name.lowercased()
                if name == "likely" && args.count == 1 {
                    if probability == nil { probability = 125_829_120 }
                    x = args[0]
                    continue
                }
                if name == "unlikely" && args.count == 1 {
                    if probability == nil { probability = 8_388_608 }
                    x = args[0]
                    continue
                }
                if name == "likelihood" && args.count == 2 {
                    if probability == nil, case .literal(.numeric(let n)) = args[1].kind, n.kind == .real,
                       let r = Double(n.text), r >= 0, r <= 1 {
                        probability = Int(r * 134_217_728.0)
                    }
                    x = args[0]
                    continue
                }
            }
            return (x, probability)
        }
    }

    /// sqlite3WhereExprAnalyze: analyses every term, last first.
    func analyzeAll(_ clause: WhereClause, _ loops: Scope) throws(DBError) {
        var i = clause.terms.count - 1
        while i >= 0 {
            try analyzeTerm(clause, i, loops)
            i -= 1
        }
    }

    /// The operator bit of a comparison.
    private func operatorBit(_ c: TermCompare) -> WhereOp {
        switch c {
        case .eq: return .eq
        case .lt: return .lt
        case .le: return .le
        case .gt: return .gt
        case .ge: return .ge
        case .isOp: return .isOp
        case .isNull: return .isNull
        case .inList, .inSelect: return .inOp
        }
    }

    private func commuted(_ c: TermCompare) -> TermCompare {
        switch c {
        case .lt: return .gt
        case .le: return .ge
        case .gt: return .lt
        case .ge: return .le
        default: return c
        }
    }

    /// The parts of an indexable term: its comparison, left and right sides.
    private func indexableShape(_ e: Expr, _ scope: Scope) -> (TermCompare, Expr, Expr?)? {
        switch e.kind {
        case .binary(let op, let l, let r):
            switch op {
            case .equal: return (.eq, l, r)
            case .less: return (.lt, l, r)
            case .lessEqual: return (.le, l, r)
            case .greater: return (.gt, l, r)
            case .greaterEqual: return (.ge, l, r)
            // `x IS NULL` is ISNULL, as sqlite3's parser makes it (binaryToUnaryIfNull): it may seek an index
            // but cannot drive an automatic one.
            case .is: return nullTestOperand(e, negated: false) != nil ? (.isNull, l, nil) : (.isOp, l, r)
            default: return nil
            }
        case .isNull(let x):
            return (.isNull, x, nil)
        case .in(let i) where !i.negated:
            if case .vector = i.value.kind { return nil }
            switch i.target {
            case .list(let items):
                if items.isEmpty { return nil }
                // The parser's rewrite of `x IN (constant)` into `x == +constant`.
                if items.count == 1, isConstantExpression(items[0]), !isVector(items[0]) {
                    return (.eq, i.value, items[0])
                }
                return (.inList, i.value, nil)
            case .select, .table:
                return (.inSelect, i.value, nil)
            }
        default:
            return nil
        }
    }

    /// sqlite3ExprIsConstant, for the planner's purposes: no column references, no subqueries.
    func isConstantExpression(_ e: Expr) -> Bool {
        var constant = true
        visitExpressions(e) { x in
            switch x.kind {
            case .column(let ref):
                if !(ref.table == nil && (ref.column.isBooleanKeyword || ref.column.quoting == .doubleQuotes)) {
                    constant = false
                }
            case .exists, .subquery, .raise:
                constant = false
            case .in(let i):
                if case .list = i.target {} else { constant = false }
            case .function(let call):
                if !isConstantFunction(call.name.name) { constant = false }
            default:
                break
            }
            return constant
        }
        return constant
    }

    private func isConstantFunction(_ name: String) -> Bool {
        switch name.lowercased() {
        case "random", "randomblob", "changes", "total_changes", "last_insert_rowid", "date", "time", "datetime",
             "julianday", "strftime", "unixepoch", "current_date", "current_time", "current_timestamp":
            return false
        default:
            return true
        }
    }

    /// exprAnalyze for term `idx` of `clause`.
    /// Adds a virtual term derived from term `idx` (attached to the same join), analyzes it and makes it a child
    /// of `idx`.
    func addVirtualChild(_ clause: WhereClause, _ expr: Expr, _ scope: Scope, of idx: Int,
                         _ loops: Scope) throws(DBError) {
        var t = WhereTerm(expr: expr, scope: scope)
        t.flags = .virtual
        t.outerJoin = clause.terms[idx].outerJoin
        t.innerJoin = clause.terms[idx].innerJoin
        let n = clause.insert(t)
        try analyzeTerm(clause, n, loops)
        clause.markChild(n, of: idx)
    }

    func analyzeTerm(_ clause: WhereClause, _ idx: Int, _ loops: Scope) throws(DBError) {
        let e = clause.terms[idx].expr
        let scope = clause.terms[idx].scope
        var correlated = false
        let shape = indexableShape(e, scope)
        var prereqLeft: UInt64 = 0
        var prereqRight: UInt64 = 0
        let prereqAll0 = exprUsage(e, scope, loops: loops, correlated: &correlated)
        if let (_, l, r) = shape {
            prereqLeft = exprUsage(l, scope, loops: loops)
            if let r {
                prereqRight = exprUsage(r, scope, loops: loops)
            } else if case .in(let inx) = e.kind {
                switch inx.target {
                case .list(let items):
                    for item in items { prereqRight |= exprUsage(item, scope, loops: loops) }
                case .select, .table:
                    prereqRight = exprUsageOfTarget(inx, scope, loops)
                }
            }
        } else {
            switch e.kind {
            case .binary(_, let l, let r):
                prereqLeft = exprUsage(l, scope, loops: loops)
                prereqRight = exprUsage(r, scope, loops: loops)
            case .notNull(let x), .isNull(let x):
                prereqLeft = exprUsage(x, scope, loops: loops)
            case .between(let b):
                prereqLeft = exprUsage(b.value, scope, loops: loops)
            case .in(let inx):
                prereqLeft = exprUsage(inx.value, scope, loops: loops)
            default:
                break
            }
        }
        var prereqAll = prereqAll0
        if correlated { clause.terms[idx].flags.insert(.varSelect) }
        var extraRight: UInt64 = 0
        if let j = clause.terms[idx].outerJoin {
            let x = UInt64(1) << UInt64(j)
            prereqAll |= x
            extraRight = x - 1
            if (prereqAll >> 1) >= x { throw DBError(.error, "ON clause references tables to its right") }
        } else if let j = clause.terms[idx].innerJoin {
            let x = UInt64(1) << UInt64(j)
            if (prereqAll >> 1) >= x {
                // SQLite 3.39+ refuses this only when the query has a RIGHT or FULL JOIN (whereexpr.c).
                if loops.terms.first?.leftOfRightJoin == true {
                    throw DBError(.error, "ON clause references tables to its right")
                }
                clause.terms[idx].innerJoin = nil
            }
        }
        clause.terms[idx].prereqRight = prereqRight
        clause.terms[idx].prereqAll = prereqAll
        clause.terms[idx].leftTerm = -1
        clause.terms[idx].parent = -1
        clause.terms[idx].op = []

        if let (cmp, left, right) = shape {
            analyzeComparison(clause, idx, loops, cmp, left, right, prereqLeft: prereqLeft, extraRight: extraRight)
        } else if case .between(let b) = e.kind, !b.negated, clause.connective == .and {
            for (op, bound) in [(BinaryOperator.greaterEqual, b.low), (.lessEqual, b.high)] {
                try addVirtualChild(clause, Expr(.binary(op, b.value, bound)), scope, of: idx, loops)
            }
        } else if case .binary(.or, _, _) = e.kind, clause.connective == .and {
            try analyzeOrTerm(clause, idx, loops)
        } else if let x = nullTestOperand(e, negated: true), clause.terms[idx].outerJoin == nil,
                  let c = plannerColumn(x, scope, loops: loops), c.column >= 0,
                  !isCollated(x) {
            // `x IS NOT NULL` may be a range `x > NULL` on an index of x (TERM_VNULL).
            var t = WhereTerm(expr: Expr(.binary(.greater, x, Expr(.literal(.null)))), scope: scope)
            t.flags = [.virtual, .vnull]
            t.leftTerm = c.term
            t.leftColumn = c.column
            t.op = .gt
            t.compare = .gt
            t.lhs = x
            t.rhs = Expr(.literal(.null))
            t.collation = comparisonCollation(x, x, scope)
            let n = clause.insert(t)
            clause.markChild(n, of: idx)
            clause.terms[idx].flags.insert(.copied)
            clause.terms[n].prereqAll = clause.terms[idx].prereqAll
        }
        clause.terms[idx].prereqRight |= extraRight
    }

    private func isVector(_ e: Expr) -> Bool {
        if case .vector = e.kind { return true }
        return false
    }

    private func isCollated(_ e: Expr) -> Bool {
        if case .collate = e.kind { return true }
        return false
    }

    /// The loops an IN's subquery or table reads.
    private func exprUsageOfTarget(_ inx: InExpression, _ scope: Scope, _ loops: Scope) -> UInt64 {
        let probe = Expr(.in(InExpression(negated: false, value: Expr(.literal(.null)), target: inx.target)))
        return exprUsage(probe, scope, loops: loops)
    }

    /// The comparison part of exprAnalyze: the column side, and the commuted copy when both sides are columns.
    private func analyzeComparison(_ clause: WhereClause, _ idx: Int, _ loops: Scope, _ cmp: TermCompare,
                                   _ left: Expr, _ right: Expr?, prereqLeft: UInt64, extraRight: UInt64) {
        let scope = clause.terms[idx].scope
        let prereqRight = clause.terms[idx].prereqRight
        let opMask: WhereOp = (prereqRight & prereqLeft) == 0 ? .all : .equiv
        clause.terms[idx].compare = cmp
        clause.terms[idx].lhs = left
        clause.terms[idx].rhs = right
        if let r = right { clause.terms[idx].collation = comparisonCollation(left, r, scope) }
        else { clause.terms[idx].collation = collation(of: left, scope)?.0 ?? .binary }
        let leftColumn = plannerColumn(left, scope, loops: loops)
        if let r = right { clause.terms[idx].rhsColumn = plannerColumn(r, scope, loops: loops) }
        if let c = leftColumn {
            clause.terms[idx].leftTerm = c.term
            clause.terms[idx].leftColumn = c.column
            clause.terms[idx].op = operatorBit(cmp).intersection(opMask)
        }
        if cmp == .isOp { clause.terms[idx].flags.insert(.isTerm) }
        guard let right, cmp != .inList, cmp != .inSelect, cmp != .isNull,
              let rc = plannerColumn(right, scope, loops: loops) else { return }
        var target = idx
        var extra: WhereOp = []
        if clause.terms[idx].leftTerm != -1 {
            var dup = clause.terms[idx]
            dup.flags = .virtual
            if cmp == .isOp { dup.flags.insert(.isTerm) }
            dup.childCount = 0
            dup.orClause = nil
            dup.andClause = nil
            let n = clause.insert(dup)
            clause.markChild(n, of: idx)
            clause.terms[idx].flags.insert(.copied)
            if termIsEquivalence(clause.terms[idx], left, right, scope) {
                clause.terms[idx].op.insert(.equiv)
                extra = .equiv
            }
            target = n
        }
        let flipped = commuted(cmp)
        clause.terms[target].compare = flipped
        clause.terms[target].lhs = right
        clause.terms[target].rhs = left
        clause.terms[target].leftTerm = rc.term
        clause.terms[target].leftColumn = rc.column
        clause.terms[target].rhsColumn = leftColumn
        clause.terms[target].prereqRight = prereqLeft | extraRight
        clause.terms[target].op = operatorBit(flipped).union(extra).intersection(opMask)
    }

    /// termIsEquivalence: may the right column stand in for the left one everywhere else?
    private func termIsEquivalence(_ t: WhereTerm, _ l: Expr, _ r: Expr, _ scope: Scope) -> Bool {
        guard t.compare == .eq || t.compare == .isOp, t.outerJoin == nil else { return false }
        let a1 = affinity(of: l, scope), a2 = affinity(of: r, scope)
        if a1 != a2 && (!a1.isNumeric || !a2.isNumeric) { return false }
        if t.collation == .binary { return true }
        let c1 = collation(of: l, scope)?.0 ?? .binary
        let c2 = collation(of: r, scope)?.0 ?? .binary
        return c1 == c2
    }
}
