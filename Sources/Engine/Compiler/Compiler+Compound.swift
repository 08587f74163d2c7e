// Compiler+Compound: UNION, UNION ALL, INTERSECT and EXCEPT
// (lang_select.html §5), evaluated left to right through ephemeral tables.
//
// The running result is an ephemeral table (a multiset, in arrival order)
// or an ephemeral index keyed by the whole row (a set, in key order). UNION
// ALL appends to a table; UNION, INTERSECT and EXCEPT produce an index. So
// `SELECT 2 UNION SELECT 1` comes out 1, 2 and `SELECT 2 UNION ALL SELECT 1`
// comes out 2, 1, as in sqlite3. ORDER BY terms of a compound must name a
// result column (by number, name or an expression of the first SELECT);
// rows are then sorted, and LIMIT/OFFSET apply to the final result. Of rows
// equal as keys (under NOCASE, say) the set keeps the one sqlite3 returns:
// without ORDER BY the last inserted (its ephemeral index replaces), with one
// what multiSelectOrderBy's merge keeps: a UNION's right arm's first such row,
// else the left side's first.

import Base
import Storage
import SQL

extension Compiler {
    func compileCompound(_ s: Select, parent: Scope?, destination: Destination) throws(DBError) -> ResultInfo {
        let cores = s.cores
        let ops: [CompoundOperator] = s.compounds.map(\.op)
        // The first core decides names, affinities and collations.
        var info: ResultInfo?
        var firstResults: [ResultColumnSpec] = []
        var current = b.allocateCursor()
        var currentIsIndex = false
        var keyInfo = KeyInfo(binaryFields: 0)
        func runCore(_ core: SelectCore, into dest: Destination) throws(DBError) -> ResultInfo {
            switch core {
            case .select(let c):
                return try compileCore(c, orderBy: [], limit: nil, parent: parent, destination: dest)
            case .values(let rows, let range):
                return try compileSelect(Select(first: .values(rows, range: range)), parent: parent, destination: dest)
            }
        }
        // The first core into a table, or straight into an index when the first operator makes a set (its
        // key, the first core's collations, is known only once the core is compiled: filled in then).
        // EXPLAIN QUERY PLAN as multiSelect prints it: "COMPOUND QUERY" over "LEFT-MOST SUBQUERY" and one line
        // per operator. (With an ORDER BY sqlite3 merges sorted arms instead, multiSelectOrderBy, and a
        // multi-row VALUES arm is split into one arm per row; neither is how these run here, so those
        // compounds list their arms' lines alone.)
        let plansArms = s.orderBy.isEmpty && !cores.contains { if case .values(let rows, _) = $0 { rows.count > 1 } else { false } }
        if plansArms { planParents.append(planLine("COMPOUND QUERY")) }
        defer { if plansArms { planParents.removeLast() } }
        let firstIsSet = ops.first != .unionAll
        // With an ORDER BY, sqlite3 merges the arms sorted (multiSelectOrderBy), and of rows equal as keys the
        // result keeps the first of the right arm that has one (UNION: A==B skips A's) or else the first of
        // the left side's (its deduplication keeps the first): sets are built keeping each key's first row,
        // and a UNION's right arm replaces the left side's. Without one, a later equal row replaces the
        // earlier in the ephemeral index, as in sqlite3.
        let merged = !s.orderBy.isEmpty
        let setDestination: (Int32) -> Destination = { cursor in
            merged ? .indexKeepingFirst(cursor: cursor) : .index(cursor: cursor, nullFlag: nil)
        }
        let firstOpen = b.emit(.OpenEphemeral, current, 0)
        let firstInfo: ResultInfo
        do {
            if plansArms { planParents.append(planLine("LEFT-MOST SUBQUERY")) }
            defer { if plansArms { planParents.removeLast() } }
            firstInfo = try runCore(cores[0], into: firstIsSet ? setDestination(current) : .table(cursor: current))
        }
        info = firstInfo
        if case .select(let c) = cores[0] {
            let scope = Scope(terms: [], parent: parent)
            firstResults = (try? expandFirstResults(c, scope)) ?? []
        }
        keyInfo = KeyInfo(collations: firstInfo.collations, descending: Array(repeating: false, count: firstInfo.count))
        let width = firstInfo.count
        // Columns the first arm gives no collation take the first later arm's that does (multiSelectCollSeq):
        // the indexes opened before that arm is compiled get the final key description at the end.
        var collationCarried = firstInfo.collationCarried.count == width
            ? firstInfo.collationCarried : Array(repeating: true, count: width)
        var keyedOpens: [Int32] = []
        var collationsAdopted = false
        func adoptCollations(_ got: ResultInfo) {
            guard got.collationCarried.count == width, got.collations.count == width else { return }
            for i in 0..<width where !collationCarried[i] && got.collationCarried[i] {
                keyInfo.collations[i] = got.collations[i]
                collationCarried[i] = true
                collationsAdopted = true
            }
        }
        if firstIsSet {
            b.setP2(firstOpen, Int32(width))
            b.setP4(firstOpen, .keyInfo(keyInfo))
            keyedOpens.append(firstOpen)
            currentIsIndex = true
        }
        for (n, op) in ops.enumerated() {
            let core = cores[n + 1]
            let opLine = op == .unionAll ? "UNION ALL" : "\(op.name) USING TEMP B-TREE"
            if plansArms { planParents.append(planLine(opLine)) }
            defer { if plansArms { planParents.removeLast() } }
            func checkWidth(_ got: ResultInfo) throws(DBError) {
                if got.count != width {
                    throw DBError(.error, "SELECTs to the left and right of \(op.name) do not have the same number of result columns")
                }
                adoptCollations(got)
            }
            switch op {
            case .unionAll:
                if currentIsIndex {
                    let table = b.allocateCursor()
                    b.emit(.OpenEphemeral, table, 0)
                    copyRows(from: current, to: table, width: width, toIndex: false)
                    current = table
                    currentIsIndex = false
                }
                try checkWidth(try runCore(core, into: .table(cursor: current)))
            case .union:
                let index = try asIndex(current, currentIsIndex, width, keyInfo, keepingFirst: merged, opens: &keyedOpens)
                if merged {
                    // The right arm's first rows, then over the left side's.
                    let right = b.allocateCursor()
                    keyedOpens.append(b.emit(.OpenEphemeral, right, Int32(width), 0, .keyInfo(keyInfo)))
                    try checkWidth(try runCore(core, into: .indexKeepingFirst(cursor: right)))
                    copyRows(from: right, to: index, width: width, toIndex: true)
                } else {
                    try checkWidth(try runCore(core, into: .index(cursor: index, nullFlag: nil)))
                }
                current = index
                currentIsIndex = true
            case .intersect:
                let left = try asIndex(current, currentIsIndex, width, keyInfo, keepingFirst: merged, opens: &keyedOpens)
                let right = b.allocateCursor()
                keyedOpens.append(b.emit(.OpenEphemeral, right, Int32(width), 0, .keyInfo(keyInfo)))
                try checkWidth(try runCore(core, into: .index(cursor: right, nullFlag: nil)))
                let result = b.allocateCursor()
                keyedOpens.append(b.emit(.OpenEphemeral, result, Int32(width), 0, .keyInfo(keyInfo)))
                let done = b.makeLabel()
                b.emit(.Rewind, left, done)
                let top = b.count
                let regs = b.allocateRegisters(width)
                for i in 0..<width { b.emit(.Column, left, Int32(i), regs + Int32(i)) }
                let next = b.makeLabel()
                b.emit(.NotFound, right, next, regs, .int64(Int64(width)))
                emitIndexInsert(result, regs, width)
                b.resolve(next)
                b.emit(.Next, left, top)
                b.resolve(done)
                current = result
                currentIsIndex = true
            case .except:
                let index = try asIndex(current, currentIsIndex, width, keyInfo, keepingFirst: merged, opens: &keyedOpens)
                try checkWidth(try runCore(core, into: .removeFromIndex(cursor: index)))
                current = index
                currentIsIndex = true
            }
        }
        // The sort takes those collations too (multiSelectOrderByKeyInfo); the result's columns, seen from an
        // enclosing query, keep the first arm's (sqlite3SubqueryColumnTypes reads the leftmost SELECT).
        var orderInfo = info!
        if collationsAdopted {
            for address in keyedOpens { b.setP4(address, .keyInfo(keyInfo)) }
            orderInfo.collations = keyInfo.collations
        }
        // Output, sorted if asked.
        let end = b.makeLabel()
        let scope = Scope(terms: [], parent: parent)
        let limits = try setupLimit(s.limit, scope, end: end)
        var sortKeys: [(column: Int, descending: Bool, collation: Collation, nullsFirst: Bool?)] = []
        for (n, t) in s.orderBy.enumerated() {
            let (column, collation) = try compoundOrderTerm(t, n, orderInfo, firstResults: firstResults)
            sortKeys.append((column, t.order == .descending, collation, t.nulls.map { $0 == .first }))
        }
        // A set's index already holds its rows in the order of ascending leading columns under their own
        // collations, ties broken by the next columns, as sqlite3's merge (multiSelectOrderBy) orders them.
        if currentIsIndex, sortKeys.count <= width, sortKeys.enumerated().allSatisfy({ k, key in
            key.column == k && !key.descending && key.collation == keyInfo.collations[k] && key.nullsFirst != false
        }) {
            sortKeys = []
        }
        let done = b.makeLabel()
        if sortKeys.isEmpty {
            b.emit(.Rewind, current, done)
            let top = b.count
            let next = b.makeLabel()
            let regs = b.allocateRegisters(width)
            for i in 0..<width { b.emit(.Column, current, Int32(i), regs + Int32(i)) }
            try emitRow(destination, base: regs, count: width, skip: limits.offset.map { ($0, next) }, stop: done,
                        limit: limits.limit)
            b.resolve(next)
            b.emit(.Next, current, top)
        } else {
            let keys = sortKeys.map { SortKey(expr: Expr(.literal(.null)), descending: $0.descending, collation: $0.collation,
                                              nullsFirst: $0.nullsFirst) }
            let sorter = openSorter(keys, width: width)
            b.emit(.Rewind, current, done)
            let top = b.count
            let regs = b.allocateRegisters(sorter.keyCount + width)
            var field: Int32 = 0
            for (k, key) in zip(sortKeys, keys) {
                if Self.reversesNulls(key) {
                    b.emit(.Column, current, Int32(k.column), regs + field + 1)
                    emitNullFlag(regs + field + 1, into: regs + field)
                    field += 2
                } else {
                    b.emit(.Column, current, Int32(k.column), regs + field)
                    field += 1
                }
            }
            for i in 0..<width { b.emit(.Column, current, Int32(i), regs + Int32(sorter.keyCount + i)) }
            let rec = b.allocateRegisters()
            b.emit(.MakeRecord, regs, Int32(sorter.keyCount + width), rec)
            b.emit(.SorterInsert, sorter.cursor, rec)
            b.emit(.Next, current, top)
            b.resolve(done)
            try sorterOutput(sorter, width: width, destination: destination, limits: limits, end: end)
            b.resolve(end)
            return info!
        }
        b.resolve(done)
        b.resolve(end)
        return info!
    }

