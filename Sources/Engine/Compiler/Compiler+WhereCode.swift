// Compiler+WhereCode: the loop header of one level for its chosen loop
// (wherecode.c's sqlite3WhereCodeOneLoopStart): a rowid lookup, IN list or
// range, an index seek over equality/IN/IS NULL prefix values and a range
// on the next column, forwards or backwards, a full scan, or an automatic
// index built once per statement.
//
// Values a lookup compares against are computed once per entry into the
// level, get the comparison's affinity, and make the level find nothing
// when an `=` value is NULL. Terms a loop enforces by seeking are marked
// coded (disableTerm), with their parents once every child is; the rest
// are tested at the first level where all their tables are positioned —
// for a LEFT JOIN's right table, ON terms before the match flag is set and
// WHERE terms after it.

import Base
import Storage
import SQL

extension Compiler {
    func emitLevel(_ info: WhereInfo, _ n: Int, _ loopIn: WhereLoop, notReady: UInt64,
                   outerBreak: Int32, rightJoin: RightJoinCode? = nil) throws(DBError) -> LevelCode {
        var loop = loopIn
        let term = info.scope.terms[loop.tab]
        if let fill = term.lateralFill { try fill() }
        let brk = b.makeLabel()
        let cont = b.makeLabel()
        var code = LevelCode(cursor: term.cursor, next: nil, top: 0, continueLabel: cont, breakLabel: brk)
        let levelNotReady = notReady & ~loop.maskSelf
        var matchFlag: Int32?
        if isLeftJoin(info, loop.tab) && !info.flags.contains(.orSubclause) {
            let f = b.allocateRegisters()
            b.emit(.Integer, 0, f)
            matchFlag = f
        }
        let reverse = info.revMask & (UInt64(1) << UInt64(n)) != 0
        var indexCursor: Int32?
        var autoIndex: PlanIndex?
        if loop.flags.contains(.autoIndex) {
            // The loop itself is not ready either (constructAutomaticIndex): a term whose value reads this
            // table, or an outer join's ON term (its extraRight covers the tables before the join), is no key.
            let (p, rewritten) = try buildAutomaticIndex(info, loop, notReady)
            autoIndex = p
            loop = rewritten
        }
        if loop.flags.contains(.bloomFilter) { planLine(bloomFilterDescription(info, loop), whereScan: true) }
        if !loop.flags.contains(.multiOr) { planLine(scanDescription(info, loop, autoIndex: autoIndex), whereScan: true) }
        if loop.flags.contains(.multiOr) {
            try emitOrLevel(info, n, loop, levelNotReady, &code)
        } else if loop.flags.contains(.ipk) || (loop.index == nil && autoIndex == nil) {
            try emitRowidLevel(info, loop, levelNotReady, reverse, &code)
        } else {
            let index = autoIndex ?? loop.index!
            let ic: Int32
            if index.isPrimaryKey {
                ic = term.cursor
            } else if let auto = term.coveringCursor, autoIndex != nil {
                ic = auto
            } else if let w = term.writer, let real = index.index, let c = w.indexCursor(of: real) {
                ic = c  // an UPDATE or DELETE scans with the cursor it writes the index through
            } else if let opened = info.openedIndexCursors[n], autoIndex == nil {
                ic = opened
            } else {
                ic = b.allocateCursor()
                if let real = index.index {
                    b.emit(.OpenRead, ic, Int32(bitPattern: real.rootPage), Int32(real.table.database), .keyInfo(real.keyInfo))
                }
            }
            indexCursor = ic == term.cursor ? nil : ic
            let covering = (loop.flags.contains(.indexOnly) && !info.flags.contains(.orSubclause))
                || autoIndex != nil || ic == term.cursor
            if covering && ic != term.cursor && autoIndex == nil, let real = index.index {
                term.coveringCursor = ic
                term.coveringIndex = real
            }
            code.cursor = ic
            try emitIndexLevel(info, loop, index, ic, levelNotReady, reverse, covering: covering, &code)
        }
        return try finishLevel(info, loop, code, matchFlag, indexCursor: indexCursor, levelNotReady,
                               rightJoin: rightJoin)
    }

