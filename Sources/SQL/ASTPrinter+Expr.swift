// ASTPrinter+Expr: expressions, with the parentheses precedence needs.
//
// An operand is parenthesized when its level (Parser+Expr.swift's table; 13 for
// primaries) is below the level its position requires: a binary operator's left
// operand needs its level, the right one its level + 1, BETWEEN's low bound 3 (no
// top-level AND or OR), prefix NOT 3, unary - + ~ 12. The chain of left operands
// (a + b + c …, x COLLATE a COLLATE b …) is walked with a loop, not recursion, so
// a tree as deep as the parser allows renders on a small stack.

extension ASTPrinter {
    /// The binding level of `expr`'s outermost operator (13 for operands that need none).
    static func level(of expr: Expr) -> Int {
        switch expr.kind {
        case .binary(let op, _, _): return level(of: op)
        case .unary(let op, _): return op == .not ? 3 : 12
        case .isNull, .notNull, .like, .between, .in: return 4
        case .collate: return 11
        default: return 13
        }
    }

    static func level(of op: BinaryOperator) -> Int {
        switch op {
        case .or: return 1
        case .and: return 2
        case .equal, .notEqual, .is, .isNot: return 4
        case .less, .lessEqual, .greater, .greaterEqual: return 5
        case .bitAnd, .bitOr, .shiftLeft, .shiftRight: return 7
        case .add, .subtract: return 8
        case .multiply, .divide, .remainder: return 9
        case .concat, .arrow, .doubleArrow: return 10
        }
    }

    static func spelling(of op: BinaryOperator) -> String {
        switch op {
        case .or: return "OR"
        case .and: return "AND"
        case .equal: return "="
        case .notEqual: return "!="
        case .is: return "IS"
        case .isNot: return "IS NOT"
        case .less: return "<"
        case .lessEqual: return "<="
        case .greater: return ">"
        case .greaterEqual: return ">="
        case .bitAnd: return "&"
        case .bitOr: return "|"
        case .shiftLeft: return "<<"
        case .shiftRight: return ">>"
        case .add: return "+"
        case .subtract: return "-"
        case .multiply: return "*"
        case .divide: return "/"
        case .remainder: return "%"
        case .concat: return "||"
        case .arrow: return "->"
        case .doubleArrow: return "->>"
        }
    }

    /// What follows an expression's leftmost operand.
    enum Suffix {
        case binary(BinaryOperator, Expr)
        case isNull, notNull
        case collate(Identifier)
        case like(LikeExpression)
        case between(BetweenExpression)
        case `in`(InExpression)
    }

    /// Splits `expr` into its left operand, the level that operand needs, and the rest.
    static func leftOperand(of expr: Expr) -> (Expr, Int, Suffix)? {
        switch expr.kind {
        case .binary(let op, let left, let right): return (left, level(of: op), .binary(op, right))
        case .isNull(let value): return (value, 4, .isNull)
        case .notNull(let value): return (value, 4, .notNull)
        case .collate(let value, let name): return (value, 11, .collate(name))
        case .like(let like): return (like.value, 4, .like(like))
        case .between(let between): return (between.value, 4, .between(between))
        case .in(let inExpr): return (inExpr.value, 4, .in(inExpr))
        default: return nil
        }
    }

    /// Appends `expr`'s SQL text.
    public mutating func write(_ expr: Expr) {
        write(expr, minLevel: 0)
    }

    mutating func write(_ expr: Expr, minLevel: Int) {
        if ASTPrinter.level(of: expr) < minLevel {
            emit("(")
            write(expr, minLevel: 0)
            emit(")")
            return
        }
        var suffixes: [Suffix] = []
        var node: Expr? = expr
        while let current = node, let (left, leftLevel, suffix) = ASTPrinter.leftOperand(of: current) {
            suffixes.append(suffix)
            if ASTPrinter.level(of: left) < leftLevel {
                emit("(")
                write(left, minLevel: 0)
                emit(")")
                node = nil
            } else {
                node = left
            }
        }
        if let operand = node { writeOperand(operand) }
        for suffix in suffixes.reversed() { write(suffix) }
    }

    mutating func write(_ suffix: Suffix) {
        switch suffix {
        case .binary(let op, let right):
            emit(" ")
            emit(ASTPrinter.spelling(of: op))
            emit(" ")
            write(right, minLevel: ASTPrinter.level(of: op) + 1)
        case .isNull: emit(" ISNULL")
        case .notNull: emit(" NOTNULL")
        case .collate(let name):
            emit(" COLLATE ")
            write(name)
        case .like(let like):
            emit(like.negated ? " NOT " : " ")
            emit(like.op.functionName.uppercased())
            emit(" ")
            write(like.pattern, minLevel: 5)
            if let escape = like.escape {
                emit(" ESCAPE ")
                write(escape, minLevel: 5)
            }
        case .between(let between):
            emit(between.negated ? " NOT BETWEEN " : " BETWEEN ")
            write(between.low, minLevel: 3)
            emit(" AND ")
            write(between.high, minLevel: 5)
        case .in(let inExpr):
            emit(inExpr.negated ? " NOT IN " : " IN ")
            write(inExpr.target)
        }
    }

