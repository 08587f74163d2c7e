// QueryPlanGolden: EXPLAIN QUERY PLAN through the shell, compared with sqlite3's
// tree byte for byte: scans and searches, covering indexes, temp b-trees,
// joins, subquery lines with SQLite's SELECT numbers (a view's renumbered
// after the statement's), correlated subqueries, and the one-pass plans of
// UPDATE and DELETE (no covering index once the row itself is read).
// A FROM clause's only subquery is a co-routine ("CO-ROUTINE (subquery-N)"),
// one joined with others is materialized ("MATERIALIZE g").
// Compound SELECTs print sqlite3's COMPOUND QUERY subtree. Known differences, left out until they are
// fixed: a compound with ORDER BY (SQLite merges sorted arms, "MERGE (UNION)"; sorted here) or a
// multi-row VALUES arm (one arm per row in SQLite), a subquery before a LEFT or CROSS JOIN
// (a co-routine in SQLite, materialized here), one SQLite flattens despite its
// LIMIT (swiftdb runs it as a co-routine), an
// IN subquery answered from an existing unique index ("USING INDEX ... FOR
// IN-OPERATOR"), and ORDER BY … NULLS LAST (ASC) or NULLS FIRST (DESC) on an
// indexed column (SQLite scans the index in two passes, WHERE_BIGNULL_SORT;
// swiftdb adds a temp b-tree).
import XCTest

final class QueryPlanGoldenTests: XCTestCase {
    static let schema = """
        CREATE TABLE t1(a INTEGER PRIMARY KEY, b INT, c TEXT, d REAL);
        CREATE INDEX t1b ON t1(b);
        CREATE INDEX t1cd ON t1(c, d);
        CREATE TABLE t2(x INT UNIQUE, y TEXT, z);
        CREATE INDEX t2y ON t2(y);
        CREATE TABLE w(k TEXT PRIMARY KEY, v) WITHOUT ROWID;
        CREATE VIEW v1 AS SELECT a, b, (SELECT max(x) FROM t2 WHERE x > t1.b) AS m FROM t1 WHERE c IN (SELECT y FROM t2);
        CREATE TRIGGER tr1 AFTER DELETE ON t2 BEGIN UPDATE t1 SET d = 0 WHERE b = old.x; END;
        """

