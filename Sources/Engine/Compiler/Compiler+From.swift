// Compiler+From: the FROM clause — base tables opened through cursors, and
// views, subqueries and common table expressions flattened into the query
// (select.c's rules: inner and cross joins, and one-table subqueries as the
// loop of an outer join) or materialized into ephemeral tables before the
// loops run (https://sqlite.org/lang_select.html §2.1.1). Parenthesized joins
// are flattened into one list of terms, each remembering how it joins the
// ones before it, except where that would change the answer (the right side
// of an outer join, a RIGHT or FULL JOIN inside after the first item): those
// are read as a materialized `SELECT * FROM (…)` whose columns keep their
// tables' names, as sqlite3's SF_NestedFrom subqueries do; NATURAL and
// USING joins hide the right side's shared columns from unqualified names
// and become ON equalities. With a RIGHT or FULL JOIN, the terms to its left
// are marked (JT_LTORJ) once the list is built.

import Base
import SQL

/// How a view or FROM subquery may be read as part of its query (select.c's flattenSubquery).
enum Flattening {
    /// Materialized (or a co-routine).
    case no
    /// Its tables join the query's loops; its WHERE clause joins the query's.
    case inner
    /// The right side of a LEFT JOIN, or left of a RIGHT JOIN: its one table is the join's loop, its WHERE
    /// clause part of the ON clause.
    case outerJoin
}

/// The CTEs of one WITH clause, by folded name, and the SELECT it belongs to (nil: an INSERT, UPDATE or
/// DELETE's WITH).
struct CTEScope {
    var tables: [String: CommonTableExpression]
    var owner: Select?
}

extension Compiler {
    /// Builds the scope's terms for a FROM clause, emitting the code that materializes subqueries.
    /// `streamSoleItem`: a recursive CTE that is the whole FROM clause may be a co-routine (its rows
    /// stream into the one loop that reads them), as select.c does for a FROM clause's first item.
    func buildFrom(_ items: [FromItem], _ scope: Scope, streamSoleItem: Bool = false) throws(DBError) {
        let stream = streamSoleItem && items.count == 1
        // With a RIGHT or FULL JOIN, every term to its left may be NULL-extended after its loop (the terms
        // are marked JT_LTORJ once built). Nothing is streamed (the co-routine's rule 3); a view or subquery
        // to the left of the last RIGHT JOIN is flattened only as into an outer join, the right side of a
        // RIGHT JOIN never (select.c restrictions 3, 26, 27), and none when parentheses group the joins.
        let hasRightJoin = Self.containsRightJoin(items)
        let lastRightJoin = items.lastIndex { item in
            if let j = item.join, case .join(let t) = j { return t.contains(.right) }
            return false
        }
        let parenthesized = items.contains { if case .join = $0.source { return true } else { return false } }
        let saved = (buildingFromWithRightJoin, deferredJoinError, flatteningLeftOfRightJoin)
        buildingFromWithRightJoin = hasRightJoin
        deferredJoinError = nil
        defer { (buildingFromWithRightJoin, deferredJoinError, flatteningLeftOfRightJoin) = saved }
        for (k, item) in items.enumerated() {
            if hasRightJoin, !parenthesized, let last = lastRightJoin {
                flatteningLeftOfRightJoin = k < last
            } else {
                flatteningLeftOfRightJoin = nil
            }
            // select.c codes a FROM clause's first item as a co-routine when it is the only one or an
            // outer or cross join follows; any other materialized item is filled once (see
            // materializeRecursiveCTE).
            var coroutinePosition = false
            if k == 0 && !hasRightJoin {
                if items.count == 1 {
                    coroutinePosition = true
                } else if case .join(let type) = items[1].join, !type.isDisjoint(with: [.left, .right, .cross]) {
                    coroutinePosition = true
                }
            }
            try addFromItem(item, scope, join: item.join, stream: stream, coroutinePosition: coroutinePosition)
        }
        if scope.terms.count > 64 { throw DBError(.error, "at most 64 tables in a join") }
        if let e = deferredJoinError { throw e }
        if hasRightJoin, let last = scope.terms.lastIndex(where: { $0.joinType?.contains(.right) == true }) {
            for t in scope.terms[..<last] { t.leftOfRightJoin = true }
            // The names too (a flattened view's name is not one of the loops): `*` reads their shared USING
            // columns by the unqualified name.
            if let named = scope.namedTerms, let lastName = named.lastIndex(where: { $0.joinType?.contains(.right) == true }) {
                for t in named[..<lastName] { t.leftOfRightJoin = true }
            }
        }
    }

