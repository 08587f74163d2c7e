// The one conformance suite every IO back-end must pass (DESIGN.md, "I/O
// execution model"): each request completes exactly once with its tag; data
// written is read back; reads past the end are short; truncate and size agree;
// several requests submitted together form one batch; errors come back as
// negated errnos or DBErrors with SQLite's codes; locks conflict across owners.
import Testing
import TestSupport
import Base
import IO
import Foundation
#if canImport(Glibc)
import Glibc
#endif

enum BackendKind: String, CaseIterable, CustomTestStringConvertible {
    case syscall, memory
    /// The simulated back-end, its completion order decided by a fixed seed.
    case simulated
    #if os(Linux)
    /// io_uring as the default selection makes it.
    case ioUring = "io_uring"
    /// io_uring with a 4-entry ring (full submission queue, completions beyond the ring's size),
    /// truncate done synchronously, as on kernels before 6.9, and every write through the ring (no
    /// small waited-for batch copied inline).
    case ioUringSmall = "io_uring-small"
    /// io_uring confined to the test's thread (SINGLE_ISSUER|DEFER_TASKRUN where the kernel has them):
    /// completions are posted only when this thread waits for them.
    case ioUringConfined = "io_uring-confined"
    #endif
    var testDescription: String { rawValue }

    /// Back-ends over real files (POSIX locks are per process there).
    var usesRealFiles: Bool { self != .memory && self != .simulated }

    /// Two back-ends over the same files (two "processes" for the lock tests).
    func makePair() -> (IOBackend, IOBackend) {
        switch self {
        case .syscall: return (SyscallBackend(), SyscallBackend())
        case .memory:
            let fs = MemoryFileSystem()
            return (MemoryBackend(fileSystem: fs), MemoryBackend(fileSystem: fs))
        case .simulated:
            let fs = SimulatedFileSystem(seed: 0x5EED)
            return (SimulatedBackend(fileSystem: fs), SimulatedBackend(fileSystem: fs))
        #if os(Linux)
        case .ioUring: return (try! IOUringBackend(), try! IOUringBackend())
        case .ioUringSmall:
            return (try! IOUringBackend(entries: 4, allowNativeTruncate: false, inlineWrites: false),
                    try! IOUringBackend(entries: 4, allowNativeTruncate: false, inlineWrites: false))
        case .ioUringConfined:
            return (try! IOUringBackend(inlineWrites: false, confinedToThread: true),
                    try! IOUringBackend(inlineWrites: false, confinedToThread: true))
        #endif
        }
    }
}

/// Submits `requests` as one batch and returns their completions by tag.
func runBatch(_ io: IOBackend, _ requests: [IORequest]) -> [UInt64: IOCompletion] {
    for r in requests { io.submit(r) }
    var done: [UInt64: IOCompletion] = [:]
    while done.count < requests.count {
        io.wait(minimum: 1) { c in
            #expect(done[c.tag] == nil, "tag \(c.tag) completed twice")
            done[c.tag] = c
        }
    }
    #expect(io.inFlight == 0)
    return done
}

@Suite struct BackendConformanceTests {
    @Test(arguments: BackendKind.allCases)
    func writtenBytesReadBack(kind: BackendKind) throws {
        let (io, _) = kind.makePair()
        let path = scratchPath("a.db")
        let f = try io.open(path, options: [.create])
        defer { io.close(f) }
        var page = [UInt8](repeating: 0, count: 4096)
        for i in page.indices { page[i] = UInt8(truncatingIfNeeded: i &* 7) }
        var back = [UInt8](repeating: 0xEE, count: 4096)
        let done = page.withUnsafeBytes { src in
            runBatch(io, [.write(f, offset: 4096, from: src.baseAddress!, length: 4096, tag: 1),
                          .sync(f, dataOnly: true, tag: 2)])
        }
        #expect(done[1]?.result == 4096)
        #expect(done[2]?.result == 0)
        let read = back.withUnsafeMutableBytes { dst in
            runBatch(io, [.read(f, offset: 4096, into: dst.baseAddress!, length: 4096, tag: 3)])
        }
        #expect(read[3]?.result == 4096)
        #expect(back == page)
        #expect(try io.size(of: f) == 8192)
    }

