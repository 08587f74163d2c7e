#!/usr/bin/env python3
"""Crash-durability kill test for swiftdb (issue 5).

A child process (the swiftdb or sqlite3 CLI, run under `stdbuf -oL`) executes a
seeded write workload read from a pipe and prints each transaction's id once
its COMMIT has returned.  The parent SIGKILLs it at a random moment, then every
checker engine opens its own copy of the crashed files (database plus any
-journal / -wal / -shm), so each engine has to recover the file by itself, and:

  1. `PRAGMA integrity_check` must print exactly `ok`;
  2. the txlog ids must be exactly the ids reported committed, plus possibly the
     one transaction whose COMMIT had started ("in flight"), and nothing else;
  3. every table (and the schema, and sqlite_sequence) must equal, row by row,
     what replaying exactly those transactions with sqlite3 into a fresh file
     produces (each engine dumps both files, so formatting differences between
     engines cannot cause false alarms);
  4. a file recovered by swiftdb is then opened by sqlite3 too, which must also
     find it intact and identical to the reference;
  5. all checkers must agree on which transactions survived.

Python 3 standard library only.  See README.md in this directory.
"""

import argparse
import math
import os
import random
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

DB_NAME = "test.db"
SIDE_SUFFIXES = ("-journal", "-wal", "-shm")

TABLES = ("t1", "t2", "t3", "txlog")

# Canonical dump: one line per row, every value through quote(), ordered by key.
DUMP_QUERIES = [
    ("schema", "SELECT type||' '||name||' '||tbl_name||' '||coalesce(sql,'') "
               "FROM sqlite_schema ORDER BY type, name;"),
    ("txlog", "SELECT id FROM txlog ORDER BY id;"),
    ("t1", "SELECT quote(id)||'|'||quote(a)||'|'||quote(b)||'|'||quote(c) "
           "FROM t1 ORDER BY id;"),
    ("t2", "SELECT quote(k)||'|'||quote(n)||'|'||quote(v) FROM t2 ORDER BY k, n;"),
    ("t3", "SELECT quote(id)||'|'||quote(u)||'|'||quote(x)||'|'||quote(y)||'|'||"
           "quote(z)||'|'||quote(w) FROM t3 ORDER BY id;"),
    ("t3_by_u", "SELECT quote(u)||'|'||quote(id) FROM t3 ORDER BY u;"),
    ("sqlite_sequence", "SELECT quote(name)||'|'||quote(seq) FROM sqlite_sequence "
                        "ORDER BY name;"),
]
SECTIONS = ["integrity"] + [name for name, _ in DUMP_QUERIES]


def check_script():
    parts = ["SELECT '#@integrity';", "PRAGMA integrity_check;"]
    for name, query in DUMP_QUERIES:
        parts.append("SELECT '#@%s';" % name)
        parts.append(query)
    parts.append("SELECT '#@end';")
    return ("\n".join(parts) + "\n").encode()


# pwrite64 for the syscall back-end (and sqlite3), io_uring_enter for the io_uring back-end.
SYSCALLS = ("pwrite64", "io_uring_enter", "unlink", "unlinkat")
SYNC_LEVEL = {"off": "0", "normal": "1", "full": "2", "extra": "3"}


# --------------------------------------------------------------------------
# Workload
# --------------------------------------------------------------------------

TEXT_ALPHABET = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                 "     ''\n\t,;-é中ßΩ😀")
LARGE_BUDGET = 300_000      # bytes of >5 KB values per transaction
MAX_VALUE = 100_000


def sql_text(s):
    return "'" + s.replace("'", "''") + "'"


