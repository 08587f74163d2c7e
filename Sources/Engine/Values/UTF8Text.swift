// UTF8Text: character-level helpers over UTF-8 bytes, exactly as SQLite counts characters.
//
// SQLite never validates UTF-8. A character starts at any byte that is not a continuation
// byte (0x80-0xBF) following a lead byte >= 0xC0; bytes 0x80-0xBF that start a character
// count as one character each (SQLITE_SKIP_UTF8, utf.c READ_UTF8). Decoding (sqlite3Utf8Read)
// maps overlong encodings of ASCII, surrogates and U+FFFE/U+FFFF to U+FFFD.
// Many SQL functions read their text argument as a NUL-terminated C string: the helpers
// whose name says "C string" stop at the first 0x00 byte, as sqlite3_value_text() readers do.
// Case mapping is ASCII only (SQLite without ICU; sqlite3UpperToLower). Identifiers compare
// with ASCII case folding (sqlite3StrICmp).

/// Lead-byte payload bits for bytes 0xC0...0xFF (the sqlite3Utf8Trans1 rule).
@inline(__always)
func utf8LeadBits(_ b: UInt8) -> UInt32 {
    switch b {
    case 0xC0...0xDF: return UInt32(b & 0x1F)
    case 0xE0...0xEF: return UInt32(b & 0x0F)
    case 0xF0...0xF7: return UInt32(b & 0x07)
    case 0xF8...0xFB: return UInt32(b & 0x03)
    case 0xFC...0xFD: return UInt32(b & 0x01)
    default: return 0
    }
}

/// ASCII upper case (sqlite3Toupper): only a-z change.
@inline(__always)
func asciiUpper(_ c: UInt8) -> UInt8 { (c &- 0x61) < 26 ? c & 0xDF : c }

/// The space characters of sqlite3Isspace: ' ', \t, \n, \v, \f, \r.
@inline(__always)
func isSQLSpace(_ c: UInt8) -> Bool { c == 0x20 || (c &- 0x09) < 5 }

/// ASCII decimal digit (sqlite3Isdigit).
@inline(__always)
func isDigit(_ c: UInt8) -> Bool { (c &- 0x30) < 10 }

/// ASCII hexadecimal digit (sqlite3Isxdigit).
@inline(__always)
func isHexDigit(_ c: UInt8) -> Bool { isDigit(c) || (c | 0x20) &- 0x61 < 6 }

/// The value of a hexadecimal digit (sqlite3HexToInt); only meaningful when `isHexDigit(c)`.
@inline(__always)
func hexDigitValue(_ c: UInt8) -> UInt8 { c <= 0x39 ? c &- 0x30 : (c | 0x20) &- 0x61 &+ 10 }

/// ASCII letter (sqlite3Isalpha).
@inline(__always)
func isASCIILetter(_ c: UInt8) -> Bool { ((c | 0x20) &- 0x61) < 26 }

import Base

/// Character-level helpers over UTF-8 bytes (namespace).
enum UTF8Text {
    /// The byte at `i`, or 0 past the end: reads `bytes` as if it were NUL-terminated.
    @inline(__always)
    static func byte(_ bytes: Span<UInt8>, _ i: Int) -> UInt8 { i < bytes.count ? bytes[i] : 0 }

    /// Decodes one character at `i` and advances `i` (sqlite3Utf8Read). Returns 0 at the end
    /// (without advancing); an embedded 0x00 byte decodes as 0 too, so callers treat it as the end.
    @inline(__always)
    static func read(_ bytes: Span<UInt8>, _ i: inout Int) -> UInt32 {
        guard i < bytes.count else { return 0 }
        let first = bytes[i]
        i += 1
        if first < 0xC0 { return UInt32(first) }
        var c = utf8LeadBits(first)
        while i < bytes.count && bytes[i] & 0xC0 == 0x80 {
            c = (c << 6) &+ UInt32(bytes[i] & 0x3F)
            i += 1
        }
        if c < 0x80 || c & 0xFFFF_F800 == 0xD800 || c & 0xFFFF_FFFE == 0xFFFE { c = 0xFFFD }
        return c
    }

