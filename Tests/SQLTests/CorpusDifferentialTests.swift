// The corpora against libsqlite3: every statement of shared/sqllogictest and
// shared/bench/speedtest1 that sqlite3_prepare_v2 accepts must parse (and round-
// trip through the printer); every syntax error it reports we must report in the
// same words at the same offset.
//
// By default (debug unit tests) every chunk is executed by the oracle to build
// state, and our parser sees a slice: all of the small files, every 25th record
// of the other sqllogictest files, and every 200th chunk of the speedtest1
// scripts. SWIFTDB_FULL_CORPUS=1 parses everything (run it in release:
// `SWIFTDB_FULL_CORPUS=1 swift test -c release --filter CorpusDifferential`).

import Foundation
import SQL
import Testing

@Suite("Corpus differential against libsqlite3", .enabled(if: Corpus.isAvailable))
struct CorpusDifferentialTests {
    @Test("sqllogictest statements")
    func sqllogictest() {
        var total = DifferentialReport()
        for file in Corpus.sqllogictestFiles() {
            let chunks = Corpus.sqllogictestChunks(file)
            let stride = Corpus.isFull || chunks.count < 3000 ? 1 : 25
            var differential = Differential()
            for (index, chunk) in chunks.enumerated() {
                differential.run(chunk, compare: index % stride == 0)
            }
            total.merge(differential.report)
        }
        Swift.print("sqllogictest: \(total.summary)")
        for line in total.mismatches.prefix(40) { Swift.print(line) }
        #expect(total.statements > 1000)
        #expect(total.mismatches.isEmpty)
    }

    @Test("speedtest1 scripts")
    func speedtest1() {
        var total = DifferentialReport()
        for file in Corpus.speedtestFiles() {
            let chunks = Corpus.scriptChunks(file)
            let stride = Corpus.isFull || chunks.count < 100 ? 1 : 200
            var differential = Differential()
            for (index, chunk) in chunks.enumerated() {
                differential.run(chunk, compare: index % stride == 0)
            }
            Swift.print("speedtest1 \(file.lastPathComponent): \(differential.report.summary)")
            total.merge(differential.report)
        }
        for line in total.mismatches.prefix(40) { Swift.print(line) }
        #expect(total.statements > 1000)
        #expect(total.mismatches.isEmpty)
    }
}
