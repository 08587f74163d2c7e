// The simulated back-end's own rules, beyond the conformance suite: the seed
// alone decides the completion order (and barriers still order requests);
// each injected fault surfaces as the completion the protocol promises; a power
// cut keeps what was synced and keeps, drops or tears what was not; name
// changes are durable only after a directory sync; a back-end from before the
// cut fails with EIO.
import Testing
import Base
import IO

private let path = "/sim/a.db"

/// Submits `requests` as one batch and returns (tag, result) in delivery order.
private func deliveryOrder(_ io: IOBackend, _ requests: [IORequest]) -> [IOCompletion] {
    for r in requests { io.submit(r) }
    var order: [IOCompletion] = []
    while io.inFlight > 0 { io.wait(minimum: 1) { order.append($0) } }
    return order
}

/// 16 writes, a sync, 16 more writes, a truncate, 16 reads; returns the tags in completion order.
private func scheduledRun(seed: UInt64) throws -> (tags: [UInt64], clock: UInt64) {
    let fs = SimulatedFileSystem(seed: seed)
    let io = SimulatedBackend(fileSystem: fs)
    let f = try io.open(path, options: [.create])
    let page = [UInt8](repeating: 7, count: 512)
    let into = UnsafeMutableRawPointer.allocate(byteCount: 16 * 512, alignment: 16)
    defer { into.deallocate() }
    var requests: [IORequest] = []
    page.withUnsafeBytes { p in
        for i in 0..<16 { requests.append(.write(f, offset: Int64(i * 512), from: p.baseAddress!, length: 512, tag: UInt64(i))) }
        requests.append(.sync(f, dataOnly: true, tag: 100))
        for i in 16..<32 { requests.append(.write(f, offset: Int64(i * 512), from: p.baseAddress!, length: 512, tag: UInt64(i))) }
    }
    requests.append(.truncate(f, toSize: 20 * 512, tag: 101))
    for i in 0..<16 { requests.append(.read(f, offset: Int64(i * 512), into: into + i * 512, length: 512, tag: UInt64(200 + i))) }
    let done = page.withUnsafeBytes { _ in deliveryOrder(io, requests) }
    #expect(done.allSatisfy { !$0.isError })
    return (done.map(\.tag), io.nanoseconds)
}

@Suite struct SimulatedBackendTests {
    @Test func theSameSeedGivesTheSameCompletionOrder() throws {
        for seed: UInt64 in [0, 1, 42, 0xDEAD_BEEF] {
            let a = try scheduledRun(seed: seed), b = try scheduledRun(seed: seed)
            #expect(a.tags == b.tags)
            #expect(a.clock == b.clock)
        }
    }

    @Test func differentSeedsGiveDifferentOrdersThatKeepTheBarriers() throws {
        var orders: [[UInt64]] = []
        for seed: UInt64 in 0..<8 {
            let tags = try scheduledRun(seed: seed).tags
            // The barriers split the run into three groups that never mix.
            let sync = tags.firstIndex(of: 100)!, truncate = tags.firstIndex(of: 101)!
            #expect(Set(tags[..<sync]) == Set(0..<16))
            #expect(Set(tags[(sync + 1)..<truncate]) == Set(16..<32))
            #expect(Set(tags[(truncate + 1)...]) == Set(200..<216))
            if !orders.contains(tags) { orders.append(tags) }
        }
        #expect(orders.count == 8)
        // Within a group the order is not simply submission order.
        #expect(orders.contains { Array($0[0..<16]) != Array(0..<16) })
    }

