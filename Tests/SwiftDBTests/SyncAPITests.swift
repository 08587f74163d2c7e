// The synchronous public API: opening, executing with arguments, reading rows
// as Swift types, transactions, errors with SQLite's codes and sqlite3's
// messages (taken from libsqlite3 for the same statements).

import Testing
import TestSupport
@testable import SwiftDB

@Suite struct SyncAPITests {
    @Test func executeQueryAndTypedColumns() throws {
        let db = try Database.inMemory()
        try db.execute("CREATE TABLE t(i INTEGER, r REAL, s TEXT, b BLOB, n)")
        try db.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?)", 42, 2.5, "héllo", [UInt8]([0, 1, 255]), nil)
        try db.execute("INSERT INTO t VALUES (?1, ?1, ?1, ?1, ?1)", Int64.min)
        let rows = try db.query("SELECT i, r, s, b, n FROM t ORDER BY rowid")
        #expect(rows.count == 2)
        #expect(rows[0].columnNames == ["i", "r", "s", "b", "n"])
        #expect(try rows[0].get(0, as: Int.self) == 42)
        #expect(try rows[0].get("R", as: Double.self) == 2.5)
        #expect(try rows[0].get("s", as: String.self) == "héllo")
        #expect(try rows[0].get("b", as: [UInt8].self) == [0, 1, 255])
        #expect(try rows[0].get("n", as: Int?.self) == nil)
        #expect(rows[0]["n"] == .null)
        #expect(rows[0]["nope"] == nil)
        // The same argument bound to ?1 five times, with each column's affinity applied.
        #expect(rows[1].values == [.integer(Int64.min), .real(Double(Int64.min)), .text("-9223372036854775808"),
                                   .integer(Int64.min), .integer(Int64.min)])
    }

    @Test func conversionsFailWithMismatchNotATrap() throws {
        let db = try Database.inMemory()
        let row = try db.query("SELECT NULL AS a, 'x' AS b, 1.5 AS c")[0]
        #expect(throws: DatabaseError.self) { try row.get("a", as: Int.self) }
        #expect(throws: DatabaseError.self) { try row.get("b", as: Int.self) }
        #expect(throws: DatabaseError.self) { try row.get("c", as: Int.self) }
        #expect(throws: DatabaseError.self) { try row.get(7, as: Int.self) }
        do {
            _ = try row.get("b", as: Double.self)
            Issue.record("expected a mismatch")
        } catch {
            #expect(error.resultCode == .mismatch)
        }
        #expect(try row.get("c", as: Double.self) == 1.5)
    }

    @Test func namedParametersAndStatementReuse() throws {
        let db = try Database.inMemory()
        try db.read { c in
            try c.execute("CREATE TABLE kv(k TEXT PRIMARY KEY, v INTEGER)")
            let insert = try c.prepare("INSERT INTO kv VALUES (:k, :v)")
            #expect(insert.parameterCount == 2)
            for (k, v) in [("a", 1), ("b", 2), ("c", 3)] {
                try insert.bind(named: [":k": k, ":v": v])
                try insert.execute()
            }
            #expect(c.changes == 1)
            #expect(c.totalChanges == 3)
            #expect(c.lastInsertRowID == 3)
            let select = try c.prepare("SELECT v FROM kv WHERE k = ?")
            #expect(try select.fetchAll("b").map { try $0.get(0, as: Int.self) } == [2])
            #expect(try select.fetchAll("c").map { try $0.get(0, as: Int.self) } == [3])
            #expect(try c.scalar("SELECT sum(v) FROM kv", as: Int.self) == 6)
            #expect(try c.scalar("SELECT v FROM kv WHERE k = 'zz'", as: Int.self) == nil)
            #expect(throws: DatabaseError.self) { try insert.bind(1, named: ":nope") }
            #expect(throws: DatabaseError.self) { try select.bind(1, 2) }
        }
    }

    /// Typed binds (String, Int, Int64, Double) store what the boxed `StatementArgument` bind stores;
    /// a text parameter rebound row after row (its buffer reused) never keeps bytes of an earlier value.
    @Test func typedBindsMatchBoxedBindsAcrossReuse() throws {
        let db = try Database.inMemory()
        try db.read { c in
            try c.execute("CREATE TABLE t(a, b, c, d)")
            let insert = try c.prepare("INSERT INTO t VALUES (?, ?, ?, ?)")
            let texts = ["a longer text value, well past fifteen bytes", "short", "", "héllo wörld", "x"]
            for (n, text) in texts.enumerated() {
                try insert.bind(text, at: 1)
                try insert.bind(n, at: 2)
                try insert.bind(Int64(n) - 9_000_000_000, at: 3)
                try insert.bind(Double(n) + 0.25, at: 4)
                try insert.execute()
                #expect(throws: DatabaseError.self) { try insert.bind("too far", at: 5) }
            }
            // The boxed path, for the same values, gives the same rows.
            let boxed = try c.prepare("SELECT count(*) FROM t WHERE a IS ? AND b IS ? AND c IS ? AND d IS ?")
            for (n, text) in texts.enumerated() {
                let arguments: [StatementArgument] = [text, n, Int64(n) - 9_000_000_000, Double(n) + 0.25]
                try boxed.bind(arguments)
                #expect(try boxed.fetchAll().map { try $0.get(0, as: Int.self) } == [1])
                boxed.reset()
            }
            let rows = try c.query("SELECT a, typeof(a), b, c, d FROM t ORDER BY rowid")
            #expect(try rows.map { try $0.get(0, as: String.self) } == texts)
            #expect(try rows.map { try $0.get(1, as: String.self) } == Array(repeating: "text", count: texts.count))
            #expect(try rows.map { try $0.get(4, as: Double.self) } == [0.25, 1.25, 2.25, 3.25, 4.25])
        }
    }

    @Test func errorsCarrySQLiteCodesAndMessages() throws {
        let db = try Database.inMemory()
        let oracle = try SQLiteOracle()
        let setup = "CREATE TABLE u(id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL); INSERT INTO u VALUES (1, 'a');"
        try db.execute(setup)
        try oracle.exec(setup)
        let failing = [
            ("INSERT INTO u VALUES (2, 'a')", ResultCode.constraintUnique),
            ("INSERT INTO u VALUES (1, 'b')", ResultCode.constraintPrimaryKey),
            ("INSERT INTO u(id) VALUES (3)", ResultCode.constraintNotNull),
            ("SELECT * FROM nowhere", ResultCode.error),
            ("SELEC 1", ResultCode.error),
        ]
        for (sql, code) in failing {
            var expected = ""
            do { try oracle.exec(sql) } catch let e as OracleError { expected = e.message }
            do {
                try db.execute(sql)
                Issue.record("\(sql) should fail")
            } catch {
                #expect(error.extendedResultCode == code, "\(sql)")
                #expect(error.resultCode == code.primary)
                #expect(error.message == expected, "\(sql)")
                #expect(error.sql == sql)
            }
        }
    }

    @Test func transactionCommitsOrRollsBack() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let db = try Database(path: dir.file("t.db"))
        try db.execute("CREATE TABLE t(x)")
        try db.write { c in try c.execute("INSERT INTO t VALUES (1)") }
        struct Failure: Error {}
        #expect(throws: Failure.self) {
            try db.write { c in
                try c.execute("INSERT INTO t VALUES (2)")
                throw Failure()
            }
        }
        #expect(try db.query("SELECT x FROM t").map { $0.values } == [[.integer(1)]])
        // A closure that leaves a transaction open gets it rolled back when the connection returns.
        try db.read { c in try c.execute("BEGIN; INSERT INTO t VALUES (3)") }
        #expect(try db.read { c in c.isAutocommit })
        #expect(try db.query("SELECT count(*) FROM t")[0].get(0, as: Int.self) == 1)
        // The file is a database sqlite3 reads.
        let oracle = try SQLiteOracle(dir.file("t.db"))
        #expect(try oracle.query("SELECT x FROM t") == [[.integer(1)]])
    }

    @Test func openingFailuresAreDatabaseErrors() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        #expect(throws: DatabaseError.self) { try Database(path: dir.file("missing/dir/x.db")) }
        var ro = DatabaseOptions()
        ro.readOnly = true
        #expect(throws: DatabaseError.self) { try Database(path: dir.file("absent.db"), options: ro) }
        #expect(throws: DatabaseError.self) { try Database.inMemory().connect() }
    }

    @Test func optionsApplyToEveryConnection() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var options = DatabaseOptions()
        options.journalMode = .wal
        options.synchronous = .normal
        options.cacheSize = 100
        options.ioBackend = .syscall
        let db = try Database(path: dir.file("w.db"), options: options)
        let own = try db.connect()
        for c in [own] {
            #expect(try c.scalar("PRAGMA journal_mode", as: String.self) == "wal")
            #expect(try c.scalar("PRAGMA synchronous", as: Int.self) == 1)
            #expect(try c.scalar("PRAGMA cache_size", as: Int.self) == 100)
            #expect(c.ioBackend.name == "syscall")
        }
        #expect(db.ioBackend.name == "syscall")
    }
}
