// Tests of the function registry: the set of built-ins matches libsqlite3's (minus the
// documented exclusions), and name/argument-count resolution gives sqlite3's errors.
// Also the non-deterministic functions (random, randomblob, 'now') against a test host.

import Base
@testable import Engine
import Testing

@Suite("Function registry")
struct RegistryTests {
    /// Built-ins of the oracle that swiftdb deliberately does not implement in this module.
    static let notImplemented: Set<String> = [
        "->", "->>", "json", "json_array", "json_array_length", "json_extract", "json_group_array",
        "json_group_object", "json_insert", "json_object", "json_patch", "json_quote", "json_remove",
        "json_replace", "json_set", "json_type", "json_valid", "cume_dist", "dense_rank", "first_value", "lag",
        "last_value", "lead", "nth_value", "ntile", "percent_rank", "rank", "row_number", "fts3_tokenizer",
    ]

    @Test("every built-in of libsqlite3 is registered with the same argument counts")
    func sameFunctionSet() {
        let oracle = SQLiteOracle()
        let names = oracle.rows("SELECT name || '/' || narg FROM pragma_function_list WHERE builtin = 1 ORDER BY 1")
        var expected: Set<String> = []
        for case .value(.text(let t)) in names {
            let s = String(decoding: t, as: UTF8.self)
            if !Self.notImplemented.contains(String(s.split(separator: "/")[0])) { expected.insert(s) }
        }
        var ours: Set<String> = []
        for d in FunctionRegistry.builtin.allDefinitions { ours.insert("\(d.name)/\(d.arity.sqliteArgumentCount)") }
        #expect(expected.subtracting(ours).sorted() == [], "missing")
        #expect(ours.subtracting(expected).sorted() == [], "extra")
    }

    @Test("resolution errors match sqlite3 for every name and argument count")
    func resolutionErrors() {
        let oracle = SQLiteOracle()
        let d = Differential("function resolution")
        var names = FunctionRegistry.builtin.allDefinitions.map(\.name)
        names += ["nosuch", "ABS", "Coalesce", "sign", "concat", "concat_ws", "string_agg", "unhex", "octet_length",
                  "timediff", "if", "MAX", "mIn", "Substr", "printF"]
        for name in Set(names).sorted() {
            for n in 0...4 {
                let args = (0..<n).map { _ in "1" }.joined(separator: ", ")
                let sql = "SELECT \(name)(\(args))"
                var o = oracle.evaluate(sql)
                let s: Answer
                do throws(DBError) {
                    _ = try FunctionRegistry.builtin.resolve(name, argumentCount: n)
                    s = .value(.integer(1))
                } catch {
                    s = .error(error.message)
                }
                if case .error(let m) = o, m.contains("syntax error") { continue }  // keywords: current_date(...)
                if case .value = o { o = .value(.integer(1)) }
                if case .error(let m) = o, !m.contains("no such function") && !m.contains("wrong number") {
                    o = .value(.integer(1))  // resolved, then failed at run time or in a later check
                }
                d.check(sql, oracle: o, swift: s)
            }
        }
        d.finish(minimumCases: 450)
    }

    @Test("likelihood() needs a floating-point literal between 0.0 and 1.0")
    func likelihoodLiteral() {
        let oracle = SQLiteOracle()
        let d = Differential("likelihood literals")
        let tokens = ["0.5", "1.0", "0.0", ".25", "1.5", "1", "0", "-0.5", "2e-1", "1e0", "1.0000001", "0.0625",
                      "'0.5'"]
        for token in tokens {
            let isFloat = token.first != "'" && token.first != "-" && token.contains(where: { ".eE".contains($0) })
            let o = oracle.evaluate("SELECT likelihood(7, \(token))")
            let s: Answer
            do throws(DBError) {
                _ = try FunctionRegistry.likelihoodProbability(name: "likelihood", floatLiteral: isFloat ? token : nil)
                s = .value(.integer(7))
            } catch {
                s = .error(error.message)
            }
            d.check("likelihood(7, \(token))", oracle: o, swift: s)
        }
        d.finish(minimumCases: 13)
    }

