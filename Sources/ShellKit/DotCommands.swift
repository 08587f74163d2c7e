// DotCommands: splitting a dot-command line into arguments as sqlite3 does
// ('…' literal, "…" and bare words with backslash escapes) and running the
// commands that change settings or print simple things: .mode .headers
// .separator .nullvalue .width .print .echo .bail .changes .show .io .timeout
// .read .output .once .exit/.quit; the session's (.open .prompt .eqp .explain
// .timer .shell) are in Shell+Session, .backup/.save/.restore in Shell+Backup.
// Schema commands are in Shell+Schema, .dump in Shell+Dump, .help in Help. A
// command swiftdb lacks prints sqlite3's unknown-command error.

import Base
import Engine

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum DotResult { case ok, failed, exit }

extension Shell {
    func runDotCommand(_ line: [UInt8]) -> DotResult {
        let args = splitArguments(line)
        guard let first = args.first, !first.isEmpty else { return .ok }
        let name = String(decoding: first, as: UTF8.self)
        let n = args.count
        func arg(_ i: Int) -> String { String(decoding: args[i], as: UTF8.self) }
        func usage(_ text: String) -> DotResult {
            out.error("Usage: \(text)")
            return .failed
        }
        func starts(_ full: String, min: Int = 1) -> Bool { name.count >= min && full.hasPrefix(name) }
        switch name {
        case "quit", "exit":
            return .exit
        case _ where starts("backup", min: 3), _ where starts("save", min: 3):
            return backupCommand((0..<n).map(arg))
        case _ where starts("bail", min: 2):
            guard n == 2 else { return usage(".bail on|off") }
            bail = booleanValue(args[1])
        case _ where starts("changes", min: 3):
            guard n == 2 else { return usage(".changes on|off") }
            showChanges = booleanValue(args[1])
        case _ where starts("databases", min: 2):
            return databasesCommand()
        case _ where starts("dbinfo", min: 3):
            return dbinfoCommand(args)
        case _ where starts("dump", min: 2):
            return dumpCommand(args)
        case _ where starts("echo", min: 1):
            guard n == 2 else { return usage(".echo on|off") }
            echo = booleanValue(args[1])
        case _ where starts("eqp"):
            return eqpCommand(args)
        case _ where starts("explain"):
            explainCommand(args)
        case _ where starts("fullschema", min: 2):
            return schemaCommand(args, full: true)
        case _ where starts("headers", min: 2):
            guard n == 2 else { return usage(".headers on|off") }
            headers = booleanValue(args[1])
            headersSetByOption = true
        case _ where starts("help", min: 2):
            helpCommand(n > 1 ? arg(1) : nil)
        case _ where starts("import", min: 1):
            return importCommand(args)
        case _ where starts("indexes", min: 3), _ where starts("indices", min: 3):
            return tablesCommand(args, indexes: true)
        case "io":
            return ioCommand()
        case _ where starts("limits", min: 5):
            return limitCommand(args)
        case _ where starts("mode", min: 2):
            return modeCommand(args) == 0 ? .ok : .failed
        case _ where starts("nullvalue", min: 2):
            guard n == 2 else { return usage(".nullvalue STRING") }
            nullValue = args[1]
        case _ where starts("open", min: 2):
            return openCommand((0..<n).map(arg))
        case _ where starts("once", min: 2), _ where starts("output", min: 3):
            return outputCommand(args, once: name.hasPrefix("on"))
        case _ where starts("parameter", min: 3):
            return parameterCommand(args)
        case _ where starts("print", min: 2):
            var text: [UInt8] = []
            for i in 1..<max(1, n) {
                if i > 1 { text.append(0x20) }
                text += args[i]
            }
            out.write(text)
            out.write(byte: 0x0A)
        case _ where starts("prompt"):
            promptCommand(args)
        case _ where starts("read", min: 3):
            guard n == 2 else { return usage(".read FILE") }
            switch readFile(arg(1)) {
            case .exit: return .exit
            case .failed: return .failed
            case .ok: break
            }
        case _ where starts("restore", min: 3):
            return restoreCommand((0..<n).map(arg))
        case _ where starts("schema", min: 2):
            return schemaCommand(args, full: false)
        case _ where starts("separator", min: 3):
            guard n == 2 || n == 3 else { return usage(".separator COL ?ROW?") }
            columnSeparator = args[1]
            if n == 3 { rowSeparator = args[2] }
        case _ where starts("sha3sum", min: 4):
            return sha3sumCommand(args)
        case _ where starts("shell", min: 2), _ where starts("system", min: 2):
            return systemCommand((0..<n).map(arg), name: name)
        case _ where starts("show", min: 2):
            guard n == 1 else { return usage(".show") }
            showCommand()
        case _ where starts("stats"):
            return statsCommand(args)
        case _ where starts("tables", min: 2):
            return tablesCommand(args, indexes: false)
        case _ where starts("timeout", min: 5):
            connection?.busyTimeout = n >= 2 ? Int(parseInteger(args[1])) : 0
        case _ where starts("timer", min: 5):
            return timerCommand(args)
        case _ where starts("width", min: 1):
            widths = (1..<max(1, n)).map { Int(parseInteger(args[$0])) }
        default:
            out.error("Error: unknown command or invalid arguments:  \"\(name)\". Enter \".help\" for help")
            return .failed
        }
        return .ok
    }

