// Compiler+Update: UPDATE (https://sqlite.org/lang_update.html) and DELETE
// (lang_delete.html).
//
// A rowid table without triggers, ORDER BY or LIMIT is changed in one pass
// (update.c/delete.c's ONEPASS): the WHERE loop scans through the cursors
// the statement writes with, and each row changes as the loop reaches it,
// when the loop visits at most one row or when changing rows cannot disturb
// the scan — an UPDATE must not change the rowid, REPLACE other rows, or
// rewrite the index it scans; a DELETE must have no correlated subquery in
// its WHERE clause. Otherwise it runs in two passes: the first collects the
// keys of the rows to change into an ephemeral table, the second visits
// each key. An UPDATE computes the new row from the old one, checks the
// constraints its changes could break (a row never conflicts with itself),
// replaces the index entries of the indexes whose columns changed, and
// rewrites the row; a DELETE removes the row and all its index entries. A
// DELETE with no WHERE clause, no LIMIT and no triggers clears the trees in
// one step and still reports how many rows it removed.

import Base
import Storage
import SQL

/// What an UPDATE changes: the columns it assigns (what UPDATE OF triggers match), those and the generated
/// columns computed from them (what constraints and indexes are redone for), whether the rowid is one of
/// them, and (filled in by the compiler) the indexes whose entries must be rewritten (update.c's pChanges,
/// aXRef, chngRowid and aRegIdx).
struct UpdateChanges {
    var assigned = OrdinalSet()
    var columns = OrdinalSet()
    var rowid = false
    var indexes = OrdinalSet()

    init(assignments: [(Int, Expr)], table: Table) {
        for (c, _) in assignments {
            if c == -1 || table.rowidAlias == c {
                rowid = true
                if let a = table.rowidAlias { assigned.insert(a) }
            } else {
                assigned.insert(c)
            }
        }
        columns = assigned
    }
}

/// One UPDATE statement (or an upsert's DO UPDATE) as the row-changing code needs it.
struct RowUpdate {
    let table: Table
    let alias: String?
    let assignments: [(Int, Expr)]
    /// `SET (a, b) = (SELECT x, y …)`: the subquery, run once per row (once per statement when it reads no
    /// column of the row), and the placeholder expressions its fields stand for in `assignments`.
    let rowValueSubqueries: [(select: Select, fields: [Expr])]
    let changes: UpdateChanges
    let override: ConflictAction?
    let counts: Bool
    let parent: Scope?
    /// Registers holding values computed before the row is reached (UPDATE … FROM's), by the placeholder
    /// expression standing for each in `assignments`.
    var precomputed: [(Expr, Int32)] = []
    /// An upsert's DO UPDATE: the row it was to insert, which `excluded.x` reads (base and rowid registers),
    /// and its WHERE clause, which must be true of the conflicting row for it to change.
    var excluded: (base: Int32, rowid: Int32)? = nil
    var condition: Expr? = nil
}

