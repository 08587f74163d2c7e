// DateTimeFunctions: date(), time(), datetime(), julianday(), unixepoch(), strftime() and
// current_date/current_time/current_timestamp (date.c; lang_datefunc.html).
//
// Every function takes a time value and modifiers (isDate()); with no arguments the time
// value is 'now'. Invalid input gives NULL, never an error, except where sqlite3 raises one
// ('now', 'localtime' or 'utc' inside an index, CHECK constraint or generated column).
// Output formats: date "YYYY-MM-DD", time "HH:MM:SS", datetime "YYYY-MM-DD HH:MM:SS" (years
// below zero get a leading '-'), julianday REAL, unixepoch INTEGER; strftime supports
// %d %f %H %j %J %m %M %s %S %w %W %Y %% and returns NULL for any other conversion.

import Base

/// Bodies of the date and time SQL functions.
enum DateTimeFunctions {
    /// isDate(): the time value and modifiers of `a`, or nil for NULL.
    static func evaluate(_ a: FunctionArguments, from first: Int, _ context: inout FunctionContext,
                         functionName: String) throws(DBError) -> DateTime? {
        var p = DateTime()
        if a.count <= first {
            try context.requireNonPure(functionName: functionName)
            guard let now = context.currentJulianDayMilliseconds() else { return nil }
            p.julianMilliseconds = now
            p.validJD = true
            return p
        }
        switch a[first] {
        case .integer, .real:
            p.setRawNumber(a[first].realValue)
        default:
            guard let text = a[first].textBytes else { return nil }
            let z = text.span.extracting(0..<UTF8Text.cStringLength(text.span))
            guard try DateTimeParser.parseDateOrTime(z, &p, &context, functionName: functionName) else { return nil }
        }
        var index = first + 1
        while index < a.count {
            guard let text = a[index].textBytes else { return nil }
            let z = text.span.extracting(0..<UTF8Text.cStringLength(text.span))
            guard try DateTimeModifiers.apply(z, index: index - first, to: &p, &context,
                                              functionName: functionName) else { return nil }
            index += 1
        }
        p.computeJD()
        if p.isError || !DateTime.isValid(p.julianMilliseconds) { return nil }
        return p
    }

    /// julianday(...).
    static func julianDay(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        guard var x = try evaluate(a, from: 0, &c, functionName: "julianday") else { return .null }
        x.computeJD()
        return Value.fromDouble(Double(x.julianMilliseconds) / 86_400_000.0)
    }

    /// unixepoch(...).
    static func unixEpoch(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        guard var x = try evaluate(a, from: 0, &c, functionName: "unixepoch") else { return .null }
        x.computeJD()
        return .integer(x.julianMilliseconds / 1000 - 21_086_676 * 10_000)
    }

    /// datetime(...).
    static func dateTime(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        try dateTime(a, &c, name: "datetime")
    }

    private static func dateTime(_ a: FunctionArguments, _ c: inout FunctionContext,
                                 name: String) throws(DBError) -> Value {
        guard var x = try evaluate(a, from: 0, &c, functionName: name) else { return .null }
        x.computeYMDHMS()
        var out: [UInt8] = []
        appendDate(x, to: &out)
        out.append(0x20)
        appendTime(x, to: &out)
        return .text(out)
    }

    /// date(...).
    static func date(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        try date(a, &c, name: "date")
    }

    private static func date(_ a: FunctionArguments, _ c: inout FunctionContext,
                             name: String) throws(DBError) -> Value {
        guard var x = try evaluate(a, from: 0, &c, functionName: name) else { return .null }
        x.computeYMD()
        var out: [UInt8] = []
        appendDate(x, to: &out)
        return .text(out)
    }

    /// time(...).
    static func time(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        try time(a, &c, name: "time")
    }

    private static func time(_ a: FunctionArguments, _ c: inout FunctionContext,
                             name: String) throws(DBError) -> Value {
        guard var x = try evaluate(a, from: 0, &c, functionName: name) else { return .null }
        x.computeHMS()
        var out: [UInt8] = []
        appendTime(x, to: &out)
        return .text(out)
    }

    private static func appendTwoDigits(_ v: Int, to out: inout [UInt8]) {
        out.append(UInt8(truncatingIfNeeded: (v / 10) % 10 + 0x30))
        out.append(UInt8(truncatingIfNeeded: v % 10 + 0x30))
    }

