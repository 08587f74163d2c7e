// BackupGolden: .backup, .save and .restore against sqlite3's. The scripts
// run in both shells with the same output required; the copies swiftdb writes
// are opened by sqlite3, which must find the same content (.dump) and a sound
// file (integrity_check), and must be the same bytes as sqlite3's own copy of
// the same database apart from the header's change counter.
import Foundation
import TestSupport
import XCTest

final class BackupGoldenTests: XCTestCase {
    func testBackupAndRestoreScripts() {
        let dir = TemporaryDirectory("shell-backup")
        defer { dir.remove() }
        let copy = dir.file("copy.db"), other = dir.file("other.db")
        assertSameAsSQLite([":memory:"], input: everyValueSetup + """
            CREATE INDEX tb ON t(b);
            CREATE VIEW v AS SELECT a FROM t;
            .backup \(copy)
            .save main \(other)
            .open \(copy)
            SELECT count(*), typeof(a) FROM t GROUP BY 2 ORDER BY 2;
            PRAGMA integrity_check;
            .schema
            .open
            CREATE TABLE gone(x);
            .restore \(other)
            .tables
            SELECT count(*) FROM t;
            .restore main \(copy)
            SELECT quote(b) FROM t ORDER BY rowid;
            .backup
            .backup --bogus \(copy)
            .backup a b c
            .backup aux \(copy)
            .restore
            .restore aux \(copy)
            .backup \(dir.file("no/such/dir/x.db"))
            .bac --async \(copy)
            .open \(copy)
            SELECT count(*) FROM t;

            """)
    }

    /// The file .backup writes is sqlite3's copy, byte for byte (page size, encoding, auto-vacuum,
    /// freelist and all), except the change counter at offset 24 and its copy at 92, which count
    /// commits made on each engine's side.
    func testBackupFileIsAPageCopy() throws {
        let dir = TemporaryDirectory("shell-backup")
        defer { dir.remove() }
        let source = dir.file("src.db")
        _ = try runProcess("/usr/bin/sqlite3", [source], input: """
            PRAGMA page_size=1024; PRAGMA encoding='UTF-16le'; PRAGMA auto_vacuum=FULL;
            CREATE TABLE big(x, y);
            WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i<500)
            INSERT INTO big SELECT i, randomblob(i % 300) FROM c;
            CREATE INDEX bx ON big(x);
            DELETE FROM big WHERE x % 3 = 0;

            """)
        let byTool = [("/usr/bin/sqlite3", dir.file("a.db")), (swiftdbBinary, dir.file("b.db"))]
        for (tool, target) in byTool {
            let r = try runProcess(tool, [source, ".backup \(target)"])
            XCTAssertEqual(r.stderr, "")
        }
        var a = try Data(contentsOf: URL(fileURLWithPath: dir.file("a.db")))
        var b = try Data(contentsOf: URL(fileURLWithPath: dir.file("b.db")))
        XCTAssertEqual(a.count, b.count)
        for offset in [24, 25, 26, 27, 92, 93, 94, 95] where offset < a.count && offset < b.count {
            a[offset] = 0
            b[offset] = 0
        }
        XCTAssertTrue(a == b, "the copies differ beyond the change counter")
        XCTAssertEqual(try runProcess("/usr/bin/sqlite3", [dir.file("b.db"), "PRAGMA integrity_check"]).stdout, "ok\n")
        // .restore into a file database replaces it in one transaction, readable by sqlite3.
        let restored = dir.file("restored.db")
        _ = try runProcess("/usr/bin/sqlite3", [restored, "PRAGMA page_size=1024; CREATE TABLE old(z); INSERT INTO old VALUES(1);"])
        let r = try runProcess(swiftdbBinary, [restored, ".restore \(source)"])
        XCTAssertEqual(r.stderr, "")
        XCTAssertEqual(try runProcess("/usr/bin/sqlite3", [restored, ".dump"]).stdout,
                       try runProcess("/usr/bin/sqlite3", [source, ".dump"]).stdout)
        XCTAssertEqual(try runProcess("/usr/bin/sqlite3", [restored, "PRAGMA integrity_check"]).stdout, "ok\n")
    }
}
