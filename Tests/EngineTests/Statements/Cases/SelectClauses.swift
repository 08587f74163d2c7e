// select-clauses: CTEs incl. RECURSIVE, compound selects with ORDER BY and
// LIMIT, DISTINCT, GROUP BY/HAVING, ORDER BY (COLLATE, DESC, NULLS FIRST/LAST,
// ordinals, aliases), LIMIT/OFFSET, aggregates over empty inputs, bare columns.

extension CaseLibrary {
    static let selectClauses = CaseFile(name: "select-clauses", text: #"""
-- prelude
CREATE TABLE t(id INTEGER PRIMARY KEY, g TEXT, v, w REAL);
INSERT INTO t VALUES(1, 'a', 3, 1.5), (2, 'B', 1, NULL), (3, 'a', NULL, 2.5), (4, 'b', 2, 0.5), (5, 'A', 3, 3.5),
  (6, NULL, 5, NULL);
CREATE TABLE e(x);

-- case: cte
WITH c AS (SELECT id, v FROM t WHERE v > 1) SELECT * FROM c ORDER BY id;
WITH c(a, b) AS (SELECT id, v FROM t) SELECT a FROM c WHERE b = 3 ORDER BY a;
WITH c1 AS (SELECT 1 AS x), c2 AS (SELECT x + 1 AS y FROM c1) SELECT * FROM c1, c2;
WITH c AS (SELECT 1) SELECT * FROM c AS p, c AS q;
WITH c(a) AS (SELECT 1, 2) SELECT * FROM c;
WITH c AS (SELECT 1), c AS (SELECT 2) SELECT * FROM c;
WITH c AS MATERIALIZED (SELECT 5 AS z) SELECT z FROM c;
WITH c AS NOT MATERIALIZED (SELECT 6 AS z) SELECT z FROM c;

-- case: cte-recursive
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 10) SELECT n FROM c;
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c LIMIT 5) SELECT sum(n) FROM c;
WITH RECURSIVE f(n, x) AS (SELECT 1, 1 UNION ALL SELECT n + 1, x * (n + 1) FROM f WHERE n < 20)
  SELECT n, x FROM f ORDER BY n DESC LIMIT 3;
WITH RECURSIVE fib(a, b) AS (SELECT 0, 1 UNION ALL SELECT b, a + b FROM fib WHERE b < 100) SELECT a FROM fib;
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 3)
  SELECT a.n, b.n FROM c a, c b ORDER BY 1, 2;

-- case: cte-recursive-materialization
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5 LIMIT 3 OFFSET 2) SELECT * FROM c;
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5 LIMIT 3 OFFSET 2) SELECT * FROM c, t
  WHERE t.id = c.x;
WITH RECURSIVE c(x) AS (SELECT 1 UNION SELECT x % 3 + 1 FROM c) SELECT * FROM c, c AS d ORDER BY 1, 2;
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM (SELECT 1) AS o LEFT JOIN c ON 0
  WHERE x < 5 OR x IS NULL LIMIT 10) SELECT * FROM c;
WITH RECURSIVE c(r) AS (SELECT random() UNION ALL SELECT random() FROM c LIMIT 1)
  SELECT count(DISTINCT (SELECT r FROM c WHERE t.id = t.id)) FROM t;
WITH RECURSIVE c(r) AS (SELECT random() UNION ALL SELECT random() FROM c LIMIT 1)
  SELECT count(DISTINCT (SELECT r FROM t AS u, c WHERE t.id = u.id)) FROM t;
WITH RECURSIVE c(r) AS (SELECT random() UNION ALL SELECT random() FROM c LIMIT 1)
  SELECT count(DISTINCT (SELECT r FROM c LEFT JOIN t AS u ON t.id = u.id)) FROM t;
WITH RECURSIVE c(r) AS (SELECT random() UNION ALL SELECT random() FROM c LIMIT 1)
  SELECT count(DISTINCT (SELECT r FROM c WHERE t.id = t.id)), count(DISTINCT (SELECT r FROM c WHERE t.id > 0)) FROM t;