    @Test func theNthReadWriteAndSyncFailWithTheirErrno() throws {
        let fs = SimulatedFileSystem(seed: 3)
        fs.faults.add(.init(.write, nth: 2, effect: .error(5)))
        fs.faults.add(.init(.read, nth: 1, pathSuffix: "-journal", effect: .error(5)))
        fs.faults.add(.init(.sync, nth: 1, effect: .error(5)))
        let io = SimulatedBackend(fileSystem: fs)
        let f = try io.open(path, options: [.create])
        let j = try io.open(path + "-journal", options: [.create])
        let data = [UInt8](repeating: 1, count: 100)
        var back = [UInt8](repeating: 0xEE, count: 100)
        let w = data.withUnsafeBytes { d in
            deliveryOrder(io, [.write(f, offset: 0, from: d.baseAddress!, length: 100, tag: 1),
                               .sync(f, dataOnly: false, tag: 2)])
            + deliveryOrder(io, [.write(f, offset: 100, from: d.baseAddress!, length: 100, tag: 3)])
            + deliveryOrder(io, [.write(j, offset: 0, from: d.baseAddress!, length: 100, tag: 4)])
        }
        let result = Dictionary(uniqueKeysWithValues: w.map { ($0.tag, $0.result) })
        #expect(result == [1: 100, 2: -5, 3: -5, 4: 100])
        #expect(fs.contents(of: path)?.count == 100)  // the failed write had no effect
        let r = back.withUnsafeMutableBytes { b in
            deliveryOrder(io, [.read(f, offset: 0, into: b.baseAddress!, length: 100, tag: 5)])
            + deliveryOrder(io, [.read(j, offset: 0, into: b.baseAddress!, length: 100, tag: 6)])
        }
        #expect(r.map(\.result) == [100, -5])
        #expect(fs.stats.injectedErrors == 3)
        // The failed sync made nothing durable.
        #expect(fs.durableContents(of: path) == nil || fs.durableContents(of: path) == [])
    }

    @Test func shortTransfersStillCompleteInFull() throws {
        let fs = SimulatedFileSystem(seed: 9)
        fs.faults.add(.init(.write, nth: 1, effect: .short))
        fs.faults.add(.init(.read, nth: 1, effect: .short))
        let io = SimulatedBackend(fileSystem: fs)
        let f = try io.open(path, options: [.create])
        var data = [UInt8](repeating: 0, count: 4096)
        for i in data.indices { data[i] = UInt8(truncatingIfNeeded: i * 13) }
        var back = [UInt8](repeating: 0, count: 4096)
        let w = data.withUnsafeBytes { deliveryOrder(io, [.write(f, offset: 0, from: $0.baseAddress!, length: 4096, tag: 1)]) }
        let r = back.withUnsafeMutableBytes { deliveryOrder(io, [.read(f, offset: 0, into: $0.baseAddress!, length: 4096, tag: 2)]) }
        #expect(w.map(\.result) == [4096])
        #expect(r.map(\.result) == [4096])
        #expect(back == data)
        #expect(fs.stats.shortTransfers == 2)
    }

    @Test func aWritePastTheSpaceBudgetFailsWithENOSPCAfterWritingWhatFits() throws {
        let fs = SimulatedFileSystem(seed: 1)
        fs.faults.spaceBudget = 1000
        let io = SimulatedBackend(fileSystem: fs)
        let f = try io.open(path, options: [.create])
        let data = [UInt8](repeating: 4, count: 1500)
        let w = data.withUnsafeBytes { d in
            deliveryOrder(io, [.write(f, offset: 0, from: d.baseAddress!, length: 1500, tag: 1)])
            + deliveryOrder(io, [.write(f, offset: 0, from: d.baseAddress!, length: 800, tag: 2)])
        }
        #expect(w.map(\.result) == [-28, 800])  // an overwrite inside the file needs no space
        #expect(try io.size(of: f) == 1000)
        #expect(fs.stats.noSpace == 1)
        fs.faults.spaceBudget = nil
        let again = data.withUnsafeBytes { deliveryOrder(io, [.write(f, offset: 0, from: $0.baseAddress!, length: 1500, tag: 3)]) }
        #expect(again.map(\.result) == [1500])
    }

