// Cache spill, specified against libsqlite3: a write transaction larger than
// PRAGMA cache_size writes pages to the database file before COMMIT (after
// their original images are synced in the journal), and still commits,
// rolls back, rolls back to a savepoint and survives a crash exactly as one
// that fits in the cache (pager.c's pagerStress; atomiccommit.html §3.10,
// "Cache Spill Prior To Commit").

import Base
@testable import Engine
import Foundation
import IO
@testable import Storage
import Testing
import TestSupport

private let setupSQL = """
    CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c BLOB);
    CREATE INDEX tb ON t(b);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
      INSERT INTO t SELECT i, 'row ' || i, zeroblob(i * 37 % 2000) FROM n;
    """

/// Changes far more pages than a 20-page cache holds: existing pages rewritten, the file grown.
private let bigChanges = """
    UPDATE t SET b = b || ' changed', c = zeroblob(length(c) + 300);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
      INSERT INTO t(b, c) SELECT 'new ' || i, zeroblob(3000) FROM n;
    DELETE FROM t WHERE a % 7 = 0;
    """

/// An index far larger than a 20-page cache, filled in random key order (relocation tests).
private let relocationSetup = "CREATE TABLE r(a INTEGER PRIMARY KEY, k TEXT); CREATE INDEX rk ON r(k);"
private let relocationFill = """
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
      INSERT INTO r(k) SELECT printf('%08d-%s', (i * 7919) % 3001, hex(zeroblob(20))) FROM n;
    """

private func contents(_ c: Connection) throws -> [[Value]] {
    try c.query("SELECT a, b, length(c) FROM t ORDER BY a")
}

private func contents(_ o: TestSupport.SQLiteOracle) throws -> [[Value]] {
    try o.query("SELECT a, b, length(c) FROM t ORDER BY a")
}

/// Puts the copy `pristine` back at `db`, with no journal beside it.
private func restore(_ db: String, from pristine: String) throws {
    try? FileManager.default.removeItem(atPath: db)
    try? FileManager.default.removeItem(atPath: db + "-journal")
    try FileManager.default.copyItem(atPath: pristine, toPath: db)
}

private func fileSize(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? -1
}

@Suite("Cache spill")
struct CacheSpillTests {
    @Test("a transaction larger than the cache spills, commits, and reads back as sqlite3's does",
          arguments: ["DELETE", "TRUNCATE", "PERSIST"])
    func spillThenCommit(journalMode: String) throws {
        let dir = TemporaryDirectory("spill-commit")
        defer { dir.remove() }
        let db = dir.file("a.db"), reference = dir.file("ref.db")
        let c = try Connection(path: db)
        try c.execute("PRAGMA journal_mode=\(journalMode); PRAGMA cache_size=20;" + setupSQL)
        let oracle = try TestSupport.SQLiteOracle(reference)
        try oracle.exec(setupSQL)
        try c.execute("BEGIN;" + bigChanges + "COMMIT;")
        try oracle.exec("BEGIN;" + bigChanges + "COMMIT;")
        #expect(c.pager.spillCount > 0, "the transaction outgrew the cache")
        #expect(try contents(c) == contents(oracle))
        #expect(try c.query("PRAGMA integrity_check") == [[.text("ok")]])
        #expect(try TestSupport.SQLiteOracle(db).integrityCheck() == ["ok"])
        #expect(try contents(TestSupport.SQLiteOracle(db)) == contents(oracle))
    }

