// SchemaBuilder: catalog objects from parsed CREATE statements, following
// SQLite's rules (lang_createtable.html):
// - a single-column PRIMARY KEY on a column declared exactly INTEGER (any
//   case), not DESC, makes that column the rowid alias ("INTEGER PRIMARY
//   KEY"); any other PRIMARY KEY, and every UNIQUE constraint, gets an
//   automatic index named sqlite_autoindex_<table>_<n>, numbered in the order
//   the constraints are written; a UNIQUE over exactly the columns (and
//   collations) of an earlier one adds no index;
// - in a WITHOUT ROWID table the PRIMARY KEY is the table's own b-tree: its
//   records hold the key columns first, then the other columns in order.

import Base
import SQL

enum SchemaBuilder {
    /// A table and the automatic indexes its constraints imply (root pages not yet known).
    /// `source` is the text the statement was parsed from (DEFAULT texts are cut from it).
    static func table(_ c: CreateTable, sql: String, source: [UInt8]) throws(DBError) -> Table {
        guard case .definition(let def) = c.body else { throw DBError(.internal, "CREATE TABLE AS has no definition") }
        let t = Table(name: c.name.name.name, sql: sql)
        t.withoutRowid = def.withoutRowID
        t.strict = def.strict
        var seen = Set<String>()
        for cd in def.columns {
            let name = cd.name.name
            guard seen.insert(foldName(name)).inserted else {
                throw DBError(.error, "duplicate column name: \(name)")
            }
            let col = Column(name: name, declaredType: cd.type?.declaredType ?? "")
            if def.strict {
                // build.c's sqlite3EndTable: a STRICT table's columns name one of its six types.
                guard !col.declaredType.isEmpty else { throw DBError(.error, "missing datatype for \(t.name).\(name)") }
                guard let type = StrictColumnTypes.DeclaredType(rawValue: col.declaredType.uppercased()) else {
                    throw DBError(.error, "unknown datatype for \(t.name).\(name): \"\(col.declaredType)\"")
                }
                // ANY keeps every value as given (BLOB affinity), where a plain table's ANY column is NUMERIC.
                if type == .any { col.affinity = .blob }
            }
            t.columns.append(col)
        }
        var autoIndexNumber = 0
        var pendingPK: (columns: [(Int, SortOrder?)], conflict: ConflictResolution?, autoincrement: Bool)?
        for (ci, cd) in def.columns.enumerated() {
            var constraintName: String?
            for k in cd.constraints {
                switch k {
                case .name(let n): constraintName = n.name
                case .primaryKey(let order, let conflict, let autoinc):
                    guard pendingPK == nil else { throw DBError(.error, "table \"\(t.name)\" has more than one primary key") }
                    pendingPK = ([(ci, order)], conflict, autoinc)
                    try addPrimaryKey(t, pendingPK!, autoIndexNumber: &autoIndexNumber)
                case .notNull(let conflict):
                    t.columns[ci].notNull = true
                    t.columns[ci].notNullConflict = conflictAction(conflict)
                case .null: break
                case .unique(let conflict):
                    try addUnique(t, [(ci, nil, nil)], conflict, autoIndexNumber: &autoIndexNumber)
                case .check(let e, _): t.checks.append((constraintName, e))
                case .defaultValue(let v, let text):
                    if t.columns[ci].generated != nil {
                        throw DBError(.error, "cannot use DEFAULT on a generated column")
                    }
                    switch v {
                    case .expression(let e): t.columns[ci].defaultValue = e
                    case .identifier(let id):
                        // DEFAULT TRUE / FALSE are the integers 1 and 0; other bare names are strings.
                        let folded = id.name.lowercased()
                        if folded == "true" || folded == "false" {
                            let one = NumericLiteral(text: folded == "true" ? "1" : "0", kind: .integer)
                            t.columns[ci].defaultValue = Expr(.literal(.numeric(one)))
                        } else {
                            t.columns[ci].defaultValue = Expr(.literal(.string(Array(id.name.utf8))))
                        }
                    }
                    t.columns[ci].defaultText = sqlText(text, source)
                case .collate(let name):
                    guard let coll = Collation(name: name.name) else {
                        throw DBError(.errorMissingCollseq, "no such collation sequence: \(name.name)")
                    }
                    t.columns[ci].collation = coll
                case .references, .deferrable: break
                case .generated(let e, let storage):
                    if t.columns[ci].defaultValue != nil {
                        throw DBError(.error, "error in generated column \"\(t.columns[ci].name)\"")
                    }
                    t.columns[ci].generated = (e, storage ?? .virtual)
                    if t.columns[ci].primaryKeyPosition > 0 {
                        throw DBError(.error, "generated columns cannot be part of the PRIMARY KEY")
                    }
                }
            }
        }
        var tableConstraintName: String?
        for tc in def.constraints {
            // CONSTRAINT name applies to the constraints after it, up to the next comma.
            if tc.afterComma { tableConstraintName = nil }
            switch tc.kind {
            case .name(let id): tableConstraintName = id.name
            case .primaryKey(let terms, let autoinc, let conflict):
                guard pendingPK == nil else { throw DBError(.error, "table \"\(t.name)\" has more than one primary key") }
                var cols: [(Int, SortOrder?)] = []
                for term in terms {
                    let i = try constraintColumn(t, term.expr)
                    cols.append((i, term.order))
                }
                pendingPK = (cols, conflict, autoinc)
                try addPrimaryKey(t, pendingPK!, autoIndexNumber: &autoIndexNumber)
            case .unique(let terms, let conflict):
                var cols: [(Int, SortOrder?, Collation?)] = []
                for term in terms {
                    var coll: Collation?
                    if case .collate(_, let name) = term.expr.kind { coll = Collation(name: name.name) }
                    let i = try constraintColumn(t, term.expr)
                    cols.append((i, term.order, coll))
                }
                try addUnique(t, cols, conflict, autoIndexNumber: &autoIndexNumber)
            case .check(let e, _, _): t.checks.append((tableConstraintName, e))
            case .foreignKey: break
            }
        }
        if t.withoutRowid {
            guard t.primaryKeyIndex != nil else { throw DBError(.error, "PRIMARY KEY missing on table \(t.name)") }
            // Primary-key columns of a WITHOUT ROWID table are NOT NULL.
            for c in t.primaryKey { t.columns[c].notNull = true }
        }
        if t.columns.allSatisfy({ $0.generated != nil }) {
            throw DBError(.error, "must have at least one non-generated column")
        }
        return t
    }

