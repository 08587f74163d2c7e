// Compiler+Write: what INSERT and UPDATE share — opening a table and its
// indexes for writing, checking a new row's constraints, and writing the row
// and its index entries (insert.c's sqlite3GenerateConstraintChecks and
// sqlite3CompleteInsertion; https://sqlite.org/lang_conflict.html).
//
// A new row lives in registers: `rowid` and then one register per column in
// table order. Constraint checks run in SQLite's order — NOT NULL, CHECK,
// the rowid (INTEGER PRIMARY KEY), then each UNIQUE index — and each failure
// takes the statement's OR action if it has one, else the constraint's own:
// ABORT/FAIL/ROLLBACK halt with sqlite3's message, IGNORE skips the row,
// REPLACE deletes the row in the way (or, for NOT NULL, uses the default).

import Base
import Storage
import SQL

/// A table open for writing: its cursor and one cursor per index (nil for a WITHOUT ROWID key).
struct TableWriter {
    let table: Table
    let cursor: Int32
    let indexCursors: [Int32?]

    /// The cursor this writer changes `index` through (nil for a WITHOUT ROWID table's primary key).
    func indexCursor(of index: Index) -> Int32? {
        guard let i = table.indexes.firstIndex(where: { $0 === index }) else { return nil }
        return indexCursors[i]
    }
}

extension Compiler {
    func openForWrite(_ table: Table) -> TableWriter {
        writes = true
        let cursor = b.allocateCursor()
        if table.withoutRowid, let pk = table.primaryKeyIndex {
            b.emit(.OpenWrite, cursor, Int32(bitPattern: table.rootPage), Int32(table.database), .keyInfo(pk.keyInfo))
        } else {
            b.emit(.OpenWrite, cursor, Int32(bitPattern: table.rootPage), Int32(table.database))
        }
        var indexCursors: [Int32?] = []
        for index in table.indexes {
            if table.withoutRowid && index.origin == .primaryKey {
                indexCursors.append(nil)
                continue
            }
            let c = b.allocateCursor()
            b.emit(.OpenWrite, c, Int32(bitPattern: index.rootPage), Int32(table.database), .keyInfo(index.keyInfo))
            indexCursors.append(c)
        }
        return TableWriter(table: table, cursor: cursor, indexCursors: indexCursors)
    }

    /// A scope in which the table's columns read the new row's registers.
    func rowScope(_ table: Table, base: Int32, rowid: Int32, parent: Scope?) -> (Scope, FromTerm) {
        let term = FromTerm(table: table, alias: nil, cursor: -1)
        let scope = Scope(terms: [term], parent: parent)
        scope.redirects[ObjectIdentifier(term)] = .registers(base: base, rowid: rowid)
        return (scope, term)
    }

    /// "t.a, t.b" for a constraint message.
    func constraintColumns(_ table: Table, _ index: Index) -> String {
        // sqlite3UniqueConstraint: an index with an expression column is named by the index.
        if index.columns.contains(where: { if case .expression = $0.source { return true } else { return false } }) {
            return "index '\(index.name)'"
        }
        return index.columns.map { c -> String in
            switch c.source {
            case .column(let i): return "\(table.name).\(table.columns[i].name)"
            case .rowid, .expression: return "\(table.name).rowid"
            }
        }.joined(separator: ", ")
    }

