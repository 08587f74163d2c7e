// select-join: every join kind — inner, cross, comma, LEFT, NATURAL, USING,
// parenthesized, self joins, many tables — and RIGHT/FULL, with ON, USING and
// NATURAL (their query plans: Tests/ShellTests/QueryPlanGolden.swift).

extension CaseLibrary {
    static let selectJoin = CaseFile(name: "select-join", text: #"""
-- prelude
CREATE TABLE a(id INTEGER PRIMARY KEY, x, k);
CREATE TABLE b(id INTEGER PRIMARY KEY, y, k);
CREATE TABLE c(k, z);
INSERT INTO a VALUES(1, 'a1', 1), (2, 'a2', 2), (3, 'a3', NULL), (4, 'a4', 4);
INSERT INTO b VALUES(1, 'b1', 1), (2, 'b2', 2), (3, 'b3', 2), (5, 'b5', 5);
INSERT INTO c VALUES(1, 'c1'), (2, 'c2'), (5, 'c5'), (NULL, 'cnull');

-- case: join-index-equality-on-every-field
CREATE TABLE customer(id INTEGER PRIMARY KEY, name TEXT NOT NULL, region INTEGER NOT NULL);
CREATE TABLE orders(id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, total REAL);
CREATE TABLE item(id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, product INTEGER, price REAL);
CREATE INDEX orders_customer ON orders(customer_id);
CREATE INDEX item_order ON item(order_id);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n LIMIT 300) INSERT INTO customer SELECT i, 'c'||i, i%7 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n LIMIT 3000) INSERT INTO orders SELECT i, i%300+1, i*1.5 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n LIMIT 9000) INSERT INTO item SELECT i, i%3000+1, i%13, i*0.25 FROM n;
ANALYZE;
SELECT c.region, count(*), sum(i.price) FROM customer c JOIN orders o ON o.customer_id = c.id JOIN item i ON i.order_id = o.id WHERE c.id BETWEEN 5 AND 5 + 99 GROUP BY c.region;
SELECT * FROM orders WHERE customer_id = 3 AND id = 2702;

-- case: inner
SELECT a.x, b.y FROM a JOIN b ON a.k = b.k ORDER BY 1, 2;
SELECT a.x, b.y FROM a INNER JOIN b ON a.k = b.k AND b.y <> 'b3' ORDER BY 1, 2;
SELECT a.x, b.y FROM a, b WHERE a.k = b.k;
SELECT x, y FROM a JOIN b ON a.id = b.id WHERE x > 'a1';

-- case: cross-and-comma
SELECT count(*) FROM a, b;
SELECT count(*) FROM a CROSS JOIN b;
SELECT a.id, b.id FROM a CROSS JOIN b WHERE a.id = 1 ORDER BY b.id;
SELECT count(*) FROM a, b, c;
SELECT * FROM a, b WHERE a.id = b.id ORDER BY a.id;

-- case: left
SELECT a.x, b.y FROM a LEFT JOIN b ON a.k = b.k ORDER BY a.id, b.id;
SELECT a.x, b.y FROM a LEFT OUTER JOIN b ON a.k = b.k WHERE b.y IS NULL;
SELECT a.x, b.y FROM a LEFT JOIN b ON a.k = b.k AND b.y = 'b3' ORDER BY a.id;
SELECT a.x, count(b.id) FROM a LEFT JOIN b ON a.k = b.k GROUP BY a.id ORDER BY a.id;
SELECT a.x, b.y, c.z FROM a LEFT JOIN b ON a.k = b.k LEFT JOIN c ON c.k = b.k ORDER BY a.id, b.id;
SELECT a.x, coalesce(b.y, 'none') FROM a LEFT JOIN b ON b.id = a.id ORDER BY a.id;

