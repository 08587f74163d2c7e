// SelectNumbering: the numbers SQLite gives the SELECTs of one statement
// (Select.selId), which EXPLAIN QUERY PLAN prints in "SCALAR SUBQUERY N" and
// "LIST SUBQUERY N".
//
// SQLite's parser numbers a Select object when the grammar reduces it
// (sqlite3SelectNew in parse.y's `oneselect` and `values` rules): after the
// core's ORDER BY and LIMIT, so every SELECT nested inside a core is numbered
// before it, and a multi-row VALUES makes one object per row. That order is
// recovered here from the tokens: a core opens at SELECT or VALUES (not
// DEFAULT VALUES) and completes at the compound operator, the closing
// parenthesis or the end of statement that ends it at its own nesting depth.
// A view's SELECTs are renumbered when it expands (selectExpander), after all
// the others, in the order the expansion walk meets them.
// Invariant: numbers run from 1 in completion order, one per Select object.

public enum SelectNumbering {
    /// A core's number, and where its last token ends (to tell apart cores of different texts that
    /// start at the same offset).
    public struct Entry: Sendable, Equatable {
        public var number: Int
        public var end: UInt32
    }

    /// For each core of the statement in `sql[range]`, keyed by the offset of its first token (SELECT or
    /// VALUES): SQLite's number of the Select object that completes it (for VALUES, its last row's).
    public static func numbers(in sql: [UInt8], range: Range<Int>) -> [UInt32: Entry] {
        var out: [UInt32: Entry] = [:]
        var next = 1
        for core in cores(in: sql, range: range) {
            next += max(core.rows, 1)
            out[core.start] = Entry(number: next - 1, end: core.end)
        }
        return out
    }

    /// A view's cores as SQLite renumbers them when the view expands: after every number given out so far
    /// (`after`), in the order the expansion walk meets them, taken here as the order of their first
    /// tokens. Keyed as `numbers(in:range:)`.
    public static func viewNumbers(in sql: [UInt8], after: Int) -> [UInt32: Entry] {
        let all = cores(in: sql, range: 0..<sql.count).sorted { $0.start < $1.start }
        var out: [UInt32: Entry] = [:]
        for (i, core) in all.enumerated() { out[core.start] = Entry(number: after + i + 1, end: core.end) }
        return out
    }

    /// The cores of `sql[range]` in completion order: first token's offset, the end of its last token, and
    /// its Select objects (a VALUES core has one per row).
    private static func cores(in sql: [UInt8], range: Range<Int>) -> [(start: UInt32, end: UInt32, rows: Int)] {
        let end = min(range.upperBound, sql.count)
        let base = min(range.lowerBound, end)
        let lexer = Lexer(Array(sql[base..<end]))
        var open: [(start: UInt32, depth: Int, rows: Int, isValues: Bool)] = []
        var done: [(start: UInt32, end: UInt32, rows: Int)] = []
        var depth = 0
        var previous = TokenKind.end
        var previousEnd: UInt32 = 0
        var offset = 0
        func complete(atDepth d: Int) {
            while let top = open.last, top.depth >= d {
                open.removeLast()
                done.append((top.start &+ UInt32(base), previousEnd &+ UInt32(base), top.rows))
            }
        }
        while true {
            let token = lexer.nextToken(from: offset, previous: previous)
            if token.kind == .end { break }
            offset = Int(token.end)
            switch token.kind {
            case .kwSelect:
                open.append((token.start, depth, 1, false))
            case .kwValues where previous != .kwDefault:
                open.append((token.start, depth, 0, true))
            case .leftParen:
                // A row of a VALUES core opened at this depth.
                if let top = open.last, top.isValues, top.depth == depth, previous == .kwValues || previous == .comma {
                    open[open.count - 1].rows += 1
                }
                depth += 1
            case .rightParen:
                complete(atDepth: depth)
                depth = max(depth - 1, 0)
            case .kwUnion, .kwExcept, .kwIntersect:
                complete(atDepth: depth)
            case .semicolon:
                complete(atDepth: 0)
            default:
                break
            }
            previous = token.kind
            previousEnd = token.end
        }
        complete(atDepth: 0)
        return done
    }
}
