// Catalog: the schema of one database as the compiler sees it — tables and
// their columns, indexes, views and triggers — built from sqlite_schema.
//
// Names compare case-insensitively (ASCII folding); the catalog keys them
// folded and keeps each kind's objects in creation order too, so nothing the
// engine prints or does depends on Dictionary order (DESIGN.md, decision 6).
// The catalog is rebuilt from sqlite_schema whenever the schema cookie
// changes or a transaction that changed the schema rolls back.

import Base
import Storage
import SQL

/// A table column (https://sqlite.org/lang_createtable.html).
final class Column {
    var name: String
    /// The declared type as written (PRAGMA table_info's `type`), "" when none.
    var declaredType: String
    var affinity: Affinity
    var notNull = false
    var notNullConflict: ConflictAction = .abort
    /// The DEFAULT expression, and its text as PRAGMA table_info shows it.
    var defaultValue: Expr?
    var defaultText: String?
    var collation: Collation = .binary
    /// Position in the PRIMARY KEY (1-based, PRAGMA table_info's `pk`), 0 when not part of it.
    var primaryKeyPosition = 0
    /// GENERATED ALWAYS AS (…) expression, with STORED or VIRTUAL.
    var generated: (Expr, GeneratedStorage)?
    /// The source bytes the column definition's expressions refer to (for defaults and generated columns).
    var isHidden = false

    init(name: String, declaredType: String) {
        self.name = name
        self.declaredType = Column.storedType(declaredType)
        affinity = Affinity(declaredType: self.declaredType)
    }

    /// The declared type as SQLite keeps it (build.c, sqlite3AddColumn): one of the standard names ANY, BLOB,
    /// INT, INTEGER, REAL, TEXT in any case, alone or quoted, becomes that name in upper case; any other
    /// type is kept as written, except that a type starting with a quote keeps only what the quotes hold.
    static func storedType(_ written: String) -> String {
        guard let first = written.utf8.first, written.utf8.count >= 2 else { return written }
        var bytes = Array(written.utf8)
        let closing: UInt8? = first == 0x22 || first == 0x27 || first == 0x60 ? first : first == 0x5B ? 0x5D : nil
        // sqlite3DequoteToken: a token that is one quoted name, with no quote inside, loses its quotes.
        var token = bytes
        if closing != nil, !bytes[1..<(bytes.count - 1)].contains(where: { $0 == 0x22 || $0 == 0x27 || $0 == 0x60 || $0 == 0x5B }) {
            token = Array(bytes[1..<(bytes.count - 1)])
        }
        if token.count >= 3 {
            let upper = String(decoding: token.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 }, as: UTF8.self)
            if ["ANY", "BLOB", "INT", "INTEGER", "REAL", "TEXT"].contains(upper) { return upper }
        }
        // sqlite3Dequote: what the opening quote and its match enclose (a doubled quote stands for one).
        guard let closing else { return written }
        var out: [UInt8] = []
        var i = 1
        while i < bytes.count {
            if bytes[i] == closing {
                if closing != 0x5D, i + 1 < bytes.count, bytes[i + 1] == closing {
                    out.append(closing)
                    i += 2
                    continue
                }
                break
            }
            out.append(bytes[i])
            i += 1
        }
        bytes = out
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A table, or a view (which has columns but no b-tree).
final class Table {
    var name: String
    /// The database holding the table: main (0) or temp (1), sqlite3's iDb (set when catalogued).
    var database = 0
    var columns: [Column] = []
    var rootPage: UInt32 = 0
    var withoutRowid = false
    var strict = false
    /// The column that is the rowid (INTEGER PRIMARY KEY), if any.
    var rowidAlias: Int?
    /// PRIMARY KEY columns, in key order, with their sort directions.
    var primaryKey: [Int] = []
    var primaryKeyDescending: [Bool] = []
    var primaryKeyConflict: ConflictAction = .abort
    var autoincrement = false
    /// Indexes in creation order (sqlite_schema order).
    var indexes: [Index] = []
    var checks: [(name: String?, expr: Expr)] = []
    var sql: String
    /// Views: the SELECT and its optional column list.
    var viewSelect: Select?
    var viewColumnNames: [String]?
    /// A virtual table's module (CREATE VIRTUAL TABLE … USING module). swiftdb has no modules: the table
    /// is in the schema, and any use of it fails as sqlite3's does when the module is missing.
    var virtualModule: String?
    var triggers: [Trigger] = []
    /// Estimated row count (sqlite_stat1's first number), when ANALYZE ran.
    var estimatedRows: Int64?
    /// Part of a loaded catalog (not a table a DDL statement is still building): planner data may be cached.
    var isCatalogued = false
    /// The per-column arrays a FROM term over this table starts from. Kept once the table is part of a
    /// loaded catalog (which a schema change replaces rather than edits): every statement naming the
    /// table built all four arrays again.
    var termColumns: TermColumns {
        if isCatalogued, let c = cachedTermColumns { return c }
        let c = TermColumns(names: columns.map(\.name), affinities: columns.map(\.affinity),
                            collations: columns.map(\.collation),
                            declaredTypes: columns.map { $0.declaredType.isEmpty ? nil : $0.declaredType },
                            keys: columns.map { nameKey($0.name) })
        if isCatalogued { cachedTermColumns = c }
        return c
    }
    private var cachedTermColumns: TermColumns?
    struct TermColumns {
        let names: [String]
        let affinities: [Affinity]
        let collations: [Collation]
        let declaredTypes: [String?]
        /// nameKey of each name (FromTerm.columnKeys).
        let keys: [UInt64]
    }
    /// sqlite_sequence and the other internal tables may not be dropped or written by users.
    var isInternal: Bool { name.lowercased().hasPrefix("sqlite_") }
    var isView: Bool { viewSelect != nil }

