// RealFormatting: SQLite 3.40.1's floating-point text conversion (printf.c, etFLOAT/etEXP/
// etGENERIC) and the renderings built on it.
//
// SQLite does not use the C library: it normalizes the value into [1,10) by multiplying
// and dividing by powers of ten in `long double`, adds a rounding constant, then peels off
// digits one at a time (et_getdigit), emitting at most 16 significant digits (26 with the
// '!' flag) and '0' after that. The same arithmetic is done here in Float80 on x86-64 (see
// NumericParsing.swift, `LongDouble`), so every digit is the one SQLite prints.
// Entry points: `renderRealAsText` (CAST(r AS TEXT), list output: "%!.15g"),
// `renderRealForQuoteMode` (the CLI's -quote mode: "%!.20g") and `renderRealAsLiteral`
// (quote(): "%!.15g", or "%!.20e" when that does not read back as the same double).
// `RealFormatSpec` + `appendFormattedReal` serve printf's %f %e %E %g %G.

/// A floating-point conversion of printf: the letter, precision and flags.
struct RealFormatSpec {
    /// %f, %e/%E, %g/%G.
    enum Style { case fixed, exponent, general }
    /// The conversion.
    var style: Style
    /// 'E' or 'G' rather than 'e' or 'g'.
    var upperCase = false
    /// Digits after the point (significant digits for general); -1 means the default 6.
    var precision = -1
    /// Minimum field width; used here only for zero padding (the '0' flag).
    var width = 0
    /// 0, '+' or ' ': what to print before a non-negative number.
    var signPrefix: UInt8 = 0
    /// The '#' flag.
    var alternateForm = false
    /// The '!' flag: 26 significant digits and keep ".0" when trailing zeros are removed.
    var alternateForm2 = false
    /// The '0' flag.
    var zeroPad = false
    /// The '-' flag (disables zero padding).
    var leftJustify = false
}

/// Decimal exponent guard of printf.c: values needing more than this print as Inf.
private let maxDecimalExponent = 350
/// SQLITE_FP_PRECISION_LIMIT.
let realPrecisionLimit = 100_000_000
private let roundingConstants: [Double] = [
    5.0e-01, 5.0e-02, 5.0e-03, 5.0e-04, 5.0e-05, 5.0e-06, 5.0e-07, 5.0e-08, 5.0e-09, 5.0e-10,
]

/// et_getdigit: the next digit of `value` (in [0,10)), or '0' once `count` digits were given.
@inline(__always)
private func nextDigit(_ value: inout LongDouble, _ count: inout Int) -> UInt8 {
    if count <= 0 { return 0x30 }
    count -= 1
    let digit = value >= 0 && value < 100 ? Int(value) : 0
    value = (value - LongDouble(digit)) * 10.0
    return UInt8(truncatingIfNeeded: digit &+ 0x30)
}

/// Appends `value` formatted as printf.c does for %f, %e, %g (with flags) to `out`.
/// Returns false, appending nothing, when printf.c's working buffer for the conversion would
/// exceed `sizeLimit` bytes (printf() then reports SQLITE_TOOBIG).
@discardableResult
func appendFormattedReal(_ value: Double, _ spec: RealFormatSpec, sizeLimit: Int = Int.max,
                         to out: inout [UInt8]) -> Bool {
    var precision = min(spec.precision < 0 ? 6 : spec.precision, realPrecisionLimit)
    var real = LongDouble(value)
    var prefix: UInt8
    if real < 0.0 {
        real = -real
        prefix = 0x2D
    } else {
        prefix = spec.signPrefix
    }
    if spec.style == .general && precision > 0 { precision -= 1 }
    var index = precision & 0xFFF
    var rounder = roundingConstants[index % 10]
    while index >= 10 { rounder *= 1.0e-10; index -= 10 }
    if spec.style == .fixed {
        let rx = Double(real)
        let ex = -1023 + Int((rx.bitPattern >> 52) & 0x7FF)
        if precision + (ex / 3) < 15 { rounder = Double(LongDouble(rounder) + real * LongDouble(3e-16 as Double)) }
        real += LongDouble(rounder)
    }
    if real.isNaN {
        out.append(contentsOf: [0x4E, 0x61, 0x4E])  // "NaN", without sign or padding
        return true
    }
    var exp = 0
    if real > 0.0 {
        exp = normalizeToUnitRange(&real)
        if exp > maxDecimalExponent {
            if prefix != 0 { out.append(prefix) }
            out.append(contentsOf: [0x49, 0x6E, 0x66])  // "Inf"
            return true
        }
    }
    if spec.style != .fixed {
        real += LongDouble(rounder)
        if real >= 10.0 { real *= LongDouble(0.1 as Double); exp += 1 }
    }
    var style = spec.style
    if style == .general {
        if exp < -4 || exp > precision {
            style = .exponent
        } else {
            precision -= exp
            style = .fixed
        }
    }
    if max(style == .exponent ? 0 : exp, 0) + precision + spec.width + 15 > sizeLimit { return false }
    let start = out.count
    if prefix != 0 { out.append(prefix) }
    appendDigits(&real, exponent: exp, style: style, precision: precision, spec, to: &out)
    let length = out.count - start
    if spec.zeroPad && !spec.leftJustify && length < spec.width {
        out.insert(contentsOf: repeatElement(0x30, count: spec.width - length), at: start + (prefix != 0 ? 1 : 0))
    }
    return true
}

