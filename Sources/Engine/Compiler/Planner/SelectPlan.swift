// SelectPlan: what a SELECT asks of its loops and how it uses the answer
// (the planner-facing parts of select.c's sqlite3Select).
//
// - nSelectRow: a SELECT's output estimate — 320 (LogEst of 4 billion), or a
//   constant LIMIT's count (which also makes the sort cost count only that
//   many rows), lowered to the loops' estimate; at most 66 (a hundred rows)
//   for GROUP BY and one row for other aggregates. A FROM subquery's table
//   gets its SELECT's nSelectRow as its size.
// - DISTINCT asks the loops for the result columns' order (WHERE_DISTINCTBY)
//   and needs no temporary b-tree when they deliver it or a UNIQUE index
//   makes it redundant. `SELECT DISTINCT x … ORDER BY x` is planned as
//   `GROUP BY x ORDER BY x`.

import Base
import SQL

/// How a plain (non-aggregate) SELECT is planned.
struct PlainSelectPlan {
    var request = WhereRequest()
    /// nSelectRow before the loops are planned.
    var selectRows = LogEst(320)
    /// DISTINCT with an ORDER BY of exactly the result columns: planned as GROUP BY.
    var distinctAsGroup = false
}

extension Compiler {
    /// The LogEst of a constant LIMIT, when it lowers `rows` (computeLimitRegisters' SF_FixedLimit).
    func fixedLimit(_ limit: Limit?, below rows: LogEst) -> LogEst? {
        guard let l = limit, let n = integerLiteral(l.count), n > 0 else { return nil }
        let est = LogEst(count: UInt64(n))
        return rows > est ? est : nil
    }

    func plainSelectPlan(_ core: SimpleSelect, _ results: [ResultColumnSpec], _ sortKeys: [SortKey],
                         _ limit: Limit?, _ scope: Scope) -> PlainSelectPlan {
        var plan = PlainSelectPlan()
        let distinct = core.quantifier == .distinct
        if distinct && !sortKeys.isEmpty && sortKeys.count == results.count
            && zip(sortKeys, results).allSatisfy({ $0.expr == $1.expr && !$0.descending && $0.nullsFirst == nil
                && $0.collation == (collation(of: $1.expr, scope)?.0 ?? .binary) }) {
            plan.distinctAsGroup = true
            plan.request.orderBy = planOrderTerms(sortKeys, scope)
            plan.request.flags = [.distinctBy, .sortByGroup]
        } else {
            plan.request.orderBy = planOrderTerms(sortKeys, scope)
            if distinct { plan.request.flags.insert(.wantDistinct) }
        }
        plan.request.resultSet = results.map(\.expr)
        if let est = fixedLimit(limit, below: plan.selectRows) {
            plan.selectRows = est
            if !plan.distinctAsGroup {
                plan.request.flags.insert(.useLimit)
                plan.request.limit = est
            }
        }
        if plan.distinctAsGroup && plan.selectRows.value > 66 { plan.selectRows = LogEst(66) }
        return plan
    }
}
