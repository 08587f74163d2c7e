// StatementOutcome: what one SQL statement did, in terms both engines report.
//
// A statement either produced rows (with column names) or failed with an error
// (extended result code and message). After it ran, the connection's changes(),
// total_changes(), last_insert_rowid() and autocommit flag are read too. Two
// outcomes agree when all of this matches; rows compare in order only when the
// statement fixes the order (top-level ORDER BY, a PRAGMA, or `-- @ordered`).

import Base

/// An error as both engines report it: the extended result code and the message.
struct StatementError: Equatable, CustomStringConvertible {
    var code: Int32
    var message: String
    var description: String { "error \(code) (primary \(code & 0xff)): \"\(message)\"" }
}

/// The observable effect of one statement on one engine.
struct StatementOutcome: CustomStringConvertible {
    var columns: [String] = []
    var rows: [[Value]] = []
    var error: StatementError?
    var changes: Int64 = 0
    var totalChanges: Int64 = 0
    var lastInsertRowID: Int64 = 0
    var autocommit = true

    var description: String {
        var lines: [String] = []
        if let error {
            lines.append(error.description)
        } else {
            lines.append("columns: " + columns.joined(separator: ", "))
            for row in rows.prefix(12) { lines.append("  " + row.map(debugText).joined(separator: " | ")) }
            if rows.count > 12 { lines.append("  … \(rows.count) rows") }
        }
        lines.append("changes \(changes), total_changes \(totalChanges), last_insert_rowid \(lastInsertRowID), "
                     + "autocommit \(autocommit)")
        return lines.joined(separator: "\n    ")
    }

    /// The first way `other` (swiftdb) differs from `self` (sqlite3), or nil when they agree.
    /// Column names count for queries and for statements that returned rows (sqlite3 gives some
    /// row-less statements, such as ALTER TABLE … ADD COLUMN … CHECK, internal column names).
    func difference(from other: StatementOutcome, ordered: Bool, isQuery: Bool) -> String? {
        if error != other.error {
            return "error differs"
        }
        if error == nil {
            let namesCount = isQuery || !rows.isEmpty || !other.rows.isEmpty
            if namesCount && columns != other.columns { return "column names differ" }
            if ordered {
                if rows != other.rows { return "rows differ (ordered)" }
            } else if Self.canonical(rows) != Self.canonical(other.rows) {
                return "rows differ (as a multiset)"
            }
        }
        if changes != other.changes { return "changes() differs" }
        if totalChanges != other.totalChanges { return "total_changes() differs" }
        if lastInsertRowID != other.lastInsertRowID { return "last_insert_rowid() differs" }
        if autocommit != other.autocommit { return "autocommit state differs" }
        return nil
    }

    /// Rows sorted by an unambiguous rendering, for multiset comparison.
    private static func canonical(_ rows: [[Value]]) -> [String] {
        rows.map { row in row.map { "\($0.storageClass.rawValue):\(debugText($0))" }.joined(separator: "\u{1}") }
            .sorted()
    }
}
