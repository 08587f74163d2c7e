// Compiler+OuterAggregates: aggregate calls that belong to an enclosing query.
//
// An aggregate belongs to the innermost query whose FROM clause its arguments
// (and FILTER) name (resolve.c, resolveExprStep's TK_FUNCTION, which counts
// the levels up in op2). So `SELECT (SELECT sum(t.c) FROM u) FROM t` sums t.c
// over t and gives one row, however many rows u has; `count(*)`, which names
// nothing, is always the subquery's own.
//
// The enclosing query finds such calls before it compiles anything
// (`claimedAggregates`: the subquery's names resolved as
// collectOuterReferences resolves them, without compiling it); they make it
// an aggregate query when they sit in its result columns (NC_HasAgg), and it
// steps them with its own aggregates. The subquery, which knows its scope,
// leaves them out of its own aggregates (`belongsToEnclosingQuery`) and
// compiles each as a read of the register the enclosing query's output phase
// holds (`outerAggregateRegister`), which makes it correlated: it runs again
// for every group. A call the enclosing query did not claim (one in its WHERE
// clause, or in a query that is not an aggregate) finds no register and is
// reported as sqlite3 reports it: "misuse of aggregate: NAME()". A claimed
// call the subquery compiled as its own after all (the syntactic resolution
// and the real one disagreeing) is refused once the enclosing query is
// compiled (`outerAggregateReads`), never answered from a wrong grouping.

import Base
import SQL

extension Compiler {
    /// The column references of an aggregate call's arguments and FILTER clause (not inside subqueries).
    private func aggregateArgumentReferences(_ call: FunctionCall) -> [ColumnReference] {
        var refs: [ColumnReference] = []
        var exprs: [Expr] = []
        if case .list(_, let args) = call.arguments { exprs = args }
        if let f = call.filter { exprs.append(f) }
        for e in exprs {
            visitExpressions(e) { x in
                if case .column(let ref) = x.kind { refs.append(ref) }
                return true
            }
        }
        return refs
    }

    /// True when `e`, an aggregate call met in the query of `scope`, belongs to an enclosing query: its
    /// arguments name columns, none of this query's, and some of an enclosing one's.
    func belongsToEnclosingQuery(_ e: Expr, _ scope: Scope) -> Bool {
        guard case .function(let call) = e.kind, call.over == nil else { return false }
        let refs = aggregateArgumentReferences(call)
        guard !refs.isEmpty else { return false }
        for ref in refs {
            // A name that is ambiguous here is this query's (the error comes when it compiles).
            do { if try scope.resolveHere(ref) != nil { return false } } catch { return false }
        }
        var outer = scope.parent
        while let s = outer {
            for ref in refs {
                if (try? s.resolveHere(ref)) != nil { return true }
            }
            outer = s.parent
        }
        return false
    }

    /// True when `e` holds an aggregate call (not a window) that belongs to the query of `scope`;
    /// subqueries are not looked into.
    func containsOwnAggregate(_ e: Expr, _ scope: Scope) -> Bool { firstOwnAggregate(e, scope) != nil }

    /// The first aggregate call in `e` (outermost first, not in subqueries) that belongs to the query of `scope`.
    func firstOwnAggregate(_ e: Expr, _ scope: Scope) -> Expr? {
        var found: Expr?
        visitExpressions(e) { x in
            if found != nil { return false }
            if isAggregateCall(x) {
                if !belongsToEnclosingQuery(x, scope) { found = x }
                return false
            }
            return true
        }
        return found
    }

    /// The aggregate calls inside the subqueries of `exprs` that belong to the query of `scope`, each once,
    /// in the order met.
    func claimedAggregates(in exprs: [Expr], _ scope: Scope) -> [Expr] {
        var out: [Expr] = []
        for e in exprs {
            visitExpressions(e) { x in
                switch x.kind {
                case .exists(let sub), .subquery(let sub): claimAggregates(sub, inner: [], scope, &out)
                case .in(let i): if case .select(let sub) = i.target { claimAggregates(sub, inner: [], scope, &out) }
                default: break
                }
                return true
            }
        }
        return out
    }

    /// Walks subquery `s` (inside the query of `scope`, below the subqueries whose names `inner` holds) for
    /// aggregate calls whose arguments name only columns of `scope`'s query.
    private func claimAggregates(_ s: Select, inner: [SubqueryNames], _ scope: Scope, _ out: inout [Expr]) {
        let names = namesInside(s, below: inner)
        // Unsure is inner: a call left to the subquery that was not its own only fails (misuse), where one
        // claimed wrongly would make this query an aggregate.
        func isInner(_ ref: ColumnReference) -> Bool {
            let column = foldName(ref.column.name)
            if let q = ref.table {
                return names.contains { $0.qualifiers.contains(foldName(q.name)) && ($0.opaque || $0.columns.contains(column)) }
            }
            return names.contains { $0.opaque || $0.columns.contains(column) }
        }
        forEachExpression(of: s, { e in
            visitExpressions(e) { x in
                switch x.kind {
                case .exists(let sub), .subquery(let sub):
                    claimAggregates(sub, inner: names, scope, &out)
                    return false
                case .in(let i):
                    if case .select(let sub) = i.target { claimAggregates(sub, inner: names, scope, &out) }
                    return true
                case .function(let call) where isAggregateCall(x):
                    let refs = aggregateArgumentReferences(call)
                    let mine = !refs.isEmpty && !refs.contains(where: isInner)
                        && refs.contains { (try? scope.resolveHere($0)) != nil }
                    if mine && !out.contains(x) { out.append(x) }
                    return !mine
                default:
                    return true
                }
            }
        }, nested: { sub in claimAggregates(sub, inner: names, scope, &out) })
    }

    /// Where an enclosing query's output phase holds aggregate call `e` (met in the query of `scope`): the
    /// register, after marking every query in between as correlated; nil when no enclosing query has it.
    func outerAggregateRegister(_ e: Expr, _ scope: Scope) -> Int32? {
        guard belongsToEnclosingQuery(e, scope) else { return nil }
        var s = scope.parent
        while let owner = s {
            if !owner.precomputed.isEmpty, let r = owner.precomputed[e] {
                outerAggregateReads.insert(r)
                var m: Scope? = scope
                while let x = m, x !== owner {
                    x.referencedOuter = true
                    m = x.parent
                }
                return r
            }
            s = owner.parent
        }
        return nil
    }
}
