// The async public API: the same answers as the synchronous API and as
// libsqlite3 on a file much larger than the page cache (so steps suspend for
// page reads and are re-entered), rows as an AsyncSequence, transactions,
// and task cancellation ending a statement with SQLITE_INTERRUPT.

import Base
import Testing
#if canImport(Glibc)
import Glibc
#endif
import TestSupport
@testable import SwiftDB

/// A file database of about 3 MB: rows with overflowing blobs, an index, a second table for joins.
func makeLargeDatabase(at path: String, journalMode: JournalMode,
                       ioBackend: IOBackendChoice = .automatic) throws -> Database {
    var options = DatabaseOptions()
    options.journalMode = journalMode
    options.ioBackend = ioBackend
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
        // Values whose overflow chains are longer than the whole page cache.
        try c.execute("CREATE TABLE big(id INTEGER PRIMARY KEY, data BLOB)")
        for b in 1...3 {
            try c.execute("INSERT INTO big VALUES (?, ?)", b, [UInt8]((0..<(b * 150_000)).map { UInt8(truncatingIfNeeded: $0 * b) }))
        }
    }
    return db
}

/// Drops the pages of `path` and its WAL from the OS page cache (fsync, then POSIX_FADV_DONTNEED), so the next
/// reads go to the device: io_uring serves reads the page cache holds at once, without suspending.
/// POSIX_FADV_DONTNEED skips pages still in another CPU's LRU batch (read moments ago by an I/O thread or
/// by libsqlite3), so it is repeated, briefly apart, until mincore shows the file gone from the cache.
func evictFromOSCache(_ path: String) {
    for file in [path, path + "-wal"] {
        let fd = open(file, O_RDONLY)
        guard fd >= 0 else { continue }
        defer { close(fd) }
        fsync(fd)
        for attempt in 0..<20 {
            _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_DONTNEED))
            if residentPages(fd) == 0 { break }
            usleep(UInt32(5_000 * (attempt + 1)))
        }
    }
}

/// Pages of the file open as `fd` that the OS page cache holds (mincore over a mapping that is never
/// touched, so mapping it reads nothing in); 0 when it cannot tell.
private func residentPages(_ fd: Int32) -> Int {
    var st = stat()
    guard fstat(fd, &st) == 0, st.st_size > 0 else { return 0 }
    let length = Int(st.st_size)
    guard let map = mmap(nil, length, PROT_READ, MAP_SHARED, fd, 0), map != MAP_FAILED else { return 0 }
    defer { munmap(map, length) }
    let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
    var vector = [UInt8](repeating: 0, count: (length + pageSize - 1) / pageSize)
    guard mincore(map, length, &vector) == 0 else { return 0 }
    return vector.reduce(0) { $0 + Int($1 & 1) }
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
    "SELECT count(*) FROM item",
    "SELECT id, length(data), hex(substr(data, -3)), hex(substr(data, 70000, 2)) FROM big",
]

@Suite struct AsyncAPITests {
    /// Both real back-ends: io_uring's steps await the completion reactor (first steps included),
    /// the syscall back-end's wait on an I/O thread.
    @Test(arguments: [JournalMode.delete, JournalMode.wal], [IOBackendChoice.syscall, .ioUring])
    func asyncAnswersEqualSyncAndSQLite(mode: JournalMode, backend: IOBackendChoice) async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("large.db")
        let db = try makeLargeDatabase(at: path, journalMode: mode, ioBackend: backend)
        let oracle = try SQLiteOracle(path)
        var suspensions = 0
        for sql in largeDatabaseQueries {
            let expected = try oracle.query(sql).map { $0.map { DatabaseValue(engineValueForTest: $0) } }
            let sync = try blockingQuery(db, sql).map(\.values)
            #expect(sync == expected, "\(sql)")
            evictFromOSCache(path)
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
        // How many times depends on the kernel's read-ahead, which serves some reads from the OS cache.
        #expect(suspensions > 10)

        // Point lookups do all their reads in their first step: on io_uring that step suspends too.
        evictFromOSCache(path)
        let lookups = try await db.read { c in
            let before = c.ioSuspensions
            var found: [[DatabaseValue]] = []
            for id in stride(from: 7, through: 3000, by: 97) {
                found += try await c.query("SELECT id, hex(substr(payload, 1, 2)), name FROM item WHERE id = ?", id).map(\.values)
            }
            return (found, c.ioSuspensions - before, c.ioBackend.name)
        }
        let expectedLookups = try stride(from: 7, through: 3000, by: 97).flatMap { id in
            try oracle.query("SELECT id, hex(substr(payload, 1, 2)), name FROM item WHERE id = \(id)")
                .map { $0.map { DatabaseValue(engineValueForTest: $0) } }
        }
        #expect(lookups.0 == expectedLookups)
        // The first lookup's leaf is on the device; the kernel's read-ahead (its window grown by the scans
        // above) may bring the leaves of later lookups in with it, so only one suspension is certain.
        if lookups.2 == "io_uring" { #expect(lookups.1 > 0) }
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

    /// A table scan on io_uring reads its next leaves ahead (a batch of reads in flight) once the
    /// cache is large enough; the answers stay libsqlite3's, through the sync and the async API.
    @Test func tableScansReadAheadOnIOUring() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("scan.db")
        var options = DatabaseOptions()
        options.ioBackend = .ioUring
        options.cacheSize = 300
        let db = try Database(path: path, options: options)
        try await db.write { c in
            try await c.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
            let insert = try await c.prepare("INSERT INTO t(v) VALUES (?)")
            for i in 0..<40_000 { try await insert.execute("value \(i) " + String(repeating: "z", count: i % 97)) }
        }
        let oracle = try SQLiteOracle(path)
        let sql = "SELECT count(*), sum(length(v)), max(v), sum(id * length(v)) FROM t"
        let expected = try oracle.query(sql).map { $0.map { DatabaseValue(engineValueForTest: $0) } }
        let fresh = try Database(path: path, options: options)  // cold page cache
        let (sync, syncReadAhead) = try fresh.read { c in (try c.query(sql).map(\.values), c.engine.pager.readAheadCount) }
        let (async, asyncReadAhead) = try await Database(path: path, options: options).read { c in
            (try await c.query(sql).map(\.values), c.engine.pager.readAheadCount)
        }
        #expect(sync == expected)
        #expect(async == expected)
        if fresh.ioBackend.name == "io_uring" {
            #expect(syncReadAhead > 100)
            #expect(asyncReadAhead > 100)
        }
    }

    /// An async read's first step opens its transaction without blocking its thread: when a
    /// writer holds the lock it moves to an I/O thread and waits there (busy_timeout) for the commit.
    @Test(arguments: [IOBackendChoice.syscall, .ioUring])
    func anAsyncReadWaitsOutAWritersLock(backend: IOBackendChoice) async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var options = DatabaseOptions()
        options.ioBackend = backend
        options.busyTimeoutMilliseconds = 60_000  // the whole suite on 2 cores can delay the commit for seconds
        let db = try Database(path: dir.file("locked.db"), options: options)
        try await db.execute("CREATE TABLE t(x); INSERT INTO t VALUES (1)")
        let writer = UncheckedBox(try db.connect())
        try await writer.value.execute("BEGIN EXCLUSIVE")
        try await writer.value.execute("UPDATE t SET x = 2")
        let commit = Task.detached {
            try await Task.sleep(for: .milliseconds(300))
            try await writer.value.execute("COMMIT")
        }
        let value = try await db.read { c in try await c.scalar("SELECT x FROM t", as: Int.self) }
        try await commit.value
        #expect(value == 2)
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
