// SorterRuns: a sorter's sorted runs in a temporary file, and their merge (vdbesort.c's PMAs and
// merge tree).
//
// When a sorter's records outgrow its memory budget it sorts them, writes them to its temporary
// file as one run and reuses the memory for the records that follow. A run is its entries in
// sorted order, each exactly as the sorter keeps it in memory: the 8-byte sort key, the 4-byte
// length, the record, zero padding to a multiple of 8. So an entry read back into an 8-byte-aligned
// buffer is compared in place by the same orders as the in-memory sort.
//
// SorterSort merges the runs with the last batch, still in memory, through a binary heap. Equal
// keys go to the earlier source (runs are in insertion order, the memory batch is last), and each
// source is sorted stably, so the merge keeps insertion order among equal keys as the in-memory sort
// does.

import Base
import Storage

/// The size of a stored entry holding a record of `recordSize` bytes: prefix, record, padding.
@inline(__always)
func sortEntrySize(recordSize: Int) -> Int { (sortEntryPrefixBytes + recordSize + 7) & ~7 }

/// Where one run lies in the temporary file.
struct SortedRun {
    var offset: Int64
    var length: Int64
}

/// Writes entries one after another through a buffer; `finish` writes what the buffer still holds.
struct SortedRunWriter: ~Copyable {
    private let file: TemporaryFile
    private let buffer: UnsafeMutableRawPointer
    private let capacity: Int
    private var used = 0
    /// The file offset of the buffer's first byte.
    private(set) var offset: Int64

    init(file: TemporaryFile, capacity: Int = 64 * 1024) {
        self.file = file
        self.capacity = capacity
        buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        offset = file.size
    }

    deinit { buffer.deallocate() }

    /// Appends the entry at `entry` (prefix and record) and its padding.
    mutating func append(_ entry: UnsafeRawPointer) throws(DBError) {
        let recordSize = Int(entry.load(fromByteOffset: sortEntryLengthOffset, as: UInt32.self))
        let stored = sortEntryPrefixBytes + recordSize
        try append(entry, count: stored)
        let padding = sortEntrySize(recordSize: recordSize) - stored
        if padding > 0 {
            if capacity - used < padding { try flush() }
            (buffer + used).initializeMemory(as: UInt8.self, repeating: 0, count: padding)
            used += padding
        }
    }

    private mutating func append(_ bytes: UnsafeRawPointer, count: Int) throws(DBError) {
        var done = 0
        while done < count {
            if used == capacity { try flush() }
            let n = min(count - done, capacity - used)
            (buffer + used).copyMemory(from: bytes + done, byteCount: n)
            used += n
            done += n
        }
    }

    private mutating func flush() throws(DBError) {
        guard used > 0 else { return }
        try file.write(buffer, count: used, at: offset)
        offset += Int64(used)
        used = 0
    }

    /// Writes the rest; returns the file offset just past the run.
    mutating func finish() throws(DBError) -> Int64 {
        try flush()
        return offset
    }
}

/// Reads one run's entries back in order through a buffer (an entry larger than the buffer is read
/// whole into a scratch area of its own).
final class SortedRunReader {
    private let file: TemporaryFile
    private var position: Int64
    private let end: Int64
    private let buffer: UnsafeMutableRawPointer
    private let capacity: Int
    private var bufferStart: Int64 = 0
    private var bufferFill = 0
    private var scratch: UnsafeMutableRawPointer?
    private var scratchCapacity = 0
    /// The current entry; valid until the next `advance`.
    private(set) var current: UnsafeRawPointer?
    private var currentSize = 0

    init(file: TemporaryFile, run: SortedRun, capacity: Int) {
        self.file = file
        position = run.offset
        end = run.offset + run.length
        self.capacity = max(capacity & ~7, 64)
        buffer = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 8)
    }

    deinit {
        buffer.deallocate()
        scratch?.deallocate()
    }

    /// Moves to the next entry (the first, on the first call); false past the run's end.
    func advance() throws(DBError) -> Bool {
        position += Int64(currentSize)
        current = nil
        currentSize = 0
        guard position < end else { return false }
        if !isBuffered(position, sortEntryPrefixBytes) { try fill(at: position) }
        let recordSize = Int((buffer + Int(position - bufferStart)).load(fromByteOffset: sortEntryLengthOffset,
                                                                         as: UInt32.self))
        let size = sortEntrySize(recordSize: recordSize)
        guard position + Int64(size) <= end else { throw DBError(.corrupt, "sorter run is corrupt") }
        if size > capacity {
            if size > scratchCapacity {
                scratch?.deallocate()
                scratch = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
                scratchCapacity = size
            }
            try file.read(into: scratch!, count: size, at: position)
            current = UnsafeRawPointer(scratch!)
        } else {
            if !isBuffered(position, size) { try fill(at: position) }
            current = UnsafeRawPointer(buffer + Int(position - bufferStart))
        }
        currentSize = size
        return true
    }

    private func isBuffered(_ at: Int64, _ count: Int) -> Bool {
        at >= bufferStart && at + Int64(count) <= bufferStart + Int64(bufferFill)
    }

    private func fill(at: Int64) throws(DBError) {
        let count = Int(min(Int64(capacity), end - at))
        try file.read(into: buffer, count: count, at: at)
        bufferStart = at
        bufferFill = count
    }
}

/// The merge of runs read back and one sorted batch in memory, smallest entry first.
final class SortedRunMerge {
    private let readers: [SortedRunReader]
    private let memory: [UnsafeRawPointer]
    private var memoryPosition = 0
    /// Source indexes (readers first, then the memory batch), a min-heap under `before`.
    private var heap: [Int] = []
    private let order: SorterOrder

    init(readers: [SortedRunReader], memory: [UnsafeRawPointer], order: SorterOrder) throws(DBError) {
        self.readers = readers
        self.memory = memory
        self.order = order
        for (i, r) in readers.enumerated() {
            if try r.advance() { heap.append(i) }
        }
        if !memory.isEmpty { heap.append(readers.count) }
        var i = heap.count / 2
        while i > 0 {
            i -= 1
            siftDown(i)
        }
    }

    var isEmpty: Bool { heap.isEmpty }

    /// The smallest entry not yet passed.
    var current: UnsafeRawPointer { entry(heap[0]) }

    /// Passes the current entry; false when none is left.
    func next() throws(DBError) -> Bool {
        guard let top = heap.first else { return false }
        let more: Bool
        if top == readers.count {
            memoryPosition += 1
            more = memoryPosition < memory.count
        } else {
            more = try readers[top].advance()
        }
        if !more {
            let last = heap.removeLast()
            if heap.isEmpty { return false }
            heap[0] = last
        }
        siftDown(0)
        return true
    }

    @inline(__always)
    private func entry(_ source: Int) -> UnsafeRawPointer {
        source == readers.count ? memory[memoryPosition] : readers[source].current!
    }

    /// Source `a`'s entry comes first: it sorts before `b`'s, or they tie and `a` is the earlier source.
    private func before(_ a: Int, _ b: Int) -> Bool {
        let c = order.compare(entry(a), entry(b))
        return c != 0 ? c < 0 : a < b
    }

    private func siftDown(_ start: Int) {
        var i = start
        let n = heap.count
        while true {
            let l = 2 * i + 1
            if l >= n { return }
            var smallest = l
            if l + 1 < n && before(heap[l + 1], heap[l]) { smallest = l + 1 }
            if !before(heap[smallest], heap[i]) { return }
            heap.swapAt(i, smallest)
            i = smallest
        }
    }
}
