// NameMentions: whether a statement's text holds a token spelling a given name —
// an identifier (bare or quoted), a keyword that may stand for one, or a string, dequoted as
// sqlite3Dequote does and compared with SQLite's ASCII case folding. A cheap,
// conservative test: a statement with no such token cannot name the object, so
// ALTER TABLE RENAME COLUMN can tell the views and triggers it leaves alone.

public enum NameMentions {
    /// True when some token of `sql` spells `name`.
    public static func contains(_ name: String, in sql: [UInt8]) -> Bool {
        let wanted = Identifier(name)
        let lexer = Lexer(sql)
        var token = lexer.nextToken(from: 0, previous: .end)
        while token.kind != .end {
            let bytes = lexer.bytes[Int(token.start)..<Int(token.end)]
            // Only a token the grammar reads as a name (`nm`) can name a column: not SELECT, FROM, …
            if token.kind.isName, let first = bytes.first {
                let quoted = first == UInt8(ascii: "\"") || first == UInt8(ascii: "'") || first == UInt8(ascii: "`")
                    || first == UInt8(ascii: "[")
                let text = quoted ? sqliteDequote(bytes) : Array(bytes)
                if wanted.matches(String(decoding: text, as: UTF8.self)) { return true }
            }
            token = lexer.nextToken(from: Int(token.end), previous: token.kind)
        }
        return false
    }
}

/// sqlite3Dequote: drops the delimiters; a doubled closing delimiter stands for itself.
func sqliteDequote(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
    guard let open = bytes.first, bytes.count >= 2 else { return Array(bytes) }
    let close = open == UInt8(ascii: "[") ? UInt8(ascii: "]") : open
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count - 2)
    var i = bytes.startIndex + 1
    let end = bytes.endIndex - 1
    while i < end {
        let c = bytes[i]
        out.append(c)
        if c == close && i + 1 < end && bytes[i + 1] == close { i += 2 } else { i += 1 }
    }
    return out
}
