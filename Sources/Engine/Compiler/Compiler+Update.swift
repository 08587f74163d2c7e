// Compiler+Update: UPDATE (https://sqlite.org/lang_update.html) and DELETE
// (lang_delete.html).
//
// Both run in two passes: the first walks the WHERE clause (with ORDER BY
// and LIMIT when given) and collects the keys of the rows to change into an
// ephemeral table; the second visits each key, so changing the table cannot
// disturb the scan that chose the rows. An UPDATE computes the new row from
// the old one, checks constraints (a row never conflicts with itself),
// replaces the index entries of the indexes whose columns changed, and
// rewrites the row; a DELETE removes the row and all its index entries. A
// DELETE with no WHERE clause, no LIMIT and no triggers clears the trees in
// one step and still reports how many rows it removed.

import Base
import Storage
import SQL

extension Compiler {
    func compileUpdate(_ u: Update, parent: Scope? = nil) throws(DBError) {
        if u.returning != nil { throw DBError(.error, "RETURNING is not supported yet") }
        if !u.from.isEmpty { throw DBError(.error, "UPDATE FROM is not supported yet") }
        if let with = u.with {
            var ctes: [String: CommonTableExpression] = [:]
            for c in with.tables { ctes[foldName(c.name.name)] = c }
            cteScopes.append(ctes)
        }
        defer { if u.with != nil { cteScopes.removeLast() } }
        let table = try writableTable(u.table)
        // Assignments: column index (-1: rowid) → expression; the last assignment to a column wins.
        var assignments: [(Int, Expr)] = []
        for a in u.assignments {
            if a.columns.count > 1 {
                guard case .vector(let values) = a.value.kind, values.count == a.columns.count else {
                    throw DBError(.error, "\(a.columns.count) columns assigned \(1) values")
                }
                for (c, v) in zip(a.columns, values) { assignments.append((try assignedColumn(table, c), v)) }
            } else {
                assignments.append((try assignedColumn(table, a.columns[0]), a.value))
            }
        }
        let override = u.orConflict.map { SchemaBuilder.conflictAction($0) }
        let (keys, keyIsRowid) = try collectRows(table, alias: u.alias?.name, hint: u.indexHint, u.whereClause,
                                                 u.orderBy, u.limit, parent: parent)
        let w = openForWrite(table)
        let counts = currentTrigger == nil
        if counts { b.program.countsChanges = true }
        let n = table.columns.count
        let done = b.makeLabel()
        b.emit(.Rewind, keys, done)
        let top = b.count
        let next = b.makeLabel()
        let oldRowid = b.allocateRegisters()
        try positionOnKey(w, keys: keys, keyIsRowid: keyIsRowid, oldRowid: oldRowid, missing: next)
        let old = b.allocateRegisters(n)
        for i in 0..<n {
            if table.rowidAlias == i { b.emit(.SCopy, oldRowid, old + Int32(i)) } else {
                try readTableColumn(FromTerm(table: table, alias: nil, cursor: w.cursor), i, old + Int32(i))
            }
        }
        // New values: unassigned columns keep the old ones.
        let (oldScope, oldTerm) = rowScope(table, base: old, rowid: oldRowid, parent: parent)
        let aliasTerm = u.alias.map { FromTerm(table: table, alias: $0.name, cursor: -1) }
        if let at = aliasTerm {
            oldScope.terms.append(at)
            oldScope.redirects[ObjectIdentifier(at)] = .registers(base: old, rowid: oldRowid)
            oldScope.terms.removeAll { $0 === oldTerm }
        }
        let newBase = b.allocateRegisters(n)
        let newRowid = b.allocateRegisters()
        b.emit(.SCopy, oldRowid, newRowid)
        for i in 0..<n { b.emit(.SCopy, old + Int32(i), newBase + Int32(i)) }
        var changed = Set<Int>()
        var rowidChanges = false
        for (c, e) in assignments {
            if c == -1 || table.rowidAlias == c {
                try expr(e, oldScope, newRowid)
                b.emit(.MustBeInt, newRowid, 0)
                rowidChanges = true
                if let a = table.rowidAlias {
                    b.emit(.SCopy, newRowid, newBase + Int32(a))
                    changed.insert(a)
                }
            } else {
                try expr(e, oldScope, newBase + Int32(c))
                changed.insert(c)
            }
        }
        applyColumnAffinities(table, base: newBase)
        try fireTriggers(table, timing: .before, event: .update(changed), new: (newBase, newRowid), old: (old, oldRowid),
                         ignore: next)
        // Constraint checks see the new row; the old row must not count as a conflict.
        if table.withoutRowid {
            // Delete first: the key may change, and a WITHOUT ROWID row is replaced, not updated.
            b.emit(.Delete, w.cursor)
            try deleteIndexEntries(w, rowid: oldRowid, base: old, parent: parent, only: nil)
            try constraintChecks(w, rowid: newRowid, base: newBase, oldRowid: nil, override: override, skipRow: next,
                                 parent: parent)
            try completeInsertion(w, rowid: newRowid, base: newBase, parent: parent, only: nil,
                                  flags: changeFlag(counts))
        } else {
            try constraintChecks(w, rowid: newRowid, base: newBase, oldRowid: oldRowid, override: override,
                                 skipRow: next, parent: parent)
            let affected = affectedIndexes(table, changed: changed, rowidChanges: rowidChanges)
            try deleteIndexEntries(w, rowid: oldRowid, base: old, parent: parent, only: affected)
            if rowidChanges {
                let same = b.makeLabel()
                b.emit(.Eq, oldRowid, same, newRowid, .none, UInt16(Affinity.integer.rawValue))
                b.emit(.NotExists, w.cursor, same, oldRowid)
                b.emit(.Delete, w.cursor)
                b.resolve(same)
            }
            try completeInsertion(w, rowid: newRowid, base: newBase, parent: parent, only: affected,
                                  flags: changeFlag(counts))
        }
        try fireTriggers(table, timing: .after, event: .update(changed), new: (newBase, newRowid), old: (old, oldRowid),
                         ignore: next)
        b.resolve(next)
        b.emit(.Next, keys, top)
        b.resolve(done)
    }

