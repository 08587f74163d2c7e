// Parser+From: the FROM clause, https://sqlite.org/lang_select.html#the_from_clause
// and syntax/join-operator.html.
//
// parse.y's `seltablist`: items joined by `,` or `[JOIN_KW [nm [nm]]] JOIN`; an
// item is `nm[.nm] [AS alias] [INDEXED BY nm | NOT INDEXED]`, a table-valued
// function `nm[.nm](args) [AS alias]`, `(select) [AS alias]` or a parenthesized
// list of items, each with an optional ON/USING. The join keywords are checked as
// sqlite3JoinType checks them ("unknown join type: …"), and ON/USING on an item
// with nothing before it is "a JOIN clause is required before ON/USING".

extension Parser {
    /// `seltablist`: one or more FROM items.
    mutating func parseFromList() throws(ParseFailure) -> [FromItem] {
        let base = stackDepth
        try push()  // stl_prefix: nothing before the first item
        var items: [FromItem] = []
        var join: JoinOperator?
        while true {
            var item = try parseFromItem(isFirst: items.isEmpty)
            item.join = join
            items.append(item)
            reduce(base)
            guard let next = try parseJoinOperator() else { break }
            reduce(base)  // stl_prefix: the items so far and the join operator
            join = next
        }
        return items
    }

    /// `joinop`, or nil when the current token does not start one.
    mutating func parseJoinOperator() throws(ParseFailure) -> JoinOperator? {
        let first = current
        if first.kind == .comma {
            try advance()
            return .comma
        }
        if first.kind == .kwJoin {
            try advance()
            return .join(.inner)
        }
        guard first.kind.isJoinKeyword else { return nil }
        try advance()
        var words = [first]
        while current.kind != .kwJoin && words.count < 3 {
            if !current.kind.isName { throw syntaxError() }
            words.append(current)
            try advance()
        }
        try expect(.kwJoin)
        return .join(joinType(words))
    }

    /// sqlite3JoinType: the type named by up to three join keywords.
    mutating func joinType(_ words: [Token]) -> JoinType {
        var type: JoinType = []
        var valid = true
        for word in words {
            let text = text(of: word)
            let spelled = String(decoding: text.map(asciiFold), as: UTF8.self)
            switch spelled {
            case "natural": type.insert(.natural)
            case "left": type.formUnion([.left, .outer])
            case "outer": type.insert(.outer)
            case "right": type.formUnion([.right, .outer])
            case "full": type.formUnion([.left, .right, .outer])
            case "inner": type.insert(.inner)
            case "cross": type.formUnion([.inner, .cross])
            default: valid = false
            }
            if !valid { break }
        }
        let innerAndOuter = type.contains(.inner) && type.contains(.outer)
        let bareOuter = type.intersection([.outer, .left, .right]) == .outer
        if !valid || innerAndOuter || bareOuter {
            let names = words.map { string(of: $0) }.joined(separator: " ")
            fail("unknown join type: \(names)", quoting: words[0])
        }
        return type
    }

    /// One FROM item with its alias, index hint and ON/USING.
    mutating func parseFromItem(isFirst: Bool) throws(ParseFailure) -> FromItem {
        let base = stackDepth
        let start = current.start
        var item: FromItem
        if current.kind == .leftParen {
            try advance()
            let source: TableSource
            if startsSelect(current.kind) {
                source = .subquery(try parseSelect())
            } else {
                source = .join(try parseFromList())
            }
            try expect(.rightParen)
            item = FromItem(source: source)
            item.alias = try parseOptionalAlias()
        } else {
            if !current.kind.isName { throw syntaxError() }
            let name = try parseNameWithSchema()
            if current.kind == .leftParen {
                try advance()
                let arguments = try parseExprList(allowEmpty: true)
                try expect(.rightParen)
                item = FromItem(source: .function(name, arguments: arguments))
                item.alias = try parseOptionalAlias()
            } else {
                item = FromItem(source: .table(name, nil))
                item.alias = try parseOptionalAlias()
                if let hint = try parseOptionalIndexHint() { item.source = .table(name, hint) }
            }
        }
        item.constraint = try parseOptionalJoinConstraint()
        item.range = SourceRange(start: start, end: previousEnd)
        if isFirst, let constraint = item.constraint {
            if case .on = constraint {
                fail("a JOIN clause is required before ON")
            } else {
                fail("a JOIN clause is required before USING")
            }
        }
        reduce(base)
        return item
    }

    /// `as`: `AS nm`, a bare `ids`, or nothing.
    mutating func parseOptionalAlias() throws(ParseFailure) -> Identifier? {
        if current.kind == .kwAs {
            let base = stackDepth
            try advance()
            let name = try parseName()
            reduce(base)
            return name
        }
        if current.kind.isIDOrString {
            let name = identifier(current)
            try advance()
            return name
        }
        try push()
        return nil
    }

    /// `INDEXED BY nm` or `NOT INDEXED`.
    mutating func parseOptionalIndexHint() throws(ParseFailure) -> IndexHint? {
        let base = stackDepth
        if current.kind == .kwIndexed {
            try advance()
            try expect(.kwBy)
            let name = try parseName()
            reduce(base)
            return .indexedBy(name)
        }
        if current.kind == .kwNot {
            try advance()
            try expect(.kwIndexed)
            reduce(base)
            return .notIndexed
        }
        return nil
    }

    /// `on_using`: `ON expr`, `USING (names)`, or nothing.
    mutating func parseOptionalJoinConstraint() throws(ParseFailure) -> JoinConstraint? {
        let base = stackDepth
        switch current.kind {
        case .kwOn:
            try advance()
            let expr = try parseExpr()
            reduce(base)
            return .on(expr)
        case .kwUsing:
            try advance()
            try expect(.leftParen)
            let names = try parseIDList()
            try expect(.rightParen)
            reduce(base)
            return .using(names)
        default:
            try push()
            return nil
        }
    }
}
