// Printf: SQLite's printf()/format() SQL function (printf.c sqlite3_str_vappendf with
// SQLITE_PRINTF_SQLFUNC; printf.html).
//
// Conversions: %d %i %u %x %X %o %p %r (ordinal: 1st, 2nd, ...) %c %s %z %q %Q %w %f %e %E
// %g %G %n (prints nothing) %%. Flags - + space # ! 0 and ',' (thousands, decimal only);
// width and precision may be '*' (taken from the next argument); l and ll are accepted and
// ignored. Arguments are consumed left to right; a missing argument is 0, 0.0 or NULL.
// Text arguments are read as C strings (up to the first 0x00). An unknown conversion (or
// SQLite's internal %T/%S) ends the output there. Width and precision are counted in bytes,
// or in characters with '!' for %s, %c, %q, %Q, %w. A call that appends nothing at all (an
// empty format, or one that stops at once) gives NULL; so does output that would reach
// SQLITE_MAX_LENGTH (SQLITE_TOOBIG inside the string builder): both are what sqlite3 returns.
// Floating-point digits come from RealFormatting.swift.

import Base

/// The argument list of one printf() call (PrintfArguments in printf.c).
struct PrintfArgumentSource {
    /// The whole argument list of the call (the format is argument 0).
    let arguments: FunctionArguments
    /// The next argument to consume.
    var nextIndex: Int

    /// The next argument as an integer (0 when exhausted).
    mutating func nextInteger() -> Int64 {
        guard nextIndex < arguments.count else { return 0 }
        defer { nextIndex += 1 }
        return arguments[nextIndex].integerValue
    }

    /// The next argument as a real (0.0 when exhausted).
    mutating func nextReal() -> Double {
        guard nextIndex < arguments.count else { return 0 }
        defer { nextIndex += 1 }
        return arguments[nextIndex].realValue
    }

    /// The next argument as text bytes (nil for NULL or when exhausted).
    mutating func nextText() -> [UInt8]? {
        guard nextIndex < arguments.count else { return nil }
        defer { nextIndex += 1 }
        return arguments[nextIndex].textBytes
    }
}

/// One parsed conversion specification.
private struct PrintfSpec {
    var leftJustify = false
    var signPrefix: UInt8 = 0
    var alternateForm = false
    var alternateForm2 = false
    var zeroPad = false
    var thousands = false
    var width = 0
    var precision = -1
}

/// The printf() formatting engine.
enum Printf {
    private static let lowerDigits: [UInt8] = Array("0123456789abcdef".utf8)
    private static let upperDigits: [UInt8] = Array("0123456789ABCDEF".utf8)
    /// "th", "st", "nd", "rd" (printf.c zOrd).
    private static let ordinalSuffixes: [UInt8] = Array("thstndrd".utf8)

    /// Formats `format` (read up to its first 0x00 byte) with `arguments`; nil when the result
    /// would be too big (printf() then returns NULL).
    static func format(_ format: Span<UInt8>, _ arguments: inout PrintfArgumentSource,
                       limit: Int = SQLiteLimits.maxLength) -> [UInt8]? {
        var out: [UInt8] = []
        var writer = PrintfWriter(limit: limit)
        let n = UTF8Text.cStringLength(format)
        var i = 0
        while i < n {
            if format[i] != 0x25 {
                let start = i
                while i < n && format[i] != 0x25 { i += 1 }
                writer.append(format, start..<i, to: &out)
                if i >= n { break }
            }
            i += 1
            if i >= n {
                writer.append(byte: 0x25, to: &out)
                break
            }
            var spec = PrintfSpec()
            let c = parseSpec(format, n, &i, &spec, &arguments)
            if !convert(c, spec, &arguments, &writer, &out) { break }
            i += 1
        }
        // sqlite3_str never allocated (nothing was appended, not even an empty field): NULL.
        return writer.tooBig || !writer.touched ? nil : out
    }

