// Parser: SQL text to `Statement`s, one statement at a time, as sqlite3_prepare reads it.
//
// A recursive-descent parser for the grammar of SQLite 3.40.1's parse.y
// (https://sqlite.org/lang.html). It reproduces what the LALR(1) parser accepts
// and where it fails: a keyword is read as itself where the grammar has a use for
// it and falls back to an identifier elsewhere (%fallback ID); errors are
// reported at the token the LALR parser would stop at, worded as sqlite3 words
// them. Invariants:
// - `stackDepth` models the LALR stack (entries pending reduction); every nested
//   construct pushes at least one entry before recursing, and more than
//   `ParserLimits.parserStack` entries is "parser stack overflow", so Swift
//   recursion is bounded whatever the input (SQLite: YYSTACKDEPTH 100).
// - Expression trees are at most `ParserLimits.exprDepth` high.
// - Tokens are lexed on demand into `tokens`, so a statement's errors come before
//   anything the tokenizer would only meet after it.

import Base

/// The limits the parser enforces (sqlite3_limit's defaults in the oracle build).
public struct ParserLimits: Sendable, Hashable {
    /// SQLITE_LIMIT_EXPR_DEPTH
    public var exprDepth = 1000
    /// SQLITE_LIMIT_COMPOUND_SELECT
    public var compoundSelect = 500
    /// SQLITE_LIMIT_SQL_LENGTH: bytes from where parsing starts to a token's end.
    public var sqlLength = 1_000_000_000
    /// SQLITE_LIMIT_VARIABLE_NUMBER (Debian builds SQLite with 250000).
    public var variableNumber = 250_000
    /// SQLITE_LIMIT_FUNCTION_ARG
    public var functionArguments = 127
    /// SQLITE_LIMIT_COLUMN (only "too many columns in set list" is checked here).
    public var columns = 2000
    /// The LALR parser's stack (YYSTACKDEPTH).
    public var parserStack = 100

    /// SQLite's defaults, with the oracle build's variable limit.
    public init() {}
}

/// How to parse.
public struct ParserOptions: Sendable, Hashable {
    /// The limits to enforce.
    public var limits = ParserLimits()
    /// True while reading sqlite_schema (db->init.busy): COLLATE/ASC/DESC after column
    /// names in an id list are ignored instead of being a syntax error.
    public var isReadingSchema = false

    /// Options with the given limits; `isReadingSchema` as for sqlite_schema's text.
    public init(limits: ParserLimits = ParserLimits(), isReadingSchema: Bool = false) {
        self.limits = limits
        self.isReadingSchema = isReadingSchema
    }
}

/// Thrown inside the parser to unwind it; the error is in `Parser.failure`. It is empty so
/// that the many `try` sites on the recursive descent path need no room for an error in
/// their frames (which keeps deep nesting within a small thread stack in debug builds).
struct ParseFailure: Error {}

/// Parses SQL text into statements.
///
/// ```swift
/// var parser = Parser("SELECT a FROM t; DELETE FROM t")
/// while let statement = try parser.next() { … }  // stops at the first error
/// ```
/// Input is bytes: string literals keep invalid UTF-8 as it is. The input ends at its
/// first NUL byte, as a C string does for SQLite.
public struct Parser {
    let lexer: Lexer
    /// The options this parser was made with.
    public let options: ParserOptions
    /// Where the next statement starts (the tail of the last one parsed).
    public private(set) var offset: Int = 0

