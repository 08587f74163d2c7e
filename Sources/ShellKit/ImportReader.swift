// ImportReader: reads the fields of a file (or a command's output) for
// `.import`, one at a time, the way sqlite3 3.40.1's shell does
// (shell.c.in: ImportCtx, csv_read_one_field, ascii_read_one_field): RFC 4180
// CSV with any single-byte separators (quoted fields, doubled quotes, a
// carriage return before the row separator dropped, a UTF-8 BOM skipped at the
// start, warnings for stray and unterminated quotes), or ASCII-delimited text
// where nothing is quoted. It tracks the line number the warnings and the
// shell's own messages name.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class ImportReader {
    /// What messages call the input: the file's name, or "<pipe>" for a command.
    let name: String
    /// The separators as sqlite3 holds them: a C `char` widened to `int`, so a byte of 0x80 or more is
    /// negative and never equals what fgetc returns. 0xFF is -1, EOF: as a row separator it counts one more
    /// line at the end, as in sqlite3; as a column separator it makes sqlite3 loop for ever at the end of
    /// the input, so swiftdb gives it a value that matches nothing, as 0x80-0xFE do.
    let columnSeparator: Int32
    let rowSeparator: Int32
    /// ASCII-delimited text (--ascii or .mode ascii): no quoting, no BOM.
    let ascii: Bool
    /// The current line (sqlite3's nLine): one more than the row separators read so far.
    private(set) var line = 1
    /// What ended the last field: a separator or EOF (sqlite3's cTerm).
    private(set) var terminator: Int32 = EOF
    /// The last field read.
    private(set) var field: [UInt8] = []
    /// Warnings go to stderr through this.
    private let warn: (String) -> Void
    private let file: UnsafeMutablePointer<FILE>
    private let isPipe: Bool
    /// A field was read already: a BOM is only skipped at the very start (bNotFirst).
    private var startedReading = false
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private var bufferEnd = 0
    private var position = 0

    /// Opens `path` ("|command" runs the command and reads its output); nil when that fails.
    init?(path: [UInt8], columnSeparator: UInt8, rowSeparator: UInt8, ascii: Bool, warn: @escaping (String) -> Void) {
        let cPath = path.map { CChar(bitPattern: $0) } + [0]
        if path.first == UInt8(ascii: "|") {
            guard let f = popen(Array(cPath.dropFirst()), "r") else { return nil }
            file = f
            isPipe = true
            name = "<pipe>"
        } else {
            guard let f = fopen(cPath, "rb") else { return nil }
            file = f
            isPipe = false
            name = String(decoding: path, as: UTF8.self)
        }
        self.columnSeparator = columnSeparator == 0xFF ? -2 : Int32(Int8(bitPattern: columnSeparator))
        self.rowSeparator = Int32(Int8(bitPattern: rowSeparator))
        self.ascii = ascii
        self.warn = warn
    }

    deinit {
        if isPipe { pclose(file) } else { fclose(file) }
    }

    /// The next byte, or EOF.
    private func nextByte() -> Int32 {
        if position == bufferEnd {
            bufferEnd = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            position = 0
            if bufferEnd == 0 { return EOF }
        }
        let c = buffer[position]
        position += 1
        return Int32(c)
    }

    /// Reads the next field into `field`; false at the end of the input before any byte of a field
    /// (where sqlite3's readers return NULL). `terminator` says what ended the field.
    func readField() -> Bool {
        ascii ? readASCIIField() : readCSVField()
    }

    /// The field as a C string: sqlite3 binds and names fields with length -1, so a NUL byte ends them.
    var fieldText: [UInt8] {
        field.firstIndex(of: 0).map { Array(field[..<$0]) } ?? field
    }

    /// Empties `field` and reads the first byte of the next one; nil (and `terminator` EOF) at the end.
    private func startField() -> Int32? {
        field.removeAll(keepingCapacity: true)
        let c = nextByte()
        if c == EOF {
            terminator = EOF
            return nil
        }
        return c
    }

    private func readASCIIField() -> Bool {
        guard var c = startField() else { return false }
        while c != EOF && c != columnSeparator && c != rowSeparator {
            field.append(UInt8(truncatingIfNeeded: c))
            c = nextByte()
        }
        if c == rowSeparator { line += 1 }
        terminator = c
        return true
    }

    private func readCSVField() -> Bool {
        guard var c = startField() else { return false }
        if c == quote {
            readQuotedRest()
        } else {
            if c & 0xFF == 0xEF && !startedReading {
                // A UTF-8 byte-order mark at the start of the file is not part of the first field.
                field.append(0xEF)
                c = nextByte()
                if c & 0xFF == 0xBB {
                    field.append(0xBB)
                    c = nextByte()
                    if c & 0xFF == 0xBF {
                        startedReading = true
                        return readCSVField()
                    }
                }
            }
            while c != EOF && c != columnSeparator && c != rowSeparator {
                field.append(UInt8(truncatingIfNeeded: c))
                c = nextByte()
            }
            if c == rowSeparator {
                line += 1
                if field.last == 0x0D { field.removeLast() }
            }
            terminator = c
        }
        startedReading = true
        return true
    }

    private let quote: Int32 = 0x22

    /// The rest of a field that began with a quote. Bytes are kept as they come, a quote doubled inside
    /// once; the field ends at a separator or EOF right after a quote (or after a quote and a carriage
    /// return before the row separator), and what follows its last quote is dropped.
    private func readQuotedRest() {
        let startLine = line
        var previous: Int32 = 0
        var beforePrevious: Int32 = 0
        while true {
            let c = nextByte()
            if c == rowSeparator { line += 1 }
            if c == quote && previous == quote {
                previous = 0
                continue
            }
            if (c == columnSeparator && previous == quote) || (c == rowSeparator && previous == quote)
                || (c == rowSeparator && previous == 0x0D && beforePrevious == quote) || (c == EOF && previous == quote) {
                while field.removeLast() != UInt8(quote) {}
                terminator = c
                return
            }
            if previous == quote && c != 0x0D {
                warn("\(name):\(line): unescaped \" character")
            }
            if c == EOF {
                warn("\(name):\(startLine): unterminated \"-quoted field")
                terminator = c
                return
            }
            field.append(UInt8(truncatingIfNeeded: c))
            beforePrevious = previous
            previous = c
        }
    }
}