    /// A RIGHT or FULL JOIN anywhere in the FROM list, parenthesized joins included.
    static func containsRightJoin(_ items: [FromItem]) -> Bool {
        items.contains { item in
            if let j = item.join, case .join(let t) = j, t.contains(.right) { return true }
            if case .join(let inner) = item.source { return containsRightJoin(inner) }
            return false
        }
    }

    private func addFromItem(_ item: FromItem, _ scope: Scope, join: JoinOperator?,
                             stream: Bool = false, coroutinePosition: Bool = false) throws(DBError) {
        let term: FromTerm
        switch item.source {
        case .join(let inner):
            var outerJoin = false
            if let j = join, case .join(let type) = j { outerJoin = type.contains(.left) || type.contains(.right) }
            // Flattening `a LEFT JOIN (b JOIN c ON …) ON …` into the outer list would inner-join c and lose a's
            // unmatched rows, and `x JOIN (a RIGHT JOIN b)` would NULL-extend x as well: such a join is read as
            // a subquery.
            if (inner.count > 1 && outerJoin) || (join != nil && Self.containsRightJoin(inner)) {
                term = try nestedJoin(item, inner, scope)
                break
            }
            let start = scope.nameTerms.count
            for (k, sub) in inner.enumerated() {
                try addFromItem(sub, scope, join: k == 0 ? join : sub.join)
            }
            if start < scope.nameTerms.count, item.constraint != nil {
                try applyJoinConstraint(item.constraint, join, scope.nameTerms[start], scope, startOfRight: start)
            }
            return
        case .table(let qn, let hint):
            if qn.schema == nil, let bound = boundTables[foldName(qn.name.name)] {
                term = FromTerm(name: item.alias?.name ?? qn.name.name, table: nil, columnNames: bound.names,
                                affinities: bound.affinities, collations: Array(repeating: .binary, count: bound.names.count),
                                declaredTypes: Array(repeating: nil, count: bound.names.count), cursor: bound.cursor,
                                hasRowid: false)
            } else if qn.schema == nil, let cte = lookupCTE(qn.name.name) {
                // A co-routine or a table, as select.c chooses: a table not in a co-routine's place, or of
                // a CTE used twice, is filled once per statement (SQLite then shares one table between the
                // uses; this fills one per use).
                let usedTwice = cteUseCount(cte.name.name) > 1
                term = try materialize(cte.select, name: item.alias?.name ?? cte.name.name,
                                       columnNames: cte.columns?.map(\.name), scope: scope, cteName: cte.name.name,
                                       flatten: canFlattenInto(item, join), stream: stream && !usedTwice && cte.materialization != .materialized,
                                       fillOnce: usedTwice || !coroutinePosition)
            } else if try findTable(qn.name.name, schema: qn.schema) == nil,
                      let pragma = try pragmaFunctionTerm(qn, [], alias: item.alias?.name, scope: scope) {
                // An eponymous pragma table (pragma_user_version), when no table has that name.
                term = pragma
            } else {
                let table = try lookupTable(qn)
                if table.isView {
                    term = try materializeView(table, alias: item.alias?.name, scope: scope,
                                               flatten: canFlattenInto(item, join))
                } else {
                    term = FromTerm(table: table, alias: item.alias?.name, cursor: b.allocateCursor())
                    term.indexHint = hint
                    if item.alias == nil { term.writtenSchema = qn.schema?.name }
                    if case .indexedBy(let name) = hint {
                        guard let idx = try catalog(ofDatabase: table.database).index(name.name), idx.table === table else {
                            throw DBError(.error, "no such index: \(name.name)")
                        }
                    }
                }
            }
        case .subquery(let s):
            // A subquery in FROM sees the enclosing queries' columns (not its sibling FROM items): it is
            // then correlated, and the scalar or EXISTS subquery holding it runs per outer row.
            term = try materialize(s, name: item.alias?.name ?? "(subquery-\(selectNumber(s)))",
                                   columnNames: nil, scope: scope, cteName: nil, flatten: canFlattenInto(item, join),
                                   stream: stream, outer: scope.parent)
        case .function(let qn, let args):
            guard let pragma = try pragmaFunctionTerm(qn, args, alias: item.alias?.name, scope: scope) else {
                throw DBError(.error, "no such table: \(qn)")
            }
            term = pragma
        }
        if let j = join, case .join(let type) = j {
            term.joinType = type
        }
        if term.expansion != nil, let inner = term.expansionScope {
            scope.addFlattened(term, loops: inner.terms)
        } else {
            scope.add(term)
        }
        if item.constraint != nil || (join.map { if case .join(let t) = $0 { return t.contains(.natural) } else { return false } } ?? false) {
            try applyJoinConstraint(item.constraint, join, term, scope, startOfRight: scope.nameTerms.count - 1)
        }
        if term.expansion != nil, let first = term.expansionScope?.terms.first {
            // A flattened subquery's first table takes the item's join type and ON clause (select.c's
            // flattenSubquery): a CROSS JOIN keeps its place, the ON terms join the WHERE analysis.
            first.joinType = term.joinType
            if let on = term.onClause {
                first.onClause = on
                term.onClause = nil
            }
        }
    }

