// TableMentions: counts where a SELECT names a table, at any depth: FROM
// items (nested joins and subqueries included), subqueries in expressions,
// and the bodies of nested CTEs, except where a nested WITH defines the same
// name (it hides the outer table there). The recursive-CTE rules of
// select.c (resolveFromTermToCte) are stated in these counts.

import SQL

/// How many times `select` names the unqualified table `name`, at any depth.
func tableMentions(_ select: Select, _ name: String) -> Int {
    if let with = select.with, with.tables.contains(where: { namesMatch($0.name.name, name) }) { return 0 }
    var count = 0
    for cte in select.with?.tables ?? [] { count += tableMentions(cte.select, name) }
    for core in select.cores { count += tableMentions(core, name) }
    for o in select.orderBy { count += tableMentions(o.expr, name) }
    if let l = select.limit {
        count += tableMentions(l.count, name)
        if let o = l.offset { count += tableMentions(o, name) }
    }
    return count
}

/// The mentions of `name` in one compound term.
func tableMentions(_ core: SelectCore, _ name: String) -> Int {
    switch core {
    case .values(let rows, _):
        return rows.reduce(0) { n, row in row.reduce(n) { $0 + tableMentions($1, name) } }
    case .select(let c):
        var count = tableMentions(c.from, name)
        for r in c.columns { if case .expr(let e, _, _) = r { count += tableMentions(e, name) } }
        for e in [c.whereClause, c.having].compactMap({ $0 }) + c.groupBy { count += tableMentions(e, name) }
        return count
    }
}

/// The mentions of `name` in a FROM clause, its ON clauses and its subqueries.
func tableMentions(_ items: [FromItem], _ name: String) -> Int {
    var count = 0
    for item in items {
        if case .on(let e) = item.constraint { count += tableMentions(e, name) }
        switch item.source {
        case .table(let qn, _): if qn.schema == nil && namesMatch(qn.name.name, name) { count += 1 }
        case .function(_, let args): for a in args { count += tableMentions(a, name) }
        case .subquery(let s): count += tableMentions(s, name)
        case .join(let inner): count += tableMentions(inner, name)
        }
    }
    return count
}

/// The mentions of `name` in the subqueries of an expression.
func tableMentions(_ e: Expr, _ name: String) -> Int {
    var count = 0
    visitExpressions(e) { x in
        switch x.kind {
        case .exists(let s), .subquery(let s): count += tableMentions(s, name)
        case .in(let i):
            switch i.target {
            case .select(let s): count += tableMentions(s, name)
            case .table(let qn, _): if qn.schema == nil && namesMatch(qn.name.name, name) { count += 1 }
            default: break
            }
        default: break
        }
        return true
    }
    return count
}

/// The FROM items of a core's top level (nested join groups included, subqueries not) naming `name`.
func directTableMentions(_ core: SelectCore, _ name: String) -> Int {
    guard case .select(let c) = core else { return 0 }
    func count(_ items: [FromItem]) -> Int {
        items.reduce(0) { n, item in
            switch item.source {
            case .table(let qn, _): return n + (qn.schema == nil && namesMatch(qn.name.name, name) ? 1 : 0)
            case .join(let inner): return n + count(inner)
            default: return n
            }
        }
    }
    return count(c.from)
}

/// Every schema-qualified table name `select` uses, at any depth (FROM items, IN tables, subqueries).
func qualifiedTableNames(_ select: Select) -> [QualifiedName] {
    var out: [QualifiedName] = []
    func from(_ items: [FromItem]) {
        for item in items {
            if case .on(let e) = item.constraint { expr(e) }
            switch item.source {
            case .table(let qn, _): if qn.schema != nil { out.append(qn) }
            case .function(_, let args): args.forEach(expr)
            case .subquery(let s): sel(s)
            case .join(let inner): from(inner)
            }
        }
    }
    func expr(_ e: Expr) {
        visitExpressions(e) { x in
            switch x.kind {
            case .exists(let s), .subquery(let s): sel(s)
            case .in(let i):
                switch i.target {
                case .select(let s): sel(s)
                case .table(let qn, _): if qn.schema != nil { out.append(qn) }
                default: break
                }
            default: break
            }
            return true
        }
    }
    func sel(_ s: Select) {
        for cte in s.with?.tables ?? [] { sel(cte.select) }
        for core in s.cores {
            switch core {
            case .values(let rows, _): rows.forEach { $0.forEach(expr) }
            case .select(let c):
                from(c.from)
                for r in c.columns { if case .expr(let e, _, _) = r { expr(e) } }
                ([c.whereClause, c.having].compactMap { $0 } + c.groupBy).forEach(expr)
            }
        }
        s.orderBy.forEach { expr($0.expr) }
        if let l = s.limit {
            expr(l.count)
            if let o = l.offset { expr(o) }
        }
    }
    sel(select)
    return out
}
