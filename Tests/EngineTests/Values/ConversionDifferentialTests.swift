// Differential tests of text/number conversion: CAST to every type, text → number in
// arithmetic and in storage, column affinity when storing, declared-type affinity rules and
// numeric literals. Every expectation comes from libsqlite3 at test time.

import Base
@testable import Engine
import Testing

/// Numeric-looking strings from a small grammar (spaces, sign, digits, point, exponent, junk).
func numericStrings(count: Int, seed: UInt64) -> [[UInt8]] {
    var g = SeededGenerator(seed: seed)
    let junk: [[UInt8]] = [[], [], [], Array("abc".utf8), Array("x".utf8), [0x00], Array(" ".utf8),
                           Array("  ".utf8), [0x09], Array("e".utf8), Array(".".utf8), Array("-".utf8)]
    var out: [[UInt8]] = []
    for _ in 0..<count {
        var s: [UInt8] = []
        for _ in 0..<Int.random(in: 0...2, using: &g) {
            s.append([0x20, 0x09, 0x0A, 0x0C][Int.random(in: 0...3, using: &g)])
        }
        switch Int.random(in: 0...3, using: &g) {
        case 0: s.append(0x2D)
        case 1: s.append(0x2B)
        default: break
        }
        let intDigits = [0, 1, 1, 2, 3, 5, 15, 18, 19, 19, 20, 25, 40][Int.random(in: 0...12, using: &g)]
        for k in 0..<intDigits {
            let d: UInt8 = k == 0 && intDigits == 19 && Bool.random(using: &g) ? 9 : UInt8.random(in: 0...9, using: &g)
            s.append(0x30 + d)
        }
        if Int.random(in: 0...2, using: &g) > 0 {
            s.append(0x2E)
            for _ in 0..<[0, 1, 2, 6, 17, 30][Int.random(in: 0...5, using: &g)] {
                s.append(UInt8.random(in: 0x30...0x39, using: &g))
            }
        }
        if Int.random(in: 0...2, using: &g) == 0 {
            s.append(Bool.random(using: &g) ? 0x65 : 0x45)
            switch Int.random(in: 0...3, using: &g) {
            case 0: s.append(0x2D)
            case 1: s.append(0x2B)
            default: break
            }
            let expDigits = [0, 1, 2, 3, 3, 5][Int.random(in: 0...5, using: &g)]
            for _ in 0..<expDigits { s.append(UInt8.random(in: 0x30...0x39, using: &g)) }
        }
        s.append(contentsOf: junk[Int.random(in: 0..<junk.count, using: &g)])
        out.append(s)
    }
    let fixed = ["0", "-0", "+0", "00012", "1e3", "1E+3", "1.0", "1.", ".5", "-.5", "1e", "1e+", "e5", ".", "-", "",
                 " ", "0x1A", "0x10", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
                 "-9223372036854775809", "18446744073709551616", "1e308", "1e309", "-1e309", "1e-324", "2.5e-308",
                 "4.9e-324", "1.7976931348623157e308", "123456789012345678901234567890", "0.1", "0.30000000000000004",
                 "  -3", " 12 ", "12abc", "1e2x", "3.14abc", "1.5e", "inf", "nan", "Infinity", "1,000", "1_000",
                 "٣", "１２", "0.000000000000000000000000000001", "99999999999999999999e-20"]
    return fixed.map { Array($0.utf8) } + out
}

@Suite("Conversion differential")
struct ConversionDifferentialTests {
    @Test("CAST to every type, over the interesting values and numeric strings")
    func castDifferential() {
        let oracle = SQLiteOracle()
        let d = Differential("CAST")
        let values = interestingValues + numericStrings(count: 400, seed: 1).map { Value.text($0) }
            + numericStrings(count: 60, seed: 2).map { Value.blob($0) }
        for type in ["INTEGER", "REAL", "NUMERIC", "TEXT", "BLOB"] {
            let affinity = Affinity(declaredType: type)
            for v in values {
                d.check("CAST(\(debugText(v)) AS \(type))",
                        oracle: oracle.evaluate("SELECT CAST(?1 AS \(type))", [v]),
                        swift: .value(v.casting(to: affinity)))
            }
        }
        d.finish(minimumCases: 2000)
    }

    @Test("text to number in arithmetic operands")
    func arithmeticOperandDifferential() {
        let oracle = SQLiteOracle()
        let d = Differential("arithmetic operand")
        for s in numericStrings(count: 600, seed: 3) {
            for v in [Value.text(s), Value.blob(s)] {
                d.check("\(debugText(v)) + 0", oracle: oracle.evaluate("SELECT ?1 + 0", [v]),
                        swift: .value(Arithmetic.add(v, .integer(0))))
                d.check("\(debugText(v)) * 1.0", oracle: oracle.evaluate("SELECT ?1 * 1.0", [v]),
                        swift: .value(Arithmetic.multiply(v, .real(1.0))))
            }
        }
        d.finish(minimumCases: 2000)
    }

