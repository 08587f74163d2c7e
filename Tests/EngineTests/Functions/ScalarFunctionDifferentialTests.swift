// Differential tests of every deterministic built-in scalar function: each is called through
// the registry on cross products of interesting values (all pairs for two arguments, a
// smaller set for three) and compared with libsqlite3 calling the same function on the same
// bound values, errors included.

import Base
@testable import Engine
import Testing

/// Calls `name` with `arguments` through the registry, as the VM would.
func callFunction(_ name: String, _ arguments: [Value], host: TestHost = TestHost(),
                  collation: Collation = .binary) -> Answer {
    answer { () throws(DBError) -> Value in
        let definition = try FunctionRegistry.builtin.resolve(name, argumentCount: arguments.count)
        var context = FunctionContext(host: host)
        context.collation = collation
        return try FunctionArguments.withArguments(arguments) { (a) throws(DBError) -> Value in
            try definition.callScalar(a, &context)
        }
    }
}

/// `SELECT name(?1, ..., ?n)`.
func functionSQL(_ name: String, _ count: Int) -> String {
    "SELECT \(name)(" + (0..<count).map { "?\($0 + 1)" }.joined(separator: ", ") + ")"
}

@Suite("Scalar function differential")
struct ScalarFunctionDifferentialTests {
    /// Functions whose results depend on the connection's randomness or clock.
    static let excluded: Set<String> = ["random", "randomblob", "likelihood", "current_date", "current_time",
                                        "current_timestamp"]
    static let dateFunctions: Set<String> = ["date", "time", "datetime", "julianday", "unixepoch", "strftime"]

    /// The (name, argument count) pairs to test.
    static var signatures: [(String, Int)] {
        var out: [(String, Int)] = []
        for d in FunctionRegistry.builtin.allDefinitions where !d.isAggregate && !excluded.contains(d.name) {
            switch d.arity {
            case .exactly(let n): out.append((d.name, n))
            case .atLeast(let n):
                // No time value means 'now', which the oracle reads from the real clock.
                let nowCount = d.name == "strftime" ? 1 : 0
                for k in n...max(n + 2, 3) where !(dateFunctions.contains(d.name) && k <= nowCount) {
                    out.append((d.name, k))
                }
            }
        }
        return out
    }

    @Test("one-argument and zero-argument functions")
    func unary() {
        let oracle = SQLiteOracle()
        let d = Differential("scalar functions, 0-1 arguments")
        let values = interestingValues + numericStrings(count: 40, seed: 41).map { Value.text($0) }
            + [.text("2023-05-06 07:08:09.5"), .text("12:34"), .text("2451545.0"), .integer(2_451_545),
               .text("%d%%"), .text("%s|%5.2f|%-8d|%x"), .text("a'b\"c"), .text("Robert"), .text("Tymczak")]
        for (name, n) in Self.signatures where n <= 1 {
            let sql = functionSQL(name, n)
            if n == 0 {
                d.check("\(name)()", oracle: oracle.evaluate(sql), swift: callFunction(name, []))
                continue
            }
            for v in values {
                d.check("\(name)(\(debugText(v)))", oracle: oracle.evaluate(sql, [v]), swift: callFunction(name, [v]))
            }
        }
        d.finish(minimumCases: 3000)
    }

    @Test("two-argument functions on all pairs of values")
    func binary() {
        let oracle = SQLiteOracle()
        let d = Differential("scalar functions, 2 arguments")
        for (name, n) in Self.signatures where n == 2 {
            let sql = functionSQL(name, n)
            for a in interestingValues {
                for b in interestingValues {
                    d.check("\(name)(\(debugText(a)), \(debugText(b)))", oracle: oracle.evaluate(sql, [a, b]),
                            swift: callFunction(name, [a, b]))
                }
            }
        }
        d.finish(minimumCases: 50000)
    }

    @Test("three-argument functions on a smaller cross product")
    func ternary() {
        let oracle = SQLiteOracle()
        let d = Differential("scalar functions, 3 arguments")
        for (name, n) in Self.signatures where n == 3 {
            let sql = functionSQL(name, n)
            for a in smallValues {
                for b in smallValues {
                    for c in smallValues {
                        d.check("\(name)(\(debugText(a)), \(debugText(b)), \(debugText(c)))",
                                oracle: oracle.evaluate(sql, [a, b, c]), swift: callFunction(name, [a, b, c]))
                    }
                }
            }
        }
        d.finish(minimumCases: 20000)
    }

