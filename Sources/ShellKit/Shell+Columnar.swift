// Shell+Columnar: sqlite3 3.40.1's columnar modes — column, table, box and
// markdown. All rows are gathered first; each value's display text is split
// into lines (at line breaks and control characters, and at the wrap width:
// `.width N` for that column, else `--wrap N`, 0 meaning no limit, with
// --wordwrap backing up to a space), tabs expanded to the next multiple of 8.
// A column is as wide as its widest line, counted in UTF-8 characters as
// sqlite3 3.40.1 counts them (a CJK character counts one). Headers are
// centred in table/box/markdown; a negative `.width` right-aligns. When a row
// spans several lines, table and box draw a rule between rows and column mode
// leaves a blank line.

import Base
import Engine

extension Shell {
    func printColumnar(_ s: PreparedStatement) throws(DBError) {
        let n = s.columnCount
        guard try s.step() == .row else { return }
        guard n > 0 else {
            while try s.step() == .row {}
            return
        }
        let given = (0..<n).map { $0 < widths.count ? widths[$0] : 0 }
        let wraps = given.map { $0 != 0 ? abs($0) : columnar.wrap }
        // cells[r * n + c]: row 0 is the header; rowEnds[r - 1] says whether data line r ends a logical row.
        var cells: [[UInt8]] = []
        for i in 0..<n {
            cells.append(displayLine(Array(s.columnName(i).utf8)[...], width: wraps[i]).line)
        }
        var rowEnds: [Bool] = []
        var multiLine = false
        var pending: [ArraySlice<UInt8>?] = []
        var more = true
        while more {
            var texts: [ArraySlice<UInt8>] = []
            if pending.isEmpty {
                for i in 0..<n { texts.append(cellText(s.column(i))[...]) }
            } else {
                texts = pending.map { $0 ?? [] }
                pending = []
            }
            rowEnds.append(true)
            var next: [ArraySlice<UInt8>?] = []
            var continues = false
            for i in 0..<n {
                let (line, rest) = displayLine(texts[i], width: wraps[i])
                cells.append(line)
                next.append(rest)
                if rest != nil { continues = true }
            }
            if continues {
                rowEnds[rowEnds.count - 1] = false
                multiLine = true
                pending = next
            } else {
                more = try s.step() == .row
            }
        }
        var actual = given.map { abs($0) }
        for (k, cell) in cells.enumerated() {
            actual[k % n] = max(actual[k % n], charCount(cell[...]))
        }
        writeColumnarHeader(cells, actual, given, n)
        let rows = cells.count / n - 1
        for r in 1...rows {
            if mode == .box { out.write("│ ") } else if mode != .column { out.write("| ") }
            for c in 0..<n {
                padded(cells[r * n + c], given[c] < 0 ? -actual[c] : actual[c])
                if c < n - 1 {
                    out.write(mode == .column ? "  " : mode == .box ? " │ " : " | ")
                }
            }
            out.write(mode == .column ? "\n" : mode == .box ? " │\n" : " |\n")
            if multiLine && rowEnds[r - 1] && r < rows {
                switch mode {
                case .table: rule(actual, "+", "+", "+", "-")
                case .box: rule(actual, "├", "┼", "┤", "─")
                case .column: out.write("\n")
                default: break
                }
            }
            out.endLine()
        }
        if mode == .table { rule(actual, "+", "+", "+", "-") }
        if mode == .box { rule(actual, "└", "┴", "┘", "─") }
    }

    private func writeColumnarHeader(_ cells: [[UInt8]], _ actual: [Int], _ given: [Int], _ n: Int) {
        switch mode {
        case .column:
            guard headers else { return }
            for i in 0..<n {
                padded(cells[i], given[i] < 0 ? -actual[i] : actual[i])
                out.write(i == n - 1 ? "\n" : "  ")
            }
            for i in 0..<n {
                out.write([UInt8](repeating: 0x2D, count: actual[i]))
                out.write(i == n - 1 ? "\n" : "  ")
            }
        case .table:
            rule(actual, "+", "+", "+", "-")
            centredHeader(cells, actual, n, open: "| ", middle: " | ", close: " |\n")
            rule(actual, "+", "+", "+", "-")
        case .markdown:
            centredHeader(cells, actual, n, open: "| ", middle: " | ", close: " |\n")
            rule(actual, "|", "|", "|", "-")
        case .box:
            rule(actual, "┌", "┬", "┐", "─")
            centredHeader(cells, actual, n, open: "│ ", middle: " │ ", close: " │\n")
            rule(actual, "├", "┼", "┤", "─")
        default:
            break
        }
    }

