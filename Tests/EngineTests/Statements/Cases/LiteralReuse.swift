// literal-reuse: statements repeated with other literal values, which swiftdb answers
// from one cached program (Engine/Connection/LiteralStatementCache.swift): the third
// and later statements of a shape run the program made for the second. Each case
// repeats a shape at least four times with values chosen to catch a program reused
// where the literal's value mattered: -1/0/1 against other integers, integral and
// fractional reals against an INTEGER PRIMARY KEY, numeric-looking text against
// INTEGER columns, the 64-bit extremes, quotes inside strings, ORDER BY and GROUP BY
// column numbers, LIMIT, IN lists, LIKE patterns and partial indexes.

extension CaseLibrary {
    static let literalReuse = CaseFile(name: "literal-reuse", text: #"""
-- prelude
CREATE TABLE t(a INTEGER PRIMARY KEY, b INTEGER, c TEXT, d REAL);
CREATE INDEX tb ON t(b);
CREATE INDEX tc ON t(c);
INSERT INTO t VALUES(1, 10, 'x', 1.5), (2, 20, 'y', 2.5), (3, -1, 'z', 0), (4, 0, '10', NULL), (5, 1, 'it''s', -2.25);

-- case: point-selects-on-the-rowid
SELECT b FROM t WHERE a=1;
SELECT b FROM t WHERE a=2;
SELECT b FROM t WHERE a=3;
SELECT b FROM t WHERE a=4;
SELECT b FROM t WHERE a=99;
SELECT b FROM t WHERE a=-5;
SELECT b FROM t WHERE a=2.0;
SELECT b FROM t WHERE a=2.5;
SELECT b FROM t WHERE a=3.0;
SELECT b FROM t WHERE a=4.5;
SELECT b FROM t WHERE a='2';
SELECT b FROM t WHERE a='3';
SELECT b FROM t WHERE a='4';
SELECT b FROM t WHERE a='x';
SELECT b FROM t WHERE a='y';
SELECT b FROM t WHERE a='z';
SELECT b FROM t WHERE a=9223372036854775807;
SELECT b FROM t WHERE a=-9223372036854775808;
SELECT b FROM t WHERE a=-9223372036854775807;

-- case: index-comparisons-and-ranges
SELECT a FROM t WHERE b>5 ORDER BY a;
SELECT a FROM t WHERE b>15 ORDER BY a;
SELECT a FROM t WHERE b>-2 ORDER BY a;
SELECT a FROM t WHERE b>0 ORDER BY a;
SELECT a FROM t WHERE b>1 ORDER BY a;
SELECT a FROM t WHERE b BETWEEN 0 AND 15;
SELECT a FROM t WHERE b BETWEEN -1 AND 1;
SELECT a FROM t WHERE b BETWEEN 5 AND 25;
SELECT a FROM t WHERE b BETWEEN 25 AND 5;
SELECT a FROM t WHERE b BETWEEN 10 AND 10;
SELECT a, c FROM t WHERE c='x';
SELECT a, c FROM t WHERE c='10';
SELECT a, c FROM t WHERE c='it''s';
SELECT a, c FROM t WHERE c='y';
SELECT a, c FROM t WHERE c=10;
SELECT a, c FROM t WHERE c=11;
SELECT a FROM t WHERE b='20';
SELECT a FROM t WHERE b='10';
SELECT a FROM t WHERE b='1';
SELECT a FROM t WHERE b='abc';
SELECT a FROM t WHERE d>1.0;
SELECT a FROM t WHERE d>2.0;
SELECT a FROM t WHERE d>-3.0;
SELECT a FROM t WHERE d>0.5;
SELECT a FROM t WHERE d>2.4;
SELECT count(*), sum(b) FROM t WHERE b>=0 AND b<=10;
SELECT count(*), sum(b) FROM t WHERE b>=1 AND b<=20;
SELECT count(*), sum(b) FROM t WHERE b>=-1 AND b<=0;
SELECT count(*), sum(b) FROM t WHERE b>=11 AND b<=100;
SELECT a, c FROM t WHERE c BETWEEN 'x' AND 'x' || '~';
SELECT a, c FROM t WHERE c BETWEEN 'y' AND 'y' || '~';
SELECT a, c FROM t WHERE c BETWEEN 'i' AND 'i' || '~';
SELECT a, c FROM t WHERE c BETWEEN 'it' AND 'it' || 'z' || 's';
SELECT a, c FROM t WHERE c BETWEEN '1' AND '1' || 0;
SELECT a, c FROM t WHERE c BETWEEN '1' AND '1' || 5;
SELECT a, c FROM t WHERE c BETWEEN '1' AND '1' || 9.5;
SELECT a FROM t WHERE b < 1 || 5;
SELECT a FROM t WHERE b < 2 || 5;
SELECT a FROM t WHERE b < 0 || 0;

-- case: literals-whose-values-steer-the-program
SELECT a, b FROM t ORDER BY 1 DESC LIMIT 2;
SELECT a, b FROM t ORDER BY 2 DESC LIMIT 2;
SELECT a, b FROM t ORDER BY 1 DESC LIMIT 3;
SELECT a, b FROM t ORDER BY 2 DESC LIMIT 0;
SELECT a, b FROM t ORDER BY 1 DESC LIMIT -1;
SELECT b % 2, count(*) FROM t GROUP BY 1 ORDER BY 1;
SELECT b % 3, count(*) FROM t GROUP BY 1 ORDER BY 1;
SELECT b % 2, count(*) FROM t GROUP BY 2 ORDER BY 1;
SELECT b % 4, count(*) FROM t GROUP BY 1 ORDER BY 1;
SELECT a FROM t WHERE c LIKE 'x%';
SELECT a FROM t WHERE c LIKE '%';
SELECT a FROM t WHERE c LIKE '1%';
SELECT a FROM t WHERE c LIKE '_';
SELECT a FROM t WHERE b IN (10, 20) ORDER BY a;
SELECT a FROM t WHERE b IN (0, 1) ORDER BY a;
SELECT a FROM t WHERE b IN (20, 20) ORDER BY a;
SELECT a FROM t WHERE b IN (-1, 30) ORDER BY a;
SELECT 1, a FROM t WHERE a=1;
SELECT 2, a FROM t WHERE a=2;
SELECT 'q', a FROM t WHERE a=3;
SELECT 4.5, a FROM t WHERE a=4;
SELECT a FROM t WHERE 1 AND a=1;
SELECT a FROM t WHERE 0 AND a=2;
SELECT a FROM t WHERE 1 AND a=3;
SELECT a FROM t WHERE 0 AND a=4;

-- case: partial-index-and-view-with-constants
CREATE INDEX tp ON t(b) WHERE b > 5;
CREATE VIEW v AS SELECT a, b + 7 AS e FROM t WHERE b < 15;
SELECT a FROM t WHERE b > 5 AND b < 30 ORDER BY a;
SELECT a FROM t WHERE b > 6 AND b < 30 ORDER BY a;
SELECT a FROM t WHERE b > 5 AND b < 15 ORDER BY a;
SELECT a FROM t WHERE b > -5 AND b < 15 ORDER BY a;
SELECT a, e FROM v WHERE e = 17;
SELECT a, e FROM v WHERE e = 7;
SELECT a, e FROM v WHERE e = 8;
SELECT a, e FROM v WHERE e = 27;
SELECT a, e FROM v WHERE a = 1;
SELECT a, e FROM v WHERE a = 2;
SELECT a, e FROM v WHERE a = 4;
SELECT a, e FROM v WHERE a = 7;

-- case: writes-with-literal-values
CREATE TABLE w(k INTEGER PRIMARY KEY, n INTEGER NOT NULL, s TEXT UNIQUE, r REAL, x BLOB);
INSERT INTO w VALUES(1, 5, 'one', 1.5, x'01');
INSERT INTO w VALUES(2, -6, 'two', 2, x'0203');
INSERT INTO w VALUES(3, 7, 'it''s', -3.25, x'');
INSERT INTO w VALUES(4, '8', '4', '4.5', x'FF');
INSERT INTO w VALUES(5, 9.0, 'five', 5, x'ABCD');
INSERT INTO w VALUES(6, 9223372036854775807, 'six', 1e300, x'00');
INSERT INTO w VALUES(7, -9223372036854775808, 'seven', -0.0, x'11');
INSERT INTO w VALUES(8, 1, 'one', 8, x'22');
INSERT INTO w VALUES(9, 0, 'nine', 9, x'33');
INSERT INTO w VALUES(2, 1, 'again', 2, x'44');
SELECT k, n, typeof(n), s, r, typeof(r), hex(x) FROM w ORDER BY k;
UPDATE w SET n = 50 WHERE k = 5;
UPDATE w SET n = -1 WHERE k = 1;
UPDATE w SET n = 0 WHERE k = 2;
UPDATE w SET n = 3.5 WHERE k = 3;
UPDATE w SET n = 'text' WHERE k = 4;
UPDATE w SET n = 77 WHERE k = 99;
UPDATE w SET s = 'five' WHERE k = 1;
UPDATE w SET s = 'uno' WHERE k = 1;
UPDATE w SET s = 'dos' WHERE k = 2;
SELECT changes();
SELECT k, n, typeof(n), s FROM w ORDER BY k;
DELETE FROM w WHERE k = 9;
DELETE FROM w WHERE k = 1;
DELETE FROM w WHERE k = 42;
DELETE FROM w WHERE k = 7;
SELECT changes(), total_changes();
DELETE FROM w WHERE n > 40;
DELETE FROM w WHERE n > 5;
DELETE FROM w WHERE n > -100;
SELECT k FROM w ORDER BY k;
REPLACE INTO w VALUES(10, 1, 'a', 1, x'01');
REPLACE INTO w VALUES(10, 2, 'b', 2, x'02');
REPLACE INTO w VALUES(11, 3, 'b', 3, x'03');
REPLACE INTO w VALUES(12, 4, 'c', 4, x'04');
SELECT k, n, s FROM w ORDER BY k;
PRAGMA integrity_check;

-- case: schema-changes-between-repeats
CREATE TABLE s(a INTEGER PRIMARY KEY, b);
INSERT INTO s VALUES(1, 'one');
INSERT INTO s VALUES(2, 'two');
INSERT INTO s VALUES(3, 'three');
SELECT b FROM s WHERE a=1;
SELECT b FROM s WHERE a=2;
SELECT b FROM s WHERE a=3;
ALTER TABLE s ADD COLUMN c DEFAULT 'added';
SELECT * FROM s WHERE a=1;
SELECT * FROM s WHERE a=2;
SELECT * FROM s WHERE a=3;
DROP TABLE s;
CREATE TABLE s(b TEXT, a INTEGER PRIMARY KEY);
INSERT INTO s VALUES('uno', 1);
INSERT INTO s VALUES('dos', 2);
SELECT * FROM s WHERE a=1;
SELECT * FROM s WHERE a=2;
SELECT * FROM s WHERE a=3;
INSERT INTO s VALUES('tres', 3);
SELECT * FROM s WHERE a=3;
"""#)
}
