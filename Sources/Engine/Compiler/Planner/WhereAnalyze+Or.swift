// WhereAnalyze+Or: exprAnalyzeOrTerm and whereCombineDisjuncts — what an OR
// of terms offers the planner.
//
// Case 1: every disjunct is `T.C = expr` for one column: a virtual
// `T.C IN (expr, …)` is added (a child of the OR term).
// Case 2: two disjuncts `x<y OR x=y`: a virtual `x<=y` is added.
// Case 3: every disjunct can use an index on table T (an AND disjunct needs
// one such sub-term): the term is WO_OR with T in `orIndexable`, a candidate
// for a MULTI-INDEX OR loop that unions rowids from one lookup per disjunct.

import Base
import SQL

extension Compiler {
    func analyzeOrTerm(_ clause: WhereClause, _ idx: Int, _ loops: Scope) throws(DBError) {
        let term = clause.terms[idx]
        let orClause = WhereClause(.or)
        splitTerms(term.expr, term.scope, into: orClause, outerJoin: term.outerJoin, innerJoin: term.innerJoin)
        try analyzeAll(orClause, loops)
        func bit(_ t: Int) -> UInt64 { t >= 0 ? UInt64(1) << UInt64(t) : 0 }
        var indexable = UInt64.max
        var changeToIn = UInt64.max
        var k = 0
        while k < orClause.terms.count && indexable != 0 {
            let sub = orClause.terms[k]
            if sub.op.intersection(.single).isEmpty {
                changeToIn = 0
                let andClause = WhereClause(.and)
                splitTerms(sub.expr, sub.scope, into: andClause, outerJoin: sub.outerJoin, innerJoin: sub.innerJoin)
                try analyzeAll(andClause, loops)
                andClause.outer = clause
                var b: UInt64 = 0
                for a in andClause.terms where isAllowedOperator(a.expr) || a.op == .aux {
                    b |= bit(a.leftTerm)
                }
                indexable &= b
                orClause.terms[k].andClause = andClause
                orClause.terms[k].op = .and
                orClause.terms[k].leftTerm = -1
            } else if sub.flags.contains(.copied) {
                // Revisited through its virtual copy.
            } else {
                var b = bit(sub.leftTerm)
                if sub.isVirtual && sub.parent >= 0 { b |= bit(orClause.terms[sub.parent].leftTerm) }
                indexable &= b
                if !sub.op.contains(.eq) { changeToIn = 0 } else { changeToIn &= b }
            }
            k += 1
        }
        clause.terms[idx].orClause = orClause
        clause.terms[idx].orIndexable = indexable
        clause.terms[idx].op = .or
        clause.terms[idx].leftTerm = -1
        if indexable != 0 { clause.hasOr = true }
        if indexable != 0 && orClause.terms.count == 2 {
            for one in disjunctParts(orClause, 0) {
                for two in disjunctParts(orClause, 1) {
                    try combineDisjuncts(clause, one, two, loops)
                }
            }
        }
        if changeToIn != 0 { try orToIn(clause, idx, orClause, changeToIn, loops) }
    }

    /// allowedOp: the operators an index can use.
    private func isAllowedOperator(_ e: Expr) -> Bool {
        switch e.kind {
        case .binary(let op, _, _):
            return op == .equal || op == .less || op == .lessEqual || op == .greater || op == .greaterEqual || op == .is
        case .isNull:
            return true
        case .in(let i):
            return !i.negated
        default:
            return false
        }
    }

    /// whereNthSubterm for every N: the AND parts of disjunct `k`, or the disjunct itself.
    private func disjunctParts(_ orClause: WhereClause, _ k: Int) -> [WhereTerm] {
        let t = orClause.terms[k]
        if t.op == .and, let a = t.andClause { return a.terms }
        return [t]
    }

    /// whereCombineDisjuncts: `A<B OR A=B` adds the virtual term `A<=B`.
    private func combineDisjuncts(_ clause: WhereClause, _ one: WhereTerm, _ two: WhereTerm,
                                  _ loops: Scope) throws(DBError) {
        if one.flags.contains(.vnull) || two.flags.contains(.vnull) { return }
        let comparisons: WhereOp = [.eq, .lt, .le, .gt, .ge]
        guard !one.op.intersection(comparisons).isEmpty, !two.op.intersection(comparisons).isEmpty else { return }
        var eOp = one.op.union(two.op)
        guard eOp.isSubset(of: [.eq, .lt, .le]) || eOp.isSubset(of: [.eq, .gt, .ge]) else { return }
        guard let l1 = one.lhs, let r1 = one.rhs, let l2 = two.lhs, let r2 = two.rhs, l1 == l2, r1 == r2 else { return }
        if eOp.rawValue & (eOp.rawValue &- 1) != 0 {
            eOp = eOp.isDisjoint(with: [.lt, .le]) ? .ge : .le
        }
        let op: BinaryOperator
        switch eOp {
        case .eq: op = .equal
        case .lt: op = .less
        case .le: op = .lessEqual
        case .gt: op = .greater
        default: op = .greaterEqual
        }
        var t = WhereTerm(expr: Expr(.binary(op, l1, r1)), scope: one.scope)
        t.flags = .virtual
        t.outerJoin = one.outerJoin
        t.innerJoin = one.innerJoin
        let n = clause.insert(t)
        try analyzeTerm(clause, n, loops)
    }

    /// Case 1 of exprAnalyzeOrTerm: `x=a OR x=b OR …` adds the virtual child `x IN (a, b, …)`.
    private func orToIn(_ clause: WhereClause, _ idx: Int, _ orClause: WhereClause, _ changeToIn: UInt64,
                        _ loops: Scope) throws(DBError) {
        func bit(_ t: Int) -> UInt64 { t >= 0 ? UInt64(1) << UInt64(t) : 0 }
        let n = orClause.terms.count
        var ok = false
        var column = -1, cursor = -1
        var j = 0
        while j < 2 && !ok {
            var i = 0
            var found = false
            while i < n {
                orClause.terms[i].flags.remove(.ok)
                let t = orClause.terms[i]
                if t.leftTerm == cursor {
                    i += 1
                    continue
                }
                if changeToIn & bit(t.leftTerm) == 0 {
                    i += 1
                    continue
                }
                column = t.leftColumn
                cursor = t.leftTerm
                found = true
                break
            }
            if !found { break }
            ok = true
            while i < n && ok {
                let t = orClause.terms[i]
                if t.leftTerm != cursor {
                    orClause.terms[i].flags.remove(.ok)
                } else if t.leftColumn != column || column == -2 {
                    ok = false
                } else {
                    let affRight = t.rhs.map { affinity(of: $0, t.scope) } ?? .none
                    let affLeft = t.lhs.map { affinity(of: $0, t.scope) } ?? .none
                    if affRight != .none && affRight != affLeft {
                        ok = false
                    } else {
                        orClause.terms[i].flags.insert(.ok)
                    }
                }
                i += 1
            }
            j += 1
        }
        guard ok else { return }
        var items: [Expr] = []
        var left: Expr?
        var scope = clause.terms[idx].scope
        for t in orClause.terms where t.flags.contains(.ok) {
            if let r = t.rhs { items.append(r) }
            left = t.lhs
            scope = t.scope
        }
        guard let left, !items.isEmpty else { return }
        try addVirtualChild(clause, Expr(.in(InExpression(negated: false, value: left, target: .list(items)))), scope,
                            of: idx, loops)
    }
}
