// DBError: the one error type of the engine's layers (IO, Storage, SQL, Engine).
//
// An error is a ResultCode plus sqlite3's message text, word for word
// (DESIGN.md, decision 5). Layers throw it with typed throws, `throws(DBError)`,
// so nothing is boxed on the error path. A `.ioPending` error is not a failure:
// it tells the caller that I/O was submitted and the operation must be re-entered
// once it completes (DESIGN.md, decision 3).

/// An error with an SQLite result code and the message sqlite3 would print.
public struct DBError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: ResultCode
    public var message: String
    /// What and where, for errors whose sqlite3 message is generic (corruption, I/O).
    public var detail: String?
    /// Where in the SQL text the error lies, as sqlite3_error_offset() reports it (a byte offset
    /// in the text given to prepare); nil where it reports -1. Not part of equality.
    public var offset: Int?

    public init(_ code: ResultCode, _ message: String, detail: String? = nil) {
        self.code = code
        self.message = message
        self.detail = detail
    }

    /// An error whose message is the code's generic text (sqlite3_errstr).
    public init(_ code: ResultCode) {
        self.code = code
        self.message = code.defaultMessage
    }

    public var description: String {
        if let detail { return "\(message) (\(detail))" }
        return message
    }

    public static func == (a: DBError, b: DBError) -> Bool {
        a.code == b.code && a.message == b.message && a.detail == b.detail
    }

    /// `SQLITE_CORRUPT` with sqlite3's message; `detail` names what is damaged and where.
    public static func corrupt(_ detail: String) -> DBError {
        DBError(.corrupt, ResultCode.corrupt.defaultMessage, detail: detail)
    }

    public static func misuse(_ detail: String) -> DBError { DBError(.misuse, detail) }

    /// The internal marker thrown when a page read was submitted and the caller must re-enter.
    public static let ioPending = DBError(.ioPending, "")

    public var isIOPending: Bool { code == .ioPending }

    /// The internal marker thrown in the pager's `.noWait` mode instead of blocking the thread.
    public static let wouldBlock = DBError(.wouldBlock, "")

    public var isWouldBlock: Bool { code == .wouldBlock }
}

/// Runs `body`, whose errors are known to be DBErrors but whose type is erased by a
/// standard-library closure API (withUnsafeBytes and the like), and rethrows them typed.
@inlinable
public func typedThrows<R>(_ body: () throws -> R) throws(DBError) -> R {
    do {
        return try body()
    } catch let e as DBError {
        throw e
    } catch {
        throw DBError(.internal, "unexpected error: \(error)")
    }
}

extension Array where Element == UInt8 {
    /// withUnsafeBytes for bodies that throw DBError: a base pointer (never nil) and a count.
    @inlinable
    public func withUnsafeBytesTyped<R>(_ body: (UnsafeRawPointer, Int) throws(DBError) -> R) throws(DBError) -> R {
        try typedThrows {
            try withUnsafeBytes { b in
                try body(b.baseAddress ?? UnsafeRawPointer(bitPattern: 16)!, b.count)
            }
        }
    }
}
