// SerialType: how one value is stored in a record body (fileformat2.html 2.1).
//
//   TYPE   SIZE  MEANING
//      0      0  NULL
//    1–6  1,2,3,4,6,8  big-endian two's-complement integer
//      7      8  IEEE 754 double, big-endian
//      8      0  integer 0 (schema format 4)
//      9      0  integer 1 (schema format 4)
//  10,11      -  reserved: corruption in a database file
//  N≥12 even (N-12)/2  BLOB
//  N≥13 odd  (N-13)/2  TEXT in the database encoding
//
// Every size computed here fits in Int without overflow for any 64-bit type.

import Base

/// Byte length of a value of serial type `t`; -1 for the reserved types 10 and 11.
/// Lengths are capped at 2^31 (no payload is larger), so `offset + length` never overflows.
@inline(__always)
public func serialTypeLength(_ t: UInt64) -> Int {
    if t >= 12 { return Int(min((t - 12) >> 1, 0x8000_0000)) }
    return serialTypeFixedLength(t)
}

/// Byte length of the types 0–11 (`t` must be below 12), from a table of nibbles (0xF = reserved, -1):
/// a constant in the instruction stream, where a global array cost a lazy-initialisation check and a
/// bounds check per column.
@inline(__always)
@usableFromInline func serialTypeFixedLength(_ t: UInt64) -> Int {
    let length = Int(truncatingIfNeeded: (0xFF00_8864_3210 as UInt64) &>> (t &* 4)) & 0xF
    return length == 0xF ? -1 : length
}

/// The serial type and body length for storing `value` (schema format 4 rules).
@inline(__always)
public func serialType(for value: Value, textLength: Int? = nil) -> (type: UInt64, length: Int) {
    switch value {
    case .null: return (0, 0)
    case .integer(let i): return serialType(forInteger: i)
    case .real: return (7, 8)
    case .text(let t):
        let n = textLength ?? t.count
        return (UInt64(n) * 2 + 13, n)
    case .blob(let b): return (UInt64(b.count) * 2 + 12, b.count)
    }
}

/// The smallest integer serial type holding `i` (8 and 9 for 0 and 1).
@inline(__always)
public func serialType(forInteger i: Int64) -> (type: UInt64, length: Int) {
    if i == 0 { return (8, 0) }
    if i == 1 { return (9, 0) }
    let u = i < 0 ? ~i : i
    if u <= 127 { return (1, 1) }
    if u <= 32767 { return (2, 2) }
    if u <= 8_388_607 { return (3, 3) }
    if u <= 2_147_483_647 { return (4, 4) }
    if u <= 140_737_488_355_327 { return (5, 6) }
    return (6, 8)
}

/// Reads a big-endian signed integer of `length` bytes (1,2,3,4,6,8) at `p`.
@inlinable @inline(__always)
func readSignedInteger(_ p: UnsafeRawPointer, _ length: Int) -> Int64 {
    switch length {
    case 1: return Int64(p.load(as: Int8.self))
    case 2: return Int64(Int16(bitPattern: UInt16(bigEndian: p.loadUnaligned(as: UInt16.self))))
    case 3:
        let v = (Int32(p.load(as: Int8.self)) << 16) | (Int32(p.load(fromByteOffset: 1, as: UInt8.self)) << 8)
            | Int32(p.load(fromByteOffset: 2, as: UInt8.self))
        return Int64(v)
    case 4: return Int64(Int32(bitPattern: UInt32(bigEndian: p.loadUnaligned(as: UInt32.self))))
    case 6:
        let hi = Int64(Int16(bitPattern: UInt16(bigEndian: p.loadUnaligned(as: UInt16.self))))
        let lo = Int64(UInt32(bigEndian: p.loadUnaligned(fromByteOffset: 2, as: UInt32.self)))
        return (hi << 32) | lo
    default: return Int64(bitPattern: UInt64(bigEndian: p.loadUnaligned(as: UInt64.self)))
    }
}

/// Writes `i` as a big-endian integer of `length` bytes at `p`.
@inline(__always)
func writeSignedInteger(_ p: UnsafeMutableRawPointer, _ i: Int64, _ length: Int) {
    var v = UInt64(bitPattern: i)
    var k = length - 1
    while k >= 0 {
        p.storeBytes(of: UInt8(truncatingIfNeeded: v), toByteOffset: k, as: UInt8.self)
        v >>= 8
        k -= 1
    }
}
