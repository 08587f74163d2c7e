#!/usr/bin/env bash
# compare.sh: the whole benchmark comparison, swiftdb against SQLite, written
# as Benchmarks/RESULTS.md (one Markdown table, the machine, the commands).
#   1. builds the CLI (root package) and swiftdb-bench (this package), release;
#   2. runs swiftdb-bench: every workload through libsqlite3 and the public
#      SwiftDB API in one process, alternating runs (medians, ratios, allocations);
#   3. times the CLIs, swiftdb against sqlite3, on the speedtest1 scripts of
#      ../shared/bench/speedtest1 (whole script, file and :memory:, alternating
#      runs, median wall time; peak RSS from /usr/bin/time -f %M; stdout compared);
#   4. profiles the worst workloads that miss their target with callgrind
#      (swiftdb's top functions, and both engines' instruction counts).
#
#   Benchmarks/compare.sh [--quick] [--filter a,b] [--runs N] [--cli-runs N]
#                         [--scripts "main cte"] [--profile N] [--no-build] [--no-cli]
#                         [--report-only]   (rewrite RESULTS.md from the last run's .results/)
# Builds and timed runs take /work/build.lock when it exists (one build or
# benchmark at a time on this machine). Hand-written analysis of the misses
# (what would fix them) comes from Benchmarks/RESULTS-notes.md when present.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
speedtest=$(cd "$root/../shared/bench/speedtest1" 2>/dev/null && pwd || true)
quick=""; filter=""; runs=5; cli_runs=5; scripts="main cte fp trigger orm"; profile=4
build=1; cli=1; report_only=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=--quick; cli_runs=3; scripts="main"; profile=2 ;;
    --filter) filter=$2; shift ;;
    --runs) runs=$2; shift ;;
    --cli-runs) cli_runs=$2; shift ;;
    --scripts) scripts=$2; shift ;;
    --profile) profile=$2; shift ;;
    --no-build) build=0 ;;
    --no-cli) cli=0 ;;
    --report-only) report_only=1 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

