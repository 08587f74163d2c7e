// WhereLoopBuilder+Index: loops that seek an index (or the rowid) with
// equality, IN, IS NULL and range constraints on its leading columns
// (where.c's whereLoopAddBtreeIndex and whereRangeScanEst).
//
// Matching one more index column multiplies the rows by aiRowLogEst[n] /
// aiRowLogEst[n-1]; an IN list of K values multiplies seeks and rows by K
// (a subquery counts as 25); `IS NULL` keeps twice as many rows as `=`; one
// range bound keeps a quarter of the rows and two keep 1/64 (likelihood()
// overrides both). A seek costs log N plus the rows visited times the
// index/table width ratio, plus a table lookup per row unless the index
// covers the query.

import Base
import SQL

extension Compiler {
    /// indexColumnNotNull.
    private func indexColumnNotNull(_ probe: PlanIndex, _ j: Int) -> Bool {
        let c = probe.columns[j]
        if c >= 0, let t = probe.table { return t.columns[c].notNull }
        return c == -1
    }

    /// whereLoopAddBtreeIndex: try to match one more column of `probe` (the template has matched `nEq`).
    func addBtreeIndexLoops(_ builder: WhereLoopBuilder, _ probe: PlanIndex, nInMul: LogEst) {
        let info = builder.info
        let src = builder.new.tab
        let opMask: WhereOp = builder.new.flags.contains(.bottomLimit)
            ? [.lt, .le] : [.eq, .inOp, .gt, .ge, .lt, .le, .isNull, .isOp]
        let savedNEq = builder.new.nEq
        let savedNBtm = builder.new.nBtm
        let savedNTop = builder.new.nTop
        let savedNSkip = builder.new.nSkip
        let savedTermCount = builder.new.terms.count
        let savedFlags = builder.new.flags
        let savedPrereq = builder.new.prereq
        let savedNOut = builder.new.nOut
        var scan = makeScan(builder.clause, term: src, index: probe, column: savedNEq, opMask: opMask,
                            scope: info.scope)
        builder.new.setup = LogEst(0)
        let rSize = probe.rowLogEst[0]
        let rLogSize = rSize.estimatedLog
        while let ref = nextScanTerm(&scan) {
            let term = ref.term
            let eOp = term.op
            var nIn = LogEst(0)
            if (eOp == .isNull || term.flags.contains(.vnull)) && indexColumnNotNull(probe, savedNEq) { continue }
            if term.prereqRight & builder.new.maskSelf != 0 { continue }
            if term.flags.contains(.likeOpt) && eOp == .lt { continue }
            if isOuterJoined(info, src) && !compatibleWithOuterJoin(info, term, src) { continue }
            if probe.hasConflictAction && savedNEq == probe.keyCount - 1 {
                builder.indexUseFlags |= WhereLoopBuilder.uniqueFlag
            } else {
                builder.indexUseFlags |= WhereLoopBuilder.indexedFlag
            }
            builder.new.flags = savedFlags
            builder.new.nEq = savedNEq
            builder.new.nBtm = savedNBtm
            builder.new.nTop = savedNTop
            builder.new.terms.removeLast(builder.new.terms.count - savedTermCount)
            builder.new.terms.append(ref)
            builder.new.prereq = (savedPrereq | term.prereqRight) & ~builder.new.maskSelf
            var bottom: TermRef?, top: TermRef?
            if eOp.contains(.inOp) {
                if case .in(let inx) = term.expr.kind, case .list(let items) = inx.target {
                    nIn = LogEst(count: UInt64(items.count))
                } else {
                    nIn = LogEst(46)
                }
                if probe.hasStat1 && rLogSize.value >= 10 {
                    let m = probe.rowLogEst[savedNEq]
                    let logK = nIn.estimatedLog
                    let x = m.value + logK.value + 10 - (nIn.value + rLogSize.value)
                    if x >= 0 {
                        // The IN operator prefers an indexed lookup.
                    } else if nInMul.value < 2 {
                        builder.new.flags.insert(.inSeekScan)
                    } else {
                        continue
                    }
                }
                builder.new.flags.insert(.columnIn)
            } else if !eOp.intersection([.eq, .isOp]).isEmpty {
                let iCol = probe.columns[savedNEq]
                builder.new.flags.insert(.columnEq)
                if iCol == -1 || (iCol >= 0 && nInMul.value == 0 && savedNEq == probe.keyCount - 1) {
                    if iCol == -1 || probe.uniqueNotNull || (probe.keyCount == 1 && probe.hasConflictAction
                                                             && eOp == .eq) {
                        builder.new.flags.insert(.oneRow)
                    } else {
                        builder.new.flags.insert(.uniqueWanted)
                    }
                }
                if scan.iEquiv > 1 { builder.new.flags.insert(.transitive) }
            } else if eOp.contains(.isNull) {
                builder.new.flags.insert(.columnNull)
            } else if !eOp.intersection([.gt, .ge]).isEmpty {
                builder.new.flags.formUnion([.columnRange, .bottomLimit])
                builder.new.nBtm = 1
                bottom = ref
                top = nil
            } else {
                builder.new.flags.formUnion([.columnRange, .topLimit])
                builder.new.nTop = 1
                top = ref
                bottom = builder.new.flags.contains(.bottomLimit) ? builder.new.terms[builder.new.terms.count - 2] : nil
            }
            if builder.new.flags.contains(.columnRange) {
                rangeScanEstimate(bottom?.term, top?.term, &builder.new)
            } else {
                builder.new.nEq += 1
                let nEq = builder.new.nEq
                if term.truthProb.value <= 0 && probe.columns[savedNEq] >= 0 {
                    builder.new.nOut += term.truthProb
                    builder.new.nOut -= nIn
                } else {
                    builder.new.nOut += probe.rowLogEst[nEq] - probe.rowLogEst[nEq - 1]
                    if eOp.contains(.isNull) { builder.new.nOut += 10 }
                }
            }
            let costIdx = builder.new.nOut + 1 + (15 * probe.rowSize.value) / info.rowSize[src].value
            builder.new.run = rLogSize.adding(costIdx)
            if builder.new.flags.intersection([.indexOnly, .ipk]).isEmpty {
                builder.new.run = builder.new.run.adding(builder.new.nOut + 16)
            }
            let nOutUnadjusted = builder.new.nOut
            builder.new.run += nInMul + nIn
            builder.new.nOut += nInMul + nIn
            outputAdjust(builder.clause, &builder.new, rSize, info)
            insertLoop(builder)
            if builder.new.flags.contains(.columnRange) {
                builder.new.nOut = savedNOut
            } else {
                builder.new.nOut = nOutUnadjusted
            }
            if !builder.new.flags.contains(.topLimit) && builder.new.nEq < probe.columns.count
                && (builder.new.nEq < probe.keyCount || !probe.isPrimaryKey) {
                addBtreeIndexLoops(builder, probe, nInMul: nInMul + nIn)
            }
            builder.new.nOut = savedNOut
        }
        builder.new.prereq = savedPrereq
        builder.new.nEq = savedNEq
        builder.new.nBtm = savedNBtm
        builder.new.nTop = savedNTop
        builder.new.nSkip = savedNSkip
        builder.new.flags = savedFlags
        builder.new.nOut = savedNOut
        builder.new.terms.removeLast(builder.new.terms.count - savedTermCount)
        addSkipScanLoop(builder, probe, nInMul: nInMul, savedNEq: savedNEq, savedNSkip: savedNSkip)
    }

