// TextCodec: conversion between the engine's UTF-8 and a database's UTF-16.
//
// The engine works in UTF-8; a UTF-16le/be database stores text in its own
// encoding (fileformat2.html 1.3.13), so the record codec converts at the
// boundary. Conversion never fails: a lone surrogate becomes its 3-byte
// generalized UTF-8 form and back again, so whatever UTF-16 a file holds
// survives a read-write cycle; invalid UTF-8 bytes map to U+FFFD as SQLite does.

import Base

/// UTF-16 (of the given byte order) to UTF-8.
func utf16ToUTF8(_ p: UnsafeRawPointer, _ byteCount: Int, bigEndian: Bool) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(byteCount + byteCount / 2)
    let n = byteCount / 2
    var i = 0
    @inline(__always) func unit(_ k: Int) -> UInt32 {
        let a = UInt32(p.load(fromByteOffset: 2 * k, as: UInt8.self))
        let b = UInt32(p.load(fromByteOffset: 2 * k + 1, as: UInt8.self))
        return bigEndian ? (a << 8) | b : (b << 8) | a
    }
    while i < n {
        var c = unit(i)
        i += 1
        if c >= 0xD800 && c < 0xDC00 && i < n {
            let d = unit(i)
            if d >= 0xDC00 && d < 0xE000 {
                c = 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00)
                i += 1
            }
        }
        appendUTF8(&out, c)
    }
    return out
}

@inline(__always)
func appendUTF8(_ out: inout [UInt8], _ c: UInt32) {
    if c < 0x80 {
        out.append(UInt8(c))
    } else if c < 0x800 {
        out.append(UInt8(0xC0 | (c >> 6)))
        out.append(UInt8(0x80 | (c & 0x3F)))
    } else if c < 0x10000 {
        out.append(UInt8(0xE0 | (c >> 12)))
        out.append(UInt8(0x80 | ((c >> 6) & 0x3F)))
        out.append(UInt8(0x80 | (c & 0x3F)))
    } else {
        out.append(UInt8(0xF0 | (c >> 18)))
        out.append(UInt8(0x80 | ((c >> 12) & 0x3F)))
        out.append(UInt8(0x80 | ((c >> 6) & 0x3F)))
        out.append(UInt8(0x80 | (c & 0x3F)))
    }
}

/// UTF-8 to UTF-16 code units of the given byte order, as bytes.
func utf8ToUTF16(_ s: [UInt8], bigEndian: Bool) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(s.count * 2)
    @inline(__always) func put(_ u: UInt32) {
        let hi = UInt8(truncatingIfNeeded: u >> 8), lo = UInt8(truncatingIfNeeded: u)
        if bigEndian { out.append(hi); out.append(lo) } else { out.append(lo); out.append(hi) }
    }
    var i = 0
    let n = s.count
    while i < n {
        let (c, len) = decodeUTF8Scalar(s, i)
        i += len
        if c >= 0x10000 {
            let v = c - 0x10000
            put(0xD800 + (v >> 10))
            put(0xDC00 + (v & 0x3FF))
        } else {
            put(c)
        }
    }
    return out
}

/// Decodes one (generalized) UTF-8 sequence at `i`: (scalar, bytes used). Invalid input yields U+FFFD, 1 byte.
@inline(__always)
func decodeUTF8Scalar(_ s: [UInt8], _ i: Int) -> (UInt32, Int) {
    let b0 = UInt32(s[i])
    if b0 < 0x80 { return (b0, 1) }
    func cont(_ k: Int) -> UInt32? {
        guard i + k < s.count, s[i + k] & 0xC0 == 0x80 else { return nil }
        return UInt32(s[i + k] & 0x3F)
    }
    if b0 & 0xE0 == 0xC0, let c1 = cont(1) {
        let c = ((b0 & 0x1F) << 6) | c1
        if c >= 0x80 { return (c, 2) }
    } else if b0 & 0xF0 == 0xE0, let c1 = cont(1), let c2 = cont(2) {
        let c = ((b0 & 0x0F) << 12) | (c1 << 6) | c2
        if c >= 0x800 { return (c, 3) }
    } else if b0 & 0xF8 == 0xF0, let c1 = cont(1), let c2 = cont(2), let c3 = cont(3) {
        let c = ((b0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3
        if c >= 0x10000 && c <= 0x10FFFF { return (c, 4) }
    }
    return (0xFFFD, 1)
}
