// Compiler+Select: SELECT statements (select.c): result columns, DISTINCT,
// ORDER BY, LIMIT/OFFSET, compound selects, and where each result row goes.
//
// A SELECT writes its rows to a Destination: the statement's output, an
// ephemeral table (materialized views and subqueries), an ephemeral index
// (IN sets, compound operators), registers (scalar subqueries, EXISTS), or a
// callback that emits code per row (INSERT … SELECT). ORDER BY without a
// usable index goes through a sorter whose keys are the ORDER BY values
// followed by the result columns; LIMIT and OFFSET count rows at output.

import Base
import Storage
import SQL

/// Where the rows of a SELECT go.
enum Destination {
    case output
    case table(cursor: Int32)
    /// Rows become keys of an ephemeral index; `nullFlag` (if any) is set when a key's first field is NULL.
    case index(cursor: Int32, nullFlag: Int32?)
    /// Rows become keys of an ephemeral index unless an equal key is there already (the first of equal
    /// rows stays: a compound SELECT with ORDER BY, whose arms sqlite3 merges).
    case indexKeepingFirst(cursor: Int32)
    /// Rows are removed from an ephemeral index (EXCEPT).
    case removeFromIndex(cursor: Int32)
    /// The first row's columns go to registers base…; then the select stops.
    case registers(base: Int32, count: Int, done: Int32)
    /// Emits code for each row, given the register of its first column.
    case callback((Int32) throws(DBError) -> Void)
    /// Each row is copied to `row.base`… and the co-routine yields (INSERT … SELECT).
    case coroutine(yield: Int32, row: CoroutineRow)
}

/// Where a co-routine destination leaves its rows: registers allocated at the first row emitted.
final class CoroutineRow {
    var base: Int32 = 0
    var count = -1
}

/// The shape of a SELECT's result.
struct ResultInfo {
    var names: [String]
    var affinities: [Affinity]
    var collations: [Collation]
    var declaredTypes: [String?]
    /// Per column, whether it carries a collation (an explicit COLLATE or a column's) rather than the BINARY
    /// default: a compound takes each column's collation from its leftmost arm that carries one
    /// (select.c's multiSelectCollSeq). Empty: every column does.
    var collationCarried: [Bool] = []
    /// The column each result column reads, when it is one (a nested join's subquery names its columns by them).
    var origins: [ColumnReference?] = []
    var count: Int { names.count }
}

extension Compiler {
    func compileSelectStatement(_ s: Select) throws(DBError) {
        let info = try compileSelect(s, parent: nil, destination: .output)
        b.program.columnNames = info.names
        b.program.columnDeclaredTypes = info.declaredTypes
    }

    /// Compiles `s`, sending its rows to `destination`.
    @discardableResult
    func compileSelect(_ s: Select, parent: Scope?, destination: Destination) throws(DBError) -> ResultInfo {
        depth += 1
        defer { depth -= 1 }
        guard depth < Compiler.maxDepth else { throw DBError(.error, "too many levels of nesting") }
        if let with = s.with {
            var ctes: [String: CommonTableExpression] = [:]
            for c in with.tables {
                if ctes[foldName(c.name.name)] != nil {
                    throw DBError(.error, "duplicate WITH table name: \(c.name.name)")
                }
                ctes[foldName(c.name.name)] = c
            }
            cteScopes.append(CTEScope(tables: ctes, owner: s))
        }
        defer { if s.with != nil { cteScopes.removeLast() } }
        if !s.compounds.isEmpty {
            return try compileCompound(s, parent: parent, destination: destination)
        }
        switch s.first {
        case .select(let core):
            return try compileCore(core, orderBy: s.orderBy, limit: s.limit, parent: parent, destination: destination)
        case .values(let rows, _):
            return try compileValues(rows, orderBy: s.orderBy, limit: s.limit, parent: parent, destination: destination)
        }
    }

    // MARK: VALUES

