// RebalancedLayoutTests: rebalancing spreads cells over pages as sqlite3's
// balance_nonroot does (Storage/BTree/Balance.swift: an insert's cell rides as
// the leaf's overflow cell, each page's share starts from its used bytes, the
// left-to-right packing and right-to-left evening, pages edited in place), so
// the same statements leave every b-tree of the file with as many pages as
// sqlite3's and the same number of cells on each. libsqlite3's dbstat reads
// both files.

@testable import Engine
import Testing
import TestSupport

@Suite struct RebalancedLayoutTests {
    /// Random inserts (small to overflowing rows, two indexes) and range deletes in a few transactions,
    /// the same statements on both engines.
    private static func script(seed: UInt64) -> [String] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        func next(_ n: Int) -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % UInt64(n))
        }
        var batches: [String] = []
        for _ in 0..<4 {
            var batch = "BEGIN;"
            for _ in 0..<700 {
                let k = 1 + next(60_000)
                if next(5) < 4 {
                    let text = next(20) == 0 ? "zeroblob(\(600 + next(3000)))" : "printf('%.*c', \(1 + next(60)), 'v') || \(k)"
                    batch += "INSERT OR IGNORE INTO t VALUES(\(k), \(next(1_000_000_000)), \(text));"
                } else {
                    batch += "DELETE FROM t WHERE a BETWEEN \(k) AND \(k + next(400));"
                }
            }
            batches.append(batch + "COMMIT;")
        }
        return batches
    }

    @Test(arguments: [(512, UInt64(1)), (1024, 2), (4096, 3)])
    func insertsAndDeletesLeaveSQLitesPages(pageSize: Int, seed: UInt64) throws {
        let dir = TemporaryDirectory("rebalanced-layout")
        defer { dir.remove() }
        let db = dir.file("a.db"), reference = dir.file("ref.db")
        let setup = """
            PRAGMA page_size=\(pageSize);
            CREATE TABLE t(a INTEGER PRIMARY KEY, b, c);
            CREATE INDEX tb ON t(b);
            CREATE INDEX tc ON t(c, b);
            """
        let c = try Connection(path: db)
        try c.execute(setup)
        let oracle = try TestSupport.SQLiteOracle(reference)
        try oracle.exec(setup)
        for batch in Self.script(seed: seed) {
            try c.execute(batch)
            try oracle.exec(batch)
        }
        let layout = "SELECT name, pagetype, ncell FROM dbstat ORDER BY name, pagetype, ncell"
        let ours = try TestSupport.SQLiteOracle(db)
        #expect(try ours.integrityCheck() == ["ok"])
        let pages = try ours.query(layout)
        #expect(pages.count > 100, "the tables span many pages")
        #expect(pages == (try oracle.query(layout)))
    }
}