    /// disableTerm: a loop enforces `ref`; its parents are enforced once all their children are.
    func disableTerm(_ ref: TermRef, _ info: WhereInfo, isLeftJoinLevel: Bool, notReady: UInt64) {
        let wc = ref.clause
        var k = ref.index
        var first = true
        while !wc.terms[k].isCoded && (!isLeftJoinLevel || wc.terms[k].outerJoin != nil)
                && notReady & wc.terms[k].prereqAll == 0 {
            if !first && wc.terms[k].flags.contains(.like) {
                wc.terms[k].flags.insert(.likeCond)
            } else {
                wc.terms[k].flags.insert(.coded)
            }
            let p = wc.terms[k].parent
            if p < 0 { break }
            k = p
            wc.terms[k].childCount -= 1
            if wc.terms[k].childCount != 0 { break }
            first = false
        }
    }

    /// Outer-join bookkeeping and the WHERE terms that become testable at this level (the end of
    /// sqlite3WhereCodeOneLoopStart).
    private func finishLevel(_ info: WhereInfo, _ loop: WhereLoop, _ codeIn: LevelCode, _ matchFlag: Int32?,
                             indexCursor: Int32?, _ notReady: UInt64,
                             rightJoin: RightJoinCode?) throws(DBError) -> LevelCode {
        var code = codeIn
        let wc = info.clause
        let term = info.scope.terms[loop.tab]
        let isLeft = matchFlag != nil
        let outerJoined = isOuterJoined(info, loop.tab)
        // At a level an outer join may NULL-extend, only ON terms now: a failure there is "no match", not
        // "skip the row", and WHERE terms wait until the join is decided (tag-20220513a).
        for k in wc.terms.indices {
            let t = wc.terms[k]
            guard !t.isCoded, !t.isVirtual, t.prereqAll & notReady == 0 else { continue }
            if outerJoined {
                guard let j = t.outerJoin ?? t.innerJoin else { continue }
                if isLeft && t.outerJoin == nil { continue }
                if notReady & (UInt64(1) << UInt64(j)) != 0 { continue }
            } else if let j = t.outerJoin, notReady & (UInt64(1) << UInt64(j)) != 0 {
                continue
            }
            try jumpIfFalse(t.expr, t.scope, code.continueLabel, jumpIfNull: true)
            wc.terms[k].flags.insert(.coded)
        }
        if let rj = rightJoin { try recordRightJoinMatch(term, rj) }
        if let f = matchFlag {
            b.emit(.Integer, 1, f)
            code.leftJoin = (f, b.count, term.cursor, indexCursor)
        }
        if var rj = rightJoin {
            b.emit(.Null, 0, rj.returnRegister)  // BeginSubrtn: the subroutine runs in line from here
            rj.subroutine = b.count
            code.rightJoin = rj
        }
        if isLeft || rightJoin != nil {
            for k in wc.terms.indices where !term.leftOfRightJoin {
                let t = wc.terms[k]
                guard !t.isCoded, !t.isVirtual, t.prereqAll & notReady == 0 else { continue }
                try jumpIfFalse(t.expr, t.scope, code.continueLabel, jumpIfNull: true)
                wc.terms[k].flags.insert(.coded)
            }
        }
        return code
    }

    // MARK: rowid loops

