// Error messages and positions: for each text, the message sqlite3 3.40.1 prints
// (written here as a specification) and, checked against libsqlite3 itself, the
// offset sqlite3_error_offset reports. A grammar action's error (e.g. an unknown
// join type) gives way to a syntax error on the token that completed the
// construct, as in SQLite, where the later message replaces the earlier one.

import Base
import CSQLite3
import SQL
import Testing

@Suite("Error messages")
struct ErrorMessageTests {
    static let cases: [(String, String)] = [
        ("SELECT", "incomplete input"),
        ("SELECT 1 +", "incomplete input"),
        ("SELECT * FROM", "incomplete input"),
        ("SELECT 1 2", #"near "2": syntax error"#),
        ("SELECT a NOT b", #"near "b": syntax error"#),
        ("SELECT a IS DISTINCT b", #"near "b": syntax error"#),
        ("SELECT raise FROM t", #"near "FROM": syntax error"#),
        ("SELECT f(DISTINCT *)", #"near "*": syntax error"#),
        ("SELECT 1 COLLATE", "incomplete input"),
        ("SELECT * FROM t AS", "incomplete input"),
        ("SELECT (1,", "incomplete input"),
        ("SELECT * FROM t WINDOW w AS (ROWS 1)", #"near ")": syntax error"#),
        ("SELECT x IN", "incomplete input"),
        ("SELECT EXISTS 1", #"near "1": syntax error"#),
        ("SELECT 1 ESCAPE 2", #"near "ESCAPE": syntax error"#),
        ("SELECT * FROM a LEFT b JOIN c", "unknown join type: LEFT b"),
        ("SELECT * FROM a LEFT b JOIN", "incomplete input"),
        ("SELECT ?0 ?1", #"near "?1": syntax error"#),
        ("SELECT ?0", "variable number must be between ?1 and ?250000"),
        ("CREATE TABLE z(a) WITHOUT rowids", "unknown table option: rowids"),
        ("WITH a AS (SELECT 1), a AS (SELECT 2) SELECT 1", "duplicate WITH table name: a"),
        ("SELECT #1 new", ##"near "#1": syntax error"##),
        ("SELECT 1 WHERE #1 new", #"near "new": syntax error"#),
        ("SELECT " + String(repeating: "(", count: 94) + "1" + String(repeating: ")", count: 94),
         "parser stack overflow"),
    ]

    @Test("messages as sqlite3 prints them")
    func messages() {
        for (sql, message) in Self.cases {
            #expect(parseError(sql)?.message == message, "\(sql)")
        }
    }

    @Test("messages and offsets equal libsqlite3's")
    func againstOracle() {
        var differential = Differential()
        differential.oracle.execute("CREATE TABLE t(a); CREATE TABLE a(x); CREATE TABLE c(x)")
        for (sql, _) in Self.cases {
            differential.run(CorpusChunk(sql: Array(sql.utf8), execute: false, location: sql), compare: true)
        }
        for line in differential.report.mismatches { Swift.print(line) }
        #expect(differential.report.mismatches.isEmpty)
        #expect(differential.report.syntaxErrorsMatched + differential.report.semanticErrors == Self.cases.count)
    }

    @Test("positions: the offending token's offset; none for incomplete input and limits")
    func positions() {
        let near = parseError("SELECT 1 FROM t WHERE a = = b")
        #expect(near?.position == 26 && near?.reportedOffset == 26)
        let incomplete = parseError("SELECT 1 +")
        #expect(incomplete?.position == 10 && incomplete?.reportedOffset == nil)
        let join = parseError("SELECT * FROM a LEFT b JOIN c")
        #expect(join?.reportedOffset == 16)
    }

    @Test("an over-long statement is SQLITE_TOOBIG, counted from where parsing starts")
    func sqlLength() {
        var limits = ParserLimits()
        limits.sqlLength = 20
        let options = ParserOptions(limits: limits)
        #expect(parseError("SELECT 1", options: options) == nil)
        let error = parseError("SELECT 1 + 2 + 3 + 4 + 5", options: options)
        #expect(error?.message == "string or blob too big" && error?.code == .toobig)
        #expect(error?.dbError.code == .toobig)
        // Each statement is measured from its own start.
        #expect(parseError("SELECT 1 + 2; SELECT 3 + 4;", options: options) == nil)
    }

    @Test("the length limit matches libsqlite3 with the same SQLITE_LIMIT_SQL_LENGTH")
    func sqlLengthAgainstOracle() {
        var differential = Differential()
        differential.oracle.setLimit(SQLITE_LIMIT_SQL_LENGTH, 20)
        differential.options.limits.sqlLength = 20
        let spaces = String(repeating: " ", count: 30)
        for sql in ["SELECT 1", "SELECT 1 + 2 + 3 + 4 + 5", "SELECT 1 + 2; SELECT 3 + 4;", "SELECT 1;" + spaces,
                    "SELECT 1" + spaces, "SELECT 'abcdefghijklmnopqrst'"] {
            differential.run(CorpusChunk(sql: Array(sql.utf8), execute: false, location: sql), compare: true)
        }
        for line in differential.report.mismatches { Swift.print(line) }
        #expect(differential.report.mismatches.isEmpty)
    }

    @Test("SyntaxError converts to the engine's DBError")
    func dbError() {
        #expect(parseError("SELECT 1 2")?.dbError == DBError(.error, #"near "2": syntax error"#))
    }
}
