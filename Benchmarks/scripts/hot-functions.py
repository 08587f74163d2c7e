#!/usr/bin/env python3
"""Regenerates Sources/swiftdb/hot-functions.order: the functions the shell runs, hottest first.

Usage: hot-functions.py SWIFTDB_RELEASE_BINARY [--scripts DIR] [--out FILE] [--reuse]

Why: the release shell is one static executable of about 10 MiB of code. The kernel maps a
file-backed page together with its neighbours in the same 64 KiB block ("fault-around"), so
code that runs is resident with every cold function around it; with the linker's default
order the speedtest1 `main` run touched about 100 of the 165 blocks (6.7 MiB of the
13.7 MiB peak RSS). Package.swift links the release shell with lld's
--symbol-ordering-file pointing at the file this script writes, and compiles the
engine with -function-sections so that each function can move: what runs sits together at
the front of .text and the cold code stays on disk.

How: each workload runs under `valgrind --tool=callgrind --demangle=no`, which names every
function that executed (mangled, as the linker knows it) with its own instruction count.
The order is: what a one-statement session runs (start-up, open, prepare, step, print) by
cost; then what the `main` script runs (the memory target is measured on it), the functions
more scripts share first; then what only the other scripts run. Each group is tight, so a run
maps few blocks of code it does not use (mixing all five scripts by cost left the `main` run
0.1 MiB more resident code). Names the
binary does not define (inlined away, or from another build) are dropped. A stale file is
harmless: the linker ignores names it does not find, so the layout only drifts back toward
the default one; rerun this after large changes.
--reuse reads existing callgrind outputs from the work directory instead of running them.
Takes about 25 minutes (callgrind runs the five scripts 50x slower than natively).
"""
import collections, os, re, subprocess, sys, tempfile

WORKLOADS = ["cte", "fp", "trigger", "orm", "main"]

def self_costs(path):
    """Function name -> own instruction count, from a callgrind output file."""
    names, costs = {}, collections.Counter()
    current, skip_next = None, False
    # Names are compressed: the first mention, as a function (fn=) or as a callee (cfn=), gives
    # "(id) name"; later ones give "(id)" alone.
    name_line = re.compile(r"^c?fn=\((\d+)\)(?: (.*))?$")
    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith("fn=") or line.startswith("cfn="):
                m = name_line.match(line.rstrip("\n"))
                if m:
                    if m.group(2):
                        names[m.group(1)] = m.group(2).strip()
                    if line.startswith("fn="):
                        current = names.get(m.group(1))
                continue
            if line.startswith("calls="):
                skip_next = True  # the next cost line is the callee's inclusive cost
                continue
            if line[:1].isdigit() or line[:1] in "+-*":
                if skip_next:
                    skip_next = False
                    continue
                if current is not None:
                    fields = line.split()
                    if len(fields) >= 2:
                        costs[current] += int(fields[-1])
    return costs

def defined_functions(binary):
    out = subprocess.run(["nm", "--defined-only", binary], capture_output=True, text=True, check=True).stdout
    return {p[2] for p in (l.split(" ", 2) for l in out.splitlines()) if len(p) == 3 and p[1] in "tTwWi"}

def callgrind(binary, database, stdin_path, out_path):
    with open(stdin_path, "rb") as stdin:
        subprocess.run(["valgrind", "--tool=callgrind", "--demangle=no", f"--callgrind-out-file={out_path}",
                        binary, database], stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=True)

def main():
    args = sys.argv[1:]
    if not args or args[0].startswith("-"):
        sys.exit(__doc__)
    binary = os.path.abspath(args[0])
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.normpath(os.path.join(here, "..", ".."))
    scripts = os.path.join(root, "..", "shared", "bench", "speedtest1")
    out = os.path.join(root, "Sources", "swiftdb", "hot-functions.order")
    if "--scripts" in args: scripts = args[args.index("--scripts") + 1]
    if "--out" in args: out = args[args.index("--out") + 1]
    work = os.path.join(tempfile.gettempdir(), "swiftdb-hot-functions")
    os.makedirs(work, exist_ok=True)
    reuse = "--reuse" in args

    idle_sql = os.path.join(work, "idle.sql")
    with open(idle_sql, "w") as f:
        f.write("CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT);\nINSERT INTO t VALUES(1, 'x');\n"
                "SELECT * FROM t;\n.tables\n.schema\n.mode box\nSELECT 1;\n")
    runs = [("idle", ":memory:", idle_sql)] + [
        (name, os.path.join(work, name + ".db"), os.path.join(scripts, name + ".sql")) for name in WORKLOADS]
    totals, idle, main_run = collections.Counter(), collections.Counter(), collections.Counter()
    shared = collections.Counter()  # in how many scripts a function ran
    for name, database, stdin_path in runs:
        result = os.path.join(work, name + ".callgrind")
        if not (reuse and os.path.exists(result)):
            if database != ":memory:":
                for suffix in ("", "-journal", "-wal"):
                    if os.path.exists(database + suffix): os.remove(database + suffix)
            print(f"callgrind: {name}", file=sys.stderr, flush=True)
            callgrind(binary, database, stdin_path, result)
        costs = self_costs(result)
        if name == "idle":
            idle.update(costs)
            continue
        totals.update(costs)
        shared.update(costs.keys())
        if name == "main": main_run.update(costs)

    defined = defined_functions(binary)
    order, seen = [], set()
    groups = [sorted(idle, key=lambda fn: (-idle[fn], fn)),
              sorted(main_run, key=lambda fn: (-shared[fn], -totals[fn], fn)),
              sorted(totals, key=lambda fn: (-shared[fn], -totals[fn], fn))]
    for group in groups:
        for fn in group:
            if fn in defined and fn not in seen:
                seen.add(fn)
                order.append(fn)
    with open(out, "w") as f:
        f.write("\n".join(order) + "\n")
    print(f"{len(order)} functions -> {out}", file=sys.stderr)

if __name__ == "__main__":
    main()
