// Row: one result row, a value per column plus the statement's column names.
// A Row is a copy: it stays valid after the statement steps on or ends.

/// One row of a query's result.
///
/// ```swift
/// for row in try db.query("SELECT id, name FROM users") {
///     let id: Int = try row.get(0)
///     let name: String? = try row.get("name")
/// }
/// ```
public struct Row: Sendable, Hashable, RandomAccessCollection, CustomStringConvertible {
    /// The values, one per column, in the statement's column order.
    public let values: [DatabaseValue]
    /// The column names (`sqlite3_column_name`), shared by every row of a statement.
    public let columnNames: [String]

    public init(values: [DatabaseValue], columnNames: [String]) {
        self.values = values
        self.columnNames = columnNames
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { values.count }

    /// The value of column `index` (0-based).
    public subscript(index: Int) -> DatabaseValue { values[index] }

    /// The value of the first column named `name` (compared without regard to ASCII case, as SQLite
    /// compares identifiers), or nil when no column has that name.
    public subscript(name: String) -> DatabaseValue? {
        columnIndex(name).map { values[$0] }
    }

    /// The index of the first column named `name`, ignoring ASCII case.
    public func columnIndex(_ name: String) -> Int? {
        columnNames.firstIndex { asciiCaseInsensitiveEqual($0, name) }
    }

    /// Column `index` converted to `T`; SQLITE_MISMATCH when it does not convert (NULL into a
    /// non-optional type included), SQLITE_RANGE when there is no such column.
    public func get<T: DatabaseValueConvertible>(_ index: Int, as type: T.Type = T.self) throws(DatabaseError) -> T {
        guard index >= 0 && index < values.count else {
            throw DatabaseError(.range, message: "column index \(index) out of range")
        }
        guard let v = T(databaseValue: values[index]) else {
            throw DatabaseError(.mismatch, message: "could not read column \(columnNames[index]) = "
                                    + "\(values[index]) as \(T.self)")
        }
        return v
    }

    /// The column named `name` converted to `T` (see `get(_:as:)` for an index).
    public func get<T: DatabaseValueConvertible>(_ name: String, as type: T.Type = T.self) throws(DatabaseError) -> T {
        guard let i = columnIndex(name) else { throw DatabaseError(.range, message: "no such column: \(name)") }
        return try get(i, as: type)
    }

    public var description: String {
        "[" + zip(columnNames, values).map { "\($0): \($1)" }.joined(separator: ", ") + "]"
    }
}

func asciiCaseInsensitiveEqual(_ a: String, _ b: String) -> Bool {
    let x = a.utf8, y = b.utf8
    guard x.count == y.count else { return false }
    for (p, q) in zip(x, y) where p != q {
        let lp = (p >= 65 && p <= 90) ? p + 32 : p
        let lq = (q >= 65 && q <= 90) ? q + 32 : q
        if lp != lq { return false }
    }
    return true
}
