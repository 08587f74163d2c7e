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
    // The first field decides most comparisons: an integer against an integer, or UTF-8 text under BINARY
    // against text, is compared in place before the general walk (vdbeRecordCompareInt/String).
    if !key.values.isEmpty, let field = leadingField(p, size),
       let c = compareLeadingField(field, to: key.values[0], keyInfo: keyInfo, encoding: encoding) {
        if c != 0 { return keyInfo.leadingFieldOrder(c) }
        if key.values.count == 1 { return key.defaultOrder }
    }
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

/// Compares the first `fields` fields of two encoded records under `keyInfo` (negative: `a` sorts first);
/// equal prefixes give `defaultOrder`. Nothing is decoded into values: numbers compare in place, text and
/// blobs as bytes (UTF-16 text is converted first). The first `skipping` fields are known to be equal (a
/// caller compared them already, as sqlite3VdbeRecordCompareWithSkip's bSkip): they are stepped over.
public func compareRecords(_ a: UnsafeRawPointer, _ aSize: Int, _ b: UnsafeRawPointer, _ bSize: Int,
                           keyInfo: KeyInfo, fields: Int, defaultOrder: Int = 0,
                           encoding: TextEncoding = .utf8, skipping: Int = 0) throws(DBError) -> Int {
    let (ha, na) = readVarint(a, a + aSize)
    let (hb, nb) = readVarint(b, b + bSize)
    guard na > 0, nb > 0, ha >= UInt64(na), hb >= UInt64(nb), ha <= UInt64(aSize), hb <= UInt64(bSize) else {
        throw DBError.corrupt("record header size beyond its record")
    }
    let aEnd = Int(ha), bEnd = Int(hb)
    var ahp = na, bhp = nb, abp = aEnd, bbp = bEnd
    var i = 0
    while i < fields && ahp < aEnd && bhp < bEnd {
        let (ta, la) = readVarint(a + ahp, a + aEnd)
        let (tb, lb) = readVarint(b + bhp, b + bEnd)
        guard la > 0, lb > 0 else { throw DBError.corrupt("truncated record header") }
        ahp += la
        bhp += lb
        let alen = serialTypeLength(ta), blen = serialTypeLength(tb)
        guard alen >= 0, blen >= 0 else { throw DBError.corrupt("record has a reserved serial type") }
        if i < skipping {
            abp += alen
            bbp += blen
            i += 1
            continue
        }
        // Bodies are read only when both fields are of one class (as SQLite's comparison, and compareRecord):
        // only then must they lie inside their records.
        if abp + alen > aSize || bbp + blen > bSize, serialClass(ta) == serialClass(tb), serialClass(ta) != 0 {
            throw DBError.corrupt("record body overflows its payload")
        }
        let collation = i < keyInfo.collations.count ? keyInfo.collations[i] : .binary
        var c = compareEncodedFields(ta, a + abp, alen, tb, b + bbp, blen, collation, encoding)
        if c != 0 {
            if i < keyInfo.descending.count && keyInfo.descending[i] { c = -c }
            return c
        }
        abp += alen
        bbp += blen
        i += 1
    }
    return defaultOrder
}

/// The storage class rank of a serial type: NULL 0, numbers 1, text 2, blob 3.
@inline(__always)
func serialClass(_ t: UInt64) -> Int {
    switch t {
    case 0, 10, 11: return 0
    case 1...9: return 1
    default: return t & 1 == 1 ? 2 : 3
    }
}

@inline(__always)
func compareEncodedFields(_ ta: UInt64, _ pa: UnsafeRawPointer, _ la: Int, _ tb: UInt64, _ pb: UnsafeRawPointer,
                          _ lb: Int, _ collation: Collation, _ encoding: TextEncoding) -> Int {
    let ca = serialClass(ta), cb = serialClass(tb)
    if ca != cb { return ca < cb ? -1 : 1 }
    switch ca {
    case 0:
        return 0
    case 1:
        if ta != 7 && tb != 7 {
            let x: Int64 = ta == 8 ? 0 : (ta == 9 ? 1 : readSignedInteger(pa, la))
            let y: Int64 = tb == 8 ? 0 : (tb == 9 ? 1 : readSignedInteger(pb, lb))
            return x < y ? -1 : (x > y ? 1 : 0)
        }
        if ta == 7 && tb == 7 {
            // Two REALs (never NaN: a NaN is stored as NULL).
            let x = Double(bitPattern: UInt64(bigEndian: pa.loadUnaligned(as: UInt64.self)))
            let y = Double(bitPattern: UInt64(bigEndian: pb.loadUnaligned(as: UInt64.self)))
            return x < y ? -1 : (x > y ? 1 : 0)
        }
        let va = decodeSerialValue(ta, pa, la, encoding), vb = decodeSerialValue(tb, pb, lb, encoding)
        return compareValues(va, vb)
    case 2:
        // BINARY compares stored bytes in every encoding (UTF-16 ones too, as SQLite's binCollFunc).
        if encoding == .utf8 || collation == .binary {
            return collation.compare(UnsafeRawBufferPointer(start: pa, count: la), UnsafeRawBufferPointer(start: pb, count: lb))
        }
        return compareValues(decodeSerialValue(ta, pa, la, encoding), decodeSerialValue(tb, pb, lb, encoding),
                             collation: collation)
    default:
        return compareBytes(UnsafeRawBufferPointer(start: pa, count: la), UnsafeRawBufferPointer(start: pb, count: lb))
    }
}

