// Bind parameters, https://sqlite.org/lang_expr.html#parameters: the token forms
// tokenize.c accepts and the numbers sqlite3ExprAssignVarNumber gives them
// (sqlite3_bind_parameter_count and _name report the statement's).

import SQL
import Testing

@Suite("Bind parameters")
struct ParameterTests {
    func parameters(_ sql: String) -> [Parameter] {
        guard let statement = statement(sql) else { return [] }
        var found: [Parameter] = []
        func visit(_ e: Expr) {
            switch e.kind {
            case .parameter(let p): found.append(p)
            case .binary(_, let l, let r):
                visit(l)
                visit(r)
            default: break
            }
        }
        if case .select(let select) = statement.command, case .select(let core) = select.first {
            for case .expr(let e, _, _) in core.columns { visit(e) }
        }
        return found
    }

    @Test("? takes the next number; ?NNN sets it; a name keeps its first number")
    func numbering() {
        let found = parameters("SELECT ?, ?5, ?, :a, @b, :a, $c, ?2")
        #expect(found.map(\.number) == [1, 5, 6, 7, 8, 7, 9, 2])
        #expect(found.map(\.text) == ["?", "?5", "?", ":a", "@b", ":a", "$c", "?2"])
        let info = statement("SELECT ?, ?5, ?, :a, @b, :a, $c, ?2")
        #expect(info?.parameterCount == 9)
        #expect(info?.parameterNames.map(\.name) == ["?2", "?5", ":a", "@b", "$c"])
        #expect(info?.parameterNames.map(\.number) == [2, 5, 7, 8, 9])
    }

    @Test("Tcl-style names: $a::b(c) is one parameter")
    func tclNames() {
        #expect(parameters("SELECT $a::b(c)").map(\.text) == ["$a::b(c)"])
        #expect(parameters("SELECT $x::y::z").map(\.text) == ["$x::y::z"])
        #expect(parseError("SELECT $a::b(c d)")?.message == #"unrecognized token: "$a::b(c""#)
        #expect(parseError("SELECT $")?.message == #"unrecognized token: "$""#)
        #expect(parseError("SELECT @")?.message == #"unrecognized token: "@""#)
    }

    @Test("#name is a parameter; #NNN is refused as SQLite refuses it outside nested parses")
    func hashNames() {
        #expect(parameters("SELECT #abc").map(\.text) == ["#abc"])
        let error = parseError("SELECT #1")
        #expect(error?.message == ##"near "#1": syntax error"##)
        #expect(error?.reportedOffset == 7)
    }

    @Test("?NNN out of range; the oracle build's limit is 250000")
    func ranges() {
        #expect(parseError("SELECT ?0")?.message == "variable number must be between ?1 and ?250000")
        #expect(parseError("SELECT ?250001")?.message == "variable number must be between ?1 and ?250000")
        #expect(parseError("SELECT ?250000") == nil)
        #expect(parseError("SELECT ?00000000000000000000001") == nil)
        var limits = ParserLimits()
        limits.variableNumber = 3
        #expect(parseError("SELECT ?, ?, ?, ?", options: ParserOptions(limits: limits))?.message
                == "too many SQL variables")
    }
}
