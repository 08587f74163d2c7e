// LiteralStatementCacheTests: when a statement reuses the program of an earlier one that
// differed only in its literals (Engine/Connection/LiteralStatementCache.swift), and that
// the reused program is, instruction for instruction, the one compiling the statement
// afresh gives. The literal-reuse case file checks the answers against sqlite3.

import Testing
import Base
import SQL
@testable import Engine

@Suite struct LiteralStatementCacheTests {
    private func connection() throws -> Connection {
        let c = try Connection(path: ":memory:")
        try c.execute("""
            CREATE TABLE t(a INTEGER PRIMARY KEY, b INTEGER, c TEXT);
            CREATE INDEX tb ON t(b);
            INSERT INTO t VALUES(1, 10, 'x'), (2, 20, 'y'), (3, -1, 'z');
            """)
        return c
    }

    /// Prepares `sql` through the cache and returns whether it was a hit, checking that its program
    /// lists as a fresh compile of the same text does.
    private func prepare(_ c: Connection, _ sql: String) throws -> Bool {
        let before = c.literalStatements.hits
        let statement = try #require(try c.prepare(sql))
        var parser = Parser(Array(sql.utf8))
        let parsed = try #require(try parser.parseStatement(at: 0).0)
        let fresh = try Compiler.compile(parsed, source: Array(sql.utf8), connection: c)
        #expect(statement.program.listing() == fresh.listing(), "\(sql)")
        #expect(statement.sql == sql)
        return c.literalStatements.hits > before
    }

    @Test func aShapeIsLearnedTheSecondTimeAndReusedFromTheThird() throws {
        let c = try connection()
        #expect(try !prepare(c, "SELECT b FROM t WHERE a=2"))
        #expect(try !prepare(c, "SELECT b FROM t WHERE a=3"))
        #expect(try prepare(c, "SELECT b FROM t WHERE a=70000"))
        #expect(try !prepare(c, "SELECT b FROM t WHERE a=-5"))  // the minus sign is part of the shape
        #expect(try prepare(c, "SELECT b FROM t WHERE a=9223372036854775807"))
        let rows = try c.query("SELECT b FROM t WHERE a=2")
        #expect(rows == [[.integer(20)]])
        #expect(try prepare(c, "UPDATE t SET c = 'q' WHERE b BETWEEN 5 AND 15") == false)
        #expect(try prepare(c, "UPDATE t SET c = 'r' WHERE b BETWEEN 6 AND 16") == false)
        #expect(try prepare(c, "UPDATE t SET c = 'it''s' WHERE b BETWEEN 7 AND 17"))
        #expect(try prepare(c, "INSERT INTO t VALUES(10, 5, 'a')") == false)
        #expect(try prepare(c, "INSERT INTO t VALUES(11, 6, 'b')") == false)
        #expect(try prepare(c, "INSERT INTO t VALUES(12, 7000000000, 'c')"))
    }

    @Test func concatenatedLiteralsInAComparisonAreParameters() throws {
        let c = try connection()
        #expect(try !prepare(c, "SELECT a FROM t WHERE c BETWEEN 'x' AND 'x' || '~'"))
        #expect(try !prepare(c, "SELECT a FROM t WHERE c BETWEEN 'y' AND 'y' || '~'"))
        #expect(try prepare(c, "SELECT a FROM t WHERE c BETWEEN 'z' AND 'z' || '!'"))
        #expect(try c.query("SELECT a FROM t WHERE c BETWEEN 'y' AND 'y' || '~'") == [[.integer(2)]])
        // A concatenation anywhere but a comparison operand keeps its literals fixed.
        for sql in ["SELECT 'p' || 'q' FROM t WHERE a=5", "SELECT 'p' || 'q' FROM t WHERE a=2"] { _ = try prepare(c, sql) }
        #expect(try prepare(c, "SELECT 'p' || 'q' FROM t WHERE a=3"))
        #expect(try !prepare(c, "SELECT 'p' || 'r' FROM t WHERE a=3"))
    }

