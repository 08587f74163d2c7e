// dml-update-delete: UPDATE (expressions, rowid changes, multi-column
// SET (a,b)=(…), subqueries, UPDATE FROM) and DELETE (WHERE, all rows,
// subqueries), with changes() counts and the errors of each.

extension CaseLibrary {
    static let dmlUpdateDelete = CaseFile(name: "dml-update-delete", text: #"""
-- prelude
CREATE TABLE t(id INTEGER PRIMARY KEY, a INTEGER, b TEXT, c);
INSERT INTO t VALUES(1, 10, 'x', NULL), (2, 20, 'y', 2.5), (3, 30, 'z', 'c'), (4, 40, 'x', x'00'), (5, 50, NULL, 5);

-- case: update-basic
UPDATE t SET a = a + 1 WHERE b = 'x';
SELECT changes();
SELECT id, a FROM t ORDER BY id;
UPDATE t SET a = 0;
SELECT changes(), total_changes();
UPDATE t SET a = 1 WHERE 0;
SELECT changes();

-- case: update-affinity
UPDATE t SET a = '77', b = 77, c = '77' WHERE id = 1;
SELECT a, typeof(a), b, typeof(b), c, typeof(c) FROM t WHERE id = 1;
UPDATE t SET a = 'abc' WHERE id = 2;
UPDATE t SET a = 2.0 WHERE id = 3;
UPDATE t SET a = 2.5 WHERE id = 4;
SELECT id, a, typeof(a) FROM t ORDER BY id;

-- case: update-sees-old-values
UPDATE t SET a = b, b = a WHERE id = 2;
SELECT a, b, typeof(a), typeof(b) FROM t WHERE id = 2;
UPDATE t SET a = a * 2, c = a WHERE id = 5;
SELECT a, c FROM t WHERE id = 5;

-- case: update-rowid
UPDATE t SET id = 10 WHERE id = 1;
SELECT id, a FROM t ORDER BY id;
UPDATE t SET rowid = 11 WHERE id = 2;
UPDATE t SET id = id + 100;
SELECT id FROM t ORDER BY id;
UPDATE t SET id = 103 WHERE id = 102;
UPDATE t SET id = NULL WHERE id = 103;
UPDATE t SET id = 'abc' WHERE id = 104;
SELECT id FROM t ORDER BY id;

-- case: update-rowid-plain-table
CREATE TABLE p(x);
INSERT INTO p VALUES('a'), ('b');
UPDATE p SET rowid = rowid + 10;
SELECT rowid, x FROM p ORDER BY rowid;
UPDATE p SET rowid = 11 WHERE x = 'b';
UPDATE p SET oid = 5 WHERE x = 'a';
SELECT rowid, x FROM p ORDER BY rowid;

-- case: update-row-values
UPDATE t SET (a, b) = (1, 'one') WHERE id = 1;
UPDATE t SET (a, b, c) = (SELECT a, b, c FROM t WHERE id = 3) WHERE id = 2;
SELECT id, a, b, c FROM t WHERE id <= 3 ORDER BY id;
UPDATE t SET (a, b) = (1, 2, 3) WHERE id = 1;
UPDATE t SET (a, b) = (SELECT 1) WHERE id = 1;
UPDATE t SET (a, b) = (SELECT b, a FROM t AS u WHERE u.id = t.id + 1);
SELECT id, a, b, c FROM t ORDER BY id;
UPDATE t SET (a, b) = (SELECT 1, 2 WHERE 0) WHERE id = 1;
UPDATE t SET (a, b) = 5;
UPDATE t SET c = (SELECT 1, 2);
UPDATE t SET (a, b) = (SELECT 9, 8), c = a WHERE id < 3;
UPDATE t SET (b, c) = (SELECT max(a), count(*) FROM t AS u WHERE u.a >= t.a) WHERE id >= 2;
SELECT id, a, b, c FROM t ORDER BY id;

-- case: without-rowid-update-keeps-a-row-it-skips-or-stops-at
-- The constraints are checked while the old row is still there, so OR IGNORE and OR FAIL leave the row as it
-- was (it used to be deleted first, and was lost); rows change in PRIMARY KEY order, as update.c visits them.
CREATE TABLE wu(k TEXT PRIMARY KEY, v UNIQUE, w) WITHOUT ROWID;
INSERT INTO wu VALUES ('e', 1.5, 1), ('a','a',2), ('d','b',1.5);
UPDATE OR IGNORE wu SET k = 'a' WHERE k = 'e';
SELECT * FROM wu;
UPDATE OR IGNORE wu SET v = 'a' WHERE k = 'e';
SELECT * FROM wu;
UPDATE OR FAIL wu SET v = 'b' WHERE k >= 'd';
SELECT * FROM wu;
UPDATE OR REPLACE wu SET k = 'a' WHERE k = 'e';
SELECT * FROM wu;
UPDATE wu SET k = k WHERE 1;
UPDATE wu SET v = v WHERE 1;
SELECT * FROM wu;
CREATE TABLE wv(k TEXT PRIMARY KEY, v, w) WITHOUT ROWID;
CREATE INDEX wvv ON wv(v, w);
INSERT INTO wv VALUES ('e', 'c', 'a'), ('c', 5, 1), ('d', 0, 1);
UPDATE OR FAIL wv SET k = 'b' WHERE v IS 'c' OR k > 'b';
SELECT * FROM wv;

-- case: update-subqueries
UPDATE t SET a = (SELECT max(a) FROM t) WHERE id = 1;
UPDATE t SET c = (SELECT count(*) FROM t AS u WHERE u.a < t.a);
SELECT id, a, c FROM t ORDER BY id;
UPDATE t SET b = 'in' WHERE id IN (SELECT id FROM t WHERE a > 30);
SELECT id, b FROM t ORDER BY id;

-- case: update-from
CREATE TABLE s(id, v);
INSERT INTO s VALUES(1, 'one'), (3, 'three'), (9, 'nine');
UPDATE t SET b = s.v FROM s WHERE s.id = t.id;
SELECT id, b FROM t ORDER BY id;
SELECT changes();

-- case: update-from-forms
CREATE TABLE s(id, v);
INSERT INTO s VALUES(1, 'one'), (3, 'three'), (5, 'five'), (3, 'three-again');
UPDATE t SET b = s.v FROM s WHERE s.id = t.id;
SELECT changes();
SELECT id, a, b FROM t ORDER BY id;
UPDATE t SET a = a + s.id, b = t.b || '!' FROM s WHERE s.id = t.id AND s.v LIKE 't%';
SELECT id, a, b FROM t ORDER BY id;
UPDATE t AS x SET a = 0 FROM (SELECT id FROM s WHERE id > 2) AS q WHERE q.id = x.id;
SELECT id, a FROM t ORDER BY id;
UPDATE t SET a = total FROM (SELECT id, sum(id) AS total FROM s GROUP BY id) AS agg WHERE agg.id = t.id;
SELECT id, a FROM t ORDER BY id;
UPDATE t SET id = id + 100 FROM s WHERE s.id = t.id AND s.v = 'one';
SELECT id, a FROM t ORDER BY id;
UPDATE t SET a = 1 FROM t;
UPDATE t AS q SET a = 1 FROM t AS q;
UPDATE t SET a = 1 FROM (s JOIN t);
UPDATE t SET a = 7 FROM s AS t;
SELECT id, a FROM t ORDER BY id;
UPDATE t SET a = id FROM s;
UPDATE t SET a = t.id FROM s JOIN s AS s2 USING (id) WHERE s.id = t.id;
SELECT id, a FROM t ORDER BY id;
UPDATE t SET a = (SELECT count(*) FROM s WHERE s.id <= t.id) FROM s WHERE s.id = t.id;
SELECT id, a FROM t ORDER BY id;
WITH c(k) AS (SELECT 2) UPDATE t SET b = 'cte' FROM c WHERE c.k = t.id;
SELECT id, b FROM t ORDER BY id;
UPDATE t SET nosuch = 1 FROM s;
UPDATE t SET a = s.nosuch FROM s;
UPDATE t SET a = s.v + nosuch FROM s;
UPDATE t SET a = 5 FROM nosuch;
UPDATE t SET a = 1 FROM s WHERE nosuch = 1;
UPDATE t SET a = 1 FROM s ORDER BY nosuch;
UPDATE t SET a = max(s.id) FROM s;
SELECT id, a FROM t ORDER BY id;

-- case: update-from-triggers-and-conflicts
CREATE TABLE s(id, v);
INSERT INTO s VALUES(1, 10), (2, 20), (4, 40);
CREATE TABLE log(x);
CREATE TRIGGER tr AFTER UPDATE ON t BEGIN INSERT INTO log VALUES(old.a || '->' || new.a); END;
UPDATE t SET a = s.v * 2 FROM s WHERE s.id = t.id ORDER BY t.id DESC LIMIT 2;
SELECT * FROM log;
SELECT changes(), total_changes();
SELECT id, a FROM t ORDER BY id;
CREATE TABLE u(x UNIQUE, k);
INSERT INTO u VALUES(1, 1), (2, 2);
UPDATE u SET x = 2 FROM s WHERE s.id = 1 AND u.k = 1;
UPDATE OR REPLACE u SET x = 2 FROM s WHERE s.id = 1 AND u.k = 1;
SELECT * FROM u;
UPDATE OR IGNORE u SET x = s.id FROM s;
SELECT * FROM u ORDER BY x;
BEGIN;
UPDATE u SET x = s.id + 100 FROM s WHERE s.id = u.x;
UPDATE u SET x = 'dup' FROM s;
SELECT * FROM u ORDER BY k;
COMMIT;
CREATE TABLE w(k PRIMARY KEY, v) WITHOUT ROWID;
INSERT INTO w VALUES(1, 'a');
UPDATE w SET v = s.v FROM s WHERE s.id = w.k;

-- case: update-from-without-rowid
CREATE TABLE w(k TEXT COLLATE NOCASE, j INT, v, PRIMARY KEY(k, j DESC)) WITHOUT ROWID;
INSERT INTO w VALUES('a', 1, 'x'), ('A', 2, 'y'), ('b', 1, 'z'), ('c', 3, 'q');
CREATE TABLE s(k, j, v);
INSERT INTO s VALUES('A', 1, 'one'), ('a', 1, 'uno'), ('B', 1, 'two'), ('c', 3, 'three');
UPDATE w SET v = s.v FROM s WHERE s.k = w.k AND s.j = w.j;
SELECT changes();
SELECT * FROM w;
CREATE TABLE log(x);
CREATE TRIGGER tw BEFORE UPDATE ON w BEGIN INSERT INTO log VALUES(old.k || old.j || '->' || new.k || new.j); END;
UPDATE w SET v = 'trig' FROM s WHERE s.k = w.k ORDER BY w.v DESC LIMIT 2;
SELECT * FROM log;
UPDATE w SET j = w.j + 10 FROM s WHERE s.k = w.k;
SELECT * FROM w;
UPDATE w SET k = 'z' || w.k, v = s.v || '!' FROM s WHERE s.v = 'three';
SELECT * FROM w;
UPDATE w SET k = 'zb' FROM s WHERE w.k = 'za';
SELECT * FROM w;
DELETE FROM w ORDER BY k;
DELETE FROM w ORDER BY k LIMIT 1;
SELECT count(*) FROM w;

-- case: update-order-by-limit
UPDATE t SET a = -1 ORDER BY a DESC LIMIT 2;
DELETE FROM t ORDER BY id LIMIT 1;

-- case: update-errors
UPDATE nosuch SET a = 1;
UPDATE t SET nosuch = 1;
UPDATE t SET a = nosuch;
UPDATE t SET a = 1 WHERE nosuch = 1;
UPDATE t SET a = 1, a = 2;
UPDATE sqlite_schema SET name = 'x';
CREATE VIEW v AS SELECT * FROM t;
UPDATE v SET a = 1;
UPDATE t SET a = count(*);
SELECT id, a FROM t ORDER BY id;

-- case: delete-basic
DELETE FROM t WHERE a > 30;
SELECT changes(), total_changes();
SELECT id FROM t ORDER BY id;
DELETE FROM t WHERE 0;
SELECT changes();
DELETE FROM t;
SELECT changes(), count(*) FROM t;

-- case: delete-all-then-insert-rowid
DELETE FROM t;
INSERT INTO t(a) VALUES(1);
SELECT id FROM t;

-- case: delete-subquery
DELETE FROM t WHERE id IN (SELECT id FROM t WHERE b = 'x');
SELECT id FROM t ORDER BY id;
DELETE FROM t WHERE a = (SELECT max(a) FROM t);
SELECT id FROM t ORDER BY id;
DELETE FROM t WHERE EXISTS (SELECT 1 FROM t AS u WHERE u.a = t.a + 10);
SELECT id FROM t ORDER BY id;

-- case: delete-errors
DELETE FROM nosuch;
DELETE FROM t WHERE nosuch = 1;
DELETE FROM sqlite_schema;
CREATE VIEW v AS SELECT * FROM t;
DELETE FROM v;
DELETE FROM t WHERE count(*) > 1;
SELECT count(*) FROM t;

-- case: delete-with-index-and-unique
CREATE INDEX ta ON t(a);
CREATE UNIQUE INDEX tb ON t(b, id);
DELETE FROM t WHERE a BETWEEN 20 AND 40;
SELECT id, a, b FROM t ORDER BY a;
PRAGMA integrity_check;

-- case: update-indexed-column
CREATE INDEX ta ON t(a);
UPDATE t SET a = 60 - a;
SELECT id, a FROM t WHERE a > 15 ORDER BY a;
UPDATE t SET a = a + 1 WHERE a > 15;
SELECT id, a FROM t ORDER BY a;
PRAGMA integrity_check;

-- case: update-without-rowid
CREATE TABLE w(k PRIMARY KEY, v) WITHOUT ROWID;
INSERT INTO w VALUES(1, 'a'), (2, 'b'), (3, 'c');
UPDATE w SET v = upper(v) WHERE k >= 2;
UPDATE w SET k = k + 10;
SELECT * FROM w ORDER BY k;
DELETE FROM w WHERE v = 'a';
SELECT * FROM w ORDER BY k;
SELECT changes(), total_changes();

-- case: changes-in-explicit-transaction
BEGIN;
UPDATE t SET a = 1;
SELECT changes(), total_changes();
DELETE FROM t WHERE id = 1;
SELECT changes(), total_changes();
ROLLBACK;
SELECT changes(), total_changes(), count(*) FROM t;

-- case: many-rows
CREATE TABLE big(x INTEGER PRIMARY KEY, y);
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 2000) INSERT INTO big SELECT n, n % 7 FROM c;
SELECT changes(), count(*), sum(y) FROM big;
DELETE FROM big WHERE y = 3;
SELECT changes(), count(*) FROM big;
UPDATE big SET y = y * 2 WHERE x % 3 = 0;
SELECT changes(), sum(y) FROM big;
CREATE INDEX by ON big(y);
DELETE FROM big WHERE y > 5;
SELECT changes(), count(*) FROM big;
PRAGMA integrity_check;
-- case: one-pass-scans-while-changing
CREATE TABLE o(a INTEGER PRIMARY KEY, b, c UNIQUE, d CHECK(d IS NULL OR d < 1000), e NOT NULL DEFAULT 0);
CREATE INDEX ob ON o(b);
WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 300) INSERT INTO o SELECT x, x % 17, x * 3, NULL, x FROM n;
UPDATE o SET b = b + 1 WHERE b > 5;
SELECT changes(), count(*), sum(b) FROM o;
UPDATE o SET b = b + 100 WHERE b BETWEEN 3 AND 8;
SELECT changes(), sum(b) FROM o;
UPDATE o SET d = b WHERE c > 300;
SELECT changes(), sum(d) FROM o;
UPDATE o SET c = c + 3 WHERE a < 10;
UPDATE o SET c = c + 1 WHERE a < 10;
SELECT a, c FROM o WHERE a < 12 ORDER BY a;
UPDATE OR REPLACE o SET c = c + 3 WHERE a = 20;
SELECT changes(), count(*) FROM o;
UPDATE o SET a = a + 1000 WHERE a > 290;
SELECT max(a), count(*) FROM o;
UPDATE o SET d = 2000 WHERE a = 5;
UPDATE o SET e = NULL WHERE a = 6;
UPDATE OR IGNORE o SET e = NULL WHERE a < 10;
SELECT changes(), d, e FROM o WHERE a IN (5, 6) ORDER BY a;
UPDATE o SET b = b * 2 WHERE b = 11 OR c < 100;
SELECT changes(), sum(b) FROM o;
UPDATE o SET b = (SELECT count(*) FROM o o2 WHERE o2.b < o.b) WHERE a % 2 = 0;
SELECT changes(), sum(b) FROM o;
UPDATE o SET rowid = -rowid WHERE rowid > 250;
SELECT min(rowid), count(*) FROM o;
DELETE FROM o WHERE b > 100;
SELECT changes(), count(*) FROM o;
DELETE FROM o WHERE b IN (1, 2, 3);
SELECT changes(), count(*) FROM o;
DELETE FROM o WHERE a = (SELECT min(a) FROM o);
SELECT changes(), count(*), min(a) FROM o;
DELETE FROM o WHERE b = (SELECT min(b) FROM o o2 WHERE o2.c > o.c);
SELECT changes(), count(*) FROM o;
DELETE FROM o WHERE b = 10 OR c > 500;
SELECT changes(), count(*) FROM o;
DELETE FROM o WHERE rowid = 100;
SELECT changes(), total_changes();
PRAGMA integrity_check;

