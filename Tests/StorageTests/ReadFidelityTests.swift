// Read fidelity: swiftdb reads every row of every table and every entry of
// every index of databases the sqlite3 CLI wrote (TestSupport/CorpusGenerator.swift)
// exactly as libsqlite3 returns them, and its integrity check says "ok" on
// each, as sqlite3's does.
//
// What a record holds differs from what SELECT returns in three documented
// ways (fileformat2.html 2.1, datatype3.html 3.4), and the comparison applies
// them to swiftdb's side, as the engine will: an INTEGER PRIMARY KEY is stored
// as NULL and reads as the rowid; a REAL column stores integral values as
// integers; a record shorter than the table (ALTER TABLE ADD COLUMN) reads
// the column's default for the missing fields.
import Foundation
import Testing
import Base
import IO
@testable import Storage
import TestSupport

/// Bit-exact value equality: -0.0 is not 0.0, and text compares byte for byte.
func sameValue(_ a: Value, _ b: Value) -> Bool {
    if case .real(let x) = a, case .real(let y) = b { return x.bitPattern == y.bitPattern }
    return a == b
}

func sameRow(_ a: [Value], _ b: [Value]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { sameValue($0, $1) }
}

func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

/// A database file opened through swiftdb's storage layer, read-only use.
final class StorageReader {
    let pager: Pager
    let tree: BTree

    init(_ path: String) throws {
        pager = try Pager(io: SyscallBackend(), path: path)
        tree = try BTree(pager: pager)
        try pager.beginRead()
    }

    /// Every entry of a table b-tree: (rowid, record values), in b-tree order.
    func rows(_ root: UInt32) throws -> [(Int64, [Value])] {
        let c = BTreeCursor(tree: tree, root: root, isTable: true)
        var out: [(Int64, [Value])] = []
        var more = try c.first()
        while more {
            out.append((try c.rowid, try c.values()))
            more = try c.next()
        }
        return out
    }

    /// Every entry of an index b-tree, in b-tree order.
    func entries(_ root: UInt32) throws -> [[Value]] {
        let c = BTreeCursor(tree: tree, root: root, isTable: false)
        var out: [[Value]] = []
        var more = try c.first()
        while more {
            out.append(try c.values())
            more = try c.next()
        }
        return out
    }
}

/// The serial types in the header of `record` (fileformat2.html 2.1).
func serialTypes(_ record: [UInt8]) -> [UInt64] {
    record.withUnsafeBytes { b in
        guard let p = b.baseAddress else { return [] }
        let (h, n) = readVarint(p, p + b.count)
        var out: [UInt64] = []
        var i = n
        while i < min(Int(h), b.count) {
            let (t, m) = readVarint(p + i, p + Int(h))
            if m == 0 { break }
            out.append(t)
            i += m
        }
        return out
    }
}

/// A stored value as SELECT shows it: REAL columns turn integral integers back into reals.
func asSelected(_ v: Value, _ column: ColumnInfo?) -> Value {
    if let column, column.affinity == .real, case .integer(let i) = v { return .real(Double(i)) }
    return v
}

@Suite struct ReadFidelityTests {
    @Test(arguments: Corpus.specs)
    func everyRowAndIndexEntryMatchesSQLite(spec: CorpusSpec) throws {
        let dir = TemporaryDirectory("swiftdb-corpus")
        defer { dir.remove() }
        let path = try spec.build(in: dir)
        let oracle = try SQLiteOracle(path)
        let reader = try StorageReader(path)
        try expectSchemaTableMatches(reader, oracle)
        let tables = try describeTables(oracle)
        for t in tables {
            if t.withoutRowid {
                try expectWithoutRowidTableMatches(t, reader, oracle)
            } else {
                try expectRowidTableMatches(t, reader, oracle)
            }
            for index in t.indexes { try expectIndexMatches(index, of: t, reader, oracle) }
        }
        try expectCorpusCovers(spec, reader, tables)
        #expect(try oracle.integrityCheck() == ["ok"])
        let ours = reader.tree.integrityCheck(tables: integrityTables(tables))
        #expect(ours.rows == ["ok"], "\(ours.rows) \(String(describing: ours.error))")
        let quick = reader.tree.integrityCheck(tables: integrityTables(tables),
                                               options: IntegrityCheckOptions(quick: true))
        #expect(quick.rows == ["ok"])
    }

