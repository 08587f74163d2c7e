// DatabaseError: the one error type of the public API.
//
// It carries SQLite's primary and extended result codes and sqlite3's message
// text word for word (DESIGN.md, decision 5), and the SQL that failed when
// there was one. Engine errors (Base.DBError) convert without loss.

import Base

/// SQLite's result codes (`SQLITE_BUSY`, `SQLITE_CONSTRAINT_UNIQUE`, …): primary codes in the low
/// byte, extended codes above it, with SQLite's numeric values.
public typealias ResultCode = Base.ResultCode

/// An error reported by swiftdb: SQLite's result codes and sqlite3's message.
///
/// ```swift
/// do {
///     try db.execute("INSERT INTO t(id) VALUES (1)")
/// } catch let error as DatabaseError where error.resultCode == .constraint {
///     print(error.message)   // UNIQUE constraint failed: t.id
/// }
/// ```
public struct DatabaseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The extended result code (`SQLITE_CONSTRAINT_UNIQUE`, `SQLITE_BUSY_SNAPSHOT`, …); equal to the
    /// primary code when SQLite has no finer one.
    public var extendedResultCode: ResultCode
    /// sqlite3's message, as `sqlite3_errmsg` gives it.
    public var message: String
    /// The statement that failed, when the error came from one.
    public var sql: String?
    /// What was damaged or failed and where, for errors whose message is generic (corruption, I/O).
    public var detail: String?

    /// The primary result code (`SQLITE_CONSTRAINT`, `SQLITE_BUSY`, `SQLITE_INTERRUPT`, …).
    public var resultCode: ResultCode { extendedResultCode.primary }

    /// An error with `code` and a message (sqlite3's text for the code when none is given).
    public init(_ code: ResultCode, message: String? = nil, sql: String? = nil) {
        extendedResultCode = code
        self.message = message ?? code.defaultMessage
        self.sql = sql
    }

    init(_ error: DBError, sql: String? = nil) {
        extendedResultCode = error.code
        message = error.message
        detail = error.detail
        self.sql = sql
    }

    public var description: String {
        var text = "SQLite error \(extendedResultCode.rawValue): \(message)"
        if let detail { text += " (\(detail))" }
        if let sql { text += " - while executing `\(sql)`" }
        return text
    }

    /// SQLITE_INTERRUPT, as a cancelled task's statement reports it.
    static let interrupted = DatabaseError(.interrupt)
}

extension DBError {
    /// This error as the public API reports it.
    func publicError(sql: String? = nil) -> DatabaseError { DatabaseError(self, sql: sql) }
}
