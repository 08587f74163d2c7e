// Connection+Vacuum: VACUUM (https://sqlite.org/lang_vacuum.html) rebuilds the
// database as vacuum.c's sqlite3RunVacuum does. A new database (a scratch file
// beside the database, removed afterwards; in memory for :memory:) gets
// the same page size, text encoding and auto-vacuum mode; the CREATE TABLE
// statements of sqlite_schema run there in schema order (sqlite_sequence is
// left to the first AUTOINCREMENT table, as there), then the CREATE INDEX
// statements; each table's rows and each index's entries are copied across in
// key order, records as they are and rowids kept — except that a rowid table
// with neither an INTEGER PRIMARY KEY nor an index is numbered 1, 2, 3, …
// again (what the transfer optimization does for vacuum's INSERT … SELECT);
// views, triggers and virtual
// tables join the new schema as rows; the user version, application id and
// default cache size carry over. The copy then replaces the database page for
// page (copyContents: one write transaction, schema cookie + 1), so the file
// ends with no free pages and every tree packed.
//
// A PRAGMA auto_vacuum given when the database had pages takes effect here, as
// in sqlite3. Not yet: VACUUM INTO, a PRAGMA page_size given before (outside
// WAL mode), and databases whose pages keep reserved bytes (each fails with an
// error naming it).

import Base
import IO
import Storage

extension Connection {
    func vacuum() throws(DBError) {
        guard autocommit else { throw DBError(.error, "cannot VACUUM from within a transaction") }
        guard activeStatements == 0 else { throw DBError(.error, "cannot VACUUM - SQL statements in progress") }
        if pager.readOnly { throw DBError(.readonly, "attempt to write a readonly database") }
        let schema = try query("SELECT type, name, tbl_name, rootpage, sql FROM sqlite_schema")
        if pager.pageCount == 0 { return }
        if let size = pendingVacuumPageSize, size != pager.pageSize, pager.journalMode != .wal {
            throw DBError(.error, "VACUUM to another page size is not supported yet")
        }
        if pager.reservedBytes != 0 {
            throw DBError(.error, "VACUUM of a database with reserved bytes per page is not supported yet")
        }
        // A scratch file only where the database is a real file (the memory and simulated back-ends' files
        // are not on disk: their copies stay in memory).
        let onDisk = pager.io.map { $0.name == "io_uring" || $0.name == "syscall" } ?? false
        let copyPath: String? = onDisk ? pager.path + "-vacuum" : nil
        if let copyPath, let io = pager.io, io.fileExists(copyPath) { try io.delete(copyPath) }
        defer { if let copyPath, let io = pager.io, io.fileExists(copyPath) { try? io.delete(copyPath) } }
        let copy = try makeVacuumCopy(schema, at: copyPath)
        try copyContents(of: copy)
        pendingVacuumPageSize = nil
        pendingVacuumAutoVacuum = nil
        schemaHash = nil  // vacuum.c leaves the schema to be read again
        // vacuum.c's last step inserts the views, triggers and virtual tables into the new sqlite_schema with
        // an INSERT … SELECT of this connection: last_insert_rowid() is that INSERT's last row when it had any.
        if copy.lastInsertRowID != 0 { lastInsertRowID = copy.lastInsertRowID }
    }

    /// The rebuilt database: in a scratch file beside a file database (as sqlite3's temporary vacuum_db, so
    /// the copy of a large database does not live in memory), in memory for an in-memory one.
    private func makeVacuumCopy(_ schema: [[Value]], at copyPath: String?) throws(DBError) -> Connection {
        var options = ConnectionOptions()
        options.pageSize = pager.pageSize
        if copyPath != nil, let io = pager.io {
            // Its own back-end of the same kind (one back-end's completions belong to one pager).
            let selection = IOBackends.make(setting: io.name)
            options.io = selection.backend
            options.ioReason = selection.reason
        }
        let copy = try Connection(path: copyPath ?? ":memory:", options: options)
        if copyPath != nil {
            // A scratch file: no syncs (vacuum.c sets the temporary database's pager to synchronous OFF).
            // The rollback journal stays: the file starts empty, so it records nothing, and its mode is the
            // one whose cache spills to the file, which keeps a large copy out of memory.
            try copy.execute("PRAGMA synchronous = OFF")
        }
        try copy.execute("PRAGMA encoding = '\(tree.encoding.name)'")
        let autoVacuum = pendingVacuumAutoVacuum ?? (tree.autoVacuum ? (tree.incrementalVacuum ? 2 : 1) : 0)
        try copy.execute("PRAGMA auto_vacuum = \(autoVacuum)")
        // Internal tables (sqlite_stat1, …) are created from their own CREATE statements, as vacuum.c does.
        try copy.execute("PRAGMA writable_schema = ON")

        func root(_ v: Value) -> Int64? { if case .integer(let r) = v { return r } else { return nil } }
        for row in schema where row[0].textString == "table" && row[1].textString != "sqlite_sequence"
                                && (root(row[3]) ?? 1) > 0 {
            if let sql = row[4].textString { try copy.execute(sql) }
        }
        for row in schema where row[0].textString == "index" {
            if let sql = row[4].textString { try copy.execute(sql) }
        }

        try copy.execute("BEGIN IMMEDIATE")
        do {
            try copyRows(into: copy)
            let insertSchemaRow = try copy.prepare("INSERT INTO sqlite_schema VALUES(?, ?, ?, ?, ?)")
            for row in schema {
                let type = row[0].textString
                guard type == "view" || type == "trigger" || (type == "table" && root(row[3]) == 0) else { continue }
                for (i, value) in row.enumerated() { try insertSchemaRow?.bind(value, at: i + 1) }
                while try insertSchemaRow?.step() == .row {}
                insertSchemaRow?.reset()
            }
            for field in [HeaderOffset.defaultCacheSize, HeaderOffset.userVersion, HeaderOffset.applicationID] {
                try copy.tree.setHeaderField(field, try tree.headerField(field))
            }
            try copy.execute("COMMIT")
        } catch {
            try? copy.execute("ROLLBACK")
            throw error
        }
        return copy
    }

