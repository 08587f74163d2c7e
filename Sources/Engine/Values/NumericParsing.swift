// NumericParsing: SQLite's text-to-number parsers, bit for bit (util.c sqlite3AtoF,
// sqlite3Atoi64, sqlite3DecOrHexToI64, sqlite3GetInt32).
//
// `parseReal` accepts [+-]digits[.digits][(e|E)[+-]digits] with leading and trailing
// spaces and converts any valid prefix. It keeps at most 18 significant digits in an Int64
// and scales by a power of ten computed in `long double`: on x86-64 that is the 80-bit x87
// format, reproduced here with Float80 so the rounding (and hence every REAL that SQLite
// derives from text) is identical. Other architectures use Double, as SQLite does there.
// `parseInt64` accepts [+-]digits with surrounding spaces; hexadecimal is not accepted.
// Both report how well-formed the text was with SQLite's return codes, documented below.
// Inputs are byte spans; nothing here allocates.

#if arch(x86_64) && !os(Windows) && !os(Android)
/// SQLite's LONGDOUBLE_TYPE on this platform (x87 80-bit extended precision).
typealias LongDouble = Float80
#else
/// SQLite's LONGDOUBLE_TYPE on this platform (`long double` is `double`).
typealias LongDouble = Double
#endif

/// The result of `NumericParsing.parseReal` (sqlite3AtoF).
struct RealParseResult {
    /// The converted value of the longest valid prefix (0.0 when there is none).
    var value: Double
    /// sqlite3AtoF's code: 1 = a pure integer; 2 or more = has a decimal point or an exponent;
    /// 0 = not a number; -1 = not a number, but a valid prefix has a point or exponent.
    var code: Int

    /// The whole text (ignoring surrounding spaces) is a number.
    @inline(__always) var isNumber: Bool { code > 0 }
}

/// sqlite3Atoi64's return codes.
enum IntegerParseStatus: Int {
    /// No digits at all.
    case noDigits = -1
    /// Fits in an Int64 and nothing but spaces follows.
    case exact = 0
    /// Fits, but non-space text follows the digits.
    case trailingText = 1
    /// Too large for an Int64 (the value is clamped).
    case overflow = 2
    /// Exactly 9223372036854775808 (fits only when negated).
    case twoToThe63 = 3
}

/// SQLite's text-to-number parsers (namespace).
enum NumericParsing {
    /// 10^e in long double by repeated squaring (sqlite3Pow10, non-MSVC form), 0 <= e <= 341.
    @inline(__always)
    static func powerOfTen(_ e: Int) -> LongDouble {
        var x: LongDouble = 10.0
        var r: LongDouble = 1.0
        var e = e
        while true {
            if e & 1 != 0 { r *= x }
            e >>= 1
            if e == 0 { break }
            x *= x
        }
        return r
    }

    /// Converts text to a real exactly as sqlite3AtoF does (UTF-8).
    static func parseReal(_ z: Span<UInt8>) -> RealParseResult {
        let end = z.count
        if end == 0 { return RealParseResult(value: 0, code: 0) }
        var i = 0
        var sign = 1
        var s: Int64 = 0
        var d = 0
        var esign = 1
        var e = 0
        var eValid = true
        var nDigit = 0
        var eType = 1
        let limit = (Int64.max - 9) / 10

        while i < end && isSQLSpace(z[i]) { i += 1 }
        if i >= end { return RealParseResult(value: 0, code: 0) }
        if z[i] == 0x2D { sign = -1; i += 1 } else if z[i] == 0x2B { i += 1 }

        scan: do {
            while i < end && isDigit(z[i]) {
                s = s * 10 + Int64(z[i] - 0x30)
                i += 1
                nDigit += 1
                if s >= limit {
                    while i < end && isDigit(z[i]) { i += 1; d += 1 }
                }
            }
            if i >= end { break scan }
            if z[i] == 0x2E {
                i += 1
                eType += 1
                while i < end && isDigit(z[i]) {
                    if s < limit {
                        s = s * 10 + Int64(z[i] - 0x30)
                        d -= 1
                        nDigit += 1
                    }
                    i += 1
                }
            }
            if i >= end { break scan }
            if z[i] == 0x65 || z[i] == 0x45 {
                i += 1
                eValid = false
                eType += 1
                if i >= end { break scan }
                if z[i] == 0x2D { esign = -1; i += 1 } else if z[i] == 0x2B { i += 1 }
                while i < end && isDigit(z[i]) {
                    e = e < 10000 ? e * 10 + Int(z[i] - 0x30) : 10000
                    i += 1
                    eValid = true
                }
            }
            while i < end && isSQLSpace(z[i]) { i += 1 }
        }

        let value = scaledValue(significand: s, negative: sign < 0, exponent: e * esign + d)
        let code: Int
        if i == end && nDigit > 0 && eValid && eType > 0 {
            code = eType
        } else if eType >= 2 && (eType == 3 || eValid) && nDigit > 0 {
            code = -1
        } else {
            code = 0
        }
        return RealParseResult(value: value, code: code)
    }

