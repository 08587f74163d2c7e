// PerformanceSmokeTests: nanoseconds per operation of the value layer's hot paths, printed
// only when SWIFTDB_PERF=1 (a measurement aid, not a timed assertion: speed is measured by
// the benchmarks, DESIGN.md decision 8). Build with -c release to get meaningful numbers.

import Base
@testable import Engine
import Testing
#if canImport(Glibc)
import Glibc
#endif

private func measure(_ name: String, iterations: Int, _ body: () -> Int) {
    let clock = ContinuousClock()
    var sink = 0
    let elapsed = clock.measure { sink &+= body() }
    let ns = Double(elapsed.components.attoseconds) / 1e9 + Double(elapsed.components.seconds) * 1e9
    let line = "\(name): \(Int(ns / Double(iterations))) ns/op (sink \(sink & 1))\n"
    _ = line.withCString { write(2, $0, strlen($0)) }
}

@Suite("Performance smoke", .enabled(if: getenv("SWIFTDB_PERF") != nil))
struct PerformanceSmokeTests {
    @Test("hot paths")
    func hotPaths() throws {
        let n = 1_000_000
        measure("integer add", iterations: n) {
            var acc = Value.integer(0)
            for i in 0..<n { acc = Arithmetic.add(acc, .integer(Int64(i & 7))) }
            return acc == .null ? 0 : 1
        }
        measure("text '12' + 1", iterations: n) {
            var c = 0
            let t = Value.text("12")
            for _ in 0..<n { if case .integer(let v) = Arithmetic.add(t, .integer(1)) { c &+= Int(v) } }
            return c
        }
        measure("compare text", iterations: n) {
            var c = 0
            let a = Value.text("hello world"), b = Value.text("hello there")
            for _ in 0..<n { c &+= Comparison.order(a, b, affinity: .none, collation: .binary) ?? 0 }
            return c
        }
        measure("render real", iterations: n / 10) {
            var c = 0
            for i in 0..<(n / 10) { c &+= renderRealAsText(Double(i) * 0.37).count }
            return c
        }
        measure("parse real", iterations: n) {
            var c = 0.0
            let s = Array("12345.6789e-3".utf8)
            for _ in 0..<n { c += NumericParsing.parseReal(s.span).value }
            return Int(c)
        }
        let abs = try FunctionRegistry.builtin.resolve("abs", argumentCount: 1)
        let host = TestHost()  // the context holds its host unowned
        defer { withExtendedLifetime(host) {} }
        var context = FunctionContext(host: host)
        measure("abs() call", iterations: n) {
            var c = 0
            let args: [Value] = [.integer(-5)]
            args.withUnsafeBufferPointer { p in
                let a = FunctionArguments(base: p.baseAddress, count: 1)
                for _ in 0..<n {
                    if case .integer(let v) = (try? abs.callScalar(a, &context)) ?? .null { c &+= Int(v) }
                }
            }
            return c
        }
        measure("like 'a%z'", iterations: n / 10) {
            var c = 0
            let s = Value.text("abcdefghijklmnopqrstuvwxyz"), p = Value.text("a%z")
            for _ in 0..<(n / 10) { if (try? Pattern.like(s, pattern: p)) == .integer(1) { c += 1 } }
            return c
        }
    }
}
