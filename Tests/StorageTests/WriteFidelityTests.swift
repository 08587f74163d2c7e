// Write fidelity: randomized inserts, updates and deletes through the storage
// layer alone, over rowid tables with indexes and a WITHOUT ROWID table,
// with large (overflowing) values, in transactions that commit or roll back
// and savepoints that roll back or are released — against an in-memory
// model. Afterwards sqlite3's PRAGMA integrity_check and swiftdb's say "ok",
// and libsqlite3 reads exactly the model's rows, and each index, read through
// INDEXED BY in sqlite3's order, is exactly swiftdb's b-tree walk of it.
//
// The test maintains index entries itself, as the engine will: for a rowid
// table the record [indexed columns..., rowid]; for the WITHOUT ROWID table
// the table record is [primary key..., other columns] and its index entry
// [indexed column, primary key...] (fileformat2.html 2.5).
import Foundation
import Testing
import Base
@testable import Storage
import TestSupport

/// One run: a page size, an auto-vacuum mode, an encoding and how many operations.
struct WriteConfig: Sendable, CustomStringConvertible {
    var pageSize: Int
    var vacuum: String
    var encoding: TextEncoding
    var operations: Int
    var seed: UInt64

    var description: String { "\(pageSize)-\(vacuum)-\(encoding.name)-\(operations)ops" }

    static var all: [WriteConfig] {
        let full = ProcessInfo.processInfo.environment["SWIFTDB_FULL_CORPUS"] == "1"
        var out: [WriteConfig] = []
        let encodings: [TextEncoding] = [.utf8, .utf16le, .utf16be]
        var seed: UInt64 = 1
        for pageSize in [512, 1024, 4096, 65536] {
            for vacuum in ["none", "full", "incremental"] {
                // 8 × 11,500 + 4 × 3,000 = 104,000 operations; 64 KiB pages cost the most per operation.
                let ops = pageSize == 65536 ? 3000 : 11500
                out.append(WriteConfig(pageSize: pageSize, vacuum: vacuum, encoding: encodings[Int(seed) % 3],
                                       operations: full ? ops * 10 : ops, seed: seed))
                seed += 1
            }
        }
        return out
    }
}

/// The primary key of the WITHOUT ROWID table c(p TEXT, q INTEGER, ..., PRIMARY KEY(p, q DESC)).
struct CKey: Hashable {
    var p: [UInt8]
    var q: Int64
}

/// Rows by key, with a key array for picking one at random in O(1), independent of hash order.
struct KeyedRows<Key: Hashable> {
    private var rows: [Key: [Value]] = [:]
    private var keys: [Key] = []
    private var slots: [Key: Int] = [:]

    var count: Int { rows.count }
    var isEmpty: Bool { rows.isEmpty }

    subscript(key: Key) -> [Value]? {
        get { rows[key] }
        set {
            if let newValue {
                if rows.updateValue(newValue, forKey: key) == nil {
                    slots[key] = keys.count
                    keys.append(key)
                }
            } else if rows.removeValue(forKey: key) != nil, let slot = slots.removeValue(forKey: key) {
                let last = keys.removeLast()
                if slot < keys.count {
                    keys[slot] = last
                    slots[last] = slot
                }
            }
        }
    }

    func randomKey(_ rng: inout TestRandom) -> Key { keys[rng.below(keys.count)] }
    var allKeys: [Key] { keys }
}

/// What the database should hold.
struct WriteModel {
    var a = KeyedRows<Int64>()
    var b = KeyedRows<Int64>()
    var c = KeyedRows<CKey>()
    /// The next rowid an append uses.
    var nextRowid: Int64 = 1
}

/// The tables under test and their cursors.
final class WriteHarness {
    let f: StorageFixture
    let config: WriteConfig
    var rng: TestRandom
    var model = WriteModel()
    var roots: [String: UInt32] = [:]
    var cursors: [String: BTreeCursor] = [:]
    var counts = (inserts: 0, updates: 0, deletes: 0, commits: 0, rollbacks: 0, savepointRollbacks: 0)

    static let keyInfos: [String: KeyInfo] = [
        "a_xy": KeyInfo(binaryFields: 3),
        "a_w": KeyInfo(collations: [.binary, .binary], descending: [true, false]),
        "a_y": KeyInfo(collations: [.nocase, .binary], descending: [false, false]),
        "b_t": KeyInfo(binaryFields: 2),
        "c": KeyInfo(collations: [.binary, .binary], descending: [false, true]),
        "c_r": KeyInfo(collations: [.binary, .binary, .binary], descending: [false, false, true]),
    ]

