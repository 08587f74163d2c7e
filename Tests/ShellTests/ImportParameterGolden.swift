// ImportParameterGolden: `.import` and `.parameter` against sqlite3 3.40.1 —
// the same input files and scripts given to both shells, stdout, stderr and
// exit status compared byte for byte (assertSameAsSQLite). Each import is
// followed by SELECTs that show what was stored, and each .parameter command
// by statements that use the bindings.
import Foundation
import TestSupport
import XCTest

final class ImportGoldenTests: XCTestCase {
    private var dir: TemporaryDirectory!

    override func setUp() {
        dir = TemporaryDirectory("import-golden")
    }

    override func tearDown() {
        dir.remove()
    }

    /// Writes `bytes` to a file of the test's directory and returns its path.
    private func file(_ name: String, _ bytes: [UInt8]) -> String {
        let path = dir.file(name)
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    private func file(_ name: String, _ text: String) -> String { file(name, Array(text.utf8)) }

    func testCSVQuotingCreatesTableFromHeader() {
        let quoted = file("quoted.csv", "id,name,note\n1,\"a,b\",\"line1\nline2\"\n2,\"he said \"\"hi\"\"\",\n"
            + "3,,\"\"\n4,\"\"\"\",plain\n")
        let crlf = file("crlf.csv", "id,name,note\r\n1,\"Zoë \"\"Z\"\" Ünïcode\",\"x\r\ny\"\r\n2,,\r\n,日本語,\"\"\r\n")
        let bom = file("bom.csv", [0xEF, 0xBB, 0xBF] + Array("\"x\",y\r\n1,\"2\"\r\n\"3\r\n4\",5".utf8))
        let nul = file("nul.csv", Array("a,b\n1,x".utf8) + [0] + Array("y\n".utf8))
        for path in [quoted, crlf, bom, nul] {
            assertSameAsSQLite([":memory:"], input: """
                .import --csv \(path) t
                .mode quote
                SELECT * FROM t;
                SELECT typeof(id), length(note) FROM t WHERE 0;
                SELECT sql FROM sqlite_schema;
                SELECT count(*) FROM t;

                """)
        }
        // csv mode without --csv: the same reading, and the mode's "\r\n" row separator becomes "\n" for good.
        assertSameAsSQLite([":memory:"], input: ".mode csv\n.import \(crlf) t\nSELECT * FROM t;\nSELECT 1, 2;\n")
        assertSameAsSQLite(["-csv", ":memory:", ".import \(quoted) t", "SELECT * FROM t"])
    }

    func testExistingTableSkipAndVerbose() {
        let data = file("data.csv", "1,one,1.5\n2,two,2e3\nx,three,\n")
        assertSameAsSQLite([":memory:"], input: """
            CREATE TABLE typed(id INTEGER, name TEXT, r REAL);
            .import --csv \(data) typed
            SELECT id, typeof(id), name, r, typeof(r) FROM typed;
            .import --csv --skip 2 \(data) typed
            .import --skip 1 --csv -v \(data) typed
            .mode list
            .import -v \(data) typed
            .import -v -v --csv \(data) typed
            .import -v -v --csv \(data) newtable
            SELECT count(*) FROM typed;
            SELECT * FROM newtable;
            .import --csv --skip 5 \(data) typed
            .import --csv --skip 3 \(data) none
            .import --schema main --csv \(data) typed
            SELECT count(*) FROM main.typed;

            """)
        // Into the temp database: a new table is created there (shadowing main's), an existing one filled;
        // an unknown database fails the CREATE TABLE.
        assertSameAsSQLite([":memory:"], input: """
            CREATE TABLE typed(id INTEGER, name TEXT, r REAL);
            .import --csv --schema temp \(data) typed
            SELECT * FROM temp.typed;
            SELECT count(*) FROM main.typed;
            .import --csv --schema temp \(data) typed
            SELECT count(*) FROM typed;
            .schema
            .import --csv --schema nosuch \(data) other

            """)
        // Inside BEGIN the rows join the open transaction; ROLLBACK takes them away.
        assertSameAsSQLite([":memory:"], input: """
            CREATE TABLE t(a, b, c);
            BEGIN;
            .import --csv \(data) t
            SELECT count(*) FROM t;
            ROLLBACK;
            SELECT count(*) FROM t;
            .changes on
            .import --csv \(data) t
            SELECT changes(), total_changes();

            """)
    }

    func testShortAndLongRows() {
        let ragged = file("ragged.csv", "a,b,c\n1\n2,3\n4,5,6\n7,8,9,10\n11,12,13,14,15\n\n16,17,18")
        let noNewline = file("trailing.csv", "a,b,c\n1,2,")
        for path in [ragged, noNewline] {
            assertSameAsSQLite([":memory:"], input: """
                .import --csv \(path) t
                .mode quote
                SELECT * FROM t;
                CREATE TABLE one(x);
                .import --csv \(path) one
                SELECT * FROM one;

                """)
        }
    }

    func testAsciiAndOutputModeSeparators() {
        let ascii = file("data.txt", Array("a\u{1F}b\u{1E}1\u{1F}2\u{1E}\u{1E}3\u{1F}4\u{1E}\u{1F}9\u{1E}".utf8))
        let tabs = file("data.tsv", "a\tb\n1\t2\n\"3\t4\"\t5\n")
        let custom = file("custom.txt", "a;b|1;2|3;\"x|y\"|")
        assertSameAsSQLite([":memory:"], input: """
            .import --ascii \(ascii) a1
            .mode ascii
            .import \(ascii) a2
            .mode quote
            SELECT * FROM a1;
            SELECT * FROM a2;
            .mode tabs
            .import \(tabs) tt
            .mode list
            .separator ; |
            .import \(custom) cu
            .import -v \(custom) cu
            .mode quote
            SELECT * FROM tt;
            SELECT * FROM cu;
            .mode list
            .separator ,
            .import \(tabs) commas
            SELECT * FROM commas;

            """)
        // Separator bytes of 0x80 and more never match (sqlite3 widens a signed char); 0xFF as the row
        // separator equals EOF. (0xFF as the column separator makes sqlite3 loop for ever: not compared.)
        let high = file("high.txt", [0x61, 0xFE, 0x62, 0x0A, 0x31, 0xFE, 0x32, 0x0A, 0x33, 0x2C, 0x34, 0xFF])
        assertSameAsSQLite([":memory:"], input: """
            .separator \\376
            .import -v \(high) t1
            .separator , \\377
            .import -v \(high) t2
            .mode quote
            SELECT * FROM t1;
            SELECT * FROM t2;

            """)
        // Separators sqlite3 cannot read with.
        assertSameAsSQLite([":memory:"], input: """
            .separator ""
            .import \(tabs) t
            .separator ab
            .import \(tabs) t
            .separator ; ""
            .import \(tabs) t
            .separator ; ab
            .import \(tabs) t
            .mode csv
            .separator , \\r\\n
            .import \(tabs) t
            SELECT count(*) FROM t;

            """)
    }

    func testQuoteErrors() {
        let unterminated = file("unterminated.csv", "a,\"unterminated\nx,y\n")
        let unescaped = file("unescaped.csv", "a,b\n\"x\"y\",z\n\"p\" ,q\n1,\"2\nstill\n")
        for path in [unterminated, unescaped] {
            assertSameAsSQLite([":memory:"], input: ".import --csv \(path) t\n.mode quote\nSELECT * FROM t;\n"
                + "CREATE TABLE two(a, b);\n.import --csv \(path) two\nSELECT * FROM two;\n")
        }
    }

    func testErrorsUsageAndDuplicateNames() {
        let data = file("data.csv", "a,b\n1,2\n")
        let empty = file("empty.csv", "")
        let duplicates = file("dup.csv", "a,A,b,a,,a_2\n1,2,3,4,5,6\n")
        let collide = file("collide.csv", "a,a,a,a,a,a,a,a,a,a,a_01\n")
        let eleven = file("eleven.csv", String(repeating: "a,", count: 10) + "a\n1,2,3,4,5,6,7,8,9,10,11\n")
        assertSameAsSQLite([":memory:"], input: """
            .import
            .import \(data)
            .import \(data) t extra
            .import --foo \(data) t
            .import -- \(data) t
            .import --skip
            .import \(data) t --schema
            .import \(dir.file("missing.csv")) t
            .import \(empty) t
            CREATE TABLE e(x);
            .import \(empty) e
            SELECT count(*) FROM e;
            CREATE VIEW v AS SELECT 1 AS a, 2 AS b;
            .import --csv \(data) v
            .import --csv \(duplicates) d
            .import --csv -v \(collide) c
            .import --csv -v \(eleven) el
            .headers on
            SELECT * FROM d;
            SELECT * FROM el;
            .import --csv \(data) "we""ird"
            SELECT * FROM "we""ird";
            .import "|printf 'p,q\\n1,2\\n'" pp
            .import "|printf ''" none
            SELECT * FROM pp;
            .i --csv \(data) short
            .im --csv \(data) short
            SELECT count(*) FROM short;

            """)
        // A constraint failure: a warning per row; the command fails when the last row's INSERT did.
        let middle = file("middle.csv", "1,a\n1,b\n2,c\n")
        let last = file("last.csv", "1,a\n2,c\n1,b\n")
        for path in [middle, last] {
            let script = "CREATE TABLE u(a INTEGER PRIMARY KEY, b);\n.import --csv \(path) u\nSELECT * FROM u;\n"
            assertSameAsSQLite([":memory:"], input: script)
            assertSameAsSQLite(["-bail", ":memory:"], input: script)
        }
        assertSameAsSQLite([":memory:", ".import \(dir.file("missing.csv")) t", "SELECT 1"])
        assertSameAsSQLite(["-bail", ":memory:"], input: ".import \(dir.file("missing.csv")) t\nSELECT 1;\n")
    }
}

final class ParameterGoldenTests: XCTestCase {
    func testParametersBeforeAnyParameterCommandAreNull() {
        assertSameAsSQLite([":memory:"], input: """
            SELECT :a, ?, ?3, @b, $c, :a IS NULL;
            CREATE TABLE p(x, y);
            INSERT INTO p VALUES(:a, ?2);
            SELECT x IS NULL, y IS NULL FROM p;
            .parameter list
            .parameter unset :a
            .parameter list
            .parameter init
            .parameter list
            SELECT :a;

            """)
        assertSameAsSQLite([":memory:", "SELECT ?1, :x", ".parameter list"])
    }

