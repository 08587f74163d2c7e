// Compiler+RecursiveCTE: WITH RECURSIVE (https://sqlite.org/lang_with.html
// §3): the initial SELECTs fill a queue; then, one row at a time, the row
// at the front of the queue leaves it, becomes a row of the result, and is
// the whole of the CTE table while the recursive SELECTs run, adding their
// rows to the back of the queue. UNION (not UNION ALL) drops rows already
// seen. LIMIT stops the recursion once that many rows were produced. With an
// ORDER BY the queue is a priority queue: the row that leaves it is the first
// in that order (ties in the order they were queued), as select.c's
// generateWithRecursiveQuery keys its queue by the ORDER BY terms, a sequence
// number and the row.
// When the CTE is the only FROM item of its query, it runs as a co-routine:
// each row is yielded to the query's loop as it leaves the queue, so an
// unbounded recursion stops when the reader does (an outer LIMIT); otherwise
// its rows are collected in an ephemeral table first, once per statement.
// The row being processed is read by the recursive part through a
// pseudo-cursor on the register holding its record.

import Base
import Storage
import SQL

extension Compiler {
    /// The index of the first recursive term of a CTE named `cteName`, after select.c's checks
    /// (resolveFromTermToCte): counting from the right, the terms whose own FROM names the CTE are
    /// the recursive ones (once each: "multiple references to recursive table"); the terms before
    /// them may not name it at all ("circular reference"), nor may anything else in the CTE
    /// ("multiple recursive references"; "circular reference" when no term is recursive).
    func recursiveTerms(_ select: Select, _ cteName: String) throws(DBError) -> Int {
        let cores = select.cores
        var first = cores.count
        if let lastOp = select.compounds.last?.op, lastOp == .union || lastOp == .unionAll {
            while first > 1 {
                let direct = directTableMentions(cores[first - 1], cteName)
                if direct == 0 { break }
                if direct > 1 { throw DBError(.error, "multiple references to recursive table: \(cteName)") }
                first -= 1
            }
        }
        let initialMentions = cores[..<first].reduce(0) { $0 + tableMentions($1, cteName) }
        if first == cores.count || initialMentions > 0 {
            throw DBError(.error, "circular reference: \(cteName)")
        }
        if tableMentions(select, cteName) > cores.count - first {
            throw DBError(.error, "multiple recursive references: \(cteName)")
        }
        return first
    }

