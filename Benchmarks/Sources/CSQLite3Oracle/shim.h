// The sqlite3 C API for the benchmark harness only: libsqlite3 is the reference
// engine the benchmarks compare against, never part of the product (DESIGN.md, decision 4).
#include <sqlite3.h>
