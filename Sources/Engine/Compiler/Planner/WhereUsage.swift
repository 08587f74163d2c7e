// WhereUsage: which loops of the query being planned an expression reads,
// as a bitmask (whereexpr.c's sqlite3WhereExprUsage and exprSelectUsage),
// and which column of which loop a bare column reference names.
//
// A subquery inside a term reads the loops its correlated names refer to.
// Names are attributed without compiling the subquery: a name that one of
// the subquery's own FROM items certainly has is inner; any other name that
// resolves in the planned scope counts as a reference to that loop. When a
// FROM item's columns are unknown the attribution errs towards "outer",
// which only makes a term wait for more loops, never run too early.

import Base
import SQL

/// The names a subquery's FROM clauses define, innermost last.
struct SubqueryNames {
    var qualifiers: Set<String> = []
    var columns: Set<String> = []
    /// Some FROM item's columns are not known without compiling it (a table-valued function, a name
    /// that is not in the catalog): any unqualified name may be one of them.
    var opaque = false
}

extension Compiler {
    /// The loops of `loops` that `e` (resolved in `scope`) reads; `correlated` is set when a subquery in it
    /// refers to an enclosing query.
    func exprUsage(_ e: Expr, _ scope: Scope, loops: Scope, correlated: inout Bool) -> UInt64 {
        var mask: UInt64 = 0
        visitExpressions(e) { x in
            switch x.kind {
            case .column(let ref):
                mask |= columnUsage(ref, scope, loops: loops)
            case .exists(let s), .subquery(let s):
                mask |= selectUsage(s, scope, loops: loops, inner: [], correlated: &correlated)
            case .in(let i):
                switch i.target {
                case .select(let s):
                    mask |= selectUsage(s, scope, loops: loops, inner: [], correlated: &correlated)
                case .table(let name, let args):
                    for a in args ?? [] { mask |= exprUsage(a, scope, loops: loops, correlated: &correlated) }
                    _ = name
                case .list:
                    break
                }
            default:
                break
            }
            return true
        }
        return mask
    }

    func exprUsage(_ e: Expr, _ scope: Scope, loops: Scope) -> UInt64 {
        var c = false
        return exprUsage(e, scope, loops: loops, correlated: &c)
    }

    /// The loop bit a column reference sets (following flattened views), 0 when it is not one of `loops`.
    private func columnUsage(_ ref: ColumnReference, _ scope: Scope, loops: Scope) -> UInt64 {
        guard let binding = try? scope.resolveHere(ref) else { return 0 }
        switch binding {
        case .column(let t, _), .rowid(let t):
            if let i = loops.terms.firstIndex(where: { $0 === t }) { return 1 << UInt64(i) }
            return 0
        case .expression(let inner, let innerScope, let view, _):
            // A column of a view flattened into a LEFT JOIN reads that loop's NULL-row state (TK_IF_NULL_ROW).
            return exprUsage(inner, innerScope, loops: loops) | outerJoinLoopUsage(view, loops)
        }
    }

    private func outerJoinLoopUsage(_ view: FromTerm, _ loops: Scope) -> UInt64 {
        guard let loop = view.outerJoinLoop, let i = loops.terms.firstIndex(where: { $0 === loop }) else { return 0 }
        return 1 << UInt64(i)
    }

    /// exprSelectUsage: the loops a subquery's correlated names read.
    private func selectUsage(_ s: Select, _ scope: Scope, loops: Scope, inner: [SubqueryNames],
                             correlated: inout Bool) -> UInt64 {
        var refs: [ColumnReference] = []
        collectOuterReferences(s, inner: inner, &refs)
        var mask: UInt64 = 0
        for ref in refs {
            if let b = try? scope.resolveHere(ref) {
                correlated = true
                switch b {
                case .column(let t, _), .rowid(let t):
                    if let i = loops.terms.firstIndex(where: { $0 === t }) { mask |= 1 << UInt64(i) }
                case .expression(let ie, let iscope, let view, _):
                    mask |= exprUsage(ie, iscope, loops: loops) | outerJoinLoopUsage(view, loops)
                }
            } else if let p = scope.parent, (try? p.resolve(ref)) != nil {
                correlated = true
            }
        }
        return mask
    }

    /// The column references in `s` (and the subqueries inside it) that its own FROM clauses do not define.
    func collectOuterReferences(_ s: Select, inner: [SubqueryNames], _ refs: inout [ColumnReference]) {
        let names = namesInside(s, below: inner)
        var out: [ColumnReference] = []
        forEachExpression(of: s, { e in
            visitExpressions(e) { x in
                switch x.kind {
                case .column(let ref):
                    if !isInnerName(ref, names) { out.append(ref) }
                case .exists(let sub), .subquery(let sub):
                    collectOuterReferences(sub, inner: names, &out)
                case .in(let i):
                    if case .select(let sub) = i.target { collectOuterReferences(sub, inner: names, &out) }
                default:
                    break
                }
                return true
            }
        }, nested: { sub in collectOuterReferences(sub, inner: names, &out) })
        refs.append(contentsOf: out)
    }

    /// `inner` with the names `s`'s own WITH and FROM clauses define on top.
    func namesInside(_ s: Select, below inner: [SubqueryNames]) -> [SubqueryNames] {
        var level = SubqueryNames()
        for cte in s.with?.tables ?? [] { level.qualifiers.insert(foldName(cte.name.name)) }
        for core in s.cores {
            guard case .select(let c) = core else { continue }
            collectNames(c.from, into: &level)
        }
        return inner + [level]
    }

