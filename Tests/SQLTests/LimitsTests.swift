// Parser limits, https://sqlite.org/limits.html: expression depth, compound SELECT
// terms, SQL length, variable numbers, function arguments, and the LALR stack
// ("parser stack overflow"), compared with libsqlite3 on nested shapes of every
// kind at every depth around its limit. Also: deep input never overflows the
// Swift stack, even in a debug build on a 512 KiB thread.

import Foundation
import SQL
import Testing

@Suite("Parser limits")
struct LimitsTests {
    /// Nested shapes, by nesting depth n.
    static let shapes: [(String, @Sendable (Int) -> String)] = [
        ("parentheses", { "SELECT " + String(repeating: "(", count: $0) + "1" + String(repeating: ")", count: $0) }),
        ("unary minus", { "SELECT " + String(repeating: "- ", count: $0) + "1" }),
        ("NOT", { "SELECT " + String(repeating: "NOT ", count: $0) + "1" }),
        ("function calls", { "SELECT " + String(repeating: "abs(", count: $0) + "1" + String(repeating: ")", count: $0) }),
        ("scalar subqueries", { "SELECT " + String(repeating: "(SELECT ", count: $0) + "1" + String(repeating: ")", count: $0) }),
        ("FROM subqueries", {
            "SELECT * FROM " + String(repeating: "(SELECT * FROM ", count: $0) + "t" + String(repeating: ")", count: $0)
        }),
        ("right-nested =", { "SELECT " + String(repeating: "1=(", count: $0) + "1" + String(repeating: ")", count: $0) }),
        ("right-nested +", { "SELECT " + String(repeating: "1+(", count: $0) + "1" + String(repeating: ")", count: $0) }),
        ("CASE", {
            "SELECT " + String(repeating: "CASE WHEN 1 THEN ", count: $0) + "1" + String(repeating: " END", count: $0)
        }),
        ("IN lists", { "SELECT " + String(repeating: "1 IN (", count: $0) + "1" + String(repeating: ")", count: $0) }),
        ("CAST", { "SELECT " + String(repeating: "CAST(", count: $0) + "1" + String(repeating: " AS int)", count: $0) }),
        ("parenthesized joins", { "SELECT * FROM " + String(repeating: "(", count: $0) + "t" + String(repeating: ")", count: $0) }),
        ("COLLATE", { "SELECT " + String(repeating: "(", count: $0) + "1" + String(repeating: " COLLATE nocase)", count: $0) }),
        ("left-deep +", { "SELECT 1" + String(repeating: " + 1", count: $0 * 10) }),
        ("left-deep AND", { "SELECT 1 WHERE 1" + String(repeating: " AND x", count: $0 * 10) }),
        ("compound", { "SELECT 1" + String(repeating: " UNION SELECT 1", count: $0 * 10) }),
        ("VALUES compound", { "VALUES (1)" + String(repeating: ", (1)", count: $0 * 10) + " UNION SELECT 1" }),
        ("EXISTS", { "SELECT " + String(repeating: "EXISTS (SELECT ", count: $0) + "1" + String(repeating: ")", count: $0) }),
        ("CTE", { "SELECT * FROM " + String(repeating: "(WITH c AS (SELECT 1) SELECT * FROM ", count: $0) + "c"
            + String(repeating: ")", count: $0) }),
        ("window ORDER BY", {
            "SELECT " + String(repeating: "f() OVER (ORDER BY ", count: $0) + "1" + String(repeating: ")", count: $0)
        }),
        ("trigger bodies", {
            "CREATE TRIGGER r AFTER INSERT ON t BEGIN SELECT " + String(repeating: "(", count: $0) + "1"
                + String(repeating: ")", count: $0) + "; END"
        }),
        ("CHECK constraints", { "CREATE TABLE c(a CHECK (" + String(repeating: "(", count: $0) + "1"
            + String(repeating: ")", count: $0) + "))" }),
        ("DEFAULT expressions", { "CREATE TABLE d(a DEFAULT (" + String(repeating: "-", count: $0) + "1))" }),
        ("INSERT VALUES", { "INSERT INTO t VALUES(" + String(repeating: "(", count: $0) + "1"
            + String(repeating: ")", count: $0) + ")" }),
        ("UPDATE SET", { "UPDATE t SET a = " + String(repeating: "+", count: $0) + "1" }),
        ("DELETE WHERE", { "DELETE FROM t WHERE " + String(repeating: "NOT ", count: $0) + "1" }),
        ("CREATE VIEW", { "CREATE VIEW v AS SELECT " + String(repeating: "(", count: $0) + "1"
            + String(repeating: ")", count: $0) }),
        ("CREATE INDEX WHERE", { "CREATE INDEX i ON t(a) WHERE " + String(repeating: "~", count: $0) + "a" }),
        ("vtab arguments", { "CREATE VIRTUAL TABLE v USING m(" + String(repeating: "(", count: $0) + "a"
            + String(repeating: ")", count: $0) + ")" }),
    ]

