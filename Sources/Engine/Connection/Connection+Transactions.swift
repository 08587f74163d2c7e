// Connection+Transactions: how statements begin, end and fail within
// transactions (the VM calls these), and BEGIN/COMMIT/ROLLBACK/SAVEPOINT.
// See Connection.swift for the state diagram.

import Base
import Storage

extension Connection {
    /// The Transaction opcode: make sure a transaction of the right kind is open for `vm`.
    func beginStatementTransaction(_ vm: VM, write: Bool) throws(DBError) {
        // Opening a transaction (locks, busy waits, a hot journal, the file's header, the schema
        // check) is not written to be re-entered half-way after a read in flight. In `.suspend`
        // mode (async code on a thread that must not block) it runs in `.noWait` mode instead:
        // whatever would block throws DBError.wouldBlock, undone, and the caller re-runs the step
        // on a thread that may block (SwiftDB's Statement+Async.swift).
        let mode = pager.ioMode
        pager.ioMode = mode == .blocking ? .blocking : .noWait
        defer { pager.ioMode = mode }
        if !vm.countedActive {
            vm.countedActive = true
            activeStatements += 1
        }
        if pager.state == .idle { try pager.beginRead() }
        try checkSchemaStillCurrent()
        if write {
            if pager.readOnly { throw DBError(.readonly) }
            if !pager.inWriteTransaction {
                try pager.beginWrite()
                if pager.pageCount == 0 { try tree.createDatabase(encoding: tree.encoding) }
            }
            // A statement that may fail part-way needs its own savepoint unless its failure ends the
            // whole transaction anyway (autocommit, and no other statement shares the transaction), or
            // none of its instructions can fail half-way but by ending the transaction (vdbe.c's
            // OP_Transaction opens a statement journal only when usesStmtJournal).
            if vm.statementSavepoint == nil && (!autocommit || activeStatements > 1) {
                if vm.program.mayAbort {
                    vm.statementSavepoint = pager.openSavepoint()
                } else {
                    vm.writesWithoutSavepoint = true
                }
            }
        }
    }

    /// A statement ran to its Halt.
    func statementFinished(_ vm: VM) throws(DBError) {
        if let sp = vm.statementSavepoint {
            pager.releaseSavepoint(sp)
            vm.statementSavepoint = nil
        }
        releaseTempStatement(vm)
        if vm.program.countsChanges {
            changes = vm.changeCount
            totalChanges += vm.changeCount
        }
        totalChanges += vm.triggerChangeCount
        try endStatement(vm, commit: true)
    }

    /// A statement failed: undo what its conflict action says, then end it.
    func statementFailed(_ vm: VM, error: DBError) {
        var action = vm.errorAction
        if error.code.primary != .constraint && error.code.primary != .error { action = .abort }
        if error.code.primary == .error && vm.errorAction == .abort { action = .abort }
        // An interrupted writing statement takes its whole transaction with it (sqlite3VdbeHalt).
        if error.code.primary == .interrupt && !vm.program.isReadOnly { action = .rollback }
        // So does a write that failed (a full disk, an I/O error): the pager may have written part of
        // the transaction to the file early (a cache spill), and pager.c's error state ends it all.
        if (error.code.primary == .full || error.code.primary == .ioerr) && !vm.program.isReadOnly {
            action = .rollback
        }
        switch action {
        case .rollback:
            rollbackTransaction()
        case .fail:
            if let sp = vm.statementSavepoint { pager.releaseSavepoint(sp) }
            releaseTempStatement(vm)
        default:
            if vm.tempStatementSavepoint != nil {
                rollbackTempStatement(vm)
                if vm.changedSchema { invalidateCatalog() }
            }
            if let sp = vm.statementSavepoint {
                try? pager.rollbackToSavepoint(sp)
                pager.releaseSavepoint(sp)
                if vm.changedSchema { invalidateCatalog() }
            } else if autocommit && (pager.inWriteTransaction || temp?.pager.inWriteTransaction == true) {
                if pager.inWriteTransaction { pager.rollback() }
                endTempTransaction(commit: false)
                if vm.changedSchema || schemaChangedInTransaction { invalidateCatalog() }
                schemaChangedInTransaction = false
            } else if vm.writesWithoutSavepoint && vm.wroteRows
                        && (pager.inWriteTransaction || temp?.pager.inWriteTransaction == true) {
                // A writer that ran without a savepoint because nothing in it could fail half-way
                // failed anyway (corruption, an internal error): nothing half-written may stay, so the
                // transaction ends, as it does for an I/O error. One that failed before writing (a
                // single-row INSERT's constraint check) has nothing to undo.
                rollbackTransaction()
            }
        }
        vm.statementSavepoint = nil
        vm.tempStatementSavepoint = nil
        vm.writesWithoutSavepoint = false
        // sqlite3VdbeHalt: a statement whose changes were undone leaves changes() at 0.
        if vm.program.countsChanges {
            changes = action == .fail ? vm.changeCount : 0
            if action == .fail { totalChanges += vm.changeCount }
        }
        // A trigger's statements add their changes to the total as each one ends (OP_ResetCount).
        totalChanges += vm.triggerChangeCount
        try? endStatement(vm, commit: action == .fail)
    }

