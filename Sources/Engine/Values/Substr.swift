// Substr: substr(X, P [, N]) on characters of text and bytes of blobs (func.c substrFunc;
// lang_corefunc.html#substr).
//
// P is 1-based; P < 0 counts from the end; P = 0 is a position before the first character
// (so substr(X, 0, 2) is one character). N < 0 takes the |N| characters before P. P and N
// are read as 32-bit integers (sqlite3_value_int); without N the rest of X is taken.
// Text is walked as NUL-terminated UTF-8 (SQLITE_SKIP_UTF8); numbers are taken as their
// text. Blob results are blobs, everything else text; a NULL argument (or an empty blob) gives
// NULL.

import Base

/// substr() (namespace).
enum Substr {
    /// substr(x, start) or substr(x, start, length).
    static func substring(_ x: Value, start: Value, length: Value?) -> Value {
        if start.isNull { return .null }
        if let length, length.isNull { return .null }
        var p1 = Int64(start.int32Value)
        var p2: Int64
        var negP2 = false
        if let length {
            p2 = Int64(length.int32Value)
            if p2 < 0 { p2 = -p2; negP2 = true }
        } else {
            p2 = Int64(SQLiteLimits.maxLength)
        }
        switch x {
        case .null: return .null
        case .blob(let b):
            // sqlite3_value_blob() of an empty blob is a NULL pointer, and substr() then returns NULL.
            if b.isEmpty { return .null }
            let len = Int64(b.count)
            normalize(&p1, &p2, negP2: negP2, hasLength: length != nil, len: len)
            if p1 + p2 > len { p2 = max(len - p1, 0) }
            if p2 <= 0 || p1 >= len { return .blob([]) }
            return .blob(Array(b[Int(p1)..<Int(p1 + p2)]))
        default:
            guard let t = x.textBytes else { return .null }
            var len: Int64 = 0
            if p1 < 0 { len = Int64(UTF8Text.characterCount(t.span)) }
            normalize(&p1, &p2, negP2: negP2, hasLength: length != nil, len: len)
            return t.withUnsafeBufferPointer { z in
                let i = skipCharacters(z, from: 0, p1), j = skipCharacters(z, from: i, p2)
                return .text(Array(UnsafeBufferPointer(rebasing: z[i..<j])))
            }
        }
    }

    /// The index `count` characters after `start` (SQLITE_SKIP_UTF8 each), stopping at a 0x00 byte or
    /// the end. A loop over raw bytes: substr() of long text walks it character by character.
    @inline(__always)
    private static func skipCharacters(_ z: UnsafeBufferPointer<UInt8>, from start: Int, _ count: Int64) -> Int {
        var i = start, left = count
        let n = z.count
        while i < n && left > 0 {
            let c = z[i]
            if c == 0 { break }
            i += 1
            if c >= 0xC0 {
                while i < n && z[i] & 0xC0 == 0x80 { i += 1 }
            }
            left -= 1
        }
        return i
    }

    /// The start/length adjustments of substrFunc (before walking the characters).
    private static func normalize(_ p1: inout Int64, _ p2: inout Int64, negP2: Bool, hasLength: Bool, len: Int64) {
        if p1 < 0 {
            p1 += len
            if p1 < 0 {
                p2 += p1
                if p2 < 0 { p2 = 0 }
                p1 = 0
            }
        } else if p1 > 0 {
            p1 -= 1
        } else if p2 > 0 {
            p2 -= 1
        }
        if negP2 {
            p1 -= p2
            if p1 < 0 {
                p2 += p1
                p1 = 0
            }
        }
    }
}
