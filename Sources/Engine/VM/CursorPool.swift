// CursorPool: b-tree cursors of finished statements kept by the connection for
// the next statements' Open instructions.
//
// A short statement (a lookup, an UPDATE of one row) opens a cursor per table
// and index it touches; allocating each VMCursor and BTreeCursor with their
// buffers and freeing them at the end cost a few thousand instructions per
// statement. A cursor enters the pool only when nothing else references it,
// it is on the database's own tree (not an ephemeral table or a sorter), and
// its b-tree cursor is closed: pages released and out of the tree's list of
// open cursors, so no write visits it while it waits. `reopen` sets back
// every field an Open instruction would have given a new cursor.

import Storage

extension Connection {
    /// How many closed cursors the connection keeps (a statement rarely opens more).
    static let cursorPoolLimit = 16

    /// Takes back a statement's cursor that is being closed; `cursor` must have no other reference.
    func recycleCursor(_ cursor: VMCursor) {
        guard cursorPool.count < Connection.cursorPoolLimit, cursor.isPoolable,
              let b = cursor.btree, b.tree === tree else { return }
        b.close()
        cursorPool.append(cursor)
    }

    /// A pooled cursor reopened on `root`, or nil when the pool is empty.
    func pooledCursor(root: UInt32, isTable: Bool, keyInfo: KeyInfo) -> VMCursor? {
        guard let c = cursorPool.popLast() else { return nil }
        // The text encoding of a database without pages yet is still settable (PRAGMA encoding).
        guard c.encoding == tree.encoding else {
            cursorPool.removeAll()
            return nil
        }
        c.reopen(root: root, isTable: isTable, keyInfo: keyInfo)
        return c
    }
}

extension VM {
    /// Closes cursor `i`, handing it to the connection's pool when nothing else holds it.
    @inline(__always)
    func closeCursor(_ i: Int) {
        guard var c = cursors[i] else { return }
        setCursor(Int32(i), nil)
        if isKnownUniquelyReferenced(&c) { connection.recycleCursor(c) }
    }
}
