// dml-insert: INSERT with multi-row VALUES, SELECT, DEFAULT VALUES and column
// lists; column affinity applied on the way in; changes(), total_changes() and
// last_insert_rowid() after each; the errors INSERT can give.

extension CaseLibrary {
    static let dmlInsert = CaseFile(name: "dml-insert", text: #"""
-- prelude
CREATE TABLE t(id INTEGER PRIMARY KEY, a, b TEXT, c INTEGER, d REAL, e NUMERIC, f BLOB);

-- case: values-one-and-many
INSERT INTO t VALUES(1, 'a', 'b', 3, 4.0, 5, x'06');
INSERT INTO t VALUES(2, 1, 1, 1, 1, 1, 1), (3, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5), (4, NULL, NULL, NULL, NULL, NULL, NULL);
SELECT changes(), total_changes(), last_insert_rowid();
SELECT id, a, typeof(a), b, typeof(b), c, typeof(c), d, typeof(d), e, typeof(e), f, typeof(f) FROM t ORDER BY id;

-- case: affinity-on-insert
INSERT INTO t(a, b, c, d, e, f) VALUES('12', '12', '12', '12', '12', '12');
INSERT INTO t(a, b, c, d, e, f) VALUES(' 12 ', ' 12 ', ' 12 ', ' 12 ', ' 12 ', ' 12 ');
INSERT INTO t(a, b, c, d, e, f) VALUES('1.50', '1.50', '1.50', '1.50', '1.50', '1.50');
INSERT INTO t(a, b, c, d, e, f) VALUES('1e3', '1e3', '1e3', '1e3', '1e3', '1e3');
INSERT INTO t(a, b, c, d, e, f) VALUES('0x10', '0x10', '0x10', '0x10', '0x10', '0x10');
INSERT INTO t(a, b, c, d, e, f) VALUES(3.0, 3.0, 3.0, 3.0, 3.0, 3.0);
INSERT INTO t(a, b, c, d, e, f) VALUES('abc', 'abc', 'abc', 'abc', 'abc', 'abc');
INSERT INTO t(a, b, c, d, e, f) VALUES(x'3132', x'3132', x'3132', x'3132', x'3132', x'3132');
INSERT INTO t(a, b, c, d, e, f) VALUES(9223372036854775807, 9223372036854775807, '9223372036854775808',
  '9223372036854775807', '9223372036854775808', 1e20);
INSERT INTO t(a, b, c, d, e, f) VALUES('-0', '-0', '-0', '-0', '-0.0', -0.0);
SELECT id, a, typeof(a), b, typeof(b), c, typeof(c), d, typeof(d), e, typeof(e), f, typeof(f) FROM t ORDER BY id;

-- case: column-list
INSERT INTO t(b, a) VALUES('bee', 'ay');
INSERT INTO t(id) VALUES(50);
INSERT INTO t(c, c) VALUES(1, 2);
INSERT INTO t(nosuch) VALUES(1);
INSERT INTO t(a, b) VALUES(1);
INSERT INTO t(a) VALUES(1, 2);
INSERT INTO t VALUES(1, 2);
INSERT INTO t VALUES(1, 2, 3), (4, 5);
SELECT id, a, b FROM t ORDER BY id;

-- case: rowid-column-names
INSERT INTO t(rowid, a) VALUES(10, 'r');
INSERT INTO t(oid, a) VALUES(11, 'o');
INSERT INTO t(_rowid_, a) VALUES(12, 'u');
SELECT id, a FROM t ORDER BY id;
CREATE TABLE n(x);
INSERT INTO n(rowid, x) VALUES(5, 'five');
INSERT INTO n(x) VALUES('six');
SELECT rowid, x FROM n ORDER BY rowid;
INSERT INTO n(rowid, x) VALUES('abc', 1);
INSERT INTO n(rowid, x) VALUES(5.5, 1);
INSERT INTO n(rowid, x) VALUES('7', 1);
INSERT INTO n(rowid, x) VALUES(NULL, 1);
SELECT rowid, x FROM n ORDER BY rowid;

-- case: default-values
CREATE TABLE dv(id INTEGER PRIMARY KEY, x DEFAULT 'd', y);
INSERT INTO dv DEFAULT VALUES;
INSERT INTO dv DEFAULT VALUES;
SELECT * FROM dv;
SELECT changes(), last_insert_rowid();
CREATE TABLE nn(x NOT NULL);
INSERT INTO nn DEFAULT VALUES;

-- case: insert-select
CREATE TABLE s(x, y);
INSERT INTO s VALUES(1, 'a'), (2, 'b'), (3, 'c');
INSERT INTO t(a, b) SELECT x, y FROM s;
SELECT changes(), last_insert_rowid();
INSERT INTO t(a, b) SELECT x * 10, y || y FROM s WHERE x > 1 ORDER BY x DESC;
SELECT id, a, b FROM t ORDER BY id;
INSERT INTO t(a) SELECT x, y FROM s;
INSERT INTO t(a, b) SELECT count(*), max(y) FROM s;
SELECT id, a, b FROM t ORDER BY id DESC LIMIT 1;

-- case: insert-select-same-table
INSERT INTO t(a) VALUES(1), (2);
INSERT INTO t(a) SELECT a + 10 FROM t;
INSERT INTO t(a) SELECT a + 100 FROM t;
SELECT count(*), sum(a) FROM t;
SELECT changes();

-- case: insert-select-reads-the-target-indirectly
INSERT INTO t(a, b) VALUES(1, 'one'), (2, 'two');
CREATE INDEX ta ON t(a);
CREATE VIEW tv AS SELECT a, b FROM t;
CREATE TABLE s2(x);
INSERT INTO s2 VALUES(1), (5), (12);
INSERT INTO t(a, b) SELECT a + 10, b FROM tv;
WITH c AS (SELECT a FROM t) INSERT INTO t(a) SELECT a + 100 FROM c;
INSERT INTO t(a) SELECT x FROM s2 WHERE x NOT IN (SELECT a FROM t);
INSERT INTO t(a) SELECT max(a) + 1 FROM t;
INSERT INTO t(a) SELECT a + 1000 FROM t WHERE a > 10 ORDER BY a LIMIT 2;
INSERT INTO t(a) SELECT (SELECT count(*) FROM t) FROM s2;
SELECT id, a, b FROM t ORDER BY id;
SELECT changes(), total_changes(), last_insert_rowid();

-- case: insert-select-streams-other-tables
CREATE TABLE src(x INTEGER PRIMARY KEY, y TEXT UNIQUE);
INSERT INTO src VALUES(1, 'a'), (2, 'b'), (3, 'c'), (4, 'd');
CREATE TABLE dst(p INTEGER PRIMARY KEY, q TEXT UNIQUE, r);
INSERT INTO dst SELECT x, y, x * x FROM src WHERE x > 1 ORDER BY y DESC LIMIT 2;
INSERT INTO dst(q) SELECT y || y FROM src UNION ALL SELECT 'zz';
INSERT INTO dst SELECT x + 10, y, 0 FROM src;
SELECT changes();
INSERT OR IGNORE INTO dst SELECT x + 20, y, 0 FROM src;
SELECT changes();
INSERT OR REPLACE INTO dst SELECT x + 30, y, 1 FROM src WHERE x < 3;
SELECT * FROM dst ORDER BY p;
SELECT changes(), total_changes(), last_insert_rowid();

-- case: insert-select-with-triggers
CREATE TABLE log(n);
CREATE TABLE src(x);
INSERT INTO src VALUES(1), (2), (3);
CREATE TABLE dst(v);
CREATE TRIGGER dst_ai AFTER INSERT ON dst BEGIN INSERT INTO log SELECT count(*) FROM dst; END;
INSERT INTO dst SELECT x FROM src;
SELECT * FROM log;
SELECT * FROM dst;
-- The SELECT runs to its end before the first trigger adds to its table.
CREATE TRIGGER dst_grow AFTER INSERT ON dst WHEN new.v < 5 BEGIN INSERT INTO src VALUES(new.v + 10); END;
INSERT INTO dst SELECT x FROM src;
SELECT * FROM src ORDER BY rowid;
SELECT * FROM dst ORDER BY rowid;

-- case: insert-select-compound-and-cte
INSERT INTO t(a) SELECT 1 UNION SELECT 2 UNION SELECT 1;
INSERT INTO t(a) WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 5) SELECT n FROM c;
WITH w(v) AS (VALUES('x'), ('y')) INSERT INTO t(b) SELECT v FROM w;
SELECT a, b FROM t ORDER BY id;
SELECT changes(), total_changes();

-- case: insert-values-expressions
INSERT INTO t(a, b, c) VALUES(1 + 2, 'a' || 'b', (SELECT 42));
INSERT INTO t(a) VALUES((SELECT count(*) FROM t));
INSERT INTO t(a) VALUES(abs(-5)), (coalesce(NULL, 'z')), (CAST('7' AS INTEGER));
SELECT a, b, c FROM t ORDER BY id;

-- case: insert-errors
INSERT INTO nosuch VALUES(1);
INSERT INTO t VALUES(nosuch);
INSERT INTO t(a) VALUES(nosuch());
INSERT INTO t(a) VALUES(abs(1, 2));
INSERT INTO t(a) SELECT * FROM nosuch;
INSERT INTO sqlite_schema VALUES('table', 'x', 'x', 0, '');
INSERT INTO t(a) VALUES(1) ON CONFLICT DO NOTHING;
INSERT INTO t(a) VALUES(1, 2), (nosuch, 3);
INSERT INTO t(a, b) VALUES(1), (2);
INSERT INTO t(a) VALUES(true), ("a string"), (false);
INSERT INTO t(a) VALUES(t.a);
SELECT count(*) FROM t;

-- case: rowid-allocation
INSERT INTO t(a) VALUES('first');
INSERT INTO t(id, a) VALUES(100, 'hundred');
INSERT INTO t(a) VALUES('next');
INSERT INTO t(id, a) VALUES(-5, 'negative');
INSERT INTO t(a) VALUES('after negative');
DELETE FROM t WHERE id >= 100;
INSERT INTO t(a) VALUES('reuses');
SELECT id, a FROM t ORDER BY id;
SELECT last_insert_rowid();

-- case: rowid-allocation-at-max
INSERT INTO t(id, a) VALUES(9223372036854775807, 'max');
-- @random-rowid
INSERT INTO t(a) VALUES('random one');
INSERT INTO t(a) VALUES('random two');
SELECT count(*), count(DISTINCT id), min(id) > 0 FROM t;
SELECT typeof(id) FROM t WHERE a = 'random one';
SELECT last_insert_rowid() <> 9223372036854775807, last_insert_rowid() > 0;
SELECT a FROM t WHERE id = last_insert_rowid();

-- case: rowid-allocation-negative-only
CREATE TABLE n(x);
INSERT INTO n(rowid, x) VALUES(-10, 'a');
INSERT INTO n(x) VALUES('b');
SELECT rowid, x FROM n ORDER BY rowid;
DELETE FROM n;
INSERT INTO n(x) VALUES('c');
SELECT rowid, x FROM n;

-- case: autoincrement-at-max
CREATE TABLE ai(id INTEGER PRIMARY KEY AUTOINCREMENT, v);
INSERT INTO ai VALUES(9223372036854775807, 'max');
INSERT INTO ai(v) VALUES('full');
SELECT count(*) FROM ai;
SELECT * FROM sqlite_sequence;

-- case: last-insert-rowid-unchanged-by-failure
INSERT INTO t(id, a) VALUES(7, 'seven');
INSERT INTO t(id, a) VALUES(7, 'again');
SELECT last_insert_rowid(), changes();
INSERT INTO t(id, a) VALUES(8, 'eight'), (7, 'dup');
SELECT last_insert_rowid(), changes(), total_changes();
SELECT id FROM t ORDER BY id;

-- case: last-insert-rowid-without-rowid
CREATE TABLE w(k PRIMARY KEY, v) WITHOUT ROWID;
INSERT INTO t(id) VALUES(33);
INSERT INTO w VALUES('a', 1);
SELECT last_insert_rowid(), changes();

-- case: insert-into-view-and-select-star-mismatch
CREATE VIEW v AS SELECT * FROM t;
INSERT INTO v(a) VALUES(1);
CREATE TABLE two(x, y);
INSERT INTO two SELECT * FROM t;
INSERT INTO two SELECT 1, 2, 3;
INSERT INTO two SELECT 1, 2;
SELECT * FROM two;

-- case: parameters-unbound-are-null
INSERT INTO t(a, b) VALUES(?, :name);
SELECT a, b FROM t;

-- case: large-values
INSERT INTO t(a, b, f) VALUES(zeroblob(10000), printf('%.5000c', 'x'), randomblob(3000));
SELECT length(a), typeof(a), length(b), length(f), typeof(f) FROM t;
UPDATE t SET b = b || b;
SELECT length(b), substr(b, 9998, 5) FROM t;
"""#)
}