    private func compileValues(_ rows: [[Expr]], orderBy: [OrderingTerm], limit: Limit?, parent: Scope?,
                               destination: Destination) throws(DBError) -> ResultInfo {
        guard let width = rows.first?.count else { throw DBError(.internal, "empty VALUES") }
        for r in rows where r.count != width {
            throw DBError(.error, "all VALUES must have the same number of terms")
        }
        let names = (1...width).map { "column\($0)" }
        if !orderBy.isEmpty || limit != nil {
            // Treat it as SELECT * FROM (VALUES …) so ORDER BY and LIMIT apply.
            let core = SimpleSelect(columns: [.all(.empty(at: 0))],
                                    from: [FromItem(source: .subquery(Select(first: .values(rows, range: .empty(at: 0)))))])
            return try compileCore(core, orderBy: orderBy, limit: limit, parent: parent, destination: destination)
        }
        // select.c: one row is a SELECT without FROM (where.c's "SCAN CONSTANT ROW"); more are coded by
        // multiSelectValues, which says how many.
        planLine(rows.count == 1 ? "SCAN CONSTANT ROW" : "SCAN \(rows.count) CONSTANT ROWS")
        let scope = Scope(terms: [], parent: parent)
        let base = b.allocateRegisters(width)
        let end = b.makeLabel()
        for r in rows {
            for (i, e) in r.enumerated() { try expr(e, scope, base + Int32(i)) }
            try emitRow(destination, base: base, count: width, skip: nil, stop: end)
        }
        b.resolve(end)
        let affs = rows[0].map { affinity(of: $0, scope) }
        // Several rows are a compound of one-row SELECTs to sqlite3: a column's collation is its first row's
        // that carries one.
        var info = ResultInfo(names: names, affinities: affs, collations: Array(repeating: .binary, count: width),
                              declaredTypes: Array(repeating: nil, count: width))
        info.collationCarried = Array(repeating: false, count: width)
        let pending = missingCollation
        for r in rows {
            for (i, e) in r.enumerated() where !info.collationCarried[i] {
                if let (c, _) = collation(of: e, scope) { (info.collations[i], info.collationCarried[i]) = (c, true) }
            }
        }
        missingCollation = pending
        return info
    }

    // MARK: one SELECT core

    func compileCore(_ core: SimpleSelect, orderBy: [OrderingTerm], limit: Limit?, parent: Scope?,
                     destination: Destination) throws(DBError) -> ResultInfo {
        let scope = Scope(terms: [], parent: parent)
        let savedDistinct = buildingFromOfDistinct
        buildingFromOfDistinct = core.quantifier == .distinct
        defer { buildingFromOfDistinct = savedDistinct }
        try buildFrom(core.from, scope, streamSoleItem: true)
        simplifyLeftJoins(core.whereClause, scope)
        let results = try expandResultColumns(core.columns, scope)
        scope.resultAliases = results.compactMap { r in r.alias.map { ($0, r.expr) } }
        // SF_Aggregate: GROUP BY or an aggregate in the result columns (an aggregate only in HAVING is not), an
        // enclosing query's aggregates left out and this query's inside subqueries counted (NC_HasAgg).
        let aggregateResults = results.contains { containsOwnAggregate($0.expr, scope) }
            || !claimedAggregates(in: results.map(\.expr), scope).isEmpty
        let isAggregate = !core.groupBy.isEmpty || aggregateResults
            || (core.having.map { containsOwnAggregate($0, scope) } ?? false)
        if core.having != nil && core.groupBy.isEmpty && !aggregateResults {
            throw DBError(.error, "HAVING clause on a non-aggregate query")
        }
        // The WHERE clause of an aggregate query may hold an enclosing query's aggregate (resolve.c keeps
        // NC_AllowAgg there); its own is an error of the code generator's wording.
        if let w = core.whereClause, containsAggregate(w) {
            if !isAggregate { throw misuseOfAggregate(in: w) }
            if let own = firstOwnAggregate(w, scope) { throw misuseOfAggregate(in: own, inAggregateQuery: true) }
        }
        let sortKeys = try resolveOrderBy(orderBy, results, scope)
        var collationsUsed = true
        if case .output = destination { collationsUsed = false }
        let info = resultInfo(results, scope, collationsUsed: collationsUsed)
        var used = results.map(\.expr) + sortKeys.map(\.expr) + core.groupBy
        if let w = core.whereClause { used.append(w) }
        if let h = core.having { used.append(h) }
        for t in scope.terms { if let on = t.onClause { used.append(on) } }
        recordColumnUsage(used, scope)
        if isAggregate {
            try compileAggregate(core, results: results, sortKeys: sortKeys, limit: limit, scope: scope,
                                 destination: destination)
        } else {
            try compilePlain(core, results: results, sortKeys: sortKeys, limit: limit, scope: scope,
                             destination: destination)
        }
        return info
    }

    struct ResultColumnSpec {
        var expr: Expr
        var name: String
        var alias: String?
    }

