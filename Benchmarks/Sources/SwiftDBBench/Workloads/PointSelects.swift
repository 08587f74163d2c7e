// Point SELECTs on the 1,000,000-row main fixture: by rowid (the table's
// B-tree) and by the secondary index t1_k (index seek, then the table row).
// One operation = bind a pseudo-random key, step, read the row's columns.

enum PointSelectByRowid {
    static func session<E: BenchEngine>(_: E.Type, _ ctx: WorkloadContext, ops: Int) throws -> Session {
        let db = try E(path: ctx.fixtures.copy("main", to: ctx.path("point_select_rowid", E.name)), options: OpenOptions())
        let select = try db.prepare("SELECT name, val FROM t1 WHERE id = ?1")
        let s = Session { run in
            var keys = KeyGenerator(seed: run)
            var bytes = 0
            for _ in 0..<ops {
                try select.bind(1, Int64(keys.next(Fixtures.mainRows) + 1))
                guard try select.step() else { throw BenchError("point_select_rowid: no row") }
                bytes &+= select.text(0).utf8.count &+ Int(select.double(1))
                select.reset()
            }
            blackHole(bytes)
        }
        s.close = { db.close() }
        return s
    }
}

enum PointSelectByIndex {
    static func session<E: BenchEngine>(_: E.Type, _ ctx: WorkloadContext, ops: Int) throws -> Session {
        let db = try E(path: ctx.fixtures.copy("main", to: ctx.path("point_select_index", E.name)), options: OpenOptions())
        let select = try db.prepare("SELECT id, name FROM t1 WHERE k = ?1")
        let s = Session { run in
            var keys = KeyGenerator(seed: run)
            var sum = 0
            for _ in 0..<ops {
                // k = id * 7919 mod 1,000,003 for some id: every such k exists.
                let id = keys.next(Fixtures.mainRows) + 1
                try select.bind(1, Int64(id * 7919 % Fixtures.kModulus))
                guard try select.step() else { throw BenchError("point_select_index: no row") }
                sum &+= Int(select.int64(0)) &+ select.text(1).utf8.count
                select.reset()
            }
            blackHole(sum)
        }
        s.close = { db.close() }
        return s
    }
}

/// Keeps a result alive so the optimiser cannot drop the work that made it.
@inline(never) @_optimize(none)
func blackHole<T>(_ value: T) {}