    init(name: String, sql: String) {
        self.name = name
        self.sql = sql
    }

    /// The index of the column named `name` (ASCII case-insensitive), if any.
    func columnIndex(_ name: String) -> Int? {
        guard isCatalogued else { return columns.firstIndex { namesMatch($0.name, name) } }
        let c = termColumns
        return indexOfName(name, key: nameKey(name), in: c.names, keys: c.keys)
    }

    /// The primary-key index of a WITHOUT ROWID table (its own b-tree).
    var primaryKeyIndex: Index? { indexes.first { $0.origin == .primaryKey } }
}

/// One column of an index: a table column, the rowid, or an expression.
struct IndexColumn {
    enum Source {
        case column(Int)
        case rowid
        case expression(Expr)
    }
    var source: Source
    var collation: Collation
    var descending: Bool
}

/// An index (https://sqlite.org/lang_createindex.html), or the key of a WITHOUT ROWID table.
final class Index {
    enum Origin: String { case createIndex = "c", unique = "u", primaryKey = "pk" }

    var name: String
    unowned let table: Table
    /// The key columns, not counting the rowid (or, for WITHOUT ROWID, the extra PK columns) appended.
    var columns: [IndexColumn] = []
    var unique = false
    var onConflict: ConflictAction = .abort
    var origin: Origin = .createIndex
    var whereClause: Expr?
    var rootPage: UInt32 = 0
    var sql: String?
    /// sqlite_stat1's numbers after the row count: rows per distinct prefix.
    var stat: [Int64] = []
    /// Part of a loaded catalog: planner data may be cached.
    var isCatalogued = false

    init(name: String, table: Table) {
        self.name = name
        self.table = table
    }

    /// All fields of an index record: the key columns, then the rowid (rowid tables) or the
    /// primary-key columns not already in the key (WITHOUT ROWID tables). A key column counts as the
    /// primary-key column only with the same collation (build.c, isDupColumn): `ON t(c, a COLLATE
    /// BINARY)` on a NOCASE key column `a` stores `a` twice. A UNIQUE constraint's index stores the
    /// appended columns ascending even where the PRIMARY KEY is DESC: SQLite appends them after the
    /// index was made for a rowid table, without their sort order (convertToWithoutRowidTable, the
    /// bba7b69f9849b5bf bug), and the file's order follows.
    var recordColumns: [IndexColumn] {
        if isCatalogued, let c = cachedRecordColumns { return c }
        let c = computeRecordColumns()
        if isCatalogued { cachedRecordColumns = c }
        return c
    }
    private var cachedRecordColumns: [IndexColumn]?

