// A 3-table join on the shop fixture: 100 customers (a rowid range) → their
// 1,000 orders (index orders_customer) → those orders' 3,000 items (index
// item_order), grouped by region. One operation = one query, all rows read.
//
// `+o.id` (not `o.id`): the run in RESULTS.md was measured this way because a
// plain `i.order_id = o.id` made swiftdb's planner trap (fixed since: aiRowLogEst
// now has an entry for the rowid field; statement case
// join-index-equality-on-every-field). The unary plus leaves sqlite3's plan
// unchanged (o by orders_customer range, c by rowid, i by item_order, temp B-tree
// for GROUP BY); drop it at the next full run.

enum ThreeTableJoin {
    static let sql = """
        SELECT c.region, count(*), sum(i.price)
        FROM customer c JOIN orders o ON o.customer_id = c.id JOIN item i ON i.order_id = +o.id
        WHERE c.id BETWEEN ?1 AND ?1 + 99
        GROUP BY c.region
        """

    static func session<E: BenchEngine>(_: E.Type, _ ctx: WorkloadContext, ops: Int) throws -> Session {
        let db = try E(path: ctx.fixtures.copy("shop", to: ctx.path("join_3_tables", E.name)), options: OpenOptions())
        let query = try db.prepare(sql)
        let s = Session { run in
            var keys = KeyGenerator(seed: run)
            var count = 0
            for _ in 0..<ops {
                try query.bind(1, Int64(keys.next(9_900) + 1))
                while try query.step() {
                    count &+= Int(query.int64(0)) &+ Int(query.int64(1)) &+ Int(query.double(2))
                }
                query.reset()
            }
            blackHole(count)
        }
        s.close = { db.close() }
        return s
    }
}
