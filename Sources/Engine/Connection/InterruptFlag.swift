// InterruptFlag: sqlite3_interrupt for one connection.
//
// Any thread may raise the flag (it is the one part of a connection that is
// Sendable); the VM reads it, relaxed, where SQLite's vdbe.c checks
// `isInterrupted`: at the start of a step and on the backward jumps of loops
// (Next, Prev, SorterNext, a Goto to an earlier instruction), so a statement
// stops within one loop iteration. An interrupted statement fails with
// SQLITE_INTERRUPT ("interrupted"); a writing one rolls its transaction back
// (vdbeaux.c, sqlite3VdbeHalt). As in SQLite 3.40, the flag is cleared when a
// statement starts while no other statement of the connection is active, so
// an interrupt with nothing running is a no-op.

import Synchronization

public final class InterruptFlag: Sendable {
    private let raised = Atomic<Bool>(false)

    public init() {}

    /// Asks the running statement to stop (sqlite3_interrupt).
    public func raise() { raised.store(true, ordering: .relaxed) }

    public func clear() { raised.store(false, ordering: .relaxed) }

    public var isRaised: Bool {
        @inline(__always) get { raised.load(ordering: .relaxed) }
    }
}
