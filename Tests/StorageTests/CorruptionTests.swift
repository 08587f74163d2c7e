// Corruption: valid databases (written by libsqlite3) damaged in many distinct
// ways. swiftdb must never trap or hang on them: opening gives SQLITE_NOTADB
// or SQLITE_CORRUPT where sqlite3's does, walking every tree gives
// SQLITE_CORRUPT where the damage is in a tree's structure, and our integrity
// check reports what sqlite3's PRAGMA integrity_check reports for the same
// file, row for row, including whether sqlite3's statement ended in an error.
// Each case also names the finding it is about (`finding`), which both
// reports must contain: the damage was seen, not merely some other symptom.
import Foundation
import Testing
import Base
import IO
@testable import Storage
import TestSupport

/// Where things are in an undamaged database: page size and sqlite3's dbstat rows.
struct DamageContext: Sendable {
    struct PageInfo: Sendable {
        var name: String
        var path: String
        var pgno: Int
        var type: String
        var cells: Int
    }
    var pageSize: Int
    var pages: [PageInfo]

    /// Pages of tree `name` of `type` ("leaf", "internal", "overflow"), in path order.
    func pages(of name: String, _ type: String) -> [Int] {
        pages.filter { $0.name == name && $0.type == type }.sorted { $0.path < $1.path }.map(\.pgno)
    }

    func root(of name: String) -> Int { pages.first { $0.name == name && $0.path == "/" }?.pgno ?? 0 }

    func offset(_ pgno: Int) -> Int { (pgno - 1) * pageSize }
    func header(_ pgno: Int) -> Int { offset(pgno) + (pgno == 1 ? 100 : 0) }
}

extension Array where Element == UInt8 {
    func u16(_ at: Int) -> Int { Int(self[at]) << 8 | Int(self[at + 1]) }
    func u32(_ at: Int) -> Int { u16(at) << 16 | u16(at + 2) }
    mutating func put16(_ at: Int, _ v: Int) {
        self[at] = UInt8(truncatingIfNeeded: v >> 8)
        self[at + 1] = UInt8(truncatingIfNeeded: v)
    }
    mutating func put32(_ at: Int, _ v: Int) {
        for i in 0..<4 { self[at + i] = UInt8(truncatingIfNeeded: v >> (24 - 8 * i)) }
    }
    /// The offset of cell `i` of the b-tree page at `pgno`.
    func cellPointer(_ ctx: DamageContext, _ pgno: Int, _ i: Int) -> Int {
        let h = ctx.header(pgno)
        let headerSize = self[h] & 8 != 0 ? 8 : 12
        return h + headerSize + 2 * i
    }
}

