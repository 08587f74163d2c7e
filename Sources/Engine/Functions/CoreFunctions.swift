// CoreFunctions: the non-text scalar built-ins of lang_corefunc.html (func.c): abs, typeof,
// coalesce/ifnull, iif, nullif, min/max (scalar), likely/unlikely/likelihood, changes,
// total_changes, last_insert_rowid, random, randomblob, zeroblob, round, sign, subtype,
// sqlite_version, sqlite_source_id, sqlite_compileoption_get/used, sqlite_log,
// load_extension.
//
// Each body follows its func.c counterpart: arguments are read with the same conversions
// (sqlite3_value_int64/double/text), NULL handling is SQLite's, and errors carry sqlite3's
// wording ("integer overflow", "string or blob too big", "not authorized").
// The version strings are those of the oracle build (Debian's SQLite 3.40.1).

import Base

/// Bodies of the core scalar functions (func.c); registered in FunctionRegistry.swift.
enum CoreFunctions {
    /// What sqlite_version() returns: the version of the oracle build.
    static let sqliteVersion = "3.40.1"
    /// What sqlite_source_id() returns for the oracle build (Debian's 3.40.1).
    static let sqliteSourceID = "2022-12-28 14:03:47 df5c253c0b3dd24916e4ec7cf77d3db5294cc9fd45ae7b9c5e82ad8197f3alt1"

    /// abs(X).
    static func abs(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        switch a[0] {
        case .integer(let i):
            if i == Int64.min { throw DBError(.error, "integer overflow") }
            return .integer(i < 0 ? -i : i)
        case .null:
            return .null
        default:
            let r = a[0].realValue
            return .real(r < 0 ? -r : r)
        }
    }

    /// The results of typeof(), built once (indexed by StorageClass.rawValue - 1).
    private static let typeNames: [Value] = ["integer", "real", "text", "blob", "null"].map { Value.text($0) }
    private static let versionValue = Value.text(sqliteVersion)
    private static let sourceIDValue = Value.text(sqliteSourceID)

    /// typeof(X).
    static func typeOf(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        typeNames[Int(a[0].storageClass.rawValue) - 1]
    }

    /// coalesce(X, Y, ...) and ifnull(X, Y): the first non-NULL argument.
    static func coalesce(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        for i in 0..<a.count where !a[i].isNull { return a[i] }
        return .null
    }

    /// iif(X, Y, Z): Y when X is true, else Z.
    static func iif(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        a[0].truthValue(ifNull: false) ? a[1] : a[2]
    }

    /// likely(X), unlikely(X), likelihood(X, P): X.
    static func unlikely(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        a[0]
    }

    /// nullif(X, Y): X unless X = Y under the function's collation.
    static func nullIf(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        compareValues(a[0], a[1], collation: c.collation) != 0 ? a[0] : .null
    }

    /// min(X, Y, ...) scalar: NULL if any argument is NULL; ties keep the later argument.
    static func minimum(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        var best = 0
        if a[0].isNull { return .null }
        for i in 1..<a.count {
            if a[i].isNull { return .null }
            if compareValues(a[best], a[i], collation: c.collation) >= 0 { best = i }
        }
        return a[best]
    }

    /// max(X, Y, ...) scalar: NULL if any argument is NULL; ties keep the earlier argument.
    static func maximum(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        var best = 0
        if a[0].isNull { return .null }
        for i in 1..<a.count {
            if a[i].isNull { return .null }
            if compareValues(a[best], a[i], collation: c.collation) < 0 { best = i }
        }
        return a[best]
    }

    /// changes().
    static func changes(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        .integer(c.host.changes)
    }

    /// total_changes().
    static func totalChanges(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        .integer(c.host.totalChanges)
    }

    /// last_insert_rowid().
    static func lastInsertRowID(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        .integer(c.host.lastInsertRowID)
    }

    /// random(): never Int64.min.
    static func random(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        let r = Int64(bitPattern: c.host.nextRandomUInt64())
        return .integer(r < 0 ? -(r & Int64.max) : r)
    }

    /// randomblob(N): at least one byte.
    static func randomBlob(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        var n = a[0].integerValue
        if n < 1 { n = 1 }
        if n > Int64(SQLiteLimits.maxLength) { throw DBError.tooBig }
        return .blob(c.randomBytes(Int(n)))
    }

    /// zeroblob(N).
    static func zeroBlob(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        var n = a[0].integerValue
        if n < 0 { n = 0 }
        if n > Int64(SQLiteLimits.maxLength) { throw DBError.tooBig }
        return .blob([UInt8](repeating: 0, count: Int(n)))
    }

    /// round(X [, N]): N is clamped to 0...30; the result is always REAL.
    static func round(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        var n = 0
        if a.count == 2 {
            if a[1].isNull { return .null }
            n = Int(a[1].int32Value)
            if n > 30 { n = 30 }
            if n < 0 { n = 0 }
        }
        if a[0].isNull { return .null }
        return .real(roundReal(a[0].realValue, digits: n))
    }

    /// roundFunc's arithmetic: half away from zero for N = 0, else "%.*f" read back.
    static func roundReal(_ value: Double, digits n: Int) -> Double {
        var r = value
        if r < -4503599627370496.0 || r > 4503599627370496.0 { return r }
        if n == 0 {
            r = Double(realToInt64(r + (r < 0 ? -0.5 : 0.5)))
        } else {
            var text: [UInt8] = []
            appendFormattedReal(r, RealFormatSpec(style: .fixed, precision: n), to: &text)
            r = NumericParsing.parseReal(text.span).value
        }
        return r
    }