-- case: update-checks-only-what-it-changes
CREATE TABLE k(a INTEGER PRIMARY KEY, b CHECK(b > 0), c NOT NULL, u UNIQUE);
INSERT INTO k VALUES(1, 5, 'x', 1), (2, 6, 'y', 2);
PRAGMA ignore_check_constraints = 1;
UPDATE k SET b = -1 WHERE a = 1;
PRAGMA ignore_check_constraints = 0;
UPDATE k SET c = 'z' WHERE a = 1;
SELECT changes(), * FROM k ORDER BY a;
UPDATE k SET b = b - 10 WHERE a = 1;
UPDATE k SET u = 2 WHERE a = 1;
UPDATE k SET u = u WHERE a = 2;
SELECT changes(), * FROM k ORDER BY a;
UPDATE k SET b = 1 WHERE a = 1;
SELECT changes(), * FROM k ORDER BY a;

-- case: update-after-a-before-trigger-changed-the-row
CREATE TABLE bt(a INTEGER PRIMARY KEY, b, c);
INSERT INTO bt VALUES(1, 1, 1), (2, 2, 2), (3, 3, 3);
CREATE TRIGGER bt_set BEFORE UPDATE ON bt BEGIN UPDATE bt SET c = 100 + new.b WHERE a = new.a; END;
UPDATE bt SET b = 5 WHERE a < 3;
SELECT changes(), * FROM bt ORDER BY a;
CREATE TRIGGER bt_drop BEFORE UPDATE OF c ON bt WHEN new.c > 200 BEGIN DELETE FROM bt WHERE a = old.a; END;
UPDATE bt SET c = 300 WHERE a = 1;
SELECT changes(), * FROM bt ORDER BY a;
CREATE TABLE bw(k TEXT PRIMARY KEY, b, c) WITHOUT ROWID;
INSERT INTO bw VALUES('x', 1, 1), ('y', 2, 2);
CREATE TRIGGER bw_set BEFORE UPDATE ON bw BEGIN UPDATE bw SET c = 100 + new.b WHERE k = new.k; END;
UPDATE bw SET b = 7;
SELECT changes(), * FROM bw ORDER BY k;
"""#)
}
