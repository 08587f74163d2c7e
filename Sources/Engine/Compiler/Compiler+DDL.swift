// Compiler+DDL: CREATE and DROP of tables, indexes, views and triggers, and
// ALTER TABLE (lang_createtable.html, lang_createindex.html,
// lang_createview.html, lang_createtrigger.html, lang_droptable.html,
// lang_altertable.html).
//
// Errors sqlite3 reports at prepare time are raised while compiling. The
// work itself happens when the statement runs, in a native step: new
// b-trees are created, sqlite_schema rows written with the statement's
// original text (as SQLite stores it), the schema cookie bumped. Filling a
// new index, and CREATE TABLE … AS SELECT, are ordinary VM code after that
// step, reading the new root page from a register.

import Base
import Storage
import SQL

extension Compiler {
    /// Compiles statements that run as native steps. Returns whether the program needs a Transaction opcode.
    func compileNativeStatement(_ statement: Statement) throws(DBError) -> Bool {
        switch statement.command {
        case .createTable(let c): try compileCreateTable(c, statement)
        case .createIndex(let c): try compileCreateIndex(c, statement)
        case .createView(let c): try compileCreateView(c, statement)
        case .createTrigger(let c): try compileCreateTrigger(c, statement)
        case .createVirtualTable(let c):
            // swiftdb has no modules: as in sqlite3 without the module, the name is checked when the statement
            // is prepared and the module is missing when it runs (OP_VCreate).
            let db = try creationDatabase(c.name, temporary: false)
            if c.ifNotExists, try catalog(ofDatabase: db).table(c.name.name.name) != nil { return false }
            try checkNameFree(c.name.name.name, kind: "table", in: db)
            let module = c.module.name
            emitNative("CREATE VIRTUAL TABLE") { (_: VM) throws(DBError) -> [[Value]]? in
                throw DBError(.error, "no such module: \(module)")
            }
        case .drop(let d): try compileDrop(d)
        case .alterTable(let a): try compileAlterTable(a, statement)
        case .begin, .commit, .rollback, .savepoint, .release:
            try compileTransactionControl(statement.command)
            return false
        case .pragma(let p):
            return try compilePragma(p)
        case .analyze(let target): try compileAnalyze(target)
        case .vacuum(let v):
            try compileVacuum(v)
            return false
        case .reindex(let target): try compileReindex(target)
        case .attach: throw DBError(.error, "ATTACH is not supported yet")
        case .detach: throw DBError(.error, "DETACH is not supported yet")
        default: throw DBError(.internal, "statement is not native")
        }
        return true
    }

    /// Emits a native step and, if it yields rows, the loop that outputs them.
    func emitNative(_ name: String, columns: [String] = [], _ run: @escaping (VM) throws(DBError) -> [[Value]]?) {
        let cursor = b.allocateCursor()
        b.emit(.Native, cursor, 0, 0, .native(NativeStep(name, run)))
        guard !columns.isEmpty else { return }
        b.program.columnNames = columns
        b.program.columnDeclaredTypes = Array(repeating: nil, count: columns.count)
        let done = b.makeLabel()
        b.emit(.Rewind, cursor, done)
        let top = b.count
        let regs = b.allocateRegisters(columns.count)
        for i in 0..<columns.count { b.emit(.Column, cursor, Int32(i), regs + Int32(i)) }
        b.emit(.ResultRow, regs, Int32(columns.count))
        b.emit(.Next, cursor, top)
        b.resolve(done)
    }

    /// Fails when database `db` has a table, view or index named `name` (each database has its own names).
    private func checkNameFree(_ name: String, kind: String, in db: Int) throws(DBError) {
        // PRAGMA writable_schema lets internal names through, as sqlite3CheckObjectName does (VACUUM's copy
        // creates sqlite_stat1 from its CREATE statement).
        if namesMatch(String(name.prefix(7)), "sqlite_") && name.count >= 7 && !connection.writableSchema {
            throw DBError(.error, "object name reserved for internal use: \(name)")
        }
        let catalog = try self.catalog(ofDatabase: db)
        if let t = try catalog.table(name) {
            throw DBError(.error, kind == "index" ? "there is already a table named \(name)"
                          : "\(t.isView ? "view" : "table") \(name) already exists")
        }
        if try catalog.index(name) != nil {
            throw DBError(.error, kind == "index" ? "index \(name) already exists" : "there is already an index named \(name)")
        }
    }