    func testSetValuesOfEveryKindAndList() {
        assertSameAsSQLite([":memory:"], input: """
            CREATE TABLE p(x);
            INSERT INTO p VALUES(1), (2);
            .parameter set :i 42
            .parameter set :neg -17
            .parameter set :big 9223372036854775807
            .parameter set :r 3.14159
            .parameter set :inf 1e400
            .parameter set :t "'it''s'"
            .parameter set :t2 unquoted_text
            .parameter set :t3 "two words"
            .parameter set :b x'DEADbeef'
            .parameter set :e abs(-5)*2||'x'
            .parameter set :overflow abs(-9223372036854775808)
            .parameter set :sub "(SELECT count(*) FROM p)"
            .parameter set :nosuch nosuch_column
            .parameter set :multi "1), ('@k2', 7"
            .parameter set :numkey "1), (5, 6"
            .parameter set :nullkey "1), (NULL, 6"
            .parameter set :tail "1);DROP TABLE p;--"
            .parameter set :cols 1,2
            .parameter set :empty ""
            .parameter set :zero 0
            .parameter set :nul nul\\000after
            .parameter set :nu NULL
            .parameter set "it's" 'quote key'
            .parameter set :ünï 'unicode key'
            .parameter list
            SELECT :i, :neg, :big, :r, :inf, :t, :t2, :t3, hex(:b), :e, :overflow, :sub, :nosuch, @k2, :tail;
            SELECT :cols, :empty, :zero, :nul, :nu, :nullkey, :ünï, typeof(:nu), typeof(:multi), typeof(:b);
            SELECT typeof(:i), typeof(:r), typeof(:t2), typeof(:inf);
            SELECT count(*) FROM p;

            """)
        // The list's width: the longest key in characters, at most 40; nothing when it is 0.
        assertSameAsSQLite([":memory:"], input: """
            .parameter set :a_key_that_is_much_longer_than_forty_characters_in_total 1
            .parameter set :x 2
            .parameter list
            .parameter clear
            .parameter set '' 1
            .parameter list
            .parameter set :é 1
            .parameter list
            .parameter set :b 'x'
            .parameter list

            """)
    }

