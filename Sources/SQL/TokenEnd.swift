// TokenEnd: where the token starting at a given offset ends, for callers that
// report the unparsed rest of a statement after a syntax error as sqlite3 does
// (sqlite3_prepare's tail lies just past the token the parser failed on;
// ext/misc/shathree.c's sha3_query quotes that tail in its error message).

extension Parser {
    /// The offset just past the token at or after `offset` in `sql` (the end of the input
    /// when only white space, comments or nothing remain).
    public static func endOfToken(in sql: [UInt8], at offset: Int) -> Int {
        let lexer = Lexer(sql)
        return Int(lexer.nextToken(from: min(offset, lexer.endOffset), previous: .end).end)
    }
}
