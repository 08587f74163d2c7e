// Compiler+ConstraintValidation: what CREATE TABLE and CREATE INDEX refuse in
// a CHECK constraint, a partial index's WHERE clause and an index expression,
// as resolve.c's sqlite3ResolveSelfReference does (NC_IsCheck, NC_PartIdx,
// NC_IdxExpr): subqueries, parameters, aggregates, names that are not the
// table's columns, and in an index also non-deterministic functions.
//
// The walk visits an expression before its operands, left to right, so the
// first problem in reading order is the one reported, with sqlite3's wording
// and, where sqlite3 records one, the offset its caret line points at. Names
// and functions are then checked by compiling the expression against the
// table into a throwaway program.

import Base
import SQL

/// Where a self-referencing expression sits (the "… prohibited in X" of resolve.c's notValidImpl).
enum SelfReferenceContext: String {
    case check = "CHECK constraints"
    case partialIndex = "partial index WHERE clauses"
    case indexExpression = "index expressions"
}

extension Compiler {
    /// Refuses `e` as sqlite3 refuses it at CREATE time in `context`, over the columns of `table`.
    func validateSelfReference(_ e: Expr, _ context: SelfReferenceContext, table: Table) throws(DBError) {
        var failure: DBError?
        visitExpressions(e) { x in
            guard failure == nil else { return false }
            switch x.kind {
            case .subquery, .exists:
                failure = DBError(.error, "subqueries prohibited in \(context.rawValue)")
            case .in(let inx):
                if case .list = inx.target {} else {
                    // The caret points at the left operand when it is a name, a call or a parameter
                    // (sqlite3RecordErrorOffsetOfExpr follows pLeft to the first node with an offset).
                    let error = DBError(.error, "subqueries prohibited in \(context.rawValue)")
                    switch inx.value.kind {
                    case .column, .function, .parameter: failure = located(error, inx.value)
                    default: failure = error
                    }
                }
            case .parameter:
                failure = located(DBError(.error, "parameters prohibited in \(context.rawValue)"), x)
            case .function(let call):
                if context != .check, Self.nonDeterministicFunctions.contains(call.name.name.lowercased()) {
                    failure = located(DBError(.error, "non-deterministic functions prohibited in \(context.rawValue)"), x)
                }
            default:
                break
            }
            return failure == nil
        }
        if let failure { throw failure }
        if containsAggregate(e) { throw misuseOfAggregate(in: e, inAggregateQuery: false) }
        // Names and functions: compile against the table, then throw the code away.
        let saved = (b, setupCode)
        b = ProgramBuilder()
        defer { (b, setupCode) = saved }
        let scope = Scope(terms: [FromTerm(table: table, alias: nil, cursor: b.allocateCursor())], parent: nil)
        _ = try exprToRegister(e, scope)
    }

    private func located(_ error: DBError, _ e: Expr) -> DBError {
        var located = error
        if e.range.end > e.range.start { located.offset = Int(e.range.start) }
        return located
    }
}