    private static func addPrimaryKey(_ t: Table, _ pk: (columns: [(Int, SortOrder?)], conflict: ConflictResolution?,
                                                         autoincrement: Bool),
                                      autoIndexNumber: inout Int) throws(DBError) {
        if pk.columns.contains(where: { t.columns[$0.0].generated != nil }) {
            throw DBError(.error, "generated columns cannot be part of the PRIMARY KEY")
        }
        t.primaryKey = pk.columns.map(\.0)
        t.primaryKeyDescending = pk.columns.map { $0.1 == .descending }
        t.primaryKeyConflict = conflictAction(pk.conflict)
        for (n, (c, _)) in pk.columns.enumerated() { t.columns[c].primaryKeyPosition = n + 1 }
        if pk.autoincrement && t.withoutRowid && pk.columns.count == 1
            && namesMatch(t.columns[pk.columns[0].0].declaredType, "INTEGER") && pk.columns[0].1 != .descending {
            throw DBError(.error, "AUTOINCREMENT not allowed on WITHOUT ROWID tables")
        }
        if pk.columns.count == 1, !t.withoutRowid, namesMatch(t.columns[pk.columns[0].0].declaredType, "INTEGER"),
           pk.columns[0].1 != .descending {
            t.rowidAlias = pk.columns[0].0
            t.autoincrement = pk.autoincrement
            return
        }
        if pk.autoincrement { throw DBError(.error, "AUTOINCREMENT is only allowed on an INTEGER PRIMARY KEY") }
        autoIndexNumber += 1
        let index = Index(name: "sqlite_autoindex_\(t.name)_\(autoIndexNumber)", table: t)
        index.origin = .primaryKey
        index.unique = true
        index.onConflict = t.primaryKeyConflict
        index.columns = pk.columns.map { c, order in
            IndexColumn(source: .column(c), collation: t.columns[c].collation, descending: order == .descending)
        }
        t.indexes.append(index)
    }