    // Per-statement state.
    var tokens: [Token] = []
    var pos = 0
    var statementStart = 0
    /// The first token index whose end is past the SQL length limit.
    var tooBigIndex = Int.max
    var stackDepth = 1
    /// Height of the expression most recently returned by an expression parser.
    var lastHeight = 0
    /// Largest expression height met since the innermost enclosing SELECT began.
    var selectHeight = 0
    var parameterCount = 0
    var parameterNumbersByName: [String: Int] = [:]
    var parameterNames: [ParameterName] = []
    /// Set while parsing a CREATE TRIGGER body (RETURNING is refused there).
    var inTrigger = false
    /// An error of a grammar action, raised when the construct it belongs to was
    /// complete. SQLite reports it unless the token that completed the construct is
    /// itself a syntax error, so it is thrown when that token is shifted (`advance`)
    /// or the statement ends.
    var pendingError: SyntaxError?
    /// The error that stopped the parse; what `ParseFailure` stands for.
    var failure: SyntaxError?

    /// A parser over `sql`'s bytes.
    public init(_ sql: [UInt8], options: ParserOptions = ParserOptions()) {
        lexer = Lexer(sql)
        self.options = options
        tokens.reserveCapacity(64)
    }

    /// A parser over a Swift string's UTF-8.
    public init(_ sql: String, options: ParserOptions = ParserOptions()) {
        self.init(Array(sql.utf8), options: options)
    }

    /// The input, as given (without the lexer's sentinel).
    public var source: ArraySlice<UInt8> { lexer.bytes[0..<(lexer.bytes.count - 1)] }

    /// Parses the next statement, as `parseStatement(at: offset)` does, and moves `offset`
    /// past it. Returns nil at the end of the input. After an error, `offset` is unchanged.
    public mutating func next() throws(SyntaxError) -> Statement? {
        let (statement, tail) = try parseStatement(at: offset)
        offset = tail
        return statement
    }

    /// Parses one statement starting at byte `start`: white space, comments and empty
    /// statements (`;`) before it are skipped. Returns the statement, or nil when only
    /// those remain, and the offset where the next statement starts (after its ';').
    public mutating func parseStatement(at start: Int) throws(SyntaxError) -> (Statement?, Int) {
        do {
            return try parseStatementOrFail(at: start)
        } catch {
            throw failure ?? SyntaxError("incomplete input", position: start, reportedOffset: nil)
        }
    }

    mutating func parseStatementOrFail(at start: Int) throws(ParseFailure) -> (Statement?, Int) {
        beginStatement(at: start)
        while current.kind == .semicolon {
            pos += 1
            stackDepth = 2
        }
        if current.kind == .end { return (nil, lexer.endOffset) }
        if pos >= tooBigIndex { throw syntaxError() }
        let statement = try parseOneStatement()
        switch current.kind {
        case .semicolon:
            if let error = pendingError { throw fail(error) }
            return (statement, Int(current.end))
        case .end:
            if pos >= tooBigIndex { throw syntaxError() }
            if let error = pendingError { throw fail(error) }
            return (statement, lexer.endOffset)
        default: throw syntaxError()
        }
    }

    /// Parses every statement of `sql`; throws the first error.
    public static func parseAll(_ sql: [UInt8], options: ParserOptions = ParserOptions())
        throws(SyntaxError) -> [Statement] {
        var parser = Parser(sql, options: options)
        var statements: [Statement] = []
        while let statement = try parser.next() { statements.append(statement) }
        return statements
    }

    /// Parses every statement of `sql`; throws the first error.
    public static func parseAll(_ sql: String, options: ParserOptions = ParserOptions())
        throws(SyntaxError) -> [Statement] {
        try parseAll(Array(sql.utf8), options: options)
    }

    mutating func beginStatement(at start: Int) {
        tokens.removeAll(keepingCapacity: true)
        pos = 0
        statementStart = Swift.min(Swift.max(start, 0), lexer.endOffset)
        tooBigIndex = Int.max
        stackDepth = 1
        lastHeight = 0
        selectHeight = 0
        parameterCount = 0
        parameterNumbersByName.removeAll(keepingCapacity: true)
        parameterNames.removeAll(keepingCapacity: true)
        inTrigger = false
        pendingError = nil
        failure = nil
    }

