// RingPool: set-up io_uring rings kept for the next connection, so opening a
// connection does not pay for a ring each time.
//
// Setting up a ring is a few system calls the kernel makes expensive: here
// io_uring_queue_init 17 µs, registering the sparse buffer table 44 µs, and
// io_uring_queue_exit 8 µs plus the kernel's deferred teardown. A connection
// that opens, runs one query and closes (issue 10's open_20_tables) spent more
// on its ring than on the query. A back-end that ends returns its ring here
// (IOUringBackend.deinit) and the next back-end of the same shape takes it.
//
// Invariants: a ring in the pool has nothing in flight and no completion
// waiting, no eventfd, no file and no buffer registered in its sparse tables
// (the back-end clears them before it gives the ring back); it is used by at
// most one back-end at a time. The pool holds at most `capacity` rings; a ring
// it refuses is torn down by the caller. Pooled rings are not tied to a thread
// (no IORING_SETUP_SINGLE_ISSUER), so a ring set up by one thread serves
// another; a thread-confined ring is torn down instead of pooled.

#if canImport(CLiburing)
import CLiburing
import Glibc
import Synchronization

/// A ring and what was set up with it.
struct PreparedRing: @unchecked Sendable {
    /// What a back-end asks for; rings are reused only for the same request.
    struct Shape: Equatable {
        var entries: UInt32
        var registerFiles: Bool
        var registerBuffers: Bool
        /// Set up for one thread (IOUringBackend's `confinedToThread`); such rings are never pooled.
        var confined = false
    }
    let ring: UnsafeMutablePointer<io_uring>
    let shape: Shape
    /// The kernel has IORING_OP_FTRUNCATE (6.9+).
    let hasFtruncate: Bool
    /// The sparse file and buffer tables were registered.
    let registeredFiles: Bool
    let registeredBuffers: Bool

    /// Tears the ring down (io_uring_queue_exit) and frees it.
    func destroy() {
        io_uring_queue_exit(ring)
        ring.deallocate()
    }
}

enum RingPool {
    /// Rings kept at most: enough for a burst of connections opened and closed in turn.
    static let capacity = 8
    private static let idle = Mutex<[PreparedRing]>([])

    /// A pooled ring of `shape`, or nil.
    static func take(_ shape: PreparedRing.Shape) -> PreparedRing? {
        idle.withLock { rings in
            guard let i = rings.lastIndex(where: { $0.shape == shape }) else { return nil }
            return rings.remove(at: i)
        }
    }

    /// Keeps `ring` for a later back-end; false when the pool is full (the caller destroys it).
    static func give(_ ring: PreparedRing) -> Bool {
        idle.withLock { rings in
            guard rings.count < capacity else { return false }
            rings.append(ring)
            return true
        }
    }

    /// How many rings wait in the pool (tests).
    static var idleCount: Int { idle.withLock { $0.count } }
}
#endif

#if canImport(CLiburing)
/// The free slots of one of a ring's sparse tables (files, buffers): slots never used are counted,
/// not listed, so a back-end that uses two slots of 4,096 pays for two.
struct SparseSlots {
    /// How many slots the table has (0: the table was not registered).
    let count: Int32
    /// Slots below this were handed out at least once.
    private var highWater: Int32 = 0
    /// Slots handed out and given back.
    private var returned: [Int32] = []

    init(count: Int32) { self.count = count }

    mutating func take() -> Int32? {
        if let s = returned.popLast() { return s }
        guard highWater < count else { return nil }
        highWater += 1
        return highWater - 1
    }

    mutating func give(_ slot: Int32) { returned.append(slot) }

    /// The slots handed out and not given back.
    var inUse: [Int32] {
        var free = [Bool](repeating: false, count: Int(highWater))
        for s in returned { free[Int(s)] = true }
        return (0..<highWater).filter { !free[Int($0)] }
    }
}
#endif
