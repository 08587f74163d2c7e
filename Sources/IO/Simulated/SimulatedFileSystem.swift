// SimulatedFileSystem: in-memory files that know what a power cut would keep.
//
// The state shared by every `SimulatedBackend` (every simulated "process") over
// one set of files: each file's bytes as readers see them (*volatile*), the
// image a sync last made durable, and the writes and truncates done since (the
// *unsynced* operations, in the order they took effect); a namespace (path ->
// file) as seen now and as a directory sync last made durable; the virtual
// clock; the fault plan (SimulatedFaults.swift); the lock table.
//
// Invariants:
// - A file's volatile bytes are always its durable image with its unsynced
//   operations replayed in order; a successful sync of the file makes the
//   volatile bytes durable and empties the list.
// - A created or deleted name is durable only after `syncDirectory` of its
//   directory (fsync of the directory, as POSIX requires).
// - `powerLoss(mode:)` replays each file's unsynced operations onto its durable
//   image, each kept, dropped or torn (a prefix of 512-byte sectors) as the mode
//   and the seed decide, and each unsynced name change kept or undone; the
//   result becomes both images, every lock is released and every back-end
//   opened before the cut fails from then on (EIO), as a dead process would.
// - Determinism (DESIGN.md decision 6): every random choice comes from seeded
//   SplitMix64 streams (`SeededRandom`); whenever several files or names are
//   visited, they are visited in sorted path order, never dictionary order.
//   Nothing reads the wall clock: time is the virtual `nanoseconds` counter.
//
// Confinement: like `MemoryFileSystem`, one thread at a time (tests and the
// simulator drive every connection of a file system from one thread).

import Base

/// What a power cut does to the writes, truncates and name changes not yet made durable by a sync.
public enum PowerLossMode: Sendable, Equatable {
    /// Everything not synced is lost (the strictest reading of POSIX).
    case dropUnsynced
    /// Everything reached the disk (a process crash, kill -9, rather than a power cut).
    case keepUnsynced
    /// Each unsynced write is kept, dropped or torn (a prefix of its sectors kept, and the file perhaps
    /// extended over the rest with zeros); each truncate and unsynced name change kept or undone.
    case random
}

/// Counters of what the file system did (tests, the simulator's report).
public struct SimulatedStats: Sendable, Equatable {
    public var reads = 0, writes = 0, syncs = 0, truncates = 0
    public var injectedErrors = 0, shortTransfers = 0, noSpace = 0
    public var powerLosses = 0
    public var keptWrites = 0, droppedWrites = 0, tornWrites = 0
    public init() {}
}

/// A set of in-memory files with durable and volatile contents, shared by simulated back-ends.
public final class SimulatedFileSystem: @unchecked Sendable {
    /// The size of a sector: the unit a torn write keeps.
    public static let sectorSize = 512

    /// One file (an inode): it outlives its name while a back-end has it open.
    final class File {
        enum Op {
            case write(offset: Int, bytes: [UInt8])
            case truncate(size: Int)
        }
        var bytes: [UInt8] = []
        var durable: [UInt8] = []
        var unsynced: [Op] = []
        var locks = ByteRangeLocks<Int>()

        func apply(_ op: Op, to image: inout [UInt8]) {
            switch op {
            case .write(let offset, let data):
                if data.isEmpty { return }
                let end = offset + data.count
                if image.count < end { image += [UInt8](repeating: 0, count: end - image.count) }
                // A plain copy: replaceSubrange is generic and slow in the debug builds tests run.
                image.withUnsafeMutableBytes { dst in
                    data.withUnsafeBytes { src in (dst.baseAddress! + offset).copyMemory(from: src.baseAddress!, byteCount: src.count) }
                }
            case .truncate(let size):
                if size < image.count { image.removeLast(image.count - size) } else {
                    image += [UInt8](repeating: 0, count: size - image.count)
                }
            }
        }

        func perform(_ op: Op) {
            apply(op, to: &bytes)
            unsynced.append(op)
        }

        func sync() {
            durable = bytes
            unsynced.removeAll()
        }
    }

    /// Names as readers see them now, and as the last directory sync left them on disk.
    var names: [String: File] = [:]
    var durableNames: [String: File] = [:]

    /// The seed every random stream of this file system derives from.
    public let seed: UInt64
    /// The virtual clock, in nanoseconds: it moves only when a back-end waits for a completion.
    public internal(set) var nanoseconds: UInt64 = 0
    /// Faults to inject (see SimulatedFaults.swift).
    public var faults = SimulatedFaultPlan()
    public internal(set) var stats = SimulatedStats()
    /// Bumped by every power loss: a back-end created in an earlier epoch is dead.
    public internal(set) var epoch = 0
    /// Requests that have taken effect (all back-ends, all kinds), counted for `cutPower(afterRequests:)`.
    public internal(set) var completedRequests = 0
    /// A power loss armed to happen when `completedRequests` reaches the count.
    var scheduledCut: (afterRequests: Int, mode: PowerLossMode)?
    var nextBackendID = 1
    let faultRandom: SeededRandom
    let powerRandom: SeededRandom

    public init(seed: UInt64 = 0) {
        self.seed = seed
        faultRandom = SeededRandom(seed: seed ^ 0x6661_756C_7473_0001)
        powerRandom = SeededRandom(seed: seed ^ 0x706F_7765_7200_0002)
    }

