// Connection+Header: the raw database header (the first 100 bytes of page 1)
// and the pager's data version, as the sqlite3 shell's .dbinfo reads them
// (shell.c.in shell_dbinfo_command: sqlite_dbpage's page 1, and
// sqlite3_file_control(SQLITE_FCNTL_DATA_VERSION)).

import Base
import Storage

extension Connection {
    /// The first 100 bytes of page 1 as this connection sees them (its own uncommitted changes
    /// included), or nil when the database has no page 1 yet (an empty file or in-memory database).
    public func databaseHeaderBytes() throws(DBError) -> [UInt8]? {
        let wasIdle = pager.state == .idle
        if wasIdle { try pager.beginRead() }
        defer { if wasIdle { pager.endRead() } }
        guard pager.pageCount > 0 else { return nil }
        let page = try pager.get(1)
        defer { pager.release(page) }
        return Array(UnsafeRawBufferPointer(start: page.data, count: 100))
    }

    /// sqlite3_file_control(db, "main", SQLITE_FCNTL_DATA_VERSION): see Pager.dataVersion.
    public var dataVersion: UInt32 { pager.dataVersion }
}