WITH RECURSIVE d(z, lp) AS (SELECT '1', 1 UNION ALL SELECT CAST(lp + 1 AS TEXT), lp + 1 FROM d WHERE lp < 9)
  SELECT id, z FROM t, d AS z WHERE NOT EXISTS (SELECT 1 FROM d AS lp WHERE z.z = lp.z AND lp.lp > t.id)
  ORDER BY 1, 2;
WITH c(r) AS (SELECT random()) SELECT count(DISTINCT (SELECT r FROM c WHERE t.id = t.id)) FROM t;
WITH c(r) AS (SELECT random() UNION SELECT 5) SELECT count(DISTINCT (SELECT max(r) FROM t AS u, c WHERE t.id = u.id))
  FROM t;
WITH c(r) AS (SELECT random() UNION SELECT 5)
  SELECT count(DISTINCT (SELECT max(r) FROM c WHERE t.id = t.id)), count(DISTINCT (SELECT max(r) FROM c)) FROM t;
WITH d(z, lp) AS (VALUES('1', 1), ('2', 2), ('3', 3))
  SELECT id, z FROM t, d AS z WHERE NOT EXISTS (SELECT 1 FROM d AS lp WHERE z.z = lp.z AND lp.lp > t.id)
  ORDER BY 1, 2;
CREATE TABLE cnt(n);
CREATE TRIGGER cnt_tr AFTER INSERT ON e BEGIN
  INSERT INTO cnt WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < (SELECT count(*) FROM e))
    SELECT count(*) FROM e, k;
END;
INSERT INTO e VALUES(1), (2), (3);
SELECT * FROM cnt;

-- case: cte-recursive-union-terminates
WITH RECURSIVE c(n) AS (SELECT 1 UNION SELECT n % 3 + 1 FROM c) SELECT n FROM c ORDER BY n;
WITH RECURSIVE c(n) AS (SELECT 1 UNION SELECT 1 FROM c) SELECT count(*) FROM c;

-- case: cte-recursive-tree
CREATE TABLE tree(id, parent, name);
INSERT INTO tree VALUES(1, NULL, 'root'), (2, 1, 'x'), (3, 1, 'y'), (4, 2, 'x1'), (5, 4, 'x11');
WITH RECURSIVE sub(id, depth) AS (SELECT 1, 0
  UNION ALL SELECT tree.id, depth + 1 FROM tree JOIN sub ON tree.parent = sub.id)
  SELECT id, depth FROM sub ORDER BY id;
WITH RECURSIVE anc(id) AS (SELECT 5 UNION SELECT parent FROM tree JOIN anc USING (id) WHERE parent IS NOT NULL)
  SELECT id FROM anc ORDER BY id;
WITH RECURSIVE p(id, path) AS (SELECT id, name FROM tree WHERE parent IS NULL
  UNION ALL SELECT tree.id, path || '/' || tree.name FROM tree JOIN p ON tree.parent = p.id ORDER BY 2)
  SELECT path FROM p;

-- case: cte-recursive-order-by
CREATE TABLE tree(id, parent, name);
INSERT INTO tree VALUES(1, NULL, 'root'), (2, 1, 'x'), (3, 1, 'y'), (4, 2, 'x1'), (5, 4, 'x11'), (6, 3, 'a');
WITH RECURSIVE p(id, path) AS (SELECT id, name FROM tree WHERE parent IS NULL
  UNION ALL SELECT tree.id, path || '/' || tree.name FROM tree JOIN p ON tree.parent = p.id ORDER BY 2 DESC)
  SELECT path FROM p;
WITH RECURSIVE p(id, depth) AS (SELECT 1, 0
  UNION ALL SELECT tree.id, depth + 1 FROM tree JOIN p ON tree.parent = p.id ORDER BY depth DESC)
  SELECT id, depth FROM p;
