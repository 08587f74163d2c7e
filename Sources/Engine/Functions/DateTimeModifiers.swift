// DateTimeModifiers: the modifiers of the date and time functions (date.c parseModifier,
// toLocaltime; lang_datefunc.html "Modifiers").
//
// 'NNN days|hours|minutes|seconds|months|years' (with the float limits and float conversion
// constants of date.c's aXformType), '(+|-)HH:MM[:SS[.FFF]]', 'start of month|year|day',
// 'weekday N', 'unixepoch', 'julianday', 'auto' (the last three only as the first modifier),
// 'localtime' and 'utc'. An unknown or malformed modifier makes the whole call NULL.
// Local time uses the host's offset for the moment (see FunctionHost); dates outside
// 1970...2037 are mapped into that range by year, as SQLite does for localtime_r().

import Base

/// The modifier arguments of the date and time functions.
enum DateTimeModifiers {
    /// date.c aXformType: unit name, limit and seconds per unit, as C floats.
    private static let transforms: [(name: [UInt8], limit: Float, seconds: Float)] = [
        (Array("second".utf8), 4.6427e+14, 1.0),
        (Array("minute".utf8), 7.7379e+12, 60.0),
        (Array("hour".utf8), 1.2897e+11, 3600.0),
        (Array("day".utf8), 5373485.0, 86400.0),
        (Array("month".utf8), 176546.0, 2592000.0),
        (Array("year".utf8), 14713.0, 31536000.0),
    ]

    private static func equalsIgnoringCase(_ z: Span<UInt8>, _ word: StaticString) -> Bool {
        word.withUTF8Buffer { UTF8Text.identifiersEqual(z, $0.span) }
    }

    private static func hasPrefixIgnoringCase(_ z: Span<UInt8>, _ word: StaticString) -> Bool {
        word.withUTF8Buffer { w in
            guard z.count >= w.count else { return false }
            for k in w.indices where asciiLower(z[k]) != asciiLower(w[k]) { return false }
            return true
        }
    }

    /// parseModifier(): applies modifier `z` (a C string) at argument position `index`.
    /// Returns false when the modifier is not valid here (the result is then NULL).
    static func apply(_ z: Span<UInt8>, index: Int, to p: inout DateTime, _ context: inout FunctionContext,
                      functionName: String) throws(DBError) -> Bool {
        switch asciiLower(UTF8Text.byte(z, 0)) {
        case 0x61: // a
            guard equalsIgnoringCase(z, "auto") else { return false }
            if index > 1 { return false }
            if !p.rawSeconds || p.validJD {
                p.rawSeconds = false
                return true
            }
            if p.seconds >= -210_866_760_000 && p.seconds <= 253_402_300_799 {
                let r = p.seconds * 1000.0 + 210_866_760_000_000.0
                p.clearYMDHMSTZ()
                p.julianMilliseconds = Int64(r + 0.5)
                p.validJD = true
                p.rawSeconds = false
                return true
            }
            return false
        case 0x6A: // j
            guard equalsIgnoringCase(z, "julianday") else { return false }
            if index > 1 { return false }
            if p.validJD && p.rawSeconds {
                p.rawSeconds = false
                return true
            }
            return false
        case 0x6C: // l
            guard equalsIgnoringCase(z, "localtime") else { return false }
            try context.requireNonPure(functionName: functionName)
            try toLocalTime(&p, &context)
            return true
        case 0x75: // u
            if equalsIgnoringCase(z, "unixepoch") && p.rawSeconds {
                if index > 1 { return false }
                let r = p.seconds * 1000.0 + 210_866_760_000_000.0
                if r >= 0.0 && r < 464_269_060_800_000.0 {
                    p.clearYMDHMSTZ()
                    p.julianMilliseconds = Int64(r + 0.5)
                    p.validJD = true
                    p.rawSeconds = false
                    return true
                }
                return false
            }
            guard equalsIgnoringCase(z, "utc") else { return false }
            try context.requireNonPure(functionName: functionName)
            try toUTC(&p, &context)
            return true
        case 0x77: // w
            return weekday(z, &p)
        case 0x73: // s
            return startOf(z, &p)
        case 0x2B, 0x2D, 0x30...0x39:
            return offset(z, &p)
        default:
            return false
        }
    }

    /// 'weekday N'.
    private static func weekday(_ z: Span<UInt8>, _ p: inout DateTime) -> Bool {
        guard hasPrefixIgnoringCase(z, "weekday ") else { return false }
        let r = NumericParsing.parseReal(z.extracting(8...))
        guard r.code > 0, r.value >= 0.0, r.value < 7.0, Double(Int(r.value)) == r.value else { return false }
        let n = Int64(r.value)
        p.computeYMDHMS()
        p.validTZ = false
        p.validJD = false
        p.computeJD()
        var w = ((p.julianMilliseconds + 129_600_000) / 86_400_000) % 7
        if w > n { w -= 7 }
        p.julianMilliseconds += (n - w) * 86_400_000
        p.clearYMDHMSTZ()
        return true
    }

