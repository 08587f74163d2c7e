// One statement at a time, as sqlite3_prepare_v2 reads them: each parse starts
// at the previous one's tail (just after its ';'), empty statements and comments
// before a statement are skipped, and a syntax error in one statement does not
// stop the ones before it from being returned first.

import SQL
import Testing

@Suite("Statement splitting")
struct StatementSplittingTests {
    @Test("tails are just after each ';'; a trailing comment or ';;' is no statement")
    func tails() throws {
        let sql = "SELECT 1; ;;  SELECT 2 -- two\n; /* only a comment */ ;"
        var parser = Parser(sql)
        let (first, tail1) = try parser.parseStatement(at: 0)
        #expect(first != nil && tail1 == 9)
        let (second, tail2) = try parser.parseStatement(at: tail1)
        #expect(second != nil && tail2 == Array(sql.utf8).firstIndex(of: 0x0A)! + 2)
        let (none, tail3) = try parser.parseStatement(at: tail2)
        #expect(none == nil && tail3 == sql.utf8.count)
    }

    @Test("next() returns statements in order and stops at the first error")
    func errorInThirdStatement() {
        var parser = Parser("SELECT 1; SELECT 2; SELECT FROM; SELECT 4")
        var parsed = 0
        do {
            while try parser.next() != nil { parsed += 1 }
            Issue.record("no error")
        } catch {
            #expect(error.message == #"near "FROM": syntax error"#)
            #expect(error.position == 27)
        }
        #expect(parsed == 2)
        #expect(parser.offset == 19)
    }

    @Test("a statement's range covers its first to last token, without the ';'")
    func ranges() throws {
        let statements = try Parser.parseAll("  SELECT 1 ;\n/* x */ DELETE FROM t  ")
        #expect(statements.map(\.range.bounds) == [2..<10, 21..<34])
    }

    @Test("the statement must end at ';' or the end of input")
    func trailingTokens() {
        #expect(parseError("SELECT 1 SELECT 2")?.message == #"near "SELECT": syntax error"#)
        #expect(parseError("SELECT 1 2")?.message == #"near "2": syntax error"#)
        #expect(parseError("SELECT 1; SELECT")?.message == "incomplete input")
    }

    @Test("statements compared with sqlite3_prepare_v2's tails")
    func againstOracle() {
        var differential = Differential()
        let scripts = [
            "SELECT 1; SELECT 2;; ; SELECT 3 -- x\n;",
            "  /* a */ SELECT 1 /* b */ ; -- c",
            "BEGIN;CREATE TABLE t(a);CREATE TABLE u(b);;COMMIT",
            "CREATE TRIGGER r AFTER INSERT ON t BEGIN SELECT 1; SELECT 2; END; SELECT 3",
            "SELECT 1; SELECT FROM; SELECT 3",
            ";;;",
            "",
            "-- only a comment",
        ]
        for script in scripts {
            differential.run(CorpusChunk(sql: Array(script.utf8), execute: true, location: script), compare: true)
        }
        for line in differential.report.mismatches { Swift.print(line) }
        #expect(differential.report.mismatches.isEmpty)
    }
}
