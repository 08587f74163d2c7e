// ShellGolden: runs the built `swiftdb` binary and the `sqlite3` CLI (3.40.1) on
// the same arguments and script and requires the same stdout, stderr and exit
// status, byte for byte. The expected output always comes from sqlite3.
import Foundation
import TestSupport
import XCTest

/// The debug `swiftdb` binary beside this package's build products.
let swiftdbBinary: String = {
    var root = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { root.deleteLastPathComponent() }
    return root.appendingPathComponent(".build/debug/swiftdb").path
}()

/// A table holding every kind of value: NULL, integers at the extremes, reals (1e300, 0.1, -0.0),
/// empty and multi-line text, quotes, commas, tabs, non-ASCII and wide CJK text, blobs.
let everyValueSetup = """
    CREATE TABLE t(a, b, c);
    INSERT INTO t VALUES(NULL, 9223372036854775807, -9223372036854775808);
    INSERT INTO t VALUES(1e300, 0.1, -0.0);
    INSERT INTO t VALUES('', 'line1
    line2', 'it''s "q"');
    INSERT INTO t VALUES('a,b', 'tab\there', '中文字符');
    INSERT INTO t VALUES(x'00ff10', x'', 'é ü');
    INSERT INTO t VALUES(1.5, 100, -3.25e-10);
    INSERT INTO t VALUES(0, -1, 'x<y>&z');
    INSERT INTO t VALUES('trailing
    ', 'cr' || char(13) || char(10) || 'lf', 'back\\slash');

    """

/// Runs both programs; fails the test on any difference.
func assertSameAsSQLite(_ arguments: [String], input: String? = nil, file: StaticString = #filePath,
                        line: UInt = #line) {
    do {
        let expected = try runProcess("/usr/bin/sqlite3", arguments, input: input)
        let actual = try runProcess(swiftdbBinary, arguments, input: input)
        let what = "\(arguments) \(input.map { String($0.suffix(200)) } ?? "")"
        // `.show` has one line more in swiftdb: the IO back-end in use (ShellTests' testShow checks it).
        let stdout = actual.stdout.replacingOccurrences(of: "          io: memory\n", with: "")
        XCTAssertEqual(stdout, expected.stdout, "stdout of \(what)", file: file, line: line)
        // Lines naming the program (usage errors) name it as it was run.
        XCTAssertEqual(actual.stderr.replacingOccurrences(of: swiftdbBinary, with: "PROGRAM"),
                       expected.stderr.replacingOccurrences(of: "/usr/bin/sqlite3", with: "PROGRAM"),
                       "stderr of \(what)", file: file, line: line)
        XCTAssertEqual(actual.status, expected.status, "exit status of \(what)", file: file, line: line)
    } catch {
        XCTFail("\(error)", file: file, line: line)
    }
}

final class OutputModeGoldenTests: XCTestCase {
    static let modes = ["list", "csv", "quote", "tabs", "line", "column", "box", "table", "markdown", "html", "json",
                        "ascii", "insert", "insert my_table", "insert \"a b\"", "qbox", "tcl"]

    func testEveryModeWithHeadersOnAndOff() {
        for mode in Self.modes {
            for headers in ["on", "off"] {
                assertSameAsSQLite([":memory:"], input: everyValueSetup
                    + ".headers \(headers)\n.mode \(mode)\nSELECT * FROM t;\nSELECT a AS \"x y\", b AS 'b\"' FROM t;\n"
                    + "SELECT 1 WHERE 0;\nSELECT 2.0, 1e15, 123456789012345678.0, 1e400, -1e400, 0.5e-7;\n")
            }
        }
    }

    func testHeadersAfterModeChanges() {
        assertSameAsSQLite([":memory:"], input: ".mode column\n.mode list\nSELECT 1 AS x;\n")
        assertSameAsSQLite([":memory:"], input: ".headers off\n.mode column\nSELECT 1 AS longname;\n")
        assertSameAsSQLite(["-noheader", ":memory:"], input: ".mode column\nSELECT 1 AS longname;\n")
        assertSameAsSQLite([":memory:"], input: ".mode box\n.headers off\nSELECT 1 AS x, 'a' AS y;\n")
        assertSameAsSQLite([":memory:"], input: ".separator ; :\n.mode\nSELECT 1, 2;\n.mode csv\n.mode\n")
    }