    /// Skips one character at `i` (SQLITE_SKIP_UTF8), bounded by the end of `bytes`.
    @inline(__always)
    static func skip(_ bytes: Span<UInt8>, _ i: inout Int) {
        let first = bytes[i]
        i += 1
        if first >= 0xC0 {
            while i < bytes.count && bytes[i] & 0xC0 == 0x80 { i += 1 }
        }
    }

    /// The length of the C string in `bytes`: the index of the first 0x00 byte, or the count.
    static func cStringLength(_ bytes: Span<UInt8>) -> Int {
        var i = 0
        while i < bytes.count && bytes[i] != 0 { i += 1 }
        return i
    }

    /// Characters in the C string (length() of a TEXT value): continuation bytes after a
    /// lead byte >= 0xC0 do not count; counting stops at the first 0x00 byte.
    static func characterCount(_ bytes: Span<UInt8>) -> Int {
        bytes.withUnsafeBufferPointer { b in
            var n = 0
            var i = 0
            if let base = b.baseAddress {
                // Eight bytes of ASCII without a NUL are eight characters: counted a word at a time until a
                // word holds a NUL or a byte of a multi-byte character.
                let raw = UnsafeRawPointer(base)
                let highs: UInt64 = 0x8080_8080_8080_8080, ones: UInt64 = 0x0101_0101_0101_0101
                while i + 8 <= b.count {
                    let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    if w & highs != 0 || (w &- ones) & ~w & highs != 0 { break }
                    i += 8
                    n += 8
                }
            }
            while i < b.count {
                let c = b[i]
                if c == 0 { break }
                i += 1
                n += 1
                if c >= 0xC0 {
                    while i < b.count && b[i] & 0xC0 == 0x80 { i += 1 }
                }
            }
            return n
        }
    }

    /// Encodes `c` as SQLite's WRITE_UTF8 does (no validation: surrogates are written as-is).
    static func append(_ c: UInt32, to out: inout [UInt8]) {
        if c < 0x80 {
            out.append(UInt8(c & 0xFF))
        } else if c < 0x800 {
            out.append(0xC0 &+ UInt8((c >> 6) & 0x1F))
            out.append(0x80 &+ UInt8(c & 0x3F))
        } else if c < 0x10000 {
            out.append(0xE0 &+ UInt8((c >> 12) & 0x0F))
            out.append(0x80 &+ UInt8((c >> 6) & 0x3F))
            out.append(0x80 &+ UInt8(c & 0x3F))
        } else {
            out.append(0xF0 &+ UInt8((c >> 18) & 0x07))
            out.append(0x80 &+ UInt8((c >> 12) & 0x3F))
            out.append(0x80 &+ UInt8((c >> 6) & 0x3F))
            out.append(0x80 &+ UInt8(c & 0x3F))
        }
    }

    /// ASCII upper-casing of every byte (upper()): the result has the same length.
    static func uppercased(_ bytes: Span<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for i in bytes.indices { out.append(asciiUpper(bytes[i])) }
        return out
    }

    /// ASCII lower-casing of every byte (lower()): the result has the same length.
    static func lowercased(_ bytes: Span<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for i in bytes.indices { out.append(asciiLower(bytes[i])) }
        return out
    }

    /// Case-insensitive (ASCII) equality of two identifiers (sqlite3StrICmp() == 0).
    static func identifiersEqual(_ a: Span<UInt8>, _ b: Span<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        for i in a.indices where asciiLower(a[i]) != asciiLower(b[i]) { return false }
        return true
    }

    /// Case-insensitive (ASCII) equality of two identifiers given as strings.
    static func identifiersEqual(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { pa in b.withUTF8 { pb in identifiersEqual(pa.span, pb.span) } }
    }

    /// The ASCII-lower-cased form of an identifier (the key of case-insensitive lookups).
    static func foldedIdentifier(_ name: String) -> String {
        var bytes = Array(name.utf8)
        for i in bytes.indices { bytes[i] = asciiLower(bytes[i]) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
