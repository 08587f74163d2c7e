// Value: one SQL value in one of SQLite's five storage classes.
//
// Implements https://sqlite.org/datatype3.html section 2 (storage classes).
// Text is held as UTF-8 bytes, exactly as stored: bytes that are not valid
// UTF-8 survive a round trip unchanged. Blobs are raw bytes. Equality here is
// identity of storage class and bits (a -0.0 real differs from 0.0), which is
// what round-trip tests need; SQL comparison lives in the engine.

/// An SQL value: NULL, INTEGER, REAL, TEXT (UTF-8 bytes) or BLOB.
public enum Value: Sendable, Hashable, CustomStringConvertible {
    case null
    case integer(Int64)
    case real(Double)
    case text([UInt8])
    case blob([UInt8])

    /// A TEXT value from a Swift string.
    @inlinable public static func text(_ s: String) -> Value { .text(Array(s.utf8)) }

    public static func == (a: Value, b: Value) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.integer(x), .integer(y)): return x == y
        case let (.real(x), .real(y)): return x.bitPattern == y.bitPattern
        case let (.text(x), .text(y)): return x == y
        case let (.blob(x), .blob(y)): return x == y
        default: return false
        }
    }

    public func hash(into h: inout Hasher) {
        switch self {
        case .null: h.combine(0)
        case .integer(let i): h.combine(1); h.combine(i)
        case .real(let d): h.combine(2); h.combine(d.bitPattern)
        case .text(let t): h.combine(3); h.combine(t)
        case .blob(let b): h.combine(4); h.combine(b)
        }
    }

    /// The storage class, in SQLite's numbering (sqlite3_column_type).
    public var storageClass: StorageClass {
        switch self {
        case .null: return .null
        case .integer: return .integer
        case .real: return .real
        case .text: return .text
        case .blob: return .blob
        }
    }

    @inlinable public var isNull: Bool { if case .null = self { return true } else { return false } }

    public var description: String {
        switch self {
        case .null: return "NULL"
        case .integer(let i): return String(i)
        case .real(let d): return "\(d)"
        case .text(let t): return "'" + String(decoding: t, as: UTF8.self) + "'"
        case .blob(let b): return "X'" + b.map { hexDigits[Int($0 >> 4)] + hexDigits[Int($0 & 15)] }.joined() + "'"
        }
    }
}

private let hexDigits = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "A", "B", "C", "D", "E", "F"]

/// SQLite's fundamental datatypes with their C API numbers (SQLITE_INTEGER = 1, ...).
public enum StorageClass: Int32, Sendable {
    case integer = 1
    case real = 2
    case text = 3
    case blob = 4
    case null = 5
}

extension UnsafeMutablePointer where Pointee == Value {
    /// Stores a value that holds no bytes (a number or NULL): the old value is released only when it holds
    /// some (a register overwritten row after row by integers then costs no outlined destroy).
    @inlinable @inline(__always)
    public func storeTrivial(_ v: Value) {
        switch pointee {
        case .text, .blob: pointee = v
        default: initialize(to: v)
        }
    }
}