    func testPlansMatchSQLite() {
        assertSameAsSQLite([":memory:"], input: Self.schema + """
            EXPLAIN QUERY PLAN SELECT * FROM t1;
            EXPLAIN QUERY PLAN SELECT * FROM t1 WHERE a = 5;
            EXPLAIN QUERY PLAN SELECT * FROM t1 WHERE b = 5;
            EXPLAIN QUERY PLAN SELECT b FROM t1 WHERE b > 5;
            EXPLAIN QUERY PLAN SELECT * FROM t1 ORDER BY c;
            EXPLAIN QUERY PLAN SELECT * FROM t1 ORDER BY d;
            EXPLAIN QUERY PLAN SELECT b, count(*) FROM t1 GROUP BY b;
            EXPLAIN QUERY PLAN SELECT d, count(*) FROM t1 GROUP BY d;
            EXPLAIN QUERY PLAN SELECT * FROM t1 JOIN t2 ON t1.b = t2.x;
            EXPLAIN QUERY PLAN SELECT * FROM t1 LEFT JOIN t2 ON t1.c = t2.z;
            EXPLAIN QUERY PLAN SELECT (SELECT max(b) FROM t1), (SELECT min(x) FROM t2) FROM t1;
            EXPLAIN QUERY PLAN SELECT * FROM t1 WHERE d IN (SELECT z FROM t2);
            EXPLAIN QUERY PLAN SELECT * FROM t1 WHERE EXISTS (SELECT 1 FROM t2 WHERE t2.x = t1.b);
            EXPLAIN QUERY PLAN SELECT * FROM t1 WHERE b = (SELECT max(x) FROM t2 WHERE t2.y = t1.c);
            EXPLAIN QUERY PLAN WITH c(n) AS (SELECT b FROM t1) SELECT * FROM c WHERE n > (SELECT count(*) FROM t2);
            EXPLAIN QUERY PLAN SELECT * FROM v1;
            EXPLAIN QUERY PLAN SELECT * FROM (SELECT b, count(*) FROM t1 GROUP BY b);
            EXPLAIN QUERY PLAN SELECT max(n) FROM (SELECT c, count(*) AS n FROM t1 GROUP BY c ORDER BY 2 LIMIT 3);
            EXPLAIN QUERY PLAN SELECT * FROM t2, (SELECT b, count(*) FROM t1 GROUP BY b) AS g WHERE g.b = t2.x;
            EXPLAIN QUERY PLAN SELECT * FROM v1 WHERE m > (SELECT 3);
            EXPLAIN QUERY PLAN UPDATE t1 SET d = 1;
            EXPLAIN QUERY PLAN UPDATE t1 SET d = 1 WHERE b = 5;
            EXPLAIN QUERY PLAN UPDATE t1 SET b = b + 1 WHERE b > 5;
            EXPLAIN QUERY PLAN UPDATE t1 SET d = 1 WHERE c = 'x';
            EXPLAIN QUERY PLAN UPDATE t1 SET d = (SELECT max(z) FROM t2 WHERE t2.x = t1.b) WHERE a < 10;
            EXPLAIN QUERY PLAN UPDATE t2 SET z = 1 WHERE x = 3;
            EXPLAIN QUERY PLAN UPDATE w SET v = 1 WHERE k = 'a';
            EXPLAIN QUERY PLAN UPDATE w SET v = 1 WHERE v > 3;
            EXPLAIN QUERY PLAN DELETE FROM t1 WHERE b = 5;
            EXPLAIN QUERY PLAN DELETE FROM t1 WHERE a > 5;
            EXPLAIN QUERY PLAN DELETE FROM t1 WHERE c > 'x' AND d < 2;
            EXPLAIN QUERY PLAN DELETE FROM t1 WHERE b = 1 OR c = 'x';
            EXPLAIN QUERY PLAN DELETE FROM t2 WHERE x = 3;
            EXPLAIN QUERY PLAN DELETE FROM t2 WHERE y > 'a';
            EXPLAIN QUERY PLAN DELETE FROM t1 WHERE b = (SELECT max(x) FROM t2 WHERE t2.y = t1.c);
            EXPLAIN QUERY PLAN DELETE FROM w WHERE v = 2;
            EXPLAIN QUERY PLAN INSERT INTO t1(b) SELECT x FROM t2 WHERE y IN (SELECT c FROM t1);
            EXPLAIN QUERY PLAN INSERT INTO t1 VALUES (1, (SELECT max(x) FROM t2), 'a', 2);
            EXPLAIN QUERY PLAN SELECT * FROM t1 WHERE b IN (1, 2, 3);
            EXPLAIN QUERY PLAN SELECT * FROM t1 WHERE c = 'a' AND d > 1;
            EXPLAIN QUERY PLAN SELECT count(*) FROM t1;
            EXPLAIN QUERY PLAN SELECT DISTINCT c FROM t1;
            EXPLAIN QUERY PLAN SELECT * FROM t1 WHERE b = 1 OR d = 2;
            EXPLAIN QUERY PLAN SELECT * FROM t1, t2 WHERE t1.c = t2.y AND t2.z = 1;
            EXPLAIN QUERY PLAN SELECT (SELECT (SELECT 1 FROM t2 WHERE x = t1.a) FROM t2 LIMIT 1) FROM t1;
            EXPLAIN QUERY PLAN SELECT (SELECT y FROM t2 WHERE x = 1), b FROM t1 ORDER BY (SELECT z FROM t2 WHERE x = 2), d;
            EXPLAIN QUERY PLAN SELECT b FROM t1 UNION SELECT x FROM t2 WHERE x > 3;
            EXPLAIN QUERY PLAN SELECT b FROM t1 UNION ALL SELECT x FROM t2 EXCEPT SELECT 7 INTERSECT SELECT y FROM t2 LIMIT 5;
            EXPLAIN QUERY PLAN SELECT * FROM (SELECT a FROM t1 UNION SELECT x FROM t2) WHERE a > 2;
            EXPLAIN QUERY PLAN SELECT * FROM t1 WHERE b IN (SELECT x FROM t2 UNION SELECT 3);
            EXPLAIN QUERY PLAN INSERT INTO t1(b) SELECT x FROM t2 UNION SELECT b FROM t1;
            EXPLAIN QUERY PLAN VALUES (1, 2);
            EXPLAIN QUERY PLAN VALUES (1, 2), (3, 4);
            EXPLAIN QUERY PLAN VALUES ((SELECT max(x) FROM t2), 2);
            EXPLAIN QUERY PLAN SELECT * FROM (VALUES (1), (2)) JOIN t1 ON a = column1;
            EXPLAIN QUERY PLAN WITH RECURSIVE n(i) AS (VALUES (1) UNION ALL SELECT i + 1 FROM n WHERE i < 9) SELECT i FROM n;
            """)
    }

