// Raw storage speed, for issue 2's closing note (a benchmark, not a timed test:
// opt-in with SWIFTDB_STORAGE_BENCH=1, in a release build). A 1,000,000-row
// table written by libsqlite3; swiftdb's b-tree cursor scans it and seeks
// random rowids, decoding every record, next to libsqlite3 running the
// equivalent SELECT (one prepared statement, every column read) in the same
// process. Best of 3 for each.

import Base
import CSQLite3
import Foundation
import IO
import Storage
import Testing
import TestSupport

@Suite("Storage speed", .enabled(if: ProcessInfo.processInfo.environment["SWIFTDB_STORAGE_BENCH"] == "1"))
struct StorageSpeedTests {
    @Test func scanAndLookupsAgainstLibsqlite3() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("speed.db")
        let oracle = try SQLiteOracle(path)
        try oracle.exec("""
            CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c REAL);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)
              INSERT INTO t SELECT i, printf('row %08d', i * 7919 % 1000003), i * 0.5 FROM n;
            """)
        let root = try oracle.query("SELECT rootpage FROM sqlite_schema WHERE name = 't'")
        guard case .integer(let r) = root[0][0] else { Issue.record("no root"); return }
        let reader = try StorageReader(path)
        var rng = SystemRandomNumberGenerator()
        let keys = (0..<100_000).map { _ in Int64.random(in: 1...1_000_000, using: &rng) }

        func best(_ body: () throws -> Int) rethrows -> (Double, Int) {
            var times: [Double] = []
            var n = 0
            for _ in 0..<3 {
                let t0 = DispatchTime.now().uptimeNanoseconds
                n = try body()
                times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
            }
            return (times.min()!, n)
        }
        let ourScan = try best {
            let c = BTreeCursor(tree: reader.tree, root: UInt32(r), isTable: true)
            var n = 0
            var more = try c.first()
            while more {
                n += try c.values().count > 0 ? 1 : 0
                more = try c.next()
            }
            return n
        }
        let ourLookups = try best {
            let c = BTreeCursor(tree: reader.tree, root: UInt32(r), isTable: true)
            var n = 0
            for k in keys where try c.seek(rowid: k) == 0 { n += try c.values().count > 0 ? 1 : 0 }
            return n
        }
        func sqliteRun(_ sql: String, _ bind: [Int64]?) -> Int {
            var stmt: OpaquePointer?
            sqlite3_prepare_v2(oracle.db, sql, -1, &stmt, nil)
            defer { sqlite3_finalize(stmt) }
            var n = 0
            func readRow() {
                _ = sqlite3_column_int64(stmt, 0)
                _ = sqlite3_column_text(stmt, 1)
                _ = sqlite3_column_double(stmt, 2)
                n += 1
            }
            if let bind {
                for k in bind {
                    sqlite3_bind_int64(stmt, 1, k)
                    while sqlite3_step(stmt) == SQLITE_ROW { readRow() }
                    sqlite3_reset(stmt)
                }
            } else {
                while sqlite3_step(stmt) == SQLITE_ROW { readRow() }
            }
            return n
        }
        let theirScan = best { sqliteRun("SELECT a, b, c FROM t", nil) }
        let theirLookups = best { sqliteRun("SELECT a, b, c FROM t WHERE a = ?", keys) }
        #expect(ourScan.1 == 1_000_000 && theirScan.1 == 1_000_000)
        #expect(ourLookups.1 == theirLookups.1)
        print(String(format: "full scan, 1,000,000 rows: swiftdb b-tree cursor %.0f rows/s (%.3f s), libsqlite3 SELECT %.0f rows/s (%.3f s)",
                     1e6 / ourScan.0, ourScan.0, 1e6 / theirScan.0, theirScan.0))
        print(String(format: "random rowid lookups (100,000): swiftdb %.2f µs each, libsqlite3 %.2f µs each",
                     ourLookups.0 / 1e5 * 1e6, theirLookups.0 / 1e5 * 1e6))
    }
}
