// Schema statements: CREATE TABLE/INDEX/VIEW/TRIGGER/VIRTUAL TABLE, DROP, ALTER
// TABLE (https://sqlite.org/lang_createtable.html, lang_createindex.html,
// lang_createview.html, lang_createtrigger.html, lang_createvtab.html,
// lang_altertable.html, lang_droptable.html …).
//
// Constraint lists keep the grammar's shape: `CONSTRAINT name` is an item of
// its own that names the constraints after it (up to the next comma in a table
// constraint list), as in parse.y. Each CREATE carries `schemaText`, the byte
// range that SQLite copies into sqlite_schema.sql after "CREATE <kind> "
// (see `Statement.schemaSQL(in:)` for the rules).

/// `CREATE [TEMP] TABLE [IF NOT EXISTS] name (…) [options]` or `… AS SELECT …`.
public struct CreateTable: Sendable, Hashable {
    public enum Body: Sendable, Hashable {
        case definition(TableDefinition)
        case select(Select)
    }

    public var temporary: Bool
    public var ifNotExists: Bool
    public var name: QualifiedName
    public var body: Body
    /// The text stored after "CREATE TABLE " (nil for AS SELECT, whose text SQLite generates).
    public var schemaText: SourceRange?

    public init(temporary: Bool = false, ifNotExists: Bool = false, name: QualifiedName, body: Body,
                schemaText: SourceRange? = nil) {
        self.temporary = temporary
        self.ifNotExists = ifNotExists
        self.name = name
        self.body = body
        self.schemaText = schemaText
    }
}

/// The parenthesized part of CREATE TABLE and the table options after it.
public struct TableDefinition: Sendable, Hashable {
    public var columns: [ColumnDefinition]
    public var constraints: [TableConstraint]
    public var withoutRowID: Bool
    public var strict: Bool

    public init(columns: [ColumnDefinition], constraints: [TableConstraint] = [],
                withoutRowID: Bool = false, strict: Bool = false) {
        self.columns = columns
        self.constraints = constraints
        self.withoutRowID = withoutRowID
        self.strict = strict
    }
}

/// `name [type] [constraint…]`.
public struct ColumnDefinition: Sendable, Hashable {
    public var name: Identifier
    public var type: TypeName?
    public var constraints: [ColumnConstraint]
    public var range: SourceRange

    public init(name: Identifier, type: TypeName? = nil, constraints: [ColumnConstraint] = [],
                range: SourceRange = .empty(at: 0)) {
        self.name = name
        self.type = type
        self.constraints = constraints
        self.range = range
    }
}

/// One item of a column's constraint list.
public enum ColumnConstraint: Sendable, Hashable {
    /// `CONSTRAINT name`: names the constraints that follow it.
    case name(Identifier)
    case primaryKey(SortOrder?, onConflict: ConflictResolution?, autoincrement: Bool)
    case notNull(onConflict: ConflictResolution?)
    /// `NULL [ON CONFLICT …]`, accepted and ignored by SQLite.
    case null(onConflict: ConflictResolution?)
    case unique(onConflict: ConflictResolution?)
    /// `CHECK (expr)`; `text` is the bytes between the parentheses (SQLite names an
    /// unnamed CHECK by this text, white space trimmed).
    case check(Expr, text: SourceRange)
    /// `DEFAULT …`; `text` is what PRAGMA table_info shows as dflt_value (untrimmed).
    case defaultValue(DefaultValue, text: SourceRange)
    case collate(Identifier)
    case references(ForeignKeyClause)
    /// `[NOT] DEFERRABLE [INITIALLY …]` after a REFERENCES clause.
    case deferrable(Deferrability)
    /// `[GENERATED ALWAYS] AS (expr) [STORED|VIRTUAL]`.
    case generated(Expr, storage: GeneratedStorage?)
}

/// What DEFAULT is followed by.
public enum DefaultValue: Sendable, Hashable {
    /// A literal, a signed literal (`-1`, `+'x'`) or a parenthesized expression.
    case expression(Expr)
    /// A bare identifier: SQLite stores its text as a string (TRUE/FALSE as 1/0).
    case identifier(Identifier)
}

