// Sorter: the in-memory sorter behind ORDER BY, GROUP BY and CREATE INDEX.
//
// Keys are records; each is decoded once, on insert, into the values its
// KeyInfo compares, and the whole set is sorted once, stably, at SorterSort.
// Equal keys keep their insertion order, which SQLite's merge sort also does
// for records inserted in order, so results tie-break the same way.

import Base
import Storage

final class Sorter {
    let keyInfo: KeyInfo
    let encoding: TextEncoding
    private(set) var records: [[UInt8]] = []
    private var keys: [[Value]] = []
    private var order: [Int] = []
    private(set) var position = 0

    init(keyInfo: KeyInfo, encoding: TextEncoding) {
        self.keyInfo = keyInfo
        self.encoding = encoding
    }

    func insert(_ record: [UInt8]) throws(DBError) {
        let fields = keyInfo.fieldCount
        let values = try typedThrows {
            try record.withUnsafeBytes { b -> [Value] in
                let reader = try RecordReader(b.baseAddress!, size: b.count, encoding: encoding)
                var v: [Value] = []
                v.reserveCapacity(fields)
                for i in 0..<fields { v.append(try reader.value(at: i)) }
                return v
            }
        }
        records.append(record)
        keys.append(values)
    }

    /// Sorts; returns false when there are no records.
    func sort() -> Bool {
        order = Array(records.indices)
        let info = keyInfo
        let keys = self.keys
        order.sort { a, b in
            let c = compareKeys(keys[a], keys[b], info)
            return c < 0 || (c == 0 && a < b)
        }
        position = 0
        return !records.isEmpty
    }

    /// Moves to the next record; false past the last.
    func next() -> Bool {
        position += 1
        return position < order.count
    }

    var current: [UInt8] { records[order[position]] }
    var count: Int { records.count }

    func reset() {
        records.removeAll()
        keys.removeAll()
        order.removeAll()
        position = 0
    }
}

/// Orders two key tuples under `info` (collation and direction per field).
func compareKeys(_ a: [Value], _ b: [Value], _ info: KeyInfo) -> Int {
    let n = min(a.count, b.count)
    for i in 0..<n {
        let coll = i < info.collations.count ? info.collations[i] : .binary
        var c = compareValues(a[i], b[i], collation: coll)
        if c != 0 {
            if i < info.descending.count && info.descending[i] { c = -c }
            return c
        }
    }
    return 0
}