    /// .show prints sqlite3's lines and then swiftdb's own "io" line.
    func testShow() throws {
        for script in [".separator ; :\n.nullvalue N\n.headers on\n.show\n", ".mode csv\n.width 3 -4\n.show\n",
                       ".mode box --wrap 7\n.echo on\n.show\n"] {
            let expected = try runProcess("/usr/bin/sqlite3", [":memory:"], input: script)
            let actual = try runProcess(swiftdbBinary, [":memory:"], input: script)
            XCTAssertEqual(actual.stdout, expected.stdout + "          io: memory\n")
        }
    }

    func testColumnarWidthsAndWrapping() {
        let long = "SELECT 'aaaaaaaaa bbbbbbbbb ccccccccc ddddddddd eeeeeeeee fffffffff ggggggggg hhhhhhhhh iiiiiiiii' "
            + "AS x, 1 AS y, 'hello world foo' AS z;\n"
        for mode in ["column", "box", "table", "markdown"] {
            assertSameAsSQLite([":memory:"], input: ".mode \(mode)\n" + long)
            assertSameAsSQLite([":memory:"], input: ".mode \(mode) --wrap 5 --wordwrap on\n" + long)
            assertSameAsSQLite([":memory:"], input: ".mode \(mode) --wrap 4 -ww\n" + long + ".mode\n")
            assertSameAsSQLite([":memory:"], input: ".mode \(mode) --quote\nSELECT 'a''b', NULL, x'0a', 1.5;\n")
            assertSameAsSQLite([":memory:"], input: ".width 5 -6 2\n.mode \(mode)\n"
                + "SELECT 'abcdefgh' AS a, 1 AS b, 'xyz' AS c, 4 AS d;\n.width\n")
            assertSameAsSQLite([":memory:"], input: ".nullvalue NV\n.mode \(mode)\n"
                + "SELECT NULL AS a, 1 AS b, 'a'||char(1)||'b'||char(13)||char(10)||'c'||char(10) AS c;\n"
                + "SELECT 'x' UNION ALL SELECT 'y\nz' UNION ALL SELECT 'w';\n")
            assertSameAsSQLite(["-\(mode)", ":memory:", long])
        }
    }

    func testSeparatorsAndNullValue() {
        assertSameAsSQLite(["-separator", "::", "-newline", "XY", "-nullvalue", "(null)", ":memory:"],
                           input: everyValueSetup + "SELECT * FROM t;\n.mode csv\nSELECT * FROM t;\n")
        assertSameAsSQLite([":memory:"], input: ".mode csv\n.separator ;\nSELECT 'a;b', 'a,b';\n")
        assertSameAsSQLite([":memory:"], input: ".print a\\nb\\101\\tc \"q\\nz\" 's\\n'\n.print\n")
    }
}

final class OptionGoldenTests: XCTestCase {
    func testModeOptions() {
        for option in ["-list", "-csv", "-quote", "-tabs", "-line", "-column", "-box", "-table", "-markdown", "-html",
                       "-json", "-ascii"] {
            for headers in ["-header", "-noheader"] {
                assertSameAsSQLite([option, headers, ":memory:", everyValueSetup, "SELECT * FROM t"])
            }
        }
    }

    func testArgumentsRunInOrderAndStopAtTheFirstError() {
        assertSameAsSQLite([":memory:", "SELECT 1", "SELECT * FROM nope", "SELECT 3"])
        assertSameAsSQLite(["-bail", ":memory:", "SELECT 1", ".foo", "SELECT 3"])
        assertSameAsSQLite(["-cmd", ".mode csv", "-cmd", "SELECT 0", ":memory:", "SELECT 1, 'a b'"])
        assertSameAsSQLite([":memory:", "CREATE TABLE u(a UNIQUE)", "INSERT INTO u VALUES(1)",
                            "INSERT INTO u VALUES(1)", "SELECT 9"])
        assertSameAsSQLite([":memory:", "SELECT 1", "SELECT abs(-9223372036854775808)", "SELECT 2"])
        assertSameAsSQLite(["-cmd", "SELECT abs(-9223372036854775808)", ":memory:", "SELECT 1"])
        assertSameAsSQLite(["-bail", "-cmd", "SELECT abs(-9223372036854775808)", ":memory:", "SELECT 1"])
        assertSameAsSQLite(["-foo"])
        assertSameAsSQLite([":memory:", "-separator"])
        assertSameAsSQLite(["-echo", ":memory:"], input: "SELECT 1;\n.print x\n")
    }

