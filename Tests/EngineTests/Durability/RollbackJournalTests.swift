// The rollback journal, specified against libsqlite3 and the sqlite3 CLI:
// a commit cut short at any write leaves a file that both engines roll back to
// the last committed state; sqlite3's own hot journal is rolled back by
// swiftdb; the journal modes leave the files SQLite leaves; a failed write
// during commit returns SQLITE_IOERR and leaves the database usable; and the
// POSIX lock protocol keeps swiftdb and a sqlite3 process out of each other's
// way (https://sqlite.org/atomiccommit.html, lockingv3.html).

import Base
@testable import Engine
import Foundation
import IO
import Storage
import Testing
import TestSupport

private func copyFile(_ from: String, _ to: String) {
    try? FileManager.default.removeItem(atPath: to)
    if FileManager.default.fileExists(atPath: from) { try! FileManager.default.copyItem(atPath: from, toPath: to) }
}

/// Copies a database and its journal, as a crash would have left them.
private func snapshot(_ db: String, to copy: String) {
    copyFile(db, copy)
    copyFile(db + "-journal", copy + "-journal")
}

private func contents(_ oracle: TestSupport.SQLiteOracle) throws -> [[Value]] {
    try oracle.query("SELECT a, b, length(c) FROM t ORDER BY a") + oracle.query("SELECT count(*) FROM u")
}

private func contents(_ c: Connection) throws -> [[Value]] {
    try c.query("SELECT a, b, length(c) FROM t ORDER BY a") + c.query("SELECT count(*) FROM u")
}

private let setupSQL = """
    CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c BLOB);
    CREATE INDEX tb ON t(b);
    CREATE TABLE u(x);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
      INSERT INTO t SELECT i, 'row ' || i, zeroblob(i * 37 % 3000) FROM n;
    INSERT INTO u SELECT a FROM t;
    """

/// A transaction that changes many pages, grows the file and frees pages.
private let bigTransaction = """
    BEGIN;
    UPDATE t SET b = b || ' changed', c = zeroblob(length(c) + 500);
    DELETE FROM u WHERE x % 3 = 0;
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
      INSERT INTO t(b, c) SELECT 'new ' || i, zeroblob(5000) FROM n;
    COMMIT;
    """

@Suite("Rollback journal")
struct RollbackJournalTests {
    @Test("a commit cut short at any database write rolls back in both engines")
    func crashDuringCommit() throws {
        let dir = TemporaryDirectory("journal-crash")
        defer { dir.remove() }
        let db = dir.file("a.db")
        do {
            let c = try Connection(path: db)
            try c.execute(setupSQL)
        }
        let before = try contents(TestSupport.SQLiteOracle(db))
        let pristine = dir.file("pristine.db")
        copyFile(db, pristine)
        var crashPoints = 0
        for writes in [0, 1, 2, 5, 17, 40, 1000] {
            copyFile(pristine, db)
            copyFile(pristine + "-journal", db + "-journal")
            let io = CrashingBackend(path: db, writesBeforeCrash: writes)
            var options = ConnectionOptions()
            options.io = io
            var committed = false
            do {
                let c = try Connection(path: db, options: options)
                do {
                    try c.execute(bigTransaction)
                    committed = true
                } catch {
                    #expect(error.code.primary == .ioerr, "\(error)")
                }
                // The crash leaves the files as they are now.
                snapshot(db, to: dir.file("crash.db"))
                if !committed { crashPoints += 1 }
            }
            let crash = dir.file("crash.db")
            if !committed {
                #expect(FileManager.default.fileExists(atPath: crash + "-journal"), "a hot journal after \(writes) writes")
            }
            // sqlite3 rolls the crash back …
            let bySQLite = dir.file("bysqlite.db")
            snapshot(crash, to: bySQLite)
            let oracle = try TestSupport.SQLiteOracle(bySQLite)
            #expect(try oracle.integrityCheck() == ["ok"])
            let seenBySQLite = try contents(oracle)
            // … and so does swiftdb, on its own copy.
            let c = try Connection(path: crash)
            #expect(try c.query("PRAGMA integrity_check") == [[.text("ok")]])
            let seenBySwiftDB = try contents(c)
            #expect(seenBySwiftDB == seenBySQLite)
            if committed {
                #expect(seenBySQLite != before)
                #expect(!FileManager.default.fileExists(atPath: crash + "-journal"))
            } else {
                #expect(seenBySQLite == before, "rolled back after \(writes) database writes")
            }
        }
        #expect(crashPoints >= 5)
    }

