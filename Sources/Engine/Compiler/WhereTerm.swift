// WhereTerm: the WHERE clause (and ON clauses) split into AND-connected
// terms, each knowing which FROM terms it reads and, when it has the shape
// `column op expression`, how an index or rowid lookup could use it
// (whereexpr.c's WhereTerm and exprAnalyze, simplified).

import Base
import SQL

struct WhereTerm {
    enum Operator { case eq, lt, le, gt, ge, isNull, inList, inSelect, isOp }

    var expr: Expr
    /// The scope the term's names resolve in (a flattened view's WHERE resolves in the view's own scope).
    var scope: Scope
    /// Bit i set: the term reads FROM term i. `allTermsMask` when it must wait for every term.
    var mask: UInt64
    /// Index of the LEFT JOIN term whose ON clause this came from.
    var onLeftJoin: Int?
    var consumed = false
    /// For a term `column op value`: the FROM term, column (-1: rowid), operator and the value side.
    var column: (term: Int, column: Int)?
    var op: Operator?
    var value: Expr?
    var valueMask: UInt64 = 0
    /// Terms split off another (BETWEEN's two bounds) mark their parent consumed when both are.
    var parent: Int?
    var virtualChildren: [Int] = []
    /// Virtual terms exist only for index planning; they are never evaluated themselves.
    var isVirtual = false
    /// A commuted copy (`b = a` for `a = b`): using it enforces its parent entirely.
    var isCommuted = false
}

extension Compiler {
    static let allTermsMask: UInt64 = .max

    /// Splits `e` on AND.
    func splitAnd(_ e: Expr, into out: inout [Expr]) {
        if case .binary(.and, let l, let r) = e.kind {
            splitAnd(l, into: &out)
            splitAnd(r, into: &out)
        } else {
            out.append(e)
        }
    }

    /// The loop terms of `loops` that `e` reads, its names resolved in `scope` (all of them when it holds
    /// a subquery).
    func termMask(_ e: Expr, _ scope: Scope, loops: Scope? = nil) -> UInt64 {
        let loops = loops ?? scope
        if containsSubquery(e) { return Compiler.allTermsMask }
        var mask: UInt64 = 0
        visitExpressions(e) { x in
            if case .column(let ref) = x.kind, let binding = try? scope.resolveHere(ref) {
                let term: FromTerm
                switch binding {
                case .column(let t, _): term = t
                case .rowid(let t): term = t
                case .expression(let inner, let innerScope, _, _):
                    mask |= termMask(inner, innerScope, loops: loops)
                    return true
                }
                if let i = loops.terms.firstIndex(where: { $0 === term }) { mask |= 1 << UInt64(i) }
            }
            return true
        }
        return mask
    }

    func analyzeWhere(_ whereClause: Expr?, _ scope: Scope) -> [WhereTerm] {
        var terms: [WhereTerm] = []
        var sources: [(Expr, Scope)] = []
        if let w = whereClause { sources.append((w, scope)) }
        gatherFlattenedWheres(scope, into: &sources)
        for (w, s) in sources {
            var exprs: [Expr] = []
            splitAnd(w, into: &exprs)
            for e in exprs { terms.append(analyzeTerm(e, s, loops: scope, onLeftJoin: nil)) }
        }
        for (i, t) in scope.terms.enumerated() {
            guard let on = t.onClause else { continue }
            var parts: [Expr] = []
            splitAnd(on, into: &parts)
            let isLeft = t.joinType?.contains(.left) ?? false
            for e in parts { terms.append(analyzeTerm(e, scope, loops: scope, onLeftJoin: isLeft ? i : nil)) }
        }
        // A comparison of two tables' columns can drive a lookup of either: offer the commuted form too.
        let original = terms.count
        for i in 0..<original {
            let ts = terms[i].scope
            guard case .binary(let op, let l, let r) = terms[i].expr.kind, terms[i].column != nil,
                  op == .equal || op == .is || op == .less || op == .lessEqual || op == .greater || op == .greaterEqual,
                  let cl = columnOf(l, ts, loops: scope), let cr = columnOf(r, ts, loops: scope),
                  cl.term != cr.term else { continue }
            let swappedOp: BinaryOperator
            switch op {
            case .less: swappedOp = .greater
            case .lessEqual: swappedOp = .greaterEqual
            case .greater: swappedOp = .less
            case .greaterEqual: swappedOp = .lessEqual
            default: swappedOp = op
            }
            var t = analyzeTerm(Expr(.binary(swappedOp, r, l)), ts, loops: scope, onLeftJoin: terms[i].onLeftJoin)
            guard let c = t.column, c.term != terms[i].column!.term else { continue }
            t.parent = i
            t.isVirtual = true
            t.isCommuted = true
            terms.append(t)
        }
        // BETWEEN on a column also offers its two bounds to the planner.
        let count = terms.count
        for i in 0..<count {
            guard case .between(let btw) = terms[i].expr.kind, !btw.negated else { continue }
            let lower = Expr(.binary(.greaterEqual, btw.value, btw.low))
            let upper = Expr(.binary(.lessEqual, btw.value, btw.high))
            for v in [lower, upper] {
                var t = analyzeTerm(v, terms[i].scope, loops: scope, onLeftJoin: terms[i].onLeftJoin)
                guard t.column != nil else { continue }
                t.parent = i
                t.isVirtual = true
                terms[i].virtualChildren.append(terms.count)
                terms.append(t)
            }
        }
        return terms
    }

