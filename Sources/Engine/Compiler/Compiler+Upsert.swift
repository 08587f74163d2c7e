// Compiler+Upsert: INSERT … ON CONFLICT [(target) [WHERE …]] DO NOTHING | DO
// UPDATE SET … [WHERE …] (https://sqlite.org/lang_upsert.html; upsert.c, and
// the upsert parts of insert.c's sqlite3GenerateConstraintChecks).
//
// A clause's conflict target names the rowid (an INTEGER PRIMARY KEY) or
// exactly the key columns of one UNIQUE index or PRIMARY KEY, in any order: a
// term with COLLATE must name that column's collation, and a partial index
// needs the same WHERE (sqlite3UpsertAnalyzeTarget). Only uniqueness
// constraints are decided by the clauses; NOT NULL and CHECK keep their own
// resolution. The constraints the clauses name are checked first, in clause
// order, then the others. A conflict on a constraint a clause decides (the
// first clause naming it, else a last clause without a target) skips the row
// (DO NOTHING) or turns into an UPDATE of the row in the way (DO UPDATE: ABORT
// for the constraints it breaks, UPDATE triggers, `excluded.x` reading the row
// that was to be inserted), and the row is not inserted.

import Base
import SQL

/// One uniqueness check of a row being written: its rowid, or a UNIQUE index (by position in the table's
/// indexes).
enum UniquenessCheck: Equatable {
    case rowid
    case index(Int)
}

/// An INSERT's ON CONFLICT clauses, their targets resolved.
struct UpsertPlan {
    struct Clause {
        /// nil: the last clause, without a target, which decides every uniqueness constraint.
        let target: UniquenessCheck?
        let action: Upsert.Action
    }

    let clauses: [Clause]
    /// `INSERT INTO t AS alias`: the name DO UPDATE's expressions call the existing row by.
    let alias: String?
    let parent: Scope?

    /// sqlite3UpsertOfIndex: the clause that decides a conflict on `check`, if any.
    func clause(deciding check: UniquenessCheck) -> Clause? {
        clauses.first { $0.target == nil || $0.target == check }
    }

    /// The order of the uniqueness checks: the targets of the clauses first, in clause order (the rowid, when
    /// no clause names it, right after them), then the other indexes in their usual order. With only a
    /// clause without a target, the usual order (the rowid first).
    func checkOrder(indexes usual: [Int]) -> [UniquenessCheck] {
        guard clauses.first?.target != nil else { return [.rowid] + usual.map { .index($0) } }
        var order: [UniquenessCheck] = []
        for c in clauses {
            guard let t = c.target else { break }
            if !order.contains(t) { order.append(t) }
        }
        if !order.contains(.rowid) { order.append(.rowid) }
        for i in usual where !order.contains(.index(i)) { order.append(.index(i)) }
        return order
    }
}

extension Compiler {
    /// Resolves the ON CONFLICT clauses of an INSERT into `table` (after its column list and value count
    /// have been checked, as sqlite3Insert orders its errors).
    func analyzeUpserts(_ ins: Insert, _ table: Table, parent: Scope?) throws(DBError) -> UpsertPlan? {
        guard let first = ins.upserts.first else { return nil }
        // build.c, sqlite3HasExplicitNulls: the first clause's target only.
        if let term = first.target?.columns.first(where: { $0.nulls != nil }) {
            throw DBError(.error, "unsupported use of NULLS \(term.nulls == .first ? "FIRST" : "LAST")")
        }
        let term = FromTerm(table: table, alias: ins.alias?.name, cursor: -1)
        let scope = Scope(terms: [term], parent: nil)
        var clauses: [UpsertPlan.Clause] = []
        for (n, u) in ins.upserts.enumerated() {
            guard let target = u.target else {
                clauses.append(UpsertPlan.Clause(target: nil, action: u.action))
                continue
            }
            guard let check = try conflictTarget(target, table, term, scope) else {
                let which = ins.upserts.count == 1 ? "" : "\(ordinal(n + 1)) "
                throw DBError(.error, "\(which)ON CONFLICT clause does not match any PRIMARY KEY or UNIQUE constraint")
            }
            clauses.append(UpsertPlan.Clause(target: check, action: u.action))
        }
        return UpsertPlan(clauses: clauses, alias: ins.alias?.name, parent: parent)
    }