class Workload:
    """Deterministic schema + transactions from a seed.  Transaction 0 creates
    the schema; transactions 1..ntx modify 1..1000 rows each.  Every
    transaction inserts its own id into txlog."""

    def __init__(self, seed, ntx, partial_index=False):
        self.seed = seed
        self.rng = random.Random("workload-%d" % seed)
        self.ntx = ntx
        self.bodies = [self._schema(partial_index)]
        self.stats = {"rows": 0, "large_values": 0, "max_value": 0}
        for tx in range(1, ntx + 1):
            self.bodies.append(self._transaction(tx))

    # -- schema -------------------------------------------------------------
    @staticmethod
    def _schema(partial_index):
        w_index = "CREATE INDEX t3_w ON t3(w)"
        if partial_index:
            w_index += " WHERE w IS NOT NULL"
        return "\n".join([
            "CREATE TABLE t1(id INTEGER PRIMARY KEY, a, b, c);",
            "CREATE TABLE t2(k TEXT NOT NULL, n INTEGER NOT NULL, v, "
            "PRIMARY KEY(k, n)) WITHOUT ROWID;",
            "CREATE TABLE t3(id INTEGER PRIMARY KEY AUTOINCREMENT, u TEXT, "
            "x INTEGER, y REAL, z BLOB, w);",
            "CREATE UNIQUE INDEX t3_u ON t3(u);",
            "CREATE INDEX t3_xy ON t3(x, y);",
            w_index + ";",
            "CREATE INDEX t1_b ON t1(b);",
            "CREATE TABLE txlog(id INTEGER PRIMARY KEY);",
        ]) + "\n"

    # -- values ---------------------------------------------------------------
    def _size(self):
        r = self.rng.random()
        if r < 0.10:
            size = 0
        elif r < 0.60:
            size = self.rng.randint(1, 32)
        elif r < 0.90:
            size = self.rng.randint(33, 600)
        elif r < 0.98:
            size = self.rng.randint(601, 5000)
        else:
            size = int(math.exp(self.rng.uniform(math.log(5001), math.log(MAX_VALUE))))
        if size > 5000:
            if self.budget < size:
                size = self.rng.randint(0, 600)
            else:
                self.budget -= size
                self.stats["large_values"] += 1
        if self.rng.random() < 0.002 and self.budget >= MAX_VALUE:
            size = MAX_VALUE        # the exact upper bound, occasionally
            self.budget -= size
            self.stats["large_values"] += 1
        self.stats["max_value"] = max(self.stats["max_value"], size)
        return size

    def text(self, size=None):
        if size is None:
            size = self._size()
        if size == 0:
            return "''"
        chars = self.rng.choices(TEXT_ALPHABET, k=size)
        raw = "".join(chars).encode()[:size].decode("utf-8", "ignore")
        # A line holding only "go" or "/" ends a statement in the sqlite3
        # shell when the buffer is complete; keep such lines out of string
        # literals so a shell parsing difference cannot pose as a crash bug.
        lines = raw.split("\n")
        if any(l.strip().lower() in ("go", "/") for l in lines):
            raw = "\n".join(l + "x" if l.strip().lower() in ("go", "/") else l for l in lines)
        return sql_text(raw)

    def blob(self, size=None):
        if size is None:
            size = self._size()
        return "X'" + self.rng.randbytes(size).hex().upper() + "'"

    def integer(self):
        r = self.rng.random()
        if r < 0.5:
            return str(self.rng.randint(-100, 1000))
        if r < 0.8:
            return str(self.rng.randint(-2**31, 2**31))
        if r < 0.95:
            return str(self.rng.randint(-2**63 + 1, 2**63 - 1))
        return self.rng.choice(["9223372036854775807", "(-9223372036854775807-1)",
                                "0", "-1", "2147483648", "-2147483649"])

    def real(self):
        r = self.rng.random()
        if r < 0.7:
            return repr(self.rng.uniform(-1e6, 1e6))
        if r < 0.9:
            return repr(self.rng.uniform(-1, 1) * 10.0 ** self.rng.randint(-300, 300))
        return self.rng.choice(["0.0", "-0.0", "1.0", "0.1", "1e308", "-2.5e-308",
                                "4.9e-324", "9e999", "-9e999"])

    def value(self):
        r = self.rng.random()
        if r < 0.08:
            return "NULL"
        if r < 0.30:
            return self.integer()
        if r < 0.45:
            return self.real()
        if r < 0.72:
            return self.text()
        return self.blob()

    # -- transactions ---------------------------------------------------------
    def _nrows(self):
        if self.rng.random() < 0.03:
            return self.rng.randint(500, 1000)
        return max(1, min(1000, int(math.exp(self.rng.random() ** 3 * math.log(1000)))))

    def _transaction(self, tx):
        rng = self.rng
        self.budget = LARGE_BUDGET
        n = self._nrows()
        self.stats["rows"] += n
        out = []
        for i in range(n):
            op = rng.random()
            if op < 0.28:
                out.append("INSERT INTO t1(a,b,c) VALUES(%s,%s,%s);"
                           % (self.value(), self.value(), self.value()))
            elif op < 0.36:
                out.append("INSERT OR REPLACE INTO t1(id,a,b,c) VALUES(%d,%s,%s,%s);"
                           % (rng.randint(1, 4000), self.value(), self.value(), self.value()))
            elif op < 0.43:
                if rng.random() < 0.7:
                    out.append("UPDATE t1 SET b=%s WHERE id=%d;"
                               % (self.value(), rng.randint(1, 4000)))
                else:
                    lo = rng.randint(1, 4000)
                    out.append("UPDATE t1 SET c=%s, a=NULL WHERE id BETWEEN %d AND %d;"
                               % (self.value(), lo, lo + rng.randint(0, 20)))
            elif op < 0.47:
                lo = rng.randint(1, 4000)
                if rng.random() < 0.6:
                    out.append("DELETE FROM t1 WHERE id=%d;" % lo)
                else:
                    out.append("DELETE FROM t1 WHERE id BETWEEN %d AND %d;"
                               % (lo, lo + rng.randint(0, 40)))
            elif op < 0.66:
                out.append("INSERT OR REPLACE INTO t2(k,n,v) VALUES('k%05d',%d,%s);"
                           % (rng.randint(0, 3000), rng.randint(0, 3), self.value()))
            elif op < 0.70:
                out.append("UPDATE t2 SET v=%s WHERE k='k%05d';"
                           % (self.value(), rng.randint(0, 3000)))
            elif op < 0.73:
                lo = rng.randint(0, 3000)
                out.append("DELETE FROM t2 WHERE k BETWEEN 'k%05d' AND 'k%05d';"
                           % (lo, lo + rng.randint(0, 25)))
            elif op < 0.90:
                out.append("INSERT INTO t3(u,x,y,z,w) VALUES('u%d_%d',%d,%s,%s,%s);"
                           % (tx, i, rng.randint(-1000, 1000), self.real(),
                              self.blob() if rng.random() < 0.8 else self.value(),
                              self.value() if rng.random() < 0.7 else
                              self.text(rng.randint(0, 300))))
            elif op < 0.95:
                if rng.random() < 0.5:
                    out.append("UPDATE t3 SET x=%d, y=%s WHERE id=%d;"
                               % (rng.randint(-1000, 1000), self.real(),
                                  rng.randint(1, 2000)))
                else:
                    out.append("UPDATE t3 SET u='r%d_%d', w=%s WHERE id=%d;"
                               % (tx, i, self.value(), rng.randint(1, 2000)))
            else:
                lo = rng.randint(-1000, 1000)
                out.append("DELETE FROM t3 WHERE x BETWEEN %d AND %d;"
                           % (lo, lo + rng.randint(0, 6)))
        return "\n".join(out) + "\n"

    # -- scripts ------------------------------------------------------------
    def writer_script(self, journal_mode, synchronous):
        parts = ["PRAGMA journal_mode=%s;\n" % journal_mode,
                 "PRAGMA synchronous=%s;\n" % synchronous.upper(),
                 "PRAGMA synchronous;\n"]
        for tx, body in enumerate(self.bodies):
            parts.append("BEGIN;\nSELECT 'begin', %d;\n" % tx)
            parts.append(body)
            parts.append("INSERT INTO txlog VALUES(%d);\nSELECT 'commit', %d;\n"
                         "COMMIT;\nSELECT 'committed', %d;\n" % (tx, tx, tx))
        return "".join(parts).encode()

    def replay_script(self, ntx_applied):
        parts = ["PRAGMA journal_mode=OFF;\nPRAGMA synchronous=OFF;\n"]
        for tx in range(ntx_applied):
            parts.append("BEGIN;\n" + self.bodies[tx]
                         + "INSERT INTO txlog VALUES(%d);\nCOMMIT;\n" % tx)
        return "".join(parts).encode()


