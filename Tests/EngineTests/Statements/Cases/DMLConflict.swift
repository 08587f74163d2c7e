// dml-conflict: conflict resolution — INSERT OR REPLACE/IGNORE/ABORT/FAIL/
// ROLLBACK, REPLACE, UPDATE OR …, ON CONFLICT clauses on constraints — with
// constraint errors worded as sqlite3 words them and what each undoes.

extension CaseLibrary {
    static let dmlConflict = CaseFile(name: "dml-conflict", text: #"""
-- prelude
CREATE TABLE t(id INTEGER PRIMARY KEY, u UNIQUE, n NOT NULL, c CHECK(c >= 0));
INSERT INTO t VALUES(1, 'a', 1, 1), (2, 'b', 2, 2), (3, 'c', 3, 3);

-- case: abort-default
INSERT INTO t VALUES(4, 'd', 4, 4), (5, 'a', 5, 5);
SELECT id FROM t ORDER BY id;
SELECT changes(), total_changes();

-- case: or-abort
INSERT OR ABORT INTO t VALUES(4, 'd', 4, 4), (5, 'a', 5, 5);
SELECT id FROM t ORDER BY id;

-- case: or-fail-keeps-earlier-rows
INSERT OR FAIL INTO t VALUES(4, 'd', 4, 4), (5, 'a', 5, 5), (6, 'f', 6, 6);
SELECT id FROM t ORDER BY id;
SELECT changes(), total_changes(), last_insert_rowid();

-- case: or-ignore
INSERT OR IGNORE INTO t VALUES(4, 'd', 4, 4), (5, 'a', 5, 5), (2, 'z', 9, 9), (6, 'f', NULL, 6), (7, 'g', 7, -1);
SELECT id, u FROM t ORDER BY id;
SELECT changes(), total_changes(), last_insert_rowid();

-- case: or-replace-unique
INSERT OR REPLACE INTO t VALUES(4, 'a', 4, 4);
SELECT id, u FROM t ORDER BY id;
SELECT changes(), total_changes(), last_insert_rowid();

-- case: or-replace-rowid
INSERT OR REPLACE INTO t VALUES(2, 'bb', 22, 22);
SELECT * FROM t ORDER BY id;
SELECT changes();

-- case: or-replace-both-conflicts
INSERT OR REPLACE INTO t VALUES(1, 'b', 9, 9);
SELECT * FROM t ORDER BY id;
SELECT changes(), total_changes();

-- case: or-replace-not-null-and-check-still-fail
INSERT OR REPLACE INTO t VALUES(1, 'q', NULL, 1);
INSERT OR REPLACE INTO t VALUES(1, 'q', 1, -1);
SELECT * FROM t ORDER BY id;

-- case: replace-on-the-rowid-overwrites-the-row
CREATE TABLE r(a INTEGER PRIMARY KEY, b);
CREATE TABLE ri(a INTEGER PRIMARY KEY, b UNIQUE, c);
CREATE INDEX ric ON ri(c);
INSERT INTO r VALUES(1, zeroblob(5000)), (2, 'two'), (3, 'three');
INSERT INTO ri VALUES(1, 'x', 10), (2, 'y', 20), (3, 'z', 30);
REPLACE INTO r VALUES(1, 'one');
REPLACE INTO r VALUES(2, zeroblob(9000));
REPLACE INTO ri VALUES(2, 'x', 21);
UPDATE OR REPLACE r SET a = 3 WHERE a = 1;
UPDATE OR REPLACE ri SET a = 3, c = 31 WHERE a = 2;
SELECT a, typeof(b), length(b) FROM r ORDER BY a;
SELECT * FROM ri ORDER BY a;
SELECT a FROM ri WHERE c > 0 ORDER BY c;
SELECT changes(), total_changes();
PRAGMA integrity_check;

-- case: replace-statement
REPLACE INTO t VALUES(3, 'cc', 33, 33);
REPLACE INTO t(u, n, c) VALUES('a', 0, 0);
SELECT * FROM t ORDER BY id;
SELECT changes(), last_insert_rowid();

-- case: or-rollback
BEGIN;
INSERT INTO t VALUES(10, 'x', 10, 10);
INSERT OR ROLLBACK INTO t VALUES(11, 'a', 11, 11);
SELECT id FROM t ORDER BY id;
COMMIT;
INSERT OR ROLLBACK INTO t VALUES(12, 'a', 11, 11);
SELECT count(*) FROM t;

-- case: or-fail-in-transaction
BEGIN;
INSERT INTO t VALUES(10, 'x', 10, 10);
INSERT OR FAIL INTO t VALUES(11, 'y', 11, 11), (12, 'a', 12, 12);
INSERT INTO t VALUES(13, 'z', 13, 13), (14, 'b', 14, 14);
SELECT id FROM t ORDER BY id;
COMMIT;
SELECT id FROM t ORDER BY id;

-- case: update-or-ignore-and-replace
UPDATE OR IGNORE t SET u = 'a' WHERE id = 2;
SELECT id, u FROM t ORDER BY id;
UPDATE OR REPLACE t SET u = 'a' WHERE id = 3;
SELECT id, u FROM t ORDER BY id;
SELECT changes(), total_changes();
UPDATE OR IGNORE t SET u = 'zz' WHERE id > 0;
SELECT id, u FROM t ORDER BY id;

-- case: update-or-fail-partial
UPDATE OR FAIL t SET u = 'q' WHERE id >= 1;
SELECT id, u FROM t ORDER BY id;
SELECT changes();

-- case: update-conflict-messages
UPDATE t SET u = 'b' WHERE id = 1;
UPDATE t SET n = NULL WHERE id = 1;
UPDATE t SET c = -5 WHERE id = 1;
UPDATE t SET id = 2 WHERE id = 1;
SELECT * FROM t ORDER BY id;

-- case: on-conflict-clause-unique
CREATE TABLE v(a UNIQUE ON CONFLICT REPLACE, b);
INSERT INTO v VALUES(1, 'x');
INSERT INTO v VALUES(1, 'y');
SELECT * FROM v;
INSERT OR ABORT INTO v VALUES(1, 'z');
INSERT OR IGNORE INTO v VALUES(1, 'w');
SELECT * FROM v;

-- case: on-conflict-clause-pk-ignore
CREATE TABLE v(a INTEGER PRIMARY KEY ON CONFLICT IGNORE, b);
INSERT INTO v VALUES(1, 'x');
INSERT INTO v VALUES(1, 'y');
SELECT * FROM v;
SELECT changes();

-- case: on-conflict-clause-fail-and-rollback
CREATE TABLE v(a UNIQUE ON CONFLICT FAIL, b);
CREATE TABLE w(a UNIQUE ON CONFLICT ROLLBACK, b);
INSERT INTO v VALUES(1, 'x');
INSERT INTO v VALUES(2, 'y'), (1, 'z'), (3, 'q');
SELECT * FROM v ORDER BY a;
BEGIN;
INSERT INTO w VALUES(1, 'x');
INSERT INTO w VALUES(1, 'y');
SELECT * FROM w;

-- case: check-on-conflict-ignore-statement
CREATE TABLE v(a CHECK(a > 0));
INSERT OR IGNORE INTO v VALUES(-1), (1), (-2), (2);
SELECT * FROM v ORDER BY a;
SELECT changes();

-- case: replace-with-triggers-and-delete-count
CREATE TABLE log(x);
CREATE TRIGGER td AFTER DELETE ON t BEGIN INSERT INTO log VALUES('deleted ' || old.id); END;
REPLACE INTO t VALUES(1, 'a', 1, 1);
SELECT * FROM log;
PRAGMA recursive_triggers = ON;
REPLACE INTO t VALUES(2, 'b', 2, 2);
SELECT * FROM log;

-- case: without-rowid-conflicts
CREATE TABLE w(k PRIMARY KEY, v UNIQUE) WITHOUT ROWID;
INSERT INTO w VALUES(1, 'a'), (2, 'b');
INSERT INTO w VALUES(3, 'a');
INSERT OR REPLACE INTO w VALUES(3, 'a');
SELECT * FROM w ORDER BY k;
INSERT OR IGNORE INTO w VALUES(2, 'z');
UPDATE w SET k = 2 WHERE k = 1;
SELECT * FROM w ORDER BY k;

-- case: multiple-unique-indexes-message-order
CREATE TABLE m(a, b, c, UNIQUE(b), UNIQUE(a, c));
CREATE UNIQUE INDEX mc ON m(c);
INSERT INTO m VALUES(1, 2, 3);
INSERT INTO m VALUES(1, 2, 3);
INSERT INTO m VALUES(1, 9, 3);
INSERT INTO m VALUES(7, 9, 3);

-- case: check-order-with-replace-constraints
CREATE TABLE r(a INTEGER PRIMARY KEY ON CONFLICT REPLACE, b UNIQUE, c UNIQUE ON CONFLICT REPLACE, d UNIQUE ON CONFLICT IGNORE);
INSERT INTO r VALUES(1, 'b1', 'c1', 'd1'), (2, 'b2', 'c2', 'd2'), (3, 'b3', 'c3', 'd3');
INSERT INTO r VALUES(1, 'b2', 'c9', 'd9');
INSERT INTO r VALUES(1, 'b9', 'c2', 'd3');
SELECT * FROM r ORDER BY a;
INSERT INTO r VALUES(1, 'b9', 'c2', 'd9');
SELECT * FROM r ORDER BY a;
SELECT changes(), total_changes();
UPDATE r SET b = 'b3', c = 'c3' WHERE a = 1;
UPDATE OR FAIL r SET b = 'b3', c = 'c3' WHERE a = 1;
CREATE UNIQUE INDEX re ON r(d, b);
CREATE UNIQUE INDEX rf ON r(b, c);
INSERT INTO r VALUES(10, 'b3', 'c3', 'd3');
INSERT OR FAIL INTO r VALUES(10, 'b3', 'c3', 'd3');
INSERT OR ABORT INTO r VALUES(3, 'b3', 'c10', 'd10');
SELECT * FROM r ORDER BY a;
CREATE TABLE w(k TEXT PRIMARY KEY, u UNIQUE, v UNIQUE) WITHOUT ROWID;
INSERT INTO w VALUES('a', 1, 1), ('b', 2, 2);
INSERT INTO w VALUES('a', 1, 1);
INSERT INTO w VALUES('a', 2, 3);
UPDATE w SET k = 'b', u = 2, v = 2 WHERE k = 'a';
CREATE UNIQUE INDEX wv ON w(v, u);
INSERT INTO w VALUES('a', 1, 1);

-- case: not-null-message-for-rowid-and-pk
CREATE TABLE p(a INTEGER PRIMARY KEY NOT NULL, b TEXT PRIMARY KEY);
CREATE TABLE q(a TEXT PRIMARY KEY NOT NULL, b);
INSERT INTO q VALUES(NULL, 1);
CREATE TABLE r(a, b, PRIMARY KEY(a, b)) WITHOUT ROWID;
INSERT INTO r VALUES(1, NULL);
"""#)
}
