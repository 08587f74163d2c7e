// FunctionRobustnessTests: hostile arguments never trap (DESIGN.md, decision 7). Every
// registered function, scalar and aggregate, is called with seeded random argument lists of
// every accepted length, built from extreme and malformed values; any answer or DBError is
// acceptable, a crash is not. Sizes stay moderate so no test allocates gigabytes.

import Base
@testable import Engine
import Testing

@Suite("Function robustness")
struct FunctionRobustnessTests {
    private static func hostileValue(using g: inout SeededGenerator) -> Value {
        switch Int.random(in: 0...7, using: &g) {
        case 0:
            let extremes: [Int64] = [Int64.max, Int64.min, -1, 0, Int64(Int32.max) + 1, Int64(Int32.min) - 1]
            return .integer(extremes.randomElement(using: &g)!)
        case 1: return .integer(Int64.random(in: -1_000_000...1_000_000, using: &g))
        case 2:
            let extremes: [Double] = [.infinity, -.infinity, 1e308, -1e308, .leastNonzeroMagnitude, -0.0, 1e15, 0.5]
            return .real(extremes.randomElement(using: &g)!)
        case 3:
            var b: [UInt8] = []
            for _ in 0..<Int.random(in: 0...24, using: &g) { b.append(UInt8.random(in: 0...255, using: &g)) }
            return Bool.random(using: &g) ? .text(b) : .blob(b)
        case 4:
            let pieces = ["%", "*", ".", "9", "-", "+", ":", " ", "e", "d", "s", "q", "c", "f", "!", "0", "l", "w", "T",
                          "days", "start of ", "weekday ", "unixepoch", "2023-01-01", "12:00", "Z", "[", "^", "]", "_"]
            var s = ""
            for _ in 0..<Int.random(in: 0...8, using: &g) { s += pieces.randomElement(using: &g)! }
            return .text(s)
        case 5: return .null
        default: return interestingValues.randomElement(using: &g)!
        }
    }

    @Test("random hostile arguments to every function")
    func hostileArguments() {
        var g = SeededGenerator(seed: 81)
        var calls = 0
        for d in FunctionRegistry.builtin.allDefinitions where d.name != "randomblob" && d.name != "zeroblob" {
            let counts: [Int]
            switch d.arity {
            case .exactly(let n): counts = [n]
            case .atLeast(let n): counts = Array(n...(n + 4))
            }
            for count in counts {
                for _ in 0..<300 {
                    let args = (0..<count).map { _ in Self.hostileValue(using: &g) }
                    let host = TestHost()  // the context holds its host unowned
                    defer { withExtendedLifetime(host) {} }
                    var context = FunctionContext(host: host)
                    context.collation = [Collation.binary, .nocase, .rtrim].randomElement(using: &g)!
                    _ = try? FunctionArguments.withArguments(args) { (a) throws(DBError) -> Value in
                        if var acc = d.makeAccumulator() {
                            try acc.step(a, &context)
                            try acc.step(a, &context)
                            try acc.inverse(a, &context)
                            _ = try acc.value(&context)
                            return try acc.finalize(&context)
                        }
                        return try d.callScalar(a, &context)
                    }
                    calls += 1
                }
            }
        }
        #expect(calls > 30_000)
    }
}
