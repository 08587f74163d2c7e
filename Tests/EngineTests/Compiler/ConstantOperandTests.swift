// Constant operands, specified against libsqlite3's programs: a literal that is an operand of a
// comparison, BETWEEN, or an arithmetic, logical or concatenation operator is loaded once, in the
// setup section after Halt (expr.c's sqlite3ExprCodeTemp, which factors constants out with
// sqlite3ExprCodeRunJustOnce), so a loop over rows loads none of them. sqlite3's EXPLAIN places
// the same loads there, and the answers stay sqlite3's.

import Base
@testable import Engine
import Testing
import TestSupport

private let schema = """
    CREATE TABLE t(a INTEGER PRIMARY KEY, b INT, c TEXT);
    INSERT INTO t VALUES(1, 150, 'xyz'), (2, 996, NULL), (3, -8, 'A'), (4, 1200, 'q'), (5, 40, 'xyz');
    """

private let queries = [
    "SELECT count(*) FROM t WHERE b BETWEEN 100 AND 200",
    "SELECT a FROM t WHERE b + 5 > 1000 AND c = 'xyz'",
    "SELECT (SELECT count(*) FROM t AS u WHERE u.b * 3 < t.b) FROM t",
    "SELECT a FROM t WHERE b > -7.5 OR c IS NULL",
    "SELECT b - 2, c || 'q' FROM t WHERE c <> 'A'",
]

/// The constant loads (opcode, P1, P4) after the program's Halt, in order.
private func setupLoads(_ listing: [[Value]]) -> [String] {
    guard let halt = listing.firstIndex(where: { $0[1] == .text(Array("Halt".utf8)) }) else { return ["no Halt"] }
    return listing[(halt + 1)...].compactMap { row -> String? in
        guard case .text(let bytes) = row[1] else { return nil }
        let op = String(decoding: bytes, as: UTF8.self)
        guard ["Integer", "Real", "String8", "Null"].contains(op) else { return nil }
        return "\(op) \(row[2]) \(row[5] == .text([]) ? Value.null : row[5])"
    }
}

@Suite("Constant operands")
struct ConstantOperandTests {
    @Test("literal operands are loaded once after Halt, as sqlite3 loads them", arguments: queries)
    func literalOperandsAreHoisted(_ query: String) throws {
        let c = try Connection(path: ":memory:")
        try c.execute(schema)
        let oracle = try TestSupport.SQLiteOracle()
        try oracle.exec(schema)
        let expected = setupLoads(try oracle.query("EXPLAIN " + query))
        #expect(!expected.isEmpty)
        #expect(setupLoads(try c.query("EXPLAIN " + query)) == expected)
        #expect(try c.query(query) == oracle.query(query))
    }
}
