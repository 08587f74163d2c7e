// TextFunctions: the text scalar built-ins of lang_corefunc.html (func.c): length, lower,
// upper, substr/substring, trim/ltrim/rtrim, replace, instr, hex, char, unicode, quote,
// soundex, like, glob, printf/format.
//
// Arguments are read as SQLite reads them: sqlite3_value_text() gives numbers their text
// form and blobs their bytes; functions that walk characters stop at the first 0x00 byte
// exactly where SQLite's C-string loops stop (length, substr, like, unicode, trim's
// character set, printf), while byte-counted ones (upper, lower, trim's input, replace,
// instr, hex) see every byte. Results that grow check SQLITE_MAX_LENGTH first.

import Base

/// Bodies of the text scalar functions (func.c); registered in FunctionRegistry.swift.
enum TextFunctions {
    /// Soundex digits of the letters a...z (func.c iCode).
    private static let soundexCodes: [UInt8] = [0, 1, 2, 3, 0, 1, 2, 0, 0, 2, 2, 4, 5, 5, 0, 1, 2, 6, 2, 3, 0, 1, 0, 2,
                                                0, 2]

    /// length(X): characters of text, bytes of blobs, characters of a number's text.
    static func length(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        switch a[0] {
        case .null: return .null
        case .blob(let b): return .integer(Int64(b.count))
        case .text(let t): return .integer(Int64(UTF8Text.characterCount(t.span)))
        default: return .integer(Int64(a[0].textBytes?.count ?? 0))
        }
    }

    /// upper(X): ASCII letters upper-cased; the result is TEXT.
    static func upper(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        guard let t = a[0].textBytes else { return .null }
        return .text(UTF8Text.uppercased(t.span))
    }

    /// lower(X): ASCII letters lower-cased; the result is TEXT.
    static func lower(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        guard let t = a[0].textBytes else { return .null }
        return .text(UTF8Text.lowercased(t.span))
    }

    /// substr(X, P [, N]) and substring().
    static func substr(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        Substr.substring(a[0], start: a[1], length: a.count == 3 ? a[2] : nil)
    }

    /// trim(X [, Y]): characters of Y (default ' ') removed from both ends of X.
    static func trim(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        trim(a, left: true, right: true)
    }

    /// ltrim(X [, Y]).
    static func leftTrim(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        trim(a, left: true, right: false)
    }

    /// rtrim(X [, Y]).
    static func rightTrim(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        trim(a, left: false, right: true)
    }

    /// trimFunc(): removes characters of Y (default ' ') from the chosen ends of X.
    static func trim(_ a: FunctionArguments, left: Bool, right: Bool) -> Value {
        if a[0].isNull { return .null }
        guard let input = a[0].textBytes else { return .null }
        var characters: [Range<Int>] = []
        let set: [UInt8]
        if a.count == 1 {
            set = [0x20]
            characters = [0..<1]
        } else {
            guard let y = a[1].textBytes else { return .null }
            set = y
            let z = y.span
            let n = UTF8Text.cStringLength(z)
            var i = 0
            while i < n {
                let start = i
                UTF8Text.skip(z, &i)
                characters.append(start..<i)
            }
        }
        if characters.isEmpty { return .text(input) }
        var lo = 0, hi = input.count
        func matchesAt(_ offset: Int, _ r: Range<Int>) -> Bool {
            for k in 0..<r.count where input[offset + k] != set[r.lowerBound + k] { return false }
            return true
        }
        if left {
            trimming: while lo < hi {
                for r in characters where r.count <= hi - lo && matchesAt(lo, r) {
                    lo += r.count
                    continue trimming
                }
                break
            }
        }
        if right {
            trimming: while lo < hi {
                for r in characters where r.count <= hi - lo && matchesAt(hi - r.count, r) {
                    hi -= r.count
                    continue trimming
                }
                break
            }
        }
        return .text(Array(input[lo..<hi]))
    }

    /// replace(X, Y, Z): every occurrence of Y in X replaced by Z (bytewise).
    static func replace(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        guard let str = a[0].textBytes else { return .null }
        guard let pattern = a[1].textBytes else { return .null }
        if pattern.isEmpty || pattern[0] == 0 {
            // X itself, after sqlite3_value_text() gave a blob a text form.
            if case .blob(let b) = a[0] { return .text(b) }
            return a[0]
        }
        guard let rep = a[2].textBytes else { return .null }
        let n = str.count, m = pattern.count
        var out: [UInt8] = []
        out.reserveCapacity(n)
        var outLimit = n
        var i = 0
        while i <= n - m {
            if str[i] == pattern[0] && str[i..<i + m].elementsEqual(pattern) {
                if rep.count > m {
                    outLimit += rep.count - m
                    if outLimit > SQLiteLimits.maxLength { throw DBError.tooBig }
                }
                out.append(contentsOf: rep)
                i += m
            } else {
                out.append(str[i])
                i += 1
            }
        }
        if i < n { out.append(contentsOf: str[i..<n]) }
        return .text(out)
    }

