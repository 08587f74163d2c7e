// Parser+Schema: CREATE TABLE (columns, constraints, options), CREATE INDEX,
// CREATE VIEW, DROP and ALTER TABLE (https://sqlite.org/lang_createtable.html,
// lang_createindex.html, lang_createview.html, lang_droptable.html,
// lang_altertable.html). Triggers and virtual tables: Parser+Trigger.swift.
//
// A column's type name absorbs every ID-like token, fallback keywords included,
// as the LALR parser's default reduction does (so `a INT GENERATED ALWAYS AS (…)`
// puts GENERATED ALWAYS in the type; `TypeName.declaredType` strips it as
// sqlite3AddColumn does). Table constraints may follow each other with or
// without commas. Each CREATE records the source range SQLite stores (see
// `Statement.schemaSQL(in:)`), measured up to the terminating ';' or input end.

extension Parser {
    mutating func parseCreate() throws(ParseFailure) -> Command {
        try advance()
        switch current.kind {
        case .kwTemp:
            try advance()
            switch current.kind {
            case .kwTable: return .createTable(try parseCreateTable(temporary: true))
            case .kwView: return .createView(try parseCreateView(temporary: true))
            case .kwTrigger: return .createTrigger(try parseCreateTrigger(temporary: true))
            default: throw syntaxError()
            }
        case .kwTable:
            try push()
            return .createTable(try parseCreateTable(temporary: false))
        case .kwView:
            try push()
            return .createView(try parseCreateView(temporary: false))
        case .kwTrigger:
            try push()
            return .createTrigger(try parseCreateTrigger(temporary: false))
        case .kwUnique:
            try advance()
            if current.kind != .kwIndex { throw syntaxError() }
            return .createIndex(try parseCreateIndex(unique: true))
        case .kwIndex:
            try push()
            return .createIndex(try parseCreateIndex(unique: false))
        case .kwVirtual: return .createVirtualTable(try parseCreateVirtualTable())
        default: throw syntaxError()
        }
    }

    /// `[IF NOT EXISTS]`
    mutating func parseIfNotExists() throws(ParseFailure) -> Bool {
        guard current.kind == .kwIf else {
            try push()
            return false
        }
        try advance()
        try expect(.kwNot)
        try expect(.kwExists)
        return true
    }

    /// `[IF EXISTS]`
    mutating func parseIfExists() throws(ParseFailure) -> Bool {
        guard current.kind == .kwIf else {
            try push()
            return false
        }
        try advance()
        try expect(.kwExists)
        return true
    }

    /// Where the statement's text ends for SQLite's stored copy: the start of the ';'
    /// that ends it, or the end of the input.
    mutating func terminatorStart() -> UInt32 {
        current.kind == .semicolon ? current.start : UInt32(lexer.endOffset)
    }

    /// `TABLE [IF NOT EXISTS] name (…) [options]` or `… AS select`.
    mutating func parseCreateTable(temporary: Bool) throws(ParseFailure) -> CreateTable {
        let base = stackDepth - 2  // createkw temp
        try advance()
        let ifNotExists = try parseIfNotExists()
        let name = try parseNameWithSchema()
        reduce(base)  // create_table
        if current.kind == .kwAs {
            try advance()
            let select = try parseSelect()
            return CreateTable(temporary: temporary, ifNotExists: ifNotExists, name: name, body: .select(select))
        }
        try expect(.leftParen)
        var definition = TableDefinition(columns: [])
        let listBase = stackDepth
        repeat {
            if !definition.columns.isEmpty { try advance() }
            if startsTableConstraint(current.kind) && !definition.columns.isEmpty {
                definition.constraints = try parseTableConstraints()
                break
            }
            definition.columns.append(try parseColumnDefinition())
            reduce(listBase)  // columnlist
        } while current.kind == .comma
        let close = current
        try expect(.rightParen)
        var hasOptions = false
        if current.kind == .kwWithout || current.kind == .comma || current.kind.isName {
            hasOptions = try parseTableOptions(into: &definition)
        }
        let end = hasOptions ? terminatorStart() : close.end
        return CreateTable(temporary: temporary, ifNotExists: ifNotExists, name: name,
                           body: .definition(definition),
                           schemaText: SourceRange(start: name.name.range.start, end: end))
    }

    /// `table_option_set`: `[option] (, option)*` with options WITHOUT ROWID and STRICT (the
    /// grammar lets the set start empty, so `(…), x` reads x as an option). Returns true
    /// when one was recognised (SQLite's tabOpts flags).
    mutating func parseTableOptions(into definition: inout TableDefinition) throws(ParseFailure) -> Bool {
        var recognised = false
        if current.kind != .comma { recognised = try parseTableOption(into: &definition) }
        while current.kind == .comma {
            try advance()
            if try parseTableOption(into: &definition) { recognised = true }
        }
        return recognised
    }