WITH RECURSIVE c(x) AS (SELECT 5 UNION SELECT x - 1 FROM c WHERE x > 0 ORDER BY 1 LIMIT 4) SELECT x FROM c;
WITH RECURSIVE c(x) AS (VALUES(1) UNION ALL SELECT x + 1 FROM c WHERE x < 5 ORDER BY x COLLATE NOCASE DESC) SELECT * FROM c;
WITH RECURSIVE c(x, y) AS (SELECT 1 AS x, 'b' AS y UNION ALL SELECT x + 1, 'a' FROM c WHERE x < 4 ORDER BY y, x DESC)
  SELECT * FROM c;
WITH RECURSIVE c(x) AS (SELECT 1 AS v UNION ALL SELECT x + 1 FROM c WHERE x < 3 ORDER BY v) SELECT * FROM c;
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3 ORDER BY nosuch) SELECT * FROM c;
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3 ORDER BY 3) SELECT * FROM c;
WITH RECURSIVE sub(id, depth) AS (SELECT 1, 0 UNION ALL SELECT tree.id, depth + 1 FROM tree JOIN sub ON tree.parent = sub.id
  ORDER BY 2 LIMIT 3 OFFSET 1) SELECT * FROM sub;
WITH RECURSIVE c(x, s) AS (SELECT 1, 'a' UNION ALL SELECT x + 1, s || 'a' FROM c WHERE x < 5 ORDER BY 2 DESC, 1)
  SELECT count(*), max(s) FROM c;
SELECT 1 UNION SELECT 2 ORDER BY 3;

-- case: cte-recursive-errors
WITH RECURSIVE c(n) AS (SELECT n FROM c) SELECT * FROM c;
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n FROM c, c) SELECT * FROM c;

-- case: cte-recursive-aggregate
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT count(*) FROM c) SELECT * FROM c;

-- case: cte-recursive-reference-rules
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT count(*) FROM c) SELECT * FROM c;
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n FROM c GROUP BY n) SELECT * FROM c LIMIT 3;
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT max(n) FROM c GROUP BY n) SELECT * FROM c LIMIT 3;
WITH RECURSIVE c(n) AS (SELECT count(*) FROM (SELECT 1) UNION ALL SELECT n+1 FROM c LIMIT 3) SELECT * FROM c;
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT (SELECT count(*) FROM c) FROM c) SELECT * FROM c LIMIT 3;
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c WHERE n < (SELECT max(n) FROM c)) SELECT * FROM c LIMIT 3;
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT 2 WHERE EXISTS (SELECT 1 FROM c)) SELECT * FROM c LIMIT 3;
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM (SELECT n FROM c) LIMIT 3) SELECT * FROM c;
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c LIMIT 5) SELECT * FROM c;
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c, c AS d LIMIT 5) SELECT * FROM c;
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c HAVING n < 3) SELECT * FROM c;
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT DISTINCT n+1 FROM c LIMIT 4) SELECT * FROM c;
WITH RECURSIVE c(n) AS (SELECT n FROM c) SELECT * FROM c;
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n FROM c, c) SELECT * FROM c;
WITH c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c LIMIT 3) SELECT * FROM c;
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c WHERE n<3 UNION ALL SELECT n+10 FROM c WHERE n < 3) SELECT * FROM c;
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c WHERE n < 3), d(m) AS (SELECT n FROM c UNION ALL SELECT m+100 FROM d WHERE m < 200) SELECT * FROM d;
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c JOIN (SELECT 1) WHERE n < 3) SELECT * FROM c;
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c WHERE n IN c) SELECT * FROM c LIMIT 3;
WITH RECURSIVE c(n) AS (SELECT 1 UNION SELECT x FROM (SELECT 1 AS x) , c) SELECT * FROM c;

-- case: cte-recursive-streams
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c) SELECT n FROM c LIMIT 3;
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c) SELECT n FROM c WHERE n > 2 LIMIT 3;
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c) SELECT n FROM c WHERE n % 7 = 0 LIMIT 2 OFFSET 1;
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c LIMIT 10) SELECT n, n*n FROM c ORDER BY n DESC LIMIT 4;
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c LIMIT 10) SELECT sum(n) FROM c;
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c LIMIT 5) SELECT (SELECT count(*) FROM c WHERE n < 3), n FROM c;
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c LIMIT 5) SELECT * FROM (SELECT n FROM c) JOIN c USING (n);
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c) SELECT (SELECT n FROM c WHERE n > 4 LIMIT 1);

