// ASTPrinter+Select: SELECT (with WITH, compounds, FROM, windows, ORDER BY,
// LIMIT) and the DML statements INSERT, UPDATE, DELETE.
//
// LIMIT keeps its written form: `LIMIT offset, count` when the offset was written
// first (by source position), `LIMIT count OFFSET offset` otherwise, so bind
// parameters keep their numbers. Join types are spelled from their flags
// (LEFT, RIGHT, FULL, CROSS, INNER, NATURAL), which parse back to the same flags.

extension ASTPrinter {
    /// Appends `select`'s SQL text.
    public mutating func write(_ select: Select) {
        if let with = select.with { write(with) }
        write(select.first)
        for term in select.compounds {
            emit(" ")
            emit(term.op.name)
            emit(" ")
            write(term.core)
        }
        writeOrderBy(select.orderBy)
        if let limit = select.limit { write(limit) }
    }

    mutating func write(_ with: WithClause) {
        emit(with.recursive ? "WITH RECURSIVE " : "WITH ")
        list(with.tables) { printer, cte in
            printer.write(cte.name)
            if let columns = cte.columns {
                printer.emit(" ")
                printer.writeNames(columns)
            }
            switch cte.materialization {
            case .materialized: printer.emit(" AS MATERIALIZED (")
            case .notMaterialized: printer.emit(" AS NOT MATERIALIZED (")
            case nil: printer.emit(" AS (")
            }
            printer.write(cte.select)
            printer.emit(")")
        }
        emit(" ")
    }

    mutating func write(_ core: SelectCore) {
        switch core {
        case .values(let rows, _):
            emit("VALUES ")
            list(rows) { printer, row in
                printer.emit("(")
                printer.list(row) { $0.write($1) }
                printer.emit(")")
            }
        case .select(let select): write(select)
        }
    }

    mutating func write(_ select: SimpleSelect) {
        emit("SELECT ")
        switch select.quantifier {
        case .distinct: emit("DISTINCT ")
        case .all: emit("ALL ")
        case nil: break
        }
        writeResultColumns(select.columns)
        if !select.from.isEmpty {
            emit(" FROM ")
            write(select.from)
        }
        writeWhere(select.whereClause)
        if !select.groupBy.isEmpty {
            emit(" GROUP BY ")
            list(select.groupBy) { $0.write($1) }
        }
        if let having = select.having {
            emit(" HAVING ")
            write(having)
        }
        if !select.windows.isEmpty {
            emit(" WINDOW ")
            list(select.windows) { printer, window in
                printer.write(window.name)
                printer.emit(" AS (")
                printer.write(window.definition)
                printer.emit(")")
            }
        }
    }

    mutating func writeWhere(_ expr: Expr?) {
        if let expr {
            emit(" WHERE ")
            write(expr)
        }
    }

    mutating func writeResultColumns(_ columns: [ResultColumn]) {
        list(columns) { printer, column in
            switch column {
            case .all: printer.emit("*")
            case .allOf(let table):
                printer.write(table)
                printer.emit(".*")
            case .expr(let expr, let alias, _):
                printer.write(expr)
                if let alias { printer.writeAlias(alias) }
            }
        }
    }

    /// A result column's or FROM item's alias: bare when a bare word reads back as the
    /// alias (parse.y's `as ::= ids`), so that the rendering never takes more LALR stack
    /// than its source did; with AS for reserved words, join keywords, INDEXED and the
    /// LIKE operators, which a bare alias cannot be.
    mutating func writeAlias(_ alias: Identifier) {
        emit(ASTPrinter.isBareAlias(alias) ? " " : " AS ")
        write(alias)
    }

    static func isBareAlias(_ alias: Identifier) -> Bool {
        if alias.quoting != .none { return true }
        let bytes = Array(alias.name.utf8)
        let isWord = !bytes.isEmpty && bytes.allSatisfy { c in (c | 0x20) &- 0x61 < 26 || c == 0x5F }
        if !isWord { return true }
        let kind = Keywords.kind(of: bytes, start: 0, count: bytes.count, table: Keywords.table)
        if kind == .identifier { return true }
        return kind.fallsBackToIdentifier && !kind.isLikeKeyword && kind != .kwMatch
    }

