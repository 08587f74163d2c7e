// ddl-alter: ALTER TABLE ADD COLUMN and RENAME TO (with indexes, triggers and
// views following the table), RENAME COLUMN and DROP COLUMN as far as 3.40.1
// supports them, REINDEX, VACUUM and ANALYZE (sqlite_stat1), with their errors.

extension CaseLibrary {
    static let ddlAlter = CaseFile(name: "ddl-alter", text: #"""
-- prelude
CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT);
INSERT INTO t VALUES(1, 'one'), (2, 'two');

-- case: add-column
ALTER TABLE t ADD COLUMN c;
ALTER TABLE t ADD d INTEGER DEFAULT 7;
ALTER TABLE t ADD COLUMN e TEXT NOT NULL DEFAULT 'dflt';
ALTER TABLE t ADD COLUMN f REAL DEFAULT 1.5 CHECK(f > 0);
SELECT * FROM t ORDER BY a;
SELECT sql FROM sqlite_schema WHERE name = 't';
INSERT INTO t(a, b) VALUES(3, 'three');
SELECT * FROM t ORDER BY a;
PRAGMA table_info(t);

-- case: add-column-errors
ALTER TABLE t ADD COLUMN b;
ALTER TABLE t ADD COLUMN x NOT NULL;
ALTER TABLE t ADD COLUMN x PRIMARY KEY;
ALTER TABLE t ADD COLUMN x UNIQUE;
ALTER TABLE t ADD COLUMN x DEFAULT CURRENT_TIMESTAMP;
ALTER TABLE t ADD COLUMN x DEFAULT (1 + 1);
ALTER TABLE nosuch ADD COLUMN x;
ALTER TABLE sqlite_schema ADD COLUMN x;
PRAGMA table_info(t);

-- case: add-column-collate-and-type
ALTER TABLE t ADD COLUMN c TEXT COLLATE NOCASE;
UPDATE t SET c = upper(b);
SELECT a FROM t WHERE c = 'one';
ALTER TABLE t ADD COLUMN g VARCHAR(20) DEFAULT 'x' COLLATE RTRIM;
SELECT g = 'x   ' FROM t ORDER BY a;

-- case: add-column-to-view
CREATE VIEW v AS SELECT * FROM t;
ALTER TABLE v ADD COLUMN c;

-- case: rename-to
CREATE INDEX tb ON t(b);
CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT new.a; END;
ALTER TABLE t RENAME TO u;
SELECT type, name, tbl_name, sql FROM sqlite_schema;
SELECT * FROM u ORDER BY a;
SELECT * FROM t;
INSERT INTO u VALUES(3, 'three');
SELECT count(*) FROM u;

-- case: rename-to-errors
CREATE TABLE u(x);
ALTER TABLE t RENAME TO u;
ALTER TABLE t RENAME TO U;
ALTER TABLE nosuch RENAME TO z;
ALTER TABLE t RENAME TO sqlite_z;
ALTER TABLE sqlite_schema RENAME TO z;
ALTER TABLE t RENAME TO t;
SELECT name FROM sqlite_schema ORDER BY name;

-- case: rename-to-with-view
CREATE VIEW v AS SELECT b FROM t;
ALTER TABLE t RENAME TO u;
SELECT sql FROM sqlite_schema WHERE name = 'v';
SELECT * FROM v ORDER BY b;

-- case: rename-autoincrement
CREATE TABLE s(id INTEGER PRIMARY KEY AUTOINCREMENT, v);
INSERT INTO s(v) VALUES(1);
ALTER TABLE s RENAME TO s2;
SELECT * FROM sqlite_sequence;
INSERT INTO s2(v) VALUES(2);
SELECT * FROM s2;

-- case: rename-column
ALTER TABLE t RENAME COLUMN b TO bee;
SELECT bee FROM t ORDER BY a;
SELECT sql FROM sqlite_schema WHERE name = 't';
ALTER TABLE t RENAME COLUMN nosuch TO x;
ALTER TABLE t RENAME COLUMN bee TO a;

-- case: drop-column
ALTER TABLE t ADD COLUMN c;
ALTER TABLE t DROP COLUMN c;
SELECT sql FROM sqlite_schema WHERE name = 't';
ALTER TABLE t DROP COLUMN a;
ALTER TABLE t DROP COLUMN nosuch;
SELECT * FROM t ORDER BY a;

-- case: vacuum
DELETE FROM t WHERE a = 1;
VACUUM;
SELECT * FROM t;
VACUUM main;
VACUUM nosuch;
PRAGMA integrity_check;

-- case: vacuum-rebuilds-the-database
PRAGMA user_version = 7;
PRAGMA application_id = 99;
CREATE TABLE s(a INTEGER PRIMARY KEY AUTOINCREMENT, b TEXT UNIQUE, c);
CREATE INDEX sc ON s(c DESC);
CREATE TABLE w(k TEXT PRIMARY KEY, v) WITHOUT ROWID;
CREATE INDEX wv ON w(v);
CREATE VIEW sv AS SELECT a, b FROM s;
CREATE TRIGGER st AFTER INSERT ON s BEGIN INSERT INTO w VALUES(new.b, new.a); END;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500)
  INSERT INTO s(b, c) SELECT 'b' || i, zeroblob(i % 700) FROM n;