    /// `*` and `t.*` expanded; each column named as sqlite3 names it (alias, column name, or the expression text).
    func expandResultColumns(_ columns: [ResultColumn], _ scope: Scope) throws(DBError) -> [ResultColumnSpec] {
        var out: [ResultColumnSpec] = []
        for c in columns {
            switch c {
            case .expr(let e, let alias, let span):
                var name = text(span)
                if let alias { name = alias.name } else if case .column(let ref) = e.kind,
                    let (binding, _) = try? scope.resolve(ref) {
                    switch binding {
                    case .column(let t, let i): name = t.columnNames[i]
                    case .expression(_, _, let t, let i): name = t.columnNames[i]
                    case .rowid(let t):
                        // The rowid of a table with an INTEGER PRIMARY KEY is named after that column
                        // (select.c generateColumnNames: iCol < 0 becomes pTab->iPKey).
                        if let table = t.table, let alias = table.rowidAlias, alias < t.columnNames.count {
                            name = t.columnNames[alias]
                        } else {
                            name = ref.column.name
                        }
                    }
                }
                out.append(ResultColumnSpec(expr: e, name: name, alias: alias?.name))
            case .all:
                if scope.nameTerms.isEmpty { throw DBError(.error, "no tables specified") }
                let terms = scope.nameTerms
                for (k, t) in terms.enumerated() {
                    for n in t.columnNames where !t.hiddenForUnqualified.contains(foldName(n)) {
                        if let table = t.table, let ci = table.columnIndex(n), table.columns[ci].isHidden { continue }
                        try checkStarColumnUnambiguous(terms, k, n)
                        out.append(ResultColumnSpec(expr: Expr(.column(starReference(terms, k, n))), name: n, alias: nil))
                    }
                }
            case .allOf(let tableName):
                let terms = scope.nameTerms
                // Every item with that name (selectExpander: `a AS t, (SELECT …) AS t` gives both).
                let named = terms.indices.filter { namesMatch(terms[$0].name, tableName.name) }
                // A table inside a parenthesized join read as a subquery: its columns there.
                var nestedColumns: [ResultColumnSpec] = []
                for t in terms {
                    for (j, origin) in (t.nestedColumns ?? []).enumerated() where namesMatch(origin.table, tableName.name) {
                        let ref = ColumnReference(schema: Identifier(termIdentitySchema(t)), table: Identifier(t.name),
                                                  column: Identifier(t.columnNames[j]))
                        nestedColumns.append(ResultColumnSpec(expr: Expr(.column(ref)), name: t.columnNames[j], alias: nil))
                    }
                }
                if named.isEmpty && !nestedColumns.isEmpty {
                    out += nestedColumns
                    continue
                }
                if named.isEmpty { throw DBError(.error, "no such table: \(tableName.name)") }
                for k in named {
                    for n in terms[k].columnNames {
                        try checkStarColumnUnambiguous(terms, k, n)
                        out.append(ResultColumnSpec(expr: Expr(.column(starReference(terms, k, n))), name: n, alias: nil))
                    }
                }
            }
        }
        return out
    }

    /// sqlite3's selectExpander names each column of a `*` expansion `schema.table.column` (schema `*` for a
    /// subquery); when another FROM item has the same name, the same schema and that column too (not as the
    /// right side of a USING), the name is ambiguous: `SELECT * FROM a, a`.
    private func checkStarColumnUnambiguous(_ terms: [FromTerm], _ k: Int, _ column: String) throws(DBError) {
        func schema(_ t: FromTerm) -> String { t.database.map { $0 == 1 ? "temp" : "main" } ?? "*" }
        let t = terms[k]
        let key = nameKey(column)
        for (j, other) in terms.enumerated() where j != k && namesMatch(other.name, t.name) && schema(other) == schema(t) {
            guard other.columnIndex(column, key: key) != nil, !other.hiddenForUnqualified.contains(foldName(column)) else {
                continue
            }
            throw DBError(.error, "ambiguous column name: \(schema(t)).\(t.name).\(column)")
        }
    }

    /// Column `name` of `terms[k]` in a `*` or `table.*` expansion. Left of a RIGHT JOIN, a column that a
    /// later USING shares is named alone, so it reads the right table's column, or coalesce() of both after
    /// a FULL JOIN (selectExpander; `table.*` too).
    private func starReference(_ terms: [FromTerm], _ k: Int, _ name: String) -> ColumnReference {
        let t = terms[k]
        let shared = t.leftOfRightJoin && terms[(k + 1)...].contains { $0.hiddenForUnqualified.contains(foldName(name)) }
        if shared { return ColumnReference(table: nil, column: Identifier(name)) }
        // Qualified with the item's schema as selectExpander qualifies it, when another item has the same name.
        var schema: Identifier?
        if terms.indices.contains(where: { $0 != k && namesMatch(terms[$0].name, t.name) }) {
            schema = Identifier(t.database.map { $0 == 1 ? "temp" : "main" } ?? starSubquerySchema)
        }
        return ColumnReference(schema: schema, table: Identifier(t.name), column: Identifier(name))
    }

