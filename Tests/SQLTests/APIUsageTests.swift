// How the engine uses the front end: parse statements one at a time from a
// buffer, switch on the command, walk a SELECT's AST, quote source text, and
// turn a syntax error into the engine's DBError. Reads as an example.

import Base
import SQL
import Testing

@Suite("Using the parser")
struct APIUsageTests {
    /// The tables a SELECT reads, in FROM order (nested joins flattened).
    func tables(in items: [FromItem]) -> [String] {
        items.flatMap { item -> [String] in
            switch item.source {
            case .table(let name, _), .function(let name, _): return [name.description]
            case .subquery(let select): return select.cores.flatMap(tables(in:))
            case .join(let nested): return tables(in: nested)
            }
        }
    }

    func tables(in core: SelectCore) -> [String] {
        if case .select(let simple) = core { return tables(in: simple.from) }
        return []
    }

    @Test("walking a SELECT")
    func walkSelect() throws {
        let sql = "SELECT a, count(*) AS n FROM main.t JOIN (u CROSS JOIN v) ON t.x = u.x WHERE b > ? GROUP BY a"
        var parser = Parser(sql)
        guard let statement = try parser.next(), case .select(let select) = statement.command,
              case .select(let core) = select.first else {
            Issue.record("expected a SELECT")
            return
        }
        #expect(tables(in: core.from) == ["main.t", "u", "v"])
        var names: [String] = []
        for column in core.columns {
            guard case .expr(let e, let alias, let span) = column else { continue }
            // Unaliased columns are named by their source text, as SQLite names them.
            names.append(alias?.name ?? String(decoding: parser.source[span.bounds], as: UTF8.self))
            if case .function(let call) = e.kind { #expect(call.name.matches("COUNT")) }
        }
        #expect(names == ["a", "n"])
        guard case .binary(.greater, _, let right)? = core.whereClause?.kind,
              case .parameter(let parameter) = right.kind else {
            Issue.record("WHERE b > ?")
            return
        }
        #expect(parameter.number == 1 && statement.parameterCount == 1)
        #expect(try parser.next() == nil)
    }

    @Test("statements one at a time; errors as DBError")
    func oneAtATime() {
        var parser = Parser("CREATE TABLE t(a); INSERT INTO t VALUES (1); SELEC 2")
        var kinds: [String] = []
        do {
            while let statement = try parser.next() {
                switch statement.command {
                case .createTable: kinds.append("create")
                case .insert: kinds.append("insert")
                default: kinds.append("other")
                }
            }
        } catch {
            #expect(error.dbError == DBError(.error, #"near "SELEC": syntax error"#))
        }
        #expect(kinds == ["create", "insert"])
    }
}
