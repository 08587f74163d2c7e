// WhereShortCut: the planner's fast paths and final adjustments (where.c's
// whereShortCut, whereOmitNoopJoin, whereCheckIfBloomFilterIsUseful).
//
// - One table with `rowid = constant`, or every column of a UNIQUE index
//   (three columns at most) bound by `= constant`, is planned directly as a
//   one-row lookup (cost 10 or 15).
// - A LEFT JOIN table that the result and ORDER BY never read, that no
//   WHERE term outside its ON clause reads, and that yields at most one row
//   (or the query is DISTINCT) is dropped from the loops.
// - A SEARCH level run more often than its table (by sqlite_stat1) has
//   rows, with terms that can reject rows, gets a Bloom filter line.

import Base
import SQL

extension Compiler {
    /// whereShortCut: true when the single-table query was planned here.
    func shortCut(_ info: WhereInfo) -> Bool {
        guard info.scope.terms.count == 1 else { return false }
        let from = info.scope.terms[0]
        guard from.indexHint == nil, let table = from.table else { return false }
        var loop = WhereLoop()
        var scan = makeScan(info.clause, term: 0, index: nil, column: -1, opMask: [.eq, .isOp], scope: info.scope)
        var found = nextScanTerm(&scan)
        while let f = found, f.term.prereqRight != 0 { found = nextScanTerm(&scan) }
        if let ref = found, !table.withoutRowid {
            loop.flags = [.columnEq, .ipk, .oneRow]
            loop.terms = [ref]
            loop.nEq = 1
            loop.run = LogEst(33)
        } else {
            for probe in info.probes[0] where probe.kind == .index {
                guard probe.unique, probe.partialWhere == nil, probe.keyCount <= 3 else { continue }
                let opMask: WhereOp = probe.uniqueNotNull ? [.eq, .isOp] : .eq
                var terms: [TermRef] = []
                var j = 0
                while j < probe.keyCount {
                    var s = makeScan(info.clause, term: 0, index: probe, column: j, opMask: opMask, scope: info.scope)
                    var t = nextScanTerm(&s)
                    while let x = t, x.term.prereqRight != 0 { t = nextScanTerm(&s) }
                    guard let x = t else { break }
                    terms.append(x)
                    scan = s
                    j += 1
                }
                if j != probe.keyCount { continue }
                loop.flags = [.columnEq, .oneRow, .indexed]
                if probe.isCovering(info.columnsUsed[0]) { loop.flags.insert(.indexOnly) }
                loop.terms = terms
                loop.nEq = j
                loop.index = probe
                loop.run = LogEst(39)
                break
            }
        }
        guard !loop.flags.isEmpty else { return false }
        loop.nOut = LogEst(1)
        loop.maskSelf = 1
        if scan.iEquiv > 1 { loop.flags.insert(.transitive) }
        info.levels = [loop]
        info.nRowOut = LogEst(1)
        if let ob = info.orderBy { info.nOBSat = ob.count }
        if info.flags.contains(.wantDistinct) { info.distinct = .unique }
        return true
    }

    /// whereOmitNoopJoin.
    func omitNoopJoins(_ info: WhereInfo) {
        guard info.levels.count >= 2, let rs = info.request.resultSet, !info.flags.contains(.aggDistinct) else {
            return
        }
        var used: UInt64 = 0
        for e in rs { used |= exprUsage(e, info.scope, loops: info.scope) }
        for e in info.request.statementOrderBy { used |= exprUsage(e, info.scope, loops: info.scope) }
        if let ob = info.orderBy, !info.flags.contains(.distinctBy) {
            for o in ob { used |= exprUsage(o.expr, o.scope, loops: info.scope) }
        }
        var i = info.levels.count - 1
        while i >= 1 {
            defer { i -= 1 }
            let loop = info.levels[i]
            let from = info.scope.terms[loop.tab]
            guard from.joinType?.contains(.left) == true, from.joinType?.contains(.right) != true else { continue }
            if !info.flags.contains(.wantDistinct) && !loop.flags.contains(.oneRow) { continue }
            if used & loop.maskSelf != 0 { continue }
            var blocked = false
            for t in info.clause.terms where t.prereqAll & loop.maskSelf != 0 && t.outerJoin != loop.tab {
                blocked = true
                break
            }
            if blocked { continue }
            for k in info.clause.terms.indices where info.clause.terms[k].prereqAll & loop.maskSelf != 0 {
                info.clause.terms[k].flags.insert(.coded)
            }
            info.levels.remove(at: i)
        }
    }

    /// whereCheckIfBloomFilterIsUseful.
    func checkBloomFilters(_ info: WhereInfo) {
        var nSearch = info.levels[0].nOut
        for i in 1..<info.levels.count {
            let loop = info.levels[i]
            if loop.flags.contains(.selfCull) && loop.flags.contains(.columnEq)
                && !loop.flags.isDisjoint(with: [.ipk, .indexed]) && !loop.flags.contains(.autoIndex),
               let table = info.scope.terms[loop.tab].table, table.estimatedRows != nil,
               nSearch > info.rowLogEst[loop.tab] {
                info.levels[i].flags.insert(.bloomFilter)
                info.levels[i].flags.remove(.indexOnly)
            }
            nSearch += loop.nOut
        }
    }
}