    /// The database CREATE TABLE or VIEW `name` creates its object in: temp for TEMP (whose name may be
    /// qualified only with temp), else the database named, else main (build.c, sqlite3StartTable).
    private func creationDatabase(_ name: QualifiedName, temporary: Bool) throws(DBError) -> Int {
        let named = try name.schema.map { s throws(DBError) in try databaseIndex(s) }
        if temporary {
            if let named, named != 1 { throw DBError(.error, "temporary table name must be unqualified") }
            return 1
        }
        return named ?? 0
    }

    /// Marks the statement as changing database `db`'s schema (for its Transaction opcodes), opening the
    /// temp database for a temp object.
    private func writesSchema(of db: Int) throws(DBError) {
        writes = true
        if db == 1 {
            _ = try openTempCatalog()
            schemaWrites.temp = true
        } else {
            schemaWrites.main = true
        }
    }

    /// Fails when `select`, part of a main-database view or trigger, names a table of another database
    /// explicitly: the object could not be read without it (attach.c, sqlite3FixSelect).
    private func checkReferencesOwnDatabase(_ select: Select, kind: String, name: String, db: Int) throws(DBError) {
        guard db == 0 else { return }
        if let other = qualifiedTableNames(select).first(where: { q in
            q.schema.map { !namesMatch($0.name, "main") } ?? false
        }), let schema = other.schema {
            throw DBError(.error, "\(kind) \(name) cannot reference objects in database \(schema.name)")
        }
    }

    private func schemaText(_ statement: Statement) -> String {
        String(decoding: statement.schemaSQL(in: source) ?? [], as: UTF8.self)
    }

    // MARK: CREATE TABLE

    private func compileCreateTable(_ c: CreateTable, _ statement: Statement) throws(DBError) {
        let db = try creationDatabase(c.name, temporary: c.temporary)
        try writesSchema(of: db)
        let name = c.name.name.name
        let catalog = try self.catalog(ofDatabase: db)
        if try catalog.hasTableOrIndex(name) {
            if c.ifNotExists { return }
        }
        try checkNameFree(name, kind: "table", in: db)
        let connection = self.connection
        switch c.body {
        case .definition:
            let sql = schemaText(statement)
            let table = try SchemaBuilder.table(c, sql: sql, source: source)
            for check in table.checks { try validateSelfReference(check.expr, .check, table: table) }
            let needsSequence = try table.autoincrement ? catalog.table("sqlite_sequence") == nil : false
            emitNative("CREATE TABLE") { (vm: VM) throws(DBError) -> [[Value]]? in
                let tree = try connection.tree(ofDatabase: Int32(db))
                let root = try tree.createTree(table: !table.withoutRowid)
                try connection.insertSchemaRow(type: "table", name: table.name, table: table.name, root: root, sql: sql,
                                               database: db)
                for index in table.indexes where !(table.withoutRowid && index.origin == .primaryKey) {
                    let r = try tree.createTree(table: false)
                    try connection.insertSchemaRow(type: "index", name: index.name, table: table.name, root: r, sql: nil,
                                                   database: db)
                }
                if needsSequence {
                    let r = try tree.createTree(table: true)
                    try connection.insertSchemaRow(type: "table", name: "sqlite_sequence", table: "sqlite_sequence",
                                                   root: r, sql: "CREATE TABLE sqlite_sequence(name,seq)", database: db)
                }
                try connection.schemaChanged(vm, database: db)
                return nil
            }
        case .select(let s):
            // Columns named and typed after the SELECT's result (select.c's sqlite3ResultSetOfSelect).
            let rootReg = b.allocateRegisters()
            let temp = b.allocateCursor()
            b.emit(.OpenEphemeral, temp, 0)
            let info = try compileSelect(s, parent: nil, destination: .table(cursor: temp))
            var names: [String] = []
            for n in info.names {
                var candidate = n
                var k = 1
                while names.contains(where: { namesMatch($0, candidate) }) {
                    candidate = "\(n):\(k)"
                    k += 1
                }
                names.append(candidate)
            }
            let types = info.affinities.map { a -> String in
                switch a {
                case .text: return "TEXT"
                case .numeric: return "NUM"
                case .integer: return "INT"
                case .real: return "REAL"
                default: return ""
                }
            }
            let sql = Compiler.createTableStatement(name, columns: Array(zip(names, types)))
            emitNative("CREATE TABLE AS") { (vm: VM) throws(DBError) -> [[Value]]? in
                let root = try connection.tree(ofDatabase: Int32(db)).createTree(table: true)
                try connection.insertSchemaRow(type: "table", name: name, table: name, root: root, sql: sql, database: db)
                try connection.schemaChanged(vm, database: db)
                vm.registers[Int(rootReg)] = .integer(Int64(root))
                return nil
            }
            let target = b.allocateCursor()
            b.emit(.OpenWrite, target, rootReg, Int32(db), .none, 2)
            let done = b.makeLabel()
            b.emit(.Rewind, temp, done)
            let top = b.count
            let regs = b.allocateRegisters(info.count)
            for i in 0..<info.count { b.emit(.Column, temp, Int32(i), regs + Int32(i)) }
            let affs = info.affinities.map { $0 == .none ? Affinity.blob : $0 }
            let rec = b.allocateRegisters(), rowid = b.allocateRegisters()
            b.emit(.MakeRecord, regs, Int32(info.count), rec, .affinities(affs))
            b.emit(.NewRowid, target, rowid)
            b.emit(.Insert, target, rec, rowid)
            b.emit(.Next, temp, top)
            b.resolve(done)
        }
    }

