// B-tree behaviour checked against sqlite3: what swiftdb writes passes
// sqlite3's PRAGMA integrity_check and reads back identically there.
import Testing
import Base
@testable import Storage
import TestSupport

/// A deterministic generator for test data (SplitMix64).
struct TestRandom {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func bytes(_ n: Int) -> [UInt8] { (0..<n).map { _ in UInt8(truncatingIfNeeded: next()) } }
}

/// Table `t(a, b)` at `root` holds exactly `model` (rowid → values), read by swiftdb and by sqlite3,
/// and sqlite3's integrity_check passes.
private func expectTable(_ f: StorageFixture, _ root: UInt32, holds model: [Int64: [Value]]) throws {
    let ours = try f.rows(root)
    #expect(ours.map(\.0) == model.keys.sorted())
    #expect(ours.allSatisfy { model[$0.0] == $0.1 })
    let oracle = try SQLiteOracle(f.path)
    #expect(try oracle.integrityCheck() == ["ok"])
    let theirs = try oracle.query("SELECT rowid, a, b FROM t ORDER BY rowid")
    #expect(theirs.count == model.count)
    for row in theirs {
        guard case .integer(let r) = row[0] else { Issue.record("rowid not an integer"); continue }
        #expect(Array(row[1...]) == model[r])
    }
}

@Suite struct BTreeTests {
    @Test(arguments: [512, 1024, 4096, 65536])
    func randomInsertsReadBackInOrderAndPassSQLiteIntegrityCheck(pageSize: Int) throws {
        let f = try StorageFixture(pageSize: pageSize)
        defer { f.directory.remove() }
        try f.begin()
        let root = try f.createTable("t", "CREATE TABLE t(a, b)")
        let c = BTreeCursor(tree: f.tree, root: root, isTable: true)
        var rng = TestRandom(UInt64(pageSize))
        var model: [Int64: [Value]] = [:]
        for _ in 0..<3000 {
            let rowid = Int64(rng.below(1_000_000)) - 500_000
            let size = rng.below(10) == 0 ? rng.below(3 * pageSize) : rng.below(60)
            let values: [Value] = [.integer(rowid &* 3), .blob(rng.bytes(size))]
            try insertRow(c, rowid, values)
            model[rowid] = values
        }
        try f.commit()
        try expectTable(f, root, holds: model)
    }

    @Test func sequentialAppendsFillPagesLikeSQLite() throws {
        let f = try StorageFixture()
        defer { f.directory.remove() }
        try f.begin()
        let root = try f.createTable("t", "CREATE TABLE t(x)")
        let c = BTreeCursor(tree: f.tree, root: root, isTable: true)
        for i in 1...20000 { try insertRow(c, Int64(i), [.integer(Int64(i) * 1000)]) }
        try f.commit()
        let oracle = try SQLiteOracle(f.path)
        #expect(try oracle.integrityCheck() == ["ok"])
        #expect(try oracle.query("SELECT count(*), sum(x) FROM t") == [[.integer(20000), .integer(200_010_000_000)]])
        // balance_quick keeps leaves full: sqlite3 needs 43 pages for these rows; allow a little slack.
        #expect(f.pager.pageCount < 60)
    }