    /// ON, USING and NATURAL: record the join condition on the right term and hide shared columns.
    private func applyJoinConstraint(_ constraint: JoinConstraint?, _ join: JoinOperator?, _ right: FromTerm,
                                     _ scope: Scope, startOfRight: Int) throws(DBError) {
        var natural = false
        if let j = join, case .join(let t) = j { natural = t.contains(.natural) }
        if natural && constraint != nil {
            throw DBError(.error, "a NATURAL join may not have an ON or USING clause")
        }
        var usingNames: [String] = []
        if natural {
            let leftTerms = scope.nameTerms[0..<startOfRight]
            for name in right.columnNames where leftTerms.contains(where: { $0.columnIndex(name) != nil }) {
                usingNames.append(name)
            }
        }
        switch constraint {
        case .on(let e):
            right.onClause = e
        case .using(let ids):
            usingNames = ids.map(\.name)
        case nil:
            break
        }
        guard !usingNames.isEmpty else { return }
        var condition: Expr?
        for name in usingNames {
            // The left side is the left-most table holding the column (sqlite3ProcessJoin); with a RIGHT or
            // FULL JOIN in the FROM clause, coalesce() of every left table that shares it through USING.
            let leftTerms = scope.nameTerms[0..<startOfRight]
            guard right.columnIndex(name) != nil,
                  let first = leftTerms.firstIndex(where: { $0.columnIndex(name) != nil }) else {
                throw DBError(.error, "cannot join using column \(name) - column not present in both tables")
            }
            func column(_ t: FromTerm) -> Expr { Expr(.column(termColumnReference(t, name, scope))) }
            var l = column(leftTerms[first])
            if buildingFromWithRightJoin {
                var shared = [l]
                for t in leftTerms[(first + 1)...] where t.columnIndex(name) != nil {
                    guard t.hiddenForUnqualified.contains(foldName(name)) else {
                        deferredJoinError = DBError(.error, "ambiguous reference to \(name) in USING()")
                        break
                    }
                    shared.append(column(t))
                }
                if shared.count > 1 {
                    l = Expr(.function(FunctionCall(name: Identifier("coalesce"), arguments: .list(nil, shared))))
                }
            }
            let r = Expr(.column(termColumnReference(right, name, scope)))
            let eq = Expr(.binary(.equal, l, r))
            condition = condition.map { Expr(.binary(.and, $0, eq)) } ?? eq
            right.hiddenForUnqualified.insert(foldName(name))
            right.usingColumns.append(name)
        }
        right.onClause = condition
    }