-- case: compound
SELECT v FROM t UNION SELECT x FROM e;
SELECT v FROM t UNION ALL SELECT v FROM t ORDER BY 1;
SELECT v FROM t INTERSECT SELECT v FROM t WHERE id > 3 ORDER BY 1;
SELECT v FROM t EXCEPT SELECT v FROM t WHERE id > 3 ORDER BY 1;
SELECT g FROM t UNION SELECT 'z' ORDER BY 1 DESC;
SELECT id, g FROM t UNION ALL SELECT 10, 'x' ORDER BY 2, 1 LIMIT 3;
SELECT id FROM t UNION SELECT id + 3 FROM t ORDER BY id LIMIT 4 OFFSET 2;
SELECT 1 UNION SELECT 2 UNION ALL SELECT 1 ORDER BY 1;
SELECT 1, 2 UNION SELECT 3;
SELECT 1 UNION SELECT 2 ORDER BY 2;
SELECT id FROM t UNION SELECT id FROM t ORDER BY nosuch;
SELECT id AS k FROM t UNION SELECT 100 ORDER BY k DESC LIMIT 2;
SELECT g COLLATE NOCASE FROM t UNION SELECT 'A' ORDER BY 1;
SELECT g FROM t INTERSECT SELECT 'a' COLLATE NOCASE;
VALUES(1, 'x'), (2, 'y') UNION ALL SELECT 3, 'z' ORDER BY 1 DESC;

-- case: compound-column-names
SELECT id AS first, g FROM t UNION SELECT 1, 2 ORDER BY first LIMIT 1;
SELECT 1 AS a UNION ALL SELECT 2 AS b;

-- case: distinct
SELECT DISTINCT v FROM t ORDER BY v;
SELECT DISTINCT g FROM t ORDER BY g;
SELECT DISTINCT g COLLATE NOCASE FROM t ORDER BY 1;
SELECT DISTINCT v, w IS NULL FROM t ORDER BY 1, 2;
SELECT count(DISTINCT v), count(DISTINCT g), sum(DISTINCT v), group_concat(DISTINCT v) FROM t;
SELECT DISTINCT 1 FROM t;
SELECT ALL v FROM t ORDER BY id;

-- case: group-by-having
SELECT g, count(*), sum(v), avg(w) FROM t GROUP BY g ORDER BY g;
SELECT g COLLATE NOCASE AS gg, count(*) FROM t GROUP BY gg ORDER BY gg;
SELECT v, count(*) FROM t GROUP BY v HAVING count(*) > 1;
SELECT g, max(v) FROM t GROUP BY 1 HAVING max(v) >= 3 ORDER BY 1;
SELECT count(*) FROM t GROUP BY v % 2 ORDER BY 1;
SELECT g FROM t GROUP BY g HAVING v > 2 ORDER BY g;
SELECT sum(v) FROM t HAVING sum(v) > 100;
SELECT sum(v) FROM t HAVING sum(v) > 1;
SELECT g, count(*) FROM t GROUP BY 3;
SELECT g, count(*) FROM t GROUP BY count(*);
SELECT v FROM t WHERE sum(v) > 1;
SELECT count(*) FROM t GROUP BY g HAVING nosuch;
SELECT v FROM t GROUP BY v HAVING 1 ORDER BY v;
-- A GROUP BY column that aggregates or bare columns read too is one field of the grouping sorter's records.
SELECT v, max(v), min(v + 1), count(*), group_concat(id) FROM t GROUP BY v ORDER BY v;
SELECT g, v, max(w), sum(v) FROM t GROUP BY v, g ORDER BY 1, 2;
SELECT id, max(v), count(g) FROM t GROUP BY id HAVING max(v) > 1;
SELECT rowid, w, min(w) FROM t GROUP BY rowid, w;
SELECT t.g, count(t2.id), max(t2.g), g FROM t JOIN t AS t2 ON t2.v = t.v GROUP BY t.g ORDER BY 1;
SELECT g, count(*), max(g) FROM t GROUP BY g COLLATE NOCASE ORDER BY 1;