    /// A partial index serves a query whose WHERE implies the index's (where.c's whereUsablePartialIndex): the
    /// same expression (`5 < b` read as `b > 5`), one side of an OR, IS NOT NULL implied by a comparison;
    /// a scan of a partial index is weighed against the table scan; with sqlite_stat1 as well.
    func testPartialIndexesServeQueriesWhoseWhereImpliesTheirs() {
        let script = """
            CREATE TABLE pt(a, b, c, d);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
              INSERT INTO pt SELECT i % 17, CASE WHEN i % 9 = 0 THEN NULL ELSE i % 11 END, 'c' || (i % 13), i FROM n;
            CREATE INDEX pt1 ON pt(a) WHERE b > 5;
            CREATE INDEX pt2 ON pt(c) WHERE b IS NOT NULL;
            CREATE INDEX pt3 ON pt(d) WHERE a = 3 OR a = 4;
            CREATE INDEX pt4 ON pt(a, d) WHERE c NOTNULL AND b < 3;
            CREATE TABLE u(x, y);
            EXPLAIN QUERY PLAN SELECT * FROM pt WHERE b > 5 AND a = 3;
            EXPLAIN QUERY PLAN SELECT * FROM pt WHERE 5 < b AND a = 3;
            EXPLAIN QUERY PLAN SELECT * FROM pt WHERE b > 6 AND a = 3;
            EXPLAIN QUERY PLAN SELECT * FROM pt WHERE a = 3;
            EXPLAIN QUERY PLAN SELECT * FROM pt WHERE c = 'c4' AND b = 2;
            EXPLAIN QUERY PLAN SELECT * FROM pt WHERE c = 'c4' AND b BETWEEN 1 AND 3;
            EXPLAIN QUERY PLAN SELECT * FROM pt WHERE c = 'c4' AND b IS NOT NULL;
            EXPLAIN QUERY PLAN SELECT * FROM pt WHERE c = 'c4' AND b IS NULL;
            EXPLAIN QUERY PLAN SELECT * FROM pt WHERE d > 100 AND a = 4;
            EXPLAIN QUERY PLAN SELECT * FROM pt WHERE d > 100 AND a = 5;
            EXPLAIN QUERY PLAN SELECT * FROM pt WHERE a = 2 AND c IS NOT NULL AND b < 3;
            EXPLAIN QUERY PLAN SELECT * FROM pt WHERE a = 2 AND b < 3;
            EXPLAIN QUERY PLAN SELECT * FROM u LEFT JOIN pt ON pt.a = u.x AND pt.b > 5;
            EXPLAIN QUERY PLAN SELECT * FROM u JOIN pt ON pt.a = u.x AND pt.b > 5;
            EXPLAIN QUERY PLAN SELECT x, (SELECT count(*) FROM pt WHERE pt.a = u.x AND pt.b > 5) FROM u;
            ANALYZE;
            EXPLAIN QUERY PLAN SELECT * FROM pt WHERE b > 5 AND a = 3;
            EXPLAIN QUERY PLAN SELECT * FROM pt WHERE a = 2 AND c IS NOT NULL AND b < 3;
            EXPLAIN QUERY PLAN SELECT * FROM pt WHERE d > 100 AND (a = 3 OR a = 4);

            """
        assertSameAsSQLite([":memory:"], input: script)
    }