    func lookupCTE(_ name: String) -> CommonTableExpression? {
        for scope in cteScopes.reversed() {
            if let c = scope.tables[foldName(name)] { return c }
        }
        return nil
    }

    /// How many FROM items of the statement name the CTE `name` resolves to (SQLite's CteUse.nUse): the
    /// mentions in the SELECT whose WITH defines it, outside the CTE's own body. 1 when that WITH belongs
    /// to an INSERT, UPDATE or DELETE (not counted).
    func cteUseCount(_ name: String) -> Int {
        for scope in cteScopes.reversed() where scope.tables[foldName(name)] != nil {
            guard var owner = scope.owner else { return 1 }
            let others = (owner.with?.tables ?? []).filter { !namesMatch($0.name.name, name) }
            owner.with = nil  // else tableMentions takes the name as this WITH's own and counts nothing
            return others.reduce(tableMentions(owner, name)) { $0 + tableMentions($1.select, name) }
        }
        return 1
    }

    /// A reference to column `name` of exactly the FROM item `t`: by its name, or, when another item of the
    /// scope has the same name (`a JOIN a USING (id)`), by its identity (sqlite3ProcessJoin codes cursor
    /// numbers, not names).
    func termColumnReference(_ t: FromTerm, _ name: String, _ scope: Scope) -> ColumnReference {
        let duplicated = scope.nameTerms.contains { $0 !== t && namesMatch($0.name, t.name) }
        return ColumnReference(schema: duplicated ? Identifier(termIdentitySchema(t)) : nil, table: Identifier(t.name),
                               column: Identifier(name))
    }

    private func materializeView(_ view: Table, alias: String?, scope: Scope, flatten: Flattening) throws(DBError) -> FromTerm {
        guard let select = view.viewSelect else { throw DBError(.internal, "view without SELECT") }
        if expandingViews.contains(foldName(view.name)) {
            throw DBError(.error, "view \(view.name) is circularly defined")
        }
        expandingViews.append(foldName(view.name))
        schemaObjectDatabases.append(view.database)
        defer {
            expandingViews.removeLast()
            schemaObjectDatabases.removeLast()
        }
        // A view sees only the schema, never the CTEs or tables of the statement using it.
        let savedCTEs = cteScopes
        cteScopes = []
        defer { cteScopes = savedCTEs }
        // Its source ranges (result column names) point into the CREATE VIEW text.
        // SELECT numbers only name EXPLAIN QUERY PLAN's subquery lines.
        if emitsQueryPlan { numberSelects() }
        let savedSource = source
        source = Array(view.sql.utf8)
        defer { source = savedSource }
        if emitsQueryPlan {
            let numbers = SelectNumbering.viewNumbers(in: source, after: lastSelectNumber)
            selectNumbers.append(numbers)
            lastSelectNumber += numbers.count
        }
        let term = try materialize(select, name: alias ?? view.name, columnNames: view.viewColumnNames, scope: nil,
                                   cteName: nil, flatten: flatten)
        term.viewDatabase = view.database
        return term
    }