extension Compiler {
    func compileUpdate(_ u: Update, parent: Scope? = nil) throws(DBError) {
        if u.returning != nil { throw DBError(.error, "RETURNING is not supported yet") }
        if let with = u.with {
            var ctes: [String: CommonTableExpression] = [:]
            for c in with.tables { ctes[foldName(c.name.name)] = c }
            cteScopes.append(CTEScope(tables: ctes, owner: nil))
        }
        defer { if u.with != nil { cteScopes.removeLast() } }
        if let view = try findTable(u.table.name.name, schema: u.table.schema), view.isView {
            try compileUpdateOfView(u, view, parent: parent)
            return
        }
        let table = try writableTable(u.table)
        // delete.c, sqlite3LimitWhere (for UPDATE … FROM, update.c's updateFromSelect, after the SET names).
        if u.from.isEmpty { try checkOrderByHasLimit(u.orderBy, u.limit, "UPDATE") }
        let (assignments, rowValueSubqueries, changes) = try analyzeAssignments(table, u.assignments)
        let override = u.orConflict.map { SchemaBuilder.conflictAction($0) }
        let counts = currentTrigger == nil
        if counts { b.program.countsChanges = true }
        let update = RowUpdate(table: table, alias: u.alias?.name, assignments: assignments,
                               rowValueSubqueries: rowValueSubqueries, changes: changes,
                               override: override, counts: counts, parent: parent)
        if !u.from.isEmpty {
            try updateFrom(u, update)
            return
        }
        if !u.orderBy.isEmpty || u.limit != nil || hasTriggers(table) || table.withoutRowid {
            let (keys, keyIsRowid) = try collectRows(table, alias: u.alias?.name, hint: u.indexHint, u.whereClause,
                                                     u.orderBy, u.limit, parent: parent)
            let w = openForWrite(table)
            try secondPass(keys: keys, keyIsRowid: keyIsRowid, w) { (oldRowid, next) throws(DBError) in
                try self.updateRow(update, w, oldRowid: oldRowid, next: next)
            }
            return
        }
        // update.c: several rows may change while the loop scans them unless the rowid changes or a REPLACE
        // may delete other rows, and never while it scans an index whose entries the UPDATE rewrites.
        let replaces = override == .replace || (override == nil && changes.indexes.contains {
            table.indexes[$0].unique && table.indexes[$0].onConflict == .replace })
        let multiRow = !changes.rowid && !replaces
        try onePassLoop(table, alias: u.alias?.name, hint: u.indexHint, u.whereClause, multiRow: multiRow,
                        duplicatesOK: false, parent: parent,
                        scanForbidden: { changes.indexes.contains($0) }) { (w, oldRowid, next) throws(DBError) in
            try self.updateRow(update, w, oldRowid: oldRowid, next: next)
        }
    }

    /// A SET list as (column, expression) pairs (column -1: the rowid; the last assignment to a column wins),
    /// the `(a, b) = (SELECT …)` subqueries its fields come from, and what it changes: the assigned columns,
    /// the generated columns computed from them, and the indexes to rewrite.
    func analyzeAssignments(_ table: Table, _ list: [Assignment]) throws(DBError)
        -> (assignments: [(Int, Expr)], rowValueSubqueries: [(select: Select, fields: [Expr])], changes: UpdateChanges) {
        var assignments: [(Int, Expr)] = []
        var rowValueSubqueries: [(select: Select, fields: [Expr])] = []
        for a in list {
            if a.columns.count > 1, case .subquery(let select) = a.value.kind {
                // Each column reads its field of the one subquery row (sqlite3's TK_SELECT_COLUMN).
                let group = rowValueSubqueries.count
                let fields = (0..<a.columns.count).map { i in
                    Expr(.function(FunctionCall(name: Identifier("\u{0}row-value-field-\(group)-\(i)"),
                                                arguments: .list(nil, []))))
                }
                rowValueSubqueries.append((select, fields))
                for (c, f) in zip(a.columns, fields) { assignments.append((try assignedColumn(table, c), f)) }
            } else if a.columns.count > 1 {
                var count = 1
                if case .vector(let values) = a.value.kind { count = values.count }
                guard case .vector(let values) = a.value.kind, values.count == a.columns.count else {
                    throw DBError(.error, "\(a.columns.count) columns assigned \(count) values")
                }
                for (c, v) in zip(a.columns, values) { assignments.append((try assignedColumn(table, c), v)) }
            } else {
                assignments.append((try assignedColumn(table, a.columns[0]), a.value))
            }
        }
        var changes = UpdateChanges(assignments: assignments, table: table)
        changes.columns.formUnion(generatedColumnsDepending(on: changes.columns, rowid: changes.rowid, in: table))
        changes.indexes = affectedIndexes(table, changed: changes.columns, rowidChanges: changes.rowid)
        return (assignments, rowValueSubqueries, changes)
    }

