// ResultCode: SQLite's primary and extended result codes.
//
// Implements the numbering of https://sqlite.org/rescode.html exactly: the low
// 8 bits are the primary code, the upper bits select an extended code. Every
// error that leaves swiftdb carries one of these (DESIGN.md, decision 5).
// `ioPending` is swiftdb's own: it never reaches a user; it marks a storage
// call that submitted I/O and must be re-entered (DESIGN.md, decision 3).
// `wouldBlock`, also internal, marks work refused in the pager's `.noWait`
// mode (a lock wait, a read not in memory): it is re-run where blocking is allowed.

/// An SQLite result code, primary or extended (`SQLITE_IOERR_FSYNC` and so on).
public struct ResultCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int32
    @inlinable public init(rawValue: Int32) { self.rawValue = rawValue }

    /// The primary code (the low 8 bits), e.g. `.ioerr` for `.ioerrFsync`.
    @inlinable public var primary: ResultCode { ResultCode(rawValue: rawValue & 0xff) }

    @inlinable static func ext(_ primary: ResultCode, _ n: Int32) -> ResultCode {
        ResultCode(rawValue: primary.rawValue | (n << 8))
    }

    public static let ok = ResultCode(rawValue: 0)
    public static let error = ResultCode(rawValue: 1)
    public static let `internal` = ResultCode(rawValue: 2)
    public static let perm = ResultCode(rawValue: 3)
    public static let abort = ResultCode(rawValue: 4)
    public static let busy = ResultCode(rawValue: 5)
    public static let locked = ResultCode(rawValue: 6)
    public static let nomem = ResultCode(rawValue: 7)
    public static let readonly = ResultCode(rawValue: 8)
    public static let interrupt = ResultCode(rawValue: 9)
    public static let ioerr = ResultCode(rawValue: 10)
    public static let corrupt = ResultCode(rawValue: 11)
    public static let notfound = ResultCode(rawValue: 12)
    public static let full = ResultCode(rawValue: 13)
    public static let cantopen = ResultCode(rawValue: 14)
    public static let `protocol` = ResultCode(rawValue: 15)
    public static let empty = ResultCode(rawValue: 16)
    public static let schema = ResultCode(rawValue: 17)
    public static let toobig = ResultCode(rawValue: 18)
    public static let constraint = ResultCode(rawValue: 19)
    public static let mismatch = ResultCode(rawValue: 20)
    public static let misuse = ResultCode(rawValue: 21)
    public static let nolfs = ResultCode(rawValue: 22)
    public static let auth = ResultCode(rawValue: 23)
    public static let format = ResultCode(rawValue: 24)
    public static let range = ResultCode(rawValue: 25)
    public static let notadb = ResultCode(rawValue: 26)
    public static let notice = ResultCode(rawValue: 27)
    public static let warning = ResultCode(rawValue: 28)
    public static let row = ResultCode(rawValue: 100)
    public static let done = ResultCode(rawValue: 101)

    public static let errorMissingCollseq = ext(.error, 1)
    public static let errorRetry = ext(.error, 2)
    public static let errorSnapshot = ext(.error, 3)
    public static let ioerrRead = ext(.ioerr, 1)
    public static let ioerrShortRead = ext(.ioerr, 2)
    public static let ioerrWrite = ext(.ioerr, 3)
    public static let ioerrFsync = ext(.ioerr, 4)
    public static let ioerrDirFsync = ext(.ioerr, 5)
    public static let ioerrTruncate = ext(.ioerr, 6)
    public static let ioerrFstat = ext(.ioerr, 7)
    public static let ioerrUnlock = ext(.ioerr, 8)
    public static let ioerrRdlock = ext(.ioerr, 9)
    public static let ioerrDelete = ext(.ioerr, 10)
    public static let ioerrNomem = ext(.ioerr, 12)
    public static let ioerrAccess = ext(.ioerr, 13)
    public static let ioerrCheckReservedLock = ext(.ioerr, 14)
    public static let ioerrLock = ext(.ioerr, 15)
    public static let ioerrClose = ext(.ioerr, 16)
    public static let ioerrDirClose = ext(.ioerr, 17)
    public static let ioerrShmOpen = ext(.ioerr, 18)
    public static let ioerrShmSize = ext(.ioerr, 19)
    public static let ioerrShmLock = ext(.ioerr, 20)
    public static let ioerrShmMap = ext(.ioerr, 21)
    public static let ioerrSeek = ext(.ioerr, 22)
    public static let ioerrDeleteNoent = ext(.ioerr, 23)
    public static let ioerrMmap = ext(.ioerr, 24)
    public static let ioerrData = ext(.ioerr, 32)
    public static let ioerrCorruptFS = ext(.ioerr, 33)
    public static let lockedSharedCache = ext(.locked, 1)
    public static let busyRecovery = ext(.busy, 1)
    public static let busySnapshot = ext(.busy, 2)
    public static let busyTimeout = ext(.busy, 3)
    public static let cantopenNoTempDir = ext(.cantopen, 1)
    public static let cantopenIsDir = ext(.cantopen, 2)
    public static let cantopenFullPath = ext(.cantopen, 3)
    public static let corruptSequence = ext(.corrupt, 2)
    public static let corruptIndex = ext(.corrupt, 3)
    public static let readonlyRecovery = ext(.readonly, 1)
    public static let readonlyCantLock = ext(.readonly, 2)
    public static let readonlyRollback = ext(.readonly, 3)
    public static let readonlyDBMoved = ext(.readonly, 4)
    public static let readonlyDirectory = ext(.readonly, 6)
    public static let abortRollback = ext(.abort, 2)
    public static let constraintCheck = ext(.constraint, 1)
    public static let constraintCommitHook = ext(.constraint, 2)
    public static let constraintForeignKey = ext(.constraint, 3)
    public static let constraintFunction = ext(.constraint, 4)
    public static let constraintNotNull = ext(.constraint, 5)
    public static let constraintPrimaryKey = ext(.constraint, 6)
    public static let constraintTrigger = ext(.constraint, 7)
    public static let constraintUnique = ext(.constraint, 8)
    public static let constraintVTab = ext(.constraint, 9)
    public static let constraintRowID = ext(.constraint, 10)
    public static let constraintPinned = ext(.constraint, 11)
    public static let constraintDataType = ext(.constraint, 12)
    public static let noticeRecoverWAL = ext(.notice, 1)
    public static let noticeRecoverRollback = ext(.notice, 2)

    /// swiftdb's internal "I/O submitted, re-enter later" marker. Never a user-visible code.
    public static let ioPending = ResultCode(rawValue: -1)
    /// swiftdb's internal "this would block the thread; run it where blocking is allowed" marker.
    public static let wouldBlock = ResultCode(rawValue: -2)

    /// sqlite3_errstr(): the generic English text for a code (main.c, sqlite3ErrStr).
    public var defaultMessage: String {
        switch self {
        case .abortRollback: return "abort due to ROLLBACK"
        case .row: return "another row available"
        case .done: return "no more rows available"
        case .ioPending: return "I/O pending"
        case .wouldBlock: return "would block"
        default: break
        }
        switch primary.rawValue {
        case 0: return "not an error"
        case 1: return "SQL logic error"
        case 3: return "access permission denied"
        case 4: return "query aborted"
        case 5: return "database is locked"
        case 6: return "database table is locked"
        case 7: return "out of memory"
        case 8: return "attempt to write a readonly database"
        case 9: return "interrupted"
        case 10: return "disk I/O error"
        case 11: return "database disk image is malformed"
        case 12: return "unknown operation"
        case 13: return "database or disk is full"
        case 14: return "unable to open database file"
        case 15: return "locking protocol"
        case 17: return "database schema has changed"
        case 18: return "string or blob too big"
        case 19: return "constraint failed"
        case 20: return "datatype mismatch"
        case 21: return "bad parameter or other API misuse"
        case 23: return "authorization denied"
        case 25: return "column index out of range"
        case 26: return "file is not a database"
        case 27: return "notification message"
        case 28: return "warning message"
        default: return "unknown error"
        }
    }

    public var description: String { "\(rawValue) (\(defaultMessage))" }
}
