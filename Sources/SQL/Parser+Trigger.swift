// Parser+Trigger: CREATE TRIGGER and CREATE VIRTUAL TABLE
// (https://sqlite.org/lang_createtrigger.html, lang_createvtab.html).
//
// A trigger body is one or more INSERT/REPLACE, UPDATE, DELETE or SELECT steps,
// each ended by ';', up to END (parse.y's trigger_cmd_list); the stored text runs
// from the trigger's unqualified name to the end of END. A virtual table's
// arguments are raw token runs split at top-level commas, where any token but
// '(' ')' ',' counts (the grammar's wildcard, ';' included); parentheses nest.
// Empty arguments are dropped, as sqlite3VtabArgInit/addArgumentToVtab drop them.

extension Parser {
    /// `[TEMP] TRIGGER [IF NOT EXISTS] name [timing] event ON table [FOR EACH ROW]
    /// [WHEN expr] BEGIN steps END`.
    mutating func parseCreateTrigger(temporary: Bool) throws(ParseFailure) -> CreateTrigger {
        let base = stackDepth
        try advance()
        let ifNotExists = try parseIfNotExists()
        let name = try parseNameWithSchema()
        let timing = try parseTriggerTiming()
        let event = try parseTriggerEvent()
        try expect(.kwOn)
        let table = try parseQualifiedName()
        var forEachRow = false
        let clause = stackDepth
        if current.kind == .kwFor {
            try advance()
            try expect(.kwEach)
            try expect(.kwRow)
            reduce(clause)
            forEachRow = true
        } else {
            try push()
        }
        var when: Expr?
        if current.kind == .kwWhen {
            try advance()
            when = try parseExpr()
        }
        reduce(base)
        if temporary && name.schema != nil { fail("temporary trigger may not have qualified name") }
        try expect(.kwBegin)
        inTrigger = true
        var steps: [CreateTrigger.Step] = []
        repeat {
            steps.append(try parseTriggerStep())
            try expect(.semicolon)
            reduce(base + 2)
        } while current.kind != .kwEnd
        inTrigger = false
        let end = current
        try expect(.kwEnd)
        return CreateTrigger(temporary: temporary, ifNotExists: ifNotExists, name: name, timing: timing,
                             event: event, table: table, forEachRow: forEachRow, when: when, steps: steps,
                             schemaText: SourceRange(start: name.name.range.start, end: end.end))
    }

    /// `BEFORE | AFTER | INSTEAD OF | nothing`.
    mutating func parseTriggerTiming() throws(ParseFailure) -> CreateTrigger.Timing? {
        switch current.kind {
        case .kwBefore:
            try advance()
            return .before
        case .kwAfter:
            try advance()
            return .after
        case .kwInstead:
            try advance()
            try expect(.kwOf)
            return .insteadOf
        default:
            try push()
            return nil
        }
    }

    /// `DELETE | INSERT | UPDATE [OF columns]`.
    mutating func parseTriggerEvent() throws(ParseFailure) -> CreateTrigger.Event {
        switch current.kind {
        case .kwDelete:
            try advance()
            return .delete
        case .kwInsert:
            try advance()
            return .insert
        case .kwUpdate:
            let base = stackDepth
            try advance()
            if current.kind == .kwOf {
                try advance()
                let columns = try parseIDList()
                reduce(base)
                return .update(columns: columns)
            }
            return .update(columns: nil)
        default:
            throw syntaxError()
        }
    }

    mutating func parseTriggerStep() throws(ParseFailure) -> CreateTrigger.Step {
        switch current.kind {
        case .kwUpdate: return .update(try parseUpdate(with: nil, inTriggerStep: true))
        case .kwInsert, .kwReplace: return .insert(try parseInsert(with: nil, inTriggerStep: true))
        case .kwDelete: return .delete(try parseDelete(with: nil, inTriggerStep: true))
        case .kwSelect, .kwValues, .kwWith: return .select(try parseSelect())
        default: throw syntaxError()
        }
    }

    /// `VIRTUAL TABLE [IF NOT EXISTS] name USING module [(arguments)]`.
    mutating func parseCreateVirtualTable() throws(ParseFailure) -> CreateVirtualTable {
        let base = stackDepth - 1
        try advance()
        try expect(.kwTable)
        let ifNotExists = try parseIfNotExists()
        let name = try parseNameWithSchema()
        try expect(.kwUsing)
        let module = try parseName()
        reduce(base)  // create_vtab
        var table = CreateVirtualTable(ifNotExists: ifNotExists, name: name, module: module,
                                       schemaText: SourceRange(start: name.name.range.start, end: module.range.end))
        if current.kind == .leftParen {
            try advance()
            table.arguments = try parseModuleArguments()
            table.schemaText.end = previousEnd
        }
        return table
    }

    /// `vtabarglist )`: the arguments and the closing parenthesis. The modelled stack
    /// follows the grammar: an argument is `vtabarg`; `(` pushes `lp anylist`, and `)`
    /// reduces them again.
    mutating func parseModuleArguments() throws(ParseFailure) -> [String] {
        let base = stackDepth
        try push()  // vtabarg ::= .
        var arguments: [String] = []
        var argumentStart: UInt32?
        var nesting = 0
        while true {
            let token = current
            switch token.kind {
            case .end, .illegal:
                throw syntaxError()
            case .comma where nesting == 0, .rightParen where nesting == 0:
                if let start = argumentStart {
                    arguments.append(string(SourceRange(start: start, end: previousEnd)))
                }
                argumentStart = nil
                try advance()
                reduce(base)
                if token.kind == .rightParen { return arguments }
                try push()
            case .leftParen:
                if argumentStart == nil { argumentStart = token.start }
                nesting += 1
                try advance()
                try push()
            case .rightParen:
                nesting -= 1
                try advance()
                stackDepth -= 3
            default:
                if argumentStart == nil { argumentStart = token.start }
                try advance()
                stackDepth -= 1
            }
        }
    }
}
