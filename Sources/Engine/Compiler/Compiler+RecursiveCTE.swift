// Compiler+RecursiveCTE: WITH RECURSIVE (https://sqlite.org/lang_with.html
// §3): the initial SELECTs fill a queue; then, one row at a time, the row
// at the front of the queue leaves it, becomes a row of the result, and is
// the whole of the CTE table while the recursive SELECTs run, adding their
// rows to the back of the queue. UNION (not UNION ALL) drops rows already
// seen. LIMIT stops the recursion once that many rows were produced.

import Base
import Storage
import SQL

extension Compiler {
    func materializeRecursiveCTE(_ select: Select, name: String, cteName: String,
                                 columnNames: [String]?) throws(DBError) -> FromTerm {
        let cores = select.cores
        let ops = select.compounds.map(\.op)
        guard !ops.isEmpty, ops.allSatisfy({ $0 == .union || $0 == .unionAll }) else {
            throw DBError(.error, "recursive reference in a subquery: \(cteName)")
        }
        if !select.orderBy.isEmpty { throw DBError(.error, "ORDER BY in a recursive CTE is not supported yet") }
        func isRecursive(_ core: SelectCore) -> Bool {
            isRecursiveReference(Select(first: core), cteName)
        }
        guard let firstRecursive = cores.firstIndex(where: isRecursive), firstRecursive > 0 else {
            throw DBError(.error, "circular reference: \(cteName)")
        }
        let distinct = ops.contains(.union)
        let result = b.allocateCursor(), queue = b.allocateCursor(), current = b.allocateCursor()
        b.emit(.OpenEphemeral, result, 0)
        b.emit(.OpenEphemeral, queue, 0)
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
                b.emit(.IdxInsert, d, rec, base, .int64(Int64(width)))
            }
            let rec = b.allocateRegisters(), rowid = b.allocateRegisters()
            b.emit(.MakeRecord, base, Int32(width), rec)
            b.emit(.NewRowid, queue, rowid)
            b.emit(.Insert, queue, rec, rowid)
            b.resolve(skip)
        }
        for core in cores[..<firstRecursive] {
            if info == nil {
                // Compile the first core once to learn its width before any row is queued.
                let probe = Compiler(connection: connection, catalog: catalog, source: source)
                probe.cteScopes = cteScopes
                let shape = try probe.compileSelect(Select(first: core), parent: nil,
                                                    destination: .callback { (_: Int32) throws(DBError) in })
                width = shape.count
                info = shape
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
        let names = columnNames ?? info!.names
        if names.count != width { throw DBError(.error, "table \(cteName) has \(width) values for \(names.count) columns") }
        // LIMIT on the CTE's own SELECT.
        let end = b.makeLabel()
        let limits = try setupLimit(select.limit, Scope(terms: [], parent: nil), end: end)
        let top = b.count
        b.emit(.Rewind, queue, end)
        let regs = b.allocateRegisters(width)
        for i in 0..<width { b.emit(.Column, queue, Int32(i), regs + Int32(i)) }
        b.emit(.Delete, queue)
        let afterOutput = b.makeLabel()
        // The row joins the result (after OFFSET), then is the CTE table for the recursive part.
        if let o = limits.offset { b.emit(.IfPos, o, afterOutput, 1) }
        let rec = b.allocateRegisters(), rowid = b.allocateRegisters()
        b.emit(.MakeRecord, regs, Int32(width), rec)
        b.emit(.NewRowid, result, rowid)
        b.emit(.Insert, result, rec, rowid)
        if let l = limits.limit {
            let unlimited = b.makeLabel()
            b.emit(.IsNull, l, unlimited)
            b.emit(.DecrJumpZero, l, end)
            b.resolve(unlimited)
        }
        b.resolve(afterOutput)
        b.emit(.OpenEphemeral, current, 0)
        let currentRowid = b.allocateRegisters()
        b.emit(.NewRowid, current, currentRowid)
        b.emit(.Insert, current, rec, currentRowid)
        let saved = boundTables[foldName(cteName)]
        boundTables[foldName(cteName)] = (current, names, info!.affinities)
        defer { boundTables[foldName(cteName)] = saved }
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
        return FromTerm(name: name, table: nil, columnNames: names, affinities: info!.affinities,
                        collations: info!.collations, declaredTypes: info!.declaredTypes, cursor: result, hasRowid: false)
    }
}
