// Scope: the tables a part of a statement can name, and how a column
// reference finds its table (https://sqlite.org/lang_select.html, "FROM";
// resolve.c's lookupName).
//
// A FromTerm is one table of a FROM clause (a base table, or a view,
// subquery or CTE materialized into an ephemeral table), with the cursor the
// loop reads it through. A Scope holds the terms of one SELECT (or the one
// table of an INSERT/UPDATE/DELETE) and its enclosing scope, so correlated
// subqueries resolve outward. A name is looked up innermost first; within a
// scope an unqualified name must match exactly one term's column, except the
// right-hand columns of USING/NATURAL joins, which only a qualified name
// reaches. `redirects` lets a phase of the program read columns from
// somewhere other than the term's cursor (the sorter of a GROUP BY, the
// registers of a row being inserted, the OLD and NEW rows of a trigger).

import Base
import SQL

final class FromTerm {
    /// The name a qualifier must match: the alias, else the table name.
    let name: String
    /// The base table, when the term reads one directly.
    let table: Table?
    let columnNames: [String]
    /// `nameKey` of each column name: a reference's key rules out most columns with one comparison.
    let columnKeys: [UInt64]
    var affinities: [Affinity]
    var collations: [Collation]
    var declaredTypes: [String?]
    /// The database of the view this term reads (a view's FROM item keeps its schema, a subquery's has none).
    var viewDatabase: Int?
    /// The database the item belongs to: its table's or view's; nil for a subquery or CTE.
    var database: Int? { table?.database ?? viewDatabase }
    /// The database named before an unaliased table in FROM (`main.t`): EXPLAIN QUERY PLAN writes it
    /// before the name, as sqlite3's %S does.
    var writtenSchema: String?
    /// A table-valued function whose arguments read earlier FROM items (Compiler+PragmaFunctions.swift): code
    /// that fills its table, emitted at the start of its loop; the planner keeps every earlier item outside it.
    var lateralFill: (() throws(DBError) -> Void)?
    /// The cursor the term's rows are read through.
    var cursor: Int32
    /// True when the term has a rowid to read (base rowid tables and ephemeral tables).
    var hasRowid: Bool
    /// Join type with the terms before it (nil: the first term, or a comma/inner join).
    var joinType: JoinType?
    /// A RIGHT or FULL JOIN follows this term in its FROM clause (JT_LTORJ): its rows may be set to NULL
    /// after the loop, so WHERE terms wait for the right join's level and its loop stays in FROM order.
    var leftOfRightJoin = false
    var onClause: Expr?
    var usingColumns: [String] = []
    /// Columns that an unqualified name does not reach (the right side of USING/NATURAL).
    var hiddenForUnqualified: Set<String> = []
    /// Only a qualified name reaches this term (a trigger's NEW and OLD).
    var qualifiedOnly = false
    /// A parenthesized join read as a subquery (Compiler+From's nestedJoin, sqlite3's SF_NestedFrom): the table
    /// name and column name each of its columns came from, which qualified and unqualified names match.
    var nestedColumns: [(table: String, column: String)]?
    /// When a covering index serves every column the query reads, the index cursor and its columns.
    var coveringCursor: Int32?
    var coveringIndex: Index?
    /// For a view or subquery read through an automatic index: column i is field coveringFields[i].
    var coveringFields: [Int]?
    /// A view or subquery: the planner's estimate of its rows (the subquery's nSelectRow).
    var rowEstimate: LogEst?
    /// LEFT JOIN: the register that records whether the right side matched.
    var matchFlag: Int32?
    /// A recursive CTE streamed as a co-routine (the only FROM item of its query): each Yield of the
    /// register `yield` puts its next row in registers base..<base+width (Compiler+RecursiveCTE.swift).
    var coroutine: (yield: Int32, base: Int32)?
    var indexHint: IndexHint?
    /// A flattened view or subquery: its columns are these expressions over `expansionScope`'s tables,
    /// which the enclosing query loops over directly (select.c's flattenSubquery).
    var expansion: [Expr]?
    var expansionScope: Scope?
    /// A flattened view's WHERE clause (resolved in `expansionScope`).
    var flattenedWhere: Expr?
    /// A view flattened into a LEFT JOIN (its one table is this loop): the WHERE clause belongs to the join's
    /// ON clause, and a result column that is not a plain column reads NULL on the join's row of NULLs.
    var outerJoinLoop: FromTerm?
    /// Columns (by index) and the rowid the statement reads from this term, for covering-index choice.
    var usedColumns = OrdinalSet()
    var usesRowid = false
    /// Set once every column the statement reads from this term is known (see `recordColumnUsage`).
    var coveringAllowed = false
    /// The table an UPDATE or DELETE changes, scanned through the cursors it writes with (already open).
    var writer: TableWriter?
    var usageUnknown = false

