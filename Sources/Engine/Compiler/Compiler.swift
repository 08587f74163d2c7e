// Compiler: turns one parsed statement into a Program (SQLite's build.c,
// select.c, insert.c … in one place, split by statement across
// Compiler+*.swift).
//
// Every program has the same frame, as sqlite3's do:
//   0      Init → setup
//   1…     the statement's body, ending in Halt
//   setup: Transaction (read or write, schema cookie), constants hoisted out
//          of loops, Goto 1
// so constants are computed once, and the transaction begins before the
// first instruction that needs it. Name resolution, planning and code
// generation happen in one pass over the AST.

import Base
import Storage
import SQL

final class Compiler {
    let connection: Connection
    /// The main database's schema, and the temp database's once a statement has named it.
    let catalog: Catalog
    var tempCatalog: Catalog?
    /// The databases of the views and triggers being compiled, innermost last: unqualified names inside a
    /// main-database object mean main only (Compiler+Databases.swift).
    var schemaObjectDatabases: [Int] = []
    /// The statement changes the main or the temp database's schema (DDL), for the Transaction opcodes.
    var schemaWrites = (main: false, temp: false)
    /// The text the AST being compiled came from (a view's CREATE VIEW text while its SELECT is compiled).
    var source: [UInt8]
    var b = ProgramBuilder()
    /// Set by anything that writes the database; selects a write transaction.
    var writes = false
    /// Instructions to run once in the setup section (hoisted constants).
    var setupCode: [(Opcode, Int32, Int32, Int32, Operand)] = []
    /// Common table expressions visible at this point, innermost last.
    var cteScopes: [CTEScope] = []
    /// EXPLAIN QUERY PLAN node ids.
    var nextPlanID: Int32 = 1
    var planParents: [Int32] = [0]
    /// Tables bound to a cursor by name while compiling a recursive CTE's recursive part.
    var boundTables: [String: (cursor: Int32, names: [String], affinities: [Affinity])] = [:]
    /// Recursion guard for views and CTEs that refer to themselves.
    var expandingViews: [String] = []
    /// The FROM clause being built has a RIGHT or FULL JOIN: nothing in it is flattened or streamed.
    var buildingFromWithRightJoin = false
    /// While a FROM clause with a RIGHT JOIN is built: whether the item being added is left of its last RIGHT
    /// JOIN (then flattened only as into an outer join); nil without a RIGHT JOIN, or when nothing may be
    /// flattened (parenthesized joins).
    var flatteningLeftOfRightJoin: Bool?
    /// The FROM clause being built belongs to a SELECT DISTINCT: nothing is flattened into a LEFT JOIN.
    var buildingFromOfDistinct = false
    /// Registers of enclosing queries' aggregates that subqueries read (Compiler+OuterAggregates.swift).
    var outerAggregateReads = Set<Int32>()
    /// An ambiguous USING column: sqlite3ProcessJoin records the error and goes on to the later joins, so
    /// the last such message is the one reported (at the end of buildFrom).
    var deferredJoinError: DBError?
    /// Nesting depth of subqueries being compiled (bounded).
    var depth = 0
    /// Parenthesized joins read as subqueries so far, for their `(join-N)` names.
    var nestedJoinCount = 0
    /// The trigger being compiled inline, if any (RAISE needs it).
    var currentTrigger: TriggerContext?
    /// Triggers whose bodies are being compiled (a trigger never fires itself).
    var activeTriggers: [String] = []
    /// The query planner's state across loop nests (Planner/WhereInfo.swift).
    var planner = PlannerState()
    /// The part of `source` SELECTs are numbered in (the statement, or a view's CREATE VIEW while it
    /// expands), and SelectNumbering's numbers for it once asked for.
    var numberedRange: Range<Int> = 0..<0
    /// SelectNumbering's numbers for the statement, then for each view expanded so far (a flattened view's
    /// subqueries are compiled after its text is no longer `source`, so every table stays).
    var selectNumbers: [[UInt32: SelectNumbering.Entry]] = []
    /// The highest SELECT number given out so far (the statement's, then each expanded view's).
    var lastSelectNumber = 0
    static let maxDepth = 200
    /// The statement is EXPLAIN QUERY PLAN: plan lines are coded as Explain opcodes (see `planLine`).
    var emitsQueryPlan = false
    /// The first unknown collation a comparison, sort or grouping asked for (`collation(of:)`): the statement
    /// fails with "no such collation sequence" once compiled, as sqlite3 fails where sqlite3ExprCollSeq looks
    /// the name up; an unknown COLLATE that nothing compares with is no error (`SELECT 'a' COLLATE nosuch`).
    var missingCollation: String?
    /// With Connection.triggerQueryPlans, the plan lines of the trigger being coded carry its group in P3
    /// (nesting depth << 16 | the order it first fired in), after a `-- TRIGGER name` line; 0 while the
    /// trigger's lines are not shown (the flag is off, or its plan was shown already: SQLite codes each
    /// trigger once, as a sub-program, and lists sub-programs after the statement's own lines).
    var triggerPlanGroup: Int32 = 0
    var triggerPlanGroupCount: Int32 = 0
    var plannedTriggers: Set<String> = []

    init(connection: Connection, catalog: Catalog, tempCatalog: Catalog? = nil, source: [UInt8]) {
        self.connection = connection
        self.catalog = catalog
        self.tempCatalog = tempCatalog
        self.source = source
    }

