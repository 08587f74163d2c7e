// DateTime: SQLite's date/time value and its parsing and arithmetic (date.c; lang_datefunc.html).
//
// A moment is held as `julianMilliseconds` (the julian day number times 86,400,000, SQLite's
// iJD) and/or as broken-down Y-M-D h:m:s with an optional time zone; `valid…` flags say which
// representation is current, exactly as in date.c, and the compute… methods convert between
// them with the same integer and double arithmetic (Meeus' algorithms, proleptic Gregorian
// calendar, years 0000-9999, and back to -4713 for julian day numbers).
// Time values: YYYY-MM-DD[ HH:MM[:SS[.FFF]]][(+|-)HH:MM|Z], HH:MM[:SS[.FFF]], 'now' (the
// statement time from the context) and numbers (julian day numbers, or Unix seconds with the
// 'unixepoch'/'auto' modifiers). Modifiers are in DateTimeModifiers.swift.
// Local time comes from the host (FunctionHost.localTimeOffsetSeconds); it is UTC by default.

import Base

/// date.c's DateTime.
struct DateTime {
    /// The julian day number times 86,400,000 (iJD); meaningful when `validJD`.
    var julianMilliseconds: Int64 = 0
    /// Year (may be negative), month 1-12, day 1-31; meaningful when `validYMD`.
    var year = 0, month = 0, day = 0
    /// Hour and minute; with `seconds`, meaningful when `validHMS`.
    var hour = 0, minute = 0
    /// Time zone offset in minutes.
    var timeZone = 0
    /// Seconds with fraction (or a raw number when `rawSeconds`).
    var seconds: Double = 0
    /// Which representations are current, and whether a zone was given (date.c flags).
    var validJD = false
    /// `seconds` holds a raw number (a julian day or Unix time) not yet interpreted.
    var rawSeconds = false
    var validYMD = false
    var validHMS = false
    var validTZ = false
    var timeZoneSet = false
    var isError = false

    /// 9999-12-31 23:59:59.999 as julianMilliseconds.
    static let maxJulianMilliseconds: Int64 = 464_269_060_799_999
    /// 1970-01-01 00:00:00 as julianMilliseconds.
    static let unixEpochJulianMilliseconds: Int64 = 210_866_760_000_000

    /// validJulianDay().
    static func isValid(_ iJD: Int64) -> Bool { iJD >= 0 && iJD <= maxJulianMilliseconds }

    /// datetimeError(): clears everything and marks the value as an error.
    mutating func setError() {
        self = DateTime()
        isError = true
    }

    /// computeJD(): Y-M-D h:m:s (and zone) to julianMilliseconds.
    mutating func computeJD() {
        if validJD { return }
        var y = 2000, m = 1
        var d = 1
        if validYMD { y = year; m = month; d = day }
        if y < -4713 || y > 9999 || rawSeconds {
            setError()
            return
        }
        if m <= 2 { y -= 1; m += 12 }
        let a = y / 100
        let b = 2 - a + (a / 4)
        let x1 = 36525 * (y + 4716) / 100
        let x2 = 306001 * (m + 1) / 10000
        julianMilliseconds = Int64((Double(x1 + x2 + d + b) - 1524.5) * 86_400_000)
        validJD = true
        if validHMS {
            julianMilliseconds += Int64(hour * 3_600_000 + minute * 60_000) + Int64(seconds * 1000 + 0.5)
            if validTZ {
                julianMilliseconds -= Int64(timeZone * 60_000)
                validYMD = false
                validHMS = false
                validTZ = false
            }
        }
    }

    /// computeYMD(): julianMilliseconds to year, month and day.
    mutating func computeYMD() {
        if validYMD { return }
        if !validJD {
            year = 2000; month = 1; day = 1
        } else if !DateTime.isValid(julianMilliseconds) {
            setError()
            return
        } else {
            let z = Int((julianMilliseconds + 43_200_000) / 86_400_000)
            var a = Int((Double(z) - 1867216.25) / 36524.25)
            a = z + 1 + a - (a / 4)
            let b = a + 1524
            let c = Int((Double(b) - 122.1) / 365.25)
            let d = (36525 * (c & 32767)) / 100
            let e = Int(Double(b - d) / 30.6001)
            let x1 = Int(30.6001 * Double(e))
            day = b - d - x1
            month = e < 14 ? e - 1 : e - 13
            year = month > 2 ? c - 4716 : c - 4715
        }
        validYMD = true
    }

    /// computeHMS(): julianMilliseconds to hour, minute and seconds.
    mutating func computeHMS() {
        if validHMS { return }
        computeJD()
        var s = Int((julianMilliseconds + 43_200_000) % 86_400_000)
        seconds = Double(s) / 1000.0
        s = Int(seconds)
        seconds -= Double(s)
        hour = s / 3600
        s -= hour * 3600
        minute = s / 60
        seconds += Double(s - minute * 60)
        rawSeconds = false
        validHMS = true
    }

    /// computeYMD_HMS().
    mutating func computeYMDHMS() {
        computeYMD()
        computeHMS()
    }

    /// clearYMD_HMS_TZ().
    mutating func clearYMDHMSTZ() {
        validYMD = false
        validHMS = false
        validTZ = false
    }

    /// setRawDateNumber(): a number that may be a julian day or a Unix time.
    mutating func setRawNumber(_ r: Double) {
        seconds = r
        rawSeconds = true
        if r >= 0.0 && r < 5373484.5 {
            julianMilliseconds = Int64(r * 86_400_000.0 + 0.5)
            validJD = true
        }
    }
}

