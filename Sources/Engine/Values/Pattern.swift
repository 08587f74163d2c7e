// Pattern: LIKE and GLOB matching (func.c patternCompare, likeFunc; lang_expr.html "LIKE").
//
// GLOB: '*' any run, '?' one character, [...] / [^...] sets with ranges; case-sensitive.
// LIKE: '%' any run, '_' one character, ASCII-only case folding (unless case_sensitive_like),
// an optional single-character ESCAPE that makes the next pattern character literal; an
// escape equal to '%' or '_' disables that wildcard. Both read their operands as
// NUL-terminated UTF-8 (sqlite3Utf8Read), so text after an embedded 0x00 is ignored.
// This build of SQLite (Debian) has SQLITE_LIKE_DOESNT_MATCH_BLOBS: a BLOB operand never
// matches. Matching is iterative with one backtrack point (the last '*'/'%'), which gives
// the same answers as SQLite's recursion without its stack depth; worst case O(n*m).
// A pattern that is one plain ASCII run between optional wildcard runs ('%on%') is a
// substring, prefix, suffix or equality test instead (SimplePattern).

import Base

/// How `PatternMatcher` interprets a pattern.
struct PatternMatcher: Sendable {
    /// '*' or '%'; 0 when disabled.
    var matchAll: UInt32
    /// '?' or '_'; 0 when disabled.
    var matchOne: UInt32
    /// GLOB character sets.
    var matchSet: Bool
    /// ASCII case folding.
    var noCase: Bool

    /// GLOB: '*', '?', sets, case-sensitive.
    static let glob = PatternMatcher(matchAll: 0x2A, matchOne: 0x3F, matchSet: true, noCase: false)
    /// LIKE: '%', '_', ASCII case folding.
    static let like = PatternMatcher(matchAll: 0x25, matchOne: 0x5F, matchSet: false, noCase: true)
    /// LIKE under PRAGMA case_sensitive_like = ON.
    static let likeCaseSensitive = PatternMatcher(matchAll: 0x25, matchOne: 0x5F, matchSet: false, noCase: false)

    /// Whether `string` matches `pattern`; `matchOther` is '[' for GLOB, the escape character
    /// for LIKE, or 0.
    func matches(pattern p: Span<UInt8>, string s: Span<UInt8>, matchOther: UInt32) -> Bool {
        if let simple = SimplePattern(p, self, matchOther: matchOther) {
            return simple.matches(p, s, noCase: noCase)
        }
        var pi = 0, si = 0
        var resumePattern = -1, resumeString = 0
        while true {
            if matchElement(p, &pi, s, &si, matchOther: matchOther, resumePattern: &resumePattern,
                            resumeString: &resumeString) {
                if pi < 0 { return true }
                continue
            }
            // Mismatch: retry after the last run of wildcards, one character further on.
            if resumePattern < 0 { return false }
            if UTF8Text.byte(s, resumeString) == 0 { return false }
            UTF8Text.skip(s, &resumeString)
            // When the wildcard run is followed by a plain ASCII character, positions where the string
            // does not have that character cannot match: skip them without a full element match.
            let literal = UTF8Text.byte(p, resumePattern)
            if literal > 0 && literal < 0x80 && UInt32(literal) != matchOne && UInt32(literal) != matchOther
                && UInt32(literal) != matchAll {
                let folded = noCase ? asciiLower(literal) : literal
                while true {
                    let b = UTF8Text.byte(s, resumeString)
                    if b == 0 { return false }
                    if b == literal || (noCase && asciiLower(b) == folded) { break }
                    resumeString += 1
                }
            }
            pi = resumePattern
            si = resumeString
        }
    }

    /// Matches one pattern element. Returns false on a mismatch; sets `pi` to -1 on a full match.
    private func matchElement(_ p: Span<UInt8>, _ pi: inout Int, _ s: Span<UInt8>, _ si: inout Int,
                              matchOther: UInt32, resumePattern: inout Int, resumeString: inout Int) -> Bool {
        var pj = pi
        var c = UTF8Text.read(p, &pj)
        if c == 0 {
            if UTF8Text.byte(s, si) == 0 { pi = -1; return true }
            return false
        }
        if c == matchAll {
            var sj = si
            var before = pj
            while true {
                before = pj
                c = UTF8Text.read(p, &pj)
                if c == matchAll { continue }
                if c == matchOne && matchOne != 0 {
                    if UTF8Text.read(s, &sj) == 0 { resumePattern = -1; return false }
                    continue
                }
                break
            }
            if c == 0 { pi = -1; return true }
            resumePattern = before
            resumeString = sj
            pi = before
            si = sj
            return true
        }
        var escaped = false
        if c == matchOther {
            if !matchSet {
                c = UTF8Text.read(p, &pj)
                if c == 0 { return false }
                escaped = true
            } else {
                var sj = si
                guard matchSetElement(p, &pj, UTF8Text.read(s, &sj)) else { return false }
                pi = pj
                si = sj
                return true
            }
        }
        var sj = si
        let c2 = UTF8Text.read(s, &sj)
        if c == c2 || (noCase && c < 0x80 && c2 < 0x80 && asciiLower(UInt8(c)) == asciiLower(UInt8(c2)))
            || (c == matchOne && !escaped && c2 != 0) {
            pi = pj
            si = sj
            return true
        }
        return false
    }

