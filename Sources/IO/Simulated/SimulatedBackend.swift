// SimulatedBackend: the completion protocol over a SimulatedFileSystem, with a
// seeded scheduler, a virtual clock, injected faults and power loss (issue 6).
//
// Each instance stands for one process's connection: it has its own seeded
// scheduler stream, file descriptors and lock owner id, and several instances
// may share one `SimulatedFileSystem`.
//
// Scheduling (the io_uring back-end's rules, decided by the seed instead of the
// kernel): `flush` gives every queued request a latency drawn from the
// back-end's stream and so a completion time on the file system's virtual
// clock. Reads and writes between two barriers start together and complete,
// and take effect, in the order of their completion times, which the seed
// decides. Sync, fdatasync and truncate are barriers: one starts only when
// everything queued before it has completed, and nothing queued after it
// starts before it completes. `wait(minimum:)` moves the clock to the
// completion time of the `minimum`-th pending request; `reap` moves it by one
// poll interval (so a reap loop always makes progress); no real time passes.
// A request takes effect when it completes; its data is copied then, within
// the window where the protocol keeps the submitter's buffer valid.
//
// Promises kept (IOBackend.swift): every request completes exactly once, with
// its tag, reporting the full length, end of file (a short read there only) or
// a negated errno; faults (SimulatedFaults.swift) never break this.
//
// Power loss: once the file system has lost power (`epoch` moved on), this
// back-end is dead: queued and in-flight requests complete with EIO and take
// no effect, and metadata calls throw; a test opens a new back-end.
//
// Determinism: the order of completions and every fault depend only on the
// seed and the order of calls (DESIGN.md decision 6).

import Base

/// The simulated back-end (see the file header).
public final class SimulatedBackend: IOBackend {
    public let name = "simulated"
    public let fileSystem: SimulatedFileSystem
    /// This back-end's lock owner id and scheduler stream index.
    public let id: Int
    private let epoch: Int
    private let random: SeededRandom

    /// Latency ranges in nanoseconds, per kind of request.
    public var readLatency: ClosedRange<UInt64> = 20_000...200_000
    public var writeLatency: ClosedRange<UInt64> = 20_000...400_000
    public var syncLatency: ClosedRange<UInt64> = 200_000...2_000_000
    public var truncateLatency: ClosedRange<UInt64> = 10_000...100_000
    /// How far `reap` moves the clock.
    public var pollInterval: UInt64 = 50_000

    private struct OpenFile {
        var path: String
        var file: SimulatedFileSystem.File
        var readOnly: Bool
    }
    private struct Scheduled {
        var request: IORequest
        var end: UInt64
        var sequence: UInt64
    }
    private var files: [Int32: OpenFile] = [:]
    private var nextDescriptor: Int32 = 3
    private var queued: [IORequest] = []
    /// Requests handed to the "kernel", sorted by (end, sequence).
    private var scheduled: [Scheduled] = []
    private var ready: [IOCompletion] = []
    private var sequence: UInt64 = 0
    /// When the last barrier scheduled completes, and the latest completion scheduled.
    private var barrierEnd: UInt64 = 0
    private var horizon: UInt64 = 0

    public init(fileSystem: SimulatedFileSystem) {
        self.fileSystem = fileSystem
        id = fileSystem.nextBackendID
        fileSystem.nextBackendID += 1
        epoch = fileSystem.epoch
        random = SeededRandom(seed: fileSystem.schedulerSeed(id))
    }

    /// Whether the power was cut since this back-end was created.
    public var isDead: Bool { fileSystem.epoch != epoch }

    /// The virtual clock (nanoseconds).
    public var nanoseconds: UInt64 { fileSystem.nanoseconds }

    private func deadError(_ code: ResultCode) -> DBError {
        DBError(code, ResultCode.ioerr.defaultMessage, detail: "simulated power loss")
    }

    // MARK: metadata

    public func open(_ path: String, options: FileOpenOptions) throws(DBError) -> FileID {
        if isDead { throw deadError(.ioerr) }
        var file = fileSystem.names[path]
        if file != nil && options.contains(.create) && options.contains(.exclusive) {
            throw DBError(.cantopen, ResultCode.cantopen.defaultMessage, detail: "\(path): exists")
        }
        if file == nil {
            guard options.contains(.create), !options.contains(.readOnly) else {
                throw DBError(.cantopen, ResultCode.cantopen.defaultMessage, detail: "\(path): no such file")
            }
            let f = SimulatedFileSystem.File()
            fileSystem.names[path] = f  // durable only after syncDirectory
            file = f
        }
        let fd = nextDescriptor
        nextDescriptor += 1
        files[fd] = OpenFile(path: path, file: file!, readOnly: options.contains(.readOnly))
        return FileID(raw: fd)
    }

