// FileReader: a libFuzzer target that opens arbitrary bytes as a database.
//
// The input becomes a file of the in-memory back-end; the target opens it
// with the pager and b-tree layer, reads sqlite_schema, walks every tree it
// names (every entry, its rowid or key, its decoded record, and a seek back to
// it), walks the freelist, runs the integrity check and the quick check, then
// inserts into and deletes from a few trees and rolls that back.
// Any outcome but a trap, a hang or an unbounded allocation is a pass: a
// corrupt file must give SQLITE_NOTADB or SQLITE_CORRUPT (DESIGN.md, decision
// 7). Only the storage layer's public API is used, as the engine uses it.
// Build and run with run.sh; seeds are in corpus/ (make-corpus.sh).

import Base
import IO
import Storage

/// One object of sqlite_schema: its type, name, table, root page and whether it is a WITHOUT ROWID table.
struct SchemaObject {
    var type: String
    var name: String
    var table: String
    var root: UInt32
    var withoutRowid: Bool
}

func text(_ v: Value) -> String {
    if case .text(let t) = v { return String(decoding: t, as: UTF8.self) }
    return ""
}

func readSchema(_ tree: BTree, limit: Int) throws(DBError) -> [SchemaObject] {
    let c = BTreeCursor(tree: tree, root: 1, isTable: true)
    var out: [SchemaObject] = []
    var more = try c.first()
    var steps = 0
    while more && steps < limit {
        let row = try c.values()
        if row.count >= 5, case .integer(let root) = row[3], root > 0, root <= Int64(UInt32.max) {
            let sql = text(row[4]).uppercased()
            out.append(SchemaObject(type: text(row[0]), name: text(row[1]), table: text(row[2]), root: UInt32(root),
                                    withoutRowid: sql.contains("WITHOUT ROWID")))
        }
        more = try c.next()
        steps += 1
    }
    return out
}

/// Reads every entry of one tree and seeks back to every tenth.
func walk(_ tree: BTree, _ object: SchemaObject, limit: Int) throws(DBError) {
    let isTable = object.type == "table" && !object.withoutRowid
    let c = BTreeCursor(tree: tree, root: object.root, isTable: isTable)
    var more = try c.first()
    var steps = 0
    var keys: [Int64] = []
    var records: [[Value]] = []
    while more && steps < limit {
        if isTable { keys.append(try c.rowid) }
        let values = try c.values()
        if !isTable && steps % 10 == 0 { records.append(values) }
        _ = try c.payloadSize
        more = try c.next()
        steps += 1
    }
    for (i, k) in keys.enumerated() where i % 10 == 0 { _ = try c.seek(rowid: k) }
    for r in records { _ = try c.seek(key: SearchKey(r)) }
    _ = try c.last()
    if c.isValid { _ = try c.previous() }
}

/// Follows the freelist trunk chain, at most one step per page of the file.
func walkFreelist(_ tree: BTree, _ pager: Pager) throws(DBError) {
    var trunk = try tree.headerField(HeaderOffset.firstFreelistTrunk)
    var steps: UInt32 = 0
    while trunk != 0 && steps <= pager.pageCount {
        let page = try pager.get(trunk)
        let next = UInt32(bigEndian: page.data.loadUnaligned(as: UInt32.self))
        pager.release(page)
        trunk = next
        steps += 1
    }
}

func integrityTables(_ objects: [SchemaObject]) -> [IntegrityTable] {
    var tables: [IntegrityTable] = [.schemaTable]
    for o in objects where o.type == "table" {
        var t = IntegrityTable(name: o.name, root: o.root, columns: [IntegrityColumn(name: "a", notNull: true),
                                                                      IntegrityColumn(name: "b", affinity: .text)])
        if o.withoutRowid { t.primaryKey = IntegrityPrimaryKey(fieldCount: 1, keyInfo: KeyInfo(binaryFields: 1)) }
        for i in objects where i.type == "index" && i.table == o.name {
            let fields: [IndexField] = o.withoutRowid ? [.column(1), .column(0)] : [.column(0), .rowid]
            t.indexes.append(IntegrityIndex(name: i.name, root: i.root, fields: fields,
                                            isUnique: i.name.hasSuffix("1")))
        }
        tables.append(t)
    }
    return tables
}

/// Changes a few trees (inserts that split pages, deletes that merge them, a dropped tree, vacuuming),
/// then commits or rolls back: writes must fail cleanly on a corrupt file too.
func writeSomeTrees(_ tree: BTree, _ pager: Pager, _ objects: [SchemaObject], commit: Bool) throws(DBError) {
    try pager.beginWrite()
    defer { pager.rollback() }
    for o in objects.prefix(4) {
        let isTable = o.type == "table" && !o.withoutRowid
        let c = BTreeCursor(tree: tree, root: o.root, isTable: isTable)
        for k in 0..<12 {
            let values: [Value] = [.integer(Int64(k)), .text(Array("fuzz".utf8)),
                                   .blob([UInt8](repeating: 1, count: k * 97))]
            let record = RecordEncoder.encode(values, encoding: tree.encoding)
            try typedThrows {
                try record.withUnsafeBytes { b in
                    if isTable {
                        try c.insert(rowid: 1 << 40 + Int64(k), record: b)
                    } else {
                        try c.insert(indexRecord: b)
                    }
                }
            }
        }
        for _ in 0..<8 where try c.first() { try c.delete() }
        if try c.last() { try c.delete() }
    }
    if let victim = objects.last { _ = try tree.dropTree(victim.root) }
    try tree.vacuumFreePages(limit: 3)
    try tree.autoVacuumBeforeCommit()
    if commit { try pager.commit() }
}

func fuzzOne(_ bytes: [UInt8]) {
    let fs = MemoryFileSystem()
    fs.setContents(of: "fuzz.db", bytes)
    let io = MemoryBackend(fileSystem: fs)
    var options = PagerOptions()
    options.cacheSize = 64
    guard let pager = try? Pager(io: io, path: "fuzz.db", options: options),
          let tree = try? BTree(pager: pager) else { return }
    try? pager.beginRead()
    let limit = Int(pager.pageCount) * (pager.pageSize / 6 + 1)
    let objects = (try? readSchema(tree, limit: limit)) ?? []
    for o in objects { try? walk(tree, o, limit: limit) }
    try? walkFreelist(tree, pager)
    let tables = integrityTables(objects)
    let full = tree.integrityCheck(tables: tables)
    let quick = tree.integrityCheck(tables: tables, options: IntegrityCheckOptions(maxErrors: 3, quick: true))
    if full.rows.isEmpty && full.error == nil || quick.rows.isEmpty && quick.error == nil {
        fatalError("an integrity check returned neither rows nor an error")
    }
    try? writeSomeTrees(tree, pager, objects, commit: bytes.last.map { $0 & 1 == 1 } ?? false)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzOne(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