    /// Runs `select` into a new ephemeral table (only the first time the code runs in a statement when
    /// `fillOnce`) and returns a term reading it; a recursive CTE as materializeRecursiveCTE runs it.
    /// `outer`: the scope the subquery's names may resolve in beyond its own FROM clause (a FROM subquery's
    /// enclosing queries; nil for views and CTEs).
    func materialize(_ select: Select, name: String, columnNames: [String]?, scope: Scope?, cteName: String?,
                     flatten: Flattening = .no, stream: Bool = false, fillOnce: Bool = false,
                     outer: Scope? = nil, nested: Bool = false) throws(DBError) -> FromTerm {
        depth += 1
        defer { depth -= 1 }
        guard depth < Compiler.maxDepth else { throw DBError(.error, "too many levels of nesting") }
        if let cteName, tableMentions(select, cteName) > 0 {
            return try materializeRecursiveCTE(select, name: name, cteName: cteName, columnNames: columnNames,
                                               stream: stream, fillOnce: fillOnce)
        }
        if flatten != .no, let term = try flattened(select, name: name, columnNames: columnNames, isCTE: cteName != nil,
                                                    outer: outer, outerJoin: flatten == .outerJoin) {
            return term
        }
        let cursor = b.allocateCursor()
        // EXPLAIN QUERY PLAN: the subquery's lines under CO-ROUTINE or MATERIALIZE and its name.
        planParents.append(planLine((stream ? "CO-ROUTINE " : "MATERIALIZE ") + name))
        defer { planParents.removeLast() }
        let info: ResultInfo
        var coroutine: (yield: Int32, base: Int32)?
        if stream {
            // The whole FROM clause: a co-routine yielding each row to the one loop that reads it
            // (select.c's co-routine for a FROM clause's first item), with no table in between.
            let yieldReg = b.allocateRegisters()
            let initAddr = b.emit(.InitCoroutine, yieldReg, 0, b.count + 1)
            let row = CoroutineRow()
            info = try compileSelect(select, parent: outer, destination: .coroutine(yield: yieldReg, row: row))
            b.emit(.EndCoroutine, yieldReg)
            b.setP2(initAddr, b.count)
            coroutine = (yieldReg, row.base)
        } else {
            // Filled once per statement when asked (see materializeRecursiveCTE's `fillOnce`).
            let filled: Int32? = fillOnce && currentTrigger == nil ? b.makeLabel() : nil
            if let filled { b.emit(.Once, b.allocateRegisters(), filled) }
            b.emit(.OpenEphemeral, cursor, 0)
            info = try compileSelect(select, parent: outer, destination: .table(cursor: cursor))
            if let filled { b.resolve(filled) }
        }
        if let columnNames, columnNames.count != info.names.count {
            throw columnCountError(name, expected: columnNames.count, got: info.names.count, isCTE: cteName != nil)
        }
        let term = FromTerm(name: name, table: nil, columnNames: columnNames ?? info.names,
                            affinities: info.affinities, collations: info.collations,
                            declaredTypes: info.declaredTypes, cursor: cursor, hasRowid: false)
        term.coroutine = coroutine
        if nested {
            term.nestedColumns = zip(info.origins, term.columnNames).map { origin, name in
                (origin?.table?.name ?? "", origin?.column.name ?? name)
            }
        }
        return term
    }

    /// A parenthesized join that cannot be flattened, read as the subquery `SELECT * FROM (…)` and materialized
    /// (parse.y's SF_NestedFrom subquery, named `(join-N)` unless it has an alias). Its columns remember the table
    /// and column each came from, so `b.y` still names b's column inside it (Scope.resolveHere).
    private func nestedJoin(_ item: FromItem, _ inner: [FromItem], _ scope: Scope) throws(DBError) -> FromTerm {
        nestedJoinCount += 1
        let core = SimpleSelect(columns: [.all(item.range)], from: inner, range: item.range)
        let term = try materialize(Select(first: .select(core), range: item.range),
                                   name: item.alias?.name ?? "(join-\(nestedJoinCount))", columnNames: nil, scope: scope,
                                   cteName: nil, flatten: .no, outer: scope.parent, nested: true)
        return term
    }