    /// Emits the change of the row `w.cursor` is on (its rowid in `oldRowid`): the new row computed from
    /// the old, the BEFORE triggers, constraint checks on what changed, the index entries of the indexes
    /// whose columns changed, the row itself, the AFTER triggers. `next` skips to the next row.
    func updateRow(_ u: RowUpdate, _ w: TableWriter, oldRowid: Int32, next: Int32) throws(DBError) {
        let table = u.table
        let n = table.columns.count
        let (old, current) = try readCurrentRow(w, rowid: oldRowid)
        // New values: unassigned columns keep the old ones.
        let (oldScope, oldTerm) = rowScope(table, base: old, rowid: oldRowid, parent: u.parent)
        if let alias = u.alias {
            let at = FromTerm(table: table, alias: alias, cursor: -1)
            oldScope.terms.append(at)
            oldScope.redirects[ObjectIdentifier(at)] = .registers(base: old, rowid: oldRowid)
            oldScope.terms.removeAll { $0 === oldTerm }
        }
        if let (base, rowid) = u.excluded {
            // upsert.c: only a qualified `excluded.x` reaches the row that was to be inserted.
            let excluded = FromTerm(table: table, alias: "excluded", cursor: -1)
            excluded.qualifiedOnly = true
            oldScope.terms.append(excluded)
            oldScope.redirects[ObjectIdentifier(excluded)] = .registers(base: base, rowid: rowid)
        }
        if let condition = u.condition { try jumpIfFalse(condition, oldScope, next, jumpIfNull: true) }
        let newBase = b.allocateRegisters(n)
        let newRowid = b.allocateRegisters()
        b.emit(.SCopy, oldRowid, newRowid)
        for i in 0..<n { b.emit(.SCopy, old + Int32(i), newBase + Int32(i)) }
        for (placeholder, register) in u.precomputed { oldScope.precomputed[placeholder] = register }
        for (select, fields) in u.rowValueSubqueries {
            let base = try rowValueSubquery(select, width: fields.count, oldScope)
            for (i, f) in fields.enumerated() { oldScope.precomputed[f] = base + Int32(i) }
        }
        for (c, e) in u.assignments {
            if c == -1 || table.rowidAlias == c {
                try expr(e, oldScope, newRowid)
                b.emit(.MustBeInt, newRowid, 0)
                if let a = table.rowidAlias { b.emit(.SCopy, newRowid, newBase + Int32(a)) }
            } else {
                try expr(e, oldScope, newBase + Int32(c))
            }
        }
        applyColumnAffinities(table, base: newBase)
        try computeGeneratedColumns(table, base: newBase, rowid: newRowid)
        if try fireTriggers(table, timing: .before, event: .update(u.changes.assigned), new: (newBase, newRowid),
                            old: (old, oldRowid), ignore: next) {
            // update.c: a BEFORE trigger may have deleted the row (nothing more happens to it) or changed
            // columns this UPDATE does not assign (their new values are read again).
            seekRowAgain(w, old: old, rowid: oldRowid, missing: next)
            for i in 0..<n where !u.changes.assigned.contains(i) && table.rowidAlias != i
                && table.columns[i].generated == nil {
                try readTableColumn(current, i, newBase + Int32(i))
            }
            try computeGeneratedColumns(table, base: newBase, rowid: newRowid)
        }
        // Constraint checks see the new row; the old row must not count as a conflict.
        if table.withoutRowid {
            // Checked while the old row is still there (an entry with its key is the row itself), so a row
            // that IGNORE skips or FAIL stops at is left as it was; then the row is replaced, not updated
            // (the key may change). The checks moved the table cursor: find the old row again first.
            try constraintChecks(w, rowid: newRowid, base: newBase, oldRowid: nil, override: u.override, skipRow: next,
                                 parent: u.parent, oldRow: old)
            seekRowAgain(w, old: old, rowid: oldRowid, missing: next)
            b.emit(.Delete, w.cursor)
            try deleteIndexEntries(w, rowid: oldRowid, base: old, parent: u.parent, only: nil)
            try completeInsertion(w, rowid: newRowid, base: newBase, parent: u.parent, only: nil,
                                  flags: changeFlag(u.counts))
        } else {
            try constraintChecks(w, rowid: newRowid, base: newBase, oldRowid: oldRowid, override: u.override,
                                 skipRow: next, parent: u.parent, changes: u.changes)
            try deleteIndexEntries(w, rowid: oldRowid, base: old, parent: u.parent, only: u.changes.indexes)
            if u.changes.rowid {
                let same = b.makeLabel()
                b.emit(.Eq, oldRowid, same, newRowid, .none, UInt16(Affinity.integer.rawValue))
                b.emit(.NotExists, w.cursor, same, oldRowid)
                b.emit(.Delete, w.cursor)
                b.resolve(same)
            }
            try completeInsertion(w, rowid: newRowid, base: newBase, parent: u.parent, only: u.changes.indexes,
                                  flags: changeFlag(u.counts))
        }
        try fireTriggers(table, timing: .after, event: .update(u.changes.assigned), new: (newBase, newRowid),
                         old: (old, oldRowid), ignore: next)
    }

