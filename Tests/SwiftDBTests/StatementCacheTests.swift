// The statement cache (Sources/SwiftDB/StatementCache.swift): a statement run
// again with the same text is compiled once — explicitly with
// `cachedStatement(_:)`, implicitly by `execute`, `query` and `scalar` — and
// stays right when the schema changes under it.

import Testing
import TestSupport
@testable import SwiftDB

@Suite struct StatementCacheTests {
    @Test func cachedStatementsComeBackResetAndUnbound() throws {
        let db = try Database.inMemory()
        try db.write { c in
            try c.execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT)")
            let insert = try c.cachedStatement("INSERT INTO t VALUES (?, ?)")
            try insert.execute(1, "one")
            let again = try c.cachedStatement("INSERT INTO t VALUES (?, ?)")
            #expect(again.prepared === insert.prepared)
            // Unbound: both parameters are NULL again, so the rowid is chosen and b is NULL.
            try again.execute()
            let select = try c.cachedStatement("SELECT a, b FROM t ORDER BY a")
            #expect(try select.step())
            // Asking again resets a statement left in the middle of its rows.
            let fresh = try c.cachedStatement("SELECT a, b FROM t ORDER BY a")
            #expect(try fresh.fetchAll().map(\.values) == [[.integer(1), .text("one")], [.integer(2), .null]])
            #expect(throws: DatabaseError.self) { try c.cachedStatement("SELECT 1; SELECT 2") }
            #expect(throws: DatabaseError.self) { try c.cachedStatement("-- nothing") }
        }
    }

    @Test func executeQueryAndScalarReuseOneCompiledStatementPerText() throws {
        let db = try Database.inMemory()
        try db.write { c in
            try c.execute("CREATE TABLE t(a)")
            let kept = c.reusedStatements.count
            for i in 0..<10 { try c.execute("INSERT INTO t VALUES (?)", i) }
            #expect(c.reusedStatements.count == kept + 1)
            #expect(try c.scalar("SELECT sum(a) FROM t", as: Int.self) == 45)
            #expect(try c.query("SELECT count(*) FROM t WHERE a > ?", 4)[0].get(0, as: Int.self) == 5)
            // Several statements in one text run as before and are not kept.
            try c.execute("INSERT INTO t VALUES (?); INSERT INTO t VALUES (?)", 100, 200)
            #expect(c.reusedStatements.count == kept + 3)
            // A later statement naming what an earlier one creates; a comment-only tail is no statement.
            try c.execute("CREATE TABLE u(b); INSERT INTO u VALUES (?)", 7)
            #expect(c.reusedStatements.count == kept + 3)
            #expect(try c.scalar("SELECT b FROM u -- the only row", as: Int.self) == 7)
            #expect(c.reusedStatements.count == kept + 4)
            #expect(try c.scalar("SELECT sum(a) FROM t", as: Int.self) == 345)
            // A nested call with the text in use compiles its own instead of resetting the outer one.
            let outer = try c.prepare("SELECT a FROM t ORDER BY a")
            var seen: [Int] = []
            while try outer.step() {
                seen.append(try outer.row.get(0, as: Int.self))
                #expect(try c.scalar("SELECT count(*) FROM t", as: Int.self) == 12)
            }
            #expect(seen == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 100, 200])
        }
    }

    /// A kept `SELECT *` compiled before ALTER TABLE ADD COLUMN answers with the new column, named.
    @Test func aSchemaChangeRecompilesKeptStatements() throws {
        let db = try Database.inMemory()
        try db.write { c in
            try c.execute("CREATE TABLE t(a)")
            try c.execute("INSERT INTO t VALUES (1)")
            #expect(try c.query("SELECT * FROM t").map(\.values) == [[.integer(1)]])
            let kept = try c.cachedStatement("SELECT * FROM t")
            #expect(kept.columnNames == ["a"])
            try c.execute("ALTER TABLE t ADD COLUMN b DEFAULT 'x'")
            let rows = try c.query("SELECT * FROM t")
            #expect(rows.map(\.values) == [[.integer(1), .text("x")]])
            #expect(rows[0].columnNames == ["a", "b"])
            let again = try c.cachedStatement("SELECT * FROM t")
            #expect(try again.fetchAll().map(\.values) == [[.integer(1), .text("x")]])
            #expect(again.columnNames == ["a", "b"])
        }
    }

    /// The cache keeps the most recently used texts, up to its capacity.
    @Test func theLeastRecentlyUsedTextIsDroppedFirst() throws {
        let db = try Database.inMemory()
        try db.write { c in
            let first = try c.cachedStatement("SELECT 0")
            for i in 1..<StatementCache.capacity { _ = try c.cachedStatement("SELECT \(i)") }
            #expect(c.cachedStatements.count == StatementCache.capacity)
            _ = try c.cachedStatement("SELECT 0")            // now the most recently used
            _ = try c.cachedStatement("SELECT 'new'")        // drops SELECT 1
            #expect(c.cachedStatements.count == StatementCache.capacity)
            #expect(try c.cachedStatement("SELECT 0").prepared === first.prepared)
            #expect(c.cachedStatements.take("SELECT 1") == nil)
        }
    }
}

extension StatementCacheTests {
    /// A kept INSERT after its table was dropped and created again (another root page, other columns)
    /// writes the new table, and the file stays sound for libsqlite3.
    @Test func aKeptWriteFollowsItsTableThroughDropAndCreate() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let db = try Database(path: dir.file("k.db"))
        try db.write { c in
            try c.execute("CREATE TABLE filler(x)")
            try c.execute("CREATE TABLE t(a)")
            try c.execute("INSERT INTO t(a) VALUES (?)", 1)
            try c.execute("DROP TABLE t")
            try c.execute("CREATE TABLE other(y)")
            try c.execute("INSERT INTO other VALUES (5)")
            try c.execute("CREATE TABLE t(a, b DEFAULT 'new')")
            try c.execute("INSERT INTO t(a) VALUES (?)", 2)
            #expect(try c.query("SELECT * FROM t").map(\.values) == [[.integer(2), .text("new")]])
            #expect(try c.query("SELECT * FROM other").map(\.values) == [[.integer(5)]])
        }
        let oracle = try SQLiteOracle(dir.file("k.db"))
        #expect(try oracle.query("PRAGMA integrity_check") == [[.text("ok")]])
        #expect(try oracle.query("SELECT * FROM t") == [[.integer(2), .text("new")]])
    }
}
