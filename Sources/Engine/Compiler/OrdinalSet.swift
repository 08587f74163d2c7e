// OrdinalSet: a set of column or index numbers of one table, as the compiler
// keeps them per statement (the columns a statement reads, the columns an
// UPDATE changes, the indexes it rewrites).
//
// Numbers 0–63 are bits of one word and the rare others a small sorted
// array, so adding one is a bit set and the empty set allocates nothing
// (a Set<Int> allocated and hashed for each, on every statement).
// Iteration is in ascending order.

struct OrdinalSet: Sequence {
    private var low: UInt64 = 0
    private var high: [Int] = []

    mutating func insert(_ n: Int) {
        if n >= 0 && n < 64 {
            low |= UInt64(1) << UInt64(n)
            return
        }
        var i = 0
        while i < high.count && high[i] < n { i += 1 }
        if i == high.count || high[i] != n { high.insert(n, at: i) }
    }

    func contains(_ n: Int) -> Bool {
        n >= 0 && n < 64 ? low & (UInt64(1) << UInt64(n)) != 0 : high.contains(n)
    }

    var isEmpty: Bool { low == 0 && high.isEmpty }

    mutating func formUnion(_ other: OrdinalSet) {
        low |= other.low
        for n in other.high { insert(n) }
    }

    func union(_ other: OrdinalSet) -> OrdinalSet {
        var result = self
        result.formUnion(other)
        return result
    }

    struct Iterator: IteratorProtocol {
        var bits: UInt64
        var high: IndexingIterator<[Int]>
        mutating func next() -> Int? {
            if bits != 0 {
                let c = bits.trailingZeroBitCount
                bits &= bits - 1
                return c
            }
            return high.next()
        }
    }

    func makeIterator() -> Iterator { Iterator(bits: low, high: high.makeIterator()) }
}
