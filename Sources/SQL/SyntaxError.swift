// SyntaxError: an error found while reading SQL text, worded as sqlite3 words it.
//
// Messages are sqlite3 3.40.1's, word for word: `near "X": syntax error`,
// `incomplete input`, `unrecognized token: "X"`, the grammar's own messages
// (parse.y actions, e.g. "ORDER BY clause should come after UNION not before")
// and the parser limits ("parser stack overflow", "Expression tree is too large
// (maximum depth 1000)", "string or blob too big"). `position` is where the
// parser stopped; `reportedOffset` is what sqlite3_error_offset() would give
// (absolute in the input), nil where SQLite reports -1.

import Base

/// A syntax error with sqlite3's message and the offending token's position.
public struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// sqlite3's message text.
    public var message: String
    /// The byte offset of the offending token in the parser's input.
    public var position: Int
    /// The byte offset sqlite3_error_offset() reports for this error, or nil for -1.
    public var reportedOffset: Int?
    /// SQLITE_ERROR, or SQLITE_TOOBIG for an over-long statement.
    public var code: ResultCode

    /// An error with `message`, found at byte `position`.
    public init(_ message: String, position: Int, reportedOffset: Int?, code: ResultCode = .error) {
        self.message = message
        self.position = position
        self.reportedOffset = reportedOffset
        self.code = code
    }

    /// The same error as the engine's error type.
    public var dbError: DBError {
        var e = DBError(code, message)
        e.offset = reportedOffset
        return e
    }

    public var description: String { message }
}