    @Test("column affinity when storing (and REAL affinity when reading)")
    func storageAffinityDifferential() {
        let oracle = SQLiteOracle()
        let d = Differential("storage affinity")
        oracle.execute("CREATE TABLE t(n NUMERIC, i INTEGER, r REAL, x TEXT, b BLOB)")
        let columns: [(String, Affinity)] = [("n", .numeric), ("i", .integer), ("r", .real), ("x", .text), ("b", .blob)]
        let values = interestingValues + numericStrings(count: 250, seed: 4).map { Value.text($0) }
        for v in values {
            _ = oracle.evaluate("DELETE FROM t")
            _ = oracle.evaluate("INSERT INTO t VALUES(?1, ?1, ?1, ?1, ?1)", [v])
            for (name, affinity) in columns {
                var stored = v.applyingAffinity(affinity)
                if affinity == .real { stored = stored.realAffinity }
                d.check("\(debugText(v)) stored in \(name)", oracle: oracle.evaluate("SELECT \(name) FROM t"),
                        swift: .value(stored))
            }
        }
        d.finish(minimumCases: 1500)
    }

    @Test("declared type names map to SQLite's affinities")
    func declaredTypeDifferential() {
        let oracle = SQLiteOracle()
        let d = Differential("declared type affinity")
        let types = ["INT", "INTEGER", "TINYINT", "SMALLINT", "MEDIUMINT", "BIGINT", "UNSIGNED BIG INT", "INT2",
                     "INT8", "CHARACTER(20)", "VARCHAR(255)", "VARYING CHARACTER(255)", "NCHAR(55)",
                     "NATIVE CHARACTER(70)", "NVARCHAR(100)", "TEXT", "CLOB", "BLOB", "REAL", "DOUBLE",
                     "DOUBLE PRECISION", "FLOAT", "NUMERIC", "DECIMAL(10,5)", "BOOLEAN", "DATE", "DATETIME",
                     "FLOATING POINT", "POINT", "STRING", "CHARINT", "BLOBBY", "TEXTBLOB", "BLOBTEXT", "BLOBREAL",
                     "REALBLOB", "DOUB", "FLOA", "ANY", "VARIANT", "XCHARX", "CLOBBER", "INTERVAL", "DOUBLEINT",
                     "tInY_iNt", "Real", "bLoB", "chars", "money", "xml", "json", "uuid", "timestamp", "bit",
                     "NT", "I", "TEX", "CHA", "REA", "BLO", "float8", "int4range", "hint", "paint", "print"]
        let probes: [Value] = [.text("5.0"), .text("5.5"), .text("abc"), .integer(5), .real(5.0), .blob([0x35])]
        for type in types {
            let affinity = Affinity(declaredType: type)
            for p in probes {
                d.check("CAST(\(debugText(p)) AS \(type))", oracle: oracle.evaluate("SELECT CAST(?1 AS \(type))", [p]),
                        swift: .value(p.casting(to: affinity)))
            }
        }
        d.finish(minimumCases: 300)
    }

    @Test("numeric literals, including out-of-range decimal and hexadecimal ones")
    func literalDifferential() {
        let oracle = SQLiteOracle()
        let d = Differential("numeric literals")
        var tokens = ["0", "1", "007", "9223372036854775807", "9223372036854775808", "9223372036854775809",
                      "18446744073709551615", "18446744073709551616", "99999999999999999999999",
                      "0x0", "0x1", "0x7fffffffffffffff", "0x8000000000000000", "0xffffffffffffffff",
                      "0x10000000000000000", "0x0000000000000000001", "0X1A", "0xABCDEF", "0x00ffffffffffffffff0",
                      "1.0", "1e3", "1E-3", ".5", "5.", "1e308", "1e309", "2e-308", "4.9e-324", "1e-400", "0.1",
                      "123456789012345678901234567890.5", "1.7976931348623157e308", "3.141592653589793238462643"]
        var g = SeededGenerator(seed: 5)
        for _ in 0..<150 {
            let n = Int.random(in: 1...22, using: &g)
            let digits = (0..<n).map { _ in UInt8.random(in: 0x30...0x39, using: &g) }
            tokens.append(String(decoding: digits, as: UTF8.self))
            let h = Int.random(in: 1...18, using: &g)
            tokens.append("0x" + String((0..<h).map { _ in "0123456789abcdefABCDEF".randomElement(using: &g)! }))
        }
        for token in tokens {
            let isFloat = !token.lowercased().hasPrefix("0x") && token.contains(where: { ".eE".contains($0) })
            for negated in [false, true] {
                let sql = "SELECT " + (negated ? "-" : "") + token
                let swift: Answer = isFloat ? .value(NumericLiteralConversion.real(token, negated: negated))
                                            : answer { () throws(DBError) -> Value in
                                                try NumericLiteralConversion.integer(token, negated: negated) }
                d.check(sql, oracle: oracle.evaluate(sql), swift: swift)
            }
        }
        d.finish(minimumCases: 300)
    }
}