/// Changes the bytes of the file at `path`.
func patchFile(_ path: String, _ change: (inout [UInt8]) throws -> Void) throws {
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    try change(&bytes)
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

enum OpenOutcome: Sendable {
    /// Both open the file and run the check; the reports must be equal row for row.
    case sameReport
    /// Both refuse the file as not a database.
    case notADatabase
    /// Both refuse the file as corrupt when they first read it.
    case corruptAtOpen
}

struct CorruptionCase: Sendable, CustomStringConvertible {
    var name: String
    var setup: String
    var damage: @Sendable (String, DamageContext) throws -> Void
    var outcome: OpenOutcome = .sameReport
    /// Walking every tree must fail with SQLITE_CORRUPT (the damage is in what a cursor reads).
    var walkFails = false
    /// A finding both reports contain.
    var finding: String = ""
    var pragma = "integrity_check"

    var description: String { name }
}

let basicSetup = """
    PRAGMA page_size=1024;
    CREATE TABLE t(a INTEGER NOT NULL, b TEXT, c BLOB);
    CREATE INDEX tb ON t(b);
    CREATE UNIQUE INDEX ta ON t(a);
    WITH RECURSIVE s(i) AS (VALUES(1) UNION ALL SELECT i+1 FROM s WHERE i<300)
      INSERT INTO t SELECT i, 'value ' || i, CASE WHEN i % 50 = 1 THEN zeroblob(2500) ELSE x'0102' END FROM s;
    DELETE FROM t WHERE a % 3 = 0;
    """

let vacuumSetup = "PRAGMA auto_vacuum=INCREMENTAL;\n" + basicSetup

let strictSetup = """
    CREATE TABLE s(k INTEGER PRIMARY KEY, b INTEGER, c TEXT NOT NULL, d REAL) STRICT;
    INSERT INTO s VALUES (1, 1, 'one', 1.5), (2, 2, 'two', 2);
    """

let withoutRowidSetup = """
    PRAGMA page_size=1024;
    CREATE TABLE w(k TEXT PRIMARY KEY, v) WITHOUT ROWID;
    WITH RECURSIVE s(i) AS (VALUES(1) UNION ALL SELECT i+1 FROM s WHERE i<200)
      INSERT INTO w SELECT printf('key%04d', i), i FROM s;
    """

/// Opens `path` through swiftdb's storage layer and changes it there (damage a byte patch cannot express).
func withStorage(_ path: String, _ change: (BTree) throws -> Void) throws {
    let pager = try Pager(io: SyscallBackend(), path: path)
    let tree = try BTree(pager: pager)
    try pager.beginWrite()
    try change(tree)
    try pager.commit()
}

let corruptionCases: [CorruptionCase] = [
    CorruptionCase(name: "bad page type", setup: basicSetup, damage: { path, ctx in
        try patchFile(path) { $0[ctx.header(ctx.pages(of: "t", "leaf")[1])] = 0x07 }
    }, walkFails: true, finding: "btreeInitPage() returns error code 11"),
    CorruptionCase(name: "cell pointer out of bounds", setup: basicSetup, damage: { path, ctx in
        try patchFile(path) { b in b.put16(b.cellPointer(ctx, ctx.pages(of: "t", "leaf")[2], 3), 0xFFF0) }
    }, walkFails: true, finding: "Offset 65520 out of range"),
    CorruptionCase(name: "overlapping cells", setup: basicSetup, damage: { path, ctx in
        try patchFile(path) { b in
            let leaf = ctx.pages(of: "tb", "leaf")[1]
            b.put16(b.cellPointer(ctx, leaf, 4), b.u16(b.cellPointer(ctx, leaf, 5)) + 2)
        }
    }, finding: "Multiple uses for byte"),
    CorruptionCase(name: "every cell pointer of a leaf at one cell", setup: basicSetup, damage: { path, ctx in
        try patchFile(path) { b in
            for leaf in ctx.pages(of: "t", "leaf") {
                let first = b.u16(b.cellPointer(ctx, leaf, 0))
                for i in 1..<b.u16(ctx.header(leaf) + 3) { b.put16(b.cellPointer(ctx, leaf, i), first) }
            }
        }
    }, finding: "Multiple uses for byte"),
    CorruptionCase(name: "cycle in a child pointer", setup: basicSetup, damage: { path, ctx in
        try patchFile(path) { b in
            let root = ctx.root(of: "t")
            b.put32(ctx.header(root) + 8, root)
        }
    }, walkFails: true, finding: "2nd reference to page"),
    CorruptionCase(name: "cycle in an overflow chain", setup: basicSetup, damage: { path, ctx in
        try patchFile(path) { b in
            let chain = ctx.pages(of: "t", "overflow").prefix(3)
            b.put32(ctx.offset(chain[chain.startIndex + 1]), chain[chain.startIndex])
        }
    }, finding: "2nd reference to page"),
    CorruptionCase(name: "cycle in the freelist", setup: basicSetup, damage: { path, _ in
        try patchFile(path) { b in
            let trunk = b.u32(32)
            b.put32((trunk - 1) * 1024, trunk)
        }
    }, finding: "Main freelist: 2nd reference to page"),
    CorruptionCase(name: "freelist count wrong", setup: basicSetup, damage: { path, _ in
        try patchFile(path) { b in b.put32(36, b.u32(36) + 3) }
    }, finding: "Main freelist: size is"),
    CorruptionCase(name: "freelist leaf count too big", setup: basicSetup, damage: { path, _ in
        try patchFile(path) { b in b.put32((b.u32(32) - 1) * 1024 + 4, 300) }
    }, finding: "freelist leaf count too big on page"),
    CorruptionCase(name: "page size not a power of two", setup: basicSetup, damage: { path, _ in
        try patchFile(path) { b in b.put16(16, 1000) }
    }, outcome: .notADatabase),
    CorruptionCase(name: "payload fraction not 64", setup: basicSetup, damage: { path, _ in
        try patchFile(path) { b in b[21] = 65 }
    }, outcome: .notADatabase),
    CorruptionCase(name: "bad magic", setup: basicSetup, damage: { path, _ in
        try patchFile(path) { b in b[0] = UInt8(ascii: "s") }
    }, outcome: .notADatabase),
    CorruptionCase(name: "truncated file", setup: basicSetup, damage: { path, _ in
        try patchFile(path) { b in b.removeLast(b.count / 3 / 1024 * 1024) }
    }, outcome: .corruptAtOpen),
    CorruptionCase(name: "truncated file with a stale size in the header", setup: basicSetup, damage: { path, _ in
        try patchFile(path) { b in
            b.put32(92, b.u32(24) + 1)
            b.removeLast(5 * 1024)
        }
    }, walkFails: true, finding: "invalid page number"),
    CorruptionCase(name: "overflow chain too short", setup: basicSetup, damage: { path, ctx in
        try patchFile(path) { b in b.put32(ctx.offset(ctx.pages(of: "t", "overflow")[0]), 0) }
    }, walkFails: true, finding: "overflow list length is 1 but should be"),
    CorruptionCase(name: "rowids out of order", setup: basicSetup, damage: { path, ctx in
        try patchFile(path) { b in
            let leaf = ctx.pages(of: "t", "leaf")[1]
            let (p, q) = (b.cellPointer(ctx, leaf, 2), b.cellPointer(ctx, leaf, 5))
            let x = b.u16(p)
            b.put16(p, b.u16(q))
            b.put16(q, x)
        }
    }, finding: "out of order"),
    CorruptionCase(name: "pointer-map entry wrong", setup: vacuumSetup, damage: { path, ctx in
        try patchFile(path) { b in
            let leaf = ctx.pages(of: "t", "leaf")[1]
            b.put32(ctx.offset(2) + 5 * (leaf - 3) + 1, 77)
        }
    }, finding: "Bad ptr map entry key="),
    CorruptionCase(name: "largest root page wrong", setup: vacuumSetup, damage: { path, _ in
        try patchFile(path) { b in b.put32(52, b.u32(52) + 1) }
    }, finding: "max rootpage"),
    CorruptionCase(name: "fragmentation count wrong", setup: basicSetup, damage: { path, ctx in
        try patchFile(path) { b in b[ctx.header(ctx.pages(of: "tb", "leaf")[0]) + 7] &+= 5 }
    }, finding: "Fragmentation of"),
    CorruptionCase(name: "freeblock list out of order", setup: basicSetup, damage: { path, ctx in
        try patchFile(path) { b in
            let leaf = ctx.pages(of: "t", "leaf")[0]
            b.put16(ctx.header(leaf) + 1, b.u16(ctx.header(leaf) + 5) - 8)
        }
    }, walkFails: false, finding: "free space corruption"),
    CorruptionCase(name: "page leaked from the freelist", setup: basicSetup, damage: { path, _ in
        try patchFile(path) { b in
            let trunk = (b.u32(32) - 1) * 1024
            b.put32(trunk + 4, b.u32(trunk + 4) - 1)
            b.put32(36, b.u32(36) - 1)
        }
    }, finding: "is never used"),
    CorruptionCase(name: "index entry missing", setup: basicSetup, damage: { path, _ in
        try withStorage(path) { tree in
            let c = BTreeCursor(tree: tree, root: try rootPage(tree, "tb"), isTable: false)
            try c.first()
            for _ in 0..<10 { try c.next() }
            try c.delete()
        }
    }, finding: "missing from index tb"),
    CorruptionCase(name: "duplicate in a unique index", setup: basicSetup, damage: { path, _ in
        try withStorage(path) { tree in
            let c = BTreeCursor(tree: tree, root: try rootPage(tree, "ta"), isTable: false)
            try insertEntry(c, [.integer(4), .integer(5)])
        }
    }, finding: "non-unique entry in index ta"),
    CorruptionCase(name: "NULL in a NOT NULL column", setup: basicSetup, damage: { path, _ in
        try withStorage(path) { tree in
            let c = BTreeCursor(tree: tree, root: try rootPage(tree, "t"), isTable: true)
            try insertRow(c, 400, [.null, .text(Array("late".utf8)), .null])
        }
    }, finding: "NULL value in t.a"),
    CorruptionCase(name: "number in a TEXT column", setup: basicSetup, damage: { path, _ in
        try withStorage(path) { tree in
            let c = BTreeCursor(tree: tree, root: try rootPage(tree, "t"), isTable: true)
            try insertRow(c, 400, [.integer(400), .integer(5), .null])
        }
    }, finding: "NUMERIC value in t.b"),
    CorruptionCase(name: "numeric text in an INTEGER column", setup: basicSetup, damage: { path, _ in
        try withStorage(path) { tree in
            let c = BTreeCursor(tree: tree, root: try rootPage(tree, "t"), isTable: true)
            try insertRow(c, 400, [.text(Array(" 12".utf8)), .text(Array("late".utf8)), .null])
        }
    }, finding: "TEXT value in t.a"),
    CorruptionCase(name: "wrong type in a STRICT column", setup: strictSetup, damage: { path, _ in
        try withStorage(path) { tree in
            let c = BTreeCursor(tree: tree, root: try rootPage(tree, "s"), isTable: true)
            try insertRow(c, 10, [.null, .real(2.5), .integer(3), .blob([1])])
            try insertRow(c, 11, [.null, .integer(2), .blob([1]), .text(Array("x".utf8))])
        }
    }, finding: "non-INTEGER value in s.b"),
    CorruptionCase(name: "WITHOUT ROWID keys out of order", setup: withoutRowidSetup, damage: { path, ctx in
        try patchFile(path) { b in
            let leaf = ctx.pages(of: "w", "leaf")[1]
            let (p, q) = (b.cellPointer(ctx, leaf, 1), b.cellPointer(ctx, leaf, 6))
            let x = b.u16(p)
            b.put16(p, b.u16(q))
            b.put16(q, x)
        }
    }, finding: "row not in PRIMARY KEY order for w"),
    CorruptionCase(name: "child page of another depth", setup: basicSetup, damage: { path, ctx in
        try patchFile(path) { b in
            let root = ctx.root(of: "t")
            b.put32(ctx.offset(root) + b.u16(b.cellPointer(ctx, root, 1)), ctx.root(of: "tb"))
        }
    }, walkFails: true, finding: "Child page depth differs"),
    CorruptionCase(name: "pointer-map page used as a child", setup: vacuumSetup, damage: { path, ctx in
        try patchFile(path) { b in
            let root = ctx.root(of: "t")
            b.put32(ctx.offset(root) + b.u16(b.cellPointer(ctx, root, 0)), 2)
        }
    }, walkFails: true, finding: "Pointer map page 2 is referenced"),
    CorruptionCase(name: "many findings capped by integrity_check(N)", setup: basicSetup, damage: { path, _ in
        try withStorage(path) { tree in
            let c = BTreeCursor(tree: tree, root: try rootPage(tree, "tb"), isTable: false)
            for _ in 0..<30 {
                try c.first()
                try c.delete()
            }
        }
        try patchFile(path) { b in b.put32(36, b.u32(36) + 1) }
    }, finding: "missing from index tb", pragma: "integrity_check(4)"),
    CorruptionCase(name: "quick_check skips the index checks", setup: basicSetup, damage: { path, _ in
        try withStorage(path) { tree in
            let c = BTreeCursor(tree: tree, root: try rootPage(tree, "tb"), isTable: false)
            try c.last()
            try c.delete()
        }
    }, pragma: "quick_check"),
    CorruptionCase(name: "quick_check still reads every record", setup: basicSetup, damage: { path, ctx in
        try patchFile(path) { b in
            let leaf = ctx.pages(of: "t", "leaf")[2]
            let cell = ctx.offset(leaf) + b.u16(b.cellPointer(ctx, leaf, 0))
            b[cell + 2] = 0x7f
        }
    }, walkFails: true, pragma: "quick_check(2)"),
    CorruptionCase(name: "child pointers shared by every cell (a DAG)", setup: basicSetup, damage: { path, ctx in
        try patchFile(path) { b in
            let root = ctx.root(of: "t")
            let leaf = ctx.pages(of: "t", "leaf")[0]
            for i in 0..<b.u16(ctx.header(root) + 3) {
                b.put32(ctx.offset(root) + b.u16(b.cellPointer(ctx, root, i)), leaf)
            }
            b.put32(ctx.header(root) + 8, leaf)
        }
    }, finding: "2nd reference to page"),
    CorruptionCase(name: "empty leaves below an interior page", setup: basicSetup, damage: { path, ctx in
        try patchFile(path) { b in
            for leaf in ctx.pages(of: "t", "leaf").prefix(4) {
                b.put16(ctx.header(leaf) + 3, 0)
                b.put16(ctx.header(leaf) + 5, 1024)
                b.put16(ctx.header(leaf) + 1, 0)
                b[ctx.header(leaf) + 7] = 0
            }
        }
    }, walkFails: true, finding: "is never used"),
    CorruptionCase(name: "record header larger than its payload", setup: basicSetup, damage: { path, ctx in
        try patchFile(path) { b in
            // A leaf table cell is (payload size, rowid, record): make the record's header size huge.
            let leaf = ctx.pages(of: "t", "leaf")[0]
            let cell = ctx.offset(leaf) + b.u16(b.cellPointer(ctx, leaf, 1))
            b[cell + 2] = 0x7f
        }
    }, walkFails: true, finding: ""),
]

/// The root page of schema object `name`, read from sqlite_schema through our own cursor.
func rootPage(_ tree: BTree, _ name: String) throws -> UInt32 {
    let c = BTreeCursor(tree: tree, root: 1, isTable: true)
    var more = try c.first()
    while more {
        let row = try c.values()
        if row.count >= 4, text(row[1]) == name, case .integer(let r) = row[3] { return UInt32(r) }
        more = try c.next()
    }
    throw SchemaError.unexpected("no \(name) in sqlite_schema")
}

/// Whether numeric affinity would turn `text` into a number: a decimal number, spaces around it allowed
/// (enough for these tests; the engine passes SQLite's full rule).
func looksNumeric(_ text: [UInt8]) -> Bool {
    Double(String(decoding: text, as: UTF8.self).trimmingCharacters(in: .whitespaces)) != nil
}

/// Opens `path` through the storage layer.
func openStorage(_ path: String) -> Result<(Pager, BTree), DBError> {
    do throws(DBError) {
        let pager = try Pager(io: SyscallBackend(), path: path)
        return .success((pager, try BTree(pager: pager)))
    } catch {
        return .failure(error)
    }
}

/// Inserts into and deletes from every described tree, then rolls back; the first error met, or nil.
func writeEveryTree(_ tree: BTree, _ tables: [IntegrityTable]) -> DBError? {
    var rng = TestRandom(42)
    do throws(DBError) {
        try tree.pager.beginWrite()
        defer { tree.pager.rollback() }
        for t in tables {
            for (root, isTable) in [(t.root, t.primaryKey == nil)] + t.indexes.map({ ($0.root, false) }) {
                let c = BTreeCursor(tree: tree, root: root, isTable: isTable)
                for i in 0..<60 {
                    let values: [Value] = [.integer(Int64(rng.below(400))), .blob(rng.bytes(rng.below(900)))]
                    let record = RecordEncoder.encode(values)
                    let rowid = Int64(rng.below(500))
                    try typedThrows {
                        try record.withUnsafeBytes { b in
                            if isTable {
                                try c.insert(rowid: rowid, record: b)
                            } else {
                                try c.insert(indexRecord: b)
                            }
                        }
                    }
                    guard i % 3 == 0 else { continue }
                    let found = isTable ? try c.seek(rowid: Int64(rng.below(500))) == 0 : try c.first()
                    if found && c.isValid { try c.delete() }
                }
            }
        }
        try tree.vacuumFreePages(limit: 5)
    } catch {
        return error
    }
    return nil
}

/// Reads every entry of every described tree; the first error met, or nil.
func walkEveryTree(_ tree: BTree, _ tables: [IntegrityTable]) -> DBError? {
    var trees: [(UInt32, Bool)] = []
    for t in tables {
        trees.append((t.root, t.primaryKey == nil))
        for i in t.indexes { trees.append((i.root, false)) }
    }
    do throws(DBError) {
        for (root, isTable) in trees {
            let c = BTreeCursor(tree: tree, root: root, isTable: isTable)
            var more = try c.first()
            var steps = 0
            while more && steps < 1_000_000 {
                if isTable { _ = try c.rowid }
                _ = try c.values()
                more = try c.next()
                steps += 1
            }
        }
    } catch {
        return error
    }
    return nil
}

@Suite struct CorruptionTests {
    @Test(arguments: corruptionCases)
    func damageIsReportedAsSQLiteReportsIt(_ damage: CorruptionCase) throws {
        let dir = TemporaryDirectory("swiftdb-corrupt")
        defer { dir.remove() }
        let path = dir.file("damaged.db")
        var tables: [IntegrityTable] = []
        var ctx = DamageContext(pageSize: 0, pages: [])
        do {
            let oracle = try SQLiteOracle(path)
            try oracle.exec(damage.setup)
            ctx.pageSize = integer(try oracle.query("PRAGMA page_size")[0][0])
            for r in try oracle.query("SELECT name, path, pageno, pagetype, ncell FROM dbstat ORDER BY pageno") {
                ctx.pages.append(.init(name: text(r[0]), path: text(r[1]), pgno: integer(r[2]), type: text(r[3]),
                                       cells: integer(r[4])))
            }
            tables = try integrityTables(oracle)
            #expect(try oracle.integrityCheck() == ["ok"])
        }
        try damage.damage(path, ctx)

        let theirs = try SQLiteOracle(path).integrityCheckUntilError(damage.pragma)
        let opened: (Pager, BTree)
        switch openStorage(path) {
        case .success(let o):
            opened = o
        case .failure(let e):
            switch damage.outcome {
            case .notADatabase:
                #expect(e.code == .notadb)
                #expect(theirs.error?.code == 26, "sqlite3: \(theirs)")
            case .corruptAtOpen:
                #expect(e.code == .corrupt)
                #expect(theirs.error.map { $0.code & 0xff } == 11, "sqlite3: \(theirs)")
            case .sameReport:
                Issue.record("swiftdb could not open the file: \(e); sqlite3 reports \(theirs)")
            }
            return
        }
        #expect(damage.outcome == .sameReport, "swiftdb opened a file sqlite3 refuses: \(theirs)")
        try opened.0.beginRead()
        let quick = damage.pragma.hasPrefix("quick")
        let limit = damage.pragma.split(separator: "(").dropFirst().first.flatMap { Int($0.dropLast()) } ?? 100
        let options = IntegrityCheckOptions(maxErrors: limit, quick: quick, textIsNumeric: looksNumeric)
        let ours = opened.1.integrityCheck(tables: tables, options: options)
        #expect(ours.rows == theirs.rows, "swiftdb \(ours.rows) \(String(describing: ours.error))")
        #expect((ours.error != nil) == (theirs.error != nil),
                "swiftdb error \(String(describing: ours.error)), sqlite3 error \(String(describing: theirs.error))")
        if let e = ours.error { #expect(e.code == .corrupt) }
        #expect(ours.isOK == (theirs.rows == ["ok"] && theirs.error == nil))
        if !damage.finding.isEmpty {
            #expect(theirs.rows.contains { $0.contains(damage.finding) }, "sqlite3: \(theirs.rows)")
            #expect(ours.rows.contains { $0.contains(damage.finding) })
        }
        let walk = walkEveryTree(opened.1, tables)
        if damage.walkFails {
            #expect(walk?.code == .corrupt, "walk: \(String(describing: walk))")
        }
        // Changing the damaged file succeeds or fails with an error; it never traps.
        if let e = writeEveryTree(opened.1, tables) { #expect(e.code == .corrupt, "write: \(e)") }
    }
}