-- case: order-by
SELECT id, g FROM t ORDER BY g, id;
SELECT id, g FROM t ORDER BY g COLLATE NOCASE, id;
SELECT id, g FROM t ORDER BY g DESC, id DESC;
SELECT id, v FROM t ORDER BY v NULLS LAST, id;
SELECT id, v FROM t ORDER BY v DESC NULLS FIRST, id;
SELECT id, v FROM t ORDER BY v ASC NULLS FIRST, id;
SELECT id, v FROM t ORDER BY v DESC NULLS LAST, id;
SELECT id, v AS vv FROM t ORDER BY vv, 1;
SELECT id, v FROM t ORDER BY 2 DESC, 1;
SELECT id FROM t ORDER BY 3;
SELECT id FROM t ORDER BY 0;
SELECT id FROM t ORDER BY -1;
SELECT id, w FROM t ORDER BY w * 2, id;
SELECT id FROM t ORDER BY nosuch;
SELECT id FROM t ORDER BY v IS NULL, v, id;
SELECT g, id FROM t ORDER BY g COLLATE RTRIM, id;
SELECT id FROM t ORDER BY 'constant', id;

-- case: multi-index-or-on-a-without-rowid-table
-- Rows an earlier disjunct found are remembered by their PRIMARY KEY; with a one-column key the loop read a
-- rowid the table does not have, and every row after the first disjunct's was dropped.
CREATE TABLE wo(k TEXT PRIMARY KEY, v, w) WITHOUT ROWID;
CREATE INDEX wov ON wo(v, w);
INSERT INTO wo VALUES ('a', 1, 2), ('c', 5, 1), ('d', NULL, 3), ('f', 5, 0);
SELECT * FROM wo WHERE v IS 5 OR k > 'b';
UPDATE wo SET w = 'x' WHERE v IS 5 OR k > 'b';
SELECT changes();
SELECT * FROM wo;
DELETE FROM wo WHERE v IS 1 OR k >= 'd';
SELECT * FROM wo;

-- case: nulls-placement-over-an-index-and-a-compound
-- An index on a delivers NULLs first; NULLS LAST (and DESC NULLS FIRST) must still sort (the index order was
-- taken as satisfying it), also with LIMIT and in a compound's ORDER BY (NULLS was ignored there).
CREATE TABLE nl(a, b);
CREATE INDEX nla ON nl(a);
INSERT INTO nl VALUES(1,1),(NULL,2),(3,3),(NULL,4),(2,5);
SELECT a FROM nl ORDER BY a NULLS LAST;
SELECT a FROM nl ORDER BY a DESC NULLS FIRST;
SELECT b FROM nl ORDER BY a NULLS LAST, b DESC;
SELECT a FROM nl WHERE a > 1 ORDER BY a NULLS LAST;
SELECT a, b FROM nl ORDER BY a DESC NULLS FIRST, b;
SELECT a FROM nl ORDER BY a NULLS LAST LIMIT 3;
SELECT a FROM nl ORDER BY a DESC NULLS FIRST LIMIT 2 OFFSET 1;
SELECT a FROM nl UNION SELECT NULL ORDER BY 1 NULLS LAST;
SELECT a FROM nl UNION ALL SELECT 7 ORDER BY 1 DESC NULLS FIRST;
SELECT a, count(*) FROM nl GROUP BY a ORDER BY a NULLS LAST;
SELECT b FROM nl ORDER BY a NULLS LAST, b NULLS FIRST;

-- case: order-by-mixed-types
CREATE TABLE m(x);
INSERT INTO m VALUES(3), ('3'), (2.5), (x'01'), (NULL), ('abc'), (-1), ('ABC'), (x''), (''), (1e100);
SELECT x, typeof(x) FROM m ORDER BY x;
SELECT x FROM m ORDER BY x DESC;
SELECT x FROM m ORDER BY x COLLATE NOCASE, typeof(x);