    /// select.c's columnType: a result column that reads a column has its declared type; a scalar subquery
    /// has the type of its (last arm's) first column when that reads a table of its FROM clause or, correlated,
    /// a column of `scope`; anything else has none.
    private func declaredType(of e: Expr, _ scope: Scope) -> String? {
        switch e.kind {
        case .column(let ref):
            guard let (binding, _) = try? scope.resolve(ref) else { return nil }
            if case .column(let t, let i) = binding { return t.declaredTypes[i] }
            if case .expression(_, _, let t, let i) = binding { return t.declaredTypes[i] }
            return nil
        case .subquery(let s):
            guard case .select(let core) = s.compounds.last?.core ?? s.first,
                  case .expr(let first, _, _)? = core.columns.first, case .column(let ref) = first.kind else { return nil }
            var items = core.from
            var named = false
            while let item = items.popLast() {
                if let q = ref.table, let alias = item.alias, namesMatch(q.name, alias.name) { named = true }
                switch item.source {
                case .join(let inner): items += inner
                case .table(let name, _):
                    if let q = ref.table, namesMatch(q.name, name.name.name) { named = true }
                    guard ref.table.map({ namesMatch($0.name, item.alias?.name ?? name.name.name) }) ?? true,
                          let t = try? findTable(name.name.name, schema: name.schema), !t.isView,
                          let c = t.columnIndex(ref.column.name) else { continue }
                    return t.columns[c].declaredType.isEmpty ? nil : t.columns[c].declaredType
                default: continue
                }
            }
            // Not a column of the FROM clause's tables: a column of the enclosing query's, when nothing in the
            // FROM clause can own the name.
            return core.from.isEmpty || (ref.table != nil && !named) ? declaredType(of: first, scope) : nil
        default:
            return nil
        }
    }

    /// `collationsUsed`: false for rows that go straight to the caller, whose columns' collations nothing
    /// compares with (an unknown COLLATE there is then no error, as sqlite3 looks collations up only where
    /// used: subquery and view columns, compound selects, sorts).
    func resultInfo(_ results: [ResultColumnSpec], _ scope: Scope, collationsUsed: Bool = true) -> ResultInfo {
        var info = ResultInfo(names: [], affinities: [], collations: [], declaredTypes: [])
        for r in results {
            info.names.append(r.name)
            info.affinities.append(affinity(of: r.expr, scope))
            let pending = missingCollation
            let carried = collation(of: r.expr, scope)
            info.collations.append(carried?.0 ?? .binary)
            info.collationCarried.append(carried != nil)
            if !collationsUsed { missingCollation = pending }
            info.declaredTypes.append(declaredType(of: r.expr, scope))
            if case .column(let ref) = r.expr.kind { info.origins.append(ref) } else { info.origins.append(nil) }
        }
        return info
    }

    /// One ORDER BY key: the expression to sort by, its direction and collation.
    struct SortKey {
        var expr: Expr
        var descending: Bool
        var collation: Collation
        var nullsFirst: Bool?
        /// The result column this key is (an ORDER BY number or alias, or a column reference naming the
        /// same column as a result column's): a sorter stores its value once, as the key, and reads the
        /// result column back from there (select.c's iOrderByCol), so it is also evaluated only once.
        var resultColumn: Int? = nil
    }

    /// ORDER BY terms resolved: a number picks a result column, an alias names one, else an expression.
    func resolveOrderBy(_ terms: [OrderingTerm], _ results: [ResultColumnSpec], _ scope: Scope) throws(DBError)
        -> [SortKey] {
        var keys: [SortKey] = []
        for (n, t) in terms.enumerated() {
            var e = t.expr
            var explicitColl: Collation?
            if case .collate(let inner, let name) = e.kind {
                guard let c = Collation(name: name.name) else {
                    throw DBError(.errorMissingCollseq, "no such collation sequence: \(name.name)")
                }
                explicitColl = c
                e = inner
            }
            var resultColumn: Int?
            if let v = e.constantValue, case .integer(let k) = v {
                guard k >= 1 && k <= Int64(results.count) else {
                    throw DBError(.error, "\(ordinal(n + 1)) ORDER BY term out of range - should be between 1 and \(results.count)")
                }
                resultColumn = Int(k) - 1
                e = results[Int(k) - 1].expr
            } else if case .column(let ref) = e.kind, ref.table == nil,
                      let i = results.firstIndex(where: { $0.alias.map { namesMatch($0, ref.column.name) } ?? false }) {
                resultColumn = i
                e = results[i].expr
            } else {
                resultColumn = resultColumnNamingSameColumn(e, results, scope)
            }
            if containsAggregate(e) && !isAggregateQuery(results) {
                throw misuseOfAggregate(in: e, inAggregateQuery: true)
            }
            let coll = explicitColl ?? collation(of: e, scope)?.0 ?? .binary
            keys.append(SortKey(expr: e, descending: t.order == .descending, collation: coll,
                                nullsFirst: t.nulls.map { $0 == .first }, resultColumn: resultColumn))
        }
        return keys
    }

