// Compiler+Where: the nested loops of a query (where.c's sqlite3WhereBegin
// and sqlite3WhereEnd).
//
// whereBegin analyses the WHERE clause (Planner/WhereAnalyze.swift), builds
// every candidate loop with SQLite's cost model (Planner/WhereLoopBuilder*),
// picks a join order with the path solver (Planner/WherePathSolver.swift),
// then emits the loop headers outermost first (Compiler+WhereCode.swift).
// Each WHERE term is tested at the first level where every table it reads
// is positioned, unless a loop's seek already enforces it. It returns the
// labels the body uses: `continueLabel` (next row) and `breakLabel` (leave
// all loops), and how much of the requested order the loops deliver.
// whereEnd closes the loops innermost first. A LEFT JOIN level keeps a
// match flag; when its loop ends without a match it runs the rest once more
// with the right table on a row of NULLs (lang_select.html §2.1.2).

import Base
import Storage
import SQL

/// The loops whereBegin opened, for the body and for whereEnd.
final class WhereNest {
    var continueLabel: Int32 = 0
    var breakLabel: Int32 = 0
    /// Every requested ORDER BY / GROUP BY term is delivered by the loops.
    var orderSatisfied = false
    var nOBSat = 0
    var distinct: DistinctKind = .noop
    var levels: [LevelCode] = []
    var info: WhereInfo?
    var savedQueryLoop = LogEst(0)
}

struct LevelCode {
    var cursor: Int32
    var next: Opcode?
    var top: Int32
    var continueLabel: Int32
    var breakLabel: Int32
    /// LEFT JOIN: (match flag register, where the right table's body starts, cursors to set to NULL rows).
    var leftJoin: (flag: Int32, body: Int32, cursor: Int32, indexCursor: Int32?)?
    /// IN loops wrapped around this level: (ephemeral cursor, top address, continue label, step opcode).
    var inLoops: [(cursor: Int32, top: Int32, cont: Int32, step: Opcode)] = []
    /// MULTI-INDEX OR: the register the loop body returns through.
    var orReturn: Int32?
    /// The right table of a RIGHT or FULL JOIN.
    var rightJoin: RightJoinCode?
}

/// A RIGHT JOIN level's bookkeeping (where.c's WhereRightJoin): the keys of the right table's rows that
/// matched, and the subroutine — the rest of the loops and the body — that the pass over its unmatched
/// rows calls with every table to its left on a row of NULLs.
struct RightJoinCode {
    /// An ephemeral index of the matched rows' keys (the rowid, or a WITHOUT ROWID table's PRIMARY KEY).
    var matchCursor: Int32
    var keyInfo: KeyInfo
    /// NULL while the subroutine runs in line (Return is then a no-op); the return address during the pass.
    var returnRegister: Int32
    /// The subroutine's first instruction.
    var subroutine: Int32 = 0
}

extension Compiler {
    /// whereBegin for a plain ORDER BY (or none).
    func whereBegin(_ scope: Scope, whereClause: Expr?, sortKeys: [SortKey]) throws(DBError) -> WhereNest {
        var request = WhereRequest()
        request.orderBy = planOrderTerms(sortKeys, scope)
        return try whereBegin(scope, whereClause: whereClause, request: request)
    }

    /// ORDER BY keys as the planner takes them.
    func planOrderTerms(_ keys: [SortKey], _ scope: Scope) -> [PlanOrderTerm] {
        keys.map { k in
            var t = PlanOrderTerm(expr: k.expr, scope: scope, descending: k.descending, collation: k.collation)
            if let nf = k.nullsFirst, nf == k.descending { t.bigNull = true }
            return t
        }
    }

