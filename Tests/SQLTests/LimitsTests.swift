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
    /// `prefix` + `open` × n + `inner` + `close` × n.
    static func nest(_ prefix: String, _ open: String, _ inner: String, _ close: String) -> @Sendable (Int) -> String {
        { n in prefix + String(repeating: open, count: n) + inner + String(repeating: close, count: n) }
    }

    /// `prefix` + `term` × 10n (long left-deep chains).
    static func chain(_ prefix: String, _ term: String) -> @Sendable (Int) -> String {
        { n in prefix + String(repeating: term, count: n * 10) }
    }

    /// Nested shapes, by nesting depth n.
    static let shapes: [(String, @Sendable (Int) -> String)] = [
        ("parentheses", nest("SELECT ", "(", "1", ")")),
        ("unary minus", nest("SELECT ", "- ", "1", "")),
        ("NOT", nest("SELECT ", "NOT ", "1", "")),
        ("function calls", nest("SELECT ", "abs(", "1", ")")),
        ("scalar subqueries", nest("SELECT ", "(SELECT ", "1", ")")),
        ("FROM subqueries", nest("SELECT * FROM ", "(SELECT * FROM ", "t", ")")),
        ("right-nested =", nest("SELECT ", "1=(", "1", ")")),
        ("right-nested +", nest("SELECT ", "1+(", "1", ")")),
        ("CASE", nest("SELECT ", "CASE WHEN 1 THEN ", "1", " END")),
        ("IN lists", nest("SELECT ", "1 IN (", "1", ")")),
        ("CAST", nest("SELECT ", "CAST(", "1", " AS int)")),
        ("parenthesized joins", nest("SELECT * FROM ", "(", "t", ")")),
        ("COLLATE", nest("SELECT ", "(", "1", " COLLATE nocase)")),
        ("left-deep +", chain("SELECT 1", " + 1")),
        ("left-deep AND", chain("SELECT 1 WHERE 1", " AND x")),
        ("compound", chain("SELECT 1", " UNION SELECT 1")),
        ("VALUES compound", { "VALUES (1)" + String(repeating: ", (1)", count: $0 * 10) + " UNION SELECT 1" }),
        ("EXISTS", nest("SELECT ", "EXISTS (SELECT ", "1", ")")),
        ("CTE", nest("SELECT * FROM ", "(WITH c AS (SELECT 1) SELECT * FROM ", "c", ")")),
        ("window ORDER BY", nest("SELECT ", "f() OVER (ORDER BY ", "1", ")")),
        ("trigger bodies", { "CREATE TRIGGER r AFTER INSERT ON t BEGIN " + nest("SELECT ", "(", "1", ")")($0)
            + "; END" }),
        ("CHECK constraints", { "CREATE TABLE c(a CHECK (" + nest("", "(", "1", ")")($0) + "))" }),
        ("DEFAULT expressions", { "CREATE TABLE d(a DEFAULT (" + nest("", "-", "1", "")($0) + "))" }),
        ("INSERT VALUES", { "INSERT INTO t VALUES(" + nest("", "(", "1", ")")($0) + ")" }),
        ("UPDATE SET", nest("UPDATE t SET a = ", "+", "1", "")),
        ("DELETE WHERE", nest("DELETE FROM t WHERE ", "NOT ", "1", "")),
        ("CREATE VIEW", nest("CREATE VIEW v AS SELECT ", "(", "1", ")")),
        ("CREATE INDEX WHERE", nest("CREATE INDEX i ON t(a) WHERE ", "~", "a", "")),
        ("vtab arguments", { "CREATE VIRTUAL TABLE v USING m(" + nest("", "(", "a", ")")($0) + ")" }),
        ("DETACH", nest("DETACH ", "~", "a", "")),
        ("DETACH DATABASE", nest("DETACH DATABASE ", "~", "a", "")),
        ("ATTACH", nest("ATTACH 'f' AS ", "~", "a", "")),
        ("ALTER TABLE ADD", { "ALTER TABLE t ADD c CHECK (" + nest("", "(", "1", ")")($0) + ")" }),
        ("ALTER TABLE ADD COLUMN", { "ALTER TABLE t ADD COLUMN c CHECK (" + nest("", "(", "1", ")")($0) + ")" }),
        ("trigger WHEN", { "CREATE TRIGGER r UPDATE OF a ON t FOR EACH ROW WHEN " + nest("", "-", "1", "")($0)
            + " BEGIN SELECT 1; END" }),
        ("trigger WHEN, no FOR EACH ROW", { "CREATE TRIGGER r UPDATE ON t WHEN " + nest("", "-", "1", "")($0)
            + " BEGIN SELECT 1; END" }),
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
        // Found by the fuzzer: DETACH renders as DETACH DATABASE, which must not push the
        // rendering past the stack limit the original stayed within.
        inputs.append("DETACH D\u{BF}TA * " + String(repeating: "~", count: 91) + " c << #x")
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
