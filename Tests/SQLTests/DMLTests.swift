// INSERT/REPLACE, UPDATE and DELETE, https://sqlite.org/lang_insert.html,
// lang_update.html, lang_delete.html, lang_upsert.html, lang_returning.html.

import SQL
import Testing

@Suite("INSERT, UPDATE, DELETE")
struct DMLTests {
    func insert(_ sql: String) -> Insert? {
        guard case .insert(let insert)? = statement(sql)?.command else { return nil }
        return insert
    }

    func update(_ sql: String) -> Update? {
        guard case .update(let update)? = statement(sql)?.command else { return nil }
        return update
    }

    func delete(_ sql: String) -> Delete? {
        guard case .delete(let delete)? = statement(sql)?.command else { return nil }
        return delete
    }

    @Test("INSERT: OR conflict, schema, alias, column list, VALUES/SELECT/DEFAULT VALUES")
    func insertForms() {
        guard let i = insert("INSERT OR IGNORE INTO main.t AS x (a, b) VALUES (1, 2), (3, 4)") else { return }
        #expect(i.orConflict == .ignore)
        #expect(i.table.schema?.name == "main" && i.alias?.name == "x")
        #expect(i.columns?.map(\.name) == ["a", "b"])
        guard case .select(let s) = i.source, case .values(let rows, _) = s.first else {
            Issue.record("VALUES source")
            return
        }
        #expect(rows.count == 2)
        #expect(insert("REPLACE INTO t VALUES (1)")?.orConflict == .replace)
        #expect(insert("INSERT INTO t DEFAULT VALUES")?.source == .defaultValues)
        for resolution in ["ROLLBACK", "ABORT", "FAIL", "IGNORE", "REPLACE"] {
            #expect(insert("INSERT OR \(resolution) INTO t SELECT 1")?.orConflict != nil)
        }
        #expect(insert("WITH c AS (SELECT 1) INSERT INTO t SELECT * FROM c")?.with != nil)
    }

    @Test("upsert: targets, WHERE, DO NOTHING/UPDATE, several clauses, RETURNING")
    func upsert() {
        guard let i = insert("INSERT INTO t VALUES (1) ON CONFLICT (a) WHERE a > 0 DO UPDATE SET b = excluded.b "
                             + "WHERE b < 5 ON CONFLICT (b COLLATE nocase) DO NOTHING ON CONFLICT DO NOTHING "
                             + "RETURNING *, a AS x") else { return }
        #expect(i.upserts.count == 3)
        #expect(i.upserts[0].target?.whereClause != nil)
        guard case .update(let assignments, let whereClause) = i.upserts[0].action else {
            Issue.record("DO UPDATE")
            return
        }
        #expect(assignments.map(\.columns) == [[Identifier("b")]] && whereClause != nil)
        #expect(i.upserts[1].action == .nothing && i.upserts[2].target == nil)
        #expect(i.returning?.count == 2)
        // Only the last ON CONFLICT may lack a target.
        #expect(parseError("INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING ON CONFLICT (a) DO NOTHING")?.message
                == #"near "ON": syntax error"#)
        // After a SELECT with a FROM clause, ON belongs to the join, as in SQLite.
        #expect(parseError("INSERT INTO t SELECT * FROM u ON CONFLICT DO NOTHING")?.message
                == #"near "DO": syntax error"#)
        #expect(insert("INSERT INTO t SELECT * FROM u WHERE true ON CONFLICT DO NOTHING")?.upserts.count == 1)
        #expect(insert("INSERT INTO t DEFAULT VALUES RETURNING a")?.returning?.count == 1)
    }

    @Test("UPDATE: OR conflict, alias, index hint, row-value SET, FROM, RETURNING, ORDER BY/LIMIT")
    func updateForms() {
        guard let u = update("UPDATE OR ROLLBACK main.t AS x INDEXED BY i SET a = 1, (b, c) = (2, 3) FROM u, v "
                             + "WHERE x.a = u.a RETURNING a ORDER BY a LIMIT 1 OFFSET 2") else { return }
        #expect(u.orConflict == .rollback && u.alias?.name == "x")
        #expect(u.indexHint == .indexedBy(Identifier("i")))
        #expect(u.assignments.map { $0.columns.map(\.name) } == [["a"], ["b", "c"]])
        #expect(u.from.count == 2 && u.whereClause != nil && u.returning?.count == 1)
        #expect(u.orderBy.count == 1 && u.limit?.offset != nil)
        #expect(update("UPDATE t NOT INDEXED SET a = 1")?.indexHint == .notIndexed)
        #expect(parseError("UPDATE t SET (a, b) = (1, 2, 3)")?.message == "2 columns assigned 3 values")
        #expect(parseError("UPDATE t SET (a, b) = 1")?.message == "2 columns assigned 1 values")
        #expect(parseError("UPDATE t SET (a, b) = (SELECT 1, 2)") == nil)
    }

    @Test("DELETE: alias, index hint, WHERE, RETURNING, ORDER BY/LIMIT")
    func deleteForms() {
        guard let d = delete("WITH c AS (SELECT 1) DELETE FROM main.t AS y NOT INDEXED WHERE a > 0 "
                             + "RETURNING * ORDER BY a LIMIT 10") else { return }
        #expect(d.with != nil && d.alias?.name == "y" && d.indexHint == .notIndexed)
        #expect(d.whereClause != nil && d.returning?.count == 1 && d.orderBy.count == 1 && d.limit != nil)
        #expect(delete("DELETE FROM t")?.whereClause == nil)
    }
}
