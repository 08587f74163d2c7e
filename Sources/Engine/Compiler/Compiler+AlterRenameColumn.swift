// Compiler+AlterRenameColumn: ALTER TABLE t RENAME [COLUMN] old TO new
// (https://sqlite.org/lang_altertable.html; alter.c's sqlite3AlterRenameColumn
// and sqlite_rename_column).
//
// Every token that names the column is replaced and the rest of each
// statement's text is left as written: in the table's CREATE TABLE, the
// column's definition, PRIMARY KEY and UNIQUE column lists, CHECK and
// generated-column expressions, FOREIGN KEY column lists and a REFERENCES
// clause naming the table itself; in the table's indexes, their columns and
// WHERE clause; in other tables, REFERENCES clauses naming the table. A token
// becomes the new name as written when neither it nor the new name was quoted,
// else the new name in double quotes (renameEditSql). The schema is then
// compiled again (testSchemaAfterAlter), which reports a name now used twice as
// sqlite3 does ("error in table t after rename: duplicate column name: x").
//
// sqlite3 also rewrites views and triggers, resolving their names by scope.
// swiftdb does not yet: while a view or trigger (of the table's database or
// temp) holds any token spelling the column's name, the rename is refused as
// not supported, since a query there could name the column and, renamed
// around, silently come to name another.

import Base
import SQL

extension Compiler {
    func compileRenameColumn(_ t: Table, _ old: Identifier, to new: Identifier, written: String,
                             database db: Int) throws(DBError) {
        guard let ci = t.columnIndex(old.name) else {
            var error = DBError(.error, "no such column: \"\(written)\"")
            if old.range.end > old.range.start { error.offset = Int(old.range.start) }
            throw error
        }
        let column = t.columns[ci].name
        let tableName = t.name
        let quoteAll = new.quoting != .none
        let connection = self.connection
        emitNative("ALTER TABLE RENAME COLUMN") { (vm: VM) throws(DBError) -> [[Value]]? in
            for schema in db == 0 ? [0, 1] : [db] {
                try connection.forEachSchemaRow(database: schema) { (type, name, sql) throws(DBError) in
                    if type == "view" || type == "trigger", NameMentions.contains(column, in: Array(sql.utf8)) {
                        throw DBError(.error, "ALTER TABLE RENAME COLUMN is not supported yet for a column "
                                      + "a view or trigger may name (\(type) \(name) names \"\(column)\")")
                    }
                }
            }
            try connection.rewriteSchemaRows(database: db) { v in
                guard v.count >= 5, let type = v[0].textString, let owner = v[2].textString,
                      let sql = v[4].textString else { return nil }
                let ownTable = namesMatch(owner, tableName)
                guard type == "table" || (type == "index" && ownTable) else { return nil }
                let bytes = Array(sql.utf8)
                guard let parsed = try? SchemaLoader.parseSchemaStatement(bytes) else { return nil }
                var refs = ColumnNameReferences(table: tableName, column: column)
                refs.scan(parsed.command, ownTable: ownTable)
                guard !refs.tokens.isEmpty else { return nil }
                var w = v
                w[4] = .text(Compiler.replacing(refs.tokens, in: bytes, with: new.name, quoteAll: quoteAll))
                return w
            }
            connection.schemaHash = nil  // alter.c's renameReloadSchema reads the whole schema again
            try connection.schemaChanged(vm, database: db)
            try Compiler.testSchemaAfterAlter(connection, database: db, table: tableName, when: "after rename")
            return nil
        }
    }

    /// renameEditSql: each token becomes `name` as written when it was a bare word and `quoteAll` is false,
    /// else `name` in double quotes (a space after it when a double quote follows the token).
    static func replacing(_ tokens: [Identifier], in bytes: [UInt8], with name: String, quoteAll: Bool) -> String {
        var out: [UInt8] = []
        var at = 0
        for id in tokens.sorted(by: { $0.range.start < $1.range.start }) {
            let r = Int(id.range.start)..<Int(id.range.end)
            guard r.lowerBound >= at, r.upperBound <= bytes.count else { continue }
            out += bytes[at..<r.lowerBound]
            if !quoteAll && id.quoting == .none {
                out += Array(name.utf8)
            } else {
                out += Array(quotedIdentifier(name).utf8)
                if r.upperBound < bytes.count && bytes[r.upperBound] == UInt8(ascii: "\"") { out.append(0x20) }
            }
            at = r.upperBound
        }
        out += bytes[at...]
        return String(decoding: out, as: UTF8.self)
    }
}

/// The tokens of a CREATE TABLE or CREATE INDEX statement that name column `column` of table `table`.
struct ColumnNameReferences {
    let table: String
    let column: String
    private(set) var tokens: [Identifier] = []

    init(table: String, column: String) {
        self.table = table
        self.column = column
    }

    /// `ownTable`: the statement is the table's own CREATE TABLE or one of its indexes (else only REFERENCES
    /// clauses naming the table count).
    mutating func scan(_ command: Command, ownTable: Bool) {
        switch command {
        case .createTable(let c):
            guard case .definition(let d) = c.body else { return }
            let own = ownTable && c.name.name.matches(table)
            for col in d.columns {
                if own && col.name.matches(column) { tokens.append(col.name) }
                for k in col.constraints {
                    switch k {
                    case .check(let e, _) where own: expression(e)
                    case .generated(let e, _) where own: expression(e)
                    case .references(let fk): references(fk)
                    default: break
                    }
                }
            }
            for k in d.constraints {
                switch k.kind {
                case .primaryKey(let terms, _, _) where own, .unique(let terms, _) where own:
                    for o in terms { expression(o.expr) }
                case .check(let e, _, _) where own:
                    expression(e)
                case .foreignKey(let columns, let fk):
                    if own { for id in columns where id.matches(column) { tokens.append(id) } }
                    references(fk)
                default:
                    break
                }
            }
        case .createIndex(let c):
            guard ownTable else { return }
            for o in c.columns { expression(o.expr) }
            if let w = c.whereClause { expression(w) }
        default:
            break
        }
    }

    /// `REFERENCES table(columns)`: the parent columns, when the parent is the table.
    private mutating func references(_ fk: ForeignKeyClause) {
        guard fk.table.matches(table) else { return }
        for id in fk.columns ?? [] where id.matches(column) { tokens.append(id) }
    }

    /// Column references in an expression of the table's own (CHECK, generated column, index), which can
    /// name no other table's columns.
    private mutating func expression(_ e: Expr) {
        visitExpressions(e) { x in
            if case .column(let ref) = x.kind, ref.column.matches(column), ref.table.map({ $0.matches(table) }) ?? true {
                tokens.append(ref.column)
            }
            return true
        }
    }
}
