// Complete: whether SQL text ends at the end of a statement, by sqlite3_complete's
// rules (https://sqlite.org/c3ref/complete.html), for a REPL's multi-line input.
//
// The text is complete when it ends with a ';' that is not inside a string,
// quoted identifier or comment, and, for CREATE [TEMP] TRIGGER, only after
// ";END;" closes the body. Like sqlite3_complete this is a small state machine
// over coarse tokens, not a parse: "SELECT (;" is complete, white space alone is
// not, and an unterminated quote or /* comment makes the text incomplete.
// The text ends at its first NUL byte.

extension Parser {
    private enum CompletionState: Int {
        case invalid, start, normal, explain, create, trigger, semicolon, end
    }

    private enum CompletionToken: Int {
        case semicolon, space, other, explain, create, temp, trigger, end
    }

    /// next[state][token], from sqlite3_complete's description of its states.
    private static let completionTable: [[CompletionState]] = [
        // semicolon, space, other, explain, create, temp, trigger, end
        [.start, .invalid, .normal, .explain, .create, .normal, .normal, .normal],       // invalid
        [.start, .start, .normal, .explain, .create, .normal, .normal, .normal],         // start
        [.start, .normal, .normal, .normal, .normal, .normal, .normal, .normal],         // normal
        [.start, .explain, .explain, .normal, .create, .normal, .normal, .normal],       // explain
        [.start, .create, .normal, .normal, .normal, .create, .trigger, .normal],        // create
        [.semicolon, .trigger, .trigger, .trigger, .trigger, .trigger, .trigger, .trigger], // trigger
        [.semicolon, .semicolon, .trigger, .trigger, .trigger, .trigger, .trigger, .end], // semicolon
        [.start, .end, .trigger, .trigger, .trigger, .trigger, .trigger, .trigger],      // end
    ]

    /// The same table flattened (state * 8 + token): one lookup per token, with no inner array to retain.
    private static let completionTransitions: [CompletionState] = completionTable.flatMap { $0 }

    /// True when `sql` ends with a complete statement (sqlite3_complete).
    public static func isComplete(_ text: [UInt8]) -> Bool {
        // Over the bytes in place: the shell asks this of every line it reads.
        text.withUnsafeBufferPointer { isComplete(bytes: $0) }
    }

    private static func isComplete(bytes sql: UnsafeBufferPointer<UInt8>) -> Bool {
        var state = CompletionState.invalid
        let transitions = completionTransitions
        var i = 0
        let n = Lexer.firstNUL(in: sql) ?? sql.count
        while i < n {
            let token: CompletionToken
            switch sql[i] {
            case UInt8(ascii: ";"): token = .semicolon
            case 0x20, 0x0D, 0x09, 0x0A, 0x0C: token = .space
            case UInt8(ascii: "/") where i + 1 < n && sql[i + 1] == UInt8(ascii: "*"):
                i += 2
                while i < n && !(sql[i] == UInt8(ascii: "*") && i + 1 < n && sql[i + 1] == UInt8(ascii: "/")) {
                    i += 1
                }
                if i >= n { return false }
                i += 1
                token = .space
            case UInt8(ascii: "-") where i + 1 < n && sql[i + 1] == UInt8(ascii: "-"):
                while i < n && sql[i] != 0x0A { i += 1 }
                if i >= n { return state == .start }
                token = .space
            case UInt8(ascii: "["):
                guard let close = sql[i..<n].firstIndex(of: UInt8(ascii: "]")) else { return false }
                i = close
                token = .other
            case UInt8(ascii: "`"), UInt8(ascii: "\""), UInt8(ascii: "'"):
                guard let close = sql[(i + 1)..<n].firstIndex(of: sql[i]) else { return false }
                i = close
                token = .other
            default:
                if Lexer.isIDChar(sql[i]) {
                    var end = i + 1
                    while end < n && Lexer.isIDChar(sql[end]) { end += 1 }
                    token = keywordToken(sql[i..<end])
                    i = end - 1
                } else {
                    token = .other
                }
            }
            state = transitions[state.rawValue &* 8 &+ token.rawValue]
            i += 1
        }
        return state == .start
    }

    /// True when `sql` ends with a complete statement (sqlite3_complete).
    public static func isComplete(_ sql: String) -> Bool {
        isComplete(Array(sql.utf8))
    }

    private static func keywordToken(_ word: Slice<UnsafeBufferPointer<UInt8>>) -> CompletionToken {
        switch word.count {
        case 3: return word.isKeyword("end") ? .end : .other
        case 4: return word.isKeyword("temp") ? .temp : .other
        case 6: return word.isKeyword("create") ? .create : .other
        case 7: return word.isKeyword("trigger") ? .trigger : (word.isKeyword("explain") ? .explain : .other)
        case 9: return word.isKeyword("temporary") ? .temp : .other
        default: return .other
        }
    }
}

private extension Slice where Base == UnsafeBufferPointer<UInt8> {
    /// True when these bytes spell `keyword` (lower case, same length) in any ASCII case; allocates nothing.
    func isKeyword(_ keyword: StaticString) -> Bool {
        keyword.withUTF8Buffer { k in
            var i = startIndex
            for c in k {
                if asciiFold(self[i]) != c { return false }
                i += 1
            }
            return true
        }
    }
}
