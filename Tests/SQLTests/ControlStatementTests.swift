// Transactions, savepoints, PRAGMA, ANALYZE, VACUUM, REINDEX, ATTACH, DETACH and
// the EXPLAIN prefixes (https://sqlite.org/lang_transaction.html, lang_savepoint.html,
// pragma.html, lang_analyze.html, lang_vacuum.html, lang_reindex.html,
// lang_attach.html, lang_detach.html, lang_explain.html).

import SQL
import Testing

@Suite("Control statements")
struct ControlStatementTests {
    func command(_ sql: String) -> Command? { statement(sql)?.command }

    @Test("BEGIN in every mode, with TRANSACTION and a name; BEGIN CONCURRENT")
    func begin() {
        #expect(command("BEGIN") == .begin(Begin()))
        #expect(command("BEGIN DEFERRED TRANSACTION") == .begin(Begin(mode: .deferred)))
        #expect(command("BEGIN IMMEDIATE TRANSACTION tx")
                == .begin(Begin(mode: .immediate, transactionName: Identifier("tx"))))
        #expect(command("BEGIN EXCLUSIVE") == .begin(Begin(mode: .exclusive)))
        // swiftdb's extension; sqlite3 3.40.1 says: near "CONCURRENT": syntax error.
        #expect(command("BEGIN CONCURRENT") == .begin(Begin(mode: .concurrent)))
        #expect(command("begin concurrent transaction") == .begin(Begin(mode: .concurrent)))
        #expect(parseError("BEGIN \"concurrent\"")?.message == #"near ""concurrent"": syntax error"#)
    }

    @Test("COMMIT, END, ROLLBACK [TO SAVEPOINT], SAVEPOINT, RELEASE")
    func transactionEnds() {
        #expect(command("COMMIT") == .commit(transactionName: nil))
        #expect(command("END TRANSACTION") == .commit(transactionName: nil))
        #expect(command("COMMIT TRANSACTION tx") == .commit(transactionName: Identifier("tx")))
        #expect(command("ROLLBACK") == .rollback(Rollback()))
        #expect(command("ROLLBACK TRANSACTION TO SAVEPOINT sp") == .rollback(Rollback(savepoint: Identifier("sp"))))
        #expect(command("ROLLBACK TO sp") == .rollback(Rollback(savepoint: Identifier("sp"))))
        #expect(command("SAVEPOINT sp") == .savepoint(Identifier("sp")))
        #expect(command("RELEASE SAVEPOINT sp") == .release(Identifier("sp")))
        #expect(command("RELEASE sp") == .release(Identifier("sp")))
    }

    @Test("PRAGMA: bare, = value, (value), schema-qualified, signed numbers, keywords")
    func pragma() {
        #expect(command("PRAGMA cache_size") == .pragma(Pragma(name: QualifiedName(name: Identifier("cache_size")))))
        guard case .pragma(let negative)? = command("PRAGMA main.cache_size = -2000") else { return }
        #expect(negative.name.schema?.name == "main")
        #expect(negative.value == .number(NumericLiteral(text: "2000", kind: .integer), negative: true))
        guard case .pragma(let call)? = command("PRAGMA table_info(t1)") else { return }
        #expect(call.isCall && call.value == .name(Identifier("t1")))
        let values: [(String, Pragma.Value)] = [
            ("PRAGMA a = ON", .keyword("ON")), ("PRAGMA a = delete", .keyword("DELETE")),
            ("PRAGMA a = DEFAULT", .keyword("DEFAULT")),
            ("PRAGMA a = 'fast'", .name(Identifier("fast", quoting: .singleQuotes))),
            ("PRAGMA a = +1", .number(NumericLiteral(text: "1", kind: .integer), negative: false)),
            ("PRAGMA a(-1.5)", .number(NumericLiteral(text: "1.5", kind: .real), negative: true)),
            ("PRAGMA a = true", .name(Identifier("true"))),
        ]
        for (sql, value) in values {
            guard case .pragma(let p)? = command(sql) else { continue }
            #expect(p.value == value, "\(sql)")
        }
        #expect(parseError("PRAGMA foo = null")?.message == #"near "null": syntax error"#)
    }

    @Test("ANALYZE, REINDEX, VACUUM [INTO], ATTACH [KEY], DETACH")
    func maintenance() {
        #expect(command("ANALYZE") == .analyze(nil))
        #expect(command("ANALYZE main.t") == .analyze(QualifiedName(schema: Identifier("main"), name: Identifier("t"))))
        #expect(command("REINDEX") == .reindex(nil))
        #expect(command("REINDEX nocase") == .reindex(QualifiedName(name: Identifier("nocase"))))
        #expect(command("VACUUM") == .vacuum(Vacuum()))
        guard case .vacuum(let vacuum)? = command("VACUUM temp INTO 'x' || '.db'") else { return }
        #expect(vacuum.schema?.name == "temp" && vacuum.into != nil)
        guard case .attach(let attach)? = command("ATTACH DATABASE 'f.db' AS aux KEY 'secret'") else { return }
        #expect(attach.key != nil)
        guard case .attach(let short)? = command("ATTACH 'f.db' AS aux") else { return }
        #expect(short.key == nil)
        guard case .detach? = command("DETACH DATABASE aux"), case .detach? = command("DETACH aux") else {
            Issue.record("DETACH")
            return
        }
    }

    @Test("EXPLAIN and EXPLAIN QUERY PLAN prefix any statement")
    func explain() {
        #expect(statement("EXPLAIN SELECT 1")?.explain == .explain)
        #expect(statement("EXPLAIN QUERY PLAN DELETE FROM t")?.explain == .queryPlan)
        #expect(statement("SELECT 1")?.explain == nil)
        #expect(parseError("EXPLAIN")?.message == "incomplete input")
        #expect(parseError("EXPLAIN QUERY SELECT 1")?.message == #"near "SELECT": syntax error"#)
    }
}
