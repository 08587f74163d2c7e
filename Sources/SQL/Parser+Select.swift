// Parser+Select: SELECT, VALUES, compound operators, WITH, ORDER BY and LIMIT
// (https://sqlite.org/lang_select.html, lang_with.html).
//
// Each core of a compound may carry ORDER BY/LIMIT in the grammar; once the
// compound is complete, one on a core other than the last is SQLite's "ORDER BY
// clause should come after UNION not before" (parserDoubleLinkSelect), and more
// than `ParserLimits.compoundSelect` cores is "too many terms in compound SELECT"
// (a multi-row VALUES first core counts its rows; a lone VALUES is exempt).
// `lastHeight` after `parseSelect` is the select's expression height
// (sqlite3SelectExprHeight) for the expression that contains it.

extension Parser {
    /// `select`: `[WITH …] selectnowith`.
    mutating func parseSelect() throws(ParseFailure) -> Select {
        let start = current.start
        var with: WithClause?
        if current.kind == .kwWith { with = try parseWithClause() }
        return try parseSelect(with: with, start: start)
    }

    /// The `selectnowith` after an already parsed WITH clause.
    mutating func parseSelect(with: WithClause?, start: UInt32) throws(ParseFailure) -> Select {
        let savedHeight = selectHeight
        selectHeight = 0
        let base = stackDepth
        let first = try parseCore()
        var compounds: [CompoundTerm] = []
        var tails: [(orderBy: [OrderingTerm], limit: Limit?)] = [(first.orderBy, first.limit)]
        while let op = try parseCompoundOperator() {
            let term = try parseCore()
            compounds.append(CompoundTerm(op: op, core: term.core))
            tails.append((term.orderBy, term.limit))
            reduce(base)
        }
        reduce(base)
        checkCompound(first: first.core, compounds: compounds, tails: tails)
        let last = tails[tails.count - 1]
        let select = Select(with: with, first: first.core, compounds: compounds, orderBy: last.orderBy,
                            limit: last.limit, range: SourceRange(start: start, end: previousEnd))
        lastHeight = selectHeight
        selectHeight = savedHeight
        return select
    }

    /// The grammar's checks once a compound is complete (parserDoubleLinkSelect).
    mutating func checkCompound(first: SelectCore, compounds: [CompoundTerm],
                                tails: [(orderBy: [OrderingTerm], limit: Limit?)]) {
        if compounds.isEmpty { return }
        var index = tails.count - 2
        while index >= 0 {
            let tail = tails[index]
            if !tail.orderBy.isEmpty || tail.limit != nil {
                let clause = tail.orderBy.isEmpty ? "LIMIT" : "ORDER BY"
                fail("\(clause) clause should come after \(compounds[index].op.name) not before")
                break
            }
            index -= 1
        }
        var count = compounds.count + 1
        if case .values(let rows, _) = first { count += rows.count - 1 }
        if options.limits.compoundSelect > 0 && count > options.limits.compoundSelect {  // 0: no limit
            fail("too many terms in compound SELECT")
        }
    }

    mutating func parseCompoundOperator() throws(ParseFailure) -> CompoundOperator? {
        switch current.kind {
        case .kwUnion:
            try advance()
            if current.kind == .kwAll {
                try advance()
                return .unionAll
            }
            return .union
        case .kwIntersect:
            try advance()
            return .intersect
        case .kwExcept:
            try advance()
            return .except
        default:
            return nil
        }
    }

    /// `oneselect`: a SELECT core with its own ORDER BY/LIMIT, or a VALUES list.
    mutating func parseCore() throws(ParseFailure) -> (core: SelectCore, orderBy: [OrderingTerm], limit: Limit?) {
        switch current.kind {
        case .kwSelect: return try parseSimpleSelect()
        case .kwValues: return (try parseValues(), [], nil)
        default: throw syntaxError()
        }
    }

    /// `VALUES (…), (…)`.
    mutating func parseValues() throws(ParseFailure) -> SelectCore {
        let base = stackDepth
        let start = current.start
        try advance()
        var rows: [[Expr]] = []
        repeat {
            if !rows.isEmpty { try advance() }
            try expect(.leftParen)
            rows.append(try parseExprList(allowEmpty: false))
            try expect(.rightParen)
            reduce(base)
        } while current.kind == .comma
        return .values(rows, range: SourceRange(start: start, end: previousEnd))
    }

    /// `SELECT [DISTINCT|ALL] columns [FROM …] [WHERE …] [GROUP BY …] [HAVING …]
    /// [WINDOW …] [ORDER BY …] [LIMIT …]`.
    mutating func parseSimpleSelect() throws(ParseFailure)
        -> (core: SelectCore, orderBy: [OrderingTerm], limit: Limit?) {
        let base = stackDepth
        let start = current.start
        try advance()
        var select = SimpleSelect(columns: [])
        switch current.kind {
        case .kwDistinct:
            select.quantifier = .distinct
            try advance()
        case .kwAll:
            select.quantifier = .all
            try advance()
        default:
            try push()
        }
        select.columns = try parseResultColumns()
        var clause = stackDepth
        if current.kind == .kwFrom {
            try advance()
            select.from = try parseFromList()
            reduce(clause)
        } else {
            try push()
        }
        select.whereClause = try parseOptionalWhere()
        clause = stackDepth
        if current.kind == .kwGroup {
            try advance()
            try expect(.kwBy)
            select.groupBy = try parseExprList(allowEmpty: false)
            reduce(clause)
        } else {
            try push()
        }
        clause = stackDepth
        if current.kind == .kwHaving {
            try advance()
            select.having = try parseExpr()
            reduce(clause)
        } else {
            try push()
        }
        if current.kind == .kwWindow { select.windows = try parseWindowClause() }
        select.range = SourceRange(start: start, end: previousEnd)
        let orderBy = try parseOptionalOrderBy()
        let limit = try parseOptionalLimit()
        reduce(base)
        return (.select(select), orderBy, limit)
    }