    /// RIGHT and FULL JOIN: the loops in FROM order, then a RIGHT-JOIN subtree for the pass over the right
    /// table's unmatched rows (its own scan or search); a temp b-tree for any ORDER BY.
    func testRightAndFullJoinPlans() {
        assertSameAsSQLite([":memory:"], input: Self.schema + """
            EXPLAIN QUERY PLAN SELECT * FROM t1 RIGHT JOIN t2 ON t1.b = t2.x;
            EXPLAIN QUERY PLAN SELECT * FROM t1 FULL JOIN t2 ON t1.b = t2.x WHERE t1.c IS NULL;
            EXPLAIN QUERY PLAN SELECT * FROM t2 RIGHT JOIN t1 ON t1.b = t2.x WHERE t1.a > 5;
            EXPLAIN QUERY PLAN SELECT * FROM t1 RIGHT JOIN t2 ON t1.b = t2.x LEFT JOIN w ON w.k = t2.y;
            EXPLAIN QUERY PLAN SELECT * FROM t1 RIGHT JOIN t2 ON t1.b = t2.x ORDER BY t1.b;
            EXPLAIN QUERY PLAN SELECT t2.y FROM t1 RIGHT JOIN t2 ON t1.b = t2.x WHERE t2.y > 'b';
            EXPLAIN QUERY PLAN SELECT * FROM t1 RIGHT JOIN w ON t1.c = w.k;
            EXPLAIN QUERY PLAN SELECT * FROM t1 AS p FULL JOIN t1 AS q USING (b);

            """)
    }

    /// A parenthesized join on the right of an outer join is materialized as `(join-N)` (or its alias) and
    /// searched through an automatic index.
    func testParenthesizedJoinsReadAsSubqueries() {
        assertSameAsSQLite([":memory:"], input: Self.schema + """
            EXPLAIN QUERY PLAN SELECT * FROM t1 LEFT JOIN (t2 JOIN w ON t2.y = w.k) ON t1.b = t2.x;
            EXPLAIN QUERY PLAN SELECT * FROM t1 LEFT JOIN (t2 JOIN w ON t2.y = w.k) AS q ON t1.b = q.x;
            EXPLAIN QUERY PLAN SELECT * FROM w, (t1 RIGHT JOIN t2 ON t1.b = t2.x);

            """)
    }

    /// `x IS NULL` and `x IS NOT NULL` are ISNULL and NOTNULL, as sqlite3's parser makes them: NOT NULL is a
    /// range on an index (b>?), and IS NULL never drives an automatic index.
    func testIsNullAndIsNotNullPlans() {
        assertSameAsSQLite([":memory:"], input: Self.schema + """
            CREATE TABLE t4(a, b, c);
            EXPLAIN QUERY PLAN SELECT * FROM t1 WHERE b IS NULL;
            EXPLAIN QUERY PLAN SELECT * FROM t1 WHERE b IS NOT NULL;
            EXPLAIN QUERY PLAN SELECT b FROM t1 WHERE b IS NOT NULL;
            EXPLAIN QUERY PLAN SELECT * FROM t2, t4 WHERE t4.b IS NULL;
            EXPLAIN QUERY PLAN SELECT * FROM t2, t4 WHERE t4.b IS 1;
            EXPLAIN QUERY PLAN SELECT * FROM t2, t4 WHERE t4.b IS t2.y;
            EXPLAIN QUERY PLAN SELECT * FROM t2 WHERE x IS NOT NULL AND y = 'a';

            """)
    }

    /// A LEFT JOIN whose WHERE clause (or a later inner join's ON clause) cannot hold on the right table's row
    /// of NULLs is an inner join, which the planner may reorder (select.c's sqlite3ExprImpliesNonNullRow
    /// test): comparisons, BETWEEN, NOT and arithmetic over the right table's columns count; IS NULL, OR,
    /// functions, LIKE and a NOTNULL after another term do not.
    func testLeftJoinsTheWhereClauseMakesInnerAreReordered() {
        assertSameAsSQLite([":memory:"], input: """
            create table a(x,y); create table b(x,z); create table c(x,w);
            insert into a values(1,1),(2,2),(3,NULL); insert into b values(1,'b1'),(3,'b3'),(4,'b4'); insert into c values(1,'c'),(3,'d');
            explain query plan select * from a left join b on a.x=b.x where b.z='b1';
            explain query plan select * from a left join b on a.x=b.x where b.z is null;
            explain query plan select * from a left join b on a.x=b.x where b.z is not null;
            explain query plan select * from a left join b on a.x=b.x where a.y=1 and b.z is not null;
            explain query plan select * from a left join b on a.x=b.x where b.z='b1' or a.y=2;
            explain query plan select * from a left join b on a.x=b.x join c on c.x=b.x;
            explain query plan select * from a left join b on a.x=b.x left join c on c.x=b.x where c.w='c';
            explain query plan select * from a left join b on a.x=b.x where b.x+1 > 2;
            explain query plan select * from a left join b on a.x=b.x where coalesce(b.x,0) > 2;
            explain query plan select * from a left join b on a.x=b.x where b.x between 1 and 3;
            explain query plan select * from a left join b on a.x=b.x where not b.x;
            explain query plan select * from a left join b on a.x=b.x where b.z like 'b%';
            select * from a left join b on a.x=b.x where b.z='b1';
            select * from a left join b on a.x=b.x left join c on c.x=b.x where c.w='c';

            """)
    }

