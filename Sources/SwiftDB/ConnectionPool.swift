// ConnectionPool: the connections a Database keeps, lent to one caller at a
// time. Up to `limit` connections are opened on demand (an in-memory database
// has exactly one: each new connection to ":memory:" would be a new, empty
// database). When all are lent, a synchronous caller waits on a condition
// variable and an async caller suspends until one comes back (first come,
// first served), so waiting for a connection never blocks a cooperative
// thread.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class ConnectionPool: @unchecked Sendable {
    private enum Waiter {
        case thread(UnsafeMutablePointer<pthread_cond_t>, slot: UnsafeMutablePointer<Connection?>)
        case task(UnsafeContinuation<UncheckedBox<Connection>, Never>)
    }

    // Guarded by `mutex`.
    private var idle: [Connection] = []
    private var opened = 0
    private var waiters: [Waiter] = []
    private let limit: Int
    private let open: () throws(DatabaseError) -> Connection
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    init(limit: Int, open: @escaping () throws(DatabaseError) -> Connection) {
        self.limit = max(1, limit)
        self.open = open
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Puts the first connection (opened by the Database to check the file) into the pool.
    func adopt(_ connection: Connection) {
        pthread_mutex_lock(mutex)
        opened += 1
        idle.append(connection)
        pthread_mutex_unlock(mutex)
    }

    /// Decides, under the lock, whether the caller gets an idle connection, opens one, or waits.
    private enum Grant { case idle(Connection), openNew, wait }

    private func grant() -> Grant {
        if let c = idle.popLast() { return .idle(c) }
        if opened < limit {
            opened += 1
            return .openNew
        }
        return .wait
    }

    private func openCounted() throws(DatabaseError) -> Connection {
        do {
            return try open()
        } catch {
            pthread_mutex_lock(mutex)
            opened -= 1
            pthread_mutex_unlock(mutex)
            throw error
        }
    }

    /// A connection for a synchronous caller (waits on this thread when all are lent).
    func acquire() throws(DatabaseError) -> Connection {
        pthread_mutex_lock(mutex)
        switch grant() {
        case .idle(let c):
            pthread_mutex_unlock(mutex)
            return c
        case .openNew:
            pthread_mutex_unlock(mutex)
            return try openCounted()
        case .wait:
            let cond = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
            let slot = UnsafeMutablePointer<Connection?>.allocate(capacity: 1)
            pthread_cond_init(cond, nil)
            slot.initialize(to: nil)
            waiters.append(.thread(cond, slot: slot))
            while slot.pointee == nil { pthread_cond_wait(cond, mutex) }
            let c = slot.pointee!
            pthread_mutex_unlock(mutex)
            slot.deinitialize(count: 1)
            slot.deallocate()
            pthread_cond_destroy(cond)
            cond.deallocate()
            return c
        }
    }

    /// A connection for an async caller (suspends the task when all are lent).
    func acquire() async throws(DatabaseError) -> Connection {
        pthread_mutex_lock(mutex)
        switch grant() {
        case .idle(let c):
            pthread_mutex_unlock(mutex)
            return c
        case .openNew:
            pthread_mutex_unlock(mutex)
            return try openCounted()
        case .wait:
            let box = await withUnsafeContinuation { (continuation: UnsafeContinuation<UncheckedBox<Connection>, Never>) in
                waiters.append(.task(continuation))
                pthread_mutex_unlock(mutex)
            }
            return box.value
        }
    }

    /// Gives a connection back: to the longest waiter if any, else to the idle list.
    func release(_ connection: Connection) {
        pthread_mutex_lock(mutex)
        guard !waiters.isEmpty else {
            idle.append(connection)
            pthread_mutex_unlock(mutex)
            return
        }
        switch waiters.removeFirst() {
        case .thread(let cond, let slot):
            slot.pointee = connection
            pthread_cond_signal(cond)
            pthread_mutex_unlock(mutex)
        case .task(let continuation):
            pthread_mutex_unlock(mutex)
            continuation.resume(returning: UncheckedBox(connection))
        }
    }
}
