// CompletionReactor: one thread that waits for I/O completions on behalf of
// suspended tasks, so a read in flight holds no thread at all (issue 6).
//
// A back-end with a completion notifier (IOBackend.completionNotifier: the
// io_uring back-end's eventfd, which the kernel signals as it posts each
// completion) lets a task that met a page read in flight suspend in
// `wait(for:)`. The reactor's thread sleeps in epoll_wait on every such
// descriptor at once and resumes a task when its descriptor turns readable;
// the task then reaps its completions itself, on its own thread (the ring
// keeps its single-owner rule). Sixteen tasks can so have sixteen reads in
// the kernel, where a pool of blocking threads caps them at the pool's size.
//
// No lost wake-ups: each wait arms its descriptor once (EPOLLONESHOT), and
// the reactor drains the eventfd's counter before it resumes the waiter, so a
// completion posted after the drain leaves the descriptor readable for the
// next wait. A spurious wake-up costs the waiter one more look at its ring.
//
// Invariant: at most one task waits on a descriptor at a time (a back-end
// belongs to one connection, and a connection to one task at a time).

#if canImport(CLiburing)
import CLiburing
import Glibc
import Synchronization

/// The process's completion reactor (one epoll thread, started on first use).
public final class CompletionReactor: Sendable {
    public static let shared = CompletionReactor()

    private let epoll: Int32
    private let waiters = Mutex<[Int32: UnsafeContinuation<Void, Never>]>([:])
    private let started = Atomic<Bool>(false)

    private init() {
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
    }

    /// Suspends the calling task until `descriptor` (a completion notifier) is readable, then
    /// drains it. Returns at once when the reactor cannot watch it (the caller looks at its ring
    /// and, finding nothing, would wait again: callers check `isAvailable` first).
    public func wait(for descriptor: Int32) async {
        startThreadIfNeeded()
        await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
            waiters.withLock { $0[descriptor] = continuation }
            if !arm(descriptor) {
                let c = waiters.withLock { $0.removeValue(forKey: descriptor) }
                c?.resume()
            }
        }
    }

    /// False when epoll could not be set up (the async API then waits on its I/O threads).
    public var isAvailable: Bool { epoll >= 0 }

    /// Watches `descriptor` for one readiness (re-arming a descriptor watched before, adding a new
    /// one; a closed descriptor left the epoll set by itself, so its number may come back new).
    private func arm(_ descriptor: Int32) -> Bool {
        var event = epoll_event()
        event.events = EPOLLIN.rawValue | EPOLLONESHOT.rawValue
        event.data.fd = descriptor
        if epoll_ctl(epoll, EPOLL_CTL_MOD, descriptor, &event) == 0 { return true }
        guard errno == ENOENT else { return false }
        return epoll_ctl(epoll, EPOLL_CTL_ADD, descriptor, &event) == 0
    }

    private func startThreadIfNeeded() {
        guard epoll >= 0, !started.load(ordering: .acquiring),
              started.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        else { return }
        var thread = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        let rc = pthread_create(&thread, nil, { raw in
            Unmanaged<CompletionReactor>.fromOpaque(raw!).takeRetainedValue().loop()
            return nil
        }, context)
        if rc == 0 {
            pthread_detach(thread)
        } else {
            Unmanaged<CompletionReactor>.fromOpaque(context).release()
            fatalError("swiftdb: cannot start the I/O completion thread (pthread_create: \(rc))")
        }
    }

    private func loop() {
        let capacity = 64
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: capacity)
        defer { events.deallocate() }
        while true {
            let n = epoll_wait(epoll, events, Int32(capacity), -1)
            if n < 0 {
                if errno == EINTR { continue }
                fatalError("swiftdb: epoll_wait failed (errno \(errno))")
            }
            for i in 0..<Int(n) {
                let descriptor = events[i].data.fd
                var counter: UInt64 = 0
                _ = read(descriptor, &counter, 8)  // drain (non-blocking; 0 already is fine)
                let waiter = waiters.withLock { $0.removeValue(forKey: descriptor) }
                waiter?.resume()
            }
        }
    }
}
#endif
