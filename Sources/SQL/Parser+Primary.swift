// Parser+Primary: the operands of expressions, https://sqlite.org/lang_expr.html:
// literals, parameters, column references, function calls (with FILTER and OVER),
// parenthesized expressions, row values, subqueries, CAST, CASE, EXISTS, RAISE.
//
// Names follow parse.y: a column is `id` or JOIN_KW; `nm.nm[.nm]` qualifies it,
// where `nm` also takes a '…' string; a function name must be an `id` (so
// `left(1)` is a syntax error, as in SQLite). Keywords that start an operand
// (CAST, CASE, RAISE, CURRENT_TIME…) are read as such before the fallback to
// identifiers. `#NNN` parameters are refused (they exist only in nested parses).

extension Parser {
    /// An operand. This function and `parseParenthesized` are on the recursion path of
    /// nested parentheses, so they only dispatch: the work (and its temporaries, which a
    /// debug build keeps in every frame) lives in functions that return before recursing.
    mutating func parsePrimary() throws(ParseFailure) -> Expr {
        switch current.kind {
        case .leftParen: return try parseParenthesized()
        case .variable: return try parseParameter()
        case .kwCast: return try parseCast()
        case .kwCase: return try parseCase()
        case .kwExists: return try parseExists()
        case .kwRaise: return try parseRaise()
        default: return try parseLeafOrName()
        }
    }

    /// A literal, a column reference or a function call.
    mutating func parseLeafOrName() throws(ParseFailure) -> Expr {
        let token = current
        lastHeight = 1
        switch token.kind {
        case .integer, .float:
            try advance()
            return Expr(.literal(.numeric(numericLiteral(token))), range: token.range)
        case .string:
            if peek(1).kind == .dot { return try parseColumnReference() }
            try advance()
            return Expr(.literal(.string(dequote(text(of: token)))), range: token.range)
        case .blob:
            try advance()
            return Expr(.literal(.blob(blobBytes(token))), range: token.range)
        case .kwNull:
            try advance()
            return Expr(.literal(.null), range: token.range)
        case .kwCurrentTime, .kwCurrentDate, .kwCurrentTimestamp:
            try advance()
            let literal: Literal = token.kind == .kwCurrentTime ? .currentTime
                : token.kind == .kwCurrentDate ? .currentDate : .currentTimestamp
            return Expr(.literal(literal), range: token.range)
        default:
            if token.kind.isID {
                if peek(1).kind == .leftParen { return try parseFunctionCall() }
                return try parseColumnReference()
            }
            if token.kind.isJoinKeyword { return try parseColumnReference() }
            throw syntaxError()
        }
    }

    func numericLiteral(_ token: Token) -> NumericLiteral {
        let text = string(of: token)
        if token.kind == .float { return NumericLiteral(text: text, kind: .real) }
        let bytes = lexer.bytes
        let i = Int(token.start)
        let isHex = bytes[i] == UInt8(ascii: "0") && (bytes[i + 1] | 0x20) == UInt8(ascii: "x")
        return NumericLiteral(text: text, kind: isHex ? .hexInteger : .integer)
    }

