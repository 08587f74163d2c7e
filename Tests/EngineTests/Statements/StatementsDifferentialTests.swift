// StatementsDifferentialTests: issue 4's differential check — SQL statements of
// every family run on swiftdb and on libsqlite3, compared statement by statement
// (rows, column names, errors with code and message, changes counters).
//
// One test per family (case file or generated family). The first mismatch of
// each failing case is recorded as an issue naming file, case and statement.
// SWIFTDB_STMT_REPORT=DIR writes every mismatch to DIR/<family>.txt.

import Foundation
import Testing

@Suite("Statement differential")
struct StatementsDifferentialTests {
    @Test("family", arguments: CaseLibrary.familyNames)
    func family(_ name: String) throws {
        // SWIFTDB_STMT_ONLY=NAME runs one family (for debugging).
        if let only = ProcessInfo.processInfo.environment["SWIFTDB_STMT_ONLY"], only != name { return }
        check(try #require(CaseLibrary.family(name)))
    }

    @Test("the corpus holds at least 2,000 statements; every exclusion names a case")
    func corpusSize() {
        let families = CaseLibrary.all
        let total = families.reduce(0) { $0 + $1.statementCount }
        #expect(total >= 2000, "only \(total) statements")
        var keys = Set<String>()
        for f in families {
            for c in f.cases {
                #expect(keys.insert("\(f.name)/\(c.name)").inserted, "duplicate case \(f.name)/\(c.name)")
            }
        }
        for key in KnownDifferences.excluded.keys.sorted() {
            let caseKey = String(key.prefix { $0 != "#" })
            #expect(keys.contains(caseKey), "KnownDifferences names no case: \(key)")
        }
    }

    private func check(_ file: CaseFile) {
        #expect(!file.cases.isEmpty, "\(file.name): no cases")
        let result = StatementRunner.run(file)
        print("Statements \(file.name): \(result.statements) statements in \(result.cases) cases, "
              + "\(result.failedCases.count) failing cases, \(result.skippedCases.count) excluded")
        var reported = Set<String>()
        for m in result.mismatches where reported.insert(m.caseName).inserted {
            Issue.record(Comment(rawValue: m.description))
        }
        for key in result.knownNowPassing {
            Issue.record("\(key) passes now: remove it from KnownDifferences.excluded and docs/KNOWN-DIFFERENCES.md")
        }
        writeReport(file.name, result)
    }

    private func writeReport(_ name: String, _ result: FamilyResult) {
        guard let dir = ProcessInfo.processInfo.environment["SWIFTDB_STMT_REPORT"] else { return }
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let text = "\(result.statements) statements, \(result.cases) cases, \(result.failedCases.count) failing\n\n"
            + result.mismatches.map(\.description).joined(separator: "\n\n") + "\n"
        try? text.write(toFile: dir + "/" + name + ".txt", atomically: true, encoding: .utf8)
    }
}
