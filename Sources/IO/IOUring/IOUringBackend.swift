// IOUringBackend: the completion protocol over one io_uring ring (liburing).
//
// The Linux default (IOBackends.makeDefault). One ring per back-end instance;
// the instance belongs to one connection, its only submitter, so nothing here
// locks (an io_uring submission queue is not thread-safe). Metadata operations
// (open, size, locks, delete) are the syscall back-end's, called directly.
//
// Requests become SQEs at `submit`; `flush` is io_uring_submit, `reap` takes
// the CQEs that are ready, `wait` is io_uring_submit_and_wait: a commit's page
// writes and its sync go to the kernel in one io_uring_enter.
//
// Ordering. Reads and writes between two barriers may run in any order and
// complete in any order (each completion carries its tag). Sync, fdatasync and
// truncate are barriers: their SQE carries IOSQE_IO_DRAIN, so the kernel starts
// one only after every earlier request has completed and starts nothing later
// until it has. That is what the pager relies on (writes, then truncate, then
// sync, in one batch) and is what the syscall back-end's in-order execution
// gives. Truncate is IORING_OP_FTRUNCATE where the kernel has it (6.9+); on
// older kernels it waits for everything in flight and calls ftruncate(2) on
// the caller's thread, which orders it the same way.
//
// Short transfers. A completion is delivered only when the whole length moved,
// at end of file (reads) or on an error, exactly as Posix.readFully and
// writeFully behave: a short read or write, EINTR or EAGAIN resubmits the rest.
// A remainder resubmitted after a barrier was queued runs behind that barrier,
// so when the barrier completes while an earlier request is still unfinished
// the barrier runs again behind it (a sync then covers the whole write).
// Requests queued behind the barrier's first run are not held back; the pager
// waits for a sync before it queues anything that depends on it, so it never
// has such requests.
//
// Safety: SQEs carry raw pointers from IORequest, whose submitter keeps them
// valid until the completion is delivered (IOBackend.swift). The ring and the
// request table are owned by this instance; deinit waits for every request the
// kernel still holds before it unmaps the ring, so no buffer is touched after.

#if canImport(CLiburing)
import CLiburing
import Base
import Glibc

/// The io_uring back-end.
public final class IOUringBackend: IOBackend {
    public let name = "io_uring"

    /// One submitted request, by slot (the SQE's user_data).
    private struct Op {
        var kind: IORequest.Kind = .read
        var fd: Int32 = -1
        var offset: Int64 = 0
        var buffer: UnsafeMutableRawPointer?
        var length = 0
        var tag: UInt64 = 0
        /// Bytes transferred so far (reads and writes that came back short).
        var done = 0
        /// Barriers queued before this request (for a barrier: before it, so barriers are unique).
        var generation: UInt64 = 0
        var active = false
    }

    private let ring: UnsafeMutablePointer<io_uring>
    private let metadata = SyscallBackend()
    private var ops: [Op] = []
    private var freeSlots: [Int32] = []
    private var barriers: UInt64 = 0
    /// Requests the kernel holds or will be handed (active slots).
    private var active = 0
    /// The most requests given to the kernel at once, so completions never overflow the CQ ring.
    private let capacity: Int
    /// SQEs prepared since the last io_uring_submit.
    private var unsubmitted = 0
    private var completed: [IOCompletion] = []
    private var delivering: [IOCompletion] = []
    private var resubmits: [Int32] = []
    /// IORING_OP_FTRUNCATE is available (kernel 6.9+).
    public let nativeTruncate: Bool

    static let opFtruncate: UInt8 = 55  // IORING_OP_FTRUNCATE; liburing 2.3's header predates it
    static let drain = UInt8(1) << UInt8(IOSQE_IO_DRAIN_BIT)