-- case: left-join-null-row-ends-the-inner-loops
-- A NULL key skips t4's automatic-index seek; the row of NULLs then runs t2's loop once, and the Next of
-- t4's index cursor after its NullRow must end that loop (it used to go on from the index's last position).
CREATE TABLE t1(a, b, c);
INSERT INTO t1 VALUES (NULL,'x','y'),(NULL,NULL,3),('y',3,0),(3,NULL,NULL),(NULL,NULL,4),('z',1,'y');
CREATE TABLE t2(a, b, c);
INSERT INTO t2 VALUES (NULL,'z','z'),(1,'z',2);
CREATE INDEX t2a ON t2(a);
CREATE TABLE t4(a, b, c);
INSERT INTO t4 VALUES ('y','z','y'),('x','x','y'),(NULL,4,NULL),(NULL,0,'x'),(NULL,NULL,0);
SELECT t1.rowid, t4.rowid, t2.rowid FROM t1 LEFT JOIN t4 ON t1.a = t4.a LEFT JOIN t2 ON t4.c > 4;
SELECT t2.b, t1.c FROM t1 LEFT JOIN t4 ON t1.a = t4.a FULL JOIN t2 ON t4.c > 4;

-- case: in-list-with-a-null-seeks-nothing
-- `t2.a IN (t1.b, 1)` becomes an IN loop over an index on t2.a; a NULL among the values matches no row
-- (the seek used to find the index's NULL entries).
CREATE TABLE n1(a, b, c);
INSERT INTO n1 VALUES (1,0,'y'),(NULL,'y',1),('z',1,3),('z',NULL,4);
CREATE TABLE n2(a, b, c);
INSERT INTO n2 VALUES (NULL,4,'x'),(NULL,'x',NULL),(1,2,3);
CREATE INDEX n2a ON n2(a);
SELECT n1.rowid, n2.rowid FROM n1 JOIN n2 ON n2.a IN (n1.b, 1);
SELECT n1.rowid, n2.rowid FROM n1 LEFT JOIN n2 ON n2.a = n1.b OR n2.a = 1;
SELECT count(*), count(n2.c) FROM n1 FULL JOIN n2 ON n2.a = n1.b OR n2.a = 1;
SELECT count(*) FROM n2 WHERE a IN (NULL, 1);

-- case: left-where-vs-on
SELECT a.id, b.id FROM a LEFT JOIN b ON a.id = b.id WHERE b.id > 1;
SELECT a.id, b.id FROM a LEFT JOIN b ON a.id = b.id AND b.id > 1 ORDER BY a.id;
SELECT a.id, b.id FROM a LEFT JOIN b ON 1 WHERE a.id = 1 ORDER BY b.id;
SELECT a.id, b.id FROM a LEFT JOIN b ON 0 ORDER BY a.id;

-- case: natural-and-using
SELECT * FROM a NATURAL JOIN b;
SELECT * FROM a JOIN b USING (id) ORDER BY id;
SELECT * FROM a JOIN b USING (id, k);
SELECT id, x, y FROM a LEFT JOIN b USING (id) ORDER BY id;
SELECT * FROM a NATURAL LEFT JOIN c ORDER BY x;
SELECT k, x, z FROM a JOIN c USING (k) ORDER BY k;
SELECT * FROM a JOIN b USING (nosuch);
SELECT * FROM a NATURAL JOIN b ON a.id = b.id;

-- case: star-expansion
SELECT * FROM a JOIN c ON a.k = c.k ORDER BY a.id;
SELECT a.*, c.z FROM a JOIN c ON a.k = c.k ORDER BY a.id;
SELECT c.*, a.* FROM a JOIN c ON a.k = c.k ORDER BY a.id;
SELECT nosuch.* FROM a;

-- case: parenthesized
SELECT a.x, b.y, c.z FROM a JOIN (b JOIN c ON b.k = c.k) ON a.k = b.k ORDER BY 1, 2;
SELECT a.x, b.y, c.z FROM (a JOIN b ON a.k = b.k) JOIN c ON c.k = a.k ORDER BY 1, 2;
SELECT a.x, s.y FROM a JOIN (SELECT * FROM b WHERE id > 1) AS s ON s.k = a.k ORDER BY 1, 2;
SELECT a.x, b.y FROM a LEFT JOIN (b JOIN c ON b.k = c.k) ON a.k = b.k ORDER BY a.id, b.id;
SELECT * FROM a RIGHT JOIN (b JOIN c USING (k)) USING (k);

-- case: parenthesized-joins-read-as-subqueries
SELECT * FROM a LEFT JOIN (b JOIN c ON b.k = c.k) ON a.k = b.k ORDER BY a.id;
SELECT * FROM a LEFT JOIN (b JOIN c USING (k)) USING (k) ORDER BY a.id;
SELECT * FROM a LEFT JOIN (b JOIN c USING (k)) AS q USING (k) ORDER BY a.id;
SELECT a.x, b.y, c.z FROM a LEFT JOIN (b JOIN c ON b.k = c.k) ON a.k = b.k ORDER BY a.id;
SELECT y, z FROM a LEFT JOIN (b JOIN c ON b.k = c.k) ON a.k = b.k WHERE c.z IS NULL ORDER BY a.id;
SELECT id FROM a LEFT JOIN (b JOIN c ON b.k = c.k) ON a.k = b.k;
SELECT a.id, q.y FROM a LEFT JOIN (b JOIN c ON b.k = c.k) AS q ON a.k = q.k ORDER BY a.id;
SELECT count(*) FROM a JOIN (b LEFT JOIN c ON b.k = c.k) ON a.k = b.k;
SELECT * FROM a, (b RIGHT JOIN c ON b.k = c.k) ORDER BY 1, 4, 7;
SELECT * FROM a FULL JOIN (b JOIN c ON b.k = c.k) ON a.k = b.k ORDER BY 1, 4;
SELECT x, y, z FROM a LEFT JOIN (b LEFT JOIN c ON b.k = c.k) ON a.id = b.id ORDER BY 1;
SELECT b.*, a.x FROM a LEFT JOIN (b JOIN c ON b.k = c.k) ON a.k = b.k ORDER BY a.id;
SELECT a.x, b.y, c.z FROM a LEFT JOIN (b JOIN c ON b.k = c.k JOIN a AS a2 ON a2.id = c.id) ON a.k = b.k ORDER BY 1;
SELECT a.x, (SELECT count(*) FROM b WHERE b.k = c.k) FROM a LEFT JOIN (b JOIN c ON b.k = c.k) ON a.k = b.k ORDER BY 1;
SELECT a.x, b.nosuch FROM a LEFT JOIN (b JOIN c ON b.k = c.k) ON a.k = b.k;

-- case: flattened-views-joined-with-on-and-using
CREATE VIEW va AS SELECT id, x, k FROM a WHERE x > 'a1';
CREATE VIEW vc AS SELECT k, z FROM c WHERE z <> 'c5';
SELECT * FROM b JOIN va ON va.k = b.k;
SELECT * FROM b JOIN va USING (k);
SELECT * FROM c, b JOIN va ON va.id = c.k;
SELECT * FROM c CROSS JOIN va CROSS JOIN b WHERE va.k = b.k;
SELECT * FROM va JOIN vc USING (k) JOIN b ON b.k = vc.k;
SELECT count(*), sum(va.id) FROM va JOIN vc ON vc.k > va.k;

-- case: views-flattened-into-left-joins
-- A view or subquery over one table on the right of a LEFT JOIN is read as the join's own loop: its WHERE
-- clause is part of the ON clause, and its expression columns read NULL on the row of NULLs.
CREATE TABLE t1(a INTEGER PRIMARY KEY, b, c);
CREATE TABLE t2(x, y, z);
CREATE INDEX t2x ON t2(x);
INSERT INTO t1 VALUES(1,'a',10),(2,'b',20),(3,'c',NULL),(4,NULL,40);
INSERT INTO t2 VALUES(1,'p',100),(1,'q',NULL),(3,'r',300),(5,'s',500),(NULL,'t',600);
CREATE VIEW v2 AS SELECT x, y, z+1 AS z1, 'k' AS k, x IS NULL AS xn FROM t2 WHERE y <> 'q';
CREATE VIEW v3 AS SELECT x, y FROM t2 WHERE z > 200;
SELECT * FROM t1 LEFT JOIN v2 ON v2.x = t1.a;
SELECT t1.a, v2.k, v2.xn, v2.z1 FROM t1 LEFT JOIN v2 ON v2.x = t1.a ORDER BY 1;
SELECT * FROM t1 LEFT JOIN v2 ON v2.x = t1.a WHERE v2.k IS NULL;
SELECT * FROM t1 LEFT JOIN v2 ON v2.x = t1.a WHERE v2.y = 'p';
SELECT * FROM t1 LEFT JOIN (SELECT x, y, 7 AS seven FROM t2 WHERE x > 1) AS s ON s.x = t1.a;
SELECT * FROM t1 LEFT JOIN v3 USING (y);
SELECT t1.a, count(v2.x), group_concat(v2.k) FROM t1 LEFT JOIN v2 ON v2.x = t1.a GROUP BY t1.a;
SELECT DISTINCT t1.b, v2.k FROM t1 LEFT JOIN v2 ON v2.x = t1.a;
SELECT t1.a, v2.y, v3.y FROM t1 LEFT JOIN v2 ON v2.x = t1.a LEFT JOIN v3 ON v3.x = v2.x;
SELECT t1.a, v2.y FROM t1 LEFT JOIN v2 ON v2.x = t1.a AND v2.z1 > 150;
SELECT t1.a, (SELECT count(*) FROM t1 AS u LEFT JOIN v2 ON v2.x = u.a WHERE u.a = t1.a) FROM t1;

-- case: views-flattened-beside-right-joins
-- Left of a RIGHT JOIN a one-table view is the join's loop (its WHERE clause part of the ON clause, its
-- expression columns NULL in the unmatched-row pass); the right side of a RIGHT JOIN is materialized.
CREATE TABLE t1(a INTEGER PRIMARY KEY, b, c);
CREATE TABLE t2(x, y, z);
CREATE INDEX t2x ON t2(x);
CREATE TABLE t3(p, q);
INSERT INTO t1 VALUES(1,'a',10),(2,'b',20),(3,'c',NULL),(4,NULL,40);
INSERT INTO t2 VALUES(1,'p',100),(1,'q',NULL),(3,'r',300),(5,'s',500),(NULL,'t',600);
INSERT INTO t3 VALUES(1,'one'),(5,'five'),(7,'seven');
CREATE VIEW v2 AS SELECT x, y, z+1 AS z1, 'k' AS k FROM t2 WHERE y <> 'q';
SELECT * FROM v2 RIGHT JOIN t3 ON v2.x = t3.p;
SELECT * FROM (SELECT x, y, 'c' AS k FROM t2 WHERE x > 0) AS s RIGHT JOIN t3 ON s.x = t3.p;
SELECT * FROM t1 LEFT JOIN v2 ON v2.x = t1.a FULL JOIN t3 ON t3.p = t1.a;
SELECT * FROM t3 FULL JOIN v2 ON v2.x = t3.p;
SELECT * FROM t1 RIGHT JOIN t3 ON t3.p = t1.a JOIN v2 ON v2.x = t3.p;
SELECT v2.k, t3.q FROM v2 RIGHT JOIN t3 ON v2.x = t3.p WHERE v2.k IS NULL;
SELECT * FROM (SELECT x, count(*) AS n FROM t2 GROUP BY x) AS g RIGHT JOIN t3 ON g.x = t3.p;

