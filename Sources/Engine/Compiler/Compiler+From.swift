// Compiler+From: the FROM clause — base tables opened through cursors, and
// views, subqueries and common table expressions materialized into
// ephemeral tables before the loops run (https://sqlite.org/lang_select.html
// §2.1.1). Parenthesized joins are flattened into one list of terms, each
// remembering how it joins the ones before it; NATURAL and USING joins hide
// the right side's shared columns from unqualified names and become ON
// equalities.

import Base
import SQL

extension Compiler {
    /// Builds the scope's terms for a FROM clause, emitting the code that materializes subqueries.
    func buildFrom(_ items: [FromItem], _ scope: Scope) throws(DBError) {
        for item in items { try addFromItem(item, scope, join: item.join) }
        if scope.terms.count > 64 { throw DBError(.error, "at most 64 tables in a join") }
    }

    private func addFromItem(_ item: FromItem, _ scope: Scope, join: JoinOperator?) throws(DBError) {
        let term: FromTerm
        switch item.source {
        case .join(let inner):
            let start = scope.terms.count
            for (k, sub) in inner.enumerated() {
                try addFromItem(sub, scope, join: k == 0 ? join : sub.join)
            }
            if start < scope.terms.count, item.constraint != nil {
                try applyJoinConstraint(item.constraint, join, scope.terms[start], scope, startOfRight: start)
            }
            return
        case .table(let qn, let hint):
            if qn.schema == nil, let bound = boundTables[foldName(qn.name.name)] {
                term = FromTerm(name: item.alias?.name ?? qn.name.name, table: nil, columnNames: bound.names,
                                affinities: bound.affinities, collations: Array(repeating: .binary, count: bound.names.count),
                                declaredTypes: Array(repeating: nil, count: bound.names.count), cursor: bound.cursor,
                                hasRowid: false)
            } else if qn.schema == nil, let cte = lookupCTE(qn.name.name) {
                term = try materialize(cte.select, name: item.alias?.name ?? cte.name.name, columnNames: cte.columns?.map(\.name),
                                       scope: scope, cteName: cte.name.name)
            } else {
                let table = try lookupTable(qn)
                if table.isView {
                    term = try materializeView(table, alias: item.alias?.name, scope: scope)
                } else {
                    term = FromTerm(table: table, alias: item.alias?.name, cursor: b.allocateCursor())
                    term.indexHint = hint
                    if case .indexedBy(let name) = hint {
                        guard let idx = catalog.index(name.name), idx.table === table else {
                            throw DBError(.error, "no such index: \(name.name)")
                        }
                    }
                }
            }
        case .subquery(let s):
            term = try materialize(s, name: item.alias?.name ?? "(subquery-\(scope.terms.count + 1))",
                                   columnNames: nil, scope: scope, cteName: nil)
        case .function(let qn, _):
            throw DBError(.error, "no such table: \(qn)")
        }
        if let j = join, case .join(let type) = j {
            term.joinType = type
            if type.contains(.right) {
                throw DBError(.error, "RIGHT and FULL OUTER JOINs are not supported yet")
            }
        }
        scope.terms.append(term)
        if item.constraint != nil || (join.map { if case .join(let t) = $0 { return t.contains(.natural) } else { return false } } ?? false) {
            try applyJoinConstraint(item.constraint, join, term, scope, startOfRight: scope.terms.count - 1)
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
            let leftTerms = scope.terms[0..<startOfRight]
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
            guard right.columnIndex(name) != nil,
                  let left = scope.terms[0..<startOfRight].last(where: { $0.columnIndex(name) != nil }) else {
                throw DBError(.error, "cannot join using column \(name) - column not present in both tables")
            }
            let l = Expr(.column(ColumnReference(table: Identifier(left.name), column: Identifier(name))))
            let r = Expr(.column(ColumnReference(table: Identifier(right.name), column: Identifier(name))))
            let eq = Expr(.binary(.equal, l, r))
            condition = condition.map { Expr(.binary(.and, $0, eq)) } ?? eq
            right.hiddenForUnqualified.insert(foldName(name))
            right.usingColumns.append(name)
        }
        right.onClause = condition
    }

    func lookupCTE(_ name: String) -> CommonTableExpression? {
        for scope in cteScopes.reversed() {
            if let c = scope[foldName(name)] { return c }
        }
        return nil
    }

    private func materializeView(_ view: Table, alias: String?, scope: Scope) throws(DBError) -> FromTerm {
        guard let select = view.viewSelect else { throw DBError(.internal, "view without SELECT") }
        if expandingViews.contains(foldName(view.name)) {
            throw DBError(.error, "view \(view.name) is circularly defined")
        }
        expandingViews.append(foldName(view.name))
        defer { expandingViews.removeLast() }
        // A view sees only the schema, never the CTEs or tables of the statement using it.
        let savedCTEs = cteScopes
        cteScopes = []
        defer { cteScopes = savedCTEs }
        return try materialize(select, name: alias ?? view.name, columnNames: view.viewColumnNames, scope: nil,
                               cteName: nil)
    }

    /// Runs `select` into a new ephemeral table (once per statement) and returns a term reading it.
    func materialize(_ select: Select, name: String, columnNames: [String]?, scope: Scope?,
                     cteName: String?) throws(DBError) -> FromTerm {
        depth += 1
        defer { depth -= 1 }
        guard depth < Compiler.maxDepth else { throw DBError(.error, "too many levels of nesting") }
        if let cteName, select.with?.recursive == true || isRecursiveReference(select, cteName) {
            return try materializeRecursiveCTE(select, name: name, cteName: cteName, columnNames: columnNames)
        }
        let cursor = b.allocateCursor()
        b.emit(.OpenEphemeral, cursor, 0)
        let info = try compileSelect(select, parent: nil, destination: .table(cursor: cursor))
        if let columnNames, columnNames.count != info.names.count {
            throw DBError(.error, "table \(name) has \(info.names.count) values for \(columnNames.count) columns")
        }
        let term = FromTerm(name: name, table: nil, columnNames: columnNames ?? info.names,
                            affinities: info.affinities, collations: info.collations,
                            declaredTypes: info.declaredTypes, cursor: cursor, hasRowid: false)
        return term
    }

    /// True when a core of `select` names `name` in its FROM clause (a CTE that refers to itself).
    func isRecursiveReference(_ select: Select, _ name: String) -> Bool {
        func mentions(_ items: [FromItem]) -> Bool {
            items.contains { item in
                switch item.source {
                case .table(let qn, _): return qn.schema == nil && namesMatch(qn.name.name, name)
                case .join(let inner): return mentions(inner)
                default: return false
                }
            }
        }
        return select.cores.contains { core in
            if case .select(let c) = core { return mentions(c.from) }
            return false
        }
    }
}
