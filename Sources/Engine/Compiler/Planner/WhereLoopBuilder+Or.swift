// WhereLoopBuilder+Or: MULTI-INDEX OR loops (where.c's whereLoopAddOr).
//
// For an OR term whose every disjunct can use an index on this table, each
// disjunct is costed as if it were the whole WHERE clause (keeping its three
// best costs), and the OR loop costs the sum over disjuncts plus one. A
// disjunct with no indexed lookup (only a full scan) rules the OR loop out.

import Base
import SQL

extension Compiler {
    /// whereLoopAddOr.
    func addOrLoops(_ builder: WhereLoopBuilder, _ prereq: UInt64) {
        let wc = builder.clause
        let i = builder.new.tab
        // A disjunct's WHERE clause cannot carry ON-clause markings: no OR loops for a table an outer join may
        // NULL-extend (a LEFT JOIN's right table, either side of a RIGHT JOIN).
        if isOuterJoined(builder.info, i) { return }
        for k in wc.terms.indices {
            let term = wc.terms[k]
            guard term.op.contains(.or), term.orIndexable & builder.new.maskSelf != 0,
                  let orClause = term.orClause else { continue }
            var sum = WhereOrSet()
            var once = true
            var abandoned = false
            for j in orClause.terms.indices {
                let sub = orClause.terms[j]
                let subClause: WhereClause
                if sub.op.contains(.and), let a = sub.andClause {
                    subClause = a
                } else if sub.leftTerm == i {
                    let temp = WhereClause(.and, outer: wc)
                    temp.terms = [sub]
                    temp.baseCount = 1
                    subClause = temp
                } else {
                    continue
                }
                let savedClause = builder.clause
                let savedOrSet = builder.orSet
                builder.clause = subClause
                builder.orSet = WhereOrSet()
                addBtreeLoops(builder, prereq)
                addOrLoops(builder, prereq)
                let cur = builder.orSet ?? WhereOrSet()
                builder.clause = savedClause
                builder.orSet = savedOrSet
                if cur.costs.isEmpty {
                    sum.costs = []
                    abandoned = true
                    break
                } else if once {
                    sum = cur
                    once = false
                } else {
                    let prev = sum
                    sum = WhereOrSet()
                    for p in prev.costs {
                        for c in cur.costs {
                            sum.insert(prereq: p.prereq | c.prereq, run: p.run.adding(c.run),
                                       nOut: p.nOut.adding(c.nOut))
                        }
                    }
                }
            }
            _ = abandoned
            builder.new.terms = [TermRef(clause: wc, index: k)]
            builder.new.flags = .multiOr
            builder.new.setup = LogEst(0)
            builder.new.sortIndex = 0
            builder.new.nEq = 0
            builder.new.nBtm = 0
            builder.new.nTop = 0
            builder.new.nSkip = 0
            builder.new.nDistinctCol = 0
            builder.new.index = nil
            for c in sum.costs {
                builder.new.run = c.run + 1
                builder.new.nOut = c.nOut
                builder.new.prereq = c.prereq
                insertLoop(builder)
            }
        }
    }
}
