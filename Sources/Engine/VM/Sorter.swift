// Sorter: the in-memory sorter behind ORDER BY, GROUP BY and CREATE INDEX.
//
// Keys are encoded records, compared field by field in place under the
// sorter's KeyInfo (compareRecords; nothing is decoded), and sorted once at
// SorterSort with a stable merge sort: equal keys keep their insertion order,
// which SQLite's merge sort also does for records inserted in order, so
// results tie-break the same way.
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
    /// The sort is stable, so equal keys keep their insertion order.
    func sort() -> Bool {
        let n = entries.count
        if n > 1 {
            entries.withUnsafeMutableBufferPointer { buffer in
                Sorter.mergeSort(buffer.baseAddress!, n, keyInfo: keyInfo, encoding: encoding)
            }
        }
        position = 0
        return n > 0
    }

    /// A stable merge sort of record pointers (vdbesort.c merges sorted lists too): runs of 16 sorted by
    /// insertion, then merged bottom-up through one scratch array. Each comparison is a direct call with
    /// the leading field compared first.
    private static func mergeSort(_ items: UnsafeMutablePointer<UnsafeRawPointer>, _ n: Int, keyInfo: KeyInfo,
                                  encoding: TextEncoding) {
        let fields = keyInfo.fieldCount
        @inline(__always) func less(_ x: UnsafeRawPointer, _ y: UnsafeRawPointer) -> Bool {
            let c = (try? compareRecordsLeadingFieldFirst(x + 4, Int(x.load(as: UInt32.self)), y + 4,
                                                         Int(y.load(as: UInt32.self)), keyInfo: keyInfo,
                                                         fields: fields, encoding: encoding)) ?? 0
            return c < 0
        }
        let run = 16
        var start = 0
        while start < n {
            let end = Swift.min(start + run, n)
            var i = start + 1
            while i < end {
                let x = items[i]
                var j = i
                while j > start && less(x, items[j - 1]) {
                    items[j] = items[j - 1]
                    j -= 1
                }
                items[j] = x
                i += 1
            }
            start = end
        }
        if n <= run { return }
        let scratch = UnsafeMutablePointer<UnsafeRawPointer>.allocate(capacity: n)
        defer { scratch.deallocate() }
        var src = items, dst = scratch
        var width = run
        while width < n {
            var lo = 0
            while lo < n {
                let mid = Swift.min(lo + width, n), hi = Swift.min(lo + 2 * width, n)
                if mid >= hi || !less(src[mid], src[mid - 1]) {
                    // Already in order (or a lone run): copy it across.
                    (dst + lo).update(from: src + lo, count: hi - lo)
                } else {
                    var i = lo, j = mid, k = lo
                    while i < mid && j < hi {
                        // Take from the right only when strictly smaller: equal keys keep their order.
                        if less(src[j], src[i]) {
                            dst[k] = src[j]
                            j += 1
                        } else {
                            dst[k] = src[i]
                            i += 1
                        }
                        k += 1
                    }
                    if i < mid { (dst + k).update(from: src + i, count: mid - i) }
                    if j < hi { (dst + k).update(from: src + j, count: hi - j) }
                }
                lo = hi
            }
            swap(&src, &dst)
            width *= 2
        }
        if src != items { items.update(from: src, count: n) }
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

    /// True when the first `fields` fields of the current record equal those of `key`, none of them NULL
    /// (vdbesort.c's sqlite3VdbeSorterCompare, which CREATE INDEX uses to find duplicate keys).
    func currentEquals(_ key: [UInt8], fields: Int) throws(DBError) -> Bool {
        let info = keyInfo, enc = encoding
        return try key.withUnsafeBytesTyped { k, kn throws(DBError) in
            if try recordLeadingFieldsContainNull(k, kn, fields: fields) { return false }
            return try withCurrent { (p, n) throws(DBError) in
                try compareRecords(p, n, k, kn, keyInfo: info, fields: fields, encoding: enc) == 0
            }
        }
    }

    /// Replaces the contents of `buffer` with the current record (its capacity is reused).
    func copyCurrent(into buffer: inout [UInt8]) {
        withCurrent { p, n in
            buffer.removeAll(keepingCapacity: true)
            buffer.append(contentsOf: UnsafeRawBufferPointer(start: p, count: n))
        }
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
