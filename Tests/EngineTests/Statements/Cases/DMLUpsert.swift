// dml-upsert: INSERT … ON CONFLICT … DO NOTHING / DO UPDATE (lang_upsert.html)
// — conflict targets (rowid, UNIQUE, PRIMARY KEY, several columns, COLLATE,
// partial and expression indexes), several clauses and their order, excluded.*,
// the DO UPDATE's WHERE, the counts, triggers, WITHOUT ROWID tables, and the
// errors sqlite3 gives for targets that match nothing.

extension CaseLibrary {
    static let dmlUpsert = CaseFile(name: "dml-upsert", text: #"""
-- prelude
CREATE TABLE t(id INTEGER PRIMARY KEY, u TEXT UNIQUE, v REAL, n INT NOT NULL DEFAULT 0, c CHECK(c IS NULL OR c >= 0));
INSERT INTO t VALUES(1, 'a', 1.5, 1, NULL), (2, 'b', 2.5, 2, NULL), (3, 'c', 3.5, 3, NULL);

-- case: do-nothing-without-target
INSERT INTO t VALUES(1, 'z', 0, 0, NULL) ON CONFLICT DO NOTHING;
INSERT INTO t VALUES(9, 'a', 0, 0, NULL) ON CONFLICT DO NOTHING;
INSERT INTO t VALUES(4, 'd', 4.5, 4, NULL) ON CONFLICT DO NOTHING;
SELECT changes(), total_changes(), last_insert_rowid();
SELECT * FROM t ORDER BY id;

-- case: do-nothing-is-only-for-uniqueness
INSERT INTO t VALUES(5, 'e', 0, NULL, NULL) ON CONFLICT DO NOTHING;
INSERT INTO t VALUES(5, 'e', 0, 0, -1) ON CONFLICT DO NOTHING;
INSERT INTO t VALUES(1, 'e', 0, NULL, NULL) ON CONFLICT(id) DO NOTHING;
SELECT * FROM t ORDER BY id;

-- case: do-nothing-with-targets
INSERT INTO t VALUES(1, 'z', 0, 0, NULL) ON CONFLICT(id) DO NOTHING;
INSERT INTO t VALUES(9, 'a', 0, 0, NULL) ON CONFLICT(u) DO NOTHING;
INSERT INTO t VALUES(1, 'y', 0, 0, NULL) ON CONFLICT(u) DO NOTHING;
INSERT INTO t VALUES(9, 'a', 0, 0, NULL) ON CONFLICT(id) DO NOTHING;
SELECT changes(), total_changes();
SELECT * FROM t ORDER BY id;

-- case: do-update-on-rowid
INSERT INTO t VALUES(2, 'zz', 9.5, 9, NULL) ON CONFLICT(id) DO UPDATE SET v = excluded.v, n = n + excluded.n;
SELECT changes(), total_changes(), last_insert_rowid();
SELECT * FROM t ORDER BY id;

-- case: do-update-on-unique
INSERT INTO t VALUES(7, 'c', 7, 7, NULL) ON CONFLICT(u) DO UPDATE SET n = t.n * 100, v = excluded.v + 0.25;
SELECT changes(), total_changes(), last_insert_rowid();
SELECT *, typeof(v) FROM t ORDER BY id;

-- case: do-update-without-target
INSERT INTO t VALUES(3, 'q', 0, 0, NULL) ON CONFLICT DO UPDATE SET u = excluded.u || '!';
INSERT INTO t VALUES(8, 'a', 0, 0, NULL) ON CONFLICT DO UPDATE SET u = excluded.u || '?';
SELECT * FROM t ORDER BY id;

-- case: do-update-where
INSERT INTO t VALUES(1, 'a', 0, 50, NULL) ON CONFLICT(id) DO UPDATE SET n = excluded.n WHERE excluded.n > t.n;
SELECT changes();
INSERT INTO t VALUES(1, 'a', 0, 0, NULL) ON CONFLICT(id) DO UPDATE SET n = excluded.n WHERE excluded.n > t.n;
SELECT changes();
INSERT INTO t VALUES(2, 'b', 0, 5, NULL) ON CONFLICT(id) DO UPDATE SET n = excluded.n WHERE NULL;
SELECT changes(), total_changes();
SELECT id, n FROM t ORDER BY id;

-- case: insert-alias
INSERT INTO t AS old VALUES(1, 'a', 0, 5, NULL) ON CONFLICT(id) DO UPDATE SET n = old.n + excluded.n, u = upper(old.u);
INSERT INTO t AS old VALUES(2, 'b', 0, 5, NULL) ON CONFLICT(id) DO UPDATE SET n = t.n;
SELECT id, u, n FROM t ORDER BY id;

-- case: excluded-reads-the-row-after-affinity-and-defaults
INSERT INTO t(id, u, v) VALUES(1, 'x', '12') ON CONFLICT(id) DO UPDATE SET
    u = typeof(excluded.v) || ' ' || excluded.v || ' ' || excluded.n || ' ' || quote(excluded.c);
INSERT INTO t(u, v) VALUES('c', 7) ON CONFLICT(u) DO UPDATE SET n = typeof(excluded.v) = 'real', c = excluded.id IS NULL;
SELECT id, u, n, c FROM t ORDER BY id;

-- case: multi-row-values
INSERT INTO t VALUES(10, 'j', 0, 1, NULL), (10, 'k', 0, 2, NULL), (11, 'j', 0, 3, NULL), (12, 'l', 0, 4, NULL)
    ON CONFLICT(id) DO UPDATE SET n = n + excluded.n ON CONFLICT(u) DO UPDATE SET n = n * 10;
SELECT changes(), total_changes(), last_insert_rowid();
SELECT id, u, n FROM t ORDER BY id;

-- case: insert-select
CREATE TABLE src(id, u, n);
INSERT INTO src VALUES(1, 'a', 10), (2, 'new', 20), (20, 'b', 30), (21, 'u21', 40);
INSERT INTO t(id, u, n) SELECT id, u, n FROM src WHERE true ON CONFLICT(id) DO UPDATE SET n = excluded.n;
SELECT changes();
SELECT id, u, n FROM t ORDER BY id;
INSERT INTO t(id, u, n) SELECT id + 100, u, n FROM src WHERE true ON CONFLICT DO NOTHING;
SELECT id, u, n FROM t ORDER BY id;

-- case: insert-select-reading-the-table
INSERT INTO t(id, u, n) SELECT id, u || '2', n FROM t WHERE true ON CONFLICT(id) DO UPDATE SET n = n + 1000;
SELECT id, u, n FROM t ORDER BY id;

-- case: clause-order-decides
CREATE TABLE m(a INTEGER PRIMARY KEY, b UNIQUE, c UNIQUE, d);
INSERT INTO m VALUES(1, 'b1', 'c1', 'first'), (2, 'b2', 'c2', 'second');
INSERT INTO m VALUES(1, 'b2', 'c9', 'x') ON CONFLICT(c) DO UPDATE SET d = 'by c' ON CONFLICT(b) DO UPDATE SET d = 'by b'
    ON CONFLICT(a) DO UPDATE SET d = 'by a';
SELECT * FROM m ORDER BY a;
INSERT INTO m VALUES(1, 'b2', 'c9', 'x') ON CONFLICT(a) DO UPDATE SET d = 'by a' ON CONFLICT(b) DO UPDATE SET d = 'by b';
SELECT * FROM m ORDER BY a;
INSERT INTO m VALUES(1, 'b2', 'c9', 'x') ON CONFLICT(b) DO UPDATE SET d = 'by b again' ON CONFLICT DO NOTHING;
SELECT * FROM m ORDER BY a;
INSERT INTO m VALUES(1, 'b9', 'c2', 'x') ON CONFLICT(b) DO UPDATE SET d = 'not this' ON CONFLICT DO UPDATE SET d = 'last';
SELECT * FROM m ORDER BY a;
INSERT INTO m VALUES(3, 'b9', 'c1', 'x') ON CONFLICT(b) DO NOTHING;
INSERT INTO m VALUES(3, 'b9', 'c1', 'x') ON CONFLICT(b) DO NOTHING ON CONFLICT(b) DO UPDATE SET d = 'dup';
SELECT * FROM m ORDER BY a;

-- case: update-breaks-another-constraint
CREATE TABLE m(a INTEGER PRIMARY KEY, b UNIQUE, c NOT NULL);
INSERT INTO m VALUES(1, 'one', 1), (2, 'two', 2);
INSERT INTO m VALUES(1, 'x', 0) ON CONFLICT(a) DO UPDATE SET b = 'two';
INSERT INTO m VALUES(1, 'x', 0) ON CONFLICT(a) DO UPDATE SET c = NULL;
INSERT INTO m VALUES(3, 'three', 3), (1, 'x', 0) ON CONFLICT(a) DO UPDATE SET b = 'two';
SELECT * FROM m ORDER BY a;
SELECT changes(), total_changes();
INSERT OR IGNORE INTO m VALUES(1, 'x', 0) ON CONFLICT(a) DO UPDATE SET b = 'two';
SELECT * FROM m ORDER BY a;

-- case: or-clause-applies-to-other-constraints
CREATE TABLE m(a INTEGER PRIMARY KEY, b UNIQUE, c);
INSERT INTO m VALUES(1, 'one', 1), (2, 'two', 2);
INSERT OR REPLACE INTO m VALUES(1, 'two', 9) ON CONFLICT(a) DO UPDATE SET c = 100;
SELECT * FROM m ORDER BY a;
INSERT OR REPLACE INTO m VALUES(5, 'two', 9) ON CONFLICT(a) DO UPDATE SET c = 100;
SELECT * FROM m ORDER BY a;
INSERT OR IGNORE INTO m VALUES(6, 'two', 9) ON CONFLICT(a) DO UPDATE SET c = 100;
INSERT OR FAIL INTO m VALUES(7, 'two', 9) ON CONFLICT(a) DO UPDATE SET c = 100;
SELECT * FROM m ORDER BY a;

-- case: set-rowid-and-row-values
CREATE TABLE m(a INTEGER PRIMARY KEY, b UNIQUE, c, d);
INSERT INTO m VALUES(1, 'one', 1, 1), (2, 'two', 2, 2);
INSERT INTO m VALUES(9, 'one', 0, 0) ON CONFLICT(b) DO UPDATE SET a = excluded.a, (c, d) = (excluded.c + 5, 'd');
INSERT INTO m VALUES(9, 'x', 0, 0) ON CONFLICT(a) DO UPDATE SET (c, d) = (SELECT max(a), count(*) FROM m);
INSERT INTO m VALUES(9, 'x', 0, 0) ON CONFLICT(a) DO UPDATE SET rowid = 2;
SELECT rowid, * FROM m ORDER BY a;

-- case: composite-and-collated-targets
CREATE TABLE m(a, b, c, d, UNIQUE(a, b), UNIQUE(c COLLATE nocase));
INSERT INTO m VALUES(1, 2, 'Xy', 0);
INSERT INTO m VALUES(1, 2, 'q', 0) ON CONFLICT(b, a) DO UPDATE SET d = d + 1;
INSERT INTO m VALUES(1, 2, 'q', 0) ON CONFLICT(a, b) DO UPDATE SET d = d + 1;
INSERT INTO m VALUES(5, 5, 'xY', 0) ON CONFLICT(c) DO UPDATE SET d = d + 10;
INSERT INTO m VALUES(5, 5, 'xY', 0) ON CONFLICT(c COLLATE NOCASE) DO UPDATE SET d = d + 10;
INSERT INTO m VALUES(5, 5, 'xY', 0) ON CONFLICT(c COLLATE binary) DO UPDATE SET d = d + 10;
INSERT INTO m VALUES(5, 5, 'xY', 0) ON CONFLICT(a) DO NOTHING;
INSERT INTO m VALUES(5, 5, 'xY', 0) ON CONFLICT(a, b, c) DO NOTHING;
INSERT INTO m VALUES(5, 5, 'xY', 0) ON CONFLICT(d) DO NOTHING;
INSERT INTO m VALUES(5, 5, 'xY', 0) ON CONFLICT(a, a) DO NOTHING;
INSERT INTO m VALUES(5, 5, 'xY', 0) ON CONFLICT(m.c DESC) DO UPDATE SET d = -1;
SELECT * FROM m;

-- case: partial-and-expression-index-targets
CREATE TABLE m(a, b, c);
CREATE UNIQUE INDEX mp ON m(a) WHERE b > 0;
CREATE UNIQUE INDEX me ON m(lower(c));
INSERT INTO m VALUES(1, 1, 'One'), (1, -1, 'two');
INSERT INTO m VALUES(1, 5, 'three') ON CONFLICT(a) DO NOTHING;
INSERT INTO m VALUES(1, 5, 'three') ON CONFLICT(a) WHERE b > 1 DO NOTHING;
INSERT INTO m VALUES(1, 5, 'three') ON CONFLICT(a) WHERE b > 0 DO UPDATE SET c = c || '+';
INSERT INTO m VALUES(9, 5, 'ONE') ON CONFLICT(lower(c)) DO UPDATE SET b = b + 100;
INSERT INTO m VALUES(9, 5, 'ONE') ON CONFLICT(upper(c)) DO NOTHING;
SELECT * FROM m ORDER BY rowid;

-- case: without-rowid
CREATE TABLE w(k TEXT PRIMARY KEY, u UNIQUE, v) WITHOUT ROWID;
INSERT INTO w VALUES('a', 1, 'x'), ('b', 2, 'y');
INSERT INTO w VALUES('a', 9, 'new') ON CONFLICT(k) DO UPDATE SET v = excluded.v || '!', u = u + 10;
INSERT INTO w VALUES('z', 2, 'zz') ON CONFLICT(u) DO UPDATE SET v = 'via u', k = 'bb';
INSERT INTO w VALUES('c', 3, 'c') ON CONFLICT DO NOTHING;
INSERT INTO w VALUES('c', 4, 'c') ON CONFLICT(k) DO NOTHING;
INSERT INTO w VALUES('d', 3, 'c') ON CONFLICT DO UPDATE SET v = 'targetless';
INSERT INTO w VALUES('e', 3, 'c') ON CONFLICT(k) DO UPDATE SET v = 'no';
SELECT * FROM w ORDER BY k;
SELECT changes(), total_changes();
PRAGMA integrity_check;

-- case: triggers-fire-as-for-an-update
CREATE TABLE log(x);
CREATE TRIGGER bi BEFORE INSERT ON t BEGIN INSERT INTO log VALUES('before insert ' || new.id); END;
CREATE TRIGGER ai AFTER INSERT ON t BEGIN INSERT INTO log VALUES('after insert ' || new.id); END;
CREATE TRIGGER bu BEFORE UPDATE ON t BEGIN INSERT INTO log VALUES('before update ' || old.n || '>' || new.n); END;
CREATE TRIGGER au AFTER UPDATE OF n ON t BEGIN INSERT INTO log VALUES('after update ' || old.n || '>' || new.n); END;
INSERT INTO t VALUES(1, 'a', 0, 40, NULL) ON CONFLICT(id) DO UPDATE SET n = excluded.n;
INSERT INTO t VALUES(2, 'b', 0, 40, NULL) ON CONFLICT(id) DO UPDATE SET u = 'bee';
INSERT INTO t VALUES(5, 'e', 0, 40, NULL) ON CONFLICT(id) DO UPDATE SET n = excluded.n;
INSERT INTO t VALUES(3, 'c', 0, 40, NULL) ON CONFLICT(id) DO NOTHING;
SELECT changes(), total_changes();
SELECT * FROM log ORDER BY rowid;
SELECT * FROM t ORDER BY id;

-- case: trigger-raise-ignore-in-update
CREATE TRIGGER bu BEFORE UPDATE ON t WHEN new.n > 100 BEGIN SELECT RAISE(IGNORE); END;
INSERT INTO t VALUES(1, 'a', 0, 500, NULL), (2, 'b', 0, 50, NULL), (9, 'i', 0, 900, NULL)
    ON CONFLICT(id) DO UPDATE SET n = excluded.n;
SELECT changes();
SELECT id, n FROM t ORDER BY id;

-- case: upsert-inside-a-trigger
CREATE TABLE counts(k PRIMARY KEY, hits);
CREATE TABLE events(k);
CREATE TRIGGER tally AFTER INSERT ON events BEGIN
  INSERT INTO counts VALUES(new.k, 1) ON CONFLICT(k) DO UPDATE SET hits = hits + 1;
END;
INSERT INTO events VALUES('a'), ('b'), ('a'), ('a'), ('c'), ('b');
SELECT changes(), total_changes();
SELECT * FROM counts ORDER BY k;

-- case: autoincrement
CREATE TABLE ai(id INTEGER PRIMARY KEY AUTOINCREMENT, u UNIQUE, n);
INSERT INTO ai(u, n) VALUES('a', 1), ('b', 1);
INSERT INTO ai(u, n) VALUES('a', 5) ON CONFLICT(u) DO UPDATE SET n = n + excluded.n;
INSERT INTO ai(u, n) VALUES('c', 1);
SELECT * FROM ai ORDER BY id;
SELECT * FROM sqlite_sequence;

-- case: in-a-transaction-with-a-failing-row
BEGIN;
INSERT INTO t VALUES(1, 'a', 0, 7, NULL), (2, 'b', 0, 7, NULL), (3, 'c', 0, NULL, NULL) ON CONFLICT(id) DO UPDATE SET n = excluded.n;
SELECT id, n FROM t ORDER BY id;
INSERT INTO t VALUES(1, 'a', 0, 8, NULL), (2, 'b', 0, 8, NULL) ON CONFLICT(id) DO UPDATE SET n = excluded.n, c = -1;
COMMIT;
SELECT id, n, c FROM t ORDER BY id;

-- case: target-errors
INSERT INTO t VALUES(1, 'a', 0, 0, NULL) ON CONFLICT(v) DO NOTHING;
INSERT INTO t VALUES(1, 'a', 0, 0, NULL) ON CONFLICT(u) DO NOTHING ON CONFLICT(v) DO NOTHING;
INSERT INTO t VALUES(1, 'a', 0, 0, NULL) ON CONFLICT(u) DO NOTHING ON CONFLICT(id) DO NOTHING ON CONFLICT(n) DO NOTHING;
INSERT INTO t VALUES(1, 'a', 0, 0, NULL) ON CONFLICT(nosuch) DO NOTHING;
INSERT INTO t VALUES(1, 'a', 0, 0, NULL) ON CONFLICT(u) WHERE nosuch > 1 DO NOTHING;
INSERT INTO t VALUES(1, 'a', 0, 0, NULL) ON CONFLICT(u NULLS FIRST) DO NOTHING;
INSERT INTO t VALUES(1, 'a', 0, 0, NULL) ON CONFLICT(u DESC NULLS LAST) DO NOTHING;
INSERT INTO t VALUES(1, 'a', 0, 0, NULL) ON CONFLICT(id COLLATE nocase) DO NOTHING;
INSERT INTO t VALUES(1, 'a', 0, 0, NULL) ON CONFLICT(u) DO UPDATE SET nosuch = 1;
INSERT INTO t VALUES(1, 'a', 0, 0, NULL) ON CONFLICT(u) DO UPDATE SET n = nosuch;
INSERT INTO t VALUES(1, 'a', 0, 0, NULL) ON CONFLICT(u) DO UPDATE SET n = excluded.nosuch;
INSERT INTO t VALUES(1, 'a', 0, 0) ON CONFLICT(u) DO NOTHING;
INSERT INTO t(id, nosuch) VALUES(1, 'a') ON CONFLICT(v) DO NOTHING;
CREATE VIEW tv AS SELECT * FROM t;
INSERT INTO tv VALUES(1, 'a', 0, 0, NULL) ON CONFLICT DO NOTHING;
CREATE TRIGGER tvi INSTEAD OF INSERT ON tv BEGIN SELECT 1; END;
INSERT INTO tv VALUES(1, 'a', 0, 0, NULL) ON CONFLICT DO NOTHING;
SELECT * FROM t ORDER BY id;
"""#)
}
