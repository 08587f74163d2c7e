// Registry: every workload, its size, what one operation is and how many run
// per timed run (quick mode: a tenth where the count can shrink; databases
// keep their stated sizes). Targets: ≤ 1.0× everywhere, ≤ 0.5× for opening a
// 10,000-table database (issue 10).

func allWorkloads(quick: Bool) -> [Workload] {
    func n(_ full: Int) -> Int { quick ? max(1, full / 10) : full }
    let main = "t1: 1,000,000 rows, index on k"
    typealias L = SQLiteEngine
    typealias S = SwiftDBEngine

    func onMain(_ name: String, _ op: String, _ sql: String, _ columns: [Character], rows: Int) -> Workload {
        Workload(name: name, size: main, operation: op, opsPerRun: 1,
                 sqlite: { try QueryOnMain.session(L.self, $0, name: name, sql: sql, columns: columns, expectedRows: rows) },
                 swiftdb: { try QueryOnMain.session(S.self, $0, name: name, sql: sql, columns: columns, expectedRows: rows) })
    }

    let lookups = n(20_000), scans = n(200), updates = n(2_000), joins = n(50)
    let statements = n(20_000), opens20 = n(500), opens10k = quick ? 1 : 5
    let commitsNormal = n(2_000), commitsFull = n(200), readsPerReader = n(5_000)
    return [
        Workload(name: "point_select_rowid", size: main, operation: "1 lookup", opsPerRun: lookups,
                 sqlite: { try PointSelectByRowid.session(L.self, $0, ops: lookups) },
                 swiftdb: { try PointSelectByRowid.session(S.self, $0, ops: lookups) }),
        Workload(name: "point_select_index", size: main, operation: "1 lookup via t1_k", opsPerRun: lookups,
                 sqlite: { try PointSelectByIndex.session(L.self, $0, ops: lookups) },
                 swiftdb: { try PointSelectByIndex.session(S.self, $0, ops: lookups) }),
        Workload(name: "range_scan", size: main, operation: "1,000-row rowid range", opsPerRun: scans,
                 sqlite: { try RangeScan.session(L.self, $0, ops: scans) },
                 swiftdb: { try RangeScan.session(S.self, $0, ops: scans) }),
        onMain("full_scan_aggregate", "count/sum/max/avg over all rows", MainQueries.fullScanAggregate, ["i", "r", "i", "r"], rows: 1),
        onMain("group_by", "GROUP BY grp (100 groups) over all rows", MainQueries.groupBy, ["i", "i", "r", "i"], rows: 100),
        onMain("order_by_index", "ORDER BY k, 99,999 rows via t1_k", MainQueries.orderByIndex, ["i", "i"],
               rows: MainQueries.rowsBelowK100000),
        onMain("order_by_sort", "ORDER BY name, 100,000 rows sorted", MainQueries.orderBySort, ["i", "t"], rows: 100_000),
        Workload(name: "bulk_insert_1m", size: "empty t1 (no secondary index)", operation: "1,000,000 INSERTs in 1 transaction",
                 opsPerRun: 1, runs: quick ? 1 : 3, warmUp: false,
                 sqlite: { try BulkInsert.session(L.self, $0) },
                 swiftdb: { try BulkInsert.session(S.self, $0) }),
        Workload(name: "insert_txn_wal_normal", size: "log table + index, WAL, synchronous=NORMAL",
                 operation: "1 INSERT transaction", opsPerRun: commitsNormal,
                 sqlite: { try SingleRowInserts.session(L.self, $0, name: "insert_txn_wal_normal", synchronous: "normal", ops: commitsNormal) },
                 swiftdb: { try SingleRowInserts.session(S.self, $0, name: "insert_txn_wal_normal", synchronous: "normal", ops: commitsNormal) }),
        Workload(name: "insert_txn_wal_full", size: "log table + index, WAL, synchronous=FULL",
                 operation: "1 INSERT transaction", opsPerRun: commitsFull,
                 sqlite: { try SingleRowInserts.session(L.self, $0, name: "insert_txn_wal_full", synchronous: "full", ops: commitsFull) },
                 swiftdb: { try SingleRowInserts.session(S.self, $0, name: "insert_txn_wal_full", synchronous: "full", ops: commitsFull) }),
        Workload(name: "update_by_index", size: main, operation: "1 UPDATE via t1_k (\(updates)/transaction)", opsPerRun: updates,
                 sqlite: { try WriteByIndex.session(L.self, $0, name: "update_by_index", sql: "UPDATE t1 SET val = val + 1, name = name || 'x' WHERE k = ?1", ops: updates) },
                 swiftdb: { try WriteByIndex.session(S.self, $0, name: "update_by_index", sql: "UPDATE t1 SET val = val + 1, name = name || 'x' WHERE k = ?1", ops: updates) }),
        Workload(name: "delete_by_index", size: main, operation: "1 DELETE via t1_k (\(updates)/transaction)", opsPerRun: updates,
                 sqlite: { try WriteByIndex.session(L.self, $0, name: "delete_by_index", sql: "DELETE FROM t1 WHERE k = ?1", ops: updates) },
                 swiftdb: { try WriteByIndex.session(S.self, $0, name: "delete_by_index", sql: "DELETE FROM t1 WHERE k = ?1", ops: updates) }),
        Workload(name: "join_3_tables", size: "customer 10k, orders 100k, item 300k", operation: "100 customers → 3,000 items, GROUP BY",
                 opsPerRun: joins,
                 sqlite: { try ThreeTableJoin.session(L.self, $0, ops: joins) },
                 swiftdb: { try ThreeTableJoin.session(S.self, $0, ops: joins) }),
        Workload(name: "statement_overhead", size: "kv: 100 rows", operation: "prepare + bind + step + finalize",
                 opsPerRun: statements,
                 sqlite: { try StatementOverhead.session(L.self, $0, ops: statements) },
                 swiftdb: { try StatementOverhead.session(S.self, $0, ops: statements) }),
        Workload(name: "open_20_tables", size: "20 empty tables", operation: "open + 1 query + close", opsPerRun: opens20,
                 sqlite: { try OpenConnection.session(L.self, $0, tables: 20, ops: opens20) },
                 swiftdb: { try OpenConnection.session(S.self, $0, tables: 20, ops: opens20) }),
        Workload(name: "open_10000_tables", size: "10,000 empty tables", operation: "open + 1 query + close",
                 opsPerRun: opens10k, target: 0.5,
                 sqlite: { try OpenConnection.session(L.self, $0, tables: 10_000, ops: opens10k) },
                 swiftdb: { try OpenConnection.session(S.self, $0, tables: 10_000, ops: opens10k) }),
        Workload(name: "concurrent_readers", size: main + "; WAL, synchronous=NORMAL",
                 operation: "1 rowid lookup (4 reader threads, 1 writer thread committing meanwhile)",
                 opsPerRun: 4 * readsPerReader,
                 sqlite: { try ConcurrentReaders.session(L.self, $0, readers: 4, readsPerReader: readsPerReader) },
                 swiftdb: { try ConcurrentReaders.session(S.self, $0, readers: 4, readsPerReader: readsPerReader) }),
    ]
}
