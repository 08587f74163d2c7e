// Compiler+Subquery: subqueries inside expressions — scalar (SELECT …),
// EXISTS, and IN with a list, a subquery or a table (lang_expr.html
// "Subquery Expressions", "The IN and NOT IN operators").
//
// A subquery that reads no column of an enclosing query runs once per
// statement (guarded by Once); a correlated one runs each time it is
// reached. Correlation is discovered while compiling: the subquery's names
// resolve through a probe scope, which records whether any went outward.
// IN's NULL rules: NULL when the left side is NULL (unless the right side
// is empty) or when no match is found and the right side holds a NULL.

import Base
import Storage
import SQL

extension Compiler {
    /// Compiles a subquery body once or per use: `body` emits it; returns after patching the Once guard.
    /// `kind` and `select` name its EXPLAIN QUERY PLAN line.
    func guarded(_ scope: Scope, _ kind: String, _ select: Select,
                         _ body: (Scope) throws(DBError) -> Void) throws(DBError) {
        let onceReg = b.allocateRegisters()
        let skip = b.makeLabel()
        let onceAddr = b.emit(.Once, onceReg, skip)
        let probe = Scope(terms: [], parent: scope)
        try subqueryPlan(kind, select) { () throws(DBError) -> Bool in
            try body(probe)
            return probe.referencedOuter
        }
        b.resolve(skip)
        if probe.referencedOuter { b.setOpcodeToNoop(onceAddr) }
    }

    func scalarSubquery(_ s: Select, _ scope: Scope, _ target: Int32) throws(DBError) {
        let result = b.allocateRegisters()
        try guarded(scope, "SCALAR", s) { (probe) throws(DBError) in
            b.emit(.Null, 0, result)
            let done = b.makeLabel()
            try compileSelect(s, parent: probe, destination: .registers(base: result, count: 1, done: done))
            b.resolve(done)
        }
        b.emit(.SCopy, result, target)
    }

    /// A subquery giving a row value of `width` fields (`SET (a, b) = (SELECT …)`): its first row's columns in
    /// registers base…, all NULL when it has no row. Returns base.
    func rowValueSubquery(_ s: Select, width: Int, _ scope: Scope) throws(DBError) -> Int32 {
        let base = b.allocateRegisters(width)
        try guarded(scope, "SCALAR", s) { (probe) throws(DBError) in
            for i in 0..<width { b.emit(.Null, 0, base + Int32(i)) }
            let done = b.makeLabel()
            let info: ResultInfo
            do throws(DBError) {
                info = try compileSelect(s, parent: probe, destination: .registers(base: base, count: width, done: done))
            } catch {
                // sqlite3 words a width that does not fit as a row-value assignment error.
                guard error.message.hasPrefix("sub-select returns ") else { throw error }
                let got = error.message.dropFirst("sub-select returns ".count).prefix { $0.isNumber }
                throw DBError(.error, "\(width) columns assigned \(got) values")
            }
            if info.count != width { throw DBError(.error, "\(width) columns assigned \(info.count) values") }
            b.resolve(done)
        }
        return base
    }

    func existsSubquery(_ s: Select, _ scope: Scope, _ target: Int32) throws(DBError) {
        let result = b.allocateRegisters()
        try guarded(scope, "SCALAR", s) { (probe) throws(DBError) in
            b.emit(.Integer, 0, result)
            let done = b.makeLabel()
            try compileSelect(s, parent: probe, destination: .callback { (_: Int32) throws(DBError) in
                self.b.emit(.Integer, 1, result)
                self.b.emit(.Goto, 0, done)
            })
            b.resolve(done)
        }
        b.emit(.SCopy, result, target)
    }

    func inExpression(_ inx: InExpression, _ scope: Scope, _ target: Int32) throws(DBError) {
        if case .vector = inx.value.kind {
            try rowValueIn(inx, scope, target)
            return
        }
        switch inx.target {
        case .list(let items):
            try inList(inx.value, items, negated: inx.negated, scope, target)
        case .select(let s):
            try inSelect(inx.value, s, negated: inx.negated, scope, target)
        case .table(let name, let args):
            if args != nil { throw DBError(.error, "no such table: \(name)") }
            let core = SimpleSelect(columns: [.all(.empty(at: 0))], from: [FromItem(source: .table(name, nil))])
            try inSelect(inx.value, Select(first: .select(core)), negated: inx.negated, scope, target)
        }
    }