    func expandFirstResults(_ core: SimpleSelect, _ scope: Scope) throws(DBError) -> [ResultColumnSpec] {
        // Only the expressions matter (ORDER BY may repeat one); FROM terms are not needed to compare ASTs.
        core.columns.compactMap { c in
            if case .expr(let e, let alias, _) = c { return ResultColumnSpec(expr: e, name: "", alias: alias?.name) }
            return nil
        }
    }

    /// The result column the `n`th ORDER BY term of a compound SELECT (or of a recursive CTE) names, and its
    /// collation: the term's COLLATE, else the column's (resolveOrderGroupBy's rules for compounds).
    func compoundOrderTerm(_ t: OrderingTerm, _ n: Int, _ info: ResultInfo,
                           firstResults: [ResultColumnSpec]) throws(DBError) -> (column: Int, collation: Collation) {
        var e = t.expr
        var coll: Collation?
        if case .collate(let inner, let name) = e.kind {
            guard let c = Collation(name: name.name) else {
                throw DBError(.errorMissingCollseq, "no such collation sequence: \(name.name)")
            }
            coll = c
            e = inner
        }
        if let v = e.constantValue, case .integer(let k) = v, k < 1 || k > Int64(info.count) {
            var error = DBError(.error, "\(ordinal(n + 1)) ORDER BY term out of range - should be between 1 and \(info.count)")
            if e.range.end > e.range.start { error.offset = Int(e.range.start) }
            throw error
        }
        guard let column = compoundOrderColumn(e, names: info.names, firstResults: firstResults) else {
            throw DBError(.error, "\(ordinal(n + 1)) ORDER BY term does not match any column in the result set")
        }
        return (column, coll ?? info.collations[column])
    }