    /// Emits the constraint checks for the row in (rowid, base…). `oldRowid` is set for UPDATE (a row may
    /// conflict with itself). `skipRow` is where IGNORE goes.
    /// An UPDATE passes its `changes`: as sqlite3GenerateConstraintChecks does, only the NOT NULL columns
    /// it assigns, the CHECK constraints that read a changed column, the rowid when it changes, and the
    /// UNIQUE indexes it rewrites are checked.
    /// `oldRow`: an UPDATE of a WITHOUT ROWID table, whose old row (its columns in registers oldRow…) is still
    /// in the table: an entry holding that row's PRIMARY KEY is the row itself, never a conflict.
    /// `rowidIsNew`: the rowid came from NewRowid with nothing run since that could take it (no rowid check).
    /// `upsert`: an INSERT's ON CONFLICT clauses, which decide the uniqueness checks they name (Compiler+Upsert).
    func constraintChecks(_ w: TableWriter, rowid: Int32, base: Int32, oldRowid: Int32?, override: ConflictAction?,
                          skipRow: Int32, parent: Scope?, changes: UpdateChanges? = nil,
                          oldRow: Int32? = nil, rowidIsNew: Bool = false, upsert: UpsertPlan? = nil) throws(DBError) {
        let t = w.table
        // NOT NULL.
        for (i, col) in t.columns.enumerated() where col.notNull && t.rowidAlias != i
            && changes.map({ $0.columns.contains(i) }) ?? true {
            let action = override ?? col.notNullConflict
            let reg = base + Int32(i)
            let message = "NOT NULL constraint failed: \(t.name).\(col.name)"
            switch action {
            case .ignore:
                b.emit(.IsNull, reg, skipRow)
            case .replace:
                if let d = col.defaultValue {
                    let ok = b.makeLabel()
                    b.emit(.NotNull, reg, ok)
                    try expr(d, Scope(terms: [], parent: nil), reg)
                    b.resolve(ok)
                }
                b.emit(.HaltIfNull, ResultCode.constraintNotNull.rawValue, Int32(ConflictAction.abort.rawValue), reg,
                       .string(message))
            default:
                b.emit(.HaltIfNull, ResultCode.constraintNotNull.rawValue, Int32(action.rawValue), reg, .string(message))
            }
        }
        // CHECK (none under PRAGMA ignore_check_constraints).
        if !t.checks.isEmpty && !connection.ignoreCheckConstraints {
            let (scope, _) = rowScope(t, base: base, rowid: rowid, parent: parent)
            for (name, check) in t.checks where changes.map({ readsChangedColumn(check, t, $0) }) ?? true {
                let ok = b.makeLabel()
                try jumpIfTrue(check, scope, ok, jumpIfNull: true)
                let action = override ?? .abort
                if action == .ignore {
                    b.emit(.Goto, 0, skipRow)
                } else {
                    let label = name ?? checkText(t, check.range)
                    b.emit(.Halt, ResultCode.constraintCheck.rawValue,
                           Int32((action == .replace ? ConflictAction.abort : action).rawValue), 0,
                           .string("CHECK constraint failed: \(label)"))
                }
                b.resolve(ok)
            }
        }
        // STRICT column types, where insert.c applies the table's affinity: after NOT NULL and CHECK,
        // before the rowid and UNIQUE checks.
        if t.strict { strictTypeCheck(t, base: base) }
        // Uniqueness: the rowid (INTEGER PRIMARY KEY), then the UNIQUE indexes in sqlite3's pIndex order —
        // the latest created first (each is prepended as the schema is parsed), those whose own conflict
        // clause is REPLACE last (sqlite3CreateIndex) — and a rowid REPLACE after them when the other
        // constraints may act otherwise (insert.c's ipkTop); an upsert's targets first.
        let checksRowid = !t.withoutRowid && !rowidIsNew && changes?.rowid ?? true
        let newestFirst = Array(t.indexes.indices.reversed())
        let indexOrder = newestFirst.filter { t.indexes[$0].onConflict != .replace }
            + newestFirst.filter { t.indexes[$0].onConflict == .replace }
        var checks: [UniquenessCheck]
        if let upsert {
            checks = upsert.checkOrder(indexes: indexOrder)
        } else if override == nil && t.primaryKeyConflict == .replace && !t.indexes.isEmpty {
            checks = indexOrder.map { .index($0) } + [.rowid]
        } else {
            checks = [.rowid] + indexOrder.map { .index($0) }
        }
        for check in checks {
            let decided = upsert?.clause(deciding: check)
            let doUpdate: UpsertPlan.Clause?
            if let decided, case .update = decided.action { doUpdate = decided } else { doUpdate = nil }
            let upsertAction: ConflictAction? = decided.map { _ in .ignore }
            switch check {
            case .rowid:
                guard checksRowid else { continue }
                let ok = b.makeLabel()
                if let old = oldRowid { b.emit(.Eq, old, ok, rowid, .none, UInt16(Affinity.integer.rawValue)) }
                let action = upsertAction ?? override ?? t.primaryKeyConflict
                b.emit(.NotExists, w.cursor, ok, rowid)
                if let doUpdate, let upsert {
                    try upsertUpdate(w, upsert, doUpdate, newRow: (base, rowid), conflictRowid: rowid, seek: false,
                                     index: nil, indexCursor: nil, skipRow: skipRow)
                } else {
                    let colName = t.rowidAlias.map { t.columns[$0].name } ?? "rowid"
                    try onConflict(w, action, code: t.rowidAlias == nil ? .constraintRowID : .constraintPrimaryKey,
                                   message: "UNIQUE constraint failed: \(t.name).\(colName)", conflictRowid: rowid,
                                   skipRow: skipRow, parent: parent, sameRowid: true)
                }
                b.resolve(ok)
            case .index(let i):
                try uniqueIndexCheck(w, i, rowid: rowid, base: base, oldRowid: oldRowid, oldRow: oldRow,
                                     action: upsertAction ?? override ?? t.indexes[i].onConflict,
                                     upsert: doUpdate.map { (upsert!, $0) }, skipRow: skipRow, parent: parent,
                                     changes: changes)
            }
        }
    }