    /// CREATE INDEX's bulk load: sorted keys appended with `bulkLoad` split a full last leaf off rather than
    /// rebalance it, so leaves stay full (as BTREE_BULKLOAD); keys that spill to overflow pages and a small
    /// page size included. sqlite3 checks the tree and reads it in order through the index.
    @Test(arguments: [512, 4096])
    func bulkLoadedIndexKeepsLeavesFullAndPassesSQLiteIntegrityCheck(pageSize: Int) throws {
        let f = try StorageFixture(pageSize: pageSize)
        defer { f.directory.remove() }
        try f.begin()
        let root = try f.createTable("t", "CREATE TABLE t(a, b)")
        let iroot = try f.createIndex("ta", on: "t", "CREATE INDEX ta ON t(a, b)")
        let table = BTreeCursor(tree: f.tree, root: root, isTable: true)
        let index = BTreeCursor(tree: f.tree, root: iroot, isTable: false, keyInfo: KeyInfo(binaryFields: 3))
        index.bulkLoad = true
        var rng = TestRandom(11)
        let count = 6000
        for i in 0..<count {
            // Keys in ascending order: a rises, b (text, sometimes longer than a page) breaks no order.
            let long = rng.below(50) == 0
            let b = Value.text(String(repeating: "x", count: long ? pageSize * 2 : rng.below(30)))
            try insertRow(table, Int64(i), [.integer(Int64(i)), b])
            try insertEntry(index, [.integer(Int64(i)), b, .integer(Int64(i))])
        }
        try f.commit()
        let entries = try f.entries(iroot, keyInfo: KeyInfo(binaryFields: 3))
        #expect(entries.map { $0[0] } == (0..<count).map { Value.integer(Int64($0)) })
        let oracle = try SQLiteOracle(f.path)
        #expect(try oracle.integrityCheck() == ["ok"])
        let viaIndex = try oracle.query("SELECT a FROM t INDEXED BY ta WHERE a >= 0 ORDER BY a")
        #expect(viaIndex.count == count)
        // Leaves stay nearly full (rebalanced appends leave them a third to a half empty).
        let unused = try oracle.query("SELECT avg(unused) FROM dbstat WHERE name = 'ta' AND pagetype = 'leaf'")
        guard case .real(let averageUnused) = unused.first?.first else {
            Issue.record("dbstat gave no leaf pages: \(unused)")
            return
        }
        #expect(averageUnused < Double(pageSize) / 8)
    }

