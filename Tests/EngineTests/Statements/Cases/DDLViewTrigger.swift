// ddl-view-trigger: CREATE/DROP VIEW and CREATE/DROP TRIGGER — BEFORE/AFTER
// INSERT/UPDATE/DELETE, FOR EACH ROW, WHEN, NEW/OLD, UPDATE OF, RAISE — and
// their errors; changes() must not count what triggers do.

extension CaseLibrary {
    static let ddlViewTrigger = CaseFile(name: "ddl-view-trigger", text: #"""
-- prelude
CREATE TABLE t(a INTEGER PRIMARY KEY, b, c);
CREATE TABLE log(what, x, y);
INSERT INTO t VALUES(1, 'one', 10), (2, 'two', 20), (3, 'three', 30);

-- case: view-basic
CREATE VIEW v AS SELECT a, b FROM t WHERE a > 1;
SELECT * FROM v ORDER BY a;
SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE type = 'view';
PRAGMA table_info(v);
SELECT b FROM v WHERE a = 3;
SELECT count(*) FROM v;

-- case: view-declared-types
CREATE TABLE typed(i INTEGER, r REAL, t TEXT, v VARCHAR(10), n, d DECIMAL(5, 2));
CREATE VIEW tv1 AS SELECT i, r AS renamed, t || 'x', CAST(v AS TEXT), n, d, 1, (SELECT t FROM typed) FROM typed;
CREATE VIEW tv2(a, b) AS SELECT renamed, d FROM tv1;
CREATE VIEW tv3 AS SELECT * FROM (SELECT v, i FROM typed) JOIN t ON t.a = i;
CREATE VIEW tv4 AS SELECT i, t FROM typed UNION SELECT r, n FROM typed;
CREATE VIEW tv5 AS SELECT max(i), i FROM typed GROUP BY t;
PRAGMA table_info(tv1);
PRAGMA table_info(tv2);
PRAGMA table_xinfo(tv3);
PRAGMA table_info(tv4);
PRAGMA table_info(tv5);

-- case: view-column-names
CREATE VIEW v1(x, y) AS SELECT a, b FROM t;
CREATE VIEW v2 AS SELECT a + 1, b AS bee, c * 2 FROM t;
SELECT * FROM v1 WHERE x = 1;
SELECT * FROM v2 ORDER BY 1;
SELECT x FROM v1 ORDER BY x DESC LIMIT 1;
CREATE VIEW v3(x) AS SELECT a, b FROM t;
SELECT * FROM v3;

-- case: view-errors
CREATE VIEW v AS SELECT * FROM t;
CREATE VIEW v AS SELECT 1;
CREATE VIEW IF NOT EXISTS v AS SELECT 1;
CREATE VIEW t AS SELECT 1;
CREATE VIEW w AS SELECT * FROM nosuch;
CREATE VIEW w AS SELECT nosuch FROM t;
SELECT * FROM w;
INSERT INTO v VALUES(1, 2, 3);
UPDATE v SET b = 1;
DELETE FROM v;
DROP TABLE v;
DROP VIEW t;
DROP VIEW nosuch;
DROP VIEW IF EXISTS nosuch;
DROP VIEW v;
SELECT count(*) FROM sqlite_schema WHERE type = 'view';

-- case: view-of-view-and-join
CREATE VIEW v1 AS SELECT a, c FROM t;
CREATE VIEW v2 AS SELECT v1.a, v1.c, log.what FROM v1 LEFT JOIN log ON log.x = v1.a;
INSERT INTO log VALUES('hit', 2, NULL);
SELECT * FROM v2 ORDER BY a;
SELECT a, sum(c) FROM v1 GROUP BY a % 2 ORDER BY 1;
DROP VIEW v1;
SELECT * FROM v2;

-- case: view-aggregate-compound
CREATE VIEW va AS SELECT count(*) AS n, max(c) AS m FROM t;
CREATE VIEW vc AS SELECT a FROM t UNION ALL SELECT x FROM log;
SELECT * FROM va;
INSERT INTO log VALUES('w', 7, 8);
SELECT * FROM vc ORDER BY a;
SELECT count(*) FROM vc;

-- case: view-dropped-with-table-still-listed
CREATE VIEW v AS SELECT * FROM t;
DROP TABLE t;
SELECT name FROM sqlite_schema ORDER BY name;
SELECT * FROM v;

-- case: trigger-after-insert
CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES('ins', new.a, new.b); END;
INSERT INTO t VALUES(4, 'four', 40);
SELECT changes(), total_changes();
INSERT INTO t(b, c) VALUES('five', 50), ('six', 60);
SELECT * FROM log ORDER BY x;
SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE type = 'trigger';

-- case: trigger-before-insert-raise
CREATE TRIGGER tr BEFORE INSERT ON t WHEN new.c < 0 BEGIN SELECT RAISE(ABORT, 'negative c'); END;
INSERT INTO t VALUES(4, 'four', -1);
INSERT INTO t VALUES(5, 'five', 5);
SELECT a FROM t ORDER BY a;

-- case: trigger-raise-kinds
CREATE TRIGGER tr1 BEFORE INSERT ON t WHEN new.c = 1 BEGIN SELECT RAISE(IGNORE); END;
CREATE TRIGGER tr2 BEFORE INSERT ON t WHEN new.c = 2 BEGIN SELECT RAISE(FAIL, 'fail two'); END;
CREATE TRIGGER tr3 BEFORE INSERT ON t WHEN new.c = 3 BEGIN SELECT RAISE(ROLLBACK, 'rollback three'); END;
INSERT INTO t VALUES(10, 'x', 1);
SELECT count(*) FROM t;
INSERT INTO t VALUES(11, 'y', 5), (12, 'z', 2);
SELECT a FROM t ORDER BY a;
BEGIN;
INSERT INTO t VALUES(13, 'w', 9);
INSERT INTO t VALUES(14, 'v', 3);
SELECT a FROM t ORDER BY a;
COMMIT;

-- case: raise-outside-trigger
SELECT RAISE(ABORT, 'x');
SELECT RAISE(IGNORE);

-- case: trigger-update-old-new
CREATE TRIGGER tr AFTER UPDATE ON t BEGIN INSERT INTO log VALUES('upd', old.c, new.c); END;
UPDATE t SET c = c + 1 WHERE a >= 2;
SELECT changes();
SELECT * FROM log ORDER BY x;

-- case: trigger-update-of
CREATE TRIGGER tr AFTER UPDATE OF b ON t BEGIN INSERT INTO log VALUES('b changed', old.b, new.b); END;
UPDATE t SET c = 0;
UPDATE t SET b = upper(b) WHERE a = 1;
SELECT * FROM log;

-- case: trigger-delete
CREATE TRIGGER tr BEFORE DELETE ON t BEGIN INSERT INTO log VALUES('del', old.a, old.b); END;
DELETE FROM t WHERE a < 3;
SELECT changes(), total_changes();
SELECT * FROM log ORDER BY x;
SELECT a FROM t;

-- case: trigger-when-and-multiple-statements
CREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW WHEN new.c > 100 BEGIN
  INSERT INTO log VALUES('big', new.a, new.c);
  UPDATE t SET c = 100 WHERE a = new.a;
END;
INSERT INTO t VALUES(4, 'x', 500), (5, 'y', 50);
SELECT a, c FROM t ORDER BY a;
SELECT * FROM log;

-- case: trigger-cascade-to-other-table
CREATE TABLE u(x);
CREATE TRIGGER tr1 AFTER INSERT ON t BEGIN INSERT INTO u VALUES(new.a * 10); END;
CREATE TRIGGER tr2 AFTER INSERT ON u BEGIN INSERT INTO log VALUES('u', new.x, NULL); END;
INSERT INTO t VALUES(7, 'seven', 70);
SELECT * FROM u;
SELECT * FROM log;
SELECT changes(), total_changes(), last_insert_rowid();

-- case: trigger-last-insert-rowid
CREATE TABLE u(id INTEGER PRIMARY KEY, v);
CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO u VALUES(1000 + new.a, 'from trigger'); END;
INSERT INTO t VALUES(9, 'nine', 90);
SELECT last_insert_rowid();
SELECT * FROM u;

-- case: trigger-errors
CREATE TRIGGER tr AFTER INSERT ON nosuch BEGIN SELECT 1; END;
CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END;
CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 2; END;
CREATE TRIGGER IF NOT EXISTS tr AFTER INSERT ON t BEGIN SELECT 2; END;
CREATE TRIGGER sqlite_tr AFTER INSERT ON t BEGIN SELECT 1; END;
CREATE TRIGGER tx AFTER INSERT ON sqlite_schema BEGIN SELECT 1; END;
CREATE VIEW v AS SELECT * FROM t;
CREATE TRIGGER tv AFTER INSERT ON v BEGIN SELECT 1; END;
CREATE TRIGGER tv INSTEAD OF INSERT ON t BEGIN SELECT 1; END;
DROP TRIGGER nosuch;
DROP TRIGGER IF EXISTS nosuch;
DROP TRIGGER tr;
SELECT name FROM sqlite_schema WHERE type = 'trigger';

-- case: trigger-body-errors-at-run
CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO nosuch VALUES(1); END;
INSERT INTO t VALUES(8, 'x', 1);
SELECT count(*) FROM t;

-- case: trigger-instead-of-view
CREATE VIEW v AS SELECT a, b FROM t;
CREATE TRIGGER tv INSTEAD OF INSERT ON v BEGIN INSERT INTO t(a, b, c) VALUES(new.a, new.b, 0); END;
INSERT INTO v VALUES(20, 'twenty');
SELECT * FROM t WHERE a = 20;
SELECT changes();

-- case: instead-of-triggers
CREATE TABLE t2(a INTEGER, b TEXT, c REAL);
INSERT INTO t2 VALUES(1, 'one', 1.5), (2, 'two', 2.5), (3, 'three', 3.5);
CREATE TABLE log2(x, y, z);
CREATE VIEW v AS SELECT a, b, c, a * 10 AS d FROM t2;
CREATE TRIGGER ti INSTEAD OF INSERT ON v WHEN new.a > 0 BEGIN INSERT INTO log2 VALUES(typeof(new.a) || typeof(new.b) || typeof(new.c) || typeof(new.d), new.a, new.d); END;
INSERT INTO v VALUES('5', 7, '2.0', '9');
SELECT changes(), total_changes();
INSERT INTO v(a) VALUES(-1), (6);
INSERT INTO v DEFAULT VALUES;
INSERT INTO v VALUES(1, 2);
INSERT INTO v(nosuch) VALUES(1);
INSERT INTO v(a, b) VALUES(1);
INSERT INTO v SELECT a + 100, b, c, 0 FROM t2 WHERE a < 3;
SELECT * FROM log2;
DELETE FROM log2;
UPDATE v SET a = 5;
DELETE FROM v;
CREATE TRIGGER tu INSTEAD OF UPDATE OF b ON v BEGIN INSERT INTO log2 VALUES(old.a, old.b, new.b); SELECT RAISE(IGNORE) WHERE new.b = 'skip'; INSERT INTO log2 VALUES('after', new.a, new.d); END;
UPDATE v SET a = 5;
UPDATE v SET b = b || '!' WHERE a >= 2 ORDER BY a DESC LIMIT 1;
UPDATE v AS q SET b = 'skip', c = q.c + 1 WHERE q.a = 1;
UPDATE v AS q SET b = 'skip', c = q.c + 1 WHERE a = 1;
UPDATE v SET (b, c) = ('x', 'y') WHERE a = 3;
UPDATE v SET b = (SELECT count(*) FROM t2 AS z WHERE z.a <= v.a);
UPDATE v SET nosuch = 1;
SELECT * FROM log2;
DELETE FROM log2;
SELECT changes(), total_changes();
CREATE TRIGGER td INSTEAD OF DELETE ON v BEGIN INSERT INTO log2 VALUES('del', old.a, old.d); SELECT RAISE(ABORT, 'no deleting 3') WHERE old.a = 3; END;
DELETE FROM v WHERE a < 3;
SELECT changes();
DELETE FROM v;
SELECT * FROM log2;
BEGIN;
DELETE FROM v WHERE a = 1;
DELETE FROM v;
SELECT count(*) FROM log2;
COMMIT;
CREATE VIEW j AS SELECT t2.a, l.x FROM t2 JOIN log2 AS l ON l.y = t2.a;
CREATE TRIGGER jd INSTEAD OF DELETE ON j BEGIN DELETE FROM log2 WHERE y = old.a AND x = old.x; END;
DELETE FROM j WHERE x = 'del';
SELECT * FROM log2;
CREATE TEMP VIEW tv AS SELECT a FROM t2;
CREATE TRIGGER tvi INSTEAD OF INSERT ON tv BEGIN INSERT INTO t2(a) VALUES(new.a * 100); END;
INSERT INTO tv VALUES(4);
SELECT a FROM t2 ORDER BY a;
SELECT name, tbl_name FROM sqlite_temp_master;

-- case: trigger-new-old-misuse
CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES(old.a, 0, 0); END;
CREATE TRIGGER tr AFTER DELETE ON t BEGIN INSERT INTO log VALUES(new.a, 0, 0); END;
CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES(new.nosuch, 0, 0); END;
INSERT INTO t VALUES(30, 'x', 1);
SELECT name FROM sqlite_schema WHERE type = 'trigger';

-- case: trigger-dropped-with-table
CREATE TABLE u(x);
CREATE TRIGGER tu AFTER INSERT ON u BEGIN SELECT 1; END;
DROP TABLE u;
SELECT count(*) FROM sqlite_schema WHERE type = 'trigger';

-- case: trigger-recursive-off
CREATE TRIGGER tr AFTER INSERT ON log WHEN new.x < 5 BEGIN INSERT INTO log VALUES('again', new.x + 1, 0); END;
INSERT INTO log VALUES('start', 1, 0);
SELECT * FROM log ORDER BY x;

-- case: trigger-before-update-modifies-row
CREATE TRIGGER tr BEFORE UPDATE ON t BEGIN INSERT INTO log VALUES('before', old.c, new.c); END;
CREATE TRIGGER tr2 AFTER UPDATE ON t WHEN new.c > 25 BEGIN UPDATE t SET b = 'big' WHERE a = new.a; END;
UPDATE t SET c = c + 5;
SELECT * FROM t ORDER BY a;
SELECT * FROM log ORDER BY x;
SELECT changes();

-- case: temp-trigger
CREATE TEMP TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES('temp', new.a, 0); END;
INSERT INTO t VALUES(40, 'x', 0);
SELECT * FROM log;
SELECT type, name FROM temp.sqlite_master;
"""#)
}
