// Compiler+Insert: INSERT and REPLACE (https://sqlite.org/lang_insert.html).
//
// Each new row is assembled in registers (rowid, then the columns in table
// order): listed columns from the source, the others from their DEFAULT or
// NULL. The rowid is the INTEGER PRIMARY KEY value when one is given (it must
// be an integer: "datatype mismatch"), else NewRowid picks one (max+1, or a
// random free one after 2^63-1; AUTOINCREMENT never reuses one and records
// the largest in sqlite_sequence). Then the column affinities apply, the
// generated columns are computed (Compiler+Generated), BEFORE triggers fire,
// constraints are checked, the row and its index entries are written, and
// AFTER triggers fire. The rows of INSERT … SELECT come from a co-routine; a
// SELECT that reads the table being written (or an INSERT with triggers) is
// run to completion into a temporary table first.

import Base
import Storage
import SQL

extension Compiler {
    func compileInsert(_ ins: Insert, parent: Scope? = nil) throws(DBError) {
        if ins.returning != nil { throw DBError(.error, "RETURNING is not supported yet") }
        if let with = ins.with {
            var ctes: [String: CommonTableExpression] = [:]
            for c in with.tables { ctes[foldName(c.name.name)] = c }
            cteScopes.append(CTEScope(tables: ctes, owner: nil))
        }
        defer { if ins.with != nil { cteScopes.removeLast() } }
        if let view = try findTable(ins.table.name.name, schema: ins.table.schema), view.isView {
            try compileInsertIntoView(ins, view, parent: parent)
            return
        }
        let table = try writableTable(ins.table)
        let override = ins.orConflict.map { SchemaBuilder.conflictAction($0) }
        // Which column each source value goes to.
        var targets: [Int] = []
        var rowidTarget: Int?
        if let cols = ins.columns {
            for (k, c) in cols.enumerated() {
                if let i = table.columnIndex(c.name) {
                    if table.columns[i].generated != nil {
                        throw DBError(.error, "cannot INSERT into generated column \"\(table.columns[i].name)\"")
                    }
                    targets.append(i)
                } else if isRowidName(c.name) && !table.withoutRowid {
                    targets.append(-1)
                    rowidTarget = k
                } else {
                    throw DBError(.error, "table \(table.name) has no column named \(c.name)")
                }
            }
        } else {
            // Without a column list the values go to the columns that are not generated.
            targets = table.columns.indices.filter { table.columns[$0].generated == nil }
        }
        let w = openForWrite(table)
        let autoincrement = try beginAutoincrement(table)
        let counts = currentTrigger == nil
        b.program.countsChanges = currentTrigger == nil ? true : b.program.countsChanges
        var singleRow = false
        switch ins.source {
        case .defaultValues:
            singleRow = true
            try insertRow(w, targets: [], values: { (_: Int32) throws(DBError) in }, valueCount: 0, override: override,
                          autoincrement: autoincrement, counts: counts, parent: parent, rowidTarget: nil,
                          upsert: try analyzeUpserts(ins, table, parent: parent))
        case .select(let s):
            if s.compounds.isEmpty, s.orderBy.isEmpty, s.limit == nil, case .values(let valueRows, _) = s.first {
                singleRow = valueRows.count == 1
                if valueRows.contains(where: { $0.count != valueRows[0].count }) {
                    throw DBError(.error, "all VALUES must have the same number of terms")
                }
                // sqlite3 codes several rows as a VALUES select (multiSelectValues), which says how many.
                if !singleRow { planLine("SCAN \(valueRows.count) CONSTANT ROWS") }
                // sqlite3Insert resolves the values' names before it counts them.
                let valueScope = Scope(terms: [], parent: parent)
                for row in valueRows { for e in row { try checkNamesResolve(e, valueScope, outward: true) } }
                for row in valueRows { try checkValueCount(table, row.count, ins.columns) }
                let upsert = try analyzeUpserts(ins, table, parent: parent)
                for row in valueRows {
                    try insertRow(w, targets: targets, values: { (base: Int32) throws(DBError) in
                        let scope = Scope(terms: [], parent: parent)
                        for (k, e) in row.enumerated() { try self.expr(e, scope, base + Int32(k)) }
                    }, valueCount: row.count, override: override, autoincrement: autoincrement, counts: counts,
                                  parent: parent, rowidTarget: rowidTarget, upsert: upsert)
                }
            } else {
                try insertFromSelect(s, w, targets: targets, override: override, autoincrement: autoincrement,
                                     counts: counts, parent: parent, rowidTarget: rowidTarget, columns: ins.columns,
                                     upsert: { () throws(DBError) in try self.analyzeUpserts(ins, table, parent: parent) })
            }
        }
        try endAutoincrement(table, autoincrement)
        if singleRow && currentTrigger == nil && parent == nil && triggers(of: table).isEmpty
            && !mayReplace(table, override: override) && !ins.upserts.contains(where: { $0.action != .nothing }) {
            b.checksPrecedeWrites = true
        }
    }

