// Differential tests of REAL → text: CAST(r AS TEXT) ("%!.15g"), quote(r) and the CLI's
// quote mode ("%!.20g"), over seeded random doubles of every magnitude and the classic
// hard cases. libsqlite3 gives every expected string.

import Base
@testable import Engine
import Testing

/// Doubles covering every exponent, short decimals, integers, halfway cases and extremes.
func interestingReals(count: Int, seed: UInt64) -> [Double] {
    var g = SeededGenerator(seed: seed)
    var out: [Double] = [0.0, -0.0, 1.0, -1.0, 0.1, 0.2, 0.3, 0.1 + 0.2, 1.0 / 3, 2.0 / 3, 100.0, 1e15, 1e16, 1e17,
                         123456789012345.0, 1234567890123456.0, 12345678901234567.0, 0.5, 2.5, 1e300, 1e-300,
                         1.7976931348623157e308, Double.leastNonzeroMagnitude, 2.2250738585072014e-308,
                         9.223372036854775807e18,
                         -9.223372036854775808e18, 4503599627370496.0, 4503599627370497.0, 999999999999999.0,
                         9999999999999998.0, 0.999999999999999, 0.9999999999999999, 1e-5, 1e-4, 0.0001234,
                         123.456, 1e21, 1e22, 1e23, Double.leastNonzeroMagnitude * 3, Double.leastNormalMagnitude / 74,
                         1.5, 25.0, 0.05, 0.15, 0.25, 0.35, 1.005,
                         2.675, 1e100, 1e200, 1e-100, 6.02214076e23, 6.62607015e-34, .infinity, -.infinity]
    for _ in 0..<count {
        switch Int.random(in: 0...5, using: &g) {
        case 0:
            // Any finite bit pattern.
            var r: Double
            repeat { r = Double(bitPattern: g.next()) } while !r.isFinite
            out.append(r)
        case 1:
            // Short decimals: d.ddd × 10^e.
            let digits = Int.random(in: 1...17, using: &g)
            var m: Int64 = 0
            for _ in 0..<digits { m = m * 10 + Int64.random(in: 0...9, using: &g) }
            let e = Int.random(in: -30...30, using: &g)
            let text = "\(m)e\(e)"
            out.append(NumericParsing.parseReal(Array(text.utf8).span).value * (Bool.random(using: &g) ? 1 : -1))
        case 2:
            out.append(Double(Int64.random(in: -1_000_000_000_000_000...1_000_000_000_000_000, using: &g)))
        case 3:
            out.append(Double.random(in: -1000...1000, using: &g))
        case 4:
            let divisor = [10.0, 100.0, 1000.0, 8.0][Int.random(in: 0...3, using: &g)]
            out.append(Double(Int.random(in: -99999...99999, using: &g)) / divisor)
        default:
            let e = Double(Int.random(in: -320...308, using: &g))
            out.append(Double.random(in: 1..<10, using: &g) * pow10(e))
        }
    }
    return out
}

private func pow10(_ e: Double) -> Double {
    var r = 1.0
    let n = Int(e.magnitude)
    for _ in 0..<n { r *= 10 }
    return e < 0 ? 1 / r : r
}

@Suite("Real formatting differential")
struct RealFormattingDifferentialTests {
    @Test("CAST(r AS TEXT) renders 15 significant digits like SQLite")
    func castToText() {
        let oracle = SQLiteOracle()
        let d = Differential("real as text")
        for r in interestingReals(count: 4000, seed: 11) {
            d.check("CAST(\(r) AS TEXT)", oracle: oracle.evaluate("SELECT CAST(?1 AS TEXT)", [.real(r)]),
                    swift: .value(.text(renderRealAsText(r))))
        }
        d.finish(minimumCases: 4000)
    }

    @Test("integral reals (the fast path) render like SQLite")
    func integralReals() {
        let oracle = SQLiteOracle()
        let d = Differential("integral real as text")
        var g = SeededGenerator(seed: 14)
        var reals: [Double] = [0, -0.0, 1, -1, 999_999_999_999_999, -999_999_999_999_999, 1e15, 1e15 - 1, 1e14,
                               123_456_789_012_345, 100, 4503599627370496, 999_999_999_999_998]
        for _ in 0..<3000 {
            let digits = Int.random(in: 1...15, using: &g)
            var v: Int64 = 0
            for _ in 0..<digits { v = v * 10 + Int64.random(in: 0...9, using: &g) }
            reals.append(Double(Bool.random(using: &g) ? v : -v))
        }
        for r in reals {
            d.check("CAST(\(r) AS TEXT)", oracle: oracle.evaluate("SELECT CAST(?1 AS TEXT)", [.real(r)]),
                    swift: .value(.text(renderRealAsText(r))))
            var general: [UInt8] = []
            appendFormattedReal(r, RealFormatSpec(style: .general, precision: 15, alternateForm2: true), to: &general)
            d.check("general path of \(r)", oracle: .value(.text(renderRealAsText(r))), swift: .value(.text(general)))
        }
        d.finish(minimumCases: 6000)
    }

    @Test("quote(r) and the CLI's quote mode (%!.20g)")
    func quoteForms() {
        let oracle = SQLiteOracle()
        let d = Differential("real literal forms")
        for r in interestingReals(count: 2500, seed: 12) {
            d.check("quote(\(r))", oracle: oracle.evaluate("SELECT quote(?1)", [.real(r)]),
                    swift: .value(.text(renderRealAsLiteral(r))))
            d.check("printf('%!.20g', \(r))", oracle: oracle.evaluate("SELECT printf('%!.20g', ?1)", [.real(r)]),
                    swift: .value(.text(renderRealForQuoteMode(r))))
        }
        d.finish(minimumCases: 5000)
    }

    @Test("text → real → text round trips through SQLite's parser")
    func parseThenRender() {
        let oracle = SQLiteOracle()
        let d = Differential("parse then render")
        for s in numericStrings(count: 1500, seed: 13) {
            let v = Value.text(s)
            d.check("CAST(CAST(\(debugText(v)) AS REAL) AS TEXT)",
                    oracle: oracle.evaluate("SELECT CAST(CAST(?1 AS REAL) AS TEXT)", [v]),
                    swift: .value(v.casting(to: .real).casting(to: .text)))
        }
        d.finish(minimumCases: 1500)
    }
}
