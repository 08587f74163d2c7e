// swift-tools-version: 6.1
// swiftdb: a pure-Swift database engine for the SQLite file format.
// Targets follow the data's path (docs/ARCHITECTURE.md): Base → IO → Storage →
// SQL → Engine → SwiftDB → executables. Each depends only on those above it.
import PackageDescription

// Release builds of the engine's hot paths: whole-module, cross-module
// optimisation, and no runtime exclusivity checks (the invariants that make
// that safe are written in docs/ARCHITECTURE.md, "Memory and ownership").
// Each function in its own section, so the shell's link can place the code
// that runs together (hot-functions.order, below).
let engineSettings: [SwiftSetting] = [
    .unsafeFlags(["-cross-module-optimization", "-enforce-exclusivity=unchecked",
                  "-Xfrontend", "-function-sections"],
                 .when(configuration: .release)),
]

// The shell's function order (Benchmarks/scripts/hot-functions.py writes it from callgrind runs of
// speedtest1): code that runs is laid out together at the front of .text, so the kernel's 64 KiB
// fault-around maps little cold code beside it — the speedtest1 `main` run's resident code went
// from 6.7 to 3.8 MiB. The linker skips names it does not find, so a stale list only costs memory.
let hotFunctionOrder = String(#filePath.dropLast("Package.swift".count)) + "Sources/swiftdb/hot-functions.order"

let package = Package(
    name: "swiftdb",
    products: [
        .library(name: "SwiftDB", targets: ["SwiftDB"]),
        .executable(name: "swiftdb", targets: ["swiftdb"]),
    ],
    targets: [
        .target(name: "Base", swiftSettings: engineSettings),
        // liburing, for the io_uring back-end: a system library, Linux only (DESIGN.md, decision 4).
        .systemLibrary(name: "CLiburing", pkgConfig: "liburing", providers: [.apt(["liburing-dev"])]),
        .target(name: "IO", dependencies: ["Base", .target(name: "CLiburing", condition: .when(platforms: [.linux]))],
                swiftSettings: engineSettings),
        .target(name: "Storage", dependencies: ["Base", "IO"], swiftSettings: engineSettings),
        .target(name: "SQL", dependencies: ["Base"], swiftSettings: engineSettings),
        .target(name: "Engine", dependencies: ["Base", "IO", "Storage", "SQL"], swiftSettings: engineSettings),
        // The public API (`import SwiftDB`): Database, Connection, Statement, Row, DatabaseError; sync and async.
        .target(name: "SwiftDB", dependencies: ["Base", "IO", "Engine"], swiftSettings: engineSettings),
        // libedit, for the shell's line editing and history: a system library (Debian's libedit-dev).
        .systemLibrary(name: "CLibedit", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        .target(name: "ShellKit", dependencies: ["Base", "IO", "Engine", "SQL",
                                                 .target(name: "CLibedit", condition: .when(platforms: [.linux]))],
                swiftSettings: engineSettings),
        // The shell is linked as a static executable in release builds: no shared libraries to map and
        // relocate at start (its peak memory is a target beside sqlite3's, NOTES-ON-ISSUES.md), by lld
        // with the hot functions first (see hotFunctionOrder).
        // A static link needs libedit's own dependencies named: terminfo, libbsd and its libmd.
        .executableTarget(name: "swiftdb", dependencies: ["ShellKit"], exclude: ["hot-functions.order"],
                          swiftSettings: engineSettings,
                          linkerSettings: [.unsafeFlags(["-static-executable", "-use-ld=lld",
                                                         "-Xlinker", "--symbol-ordering-file=\(hotFunctionOrder)",
                                                         "-Xlinker", "--no-warn-symbol-ordering"],
                                                        .when(configuration: .release)),
                                           .linkedLibrary("tinfo", .when(platforms: [.linux], configuration: .release)),
                                           .linkedLibrary("bsd", .when(platforms: [.linux], configuration: .release)),
                                           .linkedLibrary("md", .when(platforms: [.linux], configuration: .release))]),

        // Test-only oracle: libsqlite3 (never linked into the product; DESIGN.md, decision 4).
        .systemLibrary(name: "CSQLite3", path: "Tests/CSQLite3"),
        .target(name: "TestSupport", dependencies: ["Base", "CSQLite3"], path: "Tests/TestSupport"),
        .testTarget(name: "BaseTests", dependencies: ["Base"]),
        .testTarget(name: "IOTests", dependencies: ["IO", "TestSupport"]),
        .testTarget(name: "SQLTests", dependencies: ["SQL", "CSQLite3"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "TestSupport", "CSQLite3"]),
        .testTarget(name: "SwiftDBTests", dependencies: ["SwiftDB", "TestSupport"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "TestSupport", "CSQLite3"]),
        // Golden tests: the built `swiftdb` binary against the `sqlite3` CLI, byte for byte.
        .testTarget(name: "ShellTests", dependencies: ["TestSupport"]),

    ]
)
