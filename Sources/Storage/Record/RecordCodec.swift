// RecordCodec: SQLite's record format (fileformat2.html 2.1), both ways.
//
// A record is a header (its own size as a varint, then one serial-type varint
// per column) followed by the column bodies in order. Decoding is lazy:
// `RecordReader` walks the header only as far as the column asked for, and a
// column's body is read without touching the others. Every offset is checked
// against the record size before use: a header or body that runs past the end
// is SQLITE_CORRUPT, never a read out of bounds.

import Base

/// Decodes the value of serial type `type` whose body starts at `p` (caller checked the length).
@inline(__always)
public func decodeSerialValue(_ type: UInt64, _ p: UnsafeRawPointer, _ length: Int, _ encoding: TextEncoding) -> Value {
    switch type {
    case 0: return .null
    case 1...6: return .integer(readSignedInteger(p, length))
    case 7:
        let d = Double(bitPattern: UInt64(bigEndian: p.loadUnaligned(as: UInt64.self)))
        return d.isNaN ? .null : .real(d)
    case 8: return .integer(0)
    case 9: return .integer(1)
    case 10, 11: return .null
    default:
        if type & 1 == 0 {
            return .blob(Array(UnsafeRawBufferPointer(start: p, count: length)))
        }
        switch encoding {
        case .utf8: return .text(Array(UnsafeRawBufferPointer(start: p, count: length)))
        case .utf16le: return .text(utf16ToUTF8(p, length, bigEndian: false))
        case .utf16be: return .text(utf16ToUTF8(p, length, bigEndian: true))
        }
    }
}

/// Decodes like `decodeSerialValue` into `slot`, reusing the byte buffer of the TEXT or BLOB value `slot`
/// holds when nothing else shares it: a scan that reads a text column into the same register row after
/// row then copies the bytes into one buffer instead of allocating and freeing an array per row (vdbe.c's
/// Mem keeps its zMalloc across rows the same way). A shared buffer is left to its other owners (the
/// array's copy-on-write makes a new one); a buffer far larger than the value is not kept.
/// Numbers and NULL are decoded in the caller (inlinable, the engine's Column reads them through it): the
/// slot's old value needs releasing only when it holds bytes.
@inlinable @inline(__always)
public func decodeSerialValue(_ type: UInt64, _ p: UnsafeRawPointer, _ length: Int, _ encoding: TextEncoding,
                              into slot: UnsafeMutablePointer<Value>) {
    guard type >= 12 else {
        let v: Value
        switch type {
        case 1...6: v = .integer(readSignedInteger(p, length))
        case 7:
            let d = Double(bitPattern: UInt64(bigEndian: p.loadUnaligned(as: UInt64.self)))
            v = d.isNaN ? .null : .real(d)
        case 8: v = .integer(0)
        case 9: v = .integer(1)
        default: v = .null
        }
        slot.storeTrivial(v)
        return
    }
    decodeBytesValue(type, p, length, encoding, into: slot)
}

/// `decodeSerialValue(_:_:_:_:into:)` for TEXT and BLOB (`type` 12 or more).
@usableFromInline
func decodeBytesValue(_ type: UInt64, _ p: UnsafeRawPointer, _ length: Int, _ encoding: TextEncoding,
                      into slot: UnsafeMutablePointer<Value>) {
    guard type & 1 == 0 || encoding == .utf8 else {
        slot.pointee = decodeSerialValue(type, p, length, encoding)
        return
    }
    let bytes = UnsafeBufferPointer(start: p.assumingMemoryBound(to: UInt8.self), count: length)
    var buffer: [UInt8]
    switch slot.move() {
    case .text(let b), .blob(let b): buffer = b
    default: buffer = []
    }
    if buffer.count == length {
        // The same length (common: fixed-width values, a column read again): overwrite in place.
        buffer.withUnsafeMutableBufferPointer { b in
            if let d = b.baseAddress, length > 0 { d.update(from: bytes.baseAddress!, count: length) }
        }
    } else if buffer.capacity <= 2 * length + 256 {
        // One replacement, not an emptying and an append (each a generic call of its own).
        buffer.replaceSubrange(0..<buffer.count, with: bytes)
    } else {
        buffer = Array(bytes)
    }
    slot.initialize(to: type & 1 == 0 ? .blob(buffer) : .text(buffer))
}

/// Lazy access to the columns of one record held contiguously in memory.
public struct RecordReader {
    public let base: UnsafeRawPointer
    public let size: Int
    public let encoding: TextEncoding
    /// Byte offset of the end of the header (the first body byte).
    public let headerSize: Int
    /// Bytes of the header-size varint itself (the first serial type follows it).
    let headerSizeLength: Int

