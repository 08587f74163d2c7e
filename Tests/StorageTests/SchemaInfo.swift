// SchemaInfo: a database's tables and indexes as libsqlite3 describes them
// (PRAGMA table_list, table_xinfo, index_list, index_xinfo), for tests that
// read b-trees directly and must know what the records hold — and the
// IntegrityTable descriptions the engine will build from sqlite_schema
// itself, built here from sqlite3's own answers.
import Base
@testable import Storage
import TestSupport

struct ColumnInfo {
    var cid: Int
    var name: String
    var declaredType: String
    var notNull: Bool
    var defaultSQL: String?
    /// PRAGMA table_xinfo's `hidden`: 2 virtual generated (not stored), 3 stored generated.
    var hidden: Int
    var isRowidAlias = false
    var defaultValue: Value = .null

    var isStored: Bool { hidden != 2 }

    /// sqlite3AffinityType (datatype3.html 3.1).
    var affinity: ColumnAffinity {
        let t = declaredType.uppercased()
        if t.contains("INT") { return .integer }
        if t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT") { return .text }
        if t.contains("BLOB") || t.isEmpty { return .blob }
        if t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB") { return .real }
        return .numeric
    }
}

struct IndexFieldInfo {
    /// Table column (declaration order); -1 the rowid, -2 an expression.
    var cid: Int
    var name: String?
    var descending: Bool
    var collation: Collation
    var isKey: Bool
}

struct IndexInfo {
    var name: String
    var root: UInt32
    var isUnique: Bool
    var isPartial: Bool
    var fields: [IndexFieldInfo]

    var keyInfo: KeyInfo {
        KeyInfo(collations: fields.map(\.collation), descending: fields.map(\.descending))
    }
}

struct TableInfo {
    var name: String
    var root: UInt32
    var withoutRowid: Bool
    var strict: Bool
    /// Every column, in declaration order.
    var columns: [ColumnInfo]
    /// Stored columns in record order (cids).
    var storageOrder: [Int]
    /// Secondary indexes in sqlite3's order (PRAGMA index_list).
    var indexes: [IndexInfo]
    /// WITHOUT ROWID: the primary-key index (whose root is the table's).
    var primaryKey: IndexInfo?

    var storedColumns: [ColumnInfo] { storageOrder.map { columns[$0] } }

    /// The record position of table column `cid`.
    func storagePosition(_ cid: Int) -> Int? { storageOrder.firstIndex(of: cid) }
}

enum SchemaError: Error { case unexpected(String) }

func text(_ v: Value) -> String {
    if case .text(let t) = v { return String(decoding: t, as: UTF8.self) }
    return ""
}

func integer(_ v: Value) -> Int {
    if case .integer(let i) = v { return Int(i) }
    return 0
}

