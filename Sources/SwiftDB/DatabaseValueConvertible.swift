// DatabaseValueConvertible: Swift types that bind as parameters and read from
// columns.
//
// Reading is strict where SQLite's own API would silently coerce: an integer
// column reads as Int, Int64, Int32, Double or Bool; a real reads as Double (or
// as an integer type when it holds an exact integer); text reads as String; a
// blob as [UInt8]. Any other pairing, and NULL into a non-optional, fail with
// SQLITE_MISMATCH naming the column, never with a trap (DESIGN.md, decision 7).

/// A Swift type that converts to and from an SQL value.
public protocol DatabaseValueConvertible {
    /// The SQL value this Swift value binds as.
    var databaseValue: DatabaseValue { get }
    /// The Swift value for an SQL value, or nil when the value does not convert (NULL included).
    init?(databaseValue: DatabaseValue)
}

extension DatabaseValue: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { self }
    public init?(databaseValue: DatabaseValue) { self = databaseValue }
}

extension Int64: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .integer(self) }
    public init?(databaseValue: DatabaseValue) {
        switch databaseValue {
        case .integer(let i): self = i
        case .real(let d): guard let i = Int64(exactly: d) else { return nil }; self = i
        default: return nil
        }
    }
}

extension Int: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .integer(Int64(self)) }
    public init?(databaseValue: DatabaseValue) {
        guard let i = Int64(databaseValue: databaseValue), let v = Int(exactly: i) else { return nil }
        self = v
    }
}

extension Int32: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .integer(Int64(self)) }
    public init?(databaseValue: DatabaseValue) {
        guard let i = Int64(databaseValue: databaseValue), let v = Int32(exactly: i) else { return nil }
        self = v
    }
}

extension Double: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .real(self) }
    public init?(databaseValue: DatabaseValue) {
        switch databaseValue {
        case .integer(let i): self = Double(i)
        case .real(let d): self = d
        default: return nil
        }
    }
}

extension Bool: DatabaseValueConvertible {
    /// Booleans are stored as the integers 0 and 1, as SQLite's TRUE and FALSE are.
    public var databaseValue: DatabaseValue { .integer(self ? 1 : 0) }
    public init?(databaseValue: DatabaseValue) {
        switch databaseValue {
        case .integer(let i): self = i != 0
        case .real(let d): self = d != 0
        default: return nil
        }
    }
}

extension String: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .text(self) }
    public init?(databaseValue: DatabaseValue) {
        guard case .text(let s) = databaseValue else { return nil }
        self = s
    }
}

extension Array: DatabaseValueConvertible where Element == UInt8 {
    /// Byte arrays are blobs.
    public var databaseValue: DatabaseValue { .blob(self) }
    public init?(databaseValue: DatabaseValue) {
        guard case .blob(let b) = databaseValue else { return nil }
        self = b
    }
}

extension Optional: DatabaseValueConvertible where Wrapped: DatabaseValueConvertible {
    /// nil binds as NULL.
    public var databaseValue: DatabaseValue { self?.databaseValue ?? .null }
    /// NULL reads as nil; any other value must convert to `Wrapped`.
    public init?(databaseValue: DatabaseValue) {
        if databaseValue.isNull {
            self = .none
        } else if let w = Wrapped(databaseValue: databaseValue) {
            self = .some(w)
        } else {
            return nil
        }
    }
}
