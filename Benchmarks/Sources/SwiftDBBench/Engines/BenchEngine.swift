// BenchEngine: the small surface every workload is written against, so one
// generic workload body runs through both engines (SQLiteEngine.swift,
// SwiftDBEngine.swift). Workloads are generic over the engine type, so each
// side is specialised and pays no extra dispatch.

/// Options a connection is opened with; nil keeps the engine's default.
struct OpenOptions {
    var journalMode: String? = nil      // "wal", "delete", …
    var synchronous: String? = nil      // "normal", "full", …
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

protocol BenchStatement {
    func bind(_ index: Int32, _ value: Int64) throws
    func bind(_ index: Int32, _ value: Double) throws
    func bind(_ index: Int32, _ value: String) throws
    /// True when a row is ready.
    func step() throws -> Bool
    func int64(_ column: Int32) -> Int64
    func double(_ column: Int32) -> Double
    func text(_ column: Int32) -> String
    func reset()
}

protocol BenchEngine: AnyObject {
    associatedtype Statement: BenchStatement
    /// "sqlite" or "swiftdb".
    static var name: String { get }
    /// Opens (creating when absent) the database at `path`.
    init(path: String, options: OpenOptions) throws
    /// Runs every statement of `sql`, discarding rows.
    func execute(_ sql: String) throws
    func prepare(_ sql: String) throws -> Statement
    /// Another connection to the same database, with the same options (for swiftdb, from the
    /// same `Database`, as an application would do it).
    func connectAgain() throws -> Self
    /// Closes the connection (and everything it owns).
    func close()
    /// Opens `path`, runs `sql` (one statement, stepped to its end) and closes again: the
    /// "open a connection" workloads time exactly this.
    static func openQueryClose(path: String, sql: String) throws -> Int
}

extension BenchStatement {
    /// Steps to the end, returning how many rows came out.
    @inline(__always)
    func drain() throws -> Int {
        var n = 0
        while try step() { n += 1 }
        reset()
        return n
    }
}
