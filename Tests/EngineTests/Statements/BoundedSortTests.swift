// ORDER BY … LIMIT, specified against libsqlite3: the rows are collected in an ephemeral index that never
// holds more than LIMIT+OFFSET of them (select.c's pushOntoSorter with a limit: a row goes in while
// there is room, or in place of the largest when it sorts before it), and the answer is sqlite3's to the
// row: ties keep arrival order, OFFSET skips from the kept rows, a NULL or negative LIMIT keeps them all.
// Plain, DISTINCT, aggregate and correlated selects use it, and so do UPDATE/DELETE … ORDER BY … LIMIT.

import Base
@testable import Engine
import Foundation
import Testing
import TestSupport

/// 20,000 rows whose sort keys repeat (ties decided by arrival order) and mix storage classes.
private let setupSQL = """
    CREATE TABLE t(a INTEGER PRIMARY KEY, b, c TEXT, d);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
      INSERT INTO t SELECT i, (i * 7919) % 97,
        printf('%s%d', substr('AbCdEfGhIj', 1 + i % 10, 1), i % 13),
        CASE i % 5 WHEN 0 THEN NULL WHEN 1 THEN i % 17 WHEN 2 THEN (i % 11) + 0.5 WHEN 3 THEN 'v' || (i % 19)
          ELSE CAST(printf('%x', i % 40) AS BLOB) END
      FROM n;
    """

private let queries = [
    "SELECT a, b FROM t ORDER BY b LIMIT 7",
    "SELECT a, b FROM t ORDER BY b DESC LIMIT 7",
    "SELECT a, b, c FROM t ORDER BY c COLLATE NOCASE, b DESC LIMIT 12 OFFSET 30",
    "SELECT a, d FROM t ORDER BY d, a DESC LIMIT 25",
    "SELECT a, d FROM t ORDER BY d DESC LIMIT 3 OFFSET 19990",
    "SELECT a FROM t ORDER BY b LIMIT 5 OFFSET -4",
    "SELECT a FROM t ORDER BY b, c LIMIT -1 OFFSET 19995",
    "SELECT a FROM t ORDER BY b LIMIT CAST(-5 AS TEXT) OFFSET 19996",
    "SELECT a FROM t ORDER BY b LIMIT 0",
    "SELECT a FROM t ORDER BY b LIMIT (SELECT count(*) FROM t WHERE a < 4) OFFSET (SELECT 2)",
    "SELECT a, b * 2 AS x FROM t WHERE a % 3 = 0 ORDER BY x, -a LIMIT 9",
    "SELECT DISTINCT b FROM t ORDER BY b DESC LIMIT 6",
    "SELECT c, count(*), max(a) FROM t GROUP BY c ORDER BY count(*) DESC, c LIMIT 5 OFFSET 2",
    "SELECT b, sum(a) FROM t GROUP BY b ORDER BY 2 LIMIT 4",
    "SELECT a, (SELECT group_concat(x.a) FROM (SELECT a FROM t ORDER BY b DESC, a LIMIT 3) AS x) FROM t WHERE a < 3",
    "SELECT a, (SELECT t2.a FROM t AS t2 WHERE t2.b = t.b ORDER BY t2.c, t2.a DESC LIMIT 1 OFFSET 1) FROM t WHERE a < 40 ORDER BY a",
]

private func answers(_ c: Connection, _ oracle: TestSupport.SQLiteOracle, _ sql: String) throws -> ([[Value]], [[Value]]) {
    (try c.query(sql), try oracle.query(sql))
}

/// An in-memory swiftdb and an in-memory libsqlite3, both holding the rows of `setupSQL`.
private func bothEngines() throws -> (Connection, TestSupport.SQLiteOracle) {
    let c = try Connection(path: ":memory:")
    let oracle = try TestSupport.SQLiteOracle()
    try c.execute(setupSQL)
    try oracle.exec(setupSQL)
    return (c, oracle)
}

@Suite("Bounded sort")
struct BoundedSortTests {
    @Test("ORDER BY … LIMIT returns sqlite3's rows in sqlite3's order, ties and OFFSET included")
    func boundedSortsMatchSQLite() throws {
        let (c, oracle) = try bothEngines()
        for q in queries {
            let (mine, theirs) = try answers(c, oracle, q)
            #expect(mine == theirs, "\(q)")
        }
    }

    @Test("the sort keeps only LIMIT+OFFSET rows: a budget of ten pages writes no run to a temporary file")
    func boundedSortsStayInMemory() throws {
        let dir = TemporaryDirectory("bounded-sort")
        defer { dir.remove() }
        let c = try Connection(path: dir.file("a.db"))
        let oracle = try TestSupport.SQLiteOracle()
        try c.execute("PRAGMA cache_size=10;" + setupSQL)
        try oracle.exec(setupSQL)
        let bounded = "SELECT a, c, d FROM t ORDER BY c DESC, d LIMIT 40 OFFSET 60"
        let (mine, theirs) = try answers(c, oracle, bounded)
        #expect(mine == theirs)
        #expect(c.pager.temporaryFileCount == 0, "40+60 rows fit the budget")
        // The same sort without a limit holds all 20,000 rows, outgrows the budget and writes runs.
        let unbounded = "SELECT a, c, d FROM t ORDER BY c DESC, d"
        let (all, allTheirs) = try answers(c, oracle, unbounded)
        #expect(all == allTheirs)
        #expect(Array(all[60..<100]) == mine)
        #expect(c.pager.temporaryFileCount > 0)
    }

    @Test("UPDATE and DELETE … ORDER BY … LIMIT change the rows sqlite3 changes")
    func boundedWrites() throws {
        let (c, oracle) = try bothEngines()
        for w in ["UPDATE t SET c = 'first' ORDER BY b DESC, d LIMIT 10 OFFSET 3",
                  "DELETE FROM t WHERE b < 50 ORDER BY c, a DESC LIMIT 100 OFFSET 7",
                  "DELETE FROM t ORDER BY d LIMIT -1 OFFSET 19850"] {
            try c.execute(w)
            try oracle.exec(w)
            let check = "SELECT count(*), sum(a), group_concat(CASE WHEN c = 'first' THEN a END) FROM t"
            let (mine, theirs) = try answers(c, oracle, check)
            #expect(mine == theirs, "\(w)")
        }
    }

    @Test("EXPLAIN: a limited ORDER BY keeps its rows in an ephemeral index read back by Sort, as sqlite3's")
    func boundedSortProgramShape() throws {
        let (c, oracle) = try bothEngines()
        let opcodes = { (rows: [[Value]]) -> [String] in
            rows.compactMap { if case .text(let s) = $0[1] { return String(decoding: s, as: UTF8.self) } else { return nil } }
                .filter { ["SorterOpen", "OpenEphemeral", "IfNotZero", "Last", "IdxLE", "Delete", "IdxInsert",
                           "Sequence", "Sort", "SorterSort"].contains($0) }
        }
        for q in ["SELECT a FROM t ORDER BY b LIMIT 3", "SELECT a FROM t ORDER BY b"] {
            let (mine, theirs) = try answers(c, oracle, "EXPLAIN " + q)
            #expect(opcodes(mine) == opcodes(theirs), "\(q)")
        }
    }
}