    /// Parses flags, width, precision and length modifiers starting at `i` (just after '%');
    /// leaves `i` on the conversion character and returns it (0 at the end of the format).
    private static func parseSpec(_ f: Span<UInt8>, _ n: Int, _ i: inout Int, _ spec: inout PrintfSpec,
                                  _ args: inout PrintfArgumentSource) -> UInt8 {
        @inline(__always) func at(_ k: Int) -> UInt8 { k < n ? f[k] : 0 }
        var c = at(i)
        var done = false
        repeat {
            switch c {
            case 0x2D: spec.leftJustify = true
            case 0x2B: spec.signPrefix = 0x2B
            case 0x20: spec.signPrefix = 0x20
            case 0x23: spec.alternateForm = true
            case 0x21: spec.alternateForm2 = true
            case 0x30: spec.zeroPad = true
            case 0x2C: spec.thousands = true
            case 0x6C:
                i += 1
                c = at(i)
                if c == 0x6C { i += 1; c = at(i) }
                done = true
            case 0x31...0x39:
                var wx = UInt32(c - 0x30)
                i += 1
                c = at(i)
                while isDigit(c) {
                    wx = wx &* 10 &+ UInt32(c - 0x30)
                    i += 1
                    c = at(i)
                }
                spec.width = Int(wx & 0x7FFF_FFFF)
                if c != 0x2E && c != 0x6C { done = true } else { i -= 1 }
            case 0x2A:
                var width = Int(Int32(truncatingIfNeeded: args.nextInteger()))
                if width < 0 {
                    spec.leftJustify = true
                    width = width >= -2_147_483_647 ? -width : 0
                }
                spec.width = width
                c = at(i + 1)
                if c != 0x2E && c != 0x6C {
                    i += 1
                    c = at(i)
                    done = true
                }
            case 0x2E:
                c = parsePrecision(f, n, &i, &spec, &args)
                if c == 0x6C { i -= 1 } else { done = true }
            default:
                done = true
            }
            if !done {
                i += 1
                c = at(i)
                if c == 0 { done = true }
            }
        } while !done
        return c
    }

    /// The '.' part of a specification (at `i`): digits or '*'. Leaves `i` on the character
    /// after it and returns that character.
    private static func parsePrecision(_ f: Span<UInt8>, _ n: Int, _ i: inout Int, _ spec: inout PrintfSpec,
                                       _ args: inout PrintfArgumentSource) -> UInt8 {
        @inline(__always) func at(_ k: Int) -> UInt8 { k < n ? f[k] : 0 }
        i += 1
        var c = at(i)
        if c == 0x2A {
            var precision = Int(Int32(truncatingIfNeeded: args.nextInteger()))
            if precision < 0 { precision = precision >= -2_147_483_647 ? -precision : -1 }
            spec.precision = precision
            i += 1
            return at(i)
        }
        var px: UInt32 = 0
        while isDigit(c) {
            px = px &* 10 &+ UInt32(c - 0x30)
            i += 1
            c = at(i)
        }
        spec.precision = Int(px & 0x7FFF_FFFF)
        return c
    }