    private func inList(_ x: Expr, _ items: [Expr], negated: Bool, _ scope: Scope, _ target: Int32) throws(DBError) {
        if items.isEmpty {
            _ = try exprToRegister(x, scope)
            b.emit(.Integer, negated ? 1 : 0, target)
            return
        }
        let rx = try exprToRegister(x, scope)
        let aff = affinity(of: x, scope)
        let coll = collation(of: x, scope)?.0 ?? .binary
        let isTrue = b.makeLabel(), isNull = b.makeLabel(), end = b.makeLabel()
        let sawNull = b.allocateRegisters()
        b.emit(.Integer, 0, sawNull)
        b.emit(.IsNull, rx, isNull)
        for item in items {
            let ri = try exprToRegister(item, scope)
            var itemColl = coll
            if let c = explicitCollation(of: x, scope) { itemColl = c } else if let c = explicitCollation(of: item, scope) {
                itemColl = c
            }
            b.emit(.Eq, ri, isTrue, rx, .collation(itemColl), UInt16((aff == .none ? Affinity.blob : aff).rawValue))
            b.emit(.NotNull, ri, b.count + 2)
            b.emit(.Integer, 1, sawNull)
        }
        b.emit(.If, sawNull, isNull)
        emitInOutcome(negated: negated, target, isTrue: isTrue, isNull: isNull, end: end)
    }

    /// The last part of an IN: control falling in here means FALSE; `isTrue` and `isNull` are bound to the
    /// other outcomes, `end` after all three.
    func emitInOutcome(negated: Bool, _ target: Int32, isTrue: Int32, isNull: Int32, end: Int32) {
        b.emit(.Integer, negated ? 1 : 0, target)
        b.emit(.Goto, 0, end)
        b.resolve(isTrue)
        b.emit(.Integer, negated ? 0 : 1, target)
        b.emit(.Goto, 0, end)
        b.resolve(isNull)
        b.emit(.Null, 0, target)
        b.resolve(end)
    }

    private func inSelect(_ x: Expr, _ s: Select, negated: Bool, _ scope: Scope, _ target: Int32) throws(DBError) {
        let eph = b.allocateCursor()
        let hasRows = b.allocateRegisters(), hasNull = b.allocateRegisters()
        var columnAffinity = Affinity.none
        var columnCollation: Collation?
        if case .select(let core) = s.first, s.compounds.isEmpty, let first = core.columns.first,
           case .expr(let e, _, _) = first, let sub = try? subqueryScope(for: s, scope) {
            columnAffinity = affinity(of: e, sub)
            if let c = explicitCollation(of: e, sub) { columnCollation = c }
        }
        let aff = Affinity.forComparison(affinity(of: x, scope), columnAffinity)
        var coll = collation(of: x, scope)?.0 ?? columnCollation ?? .binary
        if let c = explicitCollation(of: x, scope) { coll = c } else if let c = columnCollation { coll = c }
        try guarded(scope, "LIST", s) { (probe) throws(DBError) in
            b.emit(.OpenEphemeral, eph, 1, 0, .keyInfo(KeyInfo(collations: [coll], descending: [false])))
            b.emit(.Integer, 0, hasRows)
            b.emit(.Integer, 0, hasNull)
            let info = try compileSelect(s, parent: probe, destination: .callback { (base: Int32) throws(DBError) in
                self.b.emit(.Integer, 1, hasRows)
                self.b.emit(.NotNull, base, self.b.count + 2)
                self.b.emit(.Integer, 1, hasNull)
                let rec = self.b.allocateRegisters()
                self.b.emit(.MakeRecord, base, 1, rec, .affinities([aff == .none ? .blob : aff]))
                self.b.emit(.IdxInsert, eph, rec, base, .int64(1))
            })
            if info.count != 1 { throw DBError(.error, "sub-select returns \(info.count) columns - expected 1") }
        }
        let rx = try exprToRegister(x, scope)
        let probeReg = b.allocateRegisters()
        b.emit(.SCopy, rx, probeReg)
        if aff != .none && aff != .blob { b.emit(.Affinity, probeReg, 1, 0, .affinities([aff])) }
        let isTrue = b.makeLabel(), isNull = b.makeLabel(), end = b.makeLabel()
        let notEmpty = b.makeLabel()
        b.emit(.If, hasRows, notEmpty)
        b.emit(.Integer, negated ? 1 : 0, target)
        b.emit(.Goto, 0, end)
        b.resolve(notEmpty)
        b.emit(.IsNull, probeReg, isNull)
        b.emit(.Found, eph, isTrue, probeReg, .int64(1))
        b.emit(.If, hasNull, isNull)
        emitInOutcome(negated: negated, target, isTrue: isTrue, isNull: isNull, end: end)
    }

    /// A scope naming the base tables of a simple subquery's FROM, for affinity and collation questions
    /// (no code is emitted). Views and nested subqueries are not looked into.
    func subqueryScope(for s: Select, _ parent: Scope) throws(DBError) -> Scope {
        guard case .select(let core) = s.first else { return Scope(terms: [], parent: parent) }
        var terms: [FromTerm] = []
        for item in core.from {
            guard case .table(let qn, _) = item.source, lookupCTE(qn.name.name) == nil,
                  let t = try? lookupTable(qn), !t.isView else { continue }
            terms.append(FromTerm(table: t, alias: item.alias?.name, cursor: -1))
        }
        return Scope(terms: terms, parent: parent)
    }
}
