// Compiler+Databases: which database a name means — main (0) or temp (1) —
// and which databases a program reads and writes.
//
// An unqualified table, index or trigger name is looked up in temp first, then
// main (build.c, sqlite3FindTable and sqlite3FindIndex). Inside a view or
// trigger of the main database, unqualified names mean main only: sqlite3
// binds them to the object's own schema when it is created (attach.c,
// sqlite3FixSrcList), so a TEMP table never shadows what a main view reads.
// A name qualified with `main.` or `temp.` is looked up there only; any other
// schema name is "unknown database" (ATTACH is not supported yet).
//
// The temp database's schema table answers to sqlite_temp_master and
// sqlite_temp_schema unqualified, and to any schema-table name after `temp.`.

import Base
import SQL

extension Compiler {
    /// The database `schema` names: 0 for main, 1 for temp.
    func databaseIndex(_ schema: Identifier) throws(DBError) -> Int {
        if namesMatch(schema.name, "main") { return 0 }
        if namesMatch(schema.name, "temp") { return 1 }
        // The name as written, quotes and all (build.c, sqlite3TwoPartName's "%T"), located at it.
        let written = schema.range.end > schema.range.start && Int(schema.range.end) <= source.count
            ? text(schema.range) : schema.name
        var error = DBError(.error, "unknown database \(written)")
        if schema.range.end > schema.range.start { error.offset = Int(schema.range.start) }
        throw error
    }

    /// The temp schema, opening the temp database (empty) if no statement has named it yet.
    func openTempCatalog() throws(DBError) -> Catalog {
        if let tempCatalog { return tempCatalog }
        let c = try connection.openTempDatabase().catalog
        tempCatalog = c
        return c
    }

    /// The schema of database `db`.
    func catalog(ofDatabase db: Int) throws(DBError) -> Catalog {
        db == 1 ? try openTempCatalog() : catalog
    }

    /// The catalog `table` belongs to (its planner data is kept there).
    func schemaCatalog(of table: Table) -> Catalog {
        table.database == 1 ? tempCatalog ?? catalog : catalog
    }

    private static func isSchemaTableName(_ folded: String) -> Bool {
        folded == "sqlite_master" || folded == "sqlite_schema" || isTempSchemaTableName(folded)
    }

    private static func isTempSchemaTableName(_ folded: String) -> Bool {
        folded == "sqlite_temp_master" || folded == "sqlite_temp_schema"
    }

    /// The database `schema` names, or nil when it names none (a lookup then finds nothing: "no such table:
    /// x.t", where DDL that creates in it says "unknown database x").
    private func knownDatabase(_ schema: Identifier) -> Int? {
        namesMatch(schema.name, "main") ? 0 : namesMatch(schema.name, "temp") ? 1 : nil
    }

    /// What `lookup` finds in the database `schema` names, else in temp then main (main only inside a
    /// main-database view or trigger), or nil.
    private func find<T>(schema: Identifier?, _ lookup: (Catalog) throws(DBError) -> T?) throws(DBError) -> T? {
        if let schema {
            guard let db = knownDatabase(schema) else { return nil }
            return try lookup(catalog(ofDatabase: db))
        }
        if schemaObjectDatabases.last != 0, let tempCatalog, let found = try lookup(tempCatalog) { return found }
        return try lookup(catalog)
    }

    /// The table or view `name` (after `schema` when given), or nil.
    func findTable(_ name: String, schema: Identifier?) throws(DBError) -> Table? {
        let folded = foldName(name)
        if schema == nil && Self.isTempSchemaTableName(folded) { return try openTempCatalog().table("sqlite_temp_master") }
        return try find(schema: schema) { (c: Catalog) throws(DBError) -> Table? in
            if c.database == 1 && Self.isSchemaTableName(folded) {
                // temp.sqlite_master is temp's schema table; an unqualified sqlite_master is main's.
                return schema == nil ? nil : try c.table("sqlite_temp_master")
            }
            return try c.table(c.database == 0 && folded == "sqlite_master" ? "sqlite_schema" : name)
        }
    }

    /// The index `name` (after `schema` when given), or nil.
    func findIndex(_ name: String, schema: Identifier?) throws(DBError) -> Index? {
        try find(schema: schema) { (c: Catalog) throws(DBError) -> Index? in try c.index(name) }
    }

    /// The trigger `name` (after `schema` when given), or nil.
    func findTrigger(_ name: String, schema: Identifier?) throws(DBError) -> Trigger? {
        try find(schema: schema) { (c: Catalog) throws(DBError) -> Trigger? in try c.trigger(name) }
    }

    /// The triggers on `table` in the order they fire: the temp schema's triggers on a main-database
    /// table first, in creation order, then the table's own, newest first (trigger.c, sqlite3TriggerList).
    func triggers(of table: Table) -> [Trigger] {
        let own = table.triggers.reversed()
        guard table.database == 0, let tempCatalog else { return Array(own) }
        return tempCatalog.triggers(onTableOf: table) + own
    }

    /// Whether `table` has any trigger.
    func hasTriggers(_ table: Table) -> Bool {
        !table.triggers.isEmpty || (table.database == 0 && tempCatalog.map { !$0.triggers(onTableOf: table).isEmpty } == true)
    }

    func lookupTable(_ name: QualifiedName) throws(DBError) -> Table {
        guard let t = try findTable(name.name.name, schema: name.schema) else {
            // Inside a main-database view or trigger the name is bound to main (sqlite3 names it).
            let bound = schemaObjectDatabases.last == 0 && name.schema == nil
            throw DBError(.error, "no such table: \(bound ? "main." : "")\(name)")
        }
        if let module = t.virtualModule { throw DBError(.error, "no such module: \(module)") }
        return t
    }

    /// The Transaction opcodes of a finished program body: the main database's always (read, or write
    /// when the statement writes it), the temp database's when the program opens one of its b-trees or
    /// changes its schema. A statement that writes only the temp database reads the main one.
    func emitTransactions(schemaWrites: (main: Bool, temp: Bool)) {
        var readsTemp = false, writesTemp = schemaWrites.temp, writesMain = schemaWrites.main
        for op in b.program.instructions {
            switch op.opcode {
            case .OpenWrite: if op.p3 == 1 { writesTemp = true } else { writesMain = true }
            case .OpenRead: if op.p3 == 1 { readsTemp = true }
            case .Clear: if op.p2 == 1 { writesTemp = true } else { writesMain = true }
            default: break
            }
        }
        if writes && !writesMain && !writesTemp { writesMain = true }
        b.emit(.Transaction, 0, writes && writesMain ? 1 : 0, Int32(bitPattern: catalog.cookie))
        if writesTemp || readsTemp {
            b.emit(.Transaction, 1, writesTemp ? 1 : 0, Int32(bitPattern: tempCatalog?.cookie ?? 0))
        }
    }
}