    /// The check of UNIQUE index `i` (none when it is not unique, or an UPDATE does not rewrite it): a conflict
    /// takes `action`, or the upsert's DO UPDATE.
    private func uniqueIndexCheck(_ w: TableWriter, _ i: Int, rowid: Int32, base: Int32, oldRowid: Int32?,
                                  oldRow: Int32?, action: ConflictAction, upsert: (UpsertPlan, UpsertPlan.Clause)?,
                                  skipRow: Int32, parent: Scope?, changes: UpdateChanges?) throws(DBError) {
        let t = w.table
        let index = t.indexes[i]
        guard index.unique, changes.map({ $0.indexes.contains(i) }) ?? true else { return }
        let keyCount = index.columns.count
        let keyBase = b.allocateRegisters(index.recordColumns.count)
        try indexKey(index, keyBase, rowid: rowid, base: base, parent: parent)
        let ok = b.makeLabel()
        if let partial = index.whereClause {
            let (scope, _) = rowScope(t, base: base, rowid: rowid, parent: parent)
            try jumpIfFalse(partial, scope, ok, jumpIfNull: true)
        }
        let code: ResultCode = index.origin == .primaryKey ? .constraintPrimaryKey : .constraintUnique
        let message = "UNIQUE constraint failed: \(constraintColumns(t, index))"
        if let ic = w.indexCursors[i], t.withoutRowid {
            b.emit(.NoConflict, ic, ok, keyBase, .int64(Int64(keyCount)))
            if let oldRow {
                // The entry's PRIMARY KEY fields follow its key columns.
                let fields = index.recordColumns.enumerated().dropFirst(keyCount).compactMap { k, c -> (Int32, Int)? in
                    if case .column(let col) = c.source { return (Int32(k), col) }
                    return nil
                }
                jumpIfSameRow(ic, fields: fields, oldRow: oldRow, collations: fields.map { t.columns[$0.1].collation },
                              to: ok)
            }
            if let (plan, clause) = upsert {
                try upsertUpdate(w, plan, clause, newRow: (base, rowid), conflictRowid: nil, seek: true, index: index,
                                 indexCursor: ic, skipRow: skipRow)
            } else if action == .replace {
                try replaceWithoutRowidConflict(w, index, ic, parent: parent)
            } else {
                try onConflict(w, action, code: code, message: message, conflictRowid: nil, skipRow: skipRow,
                               parent: parent)
            }
        } else if let ic = w.indexCursors[i] {
            b.emit(.NoConflict, ic, ok, keyBase, .int64(Int64(keyCount)))
            let conflictRowid = b.allocateRegisters()
            b.emit(.IdxRowid, ic, conflictRowid)
            if let old = oldRowid { b.emit(.Eq, old, ok, conflictRowid, .none, UInt16(Affinity.integer.rawValue)) }
            if let (plan, clause) = upsert {
                try upsertUpdate(w, plan, clause, newRow: (base, rowid), conflictRowid: conflictRowid, seek: true,
                                 index: index, indexCursor: ic, skipRow: skipRow)
            } else {
                try onConflict(w, action, code: code, message: message, conflictRowid: conflictRowid, skipRow: skipRow,
                               parent: parent, conflictEntry: (i, ic))
            }
        } else {
            // The primary key of a WITHOUT ROWID table: a conflict is an existing row with this key.
            b.emit(.NoConflict, w.cursor, ok, keyBase, .int64(Int64(keyCount)))
            if let oldRow {
                // The row being updated, its key unchanged.
                let fields = index.columns.enumerated().compactMap { k, c -> (Int32, Int)? in
                    if case .column(let col) = c.source { return (Int32(k), col) }
                    return nil
                }
                jumpIfSameRow(w.cursor, fields: fields, oldRow: oldRow, collations: index.columns.map(\.collation),
                              to: ok)
            }
            if let (plan, clause) = upsert {
                try upsertUpdate(w, plan, clause, newRow: (base, rowid), conflictRowid: nil, seek: false, index: nil,
                                 indexCursor: nil, skipRow: skipRow)
            } else if action == .replace {
                try replaceWithoutRowidConflict(w, index, nil, parent: parent)
                b.emit(.Goto, 0, ok)
            } else {
                try onConflict(w, action, code: code, message: message, conflictRowid: nil, skipRow: skipRow,
                               parent: parent)
            }
        }
        b.resolve(ok)
    }