    /// Rowid equality, IN, range, or a full scan (wherecode.c cases 1, 2 and 6).
    private func emitRowidLevel(_ info: WhereInfo, _ loop: WhereLoop, _ notReady: UInt64, _ reverse: Bool,
                                _ code: inout LevelCode) throws(DBError) {
        let term = info.scope.terms[loop.tab]
        let isLeft = isLeftJoin(info, loop.tab)
        let cursor = term.cursor
        if !loop.flags.isDisjoint(with: [.columnEq, .columnIn]), let ref = loop.terms.first ?? nil {
            let r = b.allocateRegisters()
            var next = code.breakLabel
            try codeEqualityValue(info, ref, into: r, affinity: .integer, collation: .binary, reverse: reverse,
                                  &code, &next, notReady: notReady, isLeft: isLeft)
            b.emit(.SeekRowid, cursor, next, r)
            code.top = b.count
            return
        }
        if !loop.flags.isDisjoint(with: [.bottomLimit, .topLimit]) {
            var start: TermRef?, end: TermRef?
            var j = 0
            if loop.flags.contains(.bottomLimit) { start = loop.terms[j]; j += 1 }
            if loop.flags.contains(.topLimit) { end = loop.terms[j] }
            if reverse { swap(&start, &end) }
            var endReg: Int32?
            var endCompare: TermCompare?
            if let s = start {
                let t = s.term
                let r = try exprToRegister(t.rhs!, t.scope)
                let op: Opcode
                switch t.compare {
                case .gt: op = .SeekGT
                case .le: op = .SeekLE
                case .lt: op = .SeekLT
                default: op = .SeekGE
                }
                b.emit(op, cursor, code.breakLabel, r)
                disableTerm(s, info, isLeftJoinLevel: isLeft, notReady: notReady)
            } else {
                b.emit(reverse ? .Last : .Rewind, cursor, code.breakLabel)
            }
            if let e = end {
                let t = e.term
                let r = b.allocateRegisters()
                try expr(t.rhs!, t.scope, r)
                endReg = r
                endCompare = t.compare
                disableTerm(e, info, isLeftJoinLevel: isLeft, notReady: notReady)
            }
            code.top = b.count
            code.next = reverse ? .Prev : .Next
            if let er = endReg, let cmp = endCompare {
                let strict = cmp == .lt || cmp == .gt
                let op: Opcode = strict ? (reverse ? .Le : .Ge) : (reverse ? .Lt : .Gt)
                let rowid = b.allocateRegisters()
                b.emit(.Rowid, cursor, rowid)
                b.emit(op, er, code.breakLabel, rowid, .none,
                       UInt16(Affinity.numeric.rawValue) | ComparisonFlags.jumpIfNull)
            }
            return
        }
        if isRecursiveReference(term) {
            code.top = b.count
            return
        }
        if let co = term.coroutine {
            // Each pass asks the co-routine for its next row; its end jumps out of the loop.
            code.top = b.emit(.Yield, co.yield, code.breakLabel)
            code.next = .Goto
            return
        }
        code.top = b.emit(reverse ? .Last : .Rewind, cursor, code.breakLabel) + 1
        code.next = reverse ? .Prev : .Next
    }

    // MARK: equality values and IN loops

    /// codeEqualityTerm: the value an `=`/IS/IS NULL/IN term supplies, in `target`; an IN term opens a loop
    /// over its values around the level (its continue label becomes `next`).
    func codeEqualityValue(_ info: WhereInfo, _ ref: TermRef, into target: Int32, affinity: Affinity,
                           collation: Collation, reverse: Bool, _ code: inout LevelCode, _ next: inout Int32,
                           notReady: UInt64, isLeft: Bool) throws(DBError) {
        let t = ref.term
        if t.op.contains(.isNull) {
            b.emit(.Null, 0, target)
        } else if t.op.contains(.inOp) {
            let (cursor, top, cont, step) = try openInLoop(t, next, reverse: reverse)
            b.emit(.Column, cursor, 0, target)
            // A NULL in the list matches nothing: on to the next value (codeEqualityTerm's IsNull). The seek
            // would otherwise find the index's NULL entries.
            b.emit(.IsNull, target, cont)
            code.inLoops.append((cursor, top, cont, step))
            next = cont
        } else {
            try expr(t.rhs!, t.scope, target)
        }
        disableTerm(ref, info, isLeftJoinLevel: isLeft, notReady: notReady)
    }

