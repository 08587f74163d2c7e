// GrammarSamples: one or more statements for every production of SQLite's grammar.
//
// Each was checked with sqlite3 3.40.1 to be free of syntax errors (semantic errors
// such as a missing table are fine). They seed the mutation differential test and
// the fuzzer's corpus (Fuzz/Parser/corpus holds the same statements, one a file).

enum GrammarSamples {
    static let statements: [String] = [
        "SELECT 1;",
        """
        SELECT DISTINCT a, b AS x, t.*, * FROM t1 AS t WHERE a > 1 AND b IS NOT NULL GROUP BY a, b HAVING
            count(*) > 1 ORDER BY a COLLATE nocase DESC NULLS LAST, 2 LIMIT 10 OFFSET 5;
        """,
        "SELECT ALL a FROM t1 LIMIT 5, 10;",
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10) SELECT x FROM c;",
        "WITH a AS MATERIALIZED (SELECT 1), b AS NOT MATERIALIZED (SELECT 2) SELECT * FROM a, b;",
        "SELECT a FROM t1 UNION SELECT b FROM t2 INTERSECT SELECT c FROM t3 EXCEPT SELECT 1 ORDER BY 1;",
        "VALUES (1, 'a'), (2, 'b');",
        """
        SELECT * FROM t1 NATURAL JOIN t2 LEFT OUTER JOIN t3 USING (a) RIGHT JOIN t4 ON t4.a = t1.a FULL
            OUTER JOIN t5 ON 1 CROSS JOIN t6 INNER JOIN t7 ON 1, t8;
        """,
        "SELECT * FROM (t1 JOIN (t2 CROSS JOIN t3) ON 1) AS j, (SELECT 1 AS x) AS s;",
        "SELECT * FROM t1 INDEXED BY i1 WHERE a = 1;",
        "SELECT * FROM t1 AS x NOT INDEXED;",
        "SELECT * FROM json_each('[1,2]') AS j, main.pragma_table_info('t1');",
        """
        SELECT sum(a) FILTER (WHERE a > 0) OVER (PARTITION BY b ORDER BY c ROWS BETWEEN UNBOUNDED PRECEDING
            AND CURRENT ROW EXCLUDE TIES) FROM t1;
        """,
        """
        SELECT rank() OVER w, avg(a) OVER (w RANGE BETWEEN 1 PRECEDING AND 2 FOLLOWING EXCLUDE NO OTHERS)
            FROM t1 WINDOW w AS (ORDER BY a), v AS (w GROUPS CURRENT ROW EXCLUDE GROUP);
        """,
        "SELECT count(DISTINCT a), count(*), group_concat(b, ','), f() FROM t1;",
        """
        SELECT CAST(a AS VARCHAR(10)), CAST(b AS DECIMAL(10, 2)), CAST(c AS unsigned big int), CAST(1 AS)
            FROM t1;
        """,
        "SELECT CASE a WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'many' END, CASE WHEN a THEN b END FROM t1;",
        "SELECT a LIKE 'x%' ESCAPE '\\', b NOT GLOB '*y', c REGEXP 'z', d NOT MATCH 'w' FROM t1;",
        """
        SELECT a BETWEEN 1 AND 2, b NOT BETWEEN c AND d, e IN (1, 2, 3), f NOT IN (SELECT a FROM t2), g IN
            t2, h IN main.t2, i IN json_each('[1]'), j IN () FROM t1;
        """,
        "SELECT EXISTS (SELECT 1), NOT EXISTS (SELECT 2), (SELECT max(a) FROM t1);",
        """
        SELECT a IS b, a IS NOT b, a IS DISTINCT FROM b, a IS NOT DISTINCT FROM b, a ISNULL, a NOTNULL, a
            NOT NULL FROM t1;
        """,
        """
        SELECT -a, +b, ~c, NOT d, a & b | c << 1 >> 2, a + b * c / d % e - f, a || b, a -> '$.x', a ->>
            '$.y' FROM t1;
        """,
        "SELECT (a, b) = (1, 2), (a, b) IN (VALUES (1, 2)) FROM t1;",
        """
        SELECT 0x1F, 1e10, 1.5e-3, .5, 5., 'it''s', X'DEADBEEF', NULL, TRUE, FALSE, CURRENT_TIME,
            CURRENT_DATE, CURRENT_TIMESTAMP;
        """,
        "SELECT ?, ?7, :name, @name, $name, $a::b(c), #x;",
        "SELECT main.t1.a, \"t1\".\"a\", [t1].[a], `t1`.`a`, 't1'.a FROM t1;",
        "SELECT a COLLATE nocase COLLATE binary, x COLLATE \"rtrim\" FROM t1;",
        "SELECT a = b = c, - - 1, a NOT NULL NOT NULL, 1 NOT NULL = 1 FROM t1;",
        "SELECT key, action, replace, temp, row, rowid, glob(a, b), like(a, b), replace(a, 'x', 'y') FROM t1;",
        "INSERT INTO t1 VALUES (1, 2, 3), (4, 5, 6);",
        """
        INSERT OR REPLACE INTO main.t1 AS x (a, b) SELECT a, b FROM t2 WHERE true ON CONFLICT (a) WHERE a >
            0 DO UPDATE SET b = excluded.b WHERE b < 5 ON CONFLICT DO NOTHING;
        """,
        "INSERT INTO t1 DEFAULT VALUES RETURNING *, a AS x;",
        "REPLACE INTO t1 (a) VALUES (1);",
        "INSERT OR IGNORE INTO t1 VALUES (1) ON CONFLICT (a COLLATE nocase DESC) DO NOTHING RETURNING a;",
        "WITH x AS (SELECT 1) INSERT OR ABORT INTO t1 SELECT * FROM x;",
        """
        UPDATE OR ROLLBACK t1 AS x INDEXED BY i1 SET a = 1, (b, c) = (2, 3) FROM t2 WHERE x.a = t2.a
            RETURNING a ORDER BY a LIMIT 1;
        """,
        "UPDATE t1 SET a = a + 1 WHERE b IN (SELECT b FROM t2) ORDER BY c DESC LIMIT 5 OFFSET 1;",
        "DELETE FROM t1 WHERE a = 1 RETURNING *;",
        "WITH d AS (SELECT 1) DELETE FROM main.t1 AS y NOT INDEXED WHERE a > 0 ORDER BY a LIMIT 10;",
        """
        CREATE TABLE IF NOT EXISTS main.t9 (a INTEGER PRIMARY KEY AUTOINCREMENT, b TEXT NOT NULL ON CONFLICT
            IGNORE DEFAULT 'x' COLLATE nocase UNIQUE, c REAL CHECK (c > 0) DEFAULT -1.5, d BLOB REFERENCES
            t1 (a) ON DELETE CASCADE ON UPDATE SET NULL MATCH simple DEFERRABLE INITIALLY DEFERRED, e
            DEFAULT (1 + 2), f DEFAULT CURRENT_TIMESTAMP, g AS (a * 2) STORED, h INT GENERATED ALWAYS AS (b
            || 'x') VIRTUAL, CONSTRAINT pk UNIQUE (b, c) ON CONFLICT REPLACE, CHECK (a < 100), FOREIGN KEY
            (d) REFERENCES t2 (x) ON DELETE SET DEFAULT NOT DEFERRABLE) WITHOUT ROWID, STRICT;
        """,
        "CREATE TEMP TABLE t10 (a, b, PRIMARY KEY (a DESC, b) ON CONFLICT ABORT) WITHOUT ROWID;",
        "CREATE TEMPORARY TABLE t11 AS SELECT * FROM t1;",
        """
        CREATE TABLE t12 (key, action, replace, temp, row, "select", [from], `where`, 'order' TEXT,
            current_time, like, cast, raise);
        """,
        """
        CREATE TABLE t13 (a VARCHAR(10), b DECIMAL(10, 2), c DOUBLE PRECISION, d INT DEFAULT +5, e DEFAULT
            abc, f DEFAULT true, g NULL, h CONSTRAINT x NOT NULL CONSTRAINT y CHECK (h != 0));
        """,
        """
        CREATE UNIQUE INDEX IF NOT EXISTS main.i9 ON t1 (a COLLATE nocase DESC, b + c ASC) WHERE a IS NOT
            NULL;
        """,
        "CREATE INDEX i10 ON t1 (lower(b));",
        "CREATE VIEW IF NOT EXISTS v1 (x, y) AS SELECT a, b FROM t1;",
        "CREATE TEMP VIEW v2 AS WITH c AS (SELECT 1) SELECT * FROM c;",
        """
        CREATE TRIGGER IF NOT EXISTS tr1 BEFORE INSERT ON t1 FOR EACH ROW WHEN new.a > 0 BEGIN INSERT INTO
            t2 VALUES (new.a); UPDATE t3 SET a = 1 WHERE b = old.b; DELETE FROM t4 WHERE a = 1; SELECT
            RAISE(ABORT, 'no'); END;
        """,
        """
        CREATE TEMP TRIGGER tr2 AFTER UPDATE OF a, b ON main.t1 BEGIN SELECT RAISE(IGNORE); INSERT OR
            REPLACE INTO t2 SELECT 1 ON CONFLICT DO NOTHING; END;
        """,
        """
        CREATE TRIGGER tr3 INSTEAD OF DELETE ON v1 BEGIN UPDATE OR FAIL t1 SET a = old.x FROM t2 WHERE t2.a
            = 1; SELECT RAISE(ROLLBACK, "msg"), RAISE(FAIL, 'x'); END;
        """,
        "CREATE TRIGGER tr4 UPDATE ON t1 BEGIN WITH x AS (SELECT 1) SELECT * FROM x; END;",
        "CREATE VIRTUAL TABLE IF NOT EXISTS vt USING fts5 (a, b, tokenize = 'porter ascii', prefix = \"2 3\");",
        "CREATE VIRTUAL TABLE vt2 USING rtree;",
        "CREATE VIRTUAL TABLE vt3 USING m (f(a, b), (c), , [d]);",
        "DROP TABLE IF EXISTS main.t9;",
        "DROP INDEX i9;",
        "DROP VIEW IF EXISTS v1;",
        "DROP TRIGGER main.tr1;",
        "ALTER TABLE t1 RENAME TO t99;",
        "ALTER TABLE main.t99 RENAME COLUMN a TO z;",
        "ALTER TABLE t99 RENAME b TO y;",
        "ALTER TABLE t99 ADD COLUMN w INTEGER DEFAULT 0 NOT NULL;",
        "ALTER TABLE t99 ADD v TEXT;",
        "ALTER TABLE t99 DROP COLUMN w;",
        "ALTER TABLE t99 DROP v;",
        "BEGIN;",
        "BEGIN DEFERRED TRANSACTION;",
        "BEGIN IMMEDIATE TRANSACTION tx;",
        "BEGIN EXCLUSIVE;",
        "COMMIT;",
        "END TRANSACTION;",
        "COMMIT TRANSACTION tx;",
        "ROLLBACK;",
        "ROLLBACK TRANSACTION TO SAVEPOINT sp;",
        "ROLLBACK TO sp;",
        "SAVEPOINT sp;",
        "RELEASE SAVEPOINT sp;",
        "RELEASE sp;",
        "PRAGMA cache_size;",
        "PRAGMA main.cache_size = -2000;",
        "PRAGMA journal_mode = WAL;",
        "PRAGMA table_info(t1);",
        "PRAGMA temp.foreign_keys = ON;",
        "PRAGMA secure_delete = 'fast';",
        "PRAGMA auto_vacuum = +1;",
        "PRAGMA journal_mode = DELETE;",
        "PRAGMA foo(-1.5);",
        "PRAGMA x = DEFAULT;",
        "ANALYZE;",
        "ANALYZE main;",
        "ANALYZE main.t1;",
        "VACUUM;",
        "VACUUM main;",
        "VACUUM INTO 'file.db';",
        "VACUUM temp INTO 'x' || '.db';",
        "REINDEX;",
        "REINDEX nocase;",
        "REINDEX main.i1;",
        "ATTACH DATABASE 'file.db' AS aux;",
        "ATTACH 'x.db' AS y KEY 'secret';",
        "DETACH DATABASE aux;",
        "DETACH y;",
        "EXPLAIN SELECT 1;",
        "EXPLAIN QUERY PLAN SELECT * FROM t1 WHERE a = 1;",
        "SELECT 1; ; SELECT 2;",
        "SELECT a FROM t1 WHERE a IN (SELECT b FROM t2 WHERE b > (SELECT avg(c) FROM t3));",
        "SELECT f(x) OVER win FROM t1 WINDOW win AS (PARTITION BY a ORDER BY b RANGE UNBOUNDED PRECEDING);",
        "SELECT t1.a AS over, count(*) filter FROM t1;",
        "SELECT * FROM t1 WHERE a = ? AND b = ?2 AND c = :c AND d = @c AND e = $c;",
        """
        SELECT 1 /* comment */ -- another
        ;
        """,
    ]
}
