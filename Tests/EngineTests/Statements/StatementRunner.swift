// StatementRunner: runs every case of a CaseFile on a fresh libsqlite3 and a
// fresh swiftdb connection and compares them statement by statement.
//
// Per case: the file's prelude, then the case's statements (the counted cases),
// then an epilogue that compares what sqlite_schema holds and what
// PRAGMA integrity_check says. Cases named in KnownDifferences are skipped, and
// statements named there ("case#N", "case#epilogue") run but are not compared,
// unless SWIFTDB_STMT_KNOWN=1, which compares them and reports which now pass.

import Foundation

/// One statement on which the engines disagree.
struct Mismatch: CustomStringConvertible {
    var file: String
    var caseName: String
    var index: Int
    /// The statement's number in its case, or "prelude"/"epilogue" (what KnownDifferences keys name).
    var part: String {
        if sql.hasPrefix("prelude ") { return "prelude" }
        return sql.hasPrefix("epilogue ") ? "epilogue" : String(index)
    }
    var sql: String
    var reason: String
    var sqlite: StatementOutcome
    var swiftdb: StatementOutcome

    var description: String {
        "\(file)/\(caseName) statement \(index): \(reason)\n  \(sql)\n  sqlite3: \(sqlite)\n  swiftdb: \(swiftdb)"
    }
}

/// What running one family found.
struct FamilyResult {
    var statements = 0
    var cases = 0
    var skippedCases: [String] = []
    var mismatches: [Mismatch] = []
    /// Cases whose first statement-level mismatch is reported (one per case).
    var failedCases: [String] = []
    /// Excluded cases that passed when SWIFTDB_STMT_KNOWN=1 ran them.
    var knownNowPassing: [String] = []
}

enum StatementRunner {
    static let epilogue = [
        CaseStatement(sql: "SELECT type, name, tbl_name, sql FROM sqlite_schema", ordered: true),
        CaseStatement(sql: "PRAGMA integrity_check", ordered: true),
    ]

    static var runKnown: Bool { ProcessInfo.processInfo.environment["SWIFTDB_STMT_KNOWN"] == "1" }
    /// SWIFTDB_STMT_TRACE=FILE appends each statement to FILE before swiftdb runs it (to find a hang).
    static let trace = ProcessInfo.processInfo.environment["SWIFTDB_STMT_TRACE"]

    private static func appendLine(_ line: String, to path: String) {
        guard let f = fopen(path, "a") else { return }
        fputs(line + "\n", f)
        fclose(f)
    }

    static func run(_ file: CaseFile) -> FamilyResult {
        var result = FamilyResult()
        for c in file.cases {
            let key = "\(file.name)/\(c.name)"
            if KnownDifferences.excluded[key] != nil {
                if !runKnown { result.skippedCases.append(key); continue }
                if run(c, of: file, skipping: []).isEmpty { result.knownNowPassing.append(key) }
                continue
            }
            let skipped = Set(KnownDifferences.excluded.keys.filter { $0.hasPrefix(key + "#") }
                .map { String($0.dropFirst(key.count + 1)) })
            let found = run(c, of: file, skipping: runKnown ? [] : skipped)
            if runKnown {
                for part in skipped.sorted() where !found.contains(where: { $0.part == part }) {
                    result.knownNowPassing.append(key + "#" + part)
                }
            }
            result.cases += 1
            result.statements += c.statements.count
            let counted = found.filter { !skipped.contains($0.part) }
            if !counted.isEmpty { result.failedCases.append(key) }
            result.mismatches += counted
        }
        return result
    }

    /// Runs one case: prelude, statements, epilogue. `skipping` names the parts (statement numbers,
    /// "epilogue") whose outcomes are not compared.
    private static func run(_ c: DifferentialCase, of file: CaseFile, skipping: Set<String>) -> [Mismatch] {
        let oracle = OracleSession()
        guard let engine = try? EngineSession() else {
            return [Mismatch(file: file.name, caseName: c.name, index: 0, sql: "(open)", reason: "swiftdb cannot open",
                             sqlite: StatementOutcome(), swiftdb: StatementOutcome())]
        }
        var found: [Mismatch] = []
        var randomRowid = false
        let parts = [("prelude ", file.prelude), ("", c.statements), ("epilogue ", epilogue)]
        for (prefix, statements) in parts {
            for (i, s) in statements.enumerated() {
                let part = prefix.isEmpty ? String(i + 1) : prefix.trimmingCharacters(in: .whitespaces)
                let expected = oracle.run(s.sql)
                if let trace { appendLine("[\(file.name)/\(c.name)] \(s.sql)", to: trace) }
                let actual = engine.run(s.sql)
                if skipping.contains(part) { continue }
                randomRowid = randomRowid || s.randomRowid
                guard var expected, var actual else {
                    if expected != nil || actual != nil {
                        found.append(mismatch(file, c, prefix, i, s, "only one engine saw a statement",
                                              expected ?? StatementOutcome(), actual ?? StatementOutcome()))
                    }
                    continue
                }
                if randomRowid { expected.lastInsertRowID = 0; actual.lastInsertRowID = 0 }
                if let reason = expected.difference(from: actual, ordered: s.ordered, isQuery: s.isQuery) {
                    found.append(mismatch(file, c, prefix, i, s, reason, expected, actual))
                }
            }
        }
        return found
    }

    private static func mismatch(_ file: CaseFile, _ c: DifferentialCase, _ prefix: String, _ i: Int,
                                 _ s: CaseStatement, _ reason: String, _ expected: StatementOutcome,
                                 _ actual: StatementOutcome) -> Mismatch {
        Mismatch(file: file.name, caseName: c.name, index: i + 1, sql: prefix + s.sql, reason: reason,
                 sqlite: expected, swiftdb: actual)
    }
}
