// WhereCode+Or: the MULTI-INDEX OR loop (wherecode.c case 5).
//
// Each disjunct of the OR term is planned as its own one-table WHERE
// clause (with the query's other indexable terms ANDed on, so they can help
// pick its index) and run in turn; a row found by an earlier disjunct is
// skipped (its rowid, or primary key, is remembered in an ephemeral index).
// Every new row runs the rest of the loop nest as a subroutine, so rows come
// out disjunct by disjunct, each in its own index order, as in sqlite3.

import Base
import Storage
import SQL

extension Compiler {
    func emitOrLevel(_ info: WhereInfo, _ n: Int, _ loop: WhereLoop, _ notReady: UInt64,
                     _ code: inout LevelCode) throws(DBError) {
        guard let orRef = loop.terms.first ?? nil, let orClause = orRef.term.orClause else {
            throw DBError(.internal, "MULTI-INDEX OR without an OR term")
        }
        let wc = info.clause
        let from = info.scope.terms[loop.tab]
        var subTerms = [from]
        for l in info.levels.dropFirst(n + 1) { subTerms.append(info.scope.terms[l.tab]) }
        // Names in the OR term resolve where the term came from: the query's scope, or the scope of
        // the flattened view whose WHERE clause it belongs to.
        let termScope = orRef.term.scope
        let subScope = Scope(terms: subTerms, parent: termScope === info.scope ? info.scope.parent : termScope.parent)
        subScope.namedTerms = termScope.nameTerms
        subScope.redirects = termScope.redirects
        let regReturn = b.allocateRegisters()
        let rowset = b.allocateCursor()
        let keyWidth: Int
        if let table = from.table, table.withoutRowid, let pk = table.primaryKeyIndex {
            keyWidth = table.primaryKey.count
            b.emit(.OpenEphemeral, rowset, Int32(keyWidth), 0, .keyInfo(KeyInfo(
                collations: Array(pk.keyInfo.collations.prefix(keyWidth)),
                descending: Array(pk.keyInfo.descending.prefix(keyWidth)))))
        } else {
            keyWidth = 1
            b.emit(.OpenEphemeral, rowset, 1, 0, .keyInfo(KeyInfo(binaryFields: 1)))
        }
        b.emit(.Integer, 0, regReturn)
        // The query's other indexable terms, ANDed onto each disjunct.
        var andExpr: Expr?
        for k in wc.terms.indices where k != orRef.index {
            let t = wc.terms[k]
            if t.isVirtual || t.isCoded || t.scope !== termScope { continue }
            if t.op.intersection(.all).isEmpty { continue }
            if containsSubquery(t.expr) { continue }
            andExpr = andExpr.map { Expr(.binary(.and, $0, t.expr)) } ?? t.expr
        }
        let body = b.makeLabel()
        let orID = planLine("MULTI-INDEX OR")
        planParents.append(orID)
        var untested = false
        for (ii, sub) in orClause.terms.enumerated() where sub.leftTerm == loop.tab || sub.op.contains(.and) {
            let indexID = planLine("INDEX \(ii + 1)")
            planParents.append(indexID)
            var subExpr = sub.expr
            if let a = andExpr { subExpr = Expr(.binary(.and, sub.expr, a)) }
            var request = WhereRequest()
            request.flags = .orSubclause
            let nest = try whereBegin(subScope, whereClause: subExpr, request: request)
            if nest.info?.untestedTerms == true { untested = true }
            let skip = b.makeLabel()
            let key = b.allocateRegisters(keyWidth)
            if let table = from.table, table.withoutRowid {
                // A one-column PRIMARY KEY is a key of width 1 too: read it, there is no rowid.
                for (k, c) in table.primaryKey.enumerated() { try readTableColumn(from, c, key + Int32(k)) }
            } else {
                b.emit(.Rowid, from.cursor, key)
            }
            if ii > 0 { b.emit(.Found, rowset, skip, key, .int64(Int64(keyWidth))) }
            if ii < orClause.terms.count - 1 {
                let rec = b.allocateRegisters()
                b.emit(.MakeRecord, key, Int32(keyWidth), rec)
                b.emit(.IdxInsert, rowset, rec, key, .int64(Int64(keyWidth)))
            }
            b.emit(.Gosub, regReturn, body)
            b.resolve(skip)
            try whereEnd(nest)
            planParents.removeLast()
        }
        planParents.removeLast()
        b.emit(.Goto, 0, code.breakLabel)
        b.resolve(body)
        code.top = b.count
        code.orReturn = regReturn
        if !untested {
            disableTerm(orRef, info, isLeftJoinLevel: isLeftJoin(info, loop.tab), notReady: notReady)
        }
    }
}
