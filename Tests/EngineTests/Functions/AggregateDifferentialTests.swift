// Differential tests of the aggregates: seeded random tables (integers near the overflow
// limits, reals, numeric text, blobs, NULLs) aggregated by libsqlite3 and by accumulators
// driven row by row as the VM will drive them; also sliding window frames (step, inverse,
// value) and the min/max "is new best" signal.

import Base
@testable import Engine
import Testing

/// Runs an aggregate over rows of arguments: step each row, then finalize.
func aggregate(_ name: String, _ rows: [[Value]], collation: Collation = .binary) -> Answer {
    answer { () throws(DBError) -> Value in
        let argumentCount = rows.first?.count ?? (name == "count*" ? 0 : 1)
        let definition = try FunctionRegistry.builtin.resolve(name == "count*" ? "count" : name,
                                                              argumentCount: argumentCount)
        guard var accumulator = definition.makeAccumulator() else { return .null }
        let host = TestHost()  // the context holds its host unowned
        defer { withExtendedLifetime(host) {} }
        var context = FunctionContext(host: host)
        context.collation = collation
        for row in rows {
            try FunctionArguments.withArguments(row) { (a) throws(DBError) -> Void in
                try accumulator.step(a, &context)
            }
        }
        return try accumulator.finalize(&context)
    }
}

@Suite("Aggregate differential")
struct AggregateDifferentialTests {
    private static func randomValue(using g: inout SeededGenerator) -> Value {
        switch Int.random(in: 0...9, using: &g) {
        case 0: return .null
        case 1: return .integer(Int64.random(in: -5...5, using: &g))
        case 2: return .integer([Int64.max, Int64.min, Int64.max - 3, 1 << 62, -(1 << 62)].randomElement(using: &g)!)
        case 3: return .real(Double.random(in: -100...100, using: &g))
        case 4: return .real([0.1, 0.2, 1e300, -1e300, 1e-300, .infinity, -.infinity, 2.5].randomElement(using: &g)!)
        case 5: return .text(["12", "3.5", "abc", "", " 7 ", "1e3", "B", "a", "Z"].randomElement(using: &g)!)
        case 6: return .blob([[0x31], [], [0x61, 0x62]].randomElement(using: &g)!)
        default: return interestingValues.randomElement(using: &g)!
        }
    }

