// DatabaseValue: one SQL value as the public API hands it out, in one of
// SQLite's five storage classes (https://sqlite.org/datatype3.html, section 2).
//
// Text is a Swift String; the engine keeps text as UTF-8 bytes, and bytes that
// are not valid UTF-8 are repaired (U+FFFD) on the way out, as Swift's String
// requires. A blob is its bytes.

import Base

/// An SQL value: NULL, INTEGER, REAL, TEXT or BLOB.
public enum DatabaseValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    /// True for SQL NULL.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The value as sqlite3's list mode prints it (`NULL` for null, blobs as their bytes' count).
    public var description: String {
        switch self {
        case .null: return "NULL"
        case .integer(let i): return String(i)
        case .real(let d): return String(d)
        case .text(let s): return s
        case .blob(let b): return "<\(b.count) bytes>"
        }
    }

    init(_ value: Value) {
        switch value {
        case .null: self = .null
        case .integer(let i): self = .integer(i)
        case .real(let d): self = .real(d)
        case .text(let bytes): self = .text(String(decoding: bytes, as: UTF8.self))
        case .blob(let b): self = .blob(b)
        }
    }

    /// The engine's form of this value.
    var engineValue: Value {
        switch self {
        case .null: return .null
        case .integer(let i): return .integer(i)
        case .real(let d): return .real(d)
        case .text(let s): return .text(Array(s.utf8))
        case .blob(let b): return .blob(b)
        }
    }
}

extension DatabaseValue: ExpressibleByNilLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByStringLiteral {
    public init(nilLiteral: ()) { self = .null }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .real(value) }
    public init(stringLiteral value: String) { self = .text(value) }
}