    /// UPDATE … FROM (update.c, updateFromSelect): a SELECT joining the target table, first, with the FROM
    /// clause's items computes each matching row's key (rowid, or WITHOUT ROWID primary key) and new values
    /// into an ephemeral table ordered by that key (a row matched several times keeps its last match's
    /// values, as SRT_Upfrom's insert replaces an equal key); then each collected row, in key order, is
    /// changed as any UPDATE changes a row, its assigned values read from the table. Every SET expression and
    /// the WHERE clause are evaluated before any row changes.
    private func updateFrom(_ u: Update, _ update: RowUpdate) throws(DBError) {
        let table = update.table
        try checkOrderByHasLimit(u.orderBy, u.limit, "UPDATE")
        if !update.rowValueSubqueries.isEmpty {
            throw DBError(.error, "UPDATE FROM with SET (…) = (SELECT …) is not supported yet")
        }
        let targetName = u.alias ?? u.table.name
        // The key columns: the rowid (TK_ROW), or the primary key's columns.
        var keys: [Expr] = []
        if table.withoutRowid {
            for c in table.primaryKey {
                keys.append(Expr(.column(ColumnReference(schema: Identifier(firstItemSchema), table: targetName,
                                                         column: Identifier(table.columns[c].name)))))
            }
        } else {
            guard let rowidName = ["rowid", "_rowid_", "oid"].first(where: { table.columnIndex($0) == nil }) else {
                throw DBError(.error, "UPDATE FROM on a table whose columns hide every rowid name is not supported yet")
            }
            keys.append(Expr(.column(ColumnReference(schema: Identifier(firstItemSchema), table: targetName,
                                                     column: Identifier(rowidName)))))
        }
        var columns: [ResultColumn] = keys.map { .expr($0, alias: nil, span: .empty(at: 0)) }
        for (_, value) in update.assignments {
            var v = value
            // sqlite3 reports no offset for an error in a SET value that is a bare `table.column` (the copy
            // updateFromSelect makes of it keeps none).
            if case .column(let ref) = v.kind, ref.table != nil { v.range = .empty(at: 0) }
            columns.append(.expr(v, alias: nil, span: .empty(at: 0)))
        }
        // The target is the table itself, never a CTE of the same name (update.c sets notCte on it).
        var target = u.table
        if target.schema == nil, lookupCTE(target.name.name) != nil {
            target.schema = Identifier(table.database == 1 ? "temp" : "main")
        }
        var from = [FromItem(source: .table(target, u.indexHint), alias: u.alias)]
        for (i, item) in u.from.enumerated() {
            var joined = item
            if i == 0 { joined.join = .comma }
            from.append(joined)
        }
        // With a LIMIT the rows are grouped by the key, so LIMIT and OFFSET count target rows, not matches
        // (a bare SET value then takes the group's last match).
        let select = Select(first: .select(SimpleSelect(columns: columns, from: from, whereClause: u.whereClause,
                                                        groupBy: u.limit == nil ? [] : keys)),
                            orderBy: u.orderBy, limit: u.limit)
        let keyCount = Int32(keys.count)
        let valueCount = Int32(update.assignments.count)
        let rows = b.allocateCursor()
        var keyInfo: KeyInfo?
        if let pk = table.primaryKeyIndex, table.withoutRowid {
            let k = pk.keyInfo
            keyInfo = KeyInfo(collations: k.collations + Array(repeating: .binary, count: Int(valueCount)),
                              descending: k.descending + Array(repeating: false, count: Int(valueCount)))
            b.emit(.OpenEphemeral, rows, keyCount + valueCount, 0, .keyInfo(keyInfo!))
        } else {
            b.emit(.OpenEphemeral, rows, Int32(columns.count))
        }
        // select.c (SF_UFSrcCheck): the FROM clause may not hold the target table again under the same alias (or
        // both without one).
        if try fromHoldsTarget(u.from, table: table, alias: u.alias) {
            throw DBError(.error, "target object/alias may not appear in FROM clause: \(targetName.name)")
        }
        _ = try compileSelect(select, parent: update.parent, destination: .callback { (base: Int32) throws(DBError) in
            // An aggregate that matched nothing still yields a row, of NULLs: it is not recorded.
            let skip = self.b.makeLabel()
            self.b.emit(.IsNull, base, skip)
            let record = self.b.allocateRegisters()
            if keyInfo != nil {
                self.b.emit(.MakeRecord, base, keyCount + valueCount, record)
                let fresh = self.b.makeLabel()
                self.b.emit(.NotFound, rows, fresh, base, .int64(Int64(keyCount)))
                self.b.emit(.Delete, rows)
                self.b.resolve(fresh)
                self.b.emit(.IdxInsert, rows, record)
            } else {
                self.b.emit(.MakeRecord, base + 1, valueCount, record)
                self.b.emit(.Insert, rows, record, base)
            }
            self.b.resolve(skip)
        })
        // The assignments now read the collected values.
        let values = b.allocateRegisters(Int(valueCount))
        var assignments: [(Int, Expr)] = []
        var precomputed: [(Expr, Int32)] = []
        for (j, (c, _)) in update.assignments.enumerated() {
            let placeholder = Expr(.function(FunctionCall(name: Identifier("\u{0}update-from-value-\(j)"),
                                                          arguments: .list(nil, []))))
            assignments.append((c, placeholder))
            precomputed.append((placeholder, values + Int32(j)))
        }
        let collected = RowUpdate(table: table, alias: update.alias, assignments: assignments, rowValueSubqueries: [],
                                  changes: update.changes, override: update.override, counts: update.counts,
                                  parent: update.parent, precomputed: precomputed)
        let w = openForWrite(table)
        let done = b.makeLabel()
        b.emit(.Rewind, rows, done)
        let top = b.count
        let next = b.makeLabel()
        let oldRowid = b.allocateRegisters()
        try positionOnKey(w, keys: rows, keyIsRowid: false, oldRowid: oldRowid, missing: next,
                          rowidIsRecordKey: keyInfo == nil)
        let valuesStart = keyInfo == nil ? 0 : keyCount
        for j in 0..<valueCount { b.emit(.Column, rows, valuesStart + j, values + j) }
        try updateRow(collected, w, oldRowid: oldRowid, next: next)
        b.resolve(next)
        b.emit(.Next, rows, top)
        b.resolve(done)
    }