    /// Some constraint of `table` may resolve a conflict by REPLACE, which deletes rows before the checks
    /// after it have run (insert.c calls sqlite3MultiWrite there).
    private func mayReplace(_ table: Table, override: ConflictAction?) -> Bool {
        if let override { return override == .replace }
        return table.primaryKeyConflict == .replace || table.indexes.contains { $0.onConflict == .replace }
            || table.columns.contains { $0.notNull && $0.notNullConflict == .replace }
    }

    private func checkValueCount(_ table: Table, _ n: Int, _ columns: [Identifier]?) throws(DBError) {
        if let columns {
            if columns.count != n { throw DBError(.error, "\(n) values for \(columns.count) columns") }
        } else {
            let insertable = table.columns.filter { $0.generated == nil }.count
            if n != insertable {
                throw DBError(.error, "table \(table.name) has \(insertable) columns but \(n) values were supplied")
            }
        }
    }

    /// INSERT … SELECT (insert.c, templates 3 and 4): the SELECT is a co-routine that yields one row at a
    /// time. When nothing else can see the new rows, each yielded row is inserted at once; when the SELECT
    /// reads the table being written (an OpenRead of its b-tree or of one of its indexes anywhere in the
    /// program, as readsTable looks) or INSERT triggers may, the co-routine is first run to its end into a
    /// temporary table, so the SELECT never sees rows this statement inserts.
    private func insertFromSelect(_ s: Select, _ w: TableWriter, targets: [Int], override: ConflictAction?,
                                  autoincrement: Int32?, counts: Bool, parent: Scope?, rowidTarget: Int?,
                                  columns: [Identifier]?,
                                  upsert analyze: () throws(DBError) -> UpsertPlan?) throws(DBError) {
        let yieldReg = b.allocateRegisters()
        let initAddr = b.emit(.InitCoroutine, yieldReg, 0, b.count + 1)
        let row = CoroutineRow()
        let info = try compileSelect(s, parent: parent, destination: .coroutine(yield: yieldReg, row: row))
        b.emit(.EndCoroutine, yieldReg)
        b.setP2(initAddr, b.count)
        try checkValueCount(w.table, info.count, columns)
        let upsert = try analyze()
        let done = b.makeLabel()
        let next = b.makeLabel()
        let top: Int32
        if programReads(w.table) || triggers(of: w.table).contains(where: { $0.definition.event == .insert }) {
            let temp = b.allocateCursor()
            b.emit(.OpenEphemeral, temp, 0)
            let filled = b.makeLabel()
            let fill = b.emit(.Yield, yieldReg, filled)
            let rec = b.allocateRegisters(), rowid = b.allocateRegisters()
            b.emit(.MakeRecord, row.base, Int32(info.count), rec)
            b.emit(.NewRowid, temp, rowid)
            b.emit(.Insert, temp, rec, rowid)
            b.emit(.Goto, 0, fill)
            b.resolve(filled)
            b.emit(.Rewind, temp, done)
            top = b.count
            try insertRow(w, targets: targets, values: { (base: Int32) throws(DBError) in
                for k in 0..<info.count { self.b.emit(.Column, temp, Int32(k), base + Int32(k)) }
            },
                          valueCount: info.count, override: override, autoincrement: autoincrement, counts: counts,
                          parent: parent, rowidTarget: rowidTarget, upsert: upsert, skipTo: next)
            b.resolve(next)
            b.emit(.Next, temp, top)
        } else {
            top = b.emit(.Yield, yieldReg, done)
            try insertRow(w, targets: targets, values: { (base: Int32) throws(DBError) in
                if info.count > 0 { self.b.emit(.Copy, row.base, base, Int32(info.count - 1)) }
            }, valueCount: info.count, override: override, autoincrement: autoincrement, counts: counts,
                          parent: parent, rowidTarget: rowidTarget, upsert: upsert, skipTo: next)
            b.resolve(next)
            b.emit(.Goto, 0, top)
        }
        b.resolve(done)
    }