    /// An ephemeral index of an IN operator's values (sorted and distinct), looped over forwards or backwards:
    /// returns (cursor, loop top, continue label, step opcode).
    func openInLoop(_ t: WhereTerm, _ brk: Int32, reverse: Bool) throws(DBError)
        -> (Int32, Int32, Int32, Opcode) {
        guard case .in(let inx) = t.expr.kind else { throw DBError(.internal, "IN loop without IN") }
        let lhs = inx.value
        var aff = affinity(of: lhs, t.scope)
        let eph = b.allocateCursor()
        let r = b.allocateRegisters(), rec = b.allocateRegisters()
        switch inx.target {
        case .list(let items):
            if aff == .none { aff = .blob } else if aff == .real { aff = .numeric }
            let coll = collation(of: lhs, t.scope)?.0 ?? .binary
            b.emit(.OpenEphemeral, eph, 1, 0, .keyInfo(KeyInfo(collations: [coll], descending: [false])))
            for item in items {
                try expr(item, t.scope, r)
                b.emit(.MakeRecord, r, 1, rec, .affinities([aff]))
                b.emit(.IdxInsert, eph, rec, r, .int64(1))
            }
        case .select, .table:
            let select: Select
            if case .select(let s) = inx.target {
                select = s
            } else if case .table(let name, _) = inx.target {
                let core = SimpleSelect(columns: [.all(.empty(at: 0))], from: [FromItem(source: .table(name, nil))])
                select = Select(first: .select(core))
            } else {
                throw DBError(.internal, "IN target")
            }
            var columnAffinity = Affinity.none
            var columnCollation: Collation?
            if case .select(let core) = select.first, select.compounds.isEmpty, let first = core.columns.first,
               case .expr(let e, _, _) = first, let sub = try? subqueryScope(for: select, t.scope) {
                columnAffinity = affinity(of: e, sub)
                columnCollation = explicitCollation(of: e, sub) ?? collation(of: e, sub)?.0
            }
            let cmpAff = Affinity.forComparison(aff, columnAffinity)
            var coll = collation(of: lhs, t.scope)?.0 ?? columnCollation ?? .binary
            if let c = explicitCollation(of: lhs, t.scope) { coll = c }
            let once = b.allocateRegisters()
            let skip = b.makeLabel()
            let saved = planner.queryLoop
            planner.queryLoop = LogEst(0)
            defer { planner.queryLoop = saved }
            // Opened and filled once (sqlite3CodeRhsOfIN): opening it again each time the level is entered
            // emptied the list for every outer row after the first.
            let onceAddr = b.emit(.Once, once, skip)
            b.emit(.OpenEphemeral, eph, 1, 0, .keyInfo(KeyInfo(collations: [coll], descending: [false])))
            let probe = Scope(terms: [], parent: t.scope)
            try subqueryPlan("LIST", select) { () throws(DBError) -> Bool in
                try compileSelect(select, parent: probe, destination: .callback { (base: Int32) throws(DBError) in
                    self.b.emit(.MakeRecord, base, 1, rec, .affinities([cmpAff == .none ? .blob : cmpAff]))
                    self.b.emit(.IdxInsert, eph, rec, base, .int64(1))
                })
                return probe.referencedOuter
            }
            b.resolve(skip)
            // A correlated subquery (it reads the loops around this one) is filled again each time.
            if probe.referencedOuter { b.setOpcodeToNoop(onceAddr) }
        }
        b.emit(reverse ? .Last : .Rewind, eph, brk)
        let top = b.count
        let cont = b.makeLabel()
        return (eph, top, cont, reverse ? .Prev : .Next)
    }

