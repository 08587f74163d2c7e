// Compiler+ViewTriggers: INSERT, UPDATE and DELETE on a view, done by its
// INSTEAD OF triggers (lang_createtrigger.html, "INSTEAD OF triggers"; SQLite
// codes them as BEFORE triggers on the view, insert.c/update.c/delete.c with
// isView).
//
// A statement on a view needs an INSTEAD OF trigger for its event (for UPDATE,
// one whose UPDATE OF list, if any, names an assigned column); otherwise it is
// "cannot modify v because it is a view". INSERT runs the triggers once per
// source row, NEW holding the row's values in the view's columns (NULL where
// the column list leaves one out), unconverted (no affinity). UPDATE and
// DELETE first copy the view's rows that match WHERE (and ORDER BY/LIMIT) into
// an ephemeral table (sqlite3MaterializeView), then run the triggers once per
// row with OLD (and for UPDATE, NEW computed from OLD, with the view's column
// affinities). Nothing is written but
// what the triggers write: changes() stays 0.

import Base
import SQL

extension Compiler {
    /// A view's column names and affinities, from its SELECT compiled on the side.
    func viewShape(_ view: Table) throws(DBError) -> (names: [String], affinities: [Affinity]) {
        guard let s = view.viewSelect else { return ([], []) }
        let side = Compiler(connection: connection, catalog: catalog, tempCatalog: tempCatalog, source: Array(view.sql.utf8))
        side.schemaObjectDatabases = [view.database]
        let info = try side.compileSelect(s, parent: nil, destination: .callback { (_: Int32) throws(DBError) in })
        return (view.viewColumnNames ?? info.names, info.affinities)
    }

    /// Fails unless the view has an INSTEAD OF trigger for `event` (sqlite3TriggersExist).
    private func requireInsteadOfTrigger(_ view: Table, _ event: TriggerEvent, names: [String]) throws(DBError) {
        let exists = triggers(of: view).contains { trigger in
            let d = trigger.definition
            guard d.timing == .insteadOf else { return false }
            switch (d.event, event) {
            case (.insert, .insert), (.delete, .delete): return true
            case (.update(let cols), .update(let changed)):
                guard let cols else { return true }
                return cols.contains { c in names.firstIndex { namesMatch($0, c.name) }.map { changed.contains($0) } ?? false }
            default: return false
            }
        }
        if !exists { throw DBError(.error, "cannot modify \(view.name) because it is a view") }
    }

    /// A term naming the view's columns, read from registers (OLD inside UPDATE's SET expressions).
    private func viewRowScope(_ view: Table, alias: String?, names: [String], affinities: [Affinity], base: Int32,
                              parent: Scope?) -> Scope {
        let term = FromTerm(name: alias ?? view.name, table: nil, columnNames: names, affinities: affinities,
                            collations: Array(repeating: .binary, count: names.count),
                            declaredTypes: Array(repeating: nil, count: names.count), cursor: -1, hasRowid: false)
        let scope = Scope(terms: [term], parent: parent)
        scope.redirects[ObjectIdentifier(term)] = .registers(base: base, rowid: nil)
        return scope
    }

    /// INSERT INTO view.
    func compileInsertIntoView(_ ins: Insert, _ view: Table, parent: Scope?) throws(DBError) {
        let (names, _) = try viewShape(view)
        try requireInsteadOfTrigger(view, .insert, names: names)
        if !ins.upserts.isEmpty { throw DBError(.error, "cannot UPSERT a view") }
        var targets: [Int] = []
        if let cols = ins.columns {
            for c in cols {
                guard let i = names.firstIndex(where: { namesMatch($0, c.name) }) else {
                    throw DBError(.error, "table \(view.name) has no column named \(c.name)")
                }
                targets.append(i)
            }
        } else {
            targets = Array(names.indices)
        }
        if currentTrigger == nil { b.program.countsChanges = true }
        // The source rows, all of them first, in an ephemeral table.
        let rows = b.allocateCursor()
        b.emit(.OpenEphemeral, rows, Int32(targets.count))
        var width = 0
        switch ins.source {
        case .defaultValues:
            width = 0
            let record = b.allocateRegisters(), rowid = b.allocateRegisters()
            b.emit(.MakeRecord, record, 0, record)
            b.emit(.NewRowid, rows, rowid)
            b.emit(.Insert, rows, record, rowid)
        case .select(let s):
            if s.compounds.isEmpty, case .values(let values, _) = s.first,
               values.contains(where: { $0.count != values[0].count }) {
                throw DBError(.error, "all VALUES must have the same number of terms")
            }
            let info = try compileSelect(s, parent: parent, destination: .table(cursor: rows))
            width = info.count
            if let cols = ins.columns {
                if cols.count != width { throw DBError(.error, "\(width) values for \(cols.count) columns") }
            } else if width != names.count {
                throw DBError(.error, "table \(view.name) has \(names.count) columns but \(width) values were supplied")
            }
        }
        let base = b.allocateRegisters(names.count)
        let rowid = b.allocateRegisters()
        let done = b.makeLabel()
        b.emit(.Rewind, rows, done)
        let top = b.count
        let next = b.makeLabel()
        b.emit(.Null, 0, base, base + Int32(names.count) - 1)
        b.emit(.Null, 0, rowid)
        if width > 0 {
            for (k, target) in targets.enumerated() { b.emit(.Column, rows, Int32(k), base + Int32(target)) }
        }
        try fireTriggers(view, timing: .insteadOf, event: .insert, new: (base, rowid), old: nil, ignore: next,
                         viewColumns: names)
        b.resolve(next)
        b.emit(.Next, rows, top)
        b.resolve(done)
    }

