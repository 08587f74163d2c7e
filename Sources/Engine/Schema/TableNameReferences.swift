// TableNameReferences: where a schema statement names a table, for ALTER TABLE
// RENAME TO (alter.c's sqlite_rename_table and its token map).
//
// SQLite rewrites every token that names the renamed table, leaving the rest of
// each CREATE statement's text as written: the table's own name, REFERENCES
// clauses (its own and other tables'), an index's or trigger's ON clause, FROM
// items naming it (not `x IN table`), the targets of INSERT, UPDATE and DELETE in
// trigger bodies, and the qualifier of `t.column` and `t.*` where it stands for
// the table (not for an alias, not for a CTE of the same name). Each such token
// becomes the new name in double quotes.
//
// Names are resolved by scope as the statement would resolve them: a FROM item
// named by an alias hides the table's name, a CTE named like the table shadows
// it inside its WITH clause, and a qualifier looks for its name in its own query
// first, then the enclosing ones.

import SQL

struct TableNameReferences {
    /// The table's name (compared case-insensitively).
    let table: String
    /// Byte ranges of the statement text that name the table.
    private(set) var ranges: [Range<Int>] = []

    /// What a name means in one query level: the table itself, or something else named alike.
    private enum Meaning { case table, other }
    private var levels: [[(name: String, meaning: Meaning)]] = []
    private var shadowingCTEs = 0

    init(table: String) {
        self.table = table
    }

    /// The ranges in `command`'s text that name the table, in text order.
    static func find(_ table: String, in command: Command) -> [Range<Int>] {
        var refs = TableNameReferences(table: table)
        refs.scan(command)
        return refs.ranges.sorted { $0.lowerBound < $1.lowerBound }
    }

    private func isTable(_ name: QualifiedName) -> Bool {
        shadowingCTEs == 0 && name.name.matches(table)
            && (name.schema.map { !$0.matches("temp") } ?? true)
    }

    private mutating func record(_ id: Identifier) {
        if id.range.end > id.range.start { ranges.append(id.range.bounds) }
    }

    private mutating func scan(_ command: Command) {
        switch command {
        case .createTable(let c):
            if c.name.name.matches(table) { record(c.name.name) }
            switch c.body {
            case .definition(let d):
                for column in d.columns {
                    for k in column.constraints { if case .references(let fk) = k { foreignKey(fk) } }
                }
                for k in d.constraints { if case .foreignKey(_, let fk) = k.kind { foreignKey(fk) } }
            case .select(let s):
                select(s)
            }
        case .createIndex(let c):
            if c.table.matches(table) { record(c.table) }
        case .createView(let c):
            select(c.select)
        case .createTrigger(let c):
            if isTable(c.table) { record(c.table.name) }
            levels.append([(c.table.name.name, isTable(c.table) ? .table : .other)])
            if let w = c.when { expr(w) }
            for step in c.steps { triggerStep(step) }
            levels.removeLast()
        default:
            break
        }
    }

    private mutating func foreignKey(_ fk: ForeignKeyClause) {
        if fk.table.matches(table) { record(fk.table) }
    }

    private mutating func triggerStep(_ step: CreateTrigger.Step) {
        switch step {
        case .select(let s):
            select(s)
        case .insert(let i):
            if isTable(i.table) { record(i.table.name) }
            if case .select(let s) = i.source { select(s) }
            levels.append([(i.alias?.name ?? i.table.name.name, i.alias == nil && isTable(i.table) ? .table : .other)])
            for u in i.upserts {
                if let t = u.target {
                    for o in t.columns { expr(o.expr) }
                    if let w = t.whereClause { expr(w) }
                }
                if case .update(let assignments, let w) = u.action {
                    for a in assignments { expr(a.value) }
                    if let w { expr(w) }
                }
            }
            levels.removeLast()
        case .update(let u):
            if isTable(u.table) { record(u.table.name) }
            var level: [(name: String, meaning: Meaning)] = [(u.alias?.name ?? u.table.name.name, u.alias == nil && isTable(u.table) ? .table : .other)]
            fromNames(u.from, into: &level)
            levels.append(level)
            from(u.from)
            for a in u.assignments { expr(a.value) }
            if let w = u.whereClause { expr(w) }
            for o in u.orderBy { expr(o.expr) }
            levels.removeLast()
        case .delete(let d):
            if isTable(d.table) { record(d.table.name) }
            levels.append([(d.alias?.name ?? d.table.name.name, d.alias == nil && isTable(d.table) ? .table : .other)])
            if let w = d.whereClause { expr(w) }
            for o in d.orderBy { expr(o.expr) }
            levels.removeLast()
        }
    }

