// IntegritySchema: what the integrity check is told about the database's
// tables and indexes, so it can check more than the b-trees' shape.
//
// The storage layer cannot read CREATE statements; a caller that parsed
// sqlite_schema (the engine) describes each table: its root page, the columns
// of its records in storage order, and for each index which record fields
// (or the rowid) make up an entry. For a WITHOUT ROWID table the table b-tree
// is an index b-tree whose records start with the primary-key columns
// (fileformat2.html 2.5); `primaryKey` says how many and how they compare.
// Tables are checked in the order given: SQLite checks them in its schema
// hash's order, and indexes newest first, which a caller matching sqlite3's
// output line for line reproduces by listing them that way. sqlite_schema
// itself is a table like any other (root page 1).

import Base

/// One table of the schema, as PRAGMA integrity_check sees it.
public struct IntegrityTable {
    public var name: String
    /// Root page of the table's b-tree; 0 when it has none (a view or a virtual table), which skips it.
    public var root: UInt32
    /// The columns stored in each record, in record order (INTEGER PRIMARY KEY included, stored as NULL).
    public var columns: [IntegrityColumn]
    /// Set for a WITHOUT ROWID table: its records are keyed by their leading fields.
    public var primaryKey: IntegrityPrimaryKey?
    /// The table's indexes (for a WITHOUT ROWID table, not its primary key), in checking order.
    public var indexes: [IntegrityIndex]
    /// A STRICT table: declared column types are enforced exactly.
    public var isStrict: Bool

    public init(name: String, root: UInt32, columns: [IntegrityColumn] = [], primaryKey: IntegrityPrimaryKey? = nil,
                indexes: [IntegrityIndex] = [], isStrict: Bool = false) {
        self.name = name
        self.root = root
        self.columns = columns
        self.primaryKey = primaryKey
        self.indexes = indexes
        self.isStrict = isStrict
    }

    public var isWithoutRowid: Bool { primaryKey != nil }

    /// sqlite_schema: the table at page 1 with its five columns.
    public static var schemaTable: IntegrityTable {
        IntegrityTable(name: "sqlite_schema", root: 1, columns: [
            IntegrityColumn(name: "type", affinity: .text), IntegrityColumn(name: "name", affinity: .text),
            IntegrityColumn(name: "tbl_name", affinity: .text), IntegrityColumn(name: "rootpage", affinity: .integer),
            IntegrityColumn(name: "sql", affinity: .text),
        ])
    }
}

/// The primary key of a WITHOUT ROWID table: its first `fieldCount` record fields, compared under `keyInfo`.
public struct IntegrityPrimaryKey {
    public var fieldCount: Int
    public var keyInfo: KeyInfo

    public init(fieldCount: Int, keyInfo: KeyInfo) {
        self.fieldCount = fieldCount
        self.keyInfo = keyInfo
    }
}

/// A column's affinity (datatype3.html 3), which the per-row datatype checks follow.
public enum ColumnAffinity: Sendable {
    case blob, text, numeric, integer, real
}

/// A declared type of a STRICT table column (stricttables.html).
public enum StrictType: String, Sendable {
    case any = "ANY", blob = "BLOB", int = "INT", integer = "INTEGER", real = "REAL", text = "TEXT"
}

/// One stored column of a table.
public struct IntegrityColumn {
    public var name: String
    /// The value a record too short to hold this column stands for (ALTER TABLE ADD COLUMN ... DEFAULT).
    public var defaultValue: Value
    public var notNull: Bool
    public var affinity: ColumnAffinity
    /// STRICT tables: the declared type.
    public var strictType: StrictType?
    /// The INTEGER PRIMARY KEY of a rowid table: its value is the rowid and it is not checked.
    public var isRowidAlias: Bool

    public init(name: String, defaultValue: Value = .null, notNull: Bool = false, affinity: ColumnAffinity = .blob,
                strictType: StrictType? = nil, isRowidAlias: Bool = false) {
        self.name = name
        self.defaultValue = defaultValue
        self.notNull = notNull
        self.affinity = affinity
        self.strictType = strictType
        self.isRowidAlias = isRowidAlias
    }
}

/// Where one field of an index entry comes from.
public enum IndexField: Sendable, Equatable {
    /// Field `n` of the table's record (storage order).
    case column(Int)
    /// The row's rowid (rowid tables only).
    case rowid
}

/// A row of a table as the index checks see it: the rowid (nil for WITHOUT ROWID) and the record's values.
public struct IntegrityRow {
    public var rowid: Int64?
    public var values: [Value]
}

/// One index of a table.
public struct IntegrityIndex {
    public var name: String
    public var root: UInt32
    /// Every field of an entry, in order: the indexed columns, then the rowid (or the primary-key columns
    /// the index does not hold already, for a WITHOUT ROWID table).
    public var fields: [IndexField]
    /// How many leading fields are the key proper (what UNIQUE constrains).
    public var keyFieldCount: Int
    /// How entries compare (one collation and direction per field).
    public var keyInfo: KeyInfo
    public var isUnique: Bool
    /// Partial or expression indexes: the entry's fields for a row, or nil when the row has no entry.
    /// When set, it replaces `fields`.
    public var entryForRow: ((IntegrityRow) throws(DBError) -> [Value]?)?

    public init(name: String, root: UInt32, fields: [IndexField], keyFieldCount: Int? = nil, keyInfo: KeyInfo? = nil,
                isUnique: Bool = false, entryForRow: ((IntegrityRow) throws(DBError) -> [Value]?)? = nil) {
        self.name = name
        self.root = root
        self.fields = fields
        self.keyFieldCount = keyFieldCount ?? max(0, fields.count - 1)
        self.keyInfo = keyInfo ?? KeyInfo(binaryFields: fields.count)
        self.isUnique = isUnique
        self.entryForRow = entryForRow
    }
}
