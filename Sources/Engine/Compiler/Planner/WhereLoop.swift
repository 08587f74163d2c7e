// WhereLoop: one way to run one loop of a join — a full scan, a rowid
// lookup or range, an index lookup, scan or range, an automatic index, or a
// MULTI-INDEX OR — with its cost triple (setup, run, rows out) as LogEsts
// and the loops it needs positioned first (whereInt.h's WhereLoop).
//
// The candidate list keeps, per table, only loops that are not dominated:
// whereLoopInsert drops a new loop when an existing one needs no more outer
// loops and costs no more in every respect, and replaces existing loops the
// new one dominates (whereLoopFindLesser). A loop that uses a strict subset
// of another's terms is nudged to cost more (whereLoopAdjustCost).

import Base

/// WHERE_* flags of a loop (whereInt.h).
struct LoopFlags: OptionSet {
    let rawValue: UInt32
    static let columnEq = LoopFlags(rawValue: 0x0000_0001)
    static let columnRange = LoopFlags(rawValue: 0x0000_0002)
    static let columnIn = LoopFlags(rawValue: 0x0000_0004)
    static let columnNull = LoopFlags(rawValue: 0x0000_0008)
    static let constraint = LoopFlags(rawValue: 0x0000_000f)
    static let topLimit = LoopFlags(rawValue: 0x0000_0010)
    static let bottomLimit = LoopFlags(rawValue: 0x0000_0020)
    static let bothLimit = LoopFlags(rawValue: 0x0000_0030)
    static let indexOnly = LoopFlags(rawValue: 0x0000_0040)
    static let ipk = LoopFlags(rawValue: 0x0000_0100)
    static let indexed = LoopFlags(rawValue: 0x0000_0200)
    static let inAble = LoopFlags(rawValue: 0x0000_0800)
    static let oneRow = LoopFlags(rawValue: 0x0000_1000)
    static let multiOr = LoopFlags(rawValue: 0x0000_2000)
    static let autoIndex = LoopFlags(rawValue: 0x0000_4000)
    static let skipScan = LoopFlags(rawValue: 0x0000_8000)
    static let uniqueWanted = LoopFlags(rawValue: 0x0001_0000)
    static let partialIndex = LoopFlags(rawValue: 0x0002_0000)
    static let inEarlyOut = LoopFlags(rawValue: 0x0004_0000)
    static let inSeekScan = LoopFlags(rawValue: 0x0010_0000)
    static let transitive = LoopFlags(rawValue: 0x0020_0000)
    static let bloomFilter = LoopFlags(rawValue: 0x0040_0000)
    static let selfCull = LoopFlags(rawValue: 0x0080_0000)
    static let viewScan = LoopFlags(rawValue: 0x0200_0000)
}

/// A term of some WhereClause (the main clause, an OR's disjunct, or an AND inside a disjunct).
struct TermRef: Equatable {
    unowned let clause: WhereClause
    let index: Int

    static func == (a: TermRef, b: TermRef) -> Bool { a.clause === b.clause && a.index == b.index }

    var term: WhereTerm { clause.terms[index] }
}

struct WhereLoop {
    var prereq: UInt64 = 0
    var maskSelf: UInt64 = 0
    /// FROM position of the table.
    var tab = 0
    /// The index's position in the candidate list when it might help ORDER BY, else 0.
    var sortIndex = 0
    var setup = LogEst(0)
    var run = LogEst(0)
    var nOut = LogEst(0)
    var nEq = 0
    var nBtm = 0
    var nTop = 0
    var nDistinctCol = 0
    var index: PlanIndex?
    var flags: LoopFlags = []
    /// The terms the loop uses, in index-column order (nil: a skip-scan column).
    var terms: [TermRef?] = []
    var nSkip = 0
    /// A debugging identifier, in the order loops were added.
    var id = 0

