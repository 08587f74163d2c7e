// Connection+Limits: sqlite3_limit() for the run-time limits swiftdb enforces.
//
// Adjustable, per connection: the SQL length, the terms of a compound SELECT
// and the number of variables. The parser checks them exactly where and as
// sqlite3 does, so a new value (clamped to the hard maximum as sqlite3_limit
// clamps it, main.c) changes what is accepted just as in sqlite3.
//
// Fixed: the longest string or blob and the longest LIKE pattern (checked by
// the functions and operators at SQLiteLimits' values); the expression depth
// (the parser's check while building the tree, which sqlite3 also repeats
// while resolving names with the depth of enclosing expressions added — at
// lower limits the two would disagree); the function arguments (the parser
// checks function calls, not LIKE/GLOB/-> which sqlite3 also counts as
// calls — only a limit below 3 could tell); the nesting of triggers (100, at
// compile time: a fired trigger is compiled into its statement); no attached
// database (ATTACH is not supported) and no worker thread (sorting runs on
// the statement's thread). Each value is also the hard maximum: setting one to
// it or above changes nothing (clamped, as sqlite3_limit clamps), lower fails.
// Not enforced at all, so without a value: the column count (checked only in
// UPDATE set lists) and the program size (vdbe_op).

import Base
import SQL

/// The SQLITE_LIMIT_* categories, in their numeric order (0 to 11).
public enum LimitID: Int, CaseIterable, Sendable {
    case length, sqlLength, column, exprDepth, compoundSelect, vdbeOp, functionArgument, attached,
         likePatternLength, variableNumber, triggerDepth, workerThreads

    /// The name the sqlite3 shell's .limit uses.
    public var name: String {
        ["length", "sql_length", "column", "expr_depth", "compound_select", "vdbe_op", "function_arg", "attached",
         "like_pattern_length", "variable_number", "trigger_depth", "worker_threads"][rawValue]
    }
}

extension SQLiteLimits {
    /// How many trigger programs may be nested (sqlite3's SQLITE_MAX_TRIGGER_DEPTH is 1000).
    static let maxTriggerDepth = 100
}

extension Connection {
    /// How the parser reads this connection's statements.
    var parserOptions: ParserOptions { ParserOptions(limits: parserLimits) }

    /// sqlite3_limit(db, id, -1): the limit's value, or nil when swiftdb does not enforce it.
    public func limit(_ id: LimitID) -> Int? {
        switch id {
        case .length: return SQLiteLimits.maxLength
        case .sqlLength: return parserLimits.sqlLength
        case .exprDepth: return parserLimits.exprDepth
        case .compoundSelect: return parserLimits.compoundSelect
        case .functionArgument: return parserLimits.functionArguments
        case .attached: return 0
        case .likePatternLength: return SQLiteLimits.maxLikePatternLength
        case .variableNumber: return parserLimits.variableNumber
        case .triggerDepth: return SQLiteLimits.maxTriggerDepth
        case .workerThreads: return 0
        case .column, .vdbeOp: return nil
        }
    }

    /// sqlite3_limit(db, id, value) for a value >= 0: sets the limit to `value` clamped to its hard
    /// maximum (the length to at least 1) and returns the new value. Throws for a limit swiftdb does
    /// not enforce, and for a fixed one unless the clamped value is the one it has.
    @discardableResult
    public func setLimit(_ id: LimitID, to value: Int) throws(DBError) -> Int {
        guard let current = limit(id) else {
            throw DBError(.error, "swiftdb does not enforce the \(id.name) limit yet")
        }
        let hard = ParserLimits()
        literalStatements.clear()  // a cached statement was parsed under the old limits
        switch id {
        case .sqlLength: parserLimits.sqlLength = min(value, hard.sqlLength)
        case .compoundSelect: parserLimits.compoundSelect = min(value, hard.compoundSelect)
        case .variableNumber: parserLimits.variableNumber = min(value, hard.variableNumber)
        default:
            let clamped = id == .length ? max(1, min(value, current)) : min(value, current)
            guard clamped == current else {
                throw DBError(.error, "swiftdb cannot change the \(id.name) limit yet (it stays \(current))")
            }
        }
        return limit(id) ?? 0
    }
}