    private static func appendDate(_ x: DateTime, to out: inout [UInt8]) {
        let y = Swift.abs(x.year)
        if x.year < 0 { out.append(0x2D) }
        appendTwoDigits(y / 100, to: &out)
        appendTwoDigits(y % 100, to: &out)
        out.append(0x2D)
        appendTwoDigits(x.month, to: &out)
        out.append(0x2D)
        appendTwoDigits(x.day, to: &out)
    }

    private static func appendTime(_ x: DateTime, to out: inout [UInt8]) {
        appendTwoDigits(x.hour, to: &out)
        out.append(0x3A)
        appendTwoDigits(x.minute, to: &out)
        out.append(0x3A)
        appendTwoDigits(Int(x.seconds), to: &out)
    }

    /// printf's "%0Nd" (zero padding after the sign).
    private static func appendPadded(_ v: Int, width: Int, to out: inout [UInt8]) {
        let digits = renderInteger(Int64(Swift.abs(v)))
        if v < 0 { out.append(0x2D) }
        let pad = width - (v < 0 ? 1 : 0) - digits.count
        if pad > 0 { out.append(contentsOf: repeatElement(0x30, count: pad)) }
        out.append(contentsOf: digits)
    }

    /// strftime(FORMAT, ...).
    static func strftime(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        if a.count == 0 { return .null }
        guard let formatBytes = a[0].textBytes else { return .null }
        guard var x = try evaluate(a, from: 1, &c, functionName: "strftime") else { return .null }
        x.computeJD()
        x.computeYMDHMS()
        let f = formatBytes.span
        let n = UTF8Text.cStringLength(f)
        var out: [UInt8] = []
        var i = 0, j = 0
        while i < n {
            if f[i] != 0x25 { i += 1; continue }
            if j < i { for k in j..<i { out.append(f[k]) } }
            i += 1
            j = i + 1
            guard appendConversion(UTF8Text.byte(f, i), x, to: &out) else { return .null }
            i += 1
        }
        if j < i { for k in j..<min(i, n) { out.append(f[k]) } }
        return .text(out)
    }

    /// One strftime conversion; false for an unknown one.
    private static func appendConversion(_ c: UInt8, _ x: DateTime, to out: inout [UInt8]) -> Bool {
        switch c {
        case 0x64: appendPadded(x.day, width: 2, to: &out) // d
        case 0x66: // f
            let s = x.seconds > 59.999 ? 59.999 : x.seconds
            appendFormattedReal(s, RealFormatSpec(style: .fixed, precision: 3, width: 6, zeroPad: true), to: &out)
        case 0x48: appendPadded(x.hour, width: 2, to: &out) // H
        case 0x57, 0x6A: // W j
            var y = x
            y.validJD = false
            y.month = 1
            y.day = 1
            y.computeJD()
            let dayNumber = Int((x.julianMilliseconds - y.julianMilliseconds + 43_200_000) / 86_400_000)
            if c == 0x57 {
                let weekday = Int(((x.julianMilliseconds + 43_200_000) / 86_400_000) % 7)
                appendPadded((dayNumber + 7 - weekday) / 7, width: 2, to: &out)
            } else {
                appendPadded(dayNumber + 1, width: 3, to: &out)
            }
        case 0x4A: // J
            appendFormattedReal(Double(x.julianMilliseconds) / 86_400_000.0,
                                RealFormatSpec(style: .general, precision: 16), to: &out)
        case 0x6D: appendPadded(x.month, width: 2, to: &out) // m
        case 0x4D: appendPadded(x.minute, width: 2, to: &out) // M
        case 0x73: appendInteger(x.julianMilliseconds / 1000 - 21_086_676 * 10_000, to: &out) // s
        case 0x53: appendPadded(Int(x.seconds), width: 2, to: &out) // S
        case 0x77: out.append(UInt8(truncatingIfNeeded: ((x.julianMilliseconds + 129_600_000) / 86_400_000) % 7) + 0x30)
        case 0x59: appendPadded(x.year, width: 4, to: &out) // Y
        case 0x25: out.append(0x25)
        default: return false
        }
        return true
    }

    /// current_date(), current_time(), current_timestamp().
    static func currentDate(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        try date(a, &c, name: "current_date")
    }
    /// current_time().
    static func currentTime(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        try time(a, &c, name: "current_time")
    }
    /// current_timestamp().
    static func currentTimestamp(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        try dateTime(a, &c, name: "current_timestamp")
    }
}
