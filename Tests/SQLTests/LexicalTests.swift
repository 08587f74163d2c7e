// Lexical rules, as tokenize.c reads SQL (https://sqlite.org/lang_keywords.html,
// lang_comment.html, lang_expr.html#literal_values): quoting forms, comments,
// numbers, blobs, identifier characters, unrecognized tokens, bytes that are not
// UTF-8, NUL as the end of input, and the context rules for WINDOW/OVER/FILTER.
// Every expected message is the one sqlite3 3.40.1 prints.

import SQL
import Testing

@Suite("Lexical rules")
struct LexicalTests {
    @Test("unrecognized tokens", arguments: [
        ("SELECT 'abc", #"unrecognized token: "'abc""#),
        ("SELECT x'0g'", #"unrecognized token: "x'0g'""#),
        ("SELECT x'abc'", #"unrecognized token: "x'abc'""#),
        ("SELECT [abc", #"unrecognized token: "[abc""#),
        ("SELECT \"abc", #"unrecognized token: ""abc""#),
        ("SELECT `abc", #"unrecognized token: "`abc""#),
        ("SELECT 1e", #"unrecognized token: "1e""#),
        ("SELECT 0x", #"unrecognized token: "0x""#),
        ("SELECT 12abc", #"unrecognized token: "12abc""#),
        ("SELECT 1.e5x", #"unrecognized token: "1.e5x""#),
        ("SELECT !", #"unrecognized token: "!""#),
        ("SELECT 1 !", #"unrecognized token: "!""#),
        ("SELECT a`b", #"unrecognized token: "`b""#),
    ])
    func unrecognized(sql: String, message: String) {
        let error = parseError(sql)
        #expect(error?.message == message)
        #expect(error?.reportedOffset == error?.position)
    }

    @Test("numbers and dots", arguments: [
        ("SELECT 1 .5", #"near ".5": syntax error"#),
        ("SELECT 1..2", #"near ".2": syntax error"#),
        ("SELECT 1.2.3", #"near ".3": syntax error"#),
    ])
    func dots(sql: String, message: String) {
        #expect(parseError(sql)?.message == message)
    }

    @Test("comments: -- to the end of the line, /* */ to its end or the input's")
    func comments() {
        #expect(expr("1 /* comment */ + -- another\n 2").map(rendered) == "1 + 2")
        #expect(parseError("SELECT 1 /* open") == nil)
        #expect(parseError("SELECT 1 -- open") == nil)
        // "/*" at the very end is a slash and a star, as in tokenize.c.
        #expect(parseError("SELECT 1 /*")?.message == #"near "*": syntax error"#)
        #expect(parseError("SELECT 1 /**/") == nil)
    }

    @Test("a UTF-8 byte order mark is white space; bytes >= 0x80 are identifier characters")
    func bytes() throws {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("SELECT 1".utf8)
        #expect(try Parser.parseAll(bom).count == 1)
        let name = Array("SELECT caf".utf8) + [0xC3, 0xA9] + Array(" FROM t".utf8)
        guard case .select(let s) = try Parser.parseAll(name)[0].command, case .select(let core) = s.first,
              case .expr(let e, _, _)? = core.columns.first, case .column(let column) = e.kind else {
            Issue.record("identifier with UTF-8")
            return
        }
        #expect(column.column.name == "café")
    }

    @Test("string literals keep bytes that are not UTF-8, and render them back unchanged")
    func invalidUTF8() throws {
        let sql: [UInt8] = Array("SELECT 'a".utf8) + [0xFF, 0xC0] + Array("b'''".utf8)
        let statement = try Parser.parseAll(sql)[0]
        guard case .select(let s) = statement.command, case .select(let core) = s.first,
              case .expr(let e, _, _)? = core.columns.first else { return }
        #expect(e.kind == .literal(.string([UInt8(ascii: "a"), 0xFF, 0xC0, UInt8(ascii: "b"), UInt8(ascii: "'")])))
        let rendered = ASTPrinter.sql(for: statement)
        #expect(rendered == Array("SELECT 'a".utf8) + [0xFF, 0xC0] + Array("b'''".utf8))
    }

    @Test("the input ends at its first NUL byte, as a C string does")
    func nul() throws {
        let sql: [UInt8] = Array("SELECT 1; SELECT 2".utf8) + [0] + Array("garbage'".utf8)
        #expect(try Parser.parseAll(sql).count == 2)
    }

    @Test("every quoting form, with doubled delimiters")
    func quoting() {
        let forms: [(String, String, Identifier.Quoting)] = [
            ("\"a\"\"b\"", "a\"b", .doubleQuotes), ("[a b]", "a b", .brackets), ("`a``b`", "a`b", .backticks),
            ("abc", "abc", .none), ("ABC", "ABC", .none),
        ]
        for (source, name, quoting) in forms {
            guard case .column(let reference)? = expr(source)?.kind else {
                Issue.record(Comment(rawValue: source))
                continue
            }
            #expect(reference.column.name == name && reference.column.quoting == quoting)
        }
    }

    @Test("WINDOW, OVER and FILTER are keywords only where tokenize.c says so")
    func windowKeywords() {
        // OVER after ')' and before a name or '(' is the keyword; otherwise an identifier.
        guard let a = select("SELECT count(*) over FROM t"), case .select(let core) = a.first,
              case .expr(_, let alias, _)? = core.columns.first else { return }
        #expect(alias?.name == "over")
        #expect(parseError("SELECT over FROM t") == nil)
        #expect(parseError("SELECT filter(1) FROM t") == nil)
        #expect(parseError("SELECT window FROM t") == nil)
        #expect(parseError("SELECT x FROM t WINDOW w AS (ORDER BY x)") == nil)
        #expect(parseError("SELECT x FROM window") == nil)
    }

    @Test("keywords are case-insensitive and need identifier boundaries")
    func keywordCase() {
        #expect(parseError("sElEcT 1 fRoM t wHeRe 1") == nil)
        guard case .column(let reference)? = expr("select1")?.kind else {
            Issue.record("select1 is a name")
            return
        }
        #expect(reference.column.name == "select1")
        guard case .column(let dollar)? = expr("from$")?.kind else { return }
        #expect(dollar.column.name == "from$")
    }
}