    @Test("nesting limits match libsqlite3 for every shape", arguments: 0..<shapes.count)
    func nestingMatchesSQLite(shape: Int) {
        let (name, make) = Self.shapes[shape]
        var differential = Differential()
        differential.oracle.execute("CREATE TABLE t(a)")
        for depth in 1...130 {
            differential.run(CorpusChunk(sql: Array(make(depth).utf8), execute: false,
                                         location: "\(name) depth \(depth)"), compare: true)
        }
        for line in differential.report.mismatches.prefix(3) { Swift.print(line.prefix(300)) }
        #expect(differential.report.mismatches.isEmpty, "\(name)")
    }

    /// Runs `body` on a thread with a 512 KiB stack and waits for it.
    static func onSmallStack(_ body: @escaping @Sendable () -> Void) {
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            body()
            done.signal()
        }
        thread.stackSize = 512 * 1024
        thread.start()
        done.wait()
    }

    @Test("the deepest inputs parse, render, compare and hash on a 512 KiB stack")
    func deepInputOnSmallStack() {
        var inputs: [String] = []
        for (_, make) in Self.shapes {
            for depth in [20, 45, 90, 99, 100, 101, 150, 400] { inputs.append(make(depth)) }
        }
        inputs.append("SELECT " + String(repeating: "(", count: 100_000))
        inputs.append("SELECT " + String(repeating: "- ", count: 100_000) + "1")
        inputs.append("SELECT 1" + String(repeating: " COLLATE x", count: 998))
        inputs.append("SELECT 1" + String(repeating: " + 1", count: 998))
        inputs.append("SELECT x" + String(repeating: " NOT LIKE y", count: 499))
        let sources = inputs
        Self.onSmallStack {
            for sql in sources {
                guard let statements = try? Parser.parseAll(sql), let statement = statements.first else { continue }
                let rendered = ASTPrinter.sql(for: statement)
                let again = try? Parser.parseAll(rendered)
                precondition(again?.first == statement, "round trip")
                var hasher = Hasher()
                statement.hash(into: &hasher)
                _ = hasher.finalize()
            }
        }
        #expect(sources.count > 100)
    }

    @Test("a left-deep chain stops at the expression depth limit")
    func expressionDepth() throws {
        // SQLite: a chain of 1000 terms is 1000 high and passes; 1001 terms do not.
        #expect(parseError("SELECT 1" + String(repeating: " + 1", count: 999)) == nil)
        #expect(parseError("SELECT 1" + String(repeating: " + 1", count: 1000))?.message
                == "Expression tree is too large (maximum depth 1000)")
    }

    @Test("a COLLATE chain is bounded too (SQLite does not count COLLATE in the depth)")
    func collateChainDepth() {
        // Documented difference: SQLite accepts any number of COLLATE operators in a row;
        // the AST would then be unboundedly deep, so we stop at the same depth as for +.
        #expect(parseError("SELECT 1" + String(repeating: " COLLATE x", count: 999)) == nil)
        #expect(parseError("SELECT 1" + String(repeating: " COLLATE x", count: 1000))?.message
                == "Expression tree is too large (maximum depth 1000)")
    }
}
