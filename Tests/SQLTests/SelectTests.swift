// SELECT, https://sqlite.org/lang_select.html: cores and compounds, VALUES, WITH,
// result columns, FROM (every join form, parenthesized joins, subqueries,
// table-valued functions, index hints), WHERE/GROUP BY/HAVING, WINDOW, ORDER BY
// and LIMIT.

import SQL
import Testing

@Suite("SELECT")
struct SelectTests {
    func core(_ sql: String) -> SimpleSelect? {
        guard case .select(let core)? = select(sql)?.first else { return nil }
        return core
    }

    @Test("compound operators chain left to right; ORDER BY and LIMIT apply to the whole")
    func compounds() {
        guard let s = select("SELECT 1 UNION SELECT 2 UNION ALL SELECT 3 INTERSECT SELECT 4 EXCEPT SELECT 5 "
                             + "ORDER BY 1 LIMIT 2") else { return }
        #expect(s.compounds.map(\.op) == [.union, .unionAll, .intersect, .except])
        #expect(s.orderBy.count == 1)
        #expect(s.limit != nil)
        #expect(parseError("SELECT 1 ORDER BY 1 UNION SELECT 2")?.message
                == "ORDER BY clause should come after UNION not before")
        #expect(parseError("SELECT 1 LIMIT 1 UNION ALL SELECT 2")?.message
                == "LIMIT clause should come after UNION ALL not before")
        #expect(parseError("SELECT 1 UNION SELECT 2 LIMIT 1 EXCEPT SELECT 3")?.message
                == "LIMIT clause should come after EXCEPT not before")
    }

    @Test("VALUES rows form one core; ORDER BY cannot follow VALUES")
    func values() {
        guard let s = select("VALUES (1, 'a'), (2, 'b')"), case .values(let rows, _) = s.first else {
            Issue.record("VALUES")
            return
        }
        #expect(rows.count == 2 && rows[0].count == 2)
        guard let mixed = select("SELECT 1 UNION VALUES (1), (2)"),
              case .values(let tail, _)? = mixed.compounds.first?.core else { return }
        #expect(tail.count == 2)
        #expect(parseError("VALUES(1) ORDER BY 1")?.message == #"near "ORDER": syntax error"#)
    }

    @Test("a compound has at most 500 terms; a multi-row VALUES first term counts its rows")
    func compoundLimit() {
        let terms499 = "SELECT 1" + String(repeating: " UNION SELECT 1", count: 499)
        #expect(parseError(terms499) == nil)
        #expect(parseError(terms499 + " UNION SELECT 1")?.message == "too many terms in compound SELECT")
        #expect(parseError("VALUES (1)" + String(repeating: ", (1)", count: 2000)) == nil)
        #expect(parseError("VALUES (1)" + String(repeating: ", (1)", count: 500) + " UNION SELECT 1")?.message
                == "too many terms in compound SELECT")
    }

    @Test("WITH [RECURSIVE], column lists and MATERIALIZED hints")
    func with() {
        guard let s = select("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c), "
                             + "m AS MATERIALIZED (SELECT 1), n AS NOT MATERIALIZED (SELECT 2) SELECT * FROM c"),
              let with = s.with else {
            Issue.record("WITH")
            return
        }
        #expect(with.recursive)
        #expect(with.tables.map(\.name.name) == ["c", "m", "n"])
        #expect(with.tables[0].columns?.map(\.name) == ["x"])
        #expect(with.tables.map(\.materialization) == [nil, .materialized, .notMaterialized])
        #expect(parseError("WITH a AS (SELECT 1), A AS (SELECT 2) SELECT 1")?.message == "duplicate WITH table name: A")
        // After WITH, RECURSIVE is the keyword, so a table cannot be called that unquoted.
        #expect(parseError("WITH recursive AS (SELECT 1) SELECT 1")?.message == #"near "AS": syntax error"#)
    }

    @Test("result columns: *, table.*, aliases with and without AS, and the span SQLite names by")
    func resultColumns() {
        let sql = "SELECT *, t.*, a  +  b AS x, c y, 'z' 'w', d /* c */ FROM t"
        guard let columns = core(sql)?.columns else { return }
        #expect(columns.count == 6)
        guard case .all = columns[0], case .allOf(let table) = columns[1] else {
            Issue.record("* and t.*")
            return
        }
        #expect(table.name == "t")
        let aliases = columns.dropFirst(2).map { column -> String? in
            if case .expr(_, let alias, _) = column { return alias?.name }
            return nil
        }
        #expect(aliases == ["x", "y", "w", nil])
        guard case .expr(_, _, let span) = columns[2], case .expr(_, _, let commented) = columns[5] else { return }
        let bytes = Array(sql.utf8)
        #expect(String(decoding: bytes[span.bounds], as: UTF8.self) == "a  +  b")
        #expect(String(decoding: bytes[commented.bounds], as: UTF8.self) == "d /* c */")
    }

    @Test("keywords that fall back to identifiers are aliases; LIKE is an operator")
    func keywordAliases() {
        guard let columns = core("SELECT a key, b asc, c offset, d desc FROM t")?.columns else { return }
        let aliases = columns.map { column -> String? in
            if case .expr(_, let alias, _) = column { return alias?.name }
            return nil
        }
        #expect(aliases == ["key", "asc", "offset", "desc"])
        #expect(parseError("SELECT 1 left")?.message == #"near "left": syntax error"#)
        #expect(parseError("SELECT a glob FROM t")?.message == #"near "FROM": syntax error"#)
    }

    @Test("every join form sqlite3JoinType accepts")
    func joins() {
        let sql = "SELECT * FROM a NATURAL JOIN b LEFT OUTER JOIN c USING (x) RIGHT JOIN d ON 1 "
            + "FULL OUTER JOIN e ON 1 CROSS JOIN f INNER JOIN g ON 1, h JOIN i NATURAL LEFT JOIN j"
        guard let items = core(sql)?.from else { return }
        let joins = items.map(\.join)
        #expect(joins == [nil, .join(.natural), .join([.left, .outer]), .join([.right, .outer]),
                          .join([.left, .right, .outer]), .join([.inner, .cross]), .join(.inner), .comma,
                          .join(.inner), .join([.natural, .left, .outer])])
        #expect(items[2].constraint == .using([Identifier("x")]))
        #expect(parseError("SELECT * FROM a LEFT b JOIN c")?.message == "unknown join type: LEFT b")
        #expect(parseError("SELECT * FROM a NATURAL INNER OUTER JOIN c")?.message
                == "unknown join type: NATURAL INNER OUTER")
        #expect(parseError("SELECT * FROM a OUTER JOIN c")?.message == "unknown join type: OUTER")
        #expect(parseError("SELECT * FROM a ON 1")?.message == "a JOIN clause is required before ON")
        #expect(parseError("SELECT * FROM a USING (x)")?.message == "a JOIN clause is required before USING")
    }

    @Test("parenthesized joins nest; subqueries and table-valued functions take aliases")
    func fromSources() {
        guard let items = core("SELECT * FROM (a JOIN (b CROSS JOIN c) ON 1) AS j, (SELECT 1) s, "
                               + "main.json_each('[1]') AS e")?.from else { return }
        guard case .join(let outer) = items[0].source, case .join(let inner) = outer[1].source else {
            Issue.record("nested joins")
            return
        }
        #expect(items[0].alias?.name == "j")
        #expect(inner.count == 2 && inner[1].join == .join([.inner, .cross]))
        guard case .subquery = items[1].source, case .function(let name, let arguments) = items[2].source else {
            Issue.record("subquery and function")
            return
        }
        #expect(items[1].alias?.name == "s")
        #expect(name.schema?.name == "main" && arguments.count == 1)
    }

    @Test("INDEXED BY and NOT INDEXED come after the alias")
    func indexHints() {
        guard let items = core("SELECT * FROM t AS x INDEXED BY i, u NOT INDEXED")?.from else { return }
        #expect(items[0].source == .table(QualifiedName(name: Identifier("t")), .indexedBy(Identifier("i"))))
        #expect(items[1].source == .table(QualifiedName(name: Identifier("u")), .notIndexed))
        #expect(parseError("SELECT * FROM t INDEXED BY i AS x")?.message == #"near "AS": syntax error"#)
    }

    @Test("WHERE, GROUP BY, HAVING and WINDOW clauses")
    func clauses() {
        guard let c = core("SELECT a FROM t WHERE a > 1 GROUP BY a, b HAVING count(*) > 1 "
                           + "WINDOW w AS (PARTITION BY a), v AS (w ORDER BY b)") else { return }
        #expect(c.whereClause != nil && c.having != nil)
        #expect(c.groupBy.count == 2)
        #expect(c.windows.map(\.name.name) == ["w", "v"])
        #expect(c.windows[1].definition.base?.name == "w")
    }

    @Test("window frames: units, bounds and EXCLUDE")
    func frames() {
        let sql = "SELECT f() OVER (ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW EXCLUDE TIES), "
            + "f() OVER (RANGE 5 PRECEDING), f() OVER (GROUPS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING "
            + "EXCLUDE NO OTHERS), f() OVER (w ROWS CURRENT ROW EXCLUDE CURRENT ROW), "
            + "f() OVER (ROWS BETWEEN 1 PRECEDING AND 2 PRECEDING EXCLUDE GROUP)"
        guard let columns = core(sql)?.columns else { return }
        let frames = columns.compactMap { column -> FrameSpec? in
            guard case .expr(let e, _, _) = column, case .function(let call) = e.kind,
                  case .definition(let definition)? = call.over else { return nil }
            return definition.frame
        }
        #expect(frames.count == 5)
        #expect(frames[0].units == .rows && frames[0].start == .unboundedPreceding && frames[0].end == .currentRow)
        #expect(frames[0].exclude == .ties)
        #expect(frames[1].units == .range && frames[1].end == nil)
        #expect(frames[2].end == .unboundedFollowing && frames[2].exclude == .noOthers)
        #expect(frames[3].exclude == .currentRow)
        #expect(frames[4].exclude == .group)
        #expect(parseError("SELECT f() OVER (ROWS UNBOUNDED FOLLOWING) FROM t")?.message
                == #"near "FOLLOWING": syntax error"#)
        for frame in ["ROWS 1 FOLLOWING", "ROWS BETWEEN CURRENT ROW AND 1 PRECEDING",
                      "ROWS BETWEEN 1 FOLLOWING AND 2 PRECEDING", "RANGE BETWEEN 1 FOLLOWING AND CURRENT ROW"] {
            #expect(parseError("SELECT f() OVER (\(frame)) FROM t")?.message == "unsupported frame specification")
        }
    }

    @Test("ORDER BY with COLLATE, ASC/DESC, NULLS FIRST/LAST; LIMIT in both forms")
    func orderAndLimit() {
        guard let s = select("SELECT a FROM t ORDER BY a COLLATE nocase DESC NULLS LAST, b ASC NULLS FIRST, c "
                             + "LIMIT 10 OFFSET 5") else { return }
        #expect(s.orderBy.map(\.order) == [.descending, .ascending, nil])
        #expect(s.orderBy.map(\.nulls) == [.last, .first, nil])
        guard case .collate = s.orderBy[0].expr.kind else {
            Issue.record("COLLATE in ORDER BY")
            return
        }
        #expect(rendered(s.limit?.count) == "10" && rendered(s.limit?.offset) == "5")
        // LIMIT a, b means LIMIT b OFFSET a.
        guard let comma = select("SELECT a FROM t LIMIT 5, 10") else { return }
        #expect(rendered(comma.limit?.count) == "10" && rendered(comma.limit?.offset) == "5")
        #expect(comma.limit == s.limit)
    }

    @Test("DISTINCT and ALL")
    func quantifiers() {
        #expect(core("SELECT DISTINCT a FROM t")?.quantifier == .distinct)
        #expect(core("SELECT ALL a FROM t")?.quantifier == .all)
        #expect(core("SELECT a FROM t")?.quantifier == nil)
    }
}