    init(_ config: WriteConfig) throws {
        self.config = config
        rng = TestRandom(config.seed &* 0x9E37_79B9)
        f = try StorageFixture(pageSize: config.pageSize, autoVacuum: config.vacuum == "full",
                               incremental: config.vacuum == "incremental", encoding: config.encoding)
        try f.begin()
        roots["a"] = try f.createTable("a", "CREATE TABLE a(x INTEGER, y TEXT, z BLOB, w)")
        roots["a_xy"] = try f.createIndex("a_xy", on: "a", "CREATE INDEX a_xy ON a(x, y)")
        roots["a_w"] = try f.createIndex("a_w", on: "a", "CREATE INDEX a_w ON a(w DESC)")
        roots["a_y"] = try f.createIndex("a_y", on: "a", "CREATE INDEX a_y ON a(y COLLATE NOCASE)")
        roots["b"] = try f.createTable("b", "CREATE TABLE b(k INTEGER, big BLOB, t TEXT)")
        roots["b_t"] = try f.createIndex("b_t", on: "b", "CREATE INDEX b_t ON b(t)")
        roots["c"] = try f.createTable("c", "CREATE TABLE c(p TEXT, q INTEGER, r, s, PRIMARY KEY(p, q DESC)) "
                                       + "WITHOUT ROWID", withoutRowid: true)
        roots["c_r"] = try f.createIndex("c_r", on: "c", "CREATE INDEX c_r ON c(r)")
        try f.commit()
        for (name, root) in roots {
            cursors[name] = BTreeCursor(tree: f.tree, root: root, isTable: name == "a" || name == "b",
                                        keyInfo: Self.keyInfos[name] ?? KeyInfo(binaryFields: 0))
        }
    }

    func cursor(_ name: String) -> BTreeCursor { cursors[name]! }

    // MARK: random values

    func text(_ maxLength: Int) -> [UInt8] {
        let alphabet = Array("abcXYZ é€😀 ".unicodeScalars)
        var s = ""
        for _ in 0..<rng.below(maxLength + 1) { s.unicodeScalars.append(alphabet[rng.below(alphabet.count)]) }
        return Array(s.utf8)
    }

    func integer() -> Int64 {
        switch rng.below(6) {
        case 0: return Int64(rng.below(3))
        case 1: return Int64(rng.below(200)) - 100
        case 2: return Int64(rng.below(1 << 20)) - (1 << 19)
        case 3: return Int64(bitPattern: rng.next())
        default: return Int64(rng.below(1000))
        }
    }

    func anyValue() -> Value {
        switch rng.below(5) {
        case 0: return .null
        case 1: return .integer(integer())
        case 2: return .real(Double(integer()) / 8)
        case 3: return .text(text(12))
        default: return .blob(rng.bytes(rng.below(20)))
        }
    }

    /// A blob that overflows its page now and then.
    func payload() -> Value {
        let n = rng.below(10) == 0 ? rng.below(config.pageSize * 3) : rng.below(80)
        return .blob(rng.bytes(n))
    }

    func rowA() -> [Value] {
        [rng.below(8) == 0 ? .null : .integer(integer()), rng.below(8) == 0 ? .null : .text(text(30)), payload(),
         anyValue()]
    }

    func rowB() -> [Value] {
        let t: Value = rng.below(6) == 0 ? .text(text(config.pageSize / 2)) : .text(text(10))
        return [.integer(integer()), payload(), t]
    }

    // MARK: index entries

    func entriesA(_ rowid: Int64, _ r: [Value]) -> [(String, [Value])] {
        [("a_xy", [r[0], r[1], .integer(rowid)]), ("a_w", [r[3], .integer(rowid)]), ("a_y", [r[1], .integer(rowid)])]
    }

    func entriesB(_ rowid: Int64, _ r: [Value]) -> [(String, [Value])] {
        [("b_t", [r[2], .integer(rowid)])]
    }

    func insertEntries(_ list: [(String, [Value])]) throws {
        for (name, values) in list { try insertEntry(cursor(name), values, config.encoding) }
    }

    func deleteEntries(_ list: [(String, [Value])]) throws {
        for (name, values) in list {
            let c = cursor(name)
            guard try c.seek(key: SearchKey(values)) == 0 else {
                throw SchemaError.unexpected("index \(name) lacks \(values)")
            }
            try c.delete()
        }
    }

    // MARK: operations

    func randomOperation() throws {
        switch rng.below(3) {
        case 0: try operateOnRowidTable("a", model: \.a, row: rowA, entries: entriesA)
        case 1: try operateOnRowidTable("b", model: \.b, row: rowB, entries: entriesB)
        default: try operateOnWithoutRowid()
        }
    }

