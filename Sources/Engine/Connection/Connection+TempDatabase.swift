// Connection+TempDatabase: the temp database, where CREATE TEMP TABLE, VIEW,
// TRIGGER and INDEX put their objects (lang_createtable.html: "the table is
// created in the temp database"; sqlite3's db->aDb[1]). It is private to the
// connection, in memory, and gone when the connection closes; its schema table
// is sqlite_temp_master (also sqlite_temp_schema, and temp.sqlite_master).
//
// Invariants:
// - It is opened by the first statement that names it, and never closed before
//   the connection: programs refer to it by database number 1.
// - Its transaction follows the main database's. It begins writing when a
//   statement writes it, commits right after the main database commits, and rolls
//   back with it. While it is writing it keeps one pager savepoint per open
//   SAVEPOINT of the connection (`savepointDepths`, aligned with
//   `Connection.savepoints`), opened when the savepoint is, or when the temp
//   database begins writing inside it (nothing of its own to undo before that).
// - A change of its schema reloads both catalogs (the temp schema decides which
//   triggers fire on main-database tables, and which table an unqualified name means).

import Base
import Storage

/// The temp database of a connection.
final class TempDatabase {
    let pager: Pager
    let tree: BTree
    var catalogStorage: Catalog?
    /// The pager savepoint matching each of the connection's SAVEPOINTs, while writing.
    var savepointDepths: [Int] = []

    init(pageSize: Int) throws(DBError) {
        pager = Pager(memoryWithPageSize: pageSize)
        tree = try BTree(pager: pager)
    }

    /// The temp schema, read on first use after every change.
    var catalog: Catalog {
        get throws(DBError) {
            if let c = catalogStorage { return c }
            let wasIdle = pager.state == .idle
            if wasIdle { try pager.beginRead() }
            defer { if wasIdle { pager.endRead() } }
            let c = try SchemaLoader.load(tree: tree, database: 1)
            catalogStorage = c
            return c
        }
    }
}

extension Connection {
    /// The temp database, opened if it is not open yet.
    func openTempDatabase() throws(DBError) -> TempDatabase {
        if let temp { return temp }
        let t = try TempDatabase(pageSize: 4096)
        temp = t
        return t
    }

    /// The temp database's schema, or nil while no statement has named the temp database.
    var tempCatalog: Catalog? {
        get throws(DBError) { try temp?.catalog }
    }

    /// The b-tree file of database `db` (0 main, 1 temp) as a program names it.
    func tree(ofDatabase db: Int32) throws(DBError) -> BTree {
        if db == 0 { return tree }
        guard db == 1, let temp else { throw DBError(.internal, "database \(db) is not open") }
        return temp.tree
    }

    /// The schema of database `db` (0 main, 1 temp).
    func catalog(ofDatabase db: Int) throws(DBError) -> Catalog {
        db == 1 ? try openTempDatabase().catalog : try catalog
    }

    /// The Transaction opcode for the temp database (P1 = 1): read it, and for a writing statement begin
    /// writing it, under a statement savepoint where the main database would take one.
    func beginTempStatementTransaction(_ vm: VM, write: Bool) throws(DBError) {
        let temp = try openTempDatabase()
        if temp.pager.state == .idle { try temp.pager.beginRead() }
        guard write else { return }
        if !temp.pager.inWriteTransaction {
            try temp.pager.beginWrite()
            if temp.pager.pageCount == 0 { try temp.tree.createDatabase(encoding: tree.encoding) }
            temp.savepointDepths = savepoints.map { _ in temp.pager.openSavepoint() }
        }
        if vm.tempStatementSavepoint == nil && (!autocommit || activeStatements > 1) {
            if vm.program.mayAbort {
                vm.tempStatementSavepoint = temp.pager.openSavepoint()
            } else {
                vm.writesWithoutSavepoint = true
            }
        }
    }

    /// Undoes a failed statement's changes to the temp database (its savepoint); without a savepoint they
    /// go with the transaction.
    func rollbackTempStatement(_ vm: VM) {
        guard let sp = vm.tempStatementSavepoint, let temp else { return }
        try? temp.pager.rollbackToSavepoint(sp)
        temp.pager.releaseSavepoint(sp)
        vm.tempStatementSavepoint = nil
    }

    /// Releases a statement's temp savepoint (the statement ended, or its changes stand).
    func releaseTempStatement(_ vm: VM) {
        guard let sp = vm.tempStatementSavepoint, let temp else { return }
        temp.pager.releaseSavepoint(sp)
        vm.tempStatementSavepoint = nil
    }

    /// Ends the temp database's transaction with the main database's: commits or rolls back what it
    /// wrote, then ends its read when no statement is active.
    func endTempTransaction(commit: Bool) {
        guard let temp else { return }
        if temp.pager.inWriteTransaction {
            if commit {
                // An in-memory pager's commit writes nothing that can fail; should it fail anyway, what
                // is left is undone, as a failed commit does.
                do { try temp.pager.commit() } catch { temp.pager.rollback() }
            } else {
                temp.pager.rollback()
            }
        }
        temp.savepointDepths.removeAll()
        if activeStatements == 0 && temp.pager.state != .idle { temp.pager.endRead() }
    }

    /// SAVEPOINT: the temp database, when writing, keeps a savepoint of its own beside the main database's.
    func openTempSavepoint() {
        guard let temp, temp.pager.inWriteTransaction else { return }
        temp.savepointDepths.append(temp.pager.openSavepoint())
    }

    /// ROLLBACK TO the connection's savepoint `i`.
    func rollbackTempSavepoint(_ i: Int) throws(DBError) {
        guard let temp, temp.pager.inWriteTransaction, i < temp.savepointDepths.count else { return }
        try temp.pager.rollbackToSavepoint(temp.savepointDepths[i])
        temp.savepointDepths.removeSubrange((i + 1)...)
    }

    /// RELEASE of the connection's savepoint `i` (and those after it).
    func releaseTempSavepoint(_ i: Int) {
        guard let temp, temp.pager.inWriteTransaction, i < temp.savepointDepths.count else { return }
        temp.pager.releaseSavepoint(temp.savepointDepths[i])
        temp.savepointDepths.removeSubrange(i...)
    }
}
