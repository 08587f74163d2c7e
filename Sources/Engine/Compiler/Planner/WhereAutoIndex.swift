// WhereAutoIndex: an automatic (transient) index for a join level that has
// no usable index (where.c's constructAutomaticIndex).
//
// The index is built once per statement (OP_Once) from a full scan of the
// table. Its key is every column an `=`/IS term can bind given the outer
// loops (in WHERE-term order), then every other column the query reads
// (BINARY, ascending column number), then the rowid — so rows with equal
// keys come out in the order of those extra columns, as in sqlite3. Terms
// that read only this table make it a partial index (rows failing them are
// left out).

import Base
import Storage
import SQL

extension Compiler {
    /// Builds the automatic index for `loop`, rewrites the loop's terms to its key columns, and points the
    /// FROM term's column reads at it. Returns the index's description and the rewritten loop.
    func buildAutomaticIndex(_ info: WhereInfo, _ loopIn: WhereLoop,
                             _ notReady: UInt64) throws(DBError) -> (PlanIndex, WhereLoop) {
        var loop = loopIn
        let i = loop.tab
        let term = info.scope.terms[i]
        let wc = info.clause
        var keyTerms: [TermRef] = []
        var keyColumns: [Int] = []
        var collations: [Collation] = []
        var idxCols: UInt64 = 0
        var partial: [WhereTerm] = []
        for k in wc.terms.indices {
            let t = wc.terms[k]
            if !t.isVirtual && isTableConstraint(info, t, i) { partial.append(t) }
            guard termCanDriveIndex(info, t, i, notReady: notReady) else { continue }
            let bit: UInt64 = t.leftColumn >= 63 ? UInt64(1) << 63 : UInt64(1) << UInt64(t.leftColumn)
            if idxCols & bit != 0 { continue }
            idxCols |= bit
            keyTerms.append(TermRef(clause: wc, index: k))
            keyColumns.append(t.leftColumn)
            collations.append(t.collation)
        }
        let used = info.columnsUsed[i] == UInt64.max ? usedColumnMask(term) : info.columnsUsed[i]
        let columnCount = term.columnNames.count
        var extras: [Int] = []
        let extraBits = used & (~idxCols | (UInt64(1) << 63))
        for c in 0..<min(63, columnCount) where extraBits & (UInt64(1) << UInt64(c)) != 0 { extras.append(c) }
        if used & (UInt64(1) << 63) != 0 && columnCount > 63 { extras += Array(63..<columnCount) }
        let p = PlanIndex(kind: .automatic, index: nil, table: term.table, name: "auto-index")
        p.columns = keyColumns + extras + [-1]
        p.expressions = Array(repeating: nil, count: p.columns.count)
        p.collations = collations + Array(repeating: .binary, count: extras.count + 1)
        p.descending = Array(repeating: false, count: p.columns.count)
        p.keyCount = keyColumns.count
        p.unique = false
        loop.terms = keyTerms
        loop.nEq = keyTerms.count
        loop.flags = [.columnEq, .indexOnly, .indexed, .autoIndex]
        if !partial.isEmpty { loop.flags.insert(.partialIndex) }
        // Build it once.
        let cursor = b.allocateCursor()
        let once = b.allocateRegisters()
        let skip = b.makeLabel()
        b.emit(.Once, once, skip)
        b.emit(.OpenEphemeral, cursor, Int32(p.columns.count), 0,
               .keyInfo(KeyInfo(collations: p.collations, descending: p.descending)))
        let done = b.makeLabel()
        let top = b.emit(.Rewind, term.cursor, done) + 1
        let next = b.makeLabel()
        for t in partial { try jumpIfFalse(t.expr, t.scope, next, jumpIfNull: true) }
        let regs = b.allocateRegisters(p.columns.count)
        for (k, c) in p.columns.enumerated() {
            if c < 0 {
                b.emit(.Rowid, term.cursor, regs + Int32(k))
            } else {
                try readTableColumn(term, c, regs + Int32(k))
            }
        }
        let rec = b.allocateRegisters()
        b.emit(.MakeRecord, regs, Int32(p.columns.count), rec)
        b.emit(.IdxInsert, cursor, rec, regs, .int64(Int64(p.columns.count)))
        b.resolve(next)
        b.emit(.Next, term.cursor, top)
        b.resolve(done)
        b.resolve(skip)
        term.coveringCursor = cursor
        if let table = term.table {
            let fake = Index(name: "auto-index", table: table)
            fake.columns = (keyColumns + extras).map { c in
                IndexColumn(source: .column(c), collation: .binary, descending: false)
            }
            term.coveringIndex = fake
        } else {
            var fields = Array(repeating: -1, count: columnCount)
            for (k, c) in p.columns.enumerated() where c >= 0 && c < columnCount && fields[c] < 0 { fields[c] = k }
            term.coveringFields = fields
        }
        return (p, loop)
    }

    /// The column mask of every column of a term (when its usage is unknown).
    private func usedColumnMask(_ term: FromTerm) -> UInt64 {
        var m: UInt64 = 0
        for c in 0..<term.columnNames.count where term.table?.rowidAlias != c {
            m |= c < 63 ? UInt64(1) << UInt64(c) : UInt64(1) << 63
        }
        return m
    }

    /// sqlite3ExprIsTableConstraint: does the term read only loop `i` (no subquery, no varying function)?
    func isTableConstraint(_ info: WhereInfo, _ t: WhereTerm, _ i: Int) -> Bool {
        if info.scope.terms[i].leftOfRightJoin { return false }
        if isLeftJoin(info, i) {
            if t.outerJoin != i { return false }
        } else if t.outerJoin != nil {
            return false
        }
        if containsSubquery(t.expr) || !isDeterministic(t.expr) { return false }
        var ok = true
        visitExpressions(t.expr) { x in
            if case .column = x.kind {
                if let c = plannerColumn(x, t.scope, loops: info.scope), c.term == i {
                    return true
                }
                if case .column(let ref) = x.kind, ref.table == nil,
                   ref.column.isBooleanKeyword || ref.column.quoting == .doubleQuotes,
                   (try? t.scope.resolve(ref)) == nil {
                    return true
                }
                ok = false
            }
            return ok
        }
        return ok
    }
}