    private func computeRecordColumns() -> [IndexColumn] {
        if origin == .primaryKey && table.withoutRowid { return columns }
        if !table.withoutRowid { return columns + [IndexColumn(source: .rowid, collation: .binary, descending: false)] }
        var out = columns
        for (i, c) in table.primaryKey.enumerated() {
            let coll = table.columns[c].collation
            let present = columns.contains {
                if case .column(let x) = $0.source { return x == c && $0.collation == coll } else { return false }
            }
            if !present {
                out.append(IndexColumn(source: .column(c), collation: coll,
                                       descending: origin == .unique ? false : table.primaryKeyDescending[i]))
            }
        }
        return out
    }

    /// How the records of this index compare. Kept once the index is part of a loaded catalog (which a
    /// schema change replaces rather than edits), since every statement that writes the table asks.
    var keyInfo: KeyInfo {
        if isCatalogued, let k = cachedKeyInfo { return k }
        let all = recordColumns
        let k = KeyInfo(collations: all.map(\.collation), descending: all.map(\.descending))
        if isCatalogued { cachedKeyInfo = k }
        return k
    }
    private var cachedKeyInfo: KeyInfo?
}

/// A trigger (https://sqlite.org/lang_createtrigger.html).
final class Trigger {
    var name: String
    /// The database whose schema holds the trigger (0 main, 1 temp), set when catalogued.
    var database = 0
    var tableName: String
    var definition: CreateTrigger
    var sql: String

    init(name: String, tableName: String, definition: CreateTrigger, sql: String) {
        self.name = name
        self.tableName = tableName
        self.definition = definition
        self.sql = sql
    }

    /// The database of the table the trigger is on, as `catalog` (the trigger's own schema) reads its
    /// CREATE TRIGGER: the database named before the table, else this schema when it has such a table,
    /// else main (a temp trigger on a main-database table, sqlite3FindTable's search order).
    func targetDatabase(in catalog: Catalog) -> Int {
        if let schema = definition.table.schema { return namesMatch(schema.name, "temp") ? 1 : 0 }
        return catalog.hasBuiltTable(tableName) ? catalog.database : 0
    }
}

/// One row of sqlite_schema kept unparsed until its object is first needed (see `Catalog`).
struct SchemaRow {
    var type: String
    var name: String
    var tableName: String
    var root: UInt32
    /// The CREATE statement; nil for an automatic index (its table's constraints define it).
    var sql: [UInt8]?
}

/// The schema of one database, main or temp.
///
/// Loaded lazily: SchemaLoader files each sqlite_schema row under its table's folded name without
/// parsing it, and a table (or view) is parsed and built — with its indexes and triggers, in
/// sqlite_schema order — the first time a lookup names it or one of its indexes or triggers. A
/// connection that opens a 10,000-table database to query one table parses one CREATE TABLE, not
/// 10,000 (sqlite3 parses them all at the first statement). A row that does not parse fails the
/// statement that first needs its object (or its table), with sqlite3's "malformed database schema
/// (name)" error, and keeps failing; sqlite3 fails every statement once any row is malformed
/// (docs/KNOWN-DIFFERENCES.md). `allTables()` builds every object first (VACUUM, ANALYZE,
/// integrity_check).
final class Catalog {
    /// Which database this is the schema of: main (0) or temp (1).
    let database: Int
    private var tables: [String: Table] = [:]
    private var indexes: [String: Index] = [:]
    private var triggers: [String: Trigger] = [:]
    /// Folded names of tables and views in sqlite_schema order (creation order), built or not.
    private var tableNames: [String] = []
    /// Table and view rows not built yet, by folded name.
    private var pendingTables: [String: SchemaRow] = [:]
    /// Index and trigger rows not built yet, by their table's folded name, in sqlite_schema order.
    private var pendingDependents: [String: [SchemaRow]] = [:]
    /// The folded table name each pending index or trigger belongs to, by the object's folded name.
    private var pendingOwners: [String: String] = [:]
    /// The table `build` is building (its name is listed already).
    private var building: String?
    /// The schema cookie this catalog was read at.
    var cookie: UInt32 = 0
    /// The planner's statistics and index descriptions, built on first use and kept while the catalog
    /// lives: a loaded catalog does not change (a schema change loads a new one), so neither do they.
    var plannerTables: [ObjectIdentifier: PlannerTableStatistics] = [:]
    var plannerIndexes: [ObjectIdentifier: PlanIndex] = [:]
    /// A catalogued table's planner probes for a FROM term with no index hint (see `Compiler.tableProbes`).
    var plannerProbes: [ObjectIdentifier: [PlanIndex]] = [:]
    /// Triggers of this (temp) schema on another database's table (CREATE TEMP TRIGGER … ON main.t), in
    /// creation order: they fire before the table's own (trigger.c, sqlite3TriggerList).
    private(set) var triggersOnOtherDatabases: [Trigger] = []

