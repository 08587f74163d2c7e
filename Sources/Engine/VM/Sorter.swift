// Sorter: the in-memory sorter behind ORDER BY, GROUP BY and CREATE INDEX.
//
// Keys are encoded records, compared field by field in place under the
// sorter's KeyInfo (compareRecords; nothing is decoded), and sorted once at
// SorterSort with the standard library's sort, which is stable: equal keys
// keep their insertion order, which SQLite's merge sort also does for records
// inserted in order, so results tie-break the same way.
//
// Records are packed into 256 KiB chunks (a record longer than that gets a
// chunk of its own), each behind a 4-byte length: one allocation per chunk
// rather than one per record, so a CREATE INDEX over many short keys costs
// about the keys' own size (vdbesort.c packs its in-memory list the same way).

import Base
import Storage
#if canImport(Glibc)
import Glibc
#endif

final class Sorter {
    let keyInfo: KeyInfo
    let encoding: TextEncoding
    private static let chunkBytes = 256 * 1024
    private var chunks: [(UnsafeMutableRawPointer, Int)] = []
    private var chunkFree = 0
    private var chunkEnd: UnsafeMutableRawPointer?
    /// Each record's length prefix: in insertion order, then in sorted order.
    private var entries: [UnsafeRawPointer] = []
    private(set) var position = 0

    init(keyInfo: KeyInfo, encoding: TextEncoding) {
        self.keyInfo = keyInfo
        self.encoding = encoding
    }

    deinit { for (c, size) in chunks { Sorter.freeChunk(c, size) } }

    /// Chunks are mapped from the kernel and unmapped when the sorter ends, so a large sort leaves no
    /// freed-but-resident heap behind (malloc keeps such memory, and the process's peak RSS with it).
    private static func allocateChunk(_ size: Int) throws(DBError) -> UnsafeMutableRawPointer {
        let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let p, p != MAP_FAILED else { throw DBError(.nomem) }
        return p
    }

    private static func freeChunk(_ p: UnsafeMutableRawPointer, _ size: Int) {
        munmap(p, size)
    }

    func insert(_ record: [UInt8]) throws(DBError) {
        guard entries.count < Int(Int32.max) else { throw DBError(.toobig) }
        let n = record.count
        let need = n + 4
        if need > chunkFree {
            let size = max(need, Sorter.chunkBytes)
            let c = try Sorter.allocateChunk(size)
            chunks.append((c, size))
            chunkEnd = c
            chunkFree = size
        }
        let p = chunkEnd!
        p.storeBytes(of: UInt32(n), as: UInt32.self)
        if n > 0 { record.withUnsafeBytes { (p + 4).copyMemory(from: $0.baseAddress!, byteCount: n) } }
        entries.append(UnsafeRawPointer(p))
        // The next record starts 4-byte aligned, so its length prefix is an aligned load.
        let used = (need + 3) & ~3
        chunkEnd = p + used
        chunkFree -= min(used, chunkFree)
    }

    /// Sorts; returns false when there are no records. A corrupt record sorts as if equal.
    /// The standard library's sort is stable, so equal keys keep their insertion order.
    func sort() -> Bool {
        let info = keyInfo, fields = keyInfo.fieldCount, enc = encoding
        entries.sort { pa, pb in
            let c = (try? compareRecords(pa + 4, Int(pa.load(as: UInt32.self)), pb + 4, Int(pb.load(as: UInt32.self)),
                                         keyInfo: info, fields: fields, encoding: enc)) ?? 0
            return c < 0
        }
        position = 0
        return !entries.isEmpty
    }

    /// Moves to the next record; false past the last.
    func next() -> Bool {
        position += 1
        return position < entries.count
    }

    /// The current record's bytes, valid until the sorter is reset.
    @inline(__always)
    func withCurrent<R, E: Error>(_ body: (UnsafeRawPointer, Int) throws(E) -> R) throws(E) -> R {
        let p = entries[position]
        return try body(p + 4, Int(p.load(as: UInt32.self)))
    }

    /// A copy of the current record.
    var current: [UInt8] {
        withCurrent { p, n in Array(UnsafeRawBufferPointer(start: p, count: n)) }
    }

    var count: Int { entries.count }

    func reset() {
        for (c, size) in chunks { Sorter.freeChunk(c, size) }
        chunks.removeAll()
        chunkFree = 0
        chunkEnd = nil
        entries.removeAll()
        position = 0
    }
}
