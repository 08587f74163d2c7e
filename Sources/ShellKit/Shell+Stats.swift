// Shell+Stats: .stats ?on|off|stmt|vmstep? (shell.c.in: display_stats). With
// `on` the figures are printed after each statement, with `stmt` the
// statement's output columns first; `.stats` alone prints them now. swiftdb
// shows what it measures: the process's resident memory now and at its peak
// (its own line; SQLite's allocator counters, lookaside and page-cache
// figures have no equivalent here and are not printed), the statement's
// virtual machine steps, and the kernel's I/O counters for the process,
// worded as sqlite3's displayLinuxIoStats words them. `vmstep` prints only
// the statement's steps ("VM-steps: N"). The count is swiftdb's VM's: its
// programs are not sqlite3's opcode for opcode, so the numbers differ.

import Engine

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// .stats: when the figures are printed.
enum StatsMode: String { case off, on, statement = "stmt", vmStep = "vmstep" }

extension Shell {
    func statsCommand(_ args: [[UInt8]]) -> DotResult {
        switch args.count {
        case 1:
            displayStats(after: nil)
        case 2:
            switch String(decoding: args[1], as: UTF8.self) {
            case "stmt": statsMode = .statement
            case "vmstep": statsMode = .vmStep
            default: statsMode = booleanValue(args[1]) ? .on : .off
            }
        default:
            out.error("Usage: .stats ?on|off|stmt|vmstep?")
            return .failed
        }
        return .ok
    }

    /// The figures, after `statement` (nil: between statements, as `.stats` alone prints them).
    func displayStats(after statement: PreparedStatement?) {
        func line(_ label: String, _ value: String) {
            out.write(label + String(repeating: " ", count: max(0, 36 - label.utf8.count)) + " " + value + "\n")
        }
        if statsMode == .vmStep {
            if let statement { out.write("VM-steps: \(statement.vmSteps)\n") }
            return
        }
        if statsMode == .statement, let statement {
            line("Number of output columns:", "\(statement.columnCount)")
            for i in 0..<statement.columnCount { line("Column \(i) name:", statement.columnName(i)) }
        }
        let status = procFile("status")
        func kilobytes(_ key: String) -> Int? {
            guard let l = status.first(where: { $0.hasPrefix(key + ":") }) else { return nil }
            return Int(l.dropFirst(key.count + 1).split { $0 == " " || $0 == "\t" }.first ?? "")
        }
        if let rss = kilobytes("VmRSS"), let peak = kilobytes("VmHWM") {
            line("Resident memory (swiftdb):", "\(rss * 1024) (max \(peak * 1024)) bytes")
        }
        if let statement { line("Virtual Machine Steps:", "\(statement.vmSteps)") }
        let names = [("rchar: ", "Bytes received by read():"), ("wchar: ", "Bytes sent to write():"),
                     ("syscr: ", "Read() system calls:"), ("syscw: ", "Write() system calls:"),
                     ("read_bytes: ", "Bytes read from storage:"), ("write_bytes: ", "Bytes written to storage:"),
                     ("cancelled_write_bytes: ", "Cancelled write bytes:")]
        for l in procFile("io") {
            if let (key, label) = names.first(where: { l.hasPrefix($0.0) }) {
                line(label, String(l.dropFirst(key.count)))
            }
        }
    }

    /// The lines of /proc/self/NAME (none where there is no such file).
    private func procFile(_ name: String) -> [String] {
        guard let f = fopen("/proc/self/" + name, "rb") else { return [] }
        defer { fclose(f) }
        var lines: [String] = []
        var buffer = [CChar](repeating: 0, count: 256)
        while fgets(&buffer, Int32(buffer.count), f) != nil {
            var text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if text.hasSuffix("\n") { text.removeLast() }
            lines.append(text)
        }
        return lines
    }
}
