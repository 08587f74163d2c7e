// Expr+Equality: structural equality and hashing of expressions, on a small stack.
//
// Equality ignores source ranges (see SourceRange). Expressions nest as deep as the
// parser allows: 1000 levels along left operands (a + b + c …) and about 100
// levels of prefix operators or CASTs. Synthesized conformances would recurse once
// per level through a function whose debug-build frame holds every case's
// payload (8 KB), so instead: every node with one expression child that continues
// the chain (operators, CAST, COLLATE, IS NULL …) is walked in a loop, and each
// other case is compared by its own small function. Invariant: `step` binds no
// payload itself; only the per-case functions do.

extension Expr {
    public static func == (lhs: Expr, rhs: Expr) -> Bool {
        var a = lhs
        var b = rhs
        while true {
            switch step(a.kind, b.kind) {
            case .equal: return true
            case .unequal: return false
            case .next(let x, let y):
                a = x
                b = y
            }
        }
    }

    public func hash(into hasher: inout Hasher) {
        var node = self
        while let next = Expr.hashStep(node.kind, into: &hasher) { node = next }
    }

    enum Comparison {
        case equal, unequal
        /// Equal so far; compare these next.
        case next(Expr, Expr)
    }

    static func step(_ a: Kind, _ b: Kind) -> Comparison {
        switch (a, b) {
        case (.binary, .binary): return binaryStep(a, b)
        case (.unary, .unary): return unaryStep(a, b)
        case (.isNull, .isNull), (.notNull, .notNull): return nullTestStep(a, b)
        case (.collate, .collate): return collateStep(a, b)
        case (.like, .like): return likeStep(a, b)
        case (.between, .between): return betweenStep(a, b)
        case (.in, .in): return inStep(a, b)
        case (.cast, .cast): return castStep(a, b)
        case (.literal, .literal), (.parameter, .parameter), (.column, .column), (.raise, .raise):
            return leafStep(a, b)
        case (.exists, .exists), (.subquery, .subquery): return selectStep(a, b)
        case (.function, .function): return functionStep(a, b)
        case (.caseWhen, .caseWhen): return caseStep(a, b)
        case (.vector, .vector): return vectorStep(a, b)
        default: return .unequal
        }
    }

    static func binaryStep(_ a: Kind, _ b: Kind) -> Comparison {
        guard case let .binary(op1, left1, right1) = a, case let .binary(op2, left2, right2) = b,
              op1 == op2, right1 == right2 else { return .unequal }
        return .next(left1, left2)
    }

    static func unaryStep(_ a: Kind, _ b: Kind) -> Comparison {
        guard case let .unary(op1, operand1) = a, case let .unary(op2, operand2) = b, op1 == op2 else {
            return .unequal
        }
        return .next(operand1, operand2)
    }

    static func nullTestStep(_ a: Kind, _ b: Kind) -> Comparison {
        switch (a, b) {
        case let (.isNull(x), .isNull(y)), let (.notNull(x), .notNull(y)): return .next(x, y)
        default: return .unequal
        }
    }

    static func collateStep(_ a: Kind, _ b: Kind) -> Comparison {
        guard case let .collate(x, name1) = a, case let .collate(y, name2) = b, name1 == name2 else {
            return .unequal
        }
        return .next(x, y)
    }

    static func likeStep(_ a: Kind, _ b: Kind) -> Comparison {
        guard case let .like(x) = a, case let .like(y) = b, x.op == y.op, x.negated == y.negated,
              x.pattern == y.pattern, x.escape == y.escape else { return .unequal }
        return .next(x.value, y.value)
    }

    static func betweenStep(_ a: Kind, _ b: Kind) -> Comparison {
        guard case let .between(x) = a, case let .between(y) = b, x.negated == y.negated, x.low == y.low,
              x.high == y.high else { return .unequal }
        return .next(x.value, y.value)
    }

    static func inStep(_ a: Kind, _ b: Kind) -> Comparison {
        guard case let .in(x) = a, case let .in(y) = b, x.negated == y.negated, x.target == y.target else {
            return .unequal
        }
        return .next(x.value, y.value)
    }

    static func castStep(_ a: Kind, _ b: Kind) -> Comparison {
        guard case let .cast(x, type1) = a, case let .cast(y, type2) = b, type1 == type2 else { return .unequal }
        return .next(x, y)
    }