    /// The do_atof_calc step of sqlite3AtoF: significand * 10^exponent, rounded as SQLite does.
    static func scaledValue(significand: Int64, negative: Bool, exponent: Int) -> Double {
        var s = significand
        if s == 0 { return negative ? -0.0 : 0.0 }
        var e = exponent
        var esign = 1
        if e < 0 { esign = -1; e = -e }
        while e > 0 {
            if esign > 0 {
                if s >= Int64.max / 10 { break }
                s *= 10
            } else {
                if s % 10 != 0 { break }
                s /= 10
            }
            e -= 1
        }
        if negative { s = -s }
        if e == 0 { return Double(s) }
        if e > 307 {
            if e < 342 {
                let scale = powerOfTen(e - 308)
                var result: Double
                if esign < 0 {
                    result = Double(LongDouble(s) / scale)
                    result /= 1.0e+308
                } else {
                    result = Double(LongDouble(s) * scale)
                    result *= 1.0e+308
                }
                return result
            }
            return esign < 0 ? 0.0 * Double(s) : Double.infinity * Double(s)
        }
        let scale = powerOfTen(e)
        return esign < 0 ? Double(LongDouble(s) / scale) : Double(LongDouble(s) * scale)
    }

    /// Converts decimal text to an Int64 exactly as sqlite3Atoi64 does (UTF-8).
    static func parseInt64(_ z: Span<UInt8>) -> (value: Int64, status: IntegerParseStatus) {
        let end = z.count
        var i = 0
        var negative = false
        while i < end && isSQLSpace(z[i]) { i += 1 }
        if i < end {
            if z[i] == 0x2D { negative = true; i += 1 } else if z[i] == 0x2B { i += 1 }
        }
        let start = i
        while i < end && z[i] == 0x30 { i += 1 }
        let digitsStart = i
        var u: UInt64 = 0
        while i < end && isDigit(z[i]) {
            u = u &* 10 &+ UInt64(z[i] - 0x30)
            i += 1
        }
        let digits = i - digitsStart
        var value: Int64
        if u > UInt64(Int64.max) {
            value = negative ? Int64.min : Int64.max
        } else {
            value = negative ? -Int64(u) : Int64(u)
        }
        var status = IntegerParseStatus.exact
        if digits == 0 && start == digitsStart {
            status = .noDigits
        } else if i < end {
            var j = i
            while j < end {
                if !isSQLSpace(z[j]) { status = .trailingText; break }
                j += 1
            }
        }
        if digits < 19 { return (value, status) }
        let c = digits > 19 ? 1 : compareToTwoToThe63(z, digitsStart)
        if c < 0 { return (value, status) }
        value = negative ? Int64.min : Int64.max
        if c > 0 { return (value, .overflow) }
        return (value, negative ? status : .twoToThe63)
    }

    /// Compares the 19 digits at `start` with "9223372036854775808" (compare2pow63).
    private static func compareToTwoToThe63(_ z: Span<UInt8>, _ start: Int) -> Int {
        let pow63: StaticString = "922337203685477580"
        var c = 0
        pow63.withUTF8Buffer { p in
            var k = 0
            while c == 0 && k < 18 {
                c = (Int(z[start + k]) - Int(p[k])) * 10
                k += 1
            }
        }
        if c == 0 { c = Int(z[start + 18]) - 0x38 }
        return c
    }

    /// Converts an integer literal token, decimal or 0x-hexadecimal (sqlite3DecOrHexToI64).
    /// Hexadecimal with at most 16 significant digits wraps to the Int64 bit pattern.
    static func parseIntegerLiteral(_ z: Span<UInt8>) -> (value: Int64, status: IntegerParseStatus) {
        if z.count >= 2 && z[0] == 0x30 && (z[1] | 0x20) == 0x78 {
            var i = 2
            while i < z.count && z[i] == 0x30 { i += 1 }
            var k = i
            var u: UInt64 = 0
            while k < z.count && isHexDigit(z[k]) {
                u = u &* 16 &+ UInt64(hexDigitValue(z[k]))
                k += 1
            }
            let ok = k == z.count && k - i <= 16
            return (Int64(bitPattern: u), ok ? .exact : .overflow)
        }
        return parseInt64(z)
    }

    /// sqlite3GetInt32 over a C string: decimal or 0x-hex prefix that fits in 32 bits.
    static func parseInt32Prefix(_ z: Span<UInt8>) -> Int32? {
        var i = 0
        var negative = false
        let c0 = UTF8Text.byte(z, 0)
        if c0 == 0x2D {
            negative = true; i = 1
        } else if c0 == 0x2B {
            i = 1
        } else if c0 == 0x30 && (UTF8Text.byte(z, 1) | 0x20) == 0x78 && isHexDigit(UTF8Text.byte(z, 2)) {
            i = 2
            while UTF8Text.byte(z, i) == 0x30 { i += 1 }
            var u: UInt32 = 0
            var k = 0
            while k < 8 && isHexDigit(UTF8Text.byte(z, i + k)) {
                u = u &* 16 &+ UInt32(hexDigitValue(UTF8Text.byte(z, i + k)))
                k += 1
            }
            if u & 0x8000_0000 == 0 && !isHexDigit(UTF8Text.byte(z, i + k)) { return Int32(bitPattern: u) }
            return nil
        }
        if !isDigit(UTF8Text.byte(z, i)) { return nil }
        while UTF8Text.byte(z, i) == 0x30 { i += 1 }
        var v: Int64 = 0
        var k = 0
        while k < 11 && isDigit(UTF8Text.byte(z, i + k)) {
            v = v * 10 + Int64(UTF8Text.byte(z, i + k) - 0x30)
            k += 1
        }
        if k > 10 { return nil }
        if v - (negative ? 1 : 0) > 2_147_483_647 { return nil }
        return Int32(truncatingIfNeeded: negative ? -v : v)
    }
}