    mutating func write(_ items: [FromItem]) {
        for (index, item) in items.enumerated() {
            if index > 0 { write(item.join ?? .comma) }
            write(item)
        }
    }

    mutating func write(_ join: JoinOperator) {
        guard case .join(let type) = join else {
            emit(", ")
            return
        }
        emit(" ")
        if type.contains(.natural) { emit("NATURAL ") }
        if type.contains(.left) && type.contains(.right) {
            emit("FULL ")
        } else if type.contains(.left) {
            emit("LEFT ")
        } else if type.contains(.right) {
            emit("RIGHT ")
        } else if type.contains(.cross) {
            emit("CROSS ")
        } else if type.contains(.inner) && type.contains(.natural) {
            emit("INNER ")
        } else if type.contains(.outer) {
            emit("OUTER ")
        }
        emit("JOIN ")
    }

    mutating func write(_ item: FromItem) {
        switch item.source {
        case .table(let name, _): write(name)
        case .function(let name, let arguments):
            write(name)
            emit("(")
            list(arguments) { $0.write($1) }
            emit(")")
        case .subquery(let select):
            emit("(")
            write(select)
            emit(")")
        case .join(let items):
            emit("(")
            write(items)
            emit(")")
        }
        if let alias = item.alias { writeAlias(alias) }
        if case .table(_, let hint?) = item.source { write(hint) }
        switch item.constraint {
        case .on(let expr)?:
            emit(" ON ")
            write(expr)
        case .using(let names)?:
            emit(" USING ")
            writeNames(names)
        case nil: break
        }
    }

    mutating func write(_ hint: IndexHint) {
        switch hint {
        case .indexedBy(let name):
            emit(" INDEXED BY ")
            write(name)
        case .notIndexed: emit(" NOT INDEXED")
        }
    }

    mutating func writeOrderBy(_ terms: [OrderingTerm]) {
        if terms.isEmpty { return }
        emit(" ORDER BY ")
        writeOrderingTerms(terms)
    }

    mutating func writeOrderingTerms(_ terms: [OrderingTerm]) {
        list(terms) { printer, term in
            printer.write(term.expr)
            switch term.order {
            case .ascending: printer.emit(" ASC")
            case .descending: printer.emit(" DESC")
            case nil: break
            }
            switch term.nulls {
            case .first: printer.emit(" NULLS FIRST")
            case .last: printer.emit(" NULLS LAST")
            case nil: break
            }
        }
    }

    mutating func write(_ limit: Limit) {
        emit(" LIMIT ")
        guard let offset = limit.offset else {
            write(limit.count)
            return
        }
        if offset.range.start < limit.count.range.start {
            write(offset)
            emit(", ")
            write(limit.count)
        } else {
            write(limit.count)
            emit(" OFFSET ")
            write(offset)
        }
    }

    mutating func write(_ definition: WindowDefinition) {
        var parts = 0
        if let base = definition.base {
            write(base)
            parts += 1
        }
        if !definition.partitionBy.isEmpty {
            emit(parts > 0 ? " PARTITION BY " : "PARTITION BY ")
            list(definition.partitionBy) { $0.write($1) }
            parts += 1
        }
        if !definition.orderBy.isEmpty {
            emit(parts > 0 ? " ORDER BY " : "ORDER BY ")
            writeOrderingTerms(definition.orderBy)
            parts += 1
        }
        if let frame = definition.frame {
            if parts > 0 { emit(" ") }
            write(frame)
        }
    }

