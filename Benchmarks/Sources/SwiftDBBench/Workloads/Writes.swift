// Writes: a bulk INSERT of 1,000,000 rows in one transaction (fresh empty
// database each run); single-row INSERT transactions in WAL mode with
// synchronous NORMAL and FULL (each operation one autocommit INSERT, i.e. one
// commit); UPDATE and DELETE through the secondary index t1_k on a copy of the
// 1,000,000-row main fixture (a run's operations share one transaction).

enum BulkInsert {
    static let rows = 1_000_000

    static func session<E: BenchEngine>(_: E.Type, _ ctx: WorkloadContext) throws -> Session {
        let path = ctx.path("bulk_insert", E.name)
        var db: E?
        var insert: E.Statement?
        let s = Session { _ in
            guard let db, let insert else { return }
            try db.execute("BEGIN")
            for i in 1...rows {
                try insert.bind(1, Int64(i))
                try insert.bind(2, Int64(i * 7919 % Fixtures.kModulus))
                try insert.bind(3, Int64(i % 100))
                try insert.bind(4, "name-\(i)")
                try insert.bind(5, Double(i) * 0.5)
                _ = try insert.step()
                insert.reset()
            }
            try db.execute("COMMIT")
        }
        s.beforeRun = { _ in
            removeDatabase(path)
            let d = try E(path: path, options: OpenOptions())
            try d.execute("CREATE TABLE t1(id INTEGER PRIMARY KEY, k INTEGER NOT NULL, grp INTEGER NOT NULL, name TEXT NOT NULL, val REAL)")
            insert = try d.prepare("INSERT INTO t1 VALUES (?1, ?2, ?3, ?4, ?5)")
            db = d
        }
        s.afterRun = { _ in
            insert = nil
            db?.close()
            db = nil
            removeDatabase(path)
        }
        return s
    }
}

enum SingleRowInserts {
    static func session<E: BenchEngine>(_: E.Type, _ ctx: WorkloadContext, name: String, synchronous: String,
                                        ops: Int) throws -> Session {
        let path = ctx.path(name, E.name)
        removeDatabase(path)
        let db = try E(path: path, options: OpenOptions(journalMode: "wal", synchronous: synchronous))
        try db.execute("CREATE TABLE log(id INTEGER PRIMARY KEY, at INTEGER NOT NULL, message TEXT); CREATE INDEX log_at ON log(at)")
        let insert = try db.prepare("INSERT INTO log(at, message) VALUES (?1, ?2)")
        let s = Session { run in
            var keys = KeyGenerator(seed: run)
            for i in 0..<ops {
                try insert.bind(1, Int64(keys.next(1 << 30)))
                try insert.bind(2, "event \(run)-\(i)")
                _ = try insert.step()
                insert.reset()
            }
        }
        s.close = { db.close(); removeDatabase(path) }
        return s
    }
}

/// UPDATE or DELETE of `ops` rows, one statement per row found through t1_k, in one transaction.
enum WriteByIndex {
    static func session<E: BenchEngine>(_: E.Type, _ ctx: WorkloadContext, name: String, sql: String,
                                        ops: Int) throws -> Session {
        let path = try ctx.fixtures.copy("main", to: ctx.path(name, E.name))
        let db = try E(path: path, options: OpenOptions())
        let statement = try db.prepare(sql)
        let s = Session { run in
            // Run r touches ids r*ops+1 … (r+1)*ops, spread through the table: DELETE never
            // misses and both engines see the same keys.
            try db.execute("BEGIN")
            for i in 0..<ops {
                let id = (run * ops + i) * 7 % Fixtures.mainRows + 1
                try statement.bind(1, Int64(id * 7919 % Fixtures.kModulus))
                _ = try statement.step()
                statement.reset()
            }
            try db.execute("COMMIT")
        }
        s.close = { db.close(); removeDatabase(path) }
        return s
    }
}