    public init(_ base: UnsafeRawPointer, size: Int, encoding: TextEncoding = .utf8) throws(DBError) {
        self.base = base
        self.size = size
        self.encoding = encoding
        let (h, n) = readVarint(base, base + size)
        guard n > 0, h >= UInt64(n), h <= UInt64(size) else {
            // A zero-length record (size 0) is corrupt as well: every record has a header.
            throw DBError.corrupt("record header size \(h) beyond record of \(size) bytes")
        }
        headerSize = Int(h)
        headerSizeLength = n
    }

    /// The number of columns the header describes.
    public func columnCount() throws(DBError) -> Int {
        var count = 0
        var p = headerSizeLength
        while p < headerSize {
            let (_, n) = readVarint(base + p, base + headerSize)
            guard n > 0 else { throw DBError.corrupt("truncated record header") }
            p += n
            count += 1
        }
        return count
    }

    /// Every column, decoded.
    public func values() throws(DBError) -> [Value] {
        var out: [Value] = []
        var hp = headerSizeLength
        var bp = headerSize
        while hp < headerSize {
            let (t, n) = readVarint(base + hp, base + headerSize)
            guard n > 0 else { throw DBError.corrupt("truncated record header") }
            hp += n
            let len = serialTypeLength(t)
            guard len >= 0, bp + len <= size else { throw DBError.corrupt("record body overflows payload") }
            out.append(decodeSerialValue(t, base + bp, len, encoding))
            bp += len
        }
        return out
    }

    /// Column `index`, or NULL when the record has fewer columns (a column added by ALTER TABLE ADD COLUMN).
    public func value(at index: Int) throws(DBError) -> Value {
        guard let (t, at, len) = try field(at: index) else { return .null }
        return decodeSerialValue(t, base + at, len, encoding)
    }

    /// Field `index` into `slot`, reusing the buffer it holds (decodeSerialValue(_:_:_:_:into:)); NULL
    /// when the record has fewer fields.
    public func value(at index: Int, into slot: UnsafeMutablePointer<Value>) throws(DBError) {
        guard let (t, at, len) = try field(at: index) else {
            slot.pointee = .null
            return
        }
        decodeSerialValue(t, base + at, len, encoding, into: slot)
    }

    /// The serial type, body offset and body length of field `index`; nil when the record has fewer fields.
    private func field(at index: Int) throws(DBError) -> (UInt64, Int, Int)? {
        var hp = headerSizeLength
        var bp = headerSize
        var i = 0
        while hp < headerSize {
            let (t, n) = readVarint(base + hp, base + headerSize)
            guard n > 0 else { throw DBError.corrupt("truncated record header") }
            hp += n
            let len = serialTypeLength(t)
            guard len >= 0, bp + len <= size else { throw DBError.corrupt("record body overflows payload") }
            if i == index { return (t, bp, len) }
            bp += len
            i += 1
        }
        return nil
    }
}

extension RecordReader {
    /// The first of the leading `count` fields in which this record and `other` differ (compareValues
    /// under `collations[i]`), or `count` when they agree on all of them; a field past a record's end reads
    /// as NULL. Fields of one serial type with the same bytes are equal without being decoded (ANALYZE's
    /// count of distinct index prefixes: analyze.c compares each entry with the one before it).
    public func firstDifferingField(from other: RecordReader, count: Int,
                                    collations: [Collation]) throws(DBError) -> Int {
        var ha = headerSizeLength, hb = other.headerSizeLength
        var ba = headerSize, bb = other.headerSize
        for i in 0..<count {
            let (ta, la) = try nextField(&ha, body: ba)
            let (tb, lb) = try other.nextField(&hb, body: bb)
            let same = ta == tb && la == lb && (la == 0 || memcmpBytes(base + ba, other.base + bb, la) == 0)
            if !same {
                let collation = i < collations.count ? collations[i] : .binary
                let c: Int
                if ta >= 13 && tb >= 13 && ta & 1 == 1 && tb & 1 == 1 && encoding == .utf8 && other.encoding == .utf8 {
                    // Two texts: compared in place under the collation (no arrays made).
                    c = collation.compare(UnsafeRawBufferPointer(start: base + ba, count: la),
                                          UnsafeRawBufferPointer(start: other.base + bb, count: lb))
                } else {
                    c = compareValues(decodeSerialValue(ta, base + ba, la, encoding),
                                      decodeSerialValue(tb, other.base + bb, lb, other.encoding), collation: collation)
                }
                if c != 0 { return i }
            }
            ba += la
            bb += lb
        }
        return count
    }