    func whereBegin(_ scope: Scope, whereClause: Expr?, request: WhereRequest) throws(DBError) -> WhereNest {
        let isDisjunct = request.flags.contains(.orSubclause)
        let isRightJoinPass = request.flags.contains(.rightJoinPass)
        let clause = try buildWhereClause(whereClause, scope, includeJoins: !isDisjunct && !isRightJoinPass)
        let info = WhereInfo(scope: scope, clause: clause, request: request)
        prepareStatistics(info)
        let nest = WhereNest()
        nest.info = info
        nest.breakLabel = b.makeLabel()
        // Terms that read no table of this query are checked once, before any loop.
        for k in 0..<clause.baseCount {
            let t = clause.terms[k]
            guard !t.isVirtual, t.prereqAll == 0, scope.terms.isEmpty || isDeterministic(t.expr) else { continue }
            try jumpIfFalse(t.expr, t.scope, nest.breakLabel, jumpIfNull: true)
            clause.terms[k].flags.insert(.coded)
        }
        if info.flags.contains(.wantDistinct) {
            if isDistinctRedundant(info) {
                info.distinct = .unique
            } else if info.orderBy == nil, let rs = request.resultSet {
                info.flags.insert(.distinctBy)
                info.orderBy = rs.map { e in
                    PlanOrderTerm(expr: e, scope: scope, descending: false,
                                  collation: collation(of: e, scope)?.0 ?? .binary)
                }
            }
        }
        info.queryLoop = planner.queryLoop
        if scope.terms.isEmpty {
            if let ob = info.orderBy { info.nOBSat = ob.count }
            if info.flags.contains(.wantDistinct) { info.distinct = .unique }
            planLine("SCAN CONSTANT ROW")
        } else {
            if info.loopCount != 1 || isDisjunct || !shortCut(info) {
                addAllLoops(info)
                guard solvePaths(info, nRowEst: LogEst(0)) else { throw DBError(.error, "no query solution") }
                if info.orderBy != nil {
                    guard solvePaths(info, nRowEst: info.nRowOut + 1) else {
                        throw DBError(.error, "no query solution")
                    }
                }
            }
            if !isDisjunct { omitNoopJoins(info) }
            if info.levels.count >= 2 { checkBloomFilters(info) }
            if info.flags.contains(.onePassDesired) && info.levels.count == 1 { decideOnePass(info) }
            if !isDisjunct { prepareRightJoins(info) }
        }
        nest.savedQueryLoop = planner.queryLoop
        planner.queryLoop = planner.queryLoop + info.nRowOut
        nest.nOBSat = info.nOBSat
        nest.orderSatisfied = info.orderBy != nil && info.nOBSat == info.orderBy!.count
        nest.distinct = info.distinct
        try emitLoops(info, nest)
        return nest
    }

    /// sqlite3WhereBegin's one-pass choice: an UPDATE or DELETE may change rows as its single loop reaches them
    /// when the loop visits at most one row, or when the caller allows several and the loop is not an OR of
    /// index scans (unless duplicates are harmless). A one-pass loop over a rowid table reads the row itself,
    /// so a covering index stops being index-only (where.c clears WHERE_IDX_ONLY; EXPLAIN QUERY PLAN shows
    /// "USING INDEX", not "USING COVERING INDEX").
    private func decideOnePass(_ info: WhereInfo) {
        var loop = info.levels[0]
        let oneRow = loop.flags.contains(.oneRow)
        guard oneRow || (info.flags.contains(.onePassMultiRow)
                         && (!loop.flags.contains(.multiOr) || info.flags.contains(.duplicatesOK))) else { return }
        info.onePass = oneRow ? .single : .multi
        if let table = info.scope.terms[loop.tab].table, !table.withoutRowid, loop.flags.contains(.indexOnly) {
            loop.flags.remove(.indexOnly)
            info.levels[0] = loop
        }
    }

