// Arguments: the command line, as sqlite3 3.40.1 reads it — options anywhere,
// the first other argument the database (":memory:" when none), the rest SQL
// or dot-commands run in order (the first error ends the run with status 1);
// without them, stdin is the script. -init runs a file and -cmd a command
// before that. swiftdb's own options: -io syscall|io_uring (the IO back-end)
// and -journal MODE (PRAGMA journal_mode at open).

import Base
import Engine
import IO

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Shell {
    static let version = "3.40.1 2022-12-28 14:03:47 swiftdb"

    func run(_ arguments: [String]) -> Int32 {
        let argv0 = arguments.first ?? "swiftdb"
        // Ctrl-C stops the running statement whatever the input (sqlite3 installs its handler first thing).
        Shell.handleInterrupts()
        var sqlArguments: [String] = []
        var initFile: String?
        var stdinIsInteractive = isatty(0) != 0
        // Two passes, as sqlite3's main: the first finds the file and what shapes the session (-init,
        // -batch, -readonly, the back-end); then the database opens and ~/.swiftdbrc (or -init's file)
        // runs; the second pass applies the output options and runs -cmd, so they override the rc file.
        for pass in 1...2 {
            var sawFile = false
            var i = 1
            while i < arguments.count {
                let a = arguments[i]
                i += 1
                guard a.hasPrefix("-") && a.count > 1 else {
                    if !sawFile {
                        databasePath = a
                        sawFile = true
                    } else if pass == 1 {
                        sqlArguments.append(a)
                    }
                    continue
                }
                let opt = a.hasPrefix("--") ? String(a.dropFirst()) : a
                let takesValue = ["-separator", "-newline", "-nullvalue", "-cmd", "-init", "-io", "-journal", "-vfs",
                                  "-mmap", "-maxsize", "-nonce"]
                var value = ""
                if takesValue.contains(opt) {
                    guard i < arguments.count else {
                        if pass == 1 { continue }
                        out.error("\(argv0): Error: missing argument to \(a)")
                        return 1
                    }
                    value = arguments[i]
                    i += 1
                }
                if pass == 1 {
                    switch opt {
                    case "-bail": bail = true
                    case "-batch": stdinIsInteractive = false
                    case "-interactive": stdinIsInteractive = true
                    case "-readonly": readOnly = true
                    case "-init": initFile = value
                    case "-io": ioSetting = value
                    case "-journal": journalMode = value
                    default: break
                    }
                    continue
                }
                switch opt {
                case "-batch", "-interactive", "-nofollow", "-safe", "-vfs", "-mmap", "-maxsize", "-nonce", "-bail",
                     "-readonly", "-init", "-io", "-journal": break
                case "-echo": echo = true
                case "-stats": statsMode = .on
                case "-eqp": autoEQP = .on
                case "-eqpfull": autoEQP = .full
                case "-header", "-headers":
                    headers = true
                    headersSetByOption = true
                case "-noheader", "-noheaders":
                    headers = false
                    headersSetByOption = true
                case "-separator": columnSeparator = Array(value.utf8)
                case "-newline": rowSeparator = Array(value.utf8)
                case "-nullvalue": nullValue = Array(value.utf8)
                case "-cmd":
                    // Run at once, in order with the options around it (sqlite3's "goofy" -cmd).
                    if runArgument(value) != 0 && bail { return 1 }
                case "-version":
                    out.write(Shell.version + "\n")
                    return 0
                case "-help":
                    out.error(Shell.usage(argv0))
                    return 1
                case "-list": mode = .list
                case "-line": mode = .line
                case "-column": mode = .column
                case "-json": mode = .json
                case "-markdown": mode = .markdown
                case "-table": mode = .table
                case "-box": mode = .box
                case "-html": mode = .html
                case "-quote":
                    mode = .quote
                    columnSeparator = [0x2C]
                    rowSeparator = [0x0A]
                case "-csv":
                    mode = .csv
                    columnSeparator = [0x2C]
                case "-ascii":
                    mode = .ascii
                    columnSeparator = [0x1F]
                    rowSeparator = [0x1E]
                case "-tabs":
                    mode = .list
                    columnSeparator = [0x09]
                default:
                    out.error("\(argv0): Error: unknown option: \(a)")
                    out.error("Use -help for a list of options.")
                    return 1
                }
            }
            if pass == 1 {
                if let failure = openDatabase() {
                    out.error(failure)
                    return 1
                }
                if runResourceFile(initFile, interactive: stdinIsInteractive) { return 1 }
            }
        }
        if !sqlArguments.isEmpty {
            for sql in sqlArguments {
                let status = runArgument(sql)
                if status != 0 { return Int32(truncatingIfNeeded: status) }
            }
            return 0
        }
        if stdinIsInteractive {
            return runInteractive(inMemoryWarning: arguments.count == 1)
        }
        guard let input = fdopen(0, "r") else { return 1 }
        _ = processInput(LineReader(file: input))
        return errorCount > 0 ? 1 : 0
    }

    /// ~/.swiftdbrc, or the file -init names, run before anything else (shell.c.in, process_sqliterc).
    /// True when it failed under -bail and the shell must exit with status 1.
    private func runResourceFile(_ override: String?, interactive: Bool) -> Bool {
        guard let path = override ?? Shell.homeDirectory().map({ $0 + "/.swiftdbrc" }) else {
            out.error("-- warning: cannot find home directory; cannot read ~/.swiftdbrc")
            return false
        }
        guard let f = fopen(path, "rb") else {
            if override != nil {
                out.error("cannot open: \"\(path)\"")
                return bail
            }
            return false
        }
        defer { fclose(f) }
        if interactive { out.error("-- Loading resources from \(path)") }
        let errors = errorCount
        return processInput(LineReader(file: f)) && bail && errorCount > errors
    }

    /// A person at the terminal: the banner, then lines read with editing and history until end of input.
    private func runInteractive(inMemoryWarning: Bool) -> Int32 {
        out.write("SQLite version \(Shell.version)\nEnter \".help\" for usage hints.\n")
        if inMemoryWarning {
            out.write("Connected to a \u{1B}[1mtransient in-memory database\u{1B}[0m.\n"
                + "Use \".open FILENAME\" to reopen on a persistent database.\n")
        }
        let input = InteractiveInput { [unowned self] continuation in
            out.flush()
            return continuation ? continuationPrompt : mainPrompt
        }
        _ = processInput(input)
        input.saveHistory()
        return errorCount > 0 ? 1 : 0
    }

    /// One SQL or dot-command argument (of -cmd or after the file name). Returns 1 on error.
    private func runArgument(_ text: String) -> Int {
        if text.hasPrefix(".") {
            switch runDotCommand(Array(text.utf8)) {
            case .ok, .exit: return 0
            case .failed:
                errorCount += 1
                return 1
            }
        }
        return runChunk(Array(text.utf8), startLine: 0, fromArguments: true)
    }

    /// Opens `databasePath` with the chosen back-end and journal mode; the error line on failure.
    func openDatabase(path: String? = nil) -> String? {
        let databasePath = path ?? self.databasePath
        var options = ConnectionOptions()
        options.readOnly = readOnly
        options.ioConfinedToThread = ioConfinedToThread
        if let ioSetting {
            let selection = IOBackends.make(setting: ioSetting, confinedToThread: ioConfinedToThread)
            options.io = selection.backend
            options.ioReason = "-io \(ioSetting): " + selection.reason
        }
        do {
            let c = try Connection(path: databasePath, options: options)
            connection = c
            interruptTarget = c.interruptFlag
            c.registerShellFunctions()  // sha3(), sha3_query(): sqlite3's open_db registers them too
            if let journalMode { _ = try c.query("PRAGMA journal_mode=\(journalMode)") }
        } catch {
            return "Error: unable to open database \"\(databasePath)\": \(error.message)"
        }
        return nil
    }

    static func usage(_ argv0: String) -> String {
        """
        Usage: \(argv0) [OPTIONS] FILENAME [SQL]
        FILENAME is the name of an SQLite database. A new database is created
        if the file does not previously exist.
        OPTIONS include:
           -ascii               set output mode to 'ascii'
           -bail                stop after hitting an error
           -batch               force batch I/O
           -box                 set output mode to 'box'
           -column              set output mode to 'column'
           -cmd COMMAND         run "COMMAND" before reading stdin
           -csv                 set output mode to 'csv'
           -echo                print inputs before execution
           -init FILENAME       read/process named file
           -[no]header          turn headers on or off
           -help                show this message
           -html                set output mode to HTML
           -interactive         force interactive I/O
           -io BACKEND          IO back-end: syscall or io_uring (swiftdb)
           -journal MODE        PRAGMA journal_mode at open (swiftdb)
           -json                set output mode to 'json'
           -line                set output mode to 'line'
           -list                set output mode to 'list'
           -markdown            set output mode to 'markdown'
           -newline SEP         set output row separator. Default: '\\n'
           -nullvalue TEXT      set text string for NULL values. Default ''
           -quote               set output mode to 'quote'
           -readonly            open the database read-only
           -separator SEP       set output column separator. Default: '|'
           -stats               print memory stats before each finalize
           -table               set output mode to 'table'
           -tabs                set output mode to 'tabs'
           -version             show SQLite version
        """
    }
}