    public func close(_ file: FileID) {
        if let f = files[file.raw]?.file, !isDead {
            f.locks.release(owner: id)
        }
        files[file.raw] = nil
    }

    public func size(of file: FileID) throws(DBError) -> Int64 {
        if isDead { throw deadError(.ioerrFstat) }
        guard let f = files[file.raw] else { throw DBError(.ioerrFstat, ResultCode.ioerr.defaultMessage) }
        return Int64(f.file.bytes.count)
    }

    public func fileExists(_ path: String) -> Bool { fileSystem.names[path] != nil }

    public func delete(_ path: String) throws(DBError) {
        if isDead { throw deadError(.ioerrDelete) }
        if fileSystem.names.removeValue(forKey: path) == nil {
            throw DBError(.ioerrDeleteNoent, ResultCode.ioerr.defaultMessage, detail: path)
        }
    }

    public func syncDirectory(of path: String) throws(DBError) {
        if isDead { throw deadError(.ioerrDirFsync) }
        fileSystem.syncDirectory(of: path)
    }

    public func lock(_ file: FileID, offset: Int64, length: Int64, kind: FileLockKind) throws(DBError) -> Bool {
        if isDead { throw deadError(kind == .unlock ? .ioerrUnlock : .ioerrLock) }
        guard let f = files[file.raw]?.file else { throw DBError(.ioerrLock, ResultCode.ioerr.defaultMessage) }
        return f.locks.lock(owner: id, offset: offset, length: length, kind: kind)
    }

    /// Each back-end stands for its own process, so lock state is not shared between instances; the file
    /// system's address keeps back-ends of different file systems (numbered from 1 each) apart. It is a
    /// key for the process's inode table only, never output.
    public func fileIdentity(_ file: FileID) -> String {
        "simulated:\(UInt(bitPattern: ObjectIdentifier(fileSystem))):\(id):\(files[file.raw]?.path ?? "?")"
    }

    // MARK: requests

    public func submit(_ request: IORequest) {
        queued.append(request)
    }

    public func flush() {
        if queued.isEmpty { return }
        if isDead {
            for r in queued { ready.append(IOCompletion(tag: r.tag, result: -5)) }
            queued.removeAll(keepingCapacity: true)
            return
        }
        let now = fileSystem.nanoseconds
        for r in queued {
            let latency: UInt64
            switch r.kind {
            case .read: latency = draw(readLatency)
            case .write: latency = draw(writeLatency)
            case .sync, .dataSync: latency = draw(syncLatency)
            case .truncate: latency = draw(truncateLatency)
            }
            let end: UInt64
            if r.kind == .read || r.kind == .write {
                end = max(now, barrierEnd) + latency
            } else {
                // A barrier starts once everything before it has completed.
                end = max(now, horizon) + latency
                barrierEnd = end
            }
            horizon = max(horizon, end)
            sequence += 1
            insert(Scheduled(request: r, end: end, sequence: sequence))
        }
        queued.removeAll(keepingCapacity: true)
    }

    private func draw(_ range: ClosedRange<UInt64>) -> UInt64 {
        range.lowerBound + random.nextUInt64() % (range.upperBound - range.lowerBound + 1)
    }

    private func insert(_ s: Scheduled) {
        var lo = 0, hi = scheduled.count
        while lo < hi {
            let mid = (lo + hi) / 2
            let m = scheduled[mid]
            if m.end < s.end || (m.end == s.end && m.sequence < s.sequence) { lo = mid + 1 } else { hi = mid }
        }
        scheduled.insert(s, at: lo)
    }

    /// Moves the virtual clock to `time`, completing (and performing) every request due by then, in order.
    private func advance(to time: UInt64) {
        var due = 0
        while due < scheduled.count && scheduled[due].end <= time { due += 1 }
        let batch = scheduled[0..<due]
        scheduled.removeFirst(due)
        for s in batch {
            if isDead {
                ready.append(IOCompletion(tag: s.request.tag, result: -5))
                continue
            }
            fileSystem.nanoseconds = max(fileSystem.nanoseconds, s.end)
            ready.append(IOCompletion(tag: s.request.tag, result: perform(s.request)))
            fileSystem.requestCompleted()  // may cut the power: the rest of the batch then fails
        }
        fileSystem.nanoseconds = max(fileSystem.nanoseconds, time)
    }