    /// `stream`: run as a co-routine. `fillOnce`: when collected in a table, fill it once per statement
    /// (select.c guards the materialization of an uncorrelated FROM item with Once; the CTE's SELECTs
    /// never see an outer scope here), not each time the query holding it runs — a recursive step, a
    /// correlated subquery. Inside a trigger body, whose code runs here for each row, always refilled
    /// (SQLite runs a trigger as a subprogram whose Once flags start clear at each call).
    func materializeRecursiveCTE(_ select: Select, name: String, cteName: String, columnNames: [String]?,
                                 stream: Bool = false, fillOnce: Bool = false) throws(DBError) -> FromTerm {
        let cores = select.cores
        let ops = select.compounds.map(\.op)
        let firstRecursive = try recursiveTerms(select, cteName)
        guard ops.allSatisfy({ $0 == .union || $0 == .unionAll }) else {
            throw DBError(.error, "recursive reference in a subquery: \(cteName)")
        }
        // generateWithRecursiveQuery: the recursive SELECT may not be an aggregate.
        if case .select(let last) = cores[cores.count - 1], !last.groupBy.isEmpty
            || last.columns.contains(where: { if case .expr(let e, _, _) = $0 { return containsAggregate(e) } else { return false } })
            || (last.having.map(containsAggregate) ?? false) {
            throw DBError(.error, "recursive aggregate queries not supported")
        }
        let distinct = ops.contains(.union)
        let result = b.allocateCursor(), queue = b.allocateCursor(), current = b.allocateCursor()
        // Streamed: the whole computation is a co-routine entered by the reading loop's first Yield.
        let yieldReg = stream ? b.allocateRegisters() : 0
        let initAddr = stream ? b.emit(.InitCoroutine, yieldReg, 0, Int32(b.count + 1)) : 0
        var filled: Int32?
        if !stream && fillOnce && currentTrigger == nil {
            filled = b.makeLabel()
            b.emit(.Once, b.allocateRegisters(), filled!)
        }
        if !stream { b.emit(.OpenEphemeral, result, 0) }
        // EXPLAIN QUERY PLAN: CO-ROUTINE/MATERIALIZE c, with SETUP and RECURSIVE STEP beneath it.
        planParents.append(planLine((stream ? "CO-ROUTINE " : "MATERIALIZE ") + cteName))
        defer { planParents.removeLast() }
        let queueOpen = b.emit(.OpenEphemeral, queue, 0)
        // With ORDER BY: each queue entry is [ORDER BY columns…, sequence, the row's record].
        var orderColumns: [Int] = []
        // The row being processed is the CTE table of the recursive part: a pseudo-cursor on the register
        // holding its record (select.c's iCurrent), which the recursive SELECT reads without a loop.
        let currentRecord = b.allocateRegisters()
        var seen: Int32?
        // Initial part: its shape names the columns.
        var info: ResultInfo?
        var width = 0
        func enqueue(_ base: Int32) {
            let skip = b.makeLabel()
            if let d = seen {
                b.emit(.Found, d, skip, base, .int64(Int64(width)))
                let rec = b.allocateRegisters()
                b.emit(.MakeRecord, base, Int32(width), rec)
                b.emit(.IdxInsert, d, rec, base, .int64(Int64(width)), InsertFlags.useSeekResult)
            }
            let rec = b.allocateRegisters(), rowid = b.allocateRegisters()
            b.emit(.MakeRecord, base, Int32(width), rec)
            if orderColumns.isEmpty {
                b.emit(.NewRowid, queue, rowid)
                b.emit(.Insert, queue, rec, rowid)
            } else {
                let key = b.allocateRegisters(orderColumns.count + 2)
                for (k, c) in orderColumns.enumerated() { b.emit(.SCopy, base + Int32(c), key + Int32(k)) }
                b.emit(.Sequence, queue, key + Int32(orderColumns.count))
                b.emit(.SCopy, rec, key + Int32(orderColumns.count + 1))
                let entry = b.allocateRegisters()
                b.emit(.MakeRecord, key, Int32(orderColumns.count + 2), entry)
                b.emit(.IdxInsert, queue, entry)
            }
            b.resolve(skip)
        }
        planParents.append(planLine("SETUP"))
        for core in cores[..<firstRecursive] {
            if info == nil {
                // Compile the first core once to learn its width before any row is queued.
                let probe = Compiler(connection: connection, catalog: catalog, tempCatalog: tempCatalog, source: source)
                probe.cteScopes = cteScopes
                probe.schemaObjectDatabases = schemaObjectDatabases
                let shape = try probe.compileSelect(Select(first: core), parent: nil,
                                                    destination: .callback { (_: Int32) throws(DBError) in })
                width = shape.count
                info = shape
                if !select.orderBy.isEmpty {
                    try setUpPriorityQueue(select, core, shape, queueOpen: queueOpen, queue: queue, &orderColumns)
                }
                if distinct {
                    let d = b.allocateCursor()
                    b.emit(.OpenEphemeral, d, Int32(width), 0, .keyInfo(KeyInfo(binaryFields: width)))
                    seen = d
                }
            }
            let got = try compileSelect(Select(first: core), parent: nil, destination: .callback { (base: Int32) throws(DBError) in
                enqueue(base)
            })
            if got.count != width {
                throw DBError(.error, "SELECTs to the left and right of UNION do not have the same number of result columns")
            }
        }
        planParents.removeLast()
        let names = columnNames ?? info!.names
        if names.count != width { throw DBError(.error, "table \(cteName) has \(width) values for \(names.count) columns") }
        // LIMIT on the CTE's own SELECT.
        let end = b.makeLabel()
        let limits = try setupLimit(select.limit, Scope(terms: [], parent: nil), end: end)
        b.emit(.OpenPseudo, current, currentRecord, Int32(width))
        let top = b.count
        b.emit(.Rewind, queue, end)
        let regs = b.allocateRegisters(width)
        let rec = currentRecord, rowid = b.allocateRegisters()
        if orderColumns.isEmpty {
            for i in 0..<width { b.emit(.Column, queue, Int32(i), regs + Int32(i)) }
            b.emit(.Delete, queue)
            b.emit(.MakeRecord, regs, Int32(width), rec)
            // The pseudo-cursor reads the new record (a NullRow on a pseudo-cursor only drops its cache).
            b.emit(.NullRow, current)
        } else {
            // The row's record is the entry's last field; its columns are read back through the pseudo-cursor.
            b.emit(.Column, queue, Int32(orderColumns.count + 1), rec)
            b.emit(.Delete, queue)
            b.emit(.NullRow, current)
            for i in 0..<width { b.emit(.Column, current, Int32(i), regs + Int32(i)) }
        }
        let afterOutput = b.makeLabel()
        // The row joins the result (after OFFSET), then is the CTE table for the recursive part.
        if let o = limits.offset { b.emit(.IfPos, o, afterOutput, 1) }
        if stream {
            b.emit(.Yield, yieldReg)
        } else {
            b.emit(.NewRowid, result, rowid)
            b.emit(.Insert, result, rec, rowid)
        }
        if let l = limits.limit {
            let unlimited = b.makeLabel()
            b.emit(.IsNull, l, unlimited)
            b.emit(.DecrJumpZero, l, end)
            b.resolve(unlimited)
        }
        b.resolve(afterOutput)
        let saved = boundTables[foldName(cteName)]
        boundTables[foldName(cteName)] = (current, names, info!.affinities)
        defer { boundTables[foldName(cteName)] = saved }
        planParents.append(planLine("RECURSIVE STEP"))
        defer { planParents.removeLast() }
        for core in cores[firstRecursive...] {
            let got = try compileSelect(Select(first: core), parent: nil, destination: .callback { (base: Int32) throws(DBError) in
                enqueue(base)
            })
            if got.count != width {
                throw DBError(.error, "SELECTs to the left and right of UNION do not have the same number of result columns")
            }
        }
        b.emit(.Goto, 0, top)
        b.resolve(end)
        if let filled { b.resolve(filled) }
        let term = FromTerm(name: name, table: nil, columnNames: names, affinities: info!.affinities,
                            collations: info!.collations, declaredTypes: info!.declaredTypes, cursor: result,
                            hasRowid: false)
        if stream {
            b.emit(.EndCoroutine, yieldReg)
            b.setP2(initAddr, Int32(b.count))
            term.coroutine = (yieldReg, regs)
        }
        return term
    }