    init(name: String, table: Table?, columnNames: [String], affinities: [Affinity], collations: [Collation],
         declaredTypes: [String?], cursor: Int32, hasRowid: Bool, columnKeys: [UInt64]? = nil) {
        self.name = name
        self.table = table
        // A subquery's, view's or CTE's columns are named apart as select.c names them.
        let names = table == nil ? uniqueColumnNames(columnNames) : columnNames
        self.columnNames = names
        self.columnKeys = columnKeys ?? names.map(nameKey)
        self.affinities = affinities
        self.collations = collations
        self.declaredTypes = declaredTypes
        self.cursor = cursor
        self.hasRowid = hasRowid
    }

    /// A term over a base table (or sqlite_schema).
    convenience init(table: Table, alias: String?, cursor: Int32) {
        let columns = table.termColumns
        self.init(name: alias ?? table.name, table: table, columnNames: columns.names,
                  affinities: columns.affinities, collations: columns.collations,
                  declaredTypes: columns.declaredTypes, cursor: cursor, hasRowid: !table.withoutRowid,
                  columnKeys: columns.keys)
    }

    func columnIndex(_ name: String) -> Int? {
        columnIndex(name, key: nameKey(name))
    }

    /// The column of a parenthesized join read as a subquery whose own name is `name`; two are ambiguous.
    func nestedColumnIndex(_ name: String) throws(DBError) -> Int? {
        var found: Int?
        for (j, origin) in (nestedColumns ?? []).enumerated() where namesMatch(origin.column, name) {
            if found != nil { throw DBError(.error, "ambiguous column name: \(name)") }
            found = j
        }
        return found
    }

    /// The column named `name`, whose `nameKey` is `key`.
    @inline(__always)
    func columnIndex(_ name: String, key: UInt64) -> Int? {
        indexOfName(name, key: key, in: columnNames, keys: columnKeys)
    }
}

/// Where a column reference points.
enum ColumnBinding {
    case column(FromTerm, Int)
    case rowid(FromTerm)
    /// A column of a flattened view: an expression over the view's own tables (resolved in the scope),
    /// with the view term and the column's index.
    case expression(Expr, Scope, FromTerm, Int)
}

extension ColumnBinding {
    /// The FROM item's column (or rowid, -1) this reads directly; nil for a flattened view's column.
    var columnKey: ColumnKey? {
        switch self {
        case .column(let t, let c): return ColumnKey(term: ObjectIdentifier(t), column: c)
        case .rowid(let t): return ColumnKey(term: ObjectIdentifier(t), column: -1)
        case .expression: return nil
        }
    }

    /// Both read the same column: of the same FROM item, or of the same flattened view.
    func readsSameColumn(as other: ColumnBinding) -> Bool {
        if case .expression(_, _, let t, let i) = self, case .expression(_, _, let u, let j) = other {
            return t === u && i == j
        }
        return columnKey != nil && columnKey == other.columnKey
    }
}

/// A different source for a term's columns during one phase of the program.
enum ColumnRedirect {
    /// Column i of the term is in register base + i; the rowid in `rowid`.
    case registers(base: Int32, rowid: Int32?)
    /// The term's columns come from fields of another cursor's records (sorter output, automatic indexes).
    case cursorFields(cursor: Int32, fields: [ColumnKey: Int32])
    /// Each column read is in its own register (values captured for an aggregate's output).
    case registerMap([ColumnKey: Int32])
}

/// A column of a term, as a dictionary key.
struct ColumnKey: Hashable {
    let term: ObjectIdentifier
    /// The column index, or -1 for the rowid.
    let column: Int
}

final class Scope {
    /// The tables the query's loops read (base tables, ephemeral tables, the tables of flattened views).
    var terms: [FromTerm]
    /// The names the query may use, when they differ from `terms` (a flattened view is one name for its
    /// tables); nil when they are the same.
    var namedTerms: [FromTerm]?
    let parent: Scope?
    /// Result-column aliases usable by ORDER BY / GROUP BY / HAVING / WHERE (SQLite's extension).
    var resultAliases: [(name: String, expr: Expr)] = []
    /// Per-term redirects for the current phase.
    var redirects: [ObjectIdentifier: ColumnRedirect] = [:]
    /// Aggregate evaluation: expressions whose values already sit in registers.
    var precomputed = PrecomputedExpressions()
    /// Set while compiling an aggregate query's per-row or output phase.
    var aggregateMode = false
    /// True when expressions here may contain aggregate functions.
    var allowsAggregates = false
    /// Records whether compiling an expression referred to an enclosing scope (correlation).
    var referencedOuter = false

