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
"""#)
}
