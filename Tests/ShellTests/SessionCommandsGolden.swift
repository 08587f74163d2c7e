// SessionCommandsGolden: the dot-commands that change the session — .open,
// .prompt, .eqp, .explain, .timer, .shell/.system — and -init, each run by
// swiftdb and by sqlite3 on the same script with the same stdout, stderr and
// exit status required (assertSameAsSQLite). The timer's figures differ from
// run to run, so its lines are checked for sqlite3's format instead.
import Foundation
import TestSupport
import XCTest

final class SessionCommandsGoldenTests: XCTestCase {
    func testOpenNewReadonlyAndInMemory() {
        let dir = TemporaryDirectory("shell-session")
        defer { dir.remove() }
        let db = dir.file("o.db")
        // Both engines run the script on the same file in turn; `.open --new` starts it afresh.
        assertSameAsSQLite([":memory:"], input: """
            .open --new \(db)
            CREATE TABLE t(a);
            INSERT INTO t VALUES(1);
            .open \(db)
            SELECT * FROM t;
            .open --readonly \(db)
            SELECT * FROM t;
            INSERT INTO t VALUES(2);
            .open
            SELECT count(*) FROM sqlite_schema;
            .show
            .open --new \(db)
            SELECT count(*) FROM sqlite_schema;
            .open --foo
            .open a b
            .open \(dir.file("no/such/dir/x.db"))
            SELECT 1;
            .show

            """)
    }

    /// The layouts only: swiftdb's bytecode and plan ids are its own, so the statements compared here are
    /// plans (as trees) and ordinary queries; `.explain on` lays every result out as EXPLAIN's table.
    func testExplainLayouts() {
        assertSameAsSQLite([":memory:"], input: """
            CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT);
            .explain
            SELECT 1 AS x, 2;
            SELECT 'a long value here' AS averyverylongname, NULL, 3;
            SELECT 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;
            SELECT 1 WHERE 0;
            .show
            .explain off
            SELECT 1 AS x, 2;
            .explain auto
            EXPLAIN QUERY PLAN SELECT * FROM t WHERE a = 1;
            .explain x
            .show
            .mode csv
            .explain on
            SELECT 1, 2;
            .explain auto
            SELECT 1, 2;

            """)
    }

    func testAutomaticQueryPlans() throws {
        assertSameAsSQLite([":memory:"], input: """
            .eqp on
            CREATE TABLE u(a PRIMARY KEY, b);
            INSERT INTO u VALUES(1, 2);
            SELECT * FROM u WHERE a = 1;
            SELECT b FROM u ORDER BY b;
            EXPLAIN QUERY PLAN SELECT * FROM u;
            .show
            .eqp off
            SELECT b FROM u;
            .eqp
            .eqp maybe
            .show
            .eqp on
            .eqp trace
            .show
            .eqp trigger
            .eqp test
            SELECT b FROM u;

            """)
        // `.eqp full` adds the statement's bytecode listing (swiftdb's own program) between plan and rows.
        let r = try runProcess(swiftdbBinary, [":memory:"], input: "CREATE TABLE u(b);\nINSERT INTO u VALUES(7);\n"
            + ".eqp full\nSELECT b FROM u;\n")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(Array(lines.prefix(4)), ["QUERY PLAN", "`--SCAN u",
            "addr  opcode         p1    p2    p3    p4             p5  comment      ",
            "----  -------------  ----  ----  ----  -------------  --  -------------"])
        XCTAssertTrue(lines.contains { $0.hasPrefix("0     Init ") }, r.stdout)
        XCTAssertEqual(lines.last, "7")
        // As in sqlite3, `full` also shows the plans of the triggers a statement fires.
        let t = try runProcess(swiftdbBinary, [":memory:"], input: "CREATE TABLE u(b);\nCREATE TABLE w(c);\n"
            + "CREATE TRIGGER tw AFTER INSERT ON u BEGIN DELETE FROM w WHERE c = new.b; END;\n"
            + ".eqp full\nINSERT INTO u VALUES(7);\n")
        let tLines = t.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(Array(tLines.prefix(3)), ["TRIGGER tw", "`--SCAN w",
            "addr  opcode         p1    p2    p3    p4             p5  comment      "], t.stdout)
    }

    func testPromptSystemAndUsageErrors() {
        assertSameAsSQLite([":memory:"], input: """
            .prompt
            .prompt a b c
            .system
            .system echo "a b" c
            .shell exit 3
            .sh echo short
            .timer
            .timer x
            SELECT 1;
            .time on
            .tim on

            """)
    }

