#!/bin/sh
# Regenerates the FileReader seed corpus (corpus/, files without a .db suffix,
# which .gitignore excludes) with the sqlite3 CLI:
# small databases (512- and 1024-byte pages, a few pages each) covering the
# three text encodings, auto-vacuum modes, tables and indexes, WITHOUT ROWID,
# overflow chains, freelists and every serial type. Run it from anywhere.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
DIR="$HERE/corpus"
rm -f "$DIR"/seed-*  # regress-* files are fuzz findings kept as regression seeds
mkdir -p "$DIR"
n=0
make() {  # make PAGE_SIZE ENCODING AUTO_VACUUM SQL
    n=$((n + 1))
    f="$DIR/seed-$(printf %02d $n)"
    printf 'PRAGMA page_size=%s;\nPRAGMA encoding="%s";\nPRAGMA auto_vacuum=%s;\n%s\n' "$1" "$2" "$3" "$4" \
        | sqlite3 -batch -bail "$f"
}
ROWS="WITH RECURSIVE s(i) AS (VALUES(1) UNION ALL SELECT i+1 FROM s WHERE i<40)"
for enc in UTF-8 UTF-16le UTF-16be; do
    for av in NONE FULL INCREMENTAL; do
        make 512 $enc $av "CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c); CREATE INDEX tb ON t(b, c DESC);
            $ROWS INSERT INTO t SELECT i, 'v' || i, CASE WHEN i % 9 = 0 THEN zeroblob(700) ELSE i * 1.5 END FROM s;
            DELETE FROM t WHERE a % 4 = 0;"
    done
    make 1024 $enc NONE "CREATE TABLE w(k TEXT COLLATE NOCASE PRIMARY KEY, v) WITHOUT ROWID;
        CREATE INDEX wv ON w(v); $ROWS INSERT INTO w SELECT 'K' || i, i % 7 FROM s;"
done
make 512 UTF-8 NONE "CREATE TABLE x(v); INSERT INTO x VALUES (NULL),(0),(1),(-1),(300),(-70000),(2147483648),
    (140737488355328),(9223372036854775807),(0.5),(-0.0),(9e999),(''),('text'),(x''),(x'00ff'),(zeroblob(3000));
    CREATE INDEX xv ON x(v);"
make 512 UTF-8 NONE "CREATE TABLE e(a);"
make 512 UTF-8 NONE ""
make 1024 UTF-8 NONE "CREATE TABLE u(a UNIQUE, b NOT NULL, c TEXT COLLATE RTRIM);
    $ROWS INSERT INTO u SELECT i, 'b' || (i % 5), 'c ' || i || '  ' FROM s; CREATE INDEX uc ON u(c);"
make 512 UTF-8 INCREMENTAL "CREATE TABLE a(x); CREATE TABLE b(y); CREATE INDEX by ON b(y);
    $ROWS INSERT INTO a SELECT randomblob(200) FROM s;
    $ROWS INSERT INTO b SELECT i FROM s; DROP TABLE a;"
make 512 UTF-8 FULL "CREATE TABLE a(x); CREATE TABLE b(y PRIMARY KEY, z) WITHOUT ROWID;
    $ROWS INSERT INTO b SELECT printf('%.*c', i * 20, 'y'), i FROM s; DROP TABLE a;"
make 512 UTF-16le NONE "CREATE TABLE t(a, b); INSERT INTO t VALUES ('ünï', x'01'), ('😀', 2); CREATE INDEX tab ON t(a, b);"
make 1024 UTF-8 NONE "CREATE TABLE big(id INTEGER PRIMARY KEY, v);
    WITH RECURSIVE s(i) AS (VALUES(1) UNION ALL SELECT i+1 FROM s WHERE i<300) INSERT INTO big SELECT i, i FROM s;"
make 512 UTF-8 NONE "CREATE TABLE g(a INT, b AS (a*2) VIRTUAL, c AS (a+1) STORED); INSERT INTO g(a) VALUES (1),(2);
    CREATE TABLE s(a INTEGER PRIMARY KEY, b TEXT) STRICT; INSERT INTO s VALUES (1, 'x');"
make 512 UTF-8 NONE "CREATE TABLE t(a); INSERT INTO t VALUES (1); ALTER TABLE t ADD COLUMN b DEFAULT 5;
    INSERT INTO t VALUES (2, 3); CREATE INDEX tb ON t(b);"
make 4096 UTF-8 NONE "CREATE TABLE f(a, b); INSERT INTO f VALUES (1, 'one'), (2, zeroblob(5000));"
make 4096 UTF-16be INCREMENTAL "CREATE TABLE n(a TEXT COLLATE NOCASE); CREATE INDEX na ON n(a DESC);
    $ROWS INSERT INTO n SELECT char(65 + i % 26, 97 + i % 7) FROM s;"
make 512 UTF-8 NONE "CREATE TABLE q(a INTEGER PRIMARY KEY AUTOINCREMENT, b); INSERT INTO q(b) VALUES (1), (2);"
make 512 UTF-8 NONE "CREATE TABLE m(a, b, c, PRIMARY KEY(b DESC, a)) WITHOUT ROWID;
    $ROWS INSERT INTO m SELECT 'a' || i, i % 5, zeroblob(i * 10) FROM s;"
make 1024 UTF-8 NONE "CREATE TABLE i(a); CREATE INDEX ia ON i(a);
    WITH RECURSIVE s(i) AS (VALUES(1) UNION ALL SELECT i+1 FROM s WHERE i<120) INSERT INTO i SELECT printf('%.*c', 40, 'k') || i FROM s;"
make 512 UTF-8 FULL "CREATE TABLE p(a); $ROWS INSERT INTO p SELECT zeroblob(1200) FROM s; DELETE FROM p WHERE rowid > 3;"
make 512 UTF-8 NONE "CREATE TABLE r(a); $ROWS INSERT INTO r SELECT randomblob(100) FROM s; DELETE FROM r;"
make 512 UTF-16le NONE "CREATE TABLE v(a); CREATE VIEW vv AS SELECT * FROM v; CREATE TRIGGER vt AFTER INSERT ON v BEGIN SELECT 1; END;"
ls -l "$DIR" | awk '{ s += $5 } END { print NR - 1, "seeds,", s, "bytes" }'
