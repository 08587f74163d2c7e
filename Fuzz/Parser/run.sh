#!/bin/sh
# Builds and runs the SQL parser fuzzer (libFuzzer + AddressSanitizer).
#
#   Fuzz/Parser/run.sh [seconds] [extra libFuzzer flags…]      (default: 600 s)
#
# Base and SQL are compiled as modules (whole-module, -O, instrumented), then
# linked with main.swift. The run starts from corpus/ (valid SQL, one statement
# a file) with sql.dict, writes new inputs to $WORK/corpus, and crash files to
# $WORK. SWIFT_BACKTRACE=enable=no keeps a crash from hanging in Swift's
# backtracer (NOTES-ON-ISSUES.md). Every swiftc call takes the shared build lock.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=${WORK:-/tmp/swiftdb-fuzz-parser}
SECONDS_TO_RUN=${1:-600}
[ $# -gt 0 ] && shift
mkdir -p "$WORK/build" "$WORK/corpus"
FLAGS="-O -wmo -parse-as-library -sanitize=fuzzer,address -swift-version 6"
LOCK=${BUILD_LOCK:-/work/build.lock}

flock "$LOCK" swiftc $FLAGS -module-name Base -emit-module -emit-module-path "$WORK/build/Base.swiftmodule" \
    -c "$ROOT"/Sources/Base/*.swift -o "$WORK/build/Base.o"
flock "$LOCK" swiftc $FLAGS -module-name SQL -I "$WORK/build" -emit-module \
    -emit-module-path "$WORK/build/SQL.swiftmodule" -c $(find "$ROOT/Sources/SQL" -name '*.swift' | sort) \
    -o "$WORK/build/SQL.o"
flock "$LOCK" swiftc $FLAGS -use-ld=lld -module-name FuzzParser -I "$WORK/build" "$HERE/main.swift" \
    "$WORK/build/Base.o" "$WORK/build/SQL.o" -o "$WORK/build/fuzz-parser"

cd "$WORK"
SWIFT_BACKTRACE=enable=no exec nice -n 10 "$WORK/build/fuzz-parser" "$WORK/corpus" "$HERE/corpus" \
    -dict="$HERE/sql.dict" -max_total_time="$SECONDS_TO_RUN" -timeout=10 -rss_limit_mb=2048 \
    -max_len=4096 -print_final_stats=1 "$@"