    /// sqlite3UpsertAnalyzeTarget for one clause: the rowid, or the first UNIQUE index whose key columns the
    /// target's terms name (nil when none does).
    private func conflictTarget(_ target: Upsert.Target, _ table: Table, _ term: FromTerm,
                                _ scope: Scope) throws(DBError) -> UniquenessCheck? {
        let terms = target.columns.map(\.expr)
        for t in terms { try checkNamesResolve(t, scope) }
        if let w = target.whereClause { try checkNamesResolve(w, scope) }
        // The rowid, or the INTEGER PRIMARY KEY that names it (resolve.c makes both XN_ROWID).
        if !table.withoutRowid, terms.count == 1, case .column(let ref) = terms[0].kind {
            switch try scope.resolveHere(ref) {
            case .rowid?: return .rowid
            case .column(_, let c)? where c == table.rowidAlias: return .rowid
            default: break
            }
        }
        let same = ImpliedIndexCondition(term: term, table: table, scope: scope)
        for (i, index) in table.indexes.enumerated() where index.unique && index.columns.count == terms.count {
            if let partial = index.whereClause {
                guard let w = target.whereClause, same.same(w, partial) else { continue }
            }
            var matched = true
            for column in index.columns where matched {
                var named = false
                for t in terms where !named { named = try targetTerm(t, names: column, of: table, term, scope, same) }
                matched = named
            }
            if matched { return .index(i) }
        }
        return nil
    }

    /// sqlite3ExprCompare(term, COLLATE(column's collation, column)) < 2: a term names an index column when it
    /// is that column (or expression), bare or with a COLLATE of the column's collation.
    private func targetTerm(_ e: Expr, names column: IndexColumn, of table: Table, _ term: FromTerm, _ scope: Scope,
                            _ same: ImpliedIndexCondition) throws(DBError) -> Bool {
        var e = e
        if case .collate(let inner, let name) = e.kind {
            guard Collation(name: name.name) == column.collation else { return false }
            e = inner
        }
        switch column.source {
        case .column(let c):
            guard case .column(let ref) = e.kind, case .column(let t, let k)? = try scope.resolveHere(ref) else { return false }
            return t === term && k == c
        case .rowid:
            return false
        case .expression(let x):
            if case .collate(let inner, _) = x.kind { return same.same(e, inner) }
            return same.same(e, x)
        }
    }

    /// Resolves every column name of `e` (outside its subqueries) in `scope` and, when `outward`, the scopes
    /// around it, and throws the error sqlite3ResolveExprNames gives for one that names nothing.
    func checkNamesResolve(_ e: Expr, _ scope: Scope, outward: Bool = false) throws(DBError) {
        var failure: DBError?
        visitExpressions(e) { [self] x in
            guard failure == nil else { return false }
            if case .column(let ref) = x.kind {
                do {
                    let found = outward ? try scope.resolve(ref) != nil : try scope.resolveHere(ref) != nil
                    // An unresolved "name" is a string (the double-quoted-string fallback), TRUE and FALSE are 1 and 0.
                    if !found && !(ref.table == nil && (ref.column.quoting == .doubleQuotes || ref.column.isBooleanKeyword)) {
                        failure = Compiler.locating(noSuchColumn(ref), at: x)
                    }
                } catch let e as DBError { failure = e } catch {}
            }
            return true
        }
        if let failure { throw failure }
    }

    /// DO UPDATE after a conflict: the row in the way (the table cursor already on it, or `conflictRowid` to
    /// seek it by, or for WITHOUT ROWID the index entry under `indexCursor` naming it by its primary key) is
    /// changed by the clause's SET list, as an UPDATE OR ABORT of that row, and the new row is skipped.
    func upsertUpdate(_ w: TableWriter, _ plan: UpsertPlan, _ clause: UpsertPlan.Clause, newRow: (base: Int32, rowid: Int32),
                      conflictRowid: Int32?, seek: Bool, index: Index?, indexCursor: Int32?,
                      skipRow: Int32) throws(DBError) {
        guard case .update(let list, let condition) = clause.action else { return }
        let t = w.table
        let oldRowid: Int32
        if t.withoutRowid {
            oldRowid = b.allocateRegisters()
            b.emit(.Null, 0, oldRowid)
            if let index, let ic = indexCursor { try seekRowOfIndexEntry(w, index, ic) }
        } else {
            guard let r = conflictRowid else { throw DBError(.internal, "upsert without a conflicting rowid") }
            oldRowid = r
            if seek {
                let missing = b.makeLabel(), found = b.makeLabel()
                b.emit(.NotExists, w.cursor, missing, r)
                b.emit(.Goto, 0, found)
                b.resolve(missing)
                haltCorrupt()
                b.resolve(found)
            }
        }
        // upsert.c: excluded's REAL columns hold reals (the row's affinity pass may have left an integer).
        for (i, c) in t.columns.enumerated() where c.affinity == .real {
            b.emit(.RealAffinity, newRow.base + Int32(i))
        }
        let (assignments, rowValueSubqueries, changes) = try analyzeAssignments(t, list)
        var update = RowUpdate(table: t, alias: plan.alias, assignments: assignments,
                               rowValueSubqueries: rowValueSubqueries, changes: changes,
                               override: .abort, counts: currentTrigger == nil, parent: plan.parent)
        update.excluded = newRow
        update.condition = condition
        try updateRow(update, w, oldRowid: oldRowid, next: skipRow)
        b.emit(.Goto, 0, skipRow)
    }
}
