// pragmas: the PRAGMAs of issue 4 on an in-memory database — table_info,
// index_list, index_info, integrity_check, quick_check, page_size, page_count,
// freelist_count, cache_size, user_version, application_id, schema_version,
// encoding, foreign_keys, journal_mode, synchronous, busy_timeout, temp_store,
// database_list — reads, writes and the values each accepts.

extension CaseLibrary {
    static let pragmas = CaseFile(name: "pragmas", text: #"""
-- prelude
CREATE TABLE t(id INTEGER PRIMARY KEY, a TEXT NOT NULL DEFAULT 'x', b REAL UNIQUE, c);

-- case: table-info
CREATE TABLE u(id INTEGER PRIMARY KEY, a TEXT NOT NULL DEFAULT 'x', b REAL UNIQUE, c DEFAULT (1 + 2),
  d DEFAULT -5, e DEFAULT CURRENT_TIMESTAMP, f VARCHAR(3) DEFAULT 'it''s');
PRAGMA table_info(u);
PRAGMA table_info('u');
PRAGMA main.table_info(u);
PRAGMA table_info(nosuch);
PRAGMA table_info = u;
SELECT * FROM pragma_table_info('u') WHERE pk = 0 ORDER BY cid;

-- case: table-info-composite-pk
CREATE TABLE u(a, b, c, PRIMARY KEY(c, a));
PRAGMA table_info(u);
CREATE TABLE w(a, b, PRIMARY KEY(b)) WITHOUT ROWID;
PRAGMA table_info(w);

-- case: index-list-and-info
CREATE INDEX ic ON t(c, a DESC);
CREATE UNIQUE INDEX ia ON t(a) WHERE c > 0;
PRAGMA index_list(t);
PRAGMA index_info(ic);
PRAGMA index_info(ia);
PRAGMA index_info(sqlite_autoindex_t_1);
PRAGMA index_list(nosuch);

-- case: integrity-and-quick-check
INSERT INTO t VALUES(1, 'a', 1.0, 1), (2, 'b', 2.0, 2);
CREATE INDEX ic ON t(c);
PRAGMA integrity_check;
PRAGMA quick_check;
PRAGMA integrity_check(5);
PRAGMA integrity_check(t);
PRAGMA quick_check(1);

-- case: page-size-count-freelist
PRAGMA page_size;
PRAGMA page_count;
PRAGMA freelist_count;
CREATE TABLE big(x);
INSERT INTO big SELECT zeroblob(3000) FROM (SELECT 1 UNION SELECT 2 UNION SELECT 3 UNION SELECT 4);
PRAGMA page_count;
DROP TABLE big;
PRAGMA freelist_count;
PRAGMA page_count;

-- case: page-size-set
PRAGMA page_size = 1024;
PRAGMA page_size;
PRAGMA page_size = 3000;
PRAGMA page_size;

-- case: cache-size
PRAGMA cache_size;
PRAGMA cache_size = 100;
PRAGMA cache_size;
PRAGMA cache_size = -500;
PRAGMA cache_size;
PRAGMA cache_size = 'abc';
PRAGMA cache_size;

-- case: default-cache-size
PRAGMA default_cache_size;
PRAGMA default_cache_size = -300;
PRAGMA default_cache_size;
PRAGMA cache_size;
PRAGMA cache_size = 50;
PRAGMA default_cache_size;
PRAGMA cache_size;
PRAGMA default_cache_size = 'x';
PRAGMA default_cache_size;
PRAGMA cache_size;
CREATE TABLE dcs(a);
PRAGMA default_cache_size = 77;
SELECT * FROM dcs;
PRAGMA default_cache_size;

-- case: user-version-and-application-id
PRAGMA user_version;
PRAGMA user_version = 42;
PRAGMA user_version;
PRAGMA user_version = -1;
PRAGMA user_version;
PRAGMA user_version = '12';
PRAGMA user_version;
PRAGMA application_id;
PRAGMA application_id = 1234567;
PRAGMA application_id;
PRAGMA main.user_version;

-- case: schema-version
PRAGMA schema_version;
CREATE TABLE u(x);
PRAGMA schema_version;
CREATE INDEX ux ON u(x);
DROP INDEX ux;
PRAGMA schema_version;

-- case: encoding
PRAGMA encoding;
PRAGMA encoding = 'UTF-16';
PRAGMA encoding;

-- case: foreign-keys
PRAGMA foreign_keys;
PRAGMA foreign_keys = ON;
PRAGMA foreign_keys;
PRAGMA foreign_keys = off;
PRAGMA foreign_keys;
PRAGMA foreign_keys = 1;
PRAGMA foreign_keys = yes;
PRAGMA foreign_keys;

-- case: journal-mode
PRAGMA journal_mode;
PRAGMA journal_mode = DELETE;
PRAGMA journal_mode = WAL;
PRAGMA journal_mode = OFF;
PRAGMA journal_mode;
PRAGMA journal_mode = bogus;

-- case: synchronous
PRAGMA synchronous;
PRAGMA synchronous = OFF;
PRAGMA synchronous;
PRAGMA synchronous = NORMAL;
PRAGMA synchronous;
PRAGMA synchronous = 3;
PRAGMA synchronous;
PRAGMA synchronous = FULL;
PRAGMA synchronous;
PRAGMA synchronous = bogus;
PRAGMA synchronous;

-- case: busy-timeout
PRAGMA busy_timeout;
PRAGMA busy_timeout = 2500;
PRAGMA busy_timeout;
PRAGMA busy_timeout = -5;
PRAGMA busy_timeout;

-- case: temp-store
PRAGMA temp_store;
PRAGMA temp_store = MEMORY;
PRAGMA temp_store;
PRAGMA temp_store = FILE;
PRAGMA temp_store;
PRAGMA temp_store = 0;
PRAGMA temp_store;

-- case: database-list
PRAGMA database_list;

-- case: unknown-and-odd
PRAGMA nosuch_pragma;
PRAGMA nosuch_pragma = 1;
PRAGMA nosuchdb.user_version;
PRAGMA user_version(5);
PRAGMA user_version;

-- case: pragma-table-functions
CREATE TABLE u(x, y PRIMARY KEY, z integer NOT NULL DEFAULT 7) WITHOUT ROWID;
CREATE INDEX tc ON t(c);
CREATE VIEW v AS SELECT a, b FROM t;
SELECT * FROM pragma_table_info('u');
SELECT * FROM pragma_table_info('u', 'main');
SELECT * FROM pragma_table_info;
SELECT * FROM pragma_table_info(NULL);
SELECT * FROM pragma_table_info('nosuch');
SELECT * FROM pragma_table_xinfo('u');
SELECT * FROM pragma_index_list('t') AS il ORDER BY seq;
SELECT * FROM main.pragma_index_info('tc');
SELECT * FROM pragma_user_version;
SELECT * FROM pragma_page_size();
SELECT * FROM pragma_database_list;
SELECT * FROM pragma_user_version(3);
SELECT * FROM pragma_table_info('t', 'main', 'x');
SELECT * FROM pragma_nosuch;
SELECT * FROM pragma_table_info(nosuch);
SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) AS p WHERE p.pk ORDER BY 1;
SELECT m.name, p.name, p.cid FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p ON p.name = 'b' WHERE m.type = 'table';
SELECT m.name, il.name FROM sqlite_master m LEFT JOIN pragma_index_list(m.name) il WHERE m.type IN ('table', 'view') ORDER BY 1, 2;
SELECT m.name, ii.name, ii.seqno FROM sqlite_master m, pragma_index_list(m.name) il, pragma_index_info(il.name) ii ORDER BY 1, 2, 3;
SELECT (SELECT group_concat(name) FROM pragma_table_info(m.name)) FROM sqlite_master m WHERE type = 'table' ORDER BY 1;
SELECT name FROM pragma_table_info('t') WHERE name IN (SELECT name FROM pragma_table_info('v'));
SELECT * FROM pragma_quick_check;
SELECT * FROM pragma_integrity_check('t');

-- case: declared-type-names
CREATE TABLE x(a "my type", b 'integer', c [text], d Int, e any, f "int"(3), g blob, h Real, i numeric, j "text" NOT NULL,
  k 'it''s', l [a b], m "Integer" PRIMARY KEY);
PRAGMA table_info(x);
INSERT INTO x(a, m) VALUES(1, 5);
SELECT rowid, m FROM x;
SELECT * FROM pragma_table_info('sqlite_master');

-- case: pragma-functions
SELECT name, type, pk FROM pragma_table_info('t') ORDER BY cid;
SELECT count(*) FROM pragma_index_list('t');
SELECT * FROM pragma_user_version;
"""#)
}
