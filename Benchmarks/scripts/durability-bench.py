#!/usr/bin/env python3
"""Issue 5's durability benchmarks: swiftdb vs sqlite3, side by side in one run.

  1. 10,000 single-row INSERT transactions in WAL mode, synchronous=FULL and NORMAL
  2. one transaction of 1,000,000 rows (WAL mode)
  3. a checkpoint of a ~100 MB WAL left by a writer that did not close
     (each engine opens the same crashed files, recovers the log and runs
     PRAGMA wal_checkpoint(TRUNCATE))

Each figure is the median of --runs alternating runs (wall time of the CLI).
Usage: durability-bench.py [--swiftdb PATH] [--runs 3] [--workdir DIR]
"""
import argparse, os, shutil, sqlite3, statistics, subprocess, sys, tempfile, time

def run(cli, db, script):
    t0 = time.perf_counter()
    p = subprocess.run([cli, db], input=script.encode(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    t = time.perf_counter() - t0
    if p.returncode != 0 or p.stderr:
        sys.exit(f"{cli} failed: {p.stderr.decode()[:500]}")
    return t, p.stdout.decode()

def fresh(path):
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)

def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--swiftdb", default=os.path.join(here, "..", "..", ".build", "release", "swiftdb"))
    ap.add_argument("--sqlite3", default="sqlite3")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workdir")
    a = ap.parse_args()
    work = a.workdir or tempfile.mkdtemp(prefix="durability-bench-")
    engines = [("sqlite3", a.sqlite3), ("swiftdb", a.swiftdb)]
    results = []

    def bench(name, make_script, setup=None, check="SELECT count(*) FROM t;"):
        times = {e: [] for e, _ in engines}
        outputs = {}
        for _ in range(a.runs):
            for e, cli in engines:
                db = os.path.join(work, f"{e}.db")
                fresh(db)
                if setup: setup(db)
                t, _ = run(cli, db, make_script())
                times[e].append(t)
                outputs[e] = run(a.sqlite3, db, "PRAGMA integrity_check;" + check)[1]
        if outputs["sqlite3"] != outputs["swiftdb"]:
            sys.exit(f"{name}: results differ: {outputs}")
        s, w = statistics.median(times["sqlite3"]), statistics.median(times["swiftdb"])
        results.append((name, s, w))
        print(f"{name:55s} sqlite3 {s:8.3f}s  swiftdb {w:8.3f}s  ratio {w / s:5.2f}x", flush=True)

    for sync in ("FULL", "NORMAL"):
        def script(sync=sync):
            lines = [f"PRAGMA journal_mode=WAL; PRAGMA synchronous={sync};",
                     "CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c INTEGER);"]
            lines += [f"INSERT INTO t(b, c) VALUES ('row {i}', {i * 7919 % 10007});" for i in range(10000)]
            return "\n".join(lines) + "\n"
        bench(f"10,000 single-row INSERT transactions, WAL, synchronous={sync}", script)

    def big():
        return ("PRAGMA journal_mode=WAL; CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c INTEGER);\n"
                "BEGIN;\nWITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)\n"
                "  INSERT INTO t(b, c) SELECT 'row ' || i, i * 7919 % 10007 FROM n;\nCOMMIT;\n")
    bench("one transaction of 1,000,000 rows, WAL", big)

    # A ~100 MB log: a sqlite3 writer that never closes (os._exit) leaves every commit in the WAL.
    template = os.path.join(work, "crashed.db")
    fresh(template)
    writer = f"""
import sqlite3, os
c = sqlite3.connect({template!r}, isolation_level=None)
c.execute('PRAGMA journal_mode=WAL'); c.execute('PRAGMA wal_autocheckpoint=0')
c.execute('CREATE TABLE t(a INTEGER PRIMARY KEY, b BLOB)')
for k in range(25):
    c.execute('BEGIN')
    c.executemany('INSERT INTO t(b) VALUES (?)', [(os.urandom(900),) for _ in range(4000)])
    c.execute('COMMIT')
os._exit(0)
"""
    subprocess.run([sys.executable, "-c", writer], check=True)
    wal_mb = os.path.getsize(template + "-wal") / 1e6
    def copy_crashed(db):
        shutil.copy(template, db)
        shutil.copy(template + "-wal", db + "-wal")
    bench(f"checkpoint of a {wal_mb:.0f} MB WAL (recovery + TRUNCATE)",
          lambda: "PRAGMA wal_checkpoint(TRUNCATE);\n", setup=copy_crashed)
    print("work directory:", work)

main()