    @Test func probabilisticFaultsFollowTheSeed() throws {
        func errors(seed: UInt64) throws -> [UInt64] {
            let fs = SimulatedFileSystem(seed: seed)
            fs.faults.errorsPerMillion = (read: 0, write: 300_000, sync: 0)
            let io = SimulatedBackend(fileSystem: fs)
            let f = try io.open(path, options: [.create])
            let data = [UInt8](repeating: 2, count: 64)
            let done = data.withUnsafeBytes { d in
                deliveryOrder(io, (0..<100).map { .write(f, offset: Int64($0 * 64), from: d.baseAddress!, length: 64, tag: UInt64($0)) })
            }
            #expect(done.allSatisfy { $0.result == 64 || $0.result == -5 })
            return done.filter(\.isError).map(\.tag).sorted()
        }
        let a = try errors(seed: 5)
        #expect(a == (try errors(seed: 5)))
        #expect(a != (try errors(seed: 6)))
        #expect(a.count > 10 && a.count < 60)
    }

    /// Writes 4 KiB of 1s and syncs, then 4 KiB of 2s over the same place and 4 KiB of 3s after it, unsynced.
    private func prepare(seed: UInt64) throws -> (SimulatedFileSystem, SimulatedBackend) {
        let fs = SimulatedFileSystem(seed: seed)
        let io = SimulatedBackend(fileSystem: fs)
        let f = try io.open(path, options: [.create])
        try io.syncDirectory(of: path)
        let ones = [UInt8](repeating: 1, count: 4096), twos = [UInt8](repeating: 2, count: 4096)
        let threes = [UInt8](repeating: 3, count: 4096)
        _ = ones.withUnsafeBytes { deliveryOrder(io, [.write(f, offset: 0, from: $0.baseAddress!, length: 4096, tag: 1),
                                                       .sync(f, dataOnly: true, tag: 2)]) }
        _ = twos.withUnsafeBytes { t in
            threes.withUnsafeBytes { h in
                deliveryOrder(io, [.write(f, offset: 0, from: t.baseAddress!, length: 4096, tag: 3),
                                   .write(f, offset: 4096, from: h.baseAddress!, length: 4096, tag: 4)])
            }
        }
        #expect(fs.contents(of: path) == twos + threes)
        return (fs, io)
    }

    @Test func powerLossKeepsSyncedDataAndDropsOrKeepsTheRest() throws {
        let (fs, io) = try prepare(seed: 1)
        fs.powerLoss(mode: .dropUnsynced)
        #expect(fs.contents(of: path) == [UInt8](repeating: 1, count: 4096))
        #expect(io.isDead)
        let (fs2, _) = try prepare(seed: 1)
        fs2.powerLoss(mode: .keepUnsynced)
        #expect(fs2.contents(of: path) == [UInt8](repeating: 2, count: 4096) + [UInt8](repeating: 3, count: 4096))
    }

    @Test func randomPowerLossKeepsDropsAndTearsUnsyncedWrites() throws {
        var outcomes: Set<String> = []
        for seed: UInt64 in 0..<64 {
            let (fs, _) = try prepare(seed: seed)
            fs.powerLoss(mode: .random)
            let bytes = fs.contents(of: path)!
            #expect(bytes.count >= 4096 && bytes.count <= 8192 && bytes.count % 512 == 0)
            // Every sector is the synced 1s or the unsynced 2s (first 4 KiB), the 3s or zeros (the rest).
            var sectors = ""
            for s in stride(from: 0, to: bytes.count, by: 512) {
                let v = bytes[s]
                #expect(bytes[s..<(s + 512)].allSatisfy { $0 == v })
                #expect(s < 4096 ? (v == 1 || v == 2) : (v == 3 || v == 0))
                sectors += String(v)
            }
            // Torn writes keep a prefix: once a sector is old, the rest of that write is old too.
            #expect(!sectors.prefix(8).contains("12"))
            #expect(!sectors.dropFirst(8).contains("03"))
            outcomes.insert(sectors)
            // A second run from the same seed tears the same way.
            let (again, _) = try prepare(seed: seed)
            again.powerLoss(mode: .random)
            #expect(again.contents(of: path) == bytes)
        }
        #expect(outcomes.contains("11111111"))                      // both dropped
        #expect(outcomes.contains("2222222233333333"))              // both kept
        #expect(outcomes.contains { $0.hasPrefix("2") && $0.prefix(8).contains("1") })  // the first torn
    }