    /// The first result column that is a reference to the same column of the same FROM item as `e`
    /// (both resolved in this query's own FROM clause), if any.
    private func resultColumnNamingSameColumn(_ e: Expr, _ results: [ResultColumnSpec], _ scope: Scope) -> Int? {
        guard case .column(let ref) = e.kind, let key = try? scope.resolveHere(ref) else { return nil }
        return results.firstIndex { r in
            guard case .column(let other) = r.expr.kind, let binding = try? scope.resolveHere(other) else { return false }
            return key.readsSameColumn(as: binding)
        }
    }

    private func isAggregateQuery(_ results: [ResultColumnSpec]) -> Bool {
        results.contains { containsAggregate($0.expr) }
    }

    /// "1st", "2nd", "11th", "21st" … as sqlite3's printf %r writes them.
    func ordinal(_ n: Int) -> String {
        let x = n % 10
        if x >= 4 || x == 0 || (n / 10) % 10 == 1 { return "\(n)th" }
        return "\(n)" + ["st", "nd", "rd"][x - 1]
    }

    // MARK: non-aggregate SELECT

    private func compilePlain(_ core: SimpleSelect, results: [ResultColumnSpec], sortKeys: [SortKey], limit: Limit?,
                              scope: Scope, destination: Destination) throws(DBError) {
        let end = b.makeLabel()
        let limits = try setupLimit(limit, scope, end: end)
        let width = results.count
        var distinctCursor: Int32?
        if core.quantifier == .distinct {
            let c = b.allocateCursor()
            let colls = results.map { collation(of: $0.expr, scope)?.0 ?? .binary }
            b.emit(.OpenEphemeral, c, Int32(width), 0, .keyInfo(KeyInfo(collations: colls,
                                                                        descending: Array(repeating: false, count: width))))
            distinctCursor = c
        }
        var sorter: SorterState?
        if !sortKeys.isEmpty {
            sorter = openSorter(sortKeys, width: width, limits: limits)
        }
        let plan = plainSelectPlan(core, results, sortKeys, limit, scope)
        let loop = try whereBegin(scope, whereClause: core.whereClause, request: plan.request)
        let groupSorted = plan.distinctAsGroup && loop.orderSatisfied
        planner.lastSelectRows = plan.distinctAsGroup ? plan.selectRows
            : min(plan.selectRows, loop.info?.nRowOut ?? plan.selectRows)
        if plan.distinctAsGroup && !groupSorted { planLine("USE TEMP B-TREE FOR DISTINCT") }
        let needsSort = plan.distinctAsGroup ? (!groupSorted || loop.info?.sorted != true) : !loop.orderSatisfied
        if let s = sorter, !needsSort {
            // The loop (or the grouping sort) already yields rows in ORDER BY order: no sorter needed.
            b.setOpcodeToNoop(s.openAddress)
            sorter = nil
        }
        if let s = sorter, distinctCursor == nil {
            // Keys and result columns are evaluated straight into the sorter's record.
            try sorterInsert(s, sortKeys, base: nil, results: results, scope: scope)
        } else {
            try emitPlainRow(results, sortKeys, sorter: sorter, distinctCursor: distinctCursor, loop: loop,
                             limits: limits, scope: scope, destination: destination)
        }
        try whereEnd(loop)
        if distinctCursor != nil && !plan.distinctAsGroup && loop.distinct != .unique && loop.distinct != .ordered {
            planLine("USE TEMP B-TREE FOR DISTINCT")
        }
        if let s = sorter {
            if !plan.distinctAsGroup {
                planLine(loop.nOBSat > 0 ? "USE TEMP B-TREE FOR RIGHT PART OF ORDER BY" : "USE TEMP B-TREE FOR ORDER BY")
            } else if groupSorted {
                planLine("USE TEMP B-TREE FOR ORDER BY")
            }
            try sorterOutput(s, width: width, destination: destination, limits: limits, end: end)
        }
        b.resolve(end)
    }

    /// One row of a plain SELECT whose result columns are computed first: for DISTINCT (checked and
    /// remembered), then sent on or added to the sorter.
    private func emitPlainRow(_ results: [ResultColumnSpec], _ sortKeys: [SortKey], sorter: SorterState?,
                              distinctCursor: Int32?, loop: WhereNest, limits: LimitRegisters, scope: Scope,
                              destination: Destination) throws(DBError) {
        let width = results.count
        let base = b.allocateRegisters(width)
        for (i, r) in results.enumerated() { try expr(r.expr, scope, base + Int32(i)) }
        if let dc = distinctCursor {
            let rec = b.allocateRegisters()
            b.emit(.Found, dc, loop.continueLabel, base, .int64(Int64(width)))
            b.emit(.MakeRecord, base, Int32(width), rec)
            // The Found that missed left the cursor where the row goes (select.c's codeDistinct:
            // OPFLAG_USESEEKRESULT).
            b.emit(.IdxInsert, dc, rec, base, .int64(Int64(width)), InsertFlags.useSeekResult)
        }
        if let s = sorter {
            try sorterInsert(s, sortKeys, base: base, scope: scope)
        } else {
            try emitRow(destination, base: base, count: width, skip: limits.offset.map { ($0, loop.continueLabel) },
                        stop: loop.breakLabel, limit: limits.limit)
        }
    }

