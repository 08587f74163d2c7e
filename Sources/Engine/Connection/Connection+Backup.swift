// Connection+Backup: sqlite3_backup run to completion in one step (backup.c):
// the destination's database becomes a page-for-page copy of the source's,
// in one write transaction of the destination (so a crash leaves either the
// old content or the new, through its journal), while the source is held in
// one read transaction (a consistent snapshot). As backup.c does, the
// destination's schema cookie becomes its old value plus one (other
// connections notice the change), its header says WAL (bytes 18 and 19 are 2)
// when the destination is in WAL mode, and an empty destination takes the
// source's page size. The shell's .backup, .save and .restore use it.

import Base
import Storage

extension Connection {
    /// Replaces this connection's database with a copy of `source`'s. Neither may be inside a
    /// transaction (sqlite3_backup_step would find the destination busy).
    public func copyContents(of source: Connection) throws(DBError) {
        guard autocommit && activeStatements == 0 else {
            throw DBError(.busy, "destination database is in use")
        }
        if source === self { throw DBError(.error, "source and destination must be distinct") }
        let sourceWasIdle = source.pager.state == .idle
        if sourceWasIdle { try source.pager.beginRead() }
        defer { if sourceWasIdle { source.pager.endRead() } }
        let count = source.pager.pageCount
        let pageSize = source.pager.pageSize

        if pager.state == .idle { try pager.beginRead() }
        if pager.pageCount == 0 { pager.setPageSizeOfEmptyDatabase(pageSize) }
        guard pager.pageSize == pageSize else {
            pager.endRead()
            throw DBError(.readonly, "backup to a database of another page size is not supported yet")
        }
        do {
            let oldCookie = pager.pageCount > 0 ? try tree.headerField(HeaderOffset.schemaCookie) : 0
            try startWriteTransaction(exclusive: true)
            let pending = pager.pendingBytePage
            var pgno: UInt32 = 1
            while pgno <= count {
                defer { pgno += 1 }
                if pgno == pending { continue }
                let from = try source.pager.getBlocking(pgno)
                defer { source.pager.release(from) }
                let to = pgno <= pager.pageCount ? try pager.getForOverwrite(pgno) : try pager.allocatePage()
                defer { pager.release(to) }
                to.data.copyMemory(from: UnsafeRawPointer(from.data), byteCount: pageSize)
            }
            if pager.pageCount > count { pager.truncate(toPageCount: count) }
            if count > 0 {
                try tree.setHeaderField(HeaderOffset.schemaCookie, oldCookie &+ 1)
                if pager.journalMode == .wal {
                    let p1 = try pager.getBlocking(1)
                    defer { pager.release(p1) }
                    try pager.makeWritable(p1)
                    p1.data.storeBytes(of: 2, toByteOffset: 18, as: UInt8.self)
                    p1.data.storeBytes(of: 2, toByteOffset: 19, as: UInt8.self)
                }
            }
            try tree.reloadFileProperties()
            invalidateCatalog()
            try endAutocommitTransaction(commit: true)
        } catch {
            if pager.inWriteTransaction { pager.rollback() }
            invalidateCatalog()
            pager.endRead()
            // The file properties may have been read from the copy: read them again from what stayed.
            if (try? pager.beginRead()) != nil {
                try? tree.reloadFileProperties()
                pager.endRead()
            }
            throw error
        }
    }
}
