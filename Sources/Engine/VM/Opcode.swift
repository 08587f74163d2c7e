// Opcode: the instruction set of swiftdb's register VM, after SQLite's VDBE
// (https://sqlite.org/opcode.html). Names and operand roles follow SQLite's so
// that EXPLAIN reads as sqlite3's does; each case documents itself in SQLite's
// "Opcode: Name P1 P2 P3 P4 P5" form, and `synopsis` gives the comment EXPLAIN
// prints (the same template language as vdbe.c's "Synopsis:" lines).
// Jump targets are instruction addresses in P2 unless the documentation says
// otherwise. Registers are numbered from 1; cursors from 0.

/// One VM operation.
public enum Opcode: UInt8, CaseIterable, Sendable {
    /// Init * P2 * * *: jump to P2 (the statement's setup code at the end of the program).
    case Init
    /// Goto * P2 * * *: jump to P2.
    case Goto
    /// Gosub P1 P2 * * *: r[P1] = next address; jump to P2.
    case Gosub
    /// Return P1 P2 P3 * *: jump to the address in r[P1]. With P3 = 1 a register that holds no address
    /// (set to NULL where a subroutine runs in line, SQLite's BeginSubrtn) makes this a no-op; P2 only
    /// names the subroutine's start for EXPLAIN.
    case Return
    /// InitCoroutine P1 P2 P3 * *: r[P1] = P3 (the coroutine's entry); jump to P2 unless 0.
    case InitCoroutine
    /// EndCoroutine P1 * * * *: jump to the address stored in r[P1] by the last Yield.
    case EndCoroutine
    /// Yield P1 * * * *: swap the address in r[P1] with the next address and jump there.
    case Yield
    /// Halt P1 P2 * P4 P5: stop; P1 is the result code, P2 the conflict action, P4 the message.
    case Halt
    /// HaltIfNull P1 P2 P3 P4 P5: Halt with P1/P2/P4 when r[P3] is NULL.
    case HaltIfNull
    /// TypeCheck P1 P2 * P4 *: the row in r[P1..P1+P2) of the STRICT table P4: apply each column's
    /// affinity, then fail with SQLITE_CONSTRAINT_DATATYPE when a value that is not NULL is not of the
    /// column's declared type (an INTEGER value in a REAL column becomes REAL).
    case TypeCheck
    /// Transaction P1 P2 P3 * *: begin a read (P2 = 0) or write (P2 != 0) transaction if none is open;
    /// P3 is the schema cookie the statement was compiled against.
    case Transaction
    /// Once * P2 * * *: fall through the first time, jump to P2 afterwards.
    case Once
    /// Integer P1 P2 * * *: r[P2] = P1.
    case Integer
    /// Int64 * P2 * P4 *: r[P2] = P4 (a 64-bit integer).
    case Int64
    /// Real * P2 * P4 *: r[P2] = P4 (a real).
    case Real
    /// String8 * P2 * P4 *: r[P2] = P4 (text).
    case String8
    /// Blob * P2 * P4 *: r[P2] = P4 (a blob).
    case Blob
    /// Null P1 P2 P3 * *: r[P2..P3] = NULL.
    case Null
    /// Variable P1 P2 * P4 *: r[P2] = parameter P1.
    case Variable
    /// Move P1 P2 P3 * *: r[P2..P2+P3-1] = r[P1..P1+P3-1], leaving the sources NULL.
    case Move
    /// Copy P1 P2 P3 * *: r[P2..P2+P3] = r[P1..P1+P3].
    case Copy
    /// SCopy P1 P2 * * *: r[P2] = r[P1].
    case SCopy
    /// IntCopy P1 P2 * * *: r[P2] = r[P1], which holds an integer.
    case IntCopy
    /// ResultRow P1 P2 * * *: output r[P1..P1+P2-1] as a row.
    case ResultRow
    /// Concat P1 P2 P3 * *: r[P3] = r[P2] || r[P1].
    case Concat
    /// Add P1 P2 P3 * *: r[P3] = r[P1] + r[P2].
    case Add
    /// Subtract P1 P2 P3 * *: r[P3] = r[P2] - r[P1].
    case Subtract
    /// Multiply P1 P2 P3 * *: r[P3] = r[P1] * r[P2].
    case Multiply
    /// Divide P1 P2 P3 * *: r[P3] = r[P2] / r[P1].
    case Divide
    /// Remainder P1 P2 P3 * *: r[P3] = r[P2] % r[P1].
    case Remainder
    /// BitAnd P1 P2 P3 * *: r[P3] = r[P1] & r[P2].
    case BitAnd
    /// BitOr P1 P2 P3 * *: r[P3] = r[P1] | r[P2].
    case BitOr
    /// ShiftLeft P1 P2 P3 * *: r[P3] = r[P2] << r[P1].
    case ShiftLeft
    /// ShiftRight P1 P2 P3 * *: r[P3] = r[P2] >> r[P1].
    case ShiftRight
    /// And P1 P2 P3 * *: r[P3] = (r[P1] AND r[P2]).
    case And
    /// Or P1 P2 P3 * *: r[P3] = (r[P1] OR r[P2]).
    case Or
    /// Not P1 P2 * * *: r[P2] = !r[P1].
    case Not
    /// BitNot P1 P2 * * *: r[P2] = ~r[P1].
    case BitNot
    /// IsTrue P1 P2 P3 P4 *: r[P2] = coalesce(r[P1] == TRUE, P3) ^ P4.
    case IsTrue
    /// Eq P1 P2 P3 P4 P5: if r[P3] == r[P1] goto P2. P4 is the collation, P5 the affinity and flags.
    case Eq
    /// Ne P1 P2 P3 P4 P5: if r[P3] != r[P1] goto P2.
    case Ne
    /// Lt P1 P2 P3 P4 P5: if r[P3] < r[P1] goto P2.
    case Lt
    /// Le P1 P2 P3 P4 P5: if r[P3] <= r[P1] goto P2.
    case Le
    /// Gt P1 P2 P3 P4 P5: if r[P3] > r[P1] goto P2.
    case Gt
    /// Ge P1 P2 P3 P4 P5: if r[P3] >= r[P1] goto P2.
    case Ge
    /// If P1 P2 P3 * *: if r[P1] is true goto P2; if NULL, goto P2 when P3 != 0.
    case If
    /// IfNot P1 P2 P3 * *: if r[P1] is false goto P2; if NULL, goto P2 when P3 != 0.
    case IfNot
    /// IsNull P1 P2 * * *: if r[P1] is NULL goto P2.
    case IsNull
    /// NotNull P1 P2 * * *: if r[P1] is not NULL goto P2.
    case NotNull
    /// ZeroOrNull P1 P2 P3 * *: r[P2] = 0 OR NULL if r[P1] or r[P3] is NULL.
    case ZeroOrNull
    /// Compare P1 P2 P3 P4 P5: compare r[P1..P1+P3-1] with r[P2..P2+P3-1] under keyinfo P4.
    case Compare
    /// Jump P1 P2 P3 * *: jump to P1, P2 or P3 as the last Compare found less, equal or greater.
    case Jump
    /// Function P1 P2 P3 P4 P5: r[P3] = func(r[P2@P5]); P4 is the function.
    case Function
    /// AggStep * P2 P3 P4 P5: accumulator r[P3] steps with r[P2@P5].
    case AggStep
    /// AggFinal P1 P2 * P4 *: r[P1] = the final value of accumulator r[P1].
    case AggFinal
    /// Cast P1 P2 * * *: r[P1] = CAST(r[P1] AS affinity P2).
    case Cast
    /// Affinity P1 P2 * P4 *: apply the affinities P4 to r[P1@P2].
    case Affinity
    /// RealAffinity P1 * * * *: an integer in r[P1] becomes a real.
    case RealAffinity
    /// MustBeInt P1 P2 * * *: make r[P1] an integer, or jump to P2 (error "datatype mismatch" if P2 is 0).
    case MustBeInt
    /// IfPos P1 P2 P3 * *: if r[P1] > 0 then r[P1] -= P3, goto P2.
    case IfPos
    /// IfNotZero P1 P2 * * *: if r[P1] != 0 then r[P1] -= 1 (when positive), goto P2.
    case IfNotZero
    /// DecrJumpZero P1 P2 * * *: r[P1] -= 1; if r[P1] == 0 goto P2.
    case DecrJumpZero
    /// OffsetLimit P1 P2 P3 * *: r[P2] = r[P1] + max(0, r[P3]) if r[P1] > 0, else -1.
    case OffsetLimit
    /// OpenRead P1 P2 P3 P4 *: open read cursor P1 on the b-tree rooted at P2 (P4: keyinfo or column count).
    case OpenRead
    /// OpenWrite P1 P2 P3 P4 P5: open write cursor P1 on the b-tree rooted at P2 (or at r[P2] if P5 & 2).
    case OpenWrite
    /// OpenEphemeral P1 P2 * P4 *: open cursor P1 on a new temporary b-tree of P2 columns (keyinfo P4: index).
    case OpenEphemeral
    /// OpenDup P1 P2 * * *: open cursor P1 on the same ephemeral table as cursor P2.
    case OpenDup
    /// OpenPseudo P1 P2 P3 * *: cursor P1 reads the record in r[P2] with P3 columns.
    case OpenPseudo
    /// SorterOpen P1 P2 * P4 *: cursor P1 is a sorter with keyinfo P4.
    case SorterOpen
    /// Close P1 * * * *: close cursor P1.
    case Close
    /// NullRow P1 * * * *: cursor P1 points at a row of NULLs.
    case NullRow
    /// IfNullRow P1 P2 P3 * *: when cursor P1 is on a row of NULLs, r[P3] = NULL and goto P2.
    case IfNullRow
    /// Rewind P1 P2 * * *: move cursor P1 to its first entry; goto P2 if it is empty.
    case Rewind
    /// Last P1 P2 * * *: move cursor P1 to its last entry; goto P2 if it is empty.
    case Last
    /// Sort P1 P2 * * *: Rewind on an ephemeral index that holds sorted rows (an ORDER BY … LIMIT
    /// kept in an index of at most LIMIT+OFFSET entries rather than a sorter); goto P2 if it is empty.
    case Sort
    /// Next P1 P2 * * *: advance cursor P1; goto P2 if there is another entry.
    case Next
    /// Prev P1 P2 * * *: move cursor P1 back; goto P2 if there is another entry.
    case Prev
    /// SeekRowid P1 P2 P3 * *: move cursor P1 to rowid r[P3]; goto P2 if absent (or r[P3] not an integer).
    case SeekRowid
    /// NotExists P1 P2 P3 * *: as SeekRowid, with r[P3] known to be an integer.
    case NotExists
    /// SeekGE P1 P2 P3 P4 *: move index or table cursor P1 to the first key >= r[P3@P4]; goto P2 if none.
    case SeekGE
    /// SeekGT P1 P2 P3 P4 *: ... first key > r[P3@P4].
    case SeekGT
    /// SeekLE P1 P2 P3 P4 *: ... last key <= r[P3@P4].
    case SeekLE
    /// SeekLT P1 P2 P3 P4 *: ... last key < r[P3@P4].
    case SeekLT
    /// IdxGE P1 P2 P3 P4 *: goto P2 if the index key at cursor P1 >= r[P3@P4].
    case IdxGE
    /// IdxGT P1 P2 P3 P4 *: goto P2 if the index key > r[P3@P4].
    case IdxGT
    /// IdxLE P1 P2 P3 P4 *: goto P2 if the index key <= r[P3@P4].
    case IdxLE
    /// IdxLT P1 P2 P3 P4 *: goto P2 if the index key < r[P3@P4].
    case IdxLT
    /// Found P1 P2 P3 P4 *: goto P2 if index cursor P1 holds a key with prefix r[P3@P4].
    case Found
    /// NotFound P1 P2 P3 P4 *: goto P2 if index cursor P1 holds no key with prefix r[P3@P4].
    case NotFound
    /// NoConflict P1 P2 P3 P4 *: as NotFound, and also when any of r[P3@P4] is NULL.
    case NoConflict
    /// Column P1 P2 P3 P4 P5: r[P3] = column P2 of cursor P1 (P4: default for a short record).
    case Column
    /// Rowid P1 P2 * * *: r[P2] = the rowid of cursor P1.
    case Rowid
    /// IdxRowid P1 P2 * * *: r[P2] = the rowid at the end of index cursor P1's key.
    case IdxRowid
    /// DeferredSeek P1 * P3 * *: table cursor P3 moves to the rowid of index cursor P1 when next read.
    case DeferredSeek
    /// MakeRecord P1 P2 P3 P4 *: r[P3] = record of r[P1@P2] (affinities P4).
    case MakeRecord
    /// Count P1 P2 * * *: r[P2] = the number of entries of cursor P1.
    case Count
    /// NewRowid P1 P2 P3 * *: r[P2] = a new rowid for cursor P1 (P3: AUTOINCREMENT register).
    case NewRowid
    /// Insert P1 P2 P3 P4 P5: insert record r[P2] with rowid r[P3] through cursor P1 (P4: table name).
    case Insert
    /// Delete P1 P2 * P4 P5: delete the row at cursor P1.
    case Delete
    /// IdxInsert P1 P2 P3 P4 P5: insert key r[P2] into index cursor P1.
    case IdxInsert
    /// IdxDelete P1 P2 P3 * *: delete the key r[P2@P3] from index cursor P1.
    case IdxDelete
    /// SorterInsert P1 P2 * * *: add key r[P2] to sorter P1.
    case SorterInsert
    /// SorterSort P1 P2 * * *: sort sorter P1 and move to its first key; goto P2 if empty.
    case SorterSort
    /// SorterNext P1 P2 * * *: advance sorter P1; goto P2 if there is another key.
    case SorterNext
    /// SorterData P1 P2 P3 * *: r[P2] = the current key of sorter P1; pseudo cursor P3 is reset.
    case SorterData
    /// SorterCompare P1 P2 P3 P4 *: goto P2 unless the first P4 fields of sorter P1's current key equal
    /// those of the record r[P3] (a NULL among r[P3]'s fields never equals).
    case SorterCompare
    /// Sequence P1 P2 * * *: r[P2] = the next value of cursor P1's sequence counter.
    case Sequence
    /// Clear P1 * P3 * *: delete every entry of the b-tree rooted at P1; if P3 is set, r[P3] += entries deleted.
    case Clear
    /// Native P1 P2 P3 P4 *: run the statement step P4 (DDL, PRAGMA, transaction control) in Swift;
    /// rows it yields go to cursor P1.
    case Native
    /// Noop * * * * *: do nothing (a jump target).
    case Noop
    /// Explain P1 P2 P3 P4 *: a line of EXPLAIN QUERY PLAN (id P1, parent P2, text P4).
    case Explain
}