    /// The ORDER BY of a recursive CTE: its terms name result columns as a compound SELECT's do; the queue
    /// becomes an index ordered by them (their collations and directions), then a sequence number.
    private func setUpPriorityQueue(_ select: Select, _ first: SelectCore, _ shape: ResultInfo, queueOpen: Int32,
                                    queue: Int32, _ orderColumns: inout [Int]) throws(DBError) {
        var firstResults: [ResultColumnSpec] = []
        if case .select(let c) = first { firstResults = (try? expandFirstResults(c, Scope(terms: [], parent: nil))) ?? [] }
        var collations: [Collation] = [], descending: [Bool] = []
        for (n, t) in select.orderBy.enumerated() {
            let (column, collation) = try compoundOrderTerm(t, n, shape, firstResults: firstResults)
            let desc = t.order == .descending
            if let nulls = t.nulls, (nulls == .first) == desc {
                throw DBError(.error, "NULLS FIRST/LAST in a recursive CTE's ORDER BY is not supported yet")
            }
            orderColumns.append(column)
            collations.append(collation)
            descending.append(desc)
        }
        let keyInfo = KeyInfo(collations: collations + [.binary, .binary], descending: descending + [false, false])
        b.setP2(queueOpen, Int32(orderColumns.count + 2))
        b.setP4(queueOpen, .keyInfo(keyInfo))
    }
}