# --------------------------------------------------------------------------
# Processes
# --------------------------------------------------------------------------

class WriterResult:
    pass


def run_writer(cmd, script, cwd, plan, timeout, stderr_path):
    """Run the writer; plan is None (never kill), ('at', seconds after start)
    or ('after', tx, seconds after the 'committed|tx' line)."""
    res = WriterResult()
    res.lines = []
    res.times = []
    res.killed = False
    res.kill_at = None
    errf = open(stderr_path, "wb")
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=errf, cwd=cwd, start_new_session=True)
    errf.close()

    def feed():
        try:
            proc.stdin.write(script)
            proc.stdin.close()
        except (BrokenPipeError, OSError):
            pass

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    fd = proc.stdout.fileno()
    sel = selectors.DefaultSelector()
    sel.register(fd, selectors.EVENT_READ)
    deadline = None
    trigger = None
    if plan is not None and plan[0] == "at":
        deadline = start + plan[1]
    elif plan is not None and plan[0] == "after":
        trigger = ("%s|%d" % (plan[3], plan[1])).encode()
    hard_deadline = start + timeout
    res.timed_out = False
    buf = b""
    while True:
        now = time.monotonic()
        limit = hard_deadline if deadline is None else min(deadline, hard_deadline)
        events = sel.select(max(0.0, limit - now))
        now = time.monotonic()
        if not events:
            if not res.killed and (deadline is not None and now >= deadline
                                   or now >= hard_deadline):
                if now >= hard_deadline and (deadline is None or deadline > now):
                    res.timed_out = True
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
                res.killed = True
                res.kill_at = now - start
                deadline = None
                hard_deadline = now + 60
            elif res.killed and now >= hard_deadline:
                break
            continue
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            break
        buf += chunk
        *complete, buf = buf.split(b"\n")
        for line in complete:
            res.lines.append(line.decode("utf-8", "replace"))
            res.times.append(time.monotonic() - start)
            if trigger is not None and line == trigger and not res.killed:
                deadline = time.monotonic() + plan[2]
                trigger = None
    if buf:
        res.lines.append(buf.decode("utf-8", "replace") + "<no newline>")
    sel.close()
    proc.wait()
    feeder.join(5)
    res.elapsed = time.monotonic() - start
    res.returncode = proc.returncode
    if plan is not None and plan[0] == "syscall" and proc.returncode in (
            128 + signal.SIGKILL, -signal.SIGKILL):
        # strace injected the SIGKILL (strace exits with 128+signal).
        res.returncode = -signal.SIGKILL
        res.killed = True
        res.kill_at = res.elapsed
    # Killed a process that had already exited (zombie): it finished by itself.
    res.finished = res.returncode == 0
    with open(stderr_path, "rb") as f:
        res.stderr = f.read().decode("utf-8", "replace")
    return res


