// Compiler+RightJoin: RIGHT and FULL OUTER JOIN, as SQLite 3.39+ runs them
// (https://sqlite.org/lang_select.html §2.1.2; where.c's WhereRightJoin,
// wherecode.c's sqlite3WhereRightJoinLoop).
//
// The loops run in FROM order. At the right table's level, once its ON
// terms hold, the row's key (rowid, or a WITHOUT ROWID table's PRIMARY KEY)
// goes into an ephemeral index of matched rows; everything after that point
// — the WHERE terms that waited for the join, the inner loops and the body —
// is a subroutine that also runs in line. When every loop has ended, a pass
// over the right table skips the rows whose key was recorded, puts every
// table to its left on a row of NULLs and calls the subroutine for each of
// the others. The pass applies the WHERE terms that read only those tables
// (not the ON terms). A FULL JOIN is a LEFT JOIN too: its right table also
// gets a row of NULLs for each left row with no match.
//
// Invariants: the terms left of a RIGHT JOIN keep their FROM order
// (addAllLoops) and test no WHERE term at their own levels (the term would
// remove a left row before it could match); the right table is always read
// through its own cursor, never only through a covering index.

import Base
import Storage
import SQL

extension Compiler {
    /// The key recorded for a matched row of `term`: its rowid, or the PRIMARY KEY of a WITHOUT ROWID table.
    func rightJoinKeyInfo(_ term: FromTerm) -> KeyInfo {
        if let table = term.table, table.withoutRowid, let pk = table.primaryKeyIndex {
            return KeyInfo(collations: pk.columns.map(\.collation), descending: pk.columns.map { _ in false })
        }
        return KeyInfo(binaryFields: 1)
    }

    /// Loads the current row's key of `term` into registers `base`…
    private func loadRightJoinKey(_ term: FromTerm, _ keyInfo: KeyInfo, _ base: Int32) throws(DBError) {
        if let table = term.table, table.withoutRowid, let pk = table.primaryKeyIndex {
            for (i, c) in pk.columns.enumerated() {
                guard case .column(let column) = c.source else { continue }
                try readTableColumn(term, column, base + Int32(i))
            }
        } else {
            b.emit(.Rowid, term.cursor, base)
        }
    }

    /// At the right table's level, after its ON terms: record the row as matched.
    func recordRightJoinMatch(_ term: FromTerm, _ rj: RightJoinCode) throws(DBError) {
        let n = rj.keyInfo.fieldCount
        let key = b.allocateRegisters(n)
        try loadRightJoinKey(term, rj.keyInfo, key)
        let seen = b.makeLabel()
        b.emit(.Found, rj.matchCursor, seen, key, .int64(Int64(n)))
        let record = b.allocateRegisters()
        b.emit(.MakeRecord, key, Int32(n), record)
        b.emit(.IdxInsert, rj.matchCursor, record, key, .int64(Int64(n)), InsertFlags.useSeekResult)
        b.resolve(seen)
    }

    /// sqlite3WhereRightJoinLoop: the rows of level `n`'s table that matched nothing, each run through the
    /// level's subroutine with the tables to its left on NULL rows.
    func emitRightJoinPass(_ nest: WhereNest, _ n: Int) throws(DBError) {
        guard let info = nest.info, let rj = nest.levels[n].rightJoin else { return }
        let loop = info.levels[n]
        let term = info.scope.terms[loop.tab]
        planParents.append(planLine("RIGHT-JOIN \(term.table?.name ?? term.name)"))
        defer { planParents.removeLast() }
        var mAll: UInt64 = 0
        for k in 0..<n {
            mAll |= info.levels[k].maskSelf
            let left = info.scope.terms[info.levels[k].tab]
            var cursors = [left.cursor]
            for c in [nest.levels[k].cursor, left.coveringCursor].compactMap({ $0 }) where !cursors.contains(c) {
                cursors.append(c)
            }
            for c in cursors { b.emit(.NullRow, c) }
        }
        // The WHERE terms that read only this table and those to its left (now NULL); none when this table
        // is itself left of a later RIGHT JOIN (that join's pass decides).
        var condition: Expr?
        if !term.leftOfRightJoin {
            mAll |= loop.maskSelf
            for t in info.clause.terms {
                if t.isVirtual { break }
                if t.prereqAll & ~mAll != 0 || t.outerJoin != nil || t.innerJoin != nil { continue }
                condition = condition.map { Expr(.binary(.and, $0, t.expr)) } ?? t.expr
            }
        }
        // One loop over the table alone: its join type, ON clause and the marking of the terms to its left
        // do not apply there (the tables to its left resolve through the enclosing scope, on NULL rows).
        let saved = (term.joinType, term.leftOfRightJoin, term.onClause)
        term.joinType = nil
        term.leftOfRightJoin = false
        term.onClause = nil
        defer { (term.joinType, term.leftOfRightJoin, term.onClause) = saved }
        let scope = Scope(terms: [term], parent: info.scope)
        var request = WhereRequest()
        request.flags = [.rightJoinPass]
        let pass = try whereBegin(scope, whereClause: condition, request: request)
        let keyCount = rj.keyInfo.fieldCount
        let key = b.allocateRegisters(keyCount)
        try loadRightJoinKey(term, rj.keyInfo, key)
        b.emit(.Found, rj.matchCursor, pass.continueLabel, key, .int64(Int64(keyCount)))
        b.emit(.Gosub, rj.returnRegister, rj.subroutine)
        try whereEnd(pass)
    }
}
