// IOThreadPool: a few dedicated threads where the async API's blocking work
// runs, so no thread of Swift's cooperative pool ever waits on disk.
//
// DESIGN.md, "I/O execution model": the syscall back-end has no completions of
// its own, and the engine's write paths, commits, lock waits (busy_timeout) and
// schema loads wait for their I/O; the async API runs exactly that work here
// (as swift-nio's NonBlockingFileIO does) and suspends the task meanwhile.
// Threads start on first use, up to `threadCount`, and end with the pool.
//
// Invariant: a job that touches a connection runs while the task owning that
// connection is suspended awaiting the job, so the connection is still used by
// one thread at a time (its confinement rule).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class IOThreadPool: @unchecked Sendable {
    // Guarded by `mutex`.
    private var jobs: [() -> Void] = []
    private var head = 0
    private var threads = 0
    private var idle = 0
    private var stopping = false
    private let threadCount: Int
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init(threadCount: Int) {
        self.threadCount = max(1, threadCount)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wake, nil)
    }

    deinit {
        // The threads hold the pool strongly while they run, so by now every thread has exited.
        pthread_cond_destroy(wake)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        wake.deallocate()
    }

    /// Lets the threads finish the queued jobs and exit (they keep the pool alive until then).
    func shutdown() {
        pthread_mutex_lock(mutex)
        stopping = true
        pthread_cond_broadcast(wake)
        pthread_mutex_unlock(mutex)
    }

    /// Runs `job` on a pool thread and suspends the calling task until it is done.
    func run<T>(_ job: @escaping () throws(DatabaseError) -> T) async throws(DatabaseError) -> T {
        // The job and its result cross to the pool thread and back while the task waits: the
        // confinement invariant above makes that safe, which the compiler cannot see.
        let box = UncheckedBox(job)
        let result = await withUnsafeContinuation { (continuation: UnsafeContinuation<UncheckedBox<Result<T, DatabaseError>>, Never>) in
            let resume = UncheckedBox(continuation)
            enqueue {
                let outcome: Result<T, DatabaseError>
                do throws(DatabaseError) {
                    outcome = .success(try box.value())
                } catch {
                    outcome = .failure(error)
                }
                resume.value.resume(returning: UncheckedBox(outcome))
            }
        }
        return try result.value.get()
    }

    private func enqueue(_ job: @escaping () -> Void) {
        pthread_mutex_lock(mutex)
        jobs.append(job)
        if idle > 0 {
            pthread_cond_signal(wake)
        } else if threads < threadCount {
            threads += 1
            startThread()
        }
        pthread_mutex_unlock(mutex)
    }

    private func startThread() {
        let context = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { raw in
            let pool = Unmanaged<IOThreadPool>.fromOpaque(raw!).takeRetainedValue()
            pool.workLoop()
            return nil
        }, context)
        if rc == 0 {
            pthread_detach(thread)
        } else {
            // No thread to be had: the job still runs, on the caller (better slow than stuck).
            Unmanaged<IOThreadPool>.fromOpaque(context).release()
            threads -= 1
            let job = jobs.removeLast()
            pthread_mutex_unlock(mutex)
            job()
            pthread_mutex_lock(mutex)
        }
    }

    private func workLoop() {
        pthread_mutex_lock(mutex)
        while true {
            if head < jobs.count {
                let job = jobs[head]
                head += 1
                if head == jobs.count {
                    jobs.removeAll(keepingCapacity: true)
                    head = 0
                }
                pthread_mutex_unlock(mutex)
                job()
                pthread_mutex_lock(mutex)
                continue
            }
            if stopping { break }
            idle += 1
            pthread_cond_wait(wake, mutex)
            idle -= 1
        }
        threads -= 1
        pthread_mutex_unlock(mutex)
    }
}

/// Carries a non-Sendable value across a thread hop whose safety the caller guarantees.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
