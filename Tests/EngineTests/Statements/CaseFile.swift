// CaseFile: a family of differential cases — an optional prelude and named
// cases, each a script of SQL statements — parsed from a case file's text
// (Cases/*.swift hold that text) or built from scripts in code.
//
// Format:   -- case: NAME        starts a case (names are unique in a file)
//           -- prelude           statements run before every case of the file
//           -- @ordered          inside a statement's leading comment: compare rows in order
//           -- @unordered        … or as a multiset even with a top-level ORDER BY
//           -- @random-rowid     from this statement on, do not compare last_insert_rowid()
// Text before the first marker is the file's header. Statements are split where
// sqlite3_complete says a statement ends, so trigger bodies stay whole.

import Foundation

/// One statement of a case, with how its rows are compared.
struct CaseStatement {
    var sql: String
    var ordered: Bool
    /// `-- @random-rowid`: from here on the case's rowids are random; last_insert_rowid() is not compared.
    var randomRowid = false

    /// True for statements that exist to return rows (SELECT, WITH, VALUES, PRAGMA).
    var isQuery: Bool {
        let code = sql.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }
            .joined(separator: " ").trimmingCharacters(in: .whitespaces).uppercased()
        return ["SELECT", "WITH", "VALUES", "PRAGMA"].contains { code.hasPrefix($0) }
    }
}

/// A named script.
struct DifferentialCase {
    var name: String
    var statements: [CaseStatement]
}

/// A family of cases: one .sql file, or cases generated in code.
struct CaseFile {
    var name: String
    var prelude: [CaseStatement] = []
    var cases: [DifferentialCase] = []

    var statementCount: Int { cases.reduce(0) { $0 + $1.statements.count } }

    /// Builds a family from (case name, script) pairs.
    init(name: String, prelude: String = "", scripts: [(String, String)]) {
        self.name = name
        self.prelude = Self.split(prelude)
        cases = scripts.map { DifferentialCase(name: $0.0, statements: Self.split($0.1)) }
    }

    /// Parses a case file's text.
    init(name: String, text: String) {
        self.name = name
        var current: (name: String, lines: [String])?
        var preludeLines: [String]?
        var scripts: [(String, String)] = []
        func flush() {
            if let c = current { scripts.append((c.name, c.lines.joined(separator: "\n"))) }
            current = nil
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("-- case:") {
                flush()
                if let p = preludeLines { prelude = Self.split(p.joined(separator: "\n")); preludeLines = nil }
                current = (String(trimmed.dropFirst(8)).trimmingCharacters(in: .whitespaces), [])
            } else if trimmed == "-- prelude" {
                preludeLines = []
            } else if current != nil {
                current!.lines.append(line)
            } else if preludeLines != nil {
                preludeLines!.append(line)
            }
        }
        flush()
        cases = scripts.map { DifferentialCase(name: $0.0, statements: Self.split($0.1)) }
    }

    /// Splits a script into statements where sqlite3_complete says one ends.
    static func split(_ script: String) -> [CaseStatement] {
        var out: [CaseStatement] = []
        var pending = ""
        for ch in script {
            pending.append(ch)
            if ch == ";" && OracleSession.isComplete(pending) {
                append(pending, to: &out)
                pending = ""
            }
        }
        append(pending, to: &out)
        return out
    }

    private static func append(_ text: String, to out: inout [CaseStatement]) {
        let sql = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !sql.isEmpty, !isOnlyComments(sql) else { return }
        var ordered = hasTopLevelOrderBy(sql) || sql.uppercased().hasPrefix("PRAGMA")
        if sql.contains("-- @ordered") { ordered = true }
        if sql.contains("-- @unordered") { ordered = false }
        out.append(CaseStatement(sql: sql, ordered: ordered, randomRowid: sql.contains("-- @random-rowid")))
    }

    private static func isOnlyComments(_ sql: String) -> Bool {
        sql.split(separator: "\n").allSatisfy { $0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }
    }

    /// True when ORDER BY appears outside parentheses, string literals, quoted names and comments.
    static func hasTopLevelOrderBy(_ sql: String) -> Bool {
        let chars = Array(sql.uppercased().utf8)
        var depth = 0
        var i = 0
        var words: [String] = []
        var word: [UInt8] = []
        func endWord() {
            if !word.isEmpty { words.append(String(decoding: word, as: UTF8.self)); word = [] }
        }
        while i < chars.count {
            let c = chars[i]
            if c == UInt8(ascii: "-"), i + 1 < chars.count, chars[i + 1] == UInt8(ascii: "-") {
                endWord()
                while i < chars.count && chars[i] != UInt8(ascii: "\n") { i += 1 }
                continue
            }
            if let close = closingQuote(c) {
                endWord()
                i += 1
                while i < chars.count && chars[i] != close { i += 1 }
                i += 1
                continue
            }
            if c == UInt8(ascii: "(") { endWord(); depth += 1 } else if c == UInt8(ascii: ")") { endWord(); depth -= 1 }
            else if depth == 0 && (isWordByte(c)) { word.append(c) } else { endWord() }
            if depth > 0 && !word.isEmpty { word = [] }
            i += 1
        }
        endWord()
        return zip(words, words.dropFirst()).contains { $0 == "ORDER" && $1 == "BY" }
    }

    private static func closingQuote(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "'"): return c
        case UInt8(ascii: "\""): return c
        case UInt8(ascii: "`"): return c
        case UInt8(ascii: "["): return UInt8(ascii: "]")
        default: return nil
        }
    }

    private static func isWordByte(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x5F || c >= 0x80
    }
}
