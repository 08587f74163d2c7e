// Shell+Rows: printing result rows in the output modes batch scripts use —
// list (values joined by the separator, NULL as the null value), quote
// (SQL literals: 'text', X'blob', NULL, reals to 17+ digits), csv, tabs and
// line — and sqlite3's layouts for EXPLAIN (fixed widths, loop bodies
// indented) and EXPLAIN QUERY PLAN (a tree of |-- and `-- lines).

import Base
import Engine

extension Shell {
    func printRows(_ s: PreparedStatement) throws(DBError) {
        var first = true
        let n = s.columnCount
        while try s.step() == .row {
            if mode == .line {
                printLineRow(s, n, first: first)
                first = false
                continue
            }
            if first && headers && n > 0 {
                for i in 0..<n {
                    if i > 0 { out.write(separator) }
                    writeField(Array(s.columnName(i).utf8), isText: true)
                }
                out.write(newline)
            }
            first = false
            for i in 0..<n {
                if i > 0 { out.write(separator) }
                writeValue(s.column(i))
            }
            out.write(newline)
            out.endLine()
        }
    }

    private func printLineRow(_ s: PreparedStatement, _ n: Int, first: Bool) {
        var width = 5
        for i in 0..<n { width = max(width, s.columnName(i).count) }
        if !first { out.write("\n") }
        for i in 0..<n {
            let name = s.columnName(i)
            out.write(String(repeating: " ", count: max(0, width - name.count)) + name + " = ")
            switch s.column(i) {
            case .null: out.write(nullValue)
            case let v: out.write(listText(v))
            }
            out.write("\n")
        }
    }

    /// The text sqlite3_column_text gives for a value (list mode).
    func listText(_ v: Value) -> [UInt8] {
        switch v {
        case .null: return nullValue
        case .integer(let i): return Array(String(i).utf8)
        case .real(let d): return renderRealAsText(d)
        case .text(let t), .blob(let t): return t
        }
    }

    func writeValue(_ v: Value) {
        switch mode {
        case .quote:
            out.write(quoteLiteral(v))
        case .csv:
            if case .null = v { out.write(nullValue) } else {
                var isText = false
                if case .text = v { isText = true }
                writeField(listText(v), isText: isText)
            }
        default:
            out.write(listText(v))
        }
    }

    /// A CSV field: quoted when it holds the separator, a quote, or a line break (output_csv in shell.c).
    private func writeField(_ bytes: [UInt8], isText: Bool) {
        guard mode == .csv else {
            out.write(bytes)
            return
        }
        var needsQuotes = bytes.isEmpty && isText
        for c in bytes where c == 0x22 || c == 0x0A || c == 0x0D || c < 0x20 || separator.contains(c) {
            needsQuotes = true
            break
        }
        if !needsQuotes {
            out.write(bytes)
            return
        }
        var q: [UInt8] = [0x22]
        for c in bytes {
            q.append(c)
            if c == 0x22 { q.append(0x22) }
        }
        q.append(0x22)
        out.write(q)
    }

    func quoteLiteral(_ v: Value) -> [UInt8] {
        switch v {
        case .null: return Array("NULL".utf8)
        case .integer(let i): return Array(String(i).utf8)
        case .real(let d): return renderRealForQuoteMode(d)
        case .text(let t):
            var q: [UInt8] = [0x27]
            for c in t {
                q.append(c)
                if c == 0x27 { q.append(0x27) }
            }
            q.append(0x27)
            return q
        case .blob(let b):
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            var q: [UInt8] = [0x58, 0x27]
            for c in b {
                q.append(hex[Int(c >> 4)])
                q.append(hex[Int(c & 15)])
            }
            q.append(0x27)
            return q
        }
    }

    // MARK: EXPLAIN

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