    private func assignedColumn(_ t: Table, _ c: Identifier) throws(DBError) -> Int {
        if let i = t.columnIndex(c.name) { return i }
        if isRowidName(c.name) && !t.withoutRowid { return -1 }
        throw DBError(.error, "no such column: \(c.name)")
    }

    /// Indexes that must be rewritten when `changed` columns change (all of them when the rowid does).
    private func affectedIndexes(_ t: Table, changed: Set<Int>, rowidChanges: Bool) -> Set<Int> {
        var out = Set<Int>()
        for (i, index) in t.indexes.enumerated() {
            if rowidChanges || index.whereClause != nil {
                out.insert(i)
                continue
            }
            for c in index.columns {
                switch c.source {
                case .column(let x): if changed.contains(x) { out.insert(i) }
                case .expression, .rowid: out.insert(i)
                }
            }
        }
        return out
    }

    func compileDelete(_ d: Delete, parent: Scope? = nil) throws(DBError) {
        if d.returning != nil { throw DBError(.error, "RETURNING is not supported yet") }
        if let with = d.with {
            var ctes: [String: CommonTableExpression] = [:]
            for c in with.tables { ctes[foldName(c.name.name)] = c }
            cteScopes.append(ctes)
        }
        defer { if d.with != nil { cteScopes.removeLast() } }
        let table = try writableTable(d.table)
        let counts = currentTrigger == nil
        if counts { b.program.countsChanges = true }
        if d.whereClause == nil && d.limit == nil && table.triggers.isEmpty {
            writes = true
            b.emit(.Clear, Int32(bitPattern: table.rootPage), 0, 0, .none, changeFlag(counts))
            for index in table.indexes where !(table.withoutRowid && index.origin == .primaryKey) {
                b.emit(.Clear, Int32(bitPattern: index.rootPage))
            }
            return
        }
        let (keys, keyIsRowid) = try collectRows(table, alias: d.alias?.name, hint: d.indexHint, d.whereClause,
                                                 d.orderBy, d.limit, parent: parent)
        let w = openForWrite(table)
        let n = table.columns.count
        let done = b.makeLabel()
        b.emit(.Rewind, keys, done)
        let top = b.count
        let next = b.makeLabel()
        let rowid = b.allocateRegisters()
        try positionOnKey(w, keys: keys, keyIsRowid: keyIsRowid, oldRowid: rowid, missing: next)
        let old = b.allocateRegisters(n)
        for i in 0..<n {
            if table.rowidAlias == i { b.emit(.SCopy, rowid, old + Int32(i)) } else {
                try readTableColumn(FromTerm(table: table, alias: nil, cursor: w.cursor), i, old + Int32(i))
            }
        }
        try fireTriggers(table, timing: .before, event: .delete, new: nil, old: (old, rowid), ignore: next)
        if !table.triggers.isEmpty {
            // A BEFORE trigger may have moved the cursor or removed the row.
            try positionOnKey(w, keys: keys, keyIsRowid: keyIsRowid, oldRowid: rowid, missing: next)
        }
        try deleteIndexEntries(w, rowid: rowid, base: old, parent: parent, only: nil)
        b.emit(.Delete, w.cursor, 0, 0, .none, changeFlag(counts))
        try fireTriggers(table, timing: .after, event: .delete, new: nil, old: (old, rowid), ignore: next)
        b.resolve(next)
        b.emit(.Next, keys, top)
        b.resolve(done)
    }