def run_checker(exe, db_path, timeout=300):
    try:
        p = subprocess.run([exe, "-batch", "-list", db_path], input=check_script(),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=timeout, cwd=os.path.dirname(db_path))
        out, err, rc = p.stdout, p.stderr, p.returncode
    except subprocess.TimeoutExpired as e:
        out, err, rc = e.stdout or b"", (e.stderr or b"") + b"\n<checker timed out>", None
    sections = {}
    current = None
    for line in out.decode("utf-8", "replace").split("\n"):
        if line.startswith("#@") and line[2:] in SECTIONS + ["end"]:
            current = line[2:]
            sections[current] = []
            continue
        if current is not None:
            sections[current].append(line)
    if sections.get("end") == [""]:
        pass
    return {"sections": sections, "stderr": err.decode("utf-8", "replace").strip(),
            "rc": rc, "complete": "end" in sections}


def txlog_ids(check):
    ids = []
    for line in check["sections"].get("txlog", []):
        if line.strip():
            try:
                ids.append(int(line))
            except ValueError:
                return None
    return ids


def snippet(s, n=160):
    s = s.replace("\n", "\\n")
    return s if len(s) <= n else s[:n] + "...(%d chars)" % len(s)


def copy_db_files(src_dir, dst_dir):
    os.makedirs(dst_dir, exist_ok=True)
    copied = []
    for name in sorted(os.listdir(src_dir)):
        if name == DB_NAME or any(name == DB_NAME + s for s in SIDE_SUFFIXES):
            shutil.copy2(os.path.join(src_dir, name), os.path.join(dst_dir, name))
            copied.append(name)
    return copied


# --------------------------------------------------------------------------
# One run
# --------------------------------------------------------------------------

