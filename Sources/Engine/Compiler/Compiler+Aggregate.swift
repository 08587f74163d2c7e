// Compiler+Aggregate: aggregate queries — GROUP BY, HAVING, aggregate
// functions with DISTINCT and FILTER, and the "bare" columns SQLite allows
// beside aggregates (lang_select.html §2.4–2.5; select.c's aggregate path).
//
// Without GROUP BY, one set of accumulators steps over every row and one
// row comes out, even from no input. With GROUP BY, rows arrive grouped —
// from an index the planner chose, or through a sorter keyed by the GROUP BY
// values together with every column the aggregates and bare expressions
// read — and are walked, a group ending whenever the key changes, and an
// output subroutine emits the finished group. Bare columns take their values
// from the first row of the group, or — when the query has min() or max() —
// from the row where the last of them found a new extreme, as in SQLite.

import Base
import Storage
import SQL

struct AggregateCall {
    var expr: Expr
    var definition: FunctionDefinition
    var arguments: [Expr]
    var distinct: Bool
    var filter: Expr?
    var register: Int32
    var distinctCursor: Int32?
    /// Found in a subquery (an aggregate of this query's columns), which reads its register.
    var claimed = false
}

extension Compiler {
    func compileAggregate(_ core: SimpleSelect, results: [ResultColumnSpec], sortKeys: [SortKey], limit: Limit?,
                          scope: Scope, destination: Destination) throws(DBError) {
        let groupBy = try resolveGroupBy(core.groupBy, results, scope)
        var outputs = results.map(\.expr)
        if let h = core.having { outputs.append(h) }
        outputs += sortKeys.map(\.expr)
        let calls = try collectAggregates(outputs, scope)
        // Columns read outside aggregate calls (bare columns) and inside them (aggregate arguments).
        let bareColumns = columnKeys(in: outputs, scope, outsideAggregates: true)
        var argumentColumns = columnKeys(in: calls.flatMap { $0.arguments + ($0.filter.map { [$0] } ?? []) },
                                         scope, outsideAggregates: false)
        for g in groupBy { argumentColumns += columnKeys(in: [g], scope, outsideAggregates: false) }
        let minMaxCount = calls.filter { $0.definition.flags.contains(.minMax) }.count
        recordColumnUsage(outputs + groupBy + (core.whereClause.map { [$0] } ?? []), scope)

        let end = b.makeLabel()
        let limits = try setupLimit(limit, scope, end: end)
        for c in calls {
            b.emit(.Null, 0, c.register)
            if let dc = c.distinctCursor {
                b.emit(.OpenEphemeral, dc, 1, 0, .keyInfo(KeyInfo(binaryFields: c.arguments.count)))
            }
        }
        var distinctResults: Int32?
        if core.quantifier == .distinct {
            let c = b.allocateCursor()
            b.emit(.OpenEphemeral, c, Int32(results.count), 0, .keyInfo(KeyInfo(binaryFields: results.count)))
            distinctResults = c
        }
        var sorter: SorterState?
        if !sortKeys.isEmpty { sorter = openSorter(sortKeys, width: results.count, limits: limits) }
        let captured = uniqueKeys(bareColumns)
        var captureRegs: [ColumnKey: Int32] = [:]
        for k in captured { captureRegs[k] = b.allocateRegisters() }
        for r in captureRegs.values.sorted() { b.emit(.Null, 0, r) }

        if groupBy.isEmpty {
            // One output row: no ORDER BY sort (select.c clears sSort.pOrderBy).
            if let sr = sorter { b.setOpcodeToNoop(sr.openAddress) }
            sorter = nil
            planner.lastSelectRows = LogEst(0)
            if let (term, index) = simpleCountSource(core, results, calls, scope) {
                emitSimpleCount(term, index, into: calls[0].register)
            } else {
                let firstRow = b.allocateRegisters()
                b.emit(.Integer, 0, firstRow)
                let loop = try whereBegin(scope, whereClause: core.whereClause,
                                          request: aggregateRequest(core, calls, scope))
                try stepAggregates(calls, scope, minMax: minMaxCount >= 1, capture: captureRegs,
                                   firstRow: minMaxCount == 0 ? firstRow : nil)
                try whereEnd(loop)
                for c in calls { b.emit(.AggFinal, c.register, Int32(c.arguments.count), 0, .function(c.definition)) }
            }
            let outScope = aggregateOutputScope(scope, calls: calls, groups: [], groupRegs: 0, captured: captureRegs)
            try outputGroup(results, core.having, sortKeys, sorter, distinctResults, limits, destination, outScope,
                            skip: end, stop: end)
        } else {
            var selectRows = fixedLimit(limit, below: LogEst(320)) ?? LogEst(320)
            if selectRows.value > 66 { selectRows = LogEst(66) }
            planner.lastSelectRows = selectRows
            try groupedAggregate(core, groupBy, results, sortKeys, calls, argumentColumns, captureRegs, &sorter,
                                 distinctResults, limits, destination, scope, minMax: minMaxCount >= 1, end: end)
        }
        if let s = sorter {
            planLine("USE TEMP B-TREE FOR ORDER BY")
            try sorterOutput(s, width: results.count, destination: destination, limits: limits, end: end)
        }
        b.resolve(end)
        // A call claimed from a subquery that compiled it as its own: this query should not have grouped.
        for c in calls where c.claimed && !outerAggregateReads.contains(c.register) {
            throw DBError(.error, "an aggregate of an enclosing query's columns is not supported in this subquery: \(c.definition.name)()")
        }
    }

