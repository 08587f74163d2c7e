// WherePartialIndex: whether a partial index may drive a loop (where.c's
// whereUsablePartialIndex). The index holds only the rows its WHERE accepts,
// so it may serve a query only when every AND-conjunct of that WHERE is implied
// by one term of the query's WHERE (sqlite3ExprImpliesExpr): the same
// expression (sqlite3ExprCompare: the same tree, the same columns of the same
// table, the same literal tokens); a disjunct of an OR; or `x IS NOT NULL`
// implied by a comparison or BETWEEN with x as an operand (exprImpliesNotNull,
// for the direct-operand case). Anything not recognized implies nothing, so a
// doubt costs a plan, never a row. For the right table of a LEFT JOIN only its
// ON clause's terms count, and no ON term counts for another table.

import SQL

extension Compiler {
    /// True when the query's `clause` implies every conjunct of `partialWhere`, the WHERE of a partial index
    /// on the table of loop `i`.
    func partialIndexUsable(_ info: WhereInfo, _ i: Int, _ clause: WhereClause, _ partialWhere: Expr) -> Bool {
        let from = info.scope.terms[i]
        guard let table = from.table, !from.leftOfRightJoin else { return false }
        let rightOfOuterJoin = from.joinType.map { $0.contains(.left) } ?? false
        var conjuncts: [Expr] = []
        var pending = [partialWhere]
        while let e = pending.popLast() {
            if case .binary(.and, let l, let r) = e.kind { pending += [r, l] } else { conjuncts.append(e) }
        }
        return conjuncts.allSatisfy { w in
            clause.terms.contains { t in
                if let j = t.outerJoin, j != i { return false }
                if rightOfOuterJoin && t.outerJoin != i { return false }
                return ImpliedIndexCondition(term: from, table: table, scope: t.scope).implies(t.expr, w)
            }
        }
    }
}

/// sqlite3ExprImpliesExpr for one query term (resolved in `scope`) against one condition of a partial index on
/// `table` (its columns named bare, or qualified by the table's name), which loop `term` reads.
struct ImpliedIndexCondition {
    let term: FromTerm
    let table: Table
    let scope: Scope

    func implies(_ a: Expr, _ w: Expr) -> Bool {
        if same(a, w) { return true }
        // `5 < b` is analysed as `b > 5` (exprCommute); only a literal moves, so no collation changes sides.
        if case .binary(let op, let l, let r) = a.kind, case .literal = l.kind, let flipped = op.commuted,
           same(Expr(.binary(flipped, r, l)), w) {
            return true
        }
        if case .binary(.or, let l, let r) = w.kind { return implies(a, l) || implies(a, r) }
        if let x = notNullOperand(w) { return impliesNotNull(a, x) }
        return false
    }

    /// The operand of `x IS NOT NULL` / `x NOTNULL` (parse.y keeps the former as a binary IS NOT).
    private func notNullOperand(_ e: Expr) -> Expr? { nullTestOperand(e, negated: true) }

    /// The operand of `x IS NULL` / `x ISNULL`.
    private func isNullOperand(_ e: Expr) -> Expr? { nullTestOperand(e, negated: false) }

    /// A comparison or BETWEEN with `x` as a direct operand is never true when x is NULL.
    private func impliesNotNull(_ a: Expr, _ x: Expr) -> Bool {
        if let y = notNullOperand(a) { return same(y, x) }
        switch a.kind {
        case .binary(let op, let l, let r):
            let comparisons: [BinaryOperator] = [.equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual]
            return comparisons.contains(op) && (same(l, x) || same(r, x))
        case .between(let b):
            return !b.negated && same(b.value, x)
        default:
            return false
        }
    }

    /// sqlite3ExprCompare == 0: `a` (the query's) and `b` (the index's) are the same expression.
    func same(_ a: Expr, _ b: Expr) -> Bool {
        // `x IS [NOT] NULL` and `x ISNULL`/`x NOTNULL` are one operator to sqlite3 (resolve.c rewrites IS NULL).
        if let x = notNullOperand(a), let y = notNullOperand(b) { return same(x, y) }
        if let x = isNullOperand(a), let y = isNullOperand(b) { return same(x, y) }
        switch (a.kind, b.kind) {
        case (.literal(let x), .literal(let y)):
            return x == y
        case (.column(let x), .column(let y)):
            return sameColumn(x, y)
        case (.unary(let o1, let x), .unary(let o2, let y)):
            return o1 == o2 && same(x, y)
        case (.binary(let o1, let l1, let r1), .binary(let o2, let l2, let r2)):
            return o1 == o2 && same(l1, l2) && same(r1, r2)
        case (.isNull(let x), .isNull(let y)), (.notNull(let x), .notNull(let y)):
            return same(x, y)
        case (.collate(let x, let c1), .collate(let y, let c2)):
            return namesMatch(c1.name, c2.name) && same(x, y)
        case (.cast(let x, let t1), .cast(let y, let t2)):
            return t1 == t2 && same(x, y)
        case (.between(let x), .between(let y)):
            return x.negated == y.negated && same(x.value, y.value) && same(x.low, y.low) && same(x.high, y.high)
        case (.function(let f), .function(let g)):
            guard namesMatch(f.name.name, g.name.name), f.filter == nil, g.filter == nil, f.over == nil, g.over == nil
            else { return false }
            switch (f.arguments, g.arguments) {
            case (.star, .star): return true
            case (.list(let q1, let x), .list(let q2, let y)):
                return q1 == q2 && x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
            default: return false
            }
        default:
            return false
        }
    }

    /// The query's column reference names, in its own scope, the index's column of the same table.
    private func sameColumn(_ x: ColumnReference, _ y: ColumnReference) -> Bool {
        if let q = y.table, !namesMatch(q.name, table.name) { return false }
        guard let binding = try? scope.resolveHere(x) else { return false }
        switch binding {
        case .column(let t, let c):
            guard t === term, let d = table.columns.firstIndex(where: { namesMatch($0.name, y.column.name) })
            else { return false }
            return c == d
        case .rowid(let t):
            return t === term && isRowidName(y.column.name)
                && !table.columns.contains { namesMatch($0.name, y.column.name) }
        case .expression:
            return false
        }
    }
}

private extension BinaryOperator {
    /// The operator with its operands swapped (`a < b` is `b > a`); nil for one that is not a comparison.
    var commuted: BinaryOperator? {
        switch self {
        case .equal: return .equal
        case .notEqual: return .notEqual
        case .less: return .greater
        case .greater: return .less
        case .lessEqual: return .greaterEqual
        case .greaterEqual: return .lessEqual
        default: return nil
        }
    }
}

/// The operand of a NULL test: `x ISNULL` or `x IS NULL` (`negated`: `x NOTNULL`, `x NOT NULL` or `x IS NOT NULL`).
/// swiftdb's parser keeps `x IS [NOT] NULL` as a binary IS; sqlite3's makes it ISNULL/NOTNULL
/// (binaryToUnaryIfNull), which is how the planner must read it.
func nullTestOperand(_ e: Expr, negated: Bool) -> Expr? {
    switch e.kind {
    case .notNull(let x) where negated: return x
    case .isNull(let x) where !negated: return x
    case .binary(let op, let x, let n) where op == (negated ? .isNot : .is):
        if case .literal(.null) = n.kind { return x }
        return nil
    default: return nil
    }
}
