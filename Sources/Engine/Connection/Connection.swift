// Connection: one open database — its pager and b-trees, its schema catalog,
// its transaction state — and the statements prepared on it (sqlite3*).
//
// Transaction states (https://sqlite.org/lang_transaction.html):
//   autocommit, no transaction ──first statement──▶ autocommit, statement transaction
//     (read, or write once a statement writes; it commits when the last active
//      statement ends, or rolls back if the statement that began it fails)
//   BEGIN ──▶ explicit transaction (autocommit off) ──COMMIT/ROLLBACK──▶ autocommit
// Inside an explicit transaction every writing statement runs under a pager
// savepoint, so a failing statement undoes only itself (a statement journal).
// A connection is confined to one thread at a time; it is not Sendable.

import Base
import IO
import Storage
import SQL

/// How a connection is opened.
public struct ConnectionOptions {
    public var pageSize = 4096
    public var cacheSize = -2000
    public var readOnly = false
    /// The IO back-end; nil picks the default for the platform (IOBackends.makeDefault: io_uring on Linux
    /// when the kernel allows it, else the syscall back-end; SWIFTDB_IO=syscall forces the latter).
    public var io: IOBackend?
    /// Why `io` was chosen (PRAGMA io_backend); "chosen by the caller" when nil.
    public var ioReason: String?
    /// The caller uses the connection only on the thread that opens it (the shell), so the default
    /// back-end may be tied to that thread (IOUringBackend's `confinedToThread`).
    public var ioConfinedToThread = false
    public var clock: Clock = SystemClock()
    public var random: RandomSource = SystemRandom()
    public init() {}
}

public final class Connection {
    public let pager: Pager
    public let tree: BTree
    public let clock: Clock
    public let random: RandomSource
    /// sqlite3_interrupt: raise it from any thread to stop the running statement (InterruptFlag.swift).
    public let interruptFlag = InterruptFlag()
    /// Why the connection's IO back-end was chosen (PRAGMA io_backend).
    public let ioBackendReason: String
    var catalogStorage: Catalog?
    /// The temp database (Connection+TempDatabase.swift), once a statement has named it.
    var temp: TempDatabase?
    /// sqlite3's hash of the schema's tables and views (SchemaHashOrder.swift), whose order ANALYZE
    /// follows: kept across this connection's own CREATE and DROP, as sqlite3 keeps its tblHash, and
    /// built anew when the schema is read from scratch (nil until then).
    var schemaHash: SchemaHash?
    /// PRAGMA cache_size or default_cache_size has set the cache size, or the first schema load applied
    /// the header's suggestion (offset 48): later loads leave the cache size alone.
    var cacheSizeChosen = false
    /// Closed b-tree cursors of finished statements, reused by the next statements (CursorPool.swift).
    var cursorPool: [VMCursor] = []
    /// True outside BEGIN … COMMIT.
    public internal(set) var autocommit = true
    public internal(set) var changes: Int64 = 0
    public internal(set) var totalChanges: Int64 = 0
    public var lastInsertRowID: Int64 = 0
    /// PRAGMA synchronous (kept by the pager, which places the syncs).
    public var synchronous: SynchronousMode {
        get { pager.synchronous }
        set { pager.synchronous = newValue }
    }
    public var foreignKeys = false
    /// PRAGMA page_size and auto_vacuum given for a database that already has pages: the next VACUUM's
    /// (db->nextPagesize, db->nextAutovac).
    var pendingVacuumPageSize: Int?
    var pendingVacuumAutoVacuum: Int?
    /// PRAGMA writable_schema: INSERT, UPDATE and DELETE may change sqlite_schema (as a dump written by sqlite3
    /// does to recreate a virtual table). The catalog is not read again until the schema changes.
    public var writableSchema = false {
        didSet { if oldValue != writableSchema { compileFlagsGeneration += 1 } }
    }
    /// PRAGMA ignore_check_constraints: CHECK constraints are not compiled into INSERT and UPDATE.
    public var ignoreCheckConstraints = false {
        didSet { if oldValue != ignoreCheckConstraints { compileFlagsGeneration += 1 } }
    }
    /// EXPLAIN QUERY PLAN also shows the plan of each trigger the statement fires, after its own lines,
    /// under a `-- TRIGGER name` line (sqlite3_db_config's SQLITE_DBCONFIG_TRIGGER_EQP; the shell's
    /// `.eqp trigger` and `.eqp full`). It changes only EXPLAIN QUERY PLAN programs, which no cache keeps.
    public var triggerQueryPlans = false
    /// Changes whenever a pragma changes what the compiler generates or the schema changes
    /// (invalidateCatalog); older programs compile again.
    var compileFlagsGeneration = 0
    /// Programs of statements that differ only in their literals (LiteralStatementCache.swift).
    let literalStatements = LiteralStatementCache()
    /// PRAGMA case_sensitive_like.
    public var caseSensitiveLike = false
    /// PRAGMA busy_timeout, in milliseconds: how long a busy lock is retried before SQLITE_BUSY.
    public var busyTimeout = 0 {
        didSet { installBusyHandler() }
    }
    /// `pager.externalChangeCount` when this connection last checked its schema.
    var checkedExternalChanges = 0
    /// PRAGMA temp_store: 0 default, 1 file, 2 memory. Only sorters obey it (2 keeps their runs in memory,
    /// Sorter.swift); temporary tables and indexes are always in memory.
    public var tempStore = 0
    var functions = FunctionRegistry.builtin
    /// The parser's limits, some adjustable with sqlite3_limit (Connection+Limits.swift).
    var parserLimits = ParserLimits()
    /// Statements that have started and not finished.
    var activeStatements = 0
    /// SAVEPOINT names and the pager savepoint depth each stands for, outermost first.
    var savepoints: [(name: String, depth: Int)] = []
    /// The open transaction began with SAVEPOINT (RELEASE of it commits).
    var transactionFromSavepoint = false
    /// The schema changed in the open transaction: a rollback must reload the catalog.
    var schemaChangedInTransaction = false