    /// Errors sqlite3 can place (syntax errors, unrecognized tokens, unknown columns and functions,
    /// misplaced aggregates) print the statement and a marker under the spot (shell_error_context):
    /// short and long statements, one far into a line, multi-byte text before it, several lines.
    func testParseErrorsPointAtTheirPlace() {
        let script = """
            SELECT 1;
            SELEC 1;
            SELECT 1 +;
              SELECT 2; SELEC 3; SELECT 4;
            SELECT 1 FROM t WHERE a = 1 AND b = 2 AND c = 3 AND d = 4 AND ee = 5 AND f = 6 AND g = 7 AND h = 8 ORDER;
            SELECT 'héllo wörld ünïcode', 'ab', 1 FROM (SELECT 1) WHERE 1 = 1 AND 2 = 2 AND x IN (1, 2, 3) GROUP;
            SELECT
              1,
              2 3;
            CREATE TABLE t(a, b);
            SELECT nosuch FROM t;
            SELECT t.nosuch FROM t;
            SELECT a FROM t WHERE zz > 1;
            SELECT foo(1);
            SELECT a, upper(b), foo(a, b) FROM t;
            SELECT a FROM t WHERE sum(a) > 1;
            SELECT count(*) FROM t WHERE sum(a) > 1;
            SELECT a, count(*) FROM t WHERE max(b) GROUP BY a;
            SELECT a FROM t ORDER BY sum(a);
            SELECT count(sum(a)) FROM t;
            UPDATE t SET a = 1 WHERE sum(a) > 1;
            DELETE FROM t WHERE count(*) > 1;
            INSERT INTO t VALUES (nosuch, 1);
            SELECT * FROM t WHERE a IN (SELECT nosuch FROM t);
            SELECT 0x1FFFFFFFFFFFFFFFF;
            SELECT 1 + 0x1FFFFFFFFFFFFFFFF;
            SELECT -0x1FFFFFFFFFFFFFFFF;
            SELECT a FROM (SELECT 1 AS a) WHERE a = 0x123456789012345678;
            SELECT "unterminated;

            """
        assertSameAsSQLite([":memory:"], input: script)
        assertSameAsSQLite([":memory:", "SELECT 1 +"])
        assertSameAsSQLite([":memory:", "SELECT 1; SELEC 2"])
        // An error in a trigger's body lies outside the statement's text: no caret line (the offset into
        // the trigger's text once pointed past the end of the statement and crashed the shell).
        assertSameAsSQLite([":memory:"], input: """
            CREATE TABLE t(x); CREATE TABLE log(n);
            CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log SELECT nosuchcolumn_abc FROM t; END;
            INSERT INTO t VALUES(5),(6);

            """)
    }

    func testScriptErrorsAndExitStatus() {
        assertSameAsSQLite([":memory:"], input: "SELECT 1;\nSELECT * FROM nope;\nSELECT 2;\n")
        assertSameAsSQLite(["-bail", ":memory:"], input: "SELECT 1;\nSELECT * FROM nope;\nSELECT 2;\n")
        assertSameAsSQLite([":memory:"], input: "CREATE TABLE u(a UNIQUE);\nINSERT INTO u VALUES(1);\n"
            + "INSERT INTO u VALUES(1);\nSELECT 2;\n")
        assertSameAsSQLite([":memory:"], input: ".headers\n.bail\n.echo\n.changes\n.separator\n.nullvalue\n"
            + ".headers maybe\n.mode foo\n.foo\n.read\n.schema a b c\n.indexes a b\nSELECT 9;\n")
    }
}

final class DotCommandGoldenTests: XCTestCase {
    let schema = """
        CREATE TABLE t1(a,b); CREATE TABLE t2(x PRIMARY KEY); CREATE INDEX i1 ON t1(a);
        CREATE VIEW v1 AS SELECT * FROM t1; CREATE TABLE zz(q);
        CREATE TABLE s(id INTEGER PRIMARY KEY AUTOINCREMENT, "x y");
        CREATE VIEW v2 AS SELECT id AS "the id", "x y" FROM s;
        INSERT INTO t1 VALUES(1, 'a'), (2.5, NULL), ('it''s', x'00ff');
        INSERT INTO s("x y") VALUES('one
        two');
        """

