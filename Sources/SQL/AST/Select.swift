// Select: the SELECT statement and its clauses, https://sqlite.org/lang_select.html.
//
// A `Select` is a WITH clause, one or more cores joined by compound operators,
// and the ORDER BY / LIMIT that apply to the whole (SQLite accepts them only on
// the last core: the parser rejects others with "ORDER BY clause should come
// after UNION not before"). A multi-row VALUES is one core, as it is one unit in
// SQLite's compound semantics. The FROM clause is a list of items each joined to
// the ones before it (SQLite's SrcList); a parenthesized join is a nested list.
// Windows: https://sqlite.org/windowfunctions.html.

/// A full SELECT: `[WITH …] core [op core]… [ORDER BY …] [LIMIT …]`.
public struct Select: Sendable, Hashable {
    public var with: WithClause?
    public var first: SelectCore
    public var compounds: [CompoundTerm]
    public var orderBy: [OrderingTerm]
    public var limit: Limit?
    public var range: SourceRange

    public init(with: WithClause? = nil, first: SelectCore, compounds: [CompoundTerm] = [],
                orderBy: [OrderingTerm] = [], limit: Limit? = nil, range: SourceRange = .empty(at: 0)) {
        self.with = with
        self.first = first
        self.compounds = compounds
        self.orderBy = orderBy
        self.limit = limit
        self.range = range
    }

    /// All cores, in order.
    public var cores: [SelectCore] { [first] + compounds.map(\.core) }
}

public enum CompoundOperator: UInt8, Sendable, Hashable {
    case union, unionAll, intersect, except

    /// The operator's name in messages ("UNION ALL"), as sqlite3SelectOpName gives it.
    public var name: String {
        switch self {
        case .union: return "UNION"
        case .unionAll: return "UNION ALL"
        case .intersect: return "INTERSECT"
        case .except: return "EXCEPT"
        }
    }
}

/// `op core` after the first core of a compound SELECT.
public struct CompoundTerm: Sendable, Hashable {
    public var op: CompoundOperator
    public var core: SelectCore

    public init(op: CompoundOperator, core: SelectCore) {
        self.op = op
        self.core = core
    }
}

/// One SELECT … or VALUES … of a compound.
public indirect enum SelectCore: Sendable, Hashable {
    case select(SimpleSelect)
    /// `VALUES (…), (…)`: rows of expressions.
    case values([[Expr]], range: SourceRange)
}

/// `SELECT [DISTINCT|ALL] columns [FROM …] [WHERE …] [GROUP BY …] [HAVING …] [WINDOW …]`.
public struct SimpleSelect: Sendable, Hashable {
    public var quantifier: SetQuantifier?
    public var columns: [ResultColumn]
    /// The FROM clause's items; empty when there is no FROM.
    public var from: [FromItem]
    public var whereClause: Expr?
    public var groupBy: [Expr]
    public var having: Expr?
    public var windows: [NamedWindow]
    public var range: SourceRange

    public init(quantifier: SetQuantifier? = nil, columns: [ResultColumn], from: [FromItem] = [],
                whereClause: Expr? = nil, groupBy: [Expr] = [], having: Expr? = nil,
                windows: [NamedWindow] = [], range: SourceRange = .empty(at: 0)) {
        self.quantifier = quantifier
        self.columns = columns
        self.from = from
        self.whereClause = whereClause
        self.groupBy = groupBy
        self.having = having
        self.windows = windows
        self.range = range
    }
}

/// One entry of a result column list (also used by RETURNING).
public enum ResultColumn: Sendable, Hashable {
    /// `expr [[AS] alias]`. `span` is the text SQLite names an unaliased column by: from
    /// the expression's first byte to the token after it, white space trimmed.
    case expr(Expr, alias: Identifier?, span: SourceRange)
    /// `*`
    case all(SourceRange)
    /// `table.*`
    case allOf(table: Identifier)
}

/// One table, subquery, function or parenthesized join of a FROM clause.
public struct FromItem: Sendable, Hashable {
    /// How this item joins the items before it; nil for the first item.
    public var join: JoinOperator?
    public var source: TableSource
    public var alias: Identifier?
    public var constraint: JoinConstraint?
    public var range: SourceRange

    public init(join: JoinOperator? = nil, source: TableSource, alias: Identifier? = nil,
                constraint: JoinConstraint? = nil, range: SourceRange = .empty(at: 0)) {
        self.join = join
        self.source = source
        self.alias = alias
        self.constraint = constraint
        self.range = range
    }
}

public indirect enum TableSource: Sendable, Hashable {
    /// `[schema.]table [INDEXED BY index | NOT INDEXED]`
    case table(QualifiedName, IndexHint?)
    /// A table-valued function: `[schema.]name(args)`.
    case function(QualifiedName, arguments: [Expr])
    /// `(SELECT …)`
    case subquery(Select)
    /// `(a JOIN b …)`: a parenthesized list of FROM items.
    case join([FromItem])
}