    public init(path: String, options: ConnectionOptions = ConnectionOptions()) throws(DBError) {
        clock = options.clock
        random = options.random
        if path == ":memory:" || path.isEmpty {
            pager = Pager(memoryWithPageSize: options.pageSize)
            ioBackendReason = "an in-memory database does no file I/O"
        } else {
            var po = PagerOptions()
            po.pageSize = options.pageSize
            po.cacheSize = options.cacheSize
            po.readOnly = options.readOnly
            po.random = options.random
            let io: IOBackend
            if let given = options.io {
                io = given
                ioBackendReason = options.ioReason ?? "chosen by the caller"
            } else {
                let selection = IOBackends.makeDefault(confinedToThread: options.ioConfinedToThread)
                io = selection.backend
                ioBackendReason = selection.reason
            }
            pager = try Pager(io: io, path: path, options: po)
        }
        tree = try BTree(pager: pager)
    }

    /// PRAGMA default_cache_size's value for the header field at offset 48: its absolute value, or
    /// SQLite's default of -2000 when it is 0.
    static func defaultCacheSize(headerValue raw: UInt32) -> Int64 {
        let v = Int64(Int32(bitPattern: raw))
        return v == 0 ? -2000 : abs(v)
    }

    /// The schema, loaded from sqlite_schema on first use and whenever it changed underneath.
    var catalog: Catalog {
        get throws(DBError) {
            if let c = catalogStorage { return c }
            let c = try SchemaLoader.load(tree: tree)
            catalogStorage = c
            if schemaHash == nil { schemaHash = SchemaHash(names: c.schemaHashNames) }
            if !cacheSizeChosen {
                // The first schema load takes the header's suggested cache size unless PRAGMA cache_size
                // chose one first (prepare.c's sqlite3InitOne, when the schema's cache_size is still 0).
                cacheSizeChosen = true
                if pager.pageCount > 0 {
                    let suggested = Connection.defaultCacheSize(headerValue: try tree.headerField(HeaderOffset.defaultCacheSize))
                    if suggested > 0 { pager.cacheSize = Int(suggested) }
                }
            }
            return c
        }
    }

    /// True (and the catalog forgotten) when the file's schema cookie no longer matches the catalog's.
    func schemaChangedUnderneath() throws(DBError) -> Bool {
        guard let c = catalogStorage, !pager.isMemory else { return false }
        let wasIdle = pager.state == .idle
        if wasIdle { try pager.beginRead() }
        defer { if wasIdle { pager.endRead() } }
        if pager.externalChangeCount != checkedExternalChanges {
            checkedExternalChanges = pager.externalChangeCount
            try tree.reloadFileProperties()
        }
        let cookie = pager.pageCount > 0 ? try tree.headerField(HeaderOffset.schemaCookie) : 0
        guard cookie != c.cookie else { return false }
        invalidateCatalog()
        return true
    }

