// ColumnSet: the columns a statement reads from a table, as the covering-index
// choice needs them: every column once, in ascending order, wide tables included.
import Testing
@testable import Engine

@Suite struct ColumnSetTests {
    @Test func recordsEachColumnOnceInAscendingOrderPastTheFirst64() {
        var set = ColumnSet()
        #expect(set.isEmpty)
        for c in [70, 3, 63, 0, 64, 3, 200, 70, 1] { set.insert(c) }
        #expect(Array(set) == [0, 1, 3, 63, 64, 70, 200])
        #expect(set.contains(63) && set.contains(64) && set.contains(200))
        #expect(!set.contains(2) && !set.contains(65))
        #expect(!set.isEmpty)
    }
}
