// SimulatedFaults: the faults a simulated file system injects, and the decision
// for each request.
//
// A plan holds rules ("the 3rd write to a path ending in -journal fails with
// EIO"), a probability per operation drawn from the file system's seeded fault
// stream, and a space budget (ENOSPC once the named files would hold more
// bytes). What each fault does, keeping the IO protocol's promises (a
// completion reports the full length, end of file or an error):
// - `.error(errno)`: the request has no effect and completes with -errno. A
//   failed sync leaves the file's writes unsynced (a power cut may drop them).
// - `.short`: the "kernel" moves only part of a read or write; the back-end
//   transfers the rest as a second piece, as the io_uring back-end resubmits
//   it, so the completion still reports the full length. The two pieces of a
//   write are separate unsynced writes, so a power cut may keep only the first.
// - Space: a write that would take the named files past `spaceBudget` bytes
//   writes what fits and completes with -ENOSPC (28), as write(2) then does.
// Invariant: a rule fires at most once, on the n-th matching request counted
// from when the rule was added; the decision depends only on the plan, the
// order of requests and the seed (DESIGN.md decision 6).

/// The faults a `SimulatedFileSystem` injects.
public struct SimulatedFaultPlan: Sendable {
    /// Which requests a fault applies to (sync covers fsync and fdatasync).
    public enum Operation: Sendable, Equatable { case read, write, sync }

    /// What happens to a faulty request.
    public enum Effect: Sendable, Equatable {
        /// Completes with the negated errno and no effect (5 = EIO).
        case error(Int32)
        /// Reads or writes only part of the data first (reads and writes only; see the file header).
        case short
    }

    /// Fails the `nth` (1-based) request of `operation` on a path ending in `pathSuffix` (nil: any path).
    public struct Rule: Sendable {
        public var operation: Operation
        public var nth: Int
        public var pathSuffix: String?
        public var effect: Effect
        var seen = 0
        public init(_ operation: Operation, nth: Int, pathSuffix: String? = nil, effect: Effect = .error(5)) {
            self.operation = operation
            self.nth = nth
            self.pathSuffix = pathSuffix
            self.effect = effect
        }
    }

    public var rules: [Rule] = []
    /// Chance in a million that any read, write or sync fails with EIO, drawn from the seed.
    public var errorsPerMillion: (read: UInt64, write: UInt64, sync: UInt64) = (0, 0, 0)
    /// Chance in a million that a read or write transfers only part of its data first.
    public var shortPerMillion: UInt64 = 0
    /// The most bytes the named files may hold together; a write past it fails with ENOSPC.
    public var spaceBudget: Int?

    public init() {}

    /// Adds a rule.
    public mutating func add(_ rule: Rule) { rules.append(rule) }

    /// Decides the fault, if any, for one request (advancing the rules' counters).
    mutating func decide(_ operation: Operation, path: String, random: SeededRandom) -> Effect? {
        var chosen: Effect?
        for i in rules.indices where rules[i].operation == operation && rules[i].seen < rules[i].nth {
            if let s = rules[i].pathSuffix, !path.hasSuffix(s) { continue }
            rules[i].seen += 1
            if rules[i].seen == rules[i].nth && chosen == nil { chosen = rules[i].effect }
        }
        if chosen != nil { return chosen }
        let rate: UInt64
        switch operation {
        case .read: rate = errorsPerMillion.read
        case .write: rate = errorsPerMillion.write
        case .sync: rate = errorsPerMillion.sync
        }
        if rate > 0 && random.nextUInt64() % 1_000_000 < rate { return .error(5) }
        if operation != .sync && shortPerMillion > 0 && random.nextUInt64() % 1_000_000 < shortPerMillion {
            return .short
        }
        return nil
    }
}
