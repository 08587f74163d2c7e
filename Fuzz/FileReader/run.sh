#!/bin/sh
# Builds the FileReader libFuzzer target (Sources/Base, Sources/IO and
# Sources/Storage as three modules, then main.swift, all with
# -sanitize=fuzzer,address -O) and runs it on a working corpus seeded from
# corpus/. New inputs go to the working corpus, never into corpus/; crashes
# and timeouts are written to $OUT (artifacts).
#
#   Fuzz/FileReader/run.sh [seconds]       build, then fuzz (default 600 s)
#   Fuzz/FileReader/run.sh --build-only    build only
#   Fuzz/FileReader/run.sh --run-only [s]  fuzz with the last build
# Environment: OUT (build and work directory, default /tmp/swiftdb-fuzz-filereader),
# JOBS (parallel fuzzing processes, default 1).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=${OUT:-/tmp/swiftdb-fuzz-filereader}
mkdir -p "$OUT/work-corpus" "$OUT/artifacts"
FLAGS="-parse-as-library -O -g -sanitize=fuzzer,address -I $OUT"

build() {
    for module in Base IO Storage; do
        swiftc $FLAGS -wmo -module-name "$module" -emit-module -emit-module-path "$OUT/$module.swiftmodule" \
            -c $(find "$ROOT/Sources/$module" -name '*.swift' | sort) -o "$OUT/$module.o"
    done
    swiftc $FLAGS -module-name FileReaderFuzz "$HERE/main.swift" "$OUT/Base.o" "$OUT/IO.o" "$OUT/Storage.o" \
        -o "$OUT/filereader"
}

run() {
    PARALLEL=""
    if [ "${JOBS:-1}" -gt 1 ]; then PARALLEL="-jobs=$JOBS -workers=$JOBS"; fi
    SWIFT_BACKTRACE=enable=no nice -n 10 "$OUT/filereader" -max_total_time="$1" -timeout=20 -rss_limit_mb=2048 \
        -max_len=65536 -print_final_stats=1 $PARALLEL \
        -artifact_prefix="$OUT/artifacts/" "$OUT/work-corpus" "$HERE/corpus"
}

case "${1:-}" in
    --build-only) build ;;
    --run-only) run "${2:-600}" ;;
    *) build; run "${1:-600}" ;;
esac
