// Compiler+RowValueIn: `(a, b, …) IN (SELECT x, y, …)` and `(a, b) IN ((1, 2), (3, 4))`
// (https://sqlite.org/rowvalue.html, lang_expr.html "The IN and NOT IN operators").
//
// The result is TRUE when some right-hand row equals the left side in every
// field, FALSE when every row differs from it in some field, else NULL (a
// NULL on either side left the match undecided). A list of row values is an
// OR of row-value equalities, as sqlite3's parser makes it a VALUES list. A
// subquery fills an ephemeral index once (again per row when correlated):
// a probe with no NULL that finds its row is TRUE; when neither the probe nor
// any stored row holds a NULL, a miss is FALSE; otherwise every row is
// compared field by field with three-valued logic (sqlite3ExprCodeIN's
// slow path, which compares under the left side's collations, and with its
// affinities only when the probe held no NULL). The index compares each field
// with the affinity and collation `=` between the left expression and the
// subquery's column would use.

import Base
import Storage
import SQL

extension Compiler {
    func rowValueIn(_ inx: InExpression, _ scope: Scope, _ target: Int32) throws(DBError) {
        guard case .vector(let lhs) = inx.value.kind else { throw DBError(.internal, "row value IN without a row value") }
        switch inx.target {
        case .list(let items):
            try rowValueInList(lhs, items, negated: inx.negated, scope, target)
        case .select(let s):
            try rowValueInSelect(lhs, s, negated: inx.negated, scope, target)
        case .table(let name, let args):
            if args != nil { throw DBError(.error, "no such table: \(name)") }
            let core = SimpleSelect(columns: [.all(.empty(at: 0))], from: [FromItem(source: .table(name, nil))])
            try rowValueInSelect(lhs, Select(first: .select(core)), negated: inx.negated, scope, target)
        }
    }

    /// An OR of `lhs = item` over the items, each item a row value of the same width.
    private func rowValueInList(_ lhs: [Expr], _ items: [Expr], negated: Bool, _ scope: Scope,
                                _ target: Int32) throws(DBError) {
        var disjunction: Expr?
        for item in items {
            let width: Int
            if case .vector(let v) = item.kind { width = v.count } else { width = 1 }
            guard width == lhs.count else {
                throw DBError(.error, "IN(...) element has \(width) term\(width == 1 ? "" : "s") - expected \(lhs.count)")
            }
            let eq = Expr(.binary(.equal, Expr(.vector(lhs)), item))
            disjunction = disjunction.map { Expr(.binary(.or, $0, eq)) } ?? eq
        }
        guard var e = disjunction else { throw DBError(.error, "row value misused") }
        if negated { e = Expr(.unary(.not, e)) }
        try expr(e, scope, target)
    }

