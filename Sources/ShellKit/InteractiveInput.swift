// InteractiveInput: the shell's input when a person types at a terminal
// (shell.c.in: one_input_line, interrupt_handler and main's interactive branch).
// Each line is read through libedit's readline with the main prompt, or the
// continuation prompt while a statement is incomplete; non-empty lines join
// the history, loaded at start from ~/.swiftdb_history ($SWIFTDB_HISTORY when
// set, as sqlite3 honours $SQLITE_HISTORY) and saved at exit, the last 2000
// kept. Ctrl-C raises the connection's interrupt flag, so the running
// statement stops with "interrupted" and the shell goes on; a third Ctrl-C
// before the next line is read exits, as sqlite3's does.

import Engine
import Synchronization
#if canImport(CLibedit)
import CLibedit
#endif

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ctrl-C presses since the shell last read a line (sqlite3's seenInterrupt).
let interruptsSeen = Atomic<Int>(0)
/// The connection the next Ctrl-C interrupts. Written only by the main thread, between statements;
/// read by the signal handler, which only raises the flag (an atomic store).
nonisolated(unsafe) var interruptTarget: InterruptFlag?

extension Shell {
    /// Installs the SIGINT handler: sqlite3's interrupt_handler.
    static func handleInterrupts() {
        signal(SIGINT) { _ in
            if interruptsSeen.add(1, ordering: .relaxed).newValue > 2 { _exit(1) }
            interruptTarget?.raise()
        }
    }

    /// The user's home directory: $HOME, else the password database's entry.
    static func homeDirectory() -> String? {
        if let home = getenv("HOME"), home.pointee != 0 { return String(cString: home) }
        if let entry = getpwuid(getuid()), let dir = entry.pointee.pw_dir { return String(cString: dir) }
        return nil
    }
}

final class InteractiveInput: InputSource {
    private let historyPath: String?
    /// The shell's prompt for a first line (false) or a continuation line (true), flushing its output.
    private let prompt: (Bool) -> String
    #if !canImport(CLibedit)
    /// Without libedit: plain lines from stdin after a printed prompt.
    private lazy var standardInput = LineReader(file: fdopen(0, "r"))
    #endif

    init(prompt: @escaping (Bool) -> String) {
        self.prompt = prompt
        if let path = getenv("SWIFTDB_HISTORY") {
            historyPath = String(cString: path)
        } else {
            historyPath = Shell.homeDirectory().map { $0 + "/.swiftdb_history" }
        }
        #if canImport(CLibedit)
        if let historyPath { _ = read_history(historyPath) }
        #endif
    }

    var isInteractive: Bool { true }

    func next(continuation: Bool) -> [UInt8]? {
        let prompt = self.prompt(continuation)
        #if canImport(CLibedit)
        while true {
            let before = interruptsSeen.load(ordering: .relaxed)
            guard let line = readline(prompt) else {
                // libedit gives up the line when Ctrl-C interrupts its read: not the end of input.
                if interruptsSeen.load(ordering: .relaxed) != before {
                    _ = write(1, "\n", 1)
                    continue
                }
                return nil
            }
            defer { free(line) }
            if line.pointee != 0 { _ = add_history(line) }
            return Array(UnsafeRawBufferPointer(start: line, count: strlen(line)))
        }
        #else
        _ = write(1, prompt, prompt.utf8.count)
        return standardInput.next(continuation: continuation)
        #endif
    }

    /// Saves the history (the last 2000 lines) for the next session.
    func saveHistory() {
        #if canImport(CLibedit)
        guard let historyPath else { return }
        stifle_history(2000)
        _ = write_history(historyPath)
        #endif
    }
}
