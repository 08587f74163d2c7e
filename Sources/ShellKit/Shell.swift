// Shell: the swiftdb command-line shell in batch mode (issue 4's "minimal
// CLI"; the full shell is issue 7). It mirrors sqlite3's shell.c:
// input is read line by line and gathered until it forms complete SQL
// (sqlite3_complete's rules, or a line holding only "/" or "go"); then each
// statement of the gathered text is prepared and stepped, its rows printed in
// the current mode. An error prints "Parse error near line N: …" (while
// preparing) or "Runtime error near line N: …" (while stepping) with the
// line where the text began, and ends that text; -bail ends the run.

import Base
import Engine
import SQL

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public final class Shell {
    enum Mode { case list, quote, csv, line, column, tabs }

    var mode: Mode = .list
    var separator: [UInt8] = [0x7C]
    var newline: [UInt8] = [0x0A]
    var nullValue: [UInt8] = []
    var headers = false
    var bail = false
    var echo = false
    var databasePath = ":memory:"
    let out = Output()
    var connection: Connection?
    var errorCount = 0

    public init() {}

    /// Runs the shell with sqlite3-style arguments; returns the exit status.
    public static func main(_ arguments: [String]) -> Int32 {
        let shell = Shell()
        let status = shell.run(arguments)
        shell.out.flush()
        return status
    }

    func run(_ arguments: [String]) -> Int32 {
        var sqlArguments: [String] = []
        var sawFile = false
        var i = 1
        while i < arguments.count {
            let a = arguments[i]
            i += 1
            if a.hasPrefix("-") && a.count > 1 {
                let opt = a.hasPrefix("--") ? String(a.dropFirst()) : a
                switch opt {
                case "-batch", "-interactive": break
                case "-bail": bail = true
                case "-list":
                    mode = .list
                    separator = [0x7C]
                case "-quote":
                    mode = .quote
                    separator = [0x2C]
                case "-csv":
                    mode = .csv
                    separator = [0x2C]
                case "-tabs":
                    mode = .tabs
                    separator = [0x09]
                case "-line": mode = .line
                case "-header", "-headers": headers = true
                case "-noheader", "-noheaders": headers = false
                case "-echo": echo = true
                case "-separator":
                    guard i < arguments.count else { return usageError("missing argument to \(a)") }
                    separator = Array(arguments[i].utf8)
                    i += 1
                case "-nullvalue":
                    guard i < arguments.count else { return usageError("missing argument to \(a)") }
                    nullValue = Array(arguments[i].utf8)
                    i += 1
                case "-version":
                    out.write("3.40.1 2022-12-28 14:03:47 swiftdb\n")
                    return 0
                default:
                    out.error("\(arguments[0]): Error: unknown option: \(a)")
                    out.error("Use -help for a list of options.")
                    return 1
                }
            } else if !sawFile {
                databasePath = a
                sawFile = true
            } else {
                sqlArguments.append(a)
            }
        }
        do {
            connection = try Connection(path: databasePath)
        } catch {
            out.error("Error: unable to open database \"\(databasePath)\": \(error.message)")
            return 1
        }
        if !sqlArguments.isEmpty {
            for sql in sqlArguments {
                if runChunk(Array(sql.utf8), startLine: 0, fromArguments: true) != 0 && bail { return 1 }
            }
            return errorCount > 0 ? 1 : 0
        }
        guard let input = fdopen(0, "r") else { return 1 }
        return processInput(LineReader(file: input)) ? 1 : (errorCount > 0 ? 1 : 0)
    }

    private func usageError(_ message: String) -> Int32 {
        out.error("Error: \(message)")
        return 1
    }

    /// Reads and runs every line of input. Returns true when -bail stopped the run.
    func processInput(_ reader: LineReader) -> Bool {
        var buffer: [UInt8] = []
        var startLine = 0
        var lineNumber = 0
        while let line = reader.next() {
            lineNumber += 1
            if buffer.isEmpty {
                if line.allSatisfy(isSpace) { continue }
                if line.first == 0x2E {
                    // Dot-commands arrive with the full shell (issue 7); sqlite3's common ones are honoured.
                    if runDotCommand(line) { return false }
                    continue
                }
                startLine = lineNumber
            }
            // "go" or "/" ends the statement only where a ";" would complete it — never inside a
            // string literal, a comment or a trigger body (shell.c.in: QSS_INPLAIN, line_is_complete).
            let terminator = !buffer.isEmpty && isCommandTerminator(line) && Parser.isComplete(buffer + [0x3B])
            if terminator {
                buffer.append(0x3B)
            } else {
                buffer.append(contentsOf: line)
            }
            buffer.append(0x0A)
            if line.contains(0x3B) || terminator, Parser.isComplete(buffer) {
                if runChunk(buffer, startLine: startLine, fromArguments: false) != 0 && bail { return true }
                buffer.removeAll(keepingCapacity: true)
            }
        }
        if !buffer.isEmpty && !buffer.allSatisfy(isSpace) {
            if runChunk(buffer, startLine: startLine, fromArguments: false) != 0 && bail { return true }
        }
        return false
    }

    private func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }

    /// A line that is only "/" or "go" (any case) ends a statement, as in sqlite3.
    private func isCommandTerminator(_ line: [UInt8]) -> Bool {
        let t = line.filter { !isSpace($0) }
        if t == [0x2F] { return true }
        return t.count == 2 && (t[0] | 0x20) == 0x67 && (t[1] | 0x20) == 0x6F
    }

    /// A few dot-commands batch scripts use. Returns true for .exit/.quit.
    private func runDotCommand(_ line: [UInt8]) -> Bool {
        let words = String(decoding: line, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard let cmd = words.first else { return false }
        switch cmd {
        case ".quit", ".exit": return true
        case ".mode":
            if words.count > 1 {
                switch words[1] {
                case "list": mode = .list; separator = [0x7C]
                case "quote": mode = .quote; separator = [0x2C]
                case "csv": mode = .csv; separator = [0x2C]
                case "tabs": mode = .tabs; separator = [0x09]
                case "line": mode = .line
                default: out.error("Error: mode should be one of: ascii box column csv html insert json line list markdown qbox quote table tabs tcl")
                }
            }
        case ".headers", ".header":
            if words.count > 1 { headers = words[1] == "on" || words[1] == "1" || words[1] == "yes" }
        case ".bail":
            if words.count > 1 { bail = words[1] == "on" || words[1] == "1" || words[1] == "yes" }
        case ".nullvalue":
            nullValue = words.count > 1 ? Array(words[1].utf8) : []
        case ".separator":
            if words.count > 1 { separator = Array(words[1].utf8) }
        default:
            out.error("Error: unknown command or invalid arguments:  \"\(cmd.dropFirst())\". Enter \".help\" for help")
        }
        return false
    }

    /// Runs every statement of `sql`; stops at the first error. Returns the number of errors (0 or 1).
    func runChunk(_ sql: [UInt8], startLine: Int, fromArguments: Bool) -> Int {
        guard let connection else { return 1 }
        if echo { out.write(sql) }
        var offset = 0
        while offset < sql.count {
            let statement: PreparedStatement?
            let next: Int
            do {
                (statement, next) = try connection.prepare(sql, at: offset)
            } catch {
                reportError(error, phase: "in prepare", startLine: startLine, fromArguments: fromArguments,
                            sql: sql, offset: offset)
                return 1
            }
            offset = next
            guard let statement else { continue }
            do {
                if statement.isExplainQueryPlan {
                    try printQueryPlan(statement)
                } else if statement.isExplain {
                    try printExplain(statement)
                } else {
                    try printRows(statement)
                }
            } catch {
                reportError(error, phase: "stepping", startLine: startLine, fromArguments: fromArguments, sql: sql,
                            offset: offset)
                return 1
            }
        }
        return 0
    }

    private func reportError(_ error: DBError, phase: String, startLine: Int, fromArguments: Bool, sql: [UInt8],
                             offset: Int) {
        errorCount += 1
        var message = error.message
        let primary = error.code.primary.rawValue
        if primary > 1 { message += " (\(primary))" }
        let kind = phase == "in prepare" ? "Parse error" : "Runtime error"
        if fromArguments {
            out.error("Error: \(phase), \(message)")
        } else {
            out.error("\(kind) near line \(startLine): \(message)")
        }
    }
}