    @Test func aBackendFromBeforeThePowerCutFailsWithEIO() throws {
        let (fs, io) = try prepare(seed: 2)
        let f = try io.open(path, options: [])
        fs.powerLoss(mode: .dropUnsynced)
        var back = [UInt8](repeating: 0, count: 16)
        let r = back.withUnsafeMutableBytes { deliveryOrder(io, [.read(f, offset: 0, into: $0.baseAddress!, length: 16, tag: 1)]) }
        #expect(r.map(\.result) == [-5])
        #expect(throws: DBError.self) { try io.open(path, options: []) }
        #expect(throws: DBError.self) { try io.lock(f, offset: 0, length: 1, kind: .shared) }
        let fresh = SimulatedBackend(fileSystem: fs)
        let g = try fresh.open(path, options: [])
        let r2 = back.withUnsafeMutableBytes { deliveryOrder(fresh, [.read(g, offset: 0, into: $0.baseAddress!, length: 16, tag: 2)]) }
        #expect(r2.map(\.result) == [16])
        #expect(back == [UInt8](repeating: 1, count: 16))
    }

    @Test func cutPowerFiresAfterTheGivenNumberOfRequests() throws {
        let fs = SimulatedFileSystem(seed: 4)
        let io = SimulatedBackend(fileSystem: fs)
        let f = try io.open(path, options: [.create])
        try io.syncDirectory(of: path)
        let data = [UInt8](repeating: 8, count: 512)
        fs.cutPower(afterRequests: 3, mode: .keepUnsynced)
        let done = data.withUnsafeBytes { d in
            deliveryOrder(io, (0..<6).map { .write(f, offset: Int64($0 * 512), from: d.baseAddress!, length: 512, tag: UInt64($0)) })
        }
        #expect(done.filter { $0.result == 512 }.count == 3)
        #expect(done.filter { $0.result == -5 }.count == 3)
        #expect(fs.stats.powerLosses == 1)
        // What completed before the cut is on "disk" (kept), nothing after.
        let bytes = fs.contents(of: path)!
        let landed = done.filter { $0.result == 512 }.map { Int($0.tag) }
        for i in 0..<6 where i * 512 < bytes.count {
            #expect((bytes[i * 512] == 8) == landed.contains(i))
        }
    }

    @Test func createdAndDeletedNamesAreDurableOnlyAfterADirectorySync() throws {
        let fs = SimulatedFileSystem(seed: 0)
        let io = SimulatedBackend(fileSystem: fs)
        io.close(try io.open("/d/kept", options: [.create]))
        try io.syncDirectory(of: "/d/kept")
        io.close(try io.open("/d/lost", options: [.create]))
        io.close(try io.open("/e/other", options: [.create]))
        try io.syncDirectory(of: "/d/x")  // another directory's entries stay unsynced
        try io.delete("/d/kept")
        fs.powerLoss(mode: .dropUnsynced)
        #expect(fs.paths == ["/d/kept", "/d/lost"])  // the delete is undone, /e/other never reached the disk
        let io2 = SimulatedBackend(fileSystem: fs)
        try io2.delete("/d/kept")
        try io2.syncDirectory(of: "/d/kept")
        fs.powerLoss(mode: .dropUnsynced)
        #expect(fs.paths == ["/d/lost"])
    }
}