    init(terms: [FromTerm], parent: Scope?) {
        self.terms = terms
        self.parent = parent
    }

    /// The terms names resolve against.
    var nameTerms: [FromTerm] { namedTerms ?? terms }

    /// Adds a flattened view: its name resolves here, its tables join the loops.
    func addFlattened(_ view: FromTerm, loops: [FromTerm]) {
        if namedTerms == nil { namedTerms = terms }
        namedTerms!.append(view)
        terms.append(contentsOf: loops)
    }

    /// Adds an ordinary term (a name and a loop).
    func add(_ term: FromTerm) {
        terms.append(term)
        namedTerms?.append(term)
    }

    /// Finds the column `ref` names, innermost scope first. Returns nil when nothing matches.
    func resolve(_ ref: ColumnReference) throws(DBError) -> (ColumnBinding, Scope)? {
        var scope: Scope? = self
        while let s = scope {
            if let binding = try s.resolveHere(ref) {
                // Every scope between here and the one that owns the column depends on an outer row.
                var m: Scope? = self
                while let x = m, x !== s {
                    x.referencedOuter = true
                    m = x.parent
                }
                return (binding, s)
            }
            scope = s.parent
        }
        return nil
    }

    func resolveHere(_ ref: ColumnReference) throws(DBError) -> ColumnBinding? {
        let name = ref.column.name
        let key = nameKey(name)
        if let qualifier = ref.table {
            // `schema.table.column`: the table must be in that database (resolve.c, lookupName).
            if let schema = ref.schema, schema.name.hasPrefix(termIdentityPrefix) {
                // The compiler's own reference to one FROM item (Compiler.termColumnReference), or to the first
                // (UPDATE … FROM's target, update.c's TK_ROW).
                let wanted = schema.name == firstItemSchema ? nameTerms.first
                    : nameTerms.first(where: { termIdentitySchema($0) == schema.name })
                guard let t = wanted else { return nil }
                if let i = t.columnIndex(name, key: key) { return Scope.binding(t, i) }
                return t.hasRowid && isRowidName(name) ? .rowid(t) : nil
            }
            let database = ref.schema.map {
                namesMatch($0.name, "main") ? 0 : namesMatch($0.name, "temp") ? 1 : $0.name == starSubquerySchema ? -2 : -1
            }
            // Several FROM items may share a name (`a AS t, b AS t`): the one with the column; two with it
            // are ambiguous unless the later one has it as the right side of a USING (lookupName).
            // The rowid resolves only when one item has the name (cntTab == 1).
            var found: ColumnBinding?
            var matches: [FromTerm] = []
            for t in nameTerms where namesMatch(t.name, qualifier.name) {
                // `main.t.x` names only main's tables and views (lookupName compares pTab->pSchema); a `*` expansion
                // names a subquery's columns with the schema "*" (selectExpander).
                if let database, database == -2 ? t.database != nil : t.database != database { continue }
                matches.append(t)
                if let i = t.columnIndex(name, key: key) {
                    if found == nil {
                        found = Scope.binding(t, i)
                    } else if !t.hiddenForUnqualified.contains(foldName(name)) {
                        throw DBError(.error, "ambiguous column name: \(qualifier.name).\(name)")
                    }
                }
            }
            if ref.schema == nil {
                // The tables inside a parenthesized join read as a subquery keep their names (lookupName's
                // isNestedFrom).
                for t in nameTerms {
                    guard let nested = t.nestedColumns else { continue }
                    for (j, origin) in nested.enumerated()
                    where namesMatch(origin.table, qualifier.name) && namesMatch(origin.column, name) {
                        if found != nil { throw DBError(.error, "ambiguous column name: \(qualifier.name).\(name)") }
                        found = .column(t, j)
                    }
                }
            }
            if let found { return found }
            if matches.count == 1, matches[0].hasRowid, isRowidName(name) { return .rowid(matches[0]) }
            return nil
        }
        // A name shared through USING (or NATURAL) is the left-most table's column after an inner or LEFT
        // join, the right table's after a RIGHT JOIN, and coalesce() of both after a FULL JOIN (lookupName).
        var match: (term: FromTerm, column: Int)?
        var count = 0
        var fullJoinMatches: [(term: FromTerm, column: Int)]? = []
        for t in nameTerms where !t.qualifiedOnly {
            guard let i = t.nestedColumns == nil ? t.columnIndex(name, key: key) : try t.nestedColumnIndex(name)
            else { continue }
            if count > 0, let previous = match {
                let jt = t.joinType ?? []
                if t.hiddenForUnqualified.isEmpty || !t.hiddenForUnqualified.contains(foldName(name)) {
                    fullJoinMatches = nil
                } else if !jt.contains(.right) {
                    continue
                } else if !jt.contains(.left) {
                    count = 0
                    fullJoinMatches = []
                } else {
                    fullJoinMatches?.append(previous)
                }
            }
            count += 1
            match = (t, i)
        }
        if let m = match {
            if count == 1 { return Scope.binding(m.term, m.column) }
            if let all = fullJoinMatches, all.count == count - 1 {
                let args = (all + [m]).map { x in
                    Expr(.column(ColumnReference(table: Identifier(x.term.name), column: ref.column)))
                }
                let call = Expr(.function(FunctionCall(name: Identifier("coalesce"), arguments: .list(nil, args))))
                return .expression(call, self, m.term, m.column)
            }
            throw DBError(.error, "ambiguous column name: \(name)")
        }
        if isRowidName(name) {
            // Only with a single FROM item, and one that has a rowid (lookupName's cntTab == 1).
            let items = nameTerms.filter { !$0.qualifiedOnly }
            if items.count == 1 && items[0].hasRowid { return .rowid(items[0]) }
        }
        return nil
    }
}

