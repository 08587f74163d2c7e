// Expressions, https://sqlite.org/lang_expr.html: precedence and associativity
// (parse.y's %left/%right lines), each operator family's node, and the awkward
// cases. A tree is shown through the printer, which parenthesizes only what
// precedence needs, so `rendered(expr(...))` reads as the grouping SQLite chose;
// where grouping matters the test also matches the node.

import SQL
import Testing

@Suite("Expressions")
struct ExpressionTests {
    @Test("binary operators bind by SQLite's precedence", arguments: [
        ("1 + 2 * 3", "1 + 2 * 3"),
        ("(1 + 2) * 3", "(1 + 2) * 3"),
        ("1 - 2 - 3", "1 - 2 - 3"),
        ("1 - (2 - 3)", "1 - (2 - 3)"),
        ("a OR b AND c", "a OR b AND c"),
        ("(a OR b) AND c", "(a OR b) AND c"),
        ("a || b -> c ->> d", "a || b -> c ->> d"),
        ("a & b | c << 1 >> 2", "a & b | c << 1 >> 2"),
        ("a < b = c > d", "a < b = c > d"),
        ("a + b < c * d", "a + b < c * d"),
        ("a = (b = c)", "a = (b = c)"),
        ("a == b <> c != d", "a = b != c != d"),
        ("NOT a = b", "NOT a = b"),
        ("(NOT a) = b", "(NOT a) = b"),
        ("NOT a AND b", "NOT a AND b"),
        ("a AND NOT b", "a AND NOT b"),
        ("- a * b", "-a * b"),
        ("-(a * b)", "-(a * b)"),
        ("~a + 1", "~a + 1"),
        ("a % b / c * d", "a % b / c * d"),
    ])
    func precedence(source: String, expected: String) {
        #expect(rendered(expr(source)) == expected)
    }

    @Test("a = b = c is (a = b) = c")
    func equalityIsLeftAssociative() {
        guard case .binary(.equal, let left, let right)? = expr("a = b = c")?.kind else {
            Issue.record("not a comparison")
            return
        }
        #expect(rendered(left) == "a = b")
        #expect(rendered(right) == "c")
    }

    @Test("- - 1 is two negations, printed without a -- comment")
    func doubleNegation() {
        guard case .unary(.negate, let inner)? = expr("- - 1")?.kind,
              case .unary(.negate, let one) = inner.kind,
              case .literal(.numeric(let number)) = one.kind else {
            Issue.record("not two negations")
            return
        }
        #expect(number.text == "1")
        #expect(rendered(expr("- - 1")) == "- -1")
        #expect(rendered(expr("1 - -1")) == "1 - -1")
    }

    @Test("ISNULL, NOTNULL and NOT NULL chain as postfix operators")
    func nullTests() {
        guard case .notNull(let inner)? = expr("a NOT NULL NOT NULL")?.kind, case .notNull = inner.kind else {
            Issue.record("not a chain of NOT NULL")
            return
        }
        guard case .isNull(let column)? = expr("a ISNULL")?.kind, case .column = column.kind else {
            Issue.record("not ISNULL")
            return
        }
        #expect(rendered(expr("a ISNULL NOTNULL")) == "a ISNULL NOTNULL")
        // `1 NOT NULL = 1` is (1 NOT NULL) = 1.
        guard case .binary(.equal, let left, _)? = expr("1 NOT NULL = 1")?.kind, case .notNull = left.kind else {
            Issue.record("NOT NULL does not bind before =")
            return
        }
        // NOT NULL binds at NOT's level: `a = b NOT NULL` is (a = b) NOT NULL.
        guard case .notNull(let value)? = expr("a = b NOT NULL")?.kind, case .binary(.equal, _, _) = value.kind else {
            Issue.record("a = b NOT NULL")
            return
        }
    }

