// SwiftDBEngine: the swiftdb side of every workload, through the public API
// only (`import SwiftDB`: Database, Connection, Statement, DatabaseValue), as
// an application would use it.

import SwiftDB

final class SwiftDBEngine: BenchEngine {
    static let name = "swiftdb"
    private(set) var database: Database?
    private(set) var connection: Connection?

    init(path: String, options: OpenOptions) throws {
        let database = try Database(path: path, options: SwiftDBEngine.databaseOptions(options))
        self.database = database
        connection = try database.connect()
    }

    private init(database: Database) throws {
        self.database = database
        connection = try database.connect()
    }

    func connectAgain() throws -> SwiftDBEngine { try SwiftDBEngine(database: database!) }

    static func databaseOptions(_ options: OpenOptions) -> DatabaseOptions {
        var o = DatabaseOptions()
        if let mode = options.journalMode { o.journalMode = JournalMode(rawValue: mode) }
        if let sync = options.synchronous { o.synchronous = Synchronous(rawValue: sync) }
        o.ioThreads = 1          // the benchmarks use the synchronous API only
        return o
    }

    func execute(_ sql: String) throws { try connection!.execute(sql) }

    func prepare(_ sql: String) throws -> Statement { Statement(try connection!.prepare(sql)) }

    func close() {
        connection = nil
        database = nil
    }

    static func openQueryClose(path: String, sql: String) throws -> Int {
        let database = try Database(path: path, options: databaseOptions(OpenOptions()))
        return try database.read { c in try Statement(c.prepare(sql)).drain() }
    }

    struct Statement: BenchStatement {
        let statement: SwiftDB.Statement
        init(_ statement: SwiftDB.Statement) { self.statement = statement }

        func bind(_ index: Int32, _ value: Int64) throws { try statement.bind(value, at: Int(index)) }
        func bind(_ index: Int32, _ value: Double) throws { try statement.bind(value, at: Int(index)) }
        func bind(_ index: Int32, _ value: String) throws { try statement.bind(value, at: Int(index)) }
        func step() throws -> Bool { try statement.step() }
        func int64(_ column: Int32) -> Int64 {
            switch statement.column(Int(column)) {
            case .integer(let i): return i
            case .real(let d): return Int64(d)
            default: return 0
            }
        }
        func double(_ column: Int32) -> Double {
            switch statement.column(Int(column)) {
            case .integer(let i): return Double(i)
            case .real(let d): return d
            default: return 0
            }
        }
        func text(_ column: Int32) -> String {
            switch statement.column(Int(column)) {
            case .text(let s): return s
            case .integer(let i): return String(i)
            default: return ""
            }
        }
        func reset() { statement.reset() }
    }
}