class Harness:
    def __init__(self, args):
        self.args = args
        self.engines = {"sqlite3": args.sqlite3, "swiftdb": args.swiftdb}
        self.checkers = args.checkers
        self.workdir = args.workdir
        self.calib_size = None
        self.calib_per_byte = None
        self.commit_gaps = []
        self.commit_rate = None
        self.syscall_counts = {}
        self.count_syscalls = False
        self.strace = shutil.which("strace") if args.syscall_kills > 0 else None
        self.commit_min = 0.0

    def plan_kill(self, seed, ntx, calib, wl):
        rng = random.Random("kill-%d" % seed)
        r = rng.random()
        per_tx = calib / (ntx + 1)
        if self.syscall_counts and rng.random() < self.args.syscall_kills:
            # Let strace deliver the SIGKILL at the N-th pwrite64 (inside the
            # page writes of a commit or a cache spill), the N-th io_uring_enter
            # (before a batch of them reaches the kernel, on the io_uring
            # back-end) or the N-th unlink (the journal deletion that commits a
            # DELETE-mode transaction).
            names = sorted(self.syscall_counts)
            weights = [0.15 if n.startswith("unlink") else 1.0 for n in names]
            name = rng.choices(names, weights=weights)[0]
            scale = len(wl.writer_script("x", "full")) / (self.calib_size or 1)
            n = rng.randint(1, max(1, int(self.syscall_counts[name] * scale)))
            return ("syscall", ("syscall", name, n))
        if r < 0.08:
            return ("early", ("at", rng.uniform(0, 0.03 * calib)))
        if r < 0.38:
            return ("timed", ("at", rng.uniform(0, calib)))
        if r < 0.55:
            tx = rng.randint(0, ntx - 1)
            return ("after-commit", ("after", tx, rng.uniform(0, 2.0 * per_tx), "committed"))
        if r < 0.90:
            # Aim at the COMMIT itself: wait a part of a commit's duration (as
            # measured in the preflight) after the writer announced it.
            # Big transactions have long commits: pick by size, and estimate
            # this commit's duration from the preflight's time per byte.
            sizes = [len(b) for b in wl.bodies]
            tx = rng.choices(range(len(sizes)), weights=[s ** 0.7 for s in sizes])[0]
            est = max(self.commit_min, self.commit_rate * sizes[tx]) if self.commit_rate \
                else per_tx
            return ("in-commit", ("after", tx, rng.uniform(0, 1.3 * est), "commit"))
        return ("late", ("at", rng.uniform(0.9 * calib, 1.4 * calib)))

    def run(self, seed, calib, preflight=False):
        """Returns (ok, info dict)."""
        a = self.args
        wl = Workload(seed, a.transactions, a.partial_index)
        rundir = os.path.join(self.workdir, "%s-seed%d" % ("preflight" if preflight else "run", seed))
        shutil.rmtree(rundir, ignore_errors=True)
        wdir = os.path.join(rundir, "writer")
        os.makedirs(wdir)
        script = wl.writer_script(a.journal_mode, a.synchronous)
        if preflight:
            kind, plan = "none", None
        else:
            # Expected uninterrupted run time of this workload: seconds per
            # script byte, from the preflight and from runs that finished.
            if self.calib_per_byte:
                calib = self.calib_per_byte * len(script)
            kind, plan = self.plan_kill(seed, a.transactions, calib, wl)
        cmd = ["stdbuf", "-oL", self.engines[a.writer], "-batch", "-bail", "-list", DB_NAME]
        if plan is not None and plan[0] == "syscall":
            kind = "%s#%d" % (plan[1], plan[2])
            cmd = [self.strace, "-f", "-qq", "-o", "/dev/null", "-e", "trace=" + plan[1],
                   "-e", "inject=%s:signal=KILL:when=%d" % (plan[1], plan[2])] + cmd
        elif self.count_syscalls:
            cmd = [self.strace, "-f", "-qq", "-c", "-U", "name,calls", "-o",
                   os.path.join(rundir, "strace.count"), "-e",
                   "trace=" + ",".join(SYSCALLS)] + cmd
        timeout = a.timeout if a.timeout else max(60.0, 20 * calib)
        w = run_writer(cmd, script, wdir, plan, timeout, os.path.join(rundir, "writer.stderr"))
        if self.count_syscalls:
            self.syscall_counts = parse_strace_count(os.path.join(rundir, "strace.count"))
        failures = []
        info = {"seed": seed, "plan": kind, "kill_at": w.kill_at, "elapsed": w.elapsed,
                "rundir": rundir, "script": script, "writer": w, "workload": wl}

        # ---- what the writer said -------------------------------------
        other, reported, markers = [], [], []
        for line in w.lines:
            tag, _, rest = line.partition("|")
            if tag in ("begin", "commit", "committed") and rest.isdigit():
                markers.append((tag, int(rest)))
                if tag == "committed":
                    reported.append(int(rest))
            else:
                other.append(line)
        info["reported"] = len(reported)
        if w.timed_out:
            failures.append("writer: [hang] no exit within %.0fs" % timeout)
        elif w.returncode not in (0, -signal.SIGKILL):
            failures.append("writer: [error] exited with status %s before the kill: %s"
                            % (w.returncode, snippet(w.stderr, 300)))
        elif w.stderr.strip():
            failures.append("writer: [error] wrote to stderr: %s" % snippet(w.stderr, 300))
        if len(other) >= 1 and other[0] != a.journal_mode.lower():
            failures.append("writer: [UNSUPPORTED journal mode] PRAGMA journal_mode=%s answered %r "
                            "(the engine does not support this journal mode)"
                            % (a.journal_mode, other[0]))
        if len(other) >= 2 and other[1] != SYNC_LEVEL[a.synchronous]:
            failures.append("writer: [pragma] PRAGMA synchronous answered %r, expected %r"
                            % (other[1], SYNC_LEVEL[a.synchronous]))
        if len(other) > 2:
            failures.append("writer: [output] unexpected output: %s" % snippet(" / ".join(other[2:])))
        if reported != list(range(len(reported))):
            failures.append("writer: [output] reported ids are not 0..k-1 in order: %s" % snippet(str(reported)))
        if preflight and not w.finished:
            failures.append("writer: [error] did not finish (status %s)" % w.returncode)
        if w.finished and len(reported) != a.transactions + 1:
            failures.append("writer: [output] finished but reported %d of %d transactions"
                            % (len(reported), a.transactions + 1))

        k = len(reported)
        last = markers[-1] if markers else None
        may_have_inflight = last is not None and last[0] == "commit" and last[1] == k
        if w.finished:
            moment = "finished"
        elif last is None:
            moment = "before-start"
        elif last[0] == "committed":
            moment = "between-tx"
        elif last[0] == "begin":
            moment = "mid-tx"
        else:
            moment = "in-commit"
        info["moment"] = moment
        allowed = [k, k + 1] if may_have_inflight else [k]

        # ---- recovery and checks, one private copy per checker ----------
        ref_cache = {}

        def reference(n):
            if n not in ref_cache:
                rdir = os.path.join(rundir, "ref%d" % n)
                os.makedirs(rdir, exist_ok=True)
                rdb = os.path.join(rdir, DB_NAME)
                p = subprocess.run([self.engines["sqlite3"], "-batch", "-bail", rdb],
                                   input=wl.replay_script(n), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE)
                if p.returncode != 0:
                    raise RuntimeError("reference replay failed: %s" % p.stderr.decode())
                ref_cache[n] = (rdb, {})
            return ref_cache[n]

        def ref_dump(n, engine):
            rdb, dumps = reference(n)
            if engine not in dumps:
                dumps[engine] = run_checker(self.engines[engine], rdb)
            return dumps[engine]

        def verify(label, engine, db_path, expect_counts):
            errs = []
            c = run_checker(self.engines[engine], db_path)
            integ = c["sections"].get("integrity")
            if integ is None or [l for l in integ if l != ""] != ["ok"]:
                errs.append("%s: [integrity] integrity_check printed %s%s" % (
                    label, snippet(repr([l for l in (integ or []) if l]), 300),
                    "; stderr: " + snippet(c["stderr"], 300) if c["stderr"] else ""))
            if not c["complete"]:
                errs.append("%s: [open] check script did not run to the end (status %s): %s"
                            % (label, c["rc"], snippet(c["stderr"], 300)))
            ids = txlog_ids(c)
            n = None
            if ids is None:
                errs.append("%s: [txlog] unreadable txlog" % label)
            elif ids != list(range(len(ids))):
                errs.append("%s: [txlog] ids are not 0..n-1: %s" % (label, snippet(str(ids))))
            elif len(ids) not in expect_counts:
                extra = sorted(set(ids) - set(range(k)))
                missing = sorted(set(range(k)) - set(ids))
                errs.append("%s: [txlog] has %d transactions, reported committed %d%s "
                            "(missing %s, unexpected %s)"
                            % (label, len(ids), k,
                               ", in flight %d" % k if may_have_inflight else "",
                               snippet(str(missing), 80), snippet(str(extra), 80)))
            else:
                n = len(ids)
            # Compare contents against the replay of exactly the surviving
            # transactions (or, if the id set is wrong, of the reported ones).
            n_ref = n if n is not None else (len(ids) if ids is not None
                                             and ids == list(range(len(ids))) else k)
            r = ref_dump(min(n_ref, a.transactions + 1), engine)
            if not r["complete"] or [l for l in r["sections"].get("integrity", []) if l] != ["ok"]:
                errs.append("%s: [reference] %s cannot read the sqlite3-made reference file: %s"
                            % (label, engine, snippet(str(r["sections"].get("integrity")), 100)))
            for name, _ in DUMP_QUERIES:
                got = c["sections"].get(name)
                want = r["sections"].get(name)
                if got != want:
                    errs.append("%s: [content] table %s differs from replay of %d transactions: %s"
                                % (label, name, n_ref, describe_diff(got, want)))
            return errs, (len(ids) if ids is not None else None)

        survivors = {}
        for engine in self.checkers:
            cdir = os.path.join(rundir, "check-" + engine)
            files = copy_db_files(wdir, cdir)
            info.setdefault("files", files)
            if not preflight:
                inject(a.inject, cdir, seed)
            errs, n = verify(engine, engine, os.path.join(cdir, DB_NAME), allowed)
            failures += errs
            survivors[engine] = n
            if engine != "sqlite3" and not a.no_cross_check:
                # The file as the other engine left it must satisfy sqlite3 too.
                errs, n2 = verify("%s-recovered, read by sqlite3" % engine, "sqlite3",
                                  os.path.join(cdir, DB_NAME), allowed)
                failures += errs
                if n is not None and n2 is not None and n2 != n:
                    failures.append("cross-check: [disagree] sqlite3 sees %d transactions in the file %s recovered, "
                                    "%s saw %d" % (n2, engine, engine, n))
        if len(set(v for v in survivors.values())) > 1:
            failures.append("checkers: [disagree] different surviving transactions: %s" % survivors)
        n_any = next((v for v in survivors.values() if v is not None), None)
        info["durable_inflight"] = (moment == "in-commit" and n_any == k + 1)
        if failures:
            files = ", ".join("%s %d B" % (f, os.path.getsize(os.path.join(wdir, f)))
                              for f in sorted(os.listdir(wdir)))
            failures.append("note: files left by the killed writer: %s" % (files or "none"))
        info["failures"] = failures
        return not failures, info


