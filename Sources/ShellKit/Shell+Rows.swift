// Shell+Rows: the row-at-a-time output modes of sqlite3 3.40.1 — list and tabs
// (values joined by the column separator), csv (RFC 4180 quoting), quote (SQL
// literals), insert (INSERT statements, newlines as replace(…, char(10))),
// line (one "name = value" line per column), html (<TR><TD>), json (an array
// of objects per statement), ascii (unit and record separators) and tcl — and
// how values render in them: text as sqlite3_column_text gives it (a blob up to
// its first NUL byte), reals as "%!.15g" or, where a literal is printed,
// sqlite3's integral-else-"%!.20g" rule. The columnar modes are Shell+Columnar.

import Base
import Engine
import SQL

extension Shell {
    func printRows(_ s: PreparedStatement) throws(DBError) {
        if mode.isColumnar {
            try printColumnar(s)
            return
        }
        let n = s.columnCount
        var count = 0
        while try s.step() == .row {
            switch mode {
            case .line: printLineRow(s, n, index: count)
            case .html: printHTMLRow(s, n, index: count)
            case .json: printJSONRow(s, n, index: count)
            case .insert: printInsertRow(s, n)
            case .off, .count: break
            default: printSeparatedRow(s, n, index: count)
            }
            count += 1
            out.endLine()
        }
        if mode == .json && count > 0 { out.write("]\n") }
        if mode == .count { out.write("\(count)\n") }
    }

    /// list, tabs, csv, quote, ascii, tcl: the header (first row only) and the values, each joined by the
    /// column separator and ended by the row separator.
    private func printSeparatedRow(_ s: PreparedStatement, _ n: Int, index: Int) {
        if index == 0 && headers && n > 0 {
            for i in 0..<n {
                if i > 0 { out.write(columnSeparator) }
                let name = Array(s.columnName(i).utf8)
                switch mode {
                case .csv: writeCSVField(name)
                case .quote: out.write(sqlString(name))
                case .tcl: out.write(cString(name))
                default: out.write(name)
                }
            }
            out.write(rowSeparator)
        }
        for i in 0..<n {
            if i > 0 { out.write(columnSeparator) }
            let v = s.column(i)
            switch mode {
            case .quote:
                out.write(quoteLiteral(v))
            case .csv:
                if let t = columnText(v) { writeCSVField(t) } else { out.write(nullValue) }
            case .tcl:
                out.write(cString(columnText(v) ?? nullValue))
            default:
                switch v {
                case .integer(let x): out.write(integer: x)
                case .text(let t), .blob(let t): out.write(textBeforeNUL: t)
                default: if let t = columnText(v) { out.write(t) } else { out.write(nullValue) }
                }
            }
        }
        out.write(rowSeparator)
    }

    private func printLineRow(_ s: PreparedStatement, _ n: Int, index: Int) {
        var width = 5
        for i in 0..<n { width = max(width, s.columnName(i).utf8.count) }
        if index > 0 { out.write(rowSeparator) }
        for i in 0..<n {
            let name = Array(s.columnName(i).utf8)
            out.write([UInt8](repeating: 0x20, count: max(0, width - name.count)))
            out.write(name)
            out.write(" = ")
            out.write(columnText(s.column(i)) ?? nullValue)
            out.write(rowSeparator)
        }
    }

    private func printHTMLRow(_ s: PreparedStatement, _ n: Int, index: Int) {
        if index == 0 && headers {
            out.write("<TR>")
            for i in 0..<n {
                out.write("<TH>")
                out.write(htmlEscaped(Array(s.columnName(i).utf8)))
                out.write("</TH>\n")
            }
            out.write("</TR>\n")
        }
        out.write("<TR>")
        for i in 0..<n {
            out.write("<TD>")
            out.write(htmlEscaped(columnText(s.column(i)) ?? nullValue))
            out.write("</TD>\n")
        }
        out.write("</TR>\n")
    }

    private func printJSONRow(_ s: PreparedStatement, _ n: Int, index: Int) {
        out.write(index == 0 ? "[{" : ",\n{")
        for i in 0..<n {
            if i > 0 { out.write(byte: 0x2C) }
            out.write(jsonString(Array(s.columnName(i).utf8)))
            out.write(byte: 0x3A)
            switch s.column(i) {
            case .null: out.write("null")
            case .integer(let v): out.write(String(v))
            case .real(let r):
                if r == .infinity { out.write("1e999") } else if r == -.infinity { out.write("-1e999") } else {
                    out.write(literalReal(r))
                }
            case .text(let t), .blob(let t): out.write(jsonString(t))
            }
        }
        out.write(byte: 0x7D)
    }