    @Test("IS, IS NOT, IS [NOT] DISTINCT FROM")
    func isOperators() {
        #expect(rendered(expr("a IS b")) == "a IS b")
        #expect(rendered(expr("a IS NOT b")) == "a IS NOT b")
        #expect(rendered(expr("a IS DISTINCT FROM b")) == "a IS NOT b")
        #expect(rendered(expr("a IS NOT DISTINCT FROM b")) == "a IS b")
        #expect(rendered(expr("a IS NOT NOT b")) == "a IS NOT (NOT b)")
        #expect(rendered(expr("a IS (NOT b)")) == "a IS (NOT b)")
        guard case .binary(.is, _, let right)? = expr("a IS NULL")?.kind, case .literal(.null) = right.kind else {
            Issue.record("IS NULL is kept as IS with a NULL operand")
            return
        }
    }

    @Test("COLLATE binds tighter than every binary operator and chains")
    func collate() {
        guard case .collate(let inner, let binary)? = expr("x COLLATE nocase COLLATE binary")?.kind,
              case .collate(_, let nocase) = inner.kind else {
            Issue.record("not a COLLATE chain")
            return
        }
        #expect(nocase.name == "nocase")
        #expect(binary.name == "binary")
        #expect(rendered(expr("a || b COLLATE x")) == "a || b COLLATE x")
        guard case .binary(.concat, _, let right)? = expr("a || b COLLATE x")?.kind, case .collate = right.kind else {
            Issue.record("COLLATE applies to b")
            return
        }
        guard case .collate(let negated, _)? = expr("-a COLLATE x")?.kind, case .unary(.negate, _) = negated.kind else {
            Issue.record("-a COLLATE x is (-a) COLLATE x")
            return
        }
        guard case .collate(_, let rtrim)? = expr(#"a COLLATE "rtrim""#)?.kind else { return }
        #expect(rtrim.quoting == .doubleQuotes && rtrim.name == "rtrim")
    }

    @Test("CAST keeps its type name's text; the type may be empty")
    func cast() {
        guard case .cast(_, let type)? = expr("CAST(x AS VARCHAR(10))")?.kind else {
            Issue.record("not a CAST")
            return
        }
        #expect(type?.text == "VARCHAR(10)")
        guard case .cast(_, let decimal)? = expr("CAST(x AS decimal ( 10 , 2 ))")?.kind else { return }
        #expect(decimal?.text == "decimal ( 10 , 2 )")
        guard case .cast(_, let none)? = expr("CAST(x AS)")?.kind else { return }
        #expect(none == nil)
        guard case .cast(_, let words)? = expr("CAST(x AS unsigned big 'int')")?.kind else { return }
        #expect(words?.text == "unsigned big 'int'")
    }

    @Test("LIKE, GLOB, REGEXP, MATCH with NOT and ESCAPE")
    func likeFamily() {
        guard case .like(let like)? = expr("a NOT LIKE 'x%' ESCAPE '!'")?.kind else {
            Issue.record("not LIKE")
            return
        }
        #expect(like.op == .like)
        #expect(like.negated)
        #expect(like.escape != nil)
        for (source, op) in [("a GLOB b", LikeOperator.glob), ("a REGEXP b", .regexp), ("a MATCH b", .match),
                             ("a NOT MATCH b", .match)] {
            guard case .like(let other)? = expr(source)?.kind else { continue }
            #expect(other.op == op)
        }
        // The pattern binds above the comparison level: a LIKE b = c is (a LIKE b) = c.
        guard case .binary(.equal, let left, _)? = expr("a LIKE b = c")?.kind, case .like = left.kind else {
            Issue.record("a LIKE b = c")
            return
        }
        #expect(rendered(expr("a LIKE b || c ESCAPE d || e")) == "a LIKE b || c ESCAPE d || e")
    }

    @Test("BETWEEN: the low bound takes any operator but a top-level AND")
    func between() {
        guard case .between(let between)? = expr("x NOT BETWEEN a = b AND c")?.kind else {
            Issue.record("not BETWEEN")
            return
        }
        #expect(between.negated)
        #expect(rendered(between.low) == "a = b")
        #expect(rendered(between.high) == "c")
        // (x BETWEEN a AND b) AND c
        guard case .binary(.and, let left, _)? = expr("x BETWEEN a AND b AND c")?.kind, case .between = left.kind else {
            Issue.record("BETWEEN then AND")
            return
        }
        #expect(rendered(expr("x BETWEEN (a AND b) AND c")) == "x BETWEEN (a AND b) AND c")
        #expect(parseError("SELECT 1 BETWEEN 2 OR 3 AND 4")?.message == "incomplete input")
    }

    @Test("IN takes a list, a subquery, a table or a table-valued function")
    func inForms() {
        guard case .in(let list)? = expr("x IN (1, 2, 3)")?.kind, case .list(let items) = list.target else {
            Issue.record("IN list")
            return
        }
        #expect(items.count == 3)
        guard case .in(let empty)? = expr("x NOT IN ()")?.kind, case .list(let none) = empty.target else { return }
        #expect(none.isEmpty && empty.negated)
        guard case .in(let subquery)? = expr("x IN (SELECT a FROM t)")?.kind, case .select = subquery.target else {
            Issue.record("IN subquery")
            return
        }
        guard case .in(let table)? = expr("x IN t")?.kind, case .table(let name, nil) = table.target else {
            Issue.record("IN table")
            return
        }
        #expect(name.name.name == "t")
        #expect(parseError("SELECT (1, 2) IN ((1, 2), 3)")?.message == "IN(...) element has 1 term - expected 2")
        #expect(parseError("SELECT (1, 2) IN ((1, 2, 3))")?.message == "IN(...) element has 3 terms - expected 2")
        #expect(parseError("SELECT (1, 2) IN ((1, 2), (3, 4))") == nil)
        guard case .in(let function)? = expr("x IN main.json_each('[1]')")?.kind,
              case .table(let qualified, let arguments?) = function.target else {
            Issue.record("IN table-valued function")
            return
        }
        #expect(qualified.schema?.name == "main")
        #expect(arguments.count == 1)
    }

    @Test("EXISTS, NOT EXISTS and scalar subqueries")
    func subqueries() {
        guard case .exists? = expr("EXISTS (SELECT 1)")?.kind else {
            Issue.record("EXISTS")
            return
        }
        guard case .unary(.not, let exists)? = expr("NOT EXISTS (SELECT 1)")?.kind, case .exists = exists.kind else {
            Issue.record("NOT EXISTS")
            return
        }
        guard case .subquery? = expr("(SELECT 1)")?.kind else {
            Issue.record("scalar subquery")
            return
        }
        guard case .subquery? = expr("((SELECT 1))")?.kind else {
            Issue.record("parenthesized subquery")
            return
        }
    }

    @Test("CASE in both forms")
    func caseExpressions() {
        guard case .caseWhen(let simple)? = expr("CASE a WHEN 1 THEN 'x' WHEN 2 THEN 'y' ELSE 'z' END")?.kind else {
            Issue.record("CASE")
            return
        }
        #expect(simple.operand != nil)
        #expect(simple.branches.count == 2)
        #expect(simple.elseResult != nil)
        guard case .caseWhen(let searched)? = expr("CASE WHEN a THEN b END")?.kind else { return }
        #expect(searched.operand == nil && searched.elseResult == nil)
        // END falls back to an identifier where CASE needs an operand.
        #expect(parseError("SELECT CASE END")?.message == "incomplete input")
    }

    @Test("function calls: DISTINCT, ALL, *, empty lists, FILTER, OVER")
    func functionCalls() {
        guard case .function(let count)? = expr("count(DISTINCT a)")?.kind,
              case .list(.distinct, let arguments) = count.arguments else {
            Issue.record("count(DISTINCT a)")
            return
        }
        #expect(arguments.count == 1)
        guard case .function(let star)? = expr("count(*)")?.kind, case .star = star.arguments else { return }
        guard case .function(let none)? = expr("f()")?.kind, case .list(nil, let empty) = none.arguments else { return }
        #expect(empty.isEmpty)
        guard case .function(let window)? = expr("sum(a) FILTER (WHERE a > 0) OVER w")?.kind else { return }
        #expect(window.filter != nil)
        #expect(window.over == .name(Identifier("w")))
        guard case .function(let inline)? = expr("rank() OVER (PARTITION BY a ORDER BY b)")?.kind,
              case .definition(let definition)? = inline.over else {
            Issue.record("OVER (…)")
            return
        }
        #expect(definition.partitionBy.count == 1 && definition.orderBy.count == 1)
        // Keywords that fall back to identifiers name functions; join keywords do not.
        for name in ["replace", "like", "glob", "match", "key"] {
            guard case .function(let call)? = expr("\(name)(a, b)")?.kind else { continue }
            #expect(call.name.name == name)
        }
        #expect(parseError("SELECT left(1)")?.message == #"near "(": syntax error"#)
        // ORDER BY inside an aggregate's arguments arrived after 3.40.
        #expect(parseError("SELECT group_concat(a ORDER BY a) FROM t")?.message == #"near "ORDER": syntax error"#)
        #expect(parseError("SELECT count(*) FILTER (WHERE 1) FILTER (WHERE 2) FROM t")?.message
                == #"near "FILTER": syntax error"#)
        #expect(parseError("SELECT f(1) OVER () OVER () FROM t")?.message == #"near "OVER": syntax error"#)
    }

    @Test("row values and RAISE")
    func rowValuesAndRaise() {
        guard case .binary(.equal, let left, _)? = expr("(a, b) = (1, 2)")?.kind,
              case .vector(let items) = left.kind else {
            Issue.record("row value")
            return
        }
        #expect(items.count == 2)
        guard case .raise(.ignore, nil)? = expr("RAISE(IGNORE)")?.kind else {
            Issue.record("RAISE(IGNORE)")
            return
        }
        guard case .raise(.abort, let message)? = expr("RAISE(ABORT, 'no')")?.kind else { return }
        #expect(message?.name == "no" && message?.quoting == .singleQuotes)
    }

    @Test("literals keep their text and class")
    func literals() {
        let cases: [(String, String, NumericLiteral.Kind)] = [
            ("42", "42", .integer), ("0x1F", "0x1F", .hexInteger), ("1.5e-3", "1.5e-3", .real),
            (".5", ".5", .real), ("5.", "5.", .real), ("1e10", "1e10", .real),
            ("9223372036854775808", "9223372036854775808", .integer),
        ]
        for (source, text, kind) in cases {
            guard case .literal(.numeric(let number))? = expr(source)?.kind else {
                Issue.record("\(source) is not a number")
                continue
            }
            #expect(number.text == text && number.kind == kind)
        }
        #expect(expr("'it''s'")?.kind == .literal(.string(Array("it's".utf8))))
        #expect(expr("X'DEADbeef'")?.kind == .literal(.blob([0xDE, 0xAD, 0xBE, 0xEF])))
        #expect(expr("x''")?.kind == .literal(.blob([])))
        #expect(expr("NULL")?.kind == .literal(.null))
        #expect(expr("CURRENT_TIMESTAMP")?.kind == .literal(.currentTimestamp))
    }

    @Test("TRUE and FALSE are identifiers the compiler resolves")
    func booleans() {
        guard case .column(let reference)? = expr("TRUE")?.kind else {
            Issue.record("TRUE is a column reference")
            return
        }
        #expect(reference.column.isBooleanKeyword)
        guard case .column(let quoted)? = expr("\"false\"")?.kind else { return }
        #expect(!quoted.column.isBooleanKeyword)
    }

    @Test("column references: up to three parts, any quoting, strings as table names")
    func columnReferences() {
        guard case .column(let three)? = expr("main.t1.a")?.kind else {
            Issue.record("three-part name")
            return
        }
        #expect(three.schema?.name == "main" && three.table?.name == "t1" && three.column.name == "a")
        let quoted: [(String, Identifier.Quoting)] = [
            ("\"t\".a", .doubleQuotes), ("[t].a", .brackets), ("`t`.a", .backticks), ("'t'.a", .singleQuotes),
        ]
        for (source, quoting) in quoted {
            guard case .column(let reference)? = expr(source)?.kind else { continue }
            #expect(reference.table?.quoting == quoting && reference.table?.name == "t")
        }
        guard case .column(let doubled)? = expr("\"a\"\"b\"")?.kind else { return }
        #expect(doubled.column.name == "a\"b")
        #expect(parseError("SELECT a.b.c.d")?.message == #"near ".": syntax error"#)
    }
}