public enum GeneratedStorage: UInt8, Sendable, Hashable {
    case stored, virtual
}

/// `REFERENCES table [(columns)] [ON DELETE|UPDATE action | MATCH name]… [DEFERRABLE …]`.
public struct ForeignKeyClause: Sendable, Hashable {
    public enum Action: UInt8, Sendable, Hashable {
        case setNull, setDefault, cascade, restrict, noAction
    }

    public enum Argument: Sendable, Hashable {
        case onDelete(Action)
        case onUpdate(Action)
        /// `ON INSERT action`, accepted and ignored by SQLite.
        case onInsert(Action)
        /// `MATCH name`, accepted and ignored by SQLite.
        case match(Identifier)
    }

    public var table: Identifier
    public var columns: [Identifier]?
    public var arguments: [Argument]
    /// Only in a table constraint; a column constraint lists it separately.
    public var deferrability: Deferrability?

    public init(table: Identifier, columns: [Identifier]? = nil, arguments: [Argument] = [],
                deferrability: Deferrability? = nil) {
        self.table = table
        self.columns = columns
        self.arguments = arguments
        self.deferrability = deferrability
    }

    /// The effective ON DELETE action (the last one written wins, as in SQLite).
    public var onDelete: Action? {
        arguments.reversed().lazy.compactMap { if case .onDelete(let a) = $0 { return a } else { return nil } }.first
    }

    /// The effective ON UPDATE action.
    public var onUpdate: Action? {
        arguments.reversed().lazy.compactMap { if case .onUpdate(let a) = $0 { return a } else { return nil } }.first
    }
}

/// `[NOT] DEFERRABLE [INITIALLY DEFERRED|IMMEDIATE]`.
public struct Deferrability: Sendable, Hashable {
    public enum Initially: UInt8, Sendable, Hashable { case deferred, immediate }

    public var not: Bool
    public var initially: Initially?

    public init(not: Bool, initially: Initially? = nil) {
        self.not = not
        self.initially = initially
    }

    /// True when constraint checks wait for COMMIT (DEFERRABLE INITIALLY DEFERRED).
    public var isDeferred: Bool { !not && initially == .deferred }
}

/// One item of a table's constraint list.
public struct TableConstraint: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// `CONSTRAINT name`: names the constraints after it, up to the next comma.
        case name(Identifier)
        case primaryKey([OrderingTerm], autoincrement: Bool, onConflict: ConflictResolution?)
        case unique([OrderingTerm], onConflict: ConflictResolution?)
        case check(Expr, text: SourceRange, onConflict: ConflictResolution?)
        case foreignKey(columns: [Identifier], ForeignKeyClause)
    }

    public var kind: Kind
    /// Whether a comma came before this item (always true for the first one; SQLite lets
    /// table constraints follow each other without commas).
    public var afterComma: Bool

    public init(_ kind: Kind, afterComma: Bool = true) {
        self.kind = kind
        self.afterComma = afterComma
    }
}

/// `CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON table (columns) [WHERE …]`.
public struct CreateIndex: Sendable, Hashable {
    public var unique: Bool
    public var ifNotExists: Bool
    public var name: QualifiedName
    public var table: Identifier
    public var columns: [OrderingTerm]
    public var whereClause: Expr?
    public var schemaText: SourceRange

    public init(unique: Bool = false, ifNotExists: Bool = false, name: QualifiedName, table: Identifier,
                columns: [OrderingTerm], whereClause: Expr? = nil, schemaText: SourceRange = .empty(at: 0)) {
        self.unique = unique
        self.ifNotExists = ifNotExists
        self.name = name
        self.table = table
        self.columns = columns
        self.whereClause = whereClause
        self.schemaText = schemaText
    }
}

/// `CREATE [TEMP] VIEW [IF NOT EXISTS] name [(columns)] AS select`.
public struct CreateView: Sendable, Hashable {
    public var temporary: Bool
    public var ifNotExists: Bool
    public var name: QualifiedName
    public var columns: [Identifier]?
    public var select: Select
    public var schemaText: SourceRange

