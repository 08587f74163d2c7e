// WherePathSolver: the join order (where.c's wherePathSolver).
//
// Paths grow one loop per round; each round keeps the mxChoice best paths
// (1 for one table, 5 for two, 10 for more), one per set of tables and
// "order known or not". A path's cost is the LogEst sum of each loop's
// setup plus its run cost times the rows of the loops outside it, plus the
// cost of sorting for ORDER BY when the path does not deliver that order
// (3*N*log N scaled by the unsorted fraction, +5 to prefer no sorting).
// Ties keep the path found first, so candidate and loop order matter, as
// they do in sqlite3.

import Base
import SQL

struct WherePath {
    var maskLoop: UInt64 = 0
    var revLoop: UInt64 = 0
    var nRow = LogEst(0)
    var cost = LogEst(0)
    var unsorted = LogEst(0)
    /// ORDER BY terms satisfied; -1: not known yet.
    var isOrdered = 0
    /// Indexes into the candidate list, outermost first.
    var loops: [Int] = []
}

extension Compiler {
    /// whereSortingCost.
    func sortingCost(_ info: WhereInfo, _ nRowIn: LogEst, _ nOrderBy: Int, _ nSorted: Int) -> LogEst {
        let rScale = LogEst(count: UInt64((nOrderBy - nSorted) * 100 / nOrderBy)) - 66
        var nRow = nRowIn
        let cost = nRow + rScale + 16
        if info.flags.contains(.useLimit) && info.request.limit < nRow {
            nRow = info.request.limit
        } else if info.flags.contains(.wantDistinct) {
            if nRow.value > 10 { nRow -= 10 }
        }
        return cost + nRow.estimatedLog
    }

    /// wherePathSolver: loads the cheapest path into `info.levels`; false when no path exists.
    func solvePaths(_ info: WhereInfo, nRowEst: LogEst) -> Bool {
        let nLoop = info.loopCount
        let mxChoice = nLoop <= 1 ? 1 : (nLoop == 2 ? 5 : 10)
        let nOrderBy = (info.orderBy == nil || nRowEst.value == 0) ? 0 : info.orderBy!.count
        var sortCosts = [LogEst](repeating: LogEst(0), count: nOrderBy)
        var from = [WherePath()]
        from[0].nRow = LogEst(min(info.queryLoop.value, 48))
        if nOrderBy > 0 { from[0].isOrdered = nLoop > 0 ? -1 : nOrderBy }
        let candidates = info.loops.loops
        for iLoop in 0..<nLoop {
            var to: [WherePath] = []
            var mxI = 0
            var mxCost = LogEst(0), mxUnsorted = LogEst(0)
            for pFrom in from {
                for (li, w) in candidates.enumerated() {
                    if w.prereq & ~pFrom.maskLoop != 0 { continue }
                    if w.maskSelf & pFrom.maskLoop != 0 { continue }
                    if w.flags.contains(.autoIndex) && pFrom.nRow.value < 3 { continue }
                    var unsorted = w.setup.adding(w.run + pFrom.nRow)
                    unsorted = unsorted.adding(pFrom.unsorted)
                    var nOut = pFrom.nRow + w.nOut
                    let maskNew = pFrom.maskLoop | w.maskSelf
                    var isOrdered = pFrom.isOrdered
                    var revMask: UInt64
                    if isOrdered < 0 {
                        revMask = 0
                        isOrdered = pathSatisfiesOrderBy(info, info.orderBy ?? [], pFrom, info.flags, iLoop, w,
                                                         &revMask)
                    } else {
                        revMask = pFrom.revLoop
                    }
                    var cost: LogEst
                    if isOrdered >= 0 && isOrdered < nOrderBy {
                        if sortCosts[isOrdered].value == 0 {
                            sortCosts[isOrdered] = sortingCost(info, nRowEst, nOrderBy, isOrdered)
                        }
                        cost = unsorted.adding(sortCosts[isOrdered]) + 5
                    } else {
                        cost = unsorted
                        unsorted -= 2
                    }
                    if iLoop == 0 && w.flags.contains(.viewScan) {
                        cost -= 10
                        nOut -= 30
                    }
                    var jj = to.firstIndex { $0.maskLoop == maskNew && (($0.isOrdered < 0) == (isOrdered < 0)) }
                    if jj == nil {
                        if to.count >= mxChoice
                            && (cost > mxCost || (cost == mxCost && unsorted >= mxUnsorted)) {
                            continue
                        }
                        if to.count < mxChoice {
                            to.append(WherePath())
                            jj = to.count - 1
                        } else {
                            jj = mxI
                        }
                    } else {
                        let t = to[jj!]
                        if t.cost < cost || (t.cost == cost && (t.nRow < nOut
                                                                || (t.nRow == nOut && t.unsorted <= unsorted))) {
                            continue
                        }
                    }
                    let j = jj!
                    to[j].maskLoop = maskNew
                    to[j].revLoop = revMask
                    to[j].nRow = nOut
                    to[j].cost = cost
                    to[j].unsorted = unsorted
                    to[j].isOrdered = isOrdered
                    to[j].loops = pFrom.loops + [li]
                    if to.count >= mxChoice {
                        mxI = 0
                        mxCost = to[0].cost
                        mxUnsorted = to[0].nRow
                        for k in 1..<mxChoice where to[k].cost > mxCost
                            || (to[k].cost == mxCost && to[k].unsorted > mxUnsorted) {
                            mxCost = to[k].cost
                            mxUnsorted = to[k].unsorted
                            mxI = k
                        }
                    }
                }
            }
            from = to
        }
        guard !from.isEmpty else { return false }
        var best = 0
        for k in 1..<from.count where from[best].cost > from[k].cost { best = k }
        let path = from[best]
        info.levels = path.loops.map { candidates[$0] }
        finishSolution(info, path, nRowEst: nRowEst)
        info.nRowOut = path.nRow
        return true
    }

