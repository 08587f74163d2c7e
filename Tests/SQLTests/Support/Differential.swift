// Differential: compares our parser with sqlite3_prepare_v2 statement by statement.
//
// For each chunk the oracle prepares statements one after another (the CLI's tail
// loop) and our parser parses from the same offset. They must agree on: whether
// there is a statement, where the next one starts, and, for syntax-class errors,
// the message and sqlite3_error_offset. An error of ours that sqlite3 does not
// report is a mismatch; a semantic error of sqlite3's ("no such table") counts as
// accepted by the parser. Every statement we parse must render and parse back to
// an equal AST (round trip).

import SQL

struct DifferentialReport {
    var chunks = 0
    var statements = 0
    var syntaxErrorsMatched = 0
    var semanticErrors = 0
    var roundTrips = 0
    var mismatches: [String] = []
    /// Statements sqlite3 stopped with a semantic error raised in the middle of its parse
    /// (e.g. "no such table" in ALTER TABLE … ADD) or raised after one of the grammar's
    /// own errors, replacing it, where we report a different error: neither verdict can
    /// be checked against the other.
    var unverifiable: [String] = []

    mutating func merge(_ other: DifferentialReport) {
        chunks += other.chunks
        statements += other.statements
        syntaxErrorsMatched += other.syntaxErrorsMatched
        semanticErrors += other.semanticErrors
        roundTrips += other.roundTrips
        mismatches += other.mismatches
        unverifiable += other.unverifiable
    }

    var summary: String {
        "\(chunks) chunks, \(statements) statements, \(syntaxErrorsMatched) syntax errors matched, "
            + "\(semanticErrors) semantic errors, \(roundTrips) round trips, \(mismatches.count) mismatches, "
            + "\(unverifiable.count) unverifiable"
    }
}

struct Differential {
    let oracle = SQLiteOracle()
    var options = ParserOptions()
    var report = DifferentialReport()

    /// Runs one chunk through the oracle (stepping it when `chunk.execute`) and, when
    /// `compare`, through our parser too.
    mutating func run(_ chunk: CorpusChunk, compare: Bool) {
        let buffer = chunk.sql.map { CChar(bitPattern: $0) } + [0]
        var parser = Parser(chunk.sql, options: options)
        if compare { report.chunks += 1 }
        var start = 0
        while start < chunk.sql.count {
            let outcome = oracle.prepare(buffer, at: start)
            if compare { check(chunk, &parser, start: start, outcome: outcome) }
            guard outcome.error == nil, outcome.hasStatement, outcome.tail > start else { break }
            if chunk.execute { oracle.step() }
            start = outcome.tail
        }
    }

    mutating func check(_ chunk: CorpusChunk, _ parser: inout Parser, start: Int, outcome: OracleOutcome) {
        let sql = String(decoding: chunk.sql[start...].prefix(300), as: UTF8.self)
        var found: [String] = []
        defer { report.mismatches += found }
        func mismatch(_ what: String) {
            found.append("\(chunk.location) @\(start): \(what)\n    SQL: \(sql)")
        }
        do {
            let (statement, next) = try parser.parseStatement(at: start)
            if let error = outcome.error {
                if isSyntaxClassError(error.message) {
                    mismatch("sqlite3 says \(error.message) (offset \(error.offset)); we accept")
                } else {
                    report.semanticErrors += 1
                }
            } else if (statement != nil) != outcome.hasStatement || next != outcome.tail {
                mismatch("statement \(statement != nil)/\(outcome.hasStatement), tail \(next)/\(outcome.tail)")
            }
            if let statement {
                report.statements += 1
                checkRoundTrip(statement, mismatch)
            }
        } catch {
            guard let expected = outcome.error else {
                mismatch("we say \(error.message) at \(error.position); sqlite3 accepts")
                return
            }
            let offset = error.reportedOffset.map { $0 - start } ?? -1
            if error.message == expected.message && offset == expected.offset {
                if isSyntaxClassError(expected.message) { report.syntaxErrorsMatched += 1 }
                else { report.semanticErrors += 1 }
            } else if !isSyntaxClassError(expected.message) {
                report.unverifiable.append("\(chunk.location) @\(start): we say \(error.message); sqlite3 says "
                                           + "\(expected.message)\n    SQL: \(sql)")
            } else {
                mismatch("we say \(error.message) (offset \(offset)); sqlite3 says \(expected.message) "
                         + "(offset \(expected.offset))")
            }
        }
    }

    mutating func checkRoundTrip(_ statement: Statement, _ mismatch: (String) -> Void) {
        let printed = ASTPrinter.sql(for: statement)
        do {
            let reparsed = try Parser.parseAll(printed, options: options)
            if reparsed.count == 1 && reparsed[0] == statement {
                report.roundTrips += 1
            } else {
                mismatch("round trip differs: \(String(decoding: printed, as: UTF8.self))")
            }
        } catch {
            mismatch("round trip fails: \(error.message): \(String(decoding: printed, as: UTF8.self))")
        }
    }
}
