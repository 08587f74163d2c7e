// select-subquery: correlated and uncorrelated subqueries — scalar, IN,
// EXISTS, FROM — `x IN table`, row values, and the errors of each (too many
// columns, scalar subquery returning several rows takes the first).

extension CaseLibrary {
    static let selectSubquery = CaseFile(name: "select-subquery", text: #"""
-- prelude
CREATE TABLE t(id INTEGER PRIMARY KEY, g, v);
CREATE TABLE s(w);
INSERT INTO t VALUES(1, 'a', 10), (2, 'a', 20), (3, 'b', 30), (4, 'b', NULL), (5, 'c', 50);
INSERT INTO s VALUES(10), (30), (NULL), (99);

-- case: scalar
SELECT (SELECT max(v) FROM t);
SELECT id, (SELECT count(*) FROM s WHERE w < t.v) FROM t ORDER BY id;
SELECT (SELECT v FROM t ORDER BY v DESC);
SELECT (SELECT v FROM t WHERE id > 100);
SELECT (SELECT 1, 2);
SELECT id FROM t WHERE v = (SELECT min(w) FROM s);
SELECT (SELECT g FROM t AS u WHERE u.id = t.id + 1) FROM t ORDER BY id;

-- case: in-subquery
SELECT id FROM t WHERE v IN (SELECT w FROM s) ORDER BY id;
SELECT id FROM t WHERE v NOT IN (SELECT w FROM s) ORDER BY id;
SELECT id FROM t WHERE v NOT IN (SELECT w FROM s WHERE w IS NOT NULL) ORDER BY id;
SELECT v IN (SELECT w FROM s) FROM t ORDER BY id;
SELECT 5 IN (SELECT w FROM s WHERE 0), NULL IN (SELECT w FROM s WHERE 0), NULL NOT IN (SELECT 1 WHERE 0);
SELECT id FROM t WHERE v IN (SELECT w, w FROM s);

-- case: correlated-in-subquery-driving-a-lookup
-- The IN subquery reads the outer loop's row, and its values seek s2's primary key: the list is filled
-- again for every outer row (it used to be filled once).
CREATE TABLE s2(k PRIMARY KEY, note) WITHOUT ROWID;
INSERT INTO s2 VALUES (10, 'ten'), (20, 'twenty'), (30, 'thirty'), (50, 'fifty');
SELECT t.id, s2.k FROM t, s2 WHERE s2.k IN (SELECT u.v FROM t AS u WHERE u.id <> t.id) ORDER BY 1, 2;
SELECT t.g, count(*) FROM t, s2 WHERE s2.k IN (SELECT u.v FROM t AS u WHERE u.g = t.g) GROUP BY t.g;

-- case: in-subquery-driving-an-inner-lookup
-- The IN list seeks the inner loop's index for every outer row: it is filled once and kept (opening it again
-- at each outer row emptied it, so only the first outer row found anything).
CREATE TABLE g4(a, b, c);
INSERT INTO g4 VALUES (1, 2, 3), (1, 5, 6), (2, 8, 9), (NULL, 1, 1);
CREATE TABLE h2(a, b, c);
CREATE INDEX h2a ON h2(a);
INSERT INTO h2 VALUES (NULL,1.5,1.5),(NULL,NULL,4),(1.5,NULL,NULL),(0,1.5,'x'),('y',NULL,NULL),(4,1,1),(2,3,1.5);
SELECT v.a, v.n, h2.a FROM (SELECT a, count(*) AS n FROM g4 GROUP BY a) AS v, h2
  WHERE h2.a IN (SELECT c FROM h2 AS u WHERE u.a <> u.c) ORDER BY 1, 3;
SELECT DISTINCT v.n, v.a FROM (SELECT a, count(*) AS n FROM g4 GROUP BY a) AS v, h2
  WHERE h2.a IN (SELECT c FROM h2 AS u WHERE u.a <> u.c) ORDER BY 1, 2;

-- case: in-list-and-table
SELECT id FROM t WHERE v IN (10, 30, NULL) ORDER BY id;
SELECT id FROM t WHERE v NOT IN (10, 30) ORDER BY id;
SELECT v NOT IN (10, NULL) FROM t ORDER BY id;
SELECT id FROM t WHERE v IN s ORDER BY id;
SELECT id FROM t WHERE v NOT IN s;
SELECT 1 IN (), 1 NOT IN (), NULL IN ();
SELECT id FROM t WHERE v IN nosuch;
SELECT id FROM t WHERE g IN ('a', 'c') ORDER BY id;
SELECT '10' IN (SELECT w FROM s), 10.0 IN (SELECT w FROM s), '10' IN (10, 20);

-- case: exists
SELECT id FROM t WHERE EXISTS (SELECT 1 FROM s WHERE w = t.v) ORDER BY id;
SELECT id FROM t WHERE NOT EXISTS (SELECT 1 FROM s WHERE w = t.v) ORDER BY id;
SELECT EXISTS (SELECT * FROM s), EXISTS (SELECT * FROM s WHERE 0);
SELECT EXISTS (SELECT 1, 2, 3 FROM s);

-- case: from-subquery
SELECT * FROM (SELECT g, sum(v) AS total FROM t GROUP BY g) ORDER BY g;
SELECT q.g, q.total FROM (SELECT g, sum(v) AS total FROM t GROUP BY g) AS q WHERE q.total > 25 ORDER BY q.g;
SELECT count(*) FROM (SELECT DISTINCT g FROM t);
SELECT * FROM (SELECT id FROM t ORDER BY id DESC LIMIT 2) ORDER BY id;
SELECT * FROM (SELECT 1 AS x UNION ALL SELECT 2) AS u JOIN (SELECT 2 AS x) AS w USING (x);
SELECT x FROM (SELECT id AS x FROM t) WHERE x > 3 ORDER BY x;
SELECT * FROM (SELECT * FROM (SELECT id, v FROM t WHERE v > 10) WHERE v < 50) ORDER BY id;

-- case: correlated-in-select-where-having
SELECT g, (SELECT count(*) FROM t AS u WHERE u.g = t.g) AS n FROM t GROUP BY g ORDER BY g;
SELECT g FROM t GROUP BY g HAVING sum(v) > (SELECT avg(w) FROM s) ORDER BY g;
SELECT id FROM t AS o WHERE v > (SELECT avg(v) FROM t AS i WHERE i.g = o.g) ORDER BY id;
SELECT id FROM t WHERE (SELECT count(*) FROM s WHERE s.w <= t.v) = 2;

-- case: row-values
SELECT (1, 2) = (1, 2), (1, 2) < (1, 3), (1, NULL) = (1, 2), (1, 2) IN (SELECT 1, 2);
SELECT id FROM t WHERE (g, v) = ('a', 20);
SELECT id FROM t WHERE (g, v) IN (SELECT 'b', 30 UNION SELECT 'c', 50) ORDER BY id;
SELECT (1, 2) = (1, 2, 3);
SELECT (1, 2);
SELECT id FROM t WHERE (g, v) > ('a', 10) ORDER BY id;
CREATE TABLE s2(w, x TEXT);
INSERT INTO s2 VALUES(10, 'a'), (30, 'b'), (NULL, 'b'), (99, NULL), ('20', 'a');
SELECT id, (g, v) IN (SELECT x, w FROM s2) FROM t;
SELECT id, (g, v) NOT IN (SELECT x, w FROM s2) FROM t;
SELECT id, (g, v) IN (SELECT x, w FROM s2 WHERE w IS NOT NULL AND x IS NOT NULL) FROM t;
SELECT id FROM t WHERE (g, v) IN (SELECT 'b', 30 UNION SELECT 'c', 50) ORDER BY id;
SELECT (1, 2) IN (SELECT 1, 2), (1, NULL) IN (SELECT 1, 2), (1, 3) IN (SELECT 1, 2), (1, 3) IN (SELECT 1, NULL), (2, 3) IN (SELECT 1, NULL);
SELECT (1, 2) IN (SELECT 1, 2 WHERE 0), (NULL, NULL) IN (SELECT 1, 2 WHERE 0), (NULL, 1) NOT IN (SELECT 1, 2 WHERE 0);
SELECT (1, 2) IN ((1, 2), (3, 4)), (1, 5) IN ((1, 2), (3, 4)), (1, NULL) IN ((1, 2), (3, 4)), (3, NULL) NOT IN ((1, 2), (3, 4));
SELECT id, (g, v) IN (('a', 10), ('b', '30')) FROM t;
SELECT (1, 2) IN (SELECT 1);
SELECT (1, 2) IN (1, 2);
SELECT id, (v, g) IN (SELECT w, x FROM s2 WHERE s2.x = t.g) FROM t;
SELECT (1, 'a') IN (SELECT 1, 'A');
SELECT (1, 'a' COLLATE NOCASE) IN (SELECT 1, 'A');
SELECT id FROM t WHERE (g, v) NOT IN (SELECT x, w FROM s2) ORDER BY id;
-- A probe holding a NULL is compared without the comparison affinities ('1' then differs from 1), and the
-- row-by-row comparison uses the left side's collations (sqlite3ExprCodeIN).
CREATE TABLE p3(a, b INT, c TEXT);
CREATE TABLE q3(x, y TEXT, z INT);
INSERT INTO p3 VALUES (1.0,'1','a'),('1',2,'1'),(1,NULL,3),(1.0,1.0,'1');
INSERT INTO q3 VALUES ('a',1.0,2),(NULL,2,3),(2,3,'a'),(1,1,'1'),(1.0,1,2.5),(2,1.0,'a');
SELECT rowid, (c, NULL) NOT IN (SELECT z, NULL FROM q3) FROM p3;
SELECT rowid, (c, b) IN (SELECT z, x FROM q3) FROM p3;
SELECT rowid, (upper(c), a+0) NOT IN (SELECT z, '1' FROM q3 WHERE q3.z = p3.b) FROM p3;
SELECT rowid, (b, a+0) IN (SELECT y, y FROM q3 WHERE x IS NOT NULL) FROM p3;
SELECT ('a', 1) IN (SELECT 'A' COLLATE NOCASE, 1), ('a', NULL) IN (SELECT 'A' COLLATE NOCASE, 1);

-- case: subquery-errors
SELECT (SELECT nosuch FROM t);
SELECT id FROM t WHERE v IN (SELECT nosuch FROM s);
SELECT * FROM (SELECT * FROM nosuch);
SELECT (SELECT * FROM t);
SELECT * FROM t WHERE EXISTS (SELECT nosuch FROM s);

-- case: subquery-in-order-by-and-limit
SELECT id FROM t ORDER BY (SELECT count(*) FROM s WHERE w > t.v), id;
SELECT id FROM t ORDER BY id LIMIT (SELECT count(*) FROM s WHERE w IS NOT NULL);
SELECT id FROM t ORDER BY id LIMIT 1 OFFSET (SELECT 2);

-- case: subquery-with-aggregate-outer-ref
SELECT g, (SELECT max(w) FROM s WHERE w < max(t.v)) FROM t GROUP BY g ORDER BY g;
SELECT (SELECT count(*) FROM t) + (SELECT count(*) FROM s);
SELECT sum((SELECT 1)) FROM t;

-- case: flattened-view-where-needs-its-columns
CREATE INDEX tg ON t(g);
CREATE VIEW low AS SELECT id, g FROM t WHERE NOT (v >= 30);
SELECT id, g FROM low ORDER BY id;
SELECT g FROM low;
SELECT count(*) FROM (SELECT g FROM t WHERE v > 10);
CREATE INDEX tv ON t(v);
CREATE VIEW either AS SELECT id, g FROM t WHERE (g = 'c' OR v > 25 OR v < 15);
SELECT id, g FROM either;
SELECT e.id FROM either AS e, s WHERE s.w = 30 AND e.id > 1;

-- case: in-loop-over-desc-index-column
CREATE TABLE d(pk INTEGER PRIMARY KEY, c0 INTEGER, c3 INTEGER);
CREATE INDEX d0 ON d(c0 DESC);
INSERT INTO d VALUES(1, 5, 5), (2, 3, 3), (3, 9, 9), (4, 7, 1), (5, 1, 7);
SELECT pk, c0 FROM d WHERE c0 IN (SELECT c3 FROM d WHERE c3 < 8) ORDER BY 2 DESC;
SELECT pk, c0 FROM d WHERE c0 IN (SELECT c3 FROM d WHERE c3 < 8) ORDER BY 2;
SELECT pk, c0 FROM d WHERE c0 IN (1, 5, 7) ORDER BY 2 DESC;
SELECT pk, c0 FROM d WHERE c0 IN (1, 5, 7) ORDER BY 2;

-- case: from-subquery-reads-enclosing-query
-- A subquery in FROM sees the columns of the queries around the one it belongs to (not its sibling
-- FROM items); the scalar, EXISTS or IN subquery holding it then runs per outer row.
CREATE TABLE u(x, y);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20) INSERT INTO u SELECT i % 4, i FROM n;
SELECT id, (SELECT sum(y) FROM (SELECT y FROM u WHERE u.x = t.id % 4)) FROM t ORDER BY id;
SELECT id, (SELECT count(*) FROM (SELECT * FROM u WHERE u.x = t.id % 4 AND u.y > t.v / 5)) FROM t ORDER BY id;
SELECT id FROM t WHERE EXISTS (SELECT 1 FROM (SELECT y FROM u WHERE y = t.id * 3) WHERE y > 3) ORDER BY id;
SELECT id, (SELECT max(z) FROM (SELECT y + t.id AS z FROM u)) FROM t ORDER BY id;
SELECT id, (SELECT group_concat(y) FROM (SELECT y FROM u WHERE x = t.id % 4 ORDER BY y DESC LIMIT 3)) FROM t ORDER BY id;
SELECT id, (SELECT q FROM (SELECT t.g AS q)) FROM t ORDER BY id;
SELECT id, (SELECT q FROM (SELECT y AS q FROM u WHERE x = t.id % 4) AS s2 WHERE q > t.id LIMIT 1) FROM t ORDER BY id;
SELECT id, (SELECT count(*) FROM (SELECT DISTINCT x FROM u WHERE y < t.id * 2)) FROM t ORDER BY id;
SELECT id, (SELECT sum(n) FROM (SELECT count(*) AS n FROM u WHERE x = t.id % 4 GROUP BY y % 2)) FROM t ORDER BY id;
SELECT id, (SELECT k FROM (SELECT y AS k FROM u UNION ALL SELECT t.v) ORDER BY k DESC LIMIT 1) FROM t ORDER BY id;
SELECT id, id IN (SELECT y FROM (SELECT y FROM u WHERE x = t.id % 4)) FROM t ORDER BY id;
SELECT * FROM (SELECT id FROM t WHERE id = t.v);
SELECT id, y FROM t, (SELECT y FROM u WHERE u.x = t.id);