    func operateOnRowidTable(_ name: String, model path: WritableKeyPath<WriteModel, KeyedRows<Int64>>,
                             row: () -> [Value], entries: (Int64, [Value]) -> [(String, [Value])]) throws {
        let table = cursor(name)
        let choice = rng.below(10)
        if model[keyPath: path].isEmpty || choice < 5 {
            let rowid = rng.below(4) == 0 ? Int64(rng.below(1_000_000)) : 1_000_000 + model.nextRowid
            model.nextRowid += 1
            let values = row()
            if let old = model[keyPath: path][rowid] {
                try deleteEntries(entries(rowid, old))
                counts.updates += 1
            } else {
                counts.inserts += 1
            }
            try insertRow(table, rowid, values, config.encoding)
            try insertEntries(entries(rowid, values))
            model[keyPath: path][rowid] = values
        } else {
            let rowid = model[keyPath: path].randomKey(&rng)
            let old = model[keyPath: path][rowid]!
            try deleteEntries(entries(rowid, old))
            if choice < 8 {
                let values = row()
                try insertRow(table, rowid, values, config.encoding)
                try insertEntries(entries(rowid, values))
                model[keyPath: path][rowid] = values
                counts.updates += 1
            } else {
                guard try table.seek(rowid: rowid) == 0 else { throw SchemaError.unexpected("\(name) lacks \(rowid)") }
                try table.delete()
                model[keyPath: path][rowid] = nil
                counts.deletes += 1
            }
        }
    }

    func operateOnWithoutRowid() throws {
        let table = cursor("c")
        let choice = rng.below(10)
        func record(_ k: CKey, _ rest: [Value]) -> [Value] { [.text(k.p), .integer(k.q)] + rest }
        func entry(_ k: CKey, _ rest: [Value]) -> [(String, [Value])] {
            [("c_r", [rest[0], .text(k.p), .integer(k.q)])]
        }
        if model.c.isEmpty || choice < 5 {
            let key = CKey(p: Array("k\(rng.below(50))".utf8) + text(3), q: Int64(rng.below(100)))
            let rest = [anyValue(), payload()]
            if let old = model.c[key] {
                try removeC(key, old)
                counts.updates += 1
            } else {
                counts.inserts += 1
            }
            try insertEntry(table, record(key, rest), config.encoding)
            try insertEntries(entry(key, rest))
            model.c[key] = rest
        } else {
            let key = model.c.randomKey(&rng)
            try removeC(key, model.c[key]!)
            if choice < 8 {
                let rest = [anyValue(), payload()]
                try insertEntry(table, record(key, rest), config.encoding)
                try insertEntries(entry(key, rest))
                model.c[key] = rest
                counts.updates += 1
            } else {
                model.c[key] = nil
                counts.deletes += 1
            }
        }
    }

    /// Deletes the WITHOUT ROWID row `key` (found by its primary key alone) and its index entry.
    func removeC(_ key: CKey, _ rest: [Value]) throws {
        let table = cursor("c")
        guard try table.seek(key: SearchKey([.text(key.p), .integer(key.q)])) == 0 else {
            throw SchemaError.unexpected("c lacks \(key)")
        }
        try table.delete()
        try deleteEntries([("c_r", [rest[0], .text(key.p), .integer(key.q)])])
    }

    func resetCursors() {
        for c in cursors.values { c.reset() }
    }

    // MARK: checks

    /// Our b-tree walks equal the model (after a rollback, and at the end).
    func expectTablesMatchModel() throws {
        let a = try f.rows(roots["a"]!)
        #expect(a.map(\.0) == model.a.allKeys.sorted())
        #expect(a.allSatisfy { sameRow(model.a[$0.0] ?? [], $0.1) })
        let b = try f.rows(roots["b"]!)
        #expect(b.map(\.0) == model.b.allKeys.sorted())
        #expect(b.allSatisfy { sameRow(model.b[$0.0] ?? [], $0.1) })
        let c = try f.entries(roots["c"]!, keyInfo: Self.keyInfos["c"]!)
        #expect(c.count == model.c.count)
        for e in c {
            guard case .text(let p) = e[0], case .integer(let q) = e[1] else {
                Issue.record("c entry \(e) has no key")
                continue
            }
            #expect(model.c[CKey(p: p, q: q)].map { sameRow($0, Array(e[2...])) } == true)
        }
    }
}

