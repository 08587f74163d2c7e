// FileLayoutTests: what swiftdb writes is what sqlite3 would have written, as
// sqlite3 reads it back — and the reverse. Each script runs on a fresh file in
// each engine; libsqlite3 then checks swiftdb's file (PRAGMA integrity_check,
// which finds a record with the wrong fields or index entries in the wrong
// order) and every query must return the same rows, in the same order, from
// either file, read by either engine. The statement differential suite runs
// both engines in memory, where each only ever reads its own records.
//
// Covered: generated columns (a VIRTUAL column is not stored, so the fields
// after it move up; a STORED one is), secondary indexes of WITHOUT ROWID
// tables (a key column with another collation than the primary key's is
// stored twice; a UNIQUE constraint's index stores the primary key ascending
// even where it is DESC).

import Foundation
import Testing
import Base
@testable import Engine
import TestSupport

@Suite struct FileLayoutTests {
    static let scripts: [(name: String, script: String, queries: [String])] = [
        ("generated-columns", """
            CREATE TABLE g(a INT, b AS (a * 2) VIRTUAL, c AS (b + 1) STORED, d TEXT, e AS (upper(d)), f REAL AS (a));
            CREATE INDEX g_e ON g(e) WHERE e > 'B';
            CREATE INDEX g_cd ON g(c, d);
            CREATE INDEX g_b ON g(b);
            WITH RECURSIVE s(i) AS (VALUES(1) UNION ALL SELECT i+1 FROM s WHERE i<3)
              INSERT INTO g(a, d) SELECT i, substr('xyb', i, 1) FROM s;
            INSERT INTO g(a) SELECT a + 10 FROM g;
            UPDATE g SET a = a + 100 WHERE d = 'y';
            DELETE FROM g WHERE b = 24;
            ALTER TABLE g ADD COLUMN h AS (a || d) VIRTUAL;
            INSERT INTO g(a, d) VALUES(7, 'late');
            CREATE TABLE gw(k TEXT PRIMARY KEY, v AS (k || '!') VIRTUAL, w INT, s AS (w * 10) STORED) WITHOUT ROWID;
            CREATE INDEX gw_v ON gw(v);
            INSERT INTO gw VALUES('b', 2), ('a', 1), ('c', 3);
            INSERT OR REPLACE INTO gw VALUES('a', 5);
            UPDATE gw SET w = w + 1 WHERE k <> 'c';
            """, ["SELECT *, typeof(f) FROM g", "SELECT c, d FROM g WHERE c > 5", "SELECT b FROM g WHERE b > 4",
                  "SELECT e FROM g WHERE e > 'B' ORDER BY e", "SELECT * FROM gw", "SELECT v FROM gw WHERE v > 'a'",
                  "PRAGMA table_info(g)"]),
        ("without-rowid-index-fields", """
            CREATE TABLE wr(a TEXT COLLATE NOCASE, b INT, c, d, PRIMARY KEY(b DESC, a)) WITHOUT ROWID;
            CREATE INDEX wr_c ON wr(c, a COLLATE BINARY);
            WITH RECURSIVE s(i) AS (VALUES(1) UNION ALL SELECT i+1 FROM s WHERE i<300)
              INSERT INTO wr SELECT substr('NaMe', 1 + i % 4) || i, i % 37, CASE i % 3 WHEN 0 THEN i
                WHEN 1 THEN 'c' || i ELSE NULL END, i * 1.5 FROM s;
            DELETE FROM wr WHERE b % 3 = 1;
            CREATE TABLE wu(k INT, u UNIQUE, v, PRIMARY KEY(k DESC)) WITHOUT ROWID;
            WITH RECURSIVE s(i) AS (VALUES(1) UNION ALL SELECT i+1 FROM s WHERE i<200)
              INSERT INTO wu SELECT i, CASE WHEN i % 4 = 0 THEN i END, i FROM s;
            UPDATE wu SET u = NULL WHERE k % 8 = 0;
            """, ["SELECT * FROM wr", "SELECT c, a FROM wr WHERE c > 'c2'", "SELECT k FROM wu WHERE u IS NULL",
                  "SELECT * FROM wu"]),
        // The header's suggested cache size (offset 48) is stored as |N| and becomes the cache size of the
        // next connection that loads the schema.
        ("default-cache-size", """
            CREATE TABLE t(a);
            PRAGMA default_cache_size = -321;
            """, ["PRAGMA default_cache_size", "PRAGMA cache_size"]),
    ]

    @Test(arguments: scripts.map(\.name))
    func sqlite3ReadsWhatSwiftdbWritesAndTheReverse(_ name: String) throws {
        let (_, script, queries) = try #require(Self.scripts.first { $0.name == name })
        let dir = TemporaryDirectory("file-layout")
        defer { dir.remove() }
        let ours = dir.file("swiftdb.db"), theirs = dir.file("sqlite3.db")
        try Connection(path: ours).execute(script)
        try TestSupport.SQLiteOracle(theirs).exec(script)
        let sqliteOnOurs = try TestSupport.SQLiteOracle(ours)
        #expect(try sqliteOnOurs.integrityCheck() == ["ok"])
        let swiftdbOnTheirs = try Connection(path: theirs)
        #expect(try swiftdbOnTheirs.query("PRAGMA integrity_check") == [[.text(Array("ok".utf8))]])
        let swiftdbOnOurs = try Connection(path: ours)
        for q in queries {
            let expected = try TestSupport.SQLiteOracle(theirs).query(q)
            #expect(try sqliteOnOurs.query(q) == expected, "sqlite3 reading swiftdb's file: \(q)")
            #expect(try swiftdbOnTheirs.query(q) == expected, "swiftdb reading sqlite3's file: \(q)")
            #expect(try swiftdbOnOurs.query(q) == expected, "swiftdb reading its own file: \(q)")
        }
    }
}
