// WAL mode, specified against libsqlite3 and the sqlite3 CLI: the pragmas
// print what sqlite3 prints; a log left by a crashed sqlite3 is recovered by
// swiftdb and one left by a crashed swiftdb commit by sqlite3; a reader keeps
// its snapshot while a writer of the same process commits; the log is
// checkpointed and removed at the last close; and while swiftdb has the file
// in WAL mode another process gets "database is locked", never a stale read
// (https://sqlite.org/wal.html, fileformat2.html §4.4).

import Base
@testable import Engine
import Foundation
import IO
import Storage
import Testing
import TestSupport

private func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

@Suite("WAL mode")
struct WALTests {
    @Test("journal_mode, wal_checkpoint, wal_autocheckpoint and journal_size_limit print what sqlite3 prints")
    func pragmasMatchSQLite() throws {
        let dir = TemporaryDirectory("wal-pragmas")
        defer { dir.remove() }
        let script = """
            PRAGMA wal_autocheckpoint=100; PRAGMA wal_autocheckpoint; PRAGMA journal_size_limit;
            PRAGMA wal_checkpoint; PRAGMA journal_mode=wal; PRAGMA journal_mode;
            CREATE TABLE t(x); INSERT INTO t VALUES (1); PRAGMA wal_checkpoint;
            PRAGMA wal_checkpoint(RESTART); INSERT INTO t VALUES (2); INSERT INTO t VALUES (3);
            PRAGMA wal_checkpoint(PASSIVE); PRAGMA wal_checkpoint(FULL); PRAGMA wal_checkpoint(TRUNCATE);
            INSERT INTO t VALUES (4); SELECT sum(x) FROM t; PRAGMA journal_mode=delete; PRAGMA journal_mode=persist;
            SELECT sum(x) FROM t;
            """
        let expected = try sqlite3CLI(dir.file("sqlite.db"), script)
        let c = try Connection(path: dir.file("swiftdb.db"))
        var lines: [String] = []
        let bytes = Array(script.utf8)
        var offset = 0
        while offset < bytes.count {
            let (stmt, next) = try c.prepare(bytes, at: offset)
            offset = next
            guard let stmt else { continue }
            while try stmt.step() == .row {
                lines.append((0..<stmt.columnCount).map { i -> String in
                    if case .text(let t) = stmt.column(i) { return String(decoding: t, as: UTF8.self) }
                    return stmt.column(i).description
                }.joined(separator: "|"))
            }
        }
        #expect(lines.joined(separator: "\n") + "\n" == expected.stdout)
        #expect(!exists(dir.file("swiftdb.db-wal")))
    }

    @Test("a log left by a crashed sqlite3 is recovered; the last close checkpoints and removes it")
    func recoversSQLiteLog() throws {
        let dir = TemporaryDirectory("wal-recover")
        defer { dir.remove() }
        let db = dir.file("a.db")
        // A sqlite3 process that dies without closing leaves every commit only in its log.
        let writer = try runProcess("/usr/bin/python3", ["-c", """
            import sqlite3, os
            c = sqlite3.connect('\(db)', isolation_level=None)
            c.execute('PRAGMA journal_mode=wal')
            c.execute('CREATE TABLE t(x INTEGER PRIMARY KEY, y)')
            c.execute('CREATE INDEX ty ON t(y)')
            for i in range(400): c.execute('INSERT INTO t VALUES (?, ?)', (i, 'v' * (i % 700)))
            c.execute('DELETE FROM t WHERE x % 7 = 0')
            os._exit(0)
            """])
        #expect(writer.status == 0, "\(writer.stderr)")
        #expect(exists(db + "-wal"))
        // What sqlite3 recovers from its own log, on a copy.
        let reference = dir.file("reference.db")
        try FileManager.default.copyItem(atPath: db, toPath: reference)
        try FileManager.default.copyItem(atPath: db + "-wal", toPath: reference + "-wal")
        let expected = try TestSupport.SQLiteOracle(reference).query("SELECT count(*), sum(x) FROM t")
        #expect(expected[0][0] != .integer(0))
        do {
            let c = try Connection(path: db)
            #expect(try c.query("PRAGMA journal_mode") == [[.text("wal")]])
            #expect(try c.query("SELECT count(*), sum(x) FROM t") == expected)
            #expect(try c.query("PRAGMA integrity_check") == [[.text("ok")]])
            try c.execute("INSERT INTO t VALUES (1000, 'swiftdb')")
        }
        #expect(!exists(db + "-wal"), "the last close removes the log")
        let oracle = try TestSupport.SQLiteOracle(db)
        #expect(try oracle.query("SELECT count(*) - 1, sum(x) - 1000 FROM t") == expected)
        #expect(try oracle.integrityCheck() == ["ok"])
        #expect(try oracle.query("PRAGMA journal_mode") == [[.text("wal")]])
    }

