// PRAGMA io_backend: which IO back-end a connection uses and why; and the same workload giving the same
// answers on every back-end (syscall, io_uring, simulated with two seeds, memory).
import Testing
import TestSupport
import Foundation
import Base
import IO
import Engine

@Suite struct IOBackendPragmaTests {
    @Test func pragmaNamesTheDefaultBackend() throws {
        let c = try Connection(path: scratchPath("t.db"))
        let rows = try c.query("PRAGMA io_backend")
        #expect(rows.count == 1)
        guard rows.count == 1, case .text(let nameBytes) = rows[0][0], case .text(let reason) = rows[0][1] else { return }
        let name = String(decoding: nameBytes, as: UTF8.self)
        #if os(Linux)
        #expect(name == "io_uring" || name == "syscall")
        #else
        #expect(name == "syscall")
        #endif
        #expect(!reason.isEmpty)
    }

    @Test func pragmaNamesACallersBackend() throws {
        var o = ConnectionOptions()
        o.io = SyscallBackend()
        let c = try Connection(path: scratchPath("t.db"), options: o)
        #expect(try c.query("PRAGMA io_backend") == [[.text("syscall"), .text("chosen by the caller")]])
        let m = try Connection(path: ":memory:")
        #expect(try m.query("PRAGMA io_backend")[0][0] == .text("memory"))
    }

    /// The same workload through each back-end leaves the same answers (journal and WAL mode).
    @Test(arguments: ["delete", "wal"])
    func sameResultsOnEveryBackend(journalMode: String) throws {
        var backends: [() -> IOBackend] = [{ SyscallBackend() }, { MemoryBackend(fileSystem: MemoryFileSystem()) },
                                           { SimulatedBackend(fileSystem: SimulatedFileSystem(seed: 7)) },
                                           { SimulatedBackend(fileSystem: SimulatedFileSystem(seed: 8)) }]
        #if os(Linux)
        backends.append { try! IOUringBackend() }
        backends.append { try! IOUringBackend(entries: 4, allowNativeTruncate: false) }
        #endif
        var answers: [[[Value]]] = []
        for make in backends {
            var o = ConnectionOptions()
            o.io = make()
            let path = scratchPath("t.db")
            do {
                let c = try Connection(path: path, options: o)
                try c.execute("""
                    PRAGMA journal_mode=\(journalMode);
                    CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c BLOB);
                    CREATE INDEX tb ON t(b);
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1200)
                      INSERT INTO t SELECT i, printf('row %05d', i * 7 % 1201), zeroblob(i % 700) FROM n;
                    BEGIN; DELETE FROM t WHERE a % 3 = 0; UPDATE t SET b = b || '!' WHERE a % 5 = 0; COMMIT;
                    BEGIN; INSERT INTO t(b) VALUES ('rolled back'); ROLLBACK;
                    """)
                answers.append(try c.query("""
                    SELECT count(*), sum(a), group_concat(b, ''), sum(length(c)) FROM (SELECT * FROM t ORDER BY b)
                    """) + c.query("PRAGMA integrity_check"))
            }
            // Reopened on the same back-end kind: the committed state survives.
            var o2 = ConnectionOptions()
            o2.io = o.io
            let again = try Connection(path: path, options: o2)
            #expect(try again.query("SELECT count(*) FROM t") == [[.integer(800)]])
        }
        for a in answers.dropFirst() { #expect(a == answers[0]) }
        #expect(answers.first?.last == [.text("ok")])
    }
}
