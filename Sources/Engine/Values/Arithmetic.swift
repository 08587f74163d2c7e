// Arithmetic: SQLite's + - * / % and bitwise operators on values (vdbe.c OP_Add ...
// OP_Remainder, OP_BitAnd, OP_BitOr, OP_ShiftLeft, OP_ShiftRight, OP_BitNot; lang_expr.html).
//
// - NULL in, NULL out. Other operands are read through `arithmeticOperand` (text and blobs
//   become INTEGER or REAL; non-numbers are 0).
// - Two INTEGERs give an INTEGER unless the result overflows: then the operation is redone
//   in REAL. Integer division truncates; x/0 and x%0 are NULL; Int64.min / -1 goes REAL.
// - With a REAL operand the result is REAL, except that % always works on the integer
//   values of its operands and returns their remainder as a REAL. A NaN result is NULL.
// - Unary minus is `0 - x` (expr.c codes TK_UMINUS that way), so -(-9223372036854775808)
//   is the REAL 9.2233720368547758e18.
// - Bitwise operators work on `integerValue`; shifts by a negative count shift the other
//   way, counts >= 64 give 0 (or -1 for a right shift of a negative value).

import Base

/// The binary arithmetic operators.
enum ArithmeticOperator: Sendable {
    case add, subtract, multiply, divide, remainder
}

/// The arithmetic and bitwise operators (namespace).
enum Arithmetic {
    /// `lhs op rhs` with SQLite's rules (see the file header).
    static func apply(_ op: ArithmeticOperator, _ lhs: Value, _ rhs: Value) -> Value {
        if case .integer(let a) = lhs, case .integer(let b) = rhs {
            return integerResult(op, a, b) ?? realResult(op, lhs, rhs)
        }
        if lhs.isNull || rhs.isNull { return .null }
        let l = lhs.arithmeticOperand, r = rhs.arithmeticOperand
        if case .integer(let a) = l, case .integer(let b) = r {
            return integerResult(op, a, b) ?? realResult(op, lhs, rhs)
        }
        return realResult(op, lhs, rhs)
    }

    /// `lhs + rhs`.
    @inline(__always) static func add(_ lhs: Value, _ rhs: Value) -> Value { apply(.add, lhs, rhs) }
    /// `lhs - rhs`.
    @inline(__always) static func subtract(_ lhs: Value, _ rhs: Value) -> Value { apply(.subtract, lhs, rhs) }
    /// `lhs * rhs`.
    @inline(__always) static func multiply(_ lhs: Value, _ rhs: Value) -> Value { apply(.multiply, lhs, rhs) }
    /// `lhs / rhs`.
    @inline(__always) static func divide(_ lhs: Value, _ rhs: Value) -> Value { apply(.divide, lhs, rhs) }
    /// `lhs % rhs`.
    @inline(__always) static func remainder(_ lhs: Value, _ rhs: Value) -> Value { apply(.remainder, lhs, rhs) }

    /// Unary minus: `0 - x`.
    static func negate(_ x: Value) -> Value { apply(.subtract, .integer(0), x) }

    /// The INTEGER result, a `.null` for division by zero, or nil when REAL math is needed.
    @inline(__always)
    private static func integerResult(_ op: ArithmeticOperator, _ a: Int64, _ b: Int64) -> Value? {
        switch op {
        case .add:
            let (v, o) = a.addingReportingOverflow(b)
            return o ? nil : .integer(v)
        case .subtract:
            let (v, o) = a.subtractingReportingOverflow(b)
            return o ? nil : .integer(v)
        case .multiply:
            let (v, o) = a.multipliedReportingOverflow(by: b)
            return o ? nil : .integer(v)
        case .divide:
            if b == 0 { return .null }
            if b == -1 && a == Int64.min { return nil }
            return .integer(a / b)
        case .remainder:
            if b == 0 { return .null }
            return .integer(a % (b == -1 ? 1 : b))
        }
    }

    /// The fp_math path of OP_Add...OP_Remainder, on the original operands.
    private static func realResult(_ op: ArithmeticOperator, _ lhs: Value, _ rhs: Value) -> Value {
        let r: Double
        switch op {
        case .add: r = lhs.realValue + rhs.realValue
        case .subtract: r = lhs.realValue - rhs.realValue
        case .multiply: r = lhs.realValue * rhs.realValue
        case .divide:
            let d = rhs.realValue
            if d == 0 { return .null }
            r = lhs.realValue / d
        case .remainder:
            var b = rhs.integerValue
            let a = lhs.integerValue
            if b == 0 { return .null }
            if b == -1 { b = 1 }
            r = Double(a % b)
        }
        return r.isNaN ? .null : .real(r)
    }

    /// `lhs & rhs`.
    static func bitAnd(_ lhs: Value, _ rhs: Value) -> Value {
        if lhs.isNull || rhs.isNull { return .null }
        return .integer(lhs.integerValue & rhs.integerValue)
    }

    /// `lhs | rhs`.
    static func bitOr(_ lhs: Value, _ rhs: Value) -> Value {
        if lhs.isNull || rhs.isNull { return .null }
        return .integer(lhs.integerValue | rhs.integerValue)
    }

    /// `lhs << rhs`.
    static func shiftLeft(_ lhs: Value, _ rhs: Value) -> Value {
        if lhs.isNull || rhs.isNull { return .null }
        return .integer(shift(lhs.integerValue, by: rhs.integerValue, left: true))
    }

    /// `lhs >> rhs`.
    static func shiftRight(_ lhs: Value, _ rhs: Value) -> Value {
        if lhs.isNull || rhs.isNull { return .null }
        return .integer(shift(lhs.integerValue, by: rhs.integerValue, left: false))
    }

    /// `~x`.
    static func bitNot(_ x: Value) -> Value {
        if x.isNull { return .null }
        return .integer(~x.integerValue)
    }

    /// OP_ShiftLeft / OP_ShiftRight on integers.
    static func shift(_ value: Int64, by count: Int64, left: Bool) -> Int64 {
        if count == 0 { return value }
        var left = left
        var n = count
        if n < 0 {
            left.toggle()
            n = n > -64 ? -n : 64
        }
        if n >= 64 { return value >= 0 || left ? 0 : -1 }
        return left ? value << n : value >> n
    }
}