    /// An UPDATE or DELETE may have ORDER BY only with LIMIT (delete.c, sqlite3LimitWhere).
    private func checkOrderByHasLimit(_ orderBy: [OrderingTerm], _ limit: Limit?, _ statement: String) throws(DBError) {
        if !orderBy.isEmpty && limit == nil { throw DBError(.error, "ORDER BY without LIMIT on \(statement)") }
    }

    /// select.c, sameSrcAlias: an item of `items` (or of a parenthesized join in it) is `table` under the
    /// same alias.
    private func fromHoldsTarget(_ items: [FromItem], table: Table, alias: Identifier?) throws(DBError) -> Bool {
        for item in items {
            switch item.source {
            case .table(let qn, _):
                let sameAlias = (item.alias == nil && alias == nil)
                    || (item.alias != nil && alias != nil && namesMatch(item.alias!.name, alias!.name))
                if sameAlias, try findTable(qn.name.name, schema: qn.schema) === table { return true }
            case .join(let inner):
                if try fromHoldsTarget(inner, table: table, alias: alias) { return true }
            default: break
            }
        }
        return false
    }

    private func assignedColumn(_ t: Table, _ c: Identifier) throws(DBError) -> Int {
        if let i = t.columnIndex(c.name) {
            if t.columns[i].generated != nil {
                throw DBError(.error, "cannot UPDATE generated column \"\(t.columns[i].name)\"")
            }
            return i
        }
        if isRowidName(c.name) && !t.withoutRowid { return -1 }
        throw DBError(.error, "no such column: \(c.name)")
    }