    // MARK: CREATE INDEX

    private func compileCreateIndex(_ c: CreateIndex, _ statement: Statement) throws(DBError) {
        // The index goes in its table's database: the one named before the index's name, else the one
        // the table's name finds (temp first), as build.c's sqlite3CreateIndex decides.
        let named = try c.name.schema.map { s throws(DBError) in try databaseIndex(s) }
        guard let table = try findTable(c.table.name, schema: named == 0 ? Identifier("main") : c.name.schema) else {
            throw DBError(.error, "no such table: \(named == 1 ? "temp" : "main").\(c.table.name)")
        }
        let db = table.database
        try writesSchema(of: db)
        let name = c.name.name.name
        if try catalog(ofDatabase: db).index(name) != nil && c.ifNotExists { return }
        if table.isView { throw DBError(.error, "views may not be indexed") }
        if table.virtualModule != nil { throw DBError(.error, "virtual tables may not be indexed") }
        if table.isInternal && !namesMatch(table.name, "sqlite_stat1") {
            throw DBError(.error, "table \(namesMatch(table.name, "sqlite_schema") ? "sqlite_master" : table.name) may not be indexed")
        }
        try checkNameFree(name, kind: "index", in: db)
        let sql = schemaText(statement)
        let index = try SchemaBuilder.index(c, table: table, sql: sql)
        if let w = index.whereClause { try validateSelfReference(w, .partialIndex, table: table) }
        for column in index.columns {
            if case .expression(let e) = column.source { try validateSelfReference(e, .indexExpression, table: table) }
        }
        let rootReg = b.allocateRegisters()
        let connection = self.connection
        emitNative("CREATE INDEX") { (vm: VM) throws(DBError) -> [[Value]]? in
            let root = try connection.tree(ofDatabase: Int32(db)).createTree(table: false)
            try connection.insertSchemaRow(type: "index", name: name, table: table.name, root: root, sql: sql, database: db)
            try connection.schemaChanged(vm, database: db)
            vm.registers[Int(rootReg)] = .integer(Int64(root))
            return nil
        }
        try fillIndex(index, rootRegister: rootReg)
    }