    mutating func parseOneStatement() throws(ParseFailure) -> Statement {
        let first = current
        var explain: Statement.Explain?
        if current.kind == .kwExplain {
            try advance()
            explain = .explain
            if current.kind == .kwQuery {
                try advance()
                try expect(.kwPlan)
                explain = .queryPlan
            }
        }
        let command = try parseCommand()
        let names = parameterNames.sorted { $0.number < $1.number }
        return Statement(command: command, explain: explain,
                         range: SourceRange(start: first.start, end: previousEnd),
                         parameterCount: parameterCount, parameterNames: names)
    }

    mutating func parseCommand() throws(ParseFailure) -> Command {
        switch current.kind {
        case .kwSelect, .kwValues: return .select(try parseSelect())
        case .kwWith: return try parseWithStatement()
        case .kwInsert, .kwReplace:
            try push()  // with ::= .
            return .insert(try parseInsert(with: nil))
        case .kwUpdate:
            try push()
            return .update(try parseUpdate(with: nil))
        case .kwDelete:
            try push()
            return .delete(try parseDelete(with: nil))
        case .kwCreate: return try parseCreate()
        case .kwDrop: return .drop(try parseDrop())
        case .kwAlter: return .alterTable(try parseAlterTable())
        case .kwBegin: return .begin(try parseBegin())
        case .kwCommit, .kwEnd: return try parseCommit()
        case .kwRollback: return .rollback(try parseRollback())
        case .kwSavepoint:
            try advance()
            return .savepoint(try parseName())
        case .kwRelease:
            try advance()
            try acceptOrPush(.kwSavepoint)
            return .release(try parseName())
        case .kwPragma: return .pragma(try parsePragma())
        case .kwAnalyze:
            try advance()
            return .analyze(try parseOptionalQualifiedName())
        case .kwReindex:
            try advance()
            return .reindex(try parseOptionalQualifiedName())
        case .kwVacuum: return .vacuum(try parseVacuum())
        case .kwAttach: return .attach(try parseAttach())
        case .kwDetach:
            try advance()
            try acceptOrPush(.kwDatabase)
            return .detach(try parseExpr())
        default: throw syntaxError()
        }
    }

    /// `WITH …` then SELECT, INSERT/REPLACE, UPDATE or DELETE.
    mutating func parseWithStatement() throws(ParseFailure) -> Command {
        let base = stackDepth
        let start = current.start
        let with = try parseWithClause()
        switch current.kind {
        case .kwSelect, .kwValues:
            return .select(try parseSelect(with: with, start: start))
        default: break
        }
        reduce(base)  // with ::= WITH wqlist
        switch current.kind {
        case .kwInsert, .kwReplace:
            var insert = try parseInsert(with: with)
            insert.range.start = start
            return .insert(insert)
        case .kwUpdate:
            var update = try parseUpdate(with: with)
            update.range.start = start
            return .update(update)
        case .kwDelete:
            var delete = try parseDelete(with: with)
            delete.range.start = start
            return .delete(delete)
        default: throw syntaxError()
        }
    }
}

// MARK: - Tokens

extension Parser {
    /// The token at `pos`, lexed on demand.
    @inline(__always) var current: Token {
        mutating get {
            if pos < tokens.count { return tokens[pos] }
            return lexThrough(pos)
        }
    }

    /// The token `distance` after the current one.
    @inline(__always) mutating func peek(_ distance: Int) -> Token {
        let index = pos + distance
        if index < tokens.count { return tokens[index] }
        return lexThrough(index)
    }

    mutating func lexThrough(_ index: Int) -> Token {
        while tokens.count <= index {
            if let last = tokens.last, last.kind == .end || tokens.count > tooBigIndex {
                tokens.append(Token(kind: .end, start: last.end, end: last.end))
                continue
            }
            let from = tokens.last.map { Int($0.end) } ?? statementStart
            var token = lexer.nextToken(from: from, previous: tokens.last?.kind ?? .end)
            if Int(token.end) - statementStart > options.limits.sqlLength && tooBigIndex == Int.max {
                tooBigIndex = tokens.count
                token.kind = .illegal
            }
            tokens.append(token)
        }
        return tokens[index]
    }