    private func centredHeader(_ cells: [[UInt8]], _ actual: [Int], _ n: Int, open: String, middle: String,
                               close: String) {
        out.write(open)
        for i in 0..<n {
            let gap = actual[i] - charCount(cells[i][...])
            out.write([UInt8](repeating: 0x20, count: gap / 2))
            out.write(cells[i])
            out.write([UInt8](repeating: 0x20, count: (gap + 1) / 2))
            out.write(i == n - 1 ? close : middle)
        }
    }

    /// A horizontal rule: `left`, each column's width + 2 of `fill`, joined by `join`, then `right`.
    private func rule(_ actual: [Int], _ left: String, _ join: String, _ right: String, _ fill: String) {
        var line = left
        for (i, w) in actual.enumerated() {
            line += String(repeating: fill, count: w + 2)
            line += i == actual.count - 1 ? right : join
        }
        out.write(line + "\n")
    }

    /// `text` padded with spaces to `width` characters (right-aligned when `width` is negative).
    private func padded(_ text: [UInt8], _ width: Int) {
        let gap = max(0, abs(width) - charCount(text[...]))
        if width < 0 { out.write([UInt8](repeating: 0x20, count: gap)) }
        out.write(text)
        if width >= 0 { out.write([UInt8](repeating: 0x20, count: gap)) }
    }

    /// A value's text in a columnar mode: as list mode shows it, or as an SQL literal with --quote.
    private func cellText(_ v: Value) -> [UInt8] {
        guard columnar.quote else { return columnText(v) ?? nullValue }
        switch v {
        case .null: return Array("NULL".utf8)
        case .integer, .real: return columnText(v) ?? []
        case .text: return sqlString(columnText(v) ?? [])
        case .blob(let b): return hexBlob(b, prefix: 0x78)
        }
    }

    /// The first display line of `z` and what follows it (nil when nothing does): at most `width`
    /// characters (0: no limit), ending at a line break or control character, tabs expanded.
    func displayLine(_ z: ArraySlice<UInt8>, width: Int) -> (line: [UInt8], rest: ArraySlice<UInt8>?) {
        let limit = width == 0 ? 1_000_000 : abs(width)
        let s = z.startIndex, e = z.endIndex
        func at(_ k: Int) -> UInt8 { k < e ? z[k] : 0 }
        var i = s, chars = 0
        while chars < limit {
            let c = at(i)
            if c >= 0x20 {
                chars += 1
                i += 1
                while at(i) & 0xC0 == 0x80 { i += 1 }
                continue
            }
            if c == 0x09 {
                repeat { chars += 1 } while chars & 7 != 0 && chars < limit
                i += 1
                continue
            }
            break
        }
        var k = i
        if chars >= limit && columnar.wordWrap {
            let half = s + (i - s) / 2
            k = i
            while k > half && !isSpaceByte(at(k - 1)) { k -= 1 }
            if k <= half {
                k = i
                while k > half && !(isAlnumByte(at(k - 1)) != isAlnumByte(at(k)) && at(k) & 0xC0 != 0x80) { k -= 1 }
            }
            if k <= half {
                k = i
            } else {
                i = k
                while at(i) == 0x20 { i += 1 }
            }
        }
        let rest: ArraySlice<UInt8>?
        if chars >= limit && at(i) >= 0x20 {
            rest = z[i...]
        } else if at(i) == 0x0D && at(i + 1) == 0x0A {
            rest = at(i + 2) != 0 ? z[(i + 2)...] : nil
        } else if at(i) == 0 || at(i + 1) == 0 {
            rest = nil
        } else {
            rest = z[(i + 1)...]
        }
        var line: [UInt8] = []
        line.reserveCapacity(k - s)
        var j = s
        chars = 0
        while j < k {
            let c = z[j]
            if c >= 0x20 {
                chars += 1
                line.append(c)
                j += 1
                while j < e && z[j] & 0xC0 == 0x80 {
                    line.append(z[j])
                    j += 1
                }
                continue
            }
            if c == 0x09 {
                repeat {
                    chars += 1
                    line.append(0x20)
                } while chars & 7 != 0 && chars < limit
                j += 1
                continue
            }
            break
        }
        return (line, rest)
    }
}

/// Characters in UTF-8 text as sqlite3 3.40.1 counts them: every byte that does not continue a sequence.
func charCount(_ text: ArraySlice<UInt8>) -> Int {
    var n = 0
    for c in text where c & 0xC0 != 0x80 { n += 1 }
    return n
}

private func isSpaceByte(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }

private func isAlnumByte(_ c: UInt8) -> Bool {
    (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A)
}