    /// VM code that reads every row of the index's table, sorts the keys and writes them to the index
    /// (checking uniqueness for a UNIQUE index as the sorted keys go by).
    func fillIndex(_ index: Index, rootRegister: Int32) throws(DBError) {
        let table = index.table
        let tc = b.allocateCursor()
        if table.withoutRowid, let pk = table.primaryKeyIndex {
            b.emit(.OpenRead, tc, Int32(bitPattern: table.rootPage), Int32(table.database), .keyInfo(pk.keyInfo))
        } else {
            b.emit(.OpenRead, tc, Int32(bitPattern: table.rootPage), Int32(table.database))
        }
        let ic = b.allocateCursor()
        b.emit(.OpenWrite, ic, rootRegister, Int32(table.database), .keyInfo(index.keyInfo), 2)
        let fields = index.recordColumns.count
        let sorter = b.allocateCursor()
        b.emit(.SorterOpen, sorter, Int32(fields), 0, .keyInfo(index.keyInfo))
        let term = FromTerm(table: table, alias: nil, cursor: tc)
        let scope = Scope(terms: [term], parent: nil)
        let done = b.makeLabel()
        b.emit(.Rewind, tc, done)
        let top = b.count
        let next = b.makeLabel()
        if let w = index.whereClause { try jumpIfFalse(w, scope, next, jumpIfNull: true) }
        let regs = b.allocateRegisters(fields)
        for (k, col) in index.recordColumns.enumerated() {
            switch col.source {
            case .column(let i): try readTableColumn(term, i, regs + Int32(k))
            case .rowid: b.emit(.Rowid, tc, regs + Int32(k))
            case .expression(let e): try expr(e, scope, regs + Int32(k))
            }
        }
        let rec = b.allocateRegisters()
        b.emit(.MakeRecord, regs, Int32(fields), rec)
        b.emit(.SorterInsert, sorter, rec)
        b.resolve(next)
        b.emit(.Next, tc, top)
        b.resolve(done)
        let pseudo = b.allocateCursor(), data = b.allocateRegisters()
        b.emit(.OpenPseudo, pseudo, data, Int32(fields))
        let finished = b.makeLabel()
        b.emit(.SorterSort, sorter, finished)
        let keyCols = index.columns.count
        let loop: Int32
        if index.unique {
            // Each key after the first is compared with the one before it, still in `data` (sqlite3RefillIndex).
            let distinct = b.makeLabel()
            b.emit(.Goto, 0, distinct)
            loop = b.count
            b.emit(.SorterCompare, sorter, distinct, data, .int64(Int64(keyCols)))
            b.emit(.Halt, (index.origin == .primaryKey ? ResultCode.constraintPrimaryKey : .constraintUnique).rawValue,
                   Int32(ConflictAction.abort.rawValue), 0,
                   .string("UNIQUE constraint failed: \(constraintColumns(table, index))"))
            b.resolve(distinct)
        } else {
            loop = b.count
        }
        b.emit(.SorterData, sorter, data, pseudo)
        // The sorter's record is the index entry: it goes in as it is, after the tree's last entry.
        b.emit(.IdxInsert, ic, data, 0, .none, InsertFlags.bulkLoad)
        b.emit(.SorterNext, sorter, loop)
        b.resolve(finished)
    }

    // MARK: CREATE VIEW and CREATE TRIGGER

    private func compileCreateView(_ c: CreateView, _ statement: Statement) throws(DBError) {
        let db = try creationDatabase(c.name, temporary: c.temporary)
        try writesSchema(of: db)
        let name = c.name.name.name
        if try catalog(ofDatabase: db).table(name) != nil && c.ifNotExists { return }
        try checkNameFree(name, kind: "view", in: db)
        try checkReferencesOwnDatabase(c.select, kind: "view", name: name, db: db)
        let sql = schemaText(statement)
        let connection = self.connection
        emitNative("CREATE VIEW") { (vm: VM) throws(DBError) -> [[Value]]? in
            try connection.insertSchemaRow(type: "view", name: name, table: name, root: 0, sql: sql, database: db)
            try connection.schemaChanged(vm, database: db)
            return nil
        }
    }

