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

struct SchemaHash {
    /// Folded names in list order (sqliteHashFirst … sqliteHashNext).
    private var list: [String] = []
    /// Bucket count (0: no buckets yet).
    private var size = 0
    /// For each bucket, its first element's name and its element count.
    private var heads: [String?] = []
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

    /// hash.c's insertElement: in front of the bucket's first element, or at the head.
    private mutating func link(_ name: String, bucket b: Int?) {
        var at = 0
        if let b {
            if counts[b] > 0, let head = heads[b], let i = list.firstIndex(of: head) { at = i }
            counts[b] += 1
            heads[b] = name
        }
        list.insert(name, at: at)
    }

    /// sqlite3HashInsert of a new key.
    mutating func insert(_ name: String) {
        let count = list.count + 1
        if count >= 10 && count > 2 * size {
            let newSize = min(count * 2, 64)
            if newSize != size {
                size = newSize
                heads = Array(repeating: nil, count: size)
                counts = Array(repeating: 0, count: size)
                let old = list
                list = []
                for n in old { link(n, bucket: bucket(n)) }
            }
        }
        link(name, bucket: size > 0 ? bucket(name) : nil)
    }

    /// sqlite3HashInsert with no data: the key leaves the list and its bucket.
    mutating func remove(_ name: String) {
        guard let i = list.firstIndex(of: name) else { return }
        let next = i + 1 < list.count ? list[i + 1] : nil
        list.remove(at: i)
        if size > 0 {
            let b = bucket(name)
            if heads[b] == name { heads[b] = next }
            counts[b] -= 1
        }
        if list.isEmpty {
            // sqlite3HashClear when the last element goes.
            size = 0
            heads = []
            counts = []
        }
    }

    /// The names in the order sqlite3 walks them.
    func ordered() -> [String] { list }
}
