// OracleSession: one fresh libsqlite3 3.40.1 in-memory connection running a
// script statement by statement for the differential harness.
//
// Extended result codes are on, so errors carry the same codes swiftdb reports.
// A statement that fails while stepping keeps only its error (rows that came
// before it are not compared). Test-only (DESIGN.md, decision 4).

import Base
import CSQLite3

final class OracleSession {
    private var db: OpaquePointer?

    init() {
        sqlite3_open(":memory:", &db)
        sqlite3_extended_result_codes(db, 1)
    }

    deinit { sqlite3_close_v2(db) }

    /// Runs one statement; nil when the text holds no statement (only comments).
    func run(_ sql: String) -> StatementOutcome? {
        var stmt: OpaquePointer?
        var outcome = StatementOutcome()
        if sqlite3_prepare_v2(db, sql, -1, &stmt, nil) != SQLITE_OK {
            outcome.error = lastError
        } else if let stmt {
            defer { sqlite3_finalize(stmt) }
            let n = sqlite3_column_count(stmt)
            outcome.columns = (0..<n).map { String(cString: sqlite3_column_name(stmt, $0)) }
            while true {
                let rc = sqlite3_step(stmt)
                if rc == SQLITE_DONE { break }
                guard rc == SQLITE_ROW else {
                    outcome.error = lastError
                    outcome.rows = []
                    break
                }
                outcome.rows.append((0..<n).map { Self.column(stmt, $0) })
            }
        } else {
            return nil
        }
        outcome.changes = sqlite3_changes64(db)
        outcome.totalChanges = sqlite3_total_changes64(db)
        outcome.lastInsertRowID = sqlite3_last_insert_rowid(db)
        outcome.autocommit = sqlite3_get_autocommit(db) != 0
        return outcome
    }

    /// True when `text` ends with a complete SQL statement (sqlite3_complete).
    static func isComplete(_ text: String) -> Bool { sqlite3_complete(text) != 0 }

    private var lastError: StatementError {
        StatementError(code: sqlite3_extended_errcode(db), message: String(cString: sqlite3_errmsg(db)))
    }

    private static func column(_ stmt: OpaquePointer, _ c: Int32) -> Value {
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
}
