// SQLiteOracle: libsqlite3 3.40.1, the reference every differential test asks.
//
// Test-only (DESIGN.md, decision 4): it links the system libsqlite3 through
// the CSQLite3 module and is never part of the product. Values come back as
// the engine's `Value` so results compare directly.
import Base
import CSQLite3

/// An error from libsqlite3: its extended result code and sqlite3_errmsg text.
public struct OracleError: Error, Equatable, CustomStringConvertible {
    public var code: Int32
    public var message: String
    public var description: String { "\(code): \(message)" }
}

private let transientDestructor = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// One libsqlite3 connection.
public final class SQLiteOracle {
    public let db: OpaquePointer

    public init(_ path: String = ":memory:") throws {
        var handle: OpaquePointer?
        let rc = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil)
        guard rc == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "open failed"
            if let handle { sqlite3_close(handle) }
            throw OracleError(code: rc, message: message)
        }
        db = handle
        sqlite3_extended_result_codes(db, 1)
    }

    deinit { sqlite3_close_v2(db) }

    /// Runs every statement of `sql`, discarding rows.
    public func exec(_ sql: String) throws {
        var err: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(db, sql, nil, nil, &err)
        if rc != SQLITE_OK {
            let message = err.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(db))
            sqlite3_free(err)
            throw OracleError(code: sqlite3_extended_errcode(db), message: message)
        }
    }

    /// The rows of one statement, with `parameters` bound in order.
    public func query(_ sql: String, _ parameters: [Value] = []) throws -> [[Value]] {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v2(db, sql, -1, &stmt, nil)
        guard rc == SQLITE_OK, let stmt else {
            throw OracleError(code: sqlite3_extended_errcode(db), message: String(cString: sqlite3_errmsg(db)))
        }
        defer { sqlite3_finalize(stmt) }
        for (i, p) in parameters.enumerated() { bind(stmt, Int32(i + 1), p) }
        var rows: [[Value]] = []
        while true {
            let s = sqlite3_step(stmt)
            if s == SQLITE_DONE { break }
            guard s == SQLITE_ROW else {
                throw OracleError(code: sqlite3_extended_errcode(db), message: String(cString: sqlite3_errmsg(db)))
            }
            var row: [Value] = []
            for c in 0..<sqlite3_column_count(stmt) { row.append(Self.column(stmt, c)) }
            rows.append(row)
        }
        return rows
    }

    func bind(_ stmt: OpaquePointer, _ i: Int32, _ v: Value) {
        switch v {
        case .null: sqlite3_bind_null(stmt, i)
        case .integer(let x): sqlite3_bind_int64(stmt, i, x)
        case .real(let d): sqlite3_bind_double(stmt, i, d)
        case .text(let t):
            // A zero-length text still needs a non-null pointer, or SQLite binds NULL.
            (t.isEmpty ? [0] : t).withUnsafeBytes { b in
                _ = sqlite3_bind_text(stmt, i, b.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(t.count),
                                      transientDestructor)
            }
        case .blob(let b):
            (b.isEmpty ? [0] : b).withUnsafeBytes { p in
                _ = sqlite3_bind_blob(stmt, i, p.baseAddress, Int32(b.count), transientDestructor)
            }
        }
    }

    static func column(_ stmt: OpaquePointer, _ c: Int32) -> Value {
        switch sqlite3_column_type(stmt, c) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(stmt, c))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(stmt, c))
        case SQLITE_TEXT:
            let n = Int(sqlite3_column_bytes(stmt, c))
            guard let p = sqlite3_column_text(stmt, c) else { return .text([]) }
            return .text(Array(UnsafeBufferPointer(start: p, count: n)))
        case SQLITE_BLOB:
            let n = Int(sqlite3_column_bytes(stmt, c))
            guard let p = sqlite3_column_blob(stmt, c) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: p, count: n)))
        default: return .null
        }
    }

    /// PRAGMA integrity_check's output lines.
    public func integrityCheck() throws -> [String] {
        try query("PRAGMA integrity_check").map { row in
            if case .text(let t) = row[0] { return String(decoding: t, as: UTF8.self) }
            return "\(row[0])"
        }
    }
}