-- case: aggregate-of-enclosing-query-columns
-- An aggregate whose arguments name only an enclosing query's columns belongs to that query (resolve.c):
-- it makes that query an aggregate (one row without GROUP BY) and is computed per group there; count(*) and
-- an aggregate naming the subquery's own columns stay the subquery's.
SELECT (SELECT sum(t.v) FROM s) FROM t;
SELECT g, (SELECT count(*) + sum(t.v) FROM s WHERE w < 50) FROM t GROUP BY g;
SELECT (SELECT sum(v) FROM s) FROM t;
SELECT (SELECT sum(w) FROM s) FROM t ORDER BY id;
SELECT (SELECT sum(t.v + s.w) FROM s) FROM t ORDER BY id;
SELECT * FROM t WHERE (SELECT sum(t.v) FROM s) > 5;
SELECT id, (SELECT max(t.v)) FROM t;
SELECT (SELECT (SELECT sum(t.v) FROM s) FROM s LIMIT 1) FROM t;
SELECT (SELECT sum(t.v) FROM s) FROM t WHERE 0;
SELECT g FROM t GROUP BY g HAVING (SELECT sum(t.v) FROM s) > 25 ORDER BY g;
SELECT g, sum(v) FROM t GROUP BY g ORDER BY (SELECT max(t.id) FROM s) DESC;
SELECT EXISTS(SELECT 1 FROM s WHERE w < count(t.id)) FROM t;
SELECT (SELECT group_concat(t.g, '-') FROM s) FROM t;
SELECT (SELECT count(t.id)) FROM t GROUP BY g ORDER BY 1;
SELECT id IN (SELECT max(t.id) FROM s) FROM t;
SELECT (SELECT sum(t.v) FROM s AS t) FROM t;
SELECT (SELECT sum(t.v) FILTER (WHERE t.id > 1) FROM s) FROM t;
SELECT (SELECT count(DISTINCT t.g) FROM s) FROM t;
SELECT sum(v), (SELECT sum(t.v) FROM s) FROM t;
SELECT (SELECT sum(t.v) FROM s GROUP BY w IS NULL) FROM t;
SELECT id, (SELECT sum(t.v) + count(*) FROM s WHERE s.w = t.v) FROM t ORDER BY id;
SELECT g, (SELECT sum(t.v) + count(*) FROM s WHERE s.w = t.v) FROM t GROUP BY g;
SELECT g, id, (SELECT max(t.v) FROM s) FROM t GROUP BY g;
SELECT DISTINCT (SELECT sum(t.v) FROM s) FROM t GROUP BY g ORDER BY 1;
SELECT sum(v), (SELECT sum(v) FROM s) FROM t;
SELECT id FROM t ORDER BY (SELECT sum(t.v) FROM s);
SELECT (SELECT sum(t.v) FROM s UNION ALL SELECT 5) FROM t;
SELECT (SELECT sum(t.v) FROM t AS t2) FROM t;
SELECT (SELECT sum(t2.v) FROM t AS t2 WHERE t2.id <= t.id) FROM t ORDER BY id;
SELECT count(*) FROM t WHERE EXISTS (SELECT 1 FROM s HAVING sum(t.v) > 0);
SELECT (SELECT avg(t.v) FROM s WHERE w > 100) FROM t;
SELECT (SELECT sum(t.v) FROM s) AS x FROM t GROUP BY x;
SELECT (SELECT sum(t.v) FROM s), (SELECT sum(t.v) FROM s WHERE 0) FROM t;
SELECT g, (SELECT group_concat(w) FROM s WHERE w <= 10 * count(t.id)) FROM t GROUP BY g;
SELECT (SELECT min(t.v) FROM s) AS m, g FROM t;
SELECT (SELECT max(t.g) FROM s) FROM t GROUP BY id % 2 ORDER BY 1;
CREATE VIEW outer_total AS SELECT g, (SELECT total(t.v) FROM s) AS total FROM t GROUP BY g;
SELECT * FROM outer_total ORDER BY total;

