// ExprVisitor: walks an expression tree, calling `visit` on each node before
// its children; returning false skips the children. Subqueries are not
// entered (their names resolve in their own scopes). The parser bounds the
// depth of expressions, so the recursion is bounded too.

import SQL

func visitExpressions(_ e: Expr, _ visit: (Expr) -> Bool) {
    guard visit(e) else { return }
    switch e.kind {
    case .literal, .parameter, .column, .exists, .subquery, .raise:
        break
    case .unary(_, let x), .isNull(let x), .notNull(let x), .collate(let x, _):
        visitExpressions(x, visit)
    case .cast(let x, _):
        visitExpressions(x, visit)
    case .binary(_, let l, let r):
        visitExpressions(l, visit)
        visitExpressions(r, visit)
    case .like(let l):
        visitExpressions(l.value, visit)
        visitExpressions(l.pattern, visit)
        if let e = l.escape { visitExpressions(e, visit) }
    case .between(let bt):
        visitExpressions(bt.value, visit)
        visitExpressions(bt.low, visit)
        visitExpressions(bt.high, visit)
    case .in(let i):
        visitExpressions(i.value, visit)
        if case .list(let l) = i.target { for x in l { visitExpressions(x, visit) } }
    case .function(let call):
        if case .list(_, let args) = call.arguments { for a in args { visitExpressions(a, visit) } }
        if let f = call.filter { visitExpressions(f, visit) }
    case .caseWhen(let c):
        if let o = c.operand { visitExpressions(o, visit) }
        for br in c.branches {
            visitExpressions(br.condition, visit)
            visitExpressions(br.result, visit)
        }
        if let e = c.elseResult { visitExpressions(e, visit) }
    case .vector(let xs):
        for x in xs { visitExpressions(x, visit) }
    }
}

/// True when `e` contains a subquery (IN (SELECT …), EXISTS, a scalar subquery).
func containsSubquery(_ e: Expr) -> Bool {
    var found = false
    visitExpressions(e) { x in
        switch x.kind {
        case .exists, .subquery:
            found = true
        case .in(let i):
            if case .list = i.target {} else { found = true }
        default:
            break
        }
        return !found
    }
    return found
}