    private func groupedAggregate(_ core: SimpleSelect, _ groupBy: [Expr], _ results: [ResultColumnSpec],
                                  _ sortKeys: [SortKey], _ calls: [AggregateCall], _ argumentColumns: [ColumnKey],
                                  _ captureRegs: [ColumnKey: Int32], _ sorter: inout SorterState?,
                                  _ distinctResults: Int32?, _ limits: LimitRegisters, _ destination: Destination,
                                  _ scope: Scope, minMax: Bool, end: Int32) throws(DBError) {
        let nG = groupBy.count
        // Columns the aggregates and bare columns read, carried in the sorter's records after the GROUP BY
        // terms; one that is itself a GROUP BY term is read from that term's field instead (as select.c
        // does: a column is stored in a sorter record once).
        let groupFields = groupByColumnFields(groupBy, scope)
        let fields = uniqueKeys(argumentColumns + sortedKeys(captureRegs.keys, scope)).filter { groupFields[$0] == nil }
        let groupSorter = b.allocateCursor()
        let colls = groupBy.map { collation(of: $0, scope)?.0 ?? .binary }
        let (request, orderByGroup, descending) = groupByRequest(groupBy, sortKeys, scope, calls)
        let groupKeys = KeyInfo(collations: colls, descending: descending)
        let sorterOpen = b.emit(.SorterOpen, groupSorter, Int32(nG + fields.count), 0, .keyInfo(groupKeys))
        let current = b.allocateRegisters(nG), previous = b.allocateRegisters(nG)
        let hasGroup = b.allocateRegisters(), firstRow = b.allocateRegisters()
        b.emit(.Integer, 0, hasGroup)
        let minMaxCount = calls.filter { $0.definition.flags.contains(.minMax) }.count
        let outputRoutine = b.makeLabel(), returnReg = b.allocateRegisters()
        let loop = try whereBegin(scope, whereClause: core.whereClause, request: request)
        let direct = loop.nOBSat == nG
        if orderByGroup && (!direct || loop.info?.sorted == true), let sr = sorter {
            // The grouping already yields rows in ORDER BY order.
            b.setOpcodeToNoop(sr.openAddress)
            sorter = nil
        }
        /// The per-row work once `current` holds the row's GROUP BY values.
        func groupRow(_ rowScope: Scope) throws(DBError) {
            let newGroup = b.makeLabel(), sameGroup = b.makeLabel()
            b.emit(.IfNot, hasGroup, newGroup)
            b.emit(.Compare, current, previous, Int32(nG), .keyInfo(groupKeys))
            b.emit(.Jump, newGroup, sameGroup, newGroup)
            b.resolve(newGroup)
            let firstGroup = b.makeLabel()
            b.emit(.IfNot, hasGroup, firstGroup)
            b.emit(.Gosub, returnReg, outputRoutine)
            b.resolve(firstGroup)
            b.emit(.Copy, current, previous, Int32(nG - 1))
            for c in calls {
                b.emit(.Null, 0, c.register)
                if let dc = c.distinctCursor {
                    b.emit(.OpenEphemeral, dc, 1, 0, .keyInfo(KeyInfo(binaryFields: c.arguments.count)))
                }
            }
            for r in captureRegs.values.sorted() { b.emit(.Null, 0, r) }
            b.emit(.Integer, 0, firstRow)
            b.emit(.Integer, 1, hasGroup)
            b.resolve(sameGroup)
            try stepAggregates(calls, rowScope, minMax: minMax, capture: captureRegs,
                               firstRow: minMaxCount == 0 ? firstRow : nil)
        }
        if direct {
            b.setOpcodeToNoop(sorterOpen)
            for (i, g) in groupBy.enumerated() { try expr(g, scope, current + Int32(i)) }
            try groupRow(scope)
            try whereEnd(loop)
        } else {
            planLine("USE TEMP B-TREE FOR GROUP BY")
            let regs = b.allocateRegisters(nG + fields.count)
            for (i, g) in groupBy.enumerated() { try expr(g, scope, regs + Int32(i)) }
            for (i, k) in fields.enumerated() { try readColumnKey(k, scope, regs + Int32(nG + i)) }
            let rec = b.allocateRegisters()
            b.emit(.MakeRecord, regs, Int32(nG + fields.count), rec)
            b.emit(.SorterInsert, groupSorter, rec)
            try whereEnd(loop)

            // Walk the sorted rows.
            let pseudo = b.allocateCursor()
            let data = b.allocateRegisters()
            b.emit(.OpenPseudo, pseudo, data, Int32(nG + fields.count))
            let walkEnd = b.makeLabel()
            b.emit(.SorterSort, groupSorter, walkEnd)
            let top = b.count
            b.emit(.SorterData, groupSorter, data, pseudo)
            var fieldMap = groupFields
            for (i, k) in fields.enumerated() { fieldMap[k] = Int32(nG + i) }
            let rowScope = Scope(terms: scope.terms, parent: scope.parent)
            rowScope.namedTerms = scope.namedTerms
            for t in scope.terms + scope.nameTerms.filter({ $0.outerJoinLoop != nil }) {
                rowScope.redirects[ObjectIdentifier(t)] = .cursorFields(cursor: pseudo, fields: fieldMap)
            }
            for i in 0..<nG { b.emit(.Column, pseudo, Int32(i), current + Int32(i)) }
            try groupRow(rowScope)
            b.emit(.SorterNext, groupSorter, top)
            b.resolve(walkEnd)
        }
        let afterLast = b.makeLabel()
        b.emit(.IfNot, hasGroup, afterLast)
        b.emit(.Gosub, returnReg, outputRoutine)
        b.resolve(afterLast)
        let afterRoutine = b.makeLabel()
        b.emit(.Goto, 0, afterRoutine)

        // The output subroutine: finish the accumulators and emit the group's row.
        b.resolve(outputRoutine)
        let ret = b.makeLabel()
        for c in calls { b.emit(.AggFinal, c.register, Int32(c.arguments.count), 0, .function(c.definition)) }
        let outScope = aggregateOutputScope(scope, calls: calls, groups: groupBy, groupRegs: previous,
                                            captured: captureRegs)
        try outputGroup(results, core.having, sortKeys, sorter, distinctResults, limits, destination, outScope,
                        skip: ret, stop: end)
        b.resolve(ret)
        b.emit(.Return, returnReg)
        b.resolve(afterRoutine)
    }

