// Concatenation: the `||` operator (vdbe.c OP_Concat) and SQLite's length limit.
//
// NULL on either side gives NULL. Numbers are rendered as text first (integers in decimal,
// reals as "%!.15g"); blob bytes are taken as they are. The result is always TEXT, even for
// two blobs. A result longer than SQLITE_MAX_LENGTH (1,000,000,000 bytes) is an error
// "string or blob too big" (SQLITE_TOOBIG), checked before anything is allocated.

import Base

/// SQLite's limits that the value layer and the built-in functions enforce.
enum SQLiteLimits {
    /// SQLITE_MAX_LENGTH / SQLITE_LIMIT_LENGTH: the longest string or blob, in bytes.
    static let maxLength = 1_000_000_000
    /// SQLITE_MAX_LIKE_PATTERN_LENGTH: the longest LIKE or GLOB pattern, in bytes.
    static let maxLikePatternLength = 50_000
    /// SQLITE_MAX_FUNCTION_ARG: the most arguments a function call may have.
    static let maxFunctionArguments = 127
}

extension DBError {
    /// SQLITE_TOOBIG, "string or blob too big".
    static var tooBig: DBError { DBError(.toobig) }
}

/// The || operator (namespace).
enum Concatenation {
    /// `lhs || rhs`.
    static func concatenate(_ lhs: Value, _ rhs: Value) throws(DBError) -> Value {
        switch (lhs, rhs) {
        case (.null, _), (_, .null): return .null
        case (.text(let a), .text(let b)), (.text(let a), .blob(let b)), (.blob(let a), .text(let b)),
             (.blob(let a), .blob(let b)):
            if a.count + b.count > SQLiteLimits.maxLength { throw .tooBig }
            return .text(a + b)
        default:
            var out: [UInt8] = []
            try append(lhs, to: &out)
            try append(rhs, to: &out)
            return .text(out)
        }
    }

    /// Appends the text form of a non-NULL value.
    private static func append(_ v: Value, to out: inout [UInt8]) throws(DBError) {
        switch v {
        case .integer(let i): appendInteger(i, to: &out)
        case .real(let r): appendRealAsText(r, to: &out)
        case .text(let t), .blob(let t):
            if out.count + t.count > SQLiteLimits.maxLength { throw .tooBig }
            out.append(contentsOf: t)
        case .null: break
        }
    }
}