    /// Drops `vm` from the active statements and ends an autocommit transaction when it was the last.
    func endStatement(_ vm: VM, commit: Bool) throws(DBError) {
        if vm.countedActive {
            vm.countedActive = false
            activeStatements -= 1
        }
        guard autocommit, activeStatements == 0 else { return }
        try endAutocommitTransaction(commit: commit)
    }

    func endAutocommitTransaction(commit: Bool) throws(DBError) {
        if pager.inWriteTransaction {
            if commit {
                do {
                    try tree.autoVacuumBeforeCommit()
                    try pager.commit()
                } catch {
                    pager.rollback()
                    endTempTransaction(commit: false)
                    invalidateCatalog(keepingSchemaHash: !schemaChangedInTransaction)
                    pager.endRead()
                    throw error
                }
            } else {
                // sqlite3 reads the schema again only when the transaction had changed it.
                pager.rollback()
                invalidateCatalog(keepingSchemaHash: !schemaChangedInTransaction)
            }
            schemaChangedInTransaction = false
        } else if !commit && schemaChangedInTransaction {
            // Only the temp schema changed.
            invalidateCatalog(keepingSchemaHash: true)
            schemaChangedInTransaction = false
        }
        endTempTransaction(commit: commit)
        pager.endRead()
    }

    /// ROLLBACK of the whole transaction.
    func rollbackTransaction() {
        if pager.inWriteTransaction { pager.rollback() }
        if let temp, temp.pager.inWriteTransaction {
            temp.pager.rollback()
            temp.savepointDepths.removeAll()
        }
        if schemaChangedInTransaction { invalidateCatalog() }
        schemaChangedInTransaction = false
        savepoints.removeAll()
        transactionFromSavepoint = false
        autocommit = true
        if activeStatements == 0 {
            pager.endRead()
            endTempTransaction(commit: false)
        }
    }

    // MARK: transaction statements

    func begin() throws(DBError) {
        guard autocommit else { throw DBError(.error, "cannot start a transaction within a transaction") }
        autocommit = false
    }

    func commit() throws(DBError) {
        guard !autocommit else { throw DBError(.error, "cannot commit - no transaction is active") }
        if pager.inWriteTransaction {
            do {
                try tree.autoVacuumBeforeCommit()
                try pager.commit()
            } catch {
                // SQLITE_BUSY keeps the transaction open (COMMIT may be retried); after any other
                // failure the pager has rolled the transaction back.
                if !pager.inWriteTransaction { rollbackTransaction() }
                throw error
            }
        }
        schemaChangedInTransaction = false
        savepoints.removeAll()
        transactionFromSavepoint = false
        autocommit = true
        endTempTransaction(commit: true)
        if activeStatements <= 1 {
            pager.endRead()
            if let temp, temp.pager.state != .idle { temp.pager.endRead() }
        }
    }

    func rollback(to name: String?) throws(DBError) {
        guard let name else {
            guard !autocommit else { throw DBError(.error, "cannot rollback - no transaction is active") }
            rollbackTransaction()
            return
        }
        guard let i = savepoints.lastIndex(where: { namesMatch($0.name, name) }) else {
            throw DBError(.error, "no such savepoint: \(name)")
        }
        try pager.rollbackToSavepoint(savepoints[i].depth)
        try rollbackTempSavepoint(i)
        savepoints.removeSubrange((i + 1)...)
        if schemaChangedInTransaction { invalidateCatalog() }
    }

