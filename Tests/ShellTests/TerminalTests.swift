// TerminalTests: the shell as a person uses it, at a terminal. Each session
// runs in its own tmux server (a private socket) and is driven with
// send-keys; the screen is read with capture-pane. The same keys go to the
// sqlite3 CLI in another tmux window and the two screens must match, line for
// line, apart from the banner's version line: continuation prompts, results,
// Ctrl-C stopping a running statement without ending the shell, Ctrl-D
// ending it, and the history of one session recalled with the Up key in the
// next. ~/.swiftdbrc is swiftdb's own file (sqlite3 reads ~/.sqliterc from the
// password database's home, which a test cannot redirect), so it is checked
// on swiftdb alone against what sqlite3's process_sqliterc prints.
import Foundation
import TestSupport
import XCTest

/// One program running in a private tmux server, 100 columns by 40 lines.
final class TerminalSession {
    private let socket: String
    init(_ command: String, environment: [String: String]) throws {
        socket = "swiftdb-test-\(getpid())-\(UUID().uuidString.prefix(8))"
        let env = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        // Started with posix_spawn, not Process: the server new-session forks would inherit the pipe
        // by which Foundation learns that a child has exited, and Process would wait for the server.
        let words: [String] = ["/usr/bin/tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-x", "100",
                               "-y", "40", "env \(env) \(command)"]
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/usr/bin/tmux", nil, nil, argv, environ) == 0 else {
            throw NSError(domain: "tmux", code: -1)
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // Keep the window after the program exits, so its last screen can be read.
        try tmux(["set-option", "-g", "remain-on-exit", "on"])
    }

    /// Runs tmux on this session's server; returns what it printed.
    @discardableResult
    private func tmux(_ arguments: [String]) throws -> String {
        let r = try runProcess("/usr/bin/tmux", ["-L", socket, "-f", "/dev/null"] + arguments)
        if r.status != 0 { throw NSError(domain: "tmux", code: Int(r.status), userInfo: ["stderr": r.stderr]) }
        return r.stdout
    }

    /// Types keys (tmux key names such as Enter, C-c, C-d, Up; other words as literal text).
    func keys(_ keys: String...) throws {
        for key in keys {
            if ["Enter", "C-c", "C-d", "Up"].contains(key) {
                try tmux(["send-keys", "-t", "0", key])
            } else {
                // tmux reads an argument ending in ";" as the end of its command, unless escaped.
                try tmux(["send-keys", "-t", "0", "-l", key.hasSuffix(";") ? key.dropLast() + "\\;" : key])
            }
        }
    }

    /// The screen's lines, trailing blank lines removed.
    func screen() throws -> [String] {
        var lines = try tmux(["capture-pane", "-p", "-t", "0"]).components(separatedBy: "\n")
            .map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }
        // After the program exits tmux adds a line of its own ("Pane is dead (status 0, <time>)").
        lines.removeAll { $0.hasPrefix("Pane is dead") }
        while lines.last == "" { lines.removeLast() }
        return lines
    }

    /// Waits (up to 10 s) until the screen's last non-blank line is `line`, then returns the screen.
    @discardableResult
    func waitForLastLine(_ line: String) throws -> [String] {
        var lines: [String] = []
        for _ in 0..<200 {
            lines = try screen()
            if lines.last == line { return lines }
            usleep(50_000)
        }
        XCTFail("timed out waiting for \"\(line)\"; screen:\n" + lines.joined(separator: "\n"))
        return lines
    }

    /// Waits until the program has exited (tmux marks the pane dead).
    func waitForExit() throws {
        for _ in 0..<200 {
            if try tmux(["display-message", "-p", "-t", "0", "#{pane_dead}"]).hasPrefix("1") { return }
            usleep(50_000)
        }
        XCTFail("the program did not exit")
    }

    func close() { _ = try? tmux(["kill-server"]) }
}

final class TerminalTests: XCTestCase {
    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") else {
            throw XCTSkip("tmux is not installed (.ci/run installs it)")
        }
    }

    /// Runs the two sessions of `drive` on one program; returns each session's final screen.
    private func screens(of program: String, home: String, history: String,
                         drive: (TerminalSession, Int) throws -> Void) throws -> [[String]] {
        var result: [[String]] = []
        for round in 0..<2 {
            let session = try TerminalSession(program, environment: [
                "HOME": home, "SQLITE_HISTORY": history, "SWIFTDB_HISTORY": history, "TERM": "xterm"])
            defer { session.close() }
            try drive(session, round)
            result.append(try session.screen())
            // Ctrl-D at an empty prompt ends the shell, which saves its history for the next round.
            try session.keys("C-d")
            try session.waitForExit()
        }
        return result
    }

    func testHistoryContinuationLinesAndCtrlCAsInSQLite() throws {
        let dir = TemporaryDirectory("terminal")
        defer { dir.remove() }
        let drive = { (s: TerminalSession, round: Int) throws in
            try s.waitForLastLine("sqlite>")
            if round == 0 {
                try s.keys("SELECT 1,", "Enter")
                try s.waitForLastLine("   ...>")
                try s.keys("  'two';", "Enter")
                try s.waitForLastLine("sqlite>")
                // A statement that never ends on its own: Ctrl-C stops it and the shell goes on.
                try s.keys("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c;",
                           "Enter")
                usleep(300_000)
                try s.keys("C-c")
                try s.waitForLastLine("sqlite>")
                try s.keys("SELECT 'after interrupt';", "Enter")
                try s.waitForLastLine("sqlite>")
            } else {
                // The previous session's last line comes back with Up.
                try s.keys("Up")
                try s.waitForLastLine("sqlite> SELECT 'after interrupt';")
                try s.keys("Enter")
                try s.waitForLastLine("sqlite>")
            }
        }
        let expected = try screens(of: "/usr/bin/sqlite3", home: dir.path, history: dir.file("sqlite3.history"),
                                   drive: drive)
        let actual = try screens(of: swiftdbBinary, home: dir.path, history: dir.file("swiftdb.history"),
                                 drive: drive)
        for (e, a) in zip(expected, actual) {
            XCTAssertTrue(a.first?.hasPrefix("SQLite version 3.40.1 ") ?? false, "banner: \(a.first ?? "")")
            XCTAssertEqual(Array(a.dropFirst()), Array(e.dropFirst()))
        }
        XCTAssertTrue(actual[0].contains("^CRuntime error: interrupted (9)"))
        XCTAssertTrue(actual[1].contains("after interrupt"))
    }

    /// ~/.swiftdbrc runs before the first prompt, announced on the terminal as process_sqliterc announces
    /// ~/.sqliterc; its settings hold in the session.
    func testResourceFileRunsAtStart() throws {
        let dir = TemporaryDirectory("terminal-rc")
        defer { dir.remove() }
        try ".mode csv\n.headers on\n".write(toFile: dir.file(".swiftdbrc"), atomically: true, encoding: .utf8)
        let s = try TerminalSession(swiftdbBinary, environment: [
            "HOME": dir.path, "SWIFTDB_HISTORY": dir.file("history"), "TERM": "xterm"])
        defer { s.close() }
        let start = try s.waitForLastLine("sqlite>")
        XCTAssertTrue(start.contains("-- Loading resources from \(dir.file(".swiftdbrc"))"), "\(start)")
        try s.keys("SELECT 1 AS a, 'x,y' AS b;", "Enter")
        let after = try s.waitForLastLine("sqlite>")
        XCTAssertEqual(Array(after.suffix(3)), ["a,b", "1,\"x,y\"", "sqlite>"])
        try s.keys("C-d")
        try s.waitForExit()
    }
}