    private func compileCreateTrigger(_ c: CreateTrigger, _ statement: Statement) throws(DBError) {
        // trigger.c, sqlite3BeginTrigger: a TEMP trigger goes in temp, its name unqualified; another goes in
        // the database named, else in temp when its table is a temp table, else main. A trigger outside temp
        // must be on a table of its own database.
        var db: Int
        if c.temporary {
            if c.name.schema != nil { throw DBError(.error, "temporary trigger may not have qualified name") }
            db = 1
        } else {
            db = try c.name.schema.map { s throws(DBError) in try databaseIndex(s) } ?? 0
            if c.name.schema == nil, c.table.schema == nil, try findTable(c.table.name.name, schema: nil)?.database == 1 {
                db = 1
            }
            if db == 0, let s = c.table.schema, !namesMatch(s.name, "main") {
                throw DBError(.error, "trigger \(c.name.name.name) cannot reference objects in database \(s.name)")
            }
        }
        try writesSchema(of: db)
        let name = c.name.name.name
        let target = db == 0 && c.table.schema == nil ? Identifier("main") : c.table.schema
        guard let table = try findTable(c.table.name.name, schema: target) else {
            throw DBError(.error, "no such table: \(db == 0 ? "main." : "")\(c.table.name.name)")
        }
        if table.virtualModule != nil { throw DBError(.error, "cannot create triggers on virtual tables") }
        if namesMatch(String(name.prefix(7)), "sqlite_") && name.count >= 7 {
            throw DBError(.error, "object name reserved for internal use: \(name)")
        }
        if try catalog(ofDatabase: db).trigger(name) != nil {
            if c.ifNotExists { return }
            throw DBError(.error, "trigger \(name) already exists")
        }
        if table.isView && c.timing != .insteadOf {
            throw DBError(.error, "cannot create \(c.timing == .after ? "AFTER" : "BEFORE") trigger on view: \(table.name)")
        }
        if !table.isView && c.timing == .insteadOf {
            throw DBError(.error, "cannot create INSTEAD OF trigger on table: \(table.name)")
        }
        if table.isInternal { throw DBError(.error, "cannot create trigger on system table") }
        let sql = schemaText(statement)
        let tableName = table.name
        let connection = self.connection
        emitNative("CREATE TRIGGER") { (vm: VM) throws(DBError) -> [[Value]]? in
            try connection.insertSchemaRow(type: "trigger", name: name, table: tableName, root: 0, sql: sql, database: db)
            try connection.schemaChanged(vm, database: db)
            return nil
        }
    }

    // MARK: DROP

    private func compileDrop(_ d: Drop) throws(DBError) {
        writes = true
        let name = d.name.name.name
        let connection = self.connection
        switch d.kind {
        case .table, .view:
            guard let t = try findTable(name, schema: d.name.schema) else {
                if d.ifExists { return }
                throw DBError(.error, "no such \(d.kind == .table ? "table" : "view"): \(d.name)")
            }
            if d.kind == .table && t.isView { throw DBError(.error, "use DROP VIEW to delete view \(t.name)") }
            if let module = t.virtualModule { throw DBError(.error, "no such module: \(module)") }
            if d.kind == .view && !t.isView { throw DBError(.error, "use DROP TABLE to delete table \(t.name)") }
            // build.c, tableMayNotBeDropped: sqlite_stat* and sqlite_parameters (the shell's) may go.
            let lower = t.name.lowercased()
            if t.isInternal && !lower.hasPrefix("sqlite_stat") && !lower.hasPrefix("sqlite_parameters") {
                throw DBError(.error, "table \(t.rootPage == 1 ? (t.database == 1 ? "sqlite_temp_master" : "sqlite_master") : t.name) may not be dropped")
            }
            let roots = t.isView ? [] : [t.rootPage] + t.indexes.filter { !(t.withoutRowid && $0.origin == .primaryKey) }
                .map(\.rootPage)
            let tableName = t.name
            let isView = t.isView
            let autoincrement = t.autoincrement
            let db = t.database
            try writesSchema(of: db)
            // Temp triggers on a main-database table go with it (build.c, sqlite3DropTable).
            let tempTriggers = db == 0 ? (tempCatalog?.triggers(onTableOf: t).map(\.name) ?? []) : []
            if !tempTriggers.isEmpty { try writesSchema(of: 1) }
            let ownTriggers = t.triggers.map(\.name)
            emitNative("DROP") { (vm: VM) throws(DBError) -> [[Value]]? in
                let tree = try connection.tree(ofDatabase: Int32(db))
                // Drop the highest root first, so auto-vacuum moves never touch a root still to be dropped.
                for root in roots.sorted(by: >) {
                    if let (from, to) = try tree.dropTree(root) { try connection.moveSchemaRoot(from: from, to: to, database: db) }
                }
                // The table's rows and its own triggers' (a temp trigger on a main table of the same name as a
                // temp table stays: build.c deletes triggers by name, from sqlite3TriggerList).
                try connection.deleteSchemaRows(database: db) { type, n, tbl in
                    namesMatch(tbl, tableName) && (type != "trigger" || ownTriggers.contains { namesMatch($0, n) })
                }
                if !tempTriggers.isEmpty {
                    try connection.deleteSchemaRows(database: 1) { type, n, _ in
                        type == "trigger" && tempTriggers.contains { namesMatch($0, n) }
                    }
                    try connection.schemaChanged(vm, database: 1)
                }
                if autoincrement { try connection.deleteSequenceRow(tableName, database: db) }
                if !isView { try connection.deleteStatisticsRows(.tbl, name: tableName, database: db) }
                if db == 0 { connection.schemaHash?.remove(foldName(tableName)) }
                try connection.schemaChanged(vm, database: db)
                return nil
            }
        case .index:
            guard let index = try findIndex(name, schema: d.name.schema) else {
                if d.ifExists { return }
                throw DBError(.error, "no such index: \(d.name)")
            }
            let db = index.table.database
            try writesSchema(of: db)
            if index.origin != .createIndex {
                throw DBError(.error, "index associated with UNIQUE or PRIMARY KEY constraint cannot be dropped")
            }
            let root = index.rootPage
            let indexName = index.name
            emitNative("DROP INDEX") { (vm: VM) throws(DBError) -> [[Value]]? in
                if let (from, to) = try connection.tree(ofDatabase: Int32(db)).dropTree(root) {
                    try connection.moveSchemaRoot(from: from, to: to, database: db)
                }
                try connection.deleteSchemaRows(database: db) { type, n, _ in type == "index" && namesMatch(n, indexName) }
                try connection.deleteStatisticsRows(.idx, name: indexName, database: db)
                try connection.schemaChanged(vm, database: db)
                return nil
            }
        case .trigger:
            guard let trigger = try findTrigger(name, schema: d.name.schema) else {
                if d.ifExists { return }
                throw DBError(.error, "no such trigger: \(d.name)")
            }
            let triggerName = trigger.name
            let db = trigger.database
            try writesSchema(of: db)
            emitNative("DROP TRIGGER") { (vm: VM) throws(DBError) -> [[Value]]? in
                try connection.deleteSchemaRows(database: db) { type, n, _ in type == "trigger" && namesMatch(n, triggerName) }
                try connection.schemaChanged(vm, database: db)
                return nil
            }
        }
    }