    @Test("substr, instr, trim, replace and round on targeted inputs")
    func targeted() {
        let oracle = SQLiteOracle()
        let d = Differential("targeted text functions")
        let texts: [Value] = [.text("héllo wörld"), .text("abcdef"), .blob([1, 2, 3, 4, 5]), .text(""),
                              .integer(12345),
                              .text([0x61, 0x00, 0x62, 0x63]), .text([0xE2, 0x82]), .text("ééé"), .real(-12.5)]
        let positions: [Value] = (-8...8).map { .integer(Int64($0)) } + [.integer(Int64(Int32.max) + 2), .null,
                                                                           .real(2.7), .text("2")]
        for t in texts {
            for p in positions {
                d.check("substr(\(debugText(t)), \(debugText(p)))",
                        oracle: oracle.evaluate("SELECT substr(?1, ?2)", [t, p]),
                        swift: callFunction("substr", [t, p]))
                for n in positions {
                    d.check("substr(\(debugText(t)), \(debugText(p)), \(debugText(n)))",
                            oracle: oracle.evaluate("SELECT substr(?1, ?2, ?3)", [t, p, n]),
                            swift: callFunction("substr", [t, p, n]))
                }
            }
        }
        let needles: [Value] = [.text("l"), .text("wö"), .text("é"), .text(""), .text("zz"), .blob([3, 4]),
                                .integer(23),
                                .text("b"), .blob([])]
        for t in texts {
            for n in needles {
                d.check("instr(\(debugText(t)), \(debugText(n)))",
                        oracle: oracle.evaluate("SELECT instr(?1, ?2)", [t, n]),
                        swift: callFunction("instr", [t, n]))
                for fn in ["trim", "ltrim", "rtrim"] {
                    d.check("\(fn)(\(debugText(t)), \(debugText(n)))",
                            oracle: oracle.evaluate("SELECT \(fn)(?1, ?2)", [t, n]), swift: callFunction(fn, [t, n]))
                }
                d.check("replace(\(debugText(t)), \(debugText(n)), 'XY')",
                        oracle: oracle.evaluate("SELECT replace(?1, ?2, 'XY')", [t, n]),
                        swift: callFunction("replace", [t, n, .text("XY")]))
            }
        }
        var g = SeededGenerator(seed: 42)
        for r in interestingReals(count: 1500, seed: 43) {
            let digits = Value.integer(Int64.random(in: -2...32, using: &g))
            d.check("round(\(r), \(digits))", oracle: oracle.evaluate("SELECT round(?1, ?2)", [.real(r), digits]),
                    swift: callFunction("round", [.real(r), digits]))
            d.check("round(\(r))", oracle: oracle.evaluate("SELECT round(?1)", [.real(r)]),
                    swift: callFunction("round", [.real(r)]))
        }
        d.finish(minimumCases: 5000)
    }

    @Test("text functions on random bytes, including invalid UTF-8 and embedded NULs")
    func invalidUTF8() {
        let oracle = SQLiteOracle()
        let d = Differential("text functions on raw bytes")
        var g = SeededGenerator(seed: 44)
        let pieces: [[UInt8]] = [[0x61], [0x41], [0x20], [0x00], [0xC3, 0xA9], [0xC3], [0xA9], [0x80], [0xBF],
                                 [0xE2, 0x82, 0xAC], [0xE2, 0x82], [0xF0, 0x9F, 0x98, 0x80], [0xF8, 0x88, 0x80],
                                 [0xFF], [0xFE], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xEF, 0xBF, 0xBF], [0x25], [0x5F]]
        func random() -> Value {
            var b: [UInt8] = []
            for _ in 0..<Int.random(in: 0...6, using: &g) { b += pieces[Int.random(in: 0..<pieces.count, using: &g)] }
            return Int.random(in: 0...5, using: &g) == 0 ? .blob(b) : .text(b)
        }
        for _ in 0..<1200 {
            let x = random(), y = random()
            for name in ["length", "unicode", "upper", "lower", "hex", "quote", "trim", "soundex", "typeof"] {
                d.check("\(name)(\(debugText(x)))", oracle: oracle.evaluate(functionSQL(name, 1), [x]),
                        swift: callFunction(name, [x]))
            }
            for name in ["instr", "trim", "ltrim", "rtrim", "like", "glob", "substr", "nullif", "max"] {
                let args = name == "substr" ? [x, .integer(Int64.random(in: -4...4, using: &g))] : [x, y]
                d.check("\(name)(\(args.map(debugText).joined(separator: ", ")))",
                        oracle: oracle.evaluate(functionSQL(name, 2), args), swift: callFunction(name, args))
            }
            let n = Value.integer(Int64.random(in: -3...3, using: &g))
            d.check("substr(\(debugText(x)), \(debugText(n)), 2)",
                    oracle: oracle.evaluate(functionSQL("substr", 3), [x, n, .integer(2)]),
                    swift: callFunction("substr", [x, n, .integer(2)]))
            d.check("replace(\(debugText(x)), \(debugText(y)), 'é')",
                    oracle: oracle.evaluate(functionSQL("replace", 3), [x, y, .text("é")]),
                    swift: callFunction("replace", [x, y, .text("é")]))
            d.check("\(debugText(x)) LIKE \(debugText(y)) ESCAPE 'é'",
                    oracle: oracle.evaluate("SELECT ?1 LIKE ?2 ESCAPE 'é'", [x, y]),
                    swift: callFunction("like", [y, x, .text("é")]))
        }
        d.finish(minimumCases: 20000)
    }

    @Test("likelihood() accepts only a literal probability")
    func likelihood() {
        let oracle = SQLiteOracle()
        let d = Differential("likelihood")
        for v in interestingValues {
            d.check("likelihood(\(debugText(v)), 0.5)", oracle: oracle.evaluate("SELECT likelihood(?1, 0.5)", [v]),
                    swift: callFunction("likelihood", [v, .real(0.5)]))
        }
        d.finish(minimumCases: 50)
    }
}
