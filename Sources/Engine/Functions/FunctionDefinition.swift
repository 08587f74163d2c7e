// FunctionDefinition: one entry of the function table (SQLite's FuncDef) and the calling
// convention the VM follows.
//
// Calling convention:
// - Scalar: `body(arguments, &context) throws(DBError) -> Value`. `arguments` borrows a run
//   of registers (no copy); the body returns the result value or throws an error worded as
//   sqlite3 words it. Bodies never keep `arguments` and never touch global state.
// - Aggregate: `makeAccumulator()` gives a value-type accumulator per group; the VM calls
//   `step` per row (DISTINCT filtering is the VM's job), then `finalize`. Window-capable
//   aggregates also support `inverse` and `value`. See Aggregates.swift.
// - Inline functions (coalesce, ifnull, iif, likely, unlikely, likelihood) are normally
//   compiled to branches so unused arguments are not evaluated; their bodies exist for
//   eager evaluation and have the same results.
// Flags mirror SQLITE_FUNC_* (sqliteInt.h) so the compiler can make SQLite's decisions.

import Base

/// The type of a scalar function body.
typealias ScalarFunctionBody = @Sendable (FunctionArguments, inout FunctionContext) throws(DBError) -> Value

/// How many arguments a definition accepts.
enum FunctionArity: Sendable, Equatable {
    /// Exactly this many.
    case exactly(Int)
    /// This many or more (SQLite's nArg = -1; the minimum encodes its "wrong number" entries).
    case atLeast(Int)

    /// SQLite's nArg as pragma function_list shows it (-1 for variadic).
    var sqliteArgumentCount: Int {
        switch self {
        case .exactly(let n): return n
        case .atLeast: return -1
        }
    }
}

/// SQLITE_FUNC_* properties of a definition.
struct FunctionFlags: OptionSet, Sendable {
    /// The flag bits (swiftdb's own numbering, not SQLite's).
    let rawValue: UInt32
    /// Same arguments, same result (SQLITE_DETERMINISTIC / SQLITE_FUNC_CONSTANT).
    static let deterministic = FunctionFlags(rawValue: 1 << 0)
    /// Constant within one statement, but not deterministic (SQLITE_FUNC_SLOCHNG).
    static let slowChanging = FunctionFlags(rawValue: 1 << 1)
    /// Uses the collating sequence of its arguments (SQLITE_FUNC_NEEDCOLL).
    static let needsCollation = FunctionFlags(rawValue: 1 << 2)
    /// count(*) (SQLITE_FUNC_COUNT).
    static let countStar = FunctionFlags(rawValue: 1 << 3)
    /// The min()/max() aggregates (SQLITE_FUNC_MINMAX).
    static let minMax = FunctionFlags(rawValue: 1 << 4)
    /// like() and glob() (SQLITE_FUNC_LIKE).
    static let like = FunctionFlags(rawValue: 1 << 5)
    /// glob() and case-sensitive like() (SQLITE_FUNC_CASE).
    static let caseSensitive = FunctionFlags(rawValue: 1 << 6)
    /// likely(), unlikely(), likelihood() (SQLITE_FUNC_UNLIKELY).
    static let unlikely = FunctionFlags(rawValue: 1 << 7)
    /// typeof(): only the datatype of the argument is needed (SQLITE_FUNC_TYPEOF).
    static let typeofArgument = FunctionFlags(rawValue: 1 << 8)
    /// length(): only the length of the argument is needed (SQLITE_FUNC_LENGTH).
    static let lengthArgument = FunctionFlags(rawValue: 1 << 9)
    /// Usable only from top-level SQL, not from schema objects (SQLITE_DIRECTONLY).
    static let directOnly = FunctionFlags(rawValue: 1 << 10)
    /// The result does not depend on the order of rows (SQLITE_FUNC_ANYORDER).
    static let anyOrder = FunctionFlags(rawValue: 1 << 11)
    /// Safe to use from schema objects (SQLITE_INNOCUOUS).
    static let innocuous = FunctionFlags(rawValue: 1 << 12)
}

/// Functions that the compiler turns into code (INLINEFUNC_* in sqliteInt.h).
enum InlineFunction: Sendable {
    /// coalesce() and ifnull(): the first non-NULL argument, evaluated lazily.
    case coalesce
    /// iif(c, a, b): CASE WHEN c THEN a ELSE b END.
    case iif
    /// likely(), unlikely(), likelihood(): the first argument (a planner hint).
    case unlikely
}

/// The built-in aggregates.
enum AggregateKind: Sendable {
    case count, countStar, sum, total, average, min, max, groupConcat
}

/// What a definition runs.
enum FunctionImplementation: Sendable {
    case scalar(ScalarFunctionBody)
    case aggregate(AggregateKind)
}

/// One SQL function definition (a name and an arity).
struct FunctionDefinition: Sendable {
    /// The lower-case name.
    let name: String
    /// The argument counts accepted.
    let arity: FunctionArity
    /// SQLITE_FUNC_* properties.
    let flags: FunctionFlags
    /// The body (scalar) or the accumulator kind (aggregate).
    let implementation: FunctionImplementation
    /// Set when the compiler should generate code instead of calling the body.
    let inline: InlineFunction?

    /// A definition with explicit flags.
    init(_ name: String, _ arity: FunctionArity, _ flags: FunctionFlags,
         inline: InlineFunction? = nil, _ implementation: FunctionImplementation) {
        self.name = name
        self.arity = arity
        self.flags = flags
        self.implementation = implementation
        self.inline = inline
    }

    /// A deterministic, innocuous definition (the common case).
    init(_ name: String, _ arity: FunctionArity, inline: InlineFunction? = nil,
         _ implementation: FunctionImplementation) {
        self.init(name, arity, [.deterministic, .innocuous], inline: inline, implementation)
    }

    /// Whether this is an aggregate (it has a finalizer).
    var isAggregate: Bool {
        if case .aggregate = implementation { return true }
        return false
    }

    /// Whether the aggregate can run as a window function with inverse/value.
    var isWindowAggregate: Bool { isAggregate }

    /// Whether this definition accepts `count` arguments, and how well (SQLite matchQuality):
    /// 0 = no, 1 = variadic, 2 = exact.
    func matchQuality(argumentCount count: Int) -> Int {
        switch arity {
        case .exactly(let n): return n == count ? 2 : 0
        case .atLeast(let n): return count >= n ? 1 : 0
        }
    }

    /// Calls a scalar body (aggregates return NULL here; use `makeAccumulator`).
    @inline(__always)
    func callScalar(_ arguments: FunctionArguments, _ context: inout FunctionContext) throws(DBError) -> Value {
        guard case .scalar(let body) = implementation else { return .null }
        return try body(arguments, &context)
    }

    /// A fresh accumulator for one group, or nil for scalar functions.
    func makeAccumulator() -> AggregateAccumulator? {
        guard case .aggregate(let kind) = implementation else { return nil }
        return AggregateAccumulator(kind)
    }
}
