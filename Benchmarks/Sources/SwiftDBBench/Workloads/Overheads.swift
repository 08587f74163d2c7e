// Fixed costs: statement overhead (prepare + bind + step + finalize of a simple
// point query on a 100-row table) and opening a connection to a database with
// 20 and with 10,000 tables (open, run one query that needs the schema, close).

enum StatementOverhead {
    static func session<E: BenchEngine>(_: E.Type, _ ctx: WorkloadContext, ops: Int) throws -> Session {
        let path = ctx.path("statement_overhead", E.name)
        removeDatabase(path)
        let db = try E(path: path, options: OpenOptions())
        try db.execute("""
            CREATE TABLE kv(id INTEGER PRIMARY KEY, v TEXT);
            WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100)
            INSERT INTO kv SELECT x, 'value ' || x FROM c;
            """)
        let s = Session { run in
            var sum = 0
            for i in 0..<ops {
                let statement = try db.prepare("SELECT v FROM kv WHERE id = ?1")
                try statement.bind(1, Int64(i % 100 + 1))
                guard try statement.step() else { throw BenchError("statement_overhead: no row") }
                sum &+= statement.text(0).utf8.count
            }
            blackHole(sum)
        }
        s.close = { db.close(); removeDatabase(path) }
        return s
    }
}

enum OpenConnection {
    static func session<E: BenchEngine>(_: E.Type, _ ctx: WorkloadContext, tables: Int, ops: Int) throws -> Session {
        let name = "open_\(tables)_tables"
        let path = try ctx.fixtures.copy("schema\(tables)", to: ctx.path(name, E.name))
        // The last table created, so an engine cannot stop reading the schema early.
        let sql = "SELECT id, name FROM t\(tables - 1) WHERE id = 1"
        let s = Session { _ in
            for _ in 0..<ops { _ = try E.openQueryClose(path: path, sql: sql) }
        }
        s.close = { removeDatabase(path) }
        return s
    }
}