    @Test("a spill writes the least recently used dirty pages: a page changed throughout stays in memory")
    func spillTakesLeastRecentlyUsed() throws {
        let dir = TemporaryDirectory("spill-lru")
        defer { dir.remove() }
        let db = dir.file("a.db")
        let c = try Connection(path: db)
        try c.execute("""
            CREATE TABLE hot(n INTEGER);
            INSERT INTO hot VALUES (0);
            CREATE TABLE cold(a INTEGER PRIMARY KEY, b BLOB);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 240)
              INSERT INTO cold SELECT i, zeroblob(900) FROM n;
            PRAGMA cache_size=20;
            PRAGMA synchronous=OFF;
            """)
        // Each cold page is changed (four rows in a row) and never again; hot's one page is changed
        // after every row, so it is always the most recently used dirty page. pcache's LRU never
        // writes it before commit, and writes each cold page at most once. (synchronous=OFF: no
        // journal record waits for a sync, which would make the spill prefer pages that need none.)
        let coldPages = Int(c.pager.pageCount) - 3  // page 1, hot's root and cold's root (interior) excepted
        try c.execute("BEGIN")
        for a in 1...240 {
            try c.execute("UPDATE cold SET b = zeroblob(901 - \(a % 2)) WHERE a = \(a); UPDATE hot SET n = n + 1")
        }
        #expect(c.pager.spillCount > 3)
        let dirty = c.pager.dirtyFrames.count
        #expect(c.pager.spilledPageCount + dirty <= coldPages + 2,
                "spilled \(c.pager.spilledPageCount), \(dirty) dirty, \(coldPages) cold pages")
        try c.execute("COMMIT")
        #expect(try c.query("SELECT n FROM hot") == [[.integer(240)]])
        #expect(try TestSupport.SQLiteOracle(db).integrityCheck() == ["ok"])
    }

    @Test("a page fetched again while its spill write is in flight moves to another frame; commit and rollback are unchanged")
    func refetchedSpilledPageMoves() throws {
        // Random keys into an index much larger than the cache: the next insert often lands on a leaf
        // the last spill is still writing. It moves to a fresh frame, dirty, instead of waiting. The
        // simulated back-end's slow writes keep every spill in flight across many fetches.
        let dir = TemporaryDirectory("spill-relocate")
        defer { dir.remove() }
        let exported = dir.file("a.db"), reference = dir.file("ref.db")
        let fs = SimulatedFileSystem(seed: 11)
        let io = SimulatedBackend(fileSystem: fs)
        io.writeLatency = 2_000_000...4_000_000
        var options = ConnectionOptions()
        options.io = io
        let c = try Connection(path: "/sim/a.db", options: options)
        try c.execute("PRAGMA cache_size=20;" + relocationSetup)
        let oracle = try TestSupport.SQLiteOracle(reference)
        try oracle.exec(relocationSetup)
        try c.execute("BEGIN;" + relocationFill)
        #expect(c.pager.spillCount > 0)
        #expect(c.pager.relocatedPageCount > 0, "some leaf was fetched again while its spill write was in flight")
        try c.execute("COMMIT")
        try oracle.exec("BEGIN;" + relocationFill + "COMMIT;")
        let all = "SELECT a, k FROM r ORDER BY k, a"
        #expect(try c.query(all) == oracle.query(all))
        #expect(try c.query("PRAGMA integrity_check") == [[.text("ok")]])
        // The same transaction rolled back leaves the committed file as it was.
        let relocatedBefore = c.pager.relocatedPageCount
        try c.execute("BEGIN;" + relocationFill)
        #expect(c.pager.relocatedPageCount > relocatedBefore)
        try c.execute("ROLLBACK")
        #expect(try c.query(all) == oracle.query(all))
        // sqlite3 reads the file as it reads its own.
        let bytes = try #require(fs.contents(of: "/sim/a.db"))
        FileManager.default.createFile(atPath: exported, contents: Data(bytes))
        #expect(try TestSupport.SQLiteOracle(exported).integrityCheck() == ["ok"])
        #expect(try TestSupport.SQLiteOracle(exported).query(all) == oracle.query(all))
    }

    @Test("a failed spill write of a page that moved since still dooms the transaction")
    func failedWriteOfRelocatedPage() throws {
        // Every write in turn fails once (EIO), among them spill writes of frames whose page moved.
        let fs = SimulatedFileSystem(seed: 12)
        do {
            var options = ConnectionOptions()
            options.io = SimulatedBackend(fileSystem: fs)
            try Connection(path: "/sim/a.db", options: options).execute(relocationSetup)
        }
        let pristine = try #require(fs.contents(of: "/sim/a.db"))
        func run(failingWrite: Int?) throws -> (spilled: Int, relocated: Int, error: DBError?) {
            fs.setContents(of: "/sim/a.db", pristine)
            fs.faults = SimulatedFaultPlan()
            // The nth write to the database file (not its journal): the first ones are spill writes.
            if let failingWrite { fs.faults.add(.init(.write, nth: failingWrite, pathSuffix: "a.db")) }
            let io = SimulatedBackend(fileSystem: fs)
            io.writeLatency = 2_000_000...4_000_000
            var options = ConnectionOptions()
            options.io = io
            let c = try Connection(path: "/sim/a.db", options: options)
            try c.execute("PRAGMA cache_size=20; BEGIN")
            var failure: DBError?
            do {
                try c.execute(relocationFill)
                try c.execute("COMMIT")
            } catch {
                failure = error
                #expect(c.autocommit, "the failed write ended the transaction")
            }
            #expect(try c.query("PRAGMA integrity_check") == [[.text("ok")]])
            #expect(try c.query("SELECT count(*) FROM r") == [[.integer(failure == nil ? 3000 : 0)]])
            return (c.pager.spilledPageCount, c.pager.relocatedPageCount, failure)
        }
        let clean = try run(failingWrite: nil)
        #expect(clean.error == nil && clean.relocated > 0)
        for failing in stride(from: clean.spilled / 8, to: clean.spilled, by: max(1, clean.spilled / 8)) {
            let (_, _, error) = try run(failingWrite: failing)
            #expect(error?.code.primary == .ioerr, "write \(failing): \(String(describing: error))")
        }
    }

    @Test("ROLLBACK TO restores a page the transaction appended before the savepoint, spilled and evicted since")
    func savepointRestoresSpilledAppendedPage() throws {
        // Found by a random stress run (and reduced): page 23, an overflow page appended after the
        // transaction began, was spilled and evicted; freed after SAVEPOINT s5, it was taken for
        // overwriting without reading it, so the savepoint recorded zeros as its image, and
        // ROLLBACK TO put zeros back: a lost overflow chain that integrity_check reports.
        let dir = TemporaryDirectory("spill-savepoint-appended")
        defer { dir.remove() }
        let db = dir.file("a.db"), reference = dir.file("ref.db")
        func row(_ a: Int, _ b: Int, _ c: Int) -> String {
            "INSERT OR REPLACE INTO t VALUES(\(a), CAST(printf('%.*c', \(b), char(65 + \(a) % 26)) AS BLOB), printf('%.*c', \(c), 'x') || \(a));"
        }
        let script = [
            "PRAGMA page_size=512; PRAGMA auto_vacuum=INCREMENTAL; PRAGMA cache_size=20;",
            "CREATE TABLE t(a INTEGER PRIMARY KEY, b BLOB, c TEXT); CREATE INDEX tb ON t(b);",
            row(441, 2500, 278), row(1110, 5, 158), row(739, 1, 144), "SAVEPOINT s4;",
            row(42, 2500, 125), row(1302, 1, 149), row(1054, 2500, 151), row(424, 5, 280), "SAVEPOINT s5;",
            row(1437, 900, 238), "UPDATE t SET c = c || 'yy' WHERE a % 8 = 0 AND a < 1170;", row(514, 100, 112),
            "UPDATE t SET c = c || 'yy' WHERE a % 3 = 0 AND a < 523;",
            "ROLLBACK TO s5; RELEASE s5;", "COMMIT;",
        ].joined(separator: "\n")
        let c = try Connection(path: db)
        try c.execute(script)
        #expect(c.pager.spillCount > 0)
        let oracle = try TestSupport.SQLiteOracle(reference)
        try oracle.exec(script)
        #expect(try c.query("PRAGMA integrity_check") == [[.text("ok")]])
        #expect(try TestSupport.SQLiteOracle(db).integrityCheck() == ["ok"])
        let all = "SELECT a, hex(b), c FROM t ORDER BY a"
        #expect(try TestSupport.SQLiteOracle(db).query(all) == oracle.query(all))
    }

    @Test("ROLLBACK after a spill puts back the file's pages and its size")
    func spillThenRollback() throws {
        let dir = TemporaryDirectory("spill-rollback")
        defer { dir.remove() }
        let db = dir.file("a.db")
        let c = try Connection(path: db)
        try c.execute(setupSQL)
        let before = try contents(c)
        let sizeBefore = fileSize(db)
        try c.execute("PRAGMA cache_size=20; BEGIN;" + bigChanges)
        #expect(c.pager.spillCount > 0)
        #expect(fileSize(db) > sizeBefore, "spilled pages reached the file before commit")
        try c.execute("ROLLBACK")
        // The rollback itself restored the file: no journal is left for a later reader to play back.
        #expect(!FileManager.default.fileExists(atPath: db + "-journal"))
        #expect(fileSize(db) == sizeBefore)
        #expect(try contents(c) == before)
        #expect(try TestSupport.SQLiteOracle(db).integrityCheck() == ["ok"])
        #expect(try contents(TestSupport.SQLiteOracle(db)) == before)
    }

    @Test("a failed statement and ROLLBACK TO after spills undo only their own changes, as in sqlite3")
    func spillThenStatementAndSavepointRollback() throws {
        let dir = TemporaryDirectory("spill-savepoint")
        defer { dir.remove() }
        let db = dir.file("a.db"), reference = dir.file("ref.db")
        let c = try Connection(path: db)
        try c.execute("PRAGMA cache_size=20;" + setupSQL)
        let oracle = try TestSupport.SQLiteOracle(reference)
        try oracle.exec(setupSQL)
        let script: [String] = [
            "BEGIN", bigChanges,
            "SAVEPOINT s", "UPDATE t SET c = zeroblob(2500) WHERE a % 2 = 0", "ROLLBACK TO s", "RELEASE s",
            // Fails on its last row, after rewriting many spilled pages: only this statement is undone.
            "UPDATE t SET a = CASE WHEN a = (SELECT max(a) FROM t) THEN 1 ELSE a + 100000 END, c = zeroblob(900)",
            "INSERT INTO t(b, c) VALUES ('after', zeroblob(10))",
            "COMMIT",
        ]
        for sql in script {
            let mine: String?
            do { try c.execute(sql); mine = nil } catch { mine = error.message }
            let theirs: String?
            do { try oracle.exec(sql); theirs = nil } catch { theirs = (error as? OracleError)?.message }
            #expect(mine == theirs, "\(sql)")
        }
        #expect(c.pager.spillCount > 0)
        #expect(try contents(c) == contents(oracle))
        #expect(try TestSupport.SQLiteOracle(db).integrityCheck() == ["ok"])
    }

    @Test("a spill's writes go on behind the statement; one that fails is reported by COMMIT at the latest, which rolls back")
    func failedSpillWriteDoomsTheTransaction() throws {
        // A spill does not wait for its page writes (Pager+Spill.swift, step 4): a failure reaches the
        // pager after the spill returned. Whenever that is noticed (the next spill, a change to one of
        // those pages, or COMMIT after read-only statements), the transaction must not commit.
        let dir = TemporaryDirectory("spill-write-fails")
        defer { dir.remove() }
        let db = dir.file("a.db"), pristine = dir.file("pristine.db")
        do { try Connection(path: db).execute(setupSQL) }
        let before = try contents(TestSupport.SQLiteOracle(db))
        try FileManager.default.copyItem(atPath: db, toPath: pristine)
        let update = "UPDATE t SET b = b || ' changed', c = zeroblob(length(c) + 300)"
        func run(failingWrite: Int) throws -> (leftBeforeCommit: Int, failedAt: String?, error: DBError?) {
            try restore(db, from: pristine)
            let io = CrashingBackend(path: db, writesBeforeCrash: failingWrite)
            io.failure = 5  // EIO
            io.failOnlyOnce = true
            var options = ConnectionOptions()
            options.io = io
            let c = try Connection(path: db, options: options)
            try c.execute("PRAGMA cache_size=20")
            var left = io.writesBeforeCrash
            for sql in ["BEGIN", update, "SELECT count(*), sum(length(c)) FROM t", "COMMIT"] {
                if sql == "COMMIT" { left = io.writesBeforeCrash }
                do { try c.execute(sql) } catch {
                    #expect(c.autocommit, "the failed write ended the transaction (\(sql))")
                    #expect(try contents(c) == before, "nothing of it stays (\(sql))")
                    return (left, sql, error)
                }
                if sql == update { #expect(c.pager.spillCount > 1) }
            }
            return (left, nil, nil)
        }
        // How many database-file writes the spills make before COMMIT: the last one fails in the
        // statement's last spill, with nothing left that would wait for it before COMMIT.
        let counting = try run(failingWrite: 1_000_000)
        #expect(counting.failedAt == nil)
        let spillWrites = 1_000_000 - counting.leftBeforeCommit
        #expect(spillWrites > 10)
        for failing in [0, spillWrites / 2, spillWrites - 1] {
            let (_, failedAt, error) = try run(failingWrite: failing)
            #expect(error?.code.primary == .ioerr, "write \(failing): \(String(describing: error))")
            if failing == spillWrites - 1 {
                #expect(failedAt == "COMMIT", "the last spill's failed write is found by COMMIT")
            } else {
                #expect(failedAt == update, "a later spill of the same statement finds write \(failing) failed")
            }
            #expect(try TestSupport.SQLiteOracle(db).integrityCheck() == ["ok"])
            #expect(try contents(TestSupport.SQLiteOracle(db)) == before)
        }
    }

    @Test("a crash after spills leaves a hot journal that both engines roll back")
    func crashAfterSpill() throws {
        let dir = TemporaryDirectory("spill-crash")
        defer { dir.remove() }
        let db = dir.file("a.db"), pristine = dir.file("pristine.db")
        do { try Connection(path: db).execute(setupSQL) }
        let before = try contents(TestSupport.SQLiteOracle(db))
        try FileManager.default.copyItem(atPath: db, toPath: pristine)
        var crashes = 0, crashesAfterASpill = 0
        for writes in [1, 3, 10, 25, 60] {
            try restore(db, from: pristine)
            let io = CrashingBackend(path: db, writesBeforeCrash: writes)
            var options = ConnectionOptions()
            options.io = io
            var spilled = false
            do {
                let c = try Connection(path: db, options: options)
                try c.execute("PRAGMA cache_size=20")
                do {
                    try c.execute("BEGIN;" + bigChanges + "COMMIT;")
                } catch {
                    #expect(error.code.primary == .ioerr, "\(error)")
                }
                spilled = c.pager.spillCount > 0
            }
            guard io.crashed else { continue }
            crashes += 1
            if spilled { crashesAfterASpill += 1 }
            // The process died: its files stay as they are. Each engine recovers its own copy.
            let a = dir.file("bysqlite.db"), b = dir.file("byswiftdb.db")
            for copy in [a, b] {
                try? FileManager.default.removeItem(atPath: copy)
                try? FileManager.default.removeItem(atPath: copy + "-journal")
                try FileManager.default.copyItem(atPath: db, toPath: copy)
                if FileManager.default.fileExists(atPath: db + "-journal") {
                    try FileManager.default.copyItem(atPath: db + "-journal", toPath: copy + "-journal")
                }
            }
            let oracle = try TestSupport.SQLiteOracle(a)
            #expect(try oracle.integrityCheck() == ["ok"], "after \(writes) writes (spilled: \(spilled))")
            #expect(try contents(oracle) == before, "after \(writes) writes")
            let c = try Connection(path: b)
            #expect(try c.query("PRAGMA integrity_check") == [[.text("ok")]])
            #expect(try contents(c) == before, "after \(writes) writes")
        }
        #expect(crashes >= 4)
        #expect(crashesAfterASpill >= 2, "some crashes came after a spill had written pages")
    }
}
