// Differential tests of SQL operators on every pair of interesting values: arithmetic,
// bitwise, concatenation, comparisons (with and without affinity and collations), IS,
// three-valued AND/OR/NOT, unary minus and ~, and truth values (IS TRUE).

import Base
@testable import Engine
import Testing

@Suite("Operator differential")
struct OperatorDifferentialTests {
    @Test("arithmetic, bitwise and || on every pair of values")
    func binaryOperators() {
        let oracle = SQLiteOracle()
        let d = Differential("binary operators")
        let ops: [(String, (Value, Value) -> Answer)] = [
            ("+", { .value(Arithmetic.add($0, $1)) }),
            ("-", { .value(Arithmetic.subtract($0, $1)) }),
            ("*", { .value(Arithmetic.multiply($0, $1)) }),
            ("/", { .value(Arithmetic.divide($0, $1)) }),
            ("%", { .value(Arithmetic.remainder($0, $1)) }),
            ("&", { .value(Arithmetic.bitAnd($0, $1)) }),
            ("|", { .value(Arithmetic.bitOr($0, $1)) }),
            ("<<", { .value(Arithmetic.shiftLeft($0, $1)) }),
            (">>", { .value(Arithmetic.shiftRight($0, $1)) }),
            ("||", { a, b in answer { () throws(DBError) -> Value in try Concatenation.concatenate(a, b) } }),
        ]
        var values = interestingValues
        values += [.integer(63), .integer(64), .integer(65), .integer(-63), .integer(-64), .integer(-65),
                   .integer(1 << 62), .integer(3_037_000_500), .integer(-3_037_000_500), .text("64"), .real(63.9)]
        for (op, f) in ops {
            for a in values {
                for b in values {
                    d.check("\(debugText(a)) \(op) \(debugText(b))",
                            oracle: oracle.evaluate("SELECT ?1 \(op) ?2", [a, b]), swift: f(a, b))
                }
            }
        }
        d.finish(minimumCases: 30000)
    }

    @Test("comparisons and IS on every pair of values, no affinity")
    func comparisons() {
        let oracle = SQLiteOracle()
        let d = Differential("comparisons")
        let ops: [(String, ComparisonOperator)] = [("=", .equal), ("!=", .notEqual), ("<", .less),
                                                   ("<=", .lessOrEqual), (">", .greater), (">=", .greaterOrEqual)]
        for a in interestingValues {
            for b in interestingValues {
                for (op, o) in ops {
                    d.check("\(debugText(a)) \(op) \(debugText(b))",
                            oracle: oracle.evaluate("SELECT ?1 \(op) ?2", [a, b]),
                            swift: .value(Comparison.evaluate(o, a, b)))
                }
                d.check("\(debugText(a)) IS \(debugText(b))", oracle: oracle.evaluate("SELECT ?1 IS ?2", [a, b]),
                        swift: .value(Comparison.isOperator(a, b)))
                d.check("\(debugText(a)) IS NOT \(debugText(b))",
                        oracle: oracle.evaluate("SELECT ?1 IS NOT ?2", [a, b]),
                        swift: .value(Comparison.isOperator(a, b, negated: true)))
                d.check("\(debugText(a)) AND \(debugText(b))", oracle: oracle.evaluate("SELECT ?1 AND ?2", [a, b]),
                        swift: .value(Comparison.and(a, b)))
                d.check("\(debugText(a)) OR \(debugText(b))", oracle: oracle.evaluate("SELECT ?1 OR ?2", [a, b]),
                        swift: .value(Comparison.or(a, b)))
            }
        }
        d.finish(minimumCases: 30000)
    }

