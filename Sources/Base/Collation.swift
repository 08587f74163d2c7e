// Collation: SQLite's three built-in collating sequences and the value ordering
// they induce.
//
// Implements https://sqlite.org/datatype3.html section 7 (collating sequences)
// and section 4.1 (sort order): NULL < INTEGER/REAL (compared numerically,
// exactly, across the two classes) < TEXT (by collation) < BLOB (memcmp).
// NOCASE folds ASCII letters only, as SQLite does; RTRIM ignores trailing
// spaces (0x20). Both the storage layer (index keys) and the engine (SQL
// comparison after affinity) order values through `compareValues`.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One of SQLite's built-in collating sequences.
public enum Collation: UInt8, Sendable, CaseIterable {
    case binary
    case nocase
    case rtrim

    /// The collation named `name` (case-insensitive), or nil when SQLite has none by that name.
    public init?(name: some StringProtocol) {
        switch name.lowercased() {
        case "binary": self = .binary
        case "nocase": self = .nocase
        case "rtrim": self = .rtrim
        default: return nil
        }
    }

    /// The name SQLite prints (PRAGMA index_xinfo, EXPLAIN).
    public var name: String {
        switch self {
        case .binary: return "BINARY"
        case .nocase: return "NOCASE"
        case .rtrim: return "RTRIM"
        }
    }

    /// Compares two texts under this collation: negative, zero or positive.
    @inlinable
    public func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        switch self {
        case .binary: return compareBytes(a, b)
        case .nocase: return compareBytesNoCase(a, b)
        case .rtrim: return compareBytes(a.trimmingTrailingSpaces(), b.trimmingTrailingSpaces())
        }
    }

    @inlinable
    public func compare(_ a: [UInt8], _ b: [UInt8]) -> Int {
        a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in compare(pa, pb) } }
    }
}

extension UnsafeRawBufferPointer {
    @inlinable func trimmingTrailingSpaces() -> UnsafeRawBufferPointer {
        var n = count
        while n > 0 && self[n - 1] == 0x20 { n -= 1 }
        return UnsafeRawBufferPointer(rebasing: self[0..<n])
    }
}

/// memcmp over the common prefix, then the shorter sorts first.
@inlinable
public func compareBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
    let n = Swift.min(a.count, b.count)
    if n > 0, let pa = a.baseAddress, let pb = b.baseAddress {
        let r = memcmpBytes(pa, pb, n)
        if r != 0 { return r }
    }
    return a.count - b.count
}

/// memcmp's order of `n` bytes (the sign is what counts). The first word is compared in place (a search's
/// keys mostly differ there); a tie past it goes to the C library's vectorised memcmp.
@inlinable
public func memcmpBytes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Int {
    if n >= 8 {
        let x = a.loadUnaligned(as: UInt64.self)
        let y = b.loadUnaligned(as: UInt64.self)
        if x != y { return UInt64(bigEndian: x) < UInt64(bigEndian: y) ? -1 : 1 }
        return n > 8 ? Int(memcmp(a + 8, b + 8, n - 8)) : 0
    }
    var i = 0
    while i < n {
        let x = a.load(fromByteOffset: i, as: UInt8.self)
        let y = b.load(fromByteOffset: i, as: UInt8.self)
        if x != y { return Int(x) - Int(y) }
        i += 1
    }
    return 0
}

/// ASCII-only case folding (sqlite3UpperToLower): bytes >= 0x80 compare as they are.
@inlinable
public func asciiLower(_ c: UInt8) -> UInt8 {
    (c &- 0x41) < 26 ? c | 0x20 : c
}

@inlinable
public func compareBytesNoCase(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
    let n = Swift.min(a.count, b.count)
    var i = 0
    while i < n {
        let x = asciiLower(a[i]), y = asciiLower(b[i])
        if x != y { return Int(x) - Int(y) }
        i += 1
    }
    return a.count - b.count
}

/// Exact comparison of an integer with a real (no rounding of either side).
@inlinable
public func compareIntegerToReal(_ i: Int64, _ r: Double) -> Int {
    if r.isNaN { return 1 }  // SQLite never stores NaN; order it first, deterministically.
    if r < -9223372036854775808.0 { return 1 }
    if r >= 9223372036854775808.0 { return -1 }
    let y = Int64(r.rounded(.towardZero))
    if i < y { return -1 }
    if i > y { return 1 }
    let s = Double(i)
    if s < r { return -1 }
    if s > r { return 1 }
    return 0
}

/// Orders two values as SQLite sorts them (sqlite3MemCompare), texts under `collation`.
public func compareValues(_ a: Value, _ b: Value, collation: Collation = .binary) -> Int {
    switch (a, b) {
    case (.null, .null): return 0
    case (.null, _): return -1
    case (_, .null): return 1
    case let (.integer(x), .integer(y)): return x < y ? -1 : (x > y ? 1 : 0)
    case let (.real(x), .real(y)): return x < y ? -1 : (x > y ? 1 : 0)
    case let (.integer(x), .real(y)): return compareIntegerToReal(x, y)
    case let (.real(x), .integer(y)): return -compareIntegerToReal(y, x)
    case (.integer, _), (.real, _): return -1
    case (_, .integer), (_, .real): return 1
    case let (.text(x), .text(y)): return collation.compare(x, y)
    case (.text, .blob): return -1
    case (.blob, .text): return 1
    case let (.blob(x), .blob(y)):
        return x.withUnsafeBytes { pa in y.withUnsafeBytes { pb in compareBytes(pa, pb) } }
    }
}