    /// The end of the last consumed token.
    var previousEnd: UInt32 { pos > 0 ? tokens[pos - 1].end : UInt32(statementStart) }

    /// Shifts the current token: consumes it and pushes it on the modelled LALR stack.
    @inline(__always) mutating func advance() throws(ParseFailure) {
        if let error = pendingError { throw fail(error) }
        pos += 1
        try push()
    }

    /// Pushes one entry (a token or an empty nonterminal) on the modelled LALR stack.
    @inline(__always) mutating func push() throws(ParseFailure) {
        stackDepth += 1
        if stackDepth > options.limits.parserStack {
            throw fail(SyntaxError("parser stack overflow", position: Int(current.start), reportedOffset: nil))
        }
    }

    /// Replaces the entries pushed since `base` by the nonterminal they reduce to.
    @inline(__always) mutating func reduce(_ base: Int) { stackDepth = base + 1 }

    /// Consumes the current token if it is `kind`.
    @inline(__always) mutating func accept(_ kind: TokenKind) throws(ParseFailure) -> Bool {
        if current.kind != kind { return false }
        try advance()
        return true
    }

    /// `X ::= KEYWORD | .`: consumes the keyword if present; either way the production
    /// takes one entry on the modelled LALR stack.
    @inline(__always) mutating func acceptOrPush(_ kind: TokenKind) throws(ParseFailure) {
        if current.kind == kind { try advance() } else { try push() }
    }

    /// Consumes the current token, which must be `kind`.
    @inline(__always) mutating func expect(_ kind: TokenKind) throws(ParseFailure) {
        if current.kind != kind { throw syntaxError() }
        try advance()
    }

    /// The bytes of `token`.
    func text(of token: Token) -> ArraySlice<UInt8> { lexer.bytes[Int(token.start)..<Int(token.end)] }

    func string(of token: Token) -> String { String(decoding: text(of: token), as: UTF8.self) }

    func string(_ range: SourceRange) -> String {
        String(decoding: lexer.bytes[range.bounds], as: UTF8.self)
    }

    /// Records `error` as the one that stops the parse, and returns the marker to throw.
    mutating func fail(_ error: SyntaxError) -> ParseFailure {
        failure = error
        return ParseFailure()
    }

    /// Records the error sqlite3 reports when the parser cannot go on at the current token.
    mutating func syntaxError() -> ParseFailure {
        let token = current
        let position = Int(token.start)
        if pos >= tooBigIndex {
            return fail(SyntaxError("string or blob too big", position: position, reportedOffset: nil,
                                    code: .toobig))
        }
        switch token.kind {
        case .end:
            return fail(SyntaxError("incomplete input", position: position, reportedOffset: nil))
        case .illegal:
            return fail(SyntaxError("unrecognized token: \"\(string(of: token))\"", position: position,
                                    reportedOffset: position))
        default:
            return fail(SyntaxError("near \"\(string(of: token))\": syntax error", position: position,
                                    reportedOffset: position))
        }
    }

    /// Records an error of one of the grammar's actions (no "near"), to be thrown when
    /// the current token is shifted (see `pendingError`); `token` is the one the message
    /// quotes with %T, which sqlite3_error_offset points at. A later one replaces it, as
    /// a later sqlite3ErrorMsg does.
    mutating func fail(_ message: String, quoting token: Token? = nil) {
        pendingError = SyntaxError(message, position: Int(token?.start ?? current.start),
                                   reportedOffset: token.map { Int($0.start) })
    }
}

// MARK: - Names