    /// The file is what the spec asked for: header fields, every serial type, the large cases, a freelist.
    func expectCorpusCovers(_ spec: CorpusSpec, _ reader: StorageReader, _ tables: [TableInfo]) throws {
        let header = try reader.tree.header()
        #expect(header.pageSize == spec.pageSize)
        #expect(header.textEncoding.name == spec.encoding)
        #expect(header.reservedBytes == spec.reservedBytes)
        #expect(header.isAutoVacuum == (spec.autoVacuum != "NONE"))
        #expect((header.incrementalVacuum != 0) == (spec.autoVacuum == "INCREMENTAL"))
        let root = { (name: String) in tables.first { $0.name == name }?.root ?? 0 }
        if spec.contents.contains(.types) {
            var types = Set<UInt64>()
            let c = BTreeCursor(tree: reader.tree, root: root("types"), isTable: true)
            var more = try c.first()
            while more {
                types.formUnion(try serialTypes(c.payload()))
                more = try c.next()
            }
            #expect(Set(0...9).isSubset(of: types), "serial types \(types.sorted())")
            #expect(types.contains(12) && types.contains(13))
            #expect(types.contains { $0 > 13 && $0 & 1 == 0 } && types.contains { $0 > 13 && $0 & 1 == 1 })
        }
        if spec.contents.contains(.big) { #expect(try reader.rows(root("big")).count == 100_000) }
        if spec.contents.contains(.manyTables) { #expect(tables.count >= 210) }
        if spec.contents.contains(.huge) {
            let sizes = try reader.rows(root("huge")).map { $0.1.map { v -> Int in
                if case .blob(let b) = v { return b.count }
                if case .text(let t) = v { return t.count }
                return 0
            }.max() ?? 0 }
            #expect(sizes.max() ?? 0 >= 1_000_000)
        }
        if spec.contents.contains(.indexed) && spec.autoVacuum != "FULL" {
            #expect(header.freelistCount > 0)
        }
    }

    func expectSchemaTableMatches(_ reader: StorageReader, _ oracle: SQLiteOracle) throws {
        let ours = try reader.rows(1)
        let theirs = try oracle.query("SELECT rowid, type, name, tbl_name, rootpage, sql FROM sqlite_schema "
                                      + "ORDER BY rowid")
        #expect(ours.count == theirs.count)
        for (o, t) in zip(ours, theirs) {
            #expect(sameRow([.integer(o.0)] + o.1, t))
        }
    }

    func expectRowidTableMatches(_ t: TableInfo, _ reader: StorageReader, _ oracle: SQLiteOracle) throws {
        let stored = t.storedColumns
        let list = stored.map { quoted($0.name) }.joined(separator: ", ")
        let columns = list.isEmpty ? "" : ", " + list
        let theirs = try oracle.query("SELECT rowid\(columns) FROM \(quoted(t.name)) ORDER BY rowid")
        let ours = try reader.rows(t.root)
        #expect(ours.count == theirs.count, "\(t.name): \(ours.count) rows, sqlite3 has \(theirs.count)")
        var mismatches = 0
        for (o, expected) in zip(ours, theirs) {
            let (rowid, record) = o
            #expect(record.count <= stored.count, "\(t.name) row \(rowid): \(record.count) fields")
            var row: [Value] = [.integer(rowid)]
            for (p, column) in stored.enumerated() {
                var v = p < record.count ? record[p] : column.defaultValue
                if column.isRowidAlias {
                    #expect(v == .null, "\(t.name) row \(rowid): INTEGER PRIMARY KEY stored as \(v)")
                    v = .integer(rowid)
                }
                row.append(asSelected(v, column))
            }
            if !sameRow(row, expected) {
                mismatches += 1
                if mismatches <= 3 { Issue.record("\(t.name) row \(rowid): swiftdb \(row), sqlite3 \(expected)") }
            }
        }
        #expect(mismatches == 0, "\(t.name): \(mismatches) rows differ")
    }

    func expectWithoutRowidTableMatches(_ t: TableInfo, _ reader: StorageReader, _ oracle: SQLiteOracle) throws {
        guard let pk = t.primaryKey else { return }
        let stored = t.storedColumns
        let list = stored.map { quoted($0.name) }.joined(separator: ", ")
        let order = orderBy(pk.fields.filter(\.isKey), t)
        let theirs = try oracle.query("SELECT \(list) FROM \(quoted(t.name)) ORDER BY \(order)")
        let ours = try reader.entries(t.root).map { record in
            record.enumerated().map { asSelected($0.element, $0.offset < stored.count ? stored[$0.offset] : nil) }
        }
        #expect(ours.count == theirs.count, "\(t.name): \(ours.count) rows, sqlite3 has \(theirs.count)")
        let mismatches = zip(ours, theirs).filter { !sameRow($0.0, $0.1) }
        #expect(mismatches.isEmpty, "\(t.name): \(mismatches.count) rows differ, first \(mismatches.first as Any)")
    }

    func expectIndexMatches(_ index: IndexInfo, of t: TableInfo, _ reader: StorageReader,
                            _ oracle: SQLiteOracle) throws {
        let columns: [ColumnInfo?] = index.fields.map { $0.cid >= 0 ? t.columns[$0.cid] : nil }
        let list = index.fields.map { $0.cid >= 0 ? quoted(t.columns[$0.cid].name) : "rowid" }.joined(separator: ", ")
        let sql = "SELECT \(list) FROM \(quoted(t.name)) INDEXED BY \(quoted(index.name)) "
            + "ORDER BY \(orderBy(index.fields, t))"
        let theirs = try oracle.query(sql)
        let ours = try reader.entries(index.root).map { record in
            record.enumerated().map { asSelected($0.element, $0.offset < columns.count ? columns[$0.offset] : nil) }
        }
        #expect(ours.count == theirs.count, "\(index.name): \(ours.count) entries, sqlite3 has \(theirs.count)")
        let mismatches = zip(ours, theirs).filter { !sameRow($0.0, $0.1) }
        #expect(mismatches.isEmpty,
                "\(index.name): \(mismatches.count) entries differ, first \(mismatches.first as Any)")
    }

    /// An ORDER BY clause that sorts as the index's fields do.
    func orderBy(_ fields: [IndexFieldInfo], _ t: TableInfo) -> String {
        fields.map { f in
            let name = f.cid >= 0 ? quoted(t.columns[f.cid].name) : "rowid"
            return "\(name) COLLATE \(f.collation.name)\(f.descending ? " DESC" : "")"
        }.joined(separator: ", ")
    }
}
