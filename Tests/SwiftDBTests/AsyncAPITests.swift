// The async public API: the same answers as the synchronous API and as
// libsqlite3 on a file much larger than the page cache (so steps suspend for
// page reads and are re-entered), rows as an AsyncSequence, transactions,
// and task cancellation ending a statement with SQLITE_INTERRUPT.

import Base
import Testing
import TestSupport
@testable import SwiftDB

/// A file database of about 3 MB: rows with overflowing blobs, an index, a second table for joins.
func makeLargeDatabase(at path: String, journalMode: JournalMode) throws -> Database {
    var options = DatabaseOptions()
    options.journalMode = journalMode
    options.cacheSize = 20
    let db = try Database(path: path, options: options)
    try db.write { c in
        try c.execute("""
            CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT, price REAL, grp INTEGER, payload BLOB);
            CREATE INDEX item_name ON item(name);
            CREATE TABLE grp(id INTEGER PRIMARY KEY, label TEXT);
            """)
        let insert = try c.prepare("INSERT INTO item VALUES (?, ?, ?, ?, ?)")
        for i in 1...3000 {
            let name = "name-\((i * 7919) % 3001)-" + String(repeating: "x", count: i % 200)
            let payload = i % 10 == 0 ? [UInt8](repeating: UInt8(i % 251), count: 6000) : [UInt8(i % 256)]
            try insert.execute(i, name, Double(i) / 8, i % 17, payload)
        }
        for g in 0..<17 { try c.execute("INSERT INTO grp VALUES (?, ?)", g, "group \(g)") }
    }
    return db
}

let largeDatabaseQueries = [
    "SELECT id, name, price FROM item",
    "SELECT id, length(payload), hex(substr(payload, 5990, 4)) FROM item WHERE id % 10 = 0",
    "SELECT name FROM item WHERE name BETWEEN 'name-1' AND 'name-2' ORDER BY name",
    "SELECT grp, count(*), sum(price), max(length(name)) FROM item GROUP BY grp",
    "SELECT g.label, count(*) FROM item i JOIN grp g ON g.id = i.grp WHERE i.price > 100 GROUP BY g.label ORDER BY 1",
    "SELECT id FROM item WHERE id IN (SELECT id * 3 FROM item WHERE grp = 5) ORDER BY price DESC LIMIT 20 OFFSET 3",
    "SELECT DISTINCT grp FROM item ORDER BY grp DESC",
    "WITH big AS (SELECT id, price FROM item WHERE price > 300) SELECT count(*), avg(price) FROM big",
    "SELECT id FROM item WHERE name LIKE 'name-29%' UNION SELECT id FROM item WHERE id < 5",
    "SELECT (SELECT label FROM grp WHERE id = item.grp), id FROM item WHERE id > 2950",
    "SELECT count(*) FROM item a, grp b WHERE a.grp = b.id AND b.label LIKE '%1%'",
]

@Suite struct AsyncAPITests {
    @Test(arguments: [JournalMode.delete, JournalMode.wal])
    func asyncAnswersEqualSyncAndSQLite(mode: JournalMode) async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("large.db")
        let db = try makeLargeDatabase(at: path, journalMode: mode)
        let oracle = try SQLiteOracle(path)
        var suspensions = 0
        for sql in largeDatabaseQueries {
            let expected = try oracle.query(sql).map { $0.map { DatabaseValue(engineValueForTest: $0) } }
            let sync = try blockingQuery(db, sql).map(\.values)
            #expect(sync == expected, "\(sql)")
            let async = try await db.read { c in
                let rows = try await c.query(sql).map(\.values)
                suspensions += c.ioSuspensions
                return rows
            }
            #expect(async == expected, "\(sql)")
            var streamed: [[DatabaseValue]] = []
            try await db.read { c in
                for try await row in c.rows(sql) { streamed.append(row.values) }
            }
            #expect(streamed == expected, "\(sql)")
        }
        // The page cache holds 20 pages of a ~3 MB file: the async steps must have suspended for reads.
        #expect(suspensions > 100)
    }

    @Test func asyncWritesTransactionsAndScalars() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let db = try Database(path: dir.file("w.db"))
        try await db.execute("CREATE TABLE t(x INTEGER PRIMARY KEY, y TEXT)")
        try await db.write { c in
            for i in 1...100 { try await c.execute("INSERT INTO t VALUES (?, ?)", i, "v\(i)") }
        }
        struct Failure: Error {}
        await #expect(throws: Failure.self) {
            try await db.write { c in
                try await c.execute("DELETE FROM t")
                throw Failure()
            }
        }
        let count = try await db.read { c in try await c.scalar("SELECT count(*) FROM t", as: Int.self) }
        #expect(count == 100)
        let rows = try await db.query("SELECT y FROM t WHERE x > ? ORDER BY x", 98)
        #expect(rows.map(\.values) == [[.text("v99")], [.text("v100")]])
        await #expect(throws: DatabaseError.self) { try await db.execute("INSERT INTO t VALUES (1, 'dup')") }
        let statement = try await db.read { c in try await c.prepare("SELECT x FROM t WHERE x <= ?").sql }
        #expect(statement == "SELECT x FROM t WHERE x <= ?")
    }

    @Test func cancellingATaskInterruptsItsStatement() async throws {
        let db = try Database.inMemory()
        let started = AsyncStream<Void>.makeStream()
        let task = Task {
            try await db.read { c in
                // About 10^10 rows, streamed.
                let s = try await c.prepare("""
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 100000)
                    SELECT x.i, y.i FROM n x, n y
                    """)
                var seen = 0
                while try await s.step() {
                    seen += 1
                    if seen == 1000 { started.continuation.yield() }
                }
                return seen
            }
        }
        for await _ in started.stream { break }
        task.cancel()
        do {
            let n = try await task.value
            Issue.record("the endless query returned \(n) rows")
        } catch let error as DatabaseError {
            #expect(error.resultCode == .interrupt)
            #expect(error.message == "interrupted")
        }
        // The connection is usable again.
        #expect(try await db.query("SELECT 1").map(\.values) == [[.integer(1)]])
    }

    @Test func interruptFromAnotherThreadStopsASynchronousStatement() async throws {
        let db = try Database.inMemory()
        let connection = UncheckedBox(try db.read { $0 })
        let stopper = Task.detached {
            try await Task.sleep(for: .milliseconds(50))
            connection.value.interrupt()
        }
        do {
            try blockingExecute(connection.value,
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n")
            Issue.record("the endless query ended")
        } catch {
            #expect(error.resultCode == .interrupt)
        }
        try await stopper.value
        #expect(try await connection.value.scalar("SELECT 2", as: Int.self) == 2)
    }
}

extension DatabaseValue {
    init(engineValueForTest value: Value) { self.init(value) }
}

/// The synchronous calls, from async tests (in an async context Swift picks the async overloads).
func blockingQuery(_ db: Database, _ sql: String) throws -> [Row] { try db.query(sql) }
func blockingExecute(_ c: Connection, _ sql: String) throws(DatabaseError) { try c.execute(sql) }