    init(database: Int = 0) {
        self.database = database
    }

    func table(_ name: String) throws(DBError) -> Table? {
        let key = foldName(name)
        if let t = tables[key] { return t }
        guard pendingTables[key] != nil else { return nil }
        try build(key)
        return tables[key]
    }

    func index(_ name: String) throws(DBError) -> Index? {
        let key = foldName(name)
        if indexes[key] == nil { try buildOwner(of: key) }
        return indexes[key]
    }

    func trigger(_ name: String) throws(DBError) -> Trigger? {
        let key = foldName(name)
        if triggers[key] == nil { try buildOwner(of: key) }
        return triggers[key]
    }

    /// Builds the table a pending index or trigger (folded name `key`) belongs to, if it is pending.
    private func buildOwner(of key: String) throws(DBError) {
        if let owner = pendingOwners[key] { try build(owner) }
    }

    /// True when `name` is a table or view already built (no lookup, no build).
    func hasBuiltTable(_ name: String) -> Bool { tables[foldName(name)] != nil }

    /// True when `name` is a table, view or index (names share one namespace in sqlite_schema).
    func hasTableOrIndex(_ name: String) throws(DBError) -> Bool {
        if try table(name) != nil { return true }
        return try index(name) != nil
    }

    /// The keys sqlite3 files in a freshly loaded schema's hash of tables (SchemaHash): "sqlite_master"
    /// (prepare.c names the schema table so), then each table and view in sqlite_schema order.
    var schemaHashNames: [String] {
        ["sqlite_master"] + tableNames.filter { $0 != "sqlite_schema" && $0 != "sqlite_master" }
    }

    /// Every table and view, in creation order, all built.
    func allTables() throws(DBError) -> [Table] {
        for key in tableNames where pendingTables[key] != nil { try build(key) }
        return tableNames.compactMap { tables[$0] }
    }

    /// Files a sqlite_schema row to be built when first needed (SchemaLoader).
    func addPending(_ row: SchemaRow) {
        switch row.type {
        case "index", "trigger":
            let owner = foldName(row.tableName)
            pendingDependents[owner, default: []].append(row)
            pendingOwners[foldName(row.name)] = owner
        default:
            let key = foldName(row.name)
            if pendingTables.updateValue(row, forKey: key) == nil && tables[key] == nil { tableNames.append(key) }
        }
    }