def parse_strace_count(path):
    counts = {}
    try:
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) == 2 and parts[0] in SYSCALLS and parts[1].isdigit():
                    counts[parts[0]] = int(parts[1])
    except OSError:
        pass
    return counts


def describe_diff(got, want):
    if got is None:
        return "section missing from the checked file's output"
    if want is None:
        return "section missing from the reference output"
    for i, (g, w) in enumerate(zip(got, want)):
        if g != w:
            return "%d vs %d lines; first difference at line %d: got %s, want %s" % (
                len(got), len(want), i + 1, snippet(g, 100), snippet(w, 100))
    return "%d vs %d lines (one is a prefix of the other)" % (len(got), len(want))


def inject(mode, cdir, seed):
    """Deliberate damage, to prove the harness can fail."""
    if mode == "none":
        return
    db = os.path.join(cdir, DB_NAME)
    if mode == "drop-journal":
        for s in SIDE_SUFFIXES:
            if os.path.exists(db + s):
                os.remove(db + s)
    elif mode == "flip-byte":
        size = os.path.getsize(db) if os.path.exists(db) else 0
        if size > 4096:
            rng = random.Random("flip-%d" % seed)
            off = rng.randrange(4096, size)
            with open(db, "r+b") as f:
                f.seek(off)
                b = f.read(1)
                f.seek(off)
                f.write(bytes([b[0] ^ 0xFF]))


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------

