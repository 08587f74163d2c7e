// ddl-index: CREATE/DROP INDEX — UNIQUE, multi-column, DESC, collations,
// partial and expression indexes — their errors, what PRAGMA index_list and
// index_info report, and that queries through them give sqlite3's answers.

extension CaseLibrary {
    static let ddlIndex = CaseFile(name: "ddl-index", text: #"""
-- prelude
CREATE TABLE t(a INTEGER, b TEXT, c REAL, d);
INSERT INTO t VALUES(1, 'one', 1.5, NULL), (2, 'Two', 2.5, 'x'), (3, 'three', NULL, 'y'), (4, 'FOUR', 4.5, 'x'),
  (5, 'five', 5.5, NULL), (2, 'two', 0.5, 'z');

-- case: simple
CREATE INDEX ta ON t(a);
SELECT b FROM t WHERE a = 2 ORDER BY b;
SELECT a FROM t WHERE a > 2 ORDER BY a;
SELECT type, name, tbl_name, sql FROM sqlite_schema;
PRAGMA index_list(t);
PRAGMA index_info(ta);
PRAGMA index_xinfo(ta);

-- case: unique-ok-and-violated
CREATE UNIQUE INDEX tb ON t(b);
CREATE UNIQUE INDEX ta ON t(a);
SELECT count(*) FROM sqlite_schema WHERE type = 'index';
INSERT INTO t(a, b) VALUES(9, 'one');
INSERT INTO t(a, b) VALUES(9, 'ONE');
PRAGMA index_list(t);

-- case: unique-nulls-allowed
CREATE UNIQUE INDEX td ON t(d, c);
INSERT INTO t VALUES(7, 'seven', NULL, NULL);
INSERT INTO t VALUES(8, 'eight', 2.5, 'x');
SELECT count(*) FROM t;

-- case: long-text-keys
-- Text of 58 bytes or more has a two-byte serial type; seeks, range bounds (IdxGT/IdxLT) and sorts compare
-- it in place like shorter text. Keys share long prefixes so ties run past the first word.
CREATE TABLE lt(id INTEGER PRIMARY KEY, k TEXT, n INTEGER);
WITH RECURSIVE x(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM x WHERE i < 300)
INSERT INTO lt SELECT i, printf('%.*c%03d', 50 + i % 20, 'p', i % 30), i % 7 FROM x;
INSERT INTO lt VALUES(1001, 'short', 1), (1002, '', 2), (1003, NULL, 3), (1004, 42, 4), (1005, x'70707070', 5);
CREATE INDEX ltk ON lt(k);
CREATE INDEX ltkd ON lt(k DESC, n);
SELECT count(*), min(length(k)), max(length(k)) FROM lt WHERE typeof(k) = 'text';
SELECT id, n FROM lt INDEXED BY ltk WHERE k = printf('%.*c%03d', 60, 'p', 10) ORDER BY id;
SELECT id FROM lt INDEXED BY ltk WHERE k = printf('%.*c%03d', 61, 'p', 11);
SELECT count(*) FROM lt INDEXED BY ltk WHERE k > printf('%.*c', 56, 'p') AND k < printf('%.*c', 66, 'p');
SELECT count(*) FROM lt INDEXED BY ltk WHERE k >= printf('%.*c%03d', 60, 'p', 10) AND k <= printf('%.*c%03d', 66, 'p', 16);
SELECT id, n FROM lt INDEXED BY ltkd WHERE k = printf('%.*c%03d', 55, 'p', 5) AND n >= 3 ORDER BY k DESC, n;
SELECT count(*) FROM lt INDEXED BY ltkd WHERE k BETWEEN printf('%.*c', 58, 'p') AND printf('%.*c', 59, 'q');
SELECT a.id, b.id FROM lt AS a JOIN lt AS b ON b.k = a.k AND b.id <> a.id WHERE a.id < 25 ORDER BY a.id, b.id;
SELECT id, length(k) FROM lt ORDER BY k, id LIMIT 12;
SELECT id FROM lt ORDER BY k DESC, id LIMIT 12;
SELECT group_concat(id) FROM (SELECT id FROM lt ORDER BY k || 'z', id);
SELECT group_concat(id) FROM (SELECT id FROM lt ORDER BY k || '' DESC, n);
SELECT k IS NULL, count(*) FROM lt GROUP BY k ORDER BY count(*) DESC, k LIMIT 5;
PRAGMA integrity_check;

-- case: multi-column
CREATE INDEX tab ON t(a, b);
SELECT a, b FROM t WHERE a = 2 AND b = 'two';
SELECT a, b FROM t WHERE a = 2 ORDER BY b;
SELECT a, b FROM t WHERE a >= 2 AND a < 4 ORDER BY a, b;
PRAGMA index_info(tab);

-- case: desc
CREATE INDEX tad ON t(a DESC, b ASC);
SELECT a, b FROM t ORDER BY a DESC, b;
SELECT a, b FROM t WHERE a BETWEEN 2 AND 4 ORDER BY a DESC, b;
PRAGMA index_xinfo(tad);

-- case: collate-nocase
CREATE INDEX tbn ON t(b COLLATE NOCASE);
SELECT a FROM t WHERE b = 'two' COLLATE NOCASE ORDER BY a;
SELECT b FROM t ORDER BY b COLLATE NOCASE, a;
CREATE UNIQUE INDEX tbu ON t(b COLLATE NOCASE);
PRAGMA index_xinfo(tbn);

-- case: partial
CREATE INDEX tp ON t(a) WHERE d IS NOT NULL;
SELECT a FROM t WHERE d IS NOT NULL AND a > 1 ORDER BY a;
SELECT a FROM t WHERE a > 1 ORDER BY a;
CREATE UNIQUE INDEX tpu ON t(d) WHERE a > 2;
INSERT INTO t VALUES(10, 'ten', 1, 'y');
INSERT INTO t VALUES(1, 'low', 1, 'y');
SELECT sql FROM sqlite_schema WHERE name = 'tpu';
PRAGMA index_list(t);

-- case: partial-errors
CREATE INDEX tp ON t(a) WHERE nosuch > 1;
CREATE INDEX tp ON t(a) WHERE (SELECT 1);
CREATE INDEX tp ON t(a) WHERE random() > 0;
CREATE INDEX tp ON t(a) WHERE max(a) > 0;

-- case: expression
CREATE INDEX te ON t(a + 1);
CREATE INDEX tl ON t(lower(b));
SELECT a FROM t WHERE lower(b) = 'two' ORDER BY a;
SELECT a FROM t WHERE a + 1 = 3 ORDER BY b;
PRAGMA index_info(tl);
PRAGMA index_xinfo(te);

-- case: expression-unique
CREATE UNIQUE INDEX tlu ON t(lower(b));
CREATE UNIQUE INDEX tlu ON t(a * 10 + length(b));
INSERT INTO t(a, b) VALUES(0, 'abcdefghijk');
SELECT count(*) FROM t;

-- case: expression-errors
CREATE INDEX te ON t(random());
CREATE INDEX te ON t((SELECT 1));
CREATE INDEX te ON t(nosuch + 1);
CREATE INDEX te ON t(count(a));
CREATE INDEX te ON t(?);
CREATE INDEX tq ON t(a) WHERE a > ?;
CREATE INDEX tr ON t(a) WHERE t.b > 0;
CREATE INDEX ts ON t(a) WHERE x.b > 0;
CREATE INDEX tu ON t(abs(b), a) WHERE b NOT NULL;
CREATE INDEX tw ON t(a) WHERE EXISTS (SELECT 1);
CREATE INDEX tx ON t(a) WHERE a IN (SELECT 1);
CREATE INDEX ty ON t(nosuchfunction(a));

-- case: errors
CREATE INDEX ta ON t(a);
CREATE INDEX ta ON t(b);
CREATE INDEX IF NOT EXISTS ta ON t(b);
CREATE INDEX tx ON nosuch(a);
CREATE INDEX tx ON t(nosuch);
CREATE INDEX t ON t(a);
CREATE TABLE ta(x);
CREATE INDEX sqlite_foo ON t(a);
CREATE INDEX tx ON sqlite_schema(name);
CREATE INDEX tx ON t(a COLLATE nosuch);
DROP INDEX nosuch;
DROP INDEX IF EXISTS nosuch;
DROP INDEX ta;
DROP INDEX ta;
SELECT name FROM sqlite_schema ORDER BY name;

-- case: drop-autoindex
CREATE TABLE u(a UNIQUE);
DROP INDEX sqlite_autoindex_u_1;
SELECT name FROM sqlite_schema ORDER BY name;

-- case: index-on-view
CREATE VIEW v AS SELECT * FROM t;
CREATE INDEX vi ON v(a);

-- case: maintained-by-dml
CREATE INDEX tb ON t(b);
CREATE INDEX tcd ON t(c, d);
UPDATE t SET b = upper(b) WHERE a < 3;
DELETE FROM t WHERE a = 4;
INSERT INTO t VALUES(6, 'six', 6.5, 'w');
SELECT a, b FROM t WHERE b >= 'S' ORDER BY b;
SELECT a FROM t WHERE c > 1 AND d = 'x' ORDER BY a;
PRAGMA integrity_check;

-- case: index-list-origins
CREATE TABLE u(a PRIMARY KEY, b UNIQUE, c, UNIQUE(c, b));
CREATE INDEX uc ON u(c);
CREATE UNIQUE INDEX ucb ON u(c, a) WHERE c > 0;
PRAGMA index_list(u);
PRAGMA index_info(sqlite_autoindex_u_1);
PRAGMA index_info(sqlite_autoindex_u_3);
PRAGMA index_info(nosuch);
PRAGMA index_list(nosuch);

-- case: index-on-rowid-alias
CREATE TABLE u(id INTEGER PRIMARY KEY, v);
CREATE INDEX ui ON u(id, v);
INSERT INTO u VALUES(1, 'a'), (2, 'b');
SELECT v FROM u WHERE id = 2;
PRAGMA index_info(ui);

-- case: reindex
CREATE INDEX tb ON t(b COLLATE NOCASE);
REINDEX;
REINDEX tb;
REINDEX t;
REINDEX NOCASE;
REINDEX nosuch;
REINDEX main.tb;
SELECT b FROM t WHERE b = 'TWO' COLLATE NOCASE ORDER BY a;

-- case: without-rowid-index-fields
CREATE TABLE wr(a TEXT COLLATE NOCASE, b INT, c, PRIMARY KEY(b DESC, a)) WITHOUT ROWID;
CREATE INDEX wr_c ON wr(c, a COLLATE BINARY);
INSERT INTO wr VALUES('x', 1, 5), ('X', 2, 5), ('y', 1, NULL), ('Y', 3, NULL);
PRAGMA index_xinfo(wr_c);
SELECT * FROM wr WHERE c = 5 ORDER BY a;
SELECT a, b FROM wr WHERE c IS NULL ORDER BY c, a;
CREATE TABLE wu(k INT, u UNIQUE, v AS (k + 1), w COLLATE NOCASE, PRIMARY KEY(k DESC)) WITHOUT ROWID;
INSERT INTO wu VALUES(1, NULL, 'a'), (2, NULL, 'b'), (3, 'a', 'c');
PRAGMA index_xinfo(sqlite_autoindex_wu_1);
PRAGMA index_xinfo(sqlite_autoindex_wu_2);
-- @ordered
SELECT k FROM wu WHERE u IS NULL;

-- case: without-rowid-unique-index-scan
CREATE TABLE wr3(k TEXT COLLATE RTRIM PRIMARY KEY, v UNIQUE) WITHOUT ROWID;
INSERT INTO wr3 VALUES('a', 1), ('b ', 2), ('c  ', 3), ('B', 4);
-- @ordered
SELECT * FROM wr3;
-- @ordered
SELECT k, v FROM wr3;
-- @ordered
SELECT v FROM wr3;
CREATE TABLE e(k INT PRIMARY KEY, v INT UNIQUE, w) WITHOUT ROWID;
INSERT INTO e VALUES(3, 1, 'x'), (2, 2, 'y'), (1, 3, 'z');
-- @ordered
SELECT k, v FROM e;
CREATE INDEX e_v ON e(v, w);
-- @ordered
SELECT k, v FROM e;

-- case: partial-index-used-when-the-where-implies-it
-- where.c's whereUsablePartialIndex: each condition of the index's WHERE must be implied by a term of the
-- query's WHERE — the same expression, one side of an OR, or IS NOT NULL implied by a comparison. The
-- plans themselves are compared in Tests/ShellTests/QueryPlanGolden.swift; here the answers and the writes.
CREATE TABLE pt(a, b, c, d);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
  INSERT INTO pt SELECT i % 17, CASE WHEN i % 9 = 0 THEN NULL ELSE i % 11 END, 'c' || (i % 13), i FROM n;
CREATE INDEX pt1 ON pt(a) WHERE b > 5;
CREATE INDEX pt2 ON pt(c) WHERE b IS NOT NULL;
CREATE INDEX pt3 ON pt(d) WHERE a = 3 OR a = 4;
CREATE INDEX pt4 ON pt(a, d) WHERE c NOTNULL AND b < 3;
SELECT count(*), sum(d) FROM pt WHERE b > 5 AND a = 3;
SELECT count(*), sum(d) FROM pt WHERE 5 < b AND a = 3;
SELECT count(*), sum(d) FROM pt WHERE c = 'c4' AND b BETWEEN 1 AND 3;
SELECT count(*), sum(d) FROM pt WHERE c = 'c4' AND b IS NULL;
SELECT count(*), sum(d) FROM pt WHERE d > 100 AND (a = 3 OR a = 4);
SELECT count(*), sum(d) FROM pt WHERE a = 2 AND c NOTNULL AND b < 3;
ANALYZE;
SELECT count(*), sum(d) FROM pt WHERE b > 5 AND a = 3;
UPDATE pt SET d = d + 1000 WHERE b > 5 AND a = 7;
DELETE FROM pt WHERE c = 'c1' AND b = 4;
SELECT count(*), sum(d) FROM pt;
PRAGMA integrity_check;
"""#)
}