    /// Jumps to `label` when the entry `cursor` is on holds, in each (field, column) of `fields`, the old row's
    /// value of that column (the UPDATE's own row).
    private func jumpIfSameRow(_ cursor: Int32, fields: [(Int32, Int)], oldRow: Int32, collations: [Collation],
                               to label: Int32) {
        let differs = b.makeLabel()
        let existing = b.allocateRegisters()
        for (n, (field, column)) in fields.enumerated() {
            b.emit(.Column, cursor, field, existing)
            b.emit(.Ne, oldRow + Int32(column), differs, existing,
                   .collation(n < collations.count ? collations[n] : .binary), ComparisonFlags.nullEq)
        }
        b.emit(.Goto, 0, label)
        b.resolve(differs)
    }

    /// sqlite3ExprReferencesUpdatedColumn: does the CHECK expression `e` of `t` read a column (or the
    /// rowid) the UPDATE changes?
    private func readsChangedColumn(_ e: Expr, _ t: Table, _ changes: UpdateChanges) -> Bool {
        var reads = false
        visitExpressions(e) { x in
            if case .column(let ref) = x.kind {
                if let c = t.columnIndex(ref.column.name) {
                    if changes.columns.contains(c) { reads = true }
                } else if isRowidName(ref.column.name) && changes.rowid {
                    reads = true
                }
            }
            return !reads
        }
        return reads
    }

