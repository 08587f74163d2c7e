// Scans on the 1,000,000-row main fixture: a rowid range scan, a full scan
// with aggregates, GROUP BY over every row, and ORDER BY over 100,000 rows
// with a usable index (t1_k, no sort) and without one (a sorter on name).
// Every row that comes out has its columns read.

enum RangeScan {
    static func session<E: BenchEngine>(_: E.Type, _ ctx: WorkloadContext, ops: Int) throws -> Session {
        let db = try E(path: ctx.fixtures.copy("main", to: ctx.path("range_scan", E.name)), options: OpenOptions())
        let select = try db.prepare("SELECT id, name, val FROM t1 WHERE id BETWEEN ?1 AND ?1 + 999")
        let s = Session { run in
            var keys = KeyGenerator(seed: run)
            var sum = 0
            for _ in 0..<ops {
                try select.bind(1, Int64(keys.next(Fixtures.mainRows - 1000) + 1))
                var rows = 0
                while try select.step() {
                    sum &+= Int(select.int64(0)) &+ select.text(1).utf8.count &+ Int(select.double(2))
                    rows += 1
                }
                select.reset()
                if rows != 1000 { throw BenchError("range_scan: \(rows) rows") }
            }
            blackHole(sum)
        }
        s.close = { db.close() }
        return s
    }
}

/// One query per operation on a fresh copy of the main fixture; every output row's columns are
/// read (integers and reals as numbers, text as String) and the row count is checked.
enum QueryOnMain {
    static func session<E: BenchEngine>(_: E.Type, _ ctx: WorkloadContext, name: String, sql: String,
                                        columns: [Character], expectedRows: Int) throws -> Session {
        let db = try E(path: ctx.fixtures.copy("main", to: ctx.path(name, E.name)), options: OpenOptions())
        let query = try db.prepare(sql)
        let s = Session { _ in
            var rows = 0
            var sum = 0.0
            while try query.step() {
                for (i, kind) in columns.enumerated() {
                    switch kind {
                    case "i": sum += Double(query.int64(Int32(i)))
                    case "r": sum += query.double(Int32(i))
                    default: sum += Double(query.text(Int32(i)).utf8.count)
                    }
                }
                rows += 1
            }
            query.reset()
            if rows != expectedRows { throw BenchError("\(name): \(rows) rows, expected \(expectedRows)") }
            blackHole(sum)
        }
        s.close = { db.close() }
        return s
    }
}

enum MainQueries {
    static let fullScanAggregate = "SELECT count(*), sum(val), max(k), avg(grp) FROM t1"
    static let groupBy = "SELECT grp, count(*), sum(val), max(k) FROM t1 GROUP BY grp"
    static let orderByIndex = "SELECT id, k FROM t1 WHERE k < 100000 ORDER BY k"
    static let orderBySort = "SELECT id, name FROM t1 WHERE id <= 100000 ORDER BY name"
    /// Rows with k < 100,000 (k = id * 7919 mod 1,000,003 is distinct, in 1…1,000,002).
    static let rowsBelowK100000 = (1...Fixtures.mainRows).reduce(0) { $0 + ($1 * 7919 % Fixtures.kModulus < 100_000 ? 1 : 0) }
}