    /// instr(X, Y): 1-based character (or, for two blobs, byte) position of Y in X; 0 if absent.
    static func instr(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        let x = a[0], y = a[1]
        if x.isNull || y.isNull { return .null }
        guard let haystack = x.textBytes, let needle = y.textBytes else { return .null }
        if needle.isEmpty { return .integer(1) }
        var isText = true
        if case .blob = x, case .blob = y { isText = false }
        var n: Int64 = 1
        var h = 0
        let count = haystack.count
        let hs = haystack.span
        while needle.count <= count - h
                && (haystack[h] != needle[0] || !haystack[h..<h + needle.count].elementsEqual(needle)) {
            n += 1
            repeat {
                h += 1
            } while isText && UTF8Text.byte(hs, h) & 0xC0 == 0x80
        }
        if needle.count > count - h { n = 0 }
        return .integer(n)
    }

    /// hex(X): upper-case hex of the bytes (of the text form for numbers); '' for NULL.
    static func hex(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        let bytes = a[0].textBytes ?? []
        if bytes.count * 2 > SQLiteLimits.maxLength { throw DBError.tooBig }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        SQLLiteral.appendHex(bytes.span, to: &out)
        return .text(out)
    }

    /// char(X1, X2, ...): the characters with those code points (out of range → U+FFFD).
    static func char(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        var out: [UInt8] = []
        out.reserveCapacity(a.count * 4)
        for i in 0..<a.count {
            var x = a[i].integerValue
            if x < 0 || x > 0x10FFFF { x = 0xFFFD }
            UTF8Text.append(UInt32(x & 0x1F_FFFF), to: &out)
        }
        return .text(out)
    }

    /// unicode(X): the code point of the first character; NULL for empty text.
    static func unicode(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        guard let t = a[0].textBytes, let first = t.first, first != 0 else { return .null }
        var i = 0
        return .integer(Int64(UTF8Text.read(t.span, &i)))
    }

    /// quote(X): X as an SQL literal.
    static func quote(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        .text(SQLLiteral.render(a[0]))
    }

    /// soundex(X): the four-character Soundex code, or "?000" without ASCII letters.
    static func soundex(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        let input = a[0].textBytes ?? []
        let z = input.span
        func code(_ b: UInt8) -> UInt8 {
            let l = (b & 0x7F) | 0x20
            return l >= 0x61 && l <= 0x7A && isASCIILetter(b & 0x7F) ? soundexCodes[Int(l - 0x61)] : 0
        }
        var i = 0
        while UTF8Text.byte(z, i) != 0 && !isASCIILetter(UTF8Text.byte(z, i)) { i += 1 }
        if UTF8Text.byte(z, i) == 0 { return .text("?000") }
        var result: [UInt8] = [asciiUpper(z[i])]
        var prev = code(z[i])
        while result.count < 4 && UTF8Text.byte(z, i) != 0 {
            let cd = code(z[i])
            if cd > 0 {
                if cd != prev {
                    prev = cd
                    result.append(cd + 0x30)
                }
            } else {
                prev = 0
            }
            i += 1
        }
        while result.count < 4 { result.append(0x30) }
        return .text(result)
    }

    /// like(P, S [, E]): S LIKE P [ESCAPE E].
    static func like(_ a: FunctionArguments, caseSensitive: Bool) throws(DBError) -> Value {
        try Pattern.like(a[1], pattern: a[0], escape: a.count == 3 ? a[2] : nil, caseSensitive: caseSensitive)
    }

    /// glob(P, S): S GLOB P.
    static func glob(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        try Pattern.glob(a[1], pattern: a[0])
    }

    /// printf(FORMAT, ...) and format(): NULL without a format or when the result is too big.
    static func printf(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        guard a.count >= 1, let format = a[0].textBytes else { return .null }
        var source = PrintfArgumentSource(arguments: a, nextIndex: 1)
        guard let out = Printf.format(format.span, &source) else { return .null }
        return .text(out)
    }
}
