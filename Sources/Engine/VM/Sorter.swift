// Sorter: the sorter behind ORDER BY, GROUP BY and CREATE INDEX.
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
// bit flipped, a REAL's bits in numeric order, or the first 8 bytes of BINARY
// UTF-8 text. When every record's first field is of one of these kinds the sort
// compares the keys and decodes records only on a tie; an integer key is the whole field, so
// with one key field a tie is equality. This goes beyond vdbesort.c, which
// decodes the first field at every comparison (vdbeSorterCompareInt/Text).
//
// Memory is bounded when the database is a file (SorterSpill): once the records held pass the budget
// (vdbesort.c's mxPmaSize: the cache size in bytes, at least ten pages) they are sorted and written to
// a temporary file as a run, and their chunks are reused (SorterRuns.swift); the run's writes, and
// the merge's reads, wait on the spot. PRAGMA temp_store=MEMORY, an in-memory database, and a batch
// filled while the pager is in a non-blocking mode (the async API) stay in memory.

import Base
import Storage
#if canImport(Glibc)
import Glibc
#endif

/// Where a sorter may put the runs its memory cannot hold, and how much memory it may hold.
struct SorterSpill {
    let pager: Pager
    /// Bytes of records (and their bookkeeping) kept in memory before a run is written.
    let budget: Int

    /// vdbesort.c's mxPmaSize: PRAGMA cache_size in bytes (pages, or KiB when negative), at least ten pages.
    init(pager: Pager) {
        self.pager = pager
        let pageSize = pager.pageSize, setting = pager.cacheSize
        let cacheBytes = setting >= 0 ? setting.multipliedReportingOverflow(by: pageSize).partialValue
            : (setting == Int.min ? Int.max : -setting).multipliedReportingOverflow(by: 1024).partialValue
        budget = max(10 * pageSize, min(cacheBytes < 0 ? Int.max : cacheBytes, 1 << 29))
    }
}

final class Sorter {
    let keyInfo: KeyInfo
    let encoding: TextEncoding
    private static let chunkBytes = 256 * 1024
    private var chunks: [(UnsafeMutableRawPointer, Int)] = []
    /// Standard-size chunks kept from a batch already written as a run, for the next batch.
    private var spareChunks: [UnsafeMutableRawPointer] = []
    private var chunkFree = 0
    private var chunkEnd: UnsafeMutableRawPointer?
    /// Each record's sort key (its length and bytes follow): in insertion order, then in sorted order.
    private var entries: [UnsafeRawPointer] = []
    private(set) var position = 0
    /// The kind of first field every record inserted so far has, `.mixed` once two differ.
    private var keyKind = SortKeyKind.none
    private var spill: SorterSpill?
    /// Bytes the current batch holds: its entries and their pointers.
    private var batchBytes = 0
    private var temporary: TemporaryFile?
    private var runs: [SortedRun] = []
    /// After `sort`, when there are runs: the merge the sorter reads from.
    private var merge: SortedRunMerge?

    init(keyInfo: KeyInfo, encoding: TextEncoding, spill: SorterSpill? = nil) {
        self.keyInfo = keyInfo
        self.encoding = encoding
        self.spill = spill
    }