    /// Parameterized text prepared again reuses its program (a statement cache): parameters stay in the
    /// shape as written, so `?1` and `:k` are different statements; literals beside them still vary; a hit
    /// starts with every parameter NULL and its step count at 0, whatever the statement before it bound.
    @Test func parameterizedTextIsReusedWithItsParametersUnbound() throws {
        let c = try connection()
        #expect(try !prepare(c, "SELECT b FROM t WHERE a=?1"))
        #expect(try !prepare(c, "SELECT b FROM t WHERE a=?1"))
        #expect(try prepare(c, "SELECT b FROM t WHERE a=?1"))
        #expect(try !prepare(c, "SELECT b FROM t WHERE a=:k"))
        for n in [4, 5] { _ = try prepare(c, "SELECT b FROM t WHERE a=:k AND b > \(n)") }
        #expect(try prepare(c, "SELECT b FROM t WHERE a=:k AND b > 15"))
        do {
            let bound = try #require(try c.prepare("SELECT b FROM t WHERE a=?1"))
            try bound.bind(.integer(2), at: 1)
            #expect(try rows(bound) == [.integer(20)])
            #expect(bound.vmSteps > 0)
        }
        let again = try #require(try c.prepare("SELECT b FROM t WHERE a=?1"))
        #expect(c.literalStatements.vmReuses > 0)
        #expect(again.vmSteps == 0)
        #expect(again.parameterCount == 1)
        #expect(try rows(again) == [])  // ?1 is NULL: no row has a = NULL
        let named = try #require(try c.prepare("SELECT b FROM t WHERE a=:k AND b > 15"))
        #expect(named.parameterIndex(":k") == 1)
        try named.bind(.integer(2), at: 1)
        #expect(try rows(named) == [.integer(20)])
        let lower = try #require(try c.prepare("SELECT b FROM t WHERE a=:k AND b > 25"))
        try lower.bind(.integer(2), at: 1)
        #expect(try rows(lower) == [])
    }

    /// The first column of every row `statement` returns.
    private func rows(_ statement: PreparedStatement) throws -> [Value] {
        var out: [Value] = []
        while try statement.step() == .row { out.append(statement.column(0)) }
        return out
    }

    @Test func aHitTakesBackTheLastProgramOnlyOnceItsStatementIsGone() throws {
        let c = try connection()
        for sql in ["SELECT b FROM t WHERE a=5", "SELECT b FROM t WHERE a=6"] { _ = try prepare(c, sql) }
        let held = try #require(try c.prepare("SELECT b FROM t WHERE a=2"))
        let second = try #require(try c.prepare("SELECT b FROM t WHERE a=3"))
        #expect(held.program !== second.program)
        #expect(try rows(second) == [.integer(-1)])
        #expect(try rows(held) == [.integer(20)])
        // Both programs rewritten again and again while neither is held lists as a fresh compile each time.
        for n in [2, 3, 70000, 2] { #expect(try prepare(c, "SELECT b FROM t WHERE a=\(n)")) }
        #expect(try c.query("SELECT b FROM t WHERE a=2") == [[.integer(20)]])
        #expect(try c.query("SELECT b FROM t WHERE a=3") == [[.integer(-1)]])
        let text = ["UPDATE t SET c='p' WHERE a=2", "UPDATE t SET c='qq' WHERE a=3", "UPDATE t SET c='rrr' WHERE a=2"]
        for sql in text + text { _ = try prepare(c, sql); try c.execute(sql) }
        #expect(try c.query("SELECT c FROM t ORDER BY a") == [[.text("x")], [.text("rrr")], [.text("qq")]])
    }

    /// A finished statement's VM waits in its entry and runs the next hit, as a fresh VM would: after a
    /// statement read to its end, one dropped after its first row, one that failed on a constraint, and
    /// while another statement of the entry is still running.
    @Test func aFinishedStatementsVMRunsTheNextHit() throws {
        let c = try connection()
        for sql in ["SELECT c FROM t WHERE a>=5 ORDER BY a", "SELECT c FROM t WHERE a>=6 ORDER BY a"] { _ = try prepare(c, sql) }
        let reusesBefore = c.literalStatements.vmReuses
        #expect(try c.query("SELECT c FROM t WHERE a>=1 ORDER BY a") == [[.text("x")], [.text("y")], [.text("z")]])
        do {
            let dropped = try #require(try c.prepare("SELECT c FROM t WHERE a>=2 ORDER BY a"))
            #expect(try dropped.step() == .row)
        }
        #expect(try c.query("SELECT c FROM t WHERE a>=2 ORDER BY a") == [[.text("y")], [.text("z")]])
        let held = try #require(try c.prepare("SELECT c FROM t WHERE a>=3 ORDER BY a"))
        #expect(try held.step() == .row)
        #expect(try c.query("SELECT c FROM t WHERE a>=1 ORDER BY a").count == 3)
        #expect(held.column(0) == .text("z"))
        #expect(try held.step() == .done)
        #expect(c.literalStatements.vmReuses > reusesBefore)

        for sql in ["INSERT INTO t VALUES(20, 1, 'p')", "INSERT INTO t VALUES(21, 2, 'q')"] { try c.execute(sql) }
        #expect(throws: DBError.self) { try c.execute("INSERT INTO t VALUES(20, 3, 'r')") }
        try c.execute("INSERT INTO t VALUES(22, 4, 's')")
        #expect(c.changes == 1)
        #expect(try c.query("SELECT a, c FROM t WHERE a>=20 ORDER BY a")
                == [[.integer(20), .text("p")], [.integer(21), .text("q")], [.integer(22), .text("s")]])
    }