    /// `WITHOUT nm | nm`; only WITHOUT ROWID and STRICT are known.
    mutating func parseTableOption(into definition: inout TableDefinition) throws(ParseFailure) -> Bool {
        let without = try accept(.kwWithout)
        let word = current
        _ = try parseName()
        let spelled = text(of: word).map(asciiFold)
        if without && spelled == Array("rowid".utf8) {
            definition.withoutRowID = true
            return true
        }
        if !without && spelled == Array("strict".utf8) {
            definition.strict = true
            return true
        }
        fail("unknown table option: \(string(of: word))")
        return false
    }

    func startsTableConstraint(_ kind: TokenKind) -> Bool {
        switch kind {
        case .kwConstraint, .kwPrimary, .kwUnique, .kwCheck, .kwForeign: return true
        default: return false
        }
    }

    /// `columnname carglist`: `nm [type] [constraint…]`.
    mutating func parseColumnDefinition() throws(ParseFailure) -> ColumnDefinition {
        let base = stackDepth
        let start = current.start
        let name = try parseName()
        let type = try parseTypeName()
        reduce(base)  // columnname
        try push()  // carglist ::= .
        var column = ColumnDefinition(name: name, type: type)
        while let constraint = try parseColumnConstraint(columnName: name) {
            column.constraints.append(constraint)
            reduce(base + 1)
        }
        reduce(base)
        column.range = SourceRange(start: start, end: previousEnd)
        return column
    }

    /// One `ccons`, or nil when the current token starts none.
    mutating func parseColumnConstraint(columnName: Identifier) throws(ParseFailure) -> ColumnConstraint? {
        switch current.kind {
        case .kwConstraint:
            try advance()
            return .name(try parseName())
        case .kwDefault: return try parseDefault()
        case .kwNull:
            try advance()
            return .null(onConflict: try parseOnConflict())
        case .kwNot:
            if peek(1).kind == .kwDeferrable { return .deferrable(try parseDeferrability()) }
            try advance()
            try expect(.kwNull)
            return .notNull(onConflict: try parseOnConflict())
        case .kwPrimary:
            try advance()
            try expect(.kwKey)
            let order = try parseOptionalSortOrder()
            let onConflict = try parseOnConflict()
            return .primaryKey(order, onConflict: onConflict, autoincrement: try accept(.kwAutoincrement))
        case .kwUnique:
            try advance()
            return .unique(onConflict: try parseOnConflict())
        case .kwCheck:
            try advance()
            let (expr, text) = try parseParenthesizedCheck()
            return .check(expr, text: text)
        case .kwReferences: return .references(try parseForeignKeyClause())
        case .kwDeferrable: return .deferrable(try parseDeferrability())
        case .kwCollate:
            try advance()
            return .collate(try parseIDOrString())
        case .kwGenerated:
            try advance()
            try expect(.kwAlways)
            try expect(.kwAs)
            return try parseGenerated(columnName: columnName)
        case .kwAs:
            try advance()
            return try parseGenerated(columnName: columnName)
        default:
            return nil
        }
    }

    /// `( expr )` of a CHECK, with the text between the parentheses.
    mutating func parseParenthesizedCheck() throws(ParseFailure) -> (Expr, SourceRange) {
        let open = current
        try expect(.leftParen)
        let expr = try parseExpr()
        let close = current
        try expect(.rightParen)
        return (expr, SourceRange(start: open.end, end: close.start))
    }

    /// `DEFAULT term | (expr) | +term | -term | id`.
    mutating func parseDefault() throws(ParseFailure) -> ColumnConstraint {
        let base = stackDepth
        try advance()
        let token = current
        let value: DefaultValue
        let text: SourceRange
        switch token.kind {
        case .leftParen:
            let (expr, inner) = try parseParenthesizedCheck()
            (value, text) = (.expression(expr), inner)
        case .plus, .minus:
            try advance()
            let term = try parseTerm()
            let range = SourceRange(start: token.start, end: term.range.end)
            let op: UnaryOperator = token.kind == .plus ? .plus : .negate
            (value, text) = (.expression(Expr(.unary(op, term), range: range)), range)
        default:
            if isTerm(token.kind) {
                let term = try parseTerm()
                (value, text) = (.expression(term), term.range)
            } else if token.kind.isID {
                try advance()
                (value, text) = (.identifier(identifier(token)), token.range)
            } else {
                throw syntaxError()
            }
        }
        reduce(base)
        return .defaultValue(value, text: text)
    }

    func isTerm(_ kind: TokenKind) -> Bool {
        switch kind {
        case .kwNull, .float, .blob, .string, .integer, .kwCurrentTime, .kwCurrentDate, .kwCurrentTimestamp:
            return true
        default:
            return false
        }
    }