    static func leafStep(_ a: Kind, _ b: Kind) -> Comparison {
        switch (a, b) {
        case let (.literal(x), .literal(y)): return x == y ? .equal : .unequal
        case let (.parameter(x), .parameter(y)): return x == y ? .equal : .unequal
        case let (.column(x), .column(y)): return x == y ? .equal : .unequal
        case let (.raise(x, m1), .raise(y, m2)): return x == y && m1 == m2 ? .equal : .unequal
        default: return .unequal
        }
    }

    static func selectStep(_ a: Kind, _ b: Kind) -> Comparison {
        switch (a, b) {
        case let (.exists(x), .exists(y)), let (.subquery(x), .subquery(y)): return x == y ? .equal : .unequal
        default: return .unequal
        }
    }

    static func functionStep(_ a: Kind, _ b: Kind) -> Comparison {
        guard case let .function(x) = a, case let .function(y) = b else { return .unequal }
        return x == y ? .equal : .unequal
    }

    static func caseStep(_ a: Kind, _ b: Kind) -> Comparison {
        guard case let .caseWhen(x) = a, case let .caseWhen(y) = b else { return .unequal }
        return x == y ? .equal : .unequal
    }

    static func vectorStep(_ a: Kind, _ b: Kind) -> Comparison {
        guard case let .vector(x) = a, case let .vector(y) = b else { return .unequal }
        return x == y ? .equal : .unequal
    }

    /// Hashes what `kind` holds besides its chain child, and returns that child.
    static func hashStep(_ kind: Kind, into hasher: inout Hasher) -> Expr? {
        switch kind {
        case .binary, .unary, .isNull, .notNull, .collate, .cast: return hashChain(kind, into: &hasher)
        case .like, .between, .in: return hashPredicate(kind, into: &hasher)
        default:
            hashLeaf(kind, into: &hasher)
            return nil
        }
    }

    static func hashChain(_ kind: Kind, into hasher: inout Hasher) -> Expr? {
        switch kind {
        case let .binary(op, left, right):
            hasher.combine(0 as UInt8)
            hasher.combine(op)
            hasher.combine(right)
            return left
        case let .unary(op, operand):
            hasher.combine(1 as UInt8)
            hasher.combine(op)
            return operand
        case let .isNull(value):
            hasher.combine(2 as UInt8)
            return value
        case let .notNull(value):
            hasher.combine(3 as UInt8)
            return value
        case let .collate(value, name):
            hasher.combine(4 as UInt8)
            hasher.combine(name)
            return value
        case let .cast(value, type):
            hasher.combine(5 as UInt8)
            hasher.combine(type)
            return value
        default:
            return nil
        }
    }

    static func hashPredicate(_ kind: Kind, into hasher: inout Hasher) -> Expr? {
        switch kind {
        case let .like(like):
            hasher.combine(6 as UInt8)
            hasher.combine(like.op)
            hasher.combine(like.negated)
            hasher.combine(like.pattern)
            hasher.combine(like.escape)
            return like.value
        case let .between(between):
            hasher.combine(7 as UInt8)
            hasher.combine(between.negated)
            hasher.combine(between.low)
            hasher.combine(between.high)
            return between.value
        case let .in(inExpr):
            hasher.combine(8 as UInt8)
            hasher.combine(inExpr.negated)
            hasher.combine(inExpr.target)
            return inExpr.value
        default:
            return nil
        }
    }

    static func hashLeaf(_ kind: Kind, into hasher: inout Hasher) {
        switch kind {
        case let .literal(x): hasher.combine(x)
        case let .parameter(x): hasher.combine(x)
        case let .column(x): hasher.combine(x)
        case let .exists(x):
            hasher.combine(9 as UInt8)
            hasher.combine(x)
        case let .subquery(x): hasher.combine(x)
        case let .function(x): hasher.combine(x)
        case let .caseWhen(x): hasher.combine(x)
        case let .vector(x): hasher.combine(x)
        case let .raise(x, message):
            hasher.combine(x)
            hasher.combine(message)
        default: break
        }
    }
}

extension Expr.Kind {
    public static func == (a: Expr.Kind, b: Expr.Kind) -> Bool { Expr(a) == Expr(b) }

    public func hash(into hasher: inout Hasher) { Expr(self).hash(into: &hasher) }
}
