// transactions: BEGIN/COMMIT/ROLLBACK (DEFERRED, IMMEDIATE, EXCLUSIVE, END),
// SAVEPOINT/RELEASE/ROLLBACK TO, statement-level rollback inside explicit
// transactions, schema changes rolled back, and the errors of each.

extension CaseLibrary {
    static let transactions = CaseFile(name: "transactions", text: #"""
-- prelude
CREATE TABLE t(id INTEGER PRIMARY KEY, v UNIQUE);
INSERT INTO t VALUES(1, 'a'), (2, 'b');

-- case: commit
BEGIN;
INSERT INTO t VALUES(3, 'c');
COMMIT;
SELECT id FROM t ORDER BY id;

-- case: rollback
BEGIN;
INSERT INTO t VALUES(3, 'c');
DELETE FROM t WHERE id = 1;
UPDATE t SET v = 'bb';
SELECT * FROM t ORDER BY id;
ROLLBACK;
SELECT * FROM t ORDER BY id;
SELECT changes(), total_changes();

-- case: begin-kinds
BEGIN DEFERRED;
COMMIT;
BEGIN IMMEDIATE;
END;
BEGIN EXCLUSIVE TRANSACTION;
COMMIT TRANSACTION;
BEGIN TRANSACTION;
ROLLBACK TRANSACTION;
BEGIN CONCURRENT;

-- case: errors
COMMIT;
ROLLBACK;
END;
BEGIN;
BEGIN;
BEGIN IMMEDIATE;
COMMIT;
COMMIT;
RELEASE x;
ROLLBACK TO x;

-- case: statement-rollback-in-transaction
BEGIN;
INSERT INTO t VALUES(3, 'c');
INSERT INTO t VALUES(4, 'd'), (5, 'a'), (6, 'f');
SELECT id FROM t ORDER BY id;
UPDATE t SET v = 'z' WHERE id >= 2;
SELECT id, v FROM t ORDER BY id;
COMMIT;
SELECT id, v FROM t ORDER BY id;

-- case: statement-rollback-with-and-without-a-statement-savepoint
CREATE TABLE n(id INTEGER PRIMARY KEY, d);
CREATE INDEX nd ON n(d);
INSERT INTO n VALUES(1, -5), (2, 7), (3, -9223372036854775808), (4, 3), (5, -1);
BEGIN;
DELETE FROM n WHERE id = 4;
UPDATE n SET d = abs(d);
SELECT * FROM n ORDER BY id;
UPDATE n SET d = d * 2 WHERE d BETWEEN -10 AND 10;
SAVEPOINT s;
DELETE FROM n WHERE d < 0;
SELECT * FROM n ORDER BY id;
ROLLBACK TO s;
SELECT * FROM n ORDER BY d;
COMMIT;
SELECT * FROM n ORDER BY id;
PRAGMA integrity_check;

-- case: single-row-inserts-fail-before-writing
-- A single-row INSERT runs without a statement savepoint (it checks every constraint before writing):
-- each failure below leaves the transaction's earlier changes, and the row itself is not written.
CREATE TABLE s(id INTEGER PRIMARY KEY, u UNIQUE, nn NOT NULL, c CHECK (c <> 13), w);
CREATE UNIQUE INDEX sw ON s(w);
INSERT INTO s VALUES(1, 'a', 1, 1, 'x');
BEGIN;
INSERT INTO s VALUES(2, 'b', 2, 2, 'y');
INSERT INTO s VALUES(3, 'a', 3, 3, 'z');
INSERT INTO s VALUES(4, 'c', NULL, 4, 'q');
INSERT INTO s VALUES(5, 'd', 5, 13, 'r');
INSERT INTO s VALUES(6, 'e', 6, 6, 'y');
INSERT INTO s VALUES(2, 'f', 7, 7, 's');
INSERT INTO s(id, u, nn) VALUES('seven', 'g', 8);
INSERT OR FAIL INTO s VALUES(8, 'b', 8, 8, 't');
INSERT OR IGNORE INTO s VALUES(9, 'h', 9, 9, 'x');
-- Subqueries that fill ephemeral tables (IN, ORDER BY … LIMIT) before the failing check write no row.
INSERT INTO s VALUES(11, 'j', CASE WHEN 3 IN (SELECT c FROM s) THEN 1 END, 11, 'v');
INSERT INTO s VALUES(12, 'k', (SELECT NULL FROM s ORDER BY c DESC LIMIT 1), 12, 'p');
INSERT INTO s VALUES(13, (SELECT u FROM s ORDER BY w LIMIT 1), 13, 13, 'o');
INSERT INTO s VALUES(10, 'i', 10, 10, 'u');
SELECT changes(), total_changes();
SELECT * FROM s ORDER BY id;
COMMIT;
SELECT * FROM s ORDER BY id;
PRAGMA integrity_check;

-- case: savepoint-basic
SAVEPOINT sp1;
INSERT INTO t VALUES(3, 'c');
SAVEPOINT sp2;
INSERT INTO t VALUES(4, 'd');
ROLLBACK TO sp2;
SELECT id FROM t ORDER BY id;
RELEASE sp1;
SELECT id FROM t ORDER BY id;

-- case: savepoint-rollback-to-keeps-savepoint
SAVEPOINT a;
INSERT INTO t VALUES(3, 'c');
ROLLBACK TO a;
INSERT INTO t VALUES(4, 'd');
ROLLBACK TO SAVEPOINT a;
INSERT INTO t VALUES(5, 'e');
RELEASE SAVEPOINT a;
SELECT id FROM t ORDER BY id;

-- case: savepoint-inside-begin
BEGIN;
INSERT INTO t VALUES(3, 'c');
SAVEPOINT s;
DELETE FROM t;
SELECT count(*) FROM t;
ROLLBACK TO s;
SELECT count(*) FROM t;
RELEASE s;
ROLLBACK;
SELECT count(*) FROM t;

-- case: savepoint-errors
RELEASE nosuch;
ROLLBACK TO nosuch;
SAVEPOINT a;
RELEASE b;
ROLLBACK TO b;
BEGIN;
RELEASE a;
COMMIT;

-- case: savepoint-names-case-and-duplicates
SAVEPOINT x;
INSERT INTO t VALUES(3, 'c');
SAVEPOINT X;
INSERT INTO t VALUES(4, 'd');
ROLLBACK TO x;
SELECT id FROM t ORDER BY id;
RELEASE X;
SELECT id FROM t ORDER BY id;
ROLLBACK TO x;

-- case: release-outer-releases-inner
SAVEPOINT a;
SAVEPOINT b;
INSERT INTO t VALUES(3, 'c');
RELEASE a;
ROLLBACK TO b;
SELECT id FROM t ORDER BY id;

-- case: rollback-with-savepoints-open
SAVEPOINT a;
INSERT INTO t VALUES(3, 'c');
SAVEPOINT b;
ROLLBACK;
SELECT count(*) FROM t;
RELEASE a;

-- case: schema-change-rolled-back
BEGIN;
CREATE TABLE u(x);
INSERT INTO u VALUES(1);
CREATE INDEX tv2 ON t(v, id);
DROP TABLE t;
SELECT name FROM sqlite_schema ORDER BY name;
ROLLBACK;
SELECT name FROM sqlite_schema ORDER BY name;
SELECT * FROM u;
SELECT count(*) FROM t;

-- case: schema-change-rolled-back-to-savepoint
SAVEPOINT s;
CREATE TABLE u(x);
ALTER TABLE t ADD COLUMN w DEFAULT 5;
ROLLBACK TO s;
SELECT name FROM sqlite_schema ORDER BY name;
SELECT * FROM t ORDER BY id;
RELEASE s;

-- case: ddl-in-transaction-committed
BEGIN;
CREATE TABLE u(x PRIMARY KEY);
INSERT INTO u VALUES(1), (2);
CREATE VIEW uv AS SELECT x * 2 FROM u;
COMMIT;
SELECT * FROM uv ORDER BY 1;

-- case: autocommit-after-failed-statement
INSERT INTO t VALUES(3, 'a');
SELECT id FROM t ORDER BY id;
BEGIN;
INSERT INTO t VALUES(3, 'a');
INSERT INTO t VALUES(4, 'd');
COMMIT;
SELECT id FROM t ORDER BY id;

-- case: rollback-counters
BEGIN;
INSERT INTO t VALUES(10, 'x'), (11, 'y');
SELECT changes(), total_changes(), last_insert_rowid();
ROLLBACK;
SELECT changes(), total_changes(), last_insert_rowid();

-- case: pragma-in-transaction
BEGIN;
PRAGMA user_version = 7;
ROLLBACK;
PRAGMA user_version;
BEGIN;
PRAGMA user_version = 8;
COMMIT;
PRAGMA user_version;
"""#)
}
