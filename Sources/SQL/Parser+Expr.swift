// Parser+Expr: expressions, https://sqlite.org/lang_expr.html, by precedence climbing.
//
// Levels are parse.y's %left/%right lines, low to high: OR 1, AND 2, NOT 3,
// IS/MATCH/LIKE/BETWEEN/IN/ISNULL/NOTNULL/=/!= 4, </<=/>/>= 5, ESCAPE 6,
// &/|/<</>> 7, +/- 8, */'/'/% 9, ||/-> 10, COLLATE 11, unary ~ - + 12.
// Binary operators are left-associative (the right operand binds above the
// operator's level); an operator token is taken only when its own level reaches
// the caller's minimum, which is how the LALR parser resolves its shift/reduce
// choices (a NOT after an expression is gated at level 3 even when it begins NOT
// IN/LIKE/BETWEEN). BETWEEN's low bound takes every operator but a top-level AND.
// Invariant: after an expression parser returns, `lastHeight` is its tree height.

extension Parser {
    /// A full expression (`expr`); its height counts toward the enclosing SELECT's.
    mutating func parseExpr() throws(ParseFailure) -> Expr {
        let expr = try parseExpr(minLevel: 1)
        if lastHeight > selectHeight { selectHeight = lastHeight }
        return expr
    }

    /// The binding level of an operator token after an expression; 0 when it is none.
    static func operatorLevel(_ kind: TokenKind) -> Int {
        switch kind {
        case .kwOr: return 1
        case .kwAnd: return 2
        case .kwNot: return 3
        case .kwIs, .kwMatch, .kwLike, .kwGlob, .kwRegexp, .kwBetween, .kwIn, .kwIsnull, .kwNotnull,
             .notEqual, .equal: return 4
        case .greater, .lessEqual, .less, .greaterEqual: return 5
        case .ampersand, .pipe, .shiftLeft, .shiftRight: return 7
        case .plus, .minus: return 8
        case .star, .slash, .percent: return 9
        case .concat, .arrow: return 10
        case .kwCollate: return 11
        default: return 0
        }
    }

    /// An expression whose operators all bind at `minLevel` or above. With `stopAtAnd`,
    /// a top-level AND ends it (BETWEEN's low bound).
    mutating func parseExpr(minLevel: Int, stopAtAnd: Bool = false) throws(ParseFailure) -> Expr {
        let base = stackDepth
        var lhs = try parseUnary()
        var height = lastHeight
        while true {
            let kind = current.kind
            let level = Parser.operatorLevel(kind)
            if level == 0 || level < minLevel || (stopAtAnd && kind == .kwAnd) { break }
            lhs = try parseOperator(after: lhs, height: &height, level: level)
            reduce(base)
        }
        lastHeight = height
        return lhs
    }

    /// Records that a node of height `height` was built; too high is SQLite's error.
    @inline(__always) mutating func checkHeight(_ height: Int) {
        if height > options.limits.exprDepth {
            fail("Expression tree is too large (maximum depth \(options.limits.exprDepth))")
        }
    }

    func binaryOperator(_ kind: TokenKind) -> BinaryOperator? {
        switch kind {
        case .kwOr: return .or
        case .kwAnd: return .and
        case .equal: return .equal
        case .notEqual: return .notEqual
        case .less: return .less
        case .lessEqual: return .lessEqual
        case .greater: return .greater
        case .greaterEqual: return .greaterEqual
        case .ampersand: return .bitAnd
        case .pipe: return .bitOr
        case .shiftLeft: return .shiftLeft
        case .shiftRight: return .shiftRight
        case .plus: return .add
        case .minus: return .subtract
        case .star: return .multiply
        case .slash: return .divide
        case .percent: return .remainder
        case .concat: return .concat
        default: return nil
        }
    }

