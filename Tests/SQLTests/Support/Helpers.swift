// Helpers for the targeted tests: parse one statement and look at its parts.
//
// `statement(_:)` parses exactly one statement (recording an issue otherwise),
// `parseError(_:)` returns the error a text raises (nil when it parses), and
// `roundTrips(_:)` checks that the printer's text parses back to the same AST.

import SQL
import Testing

/// Parses `sql`, which must hold exactly one statement.
func statement(_ sql: String, sourceLocation: SourceLocation = #_sourceLocation) -> Statement? {
    do {
        let statements = try Parser.parseAll(sql)
        #expect(statements.count == 1, "one statement in \(sql)", sourceLocation: sourceLocation)
        return statements.first
    } catch {
        Issue.record("\(sql): \(error.message)", sourceLocation: sourceLocation)
        return nil
    }
}

/// The SELECT of a one-statement text.
func select(_ sql: String, sourceLocation: SourceLocation = #_sourceLocation) -> Select? {
    guard case .select(let select)? = statement(sql, sourceLocation: sourceLocation)?.command else {
        Issue.record("not a SELECT: \(sql)", sourceLocation: sourceLocation)
        return nil
    }
    return select
}

/// The first result column's expression of `SELECT <expr>`.
func expr(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Expr? {
    guard let select = select("SELECT " + text, sourceLocation: sourceLocation),
          case .select(let core) = select.first, case .expr(let e, _, _)? = core.columns.first else {
        return nil
    }
    return e
}

/// The error parsing `sql` raises, or nil.
func parseError(_ sql: String, options: ParserOptions = ParserOptions()) -> SyntaxError? {
    do {
        _ = try Parser.parseAll(sql, options: options)
        return nil
    } catch {
        return error
    }
}

/// Renders `sql`'s statements and parses them again: true when the ASTs are equal.
func roundTrips(_ sql: String) -> Bool {
    guard let statements = try? Parser.parseAll(sql) else { return false }
    for statement in statements {
        let text = ASTPrinter.sql(for: statement)
        guard let again = try? Parser.parseAll(text), again == [statement] else { return false }
    }
    return true
}

/// The rendering of an expression, as text.
func rendered(_ e: Expr?) -> String? {
    e.map { String(decoding: ASTPrinter.sql(for: $0), as: UTF8.self) }
}
