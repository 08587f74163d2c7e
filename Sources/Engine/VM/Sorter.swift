// Sorter: the in-memory sorter behind ORDER BY, GROUP BY and CREATE INDEX.
//
// Keys are encoded records, compared field by field in place under the
// sorter's KeyInfo (compareRecords; nothing is decoded), and sorted once,
// stably, at SorterSort. Equal keys keep their insertion order, which
// SQLite's merge sort also does for records inserted in order, so results
// tie-break the same way.

import Base
import Storage

final class Sorter {
    let keyInfo: KeyInfo
    let encoding: TextEncoding
    private(set) var records: [[UInt8]] = []
    private var order: [Int] = []
    private(set) var position = 0

    init(keyInfo: KeyInfo, encoding: TextEncoding) {
        self.keyInfo = keyInfo
        self.encoding = encoding
    }

    func insert(_ record: [UInt8]) throws(DBError) {
        records.append(record)
    }

    /// Sorts; returns false when there are no records. A corrupt record sorts as if equal.
    func sort() -> Bool {
        order = Array(records.indices)
        let info = keyInfo, fields = keyInfo.fieldCount, enc = encoding
        let records = self.records
        order.sort { a, b in
            let c = records[a].withUnsafeBytes { pa in
                records[b].withUnsafeBytes { pb in
                    (try? compareRecords(pa.baseAddress!, pa.count, pb.baseAddress!, pb.count, keyInfo: info,
                                         fields: fields, encoding: enc)) ?? 0
                }
            }
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
        order.removeAll()
        position = 0
    }
}