/// Every table of the database behind `oracle` (sqlite_schema excluded), in sqlite_schema order.
func describeTables(_ oracle: SQLiteOracle) throws -> [TableInfo] {
    let flags = try oracle.query("SELECT name, wr, strict FROM pragma_table_list WHERE schema='main'")
    var withoutRowid: [String: Bool] = [:], strict: [String: Bool] = [:]
    for f in flags {
        withoutRowid[text(f[0])] = integer(f[1]) != 0
        strict[text(f[0])] = integer(f[2]) != 0
    }
    var roots: [String: UInt32] = [:]
    for r in try oracle.query("SELECT name, rootpage FROM sqlite_schema WHERE type='index'") {
        roots[text(r[0])] = UInt32(integer(r[1]))
    }
    var tables: [TableInfo] = []
    let rows = try oracle.query("SELECT name, rootpage FROM sqlite_schema WHERE type='table' AND rootpage>0 "
                                + "ORDER BY rowid")
    for row in rows {
        let name = text(row[0])
        var t = TableInfo(name: name, root: UInt32(integer(row[1])), withoutRowid: withoutRowid[name] ?? false,
                          strict: strict[name] ?? false, columns: [], storageOrder: [], indexes: [])
        for c in try oracle.query("SELECT cid, name, type, \"notnull\", dflt_value, hidden FROM pragma_table_xinfo(?)",
                                  [.text(Array(name.utf8))]) {
            var col = ColumnInfo(cid: integer(c[0]), name: text(c[1]), declaredType: text(c[2]),
                                 notNull: integer(c[3]) != 0, defaultSQL: c[4].isNull ? nil : text(c[4]),
                                 hidden: integer(c[5]))
            if let d = col.defaultSQL { col.defaultValue = try oracle.query("SELECT \(d)")[0][0] }
            t.columns.append(col)
        }
        let list = try oracle.query("SELECT name, \"unique\", origin, partial FROM pragma_index_list(?) ORDER BY seq",
                                    [.text(Array(name.utf8))])
        for i in list {
            let iname = text(i[0])
            var info = IndexInfo(name: iname, root: roots[iname] ?? 0, isUnique: integer(i[1]) != 0,
                                 isPartial: integer(i[3]) != 0, fields: [])
            for x in try oracle.query("SELECT cid, name, \"desc\", coll, key FROM pragma_index_xinfo(?) ORDER BY seqno",
                                      [.text(Array(iname.utf8))]) {
                info.fields.append(IndexFieldInfo(cid: integer(x[0]), name: x[1].isNull ? nil : text(x[1]),
                                                  descending: integer(x[2]) != 0,
                                                  collation: Collation(name: text(x[3])) ?? .binary,
                                                  isKey: integer(x[4]) != 0))
            }
            if t.withoutRowid && text(i[2]) == "pk" {
                info.root = t.root
                t.primaryKey = info
            } else {
                t.indexes.append(info)
            }
        }
        if let pk = t.primaryKey {
            t.storageOrder = pk.fields.map(\.cid)
        } else {
            t.storageOrder = t.columns.filter(\.isStored).map(\.cid)
            let pkColumns = try oracle.query("SELECT cid, type FROM pragma_table_info(?) WHERE pk>0",
                                             [.text(Array(name.utf8))])
            let hasPKIndex = list.contains { text($0[2]) == "pk" }
            if pkColumns.count == 1, text(pkColumns[0][1]).uppercased() == "INTEGER", !hasPKIndex {
                t.columns[integer(pkColumns[0][0])].isRowidAlias = true
            }
        }
        tables.append(t)
    }
    return tables
}

/// The integrity-check description of `tables`, in the order SQLite's schema hash yields them for small
/// schemas (newest table first, sqlite_schema last).
func integrityTables(_ tables: [TableInfo]) -> [IntegrityTable] {
    var out: [IntegrityTable] = []
    for t in tables.reversed() {
        let columns = t.storedColumns.map { c in
            IntegrityColumn(name: c.name, defaultValue: c.defaultValue, notNull: c.notNull, affinity: c.affinity,
                            strictType: t.strict ? StrictType(rawValue: c.declaredType.uppercased()) : nil,
                            isRowidAlias: c.isRowidAlias)
        }
        let primaryKey = t.primaryKey.map { pk in
            IntegrityPrimaryKey(fieldCount: pk.fields.filter(\.isKey).count, keyInfo: pk.keyInfo)
        }
        let indexes = t.indexes.map { i in
            IntegrityIndex(name: i.name, root: i.root, fields: i.fields.map { f in
                if f.cid < 0 || t.columns[f.cid].isRowidAlias { return IndexField.rowid }
                return IndexField.column(t.storagePosition(f.cid) ?? -1)
            }, keyFieldCount: i.fields.filter(\.isKey).count, keyInfo: i.keyInfo, isUnique: i.isUnique)
        }
        out.append(IntegrityTable(name: t.name, root: t.root, columns: columns, primaryKey: primaryKey,
                                  indexes: indexes, isStrict: t.strict))
    }
    out.append(.schemaTable)
    return out
}

/// The integrity-check description of the database behind `oracle`.
func integrityTables(_ oracle: SQLiteOracle) throws -> [IntegrityTable] {
    integrityTables(try describeTables(oracle))
}