    /// 'start of month|year|day'.
    private static func startOf(_ z: Span<UInt8>, _ p: inout DateTime) -> Bool {
        guard hasPrefixIgnoringCase(z, "start of ") else { return false }
        if !p.validJD && !p.validYMD && !p.validHMS { return false }
        let unit = z.extracting(9...)
        p.computeYMD()
        p.validHMS = true
        p.hour = 0
        p.minute = 0
        p.seconds = 0
        p.rawSeconds = false
        p.validTZ = false
        p.validJD = false
        if equalsIgnoringCase(unit, "month") {
            p.day = 1
            return true
        }
        if equalsIgnoringCase(unit, "year") {
            p.month = 1
            p.day = 1
            return true
        }
        return equalsIgnoringCase(unit, "day")
    }

    /// 'NNN units' and '(+|-)HH:MM[:SS[.FFF]]'.
    private static func offset(_ z: Span<UInt8>, _ p: inout DateTime) -> Bool {
        var n = 1
        while UTF8Text.byte(z, n) != 0 && UTF8Text.byte(z, n) != 0x3A && !isSQLSpace(UTF8Text.byte(z, n)) { n += 1 }
        let parsed = NumericParsing.parseReal(z.extracting(0..<min(n, z.count)))
        if parsed.code <= 0 { return false }
        var r = parsed.value
        if UTF8Text.byte(z, n) == 0x3A {
            var start = 0
            if !isDigit(UTF8Text.byte(z, 0)) { start = 1 }
            var tx = DateTime()
            if !DateTimeParser.parseTime(z, start, &tx) { return false }
            tx.computeJD()
            tx.julianMilliseconds -= 43_200_000
            let dayCount = tx.julianMilliseconds / 86_400_000
            tx.julianMilliseconds -= dayCount * 86_400_000
            if UTF8Text.byte(z, 0) == 0x2D { tx.julianMilliseconds = -tx.julianMilliseconds }
            p.computeJD()
            p.clearYMDHMSTZ()
            p.julianMilliseconds &+= tx.julianMilliseconds
            return true
        }
        var i = n
        while isSQLSpace(UTF8Text.byte(z, i)) { i += 1 }
        var unit = z.extracting(min(i, z.count)...)
        var length = unit.count
        if length > 10 || length < 3 { return false }
        if asciiLower(unit[length - 1]) == 0x73 { length -= 1 }
        unit = unit.extracting(0..<length)
        p.computeJD()
        var ok = false
        let rounder = r < 0 ? -0.5 : 0.5
        for (k, t) in transforms.enumerated() {
            guard t.name.count == length, UTF8Text.identifiersEqual(unit, t.name.span),
                  r > -Double(t.limit), r < Double(t.limit) else { continue }
            if k == 4 {
                p.computeYMDHMS()
                p.month += Int(r)
                let x = p.month > 0 ? (p.month - 1) / 12 : (p.month - 12) / 12
                p.year += x
                p.month -= x * 12
                p.validJD = false
                r -= Double(Int(r))
            } else if k == 5 {
                p.computeYMDHMS()
                p.year += Int(r)
                p.validJD = false
                r -= Double(Int(r))
            }
            p.computeJD()
            p.julianMilliseconds &+= realToInt64(r * 1000.0 * Double(t.seconds) + rounder)
            ok = true
            break
        }
        p.clearYMDHMSTZ()
        return ok
    }

    /// toLocaltime(): UTC to local time using the host's offset.
    static func toLocalTime(_ p: inout DateTime, _ context: inout FunctionContext) throws(DBError) {
        p.computeJD()
        var yearDifference = 0
        var t: Int64
        if p.julianMilliseconds < 2_108_667_600 * 100_000 || p.julianMilliseconds > 2_130_141_456 * 100_000 {
            var x = p
            x.computeYMDHMS()
            yearDifference = (2000 + x.year % 4) - x.year
            x.year += yearDifference
            x.validJD = false
            x.computeJD()
            t = x.julianMilliseconds / 1000 - 21_086_676 * 10_000
        } else {
            t = p.julianMilliseconds / 1000 - 21_086_676 * 10_000
        }
        guard let offset = context.host.localTimeOffsetSeconds(atUnixTime: t) else {
            throw DBError(.error, "local time unavailable")
        }
        // Wrapping arithmetic: a nonsensical host offset gives an invalid date (NULL), not a trap.
        t = t &+ Int64(offset)
        var local = DateTime()
        local.julianMilliseconds = (t &+ 21_086_676 * 10_000) &* 1000
        local.validJD = true
        local.computeYMDHMS()
        p.year = local.year - yearDifference
        p.month = local.month
        p.day = local.day
        p.hour = local.hour
        p.minute = local.minute
        p.seconds = Double(Int(local.seconds)) + Double(p.julianMilliseconds % 1000) * 0.001
        p.validYMD = true
        p.validHMS = true
        p.validJD = false
        p.rawSeconds = false
        p.validTZ = false
        p.isError = false
    }

    /// The 'utc' modifier: inverts toLocalTime by iteration, as date.c does.
    private static func toUTC(_ p: inout DateTime, _ context: inout FunctionContext) throws(DBError) {
        if p.timeZoneSet { return }
        p.computeJD()
        let original = p.julianMilliseconds
        var guess = original
        var error: Int64 = 0
        var count = 0
        repeat {
            var candidate = DateTime()
            guess -= error
            candidate.julianMilliseconds = guess
            candidate.validJD = true
            try toLocalTime(&candidate, &context)
            candidate.computeJD()
            error = candidate.julianMilliseconds - original
            count += 1
        } while error != 0 && count <= 3
        p = DateTime()
        p.julianMilliseconds = guess
        p.validJD = true
        p.timeZoneSet = true
    }
}