    /// Calls `visit` with each expression of `s` itself (result columns, WHERE, GROUP BY, HAVING, ON clauses,
    /// table-function arguments, VALUES rows, ORDER BY, LIMIT) and `nested` with each subquery of its WITH and
    /// FROM clauses; subqueries inside the expressions are the visitor's to find.
    func forEachExpression(of s: Select, _ visit: (Expr) -> Void, nested: (Select) -> Void) {
        func visitFrom(_ items: [FromItem]) {
            for item in items {
                if case .on(let e) = item.constraint { visit(e) }
                switch item.source {
                case .subquery(let sub): nested(sub)
                case .join(let inner): visitFrom(inner)
                case .function(_, let args): for a in args { visit(a) }
                case .table: break
                }
            }
        }
        for cte in s.with?.tables ?? [] { nested(cte.select) }
        for core in s.cores {
            switch core {
            case .select(let c):
                for r in c.columns { if case .expr(let e, _, _) = r { visit(e) } }
                if let w = c.whereClause { visit(w) }
                for g in c.groupBy { visit(g) }
                if let h = c.having { visit(h) }
                visitFrom(c.from)
            case .values(let rows, _):
                for r in rows { for e in r { visit(e) } }
            }
        }
        for o in s.orderBy { visit(o.expr) }
        if let l = s.limit {
            visit(l.count)
            if let o = l.offset { visit(o) }
        }
    }

    /// Adds the names a FROM clause defines: its items' names and the columns known for them.
    func collectNames(_ items: [FromItem], into names: inout SubqueryNames) {
        for item in items {
            if let a = item.alias { names.qualifiers.insert(foldName(a.name)) }
            switch item.source {
            case .table(let qn, _):
                // An aliased item is known only by its alias (`FROM t1 AS x`: t1.b is an outer name).
                if item.alias == nil { names.qualifiers.insert(foldName(qn.name.name)) }
                if let cte = lookupCTE(qn.name.name) {
                    for c in cte.columns ?? [] { names.columns.insert(foldName(c.name)) }
                    addResultNames(cte.select, into: &names)
                } else if let t = try? lookupTable(qn) {
                    for c in t.columns { names.columns.insert(foldName(c.name)) }
                    for c in t.viewColumnNames ?? [] { names.columns.insert(foldName(c)) }
                    if let v = t.viewSelect { addResultNames(v, into: &names) }
                    if !t.withoutRowid && !t.isView {
                        for r in ["rowid", "oid", "_rowid_"] { names.columns.insert(r) }
                    }
                } else {
                    names.opaque = true
                }
            case .subquery(let s):
                addResultNames(s, into: &names)
            case .join(let inner):
                collectNames(inner, into: &names)
            case .function:
                names.opaque = true
            }
        }
    }

    /// The result column names of a SELECT, where they are evident.
    private func addResultNames(_ s: Select, into names: inout SubqueryNames) {
        guard case .select(let c) = s.first else { return }
        for r in c.columns {
            guard case .expr(let e, let alias, _) = r else { continue }
            if let alias { names.columns.insert(foldName(alias.name)) } else if case .column(let ref) = e.kind {
                names.columns.insert(foldName(ref.column.name))
            }
        }
        var nested = SubqueryNames()
        collectNames(c.from, into: &nested)
        if c.columns.contains(where: { if case .expr = $0 { return false } else { return true } }) {
            names.columns.formUnion(nested.columns)
        }
    }

    private func isInnerName(_ ref: ColumnReference, _ names: [SubqueryNames]) -> Bool {
        if let q = ref.table {
            return names.contains { $0.qualifiers.contains(foldName(q.name)) }
        }
        return names.contains { $0.columns.contains(foldName(ref.column.name)) }
    }

    /// The id standing for a FROM term of an enclosing query (-3, -4, …).
    func foreignTermID(_ t: FromTerm) -> Int {
        let id = ObjectIdentifier(t)
        if let k = planner.foreignTerms.firstIndex(of: id) { return -3 - k }
        planner.foreignTerms.append(id)
        return -3 - (planner.foreignTerms.count - 1)
    }

    /// The (loop, column) a column reference names, COLLATE skipped and flattened views followed; -1 is the
    /// rowid. A column of an enclosing query has a negative loop id from `foreignTermID`.
    func plannerColumn(_ e: Expr, _ scope: Scope, loops: Scope) -> (term: Int, column: Int)? {
        var x = e
        while case .collate(let inner, _) = x.kind { x = inner }
        guard case .column(let ref) = x.kind else { return nil }
        guard let binding = try? scope.resolveHere(ref) else {
            guard let p = scope.parent, let (b, _) = try? p.resolve(ref) else { return nil }
            switch b {
            case .column(let t, let c): return (foreignTermID(t), t.table?.rowidAlias == c ? -1 : c)
            case .rowid(let t): return (foreignTermID(t), -1)
            case .expression: return nil
            }
        }
        switch binding {
        case .column(let t, let c):
            guard let i = loops.terms.firstIndex(where: { $0 === t }) else { return nil }
            if let table = t.table, table.rowidAlias == c { return (i, -1) }
            return (i, c)
        case .rowid(let t):
            guard let i = loops.terms.firstIndex(where: { $0 === t }) else { return nil }
            return (i, -1)
        case .expression(let inner, let innerScope, _, _):
            return plannerColumn(inner, innerScope, loops: loops)
        }
    }
}