    /// A GLOB set "[...]" (the '[' already read) against the character `c`.
    private func matchSetElement(_ p: Span<UInt8>, _ pj: inout Int, _ c: UInt32) -> Bool {
        if c == 0 { return false }
        var priorC: UInt32 = 0
        var seen = false
        var invert = false
        var c2 = UTF8Text.read(p, &pj)
        if c2 == 0x5E {
            invert = true
            c2 = UTF8Text.read(p, &pj)
        }
        if c2 == 0x5D {
            if c == 0x5D { seen = true }
            c2 = UTF8Text.read(p, &pj)
        }
        while c2 != 0 && c2 != 0x5D {
            let next = UTF8Text.byte(p, pj)
            if c2 == 0x2D && next != 0x5D && next != 0 && priorC > 0 {
                c2 = UTF8Text.read(p, &pj)
                if c >= priorC && c <= c2 { seen = true }
                priorC = 0
            } else {
                if c == c2 { seen = true }
                priorC = c2
            }
            c2 = UTF8Text.read(p, &pj)
        }
        return c2 != 0 && seen != invert
    }
}

/// A pattern that is one run of plain ASCII characters with or without a match-all wildcard run
/// before and after it (`%on%`, `abc%`, `%xyz`, `*.txt`): matching is a search for the run in the
/// string up to its first NUL, which gives patternCompare's answer without its per-character
/// work (an ASCII byte always starts a character in UTF-8, so a byte search cannot match inside
/// one; under NOCASE only ASCII letters fold, as in patternCompare).
private struct SimplePattern {
    var literal: Range<Int>
    var anyBefore: Bool
    var anyAfter: Bool

    init?(_ p: Span<UInt8>, _ m: PatternMatcher, matchOther: UInt32) {
        var i = 0
        let n = p.count
        let all = m.matchAll
        while i < n, all != 0, UInt32(p[i]) == all { i += 1 }
        anyBefore = i > 0
        let start = i
        while i < n {
            let b = p[i]
            if b == 0 || b >= 0x80 || UInt32(b) == all || UInt32(b) == m.matchOne || UInt32(b) == matchOther {
                break
            }
            i += 1
        }
        guard i > start else { return nil }
        literal = start..<i
        let end = i
        while i < n, all != 0, UInt32(p[i]) == all { i += 1 }
        anyAfter = i > end
        // The pattern must end here (at its end or at a NUL, which ends it for patternCompare).
        guard i == n || p[i] == 0 else { return nil }
    }

    func matches(_ pattern: Span<UInt8>, _ s: Span<UInt8>, noCase: Bool) -> Bool {
        s.withUnsafeBufferPointer { sb in
            pattern.withUnsafeBufferPointer { pb in
                let lit = UnsafeBufferPointer(rebasing: pb[literal])
                let k = lit.count
                // The literal holds no NUL, so a comparison that reaches the string's NUL fails by itself.
                func equal(at: Int) -> Bool {
                    guard at >= 0, at + k <= sb.count else { return false }
                    if noCase {
                        for j in 0..<k where sb[at + j] != lit[j] && asciiLower(sb[at + j]) != asciiLower(lit[j]) {
                            return false
                        }
                    } else {
                        for j in 0..<k where sb[at + j] != lit[j] { return false }
                    }
                    return true
                }
                switch (anyBefore, anyAfter) {
                case (false, true): return equal(at: 0)
                case (true, true): return contains(sb, lit, equal, noCase: noCase)
                case (false, false):
                    let length = textLength(sb)
                    return length == k && equal(at: 0)
                case (true, false): return equal(at: textLength(sb) - k)
                }
            }
        }
    }

    /// The bytes before the first NUL.
    private func textLength(_ sb: UnsafeBufferPointer<UInt8>) -> Int {
        var n = 0
        while n < sb.count && sb[n] != 0 { n += 1 }
        return n
    }