    // MARK: ALTER TABLE

    private func compileAlterTable(_ a: AlterTable, _ statement: Statement) throws(DBError) {
        guard let t = try findTable(a.table.name.name, schema: a.table.schema) else {
            throw DBError(.error, "no such table: \(a.table)")
        }
        let db = t.database
        try writesSchema(of: db)
        if let module = t.virtualModule {
            if case .addColumn = a.action { throw DBError(.error, "virtual tables may not be altered") }
            throw DBError(.error, "no such module: \(module)")
        }
        if t.isView {
            switch a.action {
            case .addColumn: throw DBError(.error, "Cannot add a column to a view")
            case .dropColumn: throw DBError(.error, "cannot drop column from view \"\(t.name)\"")
            case .renameColumn: throw DBError(.error, "cannot rename columns of view \"\(t.name)\"")
            case .renameTable: throw DBError(.error, "view \(t.name) may not be altered")  // alter.c
            }
        }
        if t.isInternal {
            throw DBError(.error, "table \(namesMatch(t.name, "sqlite_schema") ? "sqlite_master" : t.name) may not be altered")
        }
        let connection = self.connection
        switch a.action {
        case .addColumn(let def, let textRange):
            var colText = text(textRange)
            while let last = colText.last, last == ";" || last == " " || last == "\n" || last == "\t" { colText.removeLast() }
            var nonConstantDefault = false, stored = false
            for k in def.constraints {
                switch k {
                case .primaryKey: throw DBError(.error, "Cannot add a PRIMARY KEY column")
                case .unique: throw DBError(.error, "Cannot add a UNIQUE column")
                case .generated(_, let storage) where storage == .stored:
                    // Its value would have to be computed for every row: an error only when there are rows.
                    stored = true
                case .defaultValue(let v, _):
                    // sqlite3ValueFromExpr cannot evaluate it: an error only when the table has rows.
                    if case .expression(let e) = v, !Compiler.isPlainValue(e) { nonConstantDefault = true }
                default: break
                }
            }
            if t.columnIndex(def.name.name) != nil { throw DBError(.error, "duplicate column name: \(def.name.name)") }
            let oldSQL = t.sql
            guard let close = oldSQL.lastIndex(of: ")") else { throw DBError.corrupt("table \(t.name) has no definition") }
            let newSQL = String(oldSQL[..<close]) + ", " + colText + String(oldSQL[close...])
            let tableName = t.name
            var notNullWithoutDefault = false
            for k in def.constraints {
                if case .notNull = k { notNullWithoutDefault = true }
            }
            for k in def.constraints {
                // A generated column is not checked for NOT NULL here (sqlite3AlterFinishAddColumn).
                if case .defaultValue = k { notNullWithoutDefault = false }
                if case .generated = k { notNullWithoutDefault = false }
            }
            let root = t.rootPage
            emitNative("ALTER TABLE") { (vm: VM) throws(DBError) -> [[Value]]? in
                let tree = try connection.tree(ofDatabase: Int32(db))
                if notNullWithoutDefault {
                    let c = BTreeCursor(tree: tree, root: root, isTable: true)
                    if try c.first() { throw DBError(.error, "Cannot add a NOT NULL column with default value NULL") }
                }
                if nonConstantDefault {
                    let c = BTreeCursor(tree: tree, root: root, isTable: true)
                    if try c.first() { throw DBError(.error, "Cannot add a column with non-constant default") }
                }
                if stored {
                    let c = BTreeCursor(tree: tree, root: root, isTable: true)
                    if try c.first() { throw DBError(.error, "cannot add a STORED column") }
                }
                try connection.replaceTableSQL(tableName, with: newSQL, database: db)
                connection.schemaHash = nil  // alter.c's renameReloadSchema reads the whole schema again
                try connection.schemaChanged(vm, database: db)
                return nil
            }
        case .renameTable(let to):
            let newName = to.name
            if try catalog(ofDatabase: db).hasTableOrIndex(newName) {
                throw DBError(.error, "there is already another table or index with this name: \(newName)")
            }
            try checkNameFree(newName, kind: "table", in: db)
            let oldName = t.name
            // The table's own CREATE statement must take the new name, whatever else does.
            guard let tableSQL = Compiler.renameTableReferences(t.sql, from: oldName, to: newName) else {
                throw DBError.corrupt("cannot rename table \(oldName): its CREATE TABLE statement does not parse")
            }
            let tempTriggers = db == 0 ? (tempCatalog?.triggers(onTableOf: t).map(\.name) ?? []) : []
            if !tempTriggers.isEmpty { try writesSchema(of: 1) }
            emitNative("ALTER TABLE RENAME") { (vm: VM) throws(DBError) -> [[Value]]? in
                // Every object's SQL that names the table is rewritten (TableNameReferences.swift); the
                // table's own rows (itself, its indexes and triggers) also take the new name as tbl_name.
                try connection.rewriteSchemaRows(database: db) { v in
                    guard v.count >= 5 else { return nil }
                    var w = v
                    if let sql = v[4].textString, let renamed = Compiler.renameTableReferences(sql, from: oldName, to: newName) {
                        w[4] = .text(renamed)
                    }
                    if let tbl = v[2].textString, namesMatch(tbl, oldName) {
                        w[2] = .text(newName)
                        if v[0].textString == "table" {
                            w[1] = .text(newName)
                            w[4] = .text(tableSQL)
                        } else if let n = v[1].textString, n.hasPrefix("sqlite_autoindex_\(oldName)_") {
                            w[1] = .text("sqlite_autoindex_\(newName)_" + n.dropFirst("sqlite_autoindex_\(oldName)_".count))
                        }
                    }
                    return w == v ? nil : w
                }
                if !tempTriggers.isEmpty {
                    // Temp triggers on the renamed main-database table follow it (alter.c, sqlite3AlterRenameTable).
                    try connection.rewriteSchemaRows(database: 1) { v in
                        guard v.count >= 5, v[0].textString == "trigger", let n = v[1].textString,
                              tempTriggers.contains(where: { namesMatch($0, n) }), let sql = v[4].textString else { return nil }
                        var w = v
                        w[2] = .text(newName)
                        w[4] = .text(Compiler.renameTableReferences(sql, from: oldName, to: newName) ?? sql)
                        return w
                    }
                    try connection.schemaChanged(vm, database: 1)
                }
                try connection.renameSequenceRow(from: oldName, to: newName, database: db)
                connection.schemaHash = nil  // alter.c's renameReloadSchema reads the whole schema again
                try connection.schemaChanged(vm, database: db)
                // A view or trigger the rename leaves unusable fails the statement (a name SQLite does not
                // rewrite, such as `x IN table`).
                try Compiler.testSchemaAfterAlter(connection, database: db, table: newName, when: "after rename")
                return nil
            }
        case .dropColumn(let name):
            try compileDropColumn(t, name, database: db)
        case .renameColumn(let old, let new):
            try compileRenameColumn(t, old, to: new, written: text(old.range), database: db)
        }
    }

