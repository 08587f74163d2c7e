// FunctionRegistry: name + argument count → FunctionDefinition, with sqlite3's errors
// (callback.c sqlite3FindFunction, resolve.c; the built-in table of func.c, date.c).
//
// Names compare ASCII case-insensitively. An exact arity beats a variadic one (matchQuality),
// so max(x) is the aggregate and max(x, y) the scalar. When no definition takes the count
// the error is "wrong number of arguments to function NAME()" if the name exists, else
// "no such function: NAME", with NAME as written in the SQL. The built-in set is exactly
// what the oracle (Debian's sqlite3 3.40.1) registers, except JSON functions, window-only
// functions (row_number, rank, ...) and FTS/R-tree helpers, which are not implemented yet.
// Absent from 3.40.1 and so never registered: concat, concat_ws, string_agg, unhex,
// octet_length, timediff. Lookup is for the compiler; the VM keeps the definition it gets.

import Base

/// The outcome of a function lookup.
enum FunctionLookup {
    case found(FunctionDefinition)
    case wrongArgumentCount
    case noSuchFunction
}

/// A set of SQL functions.
struct FunctionRegistry: Sendable {
    private var table: [String: [FunctionDefinition]] = [:]
    /// The same definitions by `nameKey` of their names (length and first seven bytes, folded): a lookup
    /// per function call the compiler meets hashes one integer and allocates nothing, where folding the
    /// name into a new string and hashing it cost more than the rest of compiling the call.
    private var byKey: [UInt64: [FunctionDefinition]] = [:]

    /// An empty registry.
    init() {}

    /// Adds (or replaces, for the same name and arity) a definition.
    mutating func register(_ definition: FunctionDefinition) {
        let key = UTF8Text.foldedIdentifier(definition.name)
        var list = table[key] ?? []
        list.removeAll { $0.arity == definition.arity }
        list.append(definition)
        table[key] = list
        var sameKey = byKey[nameKey(definition.name)] ?? []
        sameKey.removeAll { $0.arity == definition.arity && namesMatch($0.name, definition.name) }
        sameKey.append(definition)
        byKey[nameKey(definition.name)] = sameKey
    }

    /// The best definition for `name` called with `argumentCount` arguments.
    func lookup(_ name: String, argumentCount: Int) -> FunctionLookup {
        let key = nameKey(name)
        guard let list = byKey[key] else { return .noSuchFunction }
        let whole = key >> 56 <= 7
        var best: FunctionDefinition?
        var bestQuality = 0
        var named = false
        for d in list where whole || namesMatch(d.name, name) {
            named = true
            let q = d.matchQuality(argumentCount: argumentCount)
            if q > bestQuality {
                best = d
                bestQuality = q
            }
        }
        if let best { return .found(best) }
        return named ? .wrongArgumentCount : .noSuchFunction
    }

    /// Like `lookup`, but throws sqlite3's error for a missing function or a wrong count.
    func resolve(_ name: String, argumentCount: Int) throws(DBError) -> FunctionDefinition {
        switch lookup(name, argumentCount: argumentCount) {
        case .found(let d): return d
        case .wrongArgumentCount: throw DBError(.error, "wrong number of arguments to function \(name)()")
        case .noSuchFunction: throw DBError(.error, "no such function: \(name)")
        }
    }

    /// The planner probability of likely()/unlikely()/likelihood() (resolve.c exprProbability),
    /// in SQLite's units of 1/134217728. `floatLiteral` is the token of likelihood()'s second
    /// argument when it is a floating-point literal (nil otherwise); `name` is as written.
    static func likelihoodProbability(name: String, floatLiteral: String?) throws(DBError) -> Int {
        if UTF8Text.identifiersEqual(name, "likely") { return 125_829_120 }
        if UTF8Text.identifiersEqual(name, "unlikely") { return 8_388_608 }
        guard let floatLiteral else { throw likelihoodError(name) }
        let r = NumericParsing.parseReal(Array(floatLiteral.utf8).span).value
        if r > 1.0 || r < 0.0 { throw likelihoodError(name) }
        return Int(r * 134_217_728.0)
    }

    private static func likelihoodError(_ name: String) -> DBError {
        DBError(.error, "second argument to \(name)() must be a constant between 0.0 and 1.0")
    }

    /// "misuse of aggregate function NAME()" (an aggregate where none is allowed).
    static func misuseOfAggregate(_ name: String) -> DBError {
        DBError(.error, "misuse of aggregate function \(name)()")
    }

    /// "too many arguments on function NAME" (more than SQLITE_MAX_FUNCTION_ARG = 127).
    static func tooManyArguments(_ name: String) -> DBError {
        DBError(.error, "too many arguments on function \(name)")
    }

    /// Every definition, ordered by name then arity (for pragma function_list; deterministic).
    var allDefinitions: [FunctionDefinition] {
        table.values.flatMap { $0 }.sorted {
            ($0.name, $0.arity.sqliteArgumentCount) < ($1.name, $1.arity.sqliteArgumentCount)
        }
    }

