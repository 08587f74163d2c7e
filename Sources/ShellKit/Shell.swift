// Shell: the swiftdb command-line shell's state and its input loop. It mirrors
// sqlite3 3.40.1's shell: input is read line by line; a line starting with "."
// is a dot-command (DotCommands.swift); other lines are gathered until they
// form complete SQL (sqlite3_complete's rules, or a line holding only "/" or
// "go"); then each statement of the gathered text is prepared and stepped, its
// rows printed in the current mode (Shell+Rows, Shell+Columnar). An error
// prints "Parse error near line N: …" (while preparing) or "Runtime error near
// line N: …" (while stepping) with the line where the text began, and ends that
// text; -bail ends the run. Arguments are parsed in Arguments.swift.

import Base
import Engine
import SQL

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public final class Shell {
    var mode: Mode = .list
    var columnSeparator: [UInt8] = [0x7C]
    var rowSeparator: [UInt8] = [0x0A]
    var nullValue: [UInt8] = []
    var headers = false
    /// -header or -noheader was given: `.mode column` leaves the headers alone.
    var headersSetByOption = false
    var columnar = ColumnarOptions()
    var widths: [Int] = []
    var insertTable = "table"
    var bail = false
    var echo = false
    var showChanges = false
    /// .once: output returns to stdout after the next SQL.
    var outputOnce = false
    var databasePath = ":memory:"
    var readOnly = false
    /// -io BACKEND (swiftdb's own); nil: the default (SWIFTDB_IO).
    var ioSetting: String?
    /// Every connection is used only on the thread running the shell (`Shell.main` runs it whole on
    /// its caller's thread), so io_uring rings may be confined to it (ConnectionOptions).
    var ioConfinedToThread = false
    /// -journal MODE (swiftdb's own): PRAGMA journal_mode at open.
    var journalMode: String?
    let out = Output()
    var connection: Connection?
    var errorCount = 0
    /// Nesting of .read, bounded so a file that reads itself ends.
    var readDepth = 0
    /// The input being run is a person at a terminal (InputSource.isInteractive).
    var interactive = false
    /// .prompt MAIN CONTINUE: sqlite3's prompts, so its users (and their scripts driving a terminal) see them.
    var mainPrompt = "sqlite> "
    var continuationPrompt = "   ...> "
    /// .eqp: show each statement's query plan (and with `full`, its bytecode) before its rows.
    var autoEQP = AutoEQP.off
    /// .explain auto (the default): EXPLAIN and EXPLAIN QUERY PLAN get their own layouts.
    var autoExplain = true
    /// The mode `.explain on` replaced, restored by `.explain off|auto`.
    var modeBeforeExplain = Mode.list
    /// .timer on: each SQL input's run time is printed after it.
    var timer = false
    /// .stats: figures printed after each statement (Shell+Stats).
    var statsMode = StatsMode.off

    public init() {}

    /// Runs the shell with sqlite3-style arguments; returns the exit status.
    public static func main(_ arguments: [String]) -> Int32 {
        let shell = Shell()
        shell.ioConfinedToThread = true
        let status = shell.run(arguments)
        shell.out.flush()
        return status
    }

    /// Reads and runs every line of input. Returns true when -bail (or .exit) stopped the run.
    func processInput(_ reader: InputSource) -> Bool {
        var buffer: [UInt8] = []
        var startLine = 0
        var lineNumber = 0
        let outerInteractive = interactive
        interactive = reader.isInteractive
        defer { interactive = outerInteractive }
        while let line = reader.next(continuation: !buffer.isEmpty) {
            // Ctrl-C while reading a file ends the file; at the terminal it only stopped a statement.
            if interruptsSeen.load(ordering: .relaxed) > 0 {
                if !reader.isInteractive { break }
                interruptsSeen.store(0, ordering: .relaxed)
            }
            lineNumber += 1
            if buffer.isEmpty {
                if line.allSatisfy(isSpace) { continue }
                if line.first == 0x2E {
                    if echo {
                        out.write(line)
                        out.write(byte: 0x0A)
                    }
                    switch runDotCommand(line) {
                    case .exit: return true
                    case .failed:
                        errorCount += 1
                        if bail && !interactive { return true }
                    case .ok: break
                    }
                    continue
                }
                startLine = lineNumber
            }
            // "go" or "/" ends the statement only where a ";" would complete it — never inside a
            // string literal, a comment or a trigger body (shell.c.in: QSS_INPLAIN, line_is_complete).
            let terminator = !buffer.isEmpty && isCommandTerminator(line) && Parser.isComplete(buffer + [0x3B])
            if !buffer.isEmpty { buffer.append(0x0A) }
            if terminator {
                buffer.append(0x3B)
            } else {
                buffer.append(contentsOf: line)
            }
            if line.contains(0x3B) || terminator, Parser.isComplete(buffer) {
                if runInputChunk(buffer, startLine: startLine) { return true }
                buffer.removeAll(keepingCapacity: true)
            }
        }
        if !buffer.isEmpty && !buffer.allSatisfy(isSpace) {
            if runInputChunk(buffer, startLine: startLine) { return true }
        }
        if reader.isInteractive { out.write(byte: 0x0A) }
        return false
    }

    /// Runs SQL gathered from input, with .echo and .changes. True when -bail stops the run.
    private func runInputChunk(_ sql: [UInt8], startLine: Int) -> Bool {
        if echo {
            out.write(sql)
            out.write(byte: 0x0A)
        }
        var failed = false
        timed { failed = runChunk(sql, startLine: startLine, fromArguments: false) != 0 }
        if showChanges, let connection {
            out.write("changes: \(connection.changes)   total_changes: \(connection.totalChanges)\n")
        }
        return failed && bail && !interactive
    }

    private func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }

    /// A line that is only "/" or "go" (any case) ends a statement, as in sqlite3.
    private func isCommandTerminator(_ line: [UInt8]) -> Bool {
        let t = line.filter { !isSpace($0) }
        if t == [0x2F] { return true }
        return t.count == 2 && (t[0] | 0x20) == 0x67 && (t[1] | 0x20) == 0x6F
    }

    /// Runs every statement of `sql`; stops at the first error. Returns 0, or the failing step's primary
    /// result code (1 for an error while preparing): sqlite3's exit status for an SQL argument.
    func runChunk(_ sql: [UInt8], startLine: Int, fromArguments: Bool) -> Int {
        defer {
            if outputOnce {
                outputOnce = false
                _ = out.redirect(to: nil)
            }
        }
        guard let connection else { return 1 }
        var offset = 0
        while offset < sql.count {
            // shell_exec prepares each statement from its first non-space byte (sql_length counts from there).
            while offset < sql.count && isSpace(sql[offset]) { offset += 1 }
            let statement: PreparedStatement?
            let next: Int
            let statementStart = offset
            do {
                (statement, next) = try connection.prepare(sql, at: offset)
            } catch {
                reportError(error, phase: "in prepare", startLine: startLine, fromArguments: fromArguments,
                            context: errorContext(error, sql, statementStart: offset))
                return 1
            }
            offset = next
            guard let statement else { continue }
            bindParameters(statement)
            do {
                if autoEQP != .off && !statement.isExplain {
                    showPlan(of: String(decoding: sql[statementStart..<next], as: UTF8.self))
                }
                if autoExplain && statement.isExplainQueryPlan {
                    try printQueryPlan(statement)
                } else if (autoExplain && statement.isExplain) || mode == .explain {
                    try printExplain(statement)
                } else {
                    try printRows(statement)
                }
                if statsMode != .off { displayStats(after: statement) }
            } catch {
                reportError(error, phase: "stepping", startLine: startLine, fromArguments: fromArguments)
                return max(1, Int(error.code.primary.rawValue))
            }
        }
        return 0
    }

    /// .eqp: the plan of the statement about to run, as sqlite3's shell_exec prints it before the rows
    /// (nothing for a statement without one); `full` adds the EXPLAIN listing.
    private func showPlan(of text: String) {
        guard let connection else { return }
        // As shell_exec sets SQLITE_DBCONFIG_TRIGGER_EQP for the automatic plan only (`trigger` and `full`).
        connection.triggerQueryPlans = autoEQP == .trigger || autoEQP == .full
        if let plan = try? connection.prepare("EXPLAIN QUERY PLAN " + text) {
            try? printQueryPlan(plan)
        }
        connection.triggerQueryPlans = false
        if autoEQP == .full, let program = try? connection.prepare("EXPLAIN " + text) {
            try? printExplain(program)
        }
    }

    private func reportError(_ error: DBError, phase: String, startLine: Int, fromArguments: Bool,
                             context: String = "") {
        errorCount += 1
        var message = error.message
        let primary = error.code.primary.rawValue
        if primary > 1 { message += " (\(primary))" }
        message += context
        let kind = phase == "in prepare" ? "Parse error" : "Runtime error"
        if fromArguments {
            out.error("Error: \(phase), \(message)")
        } else if interactive {
            out.error("\(kind): \(message)")
        } else {
            out.error("\(kind) near line \(startLine): \(message)")
        }
    }

    /// The lines sqlite3 prints under an error that has an offset in the statement (shell.c.in,
    /// shell_error_context): the statement's text from its start (at most 78 bytes, whitespace shown
    /// as spaces, shifted so the offset is at most 50) and a marker under the offending byte.
    /// `statementStart` is where the statement's text begins; sqlite3 measures from there once the
    /// whitespace after the previous statement is skipped.
    func errorContext(_ error: DBError, _ sql: [UInt8], statementStart: Int) -> String {
        var start = statementStart
        while start < sql.count && isSpace(sql[start]) { start += 1 }
        let end = sql.firstIndex(of: 0).map { max($0, start) } ?? sql.count  // C strings end at a NUL
        guard let absolute = error.offset, absolute >= start, absolute <= end else { return "" }
        var offset = absolute - start
        var p = start
        while offset > 50 {
            offset -= 1
            p += 1
            while p < end && sql[p] & 0xC0 == 0x80 {
                p += 1
                offset -= 1
            }
        }
        var length = max(0, end - p)
        if length > 78 {
            length = 78
            while length > 0 && sql[p + length] & 0xC0 == 0x80 { length -= 1 }
        }
        let code = sql[p..<p + length].map { isSpace($0) ? 0x20 : $0 }
        let text = String(decoding: code, as: UTF8.self)
        if offset < 25 {
            return "\n  \(text)\n  " + String(repeating: " ", count: max(0, offset)) + "^--- error here"
        }
        return "\n  \(text)\n  " + String(repeating: " ", count: max(0, offset - 14)) + "error here ---^"
    }

    /// Runs a query for a dot-command and returns its rows (nil after printing the error).
    func rows(_ sql: String) -> [[Value]]? {
        guard let connection else { return nil }
        do {
            return try connection.query(sql)
        } catch {
            out.error("Error: \(error.message)")
            return nil
        }
    }
}