    deinit {
        for (c, size) in chunks { Sorter.freeChunk(c, size) }
        for c in spareChunks { Sorter.freeChunk(c, Sorter.chunkBytes) }
    }

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
        if let spill, batchBytes + need > spill.budget, !entries.isEmpty, spill.pager.ioMode == .blocking {
            try writeRun()
        }
        if need > chunkFree {
            let size = max(need, Sorter.chunkBytes)
            let c = size == Sorter.chunkBytes && !spareChunks.isEmpty ? spareChunks.removeLast()
                : try Sorter.allocateChunk(size)
            chunks.append((c, size))
            chunkEnd = c
            chunkFree = size
        }
        let p = chunkEnd!
        let (kind, key) = record.withUnsafeBytes { sortKey($0.baseAddress, n) }
        keyKind = keyKind == .none ? kind : (keyKind == kind ? kind : .mixed)
        p.storeBytes(of: key, as: UInt64.self)
        p.storeBytes(of: UInt32(n), toByteOffset: sortEntryLengthOffset, as: UInt32.self)
        if n > 0 { record.withUnsafeBytes { (p + sortEntryPrefixBytes).copyMemory(from: $0.baseAddress!, byteCount: n) } }
        entries.append(UnsafeRawPointer(p))
        // The next record's prefix starts 8-byte aligned, so its key and length are aligned loads.
        let used = (need + 7) & ~7
        chunkEnd = p + used
        chunkFree -= min(used, chunkFree)
        batchBytes += used + MemoryLayout<UnsafeRawPointer>.size
    }

    /// Sorts the batch in memory, appends it to the temporary file as a run, and frees its memory
    /// for the next batch. Without a temporary file to be had, the sorter keeps everything in memory.
    private func writeRun() throws(DBError) {
        guard let spill else { return }
        if temporary == nil {
            do {
                temporary = try spill.pager.openTemporaryFile()
            } catch {
                temporary = nil
            }
            if temporary == nil {
                self.spill = nil
                return
            }
        }
        sortBatch()
        var writer = SortedRunWriter(file: temporary!)
        let start = writer.offset
        for e in entries { try writer.append(e) }
        let end = try writer.finish()
        runs.append(SortedRun(offset: start, length: end - start))
        entries.removeAll(keepingCapacity: true)
        for (c, size) in chunks {
            if size == Sorter.chunkBytes { spareChunks.append(c) } else { Sorter.freeChunk(c, size) }
        }
        chunks.removeAll(keepingCapacity: true)
        chunkFree = 0
        chunkEnd = nil
        batchBytes = 0
    }

    /// The kind of the record's first field and its sort key (see the file's header).
    private func sortKey(_ p: UnsafeRawPointer?, _ n: Int) -> (SortKeyKind, UInt64) {
        guard let p, keyInfo.fieldCount > 0 else { return (.mixed, 0) }
        let descending = keyInfo.descending.first ?? false
        let h = n >= 2 ? Int(p.load(as: UInt8.self)) : 0
        if h >= 2, h < 0x80, h + 8 <= n, p.load(fromByteOffset: 1, as: UInt8.self) == 7 {
            // A REAL (serial type 7): its IEEE bits made an unsigned number in numeric order (negative
            // values' bits inverted, positive ones' sign bit set), with -0.0 as 0.0 since they compare equal.
            // SQLite stores no NaN.
            var bits = UInt64(bigEndian: (p + h).loadUnaligned(as: UInt64.self))
            if bits == 1 << 63 { bits = 0 }
            let key = bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
            return (.real, descending ? ~key : key)
        }
        guard let field = leadingField(p, n) else { return (.mixed, 0) }
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
    func sort() throws(DBError) -> Bool {
        sortBatch()
        position = 0
        merge = nil
        if runs.isEmpty { return !entries.isEmpty }
        // Each run reads through its own buffer: together about one batch's budget, 64 KiB at most each.
        let budget = spill?.budget ?? (2 << 20)
        let capacity = min(64 * 1024, max(4096, budget / runs.count))
        let readers = runs.map { SortedRunReader(file: temporary!, run: $0, capacity: capacity) }
        let m = try SortedRunMerge(readers: readers, memory: entries, order: order)
        merge = m
        return !m.isEmpty
    }

    /// The order every comparison of this sorter uses, chosen by the records' first fields so far.
    private var order: SorterOrder {
        let full = FullRecordOrder(keyInfo: keyInfo, fields: keyInfo.fieldCount, encoding: encoding)
        switch keyKind {
        case .integer where full.fields == 1: return .exact(ExactKeyOrder())
        case .integer, .real: return .keyThenRecord(KeyThenRecordOrder(full: full))
        case .binaryTextPrefix: return .textKeyThenRecord(TextKeyThenRecordOrder(full: full))
        case .none, .mixed: return .full(full)
        }
    }

    /// Sorts the entries in memory.
    private func sortBatch() {
        let n = entries.count
        guard n > 1 else { return }
        let order = self.order
        entries.withUnsafeMutableBufferPointer { buffer in
            switch order {
            case .exact(let o): Sorter.mergeSort(buffer.baseAddress!, n, o)
            case .keyThenRecord(let o): Sorter.mergeSort(buffer.baseAddress!, n, o)
            case .textKeyThenRecord(let o): Sorter.mergeSort(buffer.baseAddress!, n, o)
            case .full(let o): Sorter.mergeSort(buffer.baseAddress!, n, o)
            }
        }
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
    func next() throws(DBError) -> Bool {
        if let merge { return try merge.next() }
        position += 1
        return position < entries.count
    }

    /// The current record's bytes, valid until the sorter moves or is reset.
    @inline(__always)
    func withCurrent<R, E: Error>(_ body: (UnsafeRawPointer, Int) throws(E) -> R) throws(E) -> R {
        let (record, size) = storedRecord(merge?.current ?? entries[position])
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

    func reset() {
        for (c, size) in chunks { Sorter.freeChunk(c, size) }
        for c in spareChunks { Sorter.freeChunk(c, Sorter.chunkBytes) }
        chunks.removeAll()
        spareChunks.removeAll()
        chunkFree = 0
        chunkEnd = nil
        entries.removeAll()
        position = 0
        batchBytes = 0
        merge = nil
        runs.removeAll()
        temporary = nil
        keyKind = .none
    }
}

/// A stored entry: its sort key (8 bytes), the record's length (4), then the record.
let sortEntryLengthOffset = 8
let sortEntryPrefixBytes = 12

/// The record of the entry at `entry`, and its length.
@inline(__always)
private func storedRecord(_ entry: UnsafeRawPointer) -> (UnsafeRawPointer, Int) {
    (entry + sortEntryPrefixBytes, Int(entry.load(fromByteOffset: sortEntryLengthOffset, as: UInt32.self)))
}

/// What the first key field of the sorter's records is: decides how `Sorter.sort` compares.
private enum SortKeyKind {
    case none, integer, real, binaryTextPrefix, mixed
}

/// The order a sorter compares with (see `Sorter.order`).
enum SorterOrder {
    case exact(ExactKeyOrder)
    case keyThenRecord(KeyThenRecordOrder)
    case textKeyThenRecord(TextKeyThenRecordOrder)
    case full(FullRecordOrder)

    @inline(__always)
    func less(_ x: UnsafeRawPointer, _ y: UnsafeRawPointer) -> Bool { compare(x, y) < 0 }

    @inline(__always)
    func compare(_ x: UnsafeRawPointer, _ y: UnsafeRawPointer) -> Int {
        switch self {
        case .exact(let o): o.compare(x, y)
        case .keyThenRecord(let o): o.compare(x, y)
        case .textKeyThenRecord(let o): o.compare(x, y)
        case .full(let o): o.compare(x, y)
        }
    }
}

/// A three-way order over records stored behind their sort key and length (negative: `x` sorts first).
protocol SortedRecordOrder {
    func compare(_ x: UnsafeRawPointer, _ y: UnsafeRawPointer) -> Int
}

extension SortedRecordOrder {
    @inline(__always)
    func less(_ x: UnsafeRawPointer, _ y: UnsafeRawPointer) -> Bool { compare(x, y) < 0 }
}

/// The full comparison of the key fields. A corrupt record sorts as if equal.
struct FullRecordOrder: SortedRecordOrder {
    let keyInfo: KeyInfo
    let fields: Int
    let encoding: TextEncoding

    @inline(__always)
    func compare(_ x: UnsafeRawPointer, _ y: UnsafeRawPointer) -> Int {
        let (a, aSize) = storedRecord(x), (b, bSize) = storedRecord(y)
        return (try? compareRecordsLeadingFieldFirst(a, aSize, b, bSize, keyInfo: keyInfo, fields: fields,
                                                    encoding: encoding)) ?? 0
    }
}

@inline(__always)
private func compareKeys(_ x: UnsafeRawPointer, _ y: UnsafeRawPointer) -> Int {
    let kx = x.load(as: UInt64.self), ky = y.load(as: UInt64.self)
    return kx == ky ? 0 : (kx < ky ? -1 : 1)
}

/// Sort keys first, the full comparison on a tie (keys that order, but do not decide, the first field).
struct KeyThenRecordOrder: SortedRecordOrder {
    let full: FullRecordOrder

    @inline(__always)
    func compare(_ x: UnsafeRawPointer, _ y: UnsafeRawPointer) -> Int {
        let c = compareKeys(x, y)
        return c != 0 ? c : full.compare(x, y)
    }
}

/// Keys of BINARY text first fields: on a tie the texts' bytes past the key are compared in place, and
/// only a tie on the whole text (with more key fields to go) or a text too long for a one-byte header
/// takes the full comparison. Equal keys mean equal first min(8, both lengths) bytes, zero padding
/// included, so the bytes compared start there.
struct TextKeyThenRecordOrder: SortedRecordOrder {
    let full: FullRecordOrder
    let descending: Bool

    init(full: FullRecordOrder) {
        self.full = full
        descending = full.keyInfo.descending.first ?? false
    }

    @inline(__always)
    func compare(_ x: UnsafeRawPointer, _ y: UnsafeRawPointer) -> Int {
        let k = compareKeys(x, y)
        if k != 0 { return k }
        let (a, aSize) = storedRecord(x), (b, bSize) = storedRecord(y)
        if let ta = leadingTextField(a, aSize), let tb = leadingTextField(b, bSize) {
            let common = Swift.min(ta.count, tb.count), skip = Swift.min(8, common)
            var c = common > skip ? memcmpBytes(ta.baseAddress! + skip, tb.baseAddress! + skip, common - skip) : 0
            if c == 0 { c = ta.count - tb.count }
            if c != 0 { return descending ? -c : c }
            if full.fields == 1 { return 0 }
        }
        return full.compare(x, y)
    }
}

/// Sort keys only: every record's one key field is an integer, which its key holds whole.
struct ExactKeyOrder: SortedRecordOrder {
    @inline(__always)
    func compare(_ x: UnsafeRawPointer, _ y: UnsafeRawPointer) -> Int { compareKeys(x, y) }
}
