// ORDER BY a result column, specified: the key and the result column are one value, computed once per
// row (select.c keeps such a column only as the sorter's key, iOrderByCol), so even a result that
// differs at each evaluation, random(), comes out sorted: plain, LIMIT (the bounded sort), DISTINCT
// and aggregate queries alike. sqlite3 gives the same guarantee; its random values cannot be compared
// with ours, so these tests check the order itself.

@testable import Engine
import Base
import Testing

@Suite("ORDER BY a result column")
struct OrderByResultColumnTests {
    private static let rows = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) "

    private func integers(_ c: Connection, _ sql: String, column: Int = 0) throws -> [Int64] {
        try c.query(sql).map { row in
            guard case .integer(let v) = row[column] else { throw DBError(.error, "not an integer: \(row)") }
            return v
        }
    }

    @Test("a nondeterministic result column named by ORDER BY is evaluated once, so rows come out sorted",
          arguments: [
              ("SELECT random() AS r FROM n ORDER BY r", false, 200),
              ("SELECT random() FROM n ORDER BY 1 DESC", true, 200),
              ("SELECT random() AS r, i FROM n ORDER BY r LIMIT 17", false, 17),
              ("SELECT DISTINCT random() AS r FROM n ORDER BY r DESC", true, 200),
              ("SELECT random() AS r, count(*) FROM n GROUP BY i ORDER BY r", false, 200),
          ])
    func nondeterministicKeysSort(sql: String, descending: Bool, count: Int) throws {
        let c = try Connection(path: ":memory:")
        let values = try integers(c, Self.rows + sql)
        #expect(values.count == count)
        #expect(values == values.sorted(by: descending ? { $0 > $1 } : { $0 < $1 }))
    }
}
