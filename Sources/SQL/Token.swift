// Token: the kinds of token the lexer produces, and a token's place in the input.
//
// Follows SQLite's token classes (tokenize.c, parse.y's %token lines): every
// keyword has its own kind, so the AST can say LEFT from RIGHT or GLOB from LIKE,
// and the grammar's classes (JOIN_KW, LIKE_KW, CTIME_KW, the %fallback set) are
// properties of the kind. A token is 12 bytes: its kind and the byte range it
// covers in the input, which the parser slices when it needs the text.
// Invariant: `start <= end <= input.count`; only `.end` and `.illegal` tokens of
// an unterminated literal may be empty or run to the end of the input.

/// The kind of a token: punctuation, a literal class, an identifier, or one keyword.
public enum TokenKind: UInt8, Sendable {
    // End of the input (or a NUL byte), a byte sequence that is no token, and white
    // space or a comment (the lexer skips these; the parser never sees one).
    case end, illegal, space
    // Literals, identifiers and parameters.
    case integer, float, string, blob, variable, identifier
    // Punctuation and operators.
    case semicolon, leftParen, rightParen, comma, dot
    case plus, minus, star, slash, percent, concat, arrow
    case equal, notEqual, less, lessEqual, greater, greaterEqual
    case ampersand, pipe, shiftLeft, shiftRight, tilde
    // Keywords, in the order of SQLite's keyword list (mkkeywordhash.c).
    case kwAbort, kwAction, kwAdd, kwAfter, kwAll, kwAlter, kwAlways, kwAnalyze, kwAnd, kwAs
    case kwAsc, kwAttach, kwAutoincrement, kwBefore, kwBegin, kwBetween, kwBy, kwCascade
    case kwCase, kwCast, kwCheck, kwCollate, kwColumn, kwCommit, kwConflict, kwConstraint
    case kwCreate, kwCross, kwCurrent, kwCurrentDate, kwCurrentTime, kwCurrentTimestamp
    case kwDatabase, kwDefault, kwDeferred, kwDeferrable, kwDelete, kwDesc, kwDetach
    case kwDistinct, kwDo, kwDrop, kwEnd, kwEach, kwElse, kwEscape, kwExcept, kwExclusive
    case kwExclude, kwExists, kwExplain, kwFail, kwFilter, kwFirst, kwFollowing, kwFor
    case kwForeign, kwFrom, kwFull, kwGenerated, kwGlob, kwGroup, kwGroups, kwHaving, kwIf
    case kwIgnore, kwImmediate, kwIn, kwIndex, kwIndexed, kwInitially, kwInner, kwInsert
    case kwInstead, kwIntersect, kwInto, kwIs, kwIsnull, kwJoin, kwKey, kwLast, kwLeft
    case kwLike, kwLimit, kwMatch, kwMaterialized, kwNatural, kwNo, kwNot, kwNothing
    case kwNotnull, kwNull, kwNulls, kwOf, kwOffset, kwOn, kwOr, kwOrder, kwOthers, kwOuter
    case kwOver, kwPartition, kwPlan, kwPragma, kwPreceding, kwPrimary, kwQuery, kwRaise
    case kwRange, kwRecursive, kwReferences, kwRegexp, kwReindex, kwRelease, kwRename
    case kwReplace, kwRestrict, kwReturning, kwRight, kwRollback, kwRow, kwRows, kwSavepoint
    case kwSelect, kwSet, kwTable, kwTemp, kwThen, kwTies, kwTo, kwTransaction, kwTrigger
    case kwUnbounded, kwUnion, kwUnique, kwUpdate, kwUsing, kwVacuum, kwValues, kwView
    case kwVirtual, kwWhen, kwWhere, kwWindow, kwWith, kwWithout

    /// True for the keywords of parse.y's `%fallback ID` list: where the keyword cannot be
    /// read as itself, the parser reads it as an identifier.
    @inlinable public var fallsBackToIdentifier: Bool {
        switch self {
        case .kwAbort, .kwAction, .kwAfter, .kwAnalyze, .kwAsc, .kwAttach, .kwBefore, .kwBegin,
             .kwBy, .kwCascade, .kwCast, .kwColumn, .kwConflict, .kwDatabase, .kwDeferred, .kwDesc,
             .kwDetach, .kwDo, .kwEach, .kwEnd, .kwExclusive, .kwExplain, .kwFail, .kwFor,
             .kwIgnore, .kwImmediate, .kwInitially, .kwInstead, .kwLike, .kwGlob, .kwRegexp,
             .kwMatch, .kwNo, .kwPlan, .kwQuery, .kwKey, .kwOf, .kwOffset, .kwPragma, .kwRaise,
             .kwRecursive, .kwRelease, .kwReplace, .kwRestrict, .kwRow, .kwRows, .kwRollback,
             .kwSavepoint, .kwTemp, .kwTrigger, .kwVacuum, .kwView, .kwVirtual, .kwWith,
             .kwWithout, .kwNulls, .kwFirst, .kwLast, .kwCurrent, .kwFollowing, .kwPartition,
             .kwPreceding, .kwRange, .kwUnbounded, .kwExclude, .kwGroups, .kwOthers, .kwTies,
             .kwGenerated, .kwAlways, .kwMaterialized, .kwReindex, .kwRename,
             .kwCurrentDate, .kwCurrentTime, .kwCurrentTimestamp, .kwIf:
            return true
        default:
            return false
        }
    }

    /// JOIN_KW: CROSS, FULL, INNER, LEFT, NATURAL, OUTER, RIGHT.
    @inlinable public var isJoinKeyword: Bool {
        switch self {
        case .kwCross, .kwFull, .kwInner, .kwLeft, .kwNatural, .kwOuter, .kwRight: return true
        default: return false
        }
    }

    /// LIKE_KW: LIKE, GLOB, REGEXP (MATCH has its own token in the grammar).
    @inlinable public var isLikeKeyword: Bool {
        self == .kwLike || self == .kwGlob || self == .kwRegexp
    }

    /// CTIME_KW: CURRENT_DATE, CURRENT_TIME, CURRENT_TIMESTAMP.
    @inlinable public var isTimeKeyword: Bool {
        self == .kwCurrentDate || self == .kwCurrentTime || self == .kwCurrentTimestamp
    }

    /// True for every keyword kind.
    @inlinable public var isKeyword: Bool { rawValue >= TokenKind.kwAbort.rawValue }

    /// The grammar's `id` class: ID, INDEXED, or a keyword that falls back to ID.
    @inlinable var isID: Bool {
        self == .identifier || self == .kwIndexed || fallsBackToIdentifier
    }

    /// The grammar's `ids` class: ID or STRING (with the fallback keywords).
    @inlinable var isIDOrString: Bool {
        self == .identifier || self == .string || fallsBackToIdentifier
    }

    /// The grammar's `nm` class: `id`, STRING or JOIN_KW.
    @inlinable var isName: Bool {
        isID || self == .string || isJoinKeyword
    }
}

/// One token: its kind and the bytes `start..<end` of the input it was read from.
public struct Token: Sendable, Equatable {
    public var kind: TokenKind
    public var start: UInt32
    public var end: UInt32

    @inlinable public init(kind: TokenKind, start: UInt32, end: UInt32) {
        self.kind = kind
        self.start = start
        self.end = end
    }

    /// The token's place in the input.
    @inlinable public var range: SourceRange { SourceRange(start: start, end: end) }
    @inlinable public var length: Int { Int(end &- start) }
}