public enum IndexHint: Sendable, Hashable {
    case indexedBy(Identifier)
    case notIndexed
}

/// `,` or `[NATURAL] [LEFT|RIGHT|FULL] [OUTER] | INNER | CROSS JOIN`.
public enum JoinOperator: Sendable, Hashable {
    case comma
    case join(JoinType)
}

/// A join's type, as sqlite3JoinType computes it from its keywords (plain JOIN is inner).
public struct JoinType: OptionSet, Sendable, Hashable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let inner = JoinType(rawValue: 1)
    public static let cross = JoinType(rawValue: 2)
    public static let natural = JoinType(rawValue: 4)
    public static let left = JoinType(rawValue: 8)
    public static let outer = JoinType(rawValue: 16)
    public static let right = JoinType(rawValue: 32)
}

public enum JoinConstraint: Sendable, Hashable {
    case on(Expr)
    case using([Identifier])
}

public enum SortOrder: UInt8, Sendable, Hashable {
    case ascending, descending
}

public enum NullsOrder: UInt8, Sendable, Hashable {
    case first, last
}

/// `expr [ASC|DESC] [NULLS FIRST|LAST]` (ORDER BY terms, index columns, upsert targets).
public struct OrderingTerm: Sendable, Hashable {
    public var expr: Expr
    public var order: SortOrder?
    public var nulls: NullsOrder?

    public init(expr: Expr, order: SortOrder? = nil, nulls: NullsOrder? = nil) {
        self.expr = expr
        self.order = order
        self.nulls = nulls
    }
}

/// `LIMIT count [OFFSET offset]`; `LIMIT offset, count` is stored the same way.
public struct Limit: Sendable, Hashable {
    public var count: Expr
    public var offset: Expr?

    public init(count: Expr, offset: Expr? = nil) {
        self.count = count
        self.offset = offset
    }
}

/// `WITH [RECURSIVE] cte, …`
public struct WithClause: Sendable, Hashable {
    public var recursive: Bool
    public var tables: [CommonTableExpression]

    public init(recursive: Bool, tables: [CommonTableExpression]) {
        self.recursive = recursive
        self.tables = tables
    }
}

/// `name [(columns)] AS [[NOT] MATERIALIZED] (select)`.
public struct CommonTableExpression: Sendable, Hashable {
    public enum Materialization: UInt8, Sendable, Hashable {
        case materialized, notMaterialized
    }

    public var name: Identifier
    public var columns: [Identifier]?
    public var materialization: Materialization?
    public var select: Select

    public init(name: Identifier, columns: [Identifier]? = nil, materialization: Materialization? = nil,
                select: Select) {
        self.name = name
        self.columns = columns
        self.materialization = materialization
        self.select = select
    }
}

/// `name AS (window-definition)` in a WINDOW clause.
public struct NamedWindow: Sendable, Hashable {
    public var name: Identifier
    public var definition: WindowDefinition

    public init(name: Identifier, definition: WindowDefinition) {
        self.name = name
        self.definition = definition
    }
}

/// `[base] [PARTITION BY …] [ORDER BY …] [frame]`.
public struct WindowDefinition: Sendable, Hashable {
    public var base: Identifier?
    public var partitionBy: [Expr]
    public var orderBy: [OrderingTerm]
    public var frame: FrameSpec?
    public var range: SourceRange

    public init(base: Identifier? = nil, partitionBy: [Expr] = [], orderBy: [OrderingTerm] = [],
                frame: FrameSpec? = nil, range: SourceRange = .empty(at: 0)) {
        self.base = base
        self.partitionBy = partitionBy
        self.orderBy = orderBy
        self.frame = frame
        self.range = range
    }
}

/// `RANGE|ROWS|GROUPS start` or `… BETWEEN start AND end`, with `EXCLUDE …`.
public struct FrameSpec: Sendable, Hashable {
    public enum Units: UInt8, Sendable, Hashable { case range, rows, groups }
    public enum Exclusion: UInt8, Sendable, Hashable { case noOthers, currentRow, group, ties }

    public var units: Units
    public var start: FrameBound
    /// The BETWEEN form's end; nil for the one-bound form (which ends at CURRENT ROW).
    public var end: FrameBound?
    public var exclude: Exclusion?

    public init(units: Units, start: FrameBound, end: FrameBound? = nil, exclude: Exclusion? = nil) {
        self.units = units
        self.start = start
        self.end = end
        self.exclude = exclude
    }
}

public enum FrameBound: Sendable, Hashable {
    case unboundedPreceding
    case preceding(Expr)
    case currentRow
    case following(Expr)
    case unboundedFollowing
}