/// Parsers of date.c over NUL-terminated text (positions past the end read as 0x00).
enum DateTimeParser {
    /// getDigits(): `specs` are (digits, min, max, separator or 0); returns how many fields
    /// converted, writing them to `values`.
    static func digits(_ z: Span<UInt8>, _ start: Int, _ specs: [(Int, Int, Int, UInt8)],
                       _ values: inout [Int]) -> Int {
        var i = start
        values.removeAll(keepingCapacity: true)
        for (n, lo, hi, next) in specs {
            var v = 0
            for _ in 0..<n {
                let c = UTF8Text.byte(z, i)
                if !isDigit(c) { return values.count }
                v = v * 10 + Int(c - 0x30)
                i += 1
            }
            if v < lo || v > hi || (next != 0 && next != UTF8Text.byte(z, i)) { return values.count }
            values.append(v)
            i += 1
        }
        return values.count
    }

    /// parseTimezone(): optional (+|-)HH:MM or Z, then only spaces. True on success.
    static func parseTimeZone(_ z: Span<UInt8>, _ start: Int, _ p: inout DateTime) -> Bool {
        var i = start
        while isSQLSpace(UTF8Text.byte(z, i)) { i += 1 }
        p.timeZone = 0
        let c = UTF8Text.byte(z, i)
        var sign = 0
        if c == 0x2D {
            sign = -1
        } else if c == 0x2B {
            sign = 1
        } else if c == 0x5A || c == 0x7A {
            i += 1
        } else {
            return c == 0
        }
        if sign != 0 {
            i += 1
            var v: [Int] = []
            if digits(z, i, zoneSpec, &v) != 2 { return false }
            i += 5
            p.timeZone = sign * (v[1] + v[0] * 60)
        }
        while isSQLSpace(UTF8Text.byte(z, i)) { i += 1 }
        p.timeZoneSet = true
        return UTF8Text.byte(z, i) == 0
    }

    /// parseHhMmSs(): HH:MM[:SS[.FFF]] and an optional zone. True on success.
    static func parseTime(_ z: Span<UInt8>, _ start: Int, _ p: inout DateTime) -> Bool {
        var v: [Int] = []
        if digits(z, start, hourMinuteSpec, &v) != 2 { return false }
        let h = v[0], m = v[1]
        var i = start + 5
        var s = 0
        var fraction = 0.0
        if UTF8Text.byte(z, i) == 0x3A {
            i += 1
            if digits(z, i, secondSpec, &v) != 1 { return false }
            s = v[0]
            i += 2
            if UTF8Text.byte(z, i) == 0x2E && isDigit(UTF8Text.byte(z, i + 1)) {
                var scale = 1.0
                i += 1
                while isDigit(UTF8Text.byte(z, i)) {
                    fraction = fraction * 10.0 + Double(UTF8Text.byte(z, i) - 0x30)
                    scale *= 10.0
                    i += 1
                }
                fraction /= scale
            }
        }
        p.validJD = false
        p.rawSeconds = false
        p.validHMS = true
        p.hour = h
        p.minute = m
        p.seconds = Double(s) + fraction
        if !parseTimeZone(z, i, &p) { return false }
        p.validTZ = p.timeZone != 0
        return true
    }

    /// parseYyyyMmDd(): [-]YYYY-MM-DD, optionally followed by a time. True on success.
    static func parseDate(_ z: Span<UInt8>, _ p: inout DateTime) -> Bool {
        var i = 0
        var negative = false
        if UTF8Text.byte(z, 0) == 0x2D {
            i = 1
            negative = true
        }
        var v: [Int] = []
        if digits(z, i, dateSpec, &v) != 3 { return false }
        i += 10
        while isSQLSpace(UTF8Text.byte(z, i)) || UTF8Text.byte(z, i) == 0x54 { i += 1 }
        if parseTime(z, i, &p) {
            // got the time
        } else if UTF8Text.byte(z, i) == 0 {
            p.validHMS = false
        } else {
            return false
        }
        p.validJD = false
        p.validYMD = true
        p.year = negative ? -v[0] : v[0]
        p.month = v[1]
        p.day = v[2]
        if p.validTZ { p.computeJD() }
        return true
    }

    /// parseDateOrTime(): a date, a time, 'now', or a number. True on success.
    static func parseDateOrTime(_ z: Span<UInt8>, _ p: inout DateTime, _ context: inout FunctionContext,
                                functionName: String) throws(DBError) -> Bool {
        if parseDate(z, &p) { return true }
        if parseTime(z, 0, &p) { return true }
        if UTF8Text.identifiersEqual(z, nowBytes.span) {
            try context.requireNonPure(functionName: functionName)
            guard let now = context.currentJulianDayMilliseconds() else { return false }
            p.julianMilliseconds = now
            p.validJD = true
            return true
        }
        let r = NumericParsing.parseReal(z)
        if r.code > 0 {
            p.setRawNumber(r.value)
            return true
        }
        return false
    }

    private static let nowBytes: [UInt8] = Array("now".utf8)
    /// getDigits() formats: "20b:20e", "20c:20e", "20e", "40f-21a-21d".
    private static let zoneSpec: [(Int, Int, Int, UInt8)] = [(2, 0, 14, 0x3A), (2, 0, 59, 0)]
    private static let hourMinuteSpec: [(Int, Int, Int, UInt8)] = [(2, 0, 24, 0x3A), (2, 0, 59, 0)]
    private static let secondSpec: [(Int, Int, Int, UInt8)] = [(2, 0, 59, 0)]
    private static let dateSpec: [(Int, Int, Int, UInt8)] = [(4, 0, 9999, 0x2D), (2, 1, 12, 0x2D), (2, 1, 31, 0)]
}