DELETE FROM s WHERE a % 3 = 0;
CREATE TABLE big(x);
INSERT INTO big VALUES(zeroblob(20000));
ANALYZE;
VACUUM;
PRAGMA freelist_count;
PRAGMA integrity_check;
PRAGMA user_version;
PRAGMA application_id;
SELECT type, name, tbl_name, rootpage, sql FROM sqlite_schema;
SELECT count(*), sum(a), max(b), sum(length(c)) FROM s;
SELECT rowid, a FROM s WHERE a > 1490;
SELECT count(*), min(k), max(v) FROM w;
SELECT * FROM sqlite_sequence;
SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY tbl, idx;
SELECT length(x) FROM big;
INSERT INTO s(b, c) VALUES('new', 1);
SELECT * FROM w WHERE k = 'new';
SELECT * FROM sv WHERE a > 1498;

-- case: vacuum-applies-a-pending-auto-vacuum
INSERT INTO t VALUES(5, 'five');
PRAGMA auto_vacuum = 1;
PRAGMA auto_vacuum;
VACUUM;
PRAGMA auto_vacuum;
PRAGMA integrity_check;
SELECT * FROM t ORDER BY a;

-- case: vacuum-in-transaction
BEGIN;
VACUUM;
ROLLBACK;

-- case: analyze
CREATE INDEX tb ON t(b);
ANALYZE;
SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY tbl, idx;
SELECT type, name, tbl_name, sql FROM sqlite_schema;
INSERT INTO t VALUES(3, 'two');
ANALYZE t;
SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY tbl, idx;
ANALYZE tb;
ANALYZE main;
ANALYZE nosuch;
SELECT b FROM t WHERE b = 'two' ORDER BY a;

-- case: analyze-empty
CREATE TABLE e(x);
CREATE INDEX ex ON e(x);
ANALYZE e;
SELECT * FROM sqlite_stat1;

-- case: analyze-multi-column
CREATE TABLE m(x, y, z);
CREATE INDEX mxy ON m(x, y);
INSERT INTO m VALUES(1, 1, 1), (1, 2, 2), (1, 2, 3), (2, 1, 4), (3, 3, 5), (3, 3, 6);
ANALYZE;
SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY tbl, idx;
DROP TABLE m;
SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY tbl, idx;

-- case: analyze-writes-rows-in-schema-hash-order
CREATE TABLE t1(a, b); CREATE TABLE T2(a, b); CREATE TABLE x3(a, b); CREATE TABLE y4(a, b);
CREATE VIEW v5 AS SELECT * FROM t1;
CREATE TABLE Tab6(a, b); CREATE TABLE q7(a, b); CREATE TABLE r8(a, b); CREATE TABLE s9(a, b);
CREATE TABLE u10(a, b); CREATE TABLE w11(a, b); CREATE TABLE z12(a, b);
INSERT INTO t1 VALUES(1, 1), (2, 1); INSERT INTO T2 VALUES(1, 2); INSERT INTO x3 VALUES(3, 3);
INSERT INTO y4 VALUES(1, 1); INSERT INTO Tab6 VALUES(1, 1); INSERT INTO q7 VALUES(7, 7), (7, 8);
INSERT INTO r8 VALUES(8, 8); INSERT INTO s9 VALUES(9, 9); INSERT INTO u10 VALUES(1, 0);
INSERT INTO w11 VALUES(1, 1); INSERT INTO z12 VALUES(1, 2);
CREATE INDEX q7a ON q7(a); CREATE INDEX q7ab ON q7(a, b); CREATE INDEX x3p ON x3(b) WHERE a > 5;
ANALYZE;
SELECT rowid, * FROM sqlite_stat1;
DROP TABLE y4;
CREATE TABLE later13(a); INSERT INTO later13 VALUES(1);
ANALYZE;
SELECT rowid, * FROM sqlite_stat1;
DROP INDEX q7a;
SELECT rowid, * FROM sqlite_stat1;
ANALYZE q7ab;
SELECT rowid, * FROM sqlite_stat1;
INSERT INTO t1 VALUES(3, 1);
ANALYZE t1;
SELECT rowid, * FROM sqlite_stat1;
BEGIN; CREATE TABLE gone(a); ROLLBACK;
ANALYZE;
SELECT rowid, * FROM sqlite_stat1;

-- case: analyze-nearly-distinct-keys-average-one
CREATE TABLE n(a, b);
CREATE INDEX nab ON n(a, b);
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 30) INSERT INTO n SELECT i % 4, i FROM s;
INSERT INTO n VALUES(1, 1);
ANALYZE;
SELECT * FROM sqlite_stat1;

-- case: vacuum-renumbers-rowids-of-tables-without-index-or-integer-primary-key
CREATE TABLE plain(a); INSERT INTO plain VALUES(1), (2), (3); DELETE FROM plain WHERE a = 2;
CREATE TABLE indexed(a); INSERT INTO indexed VALUES(1), (2), (3); DELETE FROM indexed WHERE a = 2;
CREATE INDEX indexed_a ON indexed(a);
CREATE TABLE unique_a(a UNIQUE); INSERT INTO unique_a VALUES(1), (2), (3); DELETE FROM unique_a WHERE a = 2;
CREATE TABLE explicit(a); INSERT INTO explicit(rowid, a) VALUES(-5, 1), (100, 2);
INSERT INTO t VALUES(10, 'ten'), (20, 'twenty');
VACUUM;
SELECT rowid, * FROM plain; SELECT rowid, * FROM indexed; SELECT rowid, * FROM unique_a;
SELECT rowid, * FROM explicit; SELECT rowid, * FROM t;
"""#)
}