    /// A RIGHT JOIN's right table is read itself (its key is recorded), and the unmatched-row pass reads
    /// it itself too; the rows come out of order, so ORDER BY and DISTINCT cannot rely on the loops
    /// (sqlite3WhereBegin).
    private func prepareRightJoins(_ info: WhereInfo) {
        if info.flags.contains(.rightJoinPass) {
            for n in info.levels.indices { info.levels[n].flags.remove(.indexOnly) }
            return
        }
        var any = false
        for n in info.levels.indices where isRightJoin(info, info.levels[n].tab) {
            info.levels[n].flags.remove(.indexOnly)
            any = true
        }
        guard any else { return }
        info.nOBSat = 0
        if info.distinct != .noop { info.distinct = .unordered }
    }

    /// Opens the tables and emits every level's loop header.
    private func emitLoops(_ info: WhereInfo, _ nest: WhereNest) throws(DBError) {
        let scope = info.scope
        for t in scope.terms where info.flags.isDisjoint(with: [.orSubclause, .rightJoinPass]) {
            guard let table = t.table, t.writer == nil else { continue }
            if table.withoutRowid, let pk = table.primaryKeyIndex {
                b.emit(.OpenRead, t.cursor, Int32(bitPattern: table.rootPage), Int32(table.database), .keyInfo(pk.keyInfo))
            } else {
                b.emit(.OpenRead, t.cursor, Int32(bitPattern: table.rootPage), Int32(table.database))
            }
        }
        // The index each level seeks or scans is opened here too, once, as sqlite3WhereBegin does: opened at
        // its level, an inner loop's index cursor was built again for every row of the loops around it.
        if !info.flags.contains(.orSubclause) {
            for (n, loop) in info.levels.enumerated() {
                guard !loop.flags.contains(.multiOr), !loop.flags.contains(.ipk), !loop.flags.contains(.autoIndex),
                      let index = loop.index, !index.isPrimaryKey, let real = index.index,
                      scope.terms[loop.tab].writer == nil else { continue }
                let ic = b.allocateCursor()
                b.emit(.OpenRead, ic, Int32(bitPattern: real.rootPage), Int32(real.table.database), .keyInfo(real.keyInfo))
                info.openedIndexCursors[n] = ic
            }
        }
        var rightJoins: [Int: RightJoinCode] = [:]
        if !info.flags.contains(.orSubclause) {
            for (n, loop) in info.levels.enumerated() where isRightJoin(info, loop.tab) {
                let keyInfo = rightJoinKeyInfo(scope.terms[loop.tab])
                let rj = RightJoinCode(matchCursor: b.allocateCursor(), keyInfo: keyInfo,
                                       returnRegister: b.allocateRegisters())
                b.emit(.Null, 0, rj.returnRegister)
                b.emit(.OpenEphemeral, rj.matchCursor, Int32(keyInfo.fieldCount), 0, .keyInfo(keyInfo))
                rightJoins[n] = rj
            }
        }
        var notReady: UInt64 = scope.terms.count >= 64 ? .max : (UInt64(1) << UInt64(scope.terms.count)) - 1
        var outerBreak = nest.breakLabel
        for (n, loop) in info.levels.enumerated() {
            let code = try emitLevel(info, n, loop, notReady: notReady, outerBreak: outerBreak,
                                     rightJoin: rightJoins[n])
            nest.levels.append(code)
            notReady &= ~loop.maskSelf
            outerBreak = code.breakLabel
        }
        // Anything left (terms that read tables no level covers) runs in the innermost body; inside a
        // disjunct of a MULTI-INDEX OR, such terms wait for the enclosing loops.
        let inner = nest.levels.last?.continueLabel ?? nest.breakLabel
        for k in info.clause.terms.indices where !info.clause.terms[k].isCoded && !info.clause.terms[k].isVirtual {
            if info.flags.contains(.orSubclause) {
                info.untestedTerms = true
                continue
            }
            let t = info.clause.terms[k]
            try jumpIfFalse(t.expr, t.scope, inner, jumpIfNull: true)
            info.clause.terms[k].flags.insert(.coded)
        }
        nest.continueLabel = nest.levels.isEmpty ? nest.breakLabel : inner
    }