    /// Whether a FROM item may be flattened into its query, in a FROM clause without RIGHT or FULL JOIN: an
    /// inner, cross or comma join (ON and USING allowed, not NATURAL); or the right side of a LEFT JOIN, when
    /// the query is not DISTINCT and the subquery reads one table (select.c's restriction 3).
    func canFlattenInto(_ item: FromItem, _ join: JoinOperator?) -> Flattening {
        if buildingFromWithRightJoin && flatteningLeftOfRightJoin == nil { return .no }  // parenthesized
        if let j = join, case .join(let type) = j {
            if type.contains(.natural) || type.contains(.right) { return .no }
            if type.contains(.left) { return buildingFromOfDistinct ? .no : .outerJoin }
        }
        if flatteningLeftOfRightJoin == true { return buildingFromOfDistinct ? .no : .outerJoin }
        return .inner
    }

    /// A view or subquery simple enough to read as part of the enclosing query (select.c's flattening,
    /// for the common case): one SELECT with a FROM clause of inner joins, no DISTINCT, aggregate,
    /// ORDER BY, LIMIT or WITH. Returns nil when it must be materialized instead.
    /// A view's or CTE's column list that does not fit its SELECT.
    private func columnCountError(_ name: String, expected: Int, got: Int, isCTE: Bool) -> DBError {
        isCTE ? DBError(.error, "table \(name) has \(got) values for \(expected) columns")
            : DBError(.error, "expected \(expected) columns for '\(name)' but got \(got)")
    }

    private func flattened(_ select: Select, name: String, columnNames: [String]?,
                           isCTE: Bool, outer: Scope?, outerJoin: Bool) throws(DBError) -> FromTerm? {
        guard select.compounds.isEmpty, select.orderBy.isEmpty, select.limit == nil, select.with == nil,
              case .select(let core) = select.first, core.quantifier != .distinct, core.groupBy.isEmpty,
              core.having == nil, core.windows.isEmpty, !core.from.isEmpty else { return nil }
        if outerJoin {
            // Into a LEFT JOIN only a subquery over one base table (restriction 3a).
            guard core.from.count == 1, case .table(let qn, _) = core.from[0].source, qn.schema == nil,
                  lookupCTE(qn.name.name) == nil, boundTables[foldName(qn.name.name)] == nil,
                  let table = try? lookupTable(qn), !table.isView else { return nil }
        }
        func simpleJoins(_ items: [FromItem]) -> Bool {
            items.allSatisfy { item in
                if case .using = item.constraint { return false }
                if let j = item.join, case .join(let t) = j,
                   t.contains(.left) || t.contains(.natural) || t.contains(.right) { return false }
                if case .join(let inner) = item.source { return simpleJoins(inner) }
                if case .function = item.source { return false }
                return true
            }
        }
        guard simpleJoins(core.from) else { return nil }
        for c in core.columns {
            if case .expr(let e, _, _) = c, containsAggregate(e) || containsWindow(e) { return nil }
        }
        let inner = Scope(terms: [], parent: outer)
        try buildFrom(core.from, inner)
        let results = try expandResultColumns(core.columns, inner)
        if let columnNames, columnNames.count != results.count {
            throw columnCountError(name, expected: columnNames.count, got: results.count, isCTE: isCTE)
        }
        // Inner joins' ON clauses become part of the view's WHERE clause.
        var condition = core.whereClause
        for t in inner.terms {
            guard let on = t.onClause else { continue }
            condition = condition.map { Expr(.binary(.and, $0, on)) } ?? on
            t.onClause = nil
            t.joinType = nil
        }
        if let w = condition, containsAggregate(w) { return nil }
        let info = resultInfo(results, inner)
        let term = FromTerm(name: name, table: nil, columnNames: columnNames ?? info.names, affinities: info.affinities,
                            collations: info.collations, declaredTypes: info.declaredTypes, cursor: -1, hasRowid: false)
        term.expansion = results.map(\.expr)
        term.expansionScope = inner
        term.flattenedWhere = condition
        if outerJoin { term.outerJoinLoop = inner.terms.first }
        return term
    }

    /// True when `e` calls a window function (OVER).
    func containsWindow(_ e: Expr) -> Bool {
        var found = false
        visitExpressions(e) { x in
            if case .function(let call) = x.kind, call.over != nil { found = true }
            return !found
        }
        return found
    }
}