extension Parser {
    /// An identifier from an ID, STRING, JOIN_KW or keyword token, dequoted.
    func identifier(_ token: Token) -> Identifier {
        let bytes = text(of: token)
        let quoting: Identifier.Quoting
        switch bytes.first {
        case UInt8(ascii: "\""): quoting = .doubleQuotes
        case UInt8(ascii: "'"): quoting = .singleQuotes
        case UInt8(ascii: "`"): quoting = .backticks
        case UInt8(ascii: "["): quoting = .brackets
        default: return Identifier(String(decoding: bytes, as: UTF8.self), quoting: .none, range: token.range)
        }
        return Identifier(String(decoding: dequote(bytes), as: UTF8.self), quoting: quoting, range: token.range)
    }

    /// sqlite3Dequote: drops the delimiters; a doubled closing delimiter stands for itself.
    func dequote(_ bytes: ArraySlice<UInt8>) -> [UInt8] { sqliteDequote(bytes) }

    /// `nm`: an identifier, a string or a join keyword used as a name.
    mutating func parseName() throws(ParseFailure) -> Identifier {
        let token = current
        if !token.kind.isName { throw syntaxError() }
        try advance()
        return identifier(token)
    }

    /// `ids`: an identifier or a string (no INDEXED, no join keyword).
    mutating func parseIDOrString() throws(ParseFailure) -> Identifier {
        let token = current
        if !token.kind.isIDOrString { throw syntaxError() }
        try advance()
        return identifier(token)
    }

    /// `nm [DOT nm]` (fullname, and dbnm after a name).
    mutating func parseQualifiedName() throws(ParseFailure) -> QualifiedName {
        let base = stackDepth
        let first = try parseName()
        if current.kind == .dot {
            try advance()
            let second = try parseName()
            reduce(base)
            return QualifiedName(schema: first, name: second)
        }
        reduce(base)
        return QualifiedName(name: first)
    }

    /// `nm dbnm`: a name and an optional schema, two symbols on the modelled LALR stack
    /// (where `fullname` reduces to one).
    mutating func parseNameWithSchema() throws(ParseFailure) -> QualifiedName {
        let name = try parseQualifiedName()
        try push()
        return name
    }

    /// ANALYZE/REINDEX's optional `nm dbnm`.
    mutating func parseOptionalQualifiedName() throws(ParseFailure) -> QualifiedName? {
        if current.kind == .semicolon || current.kind == .end { return nil }
        return try parseNameWithSchema()
    }

    /// `LP idlist RP` contents: `nm, nm, …`.
    mutating func parseIDList() throws(ParseFailure) -> [Identifier] {
        let base = stackDepth
        var names = [try parseName()]
        while current.kind == .comma {
            try advance()
            names.append(try parseName())
            reduce(base)
        }
        reduce(base)
        return names
    }

    /// `eidlist`: names that SQLite refuses COLLATE/ASC/DESC after (unless reading the schema).
    mutating func parseExprIDList() throws(ParseFailure) -> [Identifier] {
        let base = stackDepth
        var names: [Identifier] = []
        repeat {
            if !names.isEmpty { try advance() }
            let name = try parseName()
            var decorated = false
            if current.kind == .kwCollate {
                try advance()
                _ = try parseIDOrString()
                decorated = true
            }
            if current.kind == .kwAsc || current.kind == .kwDesc {
                try advance()
                decorated = true
            }
            if decorated && !options.isReadingSchema {
                fail("syntax error after column name \"\(string(name.range))\"")
            }
            names.append(name)
            reduce(base)
        } while current.kind == .comma
        return names
    }

    /// `eidlist_opt`: `[ (eidlist) ]`.
    mutating func parseOptionalExprIDList() throws(ParseFailure) -> [Identifier]? {
        guard current.kind == .leftParen else { return nil }
        let base = stackDepth
        try advance()
        let names = try parseExprIDList()
        try expect(.rightParen)
        reduce(base)
        return names
    }
}
