// CREATE TABLE/INDEX/VIEW/TRIGGER/VIRTUAL TABLE, DROP and ALTER TABLE
// (https://sqlite.org/lang_createtable.html and the pages it links).

import SQL
import Testing

@Suite("Schema statements")
struct SchemaStatementTests {
    func table(_ sql: String) -> CreateTable? {
        guard case .createTable(let create)? = statement(sql)?.command else { return nil }
        return create
    }

    func definition(_ sql: String) -> TableDefinition? {
        guard case .definition(let definition)? = table(sql)?.body else { return nil }
        return definition
    }

    @Test("CREATE TABLE header: TEMP/TEMPORARY, IF NOT EXISTS, schema, AS SELECT")
    func tableHeader() {
        guard let t = table("CREATE TEMPORARY TABLE IF NOT EXISTS main.t(a)") else { return }
        #expect(t.temporary && t.ifNotExists && t.name.schema?.name == "main")
        guard case .select? = table("CREATE TEMP TABLE t AS SELECT 1")?.body else {
            Issue.record("AS SELECT")
            return
        }
    }

    @Test("type names keep their text; keywords that fall back to identifiers join them")
    func typeNames() {
        guard let columns = definition("CREATE TABLE t(a VARCHAR(10), b DECIMAL(10, -2), c unsigned big int, "
                                       + "d INT KEY, e 'text', f, g INT GENERATED ALWAYS AS (1))")?.columns
        else { return }
        #expect(columns.map { $0.type?.text } == ["VARCHAR(10)", "DECIMAL(10, -2)", "unsigned big int", "INT KEY",
                                                   "'text'", nil, "INT GENERATED ALWAYS"])
        #expect(columns[6].type?.declaredType == "INT")
        guard case .generated? = columns[6].constraints.first else {
            Issue.record("GENERATED ALWAYS AS")
            return
        }
    }

    @Test("column constraints, in order, with CONSTRAINT names as their own items")
    func columnConstraints() {
        let sql = "CREATE TABLE t(a INTEGER CONSTRAINT pk PRIMARY KEY DESC ON CONFLICT FAIL AUTOINCREMENT, "
            + "b NOT NULL ON CONFLICT IGNORE NULL UNIQUE CHECK ( b > 0 ) COLLATE nocase, "
            + "c REFERENCES p(x) ON DELETE CASCADE ON UPDATE SET NULL MATCH simple NOT DEFERRABLE INITIALLY DEFERRED, "
            + "d AS (a * 2) STORED, e GENERATED ALWAYS AS (1) VIRTUAL)"
        guard let columns = definition(sql)?.columns else { return }
        #expect(columns[0].constraints == [
            .name(Identifier("pk")), .primaryKey(.descending, onConflict: .fail, autoincrement: true),
        ])
        guard case .check(_, let text) = columns[1].constraints[3] else {
            Issue.record("CHECK")
            return
        }
        #expect(String(decoding: Array(sql.utf8)[text.bounds], as: UTF8.self) == " b > 0 ")
        #expect(columns[1].constraints[0] == .notNull(onConflict: .ignore))
        #expect(columns[1].constraints[4] == .collate(Identifier("nocase")))
        guard case .references(let fk) = columns[2].constraints[0] else {
            Issue.record("REFERENCES")
            return
        }
        #expect(fk.onDelete == .cascade && fk.onUpdate == .setNull && fk.columns?.map(\.name) == ["x"])
        #expect(columns[2].constraints[1] == .deferrable(Deferrability(not: true, initially: .deferred)))
        guard case .generated(_, .stored) = columns[3].constraints[0],
              case .generated(_, .virtual) = columns[4].constraints[0] else {
            Issue.record("generated columns")
            return
        }
        #expect(parseError("CREATE TABLE z(a AS (1) foo)")?.message == #"error in generated column "a""#)
    }

    @Test("DEFAULT: literals, signed numbers, parenthesized expressions, identifiers")
    func defaults() {
        let sql = "CREATE TABLE t(a DEFAULT 1, b DEFAULT -1.5, c DEFAULT +'x', d DEFAULT ( 1 + 2 ), "
            + "e DEFAULT abc, f DEFAULT true, g DEFAULT CURRENT_TIMESTAMP, h DEFAULT X'00', i DEFAULT NULL)"
        guard let columns = definition(sql)?.columns else { return }
        let bytes = Array(sql.utf8)
        let texts = columns.compactMap { column -> String? in
            guard case .defaultValue(_, let text)? = column.constraints.first else { return nil }
            return String(decoding: bytes[text.bounds], as: UTF8.self)
        }
        #expect(texts == ["1", "-1.5", "+'x'", " 1 + 2 ", "abc", "true", "CURRENT_TIMESTAMP", "X'00'", "NULL"])
        guard case .defaultValue(.identifier(let abc), _)? = columns[4].constraints.first else {
            Issue.record("DEFAULT identifier")
            return
        }
        #expect(abc.name == "abc")
        #expect(parseError("CREATE TABLE t(a DEFAULT -abc)")?.message == #"near "abc": syntax error"#)
    }

    @Test("table constraints, with or without commas, and table options")
    func tableConstraints() {
        guard let d = definition("CREATE TABLE t(a, b, CONSTRAINT pk PRIMARY KEY (a DESC, b) ON CONFLICT ABORT "
                                 + "UNIQUE (b) CHECK (a > b), FOREIGN KEY (a, b) REFERENCES p (x, y) "
                                 + "DEFERRABLE INITIALLY IMMEDIATE) WITHOUT ROWID, STRICT") else { return }
        #expect(d.constraints.map(\.afterComma) == [true, false, false, false, true])
        guard case .primaryKey(let columns, false, .abort) = d.constraints[1].kind else {
            Issue.record("PRIMARY KEY")
            return
        }
        #expect(columns.map(\.order) == [.descending, nil])
        guard case .foreignKey(let from, let clause) = d.constraints[4].kind else { return }
        #expect(from.map(\.name) == ["a", "b"] && clause.deferrability?.initially == .immediate)
        #expect(d.withoutRowID && d.strict)
        #expect(parseError("CREATE TABLE z(a) WITHOUT rowids")?.message == "unknown table option: rowids")
        #expect(parseError("CREATE TABLE z(a), b")?.message == "unknown table option: b")
        #expect(parseError(#"CREATE TABLE z(a) WITHOUT "rowid""#)?.message == #"unknown table option: "rowid""#)
        #expect(parseError("CREATE TABLE z(a, PRIMARY KEY(a), b)")?.message == #"near "b": syntax error"#)
        #expect(parseError("CREATE TABLE z()")?.message == #"near ")": syntax error"#)
    }

    @Test("keywords that fall back to identifiers name columns")
    func keywordColumns() {
        guard let columns = definition("CREATE TABLE t(key, action, replace, temp, row, rowid, current_time, "
                                       + "like, cast, raise, \"select\", [from], `where`, 'order')")?.columns
        else { return }
        #expect(columns.map(\.name.name) == ["key", "action", "replace", "temp", "row", "rowid", "current_time",
                                             "like", "cast", "raise", "select", "from", "where", "order"])
    }

    @Test("COLLATE or ASC/DESC after names in id lists is refused except when reading the schema")
    func exprIDLists() {
        #expect(parseError("CREATE VIEW v(a COLLATE nocase) AS SELECT 1")?.message
                == #"syntax error after column name "a""#)
        #expect(parseError("CREATE TABLE z(a REFERENCES p(b DESC))")?.message
                == #"syntax error after column name "b""#)
        #expect(parseError("CREATE VIEW v(a COLLATE nocase) AS SELECT 1",
                           options: ParserOptions(isReadingSchema: true)) == nil)
    }

    @Test("CREATE INDEX and CREATE VIEW")
    func indexAndView() {
        guard case .createIndex(let index)? = statement("CREATE UNIQUE INDEX IF NOT EXISTS main.i ON t "
                                                        + "(a COLLATE nocase DESC, lower(b)) WHERE a > 0")?.command
        else { return }
        #expect(index.unique && index.ifNotExists && index.columns.count == 2 && index.whereClause != nil)
        guard case .createView(let view)? = statement("CREATE TEMP VIEW IF NOT EXISTS v(x, y) AS SELECT 1, 2")?.command
        else { return }
        #expect(view.temporary && view.columns?.map(\.name) == ["x", "y"])
        #expect(parseError("CREATE TEMP INDEX i ON t(a)")?.message == #"near "INDEX": syntax error"#)
    }

    @Test("CREATE TRIGGER: timing, events, FOR EACH ROW, WHEN, every kind of step")
    func triggers() {
        let sql = "CREATE TEMP TRIGGER IF NOT EXISTS r INSTEAD OF UPDATE OF a, b ON v FOR EACH ROW WHEN new.a > 0 "
            + "BEGIN INSERT OR REPLACE INTO t SELECT 1 ON CONFLICT DO NOTHING; UPDATE t SET a = 1 FROM u; "
            + "DELETE FROM t WHERE a = old.a; SELECT RAISE(IGNORE); WITH c AS (SELECT 1) SELECT * FROM c; END"
        guard case .createTrigger(let trigger)? = statement(sql)?.command else { return }
        #expect(trigger.timing == .insteadOf && trigger.forEachRow && trigger.when != nil)
        #expect(trigger.event == .update(columns: [Identifier("a"), Identifier("b")]))
        #expect(trigger.steps.count == 5)
        let errors = [
            ("CREATE TRIGGER r AFTER INSERT ON t BEGIN END", #"near "END": syntax error"#),
            ("CREATE TRIGGER r AFTER INSERT ON t BEGIN DELETE FROM main.t; END",
             "qualified table names are not allowed on INSERT, UPDATE, and DELETE statements within triggers"),
            ("CREATE TRIGGER r AFTER INSERT ON t BEGIN DELETE FROM t INDEXED BY i; END",
             "the INDEXED BY clause is not allowed on UPDATE or DELETE statements within triggers"),
            ("CREATE TRIGGER r AFTER INSERT ON t BEGIN UPDATE t NOT INDEXED SET a=1; END",
             "the NOT INDEXED clause is not allowed on UPDATE or DELETE statements within triggers"),
            ("CREATE TRIGGER r AFTER INSERT ON t BEGIN INSERT INTO t DEFAULT VALUES; END",
             #"near "DEFAULT": syntax error"#),
            ("CREATE TRIGGER r AFTER INSERT ON t BEGIN INSERT INTO t VALUES(1) RETURNING *; END",
             "cannot use RETURNING in a trigger"),
            ("CREATE TEMP TRIGGER main.r AFTER INSERT ON t BEGIN SELECT 1; END",
             "temporary trigger may not have qualified name"),
        ]
        for (source, message) in errors { #expect(parseError(source)?.message == message, "\(source)") }
    }

    @Test("CREATE VIRTUAL TABLE keeps raw arguments, nested parentheses and ';' included")
    func virtualTables() {
        guard case .createVirtualTable(let vt)? = statement("CREATE VIRTUAL TABLE IF NOT EXISTS x.v USING fts5"
                                                            + "(a, b  c, tokenize = 'porter ascii', f(g, h), , ;)")?
                .command else { return }
        #expect(vt.module.name == "fts5")
        #expect(vt.arguments == ["a", "b  c", "tokenize = 'porter ascii'", "f(g, h)", ";"])
        guard case .createVirtualTable(let bare)? = statement("CREATE VIRTUAL TABLE v USING rtree")?.command else {
            return
        }
        #expect(bare.arguments == nil)
        #expect(parseError("CREATE VIRTUAL TABLE v USING m(a")?.message == "incomplete input")
    }

    @Test("DROP and ALTER TABLE")
    func dropAndAlter() {
        #expect(statement("DROP TABLE IF EXISTS main.t")?.command
                == .drop(Drop(kind: .table, ifExists: true,
                              name: QualifiedName(schema: Identifier("main"), name: Identifier("t")))))
        for kind in ["INDEX", "VIEW", "TRIGGER"] { #expect(statement("DROP \(kind) x") != nil) }
        let actions: [(String, String)] = [
            ("ALTER TABLE t RENAME TO u", "renameTable"), ("ALTER TABLE t RENAME COLUMN a TO b", "renameColumn"),
            ("ALTER TABLE t RENAME a TO b", "renameColumn"), ("ALTER TABLE t ADD COLUMN c INT", "addColumn"),
            ("ALTER TABLE t ADD c", "addColumn"), ("ALTER TABLE t DROP COLUMN c", "dropColumn"),
            ("ALTER TABLE t DROP c", "dropColumn"),
        ]
        for (sql, expected) in actions {
            guard case .alterTable(let alter)? = statement(sql)?.command else { continue }
            let name: String
            switch alter.action {
            case .renameTable: name = "renameTable"
            case .renameColumn: name = "renameColumn"
            case .addColumn: name = "addColumn"
            case .dropColumn: name = "dropColumn"
            }
            #expect(name == expected, "\(sql)")
        }
        #expect(parseError("DROP TABLE if")?.message == "incomplete input")
        #expect(parseError("ALTER TABLE t RENAME column TO x")?.message == #"near "TO": syntax error"#)
    }
}