/// A record's first field when it is an integer or text and takes the shortcut comparisons below: a one-byte
/// header size, a serial type of one byte (or, for text of 58 bytes or more, two), and a body inside the
/// record. Nil otherwise (the general walk decides).
public enum LeadingField {
    case integer(Int64)
    case text(UnsafeRawBufferPointer)
}

@inline(__always)
public func leadingField(_ p: UnsafeRawPointer, _ size: Int) -> LeadingField? {
    guard size >= 2 else { return nil }
    let h = Int(p.load(as: UInt8.self)), t = p.load(fromByteOffset: 1, as: UInt8.self)
    guard h >= 2, h < 0x80 else { return nil }
    if t >= 0x80 { return leadingTextField(p, size).map { .text($0) } }
    if t >= 1 && t <= 6 {
        let len = serialTypeFixedLength(UInt64(t))
        return h + len <= size ? .integer(readSignedInteger(p + h, len)) : nil
    }
    if t == 8 || t == 9 { return .integer(Int64(t) - 8) }
    if t >= 13 && t & 1 == 1 {
        let len = Int(t - 13) >> 1
        return h + len <= size ? .text(UnsafeRawBufferPointer(start: p + h, count: len)) : nil
    }
    return nil
}

/// The record's first field when it is text held in a one-byte header size and a serial type of one or
/// two bytes (up to 8,185 bytes of text; `leadingField`'s text case, inlinable so a sort's comparison loop
/// reads it in place); nil otherwise.
@inlinable @inline(__always)
public func leadingTextField(_ p: UnsafeRawPointer, _ size: Int) -> UnsafeRawBufferPointer? {
    guard size >= 2 else { return nil }
    let h = Int(p.load(as: UInt8.self))
    var t = Int(p.load(fromByteOffset: 1, as: UInt8.self))
    guard h >= 2, h < 0x80 else { return nil }
    if t >= 0x80 {
        // A two-byte varint (fileformat2.html 1.5): the second byte ends it.
        guard h >= 3, size >= 3 else { return nil }
        let low = Int(p.load(fromByteOffset: 2, as: UInt8.self))
        guard low < 0x80 else { return nil }
        t = (t & 0x7f) << 7 | low
    }
    guard t >= 13, t & 1 == 1 else { return nil }
    let len = (t - 13) >> 1
    return h + len <= size ? UnsafeRawBufferPointer(start: p + h, count: len) : nil
}

extension KeyInfo {
    /// True when text in the first field compares as its stored bytes (BINARY over UTF-8).
    @inline(__always)
    public func leadingFieldIsBinaryText(_ encoding: TextEncoding) -> Bool {
        encoding == .utf8 && (collations.isEmpty || collations[0] == .binary)
    }

    /// A first-field comparison `c` in the first field's direction.
    @inline(__always)
    func leadingFieldOrder(_ c: Int) -> Int { !descending.isEmpty && descending[0] ? -c : c }
}

/// `compareRecords` with a shortcut for the common first field (as vdbesort.c's vdbeSorterCompareInt and
/// vdbeSorterCompareText): when both records start with an integer, or both with UTF-8 text under BINARY,
/// that field is compared in place and the full comparison runs only on a tie. Same result as
/// `compareRecords(a, aSize, b, bSize, keyInfo: keyInfo, fields: fields, encoding: encoding)`.
@inline(__always)
public func compareRecordsLeadingFieldFirst(_ a: UnsafeRawPointer, _ aSize: Int, _ b: UnsafeRawPointer, _ bSize: Int,
                                            keyInfo: KeyInfo, fields: Int, defaultOrder: Int = 0,
                                            encoding: TextEncoding) throws(DBError) -> Int {
    if fields > 0, let fa = leadingField(a, aSize), let fb = leadingField(b, bSize),
       let c = compareLeadingFields(fa, fb, binaryText: keyInfo.leadingFieldIsBinaryText(encoding)) {
        if c != 0 { return keyInfo.leadingFieldOrder(c) }
        // A tie on the only key field decides (a GROUP BY sorter's key is often one column with few values).
        if fields == 1 { return defaultOrder }
    }
    return try compareRecords(a, aSize, b, bSize, keyInfo: keyInfo, fields: fields, defaultOrder: defaultOrder,
                              encoding: encoding)
}

