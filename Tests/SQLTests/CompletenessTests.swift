// Parser.isComplete against sqlite3_complete (https://sqlite.org/c3ref/complete.html):
// a ';' outside strings and comments ends a statement, except inside CREATE
// TRIGGER … BEGIN … END, which needs ";END;".

import CSQLite3
import SQL
import Testing

@Suite("Completeness check")
struct CompletenessTests {
    static let inputs = [
        "", " ", ";", "SELECT 1", "SELECT 1;", "SELECT 1; ", "SELECT 1 -- c;", "SELECT 1; -- c", "SELECT ';'",
        "SELECT ';';", "SELECT \"a;\";", "SELECT [a;];", "SELECT `a;`;", "SELECT 1 /* ; */", "SELECT 1 /* ; */;",
        "SELECT 1 /* open ;", "SELECT 'it''s';", "CREATE TRIGGER r AFTER INSERT ON t BEGIN SELECT 1;",
        "CREATE TRIGGER r AFTER INSERT ON t BEGIN SELECT 1; END;",
        "CREATE TEMP TRIGGER r AFTER INSERT ON t BEGIN SELECT 1; END", "create temporary trigger x begin; end ;",
        "EXPLAIN CREATE TRIGGER r BEGIN SELECT 1; END;", "CREATE TABLE trigger(a);", "SELECT end;",
        "CREATE TRIGGER r BEGIN SELECT 'END;'; END;", "CREATE VIEW v AS SELECT 1;", "-- only a comment\n",
        "SELECT 1;\n-- c", "CREATE TRIGGER r BEGIN SELECT 1; END; SELECT 2;", "SELECT (;",
        "CREATE /* x */ TRIGGER r BEGIN SELECT 1; END /* y */ ;",
    ]

    @Test("agrees with sqlite3_complete")
    func againstSQLite() {
        for input in Self.inputs {
            let expected = sqlite3_complete(input) != 0
            #expect(Parser.isComplete(input) == expected, "\(input)")
        }
    }

    @Test("readable cases")
    func specification() {
        #expect(Parser.isComplete("SELECT 1;"))
        #expect(!Parser.isComplete("SELECT 1"))
        #expect(!Parser.isComplete("SELECT ';"))
        #expect(!Parser.isComplete("CREATE TRIGGER r AFTER INSERT ON t BEGIN SELECT 1;"))
        #expect(Parser.isComplete("CREATE TRIGGER r AFTER INSERT ON t BEGIN SELECT 1; END;"))
        #expect(!Parser.isComplete("   "))
    }

    @Test("agrees with sqlite3_complete on every prefix of the grammar samples")
    func prefixes() {
        for sample in GrammarSamples.statements.prefix(60) {
            let bytes = Array(sample.utf8)
            for end in stride(from: 0, through: bytes.count, by: 3) {
                let prefix = String(decoding: bytes[..<end], as: UTF8.self)
                #expect(Parser.isComplete(prefix) == (sqlite3_complete(prefix) != 0), "\(prefix)")
            }
        }
    }
}
