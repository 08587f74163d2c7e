// Measurement: runs one workload through both engines, alternating runs (the
// engine that goes first swaps every run), and collects per-operation time,
// allocations (malloc calls counted by the preloaded malloc-interposer) and
// peak-RSS growth (VmHWM reset through /proc/self/clear_refs before each run).

import Foundation
import MallocInterposerSwift

struct EngineFigures {
    var nanosecondsPerOp: [Double] = []
    var allocationsPerOp: [Double] = []
    /// Largest growth of peak RSS over the RSS at a run's start, in bytes.
    var peakRSSGrowth = 0

    var medianTime: Double { median(nanosecondsPerOp) }
    var medianAllocations: Double? { allocationsPerOp.isEmpty ? nil : median(allocationsPerOp) }
}

struct WorkloadResult {
    let workload: Workload
    let runs: Int
    var sqlite = EngineFigures()
    var swiftdb = EngineFigures()
    var ratio: Double { swiftdb.medianTime / sqlite.medianTime }
    var met: Bool { ratio <= workload.target }
}

func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return .nan }
    let s = values.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// The memory counters this process can read about itself.
enum ProcessMemory {
    /// True when the interposer is really in the process (the runner re-executed with LD_PRELOAD).
    static let countsAllocations: Bool = {
        MallocInterposerSwift.initialize()
        MallocInterposerSwift.hook()
        // A thread's first counted call only sets up its counters: allocate a few times.
        for _ in 0..<4 {
            let p = malloc(24)
            blackHole(p)    // or the optimiser drops the malloc/free pair
            free(p)
        }
        MallocInterposerSwift.unhook()
        if getenv("SWIFTDB_BENCH_DEBUG") != nil { log("interposer check: \(MallocInterposerSwift.getStatistics())") }
        return MallocInterposerSwift.getStatistics().mallocCount > 0
    }()

    /// A field of /proc/self/status in bytes ("VmHWM", "VmRSS").
    static func status(_ field: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            let digits = line.split(separator: " ").dropFirst().first ?? "0"
            return (Int(digits) ?? 0) * 1024
        }
        return 0
    }

    /// Resets VmHWM to the current RSS (Linux ≥ 4.0).
    static func resetPeak() {
        if let f = fopen("/proc/self/clear_refs", "w") {
            fputs("5", f)
            fclose(f)
        }
    }
}

/// The timed region, kept out of line so `valgrind --tool=callgrind
/// --toggle-collect='*measuredRun*'` counts exactly the runs' instructions.
@inline(never)
func measuredRun(_ session: Session, _ index: Int) throws {
    try session.run(index)
}

struct Runner {
    var runs: Int
    var quick: Bool
    /// nil: both; otherwise only this engine (for profiling).
    var onlyEngine: String?
    /// False skips every warm-up run (the callgrind runs of compare.sh).
    var warmUp = true

    func measure(_ w: Workload, context: WorkloadContext) throws -> WorkloadResult {
        let runCount = quick ? min(3, runs, w.runs ?? runs) : (w.runs ?? runs)
        var result = WorkloadResult(workload: w, runs: runCount)
        var sessions: [(String, Session)] = []
        if onlyEngine == nil || onlyEngine == "sqlite" { sessions.append(("sqlite", try w.sqlite(context))) }
        if onlyEngine == nil || onlyEngine == "swiftdb" { sessions.append(("swiftdb", try w.swiftdb(context))) }
        defer { for (_, s) in sessions { s.close() } }

        var runNumber = 0
        if w.warmUp && warmUp {
            for (_, s) in sessions {
                try s.beforeRun(runNumber)
                try s.run(runNumber)
                try s.afterRun(runNumber)
            }
            runNumber += 1
        }
        for r in 0..<runCount {
            let order = r % 2 == 0 ? sessions : sessions.reversed()
            for (engine, s) in order {
                try s.beforeRun(runNumber)
                let counting = ProcessMemory.countsAllocations
                let rssBefore = ProcessMemory.status("VmRSS")
                ProcessMemory.resetPeak()
                if counting {
                    MallocInterposerSwift.initialize()
                    MallocInterposerSwift.hook()
                }
                let t0 = monotonicNanoseconds()
                try measuredRun(s, runNumber)
                let t1 = monotonicNanoseconds()
                if counting { MallocInterposerSwift.unhook() }
                let growth = max(0, ProcessMemory.status("VmHWM") - rssBefore)
                try s.afterRun(runNumber)

                let ops = Double(w.opsPerRun)
                var figures = engine == "sqlite" ? result.sqlite : result.swiftdb
                figures.nanosecondsPerOp.append(Double(t1 - t0) / ops)
                if counting {
                    figures.allocationsPerOp.append(Double(MallocInterposerSwift.getStatistics().mallocCount) / ops)
                }
                figures.peakRSSGrowth = max(figures.peakRSSGrowth, growth)
                if engine == "sqlite" { result.sqlite = figures } else { result.swiftdb = figures }
            }
            runNumber += 1
        }
        return result
    }
}