    /// An expression sqlite3ValueFromExpr evaluates without running code: a literal (not
    /// CURRENT_TIME/DATE/TIMESTAMP), TRUE/FALSE, or such a value under unary +/- or CAST.
    static func isPlainValue(_ e: Expr) -> Bool {
        switch e.kind {
        case .literal(let l): return l != .currentTime && l != .currentDate && l != .currentTimestamp
        case .unary(.plus, let x), .unary(.negate, let x), .cast(let x, _): return isPlainValue(x)
        case .column(let ref): return ref.table == nil && ref.column.isBooleanKeyword
        default: return false
        }
    }

    /// `sql` with every token naming table `old` replaced by `new` in double quotes (alter.c's
    /// renameEditSql for sqlite_rename_table); nil when nothing in it names the table.
    static func renameTableReferences(_ sql: String, from old: String, to new: String) -> String? {
        let bytes = Array(sql.utf8)
        guard let parsed = try? SchemaLoader.parseSchemaStatement(bytes) else { return nil }
        let ranges = TableNameReferences.find(old, in: parsed.command)
        guard !ranges.isEmpty, ranges.allSatisfy({ $0.upperBound <= bytes.count }) else { return nil }
        var out: [UInt8] = []
        var at = 0
        let replacement = Array(quotedIdentifier(new).utf8)
        for r in ranges where r.lowerBound >= at {
            out += bytes[at..<r.lowerBound]
            out += replacement
            at = r.upperBound
        }
        out += bytes[at...]
        return String(decoding: out, as: UTF8.self)
    }
}

