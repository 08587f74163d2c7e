// OrdinalSet: column and index numbers of one table, as the compiler keeps them:
// every number once, in ascending order, wide tables included.
import Testing
@testable import Engine

@Suite struct OrdinalSetTests {
    @Test func recordsEachColumnOnceInAscendingOrderPastTheFirst64() {
        var set = OrdinalSet()
        #expect(set.isEmpty)
        for c in [70, 3, 63, 0, 64, 3, 200, 70, 1] { set.insert(c) }
        #expect(Array(set) == [0, 1, 3, 63, 64, 70, 200])
        #expect(set.contains(63) && set.contains(64) && set.contains(200))
        #expect(!set.contains(2) && !set.contains(65))
        #expect(!set.isEmpty)
    }

    @Test func unionsHoldTheNumbersOfBothSets() {
        var a = OrdinalSet(), b = OrdinalSet()
        for c in [1, 80] { a.insert(c) }
        for c in [2, 80, 90] { b.insert(c) }
        #expect(Array(a.union(b)) == [1, 2, 80, 90])
        a.formUnion(b)
        #expect(Array(a) == [1, 2, 80, 90])
    }
}