-- case: aggregates-over-views-flattened-into-left-joins
-- An expression column of a view flattened into a LEFT JOIN is captured whole for GROUP BY, with its NULL
-- test made in the loop (it used to be made after the loop, on a cursor no longer on the row).
CREATE TABLE t1(a INTEGER PRIMARY KEY, b, c);
CREATE TABLE t2(x, y, z);
CREATE INDEX t2x ON t2(x);
INSERT INTO t1 VALUES(1,'a',10),(2,'b',20),(3,'c',NULL),(4,NULL,40);
INSERT INTO t2 VALUES(1,'p',100),(1,'q',NULL),(3,'r',300),(5,'s',500),(NULL,'t',600);
CREATE VIEW v2 AS SELECT x, y, z+1 AS z1, 'k' AS k, coalesce(z, -1) AS zc FROM t2 WHERE y <> 'q';
SELECT t1.a, count(v2.k), group_concat(v2.k), sum(v2.zc), max(v2.z1) FROM t1 LEFT JOIN v2 ON v2.x = t1.a GROUP BY t1.a;
SELECT v2.k, count(*) FROM t1 LEFT JOIN v2 ON v2.x = t1.a GROUP BY v2.k;
SELECT count(v2.k), sum(v2.zc) FROM t1 LEFT JOIN v2 ON v2.x = t1.a;
SELECT t1.b, v2.zc FROM t1 LEFT JOIN v2 ON v2.x = t1.a ORDER BY v2.zc, t1.b;
SELECT t1.a, v2.k FROM t1 LEFT JOIN v2 ON v2.x = t1.a GROUP BY t1.a HAVING v2.k IS NULL;
SELECT t1.a, max(v2.k) FROM t1 LEFT JOIN v2 ON v2.x = t1.a GROUP BY t1.a ORDER BY max(v2.k), t1.a;
CREATE VIEW vu AS SELECT id, x || '!' AS bang, k FROM a;
SELECT * FROM vu JOIN b USING (id) RIGHT JOIN c USING (k);
SELECT * FROM vu RIGHT JOIN b USING (id);
SELECT * FROM vu, b RIGHT JOIN c ON c.k = b.k;
SELECT vu.*, c.* FROM vu FULL JOIN c USING (k);