extension Compiler {
    /// The CREATE TABLE text sqlite3 writes for CREATE TABLE … AS SELECT (build.c's createTableStmt): on one
    /// line when the names are short (their quoted lengths plus five each, and the table's, under 50 bytes),
    /// else one column per line.
    static func createTableStatement(_ name: String, columns: [(name: String, type: String)]) -> String {
        func quotedLength(_ s: String) -> Int { s.utf8.count + s.utf8.filter { $0 == 0x22 }.count + 2 }
        let n = columns.reduce(quotedLength(name)) { $0 + quotedLength($1.name) + 5 }
        let (first, between, end) = n < 50 ? ("", ",", ")") : ("\n  ", ",\n  ", "\n)")
        var sql = "CREATE TABLE " + createTableIdentifier(name) + "("
        for (i, c) in columns.enumerated() {
            sql += (i == 0 ? first : between) + createTableIdentifier(c.name) + (c.type.isEmpty ? "" : " " + c.type)
        }
        return sql + end
    }

    /// build.c's identPut: bare only when made of ASCII letters, digits and '_', not starting with a digit,
    /// and not a keyword; otherwise in double quotes.
    static func createTableIdentifier(_ name: String) -> String {
        let bytes = Array(name.utf8)
        let plain = !bytes.isEmpty && !(bytes[0] >= 0x30 && bytes[0] <= 0x39) && bytes.allSatisfy { c in
            (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x5F
        } && !isSQLKeyword(name)
        return plain ? name : quotedIdentifier(name)
    }
}

/// An identifier always in double quotes (as ALTER TABLE RENAME writes the new name: "%w").
func quotedIdentifier(_ name: String) -> String {
    "\"" + name.replacingAll("\"", with: "\"\"") + "\""
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for ch in self {
            if ch == target { out += replacement } else { out.append(ch) }
        }
        return out
    }
}