    /// The ORDER BY, DISTINCT and GROUP BY bookkeeping after a path is chosen.
    private func finishSolution(_ info: WhereInfo, _ path: WherePath, nRowEst: LogEst) {
        let nLoop = info.levels.count
        if info.flags.contains(.wantDistinct) && !info.flags.contains(.distinctBy) && info.distinct == .noop
            && nRowEst.value != 0, let rs = info.request.resultSet, nLoop > 0 {
            var notUsed: UInt64 = 0
            let terms = rs.map { e -> PlanOrderTerm in
                PlanOrderTerm(expr: e, scope: info.scope, descending: false,
                              collation: collation(of: e, info.scope)?.0 ?? .binary)
            }
            let n = pathSatisfiesOrderBy(info, terms, path, .distinctBy, nLoop - 1, info.levels[nLoop - 1],
                                         &notUsed)
            if n == rs.count { info.distinct = .ordered }
        }
        info.orderedInnerLoop = false
        guard let orderBy = info.orderBy else { return }
        info.nOBSat = path.isOrdered
        if info.flags.contains(.distinctBy) {
            if path.isOrdered == orderBy.count { info.distinct = .ordered }
        } else {
            info.revMask = path.revLoop
            if info.nOBSat <= 0 {
                info.nOBSat = 0
                if nLoop > 0 {
                    let flags = info.levels[nLoop - 1].flags
                    if !flags.contains(.oneRow) && !(flags.contains(.ipk) && flags.contains(.columnIn)) {
                        var m: UInt64 = 0
                        let rc = pathSatisfiesOrderBy(info, orderBy, path, .orderByLimit, nLoop - 1,
                                                      info.levels[nLoop - 1], &m)
                        if rc == orderBy.count {
                            info.orderedInnerLoop = true
                            info.revMask = m
                        }
                    }
                }
            } else if nLoop > 0 && info.nOBSat == 1 && !info.flags.isDisjoint(with: [.orderByMin, .orderByMax]) {
                info.orderedInnerLoop = true
            }
        }
        if info.flags.contains(.sortByGroup) && info.nOBSat == orderBy.count && nLoop > 0 {
            var rev: UInt64 = 0
            let n = pathSatisfiesOrderBy(info, orderBy, path, [], nLoop - 1, info.levels[nLoop - 1], &rev)
            if n == orderBy.count {
                info.sorted = true
                info.revMask = rev
            }
        }
    }
}
