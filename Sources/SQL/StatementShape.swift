// StatementShape: one DML statement's text with its literals taken out, found by the
// tokenizer alone (no parse), for the engine's cache of statements that differ only
// in their literal values (Engine/Connection/LiteralStatementCache.swift).
//
// The key is the statement's bytes from its first token to the end of its last one,
// with each literal token (number, '…' string, X'…' blob) replaced by a NUL byte and
// the literal's token kind. The input ends at its first NUL (Lexer), so a NUL in the
// key marks a literal and nothing else: two statements with equal keys have the same
// tokens in the same places, apart from their literals' values. White space and
// comments are part of the key (statements a script repeats are written alike).
// Only statements that start with SELECT, INSERT, REPLACE, UPDATE or DELETE and have
// no hexadecimal literal get a shape; the rest are prepared as before. Parameters
// (`?`, `?NNN`, `:name`, `@name`, `$name`) stay in the key as written, so an
// application preparing the same parameterized text again reuses its program, as
// a statement cache would. A shape is not a syntax check: the statement may still
// fail to parse.

/// The literal-free key of one statement and where its literals are.
public struct StatementShape: Sendable {
    /// The statement's bytes with every literal token replaced by a NUL and its token kind.
    public var key: [UInt8]
    /// Each literal token, in order, with its kind (.integer, .float, .string or .blob).
    public var literals: [Token]
    /// From the first token's start to the last token's end (sqlite3_sql), as the parser's range.
    public var statement: SourceRange
    /// Where the next statement starts: after the terminating ';', or the end of the input.
    public var next: Int

    /// The longest statement given a shape: longer ones gain nothing and could near the SQL length limit.
    public static let maximumLength = 16 * 1024

    /// The shape of the statement at or after `offset` in `sql`, or nil when it gets none (see the file header).
    public static func of(_ sql: [UInt8], at offset: Int) -> StatementShape? {
        let lexer = Lexer(sql)
        var token = lexer.nextToken(from: offset, previous: .end)
        switch token.kind {
        case .kwSelect, .kwInsert, .kwReplace, .kwUpdate, .kwDelete: break
        default: return nil
        }
        let start = Int(token.start)
        var key: [UInt8] = []
        key.reserveCapacity(min(lexer.endOffset - start, maximumLength) + 8)
        var literals: [Token] = []
        var copied = start
        var lastEnd = start
        while true {
            switch token.kind {
            case .end, .semicolon:
                guard lastEnd > start else { return nil }
                key.append(contentsOf: lexer.bytes[copied..<lastEnd])
                let next = token.kind == .semicolon ? Int(token.end) : lexer.endOffset
                return StatementShape(key: key, literals: literals,
                                      statement: SourceRange(start: UInt32(start), end: UInt32(lastEnd)), next: next)
            case .illegal:
                return nil
            case .integer, .float, .string, .blob:
                if token.kind == .integer && token.length > 2 && (lexer.bytes[Int(token.start) + 1] | 0x20) == 0x78 {
                    return nil  // hexadecimal
                }
                key.append(contentsOf: lexer.bytes[copied..<Int(token.start)])
                key.append(0)
                key.append(token.kind.rawValue)
                copied = Int(token.end)
                literals.append(token)
            default:
                break
            }
            lastEnd = Int(token.end)
            if lastEnd - start > maximumLength { return nil }
            token = lexer.nextToken(from: lastEnd, previous: token.kind)
        }
    }
}