    /// Copies every table's rows and every index's entries into the same-named trees of `copy`, in the
    /// order of copy's schema, each in key order (so every page fills as appends do).
    private func copyRows(into copy: Connection) throws(DBError) {
        let mine = try catalog, theirs = try copy.catalog
        let wasIdle = pager.state == .idle
        if wasIdle { try pager.beginRead() }
        defer { if wasIdle { pager.endRead() } }
        // sqlite_schema (page 1) is not copied: the copy's own CREATE statements made its rows.
        for target in try theirs.allTables() where target.rootPage > 1 {
            guard let source = try mine.table(target.name) else { continue }
            // The transfer optimization gives a rowid table with neither an INTEGER PRIMARY KEY nor an index new
            // rowids 1, 2, 3, … in row order (insert.c's xferOptimization: NewRowid when pDest->pIndex is 0);
            // a table with an index keeps its rowids, which the index entries hold.
            let renumber = !source.withoutRowid && source.rowidAlias == nil && !target.indexes.contains { $0.rootPage > 0 }
            try copyTree(from: source.rootPage, to: copy.tree, root: target.rootPage, isTable: !source.withoutRowid,
                         keyInfo: source.withoutRowid ? (source.primaryKeyIndex?.keyInfo ?? KeyInfo(binaryFields: 0))
                                                      : KeyInfo(binaryFields: 0), renumber: renumber)
            for index in source.indexes where index.rootPage > 0 && !(source.withoutRowid && index.origin == .primaryKey) {
                guard let targetIndex = try theirs.index(index.name), targetIndex.rootPage > 0 else { continue }
                try copyTree(from: index.rootPage, to: copy.tree, root: targetIndex.rootPage, isTable: false,
                             keyInfo: index.keyInfo)
            }
        }
    }

    private func copyTree(from sourceRoot: UInt32, to destination: BTree, root: UInt32, isTable: Bool,
                          keyInfo: KeyInfo, renumber: Bool = false) throws(DBError) {
        let source = BTreeCursor(tree: tree, root: sourceRoot, isTable: isTable, keyInfo: keyInfo)
        let target = BTreeCursor(tree: destination, root: root, isTable: isTable, keyInfo: keyInfo)
        target.bulkLoad = !isTable  // table trees append through balance_quick already
        // An index (or WITHOUT ROWID table) whose fields all sort under BINARY, an order no one can redefine,
        // arrives in the copy's own order: each entry goes right after the one inserted before it, without
        // a comparison (insert.c's xferOptimization under DBFLAG_Vacuum: OP_SeekEnd and USESEEKRESULT).
        let inOrder = !isTable && keyInfo.collations.allSatisfy { $0 == .binary }
        var more = try source.first()
        var nextRowid: Int64 = 1
        while more {
            if interruptFlag.isRaised { throw DBError(.interrupt) }
            // The payload is read in place (the source page stays pinned, and the copy has its own pager).
            if isTable {
                let rowid = renumber ? nextRowid : try source.rowid
                nextRowid += 1
                try source.withPayload { p, n throws(DBError) in
                    try target.insert(rowid: rowid, record: UnsafeRawBufferPointer(start: p, count: n))
                }
            } else {
                try source.withPayload { p, n throws(DBError) in
                    try target.insert(indexRecord: UnsafeRawBufferPointer(start: p, count: n), seekResult: inOrder ? -1 : 0)
                }
            }
            more = try source.next()
        }
    }
}