/// The schema name a `*` expansion gives a subquery's columns (sqlite3's selectExpander writes "*"): such a
/// reference matches only FROM items that are not tables, so `a AS t, (SELECT …) AS t` expand unambiguously.
let starSubquerySchema = "\u{0}*"

/// The schema name of a reference the compiler makes to one particular FROM item, whatever its name.
let termIdentityPrefix = "\u{0}@"
let firstItemSchema = termIdentityPrefix + "first"
func termIdentitySchema(_ t: FromTerm) -> String { termIdentityPrefix + String(UInt(bitPattern: ObjectIdentifier(t))) }

extension Scope {
    static func binding(_ t: FromTerm, _ i: Int) -> ColumnBinding {
        if let e = t.expansion, let s = t.expansionScope { return .expression(e[i], s, t, i) }
        return .column(t, i)
    }
}

/// Column names made distinct as sqlite3ColumnsFromExprList makes them: a name met before (ignoring case)
/// loses any ":digits" suffix and takes ":1", ":2", … until it is new. (SQLite draws a random suffix after
/// the third try; this keeps counting.)
func uniqueColumnNames(_ names: [String]) -> [String] {
    var seen = Set<String>()
    var out: [String] = []
    out.reserveCapacity(names.count)
    for n in names {
        var name = n
        var count = 0
        while seen.contains(foldName(name)) {
            var base = Substring(name)
            if let colon = base.lastIndex(of: ":"), colon != base.startIndex,
               base[base.index(after: colon)...].allSatisfy({ $0.isASCII && $0.isNumber }) {
                base = base[..<colon]
            }
            count += 1
            name = "\(base):\(count)"
        }
        seen.insert(foldName(name))
        out.append(name)
    }
    return out
}

/// A name's length and first seven bytes, ASCII letters folded to lower case: names that `namesMatch`
/// have equal keys, so comparing keys first skips the byte comparison for almost every other column.
@inline(__always)
func nameKey(_ name: String) -> UInt64 {
    var name = name
    return name.withUTF8 { p in
        var key = UInt64(min(p.count, 255)) << 56
        for i in 0..<min(p.count, 7) { key |= UInt64(asciiLower(p[i])) << UInt64(8 * i) }
        return key
    }
}

/// The position of `name` (whose `nameKey` is `key`) in `names`, whose keys are `keys`. A key holds the
/// whole of a name of up to seven bytes (its length and every byte, ASCII letters folded), so equal keys
/// are the match itself there; only longer names compare their bytes.
@inline(__always)
func indexOfName(_ name: String, key: UInt64, in names: [String], keys: [UInt64]) -> Int? {
    let whole = key >> 56 <= 7
    for i in keys.indices where keys[i] == key && (whole || namesMatch(names[i], name)) { return i }
    return nil
}

/// rowid, oid and _rowid_ name the rowid of a table that has no column so named.
func isRowidName(_ name: String) -> Bool {
    namesMatch(name, "rowid") || namesMatch(name, "oid") || namesMatch(name, "_rowid_")
}
