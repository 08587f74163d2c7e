// LazySchemaTests: the catalog builds each table — with its indexes and
// triggers — when a statement first names it or one of its objects
// (Catalog.swift), not all of sqlite_schema at the first statement.
//
// What a user sees is sqlite3's behaviour for every sound schema (the
// statement differential suite runs on it). For a malformed sqlite_schema row
// the difference is deliberate (docs/KNOWN-DIFFERENCES.md): sqlite3 fails every
// statement, swiftdb fails the statements that need the broken object or its
// table, with sqlite3's message, every time, and answers the others. The
// messages below are the ones sqlite3 3.40.1 gives for the same rows.

import Testing
@testable import Engine

@Suite struct LazySchemaTests {
    /// A fresh in-memory session with `script` run and sqlite_schema then edited by `corruption`
    /// (PRAGMA writable_schema), the schema reloaded.
    private func session(_ script: [String], corruption: String) throws -> EngineSession {
        let s = try EngineSession()
        for sql in script + ["PRAGMA writable_schema = ON", corruption, "PRAGMA writable_schema = RESET"] {
            #expect(s.run(sql)?.error == nil, "\(sql)")
        }
        return s
    }

    private let schema = ["CREATE TABLE t(a)", "CREATE TABLE u(b)", "CREATE INDEX ui ON u(b)",
                          "CREATE TABLE w(c)", "CREATE INDEX wi ON w(c)",
                          "CREATE TRIGGER wt AFTER INSERT ON w BEGIN INSERT INTO t VALUES(new.c); END",
                          "INSERT INTO t VALUES(1)"]

    @Test func aMalformedTableRowFailsTheStatementsThatNeedItEveryTime() throws {
        let s = try session(schema, corruption: "UPDATE sqlite_schema SET sql = 'CREATE TABLE u(b' WHERE name = 'u'")
        let malformed = StatementError(code: 11, message: "malformed database schema (u) - incomplete input")
        #expect(s.run("SELECT * FROM t")?.rows == [[.integer(1)]])
        for sql in ["SELECT * FROM u", "SELECT * FROM u", "INSERT INTO u VALUES(2)", "DROP INDEX ui",
                    "PRAGMA integrity_check"] {
            #expect(s.run(sql)?.error == malformed, "\(sql)")
        }
        #expect(s.run("INSERT INTO w VALUES(5)")?.error == nil)
        #expect(s.run("SELECT a FROM t ORDER BY a")?.rows == [[.integer(1)], [.integer(5)]])
    }

    /// A table whose index cannot be built is not used without it: writing the table would leave
    /// the index stale.
    @Test func aMalformedIndexRowMakesItsTableUnusable() throws {
        let s = try session(schema, corruption: "UPDATE sqlite_schema SET sql = 'CREATE INDEX wi ON w(' WHERE name = 'wi'")
        let malformed = StatementError(code: 11, message: "malformed database schema (wi) - incomplete input")
        for sql in ["INSERT INTO w VALUES(1)", "SELECT * FROM w", "DROP TRIGGER wt", "INSERT INTO w VALUES(1)"] {
            #expect(s.run(sql)?.error == malformed, "\(sql)")
        }
        #expect(s.run("SELECT count(*) FROM t")?.rows == [[.integer(1)]])
        #expect(s.run("INSERT INTO u VALUES(3)")?.error == nil)
    }

    /// An index or trigger named before its table builds the table; every object still works, and a
    /// whole-schema walk (integrity_check, ANALYZE) sees every table.
    @Test func objectsNamedBeforeTheirTableBuildIt() throws {
        let s = try EngineSession()
        for sql in schema + ["INSERT INTO u VALUES(7)", "PRAGMA writable_schema = RESET"] {
            #expect(s.run(sql)?.error == nil, "\(sql)")
        }
        #expect(s.run("DROP TRIGGER wt")?.error == nil)
        #expect(s.run("INSERT INTO w VALUES(9)")?.error == nil)
        #expect(s.run("SELECT count(*) FROM t")?.rows == [[.integer(1)]])
        #expect(s.run("SELECT b FROM u INDEXED BY ui WHERE b = 7")?.rows == [[.integer(7)]])
        #expect(s.run("DROP INDEX wi")?.error == nil)
        #expect(s.run("PRAGMA integrity_check")?.rows == [[.text(Array("ok".utf8))]])
        #expect(s.run("ANALYZE")?.error == nil)
        // sqlite3 writes the same rows (in its hash order: w, u, t).
        #expect(s.run("SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY tbl")?.rows
                == [[.text(Array("t".utf8)), .null, .text(Array("1".utf8))],
                    [.text(Array("u".utf8)), .text(Array("ui".utf8)), .text(Array("1 1".utf8))],
                    [.text(Array("w".utf8)), .null, .text(Array("1".utf8))]])
    }
}