    /// sqlite3's booleanValue: on/yes/true/1 (or any nonzero integer) and off/no/false/0.
    func booleanValue(_ bytes: [UInt8]) -> Bool {
        let s = String(decoding: bytes, as: UTF8.self)
        if !s.isEmpty && s.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) || (s.hasPrefix("0x") && s.count > 2) {
            return parseInteger(bytes) != 0
        }
        switch s.lowercased() {
        case "on", "yes", "true": return true
        case "off", "no", "false": return false
        default:
            out.error("ERROR: Not a boolean value: \"\(s)\". Assuming \"no\".")
            return false
        }
    }

    /// The words of a dot-command line, without its leading ".".
    func splitArguments(_ line: [UInt8]) -> [[UInt8]] {
        var args: [[UInt8]] = []
        var i = 1
        let n = line.count
        func space(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }
        while i < n {
            while i < n && space(line[i]) { i += 1 }
            guard i < n else { break }
            let q = line[i]
            if q == 0x27 || q == 0x22 {
                i += 1
                var word: [UInt8] = []
                while i < n && line[i] != q {
                    if line[i] == 0x5C && q == 0x22 && i + 1 < n {
                        word.append(line[i])
                        i += 1
                    }
                    word.append(line[i])
                    i += 1
                }
                if i < n { i += 1 }
                args.append(q == 0x22 ? resolveBackslashes(word) : word)
            } else {
                var word: [UInt8] = []
                while i < n && !space(line[i]) {
                    word.append(line[i])
                    i += 1
                }
                args.append(resolveBackslashes(word))
            }
        }
        return args
    }

    /// C escapes in an argument: \a \b \t \n \v \f \r \\ \' \" and octal \NNN; another escaped
    /// character stands for itself.
    func resolveBackslashes(_ word: [UInt8]) -> [UInt8] {
        guard word.contains(0x5C) else { return word }
        var r: [UInt8] = []
        var i = 0
        while i < word.count {
            var c = word[i]
            i += 1
            if c == 0x5C && i < word.count {
                c = word[i]
                i += 1
                switch c {
                case 0x61: c = 7
                case 0x62: c = 8
                case 0x74: c = 9
                case 0x6E: c = 10
                case 0x76: c = 11
                case 0x66: c = 12
                case 0x72: c = 13
                case 0x30...0x37:
                    var v = Int(c - 0x30)
                    var k = 0
                    while k < 2 && i < word.count && word[i] >= 0x30 && word[i] <= 0x37 {
                        v = v * 8 + Int(word[i] - 0x30)
                        i += 1
                        k += 1
                    }
                    c = UInt8(truncatingIfNeeded: v)
                default: break
                }
            }
            r.append(c)
        }
        return r
    }

    /// .read FILE: runs the file's lines as input.
    func readFile(_ path: String) -> DotResult {
        guard readDepth < 25, let f = fopen(path, "r") else {
            out.error("Error: cannot open \"\(path)\"")
            return .failed
        }
        defer { fclose(f) }
        readDepth += 1
        defer { readDepth -= 1 }
        let errors = errorCount
        if processInput(LineReader(file: f)) { return .exit }
        return errorCount > errors ? .failed : .ok
    }

    private func outputCommand(_ args: [[UInt8]], once: Bool) -> DotResult {
        let files = args.dropFirst().map { String(decoding: $0, as: UTF8.self) }.filter { !$0.hasPrefix("-") }
        if files.count > 1 {
            out.error("ERROR: extra parameter: \"\(files[1])\".  Usage:")
            helpCommand(once ? "once" : "output")
            return .failed
        }
        let path = files.first.flatMap { $0 == "stdout" ? nil : $0 }
        if once && path == nil {
            outputOnce = false
            return .ok
        }
        guard out.redirect(to: path) else {
            out.error("Error: cannot open \"\(path!)\"")
            return .failed
        }
        outputOnce = once
        return .ok
    }

    private func showCommand() {
        func line(_ label: String, _ value: String) {
            let padded = String(repeating: " ", count: max(0, 12 - label.count)) + label
            out.write(padded + ": " + value + "\n")
        }
        func cQuoted(_ bytes: [UInt8]) -> String { String(decoding: cString(bytes), as: UTF8.self) }
        line("echo", echo ? "on" : "off")
        line("eqp", autoEQP.rawValue)
        line("explain", mode == .explain ? "on" : autoExplain ? "auto" : "off")
        line("headers", headers ? "on" : "off")
        var modeText = mode.rawValue
        if mode.isColumnar {
            modeText += " --wrap \(columnar.wrap) --wordwrap \(columnar.wordWrap ? "on" : "off") "
                + "--\(columnar.quote ? "" : "no")quote"
        }
        line("mode", modeText)
        line("nullvalue", cQuoted(nullValue))
        line("output", out.targetName)
        line("colseparator", cQuoted(columnSeparator))
        line("rowseparator", cQuoted(rowSeparator))
        line("stats", statsMode.rawValue)
        line("width", widths.map { "\($0) " }.joined())
        line("filename", databasePath)
        line("io", ioDescription().name)
    }

    /// The back-end in use and why (PRAGMA io_backend).
    private func ioDescription() -> (name: String, reason: String) {
        guard let row = rows("PRAGMA io_backend")?.first, row.count >= 2 else { return ("unknown", "") }
        return (String(decoding: listText(row[0]), as: UTF8.self), String(decoding: listText(row[1]), as: UTF8.self))
    }

    private func ioCommand() -> DotResult {
        let io = ioDescription()
        out.write("\(io.name): \(io.reason)\n")
        return .ok
    }
}
