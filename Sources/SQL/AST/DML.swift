// DML: INSERT, UPDATE and DELETE, https://sqlite.org/lang_insert.html,
// lang_update.html, lang_delete.html, lang_upsert.html, lang_returning.html.
//
// REPLACE is INSERT OR REPLACE (SQLite makes no difference). ORDER BY and LIMIT
// on UPDATE/DELETE are accepted, as the oracle build has
// SQLITE_ENABLE_UPDATE_DELETE_LIMIT. Trigger bodies reuse these types with the
// parts their grammar forbids left empty (no WITH, no alias, no RETURNING…).

/// `OR ROLLBACK|ABORT|FAIL|IGNORE|REPLACE`, and `ON CONFLICT …` in constraints.
public enum ConflictResolution: UInt8, Sendable, Hashable {
    case rollback, abort, fail, ignore, replace
}

/// `[WITH …] INSERT [OR …] INTO table [AS alias] [(columns)] source [upsert…] [RETURNING …]`.
public struct Insert: Sendable, Hashable {
    public indirect enum Source: Sendable, Hashable {
        /// `VALUES …` or `SELECT …`.
        case select(Select)
        /// `DEFAULT VALUES`
        case defaultValues
    }

    public var with: WithClause?
    public var orConflict: ConflictResolution?
    public var table: QualifiedName
    public var alias: Identifier?
    public var columns: [Identifier]?
    public var source: Source
    public var upserts: [Upsert]
    public var returning: [ResultColumn]?
    /// From WITH or the verb to the statement's last token.
    public var range: SourceRange = .empty(at: 0)

    public init(with: WithClause? = nil, orConflict: ConflictResolution? = nil, table: QualifiedName,
                alias: Identifier? = nil, columns: [Identifier]? = nil, source: Source,
                upserts: [Upsert] = [], returning: [ResultColumn]? = nil) {
        self.with = with
        self.orConflict = orConflict
        self.table = table
        self.alias = alias
        self.columns = columns
        self.source = source
        self.upserts = upserts
        self.returning = returning
    }
}

/// `ON CONFLICT [(target) [WHERE …]] DO NOTHING | DO UPDATE SET … [WHERE …]`.
public struct Upsert: Sendable, Hashable {
    public struct Target: Sendable, Hashable {
        public var columns: [OrderingTerm]
        public var whereClause: Expr?

        public init(columns: [OrderingTerm], whereClause: Expr? = nil) {
            self.columns = columns
            self.whereClause = whereClause
        }
    }

    public enum Action: Sendable, Hashable {
        case nothing
        case update([Assignment], whereClause: Expr?)
    }

    public var target: Target?
    public var action: Action

    public init(target: Target?, action: Action) {
        self.target = target
        self.action = action
    }
}

/// `column = expr` or `(c1, c2, …) = expr` in SET.
public struct Assignment: Sendable, Hashable {
    public var columns: [Identifier]
    public var value: Expr

    public init(columns: [Identifier], value: Expr) {
        self.columns = columns
        self.value = value
    }
}

/// `[WITH …] UPDATE [OR …] table [AS alias] [INDEXED BY …] SET … [FROM …] [WHERE …]
/// [RETURNING …] [ORDER BY …] [LIMIT …]`.
public struct Update: Sendable, Hashable {
    public var with: WithClause?
    public var orConflict: ConflictResolution?
    public var table: QualifiedName
    public var alias: Identifier?
    public var indexHint: IndexHint?
    public var assignments: [Assignment]
    /// The FROM clause's items; empty when there is none.
    public var from: [FromItem]
    public var whereClause: Expr?
    public var returning: [ResultColumn]?
    public var orderBy: [OrderingTerm]
    public var limit: Limit?
    /// From WITH or UPDATE to the statement's last token.
    public var range: SourceRange = .empty(at: 0)

    public init(with: WithClause? = nil, orConflict: ConflictResolution? = nil, table: QualifiedName,
                alias: Identifier? = nil, indexHint: IndexHint? = nil, assignments: [Assignment],
                from: [FromItem] = [], whereClause: Expr? = nil, returning: [ResultColumn]? = nil,
                orderBy: [OrderingTerm] = [], limit: Limit? = nil) {
        self.with = with
        self.orConflict = orConflict
        self.table = table
        self.alias = alias
        self.indexHint = indexHint
        self.assignments = assignments
        self.from = from
        self.whereClause = whereClause
        self.returning = returning
        self.orderBy = orderBy
        self.limit = limit
    }
}

/// `[WITH …] DELETE FROM table [AS alias] [INDEXED BY …] [WHERE …] [RETURNING …]
/// [ORDER BY …] [LIMIT …]`.
public struct Delete: Sendable, Hashable {
    public var with: WithClause?
    public var table: QualifiedName
    public var alias: Identifier?
    public var indexHint: IndexHint?
    public var whereClause: Expr?
    public var returning: [ResultColumn]?
    public var orderBy: [OrderingTerm]
    public var limit: Limit?
    /// From WITH or DELETE to the statement's last token.
    public var range: SourceRange = .empty(at: 0)

    public init(with: WithClause? = nil, table: QualifiedName, alias: Identifier? = nil,
                indexHint: IndexHint? = nil, whereClause: Expr? = nil, returning: [ResultColumn]? = nil,
                orderBy: [OrderingTerm] = [], limit: Limit? = nil) {
        self.with = with
        self.table = table
        self.alias = alias
        self.indexHint = indexHint
        self.whereClause = whereClause
        self.returning = returning
        self.orderBy = orderBy
        self.limit = limit
    }
}
