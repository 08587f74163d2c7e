// Sorter: the in-memory sorter behind ORDER BY, GROUP BY and CREATE INDEX.
//
// Keys are encoded records, compared field by field in place under the
// sorter's KeyInfo (compareRecords; nothing is decoded), and sorted once at
// SorterSort with a stable merge sort: equal keys keep their insertion order,
// which SQLite's merge sort also does for records inserted in order, so
// results tie-break the same way.
//
// Records are packed into 256 KiB chunks (a record longer than that gets a
// chunk of its own), each behind an 8-byte sort key and a 4-byte length: one
// allocation per chunk rather than one per record, so a CREATE INDEX over many
// short keys costs about the keys' own size (vdbesort.c packs its in-memory
// list the same way).
//
// The sort key is the first key field made into an unsigned number whose order
// is that field's order (in the field's direction): an integer with its sign
// bit flipped, or the first 8 bytes of BINARY UTF-8 text. When every record's
// first field is an integer (or every one is such text) the sort compares the
// keys and decodes records only on a tie; an integer key is the whole field, so
// with one key field a tie is equality. This goes beyond vdbesort.c, which
// decodes the first field at every comparison (vdbeSorterCompareInt/Text).

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
    /// Each record's sort key (its length and bytes follow): in insertion order, then in sorted order.
    private var entries: [UnsafeRawPointer] = []
    private(set) var position = 0
    /// The kind of first field every record inserted so far has, `.mixed` once two differ.
    private var keyKind = SortKeyKind.none

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
        let need = n + sortEntryPrefixBytes
        if need > chunkFree {
            let size = max(need, Sorter.chunkBytes)
            let c = try Sorter.allocateChunk(size)
            chunks.append((c, size))
            chunkEnd = c
            chunkFree = size
        }
        let p = chunkEnd!
        let (kind, key) = record.withUnsafeBytes { sortKey($0.baseAddress, n) }
        keyKind = entries.isEmpty ? kind : (keyKind == kind ? kind : .mixed)
        p.storeBytes(of: key, as: UInt64.self)
        p.storeBytes(of: UInt32(n), toByteOffset: sortEntryLengthOffset, as: UInt32.self)
        if n > 0 { record.withUnsafeBytes { (p + sortEntryPrefixBytes).copyMemory(from: $0.baseAddress!, byteCount: n) } }
        entries.append(UnsafeRawPointer(p))
        // The next record's prefix starts 8-byte aligned, so its key and length are aligned loads.
        let used = (need + 7) & ~7
        chunkEnd = p + used
        chunkFree -= min(used, chunkFree)
    }

    /// The kind of the record's first field and its sort key (see the file's header).
    private func sortKey(_ p: UnsafeRawPointer?, _ n: Int) -> (SortKeyKind, UInt64) {
        guard let p, keyInfo.fieldCount > 0, let field = leadingField(p, n) else { return (.mixed, 0) }
        let descending = keyInfo.descending.first ?? false
        switch field {
        case .integer(let i):
            let key = UInt64(bitPattern: i) ^ (1 << 63)
            return (.integer, descending ? ~key : key)
        case .text(let bytes):
            guard keyInfo.leadingFieldIsBinaryText(encoding) else { return (.mixed, 0) }
            // Big-endian over the first 8 bytes, zero-padded: a shorter text's key is never above a text it
            // begins (memcmp order), and equal keys are decided by the full comparison.
            var key: UInt64 = 0
            for i in 0..<8 {
                key <<= 8
                if i < bytes.count { key |= UInt64(bytes[i]) }
            }
            return (.binaryTextPrefix, descending ? ~key : key)
        }
    }

    /// Sorts; returns false when there are no records. A corrupt record sorts as if equal.
    /// The sort is stable, so equal keys keep their insertion order.
    func sort() -> Bool {
        let n = entries.count
        if n > 1 {
            let full = FullRecordOrder(keyInfo: keyInfo, fields: keyInfo.fieldCount, encoding: encoding)
            entries.withUnsafeMutableBufferPointer { buffer in
                switch keyKind {
                case .integer where full.fields == 1:
                    Sorter.mergeSort(buffer.baseAddress!, n, ExactKeyOrder())
                case .integer, .binaryTextPrefix:
                    Sorter.mergeSort(buffer.baseAddress!, n, KeyThenRecordOrder(full: full))
                case .none, .mixed:
                    Sorter.mergeSort(buffer.baseAddress!, n, full)
                }
            }
        }
        position = 0
        return n > 0
    }

    /// A stable merge sort of record pointers (vdbesort.c merges sorted lists too): runs of 16 sorted by
    /// insertion, then merged bottom-up through one scratch array. Specialised per order, so each
    /// comparison is inlined.
    private static func mergeSort<Order: SortedRecordOrder>(_ items: UnsafeMutablePointer<UnsafeRawPointer>, _ n: Int,
                                                            _ order: Order) {
        @inline(__always) func less(_ x: UnsafeRawPointer, _ y: UnsafeRawPointer) -> Bool { order.less(x, y) }
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
        let (record, size) = storedRecord(entries[position])
        return try body(record, size)
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

/// A stored entry: its sort key (8 bytes), the record's length (4), then the record.
private let sortEntryLengthOffset = 8
private let sortEntryPrefixBytes = 12

/// The record of the entry at `entry`, and its length.
@inline(__always)
private func storedRecord(_ entry: UnsafeRawPointer) -> (UnsafeRawPointer, Int) {
    (entry + sortEntryPrefixBytes, Int(entry.load(fromByteOffset: sortEntryLengthOffset, as: UInt32.self)))
}

/// What the first key field of the sorter's records is: decides how `Sorter.sort` compares.
private enum SortKeyKind {
    case none, integer, binaryTextPrefix, mixed
}

/// A strict "sorts before" over records stored behind their sort key and length.
private protocol SortedRecordOrder {
    func less(_ x: UnsafeRawPointer, _ y: UnsafeRawPointer) -> Bool
}

/// The full comparison of the key fields. A corrupt record sorts as if equal.
private struct FullRecordOrder: SortedRecordOrder {
    let keyInfo: KeyInfo
    let fields: Int
    let encoding: TextEncoding

    @inline(__always)
    func less(_ x: UnsafeRawPointer, _ y: UnsafeRawPointer) -> Bool {
        let (a, aSize) = storedRecord(x), (b, bSize) = storedRecord(y)
        let c = (try? compareRecordsLeadingFieldFirst(a, aSize, b, bSize, keyInfo: keyInfo, fields: fields,
                                                     encoding: encoding)) ?? 0
        return c < 0
    }
}

/// Sort keys first, the full comparison on a tie (keys that order, but do not decide, the first field).
private struct KeyThenRecordOrder: SortedRecordOrder {
    let full: FullRecordOrder

    @inline(__always)
    func less(_ x: UnsafeRawPointer, _ y: UnsafeRawPointer) -> Bool {
        let kx = x.load(as: UInt64.self), ky = y.load(as: UInt64.self)
        return kx != ky ? kx < ky : full.less(x, y)
    }
}

/// Sort keys only: every record's one key field is an integer, which its key holds whole.
private struct ExactKeyOrder: SortedRecordOrder {
    @inline(__always)
    func less(_ x: UnsafeRawPointer, _ y: UnsafeRawPointer) -> Bool { x.load(as: UInt64.self) < y.load(as: UInt64.self) }
}