    /// The affinity of field `j` of an index (sqlite3IndexColumnAffinity).
    func indexFieldAffinity(_ info: WhereInfo, _ loop: WhereLoop, _ index: PlanIndex, _ j: Int) -> Affinity {
        guard j < index.columns.count else { return .blob }
        let c = index.columns[j]
        if c == -1 { return .integer }
        if c == -2 { return index.expressions[j].map { affinity(of: $0, Scope(terms: [], parent: nil)) } ?? .blob }
        let from = info.scope.terms[loop.tab]
        let aff = c < from.affinities.count ? from.affinities[c] : .blob
        return aff == .none ? .blob : aff
    }

    /// The affinity a seek key field gets: none when the comparison would not convert the value.
    private func keyAffinity(_ t: WhereTerm, _ fieldAffinity: Affinity) -> Affinity {
        guard let r = t.rhs else { return fieldAffinity }
        let cmp = Affinity.forComparison(affinity(of: r, t.scope), fieldAffinity)
        if cmp == .blob || cmp == .none { return .blob }
        return fieldAffinity
    }

    // MARK: index loops

    /// An index seek or scan (wherecode.c case 4), forwards or backwards.
    private func emitIndexLevel(_ info: WhereInfo, _ loop: WhereLoop, _ index: PlanIndex, _ ic: Int32,
                                _ notReady: UInt64, _ reverse: Bool, covering: Bool,
                                _ code: inout LevelCode) throws(DBError) {
        let term = info.scope.terms[loop.tab]
        let isLeft = isLeftJoin(info, loop.tab)
        let nEq = loop.nEq
        var start: TermRef?, end: TermRef?
        var j = nEq
        if loop.flags.contains(.bottomLimit) { start = loop.terms[j]; j += 1 }
        var seekPastNull = false, stopAtNull = false
        if loop.flags.contains(.topLimit) {
            end = loop.terms[j]
            if start == nil, nEq < index.columns.count {
                let c = index.columns[nEq]
                if (c >= 0 && !columnNotNull(info, loop, c)) || c == -2 { seekPastNull = true }
            }
        }
        if nEq < index.columns.count && reverse == !index.descending[nEq] {
            swap(&start, &end)
            swap(&seekPastNull, &stopAtNull)
        }
        let base = b.allocateRegisters(nEq + 1)
        var next = code.breakLabel
        var affinities: [Affinity] = []
        for k in 0..<nEq {
            guard let ref = loop.terms[k] else { throw DBError(.internal, "skip-scan is not planned") }
            let fieldAff = indexFieldAffinity(info, loop, index, k)
            // An IN loop over a DESC index column runs backwards when the scan runs forwards (codeEqualityTerm).
            try codeEqualityValue(info, ref, into: base + Int32(k), affinity: fieldAff, collation: index.collations[k],
                                  reverse: reverse != index.descending[k], &code, &next, notReady: notReady,
                                  isLeft: isLeft)
            let t = ref.term
            var aff = fieldAff
            if !t.op.intersection([.eq, .isOp]).isEmpty {
                if !t.flags.contains(.isTerm) { b.emit(.IsNull, base + Int32(k), code.breakLabel) }
                aff = keyAffinity(t, fieldAff)
            }
            affinities.append(aff)
        }
        let rangeAff = indexFieldAffinity(info, loop, index, nEq)
        var startEq = start.map { !$0.term.op.isDisjoint(with: [.le, .ge]) } ?? true
        var endEq = end.map { !$0.term.op.isDisjoint(with: [.le, .ge]) } ?? true
        var startConstraints = start != nil || nEq > 0
        var nConstraint = nEq
        if let s = start {
            let t = s.term
            try expr(t.rhs!, t.scope, base + Int32(nEq))
            if !t.flags.contains(.vnull) { b.emit(.IsNull, base + Int32(nEq), next) }
            affinities.append(keyAffinity(t, rangeAff))
            nConstraint += 1
            disableTerm(s, info, isLeftJoinLevel: isLeft, notReady: notReady)
        } else if seekPastNull {
            startEq = false
            b.emit(.Null, 0, base + Int32(nEq))
            startConstraints = true
            nConstraint += 1
        }
        applyAffinities(base, affinities, count: nConstraint - (seekPastNull && start == nil ? 1 : 0))
        let startOp: Opcode
        switch (startConstraints, startEq, reverse) {
        case (false, _, false): startOp = .Rewind
        case (false, _, true): startOp = .Last
        case (true, false, false): startOp = .SeekGT
        case (true, false, true): startOp = .SeekLT
        case (true, true, false): startOp = .SeekGE
        case (true, true, true): startOp = .SeekLE
        }
        if startOp == .Rewind || startOp == .Last {
            b.emit(startOp, ic, next)
        } else {
            b.emit(startOp, ic, next, base, .int64(Int64(nConstraint)))
        }
        nConstraint = nEq
        let endBase = b.allocateRegisters(nEq + 1)
        for k in 0..<nEq { b.emit(.SCopy, base + Int32(k), endBase + Int32(k)) }
        if let e = end {
            let t = e.term
            try expr(t.rhs!, t.scope, endBase + Int32(nEq))
            if !t.flags.contains(.vnull) { b.emit(.IsNull, endBase + Int32(nEq), next) }
            let aff = keyAffinity(t, rangeAff)
            if aff != .blob && aff != .none { b.emit(.Affinity, endBase + Int32(nEq), 1, 0, .affinities([aff])) }
            nConstraint += 1
            disableTerm(e, info, isLeftJoinLevel: isLeft, notReady: notReady)
        } else if stopAtNull {
            b.emit(.Null, 0, endBase + Int32(nEq))
            endEq = false
            nConstraint += 1
        }
        code.top = b.count
        if nConstraint > 0 {
            let endOp: Opcode
            switch (reverse, endEq) {
            case (false, false): endOp = .IdxGE
            case (false, true): endOp = .IdxGT
            case (true, false): endOp = .IdxLE
            case (true, true): endOp = .IdxLT
            }
            b.emit(endOp, ic, next, endBase, .int64(Int64(nConstraint)))
        }
        if !covering {
            if let table = term.table, table.withoutRowid {
                try seekWithoutRowid(table, index, ic, term.cursor, code.continueLabel)
            } else {
                b.emit(.DeferredSeek, ic, 0, term.cursor)
            }
        }
        code.cursor = ic
        code.next = loop.flags.contains(.oneRow) ? nil : (reverse ? .Prev : .Next)
    }