    private mutating func select(_ s: Select) {
        let shadows = s.with?.tables.contains { $0.name.matches(table) } ?? false
        if shadows { shadowingCTEs += 1 }
        defer { if shadows { shadowingCTEs -= 1 } }
        for cte in s.with?.tables ?? [] { select(cte.select) }
        for core in s.cores {
            switch core {
            case .select(let c):
                var level: [(name: String, meaning: Meaning)] = []
                fromNames(c.from, into: &level)
                levels.append(level)
                from(c.from)
                for r in c.columns {
                    switch r {
                    case .expr(let e, _, _): expr(e)
                    case .allOf(let q): qualifier(q)
                    case .all: break
                    }
                }
                if let w = c.whereClause { expr(w) }
                for g in c.groupBy { expr(g) }
                if let h = c.having { expr(h) }
                // ORDER BY and LIMIT of a simple SELECT see its FROM clause.
                if s.cores.count == 1 {
                    for o in s.orderBy { expr(o.expr) }
                }
                levels.removeLast()
            case .values(let rows, _):
                for row in rows { for e in row { expr(e) } }
            }
        }
        if s.cores.count != 1 { for o in s.orderBy { expr(o.expr) } }
        if let l = s.limit {
            expr(l.count)
            if let o = l.offset { expr(o) }
        }
    }

    /// The names a FROM clause gives its items (an alias, else the table's name), with what each means.
    private func fromNames(_ items: [FromItem], into level: inout [(name: String, meaning: Meaning)]) {
        for item in items {
            switch item.source {
            case .table(let qn, _):
                level.append((item.alias?.name ?? qn.name.name, item.alias == nil && isTable(qn) ? .table : .other))
            case .join(let nested):
                fromNames(nested, into: &level)
            case .subquery, .function:
                if let a = item.alias { level.append((a.name, .other)) }
            }
        }
    }

    private mutating func from(_ items: [FromItem]) {
        for item in items {
            switch item.source {
            case .table(let qn, _):
                if isTable(qn) { record(qn.name) }
            case .join(let nested):
                from(nested)
            case .subquery(let s):
                select(s)
            case .function(_, let args):
                for a in args { expr(a) }
            }
            if case .on(let e) = item.constraint { expr(e) }
        }
    }

    /// A qualifier names the table when the nearest query level that knows its name took it from the table.
    private mutating func qualifier(_ q: Identifier) {
        for level in levels.reversed() {
            guard let entry = level.first(where: { q.matches($0.name) }) else { continue }
            if entry.meaning == .table { record(q) }
            return
        }
    }

    private mutating func expr(_ e: Expr) {
        var subqueries: [Select] = []
        var qualifiers: [Identifier] = []
        visitExpressions(e) { x in
            switch x.kind {
            case .column(let ref):
                if let q = ref.table { qualifiers.append(q) }
            case .exists(let s), .subquery(let s):
                subqueries.append(s)
            case .in(let i):
                // `x IN table` keeps its name (sqlite3 3.40 does not rewrite it, and the schema test after
                // the rename then refuses the statement).
                if case .select(let s) = i.target { subqueries.append(s) }
            default:
                break
            }
            return true
        }
        for q in qualifiers { qualifier(q) }
        for s in subqueries { select(s) }
    }
}