    @Test(arguments: [512, 4096])
    func deletesRebalanceAndFreePages(pageSize: Int) throws {
        let f = try StorageFixture(pageSize: pageSize)
        defer { f.directory.remove() }
        try f.begin()
        let root = try f.createTable("t", "CREATE TABLE t(a)")
        let c = BTreeCursor(tree: f.tree, root: root, isTable: true)
        var rng = TestRandom(99)
        var model = Set<Int64>()
        for i in 0..<5000 {
            try insertRow(c, Int64(i), [.blob(rng.bytes(rng.below(200)))])
            model.insert(Int64(i))
        }
        // Delete most rows, in random order, by seeking each one.
        var order = Array(model).sorted()
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, rng.below(i + 1)) }
        for r in order.prefix(4800) {
            #expect(try c.seek(rowid: r) == 0)
            try c.delete()
            model.remove(r)
        }
        try f.commit()
        #expect(try f.rows(root).map(\.0) == model.sorted())
        let oracle = try SQLiteOracle(f.path)
        #expect(try oracle.integrityCheck() == ["ok"])
        #expect(try oracle.query("SELECT count(*) FROM t") == [[.integer(Int64(model.count))]])
        let free = try oracle.query("PRAGMA freelist_count")
        guard case .integer(let n) = free[0][0] else { return }
        #expect(n > 0)
    }

    /// Rows replaced by versions of the same size (overwritten in place), larger ones (the freed cell and
    /// the page's other freeblocks are closed up before the new cell goes in) and smaller ones, among
    /// deletes that leave freeblocks: every row reads back as last written and sqlite3 finds the file sound.
    @Test(arguments: [512, 4096])
    func rowsRewrittenWithOtherSizesReadBackAndPassSQLiteIntegrityCheck(pageSize: Int) throws {
        let f = try StorageFixture(pageSize: pageSize)
        defer { f.directory.remove() }
        try f.begin()
        let root = try f.createTable("t", "CREATE TABLE t(a, b)")
        let c = BTreeCursor(tree: f.tree, root: root, isTable: true)
        var rng = TestRandom(UInt64(pageSize) &+ 7)
        var model: [Int64: [Value]] = [:]
        for i in 0..<2000 {
            let values: [Value] = [.integer(Int64(i)), .blob(rng.bytes(rng.below(40)))]
            try insertRow(c, Int64(i), values)
            model[Int64(i)] = values
        }
        for _ in 0..<6000 {
            let rowid = Int64(rng.below(2000))
            switch rng.below(10) {
            case 0:
                if try c.seek(rowid: rowid) == 0 {
                    try c.delete()
                    model[rowid] = nil
                }
            default:
                let old: Int
                if case .blob(let b) = model[rowid]?[1] { old = b.count } else { old = 20 }
                let size = max(0, old + [0, 0, 1, 3, 9, -2, -7][rng.below(7)])
                let values: [Value] = [.integer(rowid &* 5), .blob(rng.bytes(size))]
                try insertRow(c, rowid, values)
                model[rowid] = values
            }
        }
        try f.commit()
        try expectTable(f, root, holds: model)
        #expect(try SQLiteOracle(f.path).query("SELECT count(*) FROM t") == [[.integer(Int64(model.count))]])
    }

    @Test func deletingWhileScanningVisitsEveryRowOnce() throws {
        let f = try StorageFixture(pageSize: 1024)
        defer { f.directory.remove() }
        try f.begin()
        let root = try f.createTable("t", "CREATE TABLE t(a)")
        let c = BTreeCursor(tree: f.tree, root: root, isTable: true)
        for i in 0..<2000 { try insertRow(c, Int64(i), [.integer(Int64(i))]) }
        var seen: [Int64] = []
        var more = try c.first()
        while more {
            let r = try c.rowid
            seen.append(r)
            if r % 3 != 0 { try c.delete() }
            more = try c.next()
        }
        try f.commit()
        #expect(seen == (0..<2000).map { Int64($0) })
        #expect(try f.rows(root).map(\.0) == stride(from: 0, to: 2000, by: 3).map { Int64($0) })
        #expect(try SQLiteOracle(f.path).integrityCheck() == ["ok"])
    }

    /// A delete leaves the cursor beside the deleted entry (on the leaf when no rebalance was needed, else
    /// through a saved key), and another cursor's insert in between saves that position with its skip:
    /// in both directions, on table and index trees, each remaining entry is visited once, in order.
    @Test(arguments: [false, true])
    func deletingWhileScanningEitherWayWithInsertsBetweenVisitsEveryEntryOnce(index: Bool) throws {
        let f = try StorageFixture(pageSize: 1024)
        defer { f.directory.remove() }
        try f.begin()
        // The index tree is a WITHOUT ROWID table's, so sqlite3's integrity_check has no table to match.
        let root = index ? try f.createTable("t", "CREATE TABLE t(a, b, c, PRIMARY KEY(a, b, c)) WITHOUT ROWID",
                                             withoutRowid: true)
                         : try f.createTable("t", "CREATE TABLE t(a)")
        let keyInfo = KeyInfo(binaryFields: 3)
        func open() -> BTreeCursor {
            index ? BTreeCursor(tree: f.tree, root: root, isTable: false, keyInfo: keyInfo)
                  : BTreeCursor(tree: f.tree, root: root, isTable: true)
        }
        func entry(_ k: Int64) -> [Value] {
            [.integer(k), .text(String(repeating: "x", count: Int(k % 40))), .integer(k)]
        }
        func put(_ c: BTreeCursor, _ k: Int64) throws {
            if index { try insertEntry(c, entry(k)) } else { try insertRow(c, k, [.integer(k)]) }
        }
        func key(_ c: BTreeCursor) throws -> Int64 {
            if !index { return try c.rowid }
            let p = try c.payload()
            let values = try p.withUnsafeBytes { b in try RecordReader(b.baseAddress!, size: b.count).values() }
            guard case .integer(let k) = values[0] else { throw DBError(.internal, "bad entry") }
            return k
        }
        let scan = open(), writer = open()
        var live = Set<Int64>(0..<3000)
        for k in 0..<3000 { try put(writer, Int64(k)) }
        var rng = TestRandom(index ? 11 : 5)
        var extra: Int64 = 1_000_000
        for forward in [true, false] {
            var seen: [Int64] = []
            var more = forward ? try scan.first() : try scan.last()
            while !forward, more, try key(scan) >= 1_000_000 { more = try scan.previous() }
            while more, scan.isValid, try key(scan) < 1_000_000 {
                let k = try key(scan)
                seen.append(k)
                if rng.below(3) != 0 {
                    try scan.delete()
                    live.remove(k)
                    if rng.below(4) == 0 { try put(writer, extra); extra += 1 }
                }
                more = forward ? try scan.next() : try scan.previous()
            }
            let expected = live.union(Set(seen)).filter { $0 < 1_000_000 }.sorted()
            let wanted = forward ? expected : expected.reversed()
            #expect(seen.count == wanted.count)
            #expect(zip(seen, wanted).first { $0 != $1 }.map { "saw \($0.0) for \($0.1)" } == nil)
        }
        try f.commit()
        #expect(try SQLiteOracle(f.path).integrityCheck() == ["ok"])
    }

    @Test(arguments: [512, 4096])
    func indexEntriesStayOrderedThroughInsertsAndDeletes(pageSize: Int) throws {
        let f = try StorageFixture(pageSize: pageSize)
        defer { f.directory.remove() }
        try f.begin()
        let root = try f.createTable("t", "CREATE TABLE t(a, b)")
        let iroot = try f.createIndex("ti", on: "t", "CREATE INDEX ti ON t(a COLLATE NOCASE DESC, b)")
        let keyInfo = KeyInfo(collations: [.nocase, .binary, .binary], descending: [true, false, false])
        let table = BTreeCursor(tree: f.tree, root: root, isTable: true)
        let index = BTreeCursor(tree: f.tree, root: iroot, isTable: false, keyInfo: keyInfo)
        var rng = TestRandom(7)
        var model: [Int64: [Value]] = [:]
        func randomValue() -> Value {
            switch rng.below(5) {
            case 0: return .null
            case 1: return .integer(Int64(rng.below(100)) - 50)
            case 2: return .real(Double(rng.below(1000)) / 7)
            case 3: return .text(String(repeating: ["a", "B", "c", "D"][rng.below(4)], count: 1 + rng.below(pageSize / 8)))
            default: return .blob(rng.bytes(rng.below(40)))
            }
        }
        for i in 0..<3000 {
            let row = [randomValue(), randomValue()]
            try insertRow(table, Int64(i), row)
            try insertEntry(index, row + [.integer(Int64(i))])
            model[Int64(i)] = row
        }
        for i in stride(from: 0, to: 3000, by: 2) {
            let row = model[Int64(i)]!
            #expect(try index.seek(key: SearchKey(row + [.integer(Int64(i))])) == 0)
            try index.delete()
            #expect(try table.seek(rowid: Int64(i)) == 0)
            try table.delete()
            model[Int64(i)] = nil
        }
        try f.commit()
        let entries = try f.entries(iroot, keyInfo: keyInfo)
        #expect(entries.count == model.count)
        for k in 1..<entries.count {
            let order = try RecordEncoder.encode(entries[k - 1]).withUnsafeBytes {
                try compareRecord($0.baseAddress!, size: $0.count, to: SearchKey(entries[k]), keyInfo: keyInfo)
            }
            #expect(order < 0)
        }
        let oracle = try SQLiteOracle(f.path)
        #expect(try oracle.integrityCheck() == ["ok"])
        let viaIndex = try oracle.query("SELECT rowid FROM t INDEXED BY ti ORDER BY a COLLATE NOCASE DESC, b")
        #expect(viaIndex.count == model.count)
    }

    @Test func savepointRollbackRestoresPages() throws {
        let f = try StorageFixture(pageSize: 512)
        defer { f.directory.remove() }
        try f.begin()
        let root = try f.createTable("t", "CREATE TABLE t(a)")
        let c = BTreeCursor(tree: f.tree, root: root, isTable: true)
        for i in 0..<300 { try insertRow(c, Int64(i), [.text(String(repeating: "x", count: i % 50))]) }
        let before = try f.rows(root)
        let pagesBefore = f.pager.pageCount
        let sp = f.pager.openSavepoint()
        for i in 300..<900 { try insertRow(c, Int64(i), [.integer(Int64(i))]) }
        for i in stride(from: 0, to: 300, by: 2) {
            _ = try c.seek(rowid: Int64(i))
            try c.delete()
        }
        try f.pager.rollbackToSavepoint(sp)
        c.reset()
        #expect(try f.rows(root).map(\.0) == before.map(\.0))
        #expect(f.pager.pageCount == pagesBefore)
        f.pager.releaseSavepoint(sp)
        try f.commit()
        #expect(try SQLiteOracle(f.path).integrityCheck() == ["ok"])
    }

    @Test func rollbackDiscardsTheTransaction() throws {
        let f = try StorageFixture(pageSize: 1024)
        defer { f.directory.remove() }
        try f.begin()
        let root = try f.createTable("t", "CREATE TABLE t(a)")
        let c = BTreeCursor(tree: f.tree, root: root, isTable: true)
        for i in 0..<100 { try insertRow(c, Int64(i), [.integer(Int64(i))]) }
        try f.commit()
        try f.begin()
        for i in 100..<1000 { try insertRow(c, Int64(i), [.integer(Int64(i))]) }
        f.pager.rollback()
        c.reset()
        #expect(try f.rows(root).count == 100)
        #expect(try SQLiteOracle(f.path).query("SELECT count(*) FROM t") == [[.integer(100)]])
    }
}