    func writableTable(_ name: QualifiedName) throws(DBError) -> Table {
        let table = try lookupTable(name)
        if table.isView { throw DBError(.error, "cannot modify \(table.name) because it is a view") }
        if table.rootPage == 1 || (table.isInternal && !namesMatch(table.name, "sqlite_stat1")
                                   && !namesMatch(table.name, "sqlite_sequence")) {
            throw DBError(.error, "table \(table.rootPage == 1 ? "sqlite_master" : table.name) may not be modified")
        }
        return table
    }

    /// First pass: the keys (rowids, or primary-key records) of the rows WHERE selects, in an ephemeral table.
    private func collectRows(_ table: Table, alias: String?, hint: IndexHint?, _ whereClause: Expr?,
                             _ orderBy: [OrderingTerm], _ limit: Limit?, parent: Scope?) throws(DBError) -> (Int32, Bool) {
        let keys = b.allocateCursor()
        b.emit(.OpenEphemeral, keys, 1)
        let term = FromTerm(table: table, alias: alias, cursor: b.allocateCursor())
        term.indexHint = hint
        let scope = Scope(terms: [term], parent: parent)
        if let w = whereClause, containsAggregate(w) {
            throw misuseOfAggregate(in: w)
        }
        let keyWidth = table.withoutRowid ? table.primaryKey.count : 1
        let keyExprs: [Expr] = table.withoutRowid
            ? table.primaryKey.map { Expr(.column(ColumnReference(table: Identifier(term.name),
                                                                  column: Identifier(table.columns[$0].name)))) }
            : [Expr(.column(ColumnReference(table: Identifier(term.name), column: Identifier("rowid"))))]
        let results = keyExprs.map { ResultColumnSpec(expr: $0, name: "", alias: nil) }
        let sortKeys = try resolveOrderBy(orderBy, results, scope)
        let end = b.makeLabel()
        let limits = try setupLimit(limit, scope, end: end)
        var sorter: SorterState?
        if !sortKeys.isEmpty { sorter = openSorter(sortKeys, width: keyWidth) }
        recordColumnUsage(keyExprs + (whereClause.map { [$0] } ?? []) + sortKeys.map(\.expr), scope)
        let loop = try whereBegin(scope, whereClause: whereClause, sortKeys: [])
        let base = b.allocateRegisters(keyWidth)
        for (i, e) in keyExprs.enumerated() { try expr(e, scope, base + Int32(i)) }
        let dest = Destination.callback { (regs: Int32) throws(DBError) in
            let rec = self.b.allocateRegisters()
            self.b.emit(.MakeRecord, regs, Int32(keyWidth), rec)
            if table.withoutRowid {
                let r = self.b.allocateRegisters()
                self.b.emit(.NewRowid, keys, r)
                self.b.emit(.Insert, keys, rec, r)
            } else {
                self.b.emit(.Insert, keys, rec, regs)
            }
        }
        if let s = sorter {
            try sorterInsert(s, sortKeys, base: base, width: keyWidth, scope: scope)
        } else {
            try emitRow(dest, base: base, count: keyWidth, skip: limits.offset.map { ($0, loop.continueLabel) },
                        stop: loop.breakLabel, limit: limits.limit)
        }
        try whereEnd(loop)
        if let s = sorter { try sorterOutput(s, width: keyWidth, destination: dest, limits: limits, end: end) }
        b.resolve(end)
        return (keys, !table.withoutRowid)
    }

    /// Moves the writer's cursor to the row of the current key; jumps to `missing` when it is gone.
    private func positionOnKey(_ w: TableWriter, keys: Int32, keyIsRowid: Bool, oldRowid: Int32,
                               missing: Int32) throws(DBError) {
        if keyIsRowid {
            b.emit(.Column, keys, 0, oldRowid)
            b.emit(.NotExists, w.cursor, missing, oldRowid)
        } else {
            let n = w.table.primaryKey.count
            let regs = b.allocateRegisters(n)
            for i in 0..<n { b.emit(.Column, keys, Int32(i), regs + Int32(i)) }
            b.emit(.NotFound, w.cursor, missing, regs, .int64(Int64(n)))
            b.emit(.Null, 0, oldRowid)
        }
    }
}