    /// The seed of the n-th back-end's scheduler stream.
    func schedulerSeed(_ backend: Int) -> UInt64 {
        seed &+ UInt64(backend) &* 0x9E37_79B9_7F4A_7C15 ^ 0x7363_6865_6400_0003
    }

    // MARK: inspecting and preparing files (tests)

    /// The file's bytes as a reader sees them now.
    public func contents(of path: String) -> [UInt8]? { names[path]?.bytes }
    /// What a power cut that drops everything unsynced would leave of the file (nil: the name would be gone).
    public func durableContents(of path: String) -> [UInt8]? { durableNames[path]?.durable }
    /// Every path that exists now, sorted.
    public var paths: [String] { names.keys.sorted() }
    /// Replaces a file's bytes, durably (tests).
    public func setContents(of path: String, _ bytes: [UInt8]) {
        let f = names[path] ?? File()
        f.bytes = bytes
        f.sync()
        names[path] = f
        durableNames[path] = f
    }
    /// Makes every file and name durable, as a clean shutdown followed by `sync` would.
    public func syncEverything() {
        for path in names.keys.sorted() { names[path]!.sync() }
        durableNames = names
    }

    /// Total bytes of the files that have a name (for the space budget).
    var usedBytes: Int {
        var n = 0
        for f in names.values { n += f.bytes.count }
        return n
    }

    // MARK: namespace

    static func directory(of path: String) -> Substring {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return path[..<slash]
    }

    /// fsync of a directory: every name change under it becomes durable.
    func syncDirectory(of path: String) {
        let dir = Self.directory(of: path)
        var affected = Set<String>()
        for p in names.keys where Self.directory(of: p) == dir { affected.insert(p) }
        for p in durableNames.keys where Self.directory(of: p) == dir { affected.insert(p) }
        for p in affected { durableNames[p] = names[p] }
    }

    // MARK: power loss

    /// Arms a power cut: it happens just after the `count`-th request from now takes effect.
    public func cutPower(afterRequests count: Int, mode: PowerLossMode = .random) {
        scheduledCut = (completedRequests + max(0, count), mode)
    }

    /// Called after every request takes effect; fires an armed cut.
    func requestCompleted() {
        completedRequests += 1
        if let cut = scheduledCut, completedRequests >= cut.afterRequests {
            scheduledCut = nil
            powerLoss(mode: cut.mode)
        }
    }

    /// Cuts the power now (see the file header).
    public func powerLoss(mode: PowerLossMode) {
        stats.powerLosses += 1
        epoch += 1
        scheduledCut = nil
        // Names: each unsynced create or delete is kept or undone.
        var survivors: [String: File] = [:]
        let all = Set(names.keys).union(durableNames.keys).sorted()
        for p in all {
            let now = names[p], then = durableNames[p]
            var chosen = then
            if now !== then {
                switch mode {
                case .dropUnsynced: chosen = then
                case .keepUnsynced: chosen = now
                case .random: chosen = powerRandom.nextUInt64() & 1 == 0 ? then : now
                }
            }
            if let chosen { survivors[p] = chosen }
        }
        // Contents: each surviving file's unsynced operations are replayed onto its durable image.
        var done: [ObjectIdentifier] = []
        for p in survivors.keys.sorted() {
            let f = survivors[p]!
            if done.contains(ObjectIdentifier(f)) { continue }
            done.append(ObjectIdentifier(f))
            var image = f.durable
            for op in f.unsynced { replay(op, of: f, onto: &image, mode: mode) }
            f.bytes = image
            f.sync()
            f.locks.releaseAll()
        }
        names = survivors
        durableNames = survivors
    }

    private func replay(_ op: File.Op, of f: File, onto image: inout [UInt8], mode: PowerLossMode) {
        switch mode {
        case .keepUnsynced:
            f.apply(op, to: &image)
            if case .write = op { stats.keptWrites += 1 }
        case .dropUnsynced:
            if case .write = op { stats.droppedWrites += 1 }
        case .random:
            let r = powerRandom.nextUInt64()
            guard case .write(let offset, let data) = op else {
                if r & 1 == 0 { f.apply(op, to: &image) }
                return
            }
            let sectors = (data.count + Self.sectorSize - 1) / Self.sectorSize
            switch r % 3 {
            case 0:
                f.apply(op, to: &image)
                stats.keptWrites += 1
            case 1 where sectors > 1:
                // Torn: a prefix of whole sectors reached the platter, the rest did not.
                let kept = Int((r >> 8) % UInt64(sectors - 1)) + 1
                f.apply(.write(offset: offset, bytes: Array(data[0..<(kept * Self.sectorSize)])), to: &image)
                stats.tornWrites += 1
                extendWithZeros(offset + data.count, &image, r)
            default:
                stats.droppedWrites += 1
                extendWithZeros(offset + data.count, &image, r)
            }
        }
    }

    /// A write that did not (wholly) land may still have grown the file: its size metadata reached the disk
    /// before its data, and the rest reads as zeros.
    private func extendWithZeros(_ end: Int, _ image: inout [UInt8], _ r: UInt64) {
        if (r >> 40) & 3 == 0 && image.count < end {
            image.append(contentsOf: repeatElement(0, count: end - image.count))
        }
    }
}