/// Scales a positive value into [1, 10) exactly as printf.c does; returns the decimal
/// exponent (greater than 350 for infinity).
private func normalizeToUnitRange(_ real: inout LongDouble) -> Int {
    var exp = 0
    var scale: LongDouble = 1.0
    let e100 = LongDouble(1e100 as Double)
    while real >= e100 * scale && exp <= maxDecimalExponent { scale *= e100; exp += 100 }
    while real >= 1e10 * scale && exp <= maxDecimalExponent { scale *= 1e10; exp += 10 }
    while real >= 10.0 * scale && exp <= maxDecimalExponent { scale *= 10.0; exp += 1 }
    real /= scale
    let e8 = LongDouble(1e-8 as Double)
    while real < e8 { real *= 1e8; exp -= 8 }
    while real < 1.0 { real *= 10.0; exp -= 1 }
    return exp
}

/// The digit-emitting part of printf.c's float conversion (after the sign): integer digits,
/// point, fraction, trailing-zero removal and the exponent suffix. `style` is .fixed or
/// .exponent here (a .general spec has been resolved to one of them).
private func appendDigits(_ real: inout LongDouble, exponent: Int, style: RealFormatSpec.Style, precision: Int,
                          _ spec: RealFormatSpec, to out: inout [UInt8]) {
    var precision = precision
    var significant = 16 + (spec.alternateForm2 ? 10 : 0)
    let showPoint = precision > 0 || spec.alternateForm || spec.alternateForm2
    var e2 = style == .exponent ? 0 : exponent
    if e2 < 0 {
        out.append(0x30)
    } else {
        while e2 >= 0 {
            out.append(nextDigit(&real, &significant))
            e2 -= 1
        }
    }
    if showPoint { out.append(0x2E) }
    e2 += 1
    while e2 < 0 {
        out.append(0x30)
        precision -= 1
        e2 += 1
    }
    while precision > 0 {
        precision -= 1
        out.append(nextDigit(&real, &significant))
    }
    let removeTrailingZeros = spec.style == .general ? !spec.alternateForm : spec.alternateForm2
    if removeTrailingZeros && showPoint {
        while out.last == 0x30 { out.removeLast() }
        if out.last == 0x2E {
            if spec.alternateForm2 { out.append(0x30) } else { out.removeLast() }
        }
    }
    if style == .exponent {
        var exp = exponent
        out.append(spec.upperCase ? 0x45 : 0x65)
        if exp < 0 {
            out.append(0x2D)
            exp = -exp
        } else {
            out.append(0x2B)
        }
        if exp >= 100 {
            out.append(UInt8(exp / 100) + 0x30)
            exp %= 100
        }
        out.append(UInt8(exp / 10) + 0x30)
        out.append(UInt8(exp % 10) + 0x30)
    }
}

/// The text SQLite gives a REAL (CAST(r AS TEXT), `||`, list-mode output): "%!.15g".
public func renderRealAsText(_ r: Double) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(24)
    appendRealAsText(r, to: &out)
    return out
}

/// Appends the "%!.15g" text of `r`.
func appendRealAsText(_ r: Double, to out: inout [UInt8]) {
    // Fast path: an integral value of at most 15 digits prints as its digits and ".0" (the
    // rounding constant of the general algorithm dwarfs its long double error at 15 digits);
    // -0.0 prints as "0.0". The differential tests compare this path with libsqlite3.
    if r.magnitude < 1e15 && r == r.rounded(.towardZero) {
        appendInteger(Int64(r), to: &out)
        out.append(0x2E)
        out.append(0x30)
        return
    }
    appendFormattedReal(r, RealFormatSpec(style: .general, precision: 15, alternateForm2: true), to: &out)
}

/// How the sqlite3 CLI prints a REAL in -quote (and insert) mode: "%!.20g".
public func renderRealForQuoteMode(_ r: Double) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(32)
    appendFormattedReal(r, RealFormatSpec(style: .general, precision: 20, alternateForm2: true), to: &out)
    return out
}

/// quote(r) (sqlite3QuoteValue): "%!.15g" when that text reads back as the same double,
/// otherwise "%!.20e".
public func renderRealAsLiteral(_ r: Double) -> [UInt8] {
    var out = renderRealAsText(r)
    let back = NumericParsing.parseReal(out.span).value
    if back != r {
        out.removeAll(keepingCapacity: true)
        appendFormattedReal(r, RealFormatSpec(style: .exponent, precision: 20, alternateForm2: true), to: &out)
    }
    return out
}
