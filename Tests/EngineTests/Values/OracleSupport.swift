// OracleSupport: libsqlite3 (3.40.1, through CSQLite3) as the oracle of differential tests.
//
// `SQLiteOracle` evaluates SQL with bound parameters on a private in-memory connection and
// returns the first column of the first row as a `Value` (storage class and bytes exactly),
// or the error message sqlite3 gives. `Differential` compares those answers with what the
// Swift implementation computes, records a readable issue per mismatch (a few per test), and
// counts cases. Expected values are never written by hand: they come from the oracle.

import Base
import CSQLite3
#if canImport(Glibc)
import Glibc
#endif
@testable import Engine
import Testing

/// An answer: a value, or an error message.
enum Answer: Equatable, CustomStringConvertible {
    case value(Value)
    case error(String)

    var description: String {
        switch self {
        case .value(let v): return "\(v.storageClass) \(debugText(v))"
        case .error(let m): return "error \"\(m)\""
        }
    }
}

/// A value printed unambiguously (reals with all their bits, bytes in hex when not ASCII).
func debugText(_ v: Value) -> String {
    switch v {
    case .real(let r): return "\(r) [0x\(String(r.bitPattern, radix: 16))]"
    case .text(let t):
        if t.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return "'" + String(decoding: t, as: UTF8.self) + "'" }
        return "text-hex " + t.map { String($0, radix: 16) }.joined(separator: " ")
    default: return v.description
    }
}

private let transientDestructor = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A private in-memory libsqlite3 connection with a statement cache.
final class SQLiteOracle {
    private var db: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]

    init() {
        sqlite3_open(":memory:", &db)
    }

    deinit {
        for (_, s) in statements { sqlite3_finalize(s) }
        sqlite3_close(db)
    }

    /// Runs statements that return nothing (setup).
    func execute(_ sql: String) {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(db, sql, nil, nil, &message)
        if rc != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? "?"
            sqlite3_free(message)
            Issue.record("oracle setup failed: \(text) in \(sql)")
        }
    }

    /// The first column of the first row of `sql` with `parameters` bound to ?1, ?2, ...
    /// (NULL when there is no row), or the error.
    func evaluate(_ sql: String, _ parameters: [Value] = []) -> Answer {
        let statement: OpaquePointer
        if let cached = statements[sql] {
            statement = cached
        } else {
            var s: OpaquePointer?
            if sqlite3_prepare_v2(db, sql, -1, &s, nil) != SQLITE_OK {
                sqlite3_finalize(s)
                return .error(String(cString: sqlite3_errmsg(db)))
            }
            guard let s else { return .value(.null) }
            statements[sql] = s
            statement = s
        }
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        for (i, p) in parameters.enumerated() { bind(statement, Int32(i + 1), p) }
        let rc = sqlite3_step(statement)
        if rc == SQLITE_ROW { return .value(column(statement, 0)) }
        if rc == SQLITE_DONE { return .value(.null) }
        return .error(String(cString: sqlite3_errmsg(db)))
    }

    /// All rows of the first column.
    func rows(_ sql: String, _ parameters: [Value] = []) -> [Answer] {
        var s: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &s, nil) == SQLITE_OK, let s else {
            sqlite3_finalize(s)
            return [.error(String(cString: sqlite3_errmsg(db)))]
        }
        defer { sqlite3_finalize(s) }
        for (i, p) in parameters.enumerated() { bind(s, Int32(i + 1), p) }
        var out: [Answer] = []
        while true {
            let rc = sqlite3_step(s)
            if rc == SQLITE_ROW { out.append(.value(column(s, 0))); continue }
            if rc != SQLITE_DONE { out.append(.error(String(cString: sqlite3_errmsg(db)))) }
            return out
        }
    }

    private func bind(_ s: OpaquePointer, _ i: Int32, _ v: Value) {
        switch v {
        case .null: sqlite3_bind_null(s, i)
        case .integer(let x): sqlite3_bind_int64(s, i, x)
        case .real(let r): sqlite3_bind_double(s, i, r)
        case .text(let t):
            t.withUnsafeBufferPointer { p in
                // A non-nil pointer even for empty text (nil would bind NULL).
                let base = p.baseAddress.map { UnsafeRawPointer($0) } ?? UnsafeRawPointer(bitPattern: 1)!
                _ = sqlite3_bind_text(s, i, base.assumingMemoryBound(to: CChar.self), Int32(t.count),
                                      transientDestructor)
            }
        case .blob(let b):
            if b.isEmpty {
                sqlite3_bind_zeroblob(s, i, 0)
            } else {
                b.withUnsafeBytes { p in
                    _ = sqlite3_bind_blob(s, i, p.baseAddress, Int32(b.count), transientDestructor)
                }
            }
        }
    }

    private func column(_ s: OpaquePointer, _ i: Int32) -> Value {
        switch sqlite3_column_type(s, i) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(s, i))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(s, i))
        case SQLITE_TEXT:
            let n = Int(sqlite3_column_bytes(s, i))
            guard let p = sqlite3_column_text(s, i) else { return .text([]) }
            return .text(Array(UnsafeBufferPointer(start: p, count: n)))
        case SQLITE_BLOB:
            let n = Int(sqlite3_column_bytes(s, i))
            guard let p = sqlite3_column_blob(s, i) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: p, count: n)))
        default: return .null
        }
    }
}

