// The AST printer: its text parses back to the same AST (ranges aside), with only
// the parentheses precedence needs, identifiers in their original quoting, aliases
// with AS, and LIMIT in the form it was written (so parameters keep their numbers).

import SQL
import Testing

@Suite("AST printer")
struct PrinterTests {
    @Test("every grammar sample round-trips")
    func samples() {
        for sample in GrammarSamples.statements { #expect(roundTrips(sample), "\(sample)") }
    }

    @Test("text of tricky expressions", arguments: [
        ("SELECT a = (b = c)", "SELECT a = (b = c)"),
        ("SELECT (a = b) = c", "SELECT a = b = c"),
        ("SELECT - - 1", "SELECT - -1"),
        ("SELECT -(-1)", "SELECT - -1"),
        ("SELECT 1 - -1", "SELECT 1 - -1"),
        ("SELECT NOT (a = b)", "SELECT NOT a = b"),
        ("SELECT (NOT a) = b", "SELECT (NOT a) = b"),
        ("SELECT x BETWEEN (a AND b) AND c", "SELECT x BETWEEN (a AND b) AND c"),
        ("SELECT x BETWEEN (a OR b) AND c", "SELECT x BETWEEN (a OR b) AND c"),
        ("SELECT (a COLLATE x) || b", "SELECT a COLLATE x || b"),
        ("SELECT -(a COLLATE x)", "SELECT -(a COLLATE x)"),
        ("SELECT a IS NOT DISTINCT FROM b", "SELECT a IS b"),
        ("SELECT (a LIKE b) LIKE c", "SELECT a LIKE b LIKE c"),
        ("SELECT a LIKE (b LIKE c)", "SELECT a LIKE (b LIKE c)"),
        ("SELECT a NOT NULL", "SELECT a NOTNULL"),
        ("SELECT x AS a, y 'b', z AS \"c\", w AS glob, v AS left, u AS indexed, s key",
         "SELECT x a, y 'b', z \"c\", w AS glob, v AS left, u AS indexed, s key"),
        ("SELECT * FROM t AS a, u LEFT OUTER JOIN v", "SELECT * FROM t a, u LEFT JOIN v"),
        ("SELECT 1 LIMIT 2, 3", "SELECT 1 LIMIT 2, 3"),
        ("SELECT 1 LIMIT 3 OFFSET 2", "SELECT 1 LIMIT 3 OFFSET 2"),
        ("SELECT 'it''s', x'aBcD'", "SELECT 'it''s', X'ABCD'"),
        ("select [a b], `c``d`, \"e\"\"f\"", "SELECT [a b], `c``d`, \"e\"\"f\""),
        ("REPLACE INTO t VALUES(1)", "INSERT OR REPLACE INTO t VALUES (1)"),
    ])
    func text(source: String, expected: String) {
        guard let statement = statement(source) else { return }
        #expect(String(decoding: ASTPrinter.sql(for: statement), as: UTF8.self) == expected)
        #expect(roundTrips(source))
    }

    @Test("parameters keep their numbers through LIMIT's two forms")
    func limitParameters() {
        #expect(roundTrips("SELECT 1 LIMIT ?, ?"))
        #expect(roundTrips("SELECT 1 LIMIT ? OFFSET ?"))
    }

    @Test("for every nesting shape, the deepest input that parses round-trips")
    func atTheLimit() {
        for (name, make) in LimitsTests.shapes {
            guard let deepest = (1...130).last(where: { parseError(make($0)) == nil }) else { continue }
            #expect(roundTrips(make(deepest)), "\(name) at depth \(deepest)")
        }
        #expect(roundTrips("SELECT " + String(repeating: "(SELECT ", count: 18) + "1 AS x"
                           + String(repeating: ")", count: 18)))
    }

    @Test("a 998-deep left chain renders without recursion")
    func deepChain() {
        #expect(roundTrips("SELECT 1" + String(repeating: " + 1", count: 998)))
        #expect(roundTrips("SELECT 1" + String(repeating: " COLLATE x", count: 998)))
    }
}