-- case: automatic-index-keys-exclude-outer-join-on-terms
-- t4 gets an automatic index on a; its key is t1.a (the USING term), never t1.c from the LEFT JOIN's ON
-- clause, which belongs to x's level (its copy t4.a = t1.c depends on the tables before the join).
CREATE TABLE t1(a, b, c);
INSERT INTO t1 VALUES (3,'x',1.5),(4,1.5,1.5),(1,NULL,'x');
CREATE TABLE t3(a, b, c);
INSERT INTO t3 VALUES ('x','z',NULL),('z','x','y');
CREATE TABLE t4(a, b, c);
INSERT INTO t4 VALUES (1.5,2,NULL),(1.5,3,2),(1.5,1,1.5),(NULL,1.5,1.5),(1,NULL,2),(1.5,NULL,'y');
SELECT t1.rowid, x.a FROM t1 JOIN t4 USING (a) LEFT JOIN t3 AS x ON t1.c = t4.a;
SELECT t1.rowid, t4.rowid, x.rowid FROM t1 JOIN t4 ON t4.a = t1.a LEFT JOIN t3 AS x ON t4.a = t1.c AND x.b > 'a';

-- case: self-join-and-aliases
SELECT p.id, q.id FROM a AS p JOIN a AS q ON p.id < q.id ORDER BY 1, 2;
SELECT p.x FROM a p, a q WHERE p.id = q.id + 1 ORDER BY 1;
SELECT a.x FROM a AS p;
SELECT x FROM a, b;
SELECT id FROM a, b;
SELECT k FROM a JOIN b ON a.id = b.id;

