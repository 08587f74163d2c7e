// FunctionContext: what a built-in function may ask of its connection, and nothing more.
//
// The VM creates one FunctionContext per statement execution and passes it `inout` to every
// call. `host` is the connection (FunctionHost): change counters, the last rowid, randomness
// and the clock, all injected so the simulator stays deterministic (DESIGN.md, decision 6).
// The context caches the statement time on first use, so 'now' is the same for every function
// call until the VM calls `resetStatementTime()` (SQLite resets it at each sqlite3_step).
// `collation` is the collating sequence the compiler chose for functions flagged
// `needsCollation` (OP_CollSeq). `pureContext` names where a deterministic-only call runs
// (an index, a CHECK constraint, a generated column) so 'now' can be refused there.

import Base

/// The connection services that built-in functions use. Implemented by the connection.
protocol FunctionHost: AnyObject {
    /// sqlite3_changes64(): rows changed by the most recent INSERT, UPDATE or DELETE.
    var changes: Int64 { get }
    /// sqlite3_total_changes64(): rows changed since the connection opened.
    var totalChanges: Int64 { get }
    /// sqlite3_last_insert_rowid().
    var lastInsertRowID: Int64 { get }
    /// The next 64 bits of the connection's injected random source.
    func nextRandomUInt64() -> UInt64
    /// The current time in milliseconds since 1970-01-01 00:00:00 UTC, from the injected
    /// clock; nil when no time is available (date functions with 'now' then return NULL).
    func currentTimeMilliseconds() -> Int64?
    /// The offset of local time from UTC in seconds at `unixTime` (seconds since 1970),
    /// for the 'localtime' and 'utc' modifiers; nil when local time is unavailable.
    func localTimeOffsetSeconds(atUnixTime unixTime: Int64) -> Int?
}

extension FunctionHost {
    /// Local time is UTC unless the host says otherwise.
    func localTimeOffsetSeconds(atUnixTime unixTime: Int64) -> Int? { 0 }
}

/// Where a function runs when only deterministic results are allowed (OP_PureFunc).
enum PureContext: Sendable {
    case index, checkConstraint, generatedColumn

    /// The phrase sqlite3NotPureFunc uses.
    var phrase: String {
        switch self {
        case .index: return "an index"
        case .checkConstraint: return "a CHECK constraint"
        case .generatedColumn: return "a generated column"
        }
    }
}

/// The per-call environment of a built-in function (see the file header).
struct FunctionContext {
    /// The connection (unowned: a VM parked in the connection's literal cache must not keep it alive).
    unowned let host: any FunctionHost
    /// The collating sequence for functions flagged `needsCollation` (min, max, nullif).
    var collation: Collation = .binary
    /// Set while evaluating an index expression, CHECK constraint or generated column.
    var pureContext: PureContext?
    /// The statement time as a julian day number times 86400000 (SQLite's iJD), cached.
    private var statementTime: Int64?

    /// A context for one statement execution on `host`, which must outlive it (held unowned).
    init(host: any FunctionHost) {
        self.host = host
    }

    /// Forgets the cached statement time (call at the start of each step).
    mutating func resetStatementTime() { statementTime = nil }

    /// sqlite3StmtCurrentTime: the current time as julian day * 86400000, the same value for
    /// every call until `resetStatementTime()`; nil when the clock is unavailable.
    mutating func currentJulianDayMilliseconds() -> Int64? {
        if let statementTime { return statementTime }
        guard let ms = host.currentTimeMilliseconds() else { return nil }
        let (jd, overflow) = ms.addingReportingOverflow(210_866_760_000_000)
        if overflow || jd <= 0 { return nil }
        statementTime = jd
        return jd
    }

    /// sqlite3NotPureFunc: throws when a non-deterministic feature is used where only
    /// deterministic ones are allowed.
    func requireNonPure(functionName: String) throws(DBError) {
        if let pureContext {
            throw DBError(.error, "non-deterministic use of \(functionName)() in \(pureContext.phrase)")
        }
    }

    /// Fills `count` bytes from the host's random source (little-endian words).
    func randomBytes(_ count: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        while out.count < count {
            var word = host.nextRandomUInt64()
            for _ in 0..<Swift.min(8, count - out.count) {
                out.append(UInt8(truncatingIfNeeded: word))
                word >>= 8
            }
        }
        return out
    }
}
