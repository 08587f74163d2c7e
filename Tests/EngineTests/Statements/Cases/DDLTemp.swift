// ddl-temp: the temp database — CREATE TEMP TABLE/VIEW/TRIGGER/INDEX, `temp.`
// and `main.` qualifiers, unqualified names finding temp before main (and main
// views and triggers seeing main only), sqlite_temp_master, temp triggers on
// main tables (their firing order, DROP of their table), AUTOINCREMENT in temp,
// and temp changes inside transactions, savepoints and failing statements.

extension CaseLibrary {
    static let ddlTemp = CaseFile(name: "ddl-temp", text: #"""
-- prelude
CREATE TABLE t(a INTEGER PRIMARY KEY, b);
CREATE TABLE log(x);
INSERT INTO t VALUES(1, 'main1'), (2, 'main2');

-- case: temp-table-shadows-main
CREATE TEMP TABLE t(a, b, c);
INSERT INTO t VALUES(10, 'temp', 0);
SELECT * FROM t;
SELECT * FROM main.t ORDER BY a;
SELECT * FROM temp.t;
SELECT temp.t.a, main.t.b FROM temp.t, main.t ORDER BY 2;
SELECT type, name, tbl_name, rootpage, sql FROM sqlite_temp_master;
SELECT name FROM sqlite_temp_schema;
SELECT name FROM temp.sqlite_master;
SELECT name FROM temp.sqlite_schema;
SELECT name FROM sqlite_master ORDER BY name;
PRAGMA table_info(t);
PRAGMA main.table_info(t);
PRAGMA temp.table_info(t);
PRAGMA database_list;
DROP TABLE t;
SELECT * FROM t ORDER BY a;
SELECT count(*) FROM sqlite_temp_master;

-- case: temp-create-forms
CREATE TABLE temp.u(x);
CREATE TEMPORARY TABLE w(y);
CREATE TEMP TABLE temp.z(q);
CREATE TEMP TABLE main.bad(x);
CREATE TEMP TABLE IF NOT EXISTS w(other);
CREATE TEMP TABLE w(again);
CREATE TABLE other.x(a);
CREATE TABLE w(mainw);
SELECT type, name, sql FROM sqlite_temp_master ORDER BY name;
SELECT name FROM sqlite_master WHERE name = 'w';
CREATE TEMP TABLE ctas AS SELECT a, b FROM t;
SELECT * FROM temp.ctas ORDER BY a;
SELECT * FROM main.u;
SELECT * FROM temp.log;
SELECT * FROM nosuchdb.t;
INSERT INTO nosuchdb.t VALUES(1);
DROP TABLE nosuchdb.t;
DROP INDEX nosuchdb.i;
PRAGMA nosuchdb.table_info(t);
CREATE INDEX nosuchdb.i ON t(a);
CREATE VIEW nosuchdb.v AS SELECT 1;

-- case: temp-views
CREATE TEMP VIEW v AS SELECT a FROM t WHERE a > 1;
CREATE TEMPORARY VIEW v3 AS SELECT b FROM t;
CREATE VIEW temp.v4 AS SELECT 4;
CREATE TEMP VIEW main.v5 AS SELECT 5;
SELECT * FROM v;
SELECT * FROM v3 ORDER BY b;
SELECT * FROM temp.v4;
SELECT type, name, sql FROM sqlite_temp_master ORDER BY name;
PRAGMA table_info(v4);
DROP VIEW v;
DROP VIEW v3;
DROP VIEW temp.v4;
DROP VIEW v;
SELECT count(*) FROM sqlite_temp_master;

-- case: main-view-sees-main-only
CREATE TEMP TABLE t(a, b);
INSERT INTO temp.t VALUES(100, 'shadow');
CREATE VIEW mv AS SELECT a, b FROM t;
CREATE TEMP VIEW tv AS SELECT a, b FROM t;
SELECT * FROM mv ORDER BY a;
SELECT * FROM tv ORDER BY a;
CREATE VIEW bad AS SELECT * FROM temp.t;
CREATE TEMP TABLE only_temp(x);
CREATE VIEW mv2 AS SELECT * FROM only_temp;
SELECT * FROM mv2;

-- case: temp-index
CREATE TEMP TABLE tt(x, y);
INSERT INTO tt VALUES(1, 'a'), (2, 'b'), (3, 'c');
CREATE INDEX tti ON tt(x);
CREATE UNIQUE INDEX temp.ttu ON tt(y);
CREATE INDEX main.bad ON tt(x);
SELECT type, name, tbl_name FROM sqlite_temp_master ORDER BY name;
SELECT y FROM tt WHERE x = 2;
INSERT INTO tt VALUES(4, 'a');
PRAGMA index_list(tt);
PRAGMA temp.index_info(tti);
DROP INDEX tti;
DROP INDEX temp.ttu;
SELECT count(*) FROM sqlite_temp_master WHERE type = 'index';

-- case: temp-triggers-on-main
CREATE TRIGGER m1 AFTER INSERT ON t BEGIN INSERT INTO log VALUES('m1'); END;
CREATE TEMP TRIGGER t1 AFTER INSERT ON t BEGIN INSERT INTO log VALUES('t1'); END;
CREATE TRIGGER m2 AFTER INSERT ON t BEGIN INSERT INTO log VALUES('m2'); END;
CREATE TEMP TRIGGER t2 AFTER INSERT ON t BEGIN INSERT INTO log VALUES('t2:' || new.a); END;
CREATE TEMP TRIGGER temp.t3 AFTER INSERT ON t BEGIN SELECT 1; END;
CREATE TRIGGER temp.t4 AFTER INSERT ON t BEGIN INSERT INTO log VALUES('t4'); END;
INSERT INTO t VALUES(3, 'x');
SELECT group_concat(x, ',') FROM log;
SELECT type, name, tbl_name FROM sqlite_temp_master ORDER BY name;
SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name;
DROP TRIGGER t1;
DELETE FROM log;
INSERT INTO t VALUES(4, 'y');
SELECT group_concat(x, ',') FROM log;
DROP TABLE t;
SELECT name FROM sqlite_temp_master ORDER BY name;
SELECT name FROM sqlite_master ORDER BY name;

-- case: temp-trigger-targets
CREATE TEMP TABLE tt(a);
CREATE TRIGGER auto_temp AFTER INSERT ON tt BEGIN INSERT INTO log VALUES('auto'); END;
CREATE TRIGGER main.mt AFTER INSERT ON temp.tt BEGIN SELECT 1; END;
CREATE TRIGGER main.mt2 AFTER INSERT ON tt BEGIN SELECT 1; END;
CREATE TEMP TRIGGER tnone AFTER INSERT ON nosuch BEGIN SELECT 1; END;
CREATE TRIGGER mnone AFTER INSERT ON nosuch BEGIN SELECT 1; END;
SELECT type, name, tbl_name FROM sqlite_temp_master ORDER BY name;
INSERT INTO tt VALUES(1);
SELECT * FROM log;
CREATE TEMP TRIGGER tr_on_main_t AFTER INSERT ON main.t BEGIN INSERT INTO log VALUES('main-t'); END;
CREATE TEMP TABLE t(z);
DROP TABLE temp.t;
SELECT name FROM sqlite_temp_master ORDER BY name;
INSERT INTO main.t VALUES(9, 'n');
SELECT * FROM log;

-- case: temp-trigger-body-names
CREATE TEMP TABLE tlog(x);
CREATE TEMP TRIGGER tb AFTER INSERT ON t BEGIN INSERT INTO tlog VALUES(new.b); END;
CREATE TRIGGER mb AFTER INSERT ON t BEGIN INSERT INTO tlog VALUES(new.b); END;
INSERT INTO t VALUES(5, 'five');
DROP TRIGGER mb;
INSERT INTO t VALUES(5, 'five');
INSERT INTO t VALUES(6, 'six');
SELECT * FROM tlog;

-- case: temp-autoincrement
CREATE TEMP TABLE s(id INTEGER PRIMARY KEY AUTOINCREMENT, v);
INSERT INTO s(v) VALUES('a'), ('b');
DELETE FROM s WHERE id = 2;
INSERT INTO s(v) VALUES('c');
SELECT * FROM s;
SELECT * FROM temp.sqlite_sequence;
SELECT name FROM sqlite_temp_master ORDER BY name;
SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_sequence';
DROP TABLE s;
SELECT * FROM temp.sqlite_sequence;

-- case: temp-in-transactions
BEGIN;
CREATE TEMP TABLE tx(a);
INSERT INTO tx VALUES(1);
SAVEPOINT s1;
INSERT INTO tx VALUES(2);
INSERT INTO t VALUES(7, 'seven');
ROLLBACK TO s1;
SELECT * FROM tx;
SELECT count(*) FROM t;
RELEASE s1;
ROLLBACK;
SELECT * FROM tx;
BEGIN;
CREATE TEMP TABLE ty(a UNIQUE);
INSERT INTO ty VALUES(1), (2);
INSERT INTO ty VALUES(3), (1);
SELECT * FROM ty;
COMMIT;
SELECT * FROM ty;
INSERT INTO ty VALUES(4), (2);
SELECT * FROM ty;
INSERT OR REPLACE INTO ty VALUES(2);
SELECT * FROM ty ORDER BY a;
SAVEPOINT a;
INSERT INTO ty VALUES(10);
SAVEPOINT b;
DELETE FROM ty;
ROLLBACK TO a;
SELECT count(*) FROM ty;
RELEASE a;
SELECT count(*) FROM ty;
BEGIN;
DROP TABLE ty;
ROLLBACK;
SELECT count(*) FROM ty;

-- case: temp-dml
CREATE TEMP TABLE tt(k INTEGER PRIMARY KEY, v);
INSERT INTO tt SELECT a, b FROM main.t;
UPDATE tt SET v = upper(v) WHERE k = 1;
DELETE FROM tt WHERE k = 2;
SELECT * FROM tt;
INSERT INTO main.t SELECT k + 10, v FROM tt;
SELECT * FROM t ORDER BY a;
DELETE FROM tt;
SELECT count(*) FROM tt;
SELECT * FROM t WHERE a IN (SELECT k FROM temp.tt);
CREATE TEMP TABLE wr(k PRIMARY KEY, v) WITHOUT ROWID;
INSERT INTO wr VALUES('b', 2), ('a', 1);
SELECT * FROM wr;
ALTER TABLE tt ADD COLUMN extra DEFAULT 5;
INSERT INTO tt(k, v) VALUES(1, 'x');
SELECT * FROM tt;
ALTER TABLE tt RENAME TO tt2;
SELECT * FROM tt2;
SELECT name FROM sqlite_temp_master ORDER BY name;
"""#)
}