    /// The built-in functions of SQLite 3.40.1 as Debian builds it (see the file header).
    static let builtin: FunctionRegistry = {
        var r = FunctionRegistry()
        for d in CoreFunctionTable.definitions { r.register(d) }
        for d in MathFunctions.definitions { r.register(d) }
        return r
    }()

    /// like() with SQLite's case sensitivity setting (PRAGMA case_sensitive_like).
    static func likeDefinitions(caseSensitive: Bool) -> [FunctionDefinition] {
        let flags: FunctionFlags = caseSensitive ? [.deterministic, .innocuous, .like, .caseSensitive]
                                                 : [.deterministic, .innocuous, .like]
        return [
            FunctionDefinition("like", .exactly(2), flags, .scalar { (a, _) throws(DBError) -> Value in
                try TextFunctions.like(a, caseSensitive: caseSensitive)
            }),
            FunctionDefinition("like", .exactly(3), flags, .scalar { (a, _) throws(DBError) -> Value in
                try TextFunctions.like(a, caseSensitive: caseSensitive)
            }),
        ]
    }
}

/// The table of func.c and date.c built-ins (math functions are in MathFunctions.swift).
enum CoreFunctionTable {
    /// The scalar functions of func.c, like() included.
    static var definitions: [FunctionDefinition] {
        let pure: FunctionFlags = [.deterministic, .innocuous]
        let volatile: FunctionFlags = [.innocuous]
        let slow: FunctionFlags = [.slowChanging, .innocuous]
        let collating: FunctionFlags = [.deterministic, .innocuous, .needsCollation]
        var list: [FunctionDefinition] = [
            FunctionDefinition("abs", .exactly(1), .scalar(CoreFunctions.abs)),
            FunctionDefinition("changes", .exactly(0), volatile, .scalar(CoreFunctions.changes)),
            FunctionDefinition("char", .atLeast(0), .scalar(TextFunctions.char)),
            FunctionDefinition("coalesce", .atLeast(2), inline: .coalesce, .scalar(CoreFunctions.coalesce)),
            FunctionDefinition("glob", .exactly(2), [.deterministic, .innocuous, .like, .caseSensitive],
                               .scalar(TextFunctions.glob)),
            FunctionDefinition("hex", .exactly(1), .scalar(TextFunctions.hex)),
            FunctionDefinition("ifnull", .exactly(2), inline: .coalesce, .scalar(CoreFunctions.coalesce)),
            FunctionDefinition("iif", .exactly(3), inline: .iif, .scalar(CoreFunctions.iif)),
            FunctionDefinition("instr", .exactly(2), .scalar(TextFunctions.instr)),
            FunctionDefinition("last_insert_rowid", .exactly(0), volatile, .scalar(CoreFunctions.lastInsertRowID)),
            FunctionDefinition("length", .exactly(1), pure.union(.lengthArgument), .scalar(TextFunctions.length)),
            FunctionDefinition("likelihood", .exactly(2), pure.union(.unlikely), inline: .unlikely,
                               .scalar(CoreFunctions.unlikely)),
            FunctionDefinition("likely", .exactly(1), pure.union(.unlikely), inline: .unlikely,
                               .scalar(CoreFunctions.unlikely)),
            FunctionDefinition("lower", .exactly(1), .scalar(TextFunctions.lower)),
            FunctionDefinition("ltrim", .exactly(1), .scalar(TextFunctions.leftTrim)),
            FunctionDefinition("ltrim", .exactly(2), .scalar(TextFunctions.leftTrim)),
            FunctionDefinition("max", .atLeast(2), collating, .scalar(CoreFunctions.maximum)),
            FunctionDefinition("max", .exactly(1), [.deterministic, .innocuous, .needsCollation, .minMax, .anyOrder],
                               .aggregate(.max)),
            FunctionDefinition("min", .atLeast(2), collating, .scalar(CoreFunctions.minimum)),
            FunctionDefinition("min", .exactly(1), [.deterministic, .innocuous, .needsCollation, .minMax, .anyOrder],
                               .aggregate(.min)),
            FunctionDefinition("nullif", .exactly(2), collating, .scalar(CoreFunctions.nullIf)),
            FunctionDefinition("printf", .atLeast(0), .scalar(TextFunctions.printf)),
            FunctionDefinition("format", .atLeast(0), .scalar(TextFunctions.printf)),
            FunctionDefinition("quote", .exactly(1), .scalar(TextFunctions.quote)),
            FunctionDefinition("random", .exactly(0), volatile, .scalar(CoreFunctions.random)),
            FunctionDefinition("randomblob", .exactly(1), volatile, .scalar(CoreFunctions.randomBlob)),
            FunctionDefinition("replace", .exactly(3), .scalar(TextFunctions.replace)),
            FunctionDefinition("round", .exactly(1), .scalar(CoreFunctions.round)),
            FunctionDefinition("round", .exactly(2), .scalar(CoreFunctions.round)),
            FunctionDefinition("rtrim", .exactly(1), .scalar(TextFunctions.rightTrim)),
            FunctionDefinition("rtrim", .exactly(2), .scalar(TextFunctions.rightTrim)),
            FunctionDefinition("sign", .exactly(1), .scalar(CoreFunctions.sign)),
            FunctionDefinition("soundex", .exactly(1), .scalar(TextFunctions.soundex)),
            FunctionDefinition("sqlite_compileoption_get", .exactly(1), slow, .scalar(CoreFunctions.compileOptionGet)),
            FunctionDefinition("sqlite_compileoption_used", .exactly(1), slow,
                               .scalar(CoreFunctions.compileOptionUsed)),
            FunctionDefinition("sqlite_log", .exactly(2), .scalar(CoreFunctions.log)),
            FunctionDefinition("sqlite_source_id", .exactly(0), slow, .scalar(CoreFunctions.sourceID)),
            FunctionDefinition("sqlite_version", .exactly(0), slow, .scalar(CoreFunctions.version)),
            FunctionDefinition("load_extension", .exactly(1), [.directOnly], .scalar(CoreFunctions.loadExtension)),
            FunctionDefinition("load_extension", .exactly(2), [.directOnly], .scalar(CoreFunctions.loadExtension)),
            FunctionDefinition("substr", .exactly(2), .scalar(TextFunctions.substr)),
            FunctionDefinition("substr", .exactly(3), .scalar(TextFunctions.substr)),
            FunctionDefinition("substring", .exactly(2), .scalar(TextFunctions.substr)),
            FunctionDefinition("substring", .exactly(3), .scalar(TextFunctions.substr)),
            FunctionDefinition("subtype", .exactly(1), pure.union(.typeofArgument), .scalar(CoreFunctions.subtype)),
            FunctionDefinition("total_changes", .exactly(0), volatile, .scalar(CoreFunctions.totalChanges)),
            FunctionDefinition("trim", .exactly(1), .scalar(TextFunctions.trim)),
            FunctionDefinition("trim", .exactly(2), .scalar(TextFunctions.trim)),
            FunctionDefinition("typeof", .exactly(1), pure.union(.typeofArgument), .scalar(CoreFunctions.typeOf)),
            FunctionDefinition("unicode", .exactly(1), .scalar(TextFunctions.unicode)),
            FunctionDefinition("unlikely", .exactly(1), pure.union(.unlikely), inline: .unlikely,
                               .scalar(CoreFunctions.unlikely)),
            FunctionDefinition("upper", .exactly(1), .scalar(TextFunctions.upper)),
            FunctionDefinition("zeroblob", .exactly(1), .scalar(CoreFunctions.zeroBlob)),
        ]
        list.append(contentsOf: FunctionRegistry.likeDefinitions(caseSensitive: false))
        list.append(contentsOf: aggregateAndDateDefinitions)
        return list
    }