    private func perform(_ r: IORequest) -> Int32 {
        guard let open = files[r.file.raw] else { return -9 }  // EBADF
        let fs = fileSystem
        let f = open.file
        switch r.kind {
        case .read:
            fs.stats.reads += 1
            guard let b = r.buffer, r.offset >= 0 else { return -14 }  // EFAULT
            switch fs.faults.decide(.read, path: open.path, random: fs.faultRandom) {
            case .error(let e)?:
                fs.stats.injectedErrors += 1
                return -e
            case .short?:
                fs.stats.shortTransfers += 1  // the rest is read at once, as a resubmission would
            case nil: break
            }
            let start = Int(r.offset)
            let n = max(0, min(r.length, f.bytes.count - start))
            if n > 0 { f.bytes.withUnsafeBytes { b.copyMemory(from: $0.baseAddress! + start, byteCount: n) } }
            return Int32(n)
        case .write:
            fs.stats.writes += 1
            guard let b = r.buffer, r.offset >= 0 else { return -14 }
            if open.readOnly { return -9 }
            let fault = fs.faults.decide(.write, path: open.path, random: fs.faultRandom)
            if case .error(let e)? = fault {
                fs.stats.injectedErrors += 1
                return -e
            }
            // Files live in memory: past the limit a write is EFBIG (MemoryBackend.maximumFileSize).
            if r.offset + Int64(r.length) > MemoryBackend.maximumFileSize { return -27 }
            let offset = Int(r.offset)
            var length = r.length
            var result = Int32(r.length)
            if let budget = fs.faults.spaceBudget {
                let growth = max(0, offset + length - f.bytes.count)
                let free = max(0, budget - fs.usedBytes)
                if growth > free {
                    // write(2) writes what fits, and the retry of the rest fails with ENOSPC.
                    length = max(0, min(length, f.bytes.count + free - offset))
                    result = -28
                    fs.stats.noSpace += 1
                }
            }
            guard length > 0 else { return result }
            let data = [UInt8](UnsafeRawBufferPointer(start: b, count: length))
            if fault == .short && length > 1 {
                // Two pieces, each its own unsynced write.
                fs.stats.shortTransfers += 1
                let split = 1 + Int(fs.faultRandom.nextUInt64() % UInt64(length - 1))
                f.perform(.write(offset: offset, bytes: Array(data[0..<split])))
                f.perform(.write(offset: offset + split, bytes: Array(data[split...])))
            } else {
                f.perform(.write(offset: offset, bytes: data))
            }
            return result
        case .sync, .dataSync:
            fs.stats.syncs += 1
            if case .error(let e)? = fs.faults.decide(.sync, path: open.path, random: fs.faultRandom) {
                fs.stats.injectedErrors += 1
                return -e
            }
            f.sync()
            return 0
        case .truncate:
            fs.stats.truncates += 1
            if open.readOnly { return -9 }
            guard r.offset >= 0 else { return -22 }  // EINVAL
            if r.offset > MemoryBackend.maximumFileSize { return -27 }  // EFBIG
            f.perform(.truncate(size: Int(r.offset)))
            return 0
        }
    }

    private func deliverReady(_ deliver: (IOCompletion) -> Void) -> Int {
        // Take the batch first: `deliver` may submit and wait again.
        let batch = ready
        ready.removeAll(keepingCapacity: true)
        for c in batch { deliver(c) }
        return batch.count
    }

    @discardableResult
    public func reap(_ deliver: (IOCompletion) -> Void) -> Int {
        if !scheduled.isEmpty { advance(to: fileSystem.nanoseconds + pollInterval) }
        return deliverReady(deliver)
    }

    public func wait(minimum: Int, _ deliver: (IOCompletion) -> Void) {
        flush()
        let need = min(minimum, ready.count + scheduled.count)
        if ready.count < need {
            advance(to: scheduled[need - ready.count - 1].end)
        }
        _ = deliverReady(deliver)
    }

    public var inFlight: Int { queued.count + scheduled.count + ready.count }
}
