// Statement: a prepared statement of the public API (sqlite3_stmt) and its
// synchronous use: bind, step, read columns, reset.
//
// A statement belongs to its connection and, like it, to one task or thread
// at a time. The synchronous calls block their caller while I/O is in flight
// (the engine waits on the IO back-end); from async code use the async calls
// (Statement+Async.swift), which never block a cooperative-pool thread.

import Base
import Engine

/// A value to bind: any `DatabaseValueConvertible`, or nil for NULL.
public typealias StatementArgument = (any DatabaseValueConvertible)?

/// A prepared SQL statement.
///
/// ```swift
/// let insert = try connection.prepare("INSERT INTO users(name) VALUES (?)")
/// for name in ["ada", "grace"] {
///     try insert.execute(name)
/// }
/// ```
public final class Statement {
    let prepared: PreparedStatement
    /// The connection that prepared it (kept alive by the statement).
    public let connection: Connection
    /// The names of the result columns (`sqlite3_column_name`); a statement compiled again for a
    /// changed schema (`SELECT *` after ALTER TABLE ADD COLUMN) reports its new columns.
    public var columnNames: [String] {
        if namesCompilation != prepared.recompilations {
            names = Self.names(of: prepared)
            namesCompilation = prepared.recompilations
        }
        return names
    }
    private var names: [String]
    private var namesCompilation = 0

    init(_ prepared: PreparedStatement, connection: Connection) {
        self.prepared = prepared
        self.connection = connection
        names = Self.names(of: prepared)
        namesCompilation = prepared.recompilations
    }

    private static func names(of prepared: PreparedStatement) -> [String] {
        (0..<prepared.columnCount).map(prepared.columnName)
    }

    /// The statement's SQL text.
    public var sql: String { prepared.sql }
    /// How many columns each row has.
    public var columnCount: Int { columnNames.count }
    /// How many parameters the statement has (the largest parameter number).
    public var parameterCount: Int { prepared.parameterCount }
    /// True when the statement does not write the database (`sqlite3_stmt_readonly`).
    public var isReadOnly: Bool { prepared.isReadOnly }
    /// True between the first step and the end of the rows or a reset (`sqlite3_stmt_busy`).
    public var isBusy: Bool { prepared.isBusy }

    // MARK: binding

    /// Binds `arguments` to parameters 1, 2, … in order; SQLITE_RANGE when there are more
    /// arguments than parameters.
    public func bind(_ arguments: [StatementArgument]) throws(DatabaseError) {
        guard arguments.count <= parameterCount else {
            throw DatabaseError(.range, message: "\(arguments.count) arguments for \(parameterCount) parameters",
                                sql: sql)
        }
        for (i, a) in arguments.enumerated() { try bind(a, at: i + 1) }
    }

    /// Binds `arguments` to parameters 1, 2, … in order.
    public func bind(_ arguments: StatementArgument...) throws(DatabaseError) { try bind(arguments) }

    /// Binds `value` to parameter `index` (1-based, as `sqlite3_bind_*`).
    public func bind(_ value: StatementArgument, at index: Int) throws(DatabaseError) {
        do {
            try prepared.bind((value?.databaseValue ?? .null).engineValue, at: index)
        } catch {
            throw error.publicError(sql: sql)
        }
    }

    /// Binds the text `value` to parameter `index` (1-based). The same as binding it as a
    /// ``StatementArgument``, without boxing it, and reusing the parameter's previous text buffer.
    public func bind(_ value: String, at index: Int) throws(DatabaseError) {
        do {
            try prepared.bind(text: value, at: index)
        } catch {
            throw error.publicError(sql: sql)
        }
    }

    /// Binds the integer `value` to parameter `index` (1-based), without boxing it.
    public func bind(_ value: Int64, at index: Int) throws(DatabaseError) { try bindValue(.integer(value), at: index) }

    /// Binds the integer `value` to parameter `index` (1-based), without boxing it.
    public func bind(_ value: Int, at index: Int) throws(DatabaseError) {
        try bindValue(.integer(Int64(value)), at: index)
    }

    /// Binds the real `value` to parameter `index` (1-based), without boxing it.
    public func bind(_ value: Double, at index: Int) throws(DatabaseError) { try bindValue(.real(value), at: index) }

    private func bindValue(_ value: Value, at index: Int) throws(DatabaseError) {
        do {
            try prepared.bind(value, at: index)
        } catch {
            throw error.publicError(sql: sql)
        }
    }

    /// Binds `value` to the parameter written `name`, prefix included (`:id`, `@id`, `$id`).
    public func bind(_ value: StatementArgument, named name: String) throws(DatabaseError) {
        guard let index = prepared.parameterIndex(name) else {
            throw DatabaseError(.range, message: "no such parameter: \(name)", sql: sql)
        }
        try bind(value, at: index)
    }

    /// Binds each named value (`[":id": 1, ":name": "ada"]`).
    public func bind(named values: [String: StatementArgument]) throws(DatabaseError) {
        for (name, value) in values.sorted(by: { $0.key < $1.key }) { try bind(value, named: name) }
    }

    /// Sets every parameter back to NULL.
    public func clearBindings() { prepared.clearBindings() }

    /// Returns the statement to its start, keeping the bindings (`sqlite3_reset`). A statement that
    /// was stepped but not finished ends there: its changes so far stand.
    public func reset() { prepared.reset() }

    // MARK: stepping

    /// Runs to the next row: true when a row is ready (read it with `column(_:)` or `row`), false at
    /// the end. Blocks the caller while I/O is in flight.
    public func step() throws(DatabaseError) -> Bool {
        do {
            return try prepared.step() == .row
        } catch {
            throw error.publicError(sql: sql)
        }
    }

    /// Column `index` of the current row.
    public func column(_ index: Int) -> DatabaseValue {
        guard index >= 0 && index < columnCount else { return .null }
        return DatabaseValue(prepared.column(index))
    }

    /// The current row, copied.
    public var row: Row {
        Row(values: (0..<columnCount).map(column), columnNames: columnNames)
    }

    /// The next row, or nil at the end (then the statement is reset for another run).
    public func next() throws(DatabaseError) -> Row? {
        if try step() { return row }
        reset()
        return nil
    }

    /// Binds `arguments` (when given), runs the statement to its end and resets it.
    public func execute(_ arguments: StatementArgument...) throws(DatabaseError) {
        try start(arguments)
        defer { reset() }
        while try step() {}
    }

    /// Binds `arguments` (when given) and returns every row.
    public func fetchAll(_ arguments: StatementArgument...) throws(DatabaseError) -> [Row] {
        try fetchAll(arguments: arguments)
    }

    /// Binds `arguments` (when given) and returns every row.
    public func fetchAll(arguments: [StatementArgument]) throws(DatabaseError) -> [Row] {
        try start(arguments)
        var rows: [Row] = []
        while let r = try next() { rows.append(r) }
        return rows
    }

    /// Resets a statement left mid-way and binds a new set of arguments.
    func start(_ arguments: [StatementArgument]) throws(DatabaseError) {
        if isBusy { reset() }
        if !arguments.isEmpty { try bind(arguments) }
    }
}
