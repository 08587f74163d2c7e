// IOUringBackend: the completion protocol over one io_uring ring (liburing).
//
// The Linux default (IOBackends.makeDefault). One ring per back-end instance,
// taken from RingPool when one is idle and given back at deinit; the instance
// belongs to one connection, its only submitter, so nothing here locks (an
// io_uring submission queue is not thread-safe). Metadata operations
// (open, size, locks, delete) are the syscall back-end's, called directly.
//
// `submit` queues requests; they become SQEs at `flush` (io_uring_submit),
// `reap` takes the CQEs that are ready, `wait` is io_uring_submit_and_wait: a
// commit's page writes and its sync go to the kernel in one io_uring_enter.
//
// Ordering. Reads and writes between two barriers may run in any order and
// complete in any order (each completion carries its tag). Sync, fdatasync and
// truncate are barriers: the kernel starts one only after every earlier
// request has completed and starts nothing later until it has. That is what
// the pager relies on (writes, then truncate, then sync, in one batch) and is
// what the syscall back-end's in-order execution gives. A batch whose earlier
// requests all completed chains its requests up to its last barrier with
// IOSQE_IO_LINK: a kernel worker that picks up the chain (ext4 punts buffered
// writes and every fsync to one) runs the writes and the sync back to back,
// where IOSQE_IO_DRAIN, used otherwise, hands each barrier to the worker pool
// again once the writes completed. Truncate is IORING_OP_FTRUNCATE where the
// kernel has it (6.9+); on older kernels it waits for everything in flight and
// calls ftruncate(2) on the caller's thread, which orders it the same way.
//
// Small buffered writes the caller waits for. ext4 (like every file system
// without asynchronous buffered writes) cannot take a page-cache write from
// io_uring without blocking, so the kernel hands each such write to an io-wq
// worker: the submitter sleeps, the worker copies the bytes into the page cache
// and wakes it. On this machine that is 43 µs per 4 KiB write (15 µs at best,
// spinning on the completion queue) against 0.7 µs for pwrite(2), which made a
// single-row WAL commit at synchronous=NORMAL three times slower than on the
// syscall back-end. So when `wait` finds a small batch of writes — at most
// `inlineWriteLimit` bytes, no barrier among them and nothing earlier in flight
// (a WAL commit that does not sync) — the caller, which blocks anyway, copies
// them with pwrite(2) and posts their completions. Larger batches (a cache
// spill, a big commit), batches ending in a sync (the sync is punted anyway;
// the worker runs the writes before it) and the async path's `flush`/`reap`,
// whose caller must never block, go to the ring.
// SWIFTDB_IOURING_INLINE_WRITES=0 sends every write to the ring (to measure
// the difference: RESULTS-notes.md).
//
// Completions on a confined ring. A request the kernel hands to a worker
// (every buffered write on ext4) completes through task work on the submitting
// thread: on a shared ring each completion interrupts or wakes that thread
// (an IPI when it is running), so a spill of 125 pages woke the waiter again
// and again. A back-end made with `confinedToThread` (the shell: one thread
// for the whole run) sets its ring up with SINGLE_ISSUER|DEFER_TASKRUN|
// TASKRUN_FLAG: completion work waits until the thread asks for completions,
// and a waiter for N is woken once, when N are done. The kernel then refuses
// io_uring_enter from any other thread (EEXIST), so such a ring is never pooled
// and has no completion notifier (the async path cannot use it). Its thread
// also registers the ring's descriptor (IORING_ENTER_REGISTERED_RING).
// SWIFTDB_IOURING_DEFER_TASKRUN=0 sets confined rings up as shared ones.
//
// Short transfers. A completion is delivered only when the whole length moved,
// at end of file (reads) or on an error, exactly as Posix.readFully and
// writeFully behave: a short read or write, EINTR or EAGAIN resubmits the rest.
// A request of a chain that another request's failure or short transfer
// cancelled (-ECANCELED) is resubmitted on its own, a barrier with DRAIN.
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
        /// RWF_NOWAIT: -EAGAIN is the answer, not a reason to resubmit.
        var noWait = false
        /// A registered buffer holding `buffer` (IORING_OP_READ_FIXED / WRITE_FIXED), or -1.
        var fixedBuffer: Int32 = -1
        var isBarrier: Bool { kind == .sync || kind == .dataSync || kind == .truncate }
    }

    private let ring: UnsafeMutablePointer<io_uring>
    /// The ring with its set-up facts, returned to RingPool at deinit.
    private let prepared: PreparedRing
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
    /// Requests submitted but not yet prepared as SQEs (the batch the next flush hands over), and
    /// the batch being prepared (swapped with `queued`, so neither is reallocated per flush).
    private var queued: [Int32] = []
    private var preparing: [Int32] = []
    private var completed: [IOCompletion] = []
    private var delivering: [IOCompletion] = []
    private var resubmits: [Int32] = []
    /// Where `collect` receives completion pointers (allocated once: collect runs for every page read).
    private let cqeBatch = UnsafeMutablePointer<UnsafeMutablePointer<io_uring_cqe>?>.allocate(capacity: cqeBatchSize)
    private static let cqeBatchSize = 32
    /// Small unsynced batches of writes a waiting caller makes are copied with pwrite (file header).
    public let inlineWaitedWrites: Bool
    /// The most bytes such a batch holds: a few pages cost less to copy than one worker handoff.
    public static let inlineWriteLimit = 64 * 1024
    /// Writes copied inline so far (tests and diagnostics).
    public private(set) var inlinedWrites = 0
    /// IORING_OP_FTRUNCATE is available (kernel 6.9+).
    public let nativeTruncate: Bool
    /// The completion notifier's eventfd, or -1 before one was asked for.
    private var notifier: Int32 = -1
    /// Files are registered with the ring (IORING_REGISTER_FILES): each open file's slot, by descriptor.
    public let registeredFiles: Bool
    /// Each open file's registered slot, by descriptor (-1: none); an array, as every request reads it.
    private var fixedSlot: [Int32] = []
    private var fileSlots = SparseSlots(count: 0)
    static let fixedFileSlots: UInt32 = 64
    /// Registered buffers: free slots of the sparse table (empty when the table could not be set up).
    private var bufferSlots = SparseSlots(count: 0)
    private var bufferRegistrationRefused = false
    static let fixedBufferSlots: UInt32 = 4096
    static let fixedFile = UInt8(1) << UInt8(IOSQE_FIXED_FILE_BIT)

    static let opFtruncate: UInt8 = 55  // IORING_OP_FTRUNCATE; liburing 2.3's header predates it
    /// IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_TASKRUN_FLAG (6.1+).
    static let confinedSetupFlags = UInt32(IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN
                                           | IORING_SETUP_TASKRUN_FLAG)
    /// The ring defers completion work to its one thread (`confinedToThread` and a kernel that allows it).
    public var isConfinedToThread: Bool { prepared.shape.confined }
    static let drain = UInt8(1) << UInt8(IOSQE_IO_DRAIN_BIT)
    static let link = UInt8(1) << UInt8(IOSQE_IO_LINK_BIT)

    /// Sets up a ring of `entries` submission entries, or takes a pooled one (RingPool); throws a
    /// readable reason when io_uring is unavailable. `allowNativeTruncate: false` forces the
    /// synchronous ftruncate path (tests); `inlineWrites` overrides SWIFTDB_IOURING_INLINE_WRITES
    /// (tests run both paths).
    /// `confinedToThread`: the caller promises that only the calling thread will ever use this back-end
    /// (the shell's whole run is on one thread); the ring is then set up with SINGLE_ISSUER and
    /// DEFER_TASKRUN (see "Completions on a confined ring" in the file header).
    public init(entries: UInt32 = 256, allowNativeTruncate: Bool = true, inlineWrites: Bool? = nil,
                confinedToThread: Bool = false) throws(DBError) {
        // Registered files (5.12+ for a sparse table): SQEs name a slot, which spares the kernel a
        // descriptor lookup and reference per request. Registered buffers: a sparse table the pager
        // fills with its cache frames as it first uses them, while RLIMIT_MEMLOCK lets the kernel pin
        // them (no limit with CAP_IPC_LOCK). SWIFTDB_IOURING_REGISTERED_FILES=0 and
        // SWIFTDB_IOURING_FIXED_BUFFERS=0 turn them off (the benchmark compares both ways).
        let shape = PreparedRing.Shape(entries: entries,
                                       registerFiles: Self.environmentAllows("SWIFTDB_IOURING_REGISTERED_FILES"),
                                       registerBuffers: Self.environmentAllows("SWIFTDB_IOURING_FIXED_BUFFERS"),
                                       confined: confinedToThread
                                           && Self.environmentAllows("SWIFTDB_IOURING_DEFER_TASKRUN"))
        let prepared: PreparedRing
        if !shape.confined, let pooled = RingPool.take(shape) {
            prepared = pooled
        } else {
            prepared = try Self.setUpRing(shape)
        }
        self.prepared = prepared
        ring = prepared.ring
        nativeTruncate = allowNativeTruncate && prepared.hasFtruncate
        capacity = Int(ring.pointee.cq.ring_entries)
        inlineWaitedWrites = inlineWrites ?? Self.environmentAllows("SWIFTDB_IOURING_INLINE_WRITES")
        ops.reserveCapacity(Int(entries))
        registeredFiles = prepared.registeredFiles
        if registeredFiles { fileSlots = SparseSlots(count: Int32(Self.fixedFileSlots)) }
        if prepared.registeredBuffers { bufferSlots = SparseSlots(count: Int32(Self.fixedBufferSlots)) }
    }

    /// Rings set up and idle in the process's pool, ready for the next back-end (RingPool).
    public static var idleRings: Int { RingPool.idleCount }

    /// False only when the variable is set to "0".
    private static func environmentAllows(_ name: String) -> Bool {
        getenv(name).map { String(cString: $0) } != "0"
    }

    /// A new ring of `shape`, probed for the opcodes the back-end needs, with its sparse tables.
    private static func setUpRing(_ shape: PreparedRing.Shape) throws(DBError) -> PreparedRing {
        let ring = UnsafeMutablePointer<io_uring>.allocate(capacity: 1)
        ring.initialize(to: io_uring())
        // No IORING_SETUP_COOP_TASKRUN: a buffered read completes through task work on the thread that
        // submitted it, and with that flag a submitter asleep elsewhere (a pool thread, a cooperative
        // thread parked in a futex) is never woken to run it, so an awaited completion would never come.
        // A confined ring defers that work until its one thread waits (file header); kernels before
        // 6.1 refuse the flags (EINVAL), and the ring is set up as a shared one.
        var shape = shape
        var r: Int32 = -EINVAL
        if shape.confined {
            r = io_uring_queue_init(shape.entries, ring, Self.confinedSetupFlags)
            if r < 0 { shape.confined = false }
        }
        if !shape.confined { r = io_uring_queue_init(shape.entries, ring, 0) }
        // A confined ring's thread also registers the ring's own descriptor (5.18+), sparing the
        // kernel a descriptor lookup per io_uring_enter; the registration belongs to that thread.
        if r >= 0 && shape.confined { _ = io_uring_register_ring_fd(ring) }
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
        return PreparedRing(
            ring: ring, shape: shape,
            hasFtruncate: io_uring_opcode_supported(probe, Int32(opFtruncate)) != 0,
            registeredFiles: shape.registerFiles && io_uring_register_files_sparse(ring, fixedFileSlots) == 0,
            registeredBuffers: shape.registerBuffers && io_uring_register_buffers_sparse(ring, fixedBufferSlots) == 0)
    }

    /// Puts `length` bytes at `base` in a free slot of the ring's buffer table; nil once the table is
    /// full or the kernel refuses to pin more (ENOMEM under RLIMIT_MEMLOCK), after which it stops asking.
    public func registerBuffer(_ base: UnsafeMutableRawPointer, length: Int) -> Int32? {
        guard !bufferRegistrationRefused, let slot = bufferSlots.take() else { return nil }
        var v = iovec(iov_base: base, iov_len: length)
        if io_uring_register_buffers_update_tag(ring, UInt32(slot), &v, nil, 1) == 1 {
            return slot
        }
        bufferSlots.give(slot)
        bufferRegistrationRefused = true
        return nil
    }

    public func unregisterBuffer(_ index: Int32) {
        var none = iovec(iov_base: nil, iov_len: 0)
        _ = io_uring_register_buffers_update_tag(ring, UInt32(index), &none, nil, 1)
        bufferSlots.give(index)
    }

    deinit {
        // The kernel may still write into buffers of requests nobody waited for: let it finish first.
        while active > 0 { waitForCompletions() }
        // Leave the ring as the pool keeps it (RingPool.swift): no eventfd, empty tables, no CQE.
        if notifier >= 0 {
            _ = io_uring_unregister_eventfd(ring)
            Glibc.close(notifier)
        }
        for slot in fixedSlot where slot >= 0 {
            var none: Int32 = -1
            _ = io_uring_register_files_update(ring, UInt32(slot), &none, 1)
        }
        for slot in bufferSlots.inUse { unregisterBuffer(slot) }
        let waiting = io_uring_cq_ready(ring)
        if waiting > 0 { io_uring_cq_advance(ring, waiting) }
        // A confined ring answers only to the thread that set it up: it is never handed to another.
        if prepared.shape.confined || !RingPool.give(prepared) { prepared.destroy() }
        cqeBatch.deallocate()
    }

    // MARK: metadata (synchronous, as in the syscall back-end)

    public func open(_ path: String, options: FileOpenOptions) throws(DBError) -> FileID {
        let file = try metadata.open(path, options: options)
        if registeredFiles, let slot = fileSlots.take().map(UInt32.init) {
            var fd = file.raw
            if fd >= 0, io_uring_register_files_update(ring, slot, &fd, 1) == 1 {
                if Int(fd) >= fixedSlot.count { fixedSlot += Array(repeating: -1, count: Int(fd) + 1 - fixedSlot.count) }
                fixedSlot[Int(fd)] = Int32(slot)
            } else {
                fileSlots.give(Int32(slot))  // not registered: its requests name the descriptor
            }
        }
        return file
    }

    public func close(_ file: FileID) {
        if let slot = registeredSlot(of: file.raw) {
            fixedSlot[Int(file.raw)] = -1
            // Requests still in flight hold their own reference to the registered file.
            var none: Int32 = -1
            _ = io_uring_register_files_update(ring, slot, &none, 1)
            fileSlots.give(Int32(slot))
        }
        metadata.close(file)
    }
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
                            length: request.length, tag: request.tag, done: 0, generation: barriers, active: true,
                            noWait: request.noWait, fixedBuffer: request.fixedBuffer)
        if isBarrier { barriers &+= 1 }
        active += 1
        queued.append(slot)
    }

    public func flush() {
        prepareQueued()
        if unsubmitted > 0 { submitQueued(wait: 0) }
    }

    @discardableResult
    public func reap(_ deliver: (IOCompletion) -> Void) -> Int {
        flush()
        collect()
        return deliverCompleted(deliver)
    }

    public func wait(minimum: Int, _ deliver: (IOCompletion) -> Void) {
        if minimum >= 1 && active == 1 && completed.isEmpty && queued.count == 1 && waitForLoneRead(deliver) { return }
        let want = min(minimum, inFlight)
        if inlineWaitedWrites { writeQueuedInline() }
        prepareQueued()
        if unsubmitted > 0 && completed.count < want {
            // Submit and wait in one io_uring_enter (a commit's writes and sync: one call, not two).
            submitQueued(wait: UInt32(min(want - completed.count, active)))
        }
        collect()
        while completed.count < want && active > 0 { waitForCompletions(want - completed.count) }
        deliverCompleted(deliver)
    }

    public var inFlight: Int { active + completed.count }

    /// The one request queued, when it is a read and nothing else is in flight (a cache miss the caller
    /// waits for): one SQE, one io_uring_enter, its CQE taken and delivered directly, without the batch
    /// bookkeeping of `wait`. True when delivered; false when the request is not such a read, or its
    /// completion is not a whole transfer (then it is submitted, and `wait`'s general path takes it up).
    private func waitForLoneRead(_ deliver: (IOCompletion) -> Void) -> Bool {
        let slot = queued[0], i = Int(queued[0])
        guard ops[i].kind == .read, !ops[i].noWait else { return false }
        queued.removeLast()
        prepare(slot)
        submitQueued(wait: 1)
        var cqe: UnsafeMutablePointer<io_uring_cqe>? = nil
        guard io_uring_peek_cqe(ring, &cqe) == 0, let cqe, cqe.pointee.user_data == UInt64(slot),
              cqe.pointee.res >= 0, Int(cqe.pointee.res) == ops[i].length - ops[i].done else { return false }
        io_uring_cqe_seen(ring, cqe)
        deliver(retire(slot, Int32(ops[i].length)))
        return true
    }

    public var benefitsFromReadAhead: Bool { true }

    /// An eventfd registered with the ring (io_uring_register_eventfd), made on first use: the kernel
    /// signals it as it posts each completion.
    public func completionNotifier() -> Int32? {
        // On a confined ring no completion is posted until its thread waits: nothing to poll for.
        if prepared.shape.confined { return nil }
        if notifier >= 0 { return notifier }
        let fd = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        if fd < 0 { return nil }
        if io_uring_register_eventfd(ring, fd) < 0 {
            Glibc.close(fd)
            return nil
        }
        notifier = fd
        return fd
    }

    /// Copies the queued writes into the files on this thread when they are all the work there is and
    /// a small batch: no barrier among them, nothing submitted earlier still running (file header).
    private func writeQueuedInline() {
        guard !queued.isEmpty, active == queued.count else { return }
        var bytes = 0, writes = 0
        for slot in queued {
            let op = ops[Int(slot)]
            if op.isBarrier { return }
            if op.kind == .write {
                bytes += op.length
                writes += 1
            }
        }
        // A batch of reads (a page a cursor waits for) is left to the ring untouched.
        guard writes > 0, bytes <= Self.inlineWriteLimit else { return }
        var kept = 0
        for slot in queued {
            let op = ops[Int(slot)]
            if op.kind == .write {
                finish(slot, Posix.writeFully(op.fd, op.buffer!, op.length, op.offset))
                inlinedWrites += 1
            } else {
                queued[kept] = slot
                kept += 1
            }
        }
        queued.removeSubrange(kept...)
    }

    // MARK: the ring

    /// Prepares the queued batch: linked up to its last barrier when nothing submitted earlier is
    /// still running and the whole chain fits the submission ring, each barrier drained otherwise.
    private func prepareQueued() {
        // A full ring submits from inside `prepare`, whose completions may resubmit: `queued` is
        // empty by then, so such a nested call has nothing to do.
        guard !queued.isEmpty else { return }
        swap(&queued, &preparing)
        defer { preparing.removeAll(keepingCapacity: true) }
        let lastBarrier = preparing.lastIndex { ops[Int($0)].isBarrier } ?? -1
        let earlierRunning = active - preparing.count > 0
        let chain = lastBarrier > 0 && !earlierRunning && Int(io_uring_sq_space_left(ring)) >= lastBarrier + 1
        for i in preparing.indices {
            // The first request after a chain drains: it and those behind it wait for the chain.
            prepare(preparing[i], linked: chain && i < lastBarrier, chainEnd: chain && i == lastBarrier,
                    drain: chain && i == lastBarrier + 1)
        }
    }

    /// Fills an SQE for the rest of slot's request; `linked` chains the next SQE behind it
    /// (a barrier in a chain needs no DRAIN: the chain orders it).
    private func prepare(_ slot: Int32, linked: Bool = false, chainEnd: Bool = false, drain: Bool = false) {
        let sqe = nextSQE()
        let op = ops[Int(slot)]
        switch op.kind {
        case .read, .write:
            // The rest of the transfer (all of it, unless an earlier completion came back short).
            let buffer = op.buffer! + op.done
            let length = UInt32(op.length - op.done)
            let offset = UInt64(op.offset) + UInt64(op.done)
            switch (op.kind == .read, op.fixedBuffer >= 0) {
            case (true, true): io_uring_prep_read_fixed(sqe, op.fd, buffer, length, offset, op.fixedBuffer)
            case (true, false): io_uring_prep_read(sqe, op.fd, buffer, length, offset)
            case (false, true): io_uring_prep_write_fixed(sqe, op.fd, buffer, length, offset, op.fixedBuffer)
            case (false, false): io_uring_prep_write(sqe, op.fd, buffer, length, offset)
            }
            if op.noWait { sqe.pointee.rw_flags = Int32(RWF_NOWAIT) }
        case .sync, .dataSync:
            io_uring_prep_fsync(sqe, op.fd, op.kind == .dataSync ? UInt32(IORING_FSYNC_DATASYNC) : 0)
        case .truncate:
            io_uring_prep_rw(Int32(Self.opFtruncate), sqe, op.fd, nil, 0, UInt64(op.offset))
        }
        var flags: UInt8 = 0
        if linked {
            flags = Self.link
        } else if (op.isBarrier && !chainEnd) || drain {
            // A barrier on its own (a chain's end needs nothing: its links order it).
            flags = Self.drain
        }
        if let slot = registeredSlot(of: op.fd) {
            sqe.pointee.fd = Int32(slot)
            flags |= Self.fixedFile
        }
        io_uring_sqe_set_flags(sqe, UInt32(flags))
        io_uring_sqe_set_data64(sqe, UInt64(slot))
        unsubmitted += 1
    }

    /// The registered-file slot of descriptor `fd`, if it has one.
    @inline(__always)
    private func registeredSlot(of fd: Int32) -> UInt32? {
        let i = Int(fd)
        guard i >= 0, i < fixedSlot.count, fixedSlot[i] >= 0 else { return nil }
        return UInt32(fixedSlot[i])
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
            case EEXIST where prepared.shape.confined:
                fatalError("a thread-confined io_uring back-end was used from another thread")
            default:
                fatalError("io_uring_enter failed: \(Posix.errorText(-r))")
            }
        }
    }

    /// Blocks until the kernel has completed at least one request (up to `count`, as many as it
    /// holds: each yields exactly one CQE), then collects what is ready.
    private func waitForCompletions(_ count: Int = 1) {
        prepareQueued()
        if collect() > 0 { return }
        submitQueued(wait: UInt32(max(1, min(count, active))))
        collect()
    }

    /// Takes every ready CQE: finished requests move to `completed`, short ones are resubmitted. Returns CQEs seen.
    @discardableResult
    private func collect() -> Int {
        var seen = 0
        let batch = cqeBatch
        while true {
            let n = Int(io_uring_peek_batch_cqe(ring, batch, UInt32(Self.cqeBatchSize)))
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
        // -ECANCELED: an earlier request of its chain failed or came back short.
        if result == -EINTR || result == -ECANCELED || (result == -EAGAIN && !ops[i].noWait) {
            resubmits.append(slot)
            return
        }
        switch ops[i].kind {
        case .read, .write:
            if result < 0 { return finish(slot, result) }
            if result == 0 { return finish(slot, ops[i].kind == .read ? Int32(ops[i].done) : -EIO) }
            ops[i].done += Int(result)
            if ops[i].done < ops[i].length && !ops[i].noWait {
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
        completed.append(retire(slot, result))
    }

    /// Frees `slot`, whose request is done with `result`, and returns its completion.
    @inline(__always)
    private func retire(_ slot: Int32, _ result: Int32) -> IOCompletion {
        let completion = IOCompletion(tag: ops[Int(slot)].tag, result: result)
        ops[Int(slot)].active = false
        ops[Int(slot)].buffer = nil
        freeSlots.append(slot)
        active -= 1
        return completion
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