    static func compile(_ statement: Statement, source: [UInt8], connection: Connection) throws(DBError) -> Program {
        let c = Compiler(connection: connection, catalog: try connection.catalog, tempCatalog: try connection.tempCatalog,
                         source: source)
        return try c.compileStatement(statement)
    }

    func compileStatement(_ statement: Statement) throws(DBError) -> Program {
        let initAddr = b.emit(.Init)
        let setupLabel = b.makeLabel()
        b.setP2(initAddr, setupLabel)
        let program = b.program
        program.sqlBytes = source[statement.range.bounds.clamped(to: 0..<source.count)]
        numberedRange = statement.range.bounds
        program.explain = statement.explain
        emitsQueryPlan = statement.explain == .queryPlan
        program.compileFlagsGeneration = connection.compileFlagsGeneration
        program.parameterCount = statement.parameterCount
        program.parameterNames = statement.parameterNames
        var usesTransaction = true
        switch statement.command {
        case .select(let s):
            try compileSelectStatement(s)
        case .insert(let i):
            try compileInsert(i)
        case .update(let u):
            try compileUpdate(u)
        case .delete(let d):
            try compileDelete(d)
        default:
            usesTransaction = try compileNativeStatement(statement)
        }
        if let name = missingCollation { throw DBError(.errorMissingCollseq, "no such collation sequence: \(name)") }
        b.emit(.Halt)
        b.resolve(setupLabel)
        if usesTransaction { emitTransactions(schemaWrites: schemaWrites) }
        for (op, p1, p2, p3, p4) in setupCode { b.emit(op, p1, p2, p3, p4) }
        b.emit(.Goto, 0, 1)
        program.isReadOnly = !writes
        return b.finish()
    }

    // MARK: small helpers

    /// The text of the input that `range` covers.
    func text(_ range: SourceRange) -> String {
        String(decoding: source[range.bounds.clamped(to: 0..<source.count)], as: UTF8.self)
    }

    /// Adds an EXPLAIN QUERY PLAN line under the current parent; returns its id. A trigger body adds none
    /// unless its plan is shown (`triggerPlanGroup`): SQLite codes it as a sub-program, whose plan
    /// EXPLAIN QUERY PLAN shows only with SQLITE_DBCONFIG_TRIGGER_EQP, and then only a WHERE loop's scan
    /// and Bloom filter lines (`whereScan`: wherecode.c checks the top-level parse's explain flag, every
    /// other line sqlite3VdbeExplain's own parse's, which a trigger's sub-parse does not set).
    /// Only EXPLAIN QUERY PLAN codes the lines (and builds their text): sqlite3VdbeExplain leaves the
    /// Explain opcodes out of other statements in production builds, where they would cost every prepare.
    @discardableResult
    func planLine(_ detail: @autoclosure () -> String, whereScan: Bool = false) -> Int32 {
        if currentTrigger != nil && (triggerPlanGroup == 0 || !whereScan) { return planParents.last ?? 0 }
        let id = nextPlanID
        nextPlanID += 1
        if emitsQueryPlan { b.emit(.Explain, id, planParents.last ?? 0, triggerPlanGroup, .string(detail())) }
        return id
    }

    /// SQLite's number of `select` (its last core's Select object), as EXPLAIN QUERY PLAN prints it.
    func selectNumber(_ select: Select) -> Int {
        let start: UInt32
        switch select.cores.last ?? select.first {
        case .select(let core): start = core.range.start
        case .values(_, let range): start = range.start
        }
        numberSelects()
        for table in selectNumbers.reversed() {
            if let entry = table[start], entry.end == select.range.end { return entry.number }
        }
        return 0
    }

    /// Numbers the SELECTs of the statement being compiled, once.
    func numberSelects() {
        guard selectNumbers.isEmpty else { return }
        let numbers = SelectNumbering.numbers(in: source, range: numberedRange)
        selectNumbers = [numbers]
        lastSelectNumber = max(lastSelectNumber, numbers.values.map(\.number).max() ?? 0)
    }

    /// The EXPLAIN QUERY PLAN line of a subquery expression ("SCALAR SUBQUERY N", "LIST SUBQUERY N"),
    /// made the parent of the lines `body` adds; "CORRELATED " is put in front when `body` reports that
    /// the subquery read a column of an enclosing query.
    func subqueryPlan(_ kind: String, _ select: Select, _ body: () throws(DBError) -> Bool) throws(DBError) {
        if currentTrigger != nil {
            _ = try body()
            return
        }
        guard emitsQueryPlan else {
            planParents.append(planLine(""))
            defer { planParents.removeLast() }
            _ = try body()
            return
        }
        let detail = "\(kind) SUBQUERY \(selectNumber(select))"
        let id = planLine(detail)
        let operand = b.program.operands.count - 1
        planParents.append(id)
        defer { planParents.removeLast() }
        if try body() { b.program.operands[operand] = .string("CORRELATED " + detail) }
    }

    /// A register holding a constant computed once, in the setup section.
    func constantRegister(_ op: Opcode, _ p1: Int32 = 0, _ p4: Operand = .none) -> Int32 {
        let r = b.allocateRegisters()
        setupCode.append((op, p1, r, 0, p4))
        return r
    }
}