/// Two records' first fields compared in place: an integer with an integer, or text with text when it
/// compares as its bytes (`binaryText`, evaluated only then). Nil when the general walk must decide.
@inline(__always)
func compareLeadingFields(_ a: LeadingField, _ b: LeadingField, binaryText: @autoclosure () -> Bool) -> Int? {
    switch (a, b) {
    case (.integer(let x), .integer(let y)):
        return x < y ? -1 : (x > y ? 1 : 0)
    case (.text(let x), .text(let y)) where binaryText():
        return compareBytes(x, y)
    default:
        return nil
    }
}

/// A record's first field against a key's first value when both are integers, or both text under BINARY
/// over UTF-8 (compared in place, ascending: the caller applies the field's direction); nil otherwise.
@inline(__always)
func compareLeadingField(_ field: LeadingField, to value: Value, keyInfo: KeyInfo, encoding: TextEncoding) -> Int? {
    switch (field, value) {
    case (.integer(let i), .integer(let j)):
        return i < j ? -1 : (i > j ? 1 : 0)
    case (.text(let bytes), .text(let s)) where keyInfo.leadingFieldIsBinaryText(encoding):
        return s.withUnsafeBytes { compareBytes(bytes, $0) }
    default:
        return nil
    }
}

/// `compareRecordsLeadingFieldFirst(cell, size, key, keySize, …)` against one fixed key record: the key's
/// first field and the key description's first-field rules are read once rather than at each of the
/// thirty-odd comparisons of a b-tree descent. Same results. It holds no copy of the key description
/// (copying one retains its two arrays): the general comparison takes it from the caller.
public struct FixedKeyComparison {
    let key: UnsafeRawPointer
    let keySize: Int
    let keyLead: LeadingField?
    let binaryText: Bool
    let leadDescending: Bool
    let fields: Int
    let defaultOrder: Int
    let encoding: TextEncoding

    public init(key: UnsafeRawBufferPointer, keyInfo: borrowing KeyInfo, fields: Int, defaultOrder: Int,
                encoding: TextEncoding) {
        self.key = key.baseAddress!
        keySize = key.count
        keyLead = fields > 0 ? leadingField(self.key, keySize) : nil
        binaryText = keyInfo.leadingFieldIsBinaryText(encoding)
        leadDescending = keyInfo.descending.first ?? false
        self.fields = fields
        self.defaultOrder = defaultOrder
        self.encoding = encoding
    }

    /// The record at `a` against the key (negative: the record sorts first), under `keyInfo` (the one
    /// the comparison was made with).
    @inline(__always)
    public func compare(_ a: UnsafeRawPointer, _ aSize: Int, keyInfo: borrowing KeyInfo) throws(DBError) -> Int {
        if let fb = keyLead, let fa = leadingField(a, aSize), let c = compareLeadingFields(fa, fb, binaryText: binaryText) {
            if c != 0 { return leadDescending ? -c : c }
            if fields == 1 { return defaultOrder }
            return try compareAfterLeadingTie(a, aSize, keyInfo: keyInfo)
        }
        return try compareRecords(a, aSize, key, keySize, keyInfo: keyInfo, fields: fields, defaultOrder: defaultOrder,
                                  encoding: encoding)
    }

    /// The record at `a`, whose first field equals the key's (compared in place), against the key's other fields.
    public func compareAfterLeadingTie(_ a: UnsafeRawPointer, _ aSize: Int, keyInfo: borrowing KeyInfo) throws(DBError) -> Int {
        try compareRecords(a, aSize, key, keySize, keyInfo: keyInfo, fields: fields, defaultOrder: defaultOrder,
                           encoding: encoding, skipping: 1)
    }
}

/// True when one of the first `fields` fields of the record at `p` is NULL.
public func recordLeadingFieldsContainNull(_ p: UnsafeRawPointer, _ size: Int, fields: Int) throws(DBError) -> Bool {
    let (h, hn) = readVarint(p, p + size)
    guard hn > 0, h >= UInt64(hn), h <= UInt64(size) else { throw DBError.corrupt("record header size beyond its record") }
    let headerEnd = Int(h)
    var hp = hn, i = 0
    while i < fields && hp < headerEnd {
        let (t, n) = readVarint(p + hp, p + headerEnd)
        guard n > 0 else { throw DBError.corrupt("truncated record header") }
        if t == 0 { return true }
        hp += n
        i += 1
    }
    return false
}
