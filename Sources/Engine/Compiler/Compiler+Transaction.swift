// Compiler+Transaction: BEGIN, COMMIT/END, ROLLBACK [TO], SAVEPOINT and
// RELEASE (https://sqlite.org/lang_transaction.html, lang_savepoint.html),
// each a native step that drives the connection's transaction state.

import Base
import SQL

extension Compiler {
    func compileTransactionControl(_ command: Command) throws(DBError) {
        let connection = self.connection
        switch command {
        case .begin(let bg):
            if bg.mode == .concurrent { throw DBError(.error, "BEGIN CONCURRENT is not supported yet") }
            let immediate = bg.mode == .immediate || bg.mode == .exclusive
            let exclusive = bg.mode == .exclusive
            emitNative("BEGIN") { (_: VM) throws(DBError) -> [[Value]]? in
                try connection.begin()
                if immediate {
                    do throws(DBError) {
                        try connection.startWriteTransaction(exclusive: exclusive)
                    } catch {
                        connection.rollbackTransaction()
                        throw error
                    }
                }
                return nil
            }
        case .commit:
            emitNative("COMMIT") { (_: VM) throws(DBError) -> [[Value]]? in
                try connection.commit()
                return nil
            }
        case .rollback(let r):
            let name = r.savepoint?.name
            emitNative("ROLLBACK") { (_: VM) throws(DBError) -> [[Value]]? in
                try connection.rollback(to: name)
                return nil
            }
        case .savepoint(let name):
            let n = name.name
            emitNative("SAVEPOINT") { (_: VM) throws(DBError) -> [[Value]]? in
                try connection.savepoint(n)
                return nil
            }
        case .release(let name):
            let n = name.name
            emitNative("RELEASE") { (_: VM) throws(DBError) -> [[Value]]? in
                try connection.release(n)
                return nil
            }
        default:
            throw DBError(.internal, "not a transaction statement")
        }
    }
}
