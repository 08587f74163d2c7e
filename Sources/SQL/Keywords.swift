// Keywords: SQLite's 147 keywords and the lookup from an identifier-shaped run of
// bytes to its keyword kind.
//
// The list is https://sqlite.org/lang_keywords.html (as compiled into 3.40.1 with
// window functions, CTEs, upsert, RETURNING and generated columns). Lookup is an
// open-addressing hash table built once: a word packs up to 8 ASCII-lowercased
// bytes, a keyword is at most 17 bytes (three words), so a probe compares three
// integers and a length. Only runs of letters and `_` reach the lookup (the lexer
// checks that), so folding with `| 0x20` on letters is exact.

enum Keywords {
    /// Every keyword spelling and its kind. TEMP and TEMPORARY share a kind, as in SQLite.
    static let list: [(String, TokenKind)] = [
        ("ABORT", .kwAbort), ("ACTION", .kwAction), ("ADD", .kwAdd), ("AFTER", .kwAfter),
        ("ALL", .kwAll), ("ALTER", .kwAlter), ("ALWAYS", .kwAlways), ("ANALYZE", .kwAnalyze),
        ("AND", .kwAnd), ("AS", .kwAs), ("ASC", .kwAsc), ("ATTACH", .kwAttach),
        ("AUTOINCREMENT", .kwAutoincrement), ("BEFORE", .kwBefore), ("BEGIN", .kwBegin),
        ("BETWEEN", .kwBetween), ("BY", .kwBy), ("CASCADE", .kwCascade), ("CASE", .kwCase),
        ("CAST", .kwCast), ("CHECK", .kwCheck), ("COLLATE", .kwCollate), ("COLUMN", .kwColumn),
        ("COMMIT", .kwCommit), ("CONFLICT", .kwConflict), ("CONSTRAINT", .kwConstraint),
        ("CREATE", .kwCreate), ("CROSS", .kwCross), ("CURRENT", .kwCurrent),
        ("CURRENT_DATE", .kwCurrentDate), ("CURRENT_TIME", .kwCurrentTime),
        ("CURRENT_TIMESTAMP", .kwCurrentTimestamp), ("DATABASE", .kwDatabase),
        ("DEFAULT", .kwDefault), ("DEFERRED", .kwDeferred), ("DEFERRABLE", .kwDeferrable),
        ("DELETE", .kwDelete), ("DESC", .kwDesc), ("DETACH", .kwDetach), ("DISTINCT", .kwDistinct),
        ("DO", .kwDo), ("DROP", .kwDrop), ("END", .kwEnd), ("EACH", .kwEach), ("ELSE", .kwElse),
        ("ESCAPE", .kwEscape), ("EXCEPT", .kwExcept), ("EXCLUSIVE", .kwExclusive),
        ("EXCLUDE", .kwExclude), ("EXISTS", .kwExists), ("EXPLAIN", .kwExplain), ("FAIL", .kwFail),
        ("FILTER", .kwFilter), ("FIRST", .kwFirst), ("FOLLOWING", .kwFollowing), ("FOR", .kwFor),
        ("FOREIGN", .kwForeign), ("FROM", .kwFrom), ("FULL", .kwFull), ("GENERATED", .kwGenerated),
        ("GLOB", .kwGlob), ("GROUP", .kwGroup), ("GROUPS", .kwGroups), ("HAVING", .kwHaving),
        ("IF", .kwIf), ("IGNORE", .kwIgnore), ("IMMEDIATE", .kwImmediate), ("IN", .kwIn),
        ("INDEX", .kwIndex), ("INDEXED", .kwIndexed), ("INITIALLY", .kwInitially),
        ("INNER", .kwInner), ("INSERT", .kwInsert), ("INSTEAD", .kwInstead),
        ("INTERSECT", .kwIntersect), ("INTO", .kwInto), ("IS", .kwIs), ("ISNULL", .kwIsnull),
        ("JOIN", .kwJoin), ("KEY", .kwKey), ("LAST", .kwLast), ("LEFT", .kwLeft), ("LIKE", .kwLike),
        ("LIMIT", .kwLimit), ("MATCH", .kwMatch), ("MATERIALIZED", .kwMaterialized),
        ("NATURAL", .kwNatural), ("NO", .kwNo), ("NOT", .kwNot), ("NOTHING", .kwNothing),
        ("NOTNULL", .kwNotnull), ("NULL", .kwNull), ("NULLS", .kwNulls), ("OF", .kwOf),
        ("OFFSET", .kwOffset), ("ON", .kwOn), ("OR", .kwOr), ("ORDER", .kwOrder),
        ("OTHERS", .kwOthers), ("OUTER", .kwOuter), ("OVER", .kwOver), ("PARTITION", .kwPartition),
        ("PLAN", .kwPlan), ("PRAGMA", .kwPragma), ("PRECEDING", .kwPreceding),
        ("PRIMARY", .kwPrimary), ("QUERY", .kwQuery), ("RAISE", .kwRaise), ("RANGE", .kwRange),
        ("RECURSIVE", .kwRecursive), ("REFERENCES", .kwReferences), ("REGEXP", .kwRegexp),
        ("REINDEX", .kwReindex), ("RELEASE", .kwRelease), ("RENAME", .kwRename),
        ("REPLACE", .kwReplace), ("RESTRICT", .kwRestrict), ("RETURNING", .kwReturning),
        ("RIGHT", .kwRight), ("ROLLBACK", .kwRollback), ("ROW", .kwRow), ("ROWS", .kwRows),
        ("SAVEPOINT", .kwSavepoint), ("SELECT", .kwSelect), ("SET", .kwSet), ("TABLE", .kwTable),
        ("TEMP", .kwTemp), ("TEMPORARY", .kwTemp), ("THEN", .kwThen), ("TIES", .kwTies),
        ("TO", .kwTo), ("TRANSACTION", .kwTransaction), ("TRIGGER", .kwTrigger),
        ("UNBOUNDED", .kwUnbounded), ("UNION", .kwUnion), ("UNIQUE", .kwUnique),
        ("UPDATE", .kwUpdate), ("USING", .kwUsing), ("VACUUM", .kwVacuum), ("VALUES", .kwValues),
        ("VIEW", .kwView), ("VIRTUAL", .kwVirtual), ("WHEN", .kwWhen), ("WHERE", .kwWhere),
        ("WINDOW", .kwWindow), ("WITH", .kwWith), ("WITHOUT", .kwWithout),
    ]