    /// The bindings are the TEMP table temp.sqlite_parameters: SQL reads and writes it, .schema and .databases
    /// show it, .parameter clear drops it.
    func testParameterTableIsATempTable() {
        assertSameAsSQLite([":memory:"], input: """
            .databases
            .parameter set :a 1
            .parameter set :b 'two'
            .schema
            .databases
            .tables
            SELECT * FROM temp.sqlite_parameters;
            SELECT name, type FROM sqlite_temp_master;
            INSERT INTO temp.sqlite_parameters VALUES(':c', x'00');
            UPDATE temp.sqlite_parameters SET value = 10 WHERE key = ':a';
            .parameter list
            SELECT :a, :b, hex(:c);
            .parameter clear
            SELECT count(*) FROM sqlite_temp_master;
            SELECT :a;
            .parameter list
            .schema

            """)
    }

    func testBindingInSelectAndInsertByEveryNameForm() {
        assertSameAsSQLite([":memory:"], input: """
            .parameter set ?1 'first'
            .parameter set ?3 3
            .parameter set :a 'colon'
            .parameter set @a 'at'
            .parameter set $a 'dollar'
            .parameter set ?002 'padded'
            SELECT ?, ?, ?3, :a, @a, $a, ?002, ?2;
            SELECT ?2;
            SELECT ?3, ?;
            CREATE TABLE t(a, b, c);
            INSERT INTO t VALUES(:a, ?3, @a);
            INSERT INTO t VALUES(?, $a, :missing);
            INSERT INTO t SELECT :a, :a, :a WHERE ?3 = 3;
            SELECT * FROM t;
            SELECT count(*) FROM t WHERE a = :a;
            UPDATE t SET b = $a WHERE c = @a;
            SELECT * FROM t;
            .parameter set :a 'replaced'
            .parameter unset ?3
            SELECT :a, ?3;
            .parameter list
            .parameter clear
            SELECT :a, ?3, $a;
            .parameter list

            """)
        assertSameAsSQLite([":memory:", ".parameter set :a 5", "-cmd", ".parameter set ?1 7", "SELECT :a, ?1"])
    }