    /// `term`: a literal token (NULL, number, string, blob, CURRENT_*).
    mutating func parseTerm() throws(ParseFailure) -> Expr {
        let token = current
        if !isTerm(token.kind) { throw syntaxError() }
        try advance()
        let literal: Literal
        switch token.kind {
        case .kwNull: literal = .null
        case .integer, .float: literal = .numeric(numericLiteral(token))
        case .string: literal = .string(dequote(text(of: token)))
        case .blob: literal = .blob(blobBytes(token))
        case .kwCurrentTime: literal = .currentTime
        case .kwCurrentDate: literal = .currentDate
        default: literal = .currentTimestamp
        }
        return Expr(.literal(literal), range: token.range)
    }

    /// `( expr ) [STORED|VIRTUAL]` after AS.
    mutating func parseGenerated(columnName: Identifier) throws(ParseFailure) -> ColumnConstraint {
        try expect(.leftParen)
        let expr = try parseExpr()
        try expect(.rightParen)
        var storage: GeneratedStorage?
        let token = current
        if token.kind == .identifier || token.kind.fallsBackToIdentifier {
            try advance()
            switch text(of: token).map(asciiFold) {
            case Array("virtual".utf8): storage = .virtual
            case Array("stored".utf8): storage = .stored
            default: fail("error in generated column \"\(columnName.name)\"")
            }
        }
        return .generated(expr, storage: storage)
    }

    /// `sortorder`: `[ASC|DESC]`.
    mutating func parseOptionalSortOrder() throws(ParseFailure) -> SortOrder? {
        switch current.kind {
        case .kwAsc:
            try advance()
            return .ascending
        case .kwDesc:
            try advance()
            return .descending
        default:
            try push()
            return nil
        }
    }

    /// `onconf`: `[ON CONFLICT resolvetype]`.
    mutating func parseOnConflict() throws(ParseFailure) -> ConflictResolution? {
        guard current.kind == .kwOn else {
            try push()
            return nil
        }
        try advance()
        try expect(.kwConflict)
        return try parseConflictResolution()
    }

    /// `REFERENCES nm [(columns)] refargs`.
    mutating func parseForeignKeyClause() throws(ParseFailure) -> ForeignKeyClause {
        try advance()
        var clause = ForeignKeyClause(table: try parseName())
        clause.columns = try parseOptionalExprIDList()
        while true {
            if current.kind == .kwMatch {
                try advance()
                clause.arguments.append(.match(try parseName()))
            } else if current.kind == .kwOn {
                try advance()
                let event = current.kind
                if event != .kwInsert && event != .kwDelete && event != .kwUpdate { throw syntaxError() }
                try advance()
                let action = try parseForeignKeyAction()
                switch event {
                case .kwInsert: clause.arguments.append(.onInsert(action))
                case .kwDelete: clause.arguments.append(.onDelete(action))
                default: clause.arguments.append(.onUpdate(action))
                }
            } else {
                return clause
            }
        }
    }

    /// `refact`: SET NULL, SET DEFAULT, CASCADE, RESTRICT, NO ACTION.
    mutating func parseForeignKeyAction() throws(ParseFailure) -> ForeignKeyClause.Action {
        switch current.kind {
        case .kwSet:
            try advance()
            if current.kind == .kwNull {
                try advance()
                return .setNull
            }
            try expect(.kwDefault)
            return .setDefault
        case .kwCascade:
            try advance()
            return .cascade
        case .kwRestrict:
            try advance()
            return .restrict
        case .kwNo:
            try advance()
            try expect(.kwAction)
            return .noAction
        default:
            throw syntaxError()
        }
    }

    /// `defer_subclause`: `[NOT] DEFERRABLE [INITIALLY DEFERRED|IMMEDIATE]`.
    mutating func parseDeferrability() throws(ParseFailure) -> Deferrability {
        let not = try accept(.kwNot)
        try expect(.kwDeferrable)
        var deferrability = Deferrability(not: not)
        if current.kind == .kwInitially {
            try advance()
            switch current.kind {
            case .kwDeferred: deferrability.initially = .deferred
            case .kwImmediate: deferrability.initially = .immediate
            default: throw syntaxError()
            }
            try advance()
        }
        return deferrability
    }

    /// `conslist`: table constraints, with or without commas between them.
    mutating func parseTableConstraints() throws(ParseFailure) -> [TableConstraint] {
        let base = stackDepth
        var constraints: [TableConstraint] = []
        var afterComma = true
        while true {
            constraints.append(TableConstraint(try parseTableConstraint(), afterComma: afterComma))
            reduce(base)
            if current.kind == .comma {
                try advance()
                afterComma = true
                if !startsTableConstraint(current.kind) { throw syntaxError() }
            } else if startsTableConstraint(current.kind) {
                afterComma = false
            } else {
                return constraints
            }
        }
    }