    /// One infix or postfix operator applied to `lhs`; updates `height`.
    mutating func parseOperator(after lhs: Expr, height: inout Int, level: Int) throws(ParseFailure) -> Expr {
        let token = current
        if let op = binaryOperator(token.kind) {
            try advance()
            let rhs = try parseExpr(minLevel: level + 1)
            height = Swift.max(height, lastHeight) + 1
            checkHeight(height)
            return Expr(.binary(op, lhs, rhs), range: lhs.range.union(rhs.range))
        }
        switch token.kind {
        case .arrow:
            try advance()
            let rhs = try parseExpr(minLevel: level + 1)
            height = Swift.max(height, lastHeight) + 1
            checkHeight(height)
            let op: BinaryOperator = token.length == 3 ? .doubleArrow : .arrow
            return Expr(.binary(op, lhs, rhs), range: lhs.range.union(rhs.range))
        case .kwIs: return try parseIs(after: lhs, height: &height)
        case .kwIsnull, .kwNotnull:
            try advance()
            height += 1
            checkHeight(height)
            let range = SourceRange(start: lhs.range.start, end: token.end)
            return Expr(token.kind == .kwIsnull ? .isNull(lhs) : .notNull(lhs), range: range)
        case .kwNot: return try parseNegatedOperator(after: lhs, height: &height)
        case .kwLike, .kwGlob, .kwRegexp, .kwMatch:
            try advance()
            return try parseLike(after: lhs, op: token.kind, negated: false, height: &height)
        case .kwBetween:
            try advance()
            return try parseBetween(after: lhs, negated: false, height: &height)
        case .kwIn:
            try advance()
            return try parseIn(after: lhs, negated: false, height: &height)
        case .kwCollate:
            try advance()
            let name = try parseIDOrString()
            height += 1
            checkHeight(height)
            return Expr(.collate(lhs, name), range: SourceRange(start: lhs.range.start, end: name.range.end))
        default:
            throw syntaxError()
        }
    }

    /// `IS [NOT] [DISTINCT FROM] expr`.
    mutating func parseIs(after lhs: Expr, height: inout Int) throws(ParseFailure) -> Expr {
        try advance()
        var op = BinaryOperator.is
        if current.kind == .kwNot {
            try advance()
            op = .isNot
        }
        if current.kind == .kwDistinct {
            try advance()
            try expect(.kwFrom)
            op = op == .is ? .isNot : .is
        }
        let rhs = try parseExpr(minLevel: 5)
        height = Swift.max(height, lastHeight) + 1
        checkHeight(height)
        return Expr(.binary(op, lhs, rhs), range: lhs.range.union(rhs.range))
    }

    /// NOT after an expression: NOT NULL, NOT LIKE/GLOB/REGEXP/MATCH, NOT BETWEEN, NOT IN.
    mutating func parseNegatedOperator(after lhs: Expr, height: inout Int) throws(ParseFailure) -> Expr {
        try advance()
        let token = current
        switch token.kind {
        case .kwNull:
            try advance()
            height += 1
            checkHeight(height)
            return Expr(.notNull(lhs), range: SourceRange(start: lhs.range.start, end: token.end))
        case .kwLike, .kwGlob, .kwRegexp, .kwMatch:
            try advance()
            return try parseLike(after: lhs, op: token.kind, negated: true, height: &height)
        case .kwBetween:
            try advance()
            return try parseBetween(after: lhs, negated: true, height: &height)
        case .kwIn:
            try advance()
            return try parseIn(after: lhs, negated: true, height: &height)
        default:
            throw syntaxError()
        }
    }

    /// The rest of `lhs [NOT] LIKE pattern [ESCAPE escape]` (SQLite: a function call).
    mutating func parseLike(after lhs: Expr, op kind: TokenKind, negated: Bool, height: inout Int)
        throws(ParseFailure) -> Expr {
        let op: LikeOperator
        switch kind {
        case .kwLike: op = .like
        case .kwGlob: op = .glob
        case .kwRegexp: op = .regexp
        default: op = .match
        }
        let pattern = try parseExpr(minLevel: 5)
        height = Swift.max(height, lastHeight)
        var escape: Expr?
        if current.kind == .kwEscape {
            try advance()
            escape = try parseExpr(minLevel: 5)
            height = Swift.max(height, lastHeight)
        }
        height += negated ? 2 : 1
        checkHeight(height)
        let end = (escape ?? pattern).range
        let like = LikeExpression(op: op, negated: negated, value: lhs, pattern: pattern, escape: escape)
        return Expr(.like(like), range: lhs.range.union(end))
    }

