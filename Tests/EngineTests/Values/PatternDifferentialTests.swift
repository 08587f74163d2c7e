// Differential tests of LIKE (with and without ESCAPE) and GLOB on seeded random strings and
// patterns over small alphabets rich in wildcards, plus the error cases.
// Expected answers come from libsqlite3 (SELECT ?1 LIKE ?2 [ESCAPE ?3], SELECT ?1 GLOB ?2).

import Base
@testable import Engine
import Testing

private func randomBytes(_ alphabet: [[UInt8]], maxLength: Int, using g: inout SeededGenerator) -> [UInt8] {
    var out: [UInt8] = []
    for _ in 0..<Int.random(in: 0...maxLength, using: &g) {
        out.append(contentsOf: alphabet[Int.random(in: 0..<alphabet.count, using: &g)])
    }
    return out
}

@Suite("Pattern differential")
struct PatternDifferentialTests {
    @Test("LIKE and LIKE ... ESCAPE on random strings and patterns")
    func like() {
        let oracle = SQLiteOracle()
        let d = Differential("LIKE")
        var g = SeededGenerator(seed: 31)
        let text: [[UInt8]] = ["a", "A", "b", "B", "%", "_", "\\", "é", "É", "z"].map { Array($0.utf8) }
            + [[0xFF], [0x00]]
        let pattern: [[UInt8]] = ["a", "A", "b", "%", "%", "_", "_", "\\", "é", "x"].map { Array($0.utf8) }
        for _ in 0..<3000 {
            let s = Value.text(randomBytes(text, maxLength: 7, using: &g))
            let p = Value.text(randomBytes(pattern, maxLength: 6, using: &g))
            d.check("\(debugText(s)) LIKE \(debugText(p))", oracle: oracle.evaluate("SELECT ?1 LIKE ?2", [s, p]),
                    swift: answer { () throws(DBError) -> Value in try Pattern.like(s, pattern: p) })
            let e = Value.text([[0x5C], [0x25], [0x5F], [0x61], Array("é".utf8)][Int.random(in: 0...4, using: &g)])
            d.check("\(debugText(s)) LIKE \(debugText(p)) ESCAPE \(debugText(e))",
                    oracle: oracle.evaluate("SELECT ?1 LIKE ?2 ESCAPE ?3", [s, p, e]),
                    swift: answer { () throws(DBError) -> Value in try Pattern.like(s, pattern: p, escape: e) })
        }
        let odd: [Value] = [.null, .integer(12), .real(1.5), .blob([0x61]), .text(""), .text("ab"), .text("%"),
                            .text([0x61, 0x00, 0x62])]
        for s in odd {
            for p in odd {
                for e in [nil] + odd {
                    let sql = e == nil ? "SELECT ?1 LIKE ?2" : "SELECT ?1 LIKE ?2 ESCAPE ?3"
                    let params = e == nil ? [s, p] : [s, p, e!]
                    d.check("\(debugText(s)) LIKE \(debugText(p)) ESCAPE \(e.map(debugText) ?? "-")",
                            oracle: oracle.evaluate(sql, params),
                            swift: answer { () throws(DBError) -> Value in try Pattern.like(s, pattern: p, escape: e) })
                }
            }
        }
        let long = Value.text([UInt8](repeating: 0x25, count: 50_001))
        d.check("pattern too long", oracle: oracle.evaluate("SELECT 'a' LIKE ?1", [long]),
                swift: answer { () throws(DBError) -> Value in try Pattern.like(.text("a"), pattern: long) })
        d.finish(minimumCases: 6000)
    }

    @Test("Patterns of one plain run between optional wildcard runs (the substring search)")
    func plainRuns() {
        let oracle = SQLiteOracle()
        let d = Differential("plain-run patterns")
        var g = SeededGenerator(seed: 33)
        let text: [[UInt8]] = ["o", "O", "n", "N", "on", "ON", "x", "é", "[", "."].map { Array($0.utf8) }
            + [[0x00], [0xC3], [0x80]]
        let run: [[UInt8]] = ["o", "n", "O", "N", "x", ".", "]"].map { Array($0.utf8) }
        for _ in 0..<2500 {
            let s = Value.text(randomBytes(text, maxLength: 24, using: &g))
            let literal = randomBytes(run, maxLength: 3, using: &g)
            let before = Int.random(in: 0...2, using: &g), after = Int.random(in: 0...2, using: &g)
            for (op, wildcard) in [("LIKE", UInt8(ascii: "%")), ("GLOB", UInt8(ascii: "*"))] {
                var bytes = [UInt8](repeating: wildcard, count: before) + literal
                bytes += [UInt8](repeating: wildcard, count: after)
                if Int.random(in: 0..<8, using: &g) == 0 { bytes += [0x00, 0x61] }  // the pattern ends at a NUL
                let p = Value.text(bytes)
                d.check("\(debugText(s)) \(op) \(debugText(p))", oracle: oracle.evaluate("SELECT ?1 \(op) ?2", [s, p]),
                        swift: answer { () throws(DBError) -> Value in
                            op == "LIKE" ? try Pattern.like(s, pattern: p) : try Pattern.glob(s, pattern: p)
                        })
            }
        }
        d.finish(minimumCases: 5000)
    }

    @Test("GLOB with sets, ranges and negation on random strings and patterns")
    func glob() {
        let oracle = SQLiteOracle()
        let d = Differential("GLOB")
        var g = SeededGenerator(seed: 32)
        let text: [[UInt8]] = ["a", "b", "c", "A", "-", "]", "^", "*", "?", "é", "z"].map { Array($0.utf8) }
        let pattern: [[UInt8]] = ["a", "b", "*", "*", "?", "[", "]", "^", "-", "c", "é", "[a-c]", "[^b]", "[]a]"]
            .map { Array($0.utf8) }
        for _ in 0..<4000 {
            let s = Value.text(randomBytes(text, maxLength: 7, using: &g))
            let p = Value.text(randomBytes(pattern, maxLength: 5, using: &g))
            d.check("\(debugText(s)) GLOB \(debugText(p))", oracle: oracle.evaluate("SELECT ?1 GLOB ?2", [s, p]),
                    swift: answer { () throws(DBError) -> Value in try Pattern.glob(s, pattern: p) })
        }
        d.finish(minimumCases: 4000)
    }
}