    func whereEnd(_ nest: WhereNest) throws(DBError) {
        for level in nest.levels.reversed() {
            b.resolve(level.continueLabel)
            if let rj = level.rightJoin {
                // The end of the subroutine the unmatched-row pass calls.
                b.emit(.Return, rj.returnRegister, rj.subroutine, 1)
            }
            if let reg = level.orReturn {
                b.emit(.Return, reg)
            } else if let next = level.next {
                b.emit(next, level.cursor, level.top)
            }
            for inLoop in level.inLoops.reversed() {
                b.resolve(inLoop.cont)
                b.emit(inLoop.step, inLoop.cursor, inLoop.top)
            }
            b.resolve(level.breakLabel)
            if let rj = level.rightJoin { b.emit(.Return, rj.returnRegister, 0, 1) }
            if let lj = level.leftJoin {
                let done = b.makeLabel()
                b.emit(.If, lj.flag, done)
                b.emit(.NullRow, lj.cursor)
                if let ic = lj.indexCursor { b.emit(.NullRow, ic) }
                b.emit(.Integer, 1, lj.flag)
                b.emit(.Goto, 0, lj.body)
                b.resolve(done)
            }
        }
        for n in nest.levels.indices where nest.levels[n].rightJoin != nil {
            try emitRightJoinPass(nest, n)
        }
        b.resolve(nest.breakLabel)
        planner.queryLoop = nest.savedQueryLoop
    }

    /// The built-in functions whose value may change from row to row (no SQLITE_DETERMINISTIC).
    static let nonDeterministicFunctions: Set<String> = ["random", "randomblob", "changes", "total_changes",
                                                         "last_insert_rowid"]

    /// exprIsDeterministic: no function whose value may change from row to row.
    func isDeterministic(_ e: Expr) -> Bool {
        var ok = true
        visitExpressions(e) { x in
            if case .function(let call) = x.kind, Self.nonDeterministicFunctions.contains(call.name.name.lowercased()) {
                ok = false
            }
            return ok
        }
        return ok
    }

    /// Table statistics, candidate indexes and column usage of every FROM term.
    private func prepareStatistics(_ info: WhereInfo) {
        for t in info.scope.terms {
            var used: UInt64 = 0
            if let table = t.table {
                for c in t.usedColumns where table.rowidAlias != c {
                    if c < table.columns.count, table.columns[c].generated != nil {
                        used |= table.columns.count >= 64 ? UInt64.max : (UInt64(1) << UInt64(table.columns.count)) - 1
                    }
                    used |= c < 63 ? UInt64(1) << UInt64(c) : UInt64(1) << 63
                }
                if !t.coveringAllowed { used = UInt64.max }
                let statistics = plannerStatistics(table)
                info.rowLogEst.append(statistics.rowLogEst)
                info.rowSize.append(statistics.rowSize)
                var probes: [PlanIndex] = []
                if case .indexedBy(let name) = t.indexHint, let idx = try? catalog(ofDatabase: table.database).index(name.name) {  // built: FROM checked it
                    probes = [cachedPlanIndex(idx)]
                } else if t.indexHint == .notIndexed && !table.withoutRowid {
                    probes = [statistics.rowidProbe]
                } else {
                    probes = tableProbes(table, statistics)
                }
                info.probes.append(probes)
            } else {
                for c in t.usedColumns { used |= c < 63 ? UInt64(1) << UInt64(c) : UInt64(1) << 63 }
                if !t.coveringAllowed { used = UInt64.max }
                let rows = t.rowEstimate ?? LogEst(200)
                info.rowLogEst.append(rows)
                info.rowSize.append(LogEst(1))
                info.probes.append([Compiler.rowidIndex(nil, rowLogEst: rows, rowSize: LogEst(1))])
            }
            info.columnsUsed.append(used)
        }
    }