    /// Builds the pending table or view `key` (a folded name), then its indexes and triggers. When one
    /// of them fails, none is kept: the rows stay pending, so every later lookup fails the same way and
    /// no statement writes the table without all of its indexes.
    private func build(_ key: String) throws(DBError) {
        let row = pendingTables.removeValue(forKey: key)
        let rows = pendingDependents.removeValue(forKey: key) ?? []
        for r in rows { pendingOwners.removeValue(forKey: foldName(r.name)) }
        do throws(DBError) {
            if let row {
                building = key
                defer { building = nil }
                try SchemaLoader.build(row, into: self)
            }
            if tables[key] == nil, database == 1, rows.allSatisfy({ $0.type == "trigger" }) {
                // Temp triggers on a main-database table: kept apart (triggersOnOtherDatabases).
            } else if tables[key] == nil, let first = rows.first {
                throw SchemaLoader.malformed(first.name, DBError(.error, "no such table: \(first.tableName)"))
            }
            for r in rows { try SchemaLoader.build(r, into: self) }
        } catch {
            if row != nil, let t = tables.removeValue(forKey: key) {
                for i in t.indexes { indexes.removeValue(forKey: foldName(i.name)) }
                for tr in t.triggers { triggers.removeValue(forKey: foldName(tr.name)) }
            }
            if let row { pendingTables[key] = row }
            if !rows.isEmpty {
                pendingDependents[key] = rows
                for r in rows { pendingOwners[foldName(r.name)] = key }
            }
            throw error
        }
    }

    /// Builds every pending object (the temp schema is read whole: it is small, and its triggers on
    /// main-database tables must be known before any statement on those tables compiles).
    func buildAll() throws(DBError) {
        for key in tableNames where pendingTables[key] != nil { try build(key) }
        for key in pendingDependents.keys.sorted() { try build(key) }
    }

    func add(_ table: Table) {
        table.isCatalogued = true
        table.database = database
        let key = foldName(table.name)
        // A table built from its pending row has its place in `tableNames` already.
        if tables.updateValue(table, forKey: key) == nil && key != building { tableNames.append(key) }
    }

    func add(_ index: Index) {
        index.isCatalogued = true
        indexes[foldName(index.name)] = index
    }

    func add(_ trigger: Trigger) {
        trigger.database = database
        triggers[foldName(trigger.name)] = trigger
        if let t = tables[foldName(trigger.tableName)], trigger.targetDatabase(in: self) == database {
            t.triggers.append(trigger)
        } else {
            triggersOnOtherDatabases.append(trigger)
        }
    }

    /// The triggers of this schema on `table` of another database, in creation order.
    func triggers(onTableOf otherDatabase: Table) -> [Trigger] {
        triggersOnOtherDatabases.filter { namesMatch($0.tableName, otherDatabase.name) }
    }
}

/// A name folded for catalog lookups (ASCII lower case).
@inline(__always)
func foldName(_ s: String) -> String {
    var needs = false
    for b in s.utf8 where b >= 0x41 && b <= 0x5A {
        needs = true
        break
    }
    if !needs { return s }
    return String(decoding: s.utf8.map { ($0 &- 0x41) < 26 ? $0 | 0x20 : $0 }, as: UTF8.self)
}

/// ASCII case-insensitive name equality.
@inline(__always)
func namesMatch(_ a: String, _ b: String) -> Bool {
    let x = a.utf8, y = b.utf8
    guard x.count == y.count else { return false }
    // A name usually matches as written (same case): String's equality decides that from the two
    // strings' bits when they are small, and with one byte comparison otherwise. It is Unicode
    // equivalence, not byte equality, so it decides only for ASCII names (SQLite compares bytes).
    if a == b && x.allSatisfy({ $0 < 0x80 }) { return true }
    // Names are native strings: compare their bytes in place (iterating the views is many times slower,
    // and name resolution compares names several times per column reference).
    if let same = x.withContiguousStorageIfAvailable({ p in
        y.withContiguousStorageIfAvailable { q in bytesMatchFolded(p, q) }
    }), let same {
        return same
    }
    for (p, q) in zip(x, y) where asciiLower(p) != asciiLower(q) { return false }
    return true
}

@inline(__always)
private func bytesMatchFolded(_ p: UnsafeBufferPointer<UInt8>, _ q: UnsafeBufferPointer<UInt8>) -> Bool {
    var i = 0
    while i < p.count {
        let a = p[i], b = q[i]
        if a != b && asciiLower(a) != asciiLower(b) { return false }
        i += 1
    }
    return true
}