-- case: ambiguity-and-missing
SELECT nosuch FROM a;
SELECT a.nosuch FROM a;
SELECT nosuch.x FROM a;
SELECT * FROM a, a;
SELECT * FROM a AS t, b AS t;
SELECT a.* FROM a, a;
SELECT count(*) FROM a, a;
SELECT * FROM (SELECT 1 AS id) AS t, (SELECT 2 AS id) AS t;
SELECT * FROM a AS t, (SELECT 1 AS id) AS t;
SELECT t.* FROM a AS t, (SELECT 1 AS id) AS t;
SELECT main.t.id FROM a AS t, (SELECT 1 AS id) AS t;
SELECT * FROM a JOIN a USING (id);
SELECT * FROM a NATURAL JOIN a;
SELECT * FROM a AS t JOIN b AS t USING (id);
SELECT t.id FROM a AS t JOIN b AS t USING (id);
SELECT t.id FROM a AS t, b AS t;
SELECT a.rowid FROM a, a;
SELECT rowid FROM a, b;
SELECT rowid FROM a, (SELECT 1);
SELECT b.rowid, a.rowid FROM a JOIN b ON 1 ORDER BY 1, 2 LIMIT 2;

-- case: many-tables
SELECT count(*) FROM a t1, a t2, a t3, a t4, a t5, a t6, a t7 WHERE t1.id = t2.id AND t2.id = t3.id AND t3.id = t4.id
  AND t4.id = t5.id AND t5.id = t6.id AND t6.id = t7.id;
