// Auto-vacuum: creating and dropping many tables and indexes in
// auto_vacuum=FULL and INCREMENTAL databases. Root pages stay packed at the
// front of the file, so dropping a tree moves the last root into its place
// (fileformat2.html 1.7); the test updates sqlite_schema's rootpage as the
// engine will, from what dropTree returns. After every commit: sqlite3's
// integrity check and ours say "ok" (pointer maps included), FULL leaves no
// free page, and the surviving tables hold what they should.
import Testing
import Base
@testable import Storage
import TestSupport

/// One b-tree of the test's catalog.
struct CatalogEntry {
    var name: String
    var table: String
    var root: UInt32
    var isIndex: Bool
    var rows: Int
}

final class AutoVacuumHarness {
    let f: StorageFixture
    var rng: TestRandom
    var catalog: [CatalogEntry] = []
    var nextID = 0
    var rootMoves = 0

    init(pageSize: Int, incremental: Bool, seed: UInt64) throws {
        f = try StorageFixture(pageSize: pageSize, autoVacuum: !incremental, incremental: incremental)
        rng = TestRandom(seed)
    }

    /// A table of a few rows (some overflowing) with one index on it.
    func createTable() throws {
        let name = "t\(nextID)"
        nextID += 1
        let root = try f.createTable(name, "CREATE TABLE \(name)(a INTEGER, b BLOB)")
        let index = try f.createIndex("\(name)_a", on: name, "CREATE INDEX \(name)_a ON \(name)(a)")
        let table = BTreeCursor(tree: f.tree, root: root, isTable: true)
        let entries = BTreeCursor(tree: f.tree, root: index, isTable: false, keyInfo: KeyInfo(binaryFields: 2))
        let rows = rng.below(40)
        for i in 0..<rows {
            let big = rng.below(5) == 0 ? f.pager.pageSize * 2 : rng.below(50)
            try insertRow(table, Int64(i + 1), [.integer(Int64(i * 7)), .blob(rng.bytes(big))])
            try insertEntry(entries, [.integer(Int64(i * 7)), .integer(Int64(i + 1))])
        }
        catalog.append(CatalogEntry(name: name, table: name, root: root, isIndex: false, rows: rows))
        catalog.append(CatalogEntry(name: "\(name)_a", table: name, root: index, isIndex: true, rows: rows))
    }

    /// Drops a table and its index, largest root first (as SQLite's destroyTable), following root moves.
    func dropTable(_ name: String) throws {
        var doomed = catalog.filter { $0.table == name }.map(\.name)
        while !doomed.isEmpty {
            let victim = catalog.filter { doomed.contains($0.name) }.max { $0.root < $1.root }!
            doomed.removeAll { $0 == victim.name }
            let moved = try f.tree.dropTree(victim.root)
            try deleteSchemaRow(victim.name)
            catalog.removeAll { $0.name == victim.name }
            if let (from, to) = moved {
                rootMoves += 1
                try setSchemaRoot(from: from, to: to)
                for i in catalog.indices where catalog[i].root == from { catalog[i].root = to }
            }
        }
    }

    /// Removes `name`'s row from sqlite_schema.
    func deleteSchemaRow(_ name: String) throws {
        let schema = BTreeCursor(tree: f.tree, root: 1, isTable: true)
        var more = try schema.first()
        while more {
            if text(try schema.values()[1]) == name {
                try schema.delete()
                try bumpSchemaCookie()
                return
            }
            more = try schema.next()
        }
        throw SchemaError.unexpected("no schema row for \(name)")
    }

    /// Rewrites the rootpage of the schema row that named `from` (what the engine does after a root move).
    func setSchemaRoot(from: UInt32, to: UInt32) throws {
        let schema = BTreeCursor(tree: f.tree, root: 1, isTable: true)
        var more = try schema.first()
        while more {
            var row = try schema.values()
            if row[3] == .integer(Int64(from)) {
                row[3] = .integer(Int64(to))
                try insertRow(schema, try schema.rowid, row)
                try bumpSchemaCookie()
                return
            }
            more = try schema.next()
        }
        throw SchemaError.unexpected("no schema row with root \(from)")
    }

