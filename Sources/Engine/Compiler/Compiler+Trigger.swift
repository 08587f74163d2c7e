// Compiler+Trigger: row triggers (https://sqlite.org/lang_createtrigger.html)
// compiled inline where their row event happens.
//
// For each row an INSERT, UPDATE or DELETE touches, the matching BEFORE or
// AFTER triggers of the table run, newest first (as sqlite3 orders them),
// each guarded by its WHEN clause, with NEW and OLD naming the row's new and
// old values (registers). A trigger's statements may fire other triggers but
// never, recursively, itself (recursive_triggers is off, as by default).
// RAISE(IGNORE) abandons the rest of the row's work; RAISE(ABORT|FAIL|
// ROLLBACK, msg) ends the statement with that error. Rows written by trigger
// statements do not count in changes().

import Base
import SQL

struct TriggerContext {
    var ignoreLabel: Int32
}

enum TriggerEvent {
    case insert, delete
    case update(OrdinalSet)
}

extension Compiler {
    /// Compiles the bodies of `t`'s triggers that fire at `timing` for `event`; returns true when there was one.
    @discardableResult
    /// `viewColumns`: the column names of a view whose INSTEAD OF triggers fire (Compiler+ViewTriggers.swift).
    func fireTriggers(_ t: Table, timing: CreateTrigger.Timing, event: TriggerEvent, new: (Int32, Int32)?,
                      old: (Int32, Int32)?, ignore: Int32, viewColumns: [String]? = nil) throws(DBError) -> Bool {
        var fired = false
        for trigger in triggers(of: t) {
            let d = trigger.definition
            guard (d.timing ?? .before) == timing else { continue }
            switch (d.event, event) {
            case (.insert, .insert), (.delete, .delete): break
            case (.update(let cols), .update(let changed)):
                if let cols {
                    let idx = cols.compactMap { c in
                        viewColumns.map { $0.firstIndex { namesMatch($0, c.name) } } ?? t.columnIndex(c.name)
                    }
                    if !idx.contains(where: { changed.contains($0) }) { continue }
                }
            default: continue
            }
            if activeTriggers.contains(foldName(trigger.name)) { continue }
            guard activeTriggers.count < SQLiteLimits.maxTriggerDepth else { throw DBError(.error, "too many levels of trigger recursion") }
            activeTriggers.append(foldName(trigger.name))
            defer { activeTriggers.removeLast() }
            fired = true
            let scope = triggerScope(t, new: new, old: old, viewColumns: viewColumns)
            let saved = currentTrigger
            currentTrigger = TriggerContext(ignoreLabel: ignore)
            schemaObjectDatabases.append(trigger.database)
            let (savedGroup, savedParents) = (triggerPlanGroup, planParents)
            triggerPlanGroup = 0
            if emitsQueryPlan && connection.triggerQueryPlans && plannedTriggers.insert(foldName(trigger.name)).inserted {
                // Its plan as a tree of its own, after the statement's lines (Program.queryPlan orders them).
                triggerPlanGroupCount += 1
                triggerPlanGroup = Int32(activeTriggers.count) << 16 | triggerPlanGroupCount
                planParents = []
                b.emit(.Explain, nextPlanID, 0, triggerPlanGroup, .string("-- TRIGGER \(trigger.name)"))
                nextPlanID += 1
            }
            defer {
                currentTrigger = saved
                schemaObjectDatabases.removeLast()
                (triggerPlanGroup, planParents) = (savedGroup, savedParents)
            }
            let skip = b.makeLabel()
            do {
                try compileTriggerBody(d, scope, skip: skip)
            } catch {
                // The error lies in the trigger's text, not the statement's: no offset (sqlite3_error_offset
                // is -1 for a token outside the statement).
                var e = error
                e.offset = nil
                throw e
            }
            b.resolve(skip)
        }
        return fired
    }

    /// Compiles `trigger`'s WHEN clause and statements on their own, never to run: ALTER TABLE's test that the
    /// schema still compiles (Compiler+AlterDropColumn.swift).
    func compileTriggerBodyForTest(_ trigger: Trigger) throws(DBError) {
        let d = trigger.definition
        schemaObjectDatabases.append(trigger.database)
        defer { schemaObjectDatabases.removeLast() }
        guard let t = try findTable(trigger.tableName, schema: d.table.schema) else {
            throw DBError(.error, "no such table: \(trigger.tableName)")
        }
        let viewColumns = t.isView ? try viewShape(t).names : nil
        let width = viewColumns?.count ?? t.columns.count
        let new = b.allocateRegisters(max(width, 1)), old = b.allocateRegisters(max(width, 1))
        let rowid = b.allocateRegisters()
        var hasNew = true, hasOld = true
        switch d.event {
        case .insert: hasOld = false
        case .delete: hasNew = false
        case .update: break
        }
        let scope = triggerScope(t, new: hasNew ? (new, rowid) : nil, old: hasOld ? (old, rowid) : nil,
                                 viewColumns: viewColumns)
        let skip = b.makeLabel()
        let saved = currentTrigger
        currentTrigger = TriggerContext(ignoreLabel: skip)
        defer { currentTrigger = saved }
        try compileTriggerBody(d, scope, skip: skip)
        b.resolve(skip)
    }

    /// A trigger's WHEN test (jumping to `skip` unless true) and its statements, NEW and OLD read through `scope`.
    private func compileTriggerBody(_ d: CreateTrigger, _ scope: Scope, skip: Int32) throws(DBError) {
        if let w = d.when { try jumpIfFalse(w, scope, skip, jumpIfNull: true) }
        for step in d.steps {
            switch step {
            case .insert(let i): try compileInsert(i, parent: scope)
            case .update(let u): try compileUpdate(u, parent: scope)
            case .delete(let del): try compileDelete(del, parent: scope)
            case .select(let s): try compileSelect(s, parent: scope, destination: .callback { (_: Int32) throws(DBError) in })
            }
        }
    }

    /// A scope where NEW.x and OLD.x read the row's registers (only qualified names reach them).
    private func triggerScope(_ t: Table, new: (Int32, Int32)?, old: (Int32, Int32)?, viewColumns: [String]?) -> Scope {
        let scope = Scope(terms: [], parent: nil)
        for (name, regs) in [("new", new), ("old", old)] {
            guard let (base, rowid) = regs else { continue }
            let term: FromTerm
            if let viewColumns {
                let n = viewColumns.count
                term = FromTerm(name: name, table: nil, columnNames: viewColumns, affinities: Array(repeating: .blob, count: n),
                                collations: Array(repeating: .binary, count: n),
                                declaredTypes: Array(repeating: nil, count: n), cursor: -1, hasRowid: false)
            } else {
                term = FromTerm(table: t, alias: name, cursor: -1)
            }
            term.qualifiedOnly = true
            scope.terms.append(term)
            scope.redirects[ObjectIdentifier(term)] = .registers(base: base, rowid: rowid)
        }
        return scope
    }
}
