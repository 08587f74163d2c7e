// Shell+Limit: .limit ?LIMIT? ?NEW? (shell.c.in's .limits branch). Without
// arguments it lists the limits; a name (any unambiguous prefix, any case)
// shows one, and a value sets it first, as sqlite3_limit would (a negative
// value changes nothing, a value above the hard maximum is clamped). Only the
// limits the engine enforces are listed or shown (Engine's
// Connection+Limits.swift says which and why): naming column or vdbe_op is an
// error, and so is setting a fixed limit below its value. Like sqlite3, the
// lines go to standard output even while .output redirects the rest.

import Base
import Engine

extension Shell {
    func limitCommand(_ args: [[UInt8]]) -> DotResult {
        guard let connection else { return .failed }
        if args.count == 1 {
            for id in LimitID.allCases {
                if let value = connection.limit(id) { writeLimit(id, value) }
            }
            return .ok
        }
        guard args.count <= 3 else {
            out.error("Usage: .limit NAME ?NEW-VALUE?")
            return .failed
        }
        let given = String(decoding: args[1], as: UTF8.self)
        let matching = LimitID.allCases.filter { $0.name.hasPrefix(given.lowercased()) }
        guard matching.count == 1, let id = matching.first else {
            if matching.isEmpty {
                out.error("unknown limit: \"\(given)\"\nenter \".limits\" with no arguments for a list.")
            } else {
                out.error("ambiguous limit: \"\(given)\"")
            }
            return .failed
        }
        guard connection.limit(id) != nil else {
            out.error("swiftdb does not enforce the \(id.name) limit yet")
            return .failed
        }
        if args.count == 3 {
            // sqlite3_limit takes an int: the shell's (int) cast keeps the low 32 bits.
            let value = Int(Int32(truncatingIfNeeded: parseInteger(args[2])))
            if value >= 0 {
                do {
                    try connection.setLimit(id, to: value)
                } catch {
                    out.error(error.message)
                    return .failed
                }
            }
        }
        writeLimit(id, connection.limit(id) ?? 0)
        return .ok
    }

    /// One line of .limit: the name right-aligned in 20 columns, then the value (printf, not p->out).
    private func writeLimit(_ id: LimitID, _ value: Int) {
        let text = String(repeating: " ", count: max(0, 20 - id.name.count)) + id.name + " \(value)\n"
        if out.fd == 1 {
            out.write(text)
        } else {
            Array(text.utf8).withUnsafeBytes { writeAll(1, $0) }
        }
    }
}
