// Parser+DML: INSERT/REPLACE, UPDATE and DELETE, top level and in trigger bodies
// (https://sqlite.org/lang_insert.html, lang_update.html, lang_delete.html,
// lang_upsert.html, lang_returning.html, lang_createtrigger.html).
//
// Top-level forms take WITH, `schema.table AS alias`, INDEXED BY, RETURNING and
// (UPDATE/DELETE) ORDER BY/LIMIT. Trigger steps use the restricted grammar of
// parse.y's trigger_cmd: an unqualified table, no alias, no INDEXED BY (each with
// SQLite's own message), no DEFAULT VALUES, no RETURNING ("cannot use RETURNING
// in a trigger"). `SET (a, b) = expr` checks the column count as
// sqlite3ExprListAppendVector does.

extension Parser {
    /// `INSERT [OR conflict] | REPLACE`.
    mutating func parseInsertVerb() throws(ParseFailure) -> ConflictResolution? {
        if current.kind == .kwReplace {
            try advance()
            return .replace
        }
        try expect(.kwInsert)
        return try parseOptionalOrConflict()
    }

    /// `orconf`: `[OR ROLLBACK|ABORT|FAIL|IGNORE|REPLACE]`.
    mutating func parseOptionalOrConflict() throws(ParseFailure) -> ConflictResolution? {
        guard current.kind == .kwOr else {
            try push()
            return nil
        }
        try advance()
        return try parseConflictResolution()
    }

    /// `resolvetype`.
    mutating func parseConflictResolution() throws(ParseFailure) -> ConflictResolution {
        let resolution: ConflictResolution
        switch current.kind {
        case .kwRollback: resolution = .rollback
        case .kwAbort: resolution = .abort
        case .kwFail: resolution = .fail
        case .kwIgnore: resolution = .ignore
        case .kwReplace: resolution = .replace
        default: throw syntaxError()
        }
        try advance()
        return resolution
    }

    /// `xfullname`: `nm [. nm] [AS nm]`.
    mutating func parseTableWithAlias() throws(ParseFailure) -> (QualifiedName, Identifier?) {
        let base = stackDepth
        let name = try parseQualifiedName()
        var alias: Identifier?
        if current.kind == .kwAs {
            try advance()
            alias = try parseName()
        }
        reduce(base)
        return (name, alias)
    }

    /// `trnm`: a table name in a trigger step; a qualified one is SQLite's error.
    mutating func parseTriggerTableName() throws(ParseFailure) -> QualifiedName {
        let name = try parseQualifiedName()
        if let schema = name.schema {
            fail("qualified table names are not allowed on INSERT, UPDATE, and DELETE statements within triggers")
            return QualifiedName(schema: schema, name: name.name)
        }
        return name
    }

    /// `tridxby`: INDEXED BY / NOT INDEXED parse in a trigger step but are refused.
    mutating func refuseTriggerIndexHint() throws(ParseFailure) {
        guard let hint = try parseOptionalIndexHint() else {
            try push()  // tridxby ::= .
            return
        }
        let clause = hint == .notIndexed ? "NOT INDEXED" : "INDEXED BY"
        fail("the \(clause) clause is not allowed on UPDATE or DELETE statements within triggers")
    }

    /// `[WITH …] INSERT … | REPLACE …` (top level) or a trigger's INSERT step.
    mutating func parseInsert(with: WithClause?, inTriggerStep: Bool = false) throws(ParseFailure) -> Insert {
        let base = stackDepth
        let start = current.start
        let orConflict = try parseInsertVerb()
        reduce(base)  // insert_cmd
        try expect(.kwInto)
        var table: QualifiedName
        var alias: Identifier?
        if inTriggerStep {
            table = try parseTriggerTableName()
        } else {
            (table, alias) = try parseTableWithAlias()
        }
        var columns: [Identifier]?
        if current.kind == .leftParen {
            try advance()
            columns = try parseIDList()
            try expect(.rightParen)
        } else {
            try push()
        }
        var insert = Insert(with: with, orConflict: orConflict, table: table, alias: alias, columns: columns,
                            source: .defaultValues)
        if current.kind == .kwDefault && !inTriggerStep {
            try advance()
            try expect(.kwValues)
            insert.returning = try parseOptionalReturning()
            reduce(base)
            insert.range = SourceRange(start: start, end: previousEnd)
            return insert
        }
        insert.source = .select(try parseSelect())
        try parseUpserts(into: &insert)
        reduce(base)
        insert.range = SourceRange(start: start, end: previousEnd)
        return insert
    }

