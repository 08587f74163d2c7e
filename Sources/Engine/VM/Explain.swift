// Explain: the rows of EXPLAIN (addr, opcode, p1, p2, p3, p4, p5, comment)
// and EXPLAIN QUERY PLAN (id, parent, notused, detail) for a program, with
// P4 rendered as sqlite3 renders it (vdbeaux.c displayP4: "k(2,,)" for a key
// info, "BINARY-8" for a collation, numbers and text as themselves).

import Base
import Storage

extension Program {
    /// EXPLAIN's rows.
    func listing() -> [[Value]] {
        instructions.enumerated().map { addr, op in
            let p4 = renderP4(op)
            return [.integer(Int64(addr)), .text(String(describing: op.opcode)), .integer(Int64(op.p1)),
                    .integer(Int64(op.p2)), .integer(Int64(op.p3)), p4.map { .text($0) } ?? .null,
                    .integer(Int64(op.p5)), comments[addr].map { .text($0) } ?? .null]
        }
    }

    /// EXPLAIN QUERY PLAN's rows, from the Explain opcodes.
    func queryPlan() -> [[Value]] {
        // The statement's own lines first, then each shown trigger's (P3: its group, ordered by nesting
        // depth then first firing, as SQLite lists sub-programs after the program that runs them).
        var rows: [(group: Int32, row: [Value])] = []
        for op in instructions where op.opcode == .Explain {
            var detail = ""
            if case .string(let s) = operands[Int(op.p4)] { detail = s }
            rows.append((op.p3, [.integer(Int64(op.p1)), .integer(Int64(op.p2)), .integer(0), .text(detail)]))
        }
        if rows.contains(where: { $0.group != 0 }) {
            rows = rows.enumerated().sorted { ($0.element.group, $0.offset) < ($1.element.group, $1.offset) }.map(\.element)
        }
        return rows.map(\.row)
    }

    func renderP4(_ op: Instruction) -> String? {
        switch operands[Int(op.p4)] {
        case .none:
            switch op.opcode {
            case .OpenRead, .OpenWrite, .OpenEphemeral: return String(op.p4)
            default: return nil
            }
        case .int64(let v): return String(v)
        case .real(let d): return String(decoding: renderRealAsText(d), as: UTF8.self)
        case .text(let t): return String(decoding: t, as: UTF8.self)
        case .blob(let b): return "(blob \(b.count) bytes)"
        case .value(let v): return "\(v)"
        case .keyInfo(let k):
            let fields = zip(k.collations, k.descending).map { c, d in
                (d ? "-" : "") + (c == .binary ? "" : c.name)
            }
            return "k(\(k.fieldCount)," + fields.joined(separator: ",") + ")"
        case .collation(let c): return "\(c.name)-8"
        case .function(let f): return "\(f.name)(\(op.p5))"
        case .affinities(let a): return String(a.map(\.letter))
        case .strictTable(let t): return t.table
        case .string(let s): return s
        case .native(let n): return n.name
        }
    }
}