    // MARK: LIMIT and OFFSET

    struct LimitRegisters {
        var limit: Int32?
        var offset: Int32?
    }

    /// Computes LIMIT and OFFSET into registers; LIMIT 0 jumps straight to `end`.
    func setupLimit(_ limit: Limit?, _ scope: Scope, end: Int32) throws(DBError) -> LimitRegisters {
        guard let limit else { return LimitRegisters() }
        var out = LimitRegisters()
        let empty = Scope(terms: [], parent: nil)
        let l = b.allocateRegisters()
        try expr(limit.count, empty, l)
        b.emit(.MustBeInt, l, 0)
        // A negative limit means no limit.
        let unlimited = b.makeLabel()
        let zero = b.allocateRegisters()
        b.emit(.Integer, 0, zero)
        b.emit(.Lt, zero, unlimited, l, .none, UInt16(Affinity.numeric.rawValue))
        b.emit(.Eq, zero, end, l, .none, UInt16(Affinity.numeric.rawValue))
        out.limit = l
        let after = b.makeLabel()
        b.emit(.Goto, 0, after)
        b.resolve(unlimited)
        b.emit(.Null, 0, l)
        b.resolve(after)
        if let o = limit.offset {
            let r = b.allocateRegisters()
            try expr(o, empty, r)
            b.emit(.MustBeInt, r, 0)
            out.offset = r
        }
        return out
    }

    // MARK: row output

    /// Sends one row (registers base…base+count-1) to `destination`. `skip` = (offset register, label):
    /// while the offset is positive the row is skipped. `limit` counts rows down and jumps to `stop` at zero.
    func emitRow(_ destination: Destination, base: Int32, count: Int, skip: (Int32, Int32)?, stop: Int32,
                 limit: Int32? = nil) throws(DBError) {
        if let (offset, label) = skip {
            b.emit(.IfPos, offset, label, 1)
        }
        switch destination {
        case .output:
            b.emit(.ResultRow, base, Int32(count))
        case .table(let cursor):
            let rec = b.allocateRegisters(), rowid = b.allocateRegisters()
            b.emit(.MakeRecord, base, Int32(count), rec)
            b.emit(.NewRowid, cursor, rowid)
            b.emit(.Insert, cursor, rec, rowid)
        case .index(let cursor, let nullFlag):
            let rec = b.allocateRegisters()
            if let nullFlag {
                let notNull = b.makeLabel()
                b.emit(.NotNull, base, notNull)
                b.emit(.Integer, 1, nullFlag)
                b.resolve(notNull)
            }
            emitIndexInsert(cursor, base, count, record: rec)
        case .indexKeepingFirst(let cursor):
            let present = b.makeLabel()
            b.emit(.Found, cursor, present, base, .int64(Int64(count)))
            emitIndexInsert(cursor, base, count)
            b.resolve(present)
        case .removeFromIndex(let cursor):
            b.emit(.IdxDelete, cursor, base, Int32(count))
        case .registers(let target, let n, let done):
            if n != count { throw DBError(.error, "sub-select returns \(count) columns - expected \(n)") }
            for i in 0..<n { b.emit(.SCopy, base + Int32(i), target + Int32(i)) }
            b.emit(.Goto, 0, done)
        case .callback(let body):
            try body(base)
        case .coroutine(let yieldReg, let row):
            if row.count < 0 {
                row.count = count
                row.base = b.allocateRegisters(max(count, 1))
            }
            if count > 0 && count == row.count { b.emit(.Copy, base, row.base, Int32(count - 1)) }
            b.emit(.Yield, yieldReg)
        }
        if let limit {
            let unlimited = b.makeLabel()
            b.emit(.IsNull, limit, unlimited)
            b.emit(.DecrJumpZero, limit, stop)
            b.resolve(unlimited)
        }
    }

    // MARK: sorting

    /// Where ORDER BY rows are collected. Without a LIMIT, a sorter (SorterOpen). With one, an ephemeral
    /// index keyed by the sort keys and a sequence number that never holds more than LIMIT+OFFSET rows:
    /// a row goes in while there is room, or in place of the largest when it sorts before it
    /// (select.c's pushOntoSorter with iLimit: IfNotZero, Last, IdxLE, Delete, IdxInsert).
    struct SorterState {
        var cursor: Int32
        var openAddress: Int32
        var keyCount: Int
        var width: Int
        /// The bounded form's room counter (LIMIT+OFFSET, counted down by IfNotZero; -1 when unlimited).
        var room: Int32?
        /// Each result column's field in the sorter's records: a key's when the column is that key
        /// (`SortKey.resultColumn`), else its place among the stored columns after the keys.
        var resultFields: [Int32] = []
        /// The result columns stored after the keys (and the bounded form's sequence number), in order.
        var storedResults: [Int] = []
        /// Fields before the stored result columns.
        var dataStart: Int { keyCount + (room == nil ? 0 : 1) }
        /// Fields in each record.
        var fieldCount: Int { dataStart + storedResults.count }
    }

