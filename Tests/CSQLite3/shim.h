// The sqlite3 C API, for tests and benchmarks only: libsqlite3 is the oracle,
// never part of the product (DESIGN.md, decision 4).
#include <sqlite3.h>