    /// What a conflict does: halt, skip the row, or delete the conflicting row (REPLACE).
    /// `sameRowid`: the conflicting row has the new row's rowid, so REPLACE removes only its index entries
    /// and the Insert that follows overwrites the row itself (insert.c's REPLACE on the rowid without
    /// recursive triggers; with no index it emits nothing). The message is built only for a Halt.
    /// `conflictEntry`: the index and the cursor standing on the entry that conflicts, which REPLACE deletes
    /// where it stands.
    private func onConflict(_ w: TableWriter, _ action: ConflictAction, code: ResultCode,
                            message: @autoclosure () -> String, conflictRowid: Int32?, skipRow: Int32,
                            parent: Scope?, sameRowid: Bool = false,
                            conflictEntry: (index: Int, cursor: Int32)? = nil) throws(DBError) {
        switch action {
        case .ignore:
            b.emit(.Goto, 0, skipRow)
        case .replace:
            guard let r = conflictRowid else { return }
            if sameRowid && !w.indexCursors.contains(where: { $0 != nil }) { return }
            try deleteRowAndIndexes(w, rowid: r, parent: parent, countChange: false, keepRow: sameRowid,
                                    positionedEntry: sameRowid ? nil : conflictEntry)
        default:
            b.emit(.Halt, code.rawValue, Int32(action.rawValue), 0, .string(message()))
        }
    }