    private func analyzeTerm(_ e: Expr, _ scope: Scope, loops: Scope, onLeftJoin: Int?) -> WhereTerm {
        var t = WhereTerm(expr: e, scope: scope, mask: termMask(e, scope, loops: loops), onLeftJoin: onLeftJoin)
        switch e.kind {
        case .binary(let op, let l, let r):
            guard let wop = whereOperator(op) else { break }
            if let c = columnOf(l, scope, loops: loops) {
                let vm = termMask(r, scope, loops: loops)
                if vm & (1 << UInt64(c.term)) == 0 {
                    t.column = c
                    t.op = wop
                    t.value = r
                    t.valueMask = vm
                    break
                }
            }
            if let c = columnOf(r, scope, loops: loops) {
                let vm = termMask(l, scope, loops: loops)
                if vm & (1 << UInt64(c.term)) == 0 {
                    t.column = c
                    t.op = reversed(wop)
                    t.value = l
                    t.valueMask = vm
                }
            }
        case .isNull(let x):
            if let c = columnOf(x, scope, loops: loops) {
                t.column = c
                t.op = .isNull
            }
        case .in(let i) where !i.negated:
            if let c = columnOf(i.value, scope, loops: loops) {
                switch i.target {
                case .list(let items) where !items.isEmpty:
                    t.column = c
                    t.op = .inList
                    t.valueMask = items.reduce(0) { $0 | termMask($1, scope, loops: loops) }
                    if t.valueMask & (1 << UInt64(c.term)) != 0 { t.column = nil; t.op = nil }
                case .select(let s) where !isCorrelatedSelect(s):
                    t.column = c
                    t.op = .inSelect
                default:
                    break
                }
            }
        default:
            break
        }
        return t
    }

    private func whereOperator(_ op: BinaryOperator) -> WhereTerm.Operator? {
        switch op {
        case .equal: return .eq
        case .less: return .lt
        case .lessEqual: return .le
        case .greater: return .gt
        case .greaterEqual: return .ge
        case .is: return .isOp
        default: return nil
        }
    }

    private func reversed(_ op: WhereTerm.Operator) -> WhereTerm.Operator {
        switch op {
        case .lt: return .gt
        case .le: return .ge
        case .gt: return .lt
        case .ge: return .le
        default: return op
        }
    }

    /// The (loop term, column) a bare column reference names, its name resolved in `scope` and followed
    /// through flattened views; -1 for the rowid.
    func columnOf(_ e: Expr, _ scope: Scope, loops: Scope? = nil) -> (term: Int, column: Int)? {
        let loops = loops ?? scope
        guard case .column(let ref) = e.kind, let binding = try? scope.resolveHere(ref) else { return nil }
        switch binding {
        case .column(let t, let c):
            guard let i = loops.terms.firstIndex(where: { $0 === t }) else { return nil }
            if let table = t.table, table.rowidAlias == c { return (i, -1) }
            return (i, c)
        case .rowid(let t):
            guard let i = loops.terms.firstIndex(where: { $0 === t }) else { return nil }
            return (i, -1)
        case .expression(let inner, let innerScope, _, _):
            return columnOf(inner, innerScope, loops: loops)
        }
    }

    /// The WHERE clauses of flattened views in `scope` (and in views flattened into those), with their scopes.
    func gatherFlattenedWheres(_ scope: Scope, into out: inout [(Expr, Scope)]) {
        guard let named = scope.namedTerms else { return }
        for t in named {
            guard let inner = t.expansionScope else { continue }
            if let w = t.flattenedWhere { out.append((w, inner)) }
            gatherFlattenedWheres(inner, into: &out)
        }
    }

    /// Conservative: a SELECT is uncorrelated when compiling it in isolation resolves every name.
    func isCorrelatedSelect(_ s: Select) -> Bool {
        true
    }
}