    private func columnNotNull(_ info: WhereInfo, _ loop: WhereLoop, _ c: Int) -> Bool {
        guard let t = info.scope.terms[loop.tab].table, c < t.columns.count else { return false }
        return t.columns[c].notNull
    }

    /// codeApplyAffinity, one register at a time.
    private func applyAffinities(_ base: Int32, _ affinities: [Affinity], count: Int) {
        for (k, a) in affinities.prefix(max(count, 0)).enumerated() where a != .blob && a != .none {
            b.emit(.Affinity, base + Int32(k), 1, 0, .affinities([a]))
        }
    }

    /// A secondary index of a WITHOUT ROWID table: find the table row by the primary-key fields it holds.
    private func seekWithoutRowid(_ table: Table, _ index: PlanIndex, _ ic: Int32, _ cursor: Int32,
                                  _ missing: Int32) throws(DBError) {
        let n = table.primaryKey.count
        let regs = b.allocateRegisters(n)
        for (k, c) in table.primaryKey.enumerated() {
            guard let pos = index.columns.firstIndex(of: c) else { throw DBError(.internal, "index lacks key") }
            b.emit(.Column, ic, Int32(pos), regs + Int32(k))
        }
        b.emit(.NotFound, cursor, missing, regs, .int64(Int64(n)))
    }
}