    @Test("a commit cut short while writing its frames is invisible to sqlite3 and swiftdb")
    func tornCommit() throws {
        let dir = TemporaryDirectory("wal-torn")
        defer { dir.remove() }
        let db = dir.file("a.db")
        do {
            let c = try Connection(path: db)
            try c.execute("PRAGMA journal_mode=wal; CREATE TABLE t(x, y); INSERT INTO t VALUES (1, 'committed');")
        }
        // Crash inside the next commit: copy the files as they stand when its frames are half written.
        let io = CrashingBackend(path: db + "-wal", writesBeforeCrash: 1)
        io.armed = false
        var options = ConnectionOptions()
        options.io = io
        let c = try Connection(path: db, options: options)
        try c.execute("INSERT INTO t VALUES (0, 'committed too')")
        io.armed = true
        #expect(throws: DBError.self) {
            // About 2 MB of frames: the first 1 MB block reaches the log, the second does not.
            try c.execute("""
                BEGIN;
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 600)
                  INSERT INTO t SELECT i + 10, zeroblob(3000) FROM n;
                COMMIT;
                """)
        }
        for name in ["a.db", "a.db-wal"] {
            try? FileManager.default.removeItem(atPath: dir.file("crash-" + name))
            try FileManager.default.copyItem(atPath: dir.file(name), toPath: dir.file("crash-" + name))
        }
        let crash = dir.file("crash-a.db")
        let copy = dir.file("copy-a.db")
        try FileManager.default.copyItem(atPath: crash, toPath: copy)
        try FileManager.default.copyItem(atPath: crash + "-wal", toPath: copy + "-wal")
        let oracle = try TestSupport.SQLiteOracle(crash)
        #expect(try oracle.query("SELECT count(*) FROM t") == [[.integer(2)]])
        #expect(try oracle.integrityCheck() == ["ok"])
        let d = try Connection(path: copy)
        #expect(try d.query("SELECT count(*) FROM t") == [[.integer(2)]])
        #expect(try d.query("PRAGMA integrity_check") == [[.text("ok")]])
    }

    @Test("a reader keeps its snapshot while a writer of the same process commits and checkpoints")
    func snapshotIsolation() throws {
        let dir = TemporaryDirectory("wal-snapshot")
        defer { dir.remove() }
        // The same steps on two libsqlite3 connections and on two swiftdb connections.
        let steps: [(writer: Bool, sql: String)] = [
            (true, "PRAGMA journal_mode=wal"), (true, "CREATE TABLE t(x)"), (true, "INSERT INTO t VALUES (1)"),
            (false, "BEGIN"), (false, "SELECT sum(x) FROM t"),
            (true, "BEGIN IMMEDIATE"), (false, "INSERT INTO t VALUES (100)"),
            (true, "INSERT INTO t VALUES (2)"), (true, "COMMIT"), (true, "INSERT INTO t SELECT x + 10 FROM t"),
            (true, "PRAGMA wal_checkpoint"), (false, "SELECT sum(x) FROM t"), (false, "INSERT INTO t VALUES (100)"),
            (false, "COMMIT"), (false, "SELECT sum(x) FROM t"), (true, "PRAGMA wal_checkpoint(TRUNCATE)"),
            (false, "SELECT sum(x) FROM t"),
        ]
        let ow = try TestSupport.SQLiteOracle(dir.file("sqlite.db"))
        let or = try TestSupport.SQLiteOracle(dir.file("sqlite.db"))
        let sw = try Connection(path: dir.file("swiftdb.db"))
        let sr = try Connection(path: dir.file("swiftdb.db"))
        for (i, step) in steps.enumerated() {
            let expected: String
            do { expected = "\(try (step.writer ? ow : or).query(step.sql))" } catch { expected = "error \((error as? OracleError)?.code ?? -1)" }
            let got: String
            do { got = "\(try (step.writer ? sw : sr).query(step.sql))" } catch { got = "error \(error.code.rawValue)" }
            #expect(got == expected, "step \(i): \(step.sql)")
        }
    }

    @Test("while swiftdb has the file in WAL mode, another process gets SQLITE_BUSY")
    func exclusiveAcrossProcesses() throws {
        let dir = TemporaryDirectory("wal-exclusive")
        defer { dir.remove() }
        let db = dir.file("a.db")
        let c = try Connection(path: db)
        try c.execute("PRAGMA journal_mode=wal; CREATE TABLE t(x); INSERT INTO t VALUES (1);")
        let other = try sqlite3CLI(db, "SELECT count(*) FROM t;\n")
        #expect(other.stderr.contains("database is locked"), "\(other.stdout) \(other.stderr)")
        try c.execute("PRAGMA journal_mode=delete")
        let after = try sqlite3CLI(db, "SELECT count(*) FROM t;\n")
        #expect(after.stdout == "1\n", "\(after.stderr)")
    }
}
