// Sorter runs, specified against libsqlite3: a sort whose records outgrow the sorter's budget
// (PRAGMA cache_size in bytes, at least ten pages; vdbesort.c's mxPmaSize) writes sorted runs to
// a temporary file and merges them, and answers exactly as sqlite3 does: the same rows in the same
// order, equal keys included, for ORDER BY, GROUP BY and CREATE INDEX (duplicate keys of a UNIQUE
// index found across runs). PRAGMA temp_store=MEMORY and in-memory databases keep sorts in memory.

import Base
@testable import Engine
import Foundation
import Testing
import TestSupport

/// 20,000 rows whose sort keys mix every storage class, repeat often (ties across runs), and
/// include records larger than a run reader's buffer.
private let setupSQL = """
    CREATE TABLE t(k, v TEXT, w BLOB);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
      INSERT INTO t SELECT
        CASE i % 7 WHEN 0 THEN NULL WHEN 1 THEN (i * 7919) % 500 WHEN 2 THEN (i * 7919) % 500 + 0.5
          WHEN 3 THEN printf('k%03d', (i * 31) % 400) WHEN 4 THEN CAST(printf('%04x', i % 300) AS BLOB)
          ELSE (i * 13) % 250 END,
        printf('%s-%d', substr('qwertyuiopasdfghjklzxcvbnm', 1 + i % 26, 1 + i % 9), i),
        CASE WHEN i % 1999 = 0 THEN zeroblob(90000 + i) END
      FROM n;
    """

private let queries = [
    "SELECT k, v FROM t ORDER BY k",
    "SELECT k, v FROM t ORDER BY k DESC, v COLLATE NOCASE",
    "SELECT k, count(*), min(v), max(v) FROM t GROUP BY k ORDER BY count(*) DESC, k",
    "SELECT length(w), v FROM t ORDER BY w DESC, v LIMIT 20",
    "SELECT v, length(w) FROM t ORDER BY substr(v, 3), v LIMIT 50 OFFSET 100",
    "SELECT typeof(k), k FROM t ORDER BY typeof(k), k LIMIT 40 OFFSET 9000",
    "SELECT k * -1.5, v FROM t WHERE typeof(k) IN ('integer', 'real') ORDER BY k * -1.5 DESC, v",
]

@Suite("Sorter runs")
struct SorterRunsTests {
    @Test("a sort larger than its budget writes runs and returns sqlite3's rows in sqlite3's order")
    func spilledSortsMatchSQLite() throws {
        let dir = TemporaryDirectory("sorter-runs")
        defer { dir.remove() }
        let c = try Connection(path: dir.file("a.db"))
        let oracle = try TestSupport.SQLiteOracle(dir.file("ref.db"))
        try c.execute("PRAGMA cache_size=10;" + setupSQL)
        try oracle.exec("PRAGMA cache_size=10;" + setupSQL)
        for q in queries {
            #expect(try c.query(q) == oracle.query(q), "\(q)")
        }
        #expect(c.pager.temporaryFileCount > 0, "the sorts outgrew their 40 KiB budget")
    }

    @Test("CREATE INDEX from runs builds the index sqlite3 builds; a UNIQUE one finds duplicates across runs")
    func spilledIndexBuilds() throws {
        let dir = TemporaryDirectory("sorter-runs-index")
        defer { dir.remove() }
        let path = dir.file("a.db")
        let c = try Connection(path: path)
        let oracle = try TestSupport.SQLiteOracle(dir.file("ref.db"))
        try c.execute("PRAGMA cache_size=10;" + setupSQL)
        try oracle.exec("PRAGMA cache_size=10;" + setupSQL)
        let before = c.pager.temporaryFileCount
        let build = "CREATE INDEX tk ON t(k, v); CREATE UNIQUE INDEX tv ON t(v DESC); CREATE INDEX tw ON t(w)"
        try c.execute(build)
        try oracle.exec(build)
        #expect(c.pager.temporaryFileCount > before)
        #expect(try c.query("PRAGMA integrity_check") == [[.text("ok")]])
        #expect(try TestSupport.SQLiteOracle(path).integrityCheck() == ["ok"])
        for q in ["SELECT k, v FROM t INDEXED BY tk WHERE k > 100 LIMIT 30",
                  "SELECT v FROM t INDEXED BY tv WHERE v > 'q' LIMIT 30",
                  "SELECT length(w) FROM t INDEXED BY tw WHERE w IS NOT NULL"] {
            #expect(try c.query(q) == oracle.query(q), "\(q)")
        }
        // Rows with k = 0 lie far apart in the table, so their keys are written in different runs.
        let unique = "CREATE UNIQUE INDEX tk1 ON t(k)"
        var swiftdbError: DBError?
        do { try c.execute(unique) } catch { swiftdbError = error }
        var sqliteError: OracleError?
        do { try oracle.exec(unique) } catch let e as OracleError { sqliteError = e }
        #expect(swiftdbError?.message == sqliteError?.message)
        #expect(swiftdbError?.message == "UNIQUE constraint failed: t.k")
    }

    @Test("temp_store=MEMORY and in-memory databases sort in memory, with the same answers")
    func memorySortsWriteNoFile() throws {
        let dir = TemporaryDirectory("sorter-runs-memory")
        defer { dir.remove() }
        let file = try Connection(path: dir.file("a.db"))
        try file.execute("PRAGMA temp_store=MEMORY; PRAGMA cache_size=10;" + setupSQL)
        let memory = try Connection(path: ":memory:")
        try memory.execute("PRAGMA cache_size=10;" + setupSQL)
        let oracle = try TestSupport.SQLiteOracle()
        try oracle.exec(setupSQL)
        for q in queries {
            let expected = try oracle.query(q)
            #expect(try file.query(q) == expected, "\(q)")
            #expect(try memory.query(q) == expected, "\(q)")
        }
        #expect(file.pager.temporaryFileCount == 0)
        #expect(memory.pager.temporaryFileCount == 0)
    }
}
