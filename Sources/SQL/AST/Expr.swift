// Expr: an SQL expression, https://sqlite.org/lang_expr.html.
//
// One case per operator family of SQLite's grammar (parse.y, "Expression
// Processing"). Parentheses leave no node of their own (the parser encodes
// grouping in the tree; the printer re-adds the ones precedence needs). The AST
// keeps what was written and leaves SQLite's rewrites to the compiler: `x IS
// NULL` stays a binary IS, `x IN (1)` stays an IN list, `a IS NOT DISTINCT FROM
// b` is stored as `a IS b`, and `->`/`->>` are binary operators (function calls
// named "->"/"->>" in SQLite). Invariant: a tree is at most `maxExprDepth` deep
// (the parser rejects deeper ones), so recursive walks are bounded.

/// An expression and the source range it was read from (parentheses included).
public struct Expr: Sendable, Hashable {
    public var kind: Kind
    public var range: SourceRange

    public init(_ kind: Kind, range: SourceRange = .empty(at: 0)) {
        self.kind = kind
        self.range = range
    }

    public indirect enum Kind: Sendable, Hashable {
        /// NULL, a number, a string, a blob, or CURRENT_TIME/DATE/TIMESTAMP.
        case literal(Literal)
        /// `?`, `?NNN`, `:name`, `@name`, `#name`, `$name`.
        case parameter(Parameter)
        /// `[[schema.]table.]column`; also TRUE/FALSE and double-quoted strings, which
        /// the compiler resolves (see `Identifier`).
        case column(ColumnReference)
        /// `-x`, `+x`, `~x`, `NOT x`.
        case unary(UnaryOperator, Expr)
        /// `x op y` for the binary operators, IS and IS NOT included.
        case binary(BinaryOperator, Expr, Expr)
        /// `x ISNULL`.
        case isNull(Expr)
        /// `x NOTNULL` or `x NOT NULL`.
        case notNull(Expr)
        /// `x [NOT] LIKE|GLOB|REGEXP|MATCH y [ESCAPE z]`.
        case like(LikeExpression)
        /// `x [NOT] BETWEEN low AND high`.
        case between(BetweenExpression)
        /// `x [NOT] IN (…)`, `x [NOT] IN (SELECT …)`, `x [NOT] IN [schema.]table[(args)]`.
        case `in`(InExpression)
        /// `EXISTS (SELECT …)` (NOT EXISTS is `.unary(.not, .exists)`).
        case exists(Select)
        /// `(SELECT …)`, a scalar subquery.
        case subquery(Select)
        /// A function call, with DISTINCT, `*`, FILTER and OVER.
        case function(FunctionCall)
        /// `CAST(x AS type)`; the type may be empty (`CAST(x AS)`).
        case cast(Expr, TypeName?)
        /// `CASE [x] WHEN … THEN … [ELSE …] END`.
        case caseWhen(CaseExpression)
        /// `x COLLATE name`.
        case collate(Expr, Identifier)
        /// A row value `(a, b, …)` of two or more terms.
        case vector([Expr])
        /// `RAISE(IGNORE)` or `RAISE(ROLLBACK|ABORT|FAIL, message)`.
        case raise(RaiseAction, message: Identifier?)
    }
}

/// A literal value as written.
public enum Literal: Sendable, Hashable {
    case null
    /// An integer (decimal or hex) or a real, with its token text.
    case numeric(NumericLiteral)
    /// A '…' string's bytes, quotes removed and '' undone; invalid UTF-8 is kept as is.
    case string([UInt8])
    /// An X'…' blob's bytes.
    case blob([UInt8])
    case currentTime, currentDate, currentTimestamp
}

/// A number's token text and class; the engine converts it (sqlite3DecOrHexToI64,
/// sqlite3AtoF), so `-9223372036854775808` and out-of-range hex are its decisions.
public struct NumericLiteral: Sendable, Hashable {
    public enum Kind: UInt8, Sendable, Hashable {
        /// Decimal digits only: `42`.
        case integer
        /// `0x…`.
        case hexInteger
        /// With a '.' or an exponent: `1.5`, `.5`, `1e10`.
        case real
    }

    public var text: String
    public var kind: Kind

    public init(text: String, kind: Kind) {
        self.text = text
        self.kind = kind
    }
}

/// A bind parameter and the number SQLite assigns it (sqlite3ExprAssignVarNumber):
/// `?` takes the next number, `?NNN` is NNN, a name reuses its first number.
public struct Parameter: Sendable, Hashable {
    /// The token as written: `?`, `?3`, `:name`, `$a::b(c)`.
    public var text: String
    /// 1-based parameter index.
    public var number: Int

    public init(text: String, number: Int) {
        self.text = text
        self.number = number
    }

    /// The parameter's name (`sqlite3_bind_parameter_name`), nil for a bare `?`.
    public var name: String? { text == "?" ? nil : text }
}

/// `[[schema.]table.]column`.
public struct ColumnReference: Sendable, Hashable {
    public var schema: Identifier?
    public var table: Identifier?
    public var column: Identifier

    public init(schema: Identifier? = nil, table: Identifier? = nil, column: Identifier) {
        self.schema = schema
        self.table = table
        self.column = column
    }
}

public enum UnaryOperator: UInt8, Sendable, Hashable {
    /// `-x`
    case negate
    /// `+x`
    case plus
    /// `~x`
    case bitNot
    /// `NOT x`
    case not
}

