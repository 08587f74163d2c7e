// Shell+Explain: sqlite3's layouts for EXPLAIN (fixed widths, loop bodies
// indented) and EXPLAIN QUERY PLAN (a tree of |-- and `-- lines), which the
// shell uses for those statements whatever the mode (".explain auto").

import Base
import Engine

extension Shell {
    /// sqlite3's MODE_Explain: the first eight columns at EXPLAIN's widths (a longer value widens its
    /// column; the last is never padded), the header and dashes before the first row whatever .headers
    /// says, and for an EXPLAIN statement the loop bodies indented.
    func printExplain(_ s: PreparedStatement) throws(DBError) {
        let n = min(s.columnCount, 8)
        var rows: [[Value]] = []
        while try s.step() == .row { rows.append((0..<n).map { s.column($0) }) }
        guard !rows.isEmpty else { return }
        var indent = [Int](repeating: 0, count: rows.count)
        if s.isExplain && n == 8 { indent = loopIndents(rows) }
        let widths = [4, 13, 4, 4, 4, 13, 2, 13]
        var line = ""
        // A column name is cut to its column's width (utf8_width_print), a value widens its column.
        for i in 0..<n { line += pad(String(s.columnName(i).prefix(widths[i])), widths[i]) + (i == n - 1 ? "\n" : "  ") }
        for i in 0..<n { line += String(repeating: "-", count: widths[i]) + (i == n - 1 ? "\n" : "  ") }
        out.write(line)
        for (k, r) in rows.enumerated() {
            var l = ""
            for i in 0..<n {
                var w = i == n - 1 ? 0 : widths[i]
                let text = r[i].isNull ? String(decoding: nullValue, as: UTF8.self) : textOf(r[i])
                if text.count > w { w = text.count }
                if i == 1 { l += String(repeating: " ", count: indent[k]) }
                l += pad(text, w) + (i == n - 1 ? "\n" : "  ")
            }
            out.write(l)
        }
    }

    /// The indentation of each EXPLAIN row: loop bodies two spaces deeper, as shell.c's
    /// explain_data_prepare computes it.
    private func loopIndents(_ rows: [[Value]]) -> [Int] {
        var indent = [Int](repeating: 0, count: rows.count)
        var isYield = [Bool](repeating: false, count: rows.count)
        let nextOps: Set<String> = ["Next", "Prev", "VPrev", "VNext", "SorterNext", "Return"]
        let yieldOps: Set<String> = ["Yield", "SeekLT", "SeekGT", "RowSetRead", "Rewind"]
        for (i, r) in rows.enumerated() {
            let op = textOf(r[1])
            isYield[i] = yieldOps.contains(op)
            let p2 = Int(intOf(r[3]))
            if nextOps.contains(op) && p2 > 0 && p2 < i {
                for k in p2..<i { indent[k] += 2 }
            }
            if op == "Goto" && p2 >= 0 && p2 < i && (isYield[p2] || intOf(r[2]) != 0) {
                for k in p2..<i { indent[k] += 2 }
            }
        }
        return indent
    }

    private func pad(_ s: String, _ w: Int) -> String {
        s.count >= w ? s : s + String(repeating: " ", count: w - s.count)
    }

    private func textOf(_ v: Value) -> String { String(decoding: listText(v), as: UTF8.self) }

    private func intOf(_ v: Value) -> Int64 {
        if case .integer(let i) = v { return i }
        return 0
    }

    /// The plan as shell.c.in's eqp_render draws it: a tree under `QUERY PLAN`; a line starting with "-"
    /// (`-- TRIGGER name`, a trigger's plan) ends the tree before it and heads the next one, printed
    /// without its "-- " and only when lines follow it.
    func printQueryPlan(_ s: PreparedStatement) throws(DBError) {
        var rows: [(id: Int64, parent: Int64, text: String)] = []
        func render() {
            defer { rows.removeAll() }
            guard let first = rows.first else { return }
            if first.text.hasPrefix("-") {
                guard rows.count > 1 else { return }
                out.write(String(first.text.dropFirst(3)) + "\n")
                rows.removeFirst()
            } else {
                out.write("QUERY PLAN\n")
            }
            func level(_ parent: Int64, _ prefix: String) {
                let children = rows.filter { $0.parent == parent }
                for (k, c) in children.enumerated() {
                    let last = k == children.count - 1
                    out.write(prefix + (last ? "`--" : "|--") + c.text + "\n")
                    level(c.id, prefix + (last ? "   " : "|  "))
                }
            }
            level(0, "")
        }
        while try s.step() == .row {
            let text = textOf(s.column(3))
            if text.hasPrefix("-") { render() }
            rows.append((intOf(s.column(0)), intOf(s.column(1)), text))
        }
        render()
    }
}
