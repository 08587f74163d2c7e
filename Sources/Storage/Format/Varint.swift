// Varint: SQLite's variable-length integer (fileformat2.html, section 1.6).
//
// A varint is 1–9 bytes: the first eight bytes contribute 7 bits each while
// their high bit is set; a ninth byte contributes all 8 bits. It encodes a
// 64-bit two's-complement integer, big-end first. `readVarint` never reads
// past `end`: a truncated varint is reported as length 0 (corruption).

/// Decodes the varint at `p` (reading no byte at or past `end`). Returns (value, length); length 0 if truncated.
@inline(__always)
func readVarint(_ p: UnsafeRawPointer, _ end: UnsafeRawPointer) -> (value: UInt64, length: Int) {
    let avail = end - p
    if avail <= 0 { return (0, 0) }
    let b0 = p.load(as: UInt8.self)
    if b0 < 0x80 { return (UInt64(b0), 1) }
    if avail >= 2 {
        let b1 = p.load(fromByteOffset: 1, as: UInt8.self)
        if b1 < 0x80 { return ((UInt64(b0 & 0x7f) << 7) | UInt64(b1), 2) }
        // Three bytes hold up to 2^21: the rowids of most tables, in every cell a seek reads.
        if avail >= 3 {
            let b2 = p.load(fromByteOffset: 2, as: UInt8.self)
            if b2 < 0x80 { return ((UInt64(b0 & 0x7f) << 14) | (UInt64(b1 & 0x7f) << 7) | UInt64(b2), 3) }
        }
    }
    return readVarintSlow(p, avail)
}

@inline(never)
func readVarintSlow(_ p: UnsafeRawPointer, _ avail: Int) -> (value: UInt64, length: Int) {
    var v: UInt64 = 0
    var i = 0
    while i < 8 {
        if i >= avail { return (0, 0) }
        let b = p.load(fromByteOffset: i, as: UInt8.self)
        v = (v << 7) | UInt64(b & 0x7f)
        if b < 0x80 { return (v, i + 1) }
        i += 1
    }
    if avail < 9 { return (0, 0) }
    v = (v << 8) | UInt64(p.load(fromByteOffset: 8, as: UInt8.self))
    return (v, 9)
}

/// The number of bytes `writeVarint` uses for `v`.
@inline(__always)
func varintLength(_ v: UInt64) -> Int {
    if v < 0x80 { return 1 }
    if v < 0x4000 { return 2 }
    if v >> 56 != 0 { return 9 }
    var n = 1
    var x = v >> 7
    while x != 0 { n += 1; x >>= 7 }
    return n
}

/// Writes `v` as a varint at `p` (which must have room for `varintLength(v)` bytes); returns the length.
@inline(__always)
@discardableResult
func writeVarint(_ p: UnsafeMutableRawPointer, _ v: UInt64) -> Int {
    if v < 0x80 {
        p.storeBytes(of: UInt8(v), as: UInt8.self)
        return 1
    }
    if v < 0x4000 {
        p.storeBytes(of: UInt8(0x80 | (v >> 7)), as: UInt8.self)
        p.storeBytes(of: UInt8(v & 0x7f), toByteOffset: 1, as: UInt8.self)
        return 2
    }
    return writeVarintSlow(p, v)
}

@inline(never)
func writeVarintSlow(_ p: UnsafeMutableRawPointer, _ v: UInt64) -> Int {
    if v >> 56 != 0 {
        p.storeBytes(of: UInt8(truncatingIfNeeded: v), toByteOffset: 8, as: UInt8.self)
        var x = v >> 8
        for i in stride(from: 7, through: 0, by: -1) {
            p.storeBytes(of: UInt8(truncatingIfNeeded: (x & 0x7f) | 0x80), toByteOffset: i, as: UInt8.self)
            x >>= 7
        }
        return 9
    }
    let n = varintLength(v)
    var x = v
    for i in stride(from: n - 1, through: 0, by: -1) {
        let low = UInt8(truncatingIfNeeded: x & 0x7f)
        p.storeBytes(of: i == n - 1 ? low : low | 0x80, toByteOffset: i, as: UInt8.self)
        x >>= 7
    }
    return n
}
