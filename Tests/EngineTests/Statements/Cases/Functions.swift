// functions: the core scalar and aggregate functions of issue 4 called from
// full statements over table columns (the function units are tested alone in
// Functions/), with connection-dependent ones (changes, last_insert_rowid) and
// the errors of calling them wrongly.

extension CaseLibrary {
    static let functions = CaseFile(name: "functions", text: #"""
-- prelude
CREATE TABLE t(id INTEGER PRIMARY KEY, s TEXT, n, r REAL);
INSERT INTO t VALUES(1, 'Hello', 10, 1.25), (2, 'wörld', -3, NULL), (3, NULL, NULL, -0.5), (4, '', 0, 2.0),
  (5, '  pad  ', 7, 1e20);

-- case: text-functions
SELECT id, length(s), upper(s), lower(s), trim(s), ltrim(s), rtrim(s), hex(s) FROM t ORDER BY id;
SELECT id, substr(s, 2), substr(s, 2, 2), substr(s, -2), substring(s, 0, 2), instr(s, 'l'), replace(s, 'l', 'L')
  FROM t ORDER BY id;
SELECT id, quote(s), unicode(s), char(72, 105), soundex(s), trim(s, ' p'), ltrim(s, ' '), rtrim(s, 'd ')
  FROM t ORDER BY id;
SELECT concat(s, n, r), concat_ws('-', s, n, r), s || n FROM t ORDER BY id;
SELECT printf('%s|%d|%.2f|%5s|%-5s|%x', s, n, r, 'ab', 'cd', 255) FROM t ORDER BY id;
SELECT format('%q %Q %w', 'it''s', 'x', 'a"b'), printf('%c%c', 'hi', 'yo'), printf();

-- case: numeric-functions
SELECT id, abs(n), sign(n), round(r), round(r, 1), max(n, r), min(n, r), coalesce(n, r, 'none') FROM t ORDER BY id;
SELECT round(2.5), round(-2.5), round(0.5), round(1.005, 2), round(1e20), round(12345.6789, -2), round(NULL);
SELECT abs('x'), abs(NULL), abs(-0.0), sign('x'), sign(-2.5), sign(0), typeof(abs(-3)), typeof(abs('-3'));

-- case: null-handling-functions
SELECT ifnull(s, 'dflt'), nullif(n, 0), iif(n > 0, 'pos', 'nonpos'), coalesce(s, n) FROM t ORDER BY id;
SELECT likely(1), unlikely(0), likelihood(5, 0.5), typeof(likelihood(NULL, 0.1));
SELECT likelihood(1, 2);
SELECT coalesce(1);
SELECT iif(1, 2);

-- case: blob-functions
SELECT hex(zeroblob(3)), length(zeroblob(10)), typeof(zeroblob(0)), hex(x''), length(randomblob(5)), quote(x'abcd');
SELECT length(randomblob(0)), typeof(randomblob(-1)), zeroblob(-1) = x'';
SELECT hex(CAST('abc' AS BLOB)), length(x'000102'), instr(x'0102030203', x'0203'), substr(x'01020304', 2, 2);

-- case: connection-functions
INSERT INTO t(s) VALUES('new');
SELECT changes(), total_changes(), last_insert_rowid();
UPDATE t SET n = 1;
SELECT changes(), total_changes(), last_insert_rowid();
SELECT sqlite_version();
SELECT typeof(random()), random() = random();

-- case: aggregate-functions
SELECT count(*), count(s), count(n), sum(n), total(n), avg(n), min(n), max(n) FROM t;
SELECT group_concat(s), group_concat(s, '; '), string_agg(s, '|'), group_concat(n) FROM t;
SELECT sum(r), avg(r), min(r), max(r), total(r) FROM t;
SELECT min(s), max(s), min(s COLLATE NOCASE) FROM t;
SELECT count(DISTINCT n % 2), sum(DISTINCT n), avg(DISTINCT n), group_concat(DISTINCT s) FROM t;
SELECT avg(s), sum(s), total(s) FROM t;
SELECT count(*) FILTER (WHERE n > 0), sum(n) FILTER (WHERE id < 3) FROM t;

-- case: aggregate-errors
SELECT count(*, 1) FROM t;
SELECT sum() FROM t;
SELECT sum(n, n) FROM t;
SELECT group_concat(DISTINCT s, ',') FROM t;
SELECT count(DISTINCT *) FROM t;
SELECT max(DISTINCT n, 1) FROM t;
SELECT sum(sum(n)) FROM t;
SELECT nosuch(1);
SELECT nosuch(*);
SELECT abs(*) FROM t;
SELECT upper();
SELECT substr('x');
SELECT char();
SELECT length(1, 2);
SELECT s FROM t WHERE count(*) > 0;
SELECT * FROM t ORDER BY sum(n);
SELECT lower(1, 2);
SELECT round(1, 2, 3);

-- case: date-time-shapes
SELECT date('2024-02-29'), time('12:34:56.789'), datetime('2024-01-01 10:00', '+1 day', '-2 hours');
SELECT julianday('2000-01-01'), strftime('%Y/%m/%d %H:%M:%S %j %w', '2021-03-04 05:06:07'), unixepoch('1970-01-02');
SELECT date('2024-01-31', '+1 month'), date('now') = date('now'), typeof(julianday('now')), date('bogus');
SELECT length(CURRENT_TIMESTAMP), length(CURRENT_DATE), length(CURRENT_TIME), CURRENT_DATE = date('now');
"""#)
}