    /// sign(X): -1, 0 or +1 for numbers (and numeric text), else NULL.
    static func sign(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        let v = a[0].numericIfWellFormed
        switch v {
        case .integer, .real:
            let x = v.realValue
            return .integer(x < 0 ? -1 : (x > 0 ? 1 : 0))
        default:
            return .null
        }
    }

    /// subtype(X): swiftdb has no value subtypes, so always 0.
    static func subtype(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        .integer(0)
    }

    /// sqlite_version().
    static func version(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        versionValue
    }

    /// sqlite_source_id().
    static func sourceID(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        sourceIDValue
    }

    /// sqlite_log(code, message): writes to the error log (swiftdb has none); NULL.
    static func log(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        .null
    }

    /// load_extension(X [, Y]): extension loading is never enabled in swiftdb.
    static func loadExtension(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        throw DBError(.error, "not authorized")
    }

    /// The oracle build's compile options (sqlite3_compileoption_get order).
    static let compileOptions: [String] = [
        "ATOMIC_INTRINSICS=1", "COMPILER=gcc-12.2.0", "DEFAULT_AUTOVACUUM", "DEFAULT_CACHE_SIZE=-2000",
        "DEFAULT_FILE_FORMAT=4", "DEFAULT_JOURNAL_SIZE_LIMIT=-1", "DEFAULT_MMAP_SIZE=0",
        "DEFAULT_PAGE_SIZE=4096", "DEFAULT_PCACHE_INITSZ=20", "DEFAULT_RECURSIVE_TRIGGERS",
        "DEFAULT_SECTOR_SIZE=4096", "DEFAULT_SYNCHRONOUS=2", "DEFAULT_WAL_AUTOCHECKPOINT=1000",
        "DEFAULT_WAL_SYNCHRONOUS=2", "DEFAULT_WORKER_THREADS=0", "ENABLE_COLUMN_METADATA",
        "ENABLE_DBSTAT_VTAB", "ENABLE_FTS3", "ENABLE_FTS3_PARENTHESIS", "ENABLE_FTS3_TOKENIZER",
        "ENABLE_FTS4", "ENABLE_FTS5", "ENABLE_LOAD_EXTENSION", "ENABLE_MATH_FUNCTIONS",
        "ENABLE_PREUPDATE_HOOK", "ENABLE_RTREE", "ENABLE_SESSION", "ENABLE_STMTVTAB",
        "ENABLE_UNLOCK_NOTIFY", "ENABLE_UPDATE_DELETE_LIMIT", "HAVE_ISNAN", "LIKE_DOESNT_MATCH_BLOBS",
        "MALLOC_SOFT_LIMIT=1024", "MAX_ATTACHED=10", "MAX_COLUMN=2000", "MAX_COMPOUND_SELECT=500",
        "MAX_DEFAULT_PAGE_SIZE=32768", "MAX_EXPR_DEPTH=1000", "MAX_FUNCTION_ARG=127",
        "MAX_LENGTH=1000000000", "MAX_LIKE_PATTERN_LENGTH=50000", "MAX_MMAP_SIZE=0x7fff0000",
        "MAX_PAGE_COUNT=1073741823", "MAX_PAGE_SIZE=65536", "MAX_SCHEMA_RETRY=25",
        "MAX_SQL_LENGTH=1000000000", "MAX_TRIGGER_DEPTH=1000", "MAX_VARIABLE_NUMBER=250000",
        "MAX_VDBE_OP=250000000", "MAX_WORKER_THREADS=8", "MUTEX_PTHREADS", "OMIT_LOOKASIDE",
        "SECURE_DELETE", "SOUNDEX", "SYSTEM_MALLOC", "TEMP_STORE=1", "THREADSAFE=1", "USE_URI",
    ]

    /// sqlite_compileoption_get(N).
    static func compileOptionGet(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        let n = Int(a[0].int32Value)
        guard n >= 0 && n < compileOptions.count else { return .null }
        return .text(compileOptions[n])
    }

    /// sqlite_compileoption_used(X): X (without a leading "SQLITE_") is a prefix of an option
    /// that ends there or continues with a non-identifier character.
    static func compileOptionUsed(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        guard let bytes = a[0].textBytes else { return .null }
        var name = Array(bytes[0..<UTF8Text.cStringLength(bytes.span)])
        if name.count >= 7 && UTF8Text.identifiersEqual(name[0..<7].span, Array("SQLITE_".utf8).span) {
            name.removeFirst(7)
        }
        for option in compileOptions {
            let o = Array(option.utf8)
            guard o.count >= name.count, UTF8Text.identifiersEqual(o[0..<name.count].span, name.span) else { continue }
            if o.count == name.count || !isIdentifierByte(o[name.count]) { return .integer(1) }
        }
        return .integer(0)
    }

    /// sqlite3IsIdChar: letters, digits, '_', '$' and bytes >= 0x80.
    private static func isIdentifierByte(_ c: UInt8) -> Bool {
        isASCIILetter(c) || isDigit(c) || c == 0x5F || c == 0x24 || c >= 0x80
    }
}
