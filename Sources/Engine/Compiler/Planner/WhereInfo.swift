// WhereInfo: the state of planning one WHERE loop nest (whereInt.h's
// WhereInfo): the analysed clause, what the caller wants (ORDER BY, GROUP BY
// or DISTINCT order, a LIMIT), per-table statistics, the candidate loops,
// and — once solved — the chosen loop of each level and how much of the
// requested order it delivers.
//
// PlannerState is the planner's part of the compiler: pParse->nQueryLoop
// (how many times the code being compiled may run, so correlated subqueries
// favour automatic indexes), the output estimate of the SELECT compiled
// last (a FROM subquery's row count), and ids for columns of enclosing
// queries.

import Base
import SQL

/// wctrlFlags of sqlite3WhereBegin.
struct WhereFlags: OptionSet {
    let rawValue: UInt16
    static let orderByMin = WhereFlags(rawValue: 0x0001)
    static let orderByMax = WhereFlags(rawValue: 0x0002)
    static let onePassDesired = WhereFlags(rawValue: 0x0004)
    /// The caller (UPDATE or DELETE) can change several rows while the loop scans (WHERE_ONEPASS_MULTIROW).
    static let onePassMultiRow = WhereFlags(rawValue: 0x0008)
    /// DELETE: a row reached twice is harmless (WHERE_DUPLICATES_OK), so an OR loop may be one-pass.
    static let duplicatesOK = WhereFlags(rawValue: 0x0010)
    static let orSubclause = WhereFlags(rawValue: 0x0020)
    /// The loop over a RIGHT JOIN's right table that finds its unmatched rows (WHERE_RIGHT_JOIN): the table
    /// is already open, it is always read itself (never only through a covering index), and no automatic
    /// index is built for it.
    static let rightJoinPass = WhereFlags(rawValue: 0x1000)
    static let groupBy = WhereFlags(rawValue: 0x0040)
    static let distinctBy = WhereFlags(rawValue: 0x0080)
    static let wantDistinct = WhereFlags(rawValue: 0x0100)
    static let sortByGroup = WhereFlags(rawValue: 0x0200)
    static let aggDistinct = WhereFlags(rawValue: 0x0400)
    static let orderByLimit = WhereFlags(rawValue: 0x0800)
    static let useLimit = WhereFlags(rawValue: 0x4000)
}

/// Whether an UPDATE or DELETE changes rows while its loop scans them (ONEPASS_*, where.c): `single`
/// when the loop visits at most one row, `multi` when the caller allowed it for several.
enum OnePass { case off, single, multi }

/// How a query's DISTINCT is being met (WHERE_DISTINCT_*).
enum DistinctKind { case noop, unique, ordered, unordered }

/// One term of the ORDER BY (or GROUP BY, or DISTINCT list) the loops are asked to deliver.
struct PlanOrderTerm {
    var expr: Expr
    var scope: Scope
    var descending: Bool
    var collation: Collation
    /// NULLS FIRST on DESC or NULLS LAST on ASC (KEYINFO_ORDER_BIGNULL).
    var bigNull = false
}

/// What the caller of whereBegin asks of the loops.
struct WhereRequest {
    var orderBy: [PlanOrderTerm] = []
    var flags: WhereFlags = []
    /// LogEst of a constant LIMIT (with .useLimit).
    var limit = LogEst(0)
    /// The result columns (DISTINCT and the omit-noop-join check).
    var resultSet: [Expr]?
    /// The ORDER BY expressions of the statement, for the omit-noop-join check.
    var statementOrderBy: [Expr] = []
}

final class WhereInfo {
    let scope: Scope
    let clause: WhereClause
    var request: WhereRequest
    var flags: WhereFlags
    var orderBy: [PlanOrderTerm]?
    let loops = WhereLoopSet()
    /// Chosen loops, outermost first.
    var levels: [WhereLoop] = []
    var nOBSat = 0
    var revMask: UInt64 = 0
    var distinct: DistinctKind = .noop
    var onePass = OnePass.off
    var nRowOut = LogEst(0)
    var orderedInnerLoop = false
    var sorted = false
    /// Columns each FROM term's statement reads (SrcItem.colUsed; bit 63: some column from 63 on).
    var columnsUsed: [UInt64] = []
    var rowLogEst: [LogEst] = []
    var rowSize: [LogEst] = []
    /// Candidate indexes of each FROM term, in SQLite's order (the rowid first for rowid tables).
    var probes: [[PlanIndex]] = []
    /// pParse->nQueryLoop when planning began.
    var queryLoop = LogEst(0)
    /// How many FROM terms are looped over (1 for a disjunct of a MULTI-INDEX OR, whose other terms only
    /// count as not yet positioned).
    var loopCount = 0
    /// Some term could not be tested inside a disjunct's loop (it reads a table not yet positioned).
    var untestedTerms = false
    /// Index cursors opened with the tables, before the outermost loop, by level (emitLoops).
    var openedIndexCursors: [Int: Int32] = [:]

    init(scope: Scope, clause: WhereClause, request: WhereRequest) {
        self.scope = scope
        self.clause = clause
        self.request = request
        self.flags = request.flags
        self.orderBy = request.orderBy.isEmpty ? nil : request.orderBy
        self.loopCount = request.flags.contains(.orSubclause) ? min(1, scope.terms.count) : scope.terms.count
    }
}

/// The planner's state kept by the compiler across whereBegin calls.
struct PlannerState {
    /// pParse->nQueryLoop.
    var queryLoop = LogEst(0)
    /// nSelectRow of the SELECT compiled last.
    var lastSelectRows = LogEst(0)
    /// Enclosing-query terms whose columns appear in terms being planned (index = -3 - id).
    var foreignTerms: [ObjectIdentifier] = []
}