    /// AggStep for every aggregate, honouring FILTER and DISTINCT, then the bare-column captures.
    private func stepAggregates(_ calls: [AggregateCall], _ scope: Scope, minMax: Bool,
                                capture: [ColumnKey: Int32], firstRow: Int32? = nil) throws(DBError) {
        var changedReg: Int32?
        for c in calls {
            let skip = b.makeLabel()
            if let f = c.filter { try jumpIfFalse(f, scope, skip, jumpIfNull: true) }
            let argc = c.arguments.count
            let base = b.allocateRegisters(max(argc, 1))
            for (i, a) in c.arguments.enumerated() { try expr(a, scope, base + Int32(i)) }
            if let dc = c.distinctCursor {
                b.emit(.Found, dc, skip, base, .int64(Int64(argc)))
                let rec = b.allocateRegisters()
                b.emit(.MakeRecord, base, Int32(argc), rec)
                b.emit(.IdxInsert, dc, rec, base, .int64(Int64(argc)), InsertFlags.useSeekResult)
            }
            var coll = Collation.binary
            if c.definition.flags.contains(.needsCollation), let a = c.arguments.first, let (cl, _) = collation(of: a, scope) {
                coll = cl
            }
            var p1: Int32 = Int32(coll.rawValue)
            if minMax && c.definition.flags.contains(.minMax) {
                let r = b.allocateRegisters()
                changedReg = r
                b.emit(.Integer, 0, r)
                p1 |= r << 8
            }
            b.emit(.AggStep, p1, base, c.register, .function(c.definition), UInt16(argc))
            b.resolve(skip)
        }
        let skipCapture = b.makeLabel()
        if let r = changedReg {
            b.emit(.IfNot, r, skipCapture)
        } else if let f = firstRow, !capture.isEmpty {
            // Without min() or max(), bare columns come from the first row (updateAccumulator's OP_If).
            b.emit(.If, f, skipCapture)
            b.emit(.Integer, 1, f)
        }
        for (k, r) in capture.sorted(by: { $0.value < $1.value }) { try readColumnKey(k, scope, r) }
        b.resolve(skipCapture)
    }

