// ddl-table: CREATE/DROP TABLE with every constraint kind (NOT NULL, UNIQUE,
// PRIMARY KEY, INTEGER PRIMARY KEY and AUTOINCREMENT, CHECK, DEFAULT, COLLATE),
// WITHOUT ROWID tables and CREATE TABLE AS, the errors of each, and what
// sqlite_schema then holds (the epilogue compares it after every case).

extension CaseLibrary {
    static let ddlTable = CaseFile(name: "ddl-table", text: #"""
-- case: strict-tables
CREATE TABLE s(a INTEGER NOT NULL, b REAL, c TEXT, d ANY, e BLOB, f INT UNIQUE) STRICT;
INSERT INTO s VALUES(1, 2, 'x', 4, x'05', 1);
INSERT INTO s VALUES('12', '2.5', 3, 'any', x'06', 2);
INSERT INTO s VALUES('x', 1, 'x', 1, x'00', 3);
INSERT INTO s VALUES(1, 'abc', 'x', 1, x'00', 4);
INSERT INTO s VALUES(1, 1, 'x', 1, 'text', 5);
INSERT INTO s VALUES(1.5, 1, 'x', 1, x'00', 6);
INSERT INTO s VALUES(NULL, x'01', 'x', 1, x'00', 7);
INSERT INTO s VALUES(2, x'01', 'x', 1, x'00', 1);
INSERT OR IGNORE INTO s VALUES('q', 1, 'x', 1, x'00', 8);
INSERT INTO s VALUES(3.0, NULL, NULL, NULL, NULL, NULL);
UPDATE s SET c = x'ff' WHERE a = 1;
UPDATE s SET b = 7 WHERE a = 1;
SELECT a, typeof(a), b, typeof(b), c, typeof(c), d, typeof(d), hex(e), f FROM s ORDER BY a;
CREATE TABLE w(k TEXT PRIMARY KEY, v INTEGER) STRICT, WITHOUT ROWID;
INSERT INTO w VALUES('a', 1), ('b', '2');
INSERT INTO w VALUES(5, 1);
INSERT INTO w VALUES('c', 'two');
SELECT k, v, typeof(v) FROM w;
CREATE TABLE z(a FOO) STRICT;
CREATE TABLE z2(a) STRICT;
CREATE TABLE z3(a int, b Text) STRICT;
INSERT INTO z3 VALUES(1, 2);
SELECT typeof(b) FROM z3;
CREATE TABLE a(x ANY, y INTEGER) STRICT;
INSERT INTO a VALUES('0123', '0123');
SELECT typeof(x), x, typeof(y), y FROM a;
CREATE TABLE n(x ANY);
INSERT INTO n VALUES('0123');
SELECT typeof(x), x FROM n;
PRAGMA integrity_check;

-- case: empty-database
SELECT * FROM sqlite_schema;
PRAGMA integrity_check;
PRAGMA page_count;
SELECT count(*) FROM sqlite_master;

-- case: plain
CREATE TABLE t(a, b, c);
INSERT INTO t VALUES(1, 'x', 2.5);
SELECT * FROM t;
SELECT type, name, tbl_name, sql FROM sqlite_schema;

-- case: types-kept-verbatim
CREATE TABLE t(a INTEGER, b VARCHAR(10), c DOUBLE PRECISION, d DECIMAL(10,5), e BLOB, f, g "weird type");
PRAGMA table_info(t);

-- case: already-exists
CREATE TABLE t(a);
CREATE TABLE t(b);
CREATE TABLE IF NOT EXISTS t(b);
CREATE TABLE T(c);
SELECT name FROM sqlite_schema;

-- case: reserved-names
CREATE TABLE sqlite_x(a);
CREATE TABLE sqlite_master(a);
CREATE TABLE sqlite_schema(a);
CREATE TABLE "sqlite_y"(a);
CREATE INDEX sqlite_i ON sqlite_schema(name);

-- case: duplicate-column
CREATE TABLE t(a, b, a);
CREATE TABLE t(a, A);
CREATE TABLE t(a);

-- case: drop
CREATE TABLE t(a);
DROP TABLE t;
DROP TABLE t;
DROP TABLE IF EXISTS t;
DROP TABLE IF EXISTS nosuch;
DROP TABLE nosuch;
DROP TABLE main.nosuch;
SELECT count(*) FROM sqlite_schema;

-- case: drop-with-indexes-and-triggers
CREATE TABLE t(a UNIQUE, b);
CREATE INDEX tb ON t(b);
CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END;
SELECT type, name FROM sqlite_schema ORDER BY name;
DROP TABLE t;
SELECT count(*) FROM sqlite_schema;

-- case: drop-sqlite-schema
DROP TABLE sqlite_schema;
DROP TABLE sqlite_master;

-- case: not-null
CREATE TABLE t(a NOT NULL, b INTEGER NOT NULL DEFAULT 5);
INSERT INTO t(a) VALUES(1);
INSERT INTO t(b) VALUES(2);
INSERT INTO t VALUES(NULL, 1);
INSERT INTO t VALUES(1, NULL);
UPDATE t SET a = NULL;
SELECT * FROM t;

-- case: not-null-on-conflict
CREATE TABLE t(a NOT NULL ON CONFLICT IGNORE, b);
INSERT INTO t VALUES(NULL, 1);
INSERT INTO t VALUES(2, 2);
SELECT * FROM t;
CREATE TABLE u(a NOT NULL ON CONFLICT REPLACE DEFAULT 'dflt', b);
INSERT INTO u VALUES(NULL, 1);
SELECT * FROM u;
CREATE TABLE w(a NOT NULL ON CONFLICT REPLACE, b);
INSERT INTO w VALUES(NULL, 1);

-- case: unique-column
CREATE TABLE t(a UNIQUE, b);
INSERT INTO t VALUES(1, 1), (2, 2);
INSERT INTO t VALUES(1, 3);
INSERT INTO t VALUES(NULL, 4), (NULL, 5);
SELECT * FROM t ORDER BY b;
SELECT type, name, tbl_name, sql FROM sqlite_schema;

-- case: unique-table-constraint
CREATE TABLE t(a, b, c, UNIQUE(a, b), CONSTRAINT named UNIQUE (c));
INSERT INTO t VALUES(1, 1, 1);
INSERT INTO t VALUES(1, 2, 2);
INSERT INTO t VALUES(1, 1, 3);
INSERT INTO t VALUES(9, 9, 1);
SELECT name FROM sqlite_schema ORDER BY name;
PRAGMA index_list(t);

-- case: primary-key-text
CREATE TABLE t(k TEXT PRIMARY KEY, v);
INSERT INTO t VALUES('a', 1);
INSERT INTO t VALUES('a', 2);
INSERT INTO t VALUES(NULL, 3);
INSERT INTO t VALUES(NULL, 4);
SELECT k, v FROM t ORDER BY v;
PRAGMA index_list(t);

-- case: primary-key-composite
CREATE TABLE t(a, b, c, PRIMARY KEY(a, b));
INSERT INTO t VALUES(1, 2, 3);
INSERT INTO t VALUES(1, 2, 4);
INSERT INTO t VALUES(1, 3, 4);
SELECT * FROM t ORDER BY a, b;
PRAGMA table_info(t);

-- case: two-primary-keys
CREATE TABLE t(a PRIMARY KEY, b PRIMARY KEY);
CREATE TABLE t(a PRIMARY KEY, b, PRIMARY KEY(b));
CREATE TABLE t(a INTEGER PRIMARY KEY, b);

-- case: integer-primary-key-alias
CREATE TABLE t(id INTEGER PRIMARY KEY, v);
INSERT INTO t(v) VALUES('a'), ('b');
INSERT INTO t VALUES(10, 'c');
INSERT INTO t(v) VALUES('d');
SELECT id, rowid, _rowid_, oid, v FROM t ORDER BY id;
INSERT INTO t VALUES(10, 'dup');
INSERT INTO t VALUES('abc', 'text key');
INSERT INTO t VALUES('20', 'numeric text key');
INSERT INTO t VALUES(30.0, 'integral real');
INSERT INTO t VALUES(30.5, 'fractional real');
SELECT id, typeof(id), v FROM t ORDER BY id;

-- case: integer-primary-key-desc-not-alias
CREATE TABLE t(id INTEGER PRIMARY KEY DESC, v);
INSERT INTO t(v) VALUES('a');
SELECT id, rowid FROM t;
CREATE TABLE u(id INT PRIMARY KEY, v);
INSERT INTO u(v) VALUES('a'), ('b');
SELECT id, rowid, v FROM u ORDER BY rowid;
CREATE TABLE w(id INTEGER, v, PRIMARY KEY(id));
INSERT INTO w(v) VALUES('a');
SELECT id, rowid FROM w;

-- case: autoincrement
CREATE TABLE t(id INTEGER PRIMARY KEY AUTOINCREMENT, v);
SELECT type, name, tbl_name, sql FROM sqlite_schema;
INSERT INTO t(v) VALUES('a'), ('b'), ('c');
SELECT * FROM sqlite_sequence;
DELETE FROM t WHERE id = 3;
INSERT INTO t(v) VALUES('d');
SELECT id, v FROM t ORDER BY id;
SELECT * FROM sqlite_sequence;
INSERT INTO t VALUES(100, 'e');
SELECT * FROM sqlite_sequence;
DELETE FROM t;
INSERT INTO t(v) VALUES('f');
SELECT id, v FROM t;

-- case: autoincrement-two-tables
CREATE TABLE a(id INTEGER PRIMARY KEY AUTOINCREMENT, v);
CREATE TABLE b(id INTEGER PRIMARY KEY AUTOINCREMENT, v);
INSERT INTO b(v) VALUES(1);
INSERT INTO a(v) VALUES(1), (2);
SELECT name, seq FROM sqlite_sequence ORDER BY name;
DROP TABLE a;
SELECT name, seq FROM sqlite_sequence ORDER BY name;
UPDATE sqlite_sequence SET seq = 50 WHERE name = 'b';
INSERT INTO b(v) VALUES(2);
SELECT id FROM b ORDER BY id;

-- case: autoincrement-errors
CREATE TABLE t(id INT PRIMARY KEY AUTOINCREMENT);
CREATE TABLE t(id INTEGER, v, PRIMARY KEY(id, v) AUTOINCREMENT);
CREATE TABLE t(id INTEGER PRIMARY KEY AUTOINCREMENT) WITHOUT ROWID;
CREATE TABLE t(v TEXT PRIMARY KEY AUTOINCREMENT);
SELECT count(*) FROM sqlite_schema;

-- case: check-column-and-table
CREATE TABLE t(a CHECK(a > 0), b, CHECK(b <> a), CONSTRAINT bpos CHECK(b >= 0));
INSERT INTO t VALUES(1, 2);
INSERT INTO t VALUES(0, 2);
INSERT INTO t VALUES(3, 3);
INSERT INTO t VALUES(4, -1);
INSERT INTO t VALUES(NULL, NULL);
UPDATE t SET a = -5 WHERE a = 1;
SELECT * FROM t ORDER BY a;

-- case: check-named-constraint-messages
CREATE TABLE t(a CONSTRAINT apos CHECK(a > 0), b CHECK(b < 10) CONSTRAINT blim);
INSERT INTO t VALUES(-1, 1);
INSERT INTO t VALUES(1, 11);
INSERT INTO t VALUES(1, 1);

-- case: check-errors
CREATE TABLE t(a CHECK(a > (SELECT 1)));
CREATE TABLE t(a CHECK(nosuchcol > 0));
CREATE TABLE t(a CHECK(a > ?));
CREATE TABLE t(a CHECK(random() IS NOT NULL));
INSERT INTO t VALUES(1);
CREATE TABLE t2(a, b, c CHECK(max(a) > 0));
CREATE TABLE t3(a CHECK(t3.a > 0), b CHECK(b > a));
CREATE TABLE t4(a CHECK(nosuch.a > 0));
CREATE TABLE t6(a CHECK(a IN (SELECT 1)));
CREATE TABLE t7(a CHECK(EXISTS(SELECT 1)));
CREATE TABLE t8(a CHECK(a > :x));
CREATE TABLE t9(a CHECK(date('now') > a));
CREATE TABLE t10(a, CHECK(a = abs(a)), CHECK(nosuchfunction(a)));

-- case: default-values
CREATE TABLE t(a DEFAULT 1, b DEFAULT 'txt', c DEFAULT 2.5, d DEFAULT NULL, e DEFAULT -3, f DEFAULT (1 + 2),
  g DEFAULT x'00ff', h DEFAULT TRUE, i);
INSERT INTO t DEFAULT VALUES;
SELECT a, typeof(a), b, c, d, e, f, typeof(f), g, h, typeof(h), i FROM t;
PRAGMA table_info(t);

-- case: default-expression-functions
CREATE TABLE t(a, b DEFAULT (upper('x') || 'y'), c DEFAULT (abs(-4)), d DEFAULT (length('four')));
INSERT INTO t(a) VALUES(1);
SELECT * FROM t;

-- case: default-current-time-shapes
CREATE TABLE t(a, ts DEFAULT CURRENT_TIMESTAMP, d DEFAULT CURRENT_DATE, tm DEFAULT CURRENT_TIME);
INSERT INTO t(a) VALUES(1);
SELECT typeof(ts), length(ts), substr(ts, 5, 1), substr(ts, 11, 1), typeof(d), length(d), length(tm) FROM t;
SELECT ts GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]' FROM t;

-- case: default-errors
CREATE TABLE t(a DEFAULT (SELECT 1));
CREATE TABLE t(a DEFAULT abc);
CREATE TABLE t(a DEFAULT (a + 1));
CREATE TABLE t(a DEFAULT (random()));
INSERT INTO t DEFAULT VALUES;
SELECT typeof(a) FROM t;

-- case: collate-column
CREATE TABLE t(a TEXT COLLATE NOCASE, b TEXT COLLATE RTRIM, c TEXT COLLATE BINARY);
INSERT INTO t VALUES('abc', 'abc  ', 'abc');
SELECT a = 'ABC', b = 'abc', c = 'ABC' FROM t;
SELECT count(*) FROM t WHERE a = 'ABC';
SELECT count(*) FROM t WHERE b = 'abc';
SELECT a = 'ABC' COLLATE BINARY FROM t;

-- case: collate-unknown
CREATE TABLE t(a COLLATE nosuch);
CREATE TABLE t(a);
SELECT a FROM t ORDER BY a COLLATE nosuch;
SELECT 'a' = 'A' COLLATE nosuch;

-- case: create-table-as-select
CREATE TABLE s(a INTEGER, b TEXT, c REAL, d BLOB, e NUMERIC, f);
INSERT INTO s VALUES(1, 'x', 1.5, x'01', 2, NULL);
CREATE TABLE t AS SELECT * FROM s;
CREATE TABLE u AS SELECT a + 1 AS x, b || 'y', count(*) AS n FROM s;
SELECT * FROM t;
SELECT * FROM u;
SELECT sql FROM sqlite_schema WHERE name IN ('t', 'u') ORDER BY name;
CREATE TABLE t AS SELECT 1;
CREATE TABLE IF NOT EXISTS t AS SELECT 1;
-- The column list is on one line while the quoted names are short (build.c's createTableStmt: under 50),
-- one column per line after; names other than ASCII words are quoted.
CREATE TABLE w1 AS SELECT a AS aaaaaaaaaa, b AS bbbbbbbbbb, e AS ccccc FROM s;
CREATE TABLE w2 AS SELECT a AS aaaaaaaaaa, b AS bbbbbbbbbb, e AS cccccc FROM s;
CREATE TABLE w3 AS SELECT 1 AS x, 2 AS "é", 3 AS "q""q", 4 AS "select", a + 1 FROM s;
SELECT name, sql FROM sqlite_schema WHERE name LIKE 'w_' ORDER BY name;

-- case: schema-qualified
CREATE TABLE main.t(a);
INSERT INTO main.t VALUES(1);
SELECT * FROM main.t;
CREATE TABLE nosuchdb.t(a);
SELECT sql FROM main.sqlite_master;

-- case: quoted-names
CREATE TABLE "my table"("my col" INT, [other col], `third`);
INSERT INTO "my table" VALUES(1, 2, 3);
SELECT "my col", [other col], third FROM "my table";
SELECT * FROM [my table];
PRAGMA table_info("my table");

-- case: generated-columns-unsupported-or-not
CREATE TABLE t(a, b AS (a * 2));
INSERT INTO t(a) VALUES(3);
SELECT * FROM t;

-- case: generated-columns
CREATE TABLE g(a INT, b AS (a * 2) VIRTUAL, c AS (b + 1) STORED, d TEXT, e AS (upper(d)));
CREATE INDEX g_c ON g(c, d);
CREATE INDEX g_b ON g(b);
CREATE INDEX g_e ON g(e) WHERE e > 'B';
INSERT INTO g VALUES(1, 'x');
INSERT INTO g(d, a) VALUES('y', 2), ('b', '3');
INSERT INTO g(a) SELECT a + 10 FROM g;
INSERT INTO g VALUES(1, 2, 3);
INSERT INTO g(b) VALUES(1);
INSERT INTO g(a, c) VALUES(1, 2);
SELECT * FROM g ORDER BY a;
SELECT typeof(b), typeof(c) FROM g ORDER BY a;
SELECT a, b FROM g WHERE b > 4 ORDER BY b;
SELECT c, d FROM g WHERE c = 5;
SELECT e FROM g WHERE e > 'B' ORDER BY e;
UPDATE g SET a = a + 100 WHERE d = 'y';
UPDATE g SET b = 1;
UPDATE g SET d = 'zz' WHERE a = 1;
SELECT * FROM g ORDER BY a;
SELECT a, c FROM g WHERE c > 200;
DELETE FROM g WHERE b = 24;
SELECT * FROM g ORDER BY a;
PRAGMA table_info(g);
PRAGMA table_xinfo(g);
PRAGMA index_xinfo(g_c);

-- case: generated-columns-errors
CREATE TABLE x(a AS (1));
CREATE TABLE x(a AS (1)) WITHOUT ROWID;
CREATE TABLE x(a, b AS (a) PRIMARY KEY);
CREATE TABLE x(a, b PRIMARY KEY AS (a));
CREATE TABLE x(a, b AS (a), PRIMARY KEY(b));
CREATE TABLE x(b AS (1), PRIMARY KEY(b)) WITHOUT ROWID;
CREATE TABLE x(a, b DEFAULT 1 AS (a));
CREATE TABLE x(a, b AS (a) DEFAULT 1);
CREATE TABLE x(a, b AS (a));
ALTER TABLE x ADD COLUMN c AS (a) STORED;
INSERT INTO x(a) VALUES(1);
ALTER TABLE x ADD COLUMN d AS (a) STORED;
ALTER TABLE x ADD COLUMN e AS (a) NOT NULL;
SELECT * FROM x;
PRAGMA table_xinfo(x);

-- case: virtual-table-without-module
CREATE TABLE t(a);
CREATE VIRTUAL TABLE zz USING nosuchmod(x);
INSERT INTO sqlite_schema VALUES('table', 'zz', 'zz', 0, 'CREATE VIRTUAL TABLE zz USING nosuchmod(x)');
PRAGMA writable_schema;
PRAGMA writable_schema = ON;
PRAGMA writable_schema;
INSERT INTO sqlite_schema VALUES('table', 'zz', 'zz', 0, 'CREATE VIRTUAL TABLE zz USING nosuchmod(x)');
SELECT * FROM zz;
PRAGMA writable_schema = RESET;
PRAGMA writable_schema;
SELECT * FROM zz;
INSERT INTO zz VALUES(1);
CREATE INDEX zi ON zz(x);
CREATE TRIGGER ztr AFTER INSERT ON zz BEGIN SELECT 1; END;
ALTER TABLE zz ADD COLUMN y;
ALTER TABLE zz RENAME TO zz2;
PRAGMA table_info(zz);
CREATE VIEW vz AS SELECT * FROM zz;
SELECT * FROM vz;
DROP TABLE zz;
INSERT INTO t VALUES(1);
SELECT name, rootpage FROM sqlite_schema;
UPDATE sqlite_schema SET sql = 'CREATE VIRTUAL TABLE zz USING othermod(x)' WHERE name = 'zz';
PRAGMA writable_schema = RESET;
SELECT * FROM zz;
PRAGMA writable_schema = 1;
DELETE FROM sqlite_schema WHERE name = 'zz';
PRAGMA writable_schema = 0;
SELECT name FROM sqlite_schema;

-- case: generated-columns-without-rowid-and-constraints
CREATE TABLE gw(k TEXT PRIMARY KEY, v AS (k || '!') VIRTUAL, w INT, s AS (w * 10) STORED) WITHOUT ROWID;
CREATE INDEX gw_v ON gw(v);
INSERT INTO gw VALUES('b', 2), ('a', 1);
INSERT OR REPLACE INTO gw VALUES('a', 5);
UPDATE gw SET w = w + 1;
SELECT * FROM gw;
SELECT v FROM gw WHERE v = 'a!';
CREATE TABLE gu(a, b AS (a % 3) UNIQUE);
INSERT INTO gu VALUES(1), (2);
INSERT INTO gu VALUES(4);
INSERT OR REPLACE INTO gu VALUES(4);
SELECT * FROM gu ORDER BY a;
CREATE TABLE gn(a, b AS (a) NOT NULL, c AS (a + 1) CHECK (c > 0));
INSERT INTO gn VALUES(NULL);
INSERT INTO gn VALUES(-5);
INSERT INTO gn VALUES(5);
UPDATE gn SET a = -7;
SELECT * FROM gn;
CREATE TABLE gl(a, b AS (c), c AS (b));
INSERT INTO gl VALUES(1);

-- case: without-rowid
CREATE TABLE t(k PRIMARY KEY, v) WITHOUT ROWID;
INSERT INTO t VALUES('b', 2), ('a', 1), ('c', 3);
SELECT * FROM t;
SELECT * FROM t ORDER BY k DESC;
INSERT INTO t VALUES('a', 9);
INSERT OR REPLACE INTO t VALUES('a', 9);
SELECT * FROM t WHERE k = 'a';
SELECT rowid FROM t;
UPDATE t SET k = 'z' WHERE k = 'b';
DELETE FROM t WHERE k = 'c';
SELECT * FROM t;
PRAGMA index_list(t);

-- case: without-rowid-errors
CREATE TABLE t(a, b) WITHOUT ROWID;
CREATE TABLE t(a PRIMARY KEY) WITHOUT ROWIDS;
CREATE TABLE t(a PRIMARY KEY NOT NULL, b) WITHOUT ROWID;
INSERT INTO t VALUES(NULL, 1);

-- case: without-rowid-composite
CREATE TABLE t(a, b, c, PRIMARY KEY(b, a)) WITHOUT ROWID;
INSERT INTO t VALUES(1, 2, 'x'), (2, 1, 'y'), (1, 1, 'z');
SELECT * FROM t;
INSERT INTO t VALUES(1, 2, 'dup');
CREATE INDEX tc ON t(c);
SELECT a, b FROM t WHERE c = 'y';
PRAGMA index_info(tc);

-- case: no-columns-and-empty
CREATE TABLE t();
CREATE TABLE t(a,);

-- case: too-many-temp
CREATE TEMP TABLE t(a);
INSERT INTO t VALUES(1);
SELECT * FROM temp.t;
SELECT type, name FROM temp.sqlite_master;

-- case: drop-table-data-gone
CREATE TABLE t(a);
INSERT INTO t VALUES(1), (2);
DROP TABLE t;
CREATE TABLE t(b);
SELECT * FROM t;
PRAGMA table_info(t);
"""#)
}