    func testSchemaCommands() {
        let dir = TemporaryDirectory("shell-golden")
        defer { dir.remove() }
        let db = dir.file("s.db")
        _ = try? runProcess("/usr/bin/sqlite3", [db, schema])
        assertSameAsSQLite([db], input: ".tables\n.tables t%\n.tables zz\n.indexes\n.indexes t1\n.indices t2\n"
            + ".schema\n.schema t1\n.schema --nosys\n.schema v%\n")
        assertSameAsSQLite([":memory:"], input: schema + "\n.changes on\nINSERT INTO zz VALUES(1),(2);\nSELECT 1;\n.changes off\n"
            + "INSERT INTO zz VALUES(3);\n.echo on\nSELECT 2;\n.print hi\n.echo off\nSELECT count(*) FROM zz;\n")
        assertSameAsSQLite([db, ".dump"])
        assertSameAsSQLite([db, ".dump t1"])
    }

    /// Temp objects in .tables, .indexes, .schema, .fullschema and .databases (named `temp.x`, after main's),
    /// and left out of .dump.
    func testSchemaCommandsWithTempObjects() {
        let dir = TemporaryDirectory("shell-golden")
        defer { dir.remove() }
        let db = dir.file("s.db")
        _ = try? runProcess("/usr/bin/sqlite3", [db, schema])
        let temp = """
            .databases
            CREATE TEMP TABLE t1(x, y); CREATE INDEX ti ON t1(x); CREATE TEMP VIEW tv AS SELECT x FROM t1;
            CREATE TEMP TRIGGER tr AFTER INSERT ON main.zz BEGIN SELECT 1; END;
            CREATE TEMP TABLE ts(id INTEGER PRIMARY KEY AUTOINCREMENT);
            .tables
            .tables t%
            .indexes
            .schema
            .schema t1
            .fullschema
            .databases
            .dump

            """
        assertSameAsSQLite([db], input: temp)
    }

    func testOutputOnceAndRead() throws {
        let dir = TemporaryDirectory("shell-golden")
        defer { dir.remove() }
        let script = dir.file("script.sql")
        try ".mode csv\nSELECT 1, 'a b';\n.read \(dir.file("missing"))\nSELECT 2;\n".write(toFile: script, atomically: true,
                                                                                     encoding: .utf8)
        assertSameAsSQLite([":memory:"], input: ".read \(script)\nSELECT 3;\n")
        for (tool, file) in [("/usr/bin/sqlite3", dir.file("a.out")), (swiftdbBinary, dir.file("b.out"))] {
            _ = try runProcess(tool, [":memory:"], input: ".once \(file)\nSELECT 1;\nSELECT 2;\n.output \(file).2\n"
                + "SELECT 3;\n.output\nSELECT 4;\n")
        }
        XCTAssertEqual(try String(contentsOfFile: dir.file("a.out"), encoding: .utf8),
                       try String(contentsOfFile: dir.file("b.out"), encoding: .utf8))
        XCTAssertEqual(try String(contentsOfFile: dir.file("a.out.2"), encoding: .utf8),
                       try String(contentsOfFile: dir.file("b.out.2"), encoding: .utf8))
    }

    /// .dump's output loads into the other engine and reproduces the same dump.
    func testDumpRoundTripsBothWays() throws {
        let dir = TemporaryDirectory("shell-golden")
        defer { dir.remove() }
        let source = dir.file("src.db")
        _ = try runProcess("/usr/bin/sqlite3", [source, schema + everyValueSetup])
        let dumped = try runProcess("/usr/bin/sqlite3", [source, ".dump"]).stdout
        // sqlite3's dump into swiftdb, then swiftdb's dump of that back into sqlite3.
        let viaSwiftdb = dir.file("via-swiftdb.db")
        let load = try runProcess(swiftdbBinary, [viaSwiftdb], input: dumped)
        XCTAssertEqual(load.stderr, "")
        let swiftdbDump = try runProcess(swiftdbBinary, [viaSwiftdb, ".dump"]).stdout
        XCTAssertEqual(swiftdbDump, dumped)
        let back = dir.file("back.db")
        _ = try runProcess("/usr/bin/sqlite3", [back], input: swiftdbDump)
        XCTAssertEqual(try runProcess("/usr/bin/sqlite3", [back, ".dump"]).stdout, dumped)
        XCTAssertEqual(try runProcess("/usr/bin/sqlite3", [viaSwiftdb, "PRAGMA integrity_check"]).stdout, "ok\n")
    }
}