public enum BinaryOperator: UInt8, Sendable, Hashable {
    case or, and
    /// `=` or `==`
    case equal
    /// `!=` or `<>`
    case notEqual
    /// `IS`, `IS NOT DISTINCT FROM`
    case `is`
    /// `IS NOT`, `IS DISTINCT FROM`
    case isNot
    case less, lessEqual, greater, greaterEqual
    case bitAnd, bitOr, shiftLeft, shiftRight
    case add, subtract, multiply, divide, remainder
    /// `||`
    case concat
    /// `->` (JSON extract returning JSON)
    case arrow
    /// `->>` (JSON extract returning an SQL value)
    case doubleArrow
}

public enum LikeOperator: UInt8, Sendable, Hashable {
    case like, glob, regexp, match

    /// The function SQLite calls for the operator.
    public var functionName: String {
        switch self {
        case .like: return "like"
        case .glob: return "glob"
        case .regexp: return "regexp"
        case .match: return "match"
        }
    }
}

/// `value [NOT] op pattern [ESCAPE escape]`.
public struct LikeExpression: Sendable, Hashable {
    public var op: LikeOperator
    public var negated: Bool
    public var value: Expr
    public var pattern: Expr
    public var escape: Expr?

    public init(op: LikeOperator, negated: Bool, value: Expr, pattern: Expr, escape: Expr?) {
        self.op = op
        self.negated = negated
        self.value = value
        self.pattern = pattern
        self.escape = escape
    }
}

/// `value [NOT] BETWEEN low AND high`.
public struct BetweenExpression: Sendable, Hashable {
    public var negated: Bool
    public var value: Expr
    public var low: Expr
    public var high: Expr

    public init(negated: Bool, value: Expr, low: Expr, high: Expr) {
        self.negated = negated
        self.value = value
        self.low = low
        self.high = high
    }
}

/// `value [NOT] IN target`.
public struct InExpression: Sendable, Hashable {
    public enum Target: Sendable, Hashable {
        /// `(e1, e2, …)`, possibly empty.
        case list([Expr])
        /// `(SELECT …)`
        case select(Select)
        /// `[schema.]table` or a table-valued function `[schema.]name(args)`.
        case table(QualifiedName, arguments: [Expr]?)
    }

    public var negated: Bool
    public var value: Expr
    public var target: Target

    public init(negated: Bool, value: Expr, target: Target) {
        self.negated = negated
        self.value = value
        self.target = target
    }
}

/// DISTINCT or ALL, in a SELECT or inside an aggregate's parentheses.
public enum SetQuantifier: UInt8, Sendable, Hashable {
    case distinct, all
}

/// A function call: `name(args) [FILTER (WHERE …)] [OVER …]`.
public struct FunctionCall: Sendable, Hashable {
    public enum Arguments: Sendable, Hashable {
        /// `f(*)`
        case star
        /// `f([DISTINCT|ALL] e1, …)`; the list may be empty.
        case list(SetQuantifier?, [Expr])
    }

    public var name: Identifier
    public var arguments: Arguments
    public var filter: Expr?
    public var over: WindowReference?

    public init(name: Identifier, arguments: Arguments, filter: Expr? = nil, over: WindowReference? = nil) {
        self.name = name
        self.arguments = arguments
        self.filter = filter
        self.over = over
    }
}

/// What follows OVER: a window name or a parenthesized window definition.
public enum WindowReference: Sendable, Hashable {
    case name(Identifier)
    case definition(WindowDefinition)
}

/// `CASE [operand] WHEN … THEN … … [ELSE …] END`.
public struct CaseExpression: Sendable, Hashable {
    public struct Branch: Sendable, Hashable {
        public var condition: Expr
        public var result: Expr

        public init(condition: Expr, result: Expr) {
            self.condition = condition
            self.result = result
        }
    }

    public var operand: Expr?
    public var branches: [Branch]
    public var elseResult: Expr?

    public init(operand: Expr?, branches: [Branch], elseResult: Expr?) {
        self.operand = operand
        self.branches = branches
        self.elseResult = elseResult
    }
}

/// A type name as written (`VARCHAR(10)`, `unsigned big int`): SQLite keeps the raw
/// text from the first to the last token, and derives affinity from it
/// (https://sqlite.org/datatype3.html#determination_of_column_affinity).
public struct TypeName: Sendable, Hashable {
    /// The source text of the type, from its first token to its last (inner spacing and
    /// comments included, as SQLite stores it).
    public var text: String
    public var range: SourceRange

    public init(text: String, range: SourceRange = .empty(at: 0)) {
        self.text = text
        self.range = range
    }

    /// The declared type of a column as SQLite records it (sqlite3AddColumn): `text`
    /// without a trailing "GENERATED ALWAYS" (or "ALWAYS") that the grammar's
    /// keyword fallback folded into the type name.
    public var declaredType: String {
        var bytes = Array(text.utf8)
        guard bytes.count >= 16, endsWith(bytes, "always") else { return text }
        bytes.removeLast(6)
        while let last = bytes.last, last == 0x20 || (last >= 0x09 && last <= 0x0D) { bytes.removeLast() }
        if bytes.count >= 9 && endsWith(bytes, "generated") {
            bytes.removeLast(9)
            while let last = bytes.last, last == 0x20 || (last >= 0x09 && last <= 0x0D) { bytes.removeLast() }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private func endsWith(_ bytes: [UInt8], _ suffix: String) -> Bool {
        let tail = Array(suffix.utf8)
        guard bytes.count >= tail.count else { return false }
        return zip(bytes[(bytes.count - tail.count)...], tail).allSatisfy { asciiFold($0) == $1 }
    }
}

/// The first argument of RAISE.
public enum RaiseAction: UInt8, Sendable, Hashable {
    case ignore, rollback, abort, fail
}