    /// Indexes that must be rewritten when `changed` columns change (all of them when the rowid does).
    private func affectedIndexes(_ t: Table, changed: OrdinalSet, rowidChanges: Bool) -> OrdinalSet {
        var out = OrdinalSet()
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
            cteScopes.append(CTEScope(tables: ctes, owner: nil))
        }
        defer { if d.with != nil { cteScopes.removeLast() } }
        if let view = try findTable(d.table.name.name, schema: d.table.schema), view.isView {
            try compileDeleteFromView(d, view, parent: parent)
            return
        }
        let table = try writableTable(d.table)
        try checkOrderByHasLimit(d.orderBy, d.limit, "DELETE")
        let counts = currentTrigger == nil
        if counts { b.program.countsChanges = true }
        // The truncate optimization (delete.c): no WHERE and no DELETE trigger (other triggers do not fire).
        let deleteTriggers = hasTriggers(table) && triggers(of: table).contains {
            if case .delete = $0.definition.event { return true }
            return false
        }
        if d.whereClause == nil && d.limit == nil && !deleteTriggers {
            writes = true
            b.emit(.Clear, Int32(bitPattern: table.rootPage), Int32(table.database), 0, .none, changeFlag(counts))
            for index in table.indexes where !(table.withoutRowid && index.origin == .primaryKey) {
                b.emit(.Clear, Int32(bitPattern: index.rootPage), Int32(table.database))
            }
            return
        }
        let delete = { (w: TableWriter, rowid: Int32, next: Int32) throws(DBError) in
            try self.deleteRow(w, rowid: rowid, next: next, counts: counts, parent: parent)
        }
        if !d.orderBy.isEmpty || d.limit != nil || hasTriggers(table) || table.withoutRowid {
            let (keys, keyIsRowid) = try collectRows(table, alias: d.alias?.name, hint: d.indexHint, d.whereClause,
                                                     d.orderBy, d.limit, parent: parent)
            let w = openForWrite(table)
            try secondPass(keys: keys, keyIsRowid: keyIsRowid, w) { (rowid, next) throws(DBError) in
                try delete(w, rowid, next)
            }
            return
        }
        // delete.c: several rows may go while the loop scans them unless a correlated subquery in the WHERE
        // clause reads the table (it would see rows already deleted).
        let complex = d.whereClause.map { hasCorrelatedSubquery($0) } ?? false
        try onePassLoop(table, alias: d.alias?.name, hint: d.indexHint, d.whereClause, multiRow: !complex,
                        duplicatesOK: true, parent: parent, scanForbidden: { _ in false }, body: delete)
    }

    /// Emits the deletion of the row `w.cursor` is on (its rowid in `rowid`), with its index entries and
    /// triggers. `next` skips to the next row.
    private func deleteRow(_ w: TableWriter, rowid: Int32, next: Int32, counts: Bool, parent: Scope?) throws(DBError) {
        let table = w.table
        let (old, _) = try readCurrentRow(w, rowid: rowid)
        if try fireTriggers(table, timing: .before, event: .delete, new: nil, old: (old, rowid), ignore: next) {
            // A BEFORE trigger may have moved the cursor or removed the row.
            seekRowAgain(w, old: old, rowid: rowid, missing: next)
        }
        try deleteIndexEntries(w, rowid: rowid, base: old, parent: parent, only: nil)
        b.emit(.Delete, w.cursor, 0, 0, .none, changeFlag(counts))
        try fireTriggers(table, timing: .after, event: .delete, new: nil, old: (old, rowid), ignore: next)
    }

    /// Reads every column of the row `w.cursor` is on into new registers (the rowid alias from `rowid`);
    /// returns their base and the term that reads the row.
    private func readCurrentRow(_ w: TableWriter, rowid: Int32) throws(DBError) -> (Int32, FromTerm) {
        let table = w.table
        let base = b.allocateRegisters(table.columns.count)
        let current = FromTerm(table: table, alias: nil, cursor: w.cursor)
        for i in table.columns.indices {
            if table.rowidAlias == i { b.emit(.SCopy, rowid, base + Int32(i)) } else {
                try readTableColumn(current, i, base + Int32(i))
            }
        }
        return (base, current)
    }

    /// Puts `w.cursor` back on the row whose old columns are at `old` (its rowid in `rowid`) after a BEFORE
    /// trigger ran; jumps to `missing` when the trigger deleted it.
    private func seekRowAgain(_ w: TableWriter, old: Int32, rowid: Int32, missing: Int32) {
        let table = w.table
        if table.withoutRowid {
            let k = table.primaryKey.count
            let key = b.allocateRegisters(k)
            for (i, c) in table.primaryKey.enumerated() { b.emit(.SCopy, old + Int32(c), key + Int32(i)) }
            b.emit(.NotFound, w.cursor, missing, key, .int64(Int64(k)))
        } else {
            b.emit(.NotExists, w.cursor, missing, rowid)
        }
    }

    /// The one-pass strategy of update.c and delete.c for a rowid table: the WHERE loop scans through the
    /// cursors the statement writes with, and each row is changed as the loop reaches it when where.c
    /// allows (at most one row, or `multiRow` and not an index scan `scanForbidden` names). Otherwise the
    /// loop only collects rowids into an ephemeral table and a second pass changes them.
    private func onePassLoop(_ table: Table, alias: String?, hint: IndexHint?, _ whereClause: Expr?, multiRow: Bool,
                             duplicatesOK: Bool, parent: Scope?, scanForbidden: (Int) -> Bool,
                             body: (TableWriter, Int32, Int32) throws(DBError) -> Void) throws(DBError) {
        if let w = whereClause, containsAggregate(w) { throw misuseOfAggregate(in: w) }
        let keys = b.allocateCursor()
        let openKeys = b.emit(.OpenEphemeral, keys, 1)
        let w = openForWrite(table)
        let term = FromTerm(table: table, alias: alias, cursor: w.cursor)
        term.indexHint = hint
        term.writer = w
        let scope = Scope(terms: [term], parent: parent)
        recordColumnUsage(whereClause.map { [$0] } ?? [], scope)
        var request = WhereRequest()
        request.flags = [.onePassDesired]
        if multiRow { request.flags.insert(.onePassMultiRow) }
        if duplicatesOK { request.flags.insert(.duplicatesOK) }
        let loop = try whereBegin(scope, whereClause: whereClause, request: request)
        var onePass = loop.info?.onePass ?? .off
        if let level = loop.info?.levels.first {
            // Rows reached by several index scans of an OR stay two-pass here.
            if level.flags.contains(.multiOr) { onePass = .off }
            if onePass == .multi, let scanned = level.index?.index,
               let i = table.indexes.firstIndex(where: { $0 === scanned }), scanForbidden(i) {
                onePass = .off
            }
        }
        let rowid = b.allocateRegisters()
        if let ci = term.coveringCursor { b.emit(.IdxRowid, ci, rowid) } else { b.emit(.Rowid, w.cursor, rowid) }
        if onePass != .off {
            b.setOpcodeToNoop(openKeys)
            try body(w, rowid, loop.continueLabel)
            try whereEnd(loop)
            return
        }
        let record = b.allocateRegisters()
        b.emit(.MakeRecord, rowid, 1, record)
        b.emit(.Insert, keys, record, rowid)
        try whereEnd(loop)
        try secondPass(keys: keys, keyIsRowid: true, w) { (rowid, next) throws(DBError) in try body(w, rowid, next) }
    }

    /// The second pass of a two-pass UPDATE or DELETE: `body` runs for each collected key whose row is
    /// still there, with the writer's cursor on it.
    private func secondPass(keys: Int32, keyIsRowid: Bool, _ w: TableWriter,
                            body: (Int32, Int32) throws(DBError) -> Void) throws(DBError) {
        let done = b.makeLabel()
        b.emit(.Rewind, keys, done)
        let top = b.count
        let next = b.makeLabel()
        let rowid = b.allocateRegisters()
        try positionOnKey(w, keys: keys, keyIsRowid: keyIsRowid, oldRowid: rowid, missing: next)
        try body(rowid, next)
        b.resolve(next)
        b.emit(.Next, keys, top)
        b.resolve(done)
    }

    /// NC_VarSelect: a subquery of `e` names a column of an enclosing query.
    private func hasCorrelatedSubquery(_ e: Expr) -> Bool {
        var found = false
        visitExpressions(e) { x in
            var sub: Select?
            switch x.kind {
            case .exists(let s), .subquery(let s): sub = s
            case .in(let i): if case .select(let s) = i.target { sub = s }
            default: break
            }
            if let s = sub {
                var refs: [ColumnReference] = []
                collectOuterReferences(s, inner: [], &refs)
                if !refs.isEmpty { found = true }
            }
            return !found
        }
        return found
    }

    /// The table an INSERT, UPDATE or DELETE writes: not a view, and not a schema table unless PRAGMA
    /// writable_schema is on (only the schema table is TF_Readonly: build.c; delete.c, tabIsReadOnly).
    func writableTable(_ name: QualifiedName) throws(DBError) -> Table {
        let table = try lookupTable(name)
        if table.isView { throw DBError(.error, "cannot modify \(table.name) because it is a view") }
        if table.rootPage == 1 && !connection.writableSchema {
            throw DBError(.error, "table \(table.database == 1 ? "sqlite_temp_master" : "sqlite_master") may not be modified")
        }
        return table
    }

    /// First pass: the keys (rowids, or primary-key records) of the rows WHERE selects, in an ephemeral table.
    private func collectRows(_ table: Table, alias: String?, hint: IndexHint?, _ whereClause: Expr?,
                             _ orderBy: [OrderingTerm], _ limit: Limit?, parent: Scope?) throws(DBError) -> (Int32, Bool) {
        let keys = b.allocateCursor()
        if table.withoutRowid, let pk = table.primaryKeyIndex {
            // An index of the keys, so the second pass visits the rows in PRIMARY KEY order, as update.c and
            // delete.c do (the order decides which rows an OR FAIL statement changed before it stopped).
            let width = table.primaryKey.count
            b.emit(.OpenEphemeral, keys, Int32(width), 0, .keyInfo(KeyInfo(
                collations: Array(pk.keyInfo.collations.prefix(width)),
                descending: Array(pk.keyInfo.descending.prefix(width)))))
        } else {
            b.emit(.OpenEphemeral, keys, 1)
        }
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
        if !sortKeys.isEmpty { sorter = openSorter(sortKeys, width: keyWidth, limits: limits) }
        recordColumnUsage(keyExprs + (whereClause.map { [$0] } ?? []) + sortKeys.map(\.expr), scope)
        // update.c and delete.c ask for a one-pass loop even when they cannot use it (triggers): the plan,
        // and EXPLAIN QUERY PLAN, are those of a one-pass statement.
        var request = WhereRequest()
        if orderBy.isEmpty && limit == nil { request.flags = [.onePassDesired] }
        let loop = try whereBegin(scope, whereClause: whereClause, request: request)
        let base = b.allocateRegisters(keyWidth)
        for (i, e) in keyExprs.enumerated() { try expr(e, scope, base + Int32(i)) }
        let dest = Destination.callback { (regs: Int32) throws(DBError) in
            let rec = self.b.allocateRegisters()
            self.b.emit(.MakeRecord, regs, Int32(keyWidth), rec)
            if table.withoutRowid {
                self.b.emit(.IdxInsert, keys, rec, regs, .int64(Int64(keyWidth)))
            } else {
                self.b.emit(.Insert, keys, rec, regs)
            }
        }
        if let s = sorter {
            try sorterInsert(s, sortKeys, base: base, scope: scope)
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
                               missing: Int32, rowidIsRecordKey: Bool = false) throws(DBError) {
        if rowidIsRecordKey {
            // The keys are a table keyed by the rowid itself (UPDATE … FROM's).
            b.emit(.Rowid, keys, oldRowid)
            b.emit(.NotExists, w.cursor, missing, oldRowid)
        } else if keyIsRowid {
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