    @Test("count, sum, total, avg, min, max, group_concat over random tables")
    func aggregates() {
        let oracle = SQLiteOracle()
        let d = Differential("aggregates")
        oracle.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, x, s)")
        var g = SeededGenerator(seed: 61)
        for _ in 0..<400 {
            _ = oracle.evaluate("DELETE FROM t")
            let n = Int.random(in: 0...10, using: &g)
            var xs: [Value] = []
            var seps: [Value] = []
            for _ in 0..<n {
                let x = Self.randomValue(using: &g)
                let s: Value = [.text(","), .text("--"), .null, .text(""), .integer(7)].randomElement(using: &g)!
                xs.append(x)
                seps.append(s)
                _ = oracle.evaluate("INSERT INTO t(x, s) VALUES(?1, ?2)", [x, s])
            }
            let label = xs.map(debugText).joined(separator: ", ")
            for name in ["count", "sum", "total", "avg", "min", "max", "group_concat"] {
                d.check("\(name) of [\(label)]", oracle: oracle.evaluate("SELECT \(name)(x) FROM t"),
                        swift: aggregate(name, xs.map { [$0] }))
            }
            d.check("count(*) of \(n) rows", oracle: oracle.evaluate("SELECT count(*) FROM t"),
                    swift: aggregate("count*", Array(repeating: [], count: n)))
            d.check("group_concat(x, s) of [\(label)]", oracle: oracle.evaluate("SELECT group_concat(x, s) FROM t"),
                    swift: aggregate("group_concat", zip(xs, seps).map { [$0, $1] }))
            for c in [Collation.nocase, .rtrim] {
                for name in ["min", "max"] {
                    d.check("\(name) \(c.name) of [\(label)]",
                            oracle: oracle.evaluate("SELECT \(name)(x COLLATE \(c.name)) FROM t"),
                            swift: aggregate(name, xs.map { [$0] }, collation: c))
                }
            }
        }
        d.finish(minimumCases: 4000)
    }

    @Test("sliding window frames use step, inverse and value")
    func windows() {
        let oracle = SQLiteOracle()
        let d = Differential("window aggregates")
        oracle.execute("CREATE TABLE w(id INTEGER PRIMARY KEY, x, s)")
        var g = SeededGenerator(seed: 62)
        for _ in 0..<150 {
            _ = oracle.evaluate("DELETE FROM w")
            let n = Int.random(in: 1...9, using: &g)
            var rows: [(Value, Value)] = []
            for _ in 0..<n {
                let x = Self.randomValue(using: &g)
                let s: Value = [.text(","), .text("--"), .null, .text("")].randomElement(using: &g)!
                rows.append((x, s))
                _ = oracle.evaluate("INSERT INTO w(x, s) VALUES(?1, ?2)", [x, s])
            }
            let k = Int.random(in: 0...3, using: &g)
            for (name, args) in [("sum", 1), ("total", 1), ("avg", 1), ("count", 1), ("group_concat", 1),
                                 ("group_concat", 2)] {
                let call = args == 1 ? "\(name)(x)" : "\(name)(x, s)"
                let frame = "ROWS BETWEEN \(k) PRECEDING AND CURRENT ROW"
                let expected = oracle.rows("SELECT \(call) OVER (ORDER BY id \(frame)) FROM w")
                let ours = slidingWindow(name, rows.map { args == 1 ? [$0.0] : [$0.0, $0.1] }, preceding: k)
                for (i, (e, o)) in zip(expected, ours).enumerated() {
                    d.check("\(call) row \(i) frame \(k) of \(rows.map { debugText($0.0) })", oracle: e, swift: o)
                }
                #expect(expected.count == ours.count)
            }
        }
        d.finish(minimumCases: 2000)
    }

    /// ROWS BETWEEN k PRECEDING AND CURRENT ROW, computed with step/inverse/value.
    private func slidingWindow(_ name: String, _ rows: [[Value]], preceding k: Int) -> [Answer] {
        var out: [Answer] = []
        do throws(DBError) {
            let definition = try FunctionRegistry.builtin.resolve(name, argumentCount: rows[0].count)
            guard var accumulator = definition.makeAccumulator() else { return [] }
            let host = TestHost()  // the context holds its host unowned
            defer { withExtendedLifetime(host) {} }
            var context = FunctionContext(host: host)
            // SQLite returns row i, then removes row i-k, then adds row i+1 (window.c, ROWS frames).
            for i in rows.indices {
                if i - k - 1 >= 0 {
                    try FunctionArguments.withArguments(rows[i - k - 1]) { (a) throws(DBError) -> Void in
                        try accumulator.inverse(a, &context)
                    }
                }
                try FunctionArguments.withArguments(rows[i]) { (a) throws(DBError) -> Void in
                    try accumulator.step(a, &context)
                }
                out.append(answer { () throws(DBError) -> Value in try accumulator.value(&context) })
            }
        } catch {
            out.append(.error(error.message))
        }
        return out
    }

    @Test("min/max report whether the row became the new best")
    func minMaxBestSignal() throws {
        let host = TestHost()  // the context holds its host unowned
        defer { withExtendedLifetime(host) {} }
        var context = FunctionContext(host: host)
        var acc = try #require(FunctionRegistry.builtin.resolve("max", argumentCount: 1).makeAccumulator())
        var signals: [Bool] = []
        for v in [Value.null, .integer(3), .null, .integer(1), .integer(5), .integer(5)] {
            try FunctionArguments.withArguments([v]) { (a) throws(DBError) -> Void in
                signals.append(try acc.step(a, &context))
            }
        }
        #expect(signals == [true, true, false, false, true, false])
        #expect(try acc.finalize(&context) == .integer(5))
    }
}