    /// A view or subquery joined with ON or USING is flattened as select.c flattens it (its ON clause joins the
    /// WHERE analysis), and one after a CROSS JOIN keeps its place: its first table takes the item's join type.
    func testFlattenedViewsJoinedWithOnUsingAndCrossJoin() {
        assertSameAsSQLite([":memory:"], input: """
            CREATE TABLE a(id INTEGER PRIMARY KEY, x, k);
            CREATE TABLE b(id INTEGER PRIMARY KEY, y, k);
            CREATE TABLE c(k, z);
            CREATE VIEW va AS SELECT id, x, k FROM a WHERE x > 'a';
            EXPLAIN QUERY PLAN SELECT * FROM b JOIN va ON va.k = b.k;
            EXPLAIN QUERY PLAN SELECT * FROM b JOIN va USING (k);
            EXPLAIN QUERY PLAN SELECT * FROM c, b JOIN va ON va.id = c.k;
            EXPLAIN QUERY PLAN SELECT * FROM c CROSS JOIN va CROSS JOIN b;
            EXPLAIN QUERY PLAN SELECT * FROM b CROSS JOIN (SELECT * FROM a WHERE k > 1) AS s CROSS JOIN c;

            """)
    }

    /// A view or subquery over one table on the right of a LEFT JOIN is flattened into the join (select.c's
    /// restriction 3): its table is the join's loop, searched through its index.
    func testViewsFlattenedIntoLeftJoins() {
        assertSameAsSQLite([":memory:"], input: """
            CREATE TABLE t1(a INTEGER PRIMARY KEY, b, c);
            CREATE TABLE t2(x, y, z);
            CREATE INDEX t2x ON t2(x);
            INSERT INTO t1 VALUES(1,'a',10),(2,'b',20),(3,'c',NULL),(4,NULL,40);
            INSERT INTO t2 VALUES(1,'p',100),(1,'q',NULL),(3,'r',300),(5,'s',500),(NULL,'t',600);
            CREATE VIEW v2 AS SELECT x, y, z+1 AS z1, 'k' AS k, x IS NULL AS xn FROM t2 WHERE y <> 'q';
            CREATE VIEW v3 AS SELECT x, y FROM t2 WHERE z > 200;
            EXPLAIN QUERY PLAN SELECT * FROM t1 LEFT JOIN v2 ON v2.x = t1.a;
            EXPLAIN QUERY PLAN SELECT * FROM t1 LEFT JOIN v2 ON v2.x = t1.a WHERE v2.y = 'p';
            EXPLAIN QUERY PLAN SELECT * FROM t1 LEFT JOIN (SELECT x, y, 7 AS seven FROM t2 WHERE x > 1) AS s ON s.x = t1.a;
            EXPLAIN QUERY PLAN SELECT t1.a, v2.y, v3.y FROM t1 LEFT JOIN v2 ON v2.x = t1.a LEFT JOIN v3 ON v3.x = v2.x;
            EXPLAIN QUERY PLAN SELECT t1.a, v2.x FROM t1 LEFT JOIN v2 ON v2.x = t1.a;

            """)
    }