@Suite struct WriteFidelityTests {
    @Test(arguments: WriteConfig.all)
    func randomChangesMatchTheModelInSQLite(config: WriteConfig) throws {
        let h = try WriteHarness(config)
        defer { h.f.directory.remove() }
        var done = 0
        while done < config.operations {
            try runTransaction(h, &done)
        }
        try h.expectTablesMatchModel()
        let total = h.counts.inserts + h.counts.updates + h.counts.deletes
        #expect(total >= config.operations)
        #expect(h.counts.rollbacks > 0 && h.counts.savepointRollbacks > 0)
        try expectSQLiteAgrees(h)
    }

    /// One transaction of a random size: commits (mostly) or rolls back; may contain a savepoint.
    func runTransaction(_ h: WriteHarness, _ done: inout Int) throws {
        try h.f.begin()
        let before = h.model
        let size = 1 + h.rng.below(h.rng.below(4) == 0 ? 600 : 60)
        let savepointAt = h.rng.below(3) == 0 ? h.rng.below(size) : -1
        var savepoint: (depth: Int, model: WriteModel)?
        for i in 0..<size {
            if i == savepointAt { savepoint = (h.f.pager.openSavepoint(), h.model) }
            try h.randomOperation()
            done += 1
            if h.config.vacuum == "incremental" && h.rng.below(50) == 0 {
                try h.f.tree.vacuumFreePages(limit: 1 + h.rng.below(20))
                h.resetCursors()
            }
        }
        if let sp = savepoint {
            if h.rng.below(2) == 0 {
                try h.f.pager.rollbackToSavepoint(sp.depth)
                h.resetCursors()
                h.model = sp.model
                h.counts.savepointRollbacks += 1
            }
            h.f.pager.releaseSavepoint(sp.depth)
        }
        if h.rng.below(10) == 0 {
            h.f.pager.rollback()
            h.resetCursors()
            h.model = before
            h.counts.rollbacks += 1
            if h.counts.rollbacks % 4 == 1 { try h.expectTablesMatchModel() }
            return
        }
        try h.f.commit()
        h.counts.commits += 1
        if h.config.vacuum == "full" {
            #expect(try h.f.tree.headerField(HeaderOffset.freelistCount) == 0)
        }
    }

    func expectSQLiteAgrees(_ h: WriteHarness) throws {
        let path = h.f.path
        let cli = try sqlite3CLI(path, "PRAGMA integrity_check;")
        #expect(cli.stdout == "ok\n", "sqlite3: \(cli.stdout) \(cli.stderr)")
        let oracle = try SQLiteOracle(path)
        let ours = h.f.tree.integrityCheck(tables: try integrityTables(oracle))
        #expect(ours.rows == ["ok"], "\(ours.rows)")
        let a = try oracle.query("SELECT rowid, x, y, z, w FROM a ORDER BY rowid")
        #expect(a.count == h.model.a.count)
        #expect(a.allSatisfy { row in h.model.a[int64(row[0])].map { sameRow($0, Array(row[1...])) } == true })
        let b = try oracle.query("SELECT rowid, k, big, t FROM b ORDER BY rowid")
        #expect(b.count == h.model.b.count)
        #expect(b.allSatisfy { row in h.model.b[int64(row[0])].map { sameRow($0, Array(row[1...])) } == true })
        let c = try oracle.query("SELECT p, q, r, s FROM c ORDER BY p, q DESC")
        #expect(c.count == h.model.c.count)
        for row in c {
            guard case .text(let p) = row[0], case .integer(let q) = row[1] else { continue }
            #expect(h.model.c[CKey(p: p, q: q)].map { sameRow($0, Array(row[2...])) } == true)
        }
        // Each index, in sqlite3's order through the index, is our walk of its b-tree.
        let indexQueries = [
            "a_xy": "SELECT x, y, rowid FROM a INDEXED BY a_xy ORDER BY x, y, rowid",
            "a_w": "SELECT w, rowid FROM a INDEXED BY a_w ORDER BY w DESC, rowid",
            "a_y": "SELECT y, rowid FROM a INDEXED BY a_y ORDER BY y COLLATE NOCASE, rowid",
            "b_t": "SELECT t, rowid FROM b INDEXED BY b_t ORDER BY t, rowid",
            "c_r": "SELECT r, p, q FROM c INDEXED BY c_r ORDER BY r, p, q DESC",
        ]
        for (name, sql) in indexQueries.sorted(by: { $0.key < $1.key }) {
            let theirs = try oracle.query(sql)
            let ours = try h.f.entries(h.roots[name]!, keyInfo: WriteHarness.keyInfos[name]!)
            #expect(ours.count == theirs.count, "\(name)")
            #expect(zip(ours, theirs).allSatisfy { sameRow($0.0, $0.1) }, "\(name) differs from sqlite3's order")
        }
    }
}

func int64(_ v: Value) -> Int64 {
    if case .integer(let i) = v { return i }
    return 0
}
