// SchemaIndent: how .schema and .fullschema print one CREATE statement —
// plainly (shell.c.in's MODE_Semi: printSchemaLine) or, with --indent, pretty
// (MODE_Pretty in shell.c.in's callback). printSchemaLine closes a comment the
// text leaves open before the ";" and prints CREATE TABLE "x"/'x' as CREATE
// TABLE IF NOT EXISTS. The pretty printer leaves views and triggers alone;
// otherwise it collapses white space (none after "(" or before "(" and ")"),
// and when the result is 79 bytes or longer it breaks the line after the "("
// that opens the outermost parentheses and after each "," (or newline) at that
// depth, indenting the pieces by two spaces, and puts the ")" closing them on
// a line of its own. Quotes, [..] and -- comments hide what they contain from
// the comma rule, with shell.c.in's own (deliberately kept) imprecision: any
// quote character starts a new quoted run and parentheses count everywhere.

import Engine
import SQL

extension Shell {
    /// One statement of .schema or .fullschema, followed by ";" and a newline.
    func writeSchemaStatement(_ sql: [UInt8], pretty: Bool) {
        if pretty {
            writePrettySchema(sql)
        } else {
            writeSchemaLine(sql, tail: ";\n")
        }
    }

    /// printSchemaLine: `z` and `tail`, with an unterminated comment closed first when the tail
    /// ends the statement, and "CREATE TABLE IF NOT EXISTS" for a quoted table name.
    func writeSchemaLine(_ z: [UInt8], tail: String) {
        var z = z
        if tail.hasPrefix(";") && (z.contains(Array("/*".utf8)) || z.contains(Array("--".utf8))) {
            for terminator in ["", "*/", "\n"] where Parser.isComplete(z + Array(terminator.utf8) + [0x3B]) {
                z += Array(terminator.utf8)
                break
            }
        }
        if StringPatterns.glob(Array("CREATE TABLE ['\"]*".utf8), z) {
            out.write("CREATE TABLE IF NOT EXISTS ")
            out.write(Array(z[13...]))
        } else {
            out.write(z)
        }
        out.write(tail)
    }

    /// MODE_Pretty's rendering of one statement (see the file header).
    func writePrettySchema(_ sql: [UInt8]) {
        if StringPatterns.like(Array("CREATE VIEW%".utf8), sql) || StringPatterns.like(Array("CREATE TRIG%".utf8), sql) {
            out.write(sql)
            out.write(";\n")
            return
        }
        let z = collapsedWhiteSpace(sql)
        guard z.count >= 79 else {
            writeSchemaLine(z, tail: ";\n")
            return
        }
        var line: [UInt8] = []
        var parens = 0
        var lines = 0
        var end: UInt8 = 0  // the byte that ends the quoted run or comment we are in, or 0
        var i = 0
        while i < z.count {
            let c = z[i]
            let next: UInt8 = i + 1 < z.count ? z[i + 1] : 0
            if c == end {
                end = 0
            } else if c == 0x22 || c == 0x27 || c == 0x60 {
                end = c
            } else if c == 0x5B {
                end = 0x5D
            } else if c == 0x2D && next == 0x2D {
                end = 0x0A
            } else if c == 0x28 {
                parens += 1
            } else if c == 0x29 {
                parens -= 1
                if lines > 0 && parens == 0 && !line.isEmpty {
                    writeSchemaLine(line, tail: "\n")
                    line.removeAll()
                }
            }
            line.append(c)
            if parens == 1 && end == 0
                && (c == 0x28 || c == 0x0A || (c == 0x2C && !onlySpaceToEndOfLine(z, from: i + 1))) {
                if c == 0x0A { line.removeLast() }
                writeSchemaLine(line, tail: "\n  ")
                line.removeAll()
                lines += 1
                while i + 1 < z.count && isSpaceByte(z[i + 1]) { i += 1 }
            }
            i += 1
        }
        writeSchemaLine(line, tail: ";\n")
    }

    /// The first pass of MODE_Pretty: leading and trailing white space dropped, a run of white
    /// space kept as its first byte (a CR turned into a newline), none after "(", and none before
    /// "(" or ")".
    private func collapsedWhiteSpace(_ sql: [UInt8]) -> [UInt8] {
        var z: [UInt8] = []
        z.reserveCapacity(sql.count)
        for c in sql.drop(while: isSpaceByte) {
            if isSpaceByte(c) {
                if z.last == 0x0D { z[z.count - 1] = 0x0A }
                if let last = z.last, isSpaceByte(last) || last == 0x28 { continue }
            } else if (c == 0x28 || c == 0x29), let last = z.last, isSpaceByte(last) {
                z.removeLast()
            }
            z.append(c)
        }
        while let last = z.last, isSpaceByte(last) { z.removeLast() }
        return z
    }

    /// wsToEol: only white space, up to a newline, a "--" comment or the end, follows `from`.
    private func onlySpaceToEndOfLine(_ z: [UInt8], from: Int) -> Bool {
        var i = from
        while i < z.count {
            let c = z[i]
            if c == 0x0A { return true }
            if isSpaceByte(c) {
                i += 1
                continue
            }
            return c == 0x2D && i + 1 < z.count && z[i + 1] == 0x2D
        }
        return true
    }

    private func isSpaceByte(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }
}
