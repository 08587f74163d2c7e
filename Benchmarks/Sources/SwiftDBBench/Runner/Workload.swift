// Workload: one benchmark as the runner sees it, a name, the size it runs at,
// what one operation is, and a factory per engine that opens a fresh database
// and returns a Session (what a timed run does, and what happens untimed
// around it).

/// One engine's side of a workload: a fresh database, opened.
final class Session {
    /// Untimed, before each run (e.g. recreate an empty database).
    var beforeRun: (Int) throws -> Void = { _ in }
    /// The timed part: `opsPerRun` operations. Its argument is the run's number (warm-up runs
    /// count too), so runs can use fresh keys.
    var run: (Int) throws -> Void
    /// Untimed, after each run.
    var afterRun: (Int) throws -> Void = { _ in }
    /// Untimed, at the end (closes connections).
    var close: () -> Void = {}

    init(run: @escaping (Int) throws -> Void) { self.run = run }
}

/// What a workload factory is handed: where to put files and the shared fixtures.
struct WorkloadContext {
    let directory: String
    let fixtures: Fixtures
    let quick: Bool

    /// A per-engine database path inside the run directory.
    func path(_ workload: String, _ engine: String, suffix: String = "db") -> String {
        "\(directory)/\(workload)-\(engine).\(suffix)"
    }
}

struct Workload {
    let name: String
    /// The database the workload runs on ("1,000,000-row t1, index on k").
    let size: String
    /// What one operation is ("lookup", "1,000-row scan", …).
    let operation: String
    /// Operations per timed run (quick mode scales scalable counts down).
    let opsPerRun: Int
    /// The runs' count when it differs from the runner's default (the 1M-row writes).
    var runs: Int? = nil
    /// swiftdb/sqlite time ratio to reach.
    var target: Double = 1.0
    var warmUp = true
    let sqlite: (WorkloadContext) throws -> Session
    let swiftdb: (WorkloadContext) throws -> Session
}

/// A small deterministic generator (a 64-bit LCG) so both engines see the same keys.
struct KeyGenerator {
    private var state: UInt64
    init(seed: Int) { state = UInt64(truncatingIfNeeded: seed) &* 0x9E37_79B9_7F4A_7C15 &+ 1 }
    /// A value in 0..<bound.
    mutating func next(_ bound: Int) -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int((state >> 33) % UInt64(bound))
    }
}