    /// `[WHERE expr]`
    mutating func parseOptionalWhere() throws(ParseFailure) -> Expr? {
        guard current.kind == .kwWhere else {
            try push()
            return nil
        }
        let base = stackDepth
        try advance()
        let expr = try parseExpr()
        reduce(base)
        return expr
    }

    /// `[ORDER BY sortlist]`
    mutating func parseOptionalOrderBy() throws(ParseFailure) -> [OrderingTerm] {
        guard current.kind == .kwOrder else {
            try push()
            lastHeight = 0
            return []
        }
        let base = stackDepth
        try advance()
        try expect(.kwBy)
        let terms = try parseOrderingTerms()
        reduce(base)
        return terms
    }

    /// `sortlist`: `expr [ASC|DESC] [NULLS FIRST|LAST], …`; `lastHeight` is the largest
    /// term height.
    mutating func parseOrderingTerms() throws(ParseFailure) -> [OrderingTerm] {
        let base = stackDepth
        var terms: [OrderingTerm] = []
        var height = 0
        repeat {
            if !terms.isEmpty { try advance() }
            var term = OrderingTerm(expr: try parseExpr())
            height = Swift.max(height, lastHeight)
            if current.kind == .kwAsc || current.kind == .kwDesc {
                term.order = current.kind == .kwAsc ? .ascending : .descending
                try advance()
            }
            if current.kind == .kwNulls {
                try advance()
                switch current.kind {
                case .kwFirst: term.nulls = .first
                case .kwLast: term.nulls = .last
                default: throw syntaxError()
                }
                try advance()
            }
            terms.append(term)
            reduce(base)
        } while current.kind == .comma
        lastHeight = height
        return terms
    }

    /// `[LIMIT expr [OFFSET expr | , expr]]`
    mutating func parseOptionalLimit() throws(ParseFailure) -> Limit? {
        guard current.kind == .kwLimit else {
            try push()
            return nil
        }
        let base = stackDepth
        try advance()
        let first = try parseExpr()
        var limit = Limit(count: first)
        if current.kind == .kwOffset {
            try advance()
            limit.offset = try parseExpr()
        } else if current.kind == .comma {
            try advance()
            limit = Limit(count: try parseExpr(), offset: first)
        }
        reduce(base)
        return limit
    }

    /// `selcollist`: result columns (SELECT, RETURNING).
    mutating func parseResultColumns() throws(ParseFailure) -> [ResultColumn] {
        let base = stackDepth
        var columns: [ResultColumn] = []
        repeat {
            if !columns.isEmpty { try advance() }
            // sclp (the list so far, or nothing) and scanpt.
            reduce(base)
            try push()
            columns.append(try parseResultColumn())
            reduce(base)
        } while current.kind == .comma
        return columns
    }

    mutating func parseResultColumn() throws(ParseFailure) -> ResultColumn {
        let token = current
        if token.kind == .star {
            try advance()
            return .all(token.range)
        }
        if token.kind.isName && peek(1).kind == .dot && peek(2).kind == .star {
            try advance()
            try advance()
            try advance()
            return .allOf(table: identifier(token))
        }
        let expr = try parseExpr()
        try push()
        let span = trimmedSpan(from: Int(token.start), to: Int(current.start))
        var alias: Identifier?
        if current.kind == .kwAs {
            try advance()
            alias = try parseName()
        } else if current.kind.isIDOrString {
            alias = identifier(current)
            try advance()
        }
        return .expr(expr, alias: alias, span: span)
    }

    /// `start..<end` without leading and trailing white space (sqlite3DbSpanDup).
    func trimmedSpan(from start: Int, to end: Int) -> SourceRange {
        var (s, e) = (start, Swift.max(start, end))
        while s < e && Lexer.isSpace(lexer.bytes[s]) { s += 1 }
        while e > s && Lexer.isSpace(lexer.bytes[e - 1]) { e -= 1 }
        return SourceRange(s..<e)
    }

    /// `WITH [RECURSIVE] name [(columns)] AS [[NOT] MATERIALIZED] (select), …`.
    mutating func parseWithClause() throws(ParseFailure) -> WithClause {
        try advance()
        let recursive = try accept(.kwRecursive)
        let base = stackDepth
        var tables: [CommonTableExpression] = []
        repeat {
            if !tables.isEmpty { try advance() }
            let cte = try parseCommonTableExpression()
            if tables.contains(where: { $0.name.matches(cte.name.name) }) {
                fail("duplicate WITH table name: \(cte.name.name)")
            }
            tables.append(cte)
            reduce(base)
        } while current.kind == .comma
        return WithClause(recursive: recursive, tables: tables)
    }

    mutating func parseCommonTableExpression() throws(ParseFailure) -> CommonTableExpression {
        let base = stackDepth
        let name = try parseName()
        let columns = try parseOptionalExprIDList()
        if columns == nil { try push() }
        try expect(.kwAs)
        var materialization: CommonTableExpression.Materialization?
        if current.kind == .kwMaterialized {
            try advance()
            materialization = .materialized
        } else if current.kind == .kwNot {
            try advance()
            try expect(.kwMaterialized)
            materialization = .notMaterialized
        }
        try expect(.leftParen)
        let select = try parseSelect()
        try expect(.rightParen)
        reduce(base)
        return CommonTableExpression(name: name, columns: columns, materialization: materialization,
                                     select: select)
    }
}
