// Shell+Session: the dot-commands that change the session rather than print
// data — .open (close the database and open another, --new and --readonly),
// .prompt, .timer, .eqp and .explain (shell.c.in's do_meta_command branches of
// those names), and .shell/.system. Their effects on each statement's output
// are applied in Shell.runChunk (autoEQP, the explain layout, the timer).

import Base
import Engine
import IO

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `.eqp`: sqlite3's autoEQP levels; `trigger` adds the plans of the triggers a statement fires, `full`
/// those and the bytecode listing.
enum AutoEQP: String { case off, on, trigger, full }

extension Shell {
    /// .open ?--new? ?--readonly? ?FILE?: closes the database and opens FILE (a new in-memory database
    /// without one). A file that cannot be opened leaves an in-memory database in its place, under the
    /// name given, as sqlite3's open_db with OPEN_DB_KEEPALIVE does.
    func openCommand(_ args: [String]) -> DotResult {
        var file: String?
        var fresh = false
        var readOnlyOpen = false
        for a in args.dropFirst() {
            let option = a.hasPrefix("--") ? String(a.dropFirst()) : a
            if option == "-new" {
                fresh = true
            } else if option == "-readonly" {
                readOnlyOpen = true
            } else if ["-append", "-deserialize", "-hexdb", "-zip", "-maxsize"].contains(option) {
                out.error("Error: .open \(a) is not supported by swiftdb")
                return .failed
            } else if option == "-nofollow" {
                continue
            } else if a.hasPrefix("-") {
                out.error("unknown option: \(a)")
                return .failed
            } else if file != nil {
                out.error("extra argument: \"\(a)\"")
                return .failed
            } else {
                file = a
            }
        }
        connection = nil
        readOnly = readOnlyOpen
        if let file, fresh, file != ":memory:" { unlink(file) }
        databasePath = file ?? ""
        let path = file ?? ":memory:"
        if let failure = openDatabase(path: path) {
            out.error(failure)
            _ = openDatabase(path: ":memory:")
        }
        return .ok
    }

    func promptCommand(_ args: [[UInt8]]) {
        // sqlite3 keeps at most 19 bytes of each prompt.
        func prompt(_ bytes: [UInt8]) -> String { String(decoding: bytes.prefix(19), as: UTF8.self) }
        if args.count >= 2 { mainPrompt = prompt(args[1]) }
        if args.count >= 3 { continuationPrompt = prompt(args[2]) }
    }

    func eqpCommand(_ args: [[UInt8]]) -> DotResult {
        guard args.count == 2 else {
            out.error("Usage: .eqp off|on|trace|trigger|full")
            return .failed
        }
        switch String(decoding: args[1], as: UTF8.self) {
        case "full": autoEQP = .full
        case "on": autoEQP = .on
        case "trigger": autoEQP = .trigger
        // `trace` and `test` exist only in SQLITE_DEBUG builds of the shell: sqlite3 3.40.1 as Debian builds
        // it reads them as booleans too ("ERROR: Not a boolean value: \"trace\". Assuming \"no\".").
        default: autoEQP = booleanValue(args[1]) ? .on : .off
        }
        return .ok
    }

    /// .explain ?on|off|auto?: `on` (the default) lays every result out as EXPLAIN's table; `off` prints
    /// EXPLAIN like any query; `auto` lays out only EXPLAIN and EXPLAIN QUERY PLAN statements.
    func explainCommand(_ args: [[UInt8]]) {
        var setting = 1
        if args.count >= 2 {
            setting = String(decoding: args[1], as: UTF8.self) == "auto" ? 99 : (booleanValue(args[1]) ? 1 : 0)
        }
        if mode == .explain { mode = modeBeforeExplain }
        switch setting {
        case 1:
            modeBeforeExplain = mode
            mode = .explain
            autoExplain = false
        case 0: autoExplain = false
        default: autoExplain = true
        }
    }

    func timerCommand(_ args: [[UInt8]]) -> DotResult {
        guard args.count == 2 else {
            out.error("Usage: .timer on|off")
            return .failed
        }
        timer = booleanValue(args[1])
        return .ok
    }

    /// .shell/.system CMD ARGS...: runs the command line through /bin/sh; arguments holding a space are
    /// put back in double quotes, and a nonzero status is reported.
    func systemCommand(_ args: [String], name: String) -> DotResult {
        guard args.count >= 2 else {
            out.error("Usage: .\(name) COMMAND")
            return .failed
        }
        let command = args.dropFirst().map { $0.contains(" ") ? "\"\($0)\"" : $0 }.joined(separator: " ")
        out.flush()
        let status = system(command)
        if status != 0 { out.error("System command returns \(status)") }
        return .ok
    }

    /// The wall-clock and CPU times of running `body`, printed as sqlite3's .timer prints them.
    func timed(_ body: () -> Void) {
        guard timer else { return body() }
        func cpu() -> (user: Double, system: Double) {
            var usage = rusage()
            getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
            return (Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) * 1e-6,
                    Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) * 1e-6)
        }
        let clock = SystemClock()
        let (startWall, startCPU) = (clock.monotonicNanoseconds(), cpu())
        body()
        let (endWall, endCPU) = (clock.monotonicNanoseconds(), cpu())
        out.write(cFormat("Run Time: real %.3f user %f sys %f\n", Double(endWall - startWall) * 1e-9,
                          endCPU.user - startCPU.user, endCPU.system - startCPU.system))
    }
}

/// C's printf formatting of numbers (vsnprintf), for lines sqlite3 prints with printf.
func cFormat(_ format: String, _ arguments: CVarArg...) -> String {
    withVaList(arguments) { list in
        var buffer = [CChar](repeating: 0, count: 256)
        _ = vsnprintf(&buffer, buffer.count, format, list)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
