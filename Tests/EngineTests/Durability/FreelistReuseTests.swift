// Reusing free pages, specified against libsqlite3's file format: a freelist
// leaf that was already free when the write transaction began is taken without
// reading it and without journaling it (a rollback leaves it free again, so its
// bytes never matter: btree.c's allocateBtreePage with PAGER_GET_NOCONTENT),
// while a page freed by the same transaction keeps its committed image in the
// journal, since a rollback makes it a live b-tree page again (btree.c's
// pHasContent). Every case ends with libsqlite3's integrity_check of the file.

import Base
@testable import Engine
import Foundation
@testable import Storage
import Testing
import TestSupport

private let rows = """
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
    """

@Suite("Freelist reuse")
struct FreelistReuseTests {
    @Test("a page free before the transaction is reused without being read or journaled")
    func reusedFreePagesAreNotReadOrJournaled() throws {
        let dir = TemporaryDirectory("freelist-reuse")
        defer { dir.remove() }
        let db = dir.file("a.db")
        do {
            let c = try Connection(path: db)
            try c.execute("CREATE TABLE gone(a INTEGER PRIMARY KEY, b BLOB); \(rows) INSERT INTO gone SELECT i, randomblob(1000) FROM n;"
                          + "CREATE TABLE t(a INTEGER PRIMARY KEY, b BLOB); DROP TABLE gone;")
        }
        let freePages = try TestSupport.SQLiteOracle(db).query("PRAGMA freelist_count")
        #expect(freePages == [[.integer(52)]], "a trunk and 51 leaves to reuse")
        let c = try Connection(path: db)
        try c.execute("PRAGMA journal_mode=PERSIST; PRAGMA cache_size=100; SELECT count(*) FROM t")
        let readsBefore = c.pager.pageReadCount
        try c.execute("BEGIN; \(rows) INSERT INTO t SELECT i, zeroblob(900) FROM n;")
        #expect(try c.query("PRAGMA freelist_count") == [[.integer(1)]], "the trunk is left")
        // Page 1, t's root and the freelist trunk are read and journaled; the 51 leaves are neither.
        #expect(c.pager.pageReadCount - readsBefore <= 3, "\(c.pager.pageReadCount - readsBefore) pages read")
        #expect(c.pager.journal.recordCount <= 3, "\(c.pager.journal.recordCount) pages journaled")
        try c.execute("ROLLBACK")
        #expect(try c.query("SELECT count(*) FROM t") == [[.integer(0)]])
        #expect(try c.query("PRAGMA freelist_count") == freePages)
        #expect(try TestSupport.SQLiteOracle(db).integrityCheck() == ["ok"])
        try c.execute("\(rows) INSERT INTO t SELECT i, zeroblob(900) FROM n;")
        #expect(try TestSupport.SQLiteOracle(db).query("SELECT count(*), sum(length(b)) FROM t") == [[.integer(200), .integer(180_000)]])
        #expect(try TestSupport.SQLiteOracle(db).integrityCheck() == ["ok"])
    }

    @Test("a page freed and reused by one transaction comes back on rollback, even after a cache spill",
          arguments: ["DELETE", "PERSIST"])
    func pagesFreedInTheTransactionAreJournaled(journalMode: String) throws {
        let dir = TemporaryDirectory("freelist-freed-here")
        defer { dir.remove() }
        let db = dir.file("a.db")
        let c = try Connection(path: db)
        try c.execute("PRAGMA journal_mode=\(journalMode);"
                      + "CREATE TABLE kept(a INTEGER PRIMARY KEY, b BLOB); \(rows) INSERT INTO kept SELECT i, randomblob(1000) FROM n;"
                      + "CREATE TABLE t(a INTEGER PRIMARY KEY, b BLOB);")
        let before = try TestSupport.SQLiteOracle(db).query("SELECT a, hex(b) FROM kept ORDER BY a")
        // A 10-page cache: the reused pages reach the file before the rollback.
        try c.execute("PRAGMA cache_size=10; BEGIN; DROP TABLE kept; \(rows) INSERT INTO t SELECT i, zeroblob(900) FROM n;")
        #expect(c.pager.spillCount > 0)
        try c.execute("ROLLBACK")
        #expect(try TestSupport.SQLiteOracle(db).integrityCheck() == ["ok"])
        #expect(try TestSupport.SQLiteOracle(db).query("SELECT a, hex(b) FROM kept ORDER BY a") == before)
        #expect(try c.query("SELECT count(*) FROM t") == [[.integer(0)]])
    }

    @Test("ROLLBACK TO a savepoint after reusing free pages leaves them free, and the file is sound")
    func savepointRollbackAfterReuse() throws {
        let dir = TemporaryDirectory("freelist-savepoint")
        defer { dir.remove() }
        let db = dir.file("a.db")
        let c = try Connection(path: db)
        try c.execute("CREATE TABLE gone(a INTEGER PRIMARY KEY, b BLOB); \(rows) INSERT INTO gone SELECT i, randomblob(1000) FROM n;"
                      + "CREATE TABLE t(a INTEGER PRIMARY KEY, b BLOB); DROP TABLE gone; PRAGMA cache_size=10;")
        try c.execute("BEGIN; INSERT INTO t VALUES (0, 'first'); SAVEPOINT s; \(rows) INSERT INTO t SELECT i, zeroblob(900) FROM n;")
        try c.execute("ROLLBACK TO s; RELEASE s; \(rows) INSERT INTO t SELECT i, zeroblob(800) FROM n WHERE i <= 100; COMMIT;")
        #expect(try TestSupport.SQLiteOracle(db).integrityCheck() == ["ok"])
        #expect(try TestSupport.SQLiteOracle(db).query("SELECT count(*), sum(length(b)) FROM t") == [[.integer(101), .integer(80_005)]])
    }
}