    private func printInsertRow(_ s: PreparedStatement, _ n: Int) {
        out.write("INSERT INTO ")
        out.write(quotedIdentifierIfNeeded(insertTable))
        if headers {
            out.write(byte: 0x28)
            for i in 0..<n {
                if i > 0 { out.write(byte: 0x2C) }
                out.write(quotedIdentifierIfNeeded(s.columnName(i)))
            }
            out.write(byte: 0x29)
        }
        out.write(" VALUES(")
        for i in 0..<n {
            if i > 0 { out.write(byte: 0x2C) }
            out.write(insertLiteral(s.column(i)))
        }
        out.write(");\n")
    }

    /// A value as insert mode (and .dump) writes it: text with newlines and carriage returns as
    /// replace(…, char(10)) unless `newlines` (.dump --newlines), ±infinity as ±1e999, else as quote mode.
    func insertLiteral(_ v: Value, newlines: Bool = false) -> [UInt8] {
        switch v {
        case .text(let t): return newlines ? sqlString(t) : escapedSQLString(t)
        case .real(let r) where r.isInfinite: return Array((r > 0 ? "1e999" : "-1e999").utf8)
        default: return quoteLiteral(v)
        }
    }

    // MARK: values

    /// The text sqlite3_column_text gives (nil for NULL): a text or blob up to its first NUL byte.
    func columnText(_ v: Value) -> [UInt8]? {
        switch v {
        case .null: return nil
        case .integer(let i): return Array(String(i).utf8)
        case .real(let d): return renderRealAsText(d)
        case .text(let t), .blob(let t):
            if let z = t.firstIndex(of: 0) { return Array(t[..<z]) }
            return t
        }
    }

    /// The text list mode prints for a value (NULL as the null value).
    func listText(_ v: Value) -> [UInt8] { columnText(v) ?? nullValue }

    /// A value as quote mode prints it: NULL, an integer, a real by `literalReal`, 'text', X'blob'.
    func quoteLiteral(_ v: Value) -> [UInt8] {
        switch v {
        case .null: return Array("NULL".utf8)
        case .integer(let i): return Array(String(i).utf8)
        case .real(let d): return literalReal(d)
        case .text(let t): return sqlString(t)
        case .blob(let b): return hexBlob(b, prefix: 0x58)
        }
    }

    /// A real as quote, insert and json modes print it: "N.0" when it is an integer in int64's range,
    /// else "%!.20g".
    func literalReal(_ r: Double) -> [UInt8] {
        if let i = Int64(exactly: r) { return Array("\(i).0".utf8) }
        return renderRealForQuoteMode(r)
    }

    /// X'…' (or x'…' with `prefix` 0x78) in lowercase hex.
    func hexBlob(_ b: [UInt8], prefix: UInt8) -> [UInt8] {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var q: [UInt8] = [prefix, 0x27]
        q.reserveCapacity(b.count * 2 + 3)
        for c in b {
            q.append(hex[Int(c >> 4)])
            q.append(hex[Int(c & 15)])
        }
        q.append(0x27)
        return q
    }

    /// 'text' with quotes doubled (up to a NUL byte, as %Q reads it).
    func sqlString(_ t: [UInt8]) -> [UInt8] {
        var q: [UInt8] = [0x27]
        q.reserveCapacity(t.count + 2)
        for c in t {
            if c == 0 { break }
            q.append(c)
            if c == 0x27 { q.append(0x27) }
        }
        q.append(0x27)
        return q
    }

    /// Insert mode's string literal: line feeds and carriage returns become escapes the text does not
    /// contain, undone by replace(…, char(10)) / replace(…, char(13)).
    func escapedSQLString(_ t: [UInt8]) -> [UInt8] {
        let text = t.firstIndex(of: 0).map { Array(t[..<$0]) } ?? t
        let hasNL = text.contains(0x0A), hasCR = text.contains(0x0D)
        if !hasNL && !hasCR { return sqlString(text) }
        let nl = hasNL ? unusedEscape(text, "\\n", "\\012") : []
        let cr = hasCR ? unusedEscape(text, "\\r", "\\015") : []
        var q: [UInt8] = []
        if hasNL { q += Array("replace(".utf8) }
        if hasCR { q += Array("replace(".utf8) }
        q.append(0x27)
        for c in text {
            switch c {
            case 0x0A: q += nl
            case 0x0D: q += cr
            case 0x27: q += [0x27, 0x27]
            default: q.append(c)
            }
        }
        q.append(0x27)
        if hasCR { q += Array(",'".utf8) + cr + Array("',char(13))".utf8) }
        if hasNL { q += Array(",'".utf8) + nl + Array("',char(10))".utf8) }
        return q
    }