lock=()
[ -e /work/build.lock ] && lock=(flock /work/build.lock)
tmp=$(mktemp -d /tmp/swiftdb-compare.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# What the report is made of is kept in .results/ (git-ignored), so --report-only can rewrite it.
res=$here/.results
cli_bin=$root/.build/release/swiftdb
bench_bin=$here/.build/release/swiftdb-bench

if [ $report_only = 0 ]; then
rm -rf "$res"; mkdir -p "$res"
echo "${quick:+ --quick}" > "$res/mode"
if [ $build = 1 ]; then
  echo "== building (release)" >&2
  (cd "$root" && "${lock[@]}" swift build -c release --product swiftdb > "$tmp/build-cli.log" 2>&1) \
    || { tail -20 "$tmp/build-cli.log"; exit 1; }
  (cd "$here" && "${lock[@]}" swift build -c release > "$tmp/build-bench.log" 2>&1) \
    || { tail -20 "$tmp/build-bench.log"; exit 1; }
fi

# ---- 2. in-process workloads
echo "== swiftdb-bench ${quick} (runs: $runs)" >&2
bench_args=(--runs "$runs" --markdown "$res/workloads.md" --tsv "$res/workloads.tsv" --fixtures "$tmp/fixtures")
[ -n "$quick" ] && bench_args+=(--quick)
[ -n "$filter" ] && bench_args+=(--filter "$filter")
"${lock[@]}" "$bench_bin" "${bench_args[@]}" > /dev/null

# ---- 3. the CLIs on speedtest1
now() { date +%s.%N; }
median() { sort -g | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }
cli_rows=""; main_rss=""
run_cli() {  # engine binary, database, script, stdout file → "wall_seconds peak_kib"
  local bin=$1 db=$2 sql=$3 out=$4 t0 t1
  t0=$(now)
  /usr/bin/time -f %M -o "$tmp/rss" "$bin" "$db" < "$sql" > "$out" 2> "$tmp/err" || true
  t1=$(now)
  echo "$(echo "$t1 - $t0" | bc) $(tail -1 "$tmp/rss")"
}
if [ $cli = 1 ] && [ -n "$speedtest" ]; then
  echo "== speedtest1 CLI runs (median of $cli_runs alternating runs)" >&2
  for s in $scripts; do
    sql=$speedtest/$s.sql
    [ -f "$sql" ] || continue
    for mode in file memory; do
      : > "$tmp/q.times"; : > "$tmp/s.times"; : > "$tmp/q.rss"; : > "$tmp/s.rss"
      for i in $(seq "$cli_runs"); do
        for engine in $( [ $((i % 2)) = 1 ] && echo "sqlite3 swiftdb" || echo "swiftdb sqlite3"); do
          if [ $engine = sqlite3 ]; then bin=sqlite3; tag=q; else bin=$cli_bin; tag=s; fi
          if [ $mode = file ]; then db=$tmp/$tag.db; rm -f "$db" "$db"-journal "$db"-wal "$db"-shm; else db=:memory:; fi
          read -r wall rss < <("${lock[@]}" bash -c "$(declare -f now run_cli); tmp=$tmp; run_cli '$bin' '$db' '$sql' '$tmp/$tag.out'")
          echo "$wall" >> "$tmp/$tag.times"; echo "$rss" >> "$tmp/$tag.rss"
          [ $tag = s ] && [ -s "$tmp/err" ] && cp "$tmp/err" "$tmp/s.err"
        done
      done
      rm -f "$tmp"/q.db* "$tmp"/s.db*
      same=no; cmp -s "$tmp/q.out" "$tmp/s.out" && [ ! -s "$tmp/s.err" ] && same=yes
      rm -f "$tmp/s.err"
      qt=$(median < "$tmp/q.times"); st=$(median < "$tmp/s.times")
      qr=$(median < "$tmp/q.rss"); sr=$(median < "$tmp/s.rss")
      ratio=$(echo "scale=4; $st / $qt" | bc)
      met=$(echo "$ratio <= 1.0" | bc); [ "$met" = 1 ] && met=yes || met="**no**"
      label=$([ $mode = file ] && echo "file db" || echo ":memory:")
      cli_rows+=$(printf '| speedtest1 %s (CLI, %s) | shared/bench/speedtest1/%s.sql | whole script; stdout identical to sqlite3: %s | %s | %.2f s | %.2f s | %.2f× | ≤ 1.0× | %s | n/a | n/a | peak RSS %.1f / %.1f MiB |' \
        "$s" "$label" "$s" "$same" "$cli_runs" "$qt" "$st" "$ratio" "$met" "$(echo "$qr/1024" | bc -l)" "$(echo "$sr/1024" | bc -l)")$'\n'
      printf '%s\t%s\t%.2f\n' "$s" "$mode" "$ratio" >> "$res/cli.tsv"
      if [ "$s" = main ]; then
        main_rss+=$(printf -- '- speedtest1 main, %s: sqlite3 %.1f MiB, swiftdb %.1f MiB = %.2f× (target ≤ 1.5×: %s)' \
          "$label" "$(echo "$qr/1024" | bc -l)" "$(echo "$sr/1024" | bc -l)" "$(echo "scale=4; $sr/$qr" | bc)" \
          "$([ "$(echo "$sr <= 1.5 * $qr" | bc)" = 1 ] && echo met || echo '**missed**')")$'\n'
      fi
      echo "   $s $mode: sqlite3 $qt s, swiftdb $st s, ratio $ratio, identical: $same" >&2
    done
  done
fi

# ---- 4. callgrind on the worst misses
profiles=""
if [ "$profile" -gt 0 ] && command -v valgrind > /dev/null; then
  worst=$(awk -F'\t' '$4 == "no" {print $2 / $3 "\t" $1}' "$res/workloads.tsv" | sort -gr | head -n "$profile" | cut -f2)
  for w in $worst; do
    echo "== callgrind: $w" >&2
    declare -A ir=()
    for engine in sqlite swiftdb; do
      out=$tmp/callgrind.$w.$engine
      "${lock[@]}" valgrind --tool=callgrind --callgrind-out-file="$out" --toggle-collect='*measuredRun*' \
        "$bench_bin" --quick --runs 1 --no-alloc-count --no-warm-up --engine $engine --filter "$w" --fixtures "$tmp/fixtures" \
        > /dev/null 2> "$tmp/valgrind.log" || { tail -5 "$tmp/valgrind.log" >&2; continue; }
      ir[$engine]=$(callgrind_annotate "$out" 2> /dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1; exit}' || true)
    done
    top=$(callgrind_annotate --inclusive=no "$tmp/callgrind.$w.swiftdb" 2> /dev/null \
          | awk '/file:function/ {p=1; next} p && NF && !/^--/ && !/interposer/' | head -12 \
          | swift-demangle --simplified \
          | sed -E 's/^ *([0-9,]+) +\(([ 0-9.]+%)\) +[^:]*:/\1 (\2) /; s/ \[[^]]*\]$//' | cut -c1-150 || true)
    profiles+="### $w"$'\n\n'
    profiles+="Instructions in the measured run (--quick size, 1 run): sqlite ${ir[sqlite]:-?}, swiftdb ${ir[swiftdb]:-?}"
    [ -n "${ir[sqlite]:-}" ] && [ -n "${ir[swiftdb]:-}" ] && \
      profiles+=" ($(echo "scale=2; ${ir[swiftdb]} / ${ir[sqlite]}" | bc)×)"
    profiles+=$'.\n\nswiftdb, top functions by self instructions:\n\n```\n'"$top"$'\n```\n\n'
    unset ir
  done
fi

printf '%s' "$cli_rows" > "$res/cli.md"
printf '%s' "$main_rss" > "$res/main-rss.md"
printf '%s' "$profiles" > "$res/profiles.md"
git -C "$root" rev-parse --short HEAD > "$res/commit"
date -u '+%Y-%m-%d %H:%M UTC' > "$res/date"
fi

# ---- 5. RESULTS.md
quick=$(cat "$res/mode"); cli_rows=$(cat "$res/cli.md"); main_rss=$(cat "$res/main-rss.md"); profiles=$(cat "$res/profiles.md")
{
  echo "# Benchmark results: swiftdb vs SQLite"
  echo
  echo "Written by \`Benchmarks/compare.sh$quick\` on $(cat "$res/date"), swiftdb at \`$(cat "$res/commit")\`."
  echo "Ratios are swiftdb / SQLite of the medians of alternating runs in one process (workloads) or one"
  echo "script (CLI rows); below 1.0 swiftdb is faster. Allocations are malloc calls per operation,"
  echo "counted by the preloaded malloc-interposer. In-process \"peak memory\" is the largest growth of the"
  echo "process's peak RSS during one run over its RSS at the run's start (both engines share one heap, so"
  echo "it understates); the CLI rows give each process's peak RSS (\`/usr/bin/time -f %M\`)."
  echo
  echo "## Machine"
  echo
  echo "- CPU: $(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2; exit}'), $(nproc) cores; memory $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "- OS: $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r); file system of /tmp: $(df -T /tmp | awk 'NR==2 {print $2}')"
  echo "- $(swift --version 2>&1 | head -1)"
  echo "- SQLite: libsqlite3 and sqlite3 CLI $(sqlite3 --version | cut -d' ' -f1)"
  echo "- The machine is shared and noisy (sqlite3 against itself varies by ±25 % on short scripts)."
  echo
  echo "## Results"
  echo
  cat "$res/workloads.md"
  [ -n "$cli_rows" ] && printf '%s\n' "$cli_rows"
  echo
  if [ -n "$main_rss" ]; then
    echo "Peak RSS, speedtest1 main (CLI):"
    echo
    printf '%s\n\n' "$main_rss"
  fi
  echo "## Workloads that miss their target"
  echo
  misses=$(awk -F'\t' '$4 == "no" {printf "%s (%.2f×), ", $1, $2}' "$res/workloads.tsv")
  [ -f "$res/cli.tsv" ] && misses+=$(awk -F'\t' '$3 > 1.0 {printf "speedtest1 %s %s (%.2f×), ", $1, $2, $3}' "$res/cli.tsv")
  echo "${misses%, }."
  echo
  if [ -f "$here/RESULTS-notes.md" ]; then cat "$here/RESULTS-notes.md"; echo; fi
  if [ -n "$profiles" ]; then
    echo "## Profiles (callgrind, release build)"
    echo
    echo "\`valgrind --tool=callgrind --toggle-collect='*measuredRun*' swiftdb-bench --quick --runs 1 --no-warm-up --engine E --filter W\`,"
    echo "then \`callgrind_annotate --inclusive=no\` (names demangled, simplified; the malloc interposer's own functions left out). Counts cover only the timed run."
    echo
    printf '%s\n\n' "$profiles"
  fi
  echo "## Reproduce"
  echo
  echo '```sh'
  echo "cd Benchmarks && ./compare.sh$quick          # everything above (~26 min on 2 cores, 8 of them callgrind)"
  echo "swift build -c release && .build/release/swiftdb-bench --filter point_select   # workloads only, filtered"
  echo ".build/release/swiftdb-bench --quick --list                                     # names, sizes"
  echo "sqlite3 t.db < ../../shared/bench/speedtest1/main.sql > /dev/null               # one CLI run (fresh t.db)"
  echo "../.build/release/swiftdb t.db < ../../shared/bench/speedtest1/main.sql > /dev/null"
  echo '```'
} > "$here/RESULTS.md"
echo "wrote $here/RESULTS.md" >&2