    /// Performs one conversion; false when formatting must stop (unknown conversion, too big).
    private static func convert(_ c: UInt8, _ spec: PrintfSpec, _ args: inout PrintfArgumentSource,
                                _ writer: inout PrintfWriter, _ out: inout [UInt8]) -> Bool {
        var spec = spec
        var field: [UInt8] = []
        switch c {
        case 0x64, 0x69: // d i
            guard formatInteger(args.nextInteger(), signed: true, base: 10, spec: &spec, writer: &writer,
                                into: &field) else { return false }
        case 0x75: // u
            guard formatInteger(args.nextInteger(), signed: false, base: 10, spec: &spec, writer: &writer,
                                into: &field) else { return false }
        case 0x72: // r
            spec.thousands = false
            guard formatInteger(args.nextInteger(), signed: true, base: 10, ordinal: true, spec: &spec,
                                writer: &writer, into: &field) else { return false }
        case 0x78, 0x58, 0x6F, 0x70: // x X o p
            spec.thousands = false
            let base = c == 0x6F ? 8 : 16
            guard formatInteger(args.nextInteger(), signed: false, base: base, lowerHex: c == 0x78,
                                prefix: c == 0x6F ? [0x30] : (c == 0x58 ? [0x30, 0x58] : [0x30, 0x78]),
                                spec: &spec, writer: &writer, into: &field) else { return false }
        case 0x66, 0x65, 0x45, 0x67, 0x47: // f e E g G
            let style: RealFormatSpec.Style = c == 0x66 ? .fixed : (c == 0x65 || c == 0x45 ? .exponent : .general)
            let real = RealFormatSpec(style: style, upperCase: c == 0x45 || c == 0x47, precision: spec.precision,
                                      width: spec.width, signPrefix: spec.signPrefix,
                                      alternateForm: spec.alternateForm, alternateForm2: spec.alternateForm2,
                                      zeroPad: spec.zeroPad, leftJustify: spec.leftJustify)
            guard appendFormattedReal(args.nextReal(), real, sizeLimit: writer.limit, to: &field) else {
                writer.tooBig = true
                return false
            }
        case 0x6E: // n
            spec.width = 0
        case 0x25: // %
            field = [0x25]
        case 0x63: // c
            formatCharacter(args.nextText(), &spec, &writer, &out, into: &field)
            if spec.width > 0 { spec.width += continuationBytes(field) }
        case 0x73, 0x7A: // s z
            let text = args.nextText() ?? []
            let span = text.span
            var length = 0
            if spec.precision >= 0 {
                if spec.alternateForm2 {
                    var k = spec.precision
                    while k > 0 && UTF8Text.byte(span, length) != 0 {
                        UTF8Text.skip(span, &length)
                        k -= 1
                    }
                } else {
                    while length < spec.precision && UTF8Text.byte(span, length) != 0 { length += 1 }
                }
            } else {
                length = UTF8Text.cStringLength(span)
            }
            field = Array(text[0..<length])
            if spec.alternateForm2 && spec.width > 0 { spec.width += continuationBytes(field) }
        case 0x71, 0x51, 0x77: // q Q w
            formatEscaped(c, args.nextText(), spec, into: &field)
            if spec.alternateForm2 && spec.width > 0 { spec.width += continuationBytes(field) }
        default:
            return false
        }
        writer.appendField(field, width: spec.width, leftJustify: spec.leftJustify, to: &out)
        return !writer.tooBig
    }

    /// The etDECIMAL / etRADIX / etORDINAL / etPOINTER conversions.
    private static func formatInteger(_ argument: Int64, signed: Bool, base: Int, lowerHex: Bool = false,
                                      ordinal: Bool = false, prefix alternatePrefix: [UInt8] = [],
                                      spec: inout PrintfSpec, writer: inout PrintfWriter,
                                      into field: inout [UInt8]) -> Bool {
        var magnitude: UInt64
        var sign: UInt8 = 0
        if signed {
            if argument < 0 {
                magnitude = argument.magnitude
                sign = 0x2D
            } else {
                magnitude = UInt64(argument)
                sign = spec.signPrefix
            }
        } else {
            magnitude = UInt64(bitPattern: argument)
        }
        var alternate = spec.alternateForm
        if magnitude == 0 { alternate = false }
        var precision = spec.precision
        let signWidth = sign != 0 ? 1 : 0
        if spec.zeroPad && precision < spec.width - signWidth { precision = spec.width - signWidth }
        if precision >= 37 {
            let needed = precision + 10 + (spec.thousands ? precision / 3 : 0)
            if needed > writer.limit {
                writer.tooBig = true
                return false
            }
        }
        var digits: [UInt8] = []
        digits.reserveCapacity(max(precision, 24) + 8)
        if ordinal {
            var x = Int(magnitude % 10)
            if x >= 4 || (magnitude / 10) % 10 == 1 { x = 0 }
            digits.append(ordinalSuffixes[x * 2 + 1])
            digits.append(ordinalSuffixes[x * 2])
        }
        let charset = lowerHex ? lowerDigits : upperDigits
        let b = UInt64(base)
        var v = magnitude
        repeat {
            digits.append(charset[Int(v % b)])
            v /= b
        } while v > 0
        while precision > digits.count { digits.append(0x30) }
        digits.reverse()
        field.reserveCapacity(digits.count + digits.count / 3 + 4)
        if alternate { field.append(contentsOf: alternatePrefix) }
        if sign != 0 { field.append(sign) }
        if spec.thousands {
            var group = (digits.count - 1) % 3 + 1
            for (k, d) in digits.enumerated() {
                field.append(d)
                group -= 1
                if group == 0 && k != digits.count - 1 {
                    field.append(0x2C)
                    group = 3
                }
            }
        } else {
            field.append(contentsOf: digits)
        }
        return true
    }