    /// `upsert`: `ON CONFLICT …` clauses, then RETURNING, as the grammar chains them.
    mutating func parseUpserts(into insert: inout Insert) throws(ParseFailure) {
        while current.kind == .kwOn {
            try advance()
            try expect(.kwConflict)
            var target: Upsert.Target?
            if current.kind == .leftParen {
                try advance()
                let columns = try parseOrderingTerms()
                try expect(.rightParen)
                target = Upsert.Target(columns: columns, whereClause: try parseOptionalWhere())
            }
            try expect(.kwDo)
            let action: Upsert.Action
            if current.kind == .kwNothing {
                try advance()
                action = .nothing
            } else {
                try expect(.kwUpdate)
                try expect(.kwSet)
                let assignments = try parseAssignments()
                action = .update(assignments, whereClause: try parseOptionalWhere())
            }
            insert.upserts.append(Upsert(target: target, action: action))
            if target == nil { break }
        }
        insert.returning = try parseOptionalReturning()
    }

    /// `[RETURNING selcollist]`.
    mutating func parseOptionalReturning() throws(ParseFailure) -> [ResultColumn]? {
        guard current.kind == .kwReturning else { return nil }
        let base = stackDepth
        try advance()
        let columns = try parseResultColumns()
        reduce(base)
        if inTrigger { fail("cannot use RETURNING in a trigger") }
        return columns
    }

    /// `setlist`: `nm = expr` or `(nm, …) = expr`, comma separated.
    mutating func parseAssignments() throws(ParseFailure) -> [Assignment] {
        let base = stackDepth
        var assignments: [Assignment] = []
        repeat {
            if !assignments.isEmpty { try advance() }
            let columns: [Identifier]
            let isRowValue = current.kind == .leftParen
            if isRowValue {
                try advance()
                columns = try parseIDList()
                try expect(.rightParen)
            } else {
                columns = [try parseName()]
            }
            try expect(.equal)
            let value = try parseExpr()
            if isRowValue { checkVectorAssignment(columns: columns, value: value) }
            assignments.append(Assignment(columns: columns, value: value))
            reduce(base)
        } while current.kind == .comma
        return assignments
    }

    /// "%d columns assigned %d values" unless the value is a subquery or has as many terms.
    mutating func checkVectorAssignment(columns: [Identifier], value: Expr) {
        var size = 1
        switch value.kind {
        case .subquery: return
        case .vector(let items): size = items.count
        default: break
        }
        if columns.count != size { fail("\(columns.count) columns assigned \(size) values") }
    }

    /// `[WITH …] UPDATE …` (top level) or a trigger's UPDATE step.
    mutating func parseUpdate(with: WithClause?, inTriggerStep: Bool = false) throws(ParseFailure) -> Update {
        let base = stackDepth
        let start = current.start
        try advance()
        let orConflict = try parseOptionalOrConflict()
        var update: Update
        if inTriggerStep {
            update = Update(orConflict: orConflict, table: try parseTriggerTableName(), assignments: [])
            try refuseTriggerIndexHint()
        } else {
            let (table, alias) = try parseTableWithAlias()
            update = Update(with: with, orConflict: orConflict, table: table, alias: alias, assignments: [])
            update.indexHint = try parseOptionalIndexHint()
            if update.indexHint == nil { try push() }
        }
        try expect(.kwSet)
        update.assignments = try parseAssignments()
        if current.kind == .kwFrom {
            try advance()
            update.from = try parseFromList()
        } else {
            try push()
        }
        update.whereClause = try parseOptionalWhere()
        if !inTriggerStep {
            update.returning = try parseOptionalReturning()
            update.orderBy = try parseOptionalOrderBy()
            update.limit = try parseOptionalLimit()
            let count = update.assignments.reduce(0) { $0 + $1.columns.count }
            if count > options.limits.columns { fail("too many columns in set list") }
        }
        reduce(base)
        update.range = SourceRange(start: start, end: previousEnd)
        return update
    }

    /// `[WITH …] DELETE FROM …` (top level) or a trigger's DELETE step.
    mutating func parseDelete(with: WithClause?, inTriggerStep: Bool = false) throws(ParseFailure) -> Delete {
        let base = stackDepth
        let start = current.start
        try advance()
        try expect(.kwFrom)
        var delete: Delete
        if inTriggerStep {
            delete = Delete(table: try parseTriggerTableName())
            try refuseTriggerIndexHint()
        } else {
            let (table, alias) = try parseTableWithAlias()
            delete = Delete(with: with, table: table, alias: alias)
            delete.indexHint = try parseOptionalIndexHint()
            if delete.indexHint == nil { try push() }
        }
        delete.whereClause = try parseOptionalWhere()
        if !inTriggerStep {
            delete.returning = try parseOptionalReturning()
            delete.orderBy = try parseOptionalOrderBy()
            delete.limit = try parseOptionalLimit()
        }
        reduce(base)
        delete.range = SourceRange(start: start, end: previousEnd)
        return delete
    }
}
