// SchemaHash: the order in which sqlite3 visits a schema's tables, which its
// hash table of tables (hash.c, Schema.tblHash) decides, so that ANALYZE writes
// sqlite_stat1's rows in sqlite3's order and with sqlite3's rowids.
//
// hash.c keeps every element on one list. An element goes in front of the
// first element of its bucket, or at the head of the list when the bucket is
// empty (or there are no buckets yet). When an insert brings the count to at
// least 10 and past twice the bucket count, the buckets are rebuilt — twice
// the count, at most 64 (SQLITE_MALLOC_SOFT_LIMIT / sizeof(struct _ht); the
// allocator's usable size gives exactly these counts with glibc) — and every
// element is inserted again in list order. Removal unlinks the element; the
// buckets stay. The key's hash is strHash: Knuth's multiplicative hash over
// the ASCII-lowercased bytes. sqlite3 fills the hash at schema load with
// "sqlite_master" and then each table and view in sqlite_schema order, adds a
// table a statement creates, removes one it drops, and builds it anew only
// when the schema is read again (ALTER TABLE, VACUUM, a rollback of a schema
// change, another connection's schema change).

//
// The list is linked through node indices (hash.c's prev/next pointers), so an
// insert in front of a bucket's first element and a removal cost O(1), not a
// search of the list: a schema of 10,000 tables loads in linear time.

struct SchemaHash {
    /// The list's elements: folded names and their neighbours (-1: none); nodes of removed names stay unused.
    private var names: [String] = []
    private var prev: [Int] = []
    private var next: [Int] = []
    /// The list's first node (sqliteHashFirst), -1 when empty.
    private var first = -1
    /// The node of each name in the list.
    private var node: [String: Int] = [:]
    /// Bucket count (0: no buckets yet).
    private var size = 0
    /// For each bucket, its first element's node and its element count.
    private var heads: [Int] = []
    private var counts: [Int] = []

    /// The hash of a schema loaded with these table and view names (folded), in sqlite_schema order,
    /// the schema table's own "sqlite_master" first.
    init(names: [String]) {
        for n in names { insert(n) }
    }

    static func strHash(_ name: String) -> UInt32 {
        var h: UInt32 = 0
        for c in name.utf8 {
            let lower = c >= 65 && c <= 90 ? c + 32 : c
            h = (h &+ UInt32(lower)) &* 0x9e37_79b1
        }
        return h
    }

    private func bucket(_ name: String) -> Int { Int(SchemaHash.strHash(name) % UInt32(size)) }

    /// hash.c's insertElement: node `n` goes in front of its bucket's first element, or at the head.
    private mutating func link(_ n: Int, bucket b: Int?) {
        var head = -1
        if let b {
            if counts[b] > 0 { head = heads[b] }
            counts[b] += 1
            heads[b] = n
        }
        if head >= 0 {
            next[n] = head
            prev[n] = prev[head]
            if prev[head] >= 0 { next[prev[head]] = n } else { first = n }
            prev[head] = n
        } else {
            next[n] = first
            if first >= 0 { prev[first] = n }
            prev[n] = -1
            first = n
        }
    }

    /// sqlite3HashInsert of a new key.
    mutating func insert(_ name: String) {
        let count = node.count + 1
        if count >= 10 && count > 2 * size {
            let newSize = min(count * 2, 64)
            if newSize != size {
                // rehash: new buckets, every element inserted again in list order.
                size = newSize
                heads = Array(repeating: -1, count: size)
                counts = Array(repeating: 0, count: size)
                var n = first
                first = -1
                while n >= 0 {
                    let following = next[n]
                    link(n, bucket: bucket(names[n]))
                    n = following
                }
            }
        }
        let n = names.count
        names.append(name)
        prev.append(-1)
        next.append(-1)
        node[name] = n
        link(n, bucket: size > 0 ? bucket(name) : nil)
    }

    /// sqlite3HashInsert with no data: the key leaves the list and its bucket.
    mutating func remove(_ name: String) {
        guard let n = node.removeValue(forKey: name) else { return }
        if prev[n] >= 0 { next[prev[n]] = next[n] } else { first = next[n] }
        if next[n] >= 0 { prev[next[n]] = prev[n] }
        if size > 0 {
            let b = bucket(name)
            if heads[b] == n { heads[b] = next[n] }
            counts[b] -= 1
        }
        if node.isEmpty {
            // sqlite3HashClear when the last element goes.
            self = SchemaHash(names: [])
        }
    }

    /// The names in the order sqlite3 walks them.
    func ordered() -> [String] {
        var out: [String] = []
        out.reserveCapacity(node.count)
        var n = first
        while n >= 0 {
            out.append(names[n])
            n = next[n]
        }
        return out
    }
}
