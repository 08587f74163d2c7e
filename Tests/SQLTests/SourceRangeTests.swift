// Source ranges: every expression, name, SELECT, FROM item and statement records
// the bytes it was read from (absolute offsets into the parser's input), so the
// engine can quote the text (column names, error messages, stored schema SQL).
// Ranges never affect AST equality.

import SQL
import Testing

@Suite("Source ranges")
struct SourceRangeTests {
    func text(_ sql: String, _ range: SourceRange) -> String {
        String(decoding: Array(sql.utf8)[range.bounds], as: UTF8.self)
    }

    @Test("expressions, parenthesized ones with their parentheses")
    func expressions() throws {
        let sql = "SELECT (a + b) * c, f(x, y), -d, e NOT NULL, g IN (1, 2) FROM t"
        guard case .select(let s) = try Parser.parseAll(sql)[0].command, case .select(let core) = s.first else {
            return
        }
        let texts = core.columns.compactMap { column -> String? in
            guard case .expr(let e, _, _) = column else { return nil }
            return text(sql, e.range)
        }
        #expect(texts == ["(a + b) * c", "f(x, y)", "-d", "e NOT NULL", "g IN (1, 2)"])
        guard case .binary(_, let left, _) = (try Parser.parseAll(sql)[0].command).firstExpr?.kind else { return }
        #expect(text(sql, left.range) == "(a + b)")
        #expect(text(sql, core.from[0].range) == "t")
        #expect(text(sql, s.range) == sql)
    }

    @Test("names and statements; DML nodes start at WITH")
    func namesAndStatements() throws {
        let sql = "  WITH c AS (SELECT 1) DELETE FROM main.\"t\" WHERE a ; "
        let statement = try Parser.parseAll(sql)[0]
        #expect(text(sql, statement.range) == "WITH c AS (SELECT 1) DELETE FROM main.\"t\" WHERE a")
        guard case .delete(let delete) = statement.command else { return }
        #expect(text(sql, delete.range) == text(sql, statement.range))
        #expect(text(sql, delete.table.name.range) == "\"t\"")
        #expect(text(sql, delete.table.range) == "main.\"t\"")
    }

    @Test("ranges do not affect equality")
    func equality() throws {
        #expect(try Parser.parseAll("SELECT a+1") == Parser.parseAll("  SELECT   a  +  1  "))
    }
}

extension Command {
    /// The first result column's expression of a SELECT command.
    var firstExpr: Expr? {
        guard case .select(let s) = self, case .select(let core) = s.first,
              case .expr(let e, _, _)? = core.columns.first else { return nil }
        return e
    }
}