    static let maxLength = 17
    static let slotCount = 512

    struct Entry {
        var word0: UInt64 = 0
        var word1: UInt64 = 0
        var word2: UInt64 = 0
        var length: UInt8 = 0   // 0 marks an empty slot
        var kind: TokenKind = .identifier
    }

    /// The hash table, filled once from `list` (linear probing; 147 keys in 512 slots).
    static let table: [Entry] = {
        var slots = [Entry](repeating: Entry(), count: slotCount)
        for (name, kind) in list {
            let bytes = Array(name.utf8)
            var entry = Entry()
            (entry.word0, entry.word1, entry.word2) = pack(bytes, 0, bytes.count)
            entry.length = UInt8(bytes.count)
            entry.kind = kind
            var slot = hash(entry.word0, entry.word1, entry.word2, bytes.count)
            while slots[slot].length != 0 { slot = (slot + 1) & (slotCount - 1) }
            slots[slot] = entry
        }
        return slots
    }()

    /// Packs up to 17 bytes, ASCII letters folded to lower case, into three little-endian words.
    @inline(__always)
    static func pack(_ bytes: [UInt8], _ start: Int, _ count: Int) -> (UInt64, UInt64, UInt64) {
        var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var i = 0
        while i < count {
            var c = UInt64(bytes[start + i])
            if c >= 0x41 && c <= 0x5A { c |= 0x20 }
            let shift = UInt64((i & 7) * 8)
            switch i >> 3 {
            case 0: words.0 |= c << shift
            case 1: words.1 |= c << shift
            default: words.2 |= c << shift
            }
            i += 1
        }
        return words
    }

    @inline(__always)
    static func hash(_ w0: UInt64, _ w1: UInt64, _ w2: UInt64, _ length: Int) -> Int {
        var h = w0 &* 0x9E37_79B9_7F4A_7C15
        h ^= w1 &* 0xC2B2_AE3D_27D4_EB4F
        h ^= w2 &+ UInt64(length)
        h ^= h >> 29
        h = h &* 0x1656_67B1_9E37_79F9
        return Int(truncatingIfNeeded: h >> 40) & (slotCount - 1)
    }

    /// The keyword kind of `bytes[start..<start+count]`, or `.identifier` when it is none.
    @inline(__always)
    static func kind(of bytes: [UInt8], start: Int, count: Int, table: [Entry]) -> TokenKind {
        if count < 2 || count > maxLength { return .identifier }
        let (w0, w1, w2) = pack(bytes, start, count)
        var slot = hash(w0, w1, w2, count)
        while true {
            let entry = table[slot]
            if entry.length == 0 { return .identifier }
            if entry.word0 == w0 && entry.word1 == w1 && entry.word2 == w2 && Int(entry.length) == count {
                return entry.kind
            }
            slot = (slot + 1) & (slotCount - 1)
        }
    }
}
