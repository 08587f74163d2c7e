// Differential tests of the date and time functions: many time values (dates, times, zones,
// julian day numbers, Unix times, malformed strings) with zero, one or two modifiers, through
// date, time, datetime, julianday, unixepoch and strftime. 'now' is excluded here (the oracle
// reads the real clock); RegistryTests checks it against the test host.

import Base
@testable import Engine
import Testing

@Suite("Date and time differential")
struct DateTimeDifferentialTests {
    static let timeValues: [Value] = [
        .text("2023-05-06"), .text("2023-05-06 07:08:09"), .text("2023-05-06T07:08:09.123"),
        .text("2023-05-06 07:08"), .text("2023-05-06 07:08:09.999999"), .text("2023-05-06 07:08:09Z"),
        .text("2023-05-06 07:08:09+05:30"), .text("2023-05-06 07:08:09 -14:00"), .text("2023-05-06 7:08"),
        .text("2023-02-29"), .text("2024-02-29"), .text("2023-13-01"), .text("2023-00-10"), .text("2023-01-32"),
        .text("0000-01-01"), .text("9999-12-31 23:59:59.999"), .text("-0001-06-15"), .text("-4713-11-24 12:00:00"),
        .text("07:08:09"), .text("24:00"), .text("23:59:60"), .text("12:34:56.7891"), .text("12:34+01:00"),
        .text("2451545"), .text("2451545.5"), .text("0"), .text("-1"), .text("5373484.4999"), .text("5373485"),
        .text("1700000000"), .text(" 2023-05-06"), .text("2023-05-06  "), .text("2023-05-06x"), .text("abc"),
        .text(""), .text("NOW!"), .text("2023/05/06"), .text("20230506"), .text("2023-5-6"),
        .integer(2_451_545), .integer(0), .integer(1_700_000_000), .integer(-86400), .real(2451545.25),
        .real(1.7e9), .real(5373484.5), .real(-0.5), .null, .blob(Array("2023-05-06".utf8)),
    ]
    static let modifiers: [String] = [
        "+1 day", "-1 days", "+36 hours", "+90 minutes", "-30 seconds", "+1.5 seconds", "+1 month", "-13 months",
        "+1 year", "-2000 years", "+0.5 years", "+1.5 months", "start of month", "start of year", "start of day",
        "weekday 0", "weekday 3", "weekday 7", "weekday 1.5", "unixepoch", "julianday", "auto", "localtime", "utc",
        "+01:30", "-00:45:30.5", "+25:00", "12:00", "+1 fortnight", "+1 dayss", "START OF MONTH", "+5",
        "+1e2 days", "  +1 day", "+1 day ", "5373485 days", "-5373485 days", "+464269060800 seconds",
        "", "x",
    ]

    @Test("date functions over time values and one modifier")
    func oneModifier() {
        let oracle = SQLiteOracle()
        let d = Differential("date functions")
        let functions = ["date", "time", "datetime", "julianday", "unixepoch"]
        for v in Self.timeValues {
            for f in functions {
                d.check("\(f)(\(debugText(v)))", oracle: oracle.evaluate("SELECT \(f)(?1)", [v]),
                        swift: callFunction(f, [v]))
                for m in Self.modifiers {
                    d.check("\(f)(\(debugText(v)), '\(m)')",
                            oracle: oracle.evaluate("SELECT \(f)(?1, ?2)", [v, .text(m)]),
                            swift: callFunction(f, [v, .text(m)]))
                }
            }
        }
        d.finish(minimumCases: 8000)
    }

    @Test("two modifiers and strftime conversions")
    func twoModifiersAndStrftime() {
        let oracle = SQLiteOracle()
        let d = Differential("date modifiers and strftime")
        var g = SeededGenerator(seed: 71)
        for _ in 0..<3000 {
            let v = Self.timeValues.randomElement(using: &g)!
            let m1 = Value.text(Self.modifiers.randomElement(using: &g)!)
            let m2 = Value.text(Self.modifiers.randomElement(using: &g)!)
            d.check("datetime(\(debugText(v)), \(debugText(m1)), \(debugText(m2)))",
                    oracle: oracle.evaluate("SELECT datetime(?1, ?2, ?3)", [v, m1, m2]),
                    swift: callFunction("datetime", [v, m1, m2]))
        }
        let formats = ["%Y-%m-%d %H:%M:%f", "%j %W %w %s", "%J", "%%|%S|%M", "%d/%m/%Y", "plain", "", "%", "%x",
                       "trailing %Y text", "%f", "%W", "%j"]
        for v in Self.timeValues {
            for f in formats {
                d.check("strftime('\(f)', \(debugText(v)))",
                        oracle: oracle.evaluate("SELECT strftime(?1, ?2)", [.text(f), v]),
                        swift: callFunction("strftime", [.text(f), v]))
                d.check("strftime('\(f)', \(debugText(v)), '+100 days')",
                        oracle: oracle.evaluate("SELECT strftime(?1, ?2, '+100 days')", [.text(f), v]),
                        swift: callFunction("strftime", [.text(f), v, .text("+100 days")]))
            }
        }
        d.finish(minimumCases: 4000)
    }
}