    @Test func eachValueClassIsItsOwnShape() throws {
        let c = try connection()
        for sql in ["SELECT c FROM t WHERE b=5", "SELECT c FROM t WHERE b=6", "SELECT c FROM t WHERE b=7"] {
            _ = try prepare(c, sql)
        }
        // -1, 0 and 1 change the planner's estimate (whereLoopOutputAdjust); reals and text are other shapes.
        #expect(try !prepare(c, "SELECT c FROM t WHERE b=1"))
        #expect(try !prepare(c, "SELECT c FROM t WHERE b=5.5"))
        #expect(try !prepare(c, "SELECT c FROM t WHERE b='5'"))
        #expect(try prepare(c, "SELECT c FROM t WHERE b=8"))
    }

    @Test func literalsThatSteerTheProgramMustRepeatExactly() throws {
        let c = try connection()
        for sql in ["SELECT a, b FROM t ORDER BY 1", "SELECT a, b FROM t ORDER BY 1"] { _ = try prepare(c, sql) }
        #expect(try prepare(c, "SELECT a, b FROM t ORDER BY 1"))
        #expect(try !prepare(c, "SELECT a, b FROM t ORDER BY 2"))
        for sql in ["SELECT a FROM t WHERE b > 3 LIMIT 5", "SELECT a FROM t WHERE b > 4 LIMIT 5"] { _ = try prepare(c, sql) }
        #expect(try prepare(c, "SELECT a FROM t WHERE b > 9 LIMIT 5"))
        #expect(try !prepare(c, "SELECT a FROM t WHERE b > 9 LIMIT 0"))
    }

    @Test func schemaChangesAndPragmasEmptyTheCache() throws {
        let c = try connection()
        for n in 1...3 { _ = try prepare(c, "SELECT a FROM t WHERE c='\(n)'") }
        #expect(try prepare(c, "SELECT a FROM t WHERE c='9'"))
        try c.execute("CREATE INDEX tc ON t(c)")
        #expect(try !prepare(c, "SELECT a FROM t WHERE c='8'"))
        for n in 1...2 { _ = try prepare(c, "SELECT a FROM t WHERE c='\(n)'") }
        #expect(try prepare(c, "SELECT a FROM t WHERE c='7'"))
        try c.execute("PRAGMA ignore_check_constraints = 1")
        #expect(try !prepare(c, "SELECT a FROM t WHERE c='6'"))
        // A pragma prepared before the shape was learned empties the cache when it runs.
        let pragma = try #require(try c.prepare("PRAGMA case_sensitive_like = 1"))
        for n in 1...2 { _ = try prepare(c, "SELECT a FROM t WHERE c='\(n)'") }
        #expect(try prepare(c, "SELECT a FROM t WHERE c='5'"))
        while try pragma.step() == .row {}
        #expect(try !prepare(c, "SELECT a FROM t WHERE c='4'"))
    }
}