    private func unusedEscape(_ text: [UInt8], _ a: String, _ b: String) -> [UInt8] {
        for candidate in [a, b] where !contains(text, Array(candidate.utf8)) { return Array(candidate.utf8) }
        var k = 0
        while true {
            let candidate = Array("(\(a)\(k))".utf8)
            if !contains(text, candidate) { return candidate }
            k += 1
        }
    }

    /// Does `text` hold `needle` (strstr)?
    func contains(_ text: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= text.count else { return false }
        for start in 0...(text.count - needle.count) where text[start] == needle[0] {
            if Array(text[start..<start + needle.count]) == needle { return true }
        }
        return false
    }

    /// A CSV field: quoted when empty, when it holds a space, a control character, a quote, a byte
    /// ≥ 0x7F, or the column separator; quotes inside are doubled.
    func writeCSVField(_ bytes: [UInt8]) {
        var needsQuotes = bytes.isEmpty
        if !needsQuotes {
            for c in bytes where c <= 0x20 || c == 0x22 || c == 0x27 || c >= 0x7F {
                needsQuotes = true
                break
            }
        }
        if !needsQuotes && !columnSeparator.isEmpty && contains(bytes, columnSeparator) { needsQuotes = true }
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

    func htmlEscaped(_ bytes: [UInt8]) -> [UInt8] {
        var q: [UInt8] = []
        q.reserveCapacity(bytes.count)
        for c in bytes {
            switch c {
            case 0x3C: q += Array("&lt;".utf8)
            case 0x26: q += Array("&amp;".utf8)
            case 0x3E: q += Array("&gt;".utf8)
            case 0x22: q += Array("&quot;".utf8)
            case 0x27: q += Array("&#39;".utf8)
            default: q.append(c)
            }
        }
        return q
    }

    /// A JSON string: quote and backslash escaped, control characters as \b \f \n \r \t or \u00xx.
    func jsonString(_ bytes: [UInt8]) -> [UInt8] {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var q: [UInt8] = [0x22]
        q.reserveCapacity(bytes.count + 2)
        for c in bytes {
            switch c {
            case 0x22, 0x5C: q += [0x5C, c]
            case 0x08: q += [0x5C, 0x62]
            case 0x0C: q += [0x5C, 0x66]
            case 0x0A: q += [0x5C, 0x6E]
            case 0x0D: q += [0x5C, 0x72]
            case 0x09: q += [0x5C, 0x74]
            case 0..<0x20: q += Array("\\u00".utf8) + [hex[Int(c >> 4)], hex[Int(c & 15)]]
            default: q.append(c)
            }
        }
        q.append(0x22)
        return q
    }

    /// A C string literal (tcl mode): "…" with \" \\ \t \n \r and other non-printing bytes in octal.
    func cString(_ bytes: [UInt8]) -> [UInt8] {
        var q: [UInt8] = [0x22]
        for c in bytes {
            switch c {
            case 0x22, 0x5C: q += [0x5C, c]
            case 0x09: q += [0x5C, 0x74]
            case 0x0A: q += [0x5C, 0x6E]
            case 0x0D: q += [0x5C, 0x72]
            case 0x20..<0x7F: q.append(c)
            default:
                q += [0x5C, 0x30 + (c >> 6), 0x30 + ((c >> 3) & 7), 0x30 + (c & 7)]
            }
        }
        q.append(0x22)
        return q
    }
}

/// An identifier as the shell writes it: bare when it is a plain identifier and not a keyword,
/// else in double quotes with quotes doubled.
func quotedIdentifierIfNeeded(_ name: String) -> [UInt8] {
    let bytes = Array(name.utf8)
    var plain = !bytes.isEmpty && !(bytes[0] >= 0x30 && bytes[0] <= 0x39)
    if plain {
        for c in bytes where !(c == 0x5F || (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A)) {
            plain = false
            break
        }
    }
    if plain && !Parser.isKeyword(name) { return bytes }
    return quotedName(bytes)
}
