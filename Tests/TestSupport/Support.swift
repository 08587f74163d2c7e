// Support: temporary directories and child processes for tests (Foundation is fine here).
import Foundation

/// A fresh directory under the system temporary directory, removed by `remove()`.
public struct TemporaryDirectory {
    public let path: String
    public init(_ label: String = "swiftdb") {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.path
    }
    public func file(_ name: String) -> String { path + "/" + name }
    public func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// A path named `name` in this test process's scratch directory, which the process removes when it
/// exits: each call returns a fresh path (a unique prefix before `name`), so tests never share a file.
public func scratchPath(_ name: String) -> String {
    scratchDirectory + "/" + UUID().uuidString.prefix(8) + "-" + name
}

/// One directory per test process under the system temporary directory, removed at exit (tests that
/// opened thousands of files each used to leave a directory behind per file).
private let scratchDirectory: String = {
    let dir = TemporaryDirectory("swiftdb-tests-\(getpid())")
    atexit { try? FileManager.default.removeItem(atPath: scratchDirectory) }
    return dir.path
}()

/// The result of running a program.
public struct ProcessResult {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs `executable` with `arguments`, feeding `input` on stdin.
public func runProcess(_ executable: String, _ arguments: [String], input: String? = nil) throws -> ProcessResult {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    let out = Pipe(), err = Pipe(), inp = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = inp
    // A child may exit before reading all its input (-bail, .exit): the write then fails with EPIPE,
    // which must not kill the test process with SIGPIPE.
    signal(SIGPIPE, SIG_IGN)
    try p.run()
    if let input { try? inp.fileHandleForWriting.write(contentsOf: Data(input.utf8)) }
    try? inp.fileHandleForWriting.close()
    // Read both pipes concurrently so a full pipe never blocks the child.
    nonisolated(unsafe) var errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        errData = err.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    p.waitUntilExit()
    return ProcessResult(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
}

/// Runs the sqlite3 CLI on `database` with `sql` on stdin.
public func sqlite3CLI(_ database: String, _ sql: String, options: [String] = []) throws -> ProcessResult {
    try runProcess("/usr/bin/sqlite3", options + [database], input: sql)
}