    /// Sets up a ring of `entries` submission entries; throws a readable reason when io_uring is unavailable.
    /// `allowNativeTruncate: false` forces the synchronous ftruncate path (tests).
    public init(entries: UInt32 = 256, allowNativeTruncate: Bool = true) throws(DBError) {
        ring = .allocate(capacity: 1)
        ring.initialize(to: io_uring())
        var r = io_uring_queue_init(entries, ring, UInt32(IORING_SETUP_COOP_TASKRUN))
        if r == -EINVAL { r = io_uring_queue_init(entries, ring, 0) }  // kernels before 5.19
        if r < 0 {
            ring.deallocate()
            throw DBError(.cantopen, "io_uring unavailable", detail: "io_uring_queue_init: \(Posix.errorText(-r))")
        }
        guard let probe = io_uring_get_probe_ring(ring) else {
            io_uring_queue_exit(ring)
            ring.deallocate()
            throw DBError(.cantopen, "io_uring unavailable", detail: "the kernel has no opcode probe (Linux < 5.6)")
        }
        defer { io_uring_free_probe(probe) }
        for op in [IORING_OP_READ, IORING_OP_WRITE, IORING_OP_FSYNC] where io_uring_opcode_supported(probe, Int32(op.rawValue)) == 0 {
            io_uring_queue_exit(ring)
            ring.deallocate()
            throw DBError(.cantopen, "io_uring unavailable", detail: "the kernel lacks io_uring opcode \(op.rawValue)")
        }
        nativeTruncate = allowNativeTruncate && io_uring_opcode_supported(probe, Int32(Self.opFtruncate)) != 0
        capacity = Int(ring.pointee.cq.ring_entries)
        ops.reserveCapacity(Int(entries))
    }

    deinit {
        // The kernel may still write into buffers of requests nobody waited for: let it finish first.
        while active > 0 { waitForCompletions() }
        io_uring_queue_exit(ring)
        ring.deallocate()
    }

    // MARK: metadata (synchronous, as in the syscall back-end)

    public func open(_ path: String, options: FileOpenOptions) throws(DBError) -> FileID {
        try metadata.open(path, options: options)
    }
    public func close(_ file: FileID) { metadata.close(file) }
    public func size(of file: FileID) throws(DBError) -> Int64 { try metadata.size(of: file) }
    public func fileExists(_ path: String) -> Bool { metadata.fileExists(path) }
    public func delete(_ path: String) throws(DBError) { try metadata.delete(path) }
    public func syncDirectory(of path: String) throws(DBError) { try metadata.syncDirectory(of: path) }
    public func lock(_ file: FileID, offset: Int64, length: Int64, kind: FileLockKind) throws(DBError) -> Bool {
        try metadata.lock(file, offset: offset, length: length, kind: kind)
    }
    public func fileIdentity(_ file: FileID) -> String { metadata.fileIdentity(file) }

    // MARK: requests

    public func submit(_ request: IORequest) {
        let isBarrier = request.kind == .sync || request.kind == .dataSync || request.kind == .truncate
        if request.kind == .truncate && !nativeTruncate {
            // No truncate opcode: let everything queued before it finish, then truncate here.
            while active > 0 { waitForCompletions() }
            completed.append(IOCompletion(tag: request.tag, result: Posix.truncateFile(request.file.raw, request.offset)))
            return
        }
        if (request.kind == .read || request.kind == .write) && request.length == 0 {
            completed.append(IOCompletion(tag: request.tag, result: 0))  // as readFully/writeFully: nothing to move
            return
        }
        while active >= capacity { waitForCompletions() }
        let slot: Int32
        if let s = freeSlots.popLast() {
            slot = s
        } else {
            slot = Int32(ops.count)
            ops.append(Op())
        }
        ops[Int(slot)] = Op(kind: request.kind, fd: request.file.raw, offset: request.offset, buffer: request.buffer,
                            length: request.length, tag: request.tag, done: 0, generation: barriers, active: true)
        if isBarrier { barriers &+= 1 }
        active += 1
        prepare(slot)
    }

    public func flush() {
        if unsubmitted > 0 { submitQueued(wait: 0) }
    }

    @discardableResult
    public func reap(_ deliver: (IOCompletion) -> Void) -> Int {
        flush()
        collect()
        return deliverCompleted(deliver)
    }

    public func wait(minimum: Int, _ deliver: (IOCompletion) -> Void) {
        flush()
        collect()
        let want = min(minimum, inFlight)
        while completed.count < want && active > 0 { waitForCompletions() }
        deliverCompleted(deliver)
    }

    public var inFlight: Int { active + completed.count }

    // MARK: the ring