    private func compoundOrderColumn(_ e: Expr, names: [String], firstResults: [ResultColumnSpec]) -> Int? {
        if let v = e.constantValue, case .integer(let k) = v {
            return k >= 1 && k <= Int64(names.count) ? Int(k) - 1 : nil
        }
        if case .column(let ref) = e.kind, ref.table == nil {
            if let i = firstResults.firstIndex(where: { $0.alias.map { namesMatch($0, ref.column.name) } ?? false }) {
                return i
            }
            if let i = names.firstIndex(where: { namesMatch($0, ref.column.name) }) { return i }
        }
        if let i = firstResults.firstIndex(where: { $0.expr == e }) { return i }
        return nil
    }

    /// The running result as an ephemeral index (copying a table's rows into a new index if needed).
    private func asIndex(_ cursor: Int32, _ isIndex: Bool, _ width: Int, _ keyInfo: KeyInfo,
                         keepingFirst: Bool, opens: inout [Int32]) throws(DBError) -> Int32 {
        if isIndex { return cursor }
        let index = b.allocateCursor()
        opens.append(b.emit(.OpenEphemeral, index, Int32(width), 0, .keyInfo(keyInfo)))
        copyRows(from: cursor, to: index, width: width, toIndex: true, keepingFirst: keepingFirst)
        return index
    }

    private func copyRows(from source: Int32, to target: Int32, width: Int, toIndex: Bool, keepingFirst: Bool = false) {
        let done = b.makeLabel()
        b.emit(.Rewind, source, done)
        let top = b.count
        let regs = b.allocateRegisters(width)
        for i in 0..<width { b.emit(.Column, source, Int32(i), regs + Int32(i)) }
        let rec = b.allocateRegisters()
        let next = b.makeLabel()
        if toIndex && keepingFirst { b.emit(.Found, target, next, regs, .int64(Int64(width))) }
        if toIndex {
            emitIndexInsert(target, regs, width, record: rec)
        } else {
            b.emit(.MakeRecord, regs, Int32(width), rec)
            let rowid = b.allocateRegisters()
            b.emit(.NewRowid, target, rowid)
            b.emit(.Insert, target, rec, rowid)
        }
        b.resolve(next)
        b.emit(.Next, source, top)
        b.resolve(done)
    }
}
