// swift-tools-version: 6.1
// The benchmark harness (issue 10): a nested package so the root build stays light.
// `swiftdb-bench` runs each workload through swiftdb (the public SwiftDB API) and through
// libsqlite3 in one process, alternating runs, and prints medians, ratios, allocations per
// operation and peak-RSS growth. `compare.sh` adds the CLI runs and writes RESULTS.md.
import PackageDescription

let package = Package(
    name: "swiftdb-benchmarks",
    dependencies: [
        .package(name: "swiftdb", path: ".."),
        // Counts malloc calls (LD_PRELOADed; the runner re-executes itself with it).
        .package(url: "https://github.com/ordo-one/malloc-interposer", exact: "1.6.1"),
    ],
    targets: [
        // libsqlite3, the reference engine: benchmark-only, never linked into the product
        // (DESIGN.md, decision 4). Debian's libsqlite3-dev provides it.
        .systemLibrary(name: "CSQLite3Oracle", providers: [.apt(["libsqlite3-dev"])]),
        .executableTarget(
            name: "swiftdb-bench",
            dependencies: [
                .product(name: "SwiftDB", package: "swiftdb"),
                "CSQLite3Oracle",
                .product(name: "MallocInterposerSwift", package: "malloc-interposer"),
            ],
            path: "Sources/SwiftDBBench",
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        // Issue 6's back-end comparison: io_uring against syscall through the public API (IOBench/main.swift).
        .executableTarget(
            name: "swiftdb-iobench",
            dependencies: [.product(name: "SwiftDB", package: "swiftdb")],
            path: "Sources/IOBench",
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
    ]
)
