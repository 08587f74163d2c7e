// WhereScan: finds the terms that constrain one column of one loop
// (where.c's whereScanInit/whereScanNext), following equivalences.
//
// Searching for X also finds `Y op expr` when `X = Y` is an equivalence
// term (WO_EQUIV), up to ten columns deep (WHERE a=b AND b=c lets an index
// on c use a constant bound to a). Terms of a sub-clause are searched
// first, then the clauses enclosing it. When an index column is the target,
// a term must compare with the column's affinity and collation.

import Base
import SQL

struct WhereScan {
    let origin: WhereClause
    var clause: WhereClause?
    var k = 0
    let opMask: WhereOp
    /// The index column's collation a term must use (nil: no check, as for the rowid).
    let collation: Collation?
    let indexAffinity: Affinity
    /// The equivalence class: (loop, column) pairs, the searched column first.
    var equiv: [(term: Int, column: Int)]
    /// 1-based position in `equiv` being searched.
    var iEquiv = 1

    init(_ clause: WhereClause, term: Int, column: Int, opMask: WhereOp, collation: Collation?,
         affinity: Affinity) {
        origin = clause
        self.clause = clause
        self.opMask = opMask
        self.collation = collation
        self.indexAffinity = affinity
        equiv = [(term, column)]
    }
}

extension Compiler {
    /// whereScanInit for column `j` of `index` on loop `term` (or, with no index, table column `j`).
    func makeScan(_ clause: WhereClause, term: Int, index: PlanIndex?, column j: Int, opMask: WhereOp,
                  scope: Scope) -> WhereScan {
        guard let index else {
            return WhereScan(clause, term: term, column: j, opMask: opMask, collation: nil, affinity: .none)
        }
        let column = index.termColumn(j)
        if column >= 0 {
            let from = scope.terms[term]
            let aff = column < from.affinities.count ? from.affinities[column] : .blob
            return WhereScan(clause, term: term, column: column, opMask: opMask, collation: index.collations[j],
                             affinity: aff)
        }
        return WhereScan(clause, term: term, column: column, opMask: opMask, collation: nil, affinity: .none)
    }

    /// whereScanNext: the next matching term.
    func nextScanTerm(_ scan: inout WhereScan) -> TermRef? {
        while true {
            let (cur, col) = scan.equiv[scan.iEquiv - 1]
            while let wc = scan.clause {
                while scan.k < wc.terms.count {
                    let k = scan.k
                    scan.k += 1
                    // Fields are read in place: copying the term (its expressions, scope and sub-clauses)
                    // for every term looked at was most of the planner's cost on short statements.
                    guard wc.terms[k].leftTerm == cur, wc.terms[k].leftColumn == col, col != -2,
                          scan.iEquiv <= 1 || wc.terms[k].outerJoin == nil else { continue }
                    let op = wc.terms[k].op
                    if op.contains(.equiv), scan.equiv.count < 11, let rc = wc.terms[k].rhsColumn {
                        if !scan.equiv.contains(where: { $0.term == rc.term && $0.column == rc.column }) {
                            scan.equiv.append(rc)
                        }
                    }
                    guard !op.intersection(scan.opMask).isEmpty else { continue }
                    if let coll = scan.collation, !op.contains(.isNull) {
                        if !indexAffinityOk(wc.terms[k], scan.indexAffinity) { continue }
                        if wc.terms[k].collation != coll { continue }
                    }
                    if !op.intersection([.eq, .isOp]).isEmpty, let rc = wc.terms[k].rhsColumn,
                       rc.term == scan.equiv[0].term, rc.column == scan.equiv[0].column {
                        continue
                    }
                    return TermRef(clause: wc, index: k)
                }
                scan.clause = wc.outer
                scan.k = 0
            }
            if scan.iEquiv >= scan.equiv.count { break }
            scan.clause = scan.origin
            scan.k = 0
            scan.iEquiv += 1
        }
        return nil
    }

    /// sqlite3IndexAffinityOk: may the term's comparison seek an index column of affinity `indexAffinity`?
    func indexAffinityOk(_ t: WhereTerm, _ indexAffinity: Affinity) -> Bool {
        let aff = comparisonAffinity(t)
        if aff.rawValue < Affinity.text.rawValue { return true }
        if aff == .text { return indexAffinity == .text }
        return indexAffinity.isNumeric
    }

    /// comparisonAffinity (expr.c) of a planner term.
    func comparisonAffinity(_ t: WhereTerm) -> Affinity {
        guard let l = t.lhs else { return .blob }
        var aff = affinity(of: l, t.scope)
        if let r = t.rhs {
            aff = Affinity.forComparison(affinity(of: r, t.scope), aff)
        } else if case .in(let inx) = t.expr.kind, case .select(let s) = inx.target {
            var first: Affinity = .none
            if case .select(let core) = s.first, let c = core.columns.first, case .expr(let e, _, _) = c,
               let sub = try? subqueryScope(for: s, t.scope) {
                first = affinity(of: e, sub)
            }
            aff = Affinity.forComparison(first, aff)
        } else if aff == .none {
            aff = .blob
        }
        return aff
    }
}
