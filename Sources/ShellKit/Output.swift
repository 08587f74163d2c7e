// Output: buffered writes to stdout (or the file .output/.once names) and
// unbuffered ones to stderr, without
// Foundation (the shell keeps its memory small, NOTES-ON-ISSUES.md).
// Everything written to stdout is flushed before anything goes to stderr, so
// a reader of both through one pipe sees rows and errors in order.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Engine

/// write(2) until every byte is out (or the descriptor fails).
func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) {
    var done = 0
    while done < bytes.count {
        #if canImport(Glibc)
        let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
        #else
        let n = Darwin.write(fd, bytes.baseAddress! + done, bytes.count - done)
        #endif
        if n <= 0 { break }
        done += n
    }
}

final class Output {
    private var buffer: [UInt8] = []
    private let limit = 1 << 16
    /// Line buffering, as `stdbuf -oL` asks of C stdio (it sets _STDBUF_O; sqllogictest's runner uses it).
    let lineBuffered: Bool
    /// Where rows go: 1 (stdout) or a file opened by .output/.once.
    private(set) var fd: Int32 = 1
    /// The file name .show reports ("stdout" for standard output).
    private(set) var targetName = "stdout"

    init() {
        buffer.reserveCapacity(limit + 4096)
        if let mode = getenv("_STDBUF_O") {
            let m = String(cString: mode)
            lineBuffered = m == "L" || m == "0"
        } else {
            lineBuffered = false
        }
    }

    /// Ends a unit of output (a row): flushed at once when line buffered.
    @inline(__always)
    func endLine() {
        if lineBuffered { flush() }
    }

    @inline(__always)
    func write(_ bytes: [UInt8]) {
        if bytes.count >= limit {
            // A long value goes out as it is: copied into the buffer it would grow it for good.
            flush()
            bytes.withUnsafeBytes { writeAll(fd, $0) }
            return
        }
        buffer.append(contentsOf: bytes)
        if buffer.count >= limit { flush() }
    }

    /// The bytes of `text` before its first NUL (the C string sqlite3's shell prints), without copying them
    /// into an array of their own first.
    @inline(__always)
    func write(textBeforeNUL text: [UInt8]) {
        if let z = text.firstIndex(of: 0) {
            write(Array(text[..<z]))
        } else {
            write(text)
        }
    }

    /// An integer in decimal, its digits written straight into the buffer (no String made per value).
    func write(integer i: Int64) {
        appendInteger(i, to: &buffer)
        if buffer.count >= limit { flush() }
    }

    @inline(__always)
    func write(_ s: String) {
        buffer.append(contentsOf: s.utf8)
        if buffer.count >= limit { flush() }
    }

    @inline(__always)
    func write(byte: UInt8) {
        buffer.append(byte)
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { writeAll(fd, $0) }
        if buffer.capacity > 4 * limit {
            // A long string written whole grew it: back to the usual size.
            buffer = []
            buffer.reserveCapacity(limit + 4096)
        } else {
            buffer.removeAll(keepingCapacity: true)
        }
    }

    /// Sends output to `path` (truncated), or back to stdout when nil. False when the file cannot be opened.
    func redirect(to path: String?) -> Bool {
        flush()
        if fd != 1 {
            close(fd)
            fd = 1
            targetName = "stdout"
        }
        guard let path else { return true }
        let f = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard f >= 0 else { return false }
        fd = f
        targetName = path
        return true
    }

    /// Writes a line to stderr after flushing stdout.
    func error(_ s: String) {
        flush()
        var bytes = Array(s.utf8)
        bytes.append(0x0A)
        bytes.withUnsafeBytes { writeAll(2, $0) }
    }
}

/// Where the shell's input lines come from: a file or a pipe (LineReader), or the terminal
/// (InteractiveInput, with prompts and line editing).
protocol InputSource: AnyObject {
    /// The next line without its newline, as bytes; nil at end of input. `continuation`: a statement
    /// is incomplete, so an interactive source shows the continuation prompt.
    func next(continuation: Bool) -> [UInt8]?
    /// A person is typing: errors name no line, -bail does not end the run, and end of input prints a
    /// newline (shell.c.in, process_input with `in==0 && stdin_is_interactive`).
    var isInteractive: Bool { get }
}

/// Reads lines from a file (stdin, or a file given to .read or -init), one at a time, with getline().
final class LineReader: InputSource {
    private let file: UnsafeMutablePointer<FILE>
    private var line: UnsafeMutablePointer<CChar>?
    private var capacity = 0

    init(file: UnsafeMutablePointer<FILE>) {
        self.file = file
    }

    deinit { free(line) }

    var isInteractive: Bool { false }

    func next(continuation: Bool) -> [UInt8]? {
        let n = getline(&line, &capacity, file)
        guard n >= 0, let line else { return nil }
        var count = n
        // A CRLF line end loses both bytes, as local_getline drops them.
        if count > 0 && line[count - 1] == 0x0A {
            count -= 1
            if count > 0 && line[count - 1] == 0x0D { count -= 1 }
        }
        return Array(UnsafeRawBufferPointer(start: line, count: count))
    }
}