    private func rowValueInSelect(_ lhs: [Expr], _ s: Select, negated: Bool, _ scope: Scope,
                                  _ target: Int32) throws(DBError) {
        let n = lhs.count
        // Per field: the comparison affinity and collation of `lhs[i] = column i`.
        var columnExprs: [Expr?] = Array(repeating: nil, count: n)
        var sub: Scope?
        if case .select(let core) = s.first, s.compounds.isEmpty, let subScope = try? subqueryScope(for: s, scope) {
            sub = subScope
            for (i, c) in core.columns.prefix(n).enumerated() { if case .expr(let e, _, _) = c { columnExprs[i] = e } }
        }
        var affinities: [Affinity] = []
        var collations: [Collation] = []
        for i in 0..<n {
            let columnAffinity = columnExprs[i].flatMap { e in sub.map { affinity(of: e, $0) } } ?? .none
            affinities.append(Affinity.forComparison(affinity(of: lhs[i], scope), columnAffinity))
            // sqlite3BinaryCompareCollSeq: an explicit COLLATE on the left, then on the right, then the left
            // column's, then the right's.
            let column = columnExprs[i].flatMap { e in sub.map { (e, $0) } }
            let coll = explicitCollation(of: lhs[i], scope)
                ?? column.flatMap { explicitCollation(of: $0.0, $0.1) }
                ?? collation(of: lhs[i], scope)?.0
                ?? column.flatMap { collation(of: $0.0, $0.1)?.0 }
                ?? .binary
            collations.append(coll)
        }
        let storeAffinities = affinities.map { $0 == .none ? Affinity.blob : $0 }
        let eph = b.allocateCursor()
        let hasRows = b.allocateRegisters(), hasNull = b.allocateRegisters()
        try guarded(scope, "LIST", s) { (probe) throws(DBError) in
            b.emit(.OpenEphemeral, eph, Int32(n), 0,
                   .keyInfo(KeyInfo(collations: collations, descending: Array(repeating: false, count: n))))
            b.emit(.Integer, 0, hasRows)
            b.emit(.Integer, 0, hasNull)
            let info = try compileSelect(s, parent: probe, destination: .callback { (base: Int32) throws(DBError) in
                self.b.emit(.Integer, 1, hasRows)
                for i in 0..<n {
                    self.b.emit(.NotNull, base + Int32(i), self.b.count + 2)
                    self.b.emit(.Integer, 1, hasNull)
                }
                let rec = self.b.allocateRegisters()
                self.b.emit(.MakeRecord, base, Int32(n), rec, .affinities(storeAffinities))
                self.b.emit(.IdxInsert, eph, rec, base, .int64(Int64(n)))
            })
            if info.count != n { throw DBError(.error, "sub-select returns \(info.count) columns - expected \(n)") }
        }
        // The probe: the left side, given each field's comparison affinity only once it is known to hold no
        // NULL (sqlite3ExprCodeIN's step 3): a probe with a NULL is compared as it is.
        let probeRegs = b.allocateRegisters(n)
        for (i, e) in lhs.enumerated() { try expr(e, scope, probeRegs + Int32(i)) }
        let isTrue = b.makeLabel(), isFalse = b.makeLabel(), isNull = b.makeLabel(), end = b.makeLabel()
        let slow = b.makeLabel()
        b.emit(.IfNot, hasRows, isFalse)
        for i in 0..<n { b.emit(.IsNull, probeRegs + Int32(i), slow) }
        b.emit(.Affinity, probeRegs, Int32(n), 0, .affinities(affinities.map { $0 == .none ? Affinity.blob : $0 }))
        b.emit(.Found, eph, isTrue, probeRegs, .int64(Int64(n)))
        b.emit(.IfNot, hasNull, isFalse)
        // Three-valued comparison with every row: a row that differs in a field where neither side is NULL
        // rules itself out; one that never differs but met a NULL makes the answer NULL.
        b.resolve(slow)
        // Each field compares under the left side's own collation here (sqlite3ExprCollSeq of the field).
        let lhsCollations = lhs.map { collation(of: $0, scope)?.0 ?? .binary }
        let sawNull = b.allocateRegisters(), value = b.allocateRegisters()
        b.emit(.Integer, 0, sawNull)
        let done = b.makeLabel()
        let top = b.emit(.Rewind, eph, done) + 1
        let nextRow = b.makeLabel()
        let rowNull = b.allocateRegisters()
        b.emit(.Integer, 0, rowNull)
        for i in 0..<n {
            let field = probeRegs + Int32(i)
            b.emit(.Column, eph, Int32(i), value)
            let bothKnown = b.makeLabel(), nextField = b.makeLabel()
            b.emit(.NotNull, field, b.count + 3)
            b.emit(.Integer, 1, rowNull)
            b.emit(.Goto, 0, nextField)
            b.emit(.NotNull, value, bothKnown)
            b.emit(.Integer, 1, rowNull)
            b.emit(.Goto, 0, nextField)
            b.resolve(bothKnown)
            b.emit(.Ne, value, nextRow, field, .collation(lhsCollations[i]), 0)
            b.resolve(nextField)
        }
        b.emit(.IfNot, rowNull, isTrue)
        b.emit(.Integer, 1, sawNull)
        b.resolve(nextRow)
        b.emit(.Next, eph, top)
        b.resolve(done)
        b.emit(.If, sawNull, isNull)
        b.resolve(isFalse)
        emitInOutcome(negated: negated, target, isTrue: isTrue, isNull: isNull, end: end)
    }
}
