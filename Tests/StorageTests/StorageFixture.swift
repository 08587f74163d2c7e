// StorageFixture: a database file driven through the storage layer alone —
// pager, b-trees and a hand-maintained sqlite_schema — so sqlite3 can check
// what swiftdb wrote without the SQL engine in between.
import Base
import IO
@testable import Storage
import TestSupport

final class StorageFixture {
    let directory: TemporaryDirectory
    let path: String
    let pager: Pager
    let tree: BTree

    init(pageSize: Int = 4096, autoVacuum: Bool = false, incremental: Bool = false, encoding: TextEncoding = .utf8,
         cacheSize: Int = -2000, path existing: String? = nil) throws {
        directory = TemporaryDirectory("swiftdb-storage")
        path = existing ?? directory.file("test.db")
        var options = PagerOptions()
        options.pageSize = pageSize
        options.cacheSize = cacheSize
        pager = try Pager(io: SyscallBackend(), path: path, options: options)
        tree = try BTree(pager: pager)
        if pager.pageCount == 0 {
            try pager.beginWrite()
            try tree.createDatabase(autoVacuum: autoVacuum, incremental: incremental, encoding: encoding)
            try commit()
        }
    }

    func begin() throws { try pager.beginWrite() }

    func commit() throws {
        try tree.autoVacuumBeforeCommit()
        try pager.commit()
    }

    /// Adds a row to sqlite_schema and bumps the schema cookie, as CREATE does.
    func addSchemaRow(type: String, name: String, table: String, root: UInt32, sql: String?) throws {
        let schema = BTreeCursor(tree: tree, root: 1, isTable: true)
        let rowid = (try schema.last() ? try schema.rowid : 0) + 1
        let record = RecordEncoder.encode([.text(type), .text(name), .text(table), .integer(Int64(root)),
                                           sql.map { Value.text($0) } ?? .null], encoding: tree.encoding)
        try record.withUnsafeBytes { try schema.insert(rowid: rowid, record: $0) }
        try tree.setHeaderField(HeaderOffset.schemaCookie, try tree.headerField(HeaderOffset.schemaCookie) + 1)
    }

    /// Creates a table b-tree and its schema row.
    func createTable(_ name: String, _ sql: String, withoutRowid: Bool = false) throws -> UInt32 {
        let root = try tree.createTree(table: !withoutRowid)
        try addSchemaRow(type: "table", name: name, table: name, root: root, sql: sql)
        return root
    }

    /// Creates an index b-tree and its schema row.
    func createIndex(_ name: String, on table: String, _ sql: String) throws -> UInt32 {
        let root = try tree.createTree(table: false)
        try addSchemaRow(type: "index", name: name, table: table, root: root, sql: sql)
        return root
    }

    /// Every row of a table b-tree as (rowid, values), in rowid order.
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

    /// Every entry of an index b-tree, in key order.
    func entries(_ root: UInt32, keyInfo: KeyInfo) throws -> [[Value]] {
        let c = BTreeCursor(tree: tree, root: root, isTable: false, keyInfo: keyInfo)
        var out: [[Value]] = []
        var more = try c.first()
        while more {
            out.append(try c.values())
            more = try c.next()
        }
        return out
    }
}

func insertRow(_ cursor: BTreeCursor, _ rowid: Int64, _ values: [Value], _ encoding: TextEncoding = .utf8) throws {
    let record = RecordEncoder.encode(values, encoding: encoding)
    try record.withUnsafeBytes { try cursor.insert(rowid: rowid, record: $0) }
}

func insertEntry(_ cursor: BTreeCursor, _ values: [Value], _ encoding: TextEncoding = .utf8) throws {
    let record = RecordEncoder.encode(values, encoding: encoding)
    try record.withUnsafeBytes { try cursor.insert(indexRecord: $0) }
}