    /// Beside a RIGHT JOIN: a one-table view to its left is flattened as into an outer join; one after it
    /// joined by an inner join is flattened as usual.
    func testViewsFlattenedBesideRightJoins() {
        assertSameAsSQLite([":memory:"], input: """
            CREATE TABLE t1(a INTEGER PRIMARY KEY, b, c);
            CREATE TABLE t2(x, y, z);
            CREATE INDEX t2x ON t2(x);
            CREATE TABLE t3(p, q);
            INSERT INTO t1 VALUES(1,'a',10),(2,'b',20),(3,'c',NULL),(4,NULL,40);
            INSERT INTO t2 VALUES(1,'p',100),(1,'q',NULL),(3,'r',300),(5,'s',500),(NULL,'t',600);
            INSERT INTO t3 VALUES(1,'one'),(5,'five'),(7,'seven');
            CREATE VIEW v2 AS SELECT x, y, z+1 AS z1, 'k' AS k FROM t2 WHERE y <> 'q';
            EXPLAIN QUERY PLAN SELECT * FROM v2 RIGHT JOIN t3 ON v2.x = t3.p;
            EXPLAIN QUERY PLAN SELECT * FROM t1 LEFT JOIN v2 ON v2.x = t1.a FULL JOIN t3 ON t3.p = t1.a;
            EXPLAIN QUERY PLAN SELECT * FROM t1 RIGHT JOIN t3 ON t3.p = t1.a JOIN v2 ON v2.x = t3.p;

            """)
    }

    /// A trigger body is a sub-program: its plan is not part of the statement's.
    func testTriggerBodiesAreNotInThePlan() {
        assertSameAsSQLite([":memory:"], input: Self.schema + """
            CREATE TRIGGER tr2 AFTER UPDATE ON t1 BEGIN SELECT 1; INSERT INTO t2 SELECT b, c, d FROM t1; END;
            EXPLAIN QUERY PLAN UPDATE t1 SET d = 1 WHERE b > 5;
            EXPLAIN QUERY PLAN UPDATE t1 SET d = 1 WHERE a = 5;
            EXPLAIN QUERY PLAN UPDATE t1 SET d = 1;
            EXPLAIN QUERY PLAN DELETE FROM t2 WHERE y = 'q';

            """)
    }

    /// `.eqp trigger` shows, after a statement's plan, each trigger it fires once, under `TRIGGER name`,
    /// nested triggers after those that fire them; a trigger's plan holds only its WHERE loops' scans (no
    /// count(*) scan, no temp B-tree, no subquery headings), and a trigger without one prints nothing.
    /// DELETE without WHERE empties the table unless a DELETE trigger is on it (no plan lines).
    func testEqpTriggerShowsEachFiredTriggersPlan() {
        assertSameAsSQLite([":memory:"], input: """
            CREATE TABLE t(a, b);
            CREATE TABLE log(x);
            CREATE TABLE deep(y);
            CREATE INDEX deep_y ON deep(y);
            CREATE TRIGGER tr AFTER INSERT ON t BEGIN
              INSERT INTO log SELECT a FROM t WHERE b = new.b;
              UPDATE log SET x = x + 1 WHERE x = new.a;
            END;
            CREATE TRIGGER tr2 BEFORE INSERT ON t WHEN new.a > 0 BEGIN
              SELECT count(*) FROM log; SELECT x FROM log ORDER BY x; SELECT count(*) FROM log WHERE x > 1;
            END;
            CREATE TRIGGER tl AFTER INSERT ON log BEGIN INSERT INTO deep SELECT y FROM deep WHERE y = new.x; END;
            CREATE TRIGGER tu AFTER UPDATE ON t BEGIN
              DELETE FROM log WHERE x = old.a;
              UPDATE log SET x = 0 WHERE x IN (SELECT a FROM t);
            END;
            CREATE TRIGGER quiet BEFORE DELETE ON deep BEGIN SELECT 1; END;
            INSERT INTO log VALUES(1);
            .eqp trigger
            INSERT INTO t VALUES(1, 2);
            INSERT INTO t VALUES(3, 4), (5, 6);
            INSERT INTO t SELECT x, x FROM log WHERE x > 0;
            UPDATE t SET a = 1 WHERE b = 2;
            SELECT count(*) FROM log;
            DELETE FROM t;
            DELETE FROM deep;
            .eqp on
            INSERT INTO t VALUES(1, 2);
            .eqp off
            EXPLAIN QUERY PLAN INSERT INTO t VALUES(1, 2);
            EXPLAIN QUERY PLAN INSERT INTO log VALUES(1), (2), (3);
            EXPLAIN QUERY PLAN INSERT INTO deep(y) VALUES(1), (2);

            """)
    }
}