-- case: order-by-sort-keys
CREATE TABLE k(id INTEGER PRIMARY KEY, a, b);
INSERT INTO k(a, b) VALUES(9223372036854775807, 'name-1000001'), (-9223372036854775808, 'name-1000000'), (0, 'name-10'),
  (1, 'name-1'), (-1, 'name-1'||char(0)), (127, ''), (-129, 'x'), (32768, 'name-100000000000000000000000000000000000000000000000000000000000'),
  (0, 'name-100000000000000000000000000000000000000000000000000000000001'), (1, 'name-10'), (-1, 'name-2'), (1, 'abcdefgh'),
  (0, 'abcdefg'), (1, 'abcdefghi'), (-1, 'abcdefgh'||char(0));
SELECT id, a FROM k ORDER BY a;
SELECT id, a FROM k ORDER BY a DESC;
SELECT id, b FROM k ORDER BY b;
SELECT id, b FROM k ORDER BY b DESC;
SELECT id FROM k ORDER BY a, b DESC;
SELECT id FROM k ORDER BY b, a;
SELECT a, count(*), group_concat(id) FROM k GROUP BY a;
SELECT b, count(*) FROM k GROUP BY b ORDER BY count(*) DESC, b;
SELECT id FROM k ORDER BY CASE WHEN id % 3 = 0 THEN a WHEN id % 3 = 1 THEN b ELSE a + 0.5 END, id;
SELECT id FROM k ORDER BY b COLLATE NOCASE DESC, id;
-- REAL first sort fields: negative, zero of both signs, tiny, huge, ties decided by the next field.
CREATE TABLE rk(id INTEGER PRIMARY KEY, r REAL, s);
INSERT INTO rk(r, s) VALUES(0.5, 'a'), (-0.5, 'b'), (0.0, 'c'), (-0.0, 'd'), (1e300, 'e'), (-1e300, 'f'), (4.9e-324, 'g'),
  (-4.9e-324, 'h'), (0.5, 'i'), (2.5, 'j'), (-2.5, 'k'), (0.0, 'l'), (123456.789, 'm'), (-0.0, 'n');
SELECT id, r FROM rk ORDER BY r;
SELECT id, r FROM rk ORDER BY r DESC;
SELECT id FROM rk ORDER BY r, s DESC;
SELECT id FROM rk ORDER BY r DESC, s;
SELECT r, count(*), group_concat(s) FROM rk GROUP BY r;
SELECT r * 2, min(id) FROM rk GROUP BY r * 2 ORDER BY 1 DESC;
-- A result column that is a sort key is stored once, as the key, and read back from there.
SELECT b, id FROM k ORDER BY b DESC;
SELECT k.b AS x, a, b FROM k ORDER BY x, 2 DESC;
SELECT a, b FROM k ORDER BY 2 DESC NULLS FIRST, 1 LIMIT 5;
SELECT b, a, b FROM k ORDER BY b COLLATE NOCASE, a NULLS LAST, b;
SELECT DISTINCT b FROM k ORDER BY b DESC;
SELECT b, count(*) AS c FROM k GROUP BY b ORDER BY c, b DESC;
SELECT id, a FROM k ORDER BY k.id DESC, a;

-- case: limit-offset
SELECT id FROM t ORDER BY id LIMIT 2;
SELECT id FROM t ORDER BY id LIMIT 2 OFFSET 3;
SELECT id FROM t ORDER BY id LIMIT 3, 2;
SELECT id FROM t ORDER BY id LIMIT -1 OFFSET 4;
SELECT id FROM t ORDER BY id LIMIT 0;
SELECT id FROM t ORDER BY id LIMIT 2 OFFSET -1;
SELECT id FROM t ORDER BY id LIMIT '2';
SELECT id FROM t ORDER BY id LIMIT 2.0;
SELECT id FROM t LIMIT 'x';
SELECT id FROM t LIMIT 1.5;
SELECT id FROM t LIMIT NULL;
SELECT id FROM t ORDER BY id LIMIT 1 + 1;
SELECT id FROM t ORDER BY id DESC LIMIT 100 OFFSET 5;