    public init(temporary: Bool = false, ifNotExists: Bool = false, name: QualifiedName,
                columns: [Identifier]? = nil, select: Select, schemaText: SourceRange = .empty(at: 0)) {
        self.temporary = temporary
        self.ifNotExists = ifNotExists
        self.name = name
        self.columns = columns
        self.select = select
        self.schemaText = schemaText
    }
}

/// `CREATE [TEMP] TRIGGER [IF NOT EXISTS] name [timing] event ON table [FOR EACH ROW]
/// [WHEN expr] BEGIN step; … END`.
public struct CreateTrigger: Sendable, Hashable {
    public enum Timing: UInt8, Sendable, Hashable { case before, after, insteadOf }

    public enum Event: Sendable, Hashable {
        case delete, insert
        /// `UPDATE [OF columns]`
        case update(columns: [Identifier]?)
    }

    public enum Step: Sendable, Hashable {
        case update(Update)
        case insert(Insert)
        case delete(Delete)
        case select(Select)
    }

    public var temporary: Bool
    public var ifNotExists: Bool
    public var name: QualifiedName
    /// nil when omitted (SQLite then fires BEFORE).
    public var timing: Timing?
    public var event: Event
    public var table: QualifiedName
    public var forEachRow: Bool
    public var when: Expr?
    public var steps: [Step]
    public var schemaText: SourceRange

    public init(temporary: Bool = false, ifNotExists: Bool = false, name: QualifiedName,
                timing: Timing? = nil, event: Event, table: QualifiedName, forEachRow: Bool = false,
                when: Expr? = nil, steps: [Step], schemaText: SourceRange = .empty(at: 0)) {
        self.temporary = temporary
        self.ifNotExists = ifNotExists
        self.name = name
        self.timing = timing
        self.event = event
        self.table = table
        self.forEachRow = forEachRow
        self.when = when
        self.steps = steps
        self.schemaText = schemaText
    }
}

/// `CREATE VIRTUAL TABLE [IF NOT EXISTS] name USING module [(arguments)]` (parse only).
public struct CreateVirtualTable: Sendable, Hashable {
    public var ifNotExists: Bool
    public var name: QualifiedName
    public var module: Identifier
    /// Each argument's text from its first to its last token; nil without parentheses.
    /// Empty arguments are dropped, as SQLite drops them.
    public var arguments: [String]?
    public var schemaText: SourceRange

    public init(ifNotExists: Bool = false, name: QualifiedName, module: Identifier,
                arguments: [String]? = nil, schemaText: SourceRange = .empty(at: 0)) {
        self.ifNotExists = ifNotExists
        self.name = name
        self.module = module
        self.arguments = arguments
        self.schemaText = schemaText
    }
}

/// `DROP TABLE|INDEX|VIEW|TRIGGER [IF EXISTS] name`.
public struct Drop: Sendable, Hashable {
    public enum Kind: UInt8, Sendable, Hashable { case table, index, view, trigger }

    public var kind: Kind
    public var ifExists: Bool
    public var name: QualifiedName

    public init(kind: Kind, ifExists: Bool = false, name: QualifiedName) {
        self.kind = kind
        self.ifExists = ifExists
        self.name = name
    }
}

/// `ALTER TABLE name action`.
public struct AlterTable: Sendable, Hashable {
    public enum Action: Sendable, Hashable {
        case renameTable(to: Identifier)
        case renameColumn(Identifier, to: Identifier)
        /// `ADD [COLUMN] def`; `text` is the definition's text as SQLite splices it into
        /// the stored CREATE TABLE (from the column name to the statement's end, trailing
        /// white space dropped).
        case addColumn(ColumnDefinition, text: SourceRange)
        case dropColumn(Identifier)
    }

    public var table: QualifiedName
    public var action: Action

    public init(table: QualifiedName, action: Action) {
        self.table = table
        self.action = action
    }
}
