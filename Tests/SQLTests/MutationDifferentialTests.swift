// Mutations of valid SQL against libsqlite3: the grammar samples and a slice of
// the corpora, with tokens deleted, duplicated, swapped, replaced or inserted
// (keywords, punctuation, literals) and with the text cut short. Most results are
// syntax errors, so this checks that we stop at the token SQLite stops at, with
// its message and sqlite3_error_offset, far beyond what the corpora exercise.
// Deterministic (a fixed seed); $SWIFTDB_MUTATIONS sets the count per sample.

import Foundation
import SQL
import Testing

/// SplitMix64: a small deterministic generator.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum Mutator {
    static let keywords = """
        ABORT ACTION ADD AFTER ALL ALTER ALWAYS ANALYZE AND AS ASC ATTACH AUTOINCREMENT BEFORE BEGIN BETWEEN BY \
        CASCADE CASE CAST CHECK COLLATE COLUMN COMMIT CONFLICT CONSTRAINT CREATE CROSS CURRENT CURRENT_DATE \
        CURRENT_TIME CURRENT_TIMESTAMP DATABASE DEFAULT DEFERRED DEFERRABLE DELETE DESC DETACH DISTINCT DO DROP \
        END EACH ELSE ESCAPE EXCEPT EXCLUSIVE EXCLUDE EXISTS EXPLAIN FAIL FILTER FIRST FOLLOWING FOR FOREIGN FROM \
        FULL GENERATED GLOB GROUP GROUPS HAVING IF IGNORE IMMEDIATE IN INDEX INDEXED INITIALLY INNER INSERT \
        INSTEAD INTERSECT INTO IS ISNULL JOIN KEY LAST LEFT LIKE LIMIT MATCH MATERIALIZED NATURAL NO NOT NOTHING \
        NOTNULL NULL NULLS OF OFFSET ON OR ORDER OTHERS OUTER OVER PARTITION PLAN PRAGMA PRECEDING PRIMARY QUERY \
        RAISE RANGE RECURSIVE REFERENCES REGEXP REINDEX RELEASE RENAME REPLACE RESTRICT RETURNING RIGHT ROLLBACK \
        ROW ROWS SAVEPOINT SELECT SET TABLE TEMP TEMPORARY THEN TIES TO TRANSACTION TRIGGER UNBOUNDED UNION \
        UNIQUE UPDATE USING VACUUM VALUES VIEW VIRTUAL WHEN WHERE WINDOW WITH WITHOUT
        """.split(separator: " ").map(String.init)
    static let others = ["(", ")", ",", ";", ".", "=", "==", "<>", "!=", "<", "<=", ">", ">=", "+", "-", "*",
                         "/", "%", "||", "->", "->>", "&", "|", "<<", ">>", "~", "?", "?3", ":a", "$b", "1",
                         "2.5", "0x10", "'s'", "X'00'", "a", "t1", "\"q\"", "[b]", "`c`", "#1", "@", "!"]

    /// A crude SQL token split: words, quoted runs, two-character operators, single bytes.
    static func tokens(_ sql: String) -> [String] {
        let chars = Array(sql.unicodeScalars)
        var tokens: [String] = []
        var i = 0
        func isWord(_ c: Unicode.Scalar) -> Bool {
            c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_" || c == "$" || c.value >= 0x80
        }
        while i < chars.count {
            let c = chars[i]
            if c == " " || c == "\n" || c == "\t" {
                i += 1
                continue
            }
            var j = i + 1
            if isWord(c) {
                while j < chars.count && isWord(chars[j]) { j += 1 }
            } else if c == "'" || c == "\"" || c == "`" || c == "[" {
                let close: Unicode.Scalar = c == "[" ? "]" : c
                while j < chars.count && chars[j] != close { j += 1 }
                j = min(j + 1, chars.count)
            } else if j < chars.count && ["||", "<=", ">=", "!=", "<>", "==", "<<", ">>", "->"]
                .contains(String(String.UnicodeScalarView(chars[i...j]))) {
                j += 1
            }
            tokens.append(String(String.UnicodeScalarView(chars[i..<j])))
            i = j
        }
        return tokens
    }

    static func mutate(_ sql: String, using rng: inout SplitMix64) -> String {
        var tokens = tokens(sql)
        if tokens.isEmpty { return sql }
        let rounds = Int.random(in: 1...3, using: &rng)
        for _ in 0..<rounds {
            let i = Int.random(in: 0..<tokens.count, using: &rng)
            let pool = Bool.random(using: &rng) ? keywords : others
            switch Int.random(in: 0..<6, using: &rng) {
            case 0 where tokens.count > 1: tokens.remove(at: i)
            case 1: tokens.insert(tokens[i], at: i)
            case 2 where i + 1 < tokens.count: tokens.swapAt(i, i + 1)
            case 3: tokens[i] = pool.randomElement(using: &rng)!
            case 4: tokens.insert(pool.randomElement(using: &rng)!, at: i)
            default: tokens.removeLast(Int.random(in: 0...min(3, tokens.count - 1), using: &rng))
            }
            if tokens.isEmpty { break }
        }
        return tokens.joined(separator: " ")
    }
}

@Suite("Mutation differential against libsqlite3")
struct MutationDifferentialTests {
    static let schema = """
        CREATE TABLE t1(a, b, c); CREATE TABLE t2(a, b, c, x); CREATE TABLE t3(a, b, c);
        CREATE TABLE t4(a, b); CREATE INDEX i1 ON t1(a); CREATE VIEW v1(x, y) AS SELECT a, b FROM t1;
        CREATE TABLE t99(a, b, c); CREATE TABLE "SAVEPOINT"(a); CREATE TABLE "COLUMN"(a);
        """

    @Test("mutated grammar samples fail where and as sqlite3 fails")
    func mutatedSamples() {
        let perSample = Int(ProcessInfo.processInfo.environment["SWIFTDB_MUTATIONS"] ?? "") ?? 150
        var rng = SplitMix64(state: 0x5EED_0003)
        var differential = Differential()
        differential.oracle.execute(Self.schema)
        for sample in GrammarSamples.statements {
            for _ in 0..<perSample {
                let mutated = Mutator.mutate(sample, using: &rng)
                differential.run(CorpusChunk(sql: Array(mutated.utf8), execute: false, location: "mutation"),
                                 compare: true)
            }
        }
        Swift.print("mutations: \(differential.report.summary)")
        for line in differential.report.mismatches.prefix(60) { Swift.print(line) }
        for line in differential.report.unverifiable.prefix(10) { Swift.print("unverifiable: \(line)") }
        #expect(differential.report.mismatches.isEmpty)
    }
}