    mutating func write(_ frame: FrameSpec) {
        switch frame.units {
        case .range: emit("RANGE ")
        case .rows: emit("ROWS ")
        case .groups: emit("GROUPS ")
        }
        if let end = frame.end {
            emit("BETWEEN ")
            write(frame.start)
            emit(" AND ")
            write(end)
        } else {
            write(frame.start)
        }
        switch frame.exclude {
        case .noOthers: emit(" EXCLUDE NO OTHERS")
        case .currentRow: emit(" EXCLUDE CURRENT ROW")
        case .group: emit(" EXCLUDE GROUP")
        case .ties: emit(" EXCLUDE TIES")
        case nil: break
        }
    }

    mutating func write(_ bound: FrameBound) {
        switch bound {
        case .unboundedPreceding: emit("UNBOUNDED PRECEDING")
        case .preceding(let expr):
            write(expr)
            emit(" PRECEDING")
        case .currentRow: emit("CURRENT ROW")
        case .following(let expr):
            write(expr)
            emit(" FOLLOWING")
        case .unboundedFollowing: emit("UNBOUNDED FOLLOWING")
        }
    }

    // MARK: DML

    mutating func writeOrConflict(_ resolution: ConflictResolution?) {
        if let resolution {
            emit(" OR ")
            emit(ASTPrinter.spelling(of: resolution))
        }
    }

    static func spelling(of resolution: ConflictResolution) -> String {
        switch resolution {
        case .rollback: return "ROLLBACK"
        case .abort: return "ABORT"
        case .fail: return "FAIL"
        case .ignore: return "IGNORE"
        case .replace: return "REPLACE"
        }
    }

    mutating func writeTable(_ name: QualifiedName, alias: Identifier?) {
        write(name)
        if let alias {
            emit(" AS ")
            write(alias)
        }
    }

    mutating func writeReturning(_ columns: [ResultColumn]?) {
        if let columns {
            emit(" RETURNING ")
            writeResultColumns(columns)
        }
    }

    mutating func write(_ insert: Insert) {
        if let with = insert.with { write(with) }
        emit("INSERT")
        writeOrConflict(insert.orConflict)
        emit(" INTO ")
        writeTable(insert.table, alias: insert.alias)
        if let columns = insert.columns {
            emit(" ")
            writeNames(columns)
        }
        switch insert.source {
        case .defaultValues: emit(" DEFAULT VALUES")
        case .select(let select):
            emit(" ")
            write(select)
        }
        for upsert in insert.upserts { write(upsert) }
        writeReturning(insert.returning)
    }

    mutating func write(_ upsert: Upsert) {
        emit(" ON CONFLICT")
        if let target = upsert.target {
            emit(" (")
            writeOrderingTerms(target.columns)
            emit(")")
            writeWhere(target.whereClause)
        }
        switch upsert.action {
        case .nothing: emit(" DO NOTHING")
        case .update(let assignments, let whereClause):
            emit(" DO UPDATE SET ")
            write(assignments)
            writeWhere(whereClause)
        }
    }

    mutating func write(_ assignments: [Assignment]) {
        list(assignments) { printer, assignment in
            if assignment.columns.count == 1 {
                printer.write(assignment.columns[0])
            } else {
                printer.writeNames(assignment.columns)
            }
            printer.emit(" = ")
            printer.write(assignment.value)
        }
    }

    mutating func write(_ update: Update) {
        if let with = update.with { write(with) }
        emit("UPDATE")
        writeOrConflict(update.orConflict)
        emit(" ")
        writeTable(update.table, alias: update.alias)
        if let hint = update.indexHint { write(hint) }
        emit(" SET ")
        write(update.assignments)
        if !update.from.isEmpty {
            emit(" FROM ")
            write(update.from)
        }
        writeWhere(update.whereClause)
        writeReturning(update.returning)
        writeOrderBy(update.orderBy)
        if let limit = update.limit { write(limit) }
    }

    mutating func write(_ delete: Delete) {
        if let with = delete.with { write(with) }
        emit("DELETE FROM ")
        writeTable(delete.table, alias: delete.alias)
        if let hint = delete.indexHint { write(hint) }
        writeWhere(delete.whereClause)
        writeReturning(delete.returning)
        writeOrderBy(delete.orderBy)
        if let limit = delete.limit { write(limit) }
    }
}