    private static func addUnique(_ t: Table, _ cols: [(Int, SortOrder?, Collation?)], _ conflict: ConflictResolution?,
                                  autoIndexNumber: inout Int) throws(DBError) {
        let columns = cols.map { c, order, coll in
            IndexColumn(source: .column(c), collation: coll ?? t.columns[c].collation, descending: order == .descending)
        }
        // A UNIQUE constraint identical to an earlier one (or to the primary key) adds no index.
        for existing in t.indexes where existing.columns.count == columns.count {
            let same = zip(existing.columns, columns).allSatisfy { a, b in
                if case .column(let x) = a.source, case .column(let y) = b.source { return x == y && a.collation == b.collation }
                return false
            }
            if same { return }
        }
        if cols.count == 1, let alias = t.rowidAlias, cols[0].0 == alias { return }
        autoIndexNumber += 1
        let index = Index(name: "sqlite_autoindex_\(t.name)_\(autoIndexNumber)", table: t)
        index.origin = .unique
        index.unique = true
        index.onConflict = conflictAction(conflict)
        index.columns = columns
        t.indexes.append(index)
    }

    /// An index from CREATE INDEX on `table`.
    /// The column a PRIMARY KEY or UNIQUE table constraint names: a bare name that is no column is "no such
    /// column" (with the caret at it), anything else an expression (build.c, sqlite3AddPrimaryKey and
    /// sqlite3CreateIndex).
    private static func constraintColumn(_ t: Table, _ e: Expr) throws(DBError) -> Int {
        guard case .column(let ref) = stripCollate(e).kind, ref.table == nil else {
            throw DBError(.error, "expressions prohibited in PRIMARY KEY and UNIQUE constraints")
        }
        guard let i = t.columnIndex(ref.column.name) else {
            // A double-quoted name that is no column is a string (quirks.html#dblquote): an expression.
            if ref.column.quoting == .doubleQuotes {
                throw DBError(.error, "expressions prohibited in PRIMARY KEY and UNIQUE constraints")
            }
            var error = DBError(.error, "no such column: \(ref.column.name)")
            let r = ref.column.range
            if r.end > r.start { error.offset = Int(r.start) }
            throw error
        }
        return i
    }

    static func index(_ c: CreateIndex, table t: Table, sql: String) throws(DBError) -> Index {
        let index = Index(name: c.name.name.name, table: t)
        index.unique = c.unique
        index.sql = sql
        index.whereClause = c.whereClause
        for term in c.columns {
            var coll: Collation?
            var e = term.expr
            while case .collate(let inner, let name) = e.kind {
                guard let cl = Collation(name: name.name) else {
                    throw DBError(.errorMissingCollseq, "no such collation sequence: \(name.name)")
                }
                if coll == nil { coll = cl }
                e = inner
            }
            let source: IndexColumn.Source
            if case .column(let ref) = e.kind, ref.table == nil, let i = t.columnIndex(ref.column.name) {
                source = .column(i)
            } else if case .column(let ref) = e.kind, ref.table == nil, ref.column.quoting == .doubleQuotes {
                // A double-quoted name that is no column is a string: SQLite refuses it in an index.
                throw DBError(.error, "no such column: \(ref.column.name)")
            } else if case .column(let ref) = e.kind, ref.table == nil {
                throw DBError(.error, "no such column: \(ref.column.name)")
            } else {
                source = .expression(e)
            }
            var defaultColl = Collation.binary
            if case .column(let i) = source { defaultColl = t.columns[i].collation }
            index.columns.append(IndexColumn(source: source, collation: coll ?? defaultColl,
                                             descending: term.order == .descending))
        }
        return index
    }

    static func conflictAction(_ c: ConflictResolution?) -> ConflictAction {
        switch c {
        case .rollback: return .rollback
        case .fail: return .fail
        case .ignore: return .ignore
        case .replace: return .replace
        case .abort, .none: return .abort
        }
    }

    static func stripCollate(_ e: Expr) -> Expr {
        var x = e
        while case .collate(let inner, _) = x.kind { x = inner }
        return x
    }

    static func sqlText(_ r: SourceRange, _ source: [UInt8]) -> String {
        let b = r.bounds.clamped(to: 0..<source.count)
        return String(decoding: source[b], as: UTF8.self)
    }
}