-- case: aggregates-over-empty
SELECT count(*), count(x), sum(x), total(x), avg(x), min(x), max(x), group_concat(x) FROM e;
SELECT count(*) FROM e GROUP BY x;
SELECT x, count(*) FROM e;
SELECT max(x), x FROM e;
SELECT sum(v) FROM t WHERE 0;
SELECT 1 FROM e HAVING count(*) = 0;
SELECT (SELECT sum(x) FROM e), (SELECT count(*) FROM e);

-- case: bare-columns-with-min-max
SELECT id, max(v) FROM t;
SELECT id, min(v) FROM t;
SELECT g, id, max(w) FROM t;
SELECT g, min(id), v FROM t GROUP BY g ORDER BY g;
SELECT g, max(v), id FROM t GROUP BY g ORDER BY g;
SELECT id, max(v), min(v) FROM t;

-- case: bare-columns-in-groups
SELECT g, id FROM t WHERE g IS NOT NULL GROUP BY g ORDER BY g;
SELECT v, count(*) FROM t GROUP BY v ORDER BY v;

-- case: select-without-from-and-values
SELECT 1, 'two', 3.0, NULL, x'04';
SELECT 1 AS a, 2 AS a;
VALUES(1, 2), (3, 4);
VALUES(1), (2, 3);
SELECT * FROM (VALUES(1, 'a'), (2, 'b')) ORDER BY 1 DESC;
SELECT column1, column2 FROM (VALUES(9, 8));
SELECT *;
SELECT 1 WHERE 0;
SELECT 1 WHERE NULL;
SELECT 1 WHERE '1';
SELECT 1 WHERE 'x';
SELECT 1 WHERE 0.5;
SELECT 1 WHERE x'01';

-- case: column-names
SELECT id, t.g, v AS vee, v + 1, "v", (v), -v, upper(g), g || 'x', count(*) FROM t;
SELECT t.* FROM t WHERE id = 1;
SELECT 1 + 1, 'a' AS b, 3;
SELECT * FROM t AS x WHERE x.id = 2;
SELECT x.id FROM t AS x WHERE x.id = 2;
SELECT id AS "quoted name", g AS [bracket] FROM t WHERE id = 1;
SELECT rowid, oid, _rowid_ FROM t WHERE id = 1;
SELECT rowid FROM e;
SELECT   v  +  1   FROM t WHERE id = 1;
SELECT max( v ), count( * ) FROM t;

-- case: where-clause-shapes
SELECT id FROM t WHERE v BETWEEN 2 AND 3 ORDER BY id;
SELECT id FROM t WHERE v NOT BETWEEN 2 AND 3 ORDER BY id;
SELECT id FROM t WHERE g LIKE 'a' ORDER BY id;
SELECT id FROM t WHERE g GLOB 'a' ORDER BY id;
SELECT id FROM t WHERE v IS NULL OR w IS NULL ORDER BY id;
SELECT id FROM t WHERE v IS NOT NULL AND w > 1 ORDER BY id;
SELECT id FROM t WHERE id = 3 OR id = 5 OR g = 'B' ORDER BY id;
SELECT id FROM t WHERE NOT (v > 2) ORDER BY id;
SELECT id FROM t WHERE v ISNULL;
SELECT id FROM t WHERE v NOTNULL ORDER BY id;
SELECT id FROM t WHERE v IS 3 ORDER BY id;
SELECT id FROM t WHERE v IS NOT 3 ORDER BY id;
SELECT id FROM t WHERE CASE WHEN v > 2 THEN 1 ELSE 0 END ORDER BY id;
SELECT id FROM t WHERE id > 2 AND id < 5 AND id <> 3;
SELECT id FROM t WHERE rowid IN (2, 4) ORDER BY id;
"""#)
}