extension Opcode {
    /// True for opcodes whose P2 is a jump target (EXPLAIN and the program checker use it).
    var jumpsToP2: Bool {
        switch self {
        case .Init, .Goto, .Gosub, .InitCoroutine, .Once, .Eq, .Ne, .Lt, .Le, .Gt, .Ge, .If, .IfNot, .IsNull,
             .NotNull, .MustBeInt, .IfPos, .IfNotZero, .DecrJumpZero, .Rewind, .Last, .Sort, .Next, .Prev, .SeekRowid,
             .NotExists, .SeekGE, .SeekGT, .SeekLE, .SeekLT, .IdxGE, .IdxGT, .IdxLE, .IdxLT, .Found, .NotFound,
             .NoConflict, .SorterSort, .SorterNext, .SorterCompare:
            return true
        default:
            return false
        }
    }
}

extension Opcode {
    /// True for opcodes that cannot end a statement with an error a statement journal would undo: they
    /// fail only with what ends the whole transaction (an I/O error, a full disk, an interrupt) or what
    /// never happens to a sound file (corruption, an internal error). A writing program made only of these
    /// runs without a statement savepoint (build.c's usesStmtJournal, which needs sqlite3MayAbort): Halt
    /// and HaltIfNull (constraints, RAISE), Function and aggregates (their errors), MustBeInt, Concat
    /// (too big) and Native steps may fail half-way and keep the savepoint. Halt counts only with an error.
    var cannotAbortStatement: Bool {
        switch self {
        case .HaltIfNull, .TypeCheck, .Concat, .Function, .AggStep, .AggFinal, .MustBeInt, .Native:
            return false
        default:
            return true
        }
    }
}