    /// NULLS FIRST on DESC or NULLS LAST on ASC (KEYINFO_ORDER_BIGNULL): the key's NULLs sort at the other
    /// end. The sorter then orders by a flag `key IS NULL`, in the key's direction, before the key itself.
    static func reversesNulls(_ k: SortKey) -> Bool { k.nullsFirst.map { $0 == k.descending } ?? false }

    /// The sorter's key fields for `keys`: each key, after its NULL flag when it reverses NULLs.
    private func sorterKeyFields(_ keys: [SortKey]) -> (collations: [Collation], descending: [Bool]) {
        var collations: [Collation] = [], descending: [Bool] = []
        for k in keys {
            if Self.reversesNulls(k) {
                collations.append(.binary)
                descending.append(k.descending)
            }
            collations.append(k.collation)
            descending.append(k.descending)
        }
        return (collations, descending)
    }

    /// Makes r[`base`…] (`count` registers) a record, in `record` or a new register, and inserts it as a key of
    /// the ephemeral index `cursor`.
    func emitIndexInsert(_ cursor: Int32, _ base: Int32, _ count: Int, record: Int32? = nil) {
        let rec = record ?? b.allocateRegisters()
        b.emit(.MakeRecord, base, Int32(count), rec)
        b.emit(.IdxInsert, cursor, rec, base, .int64(Int64(count)))
    }

    /// Sets `flag` to 1 when r[`value`] is NULL, else 0 (a NULLS-reversing key's leading field).
    func emitNullFlag(_ value: Int32, into flag: Int32) {
        let notNull = b.makeLabel()
        b.emit(.Integer, 0, flag)
        b.emit(.NotNull, value, notNull)
        b.emit(.Integer, 1, flag)
        b.resolve(notNull)
    }

    func openSorter(_ keys: [SortKey], width: Int, limits: LimitRegisters = LimitRegisters()) -> SorterState {
        let c = b.allocateCursor()
        let fields = sorterKeyFields(keys)
        let n = fields.collations.count
        var s = SorterState(cursor: c, openAddress: 0, keyCount: n, width: width)
        // Where each key's value lands (after its NULL flag when it reverses NULLs).
        var keyValueField: [Int: Int32] = [:]
        var field: Int32 = 0
        for k in keys {
            field += Self.reversesNulls(k) ? 1 : 0
            if let r = k.resultColumn, keyValueField[r] == nil { keyValueField[r] = field }
            field += 1
        }
        let dataStart = n + (limits.limit == nil ? 0 : 1)  // the bounded form's sequence number before the data
        for i in 0..<width {
            if let f = keyValueField[i] {
                s.resultFields.append(f)
            } else {
                s.resultFields.append(Int32(dataStart + s.storedResults.count))
                s.storedResults.append(i)
            }
        }
        let fieldCount = dataStart + s.storedResults.count
        guard let limit = limits.limit else {
            let info = KeyInfo(collations: fields.collations, descending: fields.descending)
            s.openAddress = b.emit(.SorterOpen, c, Int32(fieldCount), 0, .keyInfo(info))
            return s
        }
        // The sequence number is a key field, so rows with equal sort keys stay distinct entries and come
        // back in arrival order.
        let info = KeyInfo(collations: fields.collations + [.binary], descending: fields.descending + [false])
        s.openAddress = b.emit(.OpenEphemeral, c, Int32(fieldCount), 0, .keyInfo(info))
        let room = b.allocateRegisters()
        b.emit(.OffsetLimit, limit, room, limits.offset ?? 0)
        s.room = room
        return s
    }