    /// Emits one finished group: HAVING, then the result row to DISTINCT/sorter/destination.
    private func outputGroup(_ results: [ResultColumnSpec], _ having: Expr?, _ sortKeys: [SortKey],
                             _ sorter: SorterState?, _ distinct: Int32?, _ limits: LimitRegisters,
                             _ destination: Destination, _ scope: Scope, skip: Int32, stop: Int32) throws(DBError) {
        if let h = having { try jumpIfFalse(h, scope, skip, jumpIfNull: true) }
        let base = b.allocateRegisters(results.count)
        for (i, r) in results.enumerated() { try expr(r.expr, scope, base + Int32(i)) }
        if let d = distinct {
            b.emit(.Found, d, skip, base, .int64(Int64(results.count)))
            let rec = b.allocateRegisters()
            b.emit(.MakeRecord, base, Int32(results.count), rec)
            b.emit(.IdxInsert, d, rec, base, .int64(Int64(results.count)), InsertFlags.useSeekResult)
        }
        if let s = sorter {
            try sorterInsert(s, sortKeys, base: base, scope: scope)
        } else {
            try emitRow(destination, base: base, count: results.count, skip: limits.offset.map { ($0, skip) },
                        stop: stop, limit: limits.limit)
        }
    }

    /// The scope output expressions compile in: aggregates and GROUP BY terms read their registers,
    /// other column references their captured values.
    private func aggregateOutputScope(_ scope: Scope, calls: [AggregateCall], groups: [Expr], groupRegs: Int32,
                                      captured: [ColumnKey: Int32]) -> Scope {
        let out = Scope(terms: scope.terms, parent: scope.parent)
        out.namedTerms = scope.namedTerms
        out.resultAliases = scope.resultAliases
        out.aggregateMode = true
        for c in calls { out.precomputed[c.expr] = c.register }
        for (i, g) in groups.enumerated() where out.precomputed[g] == nil { out.precomputed[g] = groupRegs + Int32(i) }
        for t in scope.terms + scope.nameTerms.filter({ $0.outerJoinLoop != nil }) {
            out.redirects[ObjectIdentifier(t)] = .registerMap(captured)
        }
        return out
    }

