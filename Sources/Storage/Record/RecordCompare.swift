// RecordCompare: ordering an encoded index record against a search key.
//
// Implements the comparison SQLite uses to order index b-tree entries
// (fileformat2.html 1.6 "index b-tree" and datatype3.html 4.1): field by field,
// NULL < numbers < text < blob, numbers compared exactly across INTEGER and
// REAL, text under each column's collation, each column ascending or
// descending. In a UTF-16 database BINARY compares the stored UTF-16 bytes
// (memcmp, as SQLite's UTF-16 binCollFunc) while NOCASE and RTRIM compare
// UTF-8, as SQLite registers them for UTF-8 only and converts. Fields are
// decoded in place (no allocation for numbers); when every compared field is
// equal the key's `defaultOrder` decides, which lets a seek land before or
// after a run of equal prefixes.

import Base

/// How the columns of an index key compare: collation and direction per field.
public struct KeyInfo: Sendable, Equatable {
    public var collations: [Collation]
    public var descending: [Bool]

    public init(collations: [Collation], descending: [Bool]) {
        self.collations = collations
        self.descending = descending
    }

    /// `count` ascending BINARY fields.
    public init(binaryFields count: Int) {
        collations = Array(repeating: .binary, count: count)
        descending = Array(repeating: false, count: count)
    }

    public var fieldCount: Int { collations.count }
}

/// A search key: values to compare a record's leading fields against.
public struct SearchKey {
    public var values: [Value]
    /// The result when every compared field is equal: -1 sorts the key before equal records
    /// (a seek then lands on the first match), +1 after them, 0 reports equality.
    public var defaultOrder: Int

    public init(_ values: [Value], defaultOrder: Int = 0) {
        self.values = values
        self.defaultOrder = defaultOrder
    }
}

/// Compares the record at `p` (`size` bytes) with `key`: negative when the record sorts first.
public func compareRecord(_ p: UnsafeRawPointer, size: Int, to key: SearchKey, keyInfo: KeyInfo,
                          encoding: TextEncoding = .utf8) throws(DBError) -> Int {
    let (h, hn) = readVarint(p, p + size)
    guard hn > 0, h >= UInt64(hn), h <= UInt64(size) else {
        throw DBError.corrupt("index record header size \(h) beyond \(size) bytes")
    }
    let headerEnd = Int(h)
    var hp = hn
    var bp = headerEnd
    var i = 0
    let n = key.values.count
    while i < n && hp < headerEnd {
        let (t, tn) = readVarint(p + hp, p + headerEnd)
        guard tn > 0 else { throw DBError.corrupt("truncated index record header") }
        hp += tn
        let len = serialTypeLength(t)
        guard len >= 0 else { throw DBError.corrupt("index record has reserved serial type \(t)") }
        // A body is read only when the key's value is of its class (as SQLite's comparison): only then
        // must it lie inside the record.
        if len > size - bp && bodyIsCompared(t, key.values[i]) {
            throw DBError.corrupt("index record body overflows payload")
        }
        let collation = i < keyInfo.collations.count ? keyInfo.collations[i] : .binary
        var c = compareField(t, p + bp, len, key.values[i], collation, encoding)
        if c != 0 {
            if i < keyInfo.descending.count && keyInfo.descending[i] { c = -c }
            return c
        }
        bp += len
        i += 1
    }
    return key.defaultOrder
}

/// True when comparing a field of serial type `t` with `v` reads the field's body.
@inline(__always)
func bodyIsCompared(_ t: UInt64, _ v: Value) -> Bool {
    switch v {
    case .integer, .real: return t >= 1 && t <= 7
    case .text: return t >= 13 && t & 1 == 1
    case .blob: return t >= 12 && t & 1 == 0
    case .null: return false
    }
}

/// Compares one encoded field with a value, as `compareValues` would after decoding it.
/// The body at `p` is read only when `bodyIsCompared(t, v)`.
@inline(__always)
func compareField(_ t: UInt64, _ p: UnsafeRawPointer, _ len: Int, _ v: Value, _ collation: Collation,
                  _ encoding: TextEncoding) -> Int {
    switch t {
    case 0, 10, 11:
        return v.isNull ? 0 : -1
    case 1...6, 8, 9:
        switch v {
        case .null: return 1
        case .integer(let j):
            let i: Int64 = t == 8 ? 0 : (t == 9 ? 1 : readSignedInteger(p, len))
            return i < j ? -1 : (i > j ? 1 : 0)
        case .real(let r):
            let i: Int64 = t == 8 ? 0 : (t == 9 ? 1 : readSignedInteger(p, len))
            return compareIntegerToReal(i, r)
        default: return -1
        }
    case 7:
        switch v {
        case .null: return 1
        case .integer(let j):
            let d = Double(bitPattern: UInt64(bigEndian: p.loadUnaligned(as: UInt64.self)))
            return -compareIntegerToReal(j, d)
        case .real(let r):
            let d = Double(bitPattern: UInt64(bigEndian: p.loadUnaligned(as: UInt64.self)))
            return d < r ? -1 : (d > r ? 1 : 0)
        default: return -1
        }
    default:
        if t & 1 == 1 {
            switch v {
            case .null, .integer, .real: return 1
            case .blob: return -1
            case .text(let s):
                if encoding == .utf8 {
                    return s.withUnsafeBytes { collation.compare(UnsafeRawBufferPointer(start: p, count: len), $0) }
                }
                if collation == .binary {
                    // BINARY compares the bytes as stored: UTF-16 code units in the database's byte order.
                    let key = utf8ToUTF16(s, bigEndian: encoding == .utf16be)
                    return key.withUnsafeBytes { compareBytes(UnsafeRawBufferPointer(start: p, count: len), $0) }
                }
                return collation.compare(decodeSerialValue(t, p, len, encoding).textBytes, s)
            }
        }
        switch v {
        case .blob(let b): return b.withUnsafeBytes { compareBytes(UnsafeRawBufferPointer(start: p, count: len), $0) }
        default: return 1
        }
    }
}

extension Value {
    var textBytes: [UInt8] {
        if case .text(let t) = self { return t }
        return []
    }
}