    mutating func write(_ target: InExpression.Target) {
        switch target {
        case .list(let items):
            emit("(")
            list(items) { $0.write($1) }
            emit(")")
        case .select(let select):
            emit("(")
            write(select)
            emit(")")
        case .table(let name, let arguments):
            write(name)
            if let arguments {
                emit("(")
                list(arguments) { $0.write($1) }
                emit(")")
            }
        }
    }

    /// An expression that is not an operator applied to a left operand.
    mutating func writeOperand(_ expr: Expr) {
        switch expr.kind {
        case .literal(let literal): write(literal)
        case .parameter(let parameter): emit(parameter.text)
        case .column(let column):
            if let schema = column.schema {
                write(schema)
                emit(".")
            }
            if let table = column.table {
                write(table)
                emit(".")
            }
            write(column.column)
        case .unary(let op, let operand): writeUnary(op, operand)
        case .exists(let select):
            emit("EXISTS (")
            write(select)
            emit(")")
        case .subquery(let select):
            emit("(")
            write(select)
            emit(")")
        case .function(let call): write(call)
        case .cast(let value, let type):
            emit("CAST(")
            write(value)
            emit(" AS")
            if let type {
                emit(" ")
                emit(type.text)
            }
            emit(")")
        case .caseWhen(let caseExpr): write(caseExpr)
        case .vector(let items):
            emit("(")
            list(items) { $0.write($1) }
            emit(")")
        case .raise(let action, let message): writeRaise(action, message)
        case .binary, .isNull, .notNull, .like, .between, .in, .collate:
            write(expr, minLevel: 0)
        }
    }

    mutating func writeUnary(_ op: UnaryOperator, _ operand: Expr) {
        switch op {
        case .not:
            emit("NOT ")
            write(operand, minLevel: 3)
        case .negate, .plus, .bitNot:
            emit(op == .negate ? "-" : op == .plus ? "+" : "~")
            let mark = bytes.count
            write(operand, minLevel: 12)
            // "--" would start a comment.
            if op == .negate && mark < bytes.count && bytes[mark] == UInt8(ascii: "-") {
                bytes.insert(UInt8(ascii: " "), at: mark)
            }
        }
    }

    mutating func writeRaise(_ action: RaiseAction, _ message: Identifier?) {
        switch action {
        case .ignore: emit("RAISE(IGNORE")
        case .rollback: emit("RAISE(ROLLBACK")
        case .abort: emit("RAISE(ABORT")
        case .fail: emit("RAISE(FAIL")
        }
        if let message {
            emit(", ")
            write(message)
        }
        emit(")")
    }

    mutating func write(_ literal: Literal) {
        switch literal {
        case .null: emit("NULL")
        case .numeric(let number): emit(number.text)
        case .string(let text): quoted(text, quote: UInt8(ascii: "'"))
        case .blob(let data):
            emit("X'")
            let digits = Array("0123456789ABCDEF".utf8)
            for byte in data {
                emit(digits[Int(byte >> 4)])
                emit(digits[Int(byte & 15)])
            }
            emit("'")
        case .currentTime: emit("CURRENT_TIME")
        case .currentDate: emit("CURRENT_DATE")
        case .currentTimestamp: emit("CURRENT_TIMESTAMP")
        }
    }

    mutating func write(_ call: FunctionCall) {
        write(call.name)
        emit("(")
        switch call.arguments {
        case .star: emit("*")
        case .list(let quantifier, let arguments):
            switch quantifier {
            case .distinct: emit(arguments.isEmpty ? "DISTINCT" : "DISTINCT ")
            case .all: emit(arguments.isEmpty ? "ALL" : "ALL ")
            case nil: break
            }
            list(arguments) { $0.write($1) }
        }
        emit(")")
        if let filter = call.filter {
            emit(" FILTER (WHERE ")
            write(filter)
            emit(")")
        }
        switch call.over {
        case .name(let name)?:
            emit(" OVER ")
            write(name)
        case .definition(let definition)?:
            emit(" OVER (")
            write(definition)
            emit(")")
        case nil: break
        }
    }

    mutating func write(_ caseExpr: CaseExpression) {
        emit("CASE")
        if let operand = caseExpr.operand {
            emit(" ")
            write(operand)
        }
        for branch in caseExpr.branches {
            emit(" WHEN ")
            write(branch.condition)
            emit(" THEN ")
            write(branch.result)
        }
        if let elseResult = caseExpr.elseResult {
            emit(" ELSE ")
            write(elseResult)
        }
        emit(" END")
    }
}
