// Shell+Explain: sqlite3's layouts for EXPLAIN (fixed widths, loop bodies
// indented) and EXPLAIN QUERY PLAN (a tree of |-- and `-- lines), which the
// shell uses for those statements whatever the mode (".explain auto").

import Base
import Engine

extension Shell {
    func printExplain(_ s: PreparedStatement) throws(DBError) {
        var rows: [[Value]] = []
        while try s.step() == .row { rows.append((0..<8).map { s.column($0) }) }
        // Indent loop bodies as shell.c's explain_data_prepare does.
        var indent = [Int](repeating: 0, count: rows.count)
        var isYield = [Bool](repeating: false, count: rows.count)
        let nextOps: Set<String> = ["Next", "Prev", "VPrev", "VNext", "SorterNext", "Return"]
        let yieldOps: Set<String> = ["Yield", "SeekLT", "SeekGT", "RowSetRead", "Rewind"]
        for (i, r) in rows.enumerated() {
            let op = textOf(r[1])
            isYield[i] = yieldOps.contains(op)
            let p2 = Int(intOf(r[3]))
            if nextOps.contains(op) && p2 > 0 {
                for k in p2..<i where k >= 0 { indent[k] += 2 }
            }
            if op == "Goto" && p2 < rows.count && p2 >= 0 && (isYield[p2] || intOf(r[2]) != 0) {
                for k in p2..<i { indent[k] += 2 }
            }
        }
        let widths = [4, 13, 4, 4, 4, 13, 2, 13]
        let names = ["addr", "opcode", "p1", "p2", "p3", "p4", "p5", "comment"]
        var line = ""
        for i in 0..<8 {
            line += pad(names[i], widths[i]) + (i == 7 ? "\n" : "  ")
        }
        for i in 0..<8 { line += String(repeating: "-", count: widths[i]) + (i == 7 ? "\n" : "  ") }
        out.write(line)
        for (n, r) in rows.enumerated() {
            var l = ""
            for i in 0..<8 {
                var w = i == 7 ? 0 : widths[i]
                let text = r[i].isNull ? String(decoding: nullValue, as: UTF8.self) : textOf(r[i])
                if text.count > w { w = text.count }
                if i == 1 { l += String(repeating: " ", count: indent[n]) }
                l += pad(text, w) + (i == 7 ? "\n" : "  ")
            }
            out.write(l)
        }
    }

    private func pad(_ s: String, _ w: Int) -> String {
        s.count >= w ? s : s + String(repeating: " ", count: w - s.count)
    }

    private func textOf(_ v: Value) -> String { String(decoding: listText(v), as: UTF8.self) }

    private func intOf(_ v: Value) -> Int64 {
        if case .integer(let i) = v { return i }
        return 0
    }

    func printQueryPlan(_ s: PreparedStatement) throws(DBError) {
        var rows: [(id: Int64, parent: Int64, text: String)] = []
        while try s.step() == .row { rows.append((intOf(s.column(0)), intOf(s.column(1)), textOf(s.column(3)))) }
        guard !rows.isEmpty else { return }
        out.write("QUERY PLAN\n")
        func render(_ parent: Int64, _ prefix: String) {
            let children = rows.filter { $0.parent == parent }
            for (k, c) in children.enumerated() {
                let last = k == children.count - 1
                out.write(prefix + (last ? "`--" : "|--") + c.text + "\n")
                render(c.id, prefix + (last ? "   " : "|  "))
            }
        }
        render(0, "")
    }
}