/// A FunctionHost for tests: fixed counters, a seeded random source, a fixed clock.
final class TestHost: FunctionHost {
    var changes: Int64 = 0
    var totalChanges: Int64 = 0
    var lastInsertRowID: Int64 = 0
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    var nowMilliseconds: Int64? = 1_700_000_000_123
    var clockReads = 0

    func nextRandomUInt64() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    func currentTimeMilliseconds() -> Int64? {
        clockReads += 1
        return nowMilliseconds
    }
}

/// A seeded generator (SplitMix64) so every run sees the same cases.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Counts differential cases of one test and records mismatches.
final class Differential {
    let name: String
    private(set) var cases = 0
    private(set) var mismatches = 0
    private let maxRecorded = 25

    init(_ name: String) { self.name = name }

    /// Compares the oracle's answer with ours.
    func check(_ label: @autoclosure () -> String, oracle: Answer, swift: Answer,
               sourceLocation: SourceLocation = #_sourceLocation) {
        cases += 1
        if oracle == swift { return }
        mismatches += 1
        if mismatches <= maxRecorded {
            Issue.record("\(name): \(label())\n  sqlite3: \(oracle)\n  swiftdb: \(swift)",
                         sourceLocation: sourceLocation)
        }
    }

    /// Ends the test: reports the totals and checks that enough cases ran.
    func finish(minimumCases: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        DifferentialTally.shared.add(name: name, cases: cases, mismatches: mismatches)
        #expect(cases >= minimumCases, "\(name): only \(cases) cases", sourceLocation: sourceLocation)
        #expect(mismatches == 0, "\(name): \(mismatches) of \(cases) cases differ", sourceLocation: sourceLocation)
    }
}

/// Totals over all differential tests, written to $SWIFTDB_DIFF_TALLY when set.
final class DifferentialTally: @unchecked Sendable {
    static let shared = DifferentialTally()
    private var lines: [String] = []
    private let lock = NSLockLike()

    func add(name: String, cases: Int, mismatches: Int) {
        lock.withLock {
            lines.append("\(name)\t\(cases)\t\(mismatches)")
            guard let path = getenv("SWIFTDB_DIFF_TALLY").map({ String(cString: $0) }) else { return }
            let text = lines.joined(separator: "\n") + "\n"
            if let f = fopen(path, "w") {
                fputs(text, f)
                fclose(f)
            }
        }
    }
}

/// A tiny mutex over pthread (tests only; avoids Foundation).
final class NSLockLike: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    func withLock<R>(_ body: () -> R) -> R {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return body()
    }
}

/// Runs a Swift computation that may throw DBError as an Answer.
func answer(_ body: () throws(DBError) -> Value) -> Answer {
    do {
        return .value(try body())
    } catch {
        return .error(error.message)
    }
}

/// The values that cross products are built from.
let interestingValues: [Value] = [
    .null, .integer(0), .real(-0.0), .real(0.0), .integer(1), .integer(-1), .integer(2), .integer(3), .integer(10),
    .integer(Int64.max), .integer(Int64.min), .integer(Int64.max - 1), .integer(Int64.min + 1),
    .integer(4_503_599_627_370_497), .real(0.5), .real(1.5), .real(2.5), .real(-2.5), .real(0.1), .real(1e300),
    .real(-1e300), .real(1e-300), .real(1.0), .real(100.0), .real(9.223372036854775807e18), .real(-1.7e308),
    .real(123456.789), .real(3.0), .real(.infinity), .real(-.infinity),
    .text("abc"), .text("12abc"), .text(" 12 "), .text(""), .text("Ünïcödé"), .text("1e3"), .text("0x10"),
    .text("-3"), .text("  -3"), .text("1.0"), .text("3.5"), .text("9223372036854775808"),
    .text("-9223372036854775809"), .text("ABC"), .text("a%b_c"), .text([0x61, 0x00, 0x62]), .text("1e2x"),
    .text("  "), .text("x'41'"), .text("'quoted'"), .text([0xC3]), .text([0xFF, 0xFE, 0x80]),
    .blob([0x00, 0xFF]), .blob([]), .blob([0x31, 0x32]), .blob([0x41]), .blob([0x61, 0x62, 0x63]),
]

/// A smaller set for three-argument cross products.
let smallValues: [Value] = [
    .null, .integer(0), .integer(1), .integer(-1), .integer(2), .integer(-2), .integer(5), .integer(Int64.max),
    .real(1.5), .real(-0.5), .text("abc"), .text(""), .text("Ünï"), .text("a"), .text("b%"), .text("3"),
    .blob([0x61, 0x62]), .blob([]),
]
