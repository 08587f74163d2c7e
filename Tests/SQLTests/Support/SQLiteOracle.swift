// SQLiteOracle: libsqlite3 as the reference parser for the differential tests.
//
// Prepares SQL on an in-memory database the way the sqlite3 CLI does: one
// statement at a time, each prepare starting at the previous one's tail; a
// statement can be stepped to build the state later ones need (a missing table
// is a semantic error, which the differential tests treat as "the parser
// accepted it"). Only tests link libsqlite3 (DESIGN.md, decision 4).

import CSQLite3

/// What sqlite3_prepare_v2 did with the SQL starting at one offset.
struct OracleOutcome: Equatable {
    /// A statement was compiled (false for empty input, `;` or comments only).
    var hasStatement: Bool
    /// Where the next statement starts, relative to the buffer.
    var tail: Int
    /// The error message and sqlite3_error_offset (relative to the prepare's start).
    var error: (message: String, offset: Int)?

    static func == (a: OracleOutcome, b: OracleOutcome) -> Bool {
        a.hasStatement == b.hasStatement && a.tail == b.tail
            && a.error?.message == b.error?.message && a.error?.offset == b.error?.offset
    }
}

final class SQLiteOracle {
    private var db: OpaquePointer?
    private var pending: OpaquePointer?

    init() {
        sqlite3_open(":memory:", &db)
    }

    deinit {
        sqlite3_finalize(pending)
        sqlite3_close(db)
    }

    /// sqlite3_limit.
    func setLimit(_ id: Int32, _ value: Int32) {
        sqlite3_limit(db, id, value)
    }

    /// Prepares the statement starting at `start` of the NUL-terminated `buffer`. The compiled
    /// statement is kept until `step()` or the next `prepare`.
    func prepare(_ buffer: [CChar], at start: Int) -> OracleOutcome {
        sqlite3_finalize(pending)
        pending = nil
        return buffer.withUnsafeBufferPointer { all -> OracleOutcome in
            let base = all.baseAddress!
            var statement: OpaquePointer?
            var tail: UnsafePointer<CChar>?
            let rc = sqlite3_prepare_v2(db, base + start, -1, &statement, &tail)
            let tailOffset = tail.map { $0 - base } ?? start
            if rc != SQLITE_OK {
                sqlite3_finalize(statement)
                let message = String(cString: sqlite3_errmsg(db))
                return OracleOutcome(hasStatement: false, tail: tailOffset,
                                     error: (message, Int(sqlite3_error_offset(db))))
            }
            pending = statement
            return OracleOutcome(hasStatement: statement != nil, tail: tailOffset, error: nil)
        }
    }

    /// Runs the statement compiled by the last `prepare` to completion, ignoring errors.
    func step() {
        guard let statement = pending else { return }
        while sqlite3_step(statement) == SQLITE_ROW {}
        sqlite3_finalize(statement)
        pending = nil
    }

    /// Runs a whole script (for setting up state), ignoring errors.
    func execute(_ sql: String) {
        sqlite3_exec(db, sql, nil, nil, nil)
    }
}

/// True for the errors the parser is responsible for: the tokenizer's and grammar's
/// messages and the parser's limits (NOTES-ON-ISSUES.md, issue 3).
func isSyntaxClassError(_ message: String) -> Bool {
    if message.hasPrefix("near \"") && message.hasSuffix("\": syntax error") { return true }
    if message.hasPrefix("unrecognized token: ") { return true }
    if message.hasPrefix("Expression tree is too large") { return true }
    if message.hasSuffix(" not before") && message.contains("clause should come after") { return true }
    switch message {
    case "incomplete input", "parser stack overflow", "too many terms in compound SELECT",
         "string or blob too big":
        return true
    default:
        return false
    }
}
