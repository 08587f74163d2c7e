// swiftdb-bench: runs the workloads (Workloads/Registry.swift) through
// libsqlite3 and swiftdb in one process, alternating runs, and prints one
// Markdown table: median time per operation, the ratio swiftdb / sqlite,
// allocations per operation and peak-RSS growth.
//
//   swiftdb-bench [--quick] [--filter a,b] [--runs N] [--engine sqlite|swiftdb]
//                 [--workdir DIR] [--fixtures DIR] [--markdown FILE] [--tsv FILE] [--list]
//                 [--no-alloc-count] [--no-warm-up]

import Foundation

struct Arguments {
    var quick = false
    var filters: [String] = []
    var runs = 5
    var engine: String?
    var workdir = NSTemporaryDirectory() + "swiftdb-bench"
    var markdown: String?
    var tsv: String?
    var fixtures: String?
    var list = false
    var countAllocations = true
    var warmUp = true

    init(_ argv: [String]) throws {
        var it = argv.dropFirst().makeIterator()
        func value(_ flag: String) throws -> String {
            guard let v = it.next() else { throw BenchError("\(flag) needs a value") }
            return v
        }
        while let a = it.next() {
            switch a {
            case "--quick": quick = true
            case "--filter": filters = try value(a).split(separator: ",").map(String.init)
            case "--runs": runs = Int(try value(a)) ?? 5
            case "--engine": engine = try value(a)
            case "--workdir": workdir = try value(a)
            case "--markdown": markdown = try value(a)
            case "--tsv": tsv = try value(a)
            case "--fixtures": fixtures = try value(a)
            case "--list": list = true
            case "--no-alloc-count": countAllocations = false
            case "--no-warm-up": warmUp = false
            case "-h", "--help":
                print("usage: swiftdb-bench [--quick] [--filter name,…] [--runs N] [--engine sqlite|swiftdb] "
                      + "[--workdir DIR] [--fixtures DIR] [--markdown FILE] [--tsv FILE] [--list] [--no-alloc-count] [--no-warm-up]")
                exit(0)
            default: throw BenchError("unknown argument \(a)")
            }
        }
    }
}

/// Allocation counting needs the interposer preloaded before main: re-execute once with
/// LD_PRELOAD pointing at libMallocInterposerSwift.so (built next to this executable).
func preloadInterposerIfNeeded(_ args: Arguments) {
    guard args.countAllocations, ProcessInfo.processInfo.environment["SWIFTDB_BENCH_PRELOADED"] == nil,
          let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return }
    let library = (exe as NSString).deletingLastPathComponent + "/libMallocInterposerSwift.so"
    guard FileManager.default.fileExists(atPath: library) else {
        log("note: \(library) not found; allocations are not counted")
        return
    }
    setenv("SWIFTDB_BENCH_PRELOADED", "1", 1)
    setenv("LD_PRELOAD", library, 1)
    let argv = CommandLine.arguments.map { strdup($0) } + [nil]
    execv(exe, argv)
    log("note: re-executing with the interposer failed (\(errno)); allocations are not counted")
}

do {
    let args = try Arguments(CommandLine.arguments)
    let workloads = allWorkloads(quick: args.quick).filter { w in
        args.filters.isEmpty || args.filters.contains { w.name.contains($0) }
    }
    if args.list {
        for w in allWorkloads(quick: args.quick) { print("\(w.name)\t\(w.size)\t\(w.operation)") }
        exit(0)
    }
    preloadInterposerIfNeeded(args)
    if workloads.isEmpty { throw BenchError("no workload matches \(args.filters)") }
    try? FileManager.default.removeItem(atPath: args.workdir)
    try FileManager.default.createDirectory(atPath: args.workdir, withIntermediateDirectories: true)
    if let dir = args.fixtures { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
    let fixtures = Fixtures(directory: args.fixtures ?? args.workdir, keep: args.fixtures != nil)
    let context = WorkloadContext(directory: args.workdir, fixtures: fixtures, quick: args.quick)
    let runner = Runner(runs: args.runs, quick: args.quick, onlyEngine: args.engine, warmUp: args.warmUp)
    if !ProcessMemory.countsAllocations { log("note: allocations are not counted (interposer not preloaded)") }

    var rows: [String] = [Report.header]
    var tsv: [String] = []
    print(Report.header)
    for w in workloads {
        log("running \(w.name) …")
        let started = Date()
        let result = try runner.measure(w, context: context)
        let row = Report.row(result)
        print(row)
        fflush(stdout)
        rows.append(row)
        tsv.append(Report.tsv(result))
        log(String(format: "  done in %.1f s", Date().timeIntervalSince(started)))
    }
    if let path = args.markdown { try (rows.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8) }
    if let path = args.tsv { try (tsv.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8) }
    try? FileManager.default.removeItem(atPath: args.workdir)
} catch {
    log("swiftdb-bench: \(error)")
    exit(1)
}