    /// The view's rows that `whereClause` (with ORDER BY and LIMIT) selects, in an ephemeral table whose
    /// column i is the view's column i (sqlite3MaterializeView: the view under its own name, never the
    /// statement's alias, so WHERE cannot use the alias).
    private func materializeViewRows(_ name: QualifiedName, _ whereClause: Expr?,
                                     orderBy: [OrderingTerm], limit: Limit?, parent: Scope?) throws(DBError) -> Int32 {
        let select = Select(first: .select(SimpleSelect(columns: [.all(.empty(at: 0))],
                                                        from: [FromItem(source: .table(name, nil))],
                                                        whereClause: whereClause)),
                            orderBy: orderBy, limit: limit)
        let rows = b.allocateCursor()
        b.emit(.OpenEphemeral, rows, 0)
        _ = try compileSelect(select, parent: parent, destination: .table(cursor: rows))
        return rows
    }

    /// UPDATE view.
    func compileUpdateOfView(_ u: Update, _ view: Table, parent: Scope?) throws(DBError) {
        let (names, affinities) = try viewShape(view)
        // Which triggers fire is decided before the assigned names are checked (update.c calls
        // sqlite3TriggersExist first): an unknown name matches no UPDATE OF list.
        var named = OrdinalSet()
        for a in u.assignments {
            for c in a.columns { if let i = names.firstIndex(where: { namesMatch($0, c.name) }) { named.insert(i) } }
        }
        try requireInsteadOfTrigger(view, .update(named), names: names)
        var assignments: [(Int, Expr)] = []
        for a in u.assignments {
            var values: [Expr] = [a.value]
            if a.columns.count > 1 {
                guard case .vector(let v) = a.value.kind, v.count == a.columns.count else {
                    if case .subquery = a.value.kind {
                        throw DBError(.error, "UPDATE of a view with SET (…) = (SELECT …) is not supported yet")
                    }
                    var count = 1
                    if case .vector(let v) = a.value.kind { count = v.count }
                    throw DBError(.error, "\(a.columns.count) columns assigned \(count) values")
                }
                values = v
            }
            for (c, v) in zip(a.columns, values) {
                guard let i = names.firstIndex(where: { namesMatch($0, c.name) }) else {
                    throw DBError(.error, "no such column: \(c.name)")
                }
                assignments.append((i, v))
            }
        }
        var changed = OrdinalSet()
        for (i, _) in assignments { changed.insert(i) }
        if !u.from.isEmpty { throw DBError(.error, "UPDATE FROM on a view is not supported yet") }
        if currentTrigger == nil { b.program.countsChanges = true }
        let rows = try materializeViewRows(u.table, u.whereClause, orderBy: u.orderBy, limit: u.limit, parent: parent)
        let n = Int32(names.count)
        let new = b.allocateRegisters(names.count)
        try forEachViewRow(rows, width: names.count) { (old: Int32, rowid: Int32, next: Int32) throws(DBError) in
            for i in 0..<n { b.emit(.SCopy, old + i, new + i) }
            let scope = viewRowScope(view, alias: u.alias?.name, names: names, affinities: affinities, base: old,
                                     parent: parent)
            for (i, e) in assignments { try expr(e, scope, new + Int32(i)) }
            // NEW gets the view's column affinities (update.c's sqlite3TableAffinity before the BEFORE triggers);
            // an INSERT's NEW gets none.
            if affinities.contains(where: { $0 != .blob && $0 != .none }) {
                b.emit(.Affinity, new, n, 0, .affinities(affinities.map { $0 == .none ? .blob : $0 }))
            }
            try fireTriggers(view, timing: .insteadOf, event: .update(changed), new: (new, rowid), old: (old, rowid),
                             ignore: next, viewColumns: names)
        }
    }

    /// A loop over the materialized view rows in `rows`: `body` gets the registers holding the row (OLD), a
    /// NULL rowid register and the label that goes on to the next row.
    private func forEachViewRow(_ rows: Int32, width: Int,
                                _ body: (Int32, Int32, Int32) throws(DBError) -> Void) throws(DBError) {
        let old = b.allocateRegisters(width)
        let rowid = b.allocateRegisters()
        let done = b.makeLabel()
        b.emit(.Rewind, rows, done)
        let top = b.count
        let next = b.makeLabel()
        b.emit(.Null, 0, rowid)
        for i in 0..<Int32(width) { b.emit(.Column, rows, i, old + i) }
        try body(old, rowid, next)
        b.resolve(next)
        b.emit(.Next, rows, top)
        b.resolve(done)
    }

    /// DELETE FROM view.
    func compileDeleteFromView(_ d: Delete, _ view: Table, parent: Scope?) throws(DBError) {
        let (names, _) = try viewShape(view)
        try requireInsteadOfTrigger(view, .delete, names: names)
        if currentTrigger == nil { b.program.countsChanges = true }
        let rows = try materializeViewRows(d.table, d.whereClause, orderBy: d.orderBy, limit: d.limit, parent: parent)
        try forEachViewRow(rows, width: names.count) { (old: Int32, rowid: Int32, next: Int32) throws(DBError) in
            try fireTriggers(view, timing: .insteadOf, event: .delete, new: nil, old: (old, rowid), ignore: next,
                             viewColumns: names)
        }
    }
}
