// SQLiteEngine: the reference side of every workload, libsqlite3 through its C
// API (the system library, Debian's 3.40.1). Benchmark-only: never part of the
// product (DESIGN.md, decision 4).

import CSQLite3Oracle

private let SQLITE_TRANSIENT = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

final class SQLiteEngine: BenchEngine {
    static let name = "sqlite"
    private(set) var db: OpaquePointer?
    let path: String
    let options: OpenOptions

    init(path: String, options: OpenOptions) throws {
        self.path = path
        self.options = options
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        guard sqlite3_open_v2(path, &db, flags, nil) == SQLITE_OK else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(db)
            throw BenchError("sqlite3_open_v2(\(path)): \(message)")
        }
        sqlite3_busy_timeout(db, 5000)
        if let mode = options.journalMode { try execute("PRAGMA journal_mode=\(mode)") }
        if let sync = options.synchronous { try execute("PRAGMA synchronous=\(sync)") }
    }

    func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        if sqlite3_exec(db, sql, nil, nil, &error) != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? "?"
            sqlite3_free(error)
            throw BenchError("sqlite: \(message) in \(sql.prefix(80))")
        }
    }

    func prepare(_ sql: String) throws -> Statement {
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &stmt, nil) == SQLITE_OK, let stmt else {
            throw BenchError("sqlite prepare: \(String(cString: sqlite3_errmsg(db))) in \(sql.prefix(80))")
        }
        return Statement(stmt)
    }

    func connectAgain() throws -> SQLiteEngine { try SQLiteEngine(path: path, options: options) }

    func close() {
        sqlite3_close_v2(db)
        db = nil
    }

    static func openQueryClose(path: String, sql: String) throws -> Int {
        let c = try SQLiteEngine(path: path, options: OpenOptions())
        defer { c.close() }
        return try c.prepare(sql).drain()
    }

    final class Statement: BenchStatement {
        let stmt: OpaquePointer
        init(_ stmt: OpaquePointer) { self.stmt = stmt }
        deinit { sqlite3_finalize(stmt) }

        @inline(__always) private func check(_ rc: Int32) throws {
            if rc != SQLITE_OK { throw BenchError("sqlite bind: \(String(cString: sqlite3_errstr(rc)))") }
        }
        func bind(_ index: Int32, _ value: Int64) throws { try check(sqlite3_bind_int64(stmt, index, value)) }
        func bind(_ index: Int32, _ value: Double) throws { try check(sqlite3_bind_double(stmt, index, value)) }
        func bind(_ index: Int32, _ value: String) throws {
            try check(sqlite3_bind_text(stmt, index, value, -1, SQLITE_TRANSIENT))
        }
        func step() throws -> Bool {
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_ROW { return true }
            if rc == SQLITE_DONE { return false }
            let message = String(cString: sqlite3_errmsg(sqlite3_db_handle(stmt)))
            sqlite3_reset(stmt)
            throw BenchError("sqlite step: \(message)")
        }
        func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(stmt, column) }
        func double(_ column: Int32) -> Double { sqlite3_column_double(stmt, column) }
        func text(_ column: Int32) -> String {
            guard let p = sqlite3_column_text(stmt, column) else { return "" }
            return String(cString: p)
        }
        func reset() { sqlite3_reset(stmt) }
    }
}