    /// The skip-scan candidate: no constraint on the leading column, but many rows per value (stat1 only).
    private func addSkipScanLoop(_ builder: WhereLoopBuilder, _ probe: PlanIndex, nInMul: LogEst, savedNEq: Int,
                                 savedNSkip: Int) {
        guard savedNEq == savedNSkip, savedNEq + 1 < probe.keyCount, savedNEq == builder.new.terms.count,
              probe.hasStat1, probe.rowLogEst[savedNEq + 1].value >= 42 else { return }
        let savedNOut = builder.new.nOut
        let savedFlags = builder.new.flags
        builder.new.nEq += 1
        builder.new.nSkip += 1
        builder.new.terms.append(nil)
        builder.new.flags.insert(.skipScan)
        var nIter = probe.rowLogEst[savedNEq] - probe.rowLogEst[savedNEq + 1]
        builder.new.nOut -= nIter
        nIter += 5
        addBtreeIndexLoops(builder, probe, nInMul: nIter + nInMul)
        builder.new.nOut = savedNOut
        builder.new.nEq = savedNEq
        builder.new.nSkip = savedNSkip
        builder.new.flags = savedFlags
        builder.new.terms.removeLast()
    }

    /// whereRangeAdjust.
    private func rangeAdjust(_ t: WhereTerm?, _ n: LogEst) -> LogEst {
        guard let t else { return n }
        if t.truthProb.value <= 0 { return n + t.truthProb }
        if !t.flags.contains(.vnull) { return n - 20 }
        return n
    }

    /// whereRangeScanEst without STAT4: one bound keeps a quarter of the rows, two keep 1/64.
    private func rangeScanEstimate(_ lower: WhereTerm?, _ upper: WhereTerm?, _ loop: inout WhereLoop) {
        var nOut = loop.nOut
        var nNew = rangeAdjust(lower, nOut)
        nNew = rangeAdjust(upper, nNew)
        if let l = lower, l.truthProb.value > 0, let u = upper, u.truthProb.value > 0 { nNew -= 20 }
        nOut -= (lower != nil ? 1 : 0) + (upper != nil ? 1 : 0)
        if nNew.value < 10 { nNew = LogEst(10) }
        if nNew < nOut { nOut = nNew }
        loop.nOut = nOut
    }
}