    /// The aggregates and the date and time functions.
    static var aggregateAndDateDefinitions: [FunctionDefinition] {
        let volatile: FunctionFlags = [.innocuous]
        let slow: FunctionFlags = [.slowChanging, .innocuous]
        let date: FunctionFlags = [.deterministic, .slowChanging, .innocuous]
        return [
            FunctionDefinition("avg", .exactly(1), volatile, .aggregate(.average)),
            FunctionDefinition("count", .exactly(0), [.innocuous, .countStar, .anyOrder], .aggregate(.countStar)),
            FunctionDefinition("count", .exactly(1), [.innocuous, .anyOrder], .aggregate(.count)),
            FunctionDefinition("group_concat", .exactly(1), volatile, .aggregate(.groupConcat)),
            FunctionDefinition("group_concat", .exactly(2), volatile, .aggregate(.groupConcat)),
            FunctionDefinition("sum", .exactly(1), volatile, .aggregate(.sum)),
            FunctionDefinition("total", .exactly(1), volatile, .aggregate(.total)),
            FunctionDefinition("date", .atLeast(0), date, .scalar(DateTimeFunctions.date)),
            FunctionDefinition("time", .atLeast(0), date, .scalar(DateTimeFunctions.time)),
            FunctionDefinition("datetime", .atLeast(0), date, .scalar(DateTimeFunctions.dateTime)),
            FunctionDefinition("julianday", .atLeast(0), date, .scalar(DateTimeFunctions.julianDay)),
            FunctionDefinition("unixepoch", .atLeast(0), date, .scalar(DateTimeFunctions.unixEpoch)),
            FunctionDefinition("strftime", .atLeast(0), date, .scalar(DateTimeFunctions.strftime)),
            FunctionDefinition("current_date", .exactly(0), slow, .scalar(DateTimeFunctions.currentDate)),
            FunctionDefinition("current_time", .exactly(0), slow, .scalar(DateTimeFunctions.currentTime)),
            FunctionDefinition("current_timestamp", .exactly(0), slow, .scalar(DateTimeFunctions.currentTimestamp)),
        ]
    }
}
