// Comparison: SQL comparison operators, IS / IS NOT, and three-valued logic (vdbe.c OP_Eq ...
// OP_Ge, OP_And, OP_Or, OP_Not, OP_IsTrue; datatype3.html §4; lang_expr.html "Boolean").
//
// A comparison first applies the comparison affinity the compiler chose (`Affinity.forComparison`
// of the operands' affinities) to both operands, then orders them with `compareValues`
// (NULL < numbers < text < blob; numbers exactly; text by collation). Any NULL operand makes
// the result NULL, except for IS / IS NOT, where two NULLs are equal and one NULL is unequal.
// Truth values come from `Value.truthValue(ifNull:)`. Results are INTEGER 0/1 or NULL.
// The affinity conversions never leak: the operands are not changed.

import Base

/// The six comparison operators.
enum ComparisonOperator: Sendable {
    case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual

    /// Whether an ordering result (`compareValues` sign) satisfies this operator.
    @inline(__always)
    func holds(_ order: Int) -> Bool {
        switch self {
        case .equal: return order == 0
        case .notEqual: return order != 0
        case .less: return order < 0
        case .lessOrEqual: return order <= 0
        case .greater: return order > 0
        case .greaterOrEqual: return order >= 0
        }
    }
}

/// Comparison operators and three-valued logic (namespace).
enum Comparison {
    /// The order of `lhs` and `rhs` after applying comparison `affinity`, under `collation`;
    /// nil when either operand is NULL.
    static func order(_ lhs: Value, _ rhs: Value, affinity: Affinity, collation: Collation) -> Int? {
        if case .integer(let a) = lhs, case .integer(let b) = rhs { return a < b ? -1 : (a > b ? 1 : 0) }
        if lhs.isNull || rhs.isNull { return nil }
        if affinity == .blob || affinity == .none { return compareValues(lhs, rhs, collation: collation) }
        return compareValues(lhs.applyingComparisonAffinity(affinity), rhs.applyingComparisonAffinity(affinity),
                             collation: collation)
    }

    /// `lhs op rhs`: INTEGER 1 or 0, or NULL when either operand is NULL.
    static func evaluate(_ op: ComparisonOperator, _ lhs: Value, _ rhs: Value,
                         affinity: Affinity = .none, collation: Collation = .binary) -> Value {
        guard let order = order(lhs, rhs, affinity: affinity, collation: collation) else { return .null }
        return .integer(op.holds(order) ? 1 : 0)
    }

    /// `lhs IS rhs` (`negated`: IS NOT): never NULL.
    static func isOperator(_ lhs: Value, _ rhs: Value, negated: Bool = false,
                           affinity: Affinity = .none, collation: Collation = .binary) -> Value {
        let equal: Bool
        switch (lhs.isNull, rhs.isNull) {
        case (true, true): equal = true
        case (false, false): equal = order(lhs, rhs, affinity: affinity, collation: collation) == 0
        default: equal = false
        }
        return .integer(equal != negated ? 1 : 0)
    }

    /// The truth of a value in three-valued logic: true, false, or nil for NULL.
    @inline(__always)
    static func truth(_ v: Value) -> Bool? {
        if v.isNull { return nil }
        return v.truthValue(ifNull: false)
    }

    /// `lhs AND rhs` (OP_And): false wins over NULL.
    static func and(_ lhs: Value, _ rhs: Value) -> Value {
        let a = truth(lhs), b = truth(rhs)
        if a == false || b == false { return .integer(0) }
        if a == nil || b == nil { return .null }
        return .integer(1)
    }

    /// `lhs OR rhs` (OP_Or): true wins over NULL.
    static func or(_ lhs: Value, _ rhs: Value) -> Value {
        let a = truth(lhs), b = truth(rhs)
        if a == true || b == true { return .integer(1) }
        if a == nil || b == nil { return .null }
        return .integer(0)
    }

    /// `NOT x` (OP_Not): NULL stays NULL.
    static func not(_ x: Value) -> Value {
        guard let t = truth(x) else { return .null }
        return .integer(t ? 0 : 1)
    }

    /// `x IS TRUE` / `IS FALSE` / `IS NOT TRUE` / `IS NOT FALSE` (OP_IsTrue): `x IS TRUE` is
    /// `isTrue(x, ifNull: false, negated: false)`, `x IS FALSE` is `(ifNull: true, negated: true)`.
    static func isTrue(_ x: Value, ifNull: Bool, negated: Bool) -> Value {
        .integer(x.truthValue(ifNull: ifNull) != negated ? 1 : 0)
    }
}
