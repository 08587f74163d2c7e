// semantics: column and expression affinity, comparisons across storage
// classes, collations, three-valued logic, integer overflow, division by zero,
// real-to-text, CAST, LIKE/GLOB, the double-quoted-string fallback, typeof.

extension CaseLibrary {
    static let semantics = CaseFile(name: "semantics", text: #"""
-- prelude
CREATE TABLE t(i INTEGER, r REAL, x TEXT, n NUMERIC, b BLOB, a);
INSERT INTO t VALUES(1, 1.0, '1', 1, 1, 1);

-- case: column-affinity-comparison
SELECT i = '1', r = '1', x = 1, n = '1', b = '1', a = '1' FROM t;
SELECT i < '2', x < 2, x > 0, a < '2', a < 2 FROM t;
SELECT i = '1.0', r = '1.0', x = 1.0, n = '1e0' FROM t;
SELECT count(*) FROM t WHERE x = 1;
SELECT count(*) FROM t WHERE i = '1';
SELECT count(*) FROM t WHERE a = '1';

-- case: expression-affinity
SELECT 1 = '1', '1' = 1, CAST(1 AS TEXT) = 1, 1 = CAST('1' AS INTEGER);
SELECT (i + 0) = '1', (x || '') = 1, +x = 1, +i = '1' FROM t;
SELECT i IN ('1', 2), x IN (1, 2), a IN ('1') FROM t;
SELECT i BETWEEN '0' AND '2', x BETWEEN 0 AND 2 FROM t;
SELECT CASE i WHEN '1' THEN 'yes' ELSE 'no' END, CASE x WHEN 1 THEN 'yes' ELSE 'no' END FROM t;

-- case: cross-class-ordering
SELECT NULL < 1, 1 < 1.5, 1.5 < 'a', 'a' < x'00', x'00' < x'01', 'A' < 'a', 2 < '1';
SELECT 9223372036854775807 < 9223372036854775808.0, 9223372036854775807 = 9223372036854775807.0;
SELECT -9223372036854775808 = -9223372036854775808.0, 1 = 1.0, 0 = -0.0, 1e308 * 10 > 9223372036854775807;
SELECT max(1, 'a', x'00', 2.5), min(1, 'a', x'00', 2.5, NULL), max('a', 'B'), min('a', 'B');

-- case: collations
SELECT 'abc' = 'ABC', 'abc' = 'ABC' COLLATE NOCASE, 'abc' COLLATE NOCASE = 'ABC';
SELECT 'abc' = 'abc  ' COLLATE RTRIM, 'abc' = ' abc' COLLATE RTRIM, 'abc  ' = 'abc' COLLATE BINARY;
SELECT 'a' < 'B' COLLATE NOCASE, 'ä' = 'Ä' COLLATE NOCASE, 'z' COLLATE NOCASE < 'Y';
SELECT x COLLATE NOCASE = 'x' COLLATE BINARY FROM t;
SELECT 'abc' COLLATE NOCASE IN ('ABC'), 'abc' IN ('ABC' COLLATE NOCASE);
SELECT 'abc' BETWEEN 'ABA' AND 'ABD' COLLATE NOCASE;
SELECT 'a' COLLATE nosuch;
SELECT 'a' COLLATE nosuch = 'b', 1;
SELECT x COLLATE nosuch, x COLLATE nosuch || 'a', typeof(x COLLATE nosuch) FROM t;
SELECT DISTINCT x COLLATE nosuch FROM t;
SELECT x FROM t ORDER BY x COLLATE nosuch;
SELECT 1 UNION SELECT 2 ORDER BY 1 COLLATE nosuch;
SELECT count(*) FROM (SELECT x COLLATE nosuch AS z FROM t) WHERE z > 'A';
SELECT max(x COLLATE nosuch) FROM t;

-- case: column-collation-wins
CREATE TABLE c(n TEXT COLLATE NOCASE, r TEXT COLLATE RTRIM, b TEXT);
INSERT INTO c VALUES('Abc', 'abc ', 'Abc');
SELECT n = 'abc', 'abc' = n, n = b, b = n, r = 'abc', 'abc' = r FROM c;
SELECT n = b COLLATE BINARY, b COLLATE RTRIM = r, n COLLATE BINARY = 'abc' FROM c;
SELECT count(*) FROM c WHERE n IN ('ABC');
SELECT max(n), min(b) FROM c;

-- case: three-valued-logic
SELECT NULL AND 0, NULL AND 1, NULL OR 0, NULL OR 1, NOT NULL, NULL = NULL, NULL <> NULL;
SELECT NULL IS NULL, NULL IS NOT NULL, 1 IS NULL, NULL IS 1, 1 IS NOT 1, NULL IS NOT NULL;
SELECT 1 IN (NULL), 1 IN (1, NULL), 1 NOT IN (2, NULL), NULL BETWEEN 1 AND 2;
SELECT CASE NULL WHEN NULL THEN 'eq' ELSE 'ne' END, CASE WHEN NULL THEN 1 ELSE 2 END;
SELECT coalesce(NULL, NULL, 3), ifnull(NULL, 4), nullif(1, 1), nullif(1, 2), iif(NULL, 'y', 'n');
SELECT 0 AND 'x', 1 OR 'x', 'x' AND 1, '1x' OR 0, 0.0 OR NULL, -1 AND 1;

-- case: integer-overflow
SELECT 9223372036854775807 + 1, -9223372036854775808 - 1, 9223372036854775807 * 2;
SELECT typeof(9223372036854775807 + 1), 4611686018427387904 * 2, -4611686018427387904 * 2;
SELECT 9223372036854775808, -9223372036854775808, typeof(-9223372036854775808), typeof(9223372036854775808);
SELECT -(-9223372036854775808), abs(-9223372036854775807), 9223372036854775807 - -1;
SELECT abs(-9223372036854775808);
SELECT -9223372036854775808 / -1, -9223372036854775808 % -1, 5 % 0, 5.5 % 2, -7 % 3, 7 % -3;

-- case: sum-overflow
CREATE TABLE o(v);
INSERT INTO o VALUES(9223372036854775807), (1);
SELECT sum(v) FROM o;
SELECT total(v), avg(v) FROM o;
INSERT INTO o VALUES(-2);
SELECT sum(v) FROM o;
CREATE TABLE o2(v);
INSERT INTO o2 VALUES(9223372036854775807), (1.0);
SELECT sum(v), typeof(sum(v)) FROM o2;

-- case: division
SELECT 1 / 0, 1.0 / 0, 1 % 0, 0 / 0, 7 / 2, -7 / 2, 7.0 / 2, 1 / 0.0, 5 / '2', '9' / '3';
SELECT 2 / 3 * 3, 2.0 / 3 * 3, 10 / 3.0;
SELECT typeof(6 / 3), typeof(6 / 3.0), typeof('6' / '3'), typeof('6.0' / 3);

-- case: real-to-text
SELECT 0.1 + 0.2, 1.0, 1e100, 1.5e-7, 123456789012345678.0, 100.0, -0.0, 3.14159265358979;
SELECT CAST(0.1 + 0.2 AS TEXT), CAST(1e15 AS TEXT), CAST(1e16 AS TEXT), CAST(1.0 / 3 AS TEXT);
SELECT 1e15 || '', 12345678901234567890 || '', 2.5 || 'x', -1.25e-5 || '';
SELECT typeof(1e400), 1e400, -1e400, CAST(1e400 AS TEXT);
SELECT quote(0.1), quote(1.0), quote(-0.0), quote(1e300), printf('%.20f', 0.1);

-- case: cast
SELECT CAST('12abc' AS INTEGER), CAST('abc' AS INTEGER), CAST('  12  ' AS INTEGER), CAST('1e3' AS INTEGER);
SELECT CAST(' 1.5 ' AS REAL), CAST('x' AS REAL), CAST('-0' AS REAL), CAST('1e500' AS REAL);
SELECT CAST(12.9 AS INTEGER), CAST(-12.9 AS INTEGER), CAST(1e20 AS INTEGER), CAST(-1e20 AS INTEGER);
SELECT CAST('9223372036854775808' AS INTEGER), CAST('-9223372036854775809' AS INTEGER);
SELECT CAST(x'3132' AS INTEGER), CAST(x'3132' AS TEXT), CAST('abc' AS BLOB), typeof(CAST(1 AS BLOB));
SELECT CAST(NULL AS INTEGER), CAST(1 AS NUMERIC), CAST('1.0' AS NUMERIC), CAST('1.5' AS NUMERIC), CAST('x' AS NUMERIC);
SELECT CAST('12' AS VARCHAR), typeof(CAST(12 AS VARCHAR)), CAST(3.0 AS TEXT), CAST(1 AS whatever);
SELECT CAST('0x10' AS INTEGER), CAST('1e2' AS NUMERIC), typeof(CAST('1e2' AS NUMERIC)), CAST('.5' AS NUMERIC);
SELECT CAST('9223372036854775807.0' AS NUMERIC), CAST('1.0e0' AS NUMERIC), CAST(' 7 ' AS NUMERIC);

-- case: like-glob
SELECT 'abc' LIKE 'ABC', 'abc' LIKE 'a%', 'abc' LIKE '_b_', 'abc' LIKE 'a', 'a%c' LIKE 'a\%c' ESCAPE '\';
SELECT 'ÄBC' LIKE 'äbc', 'abc' GLOB 'a*', 'abc' GLOB 'A*', 'abc' GLOB '?b?', 'abc' GLOB '[a-c]bc';
SELECT 'abc' GLOB '[^a]bc', 'a]c' GLOB 'a[]]c', NULL LIKE 'a', 'a' LIKE NULL, 123 LIKE '1%', 1.5 GLOB '1.*';
SELECT 'abc' NOT LIKE 'a%', 'abc' NOT GLOB 'b*', 'ab' LIKE 'a' || '%', x'6162' LIKE 'ab';
SELECT 'abc' LIKE 'a%' ESCAPE 'xx';
SELECT like('a%', 'abc'), glob('a*', 'abc'), like('a!%', 'a%', '!');
PRAGMA case_sensitive_like = ON;
SELECT 'abc' LIKE 'ABC', 'abc' LIKE 'abc';

-- case: double-quoted-string-fallback
SELECT "hello";
SELECT "i" FROM t;
SELECT "nosuchcolumn" FROM t;
SELECT * FROM t WHERE x = "1";
CREATE TABLE q(a DEFAULT "dq");
INSERT INTO q DEFAULT VALUES;
SELECT a FROM q;
CREATE INDEX qi ON q("a");
SELECT "a" || "b" FROM q;

-- case: typeof
SELECT typeof(NULL), typeof(1), typeof(1.0), typeof('1'), typeof(x'01'), typeof(1 + 1.0), typeof('1' + 1);
SELECT typeof(i), typeof(r), typeof(x), typeof(n), typeof(b), typeof(a) FROM t;
SELECT typeof(CURRENT_TIMESTAMP), typeof(zeroblob(1)), typeof(randomblob(1)), typeof(random());
SELECT typeof(TRUE), TRUE, FALSE, typeof(1 = 1), typeof(NULL = 1);

-- case: numeric-affinity-storage
CREATE TABLE na(n NUMERIC, i INTEGER, r REAL);
INSERT INTO na VALUES('3.0', '3.0', '3'), ('3.5', '3.5', '3.5'), ('1e2', '1e2', '1e2'), ('x', 'x', 'x'),
  ('9223372036854775807', '9223372036854775807', '9223372036854775807'),
  ('9223372036854775808', '9223372036854775808', '1'),
  (' 4 ', ' 4 ', ' 4 '), ('0x1F', '0x1F', '0x1F'), (x'31', x'31', x'31'), ('-0.0', '-0.0', '-0.0');
SELECT n, typeof(n), i, typeof(i), r, typeof(r) FROM na ORDER BY rowid;

-- case: declared-type-affinity-rules
CREATE TABLE dt(a INT, b TINYINT, c CHARACTER(20), d CLOB, e FLOATING POINT, f DOUBLE, g BLOBBY, h POINT, i STRING,
  j BOOLEAN, k DATE, l NUMERIC(5, 2), m INTERVAL);
INSERT INTO dt VALUES('1', '1', 1, 1, '1', '1', '1', '1', '1', '1', '1', '1.0', '1');
SELECT typeof(a), typeof(b), typeof(c), typeof(d), typeof(e), typeof(f), typeof(g), typeof(h), typeof(i),
  typeof(j), typeof(k), typeof(l), typeof(m) FROM dt;

-- case: arithmetic-on-text-and-blob
SELECT '3' + '4', '3.5' * 2, 'abc' + 1, x'31' + 1, '1e2' + 0, ' 5 ' + 0, '5x' + 0, '' + 0, '-' + 0;
SELECT - '3', - 'x', - x'31', + 'abc', ~5, ~'5', 5 & 3, 5 | 3, 1 << 62, 1 << 63, 1 << 64, -1 >> 1, 1 << -1;
SELECT 'a' || 1 || 2.5 || NULL, 'a' || x'62', typeof(x'61' || x'62');
"""#)
}