    /// %c: one character of the argument (or a 0x00 byte), repeated `precision` times.
    private static func formatCharacter(_ text: [UInt8]?, _ spec: inout PrintfSpec, _ writer: inout PrintfWriter,
                                        _ out: inout [UInt8], into field: inout [UInt8]) {
        field = [0]
        if let text, !text.isEmpty {
            field[0] = text[0]
            if text[0] & 0xC0 == 0xC0 {
                var k = 1
                while field.count < 4 && k < text.count && text[k] & 0xC0 == 0x80 {
                    field.append(text[k])
                    k += 1
                }
            }
        }
        if spec.precision > 1 {
            spec.width -= spec.precision - 1
            if spec.width > 1 && !spec.leftJustify {
                writer.appendSpaces(spec.width - 1, to: &out)
                spec.width = 0
            }
            var k = spec.precision
            while k > 1 && !writer.tooBig {
                writer.append(field, to: &out)
                k -= 1
            }
        }
    }

    /// %q (double '), %Q (double ', quote, NULL unquoted), %w (double ").
    private static func formatEscaped(_ c: UInt8, _ text: [UInt8]?, _ spec: PrintfSpec, into field: inout [UInt8]) {
        let quote: UInt8 = c == 0x77 ? 0x22 : 0x27
        let escArg: [UInt8] = text ?? (c == 0x51 ? Array("NULL".utf8) : Array("(NULL)".utf8))
        let span = escArg.span
        var k = spec.precision
        var i = 0
        while k != 0 && UTF8Text.byte(span, i) != 0 {
            if spec.alternateForm2 && escArg[i] & 0xC0 == 0xC0 {
                while UTF8Text.byte(span, i + 1) & 0xC0 == 0x80 { i += 1 }
            }
            i += 1
            k -= 1
        }
        let needQuote = text != nil && c == 0x51
        if needQuote { field.append(quote) }
        for j in 0..<i {
            field.append(escArg[j])
            if escArg[j] == quote { field.append(quote) }
        }
        if needQuote { field.append(quote) }
    }

    /// UTF-8 continuation bytes in a field (the '!' width adjustment).
    private static func continuationBytes(_ field: [UInt8]) -> Int {
        var n = 0
        for b in field where b & 0xC0 == 0x80 { n += 1 }
        return n
    }
}

/// The output side of printf: appends with SQLITE_MAX_LENGTH checks (StrAccum).
private struct PrintfWriter {
    let limit: Int
    var tooBig = false
    /// Whether anything (even zero bytes) was appended: StrAccum allocated its buffer.
    var touched = false

    init(limit: Int) { self.limit = limit }

    @inline(__always)
    private mutating func reserve(_ n: Int, _ out: [UInt8]) -> Bool {
        touched = true
        if tooBig { return false }
        if out.count + n + 1 > limit {
            tooBig = true
            return false
        }
        return true
    }

    mutating func append(_ bytes: Span<UInt8>, _ range: Range<Int>, to out: inout [UInt8]) {
        guard reserve(range.count, out) else { return }
        for k in range { out.append(bytes[k]) }
    }

    mutating func append(byte: UInt8, to out: inout [UInt8]) {
        guard reserve(1, out) else { return }
        out.append(byte)
    }

    mutating func append(_ bytes: [UInt8], to out: inout [UInt8]) {
        guard reserve(bytes.count, out) else { return }
        out.append(contentsOf: bytes)
    }

    mutating func appendSpaces(_ n: Int, to out: inout [UInt8]) {
        guard n > 0, reserve(n, out) else { return }
        out.append(contentsOf: repeatElement(0x20, count: n))
    }

    /// The final step of every conversion: pad to `width` with spaces on the proper side.
    mutating func appendField(_ field: [UInt8], width: Int, leftJustify: Bool, to out: inout [UInt8]) {
        let pad = width - field.count
        if pad > 0 {
            if !leftJustify { appendSpaces(pad, to: &out) }
            append(field, to: &out)
            if leftJustify { appendSpaces(pad, to: &out) }
        } else {
            append(field, to: &out)
        }
    }
}