SELECT t1.x, t8.x FROM a t1 JOIN a t2 ON t2.id = t1.id JOIN a t3 ON t3.id = t2.id JOIN a t4 ON t4.id = t3.id
  JOIN a t5 ON t5.id = t4.id JOIN a t6 ON t6.id = t5.id JOIN a t7 ON t7.id = t6.id JOIN a t8 ON t8.id = t7.id
  ORDER BY 1;

-- case: join-with-index
CREATE INDEX ck ON c(k);
CREATE INDEX bk ON b(k);
SELECT a.x, c.z FROM a JOIN c ON c.k = a.k ORDER BY a.x;
SELECT a.x, b.y FROM a JOIN b ON b.k = a.k WHERE a.id < 3 ORDER BY 1, 2;
SELECT a.x, c.z FROM a LEFT JOIN c ON c.k = a.k ORDER BY a.x;

-- case: join-null-keys
SELECT a.x, c.z FROM a JOIN c ON a.k = c.k;
SELECT a.x, c.z FROM a JOIN c ON a.k IS c.k ORDER BY 1;
SELECT count(*) FROM a JOIN c ON a.k IS NOT c.k;

-- case: right-and-full
SELECT a.x, b.y FROM a RIGHT JOIN b ON a.k = b.k ORDER BY b.id, a.id;
SELECT a.x, b.y FROM a FULL OUTER JOIN b ON a.id = b.id ORDER BY a.id, b.id;
SELECT * FROM a RIGHT JOIN b ON a.k = b.k;
SELECT * FROM a FULL JOIN b ON a.k = b.k;
SELECT * FROM a RIGHT OUTER JOIN c ON a.k = c.k AND a.x <> 'a2';
SELECT * FROM a FULL JOIN c ON a.k = c.k WHERE a.id IS NULL OR c.k IS NULL;
SELECT * FROM a RIGHT JOIN b ON a.k = b.k WHERE b.y > 'b1';
SELECT * FROM a RIGHT JOIN b ON a.k = b.k WHERE a.x IS NULL;
SELECT a.x, b.y, c.z FROM a RIGHT JOIN b ON a.k = b.k JOIN c ON c.k = b.k;
SELECT a.x, b.y, c.z FROM a RIGHT JOIN b ON a.k = b.k LEFT JOIN c ON c.k = b.k;
SELECT a.x, b.y, c.z FROM a JOIN b ON a.k = b.k RIGHT JOIN c ON c.k = b.k;
SELECT a.x, b.y, c.z FROM a LEFT JOIN b ON a.id = b.id RIGHT JOIN c ON c.k = a.k;
SELECT a.x, b.y, c.z FROM a FULL JOIN b ON a.id = b.id FULL JOIN c ON c.k = coalesce(a.k, b.k);
SELECT a.x, b.y, c.z FROM a RIGHT JOIN b ON a.id = b.id RIGHT JOIN c ON c.k = b.k;
SELECT count(*), count(a.id), count(b.id) FROM a FULL JOIN b ON a.k = b.k;
SELECT b.k, count(a.id) FROM a RIGHT JOIN b ON a.k = b.k GROUP BY b.k ORDER BY 1;
SELECT DISTINCT a.k FROM a RIGHT JOIN b ON a.k = b.k ORDER BY 1;
SELECT * FROM a RIGHT JOIN b ON a.k = b.k ORDER BY b.y DESC LIMIT 3;
SELECT * FROM a RIGHT JOIN b ON a.k = b.k LIMIT 2 OFFSET 3;
SELECT * FROM a RIGHT JOIN b ON 1 WHERE b.id = 5;
SELECT * FROM a RIGHT JOIN b ON 0;
SELECT * FROM a FULL JOIN b ON 0;
SELECT * FROM a RIGHT JOIN (SELECT * FROM b WHERE id > 1) AS s ON s.k = a.k;
SELECT * FROM (SELECT * FROM a WHERE id > 1) AS s RIGHT JOIN b ON s.k = b.k;
SELECT z, (SELECT count(*) FROM a RIGHT JOIN b ON a.k = b.k AND b.k = c.k) FROM c ORDER BY z;
SELECT count(*) FROM a CROSS JOIN b RIGHT JOIN c ON c.k = b.k;
CREATE TABLE w(k TEXT PRIMARY KEY, v) WITHOUT ROWID;
INSERT INTO w VALUES('1', 'w1'), ('2', 'w2'), ('9', 'w9');
SELECT * FROM a RIGHT JOIN w ON a.k = w.k;
SELECT * FROM w FULL JOIN a ON a.k = w.k;
CREATE INDEX by ON b(y);
SELECT b.y FROM a RIGHT JOIN b ON a.k = b.k WHERE b.y > 'b2';