    /// The source text of a CHECK expression: its range is within the table's CREATE TABLE text.
    /// As build.c's sqlite3AddCheckConstraint names it, through sqlite3Dequote: a text that starts with a quote
    /// is cut at its closing quote (`"c d" > 0` is named `c d`).
    private func checkText(_ t: Table, _ range: SourceRange) -> String {
        let sql = Array(t.sql.utf8)
        let text = sql[range.bounds.clamped(to: 0..<sql.count)]
        guard let open = text.first, open == 0x22 || open == 0x27 || open == 0x60 || open == 0x5B else {
            return String(decoding: text, as: UTF8.self)
        }
        let close = open == 0x5B ? UInt8(0x5D) : open
        var out: [UInt8] = []
        var i = text.startIndex + 1
        while i < text.endIndex {
            if text[i] == close {
                guard i + 1 < text.endIndex, text[i + 1] == close else { break }
                i += 1
            }
            out.append(text[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The P5 change-count flag of a row write: changes() and total_changes() for the statement itself,
    /// total_changes() only inside a trigger body, none when `counts` is false outside one.
    func changeFlag(_ counts: Bool) -> UInt16 {
        if currentTrigger != nil { return InsertFlags.countTotal }
        return counts ? InsertFlags.countChange : 0
    }

    /// REPLACE on a WITHOUT ROWID table: deletes the conflicting row and its index entries. On a UNIQUE index,
    /// the entry where `ic` stands names the row by the primary-key fields stored after the key; on the
    /// primary key (`ic` nil) the table cursor already stands on the row.
    private func replaceWithoutRowidConflict(_ w: TableWriter, _ index: Index, _ ic: Int32?,
                                             parent: Scope?) throws(DBError) {
        let t = w.table
        let gone = b.makeLabel()
        if let ic { try seekRowOfIndexEntry(w, index, ic, missing: gone) }
        let old = b.allocateRegisters(t.columns.count)
        let term = FromTerm(table: t, alias: nil, cursor: w.cursor)
        for i in t.columns.indices { try readTableColumn(term, i, old + Int32(i)) }
        try deleteIndexEntries(w, rowid: b.allocateRegisters(), base: old, parent: parent, only: nil)
        b.emit(.Delete, w.cursor)
        b.resolve(gone)
    }

    /// Moves the table cursor of a WITHOUT ROWID table to the row the entry under `ic` names by the primary-key
    /// fields stored after its key; jumps to `missing` when there is none (nil: that is a corrupt database).
    func seekRowOfIndexEntry(_ w: TableWriter, _ index: Index, _ ic: Int32, missing: Int32? = nil) throws(DBError) {
        let t = w.table
        let record = index.recordColumns
        let pk = b.allocateRegisters(t.primaryKey.count)
        for (k, col) in t.primaryKey.enumerated() {
            guard let pos = record.firstIndex(where: { if case .column(let c) = $0.source { return c == col } else { return false } })
            else { throw DBError(.internal, "index \(index.name) lacks primary-key column \(col)") }
            b.emit(.Column, ic, Int32(pos), pk + Int32(k))
        }
        if let missing {
            b.emit(.NotFound, w.cursor, missing, pk, .int64(Int64(t.primaryKey.count)))
        } else {
            let found = b.makeLabel()
            b.emit(.Found, w.cursor, found, pk, .int64(Int64(t.primaryKey.count)))
            haltCorrupt()
            b.resolve(found)
        }
    }

    /// A row an index entry names is missing (upsert.c's "corrupt database" halt).
    func haltCorrupt() {
        b.emit(.Halt, ResultCode.corrupt.rawValue, Int32(ConflictAction.abort.rawValue), 0, .string("corrupt database"))
    }

    /// Deletes the row `rowid` (moving the table cursor to it) with its index entries.
    /// `positionedEntry`: an index whose cursor already stands on the row's entry (a REPLACE conflict's
    /// NoConflict): that entry is deleted where it stands, after the row, with no seek (as
    /// sqlite3GenerateConstraintChecks deletes it through the index cursor).
    func deleteRowAndIndexes(_ w: TableWriter, rowid: Int32, parent: Scope?, countChange: Bool,
                             keepRow: Bool = false, positionedEntry: (index: Int, cursor: Int32)? = nil) throws(DBError) {
        let t = w.table
        let gone = b.makeLabel()
        b.emit(.NotExists, w.cursor, gone, rowid)
        let n = t.columns.count
        let old = b.allocateRegisters(n)
        let term = FromTerm(table: t, alias: nil, cursor: w.cursor)
        for i in 0..<n where t.rowidAlias != i { try readTableColumn(term, i, old + Int32(i)) }
        if let a = t.rowidAlias { b.emit(.SCopy, rowid, old + Int32(a)) }
        try deleteIndexEntries(w, rowid: rowid, base: old, parent: parent, only: nil, skipping: positionedEntry?.index)
        if !keepRow { b.emit(.Delete, w.cursor, 0, 0, .none, countChange ? InsertFlags.countChange : 0) }
        if let positionedEntry { b.emit(.Delete, positionedEntry.cursor) }
        b.resolve(gone)
    }

    /// Computes the record fields of `index` for the row (rowid, base…) into keyBase….
    func indexKey(_ index: Index, _ keyBase: Int32, rowid: Int32, base: Int32, parent: Scope?) throws(DBError) {
        let t = index.table
        var scope: Scope?
        for (k, c) in index.recordColumns.enumerated() {
            let target = keyBase + Int32(k)
            switch c.source {
            case .column(let i):
                if t.rowidAlias == i { b.emit(.SCopy, rowid, target) } else { b.emit(.SCopy, base + Int32(i), target) }
            case .rowid:
                b.emit(.SCopy, rowid, target)
            case .expression(let e):
                if scope == nil { scope = rowScope(t, base: base, rowid: rowid, parent: nil).0 }
                try expr(e, scope!, target)
            }
        }
    }

    /// Removes the index entries of the row (rowid, base…); `only` limits it to some indexes, `skipping`
    /// leaves one out.
    func deleteIndexEntries(_ w: TableWriter, rowid: Int32, base: Int32, parent: Scope?, only: OrdinalSet?,
                            skipping: Int? = nil) throws(DBError) {
        for (i, index) in w.table.indexes.enumerated() where i != skipping {
            guard let ic = w.indexCursors[i], only?.contains(i) ?? true else { continue }
            let n = index.recordColumns.count
            let keyBase = b.allocateRegisters(n)
            try indexKey(index, keyBase, rowid: rowid, base: base, parent: parent)
            let skip = b.makeLabel()
            if let partial = index.whereClause {
                let (scope, _) = rowScope(w.table, base: base, rowid: rowid, parent: nil)
                try jumpIfFalse(partial, scope, skip, jumpIfNull: true)
            }
            b.emit(.IdxDelete, ic, keyBase, Int32(n))
            b.resolve(skip)
        }
    }

    /// Writes the index entries and the row itself. `useSeekResult` (INSERT, as sqlite3CompleteInsertion's):
    /// each IdxInsert may go where its index's NoConflict seek stopped (the VM checks the cursor stayed).
    func completeInsertion(_ w: TableWriter, rowid: Int32, base: Int32, parent: Scope?, only: OrdinalSet?,
                           flags: UInt16, useSeekResult: Bool = false) throws(DBError) {
        let t = w.table
        let seekFlag = useSeekResult ? InsertFlags.useSeekResult : 0
        for (i, index) in t.indexes.enumerated() {
            guard let ic = w.indexCursors[i], only?.contains(i) ?? true else { continue }
            let n = index.recordColumns.count
            let keyBase = b.allocateRegisters(n)
            try indexKey(index, keyBase, rowid: rowid, base: base, parent: parent)
            let skip = b.makeLabel()
            if let partial = index.whereClause {
                let (scope, _) = rowScope(t, base: base, rowid: rowid, parent: nil)
                try jumpIfFalse(partial, scope, skip, jumpIfNull: true)
            }
            let rec = b.allocateRegisters()
            b.emit(.MakeRecord, keyBase, Int32(n), rec)
            b.emit(.IdxInsert, ic, rec, keyBase, .int64(Int64(n)), seekFlag)
            b.resolve(skip)
        }
        // The record holds the stored columns in record order (Table+Storage): a WITHOUT ROWID table's key
        // first, never a VIRTUAL column, an INTEGER PRIMARY KEY as NULL.
        let rec = b.allocateRegisters()
        let columns = t.storedColumns
        let n = columns.count
        let stored: Int32
        if columns.elementsEqual(0..<t.columns.count) {
            // Every column stored, in table order: the record is made from the row's registers themselves,
            // the INTEGER PRIMARY KEY's set to NULL for it and back to the rowid after (AFTER triggers read it).
            stored = base
            if let a = t.rowidAlias { b.emit(.Null, 0, base + Int32(a)) }
            b.emit(.MakeRecord, stored, Int32(n), rec)
            if let a = t.rowidAlias { b.emit(.SCopy, rowid, base + Int32(a)) }
        } else {
            stored = b.allocateRegisters(n)
            for (k, c) in columns.enumerated() {
                if t.rowidAlias == c { b.emit(.Null, 0, stored + Int32(k)) } else { b.emit(.SCopy, base + Int32(c), stored + Int32(k)) }
            }
            b.emit(.MakeRecord, stored, Int32(n), rec)
        }
        if t.withoutRowid {
            b.emit(.IdxInsert, w.cursor, rec, stored, .int64(Int64(n)), flags | seekFlag)
        } else {
            b.emit(.Insert, w.cursor, rec, rowid, .string(t.name), flags)
        }
    }

    /// Applies the columns' affinities to the row's registers (before checks, as SQLite does).
    /// TypeCheck over the row in base…: every column of a STRICT table but generated ones.
    func strictTypeCheck(_ t: Table, base: Int32) {
        let columns = t.columns.map { c in
            (name: c.name, affinity: c.affinity,
             type: c.generated == nil ? StrictColumnTypes.DeclaredType(rawValue: c.declaredType.uppercased()) : nil)
        }
        b.emit(.TypeCheck, base, Int32(columns.count), 0, .strictTable(StrictColumnTypes(table: t.name, columns: columns)))
    }

    func applyColumnAffinities(_ t: Table, base: Int32) {
        let affs = t.columns.map(\.affinity)
        if affs.contains(where: { $0 != .blob && $0 != .none }) {
            b.emit(.Affinity, base, Int32(affs.count), 0, .affinities(affs))
        }
    }
}
