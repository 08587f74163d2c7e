// SQLiteOracle+Partial: statements that may fail midway — PRAGMA
// integrity_check on a corrupt file returns rows and then an error — with
// the rows that came before the error kept.
import Base
import CSQLite3

extension SQLiteOracle {
    /// The rows of `sql` up to its end or its first error, and that error.
    public func queryUntilError(_ sql: String) -> (rows: [[Value]], error: OracleError?) {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v2(db, sql, -1, &stmt, nil)
        guard rc == SQLITE_OK, let stmt else {
            return ([], lastError)
        }
        defer { sqlite3_finalize(stmt) }
        var rows: [[Value]] = []
        while true {
            let s = sqlite3_step(stmt)
            if s == SQLITE_DONE { return (rows, nil) }
            guard s == SQLITE_ROW else {
                return (rows, lastError)
            }
            var row: [Value] = []
            for c in 0..<sqlite3_column_count(stmt) { row.append(Self.column(stmt, c)) }
            rows.append(row)
        }
    }

    var lastError: OracleError {
        OracleError(code: sqlite3_extended_errcode(db), message: String(cString: sqlite3_errmsg(db)))
    }

    /// PRAGMA integrity_check (or `pragma`, e.g. "quick_check(5)") as text rows, and the error that ended it.
    public func integrityCheckUntilError(_ pragma: String = "integrity_check")
        -> (rows: [String], error: OracleError?) {
        let (rows, error) = queryUntilError("PRAGMA \(pragma)")
        return (rows.map { r in
            if case .text(let t) = r[0] { return String(decoding: t, as: UTF8.self) }
            return "\(r[0])"
        }, error)
    }
}
