// Parser+Control: transactions, savepoints, PRAGMA, VACUUM, ATTACH
// (https://sqlite.org/lang_transaction.html, lang_savepoint.html, pragma.html,
// lang_vacuum.html, lang_attach.html).
//
// BEGIN also takes CONCURRENT (swiftdb's extension, the begin-concurrent
// branch's syntax; SQLite 3.40.1 rejects it): an unquoted identifier spelled
// "concurrent" right after BEGIN. PRAGMA values are what parse.y's nmnum and
// minus_num allow: a signed number, a name or string, or ON, DELETE, DEFAULT.

extension Parser {
    /// `[TRANSACTION [name]]`.
    mutating func parseTransactionName() throws(ParseFailure) -> Identifier? {
        guard current.kind == .kwTransaction else {
            try push()
            return nil
        }
        try advance()
        if current.kind.isName { return try parseName() }
        return nil
    }

    /// `BEGIN [DEFERRED|IMMEDIATE|EXCLUSIVE|CONCURRENT] [TRANSACTION [name]]`.
    mutating func parseBegin() throws(ParseFailure) -> Begin {
        try advance()
        var begin = Begin()
        switch current.kind {
        case .kwDeferred: begin.mode = .deferred
        case .kwImmediate: begin.mode = .immediate
        case .kwExclusive: begin.mode = .exclusive
        case .identifier where text(of: current).map(asciiFold) == Array("concurrent".utf8):
            begin.mode = .concurrent
        default: break
        }
        if begin.mode != nil { try advance() } else { try push() }
        begin.transactionName = try parseTransactionName()
        return begin
    }

    /// `COMMIT|END [TRANSACTION [name]]`.
    mutating func parseCommit() throws(ParseFailure) -> Command {
        try advance()
        return .commit(transactionName: try parseTransactionName())
    }

    /// `ROLLBACK [TRANSACTION [name]] [TO [SAVEPOINT] name]`.
    mutating func parseRollback() throws(ParseFailure) -> Rollback {
        try advance()
        var rollback = Rollback(transactionName: try parseTransactionName())
        if current.kind == .kwTo {
            try advance()
            try acceptOrPush(.kwSavepoint)
            rollback.savepoint = try parseName()
        }
        return rollback
    }

    /// `PRAGMA [schema.]name [= value | (value)]`.
    mutating func parsePragma() throws(ParseFailure) -> Pragma {
        try advance()
        var pragma = Pragma(name: try parseNameWithSchema())
        switch current.kind {
        case .equal:
            try advance()
            pragma.value = try parsePragmaValue()
        case .leftParen:
            try advance()
            pragma.value = try parsePragmaValue()
            pragma.isCall = true
            try expect(.rightParen)
        default:
            break
        }
        return pragma
    }

    /// `nmnum | minus_num`.
    mutating func parsePragmaValue() throws(ParseFailure) -> Pragma.Value {
        let token = current
        switch token.kind {
        case .plus, .minus:
            try advance()
            let number = current
            if number.kind != .integer && number.kind != .float { throw syntaxError() }
            try advance()
            return .number(numericLiteral(number), negative: token.kind == .minus)
        case .integer, .float:
            try advance()
            return .number(numericLiteral(token), negative: false)
        case .kwOn, .kwDelete, .kwDefault:
            try advance()
            return .keyword(string(of: token).uppercased())
        default:
            return .name(try parseName())
        }
    }

    /// `VACUUM [schema] [INTO expr]`.
    mutating func parseVacuum() throws(ParseFailure) -> Vacuum {
        try advance()
        var vacuum = Vacuum()
        if current.kind != .kwInto && current.kind.isName { vacuum.schema = try parseName() }
        if current.kind == .kwInto {
            try advance()
            vacuum.into = try parseExpr()
        }
        return vacuum
    }

    /// `ATTACH [DATABASE] expr AS expr [KEY expr]`.
    mutating func parseAttach() throws(ParseFailure) -> Attach {
        try advance()
        try acceptOrPush(.kwDatabase)
        let file = try parseExpr()
        try expect(.kwAs)
        var attach = Attach(file: file, name: try parseExpr())
        if current.kind == .kwKey {
            try advance()
            attach.key = try parseExpr()
        }
        return attach
    }
}