def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_swiftdb = os.environ.get("SWIFTDB") or os.path.join(
        here, "..", "..", ".build", "release", "swiftdb")
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--journal-mode", default="delete",
                    choices=["delete", "wal", "truncate", "persist", "memory", "off"],
                    help="issued as PRAGMA journal_mode at the start (default delete; "
                         "memory/off are only for showing that the harness fails)")
    ap.add_argument("--synchronous", default="full", choices=["off", "normal", "full", "extra"])
    ap.add_argument("--writer", default="swiftdb", choices=["swiftdb", "sqlite3"])
    ap.add_argument("--checker", default="both", choices=["both", "swiftdb", "sqlite3"],
                    help="engines that recover and check the crashed file (default both; "
                         "each gets its own copy)")
    ap.add_argument("--swiftdb", default=os.path.normpath(default_swiftdb),
                    help="swiftdb CLI (default $SWIFTDB or <repo>/.build/release/swiftdb)")
    ap.add_argument("--sqlite3", default=shutil.which("sqlite3") or "sqlite3")
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1, help="run i uses seed SEED+i")
    ap.add_argument("--transactions", type=int, default=40,
                    help="transactions per workload after the schema one (default 40)")
    ap.add_argument("--keep-failures", metavar="DIR",
                    help="copy the files of failing runs here")
    ap.add_argument("--workdir", help="scratch directory (default: a new temp dir, removed)")
    ap.add_argument("--timeout", type=float, help="seconds before a writer counts as hung")
    ap.add_argument("--partial-index", action="store_true",
                    help="make t3_w a partial index (WHERE w IS NOT NULL)")
    ap.add_argument("--no-cross-check", action="store_true",
                    help="do not reopen swiftdb-recovered files with sqlite3")
    ap.add_argument("--no-preflight", action="store_true",
                    help="skip the uninterrupted calibration/semantics run")
    ap.add_argument("--calibration", type=float,
                    help="expected uninterrupted writer run time in seconds "
                         "(default: measured by the preflight run)")
    ap.add_argument("--inject", default="none", choices=["none", "drop-journal", "flip-byte"],
                    help="damage each checker's copy before recovery (self-test: must fail)")
    ap.add_argument("--no-diagnose", action="store_true",
                    help="do not rerun a failing seed uncut to tell crash bugs from "
                         "plain execution differences")
    ap.add_argument("--syscall-kills", type=float, default=0.3, metavar="FRACTION",
                    help="share of runs whose SIGKILL strace delivers at a random "
                         "pwrite64/unlink of the writer (default 0.3; 0 disables; "
                         "needs strace)")
    ap.add_argument("--stop-after", type=int, default=0,
                    help="stop after this many failing runs (0: never)")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    a.checkers = ["sqlite3", "swiftdb"] if a.checker == "both" else [a.checker]

    needed = {a.writer} | set(a.checkers) | {"sqlite3"}
    for eng in sorted(needed):
        exe = getattr(a, eng)
        path = shutil.which(exe) if os.sep not in exe else (exe if os.access(exe, os.X_OK) else None)
        if not path:
            print("error: %s CLI not found at %r (use --%s)" % (eng, exe, eng), file=sys.stderr)
            return 2
        setattr(a, eng, os.path.abspath(path))
    if not shutil.which("stdbuf"):
        print("error: stdbuf not found", file=sys.stderr)
        return 2

    if a.syscall_kills > 0 and not shutil.which("strace"):
        print("note: strace not found; no syscall-targeted kills", file=sys.stderr)
    own_workdir = a.workdir is None
    a.workdir = a.workdir or tempfile.mkdtemp(prefix="swiftdb-kill-")
    os.makedirs(a.workdir, exist_ok=True)
    h = Harness(a)
    label = "writer=%s checkers=%s journal_mode=%s synchronous=%s" % (
        a.writer, "+".join(a.checkers), a.journal_mode, a.synchronous)
    print("kill test: %s runs=%d seeds=%d..%d tx/run=%d%s" % (
        label, a.runs, a.seed, a.seed + a.runs - 1, a.transactions + 1,
        " inject=" + a.inject if a.inject != "none" else ""), flush=True)
    t0 = time.monotonic()

    def keep(info, ok):
        if ok:
            shutil.rmtree(info["rundir"], ignore_errors=True)
            return
        if a.keep_failures:
            dest = os.path.join(a.keep_failures, "%s-%s-%s-%s" % (
                a.writer, a.journal_mode, os.path.basename(info["rundir"]),
                time.strftime("%Y%m%d-%H%M%S")))
            shutil.copytree(info["rundir"], dest, dirs_exist_ok=True)
            with open(os.path.join(dest, "script.sql"), "wb") as f:
                f.write(info["script"])
            with open(os.path.join(dest, "writer.stdout"), "w") as f:
                f.write("\n".join(info["writer"].lines) + "\n")
            with open(os.path.join(dest, "report.txt"), "w") as f:
                f.write("%s\nseed %d plan %s kill_at %s moment %s reported %d\n%s\n" % (
                    label, info["seed"], info["plan"], info["kill_at"], info["moment"],
                    info["reported"], "\n".join(info["failures"])))
                f.write("reproduce: %s --writer %s --checker %s --journal-mode %s "
                        "--synchronous %s --seed %d --runs 1 --transactions %d\n" % (
                            os.path.abspath(__file__), a.writer, a.checker, a.journal_mode,
                            a.synchronous, info["seed"], a.transactions))
            info["kept"] = dest
        shutil.rmtree(info["rundir"], ignore_errors=True)

    calib = a.calibration
    if not a.no_preflight:
        ok, info = h.run(a.seed, calib or 1.0, preflight=True)
        keep(info, ok)
        if not ok:
            print("PREFLIGHT FAILED (uninterrupted run of seed %d, no kill):" % a.seed)
            for f in info["failures"]:
                print("  " + f)
            if "kept" in info:
                print("  files kept in " + info["kept"])
            if any("[UNSUPPORTED" in f for f in info["failures"]):
                print("RESULT: FAIL -- %s does not support journal_mode=%s; no kill runs done"
                      % (a.writer, a.journal_mode))
            else:
                print("RESULT: FAIL -- the writer's uninterrupted run does not match the "
                      "sqlite3 replay; fix that first (not a durability failure)")
            if own_workdir:
                shutil.rmtree(a.workdir, ignore_errors=True)
            return 1
        if calib is None:
            calib = max(0.05, info["elapsed"])
            h.calib_size = len(info["script"])
            h.calib_per_byte = calib / h.calib_size
        w = info["writer"]
        started = {}
        sizes = []
        for line, t in zip(w.lines, w.times):
            tag, _, tx = line.partition("|")
            if tag == "commit":
                started[tx] = t
            elif tag == "committed" and tx in started:
                h.commit_gaps.append(t - started[tx])
                sizes.append(len(info["workload"].bodies[int(tx)]))
        if h.commit_gaps:
            h.commit_rate = sum(h.commit_gaps) / max(1, sum(sizes))
            h.commit_min = min(h.commit_gaps)
        if h.strace:
            h.count_syscalls = True
            ok2, info2 = h.run(a.seed, calib, preflight=True)
            h.count_syscalls = False
            shutil.rmtree(info2["rundir"], ignore_errors=True)
            if not ok2 or not h.syscall_counts:
                print("note: counting the writer's syscalls with strace failed; "
                      "no syscall-targeted kills")
                h.syscall_counts = {}
        gaps = sorted(h.commit_gaps) or [0.0]
        print("preflight ok: uninterrupted run %.2fs, %d transactions, median COMMIT %.1f ms, "
              "files %s, syscalls %s" % (info["elapsed"], info["reported"],
                                         1000 * gaps[len(gaps) // 2], info.get("files"),
                                         h.syscall_counts or "not counted"), flush=True)
    calib = calib or 1.0

    counts = {}
    inflight_durable = 0
    failed = []
    for i in range(a.runs):
        seed = a.seed + i
        try:
            ok, info = h.run(seed, calib)
        except Exception as e:  # harness bug: report, keep going
            ok, info = False, {"seed": seed, "plan": "?", "kill_at": None, "moment": "?",
                               "reported": -1, "failures": ["harness error: %r" % e],
                               "rundir": os.path.join(a.workdir, "run-seed%d" % seed),
                               "script": b"", "writer": WriterResult()}
            info["writer"].lines = []
        if not ok and info["moment"] != "finished" and not a.no_diagnose and any(
                "differs" in f or "txlog" in f for f in info["failures"]):
            # Does the same workload also go wrong without a kill?
            try:
                ok2, info2 = h.run(seed, calib, preflight=True)
            except Exception as e:
                ok2, info2 = False, {"failures": ["harness error: %r" % e],
                                     "rundir": os.path.join(a.workdir, "preflight-seed%d" % seed)}
            shutil.rmtree(info2["rundir"], ignore_errors=True)
            info["failures"].append(
                "note: an uninterrupted run of seed %d %s" % (seed, "passes, so this is a "
                "crash-recovery failure" if ok2 else "fails too (%s), so this is not "
                "(only) a crash problem" % snippet(info2["failures"][0], 120)))
        counts[info["moment"]] = counts.get(info["moment"], 0) + 1
        if info["moment"] == "finished" and h.calib_per_byte and info["script"] \
                and not info["plan"].startswith(("pwrite64", "io_uring_enter", "unlink")):
            # Track the machine's current speed (load varies).
            h.calib_per_byte = 0.6 * h.calib_per_byte + 0.4 * info["elapsed"] / len(info["script"])
        if info.get("durable_inflight"):
            inflight_durable += 1
        kill = "%.3fs" % info["kill_at"] if info["kill_at"] is not None else "-"
        line = "run %3d seed %d: %-4s plan=%-12s kill=%-7s %-12s reported=%d" % (
            i + 1, seed, "ok" if ok else "FAIL", info["plan"], kill, info["moment"],
            info["reported"])
        if info.get("durable_inflight"):
            line += " (+in-flight committed)"
        print(line, flush=True)
        keep(info, ok)
        if not ok:
            failed.append((seed, info))
            for f in info["failures"]:
                print("      " + f, flush=True)
            if "kept" in info:
                print("      files kept in " + info["kept"], flush=True)
            if a.stop_after and len(failed) >= a.stop_after:
                print("stopping after %d failures" % len(failed))
                break

    total = time.monotonic() - t0
    done = sum(counts.values())
    print()
    print("summary: %s" % label)
    print("  runs %d, passed %d, failed %d, %.1fs (%.2fs/run)" % (
        done, done - len(failed), len(failed), total, total / max(1, done)))
    print("  kill moments: " + ", ".join("%s %d" % (m, counts.get(m, 0)) for m in
          ("before-start", "mid-tx", "in-commit", "between-tx", "finished", "?")
          if counts.get(m)))
    print("  killed in COMMIT with the transaction already durable: %d" % inflight_durable)
    if failed:
        print("  failing seeds: " + " ".join(str(s) for s, _ in failed))
        kinds = {}
        for s, info in failed:
            for f in info["failures"]:
                if f.startswith("note:"):
                    continue
                head, _, rest = f.partition(": ")
                key = head + " " + (rest[:rest.index("]") + 1] if rest.startswith("[") else rest[:40])
                if s not in kinds.setdefault(key, []):
                    kinds[key].append(s)
        for kkey, seeds in sorted(kinds.items(), key=lambda kv: -len(kv[1])):
            print("    %-55s %3d runs, e.g. seeds %s" % (kkey, len(seeds),
                                                           " ".join(map(str, seeds[:5]))))
    print("RESULT: %s" % ("PASS" if not failed else "FAIL"))
    if own_workdir:
        shutil.rmtree(a.workdir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