    /// GROUP BY terms: a number is a result column, an alias names one, otherwise an expression.
    private func resolveGroupBy(_ terms: [Expr], _ results: [ResultColumnSpec], _ scope: Scope) throws(DBError) -> [Expr] {
        var out: [Expr] = []
        for (n, e) in terms.enumerated() {
            var x = e
            if let v = e.constantValue, case .integer(let k) = v {
                guard k >= 1 && k <= Int64(results.count) else {
                    throw DBError(.error, "\(ordinal(n + 1)) GROUP BY term out of range - should be between 1 and \(results.count)")
                }
                x = results[Int(k) - 1].expr
            } else if case .column(let ref) = e.kind, ref.table == nil, (try? scope.resolveHere(ref)) == nil,
                      let r = results.first(where: { $0.alias.map { namesMatch($0, ref.column.name) } ?? false }) {
                x = r.expr
            }
            if containsAggregate(x) || !claimedAggregates(in: [x], scope).isEmpty {
                throw DBError(.error, "aggregate functions are not allowed in the GROUP BY clause")
            }
            out.append(x)
        }
        return out
    }

    /// Every aggregate call in `exprs` (each distinct call once), with registers allocated.
    /// The aggregate calls the query of `scope` computes: those in `exprs` that are its own (not an enclosing
    /// query's) and those of its subqueries that name only its columns (Compiler+OuterAggregates.swift).
    private func collectAggregates(_ exprs: [Expr], _ scope: Scope) throws(DBError) -> [AggregateCall] {
        var calls: [AggregateCall] = []
        var failure: DBError?
        func add(_ x: Expr, _ call: FunctionCall) -> Bool {
            var args: [Expr] = []
            var star = false
            var distinct = false
            switch call.arguments {
            case .star: star = true
            case .list(let q, let l):
                args = l
                distinct = q == .distinct
            }
            guard case .found(let def) = connection.functions.lookup(call.name.name,
                                                                     argumentCount: star ? 0 : args.count),
                  def.isAggregate else { return true }
            if call.over != nil {
                failure = DBError(.error, "window functions are not supported yet: \(call.name.name)()")
                return false
            }
            for a in args where containsAggregate(a) {
                failure = misuseOfAggregate(in: a)
                return false
            }
            if distinct && args.count != 1 {
                failure = DBError(.error, "DISTINCT aggregates must have exactly one argument")
                return false
            }
            if calls.contains(where: { $0.expr == x }) { return false }
            var c = AggregateCall(expr: x, definition: def, arguments: args, distinct: distinct, filter: call.filter,
                                  register: b.allocateRegisters(), distinctCursor: nil)
            if distinct { c.distinctCursor = b.allocateCursor() }
            calls.append(c)
            return false
        }
        for e in exprs {
            visitExpressions(e) { x in
                guard failure == nil else { return false }
                guard case .function(let call) = x.kind else { return true }
                // An enclosing query's aggregate: it computes it; this query reads its register.
                if isAggregateCall(x) && belongsToEnclosingQuery(x, scope) { return false }
                return add(x, call)
            }
        }
        for x in claimedAggregates(in: exprs, scope) {
            guard failure == nil else { break }
            if case .function(let call) = x.kind, !add(x, call) {
                if let i = calls.lastIndex(where: { $0.expr == x }) { calls[i].claimed = true }
            }
        }
        if let failure { throw failure }
        return calls
    }

