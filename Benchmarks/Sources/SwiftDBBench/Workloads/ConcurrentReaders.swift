// N concurrent readers with 1 writer, WAL mode, synchronous NORMAL, on a copy
// of the 1,000,000-row main fixture. Each reader thread has its own connection
// and does `readsPerReader` point SELECTs by rowid; the writer thread has its
// own connection and commits single-row INSERTs until every reader is done.
// One operation = one read; the time is the run's wall time divided by all
// reads (so it measures aggregate read throughput under a writer).

import Foundation

enum ConcurrentReaders {
    static func session<E: BenchEngine>(_: E.Type, _ ctx: WorkloadContext, readers: Int,
                                        readsPerReader: Int) throws -> Session {
        let path = try ctx.fixtures.copy("main", to: ctx.path("concurrent_readers", E.name))
        let options = OpenOptions(journalMode: "wal", synchronous: "normal")
        let first = try E(path: path, options: options)     // switches the file to WAL
        let readerConnections = try (0..<readers).map { _ in try first.connectAgain() }
        let writer = try first.connectAgain()
        let s = Session { run in
            let group = DispatchGroup()
            let done = Atomic(false)
            let failure = Locked<Error?>(nil)
            let writes = Atomic(0)
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                do {
                    let insert = try writer.prepare("INSERT INTO t1(k, grp, name, val) VALUES (?1, 0, 'new', 0)")
                    var n = 0
                    while !done.value {
                        try insert.bind(1, Int64(-(run * 1_000_000 + n) - 1))
                        _ = try insert.step()
                        insert.reset()
                        n += 1
                    }
                    writes.value = n
                } catch { failure.value = error }
            }
            let readersDone = DispatchGroup()
            for (r, connection) in readerConnections.enumerated() {
                readersDone.enter()
                Thread.detachNewThread {
                    defer { readersDone.leave() }
                    do {
                        let select = try connection.prepare("SELECT name, val FROM t1 WHERE id = ?1")
                        var keys = KeyGenerator(seed: run * 100 + r)
                        var sum = 0
                        for _ in 0..<readsPerReader {
                            try select.bind(1, Int64(keys.next(Fixtures.mainRows) + 1))
                            if try select.step() { sum &+= select.text(0).utf8.count }
                            select.reset()
                        }
                        blackHole(sum)
                    } catch { failure.value = error }
                }
            }
            readersDone.wait()
            done.value = true
            group.wait()
            if let error = failure.value { throw error }
        }
        s.close = {
            first.close(); writer.close()
            for c in readerConnections { c.close() }
            removeDatabase(path)
        }
        return s
    }
}

/// A value shared between threads, behind a lock.
final class Locked<T>: @unchecked Sendable {
    private var stored: T
    private let lock = NSLock()
    init(_ value: T) { stored = value }
    var value: T {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
    }
}
typealias Atomic<T> = Locked<T>
