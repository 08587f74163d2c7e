// AggregatePlan: what aggregate queries ask of the planner (select.c):
//
// - GROUP BY asks the loops for its terms in any order and direction
//   (WHERE_GROUPBY); when they deliver it, groups stream without a sorter.
//   With an ORDER BY of as many terms, the GROUP BY takes its directions and,
//   when the lists match, the grouping also satisfies the ORDER BY.
// - A lone min(x) or max(x) asks for x ascending (NULLs last) or descending
//   (WHERE_ORDERBY_MIN/MAX), which may pick an index on x.
// - `SELECT count(*) FROM t` counts the entries of the narrowest b-tree
//   (isSimpleCount): "SCAN t USING COVERING INDEX i".
// - A lone count(DISTINCT x) asks for x's order (WHERE_AGG_DISTINCT).

import Base
import SQL

extension Compiler {
    /// The GROUP BY request, whether the ORDER BY is the same list, and the group sorter's directions.
    func groupByRequest(_ groupBy: [Expr], _ sortKeys: [SortKey], _ scope: Scope,
                        _ calls: [AggregateCall]) -> (WhereRequest, orderByGroup: Bool, descending: [Bool]) {
        var descending = Array(repeating: false, count: groupBy.count)
        var orderByGroup = false
        if !sortKeys.isEmpty && sortKeys.count == groupBy.count {
            descending = sortKeys.map(\.descending)
            orderByGroup = zip(groupBy, sortKeys).allSatisfy { g, k in
                k.nullsFirst == nil && stripCollate(g) == k.expr
                    && (collation(of: g, scope)?.0 ?? .binary) == k.collation
            }
        }
        var request = WhereRequest()
        request.orderBy = zip(groupBy, descending).map { g, d in
            PlanOrderTerm(expr: stripCollate(g), scope: scope, descending: d,
                          collation: collation(of: g, scope)?.0 ?? .binary)
        }
        request.flags = .groupBy
        if orderByGroup { request.flags.insert(.sortByGroup) }
        if calls.count == 1, calls[0].distinct, let arg = calls[0].arguments.first {
            request.resultSet = groupBy + [arg]
            request.flags.formUnion([.wantDistinct, .aggDistinct])
        }
        return (request, orderByGroup, descending)
    }

    private func stripCollate(_ e: Expr) -> Expr {
        var x = e
        while case .collate(let inner, _) = x.kind { x = inner }
        return x
    }

    /// minMaxQuery: the request for a query whose only aggregate is min(x) or max(x) (no GROUP BY, no HAVING).
    func aggregateRequest(_ core: SimpleSelect, _ calls: [AggregateCall], _ scope: Scope) -> WhereRequest {
        var request = WhereRequest()
        guard calls.count == 1, core.having == nil else { return request }
        let c = calls[0]
        if c.distinct, let arg = c.arguments.first {
            request.resultSet = [arg]
            request.flags = [.wantDistinct, .aggDistinct]
            return request
        }
        guard c.arguments.count == 1, c.filter == nil, case .function(let call) = c.expr.kind,
              call.over == nil else { return request }
        let name = call.name.name.lowercased()
        let arg = c.arguments[0]
        let coll = collation(of: arg, scope)?.0 ?? .binary
        if name == "min" {
            var t = PlanOrderTerm(expr: stripCollate(arg), scope: scope, descending: false, collation: coll)
            t.bigNull = canBeNull(arg, scope)
            request.orderBy = [t]
            request.flags = .orderByMin
        } else if name == "max" {
            request.orderBy = [PlanOrderTerm(expr: stripCollate(arg), scope: scope, descending: true, collation: coll)]
            request.flags = .orderByMax
        }
        return request
    }

    /// sqlite3ExprCanBeNull.
    func canBeNull(_ e: Expr, _ scope: Scope) -> Bool {
        var x = e
        while true {
            switch x.kind {
            case .collate(let inner, _), .unary(.plus, let inner):
                x = inner
                continue
            case .literal(let lit):
                if case .null = lit { return true }
                return false
            case .column(let ref):
                guard let (binding, _) = try? scope.resolve(ref) else { return true }
                switch binding {
                case .rowid: return false
                case .column(let t, let c):
                    guard let table = t.table else { return true }
                    if table.rowidAlias == c { return false }
                    return !table.columns[c].notNull || t.joinType?.contains(.left) == true || t.leftOfRightJoin
                case .expression: return true
                }
            default:
                return true
            }
        }
    }

    /// isSimpleCount: `SELECT count(*) FROM t` — the table, and the b-tree to count (nil: the table itself).
    func simpleCountSource(_ core: SimpleSelect, _ results: [ResultColumnSpec], _ calls: [AggregateCall],
                           _ scope: Scope) -> (FromTerm, Index?)? {
        guard core.whereClause == nil, core.having == nil, core.groupBy.isEmpty, results.count == 1,
              scope.terms.count == 1, let table = scope.terms[0].table, !table.isView, calls.count == 1,
              calls[0].expr == results[0].expr, !calls[0].distinct, calls[0].filter == nil,
              calls[0].arguments.isEmpty, calls[0].definition.name.lowercased() == "count",
              case .function(let call) = calls[0].expr.kind, call.over == nil else { return nil }
        // A flattened view or subquery brings its WHERE clause along: count(*) must see it.
        var flattenedWheres: [(Expr, Scope)] = []
        gatherFlattenedWheres(scope, into: &flattenedWheres)
        guard flattenedWheres.isEmpty else { return nil }
        let term = scope.terms[0]
        var best: Index? = table.withoutRowid ? table.primaryKeyIndex : nil
        var bestSize = best.map { cachedPlanIndex($0).rowSize }
        let tableSize = plannerStatistics(table).rowSize
        if term.indexHint != .notIndexed {
            for index in Compiler.orderedIndexes(table) where index.whereClause == nil && index.rootPage > 0 {
                let size = cachedPlanIndex(index).rowSize
                if size < tableSize && (bestSize == nil || size < bestSize!) {
                    best = index
                    bestSize = size
                }
            }
        }
        return (term, best)
    }

    /// Counts the entries of the chosen b-tree into `target` (OP_Count), with its plan line.
    func emitSimpleCount(_ term: FromTerm, _ index: Index?, into target: Int32) {
        guard let table = term.table else { return }
        let cursor = b.allocateCursor()
        if let index {
            b.emit(.OpenRead, cursor, Int32(bitPattern: index.rootPage), Int32(table.database), .keyInfo(index.keyInfo))
        } else {
            b.emit(.OpenRead, cursor, Int32(bitPattern: table.rootPage), Int32(table.database))
        }
        b.emit(.Count, cursor, target)
        b.emit(.Close, cursor)
        let cover = index != nil && (!table.withoutRowid || index?.origin != .primaryKey)
        planLine("SCAN \(table.name)" + (cover ? " USING COVERING INDEX \(index!.name)" : ""))
    }
}