    /// Adds a row to the sorter: the sort keys, then the result columns not stored as keys (the bounded
    /// form puts a sequence number between them, and skips a row that sorts after a full index's largest).
    /// With `base`, the result columns are already in r[base...] and are copied from there (a key that is
    /// a result column too); without, each is evaluated straight into its place (`results`).
    func sorterInsert(_ s: SorterState, _ keys: [SortKey], base: Int32?, results: [ResultColumnSpec] = [],
                      scope: Scope) throws(DBError) {
        let dataStart = s.dataStart
        let regs = b.allocateRegisters(s.fieldCount)
        // Without `base`, the stored result columns come first and the keys after, as select.c codes them
        // (selectInnerLoop, then pushOntoSorter): EXPLAIN QUERY PLAN lists their subqueries in that order.
        if base == nil {
            for (n, i) in s.storedResults.enumerated() { try expr(results[i].expr, scope, regs + Int32(dataStart + n)) }
        }
        var field: Int32 = 0
        for k in keys {
            let value = regs + field + (Self.reversesNulls(k) ? 1 : 0)
            if let base, let r = k.resultColumn {
                b.emit(.SCopy, base + Int32(r), value)
            } else {
                try expr(k.expr, scope, value)
            }
            if Self.reversesNulls(k) {
                emitNullFlag(value, into: regs + field)
                field += 2
            } else {
                field += 1
            }
        }
        if s.room != nil { b.emit(.Sequence, s.cursor, regs + Int32(s.keyCount)) }
        if let base {
            for (n, i) in s.storedResults.enumerated() { b.emit(.SCopy, base + Int32(i), regs + Int32(dataStart + n)) }
        }
        let skip = b.makeLabel()
        if let room = s.room {
            let insert = b.makeLabel()
            b.emit(.IfNotZero, room, insert)
            b.emit(.Last, s.cursor, 0)
            b.emit(.IdxLE, s.cursor, skip, regs, .int64(Int64(s.keyCount)))
            b.emit(.Delete, s.cursor)
            b.resolve(insert)
        }
        let rec = b.allocateRegisters()
        b.emit(.MakeRecord, regs, Int32(s.fieldCount), rec)
        if s.room != nil {
            b.emit(.IdxInsert, s.cursor, rec, regs, .int64(Int64(s.fieldCount)))
        } else {
            b.emit(.SorterInsert, s.cursor, rec)
        }
        b.resolve(skip)
    }

    /// Reads the sorted rows back and sends them on.
    func sorterOutput(_ s: SorterState, width: Int, destination: Destination, limits: LimitRegisters,
                      end: Int32) throws(DBError) {
        let done = b.makeLabel()
        let next = b.makeLabel()
        let base = b.allocateRegisters(width)
        let top: Int32
        if s.room != nil {
            b.emit(.Sort, s.cursor, done)
            top = b.count
            for i in 0..<width { b.emit(.Column, s.cursor, s.resultFields[i], base + Int32(i)) }
        } else {
            let pseudo = b.allocateCursor()
            let data = b.allocateRegisters()
            b.emit(.OpenPseudo, pseudo, data, Int32(s.fieldCount))
            b.emit(.SorterSort, s.cursor, done)
            top = b.count
            b.emit(.SorterData, s.cursor, data, pseudo)
            for i in 0..<width { b.emit(.Column, pseudo, s.resultFields[i], base + Int32(i)) }
        }
        try emitRow(destination, base: base, count: width, skip: limits.offset.map { ($0, next) }, stop: done,
                    limit: limits.limit)
        b.resolve(next)
        b.emit(s.room != nil ? .Next : .SorterNext, s.cursor, top)
        b.resolve(done)
    }

    // MARK: aggregate detection

    func containsAggregate(_ e: Expr) -> Bool {
        firstAggregateName(e) != nil
    }

    /// The name of the first aggregate function call in `e` (not looking into subqueries).
    func firstAggregateName(_ e: Expr) -> String? {
        guard let call = firstAggregate(e), case .function(let f) = call.kind else { return nil }
        return f.name.name
    }

    /// "misuse of aggregate function NAME()" for the first aggregate call in `e` (resolve.c), or with
    /// `inAggregateQuery` "misuse of aggregate: NAME()" (expr.c's code generator, which meets it in
    /// an aggregate query's WHERE clause); pointed at the call (sqlite3_error_offset).
    func misuseOfAggregate(in e: Expr, inAggregateQuery: Bool = false) -> DBError {
        let call = firstAggregate(e)
        var name = ""
        if let call, case .function(let f) = call.kind { name = f.name.name }
        var error = DBError(.error, inAggregateQuery ? "misuse of aggregate: \(name)()" : "misuse of aggregate function \(name)()")
        if let call, call.range.end > call.range.start { error.offset = Int(call.range.start) }
        return error
    }

    /// The first call of an aggregate function (not a window) in `e`, outermost first.
    func firstAggregate(_ e: Expr) -> Expr? {
        var found: Expr?
        visitExpressions(e) { x in
            if found != nil { return false }
            if isAggregateCall(x) {
                found = x
                return false
            }
            return true
        }
        return found
    }

    /// True when `e` is a call of an aggregate function (not a window function).
    func isAggregateCall(_ e: Expr) -> Bool {
        guard case .function(let call) = e.kind, call.over == nil else { return false }
        var argc = 0
        var star = false
        switch call.arguments {
        case .star: star = true
        case .list(_, let l): argc = l.count
        }
        if case .found(let def) = connection.functions.lookup(call.name.name, argumentCount: star ? 0 : argc) {
            return def.isAggregate
        }
        return false
    }
}