-- case: duplicate-column-names-of-subqueries-views-and-ctes
-- A subquery's, view's or CTE's columns are named apart as sqlite3ColumnsFromExprList names them: a repeated
-- name takes ":1", ":2", … (a ":digits" suffix it already has is replaced), and the outer query sees those names.
SELECT * FROM (SELECT * FROM t, t AS z WHERE t.id = 1 AND z.id = 2);
SELECT * FROM (SELECT id, id, id AS "id:1", g AS ID FROM t WHERE id = 3);
WITH c(x, x) AS (SELECT 1, 2) SELECT * FROM c;
SELECT * FROM (SELECT 1 AS p, 2 AS p, 3 AS "p:7", 4 AS p);
SELECT z.* FROM (SELECT g, g FROM t WHERE id < 3) AS z ORDER BY 1;
SELECT "g:1" FROM (SELECT g, g FROM t) ORDER BY 1;
SELECT * FROM (SELECT * FROM t JOIN t AS z USING (id)) ORDER BY id;
SELECT * FROM (SELECT * FROM t NATURAL JOIN t AS z) ORDER BY id;
CREATE VIEW twice AS SELECT t.id, z.id FROM t, t AS z WHERE z.id = t.id + 1;
SELECT * FROM twice JOIN t USING (id) ORDER BY id;
SELECT "id:1" FROM twice ORDER BY 1;
WITH RECURSIVE r(n, n) AS (SELECT 1, 1 UNION ALL SELECT n + 1, 1 FROM r WHERE n < 3) SELECT * FROM r;
"""#)
}