    /// The columns of this scope's terms that `exprs` read; `outsideAggregates` skips aggregate arguments.
    private func columnKeys(in exprs: [Expr], _ scope: Scope, outsideAggregates: Bool) -> [ColumnKey] {
        var keys: [ColumnKey] = []
        for e in exprs {
            visitExpressions(e) { x in
                if outsideAggregates, case .function(let call) = x.kind {
                    var argc = 0
                    var star = false
                    switch call.arguments {
                    case .star: star = true
                    case .list(_, let l): argc = l.count
                    }
                    if case .found(let def) = connection.functions.lookup(call.name.name,
                                                                          argumentCount: star ? 0 : argc),
                       def.isAggregate { return false }
                }
                // A subquery's references to this query's columns read them as bare columns too (analyzeAggregate
                // walks into subqueries: the outer column becomes a TK_AGG_COLUMN, captured per group).
                var sub: Select?
                switch x.kind {
                case .exists(let s), .subquery(let s): sub = s
                case .in(let i): if case .select(let s) = i.target { sub = s }
                default: break
                }
                if let sub {
                    var refs: [ColumnReference] = []
                    collectOuterReferences(sub, inner: [], &refs)
                    keys.append(contentsOf: columnKeys(in: refs.map { Expr(.column($0)) }, scope, outsideAggregates: false))
                }
                if case .column(let ref) = x.kind, let binding = try? scope.resolveHere(ref) {
                    switch binding {
                    case .column, .rowid: keys.append(binding.columnKey!)
                    case .expression(let e, let inner, let view, let i):
                        // A column of a view flattened into an outer join is captured whole, with its NULL
                        // test (sqlite3's TK_IF_NULL_ROW is an aggregate column of its own).
                        if view.outerJoinLoop != nil && !isBareColumn(e) {
                            keys.append(ColumnKey(term: ObjectIdentifier(view), column: i))
                            return true
                        }
                        keys.append(contentsOf: columnKeys(in: [e], inner, outsideAggregates: false))
                    }
                }
                return true
            }
        }
        return keys
    }

    /// Column keys in a stable order: by FROM term, then column (never by memory address).
    private func sortedKeys(_ keys: some Sequence<ColumnKey>, _ scope: Scope) -> [ColumnKey] {
        func position(_ k: ColumnKey) -> Int {
            scope.terms.firstIndex { ObjectIdentifier($0) == k.term }
                ?? scope.nameTerms.firstIndex { ObjectIdentifier($0) == k.term }.map { scope.terms.count + $0 } ?? 0
        }
        return keys.sorted { (position($0), $0.column) < (position($1), $1.column) }
    }

    private func uniqueKeys(_ keys: [ColumnKey]) -> [ColumnKey] {
        var seen = Set<ColumnKey>()
        return keys.filter { seen.insert($0).inserted }
    }

    /// The GROUP BY terms that are plain references to a column (or the rowid) of this query's own FROM
    /// items: each column's field in the grouping sorter's records (the first term naming it).
    private func groupByColumnFields(_ groupBy: [Expr], _ scope: Scope) -> [ColumnKey: Int32] {
        var out: [ColumnKey: Int32] = [:]
        for (i, g) in groupBy.enumerated() {
            guard case .column(let ref) = g.kind, let key = (try? scope.resolveHere(ref))?.columnKey else { continue }
            if out[key] == nil { out[key] = Int32(i) }
        }
        return out
    }

    /// Loads the column `key` names (through the scope's redirects) into `target`.
    private func readColumnKey(_ key: ColumnKey, _ scope: Scope, _ target: Int32) throws(DBError) {
        guard let term = scope.terms.first(where: { ObjectIdentifier($0) == key.term })
                ?? scope.nameTerms.first(where: { ObjectIdentifier($0) == key.term }) else {
            throw DBError(.internal, "column of an unknown term")
        }
        try loadColumn(key.column < 0 ? .rowid(term) : Scope.binding(term, key.column), scope, target)
    }
}