    func savepoint(_ name: String) throws(DBError) {
        if autocommit {
            autocommit = false
            transactionFromSavepoint = true
        }
        if !pager.inWriteTransaction {
            if pager.state == .idle { try pager.beginRead() }
            try pager.beginWrite()
            if pager.pageCount == 0 { try tree.createDatabase(encoding: tree.encoding) }
        }
        savepoints.append((name, pager.openSavepoint()))
        openTempSavepoint()
    }

    func release(_ name: String) throws(DBError) {
        guard let i = savepoints.lastIndex(where: { namesMatch($0.name, name) }) else {
            throw DBError(.error, "no such savepoint: \(name)")
        }
        pager.releaseSavepoint(savepoints[i].depth)
        releaseTempSavepoint(i)
        savepoints.removeSubrange(i...)
        if savepoints.isEmpty && transactionFromSavepoint { try commit() }
    }
}

extension Connection {
    /// BEGIN IMMEDIATE/EXCLUSIVE: take the write transaction (RESERVED, or EXCLUSIVE) now.
    func startWriteTransaction(exclusive: Bool = false) throws(DBError) {
        if pager.state == .idle { try pager.beginRead() }
        try checkSchemaStillCurrent()
        if pager.readOnly { throw DBError(.readonly) }
        if !pager.inWriteTransaction {
            if exclusive { try pager.beginExclusiveWrite() } else { try pager.beginWrite() }
            if pager.pageCount == 0 { try tree.createDatabase(encoding: tree.encoding) }
        }
    }

    /// After another connection or process changed the file: reload what this connection cached
    /// from it, and if the schema changed, fail the statement with SQLITE_SCHEMA so it is prepared
    /// again against the new schema (PreparedStatement.step does that).
    func checkSchemaStillCurrent() throws(DBError) {
        guard pager.externalChangeCount != checkedExternalChanges else { return }
        try tree.reloadFileProperties()
        let cookie = catalogStorage != nil && pager.pageCount > 0 ? try tree.headerField(HeaderOffset.schemaCookie) : 0
        // Marked checked only after the reads: one refused in `.noWait` mode is done again on the re-run.
        checkedExternalChanges = pager.externalChangeCount
        guard let c = catalogStorage else { return }
        if cookie != c.cookie {
            invalidateCatalog()
            throw DBError(.schema, "database schema has changed")
        }
    }

    /// PRAGMA busy_timeout: retry a busy lock with sqlite3's back-off (1, 2, 5, 10, … 100 ms) until
    /// the timeout is spent (main.c, sqliteDefaultBusyCallback).
    func installBusyHandler() {
        let timeout = busyTimeout
        guard timeout > 0 else {
            pager.busyHandler = nil
            return
        }
        let clock = self.clock
        pager.busyHandler = { count in
            let delays = [1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100]
            let totals = [0, 1, 3, 8, 18, 33, 53, 78, 103, 128, 178, 228]
            var delay: Int, prior: Int
            if count < delays.count {
                delay = delays[count]
                prior = totals[count]
            } else {
                delay = delays.last!
                prior = totals.last! + delay * (count - (delays.count - 1))
            }
            if prior + delay > timeout {
                delay = timeout - prior
                if delay <= 0 { return false }
            }
            clock.sleep(milliseconds: delay)
            return true
        }
    }

    /// PRAGMA journal_mode=…: returns the mode in force afterwards, as sqlite3 prints it.
    func setJournalMode(_ requested: JournalMode) throws(DBError) -> JournalMode {
        if pager.isMemory {
            // An in-memory database keeps its journal in memory, or none at all.
            if requested == .off || requested == .memory { try pager.setJournalMode(requested) }
            return pager.journalMode
        }
        if requested == pager.journalMode { return requested }
        if requested == .wal || pager.isWAL {
            // Into or out of WAL only outside a transaction (pager.c, sqlite3PagerSetJournalMode).
            guard autocommit, !pager.inWriteTransaction, activeStatements <= 1 else {
                throw DBError(.error, "cannot change \(requested == .wal ? "into" : "out of") wal mode from within a transaction")
            }
            if requested == .wal {
                if pager.state == .idle { try pager.beginRead() }
                if pager.pageCount == 0 {
                    try pager.beginWrite()
                    try tree.createDatabase(encoding: tree.encoding)
                    try pager.commit()
                }
                try pager.switchToWAL()
            } else {
                try pager.switchFromWAL(to: requested)
            }
            return pager.journalMode
        }
        if pager.inWriteTransaction { return pager.journalMode }
        try pager.setJournalMode(requested, removingStaleJournal: true)
        return pager.journalMode
    }
}
