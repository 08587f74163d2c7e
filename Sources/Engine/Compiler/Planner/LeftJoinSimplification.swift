// LeftJoinSimplification: a LEFT JOIN whose WHERE clause cannot be true on
// the right table's row of NULLs is an inner join (select.c, "Convert LEFT
// JOIN into JOIN"; expr.c's sqlite3ExprImpliesNonNullRow). The planner may
// then reorder it, as sqlite3's does, so the rows come out in sqlite3's order.
//
// SQLite tests its WHERE clause with the ON clauses appended (each ON clause
// of an outer join marked EP_OuterON, which the test skips); it walks the
// FROM clause left to right, and a LEFT JOIN it converts turns its ON
// clause into an inner join's, which later tests then see. False positives
// would give wrong answers; false negatives only miss the optimization, so
// the walk stops at anything it does not know (OR, CASE, IN, functions,
// subqueries, IS, IS NOT, NOTNULL below the top).

import SQL

extension Compiler {
    /// Turns each LEFT JOIN (not FULL) of `scope` that the WHERE and inner-join ON clauses make pointless
    /// into an inner join.
    func simplifyLeftJoins(_ whereClause: Expr?, _ scope: Scope) {
        guard scope.terms.count > 1 else { return }
        for t in scope.terms {
            guard let jt = t.joinType, jt.contains(.left), !jt.contains(.right) else { continue }
            // sqlite3's pWhere: WHERE AND on1 AND on2 …, nested to the left; its first part is tested whole
            // (sqlite3ExprImpliesNonNullRow), the others walked (impliesNotNullRow).
            var first = true
            var implied = false
            if let w = whereClause {
                implied = impliesNonNullRow(w, t, scope)
                first = false
            }
            for o in scope.terms where !implied {
                guard let on = o.onClause else { continue }
                let outer = !(o.joinType ?? []).isDisjoint(with: [.left, .right])
                if first {
                    first = false
                    if !outer { implied = impliesNonNullRow(on, t, scope) }
                } else if !outer {
                    implied = walkImpliesNonNullRow(on, t, scope) == .found
                }
            }
            if implied {
                t.joinType = jt.subtracting([.left, .outer])
                // A view flattened into this join is now flattened into an inner join (sqlite3 simplifies the
                // join before it flattens): its WHERE clause is the query's, its columns need no NULL test.
                for v in scope.nameTerms where v.outerJoinLoop === t { v.outerJoinLoop = nil }
            }
        }
    }

    /// sqlite3ExprImpliesNonNullRow: `e` is NULL or false whenever every column of `t` is NULL.
    private func impliesNonNullRow(_ e: Expr, _ t: FromTerm, _ scope: Scope) -> Bool {
        var p = skipCollateAndLikely(e).0
        if let x = nullTestOperand(p, negated: true) {
            p = x
        } else {
            while case .binary(.and, let l, let r) = p.kind {
                if impliesNonNullRow(l, t, scope) { return true }
                p = r
            }
        }
        return walkImpliesNonNullRow(p, t, scope) == .found
    }

    private enum NonNullWalk { case notFound, found }

    /// impliesNotNullRow's walk: finds a column of `t` whose NULL makes `e` NULL.
    private func walkImpliesNonNullRow(_ e: Expr, _ t: FromTerm, _ scope: Scope) -> NonNullWalk {
        switch e.kind {
        case .column(let ref):
            guard let binding = try? scope.resolveHere(ref) else { return .notFound }
            switch binding {
            case .column(let bound, _), .rowid(let bound): return bound === t ? .found : .notFound
            // A column of a view flattened into the LEFT JOIN is a column of the join's right side.
            case .expression(_, _, let view, _): return view.outerJoinLoop === t ? .found : .notFound
            }
        case .binary(let op, let l, let r):
            switch op {
            case .and:
                guard walkImpliesNonNullRow(l, t, scope) == .found else { return .notFound }
                return walkImpliesNonNullRow(r, t, scope)
            case .or, .is, .isNot, .arrow, .doubleArrow:
                return .notFound
            default:
                if walkImpliesNonNullRow(l, t, scope) == .found { return .found }
                return walkImpliesNonNullRow(r, t, scope)
            }
        case .between(let b):
            return walkImpliesNonNullRow(b.value, t, scope)
        case .unary(_, let x), .cast(let x, _), .collate(let x, _):
            return walkImpliesNonNullRow(x, t, scope)
        default:
            // ISNULL, NOTNULL, IN, CASE, functions (LIKE and GLOB are functions to sqlite3), row values,
            // subqueries, literals, parameters.
            return .notFound
        }
    }
}