    @Test("sqlite3's hot journal is rolled back by swiftdb")
    func sqliteHotJournal() throws {
        let dir = TemporaryDirectory("journal-sqlite-hot")
        defer { dir.remove() }
        let db = dir.file("a.db")
        let oracle = try TestSupport.SQLiteOracle(db)
        try oracle.exec(setupSQL)
        let before = try contents(oracle)
        let original = try Data(contentsOf: URL(fileURLWithPath: db))
        // A tiny cache makes sqlite3 spill changed pages into the file before COMMIT.
        try oracle.exec("PRAGMA cache_size = 10; BEGIN; UPDATE t SET b = b || ' changed', c = zeroblob(length(c) + 100);")
        let crash = dir.file("crash.db")
        snapshot(db, to: crash)
        try oracle.exec("ROLLBACK")
        #expect(try Data(contentsOf: URL(fileURLWithPath: crash)) != original, "sqlite3 wrote into the file before commit")
        #expect(FileManager.default.fileExists(atPath: crash + "-journal"))
        let c = try Connection(path: crash)
        #expect(try contents(c) == before)
        #expect(try c.query("PRAGMA integrity_check") == [[.text("ok")]])
        #expect(!FileManager.default.fileExists(atPath: crash + "-journal"))
        #expect(try contents(TestSupport.SQLiteOracle(crash)) == before)
    }

    @Test("each journal mode leaves the journal file as SQLite does", arguments: [
        ("delete", false, -1), ("truncate", true, 0), ("persist", true, 1), ("memory", false, -1), ("off", false, -1),
    ])
    func journalModes(mode: String, fileRemains: Bool, size: Int) throws {
        let dir = TemporaryDirectory("journal-modes")
        defer { dir.remove() }
        let db = dir.file("a.db")
        let c = try Connection(path: db)
        #expect(try c.query("PRAGMA journal_mode") == [[.text("delete")]])
        #expect(try c.query("PRAGMA journal_mode = \(mode)") == [[.text(mode)]])
        try c.execute(setupSQL)
        try c.execute(bigTransaction)
        let journal = db + "-journal"
        #expect(FileManager.default.fileExists(atPath: journal) == fileRemains)
        if fileRemains {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: journal)))
            if size == 0 { #expect(bytes.isEmpty) } else { #expect(bytes.count > 28 && bytes[0..<28].allSatisfy { $0 == 0 }) }
        }
        // Whatever the mode, sqlite3 reads the committed result.
        let oracle = try TestSupport.SQLiteOracle(db)
        #expect(try oracle.integrityCheck() == ["ok"])
        #expect(try contents(oracle) == contents(c))
        // A rollback undoes, in every mode.
        let committed = try contents(c)
        try c.execute("BEGIN; DELETE FROM t; DELETE FROM u; ROLLBACK;")
        #expect(try contents(c) == committed)
        #expect(try c.query("PRAGMA journal_mode = delete") == [[.text("delete")]])
        #expect(!FileManager.default.fileExists(atPath: journal))
    }

    @Test("journal_size_limit trims a persistent journal as sqlite3 does", arguments: [0, 2000, -1])
    func journalSizeLimit(limit: Int) throws {
        let dir = TemporaryDirectory("journal-limit")
        defer { dir.remove() }
        let script = """
            PRAGMA journal_mode=persist; PRAGMA journal_size_limit=\(limit); CREATE TABLE t(x);
            INSERT INTO t SELECT zeroblob(5000) FROM (SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3);
            """
        _ = try sqlite3CLI(dir.file("sqlite.db"), script)
        try Connection(path: dir.file("swiftdb.db")).execute(script)
        func size(_ path: String) throws -> Int { try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int }
        #expect(try size(dir.file("swiftdb.db-journal")) == size(dir.file("sqlite.db-journal")))
    }

    @Test("a zero-byte file, or one that does not exist yet, reads as an empty database")
    func emptyFile() throws {
        let dir = TemporaryDirectory("empty-file")
        defer { dir.remove() }
        let db = dir.file("a.db")
        _ = FileManager.default.createFile(atPath: db, contents: Data())
        for path in [db, dir.file("new.db"), ":memory:"] {
            let c = try Connection(path: path)
            #expect(try c.query("SELECT * FROM sqlite_schema") == [])
            #expect(try c.query("PRAGMA integrity_check") == [[.text("ok")]])
            #expect(try c.query("PRAGMA schema_version") == [[.integer(0)]])
            try c.execute("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
            #expect(try c.query("SELECT x FROM t") == [[.integer(1)]])
        }
        #expect(try TestSupport.SQLiteOracle(db).query("SELECT x FROM t") == [[.integer(1)]])
    }

    @Test("journal_mode on an in-memory database stays memory unless turned off")
    func memoryDatabaseJournalMode() throws {
        let c = try Connection(path: ":memory:")
        #expect(try c.query("PRAGMA journal_mode") == [[.text("memory")]])
        #expect(try c.query("PRAGMA journal_mode = delete") == [[.text("memory")]])
        #expect(try c.query("PRAGMA journal_mode = off") == [[.text("off")]])
        #expect(try c.query("PRAGMA journal_mode = bogus") == [[.text("off")]])
    }

    @Test("a failed write during COMMIT returns SQLITE_IOERR and the database stays usable")
    func failedCommitWrite() throws {
        let dir = TemporaryDirectory("journal-ioerr")
        defer { dir.remove() }
        let db = dir.file("a.db")
        do { try Connection(path: db).execute(setupSQL) }
        let io = CrashingBackend(path: db, writesBeforeCrash: 3)
        var options = ConnectionOptions()
        options.io = io
        let c = try Connection(path: db, options: options)
        let before = try contents(c)
        #expect(throws: DBError.self) { try c.execute(bigTransaction) }
        #expect(c.autocommit, "the failed COMMIT ended the transaction")
        // The back-end is "dead" now; a fresh connection sees the rolled-back file and can write.
        let d = try Connection(path: db)
        #expect(try contents(d) == before)
        try d.execute("INSERT INTO u VALUES (-1)")
        #expect(try d.query("PRAGMA integrity_check") == [[.text("ok")]])
        #expect(try TestSupport.SQLiteOracle(db).integrityCheck() == ["ok"])
    }
}