    func testTimerPrintsRunTimeAfterEachInput() throws {
        let r = try runProcess(swiftdbBinary, [":memory:"], input: ".timer on\nSELECT 1;\nSELECT 2; SELECT 3;\n.print x\n")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 6, r.stdout)
        let format = #"^Run Time: real \d+\.\d{3} user \d+\.\d{6} sys \d+\.\d{6}$"#
        for i in [1, 4] { XCTAssertNotNil(lines[i].range(of: format, options: .regularExpression), lines[i]) }
        XCTAssertEqual([lines[0], lines[2], lines[3], lines[5]], ["1", "2", "3", "x"])
        // sqlite3 times SQL read from input, never SQL given as an argument.
        assertSameAsSQLite([":memory:", ".timer on", "SELECT 1"])
    }

    /// -init runs its file before the script (instead of ~/.swiftdbrc), silently when not at a terminal,
    /// and a missing one says "cannot open".
    func testInitFile() throws {
        let dir = TemporaryDirectory("shell-session")
        defer { dir.remove() }
        let rc = dir.file("rc")
        try ".mode csv\n.headers on\nSELECT 'from init';\n".write(toFile: rc, atomically: true, encoding: .utf8)
        assertSameAsSQLite(["-init", rc, ":memory:"], input: "SELECT 1 AS a, 'x,y' AS b;\n")
        assertSameAsSQLite(["-init", rc, "-list", ":memory:"], input: "SELECT 1 AS a, 'x,y' AS b;\n")
        assertSameAsSQLite(["-init", rc, ":memory:", "SELECT 2 AS c"])
        assertSameAsSQLite(["-init", dir.file("missing"), ":memory:"], input: "SELECT 1;\n")
        assertSameAsSQLite(["-bail", "-init", dir.file("missing"), ":memory:"], input: "SELECT 1;\n")
    }
}

final class StatsCommandTests: XCTestCase {
    /// .stats prints swiftdb's figures (its resident memory, and the kernel's I/O counters as sqlite3
    /// words them) after each statement, in `stmt` mode after the output columns; usage as sqlite3's.
    func testStatsAfterEachStatement() throws {
        let r = try runProcess(swiftdbBinary, [":memory:"], input: ".stats stmt\nSELECT 1 AS one, 2;\n.stats off\n"
            + "SELECT 3;\n.show\n")
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(Array(lines.prefix(4)), ["1|2", "Number of output columns:            2",
                                                "Column 0 name:                       one",
                                                "Column 1 name:                       2"])
        XCTAssertNotNil(lines[4].range(of: #"^Resident memory \(swiftdb\): +\d+ \(max \d+\) bytes$"#,
                                       options: .regularExpression), lines[4])
        XCTAssertTrue(lines.contains { $0.hasPrefix("Bytes received by read():            ") }, r.stdout)
        XCTAssertTrue(lines.contains("3"))
        XCTAssertTrue(lines.contains("       stats: off"))
        XCTAssertEqual(try runProcess(swiftdbBinary, [":memory:", ".stats on", ".show"]).stdout
            .contains("       stats: on\n"), true)
        assertSameAsSQLite([":memory:"], input: ".stats a b\n.stats x\n.show\n")
    }

    /// .stats vmstep prints "VM-steps: N" after each statement's rows and nothing else, as sqlite3 does;
    /// N is swiftdb's own count (its programs are not sqlite3's), so it is checked for growing with the
    /// rows a statement visits, and `.stats on` lists it among the figures.
    func testVMSteps() throws {
        let r = try runProcess(swiftdbBinary, [":memory:"], input: """
            CREATE TABLE t(a);
            WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100) INSERT INTO t SELECT x FROM c;
            .stats vmstep
            SELECT count(*) FROM t WHERE a < 5;
            SELECT count(*) FROM t WHERE a < 5;
            SELECT sum(a) FROM t;
            .show
            .stats
            .stats on
            SELECT 1;

            """)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual([lines[0], lines[2], lines[4]], ["4", "4", "5050"], r.stdout)
        func steps(_ line: String) -> Int? {
            line.hasPrefix("VM-steps: ") ? Int(line.dropFirst("VM-steps: ".count)) : nil
        }
        let small = try XCTUnwrap(steps(lines[1]), r.stdout), again = try XCTUnwrap(steps(lines[3]), r.stdout)
        let scan = try XCTUnwrap(steps(lines[5]), r.stdout)
        XCTAssertEqual(small, again, "the same statement run again counts afresh")
        XCTAssertGreaterThan(small, 100, "a scan of 100 rows steps through each of them")
        XCTAssertGreaterThan(scan, 100)
        XCTAssertTrue(lines.contains("       stats: vmstep"), r.stdout)
        XCTAssertTrue(lines.contains { $0.range(of: #"^Virtual Machine Steps: +\d+$"#, options: .regularExpression) != nil },
                      r.stdout)
        XCTAssertEqual(lines.filter { $0.hasPrefix("VM-steps:") }.count, 3, r.stdout)
    }
}