    /// Whether `lit` occurs before the string's first NUL. Eight bytes at a time are checked for a NUL or
    /// the literal's first character (either case of a letter under NOCASE), and for a literal of two or
    /// more characters its second one too, before any byte is looked at.
    private func contains(_ sb: UnsafeBufferPointer<UInt8>, _ lit: UnsafeBufferPointer<UInt8>,
                          _ equal: (Int) -> Bool, noCase: Bool) -> Bool {
        let first = lit[0]
        let folds = noCase && (first | 0x20) >= 0x61 && (first | 0x20) <= 0x7A  // an ASCII letter
        let target = folds ? first | 0x20 : first
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let caseBit: UInt64 = folds ? 0x2020_2020_2020_2020 : 0
        let broadcast = UInt64(target) &* ones
        @inline(__always) func zeroByte(_ v: UInt64) -> Bool { (v &- ones) & ~v & highs != 0 }
        @inline(__always) func candidate(_ b: UInt8) -> Bool { (folds ? b | 0x20 : b) == target }
        var at = 0
        if lit.count >= 2, let base = UnsafeRawPointer(sb.baseAddress) {
            // Two bytes at a time: a position is a candidate only when both the literal's first and second
            // characters are there (an English text holds the first letter of "%on%" everywhere, the pair
            // rarely), and a NUL ends the text. Exact per-byte zero flags, so lanes do not disturb each other.
            let second = lit[1]
            let folds2 = noCase && (second | 0x20) >= 0x61 && (second | 0x20) <= 0x7A
            let caseBit2: UInt64 = folds2 ? 0x2020_2020_2020_2020 : 0
            let broadcast2 = UInt64(folds2 ? second | 0x20 : second) &* ones
            let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
            @inline(__always) func zeroLanes(_ v: UInt64) -> UInt64 { ~(((v & lows) &+ lows) | v | lows) }
            while at + 9 <= sb.count {
                let word = base.loadUnaligned(fromByteOffset: at, as: UInt64.self)
                let next = base.loadUnaligned(fromByteOffset: at + 1, as: UInt64.self)
                var lanes = zeroLanes((word | caseBit) ^ broadcast) & zeroLanes((next | caseBit2) ^ broadcast2)
                let nul = zeroLanes(word)
                if nul != 0 { lanes &= (UInt64(1) << UInt64(nul.trailingZeroBitCount & ~7)) &- 1 }
                while lanes != 0 {
                    if equal(at + lanes.trailingZeroBitCount / 8) { return true }
                    lanes &= lanes &- 1
                }
                if nul != 0 { return false }
                at += 8
            }
        }
        while at + 8 <= sb.count, let base = UnsafeRawPointer(sb.baseAddress) {
            let word = base.loadUnaligned(fromByteOffset: at, as: UInt64.self)
            if zeroByte(word) || zeroByte((word | caseBit) ^ broadcast) {
                for j in at..<at + 8 {
                    if sb[j] == 0 { return false }
                    if candidate(sb[j]) && equal(j) { return true }
                }
            }
            at += 8
        }
        while at < sb.count {
            if sb[at] == 0 { return false }
            if candidate(sb[at]) && equal(at) { return true }
            at += 1
        }
        return false
    }
}

/// LIKE and GLOB on values (namespace).
enum Pattern {
    /// The error for an over-long pattern.
    static var tooComplex: DBError { DBError(.error, "LIKE or GLOB pattern too complex") }
    /// The error for a bad ESCAPE operand.
    static var badEscape: DBError { DBError(.error, "ESCAPE expression must be a single character") }

    /// `string LIKE pattern [ESCAPE escape]` (the like() function, arguments reversed):
    /// INTEGER 0/1 or NULL.
    static func like(_ string: Value, pattern: Value, escape: Value? = nil,
                     caseSensitive: Bool = false) throws(DBError) -> Value {
        try evaluate(caseSensitive ? .likeCaseSensitive : .like, string, pattern, escape)
    }

    /// `string GLOB pattern`: INTEGER 0/1 or NULL.
    static func glob(_ string: Value, pattern: Value) throws(DBError) -> Value {
        try evaluate(.glob, string, pattern, nil)
    }

    /// likeFunc(): checks in SQLite's order (blobs, pattern length, escape, NULLs).
    static func evaluate(_ base: PatternMatcher, _ string: Value, _ pattern: Value,
                         _ escape: Value?) throws(DBError) -> Value {
        if case .blob = string { return .integer(0) }
        if case .blob = pattern { return .integer(0) }
        let patternBytes = pattern.textBytes
        if (patternBytes?.count ?? 0) > SQLiteLimits.maxLikePatternLength { throw tooComplex }
        var matcher = base
        var matchOther: UInt32 = base.matchSet ? 0x5B : 0
        if let escape {
            guard let e = escape.textBytes else { return .null }
            let span = e.span
            let n = UTF8Text.characterCount(span)
            if n != 1 { throw badEscape }
            var i = 0
            matchOther = UTF8Text.read(span, &i)
            if matchOther == matcher.matchAll { matcher.matchAll = 0 }
            if matchOther == matcher.matchOne { matcher.matchOne = 0 }
        }
        guard let patternBytes, let stringBytes = string.textBytes else { return .null }
        let m = matcher.matches(pattern: patternBytes.span, string: stringBytes.span, matchOther: matchOther)
        return .integer(m ? 1 : 0)
    }
}
