// EngineSession: one fresh swiftdb in-memory Connection running a script
// statement by statement, reporting what OracleSession reports for libsqlite3.
//
// Errors may come from prepare (compile) or step (run); either way only the
// DBError's extended code and message are kept, as for the oracle.

import Base
@testable import Engine

final class EngineSession {
    private let connection: Connection

    init() throws {
        connection = try Connection(path: ":memory:")
    }

    /// Runs one statement; nil when the text holds no statement (only comments).
    func run(_ sql: String) -> StatementOutcome? {
        var outcome = StatementOutcome()
        do {
            let (prepared, _) = try connection.prepare(Array(sql.utf8), at: 0)
            guard let stmt = prepared else { return nil }
            outcome.columns = (0..<stmt.columnCount).map { stmt.columnName($0) }
            while try stmt.step() == .row {
                outcome.rows.append((0..<stmt.columnCount).map { stmt.column($0) })
            }
        } catch {
            outcome.error = StatementError(code: error.code.rawValue, message: error.message)
            outcome.rows = []
        }
        outcome.changes = connection.changes
        outcome.totalChanges = connection.totalChanges
        outcome.lastInsertRowID = connection.lastInsertRowID
        outcome.autocommit = connection.autocommit
        return outcome
    }
}
