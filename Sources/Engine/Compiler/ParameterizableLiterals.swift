// ParameterizableLiterals: the literals of a statement whose values the compiled program
// may take as data, so a program compiled for one value serves another of the same
// class (LiteralStatementCache.swift).
//
// Only places where the compiler codes the literal as a constant load and decides
// nothing from its value: a WHERE comparison (=, ==, !=, <>, <, <=, >, >=) or
// BETWEEN of a column with a literal or a concatenation of literals, reached from the
// WHERE root through AND only, in a single SELECT core, an UPDATE or a DELETE; an
// UPDATE's `SET column = literal`; the rows of INSERT … VALUES. Everywhere else a literal's value can steer the
// program (ORDER BY 2, LIMIT 0, LIKE patterns, IN lists, result column names, partial
// index WHERE clauses, constant conditions), and such literals must match exactly for
// a cached program to be used. A signed number (-5) counts as its literal.

import SQL

enum ParameterizableLiterals {
    /// The start offsets of the literal tokens of `statement` that may be parameters.
    static func offsets(in statement: Statement) -> [UInt32] {
        guard statement.explain == nil else { return [] }
        var out: [UInt32] = []
        switch statement.command {
        case .select(let s):
            guard s.with == nil, s.compounds.isEmpty, case .select(let core) = s.first else { return [] }
            if let w = core.whereClause { conditions(w, &out) }
        case .insert(let i):
            guard i.with == nil, i.upserts.isEmpty, i.returning == nil, case .select(let s) = i.source,
                  s.with == nil, s.compounds.isEmpty, s.orderBy.isEmpty, s.limit == nil,
                  case .values(let rows, _) = s.first else { return [] }
            for row in rows {
                for item in row { if let o = literalOffset(item) { out.append(o) } }
            }
        case .update(let u):
            guard u.with == nil, u.from.isEmpty, u.returning == nil, u.orderBy.isEmpty, u.limit == nil else { return [] }
            for a in u.assignments { if let o = literalOffset(a.value) { out.append(o) } }
            if let w = u.whereClause { conditions(w, &out) }
        case .delete(let d):
            guard d.with == nil, d.returning == nil, d.orderBy.isEmpty, d.limit == nil else { return [] }
            if let w = d.whereClause { conditions(w, &out) }
        default:
            return []
        }
        return out
    }

    /// The literals of column-versus-literal comparisons in an AND tree.
    private static func conditions(_ e: Expr, _ out: inout [UInt32]) {
        switch e.kind {
        case .binary(.and, let l, let r):
            conditions(l, &out)
            conditions(r, &out)
        case .binary(let op, let l, let r):
            switch op {
            case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
                if isColumn(l) { operandLiterals(r, &out) }
                if isColumn(r) { operandLiterals(l, &out) }
            default: break
            }
        case .between(let bt) where !bt.negated && isColumn(bt.value):
            operandLiterals(bt.low, &out)
            operandLiterals(bt.high, &out)
        default:
            break
        }
    }

    /// The literals of a comparison operand: a literal, or a concatenation of literals
    /// (`c BETWEEN 'x' AND 'x' || '~'`), which the program evaluates at run time and no
    /// plan decision reads. Any other operand keeps all its literals fixed.
    private static func operandLiterals(_ e: Expr, _ out: inout [UInt32]) {
        var found: [UInt32] = []
        guard concatenatedLiterals(e, &found) else { return }
        out.append(contentsOf: found)
    }

    private static func concatenatedLiterals(_ e: Expr, _ out: inout [UInt32]) -> Bool {
        if case .binary(.concat, let l, let r) = e.kind {
            return concatenatedLiterals(l, &out) && concatenatedLiterals(r, &out)
        }
        guard let o = literalOffset(e) else { return false }
        out.append(o)
        return true
    }

    private static func isColumn(_ e: Expr) -> Bool {
        guard case .column(let ref) = e.kind else { return false }
        return !(ref.table == nil && ref.column.isBooleanKeyword)
    }

    /// The token offset of a number, string or blob literal, or of a number under a unary minus.
    private static func literalOffset(_ e: Expr) -> UInt32? {
        switch e.kind {
        case .literal(.numeric), .literal(.string), .literal(.blob):
            return e.range.start
        case .unary(.negate, let x):
            if case .literal(.numeric) = x.kind { return x.range.start }
            return nil
        default:
            return nil
        }
    }
}
