// StatementCache: compiled statements kept by their SQL text, so a statement
// run again and again (an INSERT per row, BEGIN and COMMIT, a lookup) is
// compiled once (issue 4's statement cache; GRDB's cachedStatement).
//
// A Connection keeps two: the one `cachedStatement(_:)` hands out, and the one
// `execute`, `query` and `scalar` take a statement from for the length of the
// call, so the caller's cached statement is never reset under it. Each holds at
// most `capacity` statements and drops the least recently used first; the
// order lives in an array, never in Dictionary order (DESIGN.md, decision 6).
// What is kept is the engine's compiled statement, not the public Statement
// (which holds its Connection: the connection would hold itself). A statement
// is always stored reset with its bindings cleared. A schema change needs no
// invalidation: the engine compiles a stale statement again at its next step
// (PreparedStatement.step), and Statement.columnNames follows.

import Engine

struct StatementCache {
    /// The most statements one cache keeps.
    static let capacity = 64

    private var statements: [String: PreparedStatement] = [:]
    /// Texts from least to most recently used.
    private var recency: [String] = []

    var count: Int { statements.count }

    /// Removes and returns the statement for `sql`, reset and unbound, if there is one.
    mutating func take(_ sql: String) -> PreparedStatement? {
        guard let s = statements.removeValue(forKey: sql) else { return nil }
        if let i = recency.lastIndex(of: sql) { recency.remove(at: i) }
        return s
    }

    /// Stores `statement` for `sql` as the most recently used, reset and unbound, dropping the least
    /// recently used one when full.
    mutating func put(_ sql: String, _ statement: PreparedStatement) {
        statement.reset()
        statement.clearBindings()
        if statements.updateValue(statement, forKey: sql) != nil, let i = recency.lastIndex(of: sql) {
            recency.remove(at: i)
        }
        recency.append(sql)
        if recency.count > Self.capacity { statements.removeValue(forKey: recency.removeFirst()) }
    }
}
