// The integrity check's description of a schema: partial and expression
// indexes, whose entries only the engine can compute, reach the check as
// closures (IntegrityIndex.entryForRow); the check then agrees with sqlite3's
// PRAGMA integrity_check on a sound file and on one with entries missing.
import Testing
import Base
@testable import Storage
import TestSupport

@Suite struct IntegrityCheckTests {
    static let setup = """
        CREATE TABLE t(a INTEGER, b TEXT);
        CREATE INDEX partial ON t(b) WHERE a > 10;
        CREATE INDEX expression ON t(a * 2, b);
        WITH RECURSIVE s(i) AS (VALUES(1) UNION ALL SELECT i+1 FROM s WHERE i<30)
          INSERT INTO t SELECT i, 'b' || (i % 7) FROM s;
        """

    /// t's description, as an engine that evaluates `a > 10` and `a * 2` would give it.
    func describe(_ partial: UInt32, _ expression: UInt32, _ table: UInt32) -> [IntegrityTable] {
        func a(_ row: IntegrityRow) -> Int64 {
            if case .integer(let v) = row.values.first ?? .null { return v }
            return 0
        }
        let partialIndex = IntegrityIndex(name: "partial", root: partial, fields: [.column(1), .rowid]) { row in
            a(row) > 10 ? [row.values[1], .integer(row.rowid ?? 0)] : nil
        }
        let expressionIndex = IntegrityIndex(name: "expression", root: expression,
                                             fields: [.column(0), .column(1), .rowid], keyFieldCount: 2) { row in
            [.integer(a(row) * 2), row.values[1], .integer(row.rowid ?? 0)]
        }
        let t = IntegrityTable(name: "t", root: table, columns: [IntegrityColumn(name: "a", affinity: .integer),
                                                                 IntegrityColumn(name: "b", affinity: .text)],
                               indexes: [expressionIndex, partialIndex])
        return [t, .schemaTable]
    }

    @Test func partialAndExpressionIndexesAreCheckedThroughTheEnginesClosures() throws {
        let dir = TemporaryDirectory("swiftdb-integrity")
        defer { dir.remove() }
        let path = dir.file("t.db")
        try SQLiteOracle(path).exec(Self.setup)
        let (pager, tree) = try openStorage(path).get()
        try pager.beginRead()
        let tables = describe(try rootPage(tree, "partial"), try rootPage(tree, "expression"), try rootPage(tree, "t"))
        #expect(tree.integrityCheck(tables: tables).rows == ["ok"])
        #expect(try SQLiteOracle(path).integrityCheck() == ["ok"])

        // Drop one entry from each index: both checks name the same rows.
        try pager.beginWrite()
        for name in ["partial", "expression"] {
            let c = BTreeCursor(tree: tree, root: try rootPage(tree, name), isTable: false)
            try c.first()
            try c.next()
            try c.delete()
        }
        try pager.commit()
        let ours = tree.integrityCheck(tables: tables)
        let theirs = try SQLiteOracle(path).integrityCheckUntilError()
        #expect(ours.rows == theirs.rows)
        #expect(ours.rows.contains("wrong # of entries in index partial"))
    }

    @Test func maxErrorsOfZeroOrLessMeansTheDefault() throws {
        let dir = TemporaryDirectory("swiftdb-integrity")
        defer { dir.remove() }
        let path = dir.file("t.db")
        try SQLiteOracle(path).exec("""
            PRAGMA page_size=512; CREATE TABLE t(a);
            WITH RECURSIVE s(i) AS (VALUES(1) UNION ALL SELECT i+1 FROM s WHERE i<150)
              INSERT INTO t SELECT zeroblob(600) FROM s;
            DELETE FROM t;
            """)
        // Leak every free page: each is then "never used".
        try patchFile(path) { b in
            b.put32(32, 0)
            b.put32(36, 0)
        }
        let (pager, tree) = try openStorage(path).get()
        try pager.beginRead()
        let tables = try integrityTables(SQLiteOracle(path))
        for n in [0, -3, 7] {
            let theirs = try SQLiteOracle(path).integrityCheckUntilError("integrity_check(\(n))")
            let ours = tree.integrityCheck(tables: tables, options: IntegrityCheckOptions(maxErrors: n))
            #expect(ours.rows == theirs.rows)
            #expect(ours.findings.count == (n > 0 ? n : 100))
        }
    }
}