    @Test(arguments: BackendKind.allCases)
    func readPastEndIsShort(kind: BackendKind) throws {
        let (io, _) = kind.makePair()
        let f = try io.open(scratchPath("b.db"), options: [.create])
        defer { io.close(f) }
        let data = [UInt8](repeating: 9, count: 100)
        _ = data.withUnsafeBytes { runBatch(io, [.write(f, offset: 0, from: $0.baseAddress!, length: 100, tag: 1)]) }
        var back = [UInt8](repeating: 0, count: 200)
        let r = back.withUnsafeMutableBytes {
            runBatch(io, [.read(f, offset: 50, into: $0.baseAddress!, length: 200, tag: 7),
                          .read(f, offset: 1000, into: $0.baseAddress!, length: 10, tag: 8)])
        }
        #expect(r[7]?.result == 50)
        #expect(r[8]?.result == 0)
        #expect(back[0..<50].allSatisfy { $0 == 9 })
    }

    @Test(arguments: BackendKind.allCases)
    func truncateShrinksAndGrows(kind: BackendKind) throws {
        let (io, _) = kind.makePair()
        let f = try io.open(scratchPath("c.db"), options: [.create])
        defer { io.close(f) }
        let data = [UInt8](repeating: 1, count: 8192)
        let r = data.withUnsafeBytes {
            runBatch(io, [.write(f, offset: 0, from: $0.baseAddress!, length: 8192, tag: 1),
                          .truncate(f, toSize: 1024, tag: 2)])
        }
        #expect(r[2]?.result == 0)
        #expect(try io.size(of: f) == 1024)
        _ = runBatch(io, [.truncate(f, toSize: 3000, tag: 3)])
        #expect(try io.size(of: f) == 3000)
    }

