// A b-tree page's header is checked once per image (PageFrame.validated, as btree.c's MemPage.isInit):
// an image that another writer replaces in the file is checked again when it is read back, so damage
// done behind a connection's back is reported as corruption, never read as a b-tree page.
import Base
@testable import Engine
import Foundation
import Testing
import TestSupport

@Suite struct PageValidationTests {
    @Test("a page replaced in the file after its first check is checked again when read back")
    func replacedPageIsValidatedAgain() throws {
        let dir = TemporaryDirectory("page-validation")
        defer { dir.remove() }
        let path = dir.file("a.db")
        let oracle = try TestSupport.SQLiteOracle(path)
        try oracle.exec("""
            CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
              INSERT INTO t SELECT i, printf('%.100c', 'x') FROM n;
            """)
        let leaf = try oracle.query("SELECT max(pageno) FROM dbstat WHERE name = 't' AND pagetype = 'leaf'")
        guard case .integer(let pgno)? = leaf.first?.first else { Issue.record("no leaf: \(leaf)"); return }
        let pageSize = 4096

        let c = try Connection(path: path)
        #expect(try c.query("SELECT count(*), sum(length(b)) FROM t") == [[.integer(300), .integer(30_000)]])

        // Another writer damages the leaf's header and bumps the change counter (as a commit does). The
        // damage, a cell content area said to start inside the cell pointer array, is one only the header
        // check finds: reading the leaf's cells does not look at that field.
        func patch(_ change: (inout [UInt8]) -> Void) throws {
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            change(&bytes)
            var counter = UInt32(bytes[24]) << 24 | UInt32(bytes[25]) << 16 | UInt32(bytes[26]) << 8 | UInt32(bytes[27])
            counter &+= 1
            for i in 0..<4 { bytes[24 + i] = UInt8(truncatingIfNeeded: counter >> (24 - 8 * UInt32(i))) }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
        let at = (Int(pgno) - 1) * pageSize + 5
        let before = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let original = (before[at], before[at + 1])
        try patch { $0[at] = 0; $0[at + 1] = 9 }
        #expect(throws: DBError.self) { try c.query("SELECT count(*), sum(length(b)) FROM t") }
        do {
            _ = try c.query("SELECT count(*), sum(length(b)) FROM t")
        } catch {
            #expect(error.code.primary == .corrupt, "\(error)")
        }

        // Put back, the page reads as before.
        try patch { $0[at] = original.0; $0[at + 1] = original.1 }
        #expect(try c.query("SELECT count(*), sum(length(b)) FROM t") == [[.integer(300), .integer(30_000)]])
    }
}
