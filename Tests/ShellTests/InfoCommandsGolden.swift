// InfoCommandsGolden: .sha3sum (and the sha3()/sha3_query() functions it runs),
// .schema/.fullschema --indent, .dbinfo and .limit against sqlite3 3.40.1, over
// databases sqlite3 made (every kind of object and value, several encodings and
// page sizes) and over :memory:. .dbinfo cannot be compared directly — Debian's
// libsqlite3 lacks the sqlite_dbpage table the command reads — so its expected
// output is built from values /usr/bin/sqlite3 computes itself (see
// `sqliteDBInfo`). Where swiftdb's .limit legitimately differs, the test says why.
import Foundation
import TestSupport
import XCTest

/// Tables of every shape (quoted and mixed-case names, AUTOINCREMENT, WITHOUT ROWID, REAL affinity,
/// overflow pages), indexes, views, triggers and sqlite_stat1, added to `everyValueSetup`'s table t.
let infoSchema = #"""
    CREATE TABLE "Odd ""Name"""(x INTEGER PRIMARY KEY, y REAL, z TEXT);
    INSERT INTO "Odd ""Name""" VALUES(1, 2, 3), (5, 'a', x'01'), (7, 2.5, NULL);
    CREATE TABLE s(id INTEGER PRIMARY KEY AUTOINCREMENT, v);
    INSERT INTO s(v) VALUES('one'), ('two'), (zeroblob(5000)), (printf('%.3000c', 'x'));
    CREATE TABLE w(k TEXT PRIMARY KEY, v) WITHOUT ROWID;
    INSERT INTO w VALUES('b', 1), ('a', 2), ('C', -0.5);
    CREATE TABLE Mixed(a);
    INSERT INTO Mixed VALUES('é'), (NULL);
    CREATE TABLE empty(a, b);
    CREATE INDEX i1 ON t(a);
    CREATE UNIQUE INDEX i2 ON s(v);
    CREATE VIEW v1 AS SELECT a, b FROM t;
    CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO empty VALUES(new.a, new.b); END;
    ANALYZE;

    """#

final class SHA3GoldenTests: XCTestCase {
    func testSHA3FunctionsMatchSQLite() {
        let script = """
            SELECT hex(sha3('abc')), hex(sha3('abc', 224)), hex(sha3('abc', 384)), hex(sha3('abc', '512'));
            SELECT hex(sha3('')), hex(sha3(x'')), hex(sha3(1)), hex(sha3(1.5)), sha3(NULL), hex(sha3(-0.0));
            SELECT hex(sha3(zeroblob(135))), hex(sha3(zeroblob(136))), hex(sha3(zeroblob(137), 224));
            SELECT hex(sha3(printf('%.1000c', 'x'), 512)), hex(sha3('中文字符', 256));
            SELECT sha3('a', 100);
            SELECT sha3(NULL, 7);
            SELECT hex(sha3_query('select 1;')), hex(sha3_query(' select 1;')), hex(sha3_query('select 1'));
            SELECT hex(sha3_query('select 1 ; ')), hex(sha3_query(';;select 1;;')), hex(sha3_query('-- c'));
            SELECT hex(sha3_query('SELECT 1, 2.5, ''x'', x''00ff'', NULL; SELECT 3 UNION ALL SELECT 4', 512));
            SELECT hex(sha3_query('SELECT * FROM t NOT INDEXED', 384)), hex(sha3_query('SELECT c, b, a FROM t'));
            SELECT hex(sha3_query('SELECT 1; SELECT abs(-9223372036854775808); SELECT 2'));
            SELECT sha3_query('select 1; selec 2; select 3');
            SELECT sha3_query('select 1; select nosuch; select 3');
            SELECT sha3_query('select 1; insert into t values(1, 2, 3); select 3');
            SELECT sha3_query('select ''unterminated');
            SELECT sha3_query(NULL), sha3_query(''), sha3_query('select 1', 7);
            .limit sql_length 80
            SELECT sha3_query(x) FROM (SELECT 'select 1;select ' || printf('%.100c', '1') AS x);

            """
        assertSameAsSQLite([":memory:"], input: everyValueSetup + script)
    }

    /// Every option, patterns, the order of tables, the current output mode, --debug's query.
    static let sha3sumScript = """
        .sha3sum
        .sha3sum --schema
        .sha3sum -sha3-256
        .sha3sum --sha3-384 --schema
        .sha3sum --sha3-512
        .sha3sum t
        .sha3sum %
        .sha3sum sqlite_%
        .sha3sum ODD%
        .sha3sum m_x%
        .sha3sum nomatch
        .sha3sum ""
        .sha3sum --debug
        .sha3sum --schema --debug
        .sha3sum --debug sqlite%
        .sha3sum --debug %
        .headers on
        .sha3sum %
        .sha3sum
        .mode box
        .sha3sum s%
        .mode json
        .sha3 --schema w

        """

    func testSHA3SumOverDatabasesOfEachEncodingAndPageSize() throws {
        let dir = TemporaryDirectory("sha3sum-golden")
        defer { dir.remove() }
        for (i, (encoding, pageSize)) in [("UTF-8", 4096), ("UTF-16le", 1024), ("UTF-16be", 65536), ("UTF-8", 512)]
            .enumerated() {
            let db = dir.file("d\(i).db")
            let made = try runProcess("/usr/bin/sqlite3", [db], input: "PRAGMA encoding='\(encoding)';\n"
                + "PRAGMA page_size=\(pageSize);\n" + everyValueSetup + infoSchema)
            XCTAssertEqual(made.stderr, "")
            assertSameAsSQLite([db], input: Self.sha3sumScript)
        }
    }

    func testSHA3SumInMemoryAndErrors() {
        // No table: the query sqlite3 builds is not valid SQL, and its error is not reported.
        assertSameAsSQLite([":memory:"], input: ".sha3sum\n.sha3sum --schema x\n.sha3sum --debug\n.print done\n")
        assertSameAsSQLite([":memory:"], input: everyValueSetup + infoSchema + Self.sha3sumScript)
        assertSameAsSQLite([":memory:"], input: ".sha3sum --foo\n.sha3sum -sha3-100\n.sha3sum a b\n.sha3\n.sha\n")
        assertSameAsSQLite([":memory:", ".sha3sum --bad"])
    }
}

final class SchemaIndentGoldenTests: XCTestCase {
    /// Short and long statements; comments, quotes, [brackets] and `backticks` holding commas and
    /// parentheses; tabs, CR LF and runs of spaces; quoted table names (IF NOT EXISTS); an index, a
    /// view and a trigger long enough to be broken if they were tables.
    static let schema = """
        CREATE TABLE short(a, b);
        CREATE TABLE "quoted name"(a INTEGER PRIMARY KEY, b TEXT NOT NULL DEFAULT 'x, y', c REAL CHECK (c > 0), d BLOB);
        CREATE TABLE long_one (
            id   INTEGER PRIMARY KEY AUTOINCREMENT,   -- the id, (with parens)
            name TEXT    NOT NULL   COLLATE NOCASE,
            "weird, col" TEXT DEFAULT '(', [br,acket] INT, `back,tick` INT,
            amount REAL CHECK( amount >= 0 AND (amount < 1000000) ),
            UNIQUE (name, amount),
            FOREIGN KEY (id) REFERENCES short(a) ON DELETE CASCADE
        );
        CREATE TABLE t2(aaaaaaaaaaaaaaaa INTEGER, bbbbbbbbbbbbbbbbbbbbb TEXT, cccccccccccccccccccccc BLOB, dddddddd REAL)  ;
        CREATE TABLE t3(x INTEGER,
          y TEXT, -- trailing comment
          z BLOB,\tzz\tINT,
          PRIMARY KEY(x, y)) WITHOUT ROWID;
        CREATE TABLE crlf(a,\r\n  bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb,\r\n  ccccccccccccccccccccccccccccccccccc \r\n);
        CREATE INDEX idx_long ON long_one(name COLLATE NOCASE, amount DESC, "weird, col") WHERE amount > 10 AND name IS NOT NULL;
        CREATE INDEX i2 ON short(a);
        CREATE VIEW v_odd AS SELECT 1 AS "a*/b", 2 AS "c--d", 3 AS [e/*f];
        CREATE VIEW v_long AS SELECT id, name, amount FROM long_one WHERE amount > 100 AND name LIKE 'a%' ORDER BY 1;
        CREATE TRIGGER trg AFTER INSERT ON short BEGIN INSERT INTO t2 VALUES(new.a, new.b, NULL, 1.0); END;
        CREATE TABLE ws (   a   ,   b   )  ;
        CREATE TABLE "x""y"(a);
        CREATE TABLE 'single'(a);
        CREATE TABLE t4(a /* open comment, (paren */, bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb, cccccccccccccccccccccccccccc, d);
        CREATE TABLE t5(a TEXT DEFAULT 'it''s, (odd', b TEXT DEFAULT "dq, (x", c INT, ddddddddddddddddddddddddddddddd INT);
        CREATE TABLE t6(a INT, b INT, cccccccccccccccccccccccccccccccccccccccccccccccccccccc INT) -- ends in a comment
        """

    func testIndentedSchemaMatchesSQLite() throws {
        let dir = TemporaryDirectory("indent-golden")
        defer { dir.remove() }
        let db = dir.file("s.db")
        let made = try runProcess("/usr/bin/sqlite3", [db], input: Self.schema + "\n;\n")
        XCTAssertEqual(made.stderr, "")
        assertSameAsSQLite([db], input: ".schema --indent\n.fullschema --indent\n.schema -indent long%\n"
            + ".schema --indent --nosys\n.fullschema -indent\n.schema\n.fullschema\n.schema --indent t_\n")
        assertSameAsSQLite([db], input: ".fullschema --indent x\n.fullschema --nosys\n.fullschema --indent --indent\n"
            + ".schema --indent a b\n.schema -nosys -indent\n")
        assertSameAsSQLite([":memory:"], input: Self.schema + "\n;\n.schema --indent\n.fullschema --indent\n")
    }
}

final class DBInfoTests: XCTestCase {
    /// shell_dbinfo_command's "%-20s " label.
    private func label(_ s: String) -> String { s + String(repeating: " ", count: max(0, 20 - s.count)) + " " }

    /// .dbinfo as sqlite3 3.40.1 prints it for `db` after running `setup` in the same process, every
    /// value computed by /usr/bin/sqlite3: the header fields decoded from the file's first 100 bytes
    /// (readfile(); `setup` must leave them committed to the file, so no WAL), the counts and the
    /// schema size from sqlite_schema, the data version from `.filectrl data_version`; laid out as
    /// shell_dbinfo_command lays them out.
    private func sqliteDBInfo(_ db: String, setup: String) throws -> String {
        let path = db.replacingOccurrences(of: "'", with: "''")
        let fields = [("database page size:", 16, 2), ("write format:", 18, 1), ("read format:", 19, 1),
                      ("reserved bytes:", 20, 1), ("file change counter:", 24, 4), ("database page count:", 28, 4),
                      ("freelist page count:", 36, 4), ("schema cookie:", 40, 4), ("schema format:", 44, 4),
                      ("default cache size:", 48, 4), ("autovacuum top root:", 52, 4), ("incremental vacuum:", 64, 4),
                      ("text encoding:", 56, 4), ("user version:", 60, 4), ("application id:", 68, 4),
                      ("software version:", 96, 4)]
        let rows = fields.enumerated().map { "(\($0.offset), '\($0.element.0)', \($0.element.1), \($0.element.2))" }
        let script = setup + """

            .headers off
            .mode list
            WITH h(b) AS (SELECT readfile('\(path)')),
              f(n, label, off, len) AS (VALUES \(rows.joined(separator: ", "))),
              d(k) AS (VALUES (1), (2), (3), (4), (5), (6), (7), (8)),
              v(n, label, val) AS (SELECT n, label, (SELECT sum((instr('0123456789ABCDEF',
                  substr(hex(substr(b, off + 1, len)), k, 1)) - 1) << (4 * (2 * len - k))) FROM d WHERE k <= 2 * len)
                FROM f, h)
            SELECT printf('%-20s %d%s', label, CASE WHEN n = 0 AND val = 1 THEN 65536 ELSE val END,
                CASE WHEN n = 12 THEN CASE val WHEN 1 THEN ' (utf8)' WHEN 2 THEN ' (utf16le)'
                  WHEN 3 THEN ' (utf16be)' ELSE '' END ELSE '' END) FROM v ORDER BY n;
            SELECT printf('%-20s %d', 'number of tables:', count(*)) FROM sqlite_schema WHERE type='table';
            SELECT printf('%-20s %d', 'number of indexes:', count(*)) FROM sqlite_schema WHERE type='index';
            SELECT printf('%-20s %d', 'number of triggers:', count(*)) FROM sqlite_schema WHERE type='trigger';
            SELECT printf('%-20s %d', 'number of views:', count(*)) FROM sqlite_schema WHERE type='view';
            SELECT printf('%-20s %d', 'schema size:', total(length(sql))) FROM sqlite_schema;
            .filectrl data_version

            """
        let r = try runProcess("/usr/bin/sqlite3", [db], input: script)
        XCTAssertEqual(r.stderr, "", "sqlite3 computing the expected .dbinfo")
        var lines = r.stdout.split(separator: "\n").map(String.init)
        guard let version = lines.popLast() else { return "" }
        return (lines + [label("data version") + version]).joined(separator: "\n") + "\n"
    }

    /// Runs swiftdb's `setup` + .dbinfo on a copy of `source` (or a new file) and sqlite3's on another.
    private func assertDBInfo(_ source: String?, setup: String = "", file: StaticString = #filePath,
                              line: UInt = #line) throws {
        let dir = TemporaryDirectory("dbinfo")
        defer { dir.remove() }
        let ours = dir.file("ours.db"), theirs = dir.file("theirs.db")
        if let source {
            try FileManager.default.copyItem(atPath: source, toPath: ours)
            try FileManager.default.copyItem(atPath: source, toPath: theirs)
        }
        let expected = try sqliteDBInfo(theirs, setup: setup)
        let actual = try runProcess(swiftdbBinary, [ours], input: setup + "\n.dbinfo\n")
        XCTAssertEqual(actual.stdout, expected, "setup: \(setup)", file: file, line: line)
        XCTAssertEqual(actual.stderr, "", file: file, line: line)
    }

    func testDatabasesMadeBySQLite() throws {
        let dir = TemporaryDirectory("dbinfo-made")
        defer { dir.remove() }
        let makers = ["PRAGMA encoding='UTF-16be'; PRAGMA page_size=1024;", "PRAGMA page_size=65536;",
                      "PRAGMA encoding='UTF-16le'; PRAGMA user_version=7; PRAGMA application_id=-5;",
                      "PRAGMA auto_vacuum=incremental;", "PRAGMA auto_vacuum=full; PRAGMA page_size=512;",
                      "PRAGMA journal_mode=wal;"]
        for (i, maker) in makers.enumerated() {
            let db = dir.file("m\(i).db")
            _ = try runProcess("/usr/bin/sqlite3", [db], input: maker + "\n" + everyValueSetup + infoSchema
                + "DELETE FROM s WHERE id > 2;\n")
            try assertDBInfo(db)
            // In WAL mode the commits stay in the log, where readfile() does not see them.
            if maker.contains("wal") { continue }
            try assertDBInfo(db, setup: "INSERT INTO t VALUES(1, 2, 3);\nBEGIN;\nDELETE FROM s;\nCOMMIT;")
        }
    }

    /// Headers written by swiftdb itself and the data version after its own transactions.
    func testAfterSwiftdbWrites() throws {
        try assertDBInfo(nil, setup: "CREATE TABLE x(a UNIQUE);")
        try assertDBInfo(nil, setup: "PRAGMA page_size=1024;\nCREATE TABLE x(a);\nINSERT INTO x VALUES(zeroblob(5000));")
        try assertDBInfo(nil, setup: "PRAGMA page_size=65536;\nPRAGMA encoding='UTF-16le';\nCREATE TABLE x(a);")
        try assertDBInfo(nil, setup: "CREATE TABLE x(a);\nINSERT INTO x VALUES(zeroblob(10000));\nDELETE FROM x;")
        let dir = TemporaryDirectory("dbinfo-src")
        defer { dir.remove() }
        let db = dir.file("src.db")
        _ = try runProcess("/usr/bin/sqlite3", [db], input: everyValueSetup + infoSchema)
        for setup in ["SELECT count(*) FROM t;", "BEGIN;\nINSERT INTO t VALUES(1, 2, 3);\nCOMMIT;\nBEGIN IMMEDIATE;\nCOMMIT;",
                      "BEGIN;\nINSERT INTO t VALUES(1, 2, 3);\nROLLBACK;", "PRAGMA user_version=5;\nPRAGMA application_id=77;",
                      "DROP TABLE s;\nCREATE INDEX i9 ON w(v);", "INSERT INTO Mixed VALUES(1);\nINSERT INTO Mixed VALUES(2);"] {
            try assertDBInfo(db, setup: setup)
        }
    }

    /// An in-memory database has no file to read the header from: the values come from sqlite3's
    /// PRAGMAs, sqlite_schema and `.filectrl data_version` after the same statements, and the fields
    /// no PRAGMA shows are those of a database without auto-vacuum in rollback mode — and a file change
    /// counter and software version of 0, which sqlite3's pager stamps only into files
    /// (pager_incr_changecounter; checked against a sqlite3 3.40.1 built with SQLITE_ENABLE_DBPAGE_VTAB).
    func testInMemory() throws {
        let empty = try runProcess(swiftdbBinary, [":memory:", ".dbinfo"])
        XCTAssertEqual(empty.stderr, "unable to read database header\n")
        XCTAssertEqual(empty.status, 1)
        let setup = "PRAGMA page_size=2048;\nPRAGMA encoding='UTF-16be';\n" + everyValueSetup + infoSchema
        let values = try runProcess("/usr/bin/sqlite3", [":memory:"], input: setup + """
            SELECT * FROM pragma_page_size, pragma_page_count, pragma_freelist_count, pragma_schema_version,
                pragma_user_version, pragma_application_id;
            SELECT (SELECT count(*) FROM sqlite_schema WHERE type=x.column1)
                FROM (VALUES('table'), ('index'), ('trigger'), ('view')) AS x;
            SELECT CAST(total(length(sql)) AS INTEGER) FROM sqlite_schema;
            .filectrl data_version

            """).stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(values.count, 7)
        guard values.count == 7 else { return }
        let header = values[0].split(separator: "|").map(String.init)
        let expected = [label("database page size:") + header[0], label("write format:") + "1",
                        label("read format:") + "1", label("reserved bytes:") + "0", label("file change counter:") + "0",
                        label("database page count:") + header[1], label("freelist page count:") + header[2],
                        label("schema cookie:") + header[3], label("schema format:") + "4",
                        label("default cache size:") + "0", label("autovacuum top root:") + "0",
                        label("incremental vacuum:") + "0", label("text encoding:") + "3 (utf16be)",
                        label("user version:") + header[4], label("application id:") + header[5],
                        label("software version:") + "0", label("number of tables:") + values[1],
                        label("number of indexes:") + values[2], label("number of triggers:") + values[3],
                        label("number of views:") + values[4], label("schema size:") + values[5],
                        label("data version") + values[6]]
        let actual = try runProcess(swiftdbBinary, [":memory:"], input: setup + ".dbinfo\n.dbinfo temp\n")
        XCTAssertEqual(actual.stdout, expected.joined(separator: "\n") + "\n")
        XCTAssertEqual(actual.stderr, "unable to read database header\n")
    }

    /// Arguments: another database name has no header to show (as sqlite3 says of an empty temp database
    /// or an unknown schema), a name in any case, extra words ignored, the shortest prefix .dbi.
    func testArguments() throws {
        let dir = TemporaryDirectory("dbinfo-args")
        defer { dir.remove() }
        let db = dir.file("a.db")
        _ = try runProcess("/usr/bin/sqlite3", [db], input: everyValueSetup)
        let whole = try runProcess(swiftdbBinary, [db, ".dbinfo"])
        XCTAssertFalse(whole.stdout.isEmpty)
        let r = try runProcess(swiftdbBinary, [db], input: ".dbinfo temp\n.dbinfo nosuch\n.dbinfo MAIN x\n.dbi\n.db\n")
        XCTAssertEqual(r.stdout, whole.stdout + whole.stdout)
        XCTAssertEqual(r.stderr, "unable to read database header\nunable to read database header\n"
            + "Error: unknown command or invalid arguments:  \"db\". Enter \".help\" for help\n")
    }
}

final class LimitGoldenTests: XCTestCase {
    /// The adjustable limits change what the parser accepts exactly as in sqlite3; the fixed ones accept
    /// their own value (or more, clamped); names by prefix, in any case; errors.
    func testLimitsMatchSQLite() {
        let script = """
            .limit sql_length
            .limit SQL_LENGTH 9
            SELECT 1; SELECT 2;
              SELECT 3;
            SELECT 'longer';
            /* c */SELECT 4;
            .limit sql_length 1000000
            .limit compound_select 2
            SELECT 1 UNION SELECT 2;
            SELECT 1 UNION SELECT 2 UNION SELECT 3;
            VALUES(1),(2),(3),(4);
            SELECT 1 UNION VALUES(1),(2),(3);
            VALUES(1),(2) UNION SELECT 3;
            SELECT * FROM (SELECT 1 UNION SELECT 2 UNION SELECT 3);
            WITH c(x) AS (SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) SELECT * FROM c;
            .limit compound_select 0
            SELECT 1 UNION SELECT 2 UNION SELECT 3;
            .limit compound_select 9999
            .limit variable_number 2
            SELECT ?2;
            SELECT ?3;
            SELECT :a, :b;
            SELECT :a, :b, :c;
            SELECT @a, $b, ?1;
            .limit variable_number 0x10
            .limit length 2000000000
            .limit length -5
            .limit like 60000
            .limit expr 1K
            .limit function_arg 5000000000
            .limit attached 0
            .limit worker_threads 0
            .limit c
            .limit x
            .limit ""
            .limit a b c
            .limi

            """
        assertSameAsSQLite([":memory:"], input: script)
        // Like printf, the lines go to standard output even while .output sends the rest elsewhere.
        let dir = TemporaryDirectory("limit-golden")
        defer { dir.remove() }
        assertSameAsSQLite([":memory:"], input: ".output \(dir.file("o.txt"))\n.limit variable\nSELECT 1;\n")
    }

    /// swiftdb lists the limits it enforces, with the values it enforces: sqlite3's list without column
    /// and vdbe_op (swiftdb checks the column count only in UPDATE set lists and has no limit on a
    /// program's size), with trigger_depth 100 (a fired trigger is compiled into its statement, so
    /// nesting is bounded while compiling) and attached 0 (ATTACH is not supported).
    func testListAndWhatCannotChange() throws {
        let sqlite = try runProcess("/usr/bin/sqlite3", [":memory:", ".limit"])
        var expected = sqlite.stdout.split(separator: "\n").map(String.init)
            .filter { !$0.hasSuffix("column 2000") && !$0.hasSuffix("vdbe_op 250000000") }
        expected = expected.map { $0.replacingOccurrences(of: "trigger_depth 1000", with: "trigger_depth 100")
            .replacingOccurrences(of: "attached 10", with: "attached 0") }
        XCTAssertEqual(expected.count, 10)
        let ours = try runProcess(swiftdbBinary, [":memory:", ".limit"])
        XCTAssertEqual(ours.stdout, expected.joined(separator: "\n") + "\n")
        let errors = try runProcess(swiftdbBinary, [":memory:"], input: """
            .limit column
            .limit vdbe
            .limit length 5
            .limit expr_depth 10
            .limit function_arg 2
            .limit worker 4
            .limit trigger_depth 2
            .limit attached 1
            .limit length

            """)
        // Above its hard maximum a value is clamped, as sqlite3_limit clamps: swiftdb's maximum for
        // worker_threads and attached is 0.
        XCTAssertEqual(errors.stdout, "      worker_threads 0\n            attached 0\n              length 1000000000\n")
        XCTAssertEqual(errors.stderr, """
            swiftdb does not enforce the column limit yet
            swiftdb does not enforce the vdbe_op limit yet
            swiftdb cannot change the length limit yet (it stays 1000000000)
            swiftdb cannot change the expr_depth limit yet (it stays 1000)
            swiftdb cannot change the function_arg limit yet (it stays 127)
            swiftdb cannot change the trigger_depth limit yet (it stays 100)

            """)
    }
}

final class HelpGoldenTests: XCTestCase {
    /// showHelp's rules over the lines of the commands swiftdb has (sqlite3's own text for them).
    func testHelpForTheseCommands() {
        assertSameAsSQLite([":memory:"], input: ".help sha3sum\n.help sha\n.help schema\n.help sch\n.help dbinfo\n"
            + ".help limit\n.help fullschema\n.help pretty-print\n.help sha3-384\n.help zzz\n")
    }
}