    /// The serial type and body length of the field whose header entry starts at `header` (advanced past
    /// it); NULL with no body once the header is exhausted. `body`: where the field's body starts.
    private func nextField(_ header: inout Int, body: Int) throws(DBError) -> (UInt64, Int) {
        guard header < headerSize else { return (0, 0) }
        let (t, n) = readVarint(base + header, base + headerSize)
        guard n > 0 else { throw DBError.corrupt("truncated record header") }
        header += n
        let len = serialTypeLength(t)
        guard len >= 0, body + len <= size else { throw DBError.corrupt("record body overflows payload") }
        return (t, len)
    }
}

/// 4,096 zero bytes, appended to a buffer to lengthen it before its bytes are written (never written to).
nonisolated(unsafe) private let zeroPage: UnsafeRawBufferPointer = {
    let page = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 8)
    page.initializeMemory(as: UInt8.self, repeating: 0)
    return UnsafeRawBufferPointer(page)
}()

/// Makes `buffer` `count` bytes long for a caller that then writes every byte: shortened, or lengthened
/// within its capacity when it has room (one emptied with its capacity kept grows in place). The bytes
/// added come from a page of zeros: appending them as a repeated element takes the generic path, several
/// hundred instructions more each time.
@inline(__always)
func resizeForOverwrite(_ buffer: inout [UInt8], to count: Int) {
    if buffer.count > count {
        buffer.removeLast(buffer.count - count)
        return
    }
    var missing = count - buffer.count
    while missing > 0 {
        let k = min(missing, zeroPage.count)
        buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: zeroPage[0..<k]))
        missing -= k
    }
}

/// Builds records: header then bodies, integers in their smallest serial type.
public enum RecordEncoder {
    /// Encodes `values` as one record in the database's text encoding.
    public static func encode(_ values: [Value], encoding: TextEncoding = .utf8) -> [UInt8] {
        var out: [UInt8] = []
        encode(values, encoding: encoding, into: &out)
        return out
    }

    /// Encodes `values`, replacing the contents of `out` (whose capacity is reused).
    public static func encode(_ values: [Value], encoding: TextEncoding, into out: inout [UInt8]) {
        values.withUnsafeBufferPointer { encode($0, encoding: encoding, into: &out) }
    }

    /// Encodes `values` (the VM's registers, in place), replacing the contents of `out` (whose capacity is
    /// reused).
    public static func encode(_ values: UnsafeBufferPointer<Value>, encoding: TextEncoding, into out: inout [UInt8]) {
        if encoding != .utf8 {
            let converted = values.map { v -> Value in
                if case .text(let t) = v { return .text(utf8ToUTF16(t, bigEndian: encoding == .utf16be)) }
                return v
            }
            encode(converted, encoding: .utf8, into: &out)
            return
        }
        var headerBody = 0
        var bodySize = 0
        for v in values {
            let (t, len) = serialType(for: v)
            headerBody += varintLength(t)
            bodySize += len
        }
        // The header size counts its own varint, which may grow by a byte when the total crosses 127.
        var sizeLength = 1
        while varintLength(UInt64(headerBody + sizeLength)) > sizeLength { sizeLength += 1 }
        let headerSize = headerBody + sizeLength
        let total = headerSize + bodySize
        func write(_ p: UnsafeMutableRawPointer) {
            var hp = writeVarint(p, UInt64(headerSize))
            var bp = headerSize
            for v in values {
                let (t, len) = serialType(for: v)
                hp += writeVarint(p + hp, t)
                switch v {
                case .null: break
                case .integer(let i): if len > 0 { writeSignedInteger(p + bp, i, len) }
                case .real(let d): p.storeBytes(of: d.bitPattern.bigEndian, toByteOffset: bp, as: UInt64.self)
                case .text(let b), .blob(let b):
                    b.withUnsafeBytes { if $0.count > 0 { (p + bp).copyMemory(from: $0.baseAddress!, byteCount: $0.count) } }
                }
                bp += len
            }
        }
        // Every byte of the record is written, so `out` is only resized: a buffer reused for records of one
        // size (a MakeRecord register, row after row) is neither cleared nor grown.
        resizeForOverwrite(&out, to: total)
        out.withUnsafeMutableBytes { write($0.baseAddress!) }
    }
}

/// Reads one varint of a record header (for callers that walk headers themselves).
@inline(__always)
public func readRecordVarint(_ p: UnsafeRawPointer, _ end: UnsafeRawPointer) -> (value: UInt64, length: Int) {
    readVarint(p, end)
}

/// The header size a record at `base` declares, and the bytes its varint takes (0: corrupt).
@inline(__always)
public func readRecordHeaderSize(_ base: UnsafeRawPointer, _ size: Int) -> (headerSize: Int, length: Int) {
    let (h, n) = readVarint(base, base + size)
    guard n > 0, h <= UInt64(Int32.max) else { return (0, 0) }
    return (Int(h), n)
}
