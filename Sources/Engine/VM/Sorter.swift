// Sorter: the in-memory sorter behind ORDER BY, GROUP BY and CREATE INDEX.
//
// Keys are encoded records, compared field by field in place under the
// sorter's KeyInfo (compareRecords; nothing is decoded), and sorted once,
// stably, at SorterSort. Equal keys keep their insertion order, which
// SQLite's merge sort also does for records inserted in order, so results
// tie-break the same way.
//
// Records are packed into 64 KiB chunks (a record longer than that gets a
// chunk of its own), each behind a 4-byte length: one allocation per chunk
// rather than one per record, so a CREATE INDEX over many short keys costs
// about the keys' own size (vdbesort.c packs its in-memory list the same way).

import Base
import Storage

final class Sorter {
    let keyInfo: KeyInfo
    let encoding: TextEncoding
    private static let chunkBytes = 64 * 1024
    private var chunks: [UnsafeMutableRawPointer] = []
    private var chunkFree = 0
    private var chunkEnd: UnsafeMutableRawPointer?
    /// Each record's length prefix, in insertion order.
    private var entries: [UnsafeRawPointer] = []
    private var order: [Int32] = []
    private(set) var position = 0

    init(keyInfo: KeyInfo, encoding: TextEncoding) {
        self.keyInfo = keyInfo
        self.encoding = encoding
    }

    deinit { for c in chunks { c.deallocate() } }

    func insert(_ record: [UInt8]) throws(DBError) {
        guard entries.count < Int(Int32.max) else { throw DBError(.toobig) }
        let n = record.count
        let need = n + 4
        if need > chunkFree {
            let size = max(need, Sorter.chunkBytes)
            let c = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
            chunks.append(c)
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
    func sort() -> Bool {
        order = (0..<Int32(entries.count)).map { $0 }
        let info = keyInfo, fields = keyInfo.fieldCount, enc = encoding
        entries.withUnsafeBufferPointer { e in
            order.sort { a, b in
                let pa = e[Int(a)], pb = e[Int(b)]
                let c = (try? compareRecords(pa + 4, Int(pa.load(as: UInt32.self)), pb + 4, Int(pb.load(as: UInt32.self)),
                                             keyInfo: info, fields: fields, encoding: enc)) ?? 0
                return c < 0 || (c == 0 && a < b)
            }
        }
        position = 0
        return !entries.isEmpty
    }

    /// Moves to the next record; false past the last.
    func next() -> Bool {
        position += 1
        return position < order.count
    }

    /// The current record's bytes, valid until the sorter is reset.
    @inline(__always)
    func withCurrent<R, E: Error>(_ body: (UnsafeRawPointer, Int) throws(E) -> R) throws(E) -> R {
        let p = entries[Int(order[position])]
        return try body(p + 4, Int(p.load(as: UInt32.self)))
    }

    /// A copy of the current record.
    var current: [UInt8] {
        withCurrent { p, n in Array(UnsafeRawBufferPointer(start: p, count: n)) }
    }

    var count: Int { entries.count }

    func reset() {
        for c in chunks { c.deallocate() }
        chunks.removeAll()
        chunkFree = 0
        chunkEnd = nil
        entries.removeAll()
        order.removeAll()
        position = 0
    }
}