    /// Fills an SQE for the rest of slot's request.
    private func prepare(_ slot: Int32) {
        let sqe = nextSQE()
        let op = ops[Int(slot)]
        switch op.kind {
        case .read:
            io_uring_prep_read(sqe, op.fd, op.buffer! + op.done, UInt32(op.length - op.done), UInt64(op.offset) + UInt64(op.done))
        case .write:
            io_uring_prep_write(sqe, op.fd, op.buffer! + op.done, UInt32(op.length - op.done), UInt64(op.offset) + UInt64(op.done))
        case .sync, .dataSync:
            io_uring_prep_fsync(sqe, op.fd, op.kind == .dataSync ? UInt32(IORING_FSYNC_DATASYNC) : 0)
            io_uring_sqe_set_flags(sqe, UInt32(Self.drain))
        case .truncate:
            io_uring_prep_rw(Int32(Self.opFtruncate), sqe, op.fd, nil, 0, UInt64(op.offset))
            io_uring_sqe_set_flags(sqe, UInt32(Self.drain))
        }
        io_uring_sqe_set_data64(sqe, UInt64(slot))
        unsubmitted += 1
    }

    /// A free SQE, submitting the queue when it is full.
    private func nextSQE() -> UnsafeMutablePointer<io_uring_sqe> {
        while true {
            if let sqe = io_uring_get_sqe(ring) { return sqe }
            submitQueued(wait: 0)
        }
    }

    /// io_uring_submit(_and_wait), retrying on EINTR; on EAGAIN/EBUSY (the kernel is short of resources or
    /// the completion ring is full) completions are collected first.
    private func submitQueued(wait: UInt32) {
        while true {
            let r = wait == 0 ? io_uring_submit(ring) : io_uring_submit_and_wait(ring, wait)
            if r >= 0 {
                // What the kernel did not take yet stays in the ring and goes with the next submit.
                unsubmitted = max(0, unsubmitted - Int(r))
                return
            }
            switch -r {
            case EINTR, ETIME: continue
            case EAGAIN, EBUSY:
                if collect() == 0 { sched_yield() }
            default:
                fatalError("io_uring_enter failed: \(Posix.errorText(-r))")
            }
        }
    }

    /// Blocks until the kernel has completed at least one request, then collects what is ready.
    private func waitForCompletions() {
        if collect() > 0 { return }
        submitQueued(wait: 1)
        collect()
    }

    /// Takes every ready CQE: finished requests move to `completed`, short ones are resubmitted. Returns CQEs seen.
    @discardableResult
    private func collect() -> Int {
        var seen = 0
        var batch = [UnsafeMutablePointer<io_uring_cqe>?](repeating: nil, count: 32)
        while true {
            let n = batch.withUnsafeMutableBufferPointer { b in
                Int(io_uring_peek_batch_cqe(ring, b.baseAddress!, UInt32(b.count)))
            }
            if n == 0 { break }
            for i in 0..<n {
                let cqe = batch[i]!
                handle(slot: Int32(truncatingIfNeeded: cqe.pointee.user_data), result: cqe.pointee.res)
            }
            io_uring_cq_advance(ring, UInt32(n))
            seen += n
        }
        if !resubmits.isEmpty {
            let again = resubmits
            resubmits.removeAll(keepingCapacity: true)
            for s in again { prepare(s) }
            flush()
        }
        return seen
    }

    private func handle(slot: Int32, result: Int32) {
        let i = Int(slot)
        if result == -EINTR || result == -EAGAIN {
            resubmits.append(slot)
            return
        }
        switch ops[i].kind {
        case .read, .write:
            if result < 0 { return finish(slot, result) }
            if result == 0 { return finish(slot, ops[i].kind == .read ? Int32(ops[i].done) : -EIO) }
            ops[i].done += Int(result)
            if ops[i].done < ops[i].length {
                resubmits.append(slot)
            } else {
                finish(slot, Int32(ops[i].done))
            }
        case .sync, .dataSync, .truncate:
            // A request queued before this barrier is still unfinished only if it was resubmitted after the
            // barrier ran: run the barrier again behind it.
            let g = ops[i].generation
            for (j, op) in ops.enumerated() where j != i && op.active && op.generation <= g {
                resubmits.append(slot)
                return
            }
            finish(slot, result)
        }
    }

    private func finish(_ slot: Int32, _ result: Int32) {
        completed.append(IOCompletion(tag: ops[Int(slot)].tag, result: result))
        ops[Int(slot)].active = false
        ops[Int(slot)].buffer = nil
        freeSlots.append(slot)
        active -= 1
    }

    @discardableResult
    private func deliverCompleted(_ deliver: (IOCompletion) -> Void) -> Int {
        // Swap buffers first: `deliver` may submit and wait again.
        swap(&completed, &delivering)
        let n = delivering.count
        for c in delivering { deliver(c) }
        delivering.removeAll(keepingCapacity: true)
        return n
    }
}
#endif