    func bumpSchemaCookie() throws {
        try f.tree.setHeaderField(HeaderOffset.schemaCookie, try f.tree.headerField(HeaderOffset.schemaCookie) + 1)
    }

    /// Both integrity checks pass, the largest root is where the header says, and every table has its rows.
    func expectSound() throws {
        let oracle = try SQLiteOracle(f.path)
        #expect(try oracle.integrityCheck() == ["ok"])
        let ours = f.tree.integrityCheck(tables: try integrityTables(oracle))
        #expect(ours.rows == ["ok"], "\(ours.rows)")
        for e in catalog where !e.isIndex {
            #expect(try oracle.query("SELECT count(*) FROM \(e.name)") == [[.integer(Int64(e.rows))]])
        }
        let largest = try f.tree.headerField(HeaderOffset.largestRootPage)
        #expect(largest == (catalog.map(\.root) + [1]).max())
    }
}

@Suite struct AutoVacuumTests {
    @Test(arguments: [(512, false), (512, true), (4096, false), (4096, true)])
    func droppingTreesMovesRootsAndKeepsPointerMapsRight(pageSize: Int, incremental: Bool) throws {
        let h = try AutoVacuumHarness(pageSize: pageSize, incremental: incremental, seed: UInt64(pageSize) + 1)
        defer { h.f.directory.remove() }
        for round in 0..<40 {
            try h.f.begin()
            let creates = h.catalog.isEmpty ? 3 : h.rng.below(3)
            for _ in 0..<creates { try h.createTable() }
            let tables = h.catalog.filter { !$0.isIndex }.map(\.name)
            for _ in 0..<h.rng.below(3) where !tables.isEmpty {
                let victim = tables[h.rng.below(tables.count)]
                if h.catalog.contains(where: { $0.name == victim }) { try h.dropTable(victim) }
            }
            if incremental && round % 3 == 0 { try h.f.tree.vacuumFreePages(limit: 1 + h.rng.below(10)) }
            try h.f.commit()
            if !incremental {
                #expect(try h.f.tree.headerField(HeaderOffset.freelistCount) == 0)
            }
            if round % 5 == 4 { try h.expectSound() }
        }
        // Drop everything: only sqlite_schema and the pointer map remain.
        try h.f.begin()
        for name in Set(h.catalog.map(\.table)).sorted() { try h.dropTable(name) }
        try h.f.tree.vacuumFreePages()
        try h.f.commit()
        try h.expectSound()
        #expect(h.rootMoves > 0)
        #expect(try h.f.tree.headerField(HeaderOffset.freelistCount) == 0)
    }

    @Test func aRootCreatedWhereAPageIsInUseMovesThatPageAway() throws {
        let f = try StorageFixture(pageSize: 1024, autoVacuum: true)
        defer { f.directory.remove() }
        try f.begin()
        let root = try f.createTable("t", "CREATE TABLE t(a)")
        let c = BTreeCursor(tree: f.tree, root: root, isTable: true)
        for i in 0..<200 { try insertRow(c, Int64(i), [.blob([UInt8](repeating: UInt8(i & 0xFF), count: 100))]) }
        try f.commit()
        try f.begin()
        // The page after the largest root holds part of t now: it must move for the new root.
        let second = try f.createTable("u", "CREATE TABLE u(b)")
        try f.commit()
        // sqlite3 puts the second root in the same place.
        let dir = TemporaryDirectory("swiftdb-av")
        defer { dir.remove() }
        let reference = try SQLiteOracle(dir.file("ref.db"))
        try reference.exec("""
            PRAGMA page_size=1024; PRAGMA auto_vacuum=FULL; CREATE TABLE t(a);
            WITH RECURSIVE s(i) AS (VALUES(0) UNION ALL SELECT i+1 FROM s WHERE i<199)
              INSERT INTO t(rowid, a) SELECT i, zeroblob(100) FROM s;
            CREATE TABLE u(b);
            """)
        #expect(try reference.query("SELECT rootpage FROM sqlite_schema WHERE name='u'") == [[.integer(Int64(second))]])
        #expect(try f.rows(root).count == 200)
        let oracle = try SQLiteOracle(f.path)
        #expect(try oracle.integrityCheck() == ["ok"])
        #expect(f.tree.integrityCheck(tables: try integrityTables(oracle)).rows == ["ok"])
    }
}