    /// True when the program so far opens `table`'s b-tree, or one of its indexes, for reading.
    private func programReads(_ table: Table) -> Bool {
        var roots: Set<Int32> = [Int32(bitPattern: table.rootPage)]
        for i in table.indexes { roots.insert(Int32(bitPattern: i.rootPage)) }
        return b.program.instructions.contains {
            $0.opcode == .OpenRead && roots.contains($0.p2) && $0.p3 == Int32(table.database)
        }
    }

    /// One row: values computed by `values` into consecutive registers, then mapped to columns.
    private func insertRow(_ w: TableWriter, targets: [Int], values: (Int32) throws(DBError) -> Void, valueCount: Int,
                           override: ConflictAction?, autoincrement: Int32?, counts: Bool, parent: Scope?,
                           rowidTarget: Int?, upsert: UpsertPlan?, skipTo: Int32? = nil) throws(DBError) {
        let t = w.table
        let n = t.columns.count
        let sourceBase = b.allocateRegisters(max(valueCount, 1))
        try values(sourceBase)
        let rowid = b.allocateRegisters()
        let base = b.allocateRegisters(n)
        let skipRow = b.makeLabel()
        // Column values: listed ones from the source, the rest from DEFAULT.
        for i in 0..<n {
            if let k = targets.firstIndex(of: i) {
                b.emit(.SCopy, sourceBase + Int32(k), base + Int32(i))
            } else if let d = t.columns[i].defaultValue {
                try expr(d, Scope(terms: [], parent: nil), base + Int32(i))
            } else {
                b.emit(.Null, 0, base + Int32(i))
            }
        }
        // The rowid. One NewRowid made cannot be in the table: insert.c checks the rowid only when the
        // INSERT gives an INTEGER PRIMARY KEY or rowid column (pkChng), unless a BEFORE trigger could
        // have added rows meanwhile (here NewRowid runs before the triggers).
        var rowidIsNew = false
        if !t.withoutRowid {
            var given: Int32?
            if let a = t.rowidAlias, targets.contains(a) { given = base + Int32(a) }
            if let k = rowidTarget { given = sourceBase + Int32(k) }
            if let g = given {
                let explicit = b.makeLabel(), haveRowid = b.makeLabel()
                b.emit(.NotNull, g, explicit)
                b.emit(.NewRowid, w.cursor, rowid, autoincrement ?? 0)
                b.emit(.Goto, 0, haveRowid)
                b.resolve(explicit)
                b.emit(.SCopy, g, rowid)
                b.emit(.MustBeInt, rowid, 0)
                b.resolve(haveRowid)
            } else {
                b.emit(.NewRowid, w.cursor, rowid, autoincrement ?? 0)
                rowidIsNew = true
            }
            if let a = t.rowidAlias { b.emit(.SCopy, rowid, base + Int32(a)) }
            if let ai = autoincrement {
                // AUTOINCREMENT remembers the largest rowid ever used (skip when r[ai] >= rowid).
                b.emit(.Ge, rowid, b.count + 2, ai, .none, UInt16(Affinity.integer.rawValue))
                b.emit(.SCopy, rowid, ai)
            }
        } else {
            b.emit(.Null, 0, rowid)
        }
        applyColumnAffinities(t, base: base)
        try computeGeneratedColumns(t, base: base, rowid: rowid)
        if try fireTriggers(t, timing: .before, event: .insert, new: (base, rowid), old: nil, ignore: skipRow) {
            rowidIsNew = false
        }
        try constraintChecks(w, rowid: rowid, base: base, oldRowid: nil, override: override, skipRow: skipRow,
                             parent: parent, rowidIsNew: rowidIsNew, upsert: upsert)
        let flags: UInt16 = counts ? (InsertFlags.countChange | InsertFlags.lastRowid) : changeFlag(counts)
        try completeInsertion(w, rowid: rowid, base: base, parent: parent, only: nil, flags: flags, useSeekResult: true)
        try fireTriggers(t, timing: .after, event: .insert, new: (base, rowid), old: nil, ignore: skipRow)
        b.resolve(skipRow)
        if let s = skipTo { b.emit(.Goto, 0, s) }
    }

