// Parse speed on speedtest1's main script, against sqlite3_prepare_v2 in the same
// process (prepare also resolves names and generates bytecode, so it does more
// work than a parser: both numbers are reported, neither is a pass/fail gate).
// Opt-in, for release builds (DESIGN.md: speed is measured, not claimed):
//   SWIFTDB_PARSE_BENCH=1 swift test -c release --filter ParseSpeed
// Statements are the CLI's chunks; the oracle executes each once first (to build
// the schema its prepares need), then each side is timed over the same chunks (a new
// Parser per chunk, as a shell reading line by line would make); a last figure is one
// Parser over the whole file.

import CSQLite3
import Foundation
import SQL
import Testing

@Suite("Parse speed", .enabled(if: ProcessInfo.processInfo.environment["SWIFTDB_PARSE_BENCH"] == "1"))
struct ParseSpeedTests {
    @Test("speedtest1 main.sql: our parser vs sqlite3_prepare_v2")
    func mainScript() throws {
        guard let file = Corpus.speedtestFiles().last, file.lastPathComponent == "main.sql" else { return }
        let chunks = Corpus.scriptChunks(file)
        let oracle = SQLiteOracle()
        // Replay once so every prepare below sees the tables it names.
        var prepared: [(buffer: [CChar], starts: [Int])] = []
        for chunk in chunks {
            let buffer = chunk.sql.map { CChar(bitPattern: $0) } + [0]
            var starts: [Int] = []
            var start = 0
            while start < chunk.sql.count {
                let outcome = oracle.prepare(buffer, at: start)
                guard outcome.error == nil, outcome.hasStatement else { break }
                starts.append(start)
                oracle.step()
                start = outcome.tail
            }
            prepared.append((buffer, starts))
        }
        let statementCount = prepared.reduce(0) { $0 + $1.starts.count }
        let bytes = chunks.reduce(0) { $0 + $1.sql.count }

        var best = (ours: Double.infinity, sqlite: Double.infinity)
        for _ in 0..<3 {
            var parsed = 0
            let t0 = DispatchTime.now().uptimeNanoseconds
            for chunk in chunks {
                var parser = Parser(chunk.sql)
                while try parser.next() != nil { parsed += 1 }
            }
            let t1 = DispatchTime.now().uptimeNanoseconds
            for (buffer, starts) in prepared {
                for start in starts { _ = oracle.prepare(buffer, at: start) }
            }
            let t2 = DispatchTime.now().uptimeNanoseconds
            #expect(parsed == statementCount)
            best.ours = min(best.ours, Double(t1 - t0) / 1e9)
            best.sqlite = min(best.sqlite, Double(t2 - t1) / 1e9)
        }
        // One parser over the whole script, as an engine parses a buffer of statements.
        let script = try [UInt8](Data(contentsOf: file))
        var whole = Double.infinity
        for _ in 0..<3 {
            var parser = Parser(script)
            var parsed = 0
            let t0 = DispatchTime.now().uptimeNanoseconds
            while try parser.next() != nil { parsed += 1 }
            whole = min(whole, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
            #expect(parsed == statementCount)
        }
        let ours = Double(statementCount) / best.ours
        let sqlite = Double(statementCount) / best.sqlite
        Swift.print("""
            speedtest1 main.sql: \(statementCount) statements, \(bytes) bytes (best of 3)
              swiftdb Parser:      \(String(format: "%.3f", best.ours)) s, \(Int(ours)) statements/s, \
            \(String(format: "%.1f", Double(bytes) / best.ours / 1e6)) MB/s
              sqlite3_prepare_v2:  \(String(format: "%.3f", best.sqlite)) s, \(Int(sqlite)) statements/s \
            (prepare = parse + resolve + code generation)
              ratio (ours/sqlite): \(String(format: "%.2f", ours / sqlite))x
              one Parser over the whole file: \(String(format: "%.3f", whole)) s, \
            \(Int(Double(statementCount) / whole)) statements/s, \
            \(String(format: "%.1f", Double(bytes) / whole / 1e6)) MB/s
            """)
    }
}