    /// The rest of `lhs [NOT] BETWEEN low AND high`.
    mutating func parseBetween(after lhs: Expr, negated: Bool, height: inout Int) throws(ParseFailure) -> Expr {
        let low = try parseExpr(minLevel: 1, stopAtAnd: true)
        height = Swift.max(height, lastHeight)
        try expect(.kwAnd)
        let high = try parseExpr(minLevel: 5)
        height = Swift.max(height, lastHeight) + (negated ? 2 : 1)
        checkHeight(height)
        let between = BetweenExpression(negated: negated, value: lhs, low: low, high: high)
        return Expr(.between(between), range: lhs.range.union(high.range))
    }

    /// The rest of `lhs [NOT] IN (list) | (select) | [schema.]table[(args)]`.
    mutating func parseIn(after lhs: Expr, negated: Bool, height: inout Int) throws(ParseFailure) -> Expr {
        let target: InExpression.Target
        if current.kind == .leftParen {
            try advance()
            if startsSelect(current.kind) {
                target = .select(try parseSelect())
                height = Swift.max(height, lastHeight)
            } else {
                let list = try parseExprList(allowEmpty: true)
                height = Swift.max(height, lastHeight)
                target = .list(list)
            }
            try expect(.rightParen)
            if case .list(let items) = target, case .vector(let terms) = lhs.kind { checkRowValues(items, terms.count) }
        } else {
            let name = try parseNameWithSchema()
            var arguments: [Expr]?
            if current.kind == .leftParen {
                try advance()
                arguments = try parseExprList(allowEmpty: true)
                height = Swift.max(height, lastHeight)
                try expect(.rightParen)
            }
            target = .table(name, arguments: arguments)
        }
        height += negated ? 2 : 1
        checkHeight(height)
        let range = SourceRange(start: lhs.range.start, end: previousEnd)
        return Expr(.in(InExpression(negated: negated, value: lhs, target: target)), range: range)
    }

    /// `(a, b) IN ((1, 2), …)`: each element must have as many terms as the row value
    /// (sqlite3ExprListToValues).
    mutating func checkRowValues(_ items: [Expr], _ expected: Int) {
        for item in items {
            var count = 1
            if case .vector(let terms) = item.kind { count = terms.count }
            if count != expected {
                fail("IN(...) element has \(count) term\(count > 1 ? "s" : "") - expected \(expected)")
                return
            }
        }
    }

    /// True for the tokens a `select` can start with.
    @inline(__always) func startsSelect(_ kind: TokenKind) -> Bool {
        kind == .kwSelect || kind == .kwValues || kind == .kwWith
    }

    /// `exprlist` (`allowEmpty`) or `nexprlist`; `lastHeight` is the largest item height.
    mutating func parseExprList(allowEmpty: Bool) throws(ParseFailure) -> [Expr] {
        if allowEmpty && current.kind == .rightParen {
            try push()  // exprlist ::= .
            lastHeight = 0
            return []
        }
        let base = stackDepth
        var list = [try parseExpr()]
        var height = lastHeight
        while current.kind == .comma {
            try advance()
            list.append(try parseExpr())
            height = Swift.max(height, lastHeight)
            reduce(base)
        }
        reduce(base)
        lastHeight = height
        return list
    }

    /// Prefix operators, then a primary expression.
    mutating func parseUnary() throws(ParseFailure) -> Expr {
        let token = current
        let op: UnaryOperator
        let level: Int
        switch token.kind {
        case .kwNot: (op, level) = (.not, 3)
        case .tilde: (op, level) = (.bitNot, 12)
        case .plus: (op, level) = (.plus, 12)
        case .minus: (op, level) = (.negate, 12)
        default: return try parsePrimary()
        }
        let base = stackDepth
        try advance()
        let operand = try parseExpr(minLevel: level)
        reduce(base)
        lastHeight += 1
        checkHeight(lastHeight)
        return Expr(.unary(op, operand), range: SourceRange(start: token.start, end: operand.range.end))
    }
}