    mutating func parseTableConstraint() throws(ParseFailure) -> TableConstraint.Kind {
        switch current.kind {
        case .kwConstraint:
            try advance()
            return .name(try parseName())
        case .kwPrimary:
            try advance()
            try expect(.kwKey)
            try expect(.leftParen)
            let columns = try parseOrderingTerms()
            let autoincrement = try accept(.kwAutoincrement)
            try expect(.rightParen)
            return .primaryKey(columns, autoincrement: autoincrement, onConflict: try parseOnConflict())
        case .kwUnique:
            try advance()
            try expect(.leftParen)
            let columns = try parseOrderingTerms()
            try expect(.rightParen)
            return .unique(columns, onConflict: try parseOnConflict())
        case .kwCheck:
            try advance()
            let (expr, text) = try parseParenthesizedCheck()
            return .check(expr, text: text, onConflict: try parseOnConflict())
        default:
            try expect(.kwForeign)
            try expect(.kwKey)
            try expect(.leftParen)
            let columns = try parseExprIDList()
            try expect(.rightParen)
            if current.kind != .kwReferences { throw syntaxError() }
            var clause = try parseForeignKeyClause()
            if current.kind == .kwDeferrable || (current.kind == .kwNot && peek(1).kind == .kwDeferrable) {
                clause.deferrability = try parseDeferrability()
            }
            return .foreignKey(columns: columns, clause)
        }
    }

    /// `[UNIQUE] INDEX [IF NOT EXISTS] name ON table (terms) [WHERE expr]`.
    mutating func parseCreateIndex(unique: Bool) throws(ParseFailure) -> CreateIndex {
        try advance()
        let ifNotExists = try parseIfNotExists()
        let name = try parseNameWithSchema()
        try expect(.kwOn)
        let table = try parseName()
        try expect(.leftParen)
        let columns = try parseOrderingTerms()
        try expect(.rightParen)
        let whereClause = try parseOptionalWhere()
        return CreateIndex(unique: unique, ifNotExists: ifNotExists, name: name, table: table, columns: columns,
                           whereClause: whereClause,
                           schemaText: SourceRange(start: name.name.range.start, end: terminatorStart()))
    }

    /// `[TEMP] VIEW [IF NOT EXISTS] name [(columns)] AS select`.
    mutating func parseCreateView(temporary: Bool) throws(ParseFailure) -> CreateView {
        try advance()
        let ifNotExists = try parseIfNotExists()
        let name = try parseNameWithSchema()
        let columns = try parseOptionalExprIDList()
        if columns == nil { try push() }
        try expect(.kwAs)
        let select = try parseSelect()
        var end = Int(terminatorStart())
        let start = Int(name.name.range.start)
        while end > start && Lexer.isSpace(lexer.bytes[end - 1]) { end -= 1 }
        return CreateView(temporary: temporary, ifNotExists: ifNotExists, name: name, columns: columns,
                          select: select, schemaText: SourceRange(start..<end))
    }

    /// `DROP TABLE|INDEX|VIEW|TRIGGER [IF EXISTS] name`.
    mutating func parseDrop() throws(ParseFailure) -> Drop {
        try advance()
        let kind: Drop.Kind
        switch current.kind {
        case .kwTable: kind = .table
        case .kwIndex: kind = .index
        case .kwView: kind = .view
        case .kwTrigger: kind = .trigger
        default: throw syntaxError()
        }
        try advance()
        let ifExists = try parseIfExists()
        return Drop(kind: kind, ifExists: ifExists, name: try parseQualifiedName())
    }

    /// `ALTER TABLE name RENAME TO … | RENAME [COLUMN] a TO b | ADD [COLUMN] def | DROP [COLUMN] c`.
    mutating func parseAlterTable() throws(ParseFailure) -> AlterTable {
        try advance()
        try expect(.kwTable)
        let table = try parseQualifiedName()
        switch current.kind {
        case .kwRename:
            try advance()
            if current.kind == .kwTo {
                try advance()
                return AlterTable(table: table, action: .renameTable(to: try parseName()))
            }
            try acceptOrPush(.kwColumn)
            let old = try parseName()
            try expect(.kwTo)
            return AlterTable(table: table, action: .renameColumn(old, to: try parseName()))
        case .kwAdd:
            try advance()
            try acceptOrPush(.kwColumn)
            let column = try parseColumnDefinition()
            var end = Int(terminatorStart())
            let start = Int(column.range.start)
            while end > start && Lexer.isSpace(lexer.bytes[end - 1]) { end -= 1 }
            return AlterTable(table: table, action: .addColumn(column, text: SourceRange(start..<end)))
        case .kwDrop:
            try advance()
            try acceptOrPush(.kwColumn)
            return AlterTable(table: table, action: .dropColumn(try parseName()))
        default:
            throw syntaxError()
        }
    }
}
