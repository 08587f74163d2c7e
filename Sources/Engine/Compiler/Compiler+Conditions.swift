// Compiler+Conditions: expressions used as conditions — code that jumps on
// the truth of an expression instead of computing its value (expr.c's
// sqlite3ExprIfTrue / sqlite3ExprIfFalse). AND and OR short-circuit;
// comparisons become one compare-and-jump; `jumpIfNull` says whether a NULL
// result takes the jump (WHERE treats NULL as false, so it jumps).

import Base
import SQL

extension Compiler {
    /// Jumps to `label` when `e` is false (or NULL, if `jumpIfNull`).
    func jumpIfFalse(_ e: Expr, _ scope: Scope, _ label: Int32, jumpIfNull: Bool) throws(DBError) {
        switch e.kind {
        case .binary(.and, let l, let r):
            try jumpIfFalse(l, scope, label, jumpIfNull: jumpIfNull)
            try jumpIfFalse(r, scope, label, jumpIfNull: jumpIfNull)
        case .binary(.or, let l, let r):
            let ok = b.makeLabel()
            try jumpIfTrue(l, scope, ok, jumpIfNull: false)
            try jumpIfFalse(r, scope, label, jumpIfNull: jumpIfNull)
            b.resolve(ok)
        case .unary(.not, let x):
            try jumpIfTrue(x, scope, label, jumpIfNull: jumpIfNull)
        case .binary(let op, let x, let r) where (op == .is || op == .isNot) && isNullLiteral(r, comparedWith: x):
            // `x IS NULL` tests x alone, as the parser's binaryToUnaryIfNull makes it TK_ISNULL.
            let rx = try exprToRegister(x, scope)
            b.emit(op == .is ? .NotNull : .IsNull, rx, label)
        case .binary(let op, let l, let r) where isScalarComparison(op, l, r):
            let rl = try operandRegister(l, scope)
            let rr = try operandRegister(r, scope)
            emitComparison(negate(op), l, r, scope, lhs: rl, rhs: rr, jumpTo: label,
                           jumpIfNull: jumpIfNull && op != .is && op != .isNot)
        case .isNull(let x):
            let rx = try exprToRegister(x, scope)
            b.emit(.NotNull, rx, label)
        case .notNull(let x):
            let rx = try exprToRegister(x, scope)
            b.emit(.IsNull, rx, label)
        case .between(let bt) where !bt.negated:
            let rx = try exprToRegister(bt.value, scope)
            let lo = try operandRegister(bt.low, scope)
            emitComparison(.less, bt.value, bt.low, scope, lhs: rx, rhs: lo, jumpTo: label, jumpIfNull: jumpIfNull)
            let hi = try operandRegister(bt.high, scope)
            emitComparison(.greater, bt.value, bt.high, scope, lhs: rx, rhs: hi, jumpTo: label, jumpIfNull: jumpIfNull)
        default:
            if let v = e.constantValue {
                let t = v.truthValue(ifNull: false)
                if v.isNull {
                    if jumpIfNull { b.emit(.Goto, 0, label) }
                } else if !t {
                    b.emit(.Goto, 0, label)
                }
                return
            }
            let r = try exprToRegister(e, scope)
            b.emit(.IfNot, r, label, jumpIfNull ? 1 : 0)
        }
    }

    /// Jumps to `label` when `e` is true (or NULL, if `jumpIfNull`).
    func jumpIfTrue(_ e: Expr, _ scope: Scope, _ label: Int32, jumpIfNull: Bool) throws(DBError) {
        switch e.kind {
        case .binary(.and, let l, let r):
            let fail = b.makeLabel()
            try jumpIfFalse(l, scope, fail, jumpIfNull: !jumpIfNull)
            try jumpIfTrue(r, scope, label, jumpIfNull: jumpIfNull)
            b.resolve(fail)
        case .binary(.or, let l, let r):
            try jumpIfTrue(l, scope, label, jumpIfNull: jumpIfNull)
            try jumpIfTrue(r, scope, label, jumpIfNull: jumpIfNull)
        case .unary(.not, let x):
            try jumpIfFalse(x, scope, label, jumpIfNull: jumpIfNull)
        case .binary(let op, let x, let r) where (op == .is || op == .isNot) && isNullLiteral(r, comparedWith: x):
            let rx = try exprToRegister(x, scope)
            b.emit(op == .is ? .IsNull : .NotNull, rx, label)
        case .binary(let op, let l, let r) where isScalarComparison(op, l, r):
            let rl = try operandRegister(l, scope)
            let rr = try operandRegister(r, scope)
            emitComparison(op, l, r, scope, lhs: rl, rhs: rr, jumpTo: label,
                           jumpIfNull: jumpIfNull && op != .is && op != .isNot)
        case .isNull(let x):
            let rx = try exprToRegister(x, scope)
            b.emit(.IsNull, rx, label)
        case .notNull(let x):
            let rx = try exprToRegister(x, scope)
            b.emit(.NotNull, rx, label)
        default:
            if let v = e.constantValue {
                if v.isNull {
                    if jumpIfNull { b.emit(.Goto, 0, label) }
                } else if v.truthValue(ifNull: false) {
                    b.emit(.Goto, 0, label)
                }
                return
            }
            let r = try exprToRegister(e, scope)
            b.emit(.If, r, label, jumpIfNull ? 1 : 0)
        }
    }

    /// `r` is the literal NULL and `x` is not a row value (`(a, b) IS NULL` is an error left to the
    /// comparison's own code).
    func isNullLiteral(_ r: Expr, comparedWith x: Expr) -> Bool {
        guard case .literal(.null) = r.kind else { return false }
        if case .vector = x.kind { return false }
        return true
    }

    func isScalarComparison(_ op: BinaryOperator, _ l: Expr, _ r: Expr) -> Bool {
        switch op {
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .is, .isNot:
            if case .vector = l.kind { return false }
            if case .vector = r.kind { return false }
            return true
        default:
            return false
        }
    }
}