    /// The probes of a FROM term over `table` without an index hint: the rowid (rowid tables) and every
    /// index in the order the planner tries them; cached in the catalog for a catalogued table.
    private func tableProbes(_ table: Table, _ statistics: PlannerTableStatistics) -> [PlanIndex] {
        if table.isCatalogued, let p = schemaCatalog(of: table).plannerProbes[ObjectIdentifier(table)] { return p }
        let probes: [PlanIndex]
        if table.withoutRowid {
            probes = Compiler.orderedIndexes(table).filter { $0.rootPage > 0 || $0.origin == .primaryKey }
                .map { cachedPlanIndex($0) }
        } else {
            probes = [statistics.rowidProbe] + Compiler.orderedIndexes(table).filter { $0.rootPage > 0 }
                .map { cachedPlanIndex($0) }
        }
        if table.isCatalogued { schemaCatalog(of: table).plannerProbes[ObjectIdentifier(table)] = probes }
        return probes
    }

    /// isDistinctRedundant: one table, and some UNIQUE index's columns are all in the result or fixed by `=`.
    private func isDistinctRedundant(_ info: WhereInfo) -> Bool {
        guard info.scope.terms.count == 1, let rs = info.request.resultSet else { return false }
        for e in rs {
            let (x, _) = skipCollateAndLikely(e)
            if let c = plannerColumn(x, info.scope, loops: info.scope), c.term == 0, c.column < 0 { return true }
        }
        for probe in info.probes[0] where probe.kind == .index && probe.unique && probe.partialWhere == nil {
            var i = 0
            while i < probe.keyCount {
                var scan = makeScan(info.clause, term: 0, index: probe, column: i, opMask: .eq, scope: info.scope)
                if nextScanTerm(&scan) == nil {
                    let column = probe.columns[i]
                    let found = rs.contains { e in
                        let (x, _) = skipCollateAndLikely(e)
                        guard let c = plannerColumn(x, info.scope, loops: info.scope), c.term == 0,
                              c.column == column || (column >= 0 && c.column == -1
                                                     && probe.table?.rowidAlias == column) else { return false }
                        return (collation(of: e, info.scope)?.0 ?? .binary) == probe.collations[i]
                    }
                    if !found { break }
                    let notNull = column == -1 || (column >= 0 && probe.table?.columns[column].notNull == true)
                    if !notNull { break }
                }
                i += 1
            }
            if i == probe.keyCount { return true }
        }
        return false
    }

    /// Notes which columns of each FROM term `exprs` read (SrcItem.colUsed), names inside subqueries
    /// included: a covering index must hold all of them.
    func recordColumnUsage(_ exprs: [Expr], _ scope: Scope) {
        for e in exprs { noteColumns(e, scope) }
        // A flattened view's WHERE clause reads its tables' columns too.
        var flattenedWheres: [(Expr, Scope)] = []
        gatherFlattenedWheres(scope, into: &flattenedWheres)
        for (w, inner) in flattenedWheres { noteColumns(w, inner) }
        for t in scope.terms where !t.usageUnknown { t.coveringAllowed = true }
    }

    private func noteColumns(_ e: Expr, _ scope: Scope) {
        visitExpressions(e) { x in
            switch x.kind {
            case .column(let ref):
                noteColumn(ref, scope)
            case .exists(let s), .subquery(let s):
                noteSubqueryColumns(s, scope)
            case .in(let i):
                if case .select(let s) = i.target { noteSubqueryColumns(s, scope) }
            default:
                break
            }
            return true
        }
    }

    private func noteColumn(_ ref: ColumnReference, _ scope: Scope) {
        guard let binding = try? scope.resolveHere(ref) else { return }
        switch binding {
        case .column(let t, let c): t.usedColumns.insert(c)
        case .rowid(let t): t.usesRowid = true
        case .expression(let e, let inner, _, _): noteColumns(e, inner)
        }
    }

    /// The columns of `scope`'s terms a subquery's correlated names read.
    private func noteSubqueryColumns(_ s: Select, _ scope: Scope) {
        var refs: [ColumnReference] = []
        collectOuterReferences(s, inner: [], &refs)
        for r in refs { noteColumn(r, scope) }
    }
}