    /// Forgets the catalog; the next statement reloads it, and every statement compiled before compiles
    /// again before its next run (a kept INSERT must not write the root page of a table dropped and
    /// created again; sqlite3's statements are prepared again on SQLITE_SCHEMA the same way).
    /// `keepingSchemaHash`: the schema changed through this connection's DDL, which updated the hash as
    /// sqlite3 updates its own; otherwise the schema will be read from scratch, and the hash with it.
    func invalidateCatalog(keepingSchemaHash: Bool = false) {
        catalogStorage = nil
        temp?.catalogStorage = nil
        if !keepingSchemaHash { schemaHash = nil }
        compileFlagsGeneration += 1
    }

    // MARK: preparing statements

    /// Compiles the first statement of `sql` at or after `offset`. Returns nil for a statement-free tail
    /// (white space, comments, lone semicolons) and, in every case, the offset after what was consumed.
    public func prepare(_ sql: [UInt8], at offset: Int = 0) throws(DBError) -> (PreparedStatement?, Int) {
        // A statement that differs from an earlier one only in its literals reuses its program
        // (LiteralStatementCache.swift).
        var cacheKey: ShapeKey?
        let shape = StatementShape.of(sql, at: offset)
        if let shape, let key = literalStatements.key(shape, sql) {
            if let hit = literalStatements.program(for: key, shape, sql, generation: compileFlagsGeneration) {
                return (PreparedStatement(connection: self, program: hit.program, vm: hit.vm, literalEntry: hit.entry),
                        shape.next)
            }
            cacheKey = key
        }
        var parser = Parser(sql, options: parserOptions)
        let parsed: Statement?
        let next: Int
        do { (parsed, next) = try parser.parseStatement(at: offset) } catch { throw error.dbError }
        guard let statement = parsed else { return (nil, next) }
        let program: Program
        do {
            program = try Compiler.compile(statement, source: sql, connection: self)
        } catch {
            // A name the cached schema lacks may exist in the file's newer schema (sqlite3 checks
            // the schema cookie after such errors too: prepare.c, schemaIsValid).
            guard try schemaChangedUnderneath() else { throw error }
            program = try Compiler.compile(statement, source: sql, connection: self)
        }
        switch statement.command {
        case .select, .insert, .update, .delete:
            if let cacheKey, let shape, shape.next == next {
                literalStatements.learn(cacheKey, shape, sql, statement, program, connection: self)
            }
        case .begin, .commit, .rollback, .savepoint, .release:
            break
        default:
            // DDL, PRAGMA, ATTACH and the like may change what any statement compiles to, when
            // prepared (a schema read) and when run (PreparedStatement.step).
            literalStatements.clear()
            program.keepsLiteralStatements = false
        }
        return (PreparedStatement(connection: self, program: program), next)
    }

    /// True when `sql` holds a statement at or after `offset`: parsed, not compiled (a later statement
    /// may name a table an earlier one creates). False for white space, comments and lone semicolons.
    public func containsStatement(_ sql: [UInt8], at offset: Int) throws(DBError) -> Bool {
        var parser = Parser(sql, options: parserOptions)
        do { return try parser.parseStatement(at: offset).0 != nil } catch { throw error.dbError }
    }

    public func prepare(_ sql: String) throws(DBError) -> PreparedStatement? {
        try prepare(Array(sql.utf8)).0
    }

    /// Runs every statement of `sql`, discarding rows (sqlite3_exec).
    public func execute(_ sql: String) throws(DBError) {
        let bytes = Array(sql.utf8)
        var offset = 0
        while offset < bytes.count {
            let (stmt, next) = try prepare(bytes, at: offset)
            offset = next
            guard let stmt else { continue }
            while try stmt.step() == .row {}
        }
    }

    /// Runs `sql` and returns every row of its last statement.
    public func query(_ sql: String) throws(DBError) -> [[Value]] {
        let bytes = Array(sql.utf8)
        var offset = 0
        var rows: [[Value]] = []
        while offset < bytes.count {
            let (stmt, next) = try prepare(bytes, at: offset)
            offset = next
            guard let stmt else { continue }
            rows = []
            while try stmt.step() == .row {
                rows.append((0..<stmt.columnCount).map { stmt.column($0) })
            }
        }
        return rows
    }
}

extension Connection {
    /// PRAGMA case_sensitive_like: re-registers like() with the chosen case rule.
    func setCaseSensitiveLike(_ on: Bool) {
        caseSensitiveLike = on
        for d in FunctionRegistry.likeDefinitions(caseSensitive: on) { functions.register(d) }
    }
}

extension Connection: FunctionHost {
    func nextRandomUInt64() -> UInt64 { random.nextUInt64() }
    func currentTimeMilliseconds() -> Int64? { clock.unixTimeMilliseconds() }
}
