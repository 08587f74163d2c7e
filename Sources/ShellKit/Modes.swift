// Modes: the output modes and their settings, as sqlite3 3.40.1 keeps them —
// `.mode NAME ?OPTIONS?` (with the columnar modes' --wrap N, --wordwrap on|off,
// --ww, --quote, --noquote, and insert's table name), the separators each mode
// installs, and the text `.mode` without arguments prints (after which it
// re-applies the current mode with its defaults, as sqlite3 does).

/// An output mode. `.mode tabs` is list mode with a tab separator, as in sqlite3.
enum Mode: String, CaseIterable {
    case line, column, list, semi, html, insert, quote, tcl, csv, explain, ascii, prettyprint, eqp
    case json, markdown, table, box, count, off, scanexp

    var isColumnar: Bool { self == .column || self == .table || self == .box || self == .markdown }
}

/// The columnar modes' options (`.mode box --wrap 60 --wordwrap off --noquote`).
struct ColumnarOptions: Equatable {
    var wrap = 0
    var wordWrap = false
    var quote = false

    /// What `.mode column` and friends get when no option is given.
    static let modeDefault = ColumnarOptions(wrap: 60, wordWrap: false, quote: false)
}

extension Shell {
    static let modeNames = "ascii box column csv html insert json line list markdown qbox quote table tabs tcl"

    /// `.mode ?MODE? ?OPTIONS?`. Returns 1 on error (the dot-command failed).
    func modeCommand(_ args: [[UInt8]]) -> Int {
        var name: String?
        var table: String?
        var options = ColumnarOptions.modeDefault
        var i = 1
        while i < args.count {
            let word = String(decoding: args[i], as: UTF8.self)
            let a = word.hasPrefix("--") ? String(word.dropFirst()) : word
            i += 1
            if a == "-wrap" && i < args.count {
                options.wrap = Int(parseInteger(args[i]))
                i += 1
            } else if a == "-ww" {
                options.wordWrap = true
            } else if a == "-wordwrap" && i < args.count {
                options.wordWrap = booleanValue(args[i])
                i += 1
            } else if a == "-quote" {
                options.quote = true
            } else if a == "-noquote" {
                options.quote = false
            } else if name == nil && !a.hasPrefix("-") {
                name = word
            } else if table == nil && !a.hasPrefix("-") {
                table = word
            } else if a.hasPrefix("-") {
                out.error("Error: unknown option: \(a)")
                return 1
            } else {
                out.error("Error: too many arguments to .mode")
                return 1
            }
        }
        if name == nil {
            let current = modeDescription(mode)
            if mode.isColumnar {
                out.write("current output mode: \(current) --wrap \(columnar.wrap) --wordwrap "
                          + "\(columnar.wordWrap ? "on" : "off") --\(columnar.quote ? "" : "no")quote\n")
            } else {
                out.write("current output mode: \(current)\n")
            }
            name = current
        }
        return setMode(name!, table: table, options: options) ? 0 : 1
    }

    private func modeDescription(_ m: Mode) -> String {
        switch m {
        case .prettyprint: return "prettyprint"
        default: return m.rawValue
        }
    }

    /// Installs a mode by (a prefix of) its name, as `.mode` does. False for an unknown name.
    func setMode(_ name: String, table: String? = nil, options: ColumnarOptions = .modeDefault) -> Bool {
        func matches(_ full: String) -> Bool { !name.isEmpty && full.hasPrefix(name) }
        let sepRow: [UInt8] = [0x0A]
        switch name {
        case _ where matches("lines"):
            mode = .line
            rowSeparator = sepRow
        case _ where matches("columns"):
            mode = .column
            if !headersSetByOption { headers = true }
            columnar = options
            rowSeparator = sepRow
        case _ where matches("list"):
            mode = .list
            columnSeparator = [0x7C]
            rowSeparator = sepRow
        case _ where matches("html"):
            mode = .html
        case _ where matches("tcl"):
            mode = .tcl
            columnSeparator = [0x20]
            rowSeparator = sepRow
        case _ where matches("csv"):
            mode = .csv
            columnSeparator = [0x2C]
            rowSeparator = [0x0D, 0x0A]
        case _ where matches("tabs"):
            mode = .list
            columnSeparator = [0x09]
        case _ where matches("insert"):
            mode = .insert
            insertTable = table ?? "table"
        case _ where matches("quote"):
            mode = .quote
            columnSeparator = [0x2C]
            rowSeparator = sepRow
        case _ where matches("ascii"):
            mode = .ascii
            columnSeparator = [0x1F]
            rowSeparator = [0x1E]
        case _ where matches("markdown"):
            mode = .markdown
            columnar = options
        case _ where matches("table"):
            mode = .table
            columnar = options
        case _ where matches("box"):
            mode = .box
            columnar = options
        case "count":
            mode = .count
        case "off":
            mode = .off
        case "qbox":
            mode = .box
            columnar = ColumnarOptions(wrap: 60, wordWrap: false, quote: true)
        case _ where matches("json"):
            mode = .json
        default:
            out.error("Error: mode should be one of: \(Shell.modeNames)")
            return false
        }
        return true
    }
}

/// An integer argument as sqlite3's integerValue reads it (leading digits, optional sign, 0x hex,
/// then an optional KiB, MiB, GiB, KB, MB, GB, K, M or G multiplier, any case).
func parseInteger(_ bytes: [UInt8]) -> Int64 {
    var i = 0
    var negative = false
    if i < bytes.count && (bytes[i] == 0x2D || bytes[i] == 0x2B) {
        negative = bytes[i] == 0x2D
        i += 1
    }
    var v: Int64 = 0
    if i + 1 < bytes.count && bytes[i] == 0x30 && bytes[i + 1] == 0x78 {
        i += 2
        while i < bytes.count, let d = hexDigit(bytes[i]) {
            v = v &* 16 &+ Int64(d)
            i += 1
        }
    } else {
        while i < bytes.count && bytes[i] >= 0x30 && bytes[i] <= 0x39 {
            v = v &* 10 &+ Int64(bytes[i] - 0x30)
            i += 1
        }
    }
    let multipliers: [(String, Int64)] = [("kib", 1024), ("mib", 1 << 20), ("gib", 1 << 30), ("kb", 1000),
                                          ("mb", 1_000_000), ("gb", 1_000_000_000), ("k", 1000), ("m", 1_000_000),
                                          ("g", 1_000_000_000)]
    let suffix = String(decoding: bytes[i...].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    if let m = multipliers.first(where: { $0.0 == suffix }) { v = v &* m.1 }
    return negative ? -v : v
}

private func hexDigit(_ c: UInt8) -> Int? {
    switch c {
    case 0x30...0x39: return Int(c - 0x30)
    case 0x61...0x66: return Int(c - 0x61 + 10)
    case 0x41...0x46: return Int(c - 0x41 + 10)
    default: return nil
    }
}