extension RollbackJournalTests {
    @Test("a full disk during a write transaction (a cache spill or COMMIT) returns SQLITE_FULL and rolls it back")
    func diskFullDuringCommit() throws {
        let dir = TemporaryDirectory("journal-full")
        defer { dir.remove() }
        let db = dir.file("a.db")
        do { try Connection(path: db).execute(setupSQL) }
        let io = CrashingBackend(path: db, writesBeforeCrash: 2)
        io.failure = 28
        io.failOnlyOnce = true
        var options = ConnectionOptions()
        options.io = io
        let c = try Connection(path: db, options: options)
        let before = try contents(c)
        #expect { try c.execute(bigTransaction) } throws: { ($0 as? DBError)?.code == .full }
        #expect(c.autocommit)
        #expect(try contents(c) == before, "the failed transaction left nothing behind")
        // Space is back: the same connection writes again, and both engines find the file intact.
        try c.execute("INSERT INTO u VALUES (-1)")
        #expect(try c.query("SELECT count(*) FROM u WHERE x = -1") == [[.integer(1)]])
        #expect(try c.query("PRAGMA integrity_check") == [[.text("ok")]])
        #expect(try TestSupport.SQLiteOracle(db).integrityCheck() == ["ok"])
    }
}

@Suite("File locks")
struct FileLockTests {
    @Test("two connections of one process: one writer at a time, readers see commits")
    func inProcess() throws {
        let dir = TemporaryDirectory("locks")
        defer { dir.remove() }
        let db = dir.file("a.db")
        let a = try Connection(path: db)
        let b = try Connection(path: db)
        try a.execute("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
        #expect(try b.query("SELECT x FROM t") == [[.integer(1)]])
        try a.execute("BEGIN IMMEDIATE")
        #expect { try b.execute("BEGIN IMMEDIATE") } throws: { ($0 as? DBError)?.code == .busy }
        #expect(b.autocommit, "a BEGIN that found the database locked leaves no transaction open")
        try a.execute("INSERT INTO t VALUES (2)")
        // Before a commits, b still reads the committed state.
        #expect(try b.query("SELECT count(*) FROM t") == [[.integer(1)]])
        try a.execute("COMMIT")
        #expect(try b.query("SELECT count(*) FROM t") == [[.integer(2)]])
        // A schema change by a is seen by b's next statement.
        try a.execute("CREATE TABLE u(y); INSERT INTO u VALUES ('new');")
        #expect(try b.query("SELECT y FROM u") == [[.text("new")]])
    }

    @Test("a sqlite3 process and swiftdb never write at once; busy_timeout waits")
    func acrossProcesses() throws {
        let dir = TemporaryDirectory("locks-process")
        defer { dir.remove() }
        let db = dir.file("a.db")
        let c = try Connection(path: db)
        try c.execute("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
        // swiftdb holds RESERVED: sqlite3 cannot start a write.
        try c.execute("BEGIN IMMEDIATE; INSERT INTO t VALUES (2);")
        let blocked = try sqlite3CLI(db, "BEGIN IMMEDIATE;\n")
        #expect(blocked.stderr.contains("database is locked"), "\(blocked.stderr)")
        try c.execute("COMMIT")
        // sqlite3 holds EXCLUSIVE for a while: swiftdb gets SQLITE_BUSY at once, or waits with busy_timeout.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        holder.arguments = [db]
        let input = Pipe()
        holder.standardInput = input
        holder.standardOutput = FileHandle.nullDevice
        try holder.run()
        input.fileHandleForWriting.write(Data("BEGIN EXCLUSIVE;\nINSERT INTO t VALUES (3);\n.shell sleep 1\nCOMMIT;\n".utf8))
        try input.fileHandleForWriting.close()
        Thread.sleep(forTimeInterval: 0.4)
        #expect { _ = try c.query("SELECT count(*) FROM t") } throws: { ($0 as? DBError)?.code == .busy }
        try c.execute("PRAGMA busy_timeout = 5000")
        #expect(try c.query("SELECT count(*) FROM t") == [[.integer(3)]])
        holder.waitUntilExit()
    }
}