    func blobBytes(_ token: Token) -> [UInt8] {
        let digits = lexer.bytes[(Int(token.start) + 2)..<(Int(token.end) - 1)]
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 2)
        var i = digits.startIndex
        while i + 1 < digits.endIndex {
            out.append(hexValue(digits[i]) << 4 | hexValue(digits[i + 1]))
            i += 2
        }
        return out
    }

    func hexValue(_ c: UInt8) -> UInt8 {
        c <= UInt8(ascii: "9") ? c &- UInt8(ascii: "0") : (c | 0x20) &- UInt8(ascii: "a") &+ 10
    }

    /// `id`, `JOIN_KW`, `nm.nm` or `nm.nm.nm`.
    mutating func parseColumnReference() throws(ParseFailure) -> Expr {
        let base = stackDepth
        let first = current
        try advance()
        guard current.kind == .dot else {
            reduce(base)
            return Expr(.column(ColumnReference(column: identifier(first))), range: first.range)
        }
        if !first.kind.isName { throw syntaxError() }
        try advance()
        let second = try parseName()
        var reference = ColumnReference(table: identifier(first), column: second)
        if current.kind == .dot {
            try advance()
            let third = try parseName()
            reference = ColumnReference(schema: identifier(first), table: second, column: third)
        }
        reduce(base)
        lastHeight = reference.schema != nil ? 3 : 2
        return Expr(.column(reference), range: SourceRange(start: first.start, end: previousEnd))
    }

    /// A bind parameter, numbered as sqlite3ExprAssignVarNumber numbers it.
    mutating func parseParameter() throws(ParseFailure) -> Expr {
        let token = current
        let bytes = text(of: token)
        let isRegister = bytes.first == UInt8(ascii: "#") && bytes.count > 1
            && Lexer.isDigit(bytes[bytes.startIndex + 1])
        try advance()
        if isRegister {
            // #N names a register in SQLite's nested parses only; elsewhere the grammar
            // action reports it as a syntax error.
            fail("near \"\(string(of: token))\": syntax error", quoting: token)
            return Expr(.parameter(Parameter(text: string(of: token), number: 0)), range: token.range)
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let limit = options.limits.variableNumber
        var number: Int
        if bytes.count == 1 {
            parameterCount += 1
            number = parameterCount
        } else if bytes.first == UInt8(ascii: "?") {
            let digits = bytes.dropFirst().drop { $0 == UInt8(ascii: "0") }
            var value = 0
            if digits.count <= 9 { for d in digits { value = value * 10 + Int(d - UInt8(ascii: "0")) } }
            if digits.count > 9 || value < 1 || value > limit {
                fail("variable number must be between ?1 and ?\(limit)", quoting: token)
                return Expr(.parameter(Parameter(text: text, number: 0)), range: token.range)
            }
            number = value
            if number > parameterCount { parameterCount = number }
            if !parameterNames.contains(where: { $0.number == number }) {
                parameterNames.append(ParameterName(number: number, name: text))
            }
        } else if let known = parameterNumbersByName[text] {
            number = known
        } else {
            parameterCount += 1
            number = parameterCount
            parameterNumbersByName[text] = number
            parameterNames.append(ParameterName(number: number, name: text))
        }
        if number > limit { fail("too many SQL variables", quoting: token) }
        return Expr(.parameter(Parameter(text: text, number: number)), range: token.range)
    }

    /// `( expr )`, `( expr, expr, … )` or `( select )`.
    mutating func parseParenthesized() throws(ParseFailure) -> Expr {
        let base = stackDepth
        let start = current.start
        try advance()
        if startsSelect(current.kind) { return try parseSubquery(base: base, start: start) }
        let first = try parseExpr()
        if current.kind == .comma { return try parseVector(first: first, base: base, start: start) }
        let height = lastHeight
        try expect(.rightParen)
        reduce(base)
        lastHeight = height
        return Expr(first.kind, range: SourceRange(start: start, end: previousEnd))
    }

    /// The rest of `( select )` after the "(".
    mutating func parseSubquery(base: Int, start: UInt32) throws(ParseFailure) -> Expr {
        let select = try parseSelect()
        let height = lastHeight + 1
        try expect(.rightParen)
        reduce(base)
        checkHeight(height)
        lastHeight = height
        return Expr(.subquery(select), range: SourceRange(start: start, end: previousEnd))
    }

    /// The rest of a row value `( first, … )` after its first term.
    mutating func parseVector(first: Expr, base: Int, start: UInt32) throws(ParseFailure) -> Expr {
        var items = [first]
        var height = lastHeight
        let listBase = stackDepth - 1
        while current.kind == .comma {
            try advance()
            items.append(try parseExpr())
            height = Swift.max(height, lastHeight)
            reduce(listBase)
        }
        try expect(.rightParen)
        reduce(base)
        height += 1
        checkHeight(height)
        lastHeight = height
        return Expr(.vector(items), range: SourceRange(start: start, end: previousEnd))
    }

    /// `CAST ( expr AS [type] )`.
    mutating func parseCast() throws(ParseFailure) -> Expr {
        let base = stackDepth
        let start = current.start
        try advance()
        try expect(.leftParen)
        let value = try parseExpr()
        let height = lastHeight + 1
        try expect(.kwAs)
        let type = try parseTypeName()
        try expect(.rightParen)
        reduce(base)
        checkHeight(height)
        lastHeight = height
        return Expr(.cast(value, type), range: SourceRange(start: start, end: previousEnd))
    }

    /// `typetoken`: `[ids… [( signed [, signed] )]]`, kept as its source text.
    mutating func parseTypeName() throws(ParseFailure) -> TypeName? {
        guard current.kind.isIDOrString else {
            try push()
            return nil
        }
        let base = stackDepth
        let start = current.start
        while current.kind.isIDOrString {
            try advance()
            reduce(base)
        }
        if current.kind == .leftParen {
            try advance()
            try parseSignedNumber()
            if current.kind == .comma {
                try advance()
                try parseSignedNumber()
            }
            try expect(.rightParen)
        }
        reduce(base)
        let range = SourceRange(start: start, end: previousEnd)
        return TypeName(text: string(range), range: range)
    }

    /// `signed`: `[+|-] INTEGER|FLOAT`.
    mutating func parseSignedNumber() throws(ParseFailure) {
        if current.kind == .plus || current.kind == .minus { try advance() }
        if current.kind != .integer && current.kind != .float { throw syntaxError() }
        try advance()
    }

    /// `CASE [operand] WHEN … THEN … [ELSE …] END`.
    mutating func parseCase() throws(ParseFailure) -> Expr {
        let base = stackDepth
        let start = current.start
        try advance()
        var operand: Expr?
        var height = 0
        if current.kind != .kwWhen {
            operand = try parseExpr()
            height = lastHeight
        } else {
            try push()
        }
        var branches: [CaseExpression.Branch] = []
        repeat {
            try expect(.kwWhen)
            let condition = try parseExpr()
            height = Swift.max(height, lastHeight)
            try expect(.kwThen)
            let result = try parseExpr()
            height = Swift.max(height, lastHeight)
            branches.append(CaseExpression.Branch(condition: condition, result: result))
            reduce(base + 2)
        } while current.kind == .kwWhen
        var elseResult: Expr?
        if current.kind == .kwElse {
            try advance()
            elseResult = try parseExpr()
            height = Swift.max(height, lastHeight)
        }
        try expect(.kwEnd)
        reduce(base)
        height += 1
        checkHeight(height)
        lastHeight = height
        let caseExpr = CaseExpression(operand: operand, branches: branches, elseResult: elseResult)
        return Expr(.caseWhen(caseExpr), range: SourceRange(start: start, end: previousEnd))
    }

    /// `EXISTS ( select )`.
    mutating func parseExists() throws(ParseFailure) -> Expr {
        let base = stackDepth
        let start = current.start
        try advance()
        try expect(.leftParen)
        let select = try parseSelect()
        let height = lastHeight + 1
        try expect(.rightParen)
        reduce(base)
        checkHeight(height)
        lastHeight = height
        return Expr(.exists(select), range: SourceRange(start: start, end: previousEnd))
    }

    /// `RAISE ( IGNORE )` or `RAISE ( ROLLBACK|ABORT|FAIL , nm )`.
    mutating func parseRaise() throws(ParseFailure) -> Expr {
        let base = stackDepth
        let start = current.start
        try advance()
        try expect(.leftParen)
        let action: RaiseAction
        var message: Identifier?
        switch current.kind {
        case .kwIgnore:
            try advance()
            action = .ignore
        case .kwRollback, .kwAbort, .kwFail:
            action = current.kind == .kwRollback ? .rollback : current.kind == .kwAbort ? .abort : .fail
            try advance()
            try expect(.comma)
            message = try parseName()
        default:
            throw syntaxError()
        }
        try expect(.rightParen)
        reduce(base)
        lastHeight = 1
        return Expr(.raise(action, message: message), range: SourceRange(start: start, end: previousEnd))
    }

    /// `id ( [DISTINCT|ALL] [args] | * ) [FILTER ( WHERE expr )] [OVER window]`.
    mutating func parseFunctionCall() throws(ParseFailure) -> Expr {
        let base = stackDepth
        let nameToken = current
        try advance()
        try advance()
        let arguments: FunctionCall.Arguments
        var height = 0
        var argumentCount = 0
        if current.kind == .star {
            try advance()
            arguments = .star
        } else {
            var quantifier: SetQuantifier?
            if current.kind == .kwDistinct || current.kind == .kwAll {
                quantifier = current.kind == .kwDistinct ? .distinct : .all
                try advance()
            } else {
                try push()
            }
            let list = try parseExprList(allowEmpty: true)
            height = lastHeight
            argumentCount = list.count
            arguments = .list(quantifier, list)
        }
        try expect(.rightParen)
        var call = FunctionCall(name: identifier(nameToken), arguments: arguments)
        if current.kind == .kwFilter {
            try advance()
            try expect(.leftParen)
            try expect(.kwWhere)
            call.filter = try parseExpr()
            height = Swift.max(height, lastHeight)
            try expect(.rightParen)
        }
        if current.kind == .kwOver {
            try advance()
            if current.kind == .leftParen {
                try advance()
                call.over = .definition(try parseWindowDefinition())
                height = Swift.max(height, lastHeight)
                try expect(.rightParen)
            } else {
                call.over = .name(try parseName())
            }
        }
        reduce(base)
        if argumentCount > options.limits.functionArguments {
            fail("too many arguments on function \(string(of: nameToken))", quoting: nameToken)
        }
        height += 1
        checkHeight(height)
        lastHeight = height
        return Expr(.function(call), range: SourceRange(start: nameToken.start, end: previousEnd))
    }
}