    /// whereLoopCheaperProperSubset: does `self` use a strict subset of `y`'s terms, yet cost no more?
    func isCheaperProperSubset(of y: WhereLoop) -> Bool {
        if terms.count - nSkip >= y.terms.count - y.nSkip { return false }
        if run > y.run && nOut > y.nOut { return false }
        if y.nSkip > nSkip { return false }
        for t in terms {
            guard let t else { continue }
            if !y.terms.contains(where: { $0 == t }) { return false }
        }
        if flags.contains(.indexOnly) && !y.flags.contains(.indexOnly) { return false }
        return true
    }
}

/// The candidate loops of one query, and the insertion rules that keep the list small.
final class WhereLoopSet {
    var loops: [WhereLoop] = []
    /// SQLITE_QUERY_PLANNER_LIMIT: how many more candidates may be considered.
    var planLimit = 20_000
    var nextID = 0

    /// whereLoopAdjustCost.
    func adjustCost(_ template: inout WhereLoop) {
        guard template.flags.contains(.indexed) else { return }
        for p in loops where p.tab == template.tab && p.flags.contains(.indexed) {
            if p.isCheaperProperSubset(of: template) {
                template.run = min(p.run, template.run)
                template.nOut = min(p.nOut - 1, template.nOut)
            } else if template.isCheaperProperSubset(of: p) {
                template.run = max(p.run, template.run)
                template.nOut = max(p.nOut + 1, template.nOut)
            }
        }
    }

    /// whereLoopFindLesser, from position `start`: nil when the template should be dropped, else the position
    /// of a loop it replaces, or `loops.count` to append.
    private func findLesser(from start: Int, _ t: WhereLoop) -> Int? {
        var i = start
        while i < loops.count {
            let p = loops[i]
            if p.tab != t.tab || p.sortIndex != t.sortIndex {
                i += 1
                continue
            }
            if p.flags.contains(.autoIndex) && t.nSkip == 0 && t.flags.contains(.indexed)
                && t.flags.contains(.columnEq) && (p.prereq & t.prereq) == t.prereq {
                return i
            }
            if (p.prereq & t.prereq) == p.prereq && p.setup <= t.setup && p.run <= t.run && p.nOut <= t.nOut {
                return nil
            }
            if (p.prereq & t.prereq) == t.prereq && p.run >= t.run && p.nOut >= t.nOut {
                return i
            }
            i += 1
        }
        return i
    }

    /// whereLoopInsert (without an OR-cost set): returns false once the search limit is reached.
    @discardableResult
    func insert(_ templateIn: WhereLoop) -> Bool {
        if planLimit == 0 { return false }
        planLimit -= 1
        var template = templateIn
        adjustCost(&template)
        guard let at = findLesser(from: 0, template) else { return true }
        nextID += 1
        template.id = nextID
        if at == loops.count {
            loops.append(template)
            return true
        }
        // Overwrite loops[at]; delete every later loop the template also supplants.
        var tail = at + 1
        while tail < loops.count {
            guard let k = findLesser(from: tail, template), k < loops.count else { break }
            loops.remove(at: k)
            tail = k
        }
        loops[at] = template
        return true
    }
}

/// WhereOrSet: the best (prerequisites, run cost, rows) of a disjunct, at most three.
struct WhereOrSet {
    struct Cost {
        var prereq: UInt64
        var run: LogEst
        var nOut: LogEst
    }
    var costs: [Cost] = []

    /// whereOrInsert.
    @discardableResult
    mutating func insert(prereq: UInt64, run: LogEst, nOut: LogEst) -> Bool {
        var slot: Int?
        for i in costs.indices {
            let p = costs[i]
            if run <= p.run && (prereq & p.prereq) == prereq {
                slot = i
                break
            }
            if p.run <= run && (p.prereq & prereq) == p.prereq { return false }
        }
        if slot == nil {
            if costs.count < 3 {
                costs.append(Cost(prereq: prereq, run: run, nOut: nOut))
                slot = costs.count - 1
            } else {
                var worst = 0
                for i in 1..<costs.count where costs[worst].run > costs[i].run { worst = i }
                if costs[worst].run <= run { return false }
                slot = worst
            }
        }
        let i = slot!
        costs[i].prereq = prereq
        costs[i].run = run
        if costs[i].nOut > nOut { costs[i].nOut = nOut }
        return true
    }
}