    @Test("comparisons with column affinity and with CAST affinity")
    func affinityComparisons() {
        let oracle = SQLiteOracle()
        let d = Differential("affinity comparisons")
        oracle.execute("CREATE TABLE c(n NUMERIC, i INTEGER, r REAL, x TEXT, b BLOB)")
        let columns: [(String, Affinity)] = [("n", .numeric), ("i", .integer), ("r", .real), ("x", .text), ("b", .blob)]
        let ops: [(String, ComparisonOperator)] = [("=", .equal), ("<", .less), (">=", .greaterOrEqual)]
        let values: [Value] = [.integer(1), .integer(12), .real(1.0), .real(12.5), .text("1"), .text("1.0"),
                               .text("12"), .text(" 12 "), .text("12abc"), .text("abc"), .text("1e1"), .blob([0x31]),
                               .null, .integer(Int64.max), .text("9223372036854775807"), .text("0x10"), .real(-0.0)]
        for stored in values {
            _ = oracle.evaluate("DELETE FROM c")
            _ = oracle.evaluate("INSERT INTO c VALUES(?1, ?1, ?1, ?1, ?1)", [stored])
            for (name, affinity) in columns {
                var column = stored.applyingAffinity(affinity)
                if affinity == .real { column = column.realAffinity }
                for probe in values {
                    for (op, o) in ops {
                        d.check("\(name)=\(debugText(stored)) \(op) \(debugText(probe))",
                                oracle: oracle.evaluate("SELECT \(name) \(op) ?1 FROM c", [probe]),
                                swift: .value(Comparison.evaluate(o, column, probe,
                                                                  affinity: .forComparison(affinity, .none))))
                    }
                }
                for (other, otherAffinity) in columns {
                    var right = stored.applyingAffinity(otherAffinity)
                    if otherAffinity == .real { right = right.realAffinity }
                    d.check("\(name) = \(other) with \(debugText(stored))",
                            oracle: oracle.evaluate("SELECT \(name) = \(other) FROM c"),
                            swift: .value(Comparison.evaluate(.equal, column, right,
                                                              affinity: .forComparison(affinity, otherAffinity))))
                }
            }
        }
        for type in ["INTEGER", "REAL", "NUMERIC", "TEXT", "BLOB"] {
            let affinity = Affinity(declaredType: type)
            for a in values {
                for b in values {
                    d.check("CAST(\(debugText(a)) AS \(type)) < \(debugText(b))",
                            oracle: oracle.evaluate("SELECT CAST(?1 AS \(type)) < ?2", [a, b]),
                            swift: .value(Comparison.evaluate(.less, a.casting(to: affinity), b,
                                                              affinity: .forComparison(affinity, .none))))
                }
            }
        }
        d.finish(minimumCases: 5000)
    }

    @Test("collations in comparisons")
    func collatedComparisons() {
        let oracle = SQLiteOracle()
        let d = Differential("collated comparisons")
        let texts: [Value] = [.text("abc"), .text("ABC"), .text("abc  "), .text("abd"), .text("Ab"), .text(""),
                              .text(" "), .text("ä"), .text("Ä"), .integer(1), .blob([0x61, 0x62, 0x63]), .null]
        for collation in [Collation.binary, .nocase, .rtrim] {
            for a in texts {
                for b in texts {
                    for (op, o) in [("=", ComparisonOperator.equal), ("<", .less)] {
                        d.check("\(debugText(a)) \(op) \(debugText(b)) COLLATE \(collation.name)",
                                oracle: oracle.evaluate("SELECT ?1 \(op) ?2 COLLATE \(collation.name)", [a, b]),
                                swift: .value(Comparison.evaluate(o, a, b, collation: collation)))
                    }
                }
            }
        }
        d.finish(minimumCases: 800)
    }

    @Test("unary minus, ~, NOT and IS TRUE / IS FALSE")
    func unaryOperators() {
        let oracle = SQLiteOracle()
        let d = Differential("unary operators")
        for v in interestingValues + numericStrings(count: 100, seed: 21).map({ Value.text($0) }) {
            let t = debugText(v)
            d.check("-\(t)", oracle: oracle.evaluate("SELECT -?1", [v]), swift: .value(Arithmetic.negate(v)))
            d.check("~\(t)", oracle: oracle.evaluate("SELECT ~?1", [v]), swift: .value(Arithmetic.bitNot(v)))
            d.check("NOT \(t)", oracle: oracle.evaluate("SELECT NOT ?1", [v]), swift: .value(Comparison.not(v)))
            d.check("\(t) IS TRUE", oracle: oracle.evaluate("SELECT ?1 IS TRUE", [v]),
                    swift: .value(Comparison.isTrue(v, ifNull: false, negated: false)))
            d.check("\(t) IS FALSE", oracle: oracle.evaluate("SELECT ?1 IS FALSE", [v]),
                    swift: .value(Comparison.isTrue(v, ifNull: true, negated: true)))
            d.check("\(t) IS NOT TRUE", oracle: oracle.evaluate("SELECT ?1 IS NOT TRUE", [v]),
                    swift: .value(Comparison.isTrue(v, ifNull: false, negated: true)))
            d.check("\(t) IS NOT FALSE", oracle: oracle.evaluate("SELECT ?1 IS NOT FALSE", [v]),
                    swift: .value(Comparison.isTrue(v, ifNull: true, negated: false)))
            d.check("CASE WHEN \(t)", oracle: oracle.evaluate("SELECT CASE WHEN ?1 THEN 1 ELSE 0 END", [v]),
                    swift: .value(.integer(v.truthValue(ifNull: false) ? 1 : 0)))
        }
        d.finish(minimumCases: 1000)
    }
}
