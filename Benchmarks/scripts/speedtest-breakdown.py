#!/usr/bin/env python3
"""Per-test wall time of a speedtest1 script, swiftdb vs sqlite3, side by side.

Usage: speedtest-breakdown.py SWIFTDB_BINARY SCRIPT.sql [--memory]
Splits the script at its `-- begin test N` markers and replays each segment
through both CLIs against their own database file (each engine keeps its
file across segments, as one run of the whole script would). Prints, per
test, both times and the ratio, then the slowest ratios. Timings include
process start-up (a few ms per segment).
"""
import os, subprocess, sys, tempfile, time

def segments(path):
    segs, cur, name = [], [], "setup"
    with open(path, "rb") as f:
        for line in f:
            if line.startswith(b"-- begin test "):
                segs.append((name, b"".join(cur)))
                cur, name = [], line[len(b"-- begin test "):].decode().strip()
            cur.append(line)
    segs.append((name, b"".join(cur)))
    return segs

def main():
    swiftdb, script = sys.argv[1], sys.argv[2]
    memory = "--memory" in sys.argv
    tmp = tempfile.mkdtemp()
    dbs = {"swiftdb": os.path.join(tmp, "s.db"), "sqlite3": os.path.join(tmp, "q.db")}
    bins = {"swiftdb": swiftdb, "sqlite3": "sqlite3"}
    rows = []
    for name, sql in segments(script):
        t = {}
        for eng in ("sqlite3", "swiftdb"):
            start = time.perf_counter()
            subprocess.run([bins[eng], dbs[eng]], input=sql, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            t[eng] = time.perf_counter() - start
        rows.append((name, t["swiftdb"], t["sqlite3"]))
        print(f"{name[:48]:48} {t['swiftdb']:8.3f} {t['sqlite3']:8.3f} {t['swiftdb'] / max(t['sqlite3'], 1e-6):6.2f}",
              flush=True)
    total_s = sum(r[1] for r in rows)
    total_q = sum(r[2] for r in rows)
    print(f"{'TOTAL':48} {total_s:8.3f} {total_q:8.3f} {total_s / total_q:6.2f}")
    print("slowest by excess time:")
    for name, s, q in sorted(rows, key=lambda r: -(r[1] - r[2]))[:8]:
        print(f"  {name[:48]:48} +{s - q:7.3f}s  ({s / max(q, 1e-6):.1f}x)")

if __name__ == "__main__":
    main()