    @Test("localtime and utc use the host's offset; current_* read the statement time")
    func localTimeAndCurrent() throws {
        final class PlusOneHour: FunctionHost {
            var changes: Int64 { 0 }
            var totalChanges: Int64 { 0 }
            var lastInsertRowID: Int64 { 0 }
            func nextRandomUInt64() -> UInt64 { 4 }
            func currentTimeMilliseconds() -> Int64? { 1_700_000_000_123 }
            func localTimeOffsetSeconds(atUnixTime unixTime: Int64) -> Int? { 3600 }
        }
        let host = PlusOneHour()
        #expect(callFunction("datetime", [.text("2023-01-01 00:00:00"), .text("localtime")], host: TestHost())
                == .value(.text("2023-01-01 00:00:00")))
        func call(_ name: String, _ args: [Value]) -> Answer {
            answer { () throws(DBError) -> Value in
                let d = try FunctionRegistry.builtin.resolve(name, argumentCount: args.count)
                var context = FunctionContext(host: host)
                return try FunctionArguments.withArguments(args) { (a) throws(DBError) -> Value in
                    try d.callScalar(a, &context)
                }
            }
        }
        #expect(call("datetime", [.text("2023-01-01 00:00:00"), .text("localtime")])
                == .value(.text("2023-01-01 01:00:00")))
        #expect(call("datetime", [.text("2023-01-01 00:00:00"), .text("utc")]) == .value(.text("2022-12-31 23:00:00")))
        #expect(call("current_date", []) == .value(.text("2023-11-14")))
        #expect(call("current_time", []) == .value(.text("22:13:20")))
        #expect(call("current_timestamp", []) == .value(.text("2023-11-14 22:13:20")))
        #expect(call("strftime", [.text("%s %f")]) == .value(.text("1700000000 20.123")))
        #expect(call("unixepoch", []) == .value(.integer(1_700_000_000)))
    }

    @Test("random() and randomblob() use the host's random source")
    func randomness() {
        let host = TestHost()
        var seen: Set<Value> = []
        for _ in 0..<200 {
            let v = callFunction("random", [], host: host)
            guard case .value(.integer(let i)) = v else {
                Issue.record("random() gave \(v)")
                return
            }
            #expect(i != Int64.min)
            seen.insert(.integer(i))
        }
        #expect(seen.count == 200)
        for n: Int64 in [-5, 0, 1, 7, 100] {
            let v = callFunction("randomblob", [.integer(n)], host: host)
            guard case .value(.blob(let b)) = v else {
                Issue.record("randomblob(\(n)) gave \(v)")
                continue
            }
            #expect(b.count == max(Int(n), 1))
        }
        #expect(callFunction("randomblob", [.integer(2_000_000_000)], host: host) == .error("string or blob too big"))
        #expect(callFunction("zeroblob", [.integer(2_000_000_000)], host: host) == .error("string or blob too big"))
        #expect(callFunction("abs", [.integer(Int64.min)], host: host) == .error("integer overflow"))
        let counting = TestHost()
        counting.changes = 7
        #expect(callFunction("changes", [], host: counting) == .value(.integer(7)))
    }

    @Test("'now' is read once per statement step and shared by all calls")
    func nowIsStable() throws {
        let host = TestHost()
        var context = FunctionContext(host: host)
        let definition = try FunctionRegistry.builtin.resolve("datetime", argumentCount: 0)
        let first = try FunctionArguments.withArguments([]) { (a) throws(DBError) -> Value in
            try definition.callScalar(a, &context)
        }
        host.nowMilliseconds = 1_800_000_000_000
        let second = try FunctionArguments.withArguments([]) { (a) throws(DBError) -> Value in
            try definition.callScalar(a, &context)
        }
        #expect(first == .text("2023-11-14 22:13:20"))
        #expect(first == second)
        #expect(host.clockReads == 1)
        context.resetStatementTime()
        let third = try FunctionArguments.withArguments([]) { (a) throws(DBError) -> Value in
            try definition.callScalar(a, &context)
        }
        #expect(third == .text("2027-01-15 08:00:00"))
        context.pureContext = .index
        #expect(throws: DBError(.error, "non-deterministic use of datetime() in an index")) {
            try FunctionArguments.withArguments([Value.text("now")]) { (a) throws(DBError) -> Value in
                try definition.callScalar(a, &context)
            }
        }
    }
}
