// StatementJournalTests: which writing statements need a statement savepoint
// inside a transaction (Program.mayAbort, after build.c's sqlite3MayAbort and
// usesStmtJournal). A program none of whose instructions can fail half-way
// (but by ending the whole transaction) runs without one; constraints,
// function calls and DDL keep it. The transactions case file checks, against
// sqlite3, that statements of both kinds undo exactly what they must.

import Testing
import Base
@testable import Engine

@Suite struct StatementJournalTests {
    @Test func onlyProgramsThatMayFailHalfWayNeedAStatementSavepoint() throws {
        let c = try Connection(path: ":memory:")
        try c.execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b UNIQUE, c NOT NULL DEFAULT 0, d); CREATE INDEX td ON t(d)")
        func mayAbort(_ sql: String) throws -> Bool { try #require(try c.prepare(sql)).program.mayAbort }
        // Plain deletes and updates of unconstrained columns cannot stop half-way.
        #expect(try !mayAbort("DELETE FROM t WHERE d BETWEEN 5 AND 9"))
        #expect(try !mayAbort("DELETE FROM t WHERE a = 3"))
        #expect(try !mayAbort("UPDATE t SET d = d * 2 WHERE a BETWEEN 1 AND 9"))
        #expect(try !mayAbort("SELECT * FROM t"))
        // A function may raise an error (abs(-9223372036854775808)), a constraint may fail, DDL runs natively.
        #expect(try mayAbort("UPDATE t SET d = abs(d)"))
        #expect(try mayAbort("DELETE FROM t WHERE abs(d) > 5"))
        #expect(try mayAbort("UPDATE t SET b = b + 1"))
        #expect(try mayAbort("INSERT INTO t(b, c) VALUES(1, NULL), (2, 3)"))
        #expect(try mayAbort("INSERT INTO t(b, c) SELECT 1, NULL"))
        #expect(try mayAbort("CREATE TABLE u(x)"))
        // A single-row INSERT checks every constraint before it writes anything (insert.c): unless REPLACE
        // may delete rows first, or a trigger runs, it needs no savepoint (usesStmtJournal needs isMultiWrite).
        #expect(try !mayAbort("INSERT INTO t(b, c) VALUES(1, NULL)"))
        #expect(try !mayAbort("INSERT INTO t DEFAULT VALUES"))
        #expect(try mayAbort("INSERT OR REPLACE INTO t(b, c) VALUES(1, 2)"))
        #expect(try mayAbort("REPLACE INTO t(b, c) VALUES(1, 2)"))
        try c.execute("CREATE TABLE r(a PRIMARY KEY ON CONFLICT REPLACE, b UNIQUE)")
        #expect(try mayAbort("INSERT INTO r VALUES(1, 2)"))
        try c.execute("CREATE TABLE log(x); CREATE TRIGGER tl AFTER INSERT ON log BEGIN SELECT 1; END")
        #expect(try mayAbort("INSERT INTO log VALUES(abs(1))"))
    }
}
