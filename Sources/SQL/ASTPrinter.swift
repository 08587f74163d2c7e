// ASTPrinter: renders an AST back to SQL text that parses to the same AST.
//
// Invariant (tested on every corpus statement, and by the fuzzer on anything
// that parses): parse(render(parse(s))) == parse(s), AST equality ignoring source
// positions. The rendering never needs more of the LALR stack than its source
// (every optional keyword it adds takes the entry its absence took), so it parses
// even when the source was at the nesting limit. Output is bytes, so string
// literals keep invalid UTF-8. Identifiers keep their original quoting;
// expressions get only the parentheses precedence needs (ASTPrinter+Expr.swift).
// Statements: this file; expressions, SELECT, schema statements: the others.

/// Renders statements, expressions and SELECTs as SQL text.
public struct ASTPrinter {
    /// The SQL text rendered so far.
    public internal(set) var bytes: [UInt8] = []

    /// A printer with no text yet.
    public init() {}

    /// The SQL text of `statement`.
    public static func sql(for statement: Statement) -> [UInt8] {
        var printer = ASTPrinter()
        printer.write(statement)
        return printer.bytes
    }

    /// The SQL text of `expr`.
    public static func sql(for expr: Expr) -> [UInt8] {
        var printer = ASTPrinter()
        printer.write(expr)
        return printer.bytes
    }

    /// The SQL text of `select`.
    public static func sql(for select: Select) -> [UInt8] {
        var printer = ASTPrinter()
        printer.write(select)
        return printer.bytes
    }

    mutating func emit(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    mutating func emit(_ byte: UInt8) {
        bytes.append(byte)
    }

    /// Writes items separated by ", ".
    mutating func list<T>(_ items: [T], _ body: (inout ASTPrinter, T) -> Void) {
        for (index, item) in items.enumerated() {
            if index > 0 { emit(", ") }
            body(&self, item)
        }
    }

    /// Writes `text` between `quote`s, doubling each `quote` inside.
    mutating func quoted<S: Sequence>(_ text: S, quote: UInt8) where S.Element == UInt8 {
        emit(quote)
        for c in text {
            emit(c)
            if c == quote { emit(c) }
        }
        emit(quote)
    }

    mutating func write(_ name: Identifier) {
        switch name.quoting {
        case .none: emit(name.name)
        case .doubleQuotes: quoted(name.name.utf8, quote: UInt8(ascii: "\""))
        case .singleQuotes: quoted(name.name.utf8, quote: UInt8(ascii: "'"))
        case .backticks: quoted(name.name.utf8, quote: UInt8(ascii: "`"))
        case .brackets:
            emit("[")
            emit(name.name)
            emit("]")
        }
    }

    mutating func write(_ name: QualifiedName) {
        if let schema = name.schema {
            write(schema)
            emit(".")
        }
        write(name.name)
    }

    mutating func writeNames(_ names: [Identifier]) {
        emit("(")
        list(names) { $0.write($1) }
        emit(")")
    }

    // MARK: Statements

    /// Appends `statement`'s SQL text (EXPLAIN prefix included, no ';').
    public mutating func write(_ statement: Statement) {
        switch statement.explain {
        case .explain: emit("EXPLAIN ")
        case .queryPlan: emit("EXPLAIN QUERY PLAN ")
        case nil: break
        }
        write(statement.command)
    }

    mutating func write(_ command: Command) {
        switch command {
        case .select(let s): write(s)
        case .insert(let s): write(s)
        case .update(let s): write(s)
        case .delete(let s): write(s)
        case .createTable(let s): write(s)
        case .createIndex(let s): write(s)
        case .createView(let s): write(s)
        case .createTrigger(let s): write(s)
        case .createVirtualTable(let s): write(s)
        case .drop(let s): write(s)
        case .alterTable(let s): write(s)
        case .begin(let s): write(s)
        case .commit(let name):
            emit("COMMIT")
            writeTransactionName(name)
        case .rollback(let s): write(s)
        case .savepoint(let name):
            emit("SAVEPOINT ")
            write(name)
        case .release(let name):
            emit("RELEASE SAVEPOINT ")
            write(name)
        case .pragma(let s): write(s)
        case .analyze(let name): writeKeyword("ANALYZE", name)
        case .reindex(let name): writeKeyword("REINDEX", name)
        case .vacuum(let s): write(s)
        case .attach(let s): write(s)
        case .detach(let expr):
            emit("DETACH DATABASE ")
            write(expr)
        }
    }

    mutating func writeKeyword(_ keyword: String, _ name: QualifiedName?) {
        emit(keyword)
        if let name {
            emit(" ")
            write(name)
        }
    }

    mutating func writeTransactionName(_ name: Identifier?) {
        if let name {
            emit(" TRANSACTION ")
            write(name)
        }
    }

    mutating func write(_ begin: Begin) {
        emit("BEGIN")
        switch begin.mode {
        case .deferred: emit(" DEFERRED")
        case .immediate: emit(" IMMEDIATE")
        case .exclusive: emit(" EXCLUSIVE")
        case .concurrent: emit(" CONCURRENT")
        case nil: break
        }
        writeTransactionName(begin.transactionName)
    }

    mutating func write(_ rollback: Rollback) {
        emit("ROLLBACK")
        writeTransactionName(rollback.transactionName)
        if let savepoint = rollback.savepoint {
            emit(" TO SAVEPOINT ")
            write(savepoint)
        }
    }

    mutating func write(_ pragma: Pragma) {
        emit("PRAGMA ")
        write(pragma.name)
        guard let value = pragma.value else { return }
        emit(pragma.isCall ? "(" : " = ")
        switch value {
        case .number(let number, let negative):
            if negative { emit("-") }
            emit(number.text)
        case .name(let name): write(name)
        case .keyword(let keyword): emit(keyword)
        }
        if pragma.isCall { emit(")") }
    }

    mutating func write(_ vacuum: Vacuum) {
        emit("VACUUM")
        if let schema = vacuum.schema {
            emit(" ")
            write(schema)
        }
        if let into = vacuum.into {
            emit(" INTO ")
            write(into)
        }
    }

    mutating func write(_ attach: Attach) {
        emit("ATTACH DATABASE ")
        write(attach.file)
        emit(" AS ")
        write(attach.name)
        if let key = attach.key {
            emit(" KEY ")
            write(key)
        }
    }
}

extension Statement: CustomStringConvertible {
    /// The statement rendered as SQL (see `ASTPrinter`).
    public var description: String { String(decoding: ASTPrinter.sql(for: self), as: UTF8.self) }
}

extension Expr: CustomStringConvertible {
    public var description: String { String(decoding: ASTPrinter.sql(for: self), as: UTF8.self) }
}
