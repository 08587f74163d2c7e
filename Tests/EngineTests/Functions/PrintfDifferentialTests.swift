// Differential tests of printf()/format(): thousands of seeded random format strings (every
// conversion, flag, width and precision form, '*' arguments, length modifiers, malformed
// specifications) with random arguments, plus float conversions over random reals.

import Base
@testable import Engine
import Testing

/// A random conversion specification and the arguments it consumes.
private func randomSpec(using g: inout SeededGenerator) -> (String, [Value]) {
    var spec = "%"
    var args: [Value] = []
    let flags = ["-", "+", " ", "#", "!", "0", ","]
    for _ in 0..<Int.random(in: 0...3, using: &g) { spec += flags.randomElement(using: &g)! }
    switch Int.random(in: 0...4, using: &g) {
    case 0: spec += String(Int.random(in: 1...30, using: &g))
    case 1:
        spec += "*"
        args.append(.integer(Int64.random(in: -25...25, using: &g)))
    default: break
    }
    switch Int.random(in: 0...4, using: &g) {
    case 0: spec += "." + String(Int.random(in: 0...25, using: &g))
    case 1:
        spec += ".*"
        args.append(.integer(Int64.random(in: -5...25, using: &g)))
    case 2: spec += "."
    default: break
    }
    if Int.random(in: 0...5, using: &g) == 0 { spec += ["l", "ll"].randomElement(using: &g)! }
    let conversions = ["d", "i", "u", "x", "X", "o", "p", "r", "c", "s", "z", "q", "Q", "w", "f", "e", "E", "g", "G",
                       "n", "%", "y", "T", "S", "k"]
    let c = conversions.randomElement(using: &g)!
    spec += c
    if c != "%" && c != "n" { args.append(randomArgument(using: &g)) }
    return (spec, args)
}

private func randomArgument(using g: inout SeededGenerator) -> Value {
    switch Int.random(in: 0...7, using: &g) {
    case 0: return interestingValues.randomElement(using: &g)!
    case 1: return .integer(Int64.random(in: Int64.min...Int64.max, using: &g))
    case 2: return .integer(Int64.random(in: -100_000...100_000, using: &g))
    case 3: return .real(Double.random(in: -1e6...1e6, using: &g))
    case 4: return .real(interestingReals(count: 1, seed: g.next()).last!)
    case 5: return .text(["héllo", "it's", "\"q\"", "", "ab", "日本語テキスト", "x"].randomElement(using: &g)!)
    case 6: return .null
    default: return .blob([0x61, 0xC3, 0xA9, 0x27])
    }
}

@Suite("printf differential")
struct PrintfDifferentialTests {
    @Test("random format strings with random arguments")
    func randomFormats() {
        let oracle = SQLiteOracle()
        let d = Differential("printf random formats")
        var g = SeededGenerator(seed: 51)
        for _ in 0..<6000 {
            var format = ""
            var args: [Value] = []
            for _ in 0..<Int.random(in: 1...3, using: &g) {
                if Bool.random(using: &g) { format += ["<", "ab ", "é|", "'"].randomElement(using: &g)! }
                let (s, a) = randomSpec(using: &g)
                format += s
                args += a
            }
            if Int.random(in: 0...9, using: &g) == 0 { args.removeLast(min(args.count, 1)) }
            if Int.random(in: 0...19, using: &g) == 0 { format += "%" }
            let all = [Value.text(format)] + args
            d.check("printf(\(all.map(debugText).joined(separator: ", ")))",
                    oracle: oracle.evaluate(functionSQL("printf", all.count), all), swift: callFunction("printf", all))
        }
        d.finish(minimumCases: 6000)
    }

    @Test("float conversions over random reals, precisions and flags")
    func floatConversions() {
        let oracle = SQLiteOracle()
        let d = Differential("printf float conversions")
        var g = SeededGenerator(seed: 52)
        let reals = interestingReals(count: 3000, seed: 53)
        for r in reals {
            let c = ["f", "e", "E", "g", "G"].randomElement(using: &g)!
            let flags = ["", "!", "#", "+", " ", "0", "-", "!#", "+0", ",", "!0"].randomElement(using: &g)!
            let width = Bool.random(using: &g) ? String(Int.random(in: 1...30, using: &g)) : ""
            let precision = Int.random(in: 0...3, using: &g) == 0 ? "" : "." + String(Int.random(in: 0...40, using: &g))
            let format = "%" + flags + width + precision + c
            d.check("printf('\(format)', \(r))",
                    oracle: oracle.evaluate("SELECT printf(?1, ?2)", [.text(format), .real(r)]),
                    swift: callFunction("printf", [.text(format), .real(r)]))
        }
        for r in reals.prefix(600) {
            for format in ["%.15g", "%!.15g", "%.17g", "%!.20e", "%.0f", "%.2f", "%.30f", "%e", "%.4095f", "%.4106e"] {
                d.check("printf('\(format)', \(r))",
                        oracle: oracle.evaluate("SELECT printf(?1, ?2)", [.text(format), .real(r)]),
                        swift: callFunction("printf", [.text(format), .real(r)]))
            }
        }
        d.finish(minimumCases: 9000)
    }

    @Test("results that would exceed SQLITE_MAX_LENGTH are NULL, without allocating them")
    func tooBig() {
        let oracle = SQLiteOracle()
        let d = Differential("printf too big")
        let cases: [[Value]] = [
            [.text("%1000000001d"), .integer(1)], [.text("%.*d"), .integer(2_000_000_000), .integer(1)],
            [.text("%2000000000c"), .text("x")], [.text("ab%-1999999999s|"), .text("x")],
            [.text("%*f"), .integer(1_000_000_000), .real(1.5)], [.text("%.*e"), .integer(999_999_990), .real(2)],
            [.text("%,.*d"), .integer(800_000_000), .integer(5)], [.text("%-*s|"), .integer(-2_000_000_000), .null],
        ]
        for args in cases {
            d.check("printf(\(args.map(debugText).joined(separator: ", ")))",
                    oracle: oracle.evaluate(functionSQL("printf", args.count), args),
                    swift: callFunction("printf", args))
        }
        d.finish(minimumCases: 8)
    }

    @Test("integer conversions with thousands separators, widths and ordinals")
    func integerConversions() {
        let oracle = SQLiteOracle()
        let d = Differential("printf integer conversions")
        var g = SeededGenerator(seed: 54)
        for _ in 0..<3000 {
            let v = Value.integer([Int64.random(in: Int64.min...Int64.max, using: &g),
                                   Int64.random(in: -2000...2000, using: &g),
                                   Int64.min, Int64.max, 0].randomElement(using: &g)!)
            let c = ["d", "i", "u", "x", "X", "o", "r", "p"].randomElement(using: &g)!
            let flags = ["", ",", "#", "0", "-", "+", " ", ",0", "#0", "+,", "-0"].randomElement(using: &g)!
            let width = Bool.random(using: &g) ? String(Int.random(in: 1...40, using: &g)) : ""
            let precision = Bool.random(using: &g) ? "." + String(Int.random(in: 0...45, using: &g)) : ""
            let format = "%" + flags + width + precision + "ll" + c
            d.check("printf('\(format)', \(v))", oracle: oracle.evaluate("SELECT printf(?1, ?2)", [.text(format), v]),
                    swift: callFunction("printf", [.text(format), v]))
        }
        d.finish(minimumCases: 3000)
    }
}
