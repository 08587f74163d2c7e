// Lexer: splits SQL bytes into tokens exactly as SQLite's tokenizer does.
//
// Follows tokenize.c's rules (https://sqlite.org/lang_keywords.html and
// lang_expr.html#literal_values): whitespace and both comment forms are skipped
// (an unterminated /* comment runs to the end); '…' is a string, "…" and `…`
// and […] are identifiers; numbers (decimal, hex, reals with exponents) that
// run into identifier characters are illegal; X'…' needs an even count of hex
// digits; ?NNN, :name, @name, #name and $name (with Tcl-style `::` and `(…)`
// suffixes) are parameters; bytes >= 0x80 are identifier characters.
// Invariant: `bytes` ends with a NUL sentinel, and the first NUL is the end of the
// input (SQLite reads C strings), so every `bytes[i + k]` look-ahead stays in bounds.
// WINDOW, OVER and FILTER are keywords only in the contexts tokenize.c allows.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct Lexer {
    /// The input with a NUL appended.
    let bytes: [UInt8]
    /// The offset of the first NUL: where the input ends for the tokenizer.
    let endOffset: Int
    /// `Lexer.charClass` and `Keywords.table`, held here so the scanning loop does not
    /// go through a lazy global's initialization check on every byte.
    let classes: [CharClass]
    let keywords: [Keywords.Entry]

    init(_ input: [UInt8]) {
        var copy = input
        copy.append(0)
        bytes = copy
        endOffset = copy.withUnsafeBufferPointer { Lexer.firstNUL(in: $0) } ?? input.count
        classes = Lexer.charClass
        keywords = Keywords.table
    }

    /// The offset of the first NUL byte in `b` (where SQL text ends, as for a C string), or nil. memchr:
    /// the generic search cost a few instructions a byte, on every statement.
    static func firstNUL(in b: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = b.baseAddress else { return nil }
        return memchr(base, 0, b.count).map { UnsafeRawPointer($0) - UnsafeRawPointer(base) }
    }

    // Character classes of a token's first byte (tokenize.c's aiClass, by meaning).
    enum CharClass: UInt8 {
        case x, keywordStart, keywordPart, digit, dollar, varAlpha, varNum, space, quote
        case bracket, pipe, minus, less, greater, equal, bang, slash, leftParen, rightParen
        case semicolon, plus, star, percent, comma, ampersand, tilde, dot, idChar, illegal
        case nul, byteOrderMark
    }

    static let charClass: [CharClass] = {
        var table = [CharClass](repeating: .illegal, count: 256)
        for c in 0x80...0xFF { table[c] = .idChar }
        table[0xEF] = .byteOrderMark
        for c in UInt8(ascii: "a")...UInt8(ascii: "w") { table[Int(c)] = .keywordStart }
        for c in UInt8(ascii: "A")...UInt8(ascii: "W") { table[Int(c)] = .keywordStart }
        for c in [UInt8(ascii: "y"), UInt8(ascii: "z"), UInt8(ascii: "Y"), UInt8(ascii: "Z"), 0x5F] {
            table[Int(c)] = .keywordPart
        }
        table[Int(UInt8(ascii: "x"))] = .x
        table[Int(UInt8(ascii: "X"))] = .x
        for c in UInt8(ascii: "0")...UInt8(ascii: "9") { table[Int(c)] = .digit }
        for c: UInt8 in [0x09, 0x0A, 0x0C, 0x0D, 0x20] { table[Int(c)] = .space }
        let singles: [(Character, CharClass)] = [
            ("$", .dollar), ("@", .varAlpha), ("#", .varAlpha), (":", .varAlpha), ("?", .varNum),
            ("\"", .quote), ("'", .quote), ("`", .quote), ("[", .bracket), ("|", .pipe),
            ("-", .minus), ("<", .less), (">", .greater), ("=", .equal), ("!", .bang),
            ("/", .slash), ("(", .leftParen), (")", .rightParen), (";", .semicolon),
            ("+", .plus), ("*", .star), ("%", .percent), (",", .comma), ("&", .ampersand),
            ("~", .tilde), (".", .dot),
        ]
        for (ch, cls) in singles { table[Int(ch.asciiValue!)] = cls }
        table[0] = .nul
        return table
    }()

    /// sqlite3Isspace: the C locale's white space (including vertical tab, which may not
    /// start a token but may continue a run of white space).
    @inline(__always) static func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || (c >= 0x09 && c <= 0x0D)
    }

    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c &- 0x30 < 10 }

    @inline(__always) static func isHexDigit(_ c: UInt8) -> Bool {
        isDigit(c) || (c | 0x20) &- 0x61 < 6
    }

    /// IdChar: letters, digits, '_', '$' and every byte >= 0x80. One bit per ASCII byte in two words
    /// (bits 36 '$' and 48–57 the digits below 64; above it 'A'–'Z' 1–26, '_' 31, 'a'–'z' 33–58): a shift
    /// and a test instead of five comparisons, in the loop that reads every word of every statement.
    @inline(__always) static func isIDChar(_ c: UInt8) -> Bool {
        if c >= 0x80 { return true }
        let word: UInt64 = c < 64 ? 0x03FF_0010_0000_0000 : 0x07FF_FFFE_87FF_FFFE
        return (word &>> UInt64(c & 63)) & 1 != 0
    }

    /// Scans one token (or one run of white space/comment, kind `.space`) starting at
    /// `start`, which must be before `endOffset`. Returns its kind and end offset.
    func scan(at start: Int) -> (TokenKind, Int) {
        let z = bytes
        let c = z[start]
        switch classes[Int(c)] {
        case .space:
            var i = start + 1
            while Lexer.isSpace(z[i]) { i += 1 }
            return (.space, i)
        case .minus:
            if z[start + 1] == UInt8(ascii: "-") {
                var i = start + 2
                while z[i] != 0 && z[i] != 0x0A { i += 1 }
                return (.space, i)
            }
            if z[start + 1] == UInt8(ascii: ">") {
                return (.arrow, start + (z[start + 2] == UInt8(ascii: ">") ? 3 : 2))
            }
            return (.minus, start + 1)
        case .leftParen: return (.leftParen, start + 1)
        case .rightParen: return (.rightParen, start + 1)
        case .semicolon: return (.semicolon, start + 1)
        case .plus: return (.plus, start + 1)
        case .star: return (.star, start + 1)
        case .percent: return (.percent, start + 1)
        case .comma: return (.comma, start + 1)
        case .ampersand: return (.ampersand, start + 1)
        case .tilde: return (.tilde, start + 1)
        case .slash: return scanSlash(at: start)
        case .equal: return (.equal, start + (z[start + 1] == UInt8(ascii: "=") ? 2 : 1))
        case .less: return scanLess(at: start)
        case .greater:
            switch z[start + 1] {
            case UInt8(ascii: "="): return (.greaterEqual, start + 2)
            case UInt8(ascii: ">"): return (.shiftRight, start + 2)
            default: return (.greater, start + 1)
            }
        case .bang:
            return z[start + 1] == UInt8(ascii: "=") ? (.notEqual, start + 2) : (.illegal, start + 1)
        case .pipe:
            return z[start + 1] == UInt8(ascii: "|") ? (.concat, start + 2) : (.pipe, start + 1)
        case .quote: return scanQuoted(at: start)
        case .dot:
            if !Lexer.isDigit(z[start + 1]) { return (.dot, start + 1) }
            return scanNumber(at: start)
        case .digit: return scanNumber(at: start)
        case .bracket:
            var i = start + 1
            while z[i] != 0 && z[i] != UInt8(ascii: "]") { i += 1 }
            return z[i] == 0 ? (.illegal, i) : (.identifier, i + 1)
        case .varNum:
            var i = start + 1
            while Lexer.isDigit(z[i]) { i += 1 }
            return (.variable, i)
        case .dollar, .varAlpha: return scanVariable(at: start)
        case .keywordStart: return scanWord(at: start)
        case .x:
            if z[start + 1] == UInt8(ascii: "'") { return scanBlob(at: start) }
            return (.identifier, scanIdentifierRest(from: start + 1))
        case .keywordPart, .idChar:
            return (.identifier, scanIdentifierRest(from: start + 1))
        case .byteOrderMark:
            if z[start + 1] == 0xBB && z[start + 2] == 0xBF { return (.space, start + 3) }
            return (.identifier, scanIdentifierRest(from: start + 1))
        case .nul: return (.end, start)
        case .illegal: return (.illegal, start + 1)
        }
    }

    private func scanIdentifierRest(from index: Int) -> Int {
        var i = index
        while Lexer.isIDChar(bytes[i]) { i += 1 }
        return i
    }

    private func scanSlash(at start: Int) -> (TokenKind, Int) {
        let z = bytes
        if z[start + 1] != UInt8(ascii: "*") || z[start + 2] == 0 { return (.slash, start + 1) }
        var i = start + 2
        while z[i] != 0 {
            if z[i] == UInt8(ascii: "*") && z[i + 1] == UInt8(ascii: "/") { return (.space, i + 2) }
            i += 1
        }
        return (.space, i)
    }

    private func scanLess(at start: Int) -> (TokenKind, Int) {
        switch bytes[start + 1] {
        case UInt8(ascii: "="): return (.lessEqual, start + 2)
        case UInt8(ascii: ">"): return (.notEqual, start + 2)
        case UInt8(ascii: "<"): return (.shiftLeft, start + 2)
        default: return (.less, start + 1)
        }
    }

    /// '…' (string), "…" and `…` (identifiers); a doubled delimiter stands for itself.
    private func scanQuoted(at start: Int) -> (TokenKind, Int) {
        let z = bytes
        let delimiter = z[start]
        var i = start + 1
        while z[i] != 0 {
            if z[i] == delimiter {
                if z[i + 1] != delimiter {
                    return (delimiter == UInt8(ascii: "'") ? .string : .identifier, i + 1)
                }
                i += 1
            }
            i += 1
        }
        return (.illegal, i)
    }

    private func scanNumber(at start: Int) -> (TokenKind, Int) {
        let z = bytes
        var kind = TokenKind.integer
        var i = start
        if z[i] == UInt8(ascii: "0") && (z[i + 1] | 0x20) == UInt8(ascii: "x") && Lexer.isHexDigit(z[i + 2]) {
            i += 3
            while Lexer.isHexDigit(z[i]) { i += 1 }
        } else {
            while Lexer.isDigit(z[i]) { i += 1 }
            if z[i] == UInt8(ascii: ".") {
                i += 1
                while Lexer.isDigit(z[i]) { i += 1 }
                kind = .float
            }
            if (z[i] | 0x20) == UInt8(ascii: "e") {
                let sign = z[i + 1] == UInt8(ascii: "+") || z[i + 1] == UInt8(ascii: "-")
                if Lexer.isDigit(z[i + 1]) || (sign && Lexer.isDigit(z[i + 2])) {
                    i += 2
                    while Lexer.isDigit(z[i]) { i += 1 }
                    kind = .float
                }
            }
        }
        while Lexer.isIDChar(z[i]) {
            kind = .illegal
            i += 1
        }
        return (kind, i)
    }

    /// $name, @name, #name, :name; Tcl forms `$a::b` and `$a(args)` as tokenize.c accepts.
    private func scanVariable(at start: Int) -> (TokenKind, Int) {
        let z = bytes
        var nameLength = 0
        var i = start + 1
        var kind = TokenKind.variable
        while z[i] != 0 {
            let c = z[i]
            if Lexer.isIDChar(c) {
                nameLength += 1
            } else if c == UInt8(ascii: "(") && nameLength > 0 {
                repeat { i += 1 } while z[i] != 0 && !Lexer.isSpace(z[i]) && z[i] != UInt8(ascii: ")")
                if z[i] == UInt8(ascii: ")") { i += 1 } else { kind = .illegal }
                break
            } else if c == UInt8(ascii: ":") && z[i + 1] == UInt8(ascii: ":") {
                i += 1
            } else {
                break
            }
            i += 1
        }
        return (nameLength == 0 ? .illegal : kind, i)
    }

    private func scanWord(at start: Int) -> (TokenKind, Int) {
        let z = bytes
        var i = start + 1
        while classes[Int(z[i])].rawValue <= CharClass.keywordPart.rawValue { i += 1 }
        if Lexer.isIDChar(z[i]) { return (.identifier, scanIdentifierRest(from: i + 1)) }
        return (Keywords.kind(of: z, start: start, count: i - start, table: keywords), i)
    }

    private func scanBlob(at start: Int) -> (TokenKind, Int) {
        let z = bytes
        var i = start + 2
        while Lexer.isHexDigit(z[i]) { i += 1 }
        var kind = TokenKind.blob
        if z[i] != UInt8(ascii: "'") || (i - start) % 2 != 0 {
            kind = .illegal
            while z[i] != 0 && z[i] != UInt8(ascii: "'") { i += 1 }
        }
        if z[i] != 0 { i += 1 }
        return (kind, i)
    }

    // MARK: Tokens as the parser sees them

    /// The next token at or after `offset` that is not white space or a comment.
    /// WINDOW, OVER and FILTER are reclassified as tokenize.c does, using `previous`
    /// (the kind of the token before this one in the statement, `.end` at its start).
    func nextToken(from offset: Int, previous: TokenKind) -> Token {
        var i = offset
        while true {
            if i >= endOffset { return Token(kind: .end, start: UInt32(endOffset), end: UInt32(endOffset)) }
            var (kind, end) = scan(at: i)
            if kind == .space {
                i = end
                continue
            }
            switch kind {
            case .kwWindow: kind = windowKind(after: end)
            case .kwOver: kind = overKind(after: end, previous: previous)
            case .kwFilter: kind = filterKind(after: end, previous: previous)
            default: break
            }
            return Token(kind: kind, start: UInt32(i), end: UInt32(end))
        }
    }

    /// tokenize.c's getToken: the next token's kind with every identifier-like kind as ID.
    private func lookAheadKind(from offset: Int) -> (TokenKind, Int) {
        var i = offset
        while i < endOffset {
            let (kind, end) = scan(at: i)
            if kind == .space {
                i = end
                continue
            }
            switch kind {
            case .identifier, .string, .kwWindow, .kwOver: return (.identifier, end)
            default:
                if kind.isJoinKeyword || kind.fallsBackToIdentifier { return (.identifier, end) }
                return (kind, end)
            }
        }
        return (.end, i)
    }

    /// WINDOW is a keyword only when an identifier and then AS follow it.
    private func windowKind(after end: Int) -> TokenKind {
        let (first, firstEnd) = lookAheadKind(from: end)
        if first != .identifier { return .identifier }
        return lookAheadKind(from: firstEnd).0 == .kwAs ? .kwWindow : .identifier
    }

    /// OVER is a keyword only after ")" and before "(" or an identifier.
    private func overKind(after end: Int, previous: TokenKind) -> TokenKind {
        if previous == .rightParen {
            let next = lookAheadKind(from: end).0
            if next == .leftParen || next == .identifier { return .kwOver }
        }
        return .identifier
    }

    /// FILTER is a keyword only after ")" and before "(".
    private func filterKind(after end: Int, previous: TokenKind) -> TokenKind {
        if previous == .rightParen && lookAheadKind(from: end).0 == .leftParen { return .kwFilter }
        return .identifier
    }
}