-- case: right-and-full-using
SELECT * FROM a FULL JOIN c USING (k);
SELECT k, a.k, c.k FROM a RIGHT JOIN c USING (k);
SELECT * FROM a NATURAL RIGHT JOIN b;
SELECT * FROM a NATURAL FULL JOIN b;
SELECT k FROM a FULL JOIN b USING (k) FULL JOIN c USING (k);
SELECT * FROM a FULL JOIN b USING (k) FULL JOIN c USING (k);
SELECT * FROM a LEFT JOIN b USING (k) RIGHT JOIN c USING (k);
SELECT * FROM a LEFT JOIN b USING (k) LEFT JOIN c USING (k);
SELECT * FROM a JOIN b USING (k) LEFT JOIN c USING (k);
SELECT * FROM a RIGHT JOIN b USING (k) RIGHT JOIN c USING (k);
SELECT a.*, c.* FROM a FULL JOIN c USING (k);
SELECT * FROM a JOIN b ON a.k = b.k RIGHT JOIN c USING (k);
SELECT * FROM a JOIN c ON c.k > b.k RIGHT JOIN b ON 1;
SELECT k FROM a FULL JOIN b ON a.k = b.k;
SELECT * FROM (a RIGHT JOIN b USING (k)) JOIN c USING (k);
SELECT * FROM a JOIN b ON 1 FULL JOIN c USING (k) JOIN a AS a2 USING (id);
SELECT * FROM a JOIN b ON 1 FULL JOIN c USING (k) JOIN c AS c2 USING (nosuch);

-- case: join-type-errors
SELECT * FROM a NATURAL CROSS JOIN b;
SELECT * FROM a BOGUS JOIN b;
SELECT * FROM a LEFT RIGHT JOIN b;
"""#)
}
