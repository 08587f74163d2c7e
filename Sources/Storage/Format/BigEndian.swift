// BigEndian: unaligned big-endian integer access to page bytes.
//
// SQLite stores every multi-byte integer of its file format big-endian
// (https://sqlite.org/fileformat2.html). These helpers are the only place the
// storage layer turns raw bytes into integers; callers check bounds first.
//
// Safety: each function reads or writes exactly the named width at `p + offset`;
// the caller guarantees those bytes lie inside the page or buffer.

@inline(__always) func get16(_ p: UnsafeRawPointer, _ offset: Int) -> Int {
    Int(UInt16(bigEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
}

@inline(__always) func get32(_ p: UnsafeRawPointer, _ offset: Int) -> UInt32 {
    UInt32(bigEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
}

@inline(__always) func put16(_ p: UnsafeMutableRawPointer, _ offset: Int, _ v: Int) {
    p.storeBytes(of: UInt16(truncatingIfNeeded: v).bigEndian, toByteOffset: offset, as: UInt16.self)
}

@inline(__always) func put32(_ p: UnsafeMutableRawPointer, _ offset: Int, _ v: UInt32) {
    p.storeBytes(of: v.bigEndian, toByteOffset: offset, as: UInt32.self)
}
