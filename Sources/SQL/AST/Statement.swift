// Statement: one SQL statement, https://sqlite.org/lang.html, and the small
// statements (transactions, PRAGMA, ATTACH, VACUUM …) that need no file of their own.
//
// A statement is a `Command` plus the EXPLAIN prefix, its source range (first
// token to last, without the ';') and its bind parameters as
// sqlite3_bind_parameter_count/name report them. `schemaSQL(in:)` rebuilds the
// text SQLite stores in sqlite_schema for a CREATE, byte for byte.

/// One parsed statement.
public struct Statement: Sendable, Hashable {
    public enum Explain: UInt8, Sendable, Hashable {
        /// `EXPLAIN`
        case explain
        /// `EXPLAIN QUERY PLAN`
        case queryPlan
    }

    public var command: Command
    public var explain: Explain?
    /// From the statement's first token to the end of its last (no ';').
    public var range: SourceRange
    /// The largest parameter number used (sqlite3_bind_parameter_count).
    public var parameterCount: Int
    /// The name of each named parameter, by number, in increasing number order.
    public var parameterNames: [ParameterName]

    public init(command: Command, explain: Explain? = nil, range: SourceRange = .empty(at: 0),
                parameterCount: Int = 0, parameterNames: [ParameterName] = []) {
        self.command = command
        self.explain = explain
        self.range = range
        self.parameterCount = parameterCount
        self.parameterNames = parameterNames
    }
}

/// A parameter number and the name it was first written with (`:a`, `?3`).
public struct ParameterName: Sendable, Hashable {
    public var number: Int
    public var name: String

    public init(number: Int, name: String) {
        self.number = number
        self.name = name
    }
}

/// What a statement does.
public indirect enum Command: Sendable, Hashable {
    case select(Select)
    case insert(Insert)
    case update(Update)
    case delete(Delete)
    case createTable(CreateTable)
    case createIndex(CreateIndex)
    case createView(CreateView)
    case createTrigger(CreateTrigger)
    case createVirtualTable(CreateVirtualTable)
    case drop(Drop)
    case alterTable(AlterTable)
    case begin(Begin)
    /// `COMMIT|END [TRANSACTION [name]]`
    case commit(transactionName: Identifier?)
    case rollback(Rollback)
    case savepoint(Identifier)
    /// `RELEASE [SAVEPOINT] name`
    case release(Identifier)
    case pragma(Pragma)
    /// `ANALYZE [[schema.]name]`
    case analyze(QualifiedName?)
    /// `REINDEX [[schema.]name]`
    case reindex(QualifiedName?)
    case vacuum(Vacuum)
    case attach(Attach)
    /// `DETACH [DATABASE] expr`
    case detach(Expr)
}

/// `BEGIN [DEFERRED|IMMEDIATE|EXCLUSIVE|CONCURRENT] [TRANSACTION [name]]`.
public struct Begin: Sendable, Hashable {
    public enum Mode: UInt8, Sendable, Hashable {
        case deferred, immediate, exclusive
        /// swiftdb's BEGIN CONCURRENT (SQLite's begin-concurrent branch; 3.40.1 rejects it).
        case concurrent
    }

    public var mode: Mode?
    public var transactionName: Identifier?

    public init(mode: Mode? = nil, transactionName: Identifier? = nil) {
        self.mode = mode
        self.transactionName = transactionName
    }
}

/// `ROLLBACK [TRANSACTION [name]] [TO [SAVEPOINT] savepoint]`.
public struct Rollback: Sendable, Hashable {
    public var transactionName: Identifier?
    public var savepoint: Identifier?

    public init(transactionName: Identifier? = nil, savepoint: Identifier? = nil) {
        self.transactionName = transactionName
        self.savepoint = savepoint
    }
}

/// `PRAGMA [schema.]name [= value | (value)]`.
public struct Pragma: Sendable, Hashable {
    public enum Value: Sendable, Hashable {
        /// A number with an optional minus sign (`-1`, `+5` is stored as `5`).
        case number(NumericLiteral, negative: Bool)
        /// A name or a string: `wal`, `'wal'`, `"x"`, `true`.
        case name(Identifier)
        /// The keywords the grammar allows as values: ON, DELETE, DEFAULT.
        case keyword(String)
    }

    public var name: QualifiedName
    public var value: Value?
    /// True for the `name(value)` form, false for `name = value`.
    public var isCall: Bool

    public init(name: QualifiedName, value: Value? = nil, isCall: Bool = false) {
        self.name = name
        self.value = value
        self.isCall = isCall
    }
}

/// `VACUUM [schema] [INTO expr]`.
public struct Vacuum: Sendable, Hashable {
    public var schema: Identifier?
    public var into: Expr?

    public init(schema: Identifier? = nil, into: Expr? = nil) {
        self.schema = schema
        self.into = into
    }
}

/// `ATTACH [DATABASE] file AS name [KEY key]`.
public struct Attach: Sendable, Hashable {
    public var file: Expr
    public var name: Expr
    public var key: Expr?

    public init(file: Expr, name: Expr, key: Expr? = nil) {
        self.file = file
        self.name = name
        self.key = key
    }
}

extension Statement {
    /// The text SQLite stores in sqlite_schema.sql for this CREATE statement, given the
    /// input it was parsed from; nil for other statements and for CREATE TABLE … AS
    /// SELECT (whose text the engine generates). SQLite writes "CREATE <kind> " and then
    /// copies the input from the object's unqualified name on (TEMP, IF NOT EXISTS and
    /// the schema prefix are dropped), up to:
    /// - TABLE without options, VIRTUAL TABLE: the closing parenthesis (or module name);
    /// - TABLE with options, INDEX: the start of the terminating ';' (white space and
    ///   comments before it included) or the end of the input;
    /// - VIEW: the same, with trailing white space removed;
    /// - TRIGGER: the end of its END keyword.
    public func schemaSQL(in source: [UInt8]) -> [UInt8]? {
        let prefix: String
        let range: SourceRange
        switch command {
        case .createTable(let c):
            guard let r = c.schemaText else { return nil }
            (prefix, range) = ("CREATE TABLE ", r)
        case .createIndex(let c): (prefix, range) = (c.unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ", c.schemaText)
        case .createView(let c): (prefix, range) = ("CREATE VIEW ", c.schemaText)
        case .createTrigger(let c): (prefix, range) = ("CREATE TRIGGER ", c.schemaText)
        case .createVirtualTable(let c): (prefix, range) = ("CREATE VIRTUAL TABLE ", c.schemaText)
        default: return nil
        }
        let bounds = range.bounds.clamped(to: 0..<source.count)
        return Array(prefix.utf8) + source[bounds]
    }
}