    func testUsage() {
        assertSameAsSQLite([":memory:"], input: """
            .parameter
            .parameter foo
            .parameter list extra
            .parameter set :x
            .parameter set :x 1 2
            .parameter unset
            .parameter clear now
            .par set :x 1
            .param list
            .parameter CLEAR
            .pa list
            SELECT :x;

            """)
    }
}

final class HelpLinesGoldenTests: XCTestCase {
    /// Every line of swiftdb's `.help` but its own `.io` is one of sqlite3's, in sqlite3's order.
    func testHelpLinesAreSQLite3s() throws {
        let expected = try runProcess("/usr/bin/sqlite3", [":memory:", ".help"]).stdout.split(separator: "\n")
        let actual = try runProcess(swiftdbBinary, [":memory:", ".help"]).stdout.split(separator: "\n")
            .filter { !$0.hasPrefix(".io ") }
        XCTAssertTrue(actual.contains { $0.hasPrefix(".import ") })
        XCTAssertTrue(actual.contains { $0.hasPrefix(".parameter ") })
        var position = expected.startIndex
        for line in actual {
            guard let found = expected[position...].firstIndex(of: line) else {
                XCTFail("not one of sqlite3's .help lines, or out of order: \(line)")
                return
            }
            position = found + 1
        }
    }
}