    // MARK: AUTOINCREMENT

    /// Loads the table's sqlite_sequence value into a register (nil when the table has no AUTOINCREMENT).
    private func beginAutoincrement(_ t: Table) throws(DBError) -> Int32? {
        guard t.autoincrement, let seq = try catalog(ofDatabase: t.database).table("sqlite_sequence") else { return nil }
        let reg = b.allocateRegisters()
        b.emit(.Integer, 0, reg)
        let c = b.allocateCursor()
        b.emit(.OpenRead, c, Int32(bitPattern: seq.rootPage), Int32(t.database))
        let done = b.makeLabel()
        b.emit(.Rewind, c, done)
        let top = b.count
        let name = b.allocateRegisters()
        b.emit(.Column, c, 0, name)
        let next = b.makeLabel()
        b.emit(.Ne, constantRegister(.String8, 0, .text(Array(t.name.utf8))), next, name, .none, 0)
        b.emit(.Column, c, 1, reg)
        b.emit(.Goto, 0, done)
        b.resolve(next)
        b.emit(.Next, c, top)
        b.resolve(done)
        b.emit(.Close, c)
        return reg
    }

    /// Writes the high-water mark back to sqlite_sequence.
    private func endAutoincrement(_ t: Table, _ reg: Int32?) throws(DBError) {
        guard let reg, let seq = try catalog(ofDatabase: t.database).table("sqlite_sequence") else { return }
        let c = b.allocateCursor()
        b.emit(.OpenWrite, c, Int32(bitPattern: seq.rootPage), Int32(t.database))
        let rowid = b.allocateRegisters()
        let found = b.makeLabel(), write = b.makeLabel()
        let done = b.makeLabel()
        b.emit(.Rewind, c, done)
        let top = b.count
        let name = b.allocateRegisters()
        b.emit(.Column, c, 0, name)
        let next = b.makeLabel()
        b.emit(.Ne, constantRegister(.String8, 0, .text(Array(t.name.utf8))), next, name, .none, 0)
        b.emit(.Rowid, c, rowid)
        b.emit(.Goto, 0, found)
        b.resolve(next)
        b.emit(.Next, c, top)
        b.resolve(done)
        b.emit(.NewRowid, c, rowid)
        b.resolve(found)
        b.resolve(write)
        let regs = b.allocateRegisters(2)
        b.emit(.String8, 0, regs, 0, .text(Array(t.name.utf8)))
        b.emit(.SCopy, reg, regs + 1)
        let rec = b.allocateRegisters()
        b.emit(.MakeRecord, regs, 2, rec)
        b.emit(.Insert, c, rec, rowid)
        b.emit(.Close, c)
    }
}
