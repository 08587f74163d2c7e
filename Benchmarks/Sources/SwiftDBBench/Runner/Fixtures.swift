// Fixtures: the read-only databases the workloads start from, built once per
// invocation with libsqlite3 (fast, and the same bytes for both engines);
// each workload then gets its own fresh copy per engine.
//
//   main.db     t1(id INTEGER PRIMARY KEY, k, grp, name, val), 1,000,000 rows,
//               index t1_k on k (k distinct, in pseudo-random order against id)
//   shop.db     customer 10,000 rows, orders 100,000 (index on customer_id),
//               item 300,000 (index on order_id)
//   schema20.db, schema10000.db   20 / 10,000 empty tables (4 columns each)

import CSQLite3Oracle
import Foundation

final class Fixtures {
    static let mainRows = 1_000_000
    /// k = id * 7919 mod this prime: distinct for every id in 1…1,000,000.
    static let kModulus = 1_000_003
    let directory: String
    /// Keep fixtures between invocations (`--fixtures DIR`): a fixture whose `.done` marker is
    /// there is reused (the callgrind runs of compare.sh start from fixtures built outside valgrind).
    let keep: Bool
    private var built: Set<String> = []

    init(directory: String, keep: Bool) {
        self.directory = directory
        self.keep = keep
    }

    /// The path of fixture `name`, building it on first use.
    func path(_ name: String) throws -> String {
        let path = "\(directory)/fixture-\(name).db"
        let marker = path + ".done"
        if built.contains(name) { return path }
        if keep && FileManager.default.fileExists(atPath: marker) {
            built.insert(name)
            return path
        }
        try? FileManager.default.removeItem(atPath: path)
        let started = Date()
        let db = try SQLiteEngine(path: path, options: OpenOptions())
        defer { db.close() }
        try db.execute("PRAGMA journal_mode=off; PRAGMA synchronous=off; PRAGMA cache_size=-65536")
        switch name {
        case "main":
            try db.execute("""
                CREATE TABLE t1(id INTEGER PRIMARY KEY, k INTEGER NOT NULL, grp INTEGER NOT NULL,
                                name TEXT NOT NULL, val REAL);
                WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < \(Fixtures.mainRows))
                INSERT INTO t1 SELECT x, (x * 7919) % \(Fixtures.kModulus), x % 100,
                                      printf('name-%07d', (x * 7919) % \(Fixtures.kModulus)), x * 0.5 FROM c;
                CREATE INDEX t1_k ON t1(k);
                """)
        case "shop":
            try db.execute("""
                CREATE TABLE customer(id INTEGER PRIMARY KEY, name TEXT NOT NULL, region INTEGER NOT NULL);
                CREATE TABLE orders(id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, total REAL);
                CREATE TABLE item(id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, product INTEGER,
                                  price REAL);
                WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10000)
                INSERT INTO customer SELECT x, 'customer ' || x, x % 17 FROM c;
                WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000)
                INSERT INTO orders SELECT x, (x * 31) % 10000 + 1, x % 1000 * 1.5 FROM c;
                WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000)
                INSERT INTO item SELECT x, (x * 17) % 100000 + 1, x % 5000, (x % 97) * 0.25 FROM c;
                CREATE INDEX orders_customer ON orders(customer_id);
                CREATE INDEX item_order ON item(order_id);
                """)
        case "schema20", "schema10000":
            let count = name == "schema20" ? 20 : 10_000
            var sql = "BEGIN;"
            for i in 0..<count {
                sql += "CREATE TABLE t\(i)(id INTEGER PRIMARY KEY, name TEXT, value REAL, created INTEGER);"
            }
            try db.execute(sql + "COMMIT;")
        default:
            throw BenchError("no fixture named \(name)")
        }
        log("fixture \(name) built in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        built.insert(name)
        if keep { FileManager.default.createFile(atPath: marker, contents: nil) }
        return path
    }

    /// A fresh copy of fixture `name` at `destination` (any old file and its journals removed).
    func copy(_ name: String, to destination: String) throws -> String {
        let source = try path(name)
        removeDatabase(destination)
        try FileManager.default.copyItem(atPath: source, toPath: destination)
        return destination
    }
}

/// Removes a database file and its -wal, -shm and -journal files.
func removeDatabase(_ path: String) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        try? FileManager.default.removeItem(atPath: path + suffix)
    }
}

/// Progress on standard error (standard output carries the results).
func log(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