    @Test(arguments: BackendKind.allCases)
    func manyRequestsInOneBatchEachCompleteOnce(kind: BackendKind) throws {
        let (io, _) = kind.makePair()
        let f = try io.open(scratchPath("d.db"), options: [.create])
        defer { io.close(f) }
        let n = 64
        var pages = [[UInt8]](repeating: [], count: n)
        for i in 0..<n { pages[i] = [UInt8](repeating: UInt8(i), count: 512) }
        var requests: [IORequest] = []
        for i in 0..<n {
            pages[i].withUnsafeBytes {
                requests.append(.write(f, offset: Int64(i * 512), from: $0.baseAddress!, length: 512, tag: UInt64(i)))
            }
        }
        let done = runBatch(io, requests)
        #expect(done.count == n)
        #expect(done.values.allSatisfy { $0.result == 512 })
        let all = UnsafeMutableRawBufferPointer.allocate(byteCount: n * 512, alignment: 16)
        defer { all.deallocate() }
        var reads: [IORequest] = []
        for i in 0..<n {
            reads.append(.read(f, offset: Int64(i * 512), into: all.baseAddress! + i * 512, length: 512,
                               tag: UInt64(1000 + i)))
        }
        let back = runBatch(io, reads)
        #expect(back.count == n)
        for i in 0..<n { #expect(all[i * 512 + 100] == UInt8(i)) }
    }

    @Test(arguments: BackendKind.allCases)
    func openingAMissingFileIsCantOpen(kind: BackendKind) {
        let (io, _) = kind.makePair()
        #expect(throws: DBError.self) { try io.open(scratchPath("missing.db"), options: []) }
        do {
            _ = try io.open(scratchPath("missing.db"), options: [])
        } catch {
            #expect(error.code == .cantopen)
            #expect(error.message == "unable to open database file")
        }
    }

    @Test(arguments: BackendKind.allCases)
    func exclusiveLockConflictsAcrossOwners(kind: BackendKind) throws {
        let (a, b) = kind.makePair()
        let path = scratchPath("e.db")
        let fa = try a.open(path, options: [.create])
        let fb = try b.open(path, options: [])
        defer { a.close(fa); b.close(fb) }
        if kind.usesRealFiles {
            // POSIX locks are per process: two descriptors of one process never conflict.
            #expect(try a.lock(fa, offset: 100, length: 1, kind: .exclusive))
            #expect(try b.lock(fb, offset: 100, length: 1, kind: .exclusive))
            return
        }
        #expect(try a.lock(fa, offset: 100, length: 1, kind: .exclusive))
        #expect(try b.lock(fb, offset: 100, length: 1, kind: .shared) == false)
        #expect(try a.lock(fa, offset: 100, length: 1, kind: .unlock))
        #expect(try b.lock(fb, offset: 100, length: 1, kind: .shared))
        #expect(try a.lock(fa, offset: 100, length: 1, kind: .shared))
        #expect(try b.lock(fb, offset: 100, length: 1, kind: .exclusive) == false)
    }

    @Test(arguments: BackendKind.allCases)
    func deleteAndExists(kind: BackendKind) throws {
        let (io, _) = kind.makePair()
        let path = scratchPath("f.db")
        let f = try io.open(path, options: [.create])
        io.close(f)
        #expect(io.fileExists(path))
        try io.delete(path)
        #expect(!io.fileExists(path))
        do {
            try io.delete(path)
            Issue.record("deleting a missing file succeeded")
        } catch {
            #expect(error.code == .ioerrDeleteNoent)
        }
    }

    /// Requests around barriers keep their order: a truncate runs after the writes before it and before the
    /// writes after it, and a sync covers every write queued before it.
    @Test(arguments: BackendKind.allCases)
    func barriersOrderTheRequestsAroundThem(kind: BackendKind) throws {
        let (io, _) = kind.makePair()
        let f = try io.open(scratchPath("g.db"), options: [.create])
        defer { io.close(f) }
        let ones = [UInt8](repeating: 1, count: 8192)
        let twos = [UInt8](repeating: 2, count: 100)
        let r = ones.withUnsafeBytes { a in
            twos.withUnsafeBytes { b in
                runBatch(io, [.write(f, offset: 0, from: a.baseAddress!, length: 8192, tag: 1),
                              .truncate(f, toSize: 1024, tag: 2),
                              .write(f, offset: 2048, from: b.baseAddress!, length: 100, tag: 3),
                              .sync(f, dataOnly: false, tag: 4),
                              .write(f, offset: 4096, from: b.baseAddress!, length: 100, tag: 5),
                              .sync(f, dataOnly: true, tag: 6)])
            }
        }
        #expect(r.count == 6)
        #expect(r.values.allSatisfy { !$0.isError })
        #expect(try io.size(of: f) == 4196)
        var back = [UInt8](repeating: 0xEE, count: 4196)
        let read = back.withUnsafeMutableBytes { runBatch(io, [.read(f, offset: 0, into: $0.baseAddress!, length: 4196, tag: 9)]) }
        #expect(read[9]?.result == 4196)
        #expect(back[0..<1024].allSatisfy { $0 == 1 })
        #expect(back[1024..<2048].allSatisfy { $0 == 0 })
        #expect(back[2048..<2148].allSatisfy { $0 == 2 })
        #expect(back[2148..<4096].allSatisfy { $0 == 0 })
        #expect(back[4096..<4196].allSatisfy { $0 == 2 })
    }

    /// More reads outstanding at once than any ring holds; each completes once, with its own page.
    @Test(arguments: BackendKind.allCases)
    func manyOutstandingReads(kind: BackendKind) throws {
        let (io, _) = kind.makePair()
        let f = try io.open(scratchPath("h.db"), options: [.create])
        defer { io.close(f) }
        let pages = 64, size = 512, n = 1500
        var file = [UInt8](repeating: 0, count: pages * size)
        for p in 0..<pages { for i in 0..<size { file[p * size + i] = UInt8(truncatingIfNeeded: p &* 31 &+ i) } }
        _ = file.withUnsafeBytes { runBatch(io, [.write(f, offset: 0, from: $0.baseAddress!, length: file.count, tag: 0)]) }
        let into = UnsafeMutableRawBufferPointer.allocate(byteCount: n * size, alignment: 16)
        defer { into.deallocate() }
        var reads: [IORequest] = []
        for k in 0..<n {
            reads.append(.read(f, offset: Int64((k * 7) % pages * size), into: into.baseAddress! + k * size,
                               length: size, tag: UInt64(k)))
        }
        let done = runBatch(io, reads)
        #expect(done.count == n)
        #expect(done.values.allSatisfy { $0.result == Int32(size) })
        var wrong = 0
        for k in 0..<n {
            let p = (k * 7) % pages
            for i in stride(from: 0, to: size, by: 97) where into[k * size + i] != file[p * size + i] { wrong += 1 }
        }
        #expect(wrong == 0)
    }

    /// A read that crosses the end of file stops there; one wholly past it returns 0; the same in one batch
    /// with a write that extends the file after a barrier.
    @Test(arguments: BackendKind.allCases)
    func shortReadAtEndOfFile(kind: BackendKind) throws {
        let (io, _) = kind.makePair()
        let f = try io.open(scratchPath("i.db"), options: [.create])
        defer { io.close(f) }
        let data = [UInt8](repeating: 5, count: 1000)
        var back = [UInt8](repeating: 0, count: 4096)
        let r = data.withUnsafeBytes { d in
            back.withUnsafeMutableBytes { b in
                runBatch(io, [.write(f, offset: 0, from: d.baseAddress!, length: 1000, tag: 1),
                              .sync(f, dataOnly: true, tag: 2),
                              .read(f, offset: 0, into: b.baseAddress!, length: 4096, tag: 3),
                              .read(f, offset: 999, into: b.baseAddress! + 2048, length: 4, tag: 4)])
            }
        }
        #expect(r[3]?.result == 1000)
        #expect(r[4]?.result == 1)
        #expect(back[0..<1000].allSatisfy { $0 == 5 })
    }

    /// Errors come back as negated errnos in the completion, not as traps: writing a read-only descriptor.
    @Test(arguments: BackendKind.allCases.filter { $0 != .memory })
    func writeToReadOnlyFileFails(kind: BackendKind) throws {
        let (io, _) = kind.makePair()
        let path = scratchPath("j.db")
        io.close(try io.open(path, options: [.create]))
        let f = try io.open(path, options: [.readOnly])
        defer { io.close(f) }
        let data = [UInt8](repeating: 5, count: 10)
        let r = data.withUnsafeBytes { runBatch(io, [.write(f, offset: 0, from: $0.baseAddress!, length: 10, tag: 1)]) }
        #expect(r[1]?.errno == EBADF)
    }

    /// `flush` and `reap`, without waiting, eventually deliver everything; a completion handler may submit more.
    @Test(arguments: BackendKind.allCases)
    func reapDeliversAndHandlersMaySubmit(kind: BackendKind) throws {
        let (io, _) = kind.makePair()
        let f = try io.open(scratchPath("k.db"), options: [.create])
        defer { io.close(f) }
        let data = [UInt8](repeating: 3, count: 256)
        var seen: [UInt64] = []
        data.withUnsafeBytes { d in
            io.submit(.write(f, offset: 0, from: d.baseAddress!, length: 256, tag: 1))
            io.flush()
            var spins = 0
            while io.inFlight > 0 && spins < 1_000_000 {
                io.flush()
                io.reap { c in
                    seen.append(c.tag)
                    if c.tag == 1 { io.submit(.write(f, offset: 256, from: d.baseAddress!, length: 256, tag: 2)) }
                }
                spins += 1
            }
        }
        #expect(seen == [1, 2])
        #expect(try io.size(of: f) == 512)
    }

    /// Registered buffers: a read into and a write out of a registered buffer move the same bytes as
    /// plain ones, a remainder of a short transfer included; back-ends without them answer nil.
    @Test(arguments: BackendKind.allCases)
    func registeredBuffersMoveTheSameBytes(kind: BackendKind) throws {
        let (io, _) = kind.makePair()
        let f = try io.open(scratchPath("fixed.db"), options: [.create])
        defer { io.close(f) }
        let size = 8192
        let memory = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 4096)
        defer { memory.deallocate() }
        for i in 0..<size { memory.storeBytes(of: UInt8(truncatingIfNeeded: i * 7), toByteOffset: i, as: UInt8.self) }
        let index = io.registerBuffer(memory, length: size)
        #if os(Linux)
        if kind == .ioUring { #expect(index != nil) }  // refused only under a tight RLIMIT_MEMLOCK
        #endif
        if kind == .syscall || kind == .memory || kind == .simulated { #expect(index == nil) }
        var write = IORequest.write(f, offset: 4096, from: memory, length: size, tag: 1)
        write.fixedBuffer = index ?? -1
        #expect(runBatch(io, [write])[1]?.result == Int32(size))
        memory.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        // Past the end of file: the second half comes back short, then 0 (the rest resubmitted).
        var read = IORequest.read(f, offset: 4096 + 4096, into: memory + 100, length: size - 100, tag: 2)
        read.fixedBuffer = index ?? -1
        #expect(runBatch(io, [read])[2]?.result == 4096)
        for i in 0..<4096 {
            if memory.load(fromByteOffset: 100 + i, as: UInt8.self) != UInt8(truncatingIfNeeded: (4096 + i) * 7) {
                Issue.record("byte \(i) differs")
                break
            }
        }
        if let index { io.unregisterBuffer(index) }
    }
}

#if os(Linux)
/// Which writes the io_uring back-end copies on the waiting caller's thread instead of handing them to a
/// kernel worker (IOUringBackend.swift, "Small buffered writes the caller waits for").
@Suite struct IOUringInlineWriteTests {
    /// A small batch of writes that `wait` finds alone is copied inline; a batch ending in a sync, one
    /// over the size limit, and writes handed over by `flush` go to the ring. All read back the same.
    @Test func onlySmallUnsyncedWaitedBatchesAreCopiedInline() throws {
        let io = try IOUringBackend(inlineWrites: true)
        let f = try io.open(scratchPath("inline.db"), options: [.create])
        defer { io.close(f) }
        let limit = IOUringBackend.inlineWriteLimit
        let page = [UInt8](repeating: 7, count: limit + 4096)
        page.withUnsafeBytes { b in
            let p = b.baseAddress!
            _ = runBatch(io, [.write(f, offset: 0, from: p, length: 4096, tag: 1),
                              .write(f, offset: 4096, from: p, length: 4096, tag: 2)])
            #expect(io.inlinedWrites == 2)
            _ = runBatch(io, [.write(f, offset: 8192, from: p, length: 4096, tag: 3), .sync(f, dataOnly: true, tag: 4)])
            #expect(io.inlinedWrites == 2)
            _ = runBatch(io, [.write(f, offset: 0, from: p, length: limit + 4096, tag: 5)])
            #expect(io.inlinedWrites == 2)
            io.submit(.write(f, offset: 0, from: p, length: 4096, tag: 6))
            io.flush()
            var got = 0
            while got == 0 { io.wait(minimum: 1) { _ in got += 1 } }
            #expect(io.inlinedWrites == 2)
        }
        var back = [UInt8](repeating: 0, count: limit + 4096)
        let r = back.withUnsafeMutableBytes { runBatch(io, [.read(f, offset: 0, into: $0.baseAddress!, length: limit + 4096, tag: 9)]) }
        #expect(r[9]?.result == Int32(limit + 4096))
        #expect(back.allSatisfy { $0 == 7 })
    }

    /// A failed inline write reports its errno in the completion, as the ring would.
    @Test func aFailedInlineWriteCompletesWithItsErrno() throws {
        let path = scratchPath("ro.db")
        let rw = try IOUringBackend(inlineWrites: true)
        rw.close(try rw.open(path, options: [.create]))
        let f = try rw.open(path, options: [.readOnly])
        defer { rw.close(f) }
        let bytes = [UInt8](repeating: 1, count: 100)
        let r = bytes.withUnsafeBytes { runBatch(rw, [.write(f, offset: 0, from: $0.baseAddress!, length: 100, tag: 1)]) }
        #expect(r[1]?.result == -EBADF)
        #expect(rw.inlinedWrites == 1)
    }
}
#endif

#if os(Linux)
/// Rings outlive their back-ends (RingPool.swift): the next back-end takes an idle ring, and finds it as
/// clean as a new one — no eventfd, no registered file or buffer of the previous owner, no stale completion.
@Suite(.serialized) struct IOUringRingPoolTests {
    @Test func aReturnedRingServesTheNextBackEndClean() throws {
        let path = scratchPath("pool.db")
        let page = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 4096)
        defer { page.deallocate() }
        do {
            // Leaves everything behind that deinit must clear: an open file, a registered buffer,
            // an eventfd, a request submitted and never waited for.
            let first = try IOUringBackend(entries: 8)
            let f = try first.open(path, options: [.create])
            page.initializeMemory(as: UInt8.self, repeating: 1, count: 4096)
            let index = first.registerBuffer(page, length: 4096)
            _ = first.completionNotifier()
            var w = IORequest.write(f, offset: 0, from: page, length: 4096, tag: 1)
            w.fixedBuffer = index ?? -1
            first.submit(w)
            first.flush()
        }
        let idle = IOUringBackend.idleRings
        #expect(idle >= 1)
        let second = try IOUringBackend(entries: 8)
        #expect(IOUringBackend.idleRings == idle - 1)
        #expect(second.inFlight == 0)
        #expect(second.reap { _ in Issue.record("a completion of the ring's previous owner") } == 0)
        // The previous eventfd was unregistered: the kernel accepts a new one (EBUSY otherwise).
        #expect(second.completionNotifier() != nil)
        let f = try second.open(path, options: [])
        defer { second.close(f) }
        var back = [UInt8](repeating: 0, count: 4096)
        let r = back.withUnsafeMutableBytes { runBatch(second, [.read(f, offset: 0, into: $0.baseAddress!, length: 4096, tag: 2)]) }
        #expect(r[2]?.result == 4096)
        #expect(back.allSatisfy { $0 == 1 })
        // The buffer table starts empty again: the first slot is free for this owner's memory.
        #expect(second.registerBuffer(page, length: 4096) == 0)
        second.unregisterBuffer(0)
    }

    @Test func aConfinedRingDefersCompletionsAndIsNeverPooled() throws {
        let path = scratchPath("confined.db")
        let idle = IOUringBackend.idleRings
        do {
            let io = try IOUringBackend(inlineWrites: false, confinedToThread: true)
            // Kernels before 6.1 refuse DEFER_TASKRUN; the back-end then runs as a shared ring.
            var u = utsname()
            uname(&u)
            let release = withUnsafeBytes(of: u.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            let version = release.split(separator: ".").prefix(2).compactMap { Int($0.prefix { $0.isNumber }) }
            if version.count == 2 && (version[0], version[1]) >= (6, 1) { #expect(io.isConfinedToThread) }
            // Nothing could poll for its completions from another thread.
            #expect(io.completionNotifier() == nil)
            let f = try io.open(path, options: [.create])
            defer { io.close(f) }
            // A batch handed to kernel workers (buffered writes, then a sync) completes whole for one waiter.
            let pages = UnsafeMutableRawPointer.allocate(byteCount: 64 * 4096, alignment: 4096)
            defer { pages.deallocate() }
            var requests: [IORequest] = []
            for i in 0..<64 {
                (pages + i * 4096).initializeMemory(as: UInt8.self, repeating: UInt8(i), count: 4096)
                requests.append(.write(f, offset: Int64(i) * 4096, from: pages + i * 4096, length: 4096, tag: UInt64(i)))
            }
            requests.append(.sync(f, dataOnly: true, tag: 1000))
            let done = runBatch(io, requests)
            #expect(done.count == 65 && done.values.allSatisfy { !$0.isError })
            var back = [UInt8](repeating: 0, count: 4096)
            let r = back.withUnsafeMutableBytes { runBatch(io, [.read(f, offset: 63 * 4096, into: $0.baseAddress!, length: 4096, tag: 7)]) }
            #expect(r[7]?.result == 4096 && back.allSatisfy { $0 == 63 })
        }
        #expect(IOUringBackend.idleRings == idle, "a confined ring went to the pool")
    }
}
#endif
