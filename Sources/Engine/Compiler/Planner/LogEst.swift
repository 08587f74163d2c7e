// LogEst: the planner's fixed-point logarithm, 10*log2(x) rounded as SQLite
// rounds it (util.c's sqlite3LogEst, sqlite3LogEstAdd, sqlite3LogEstToInt).
//
// Every cost and row count in the planner is a LogEst: 0 is one row, 10 is
// two, 33 is ten, 200 is about a million. Multiplying estimates adds their
// LogEsts; adding estimates uses `adding`, which is approximate in exactly
// SQLite's way, so that plans tie and break ties where sqlite3's do.
// Values stay far inside Int16's range (64 tables of 2^63 rows is 40,320).

struct LogEst: Hashable, Comparable, CustomStringConvertible {
    var value: Int

    init(_ value: Int) { self.value = value }

    static func < (a: LogEst, b: LogEst) -> Bool { a.value < b.value }
    static func + (a: LogEst, b: LogEst) -> LogEst { LogEst(a.value + b.value) }
    static func - (a: LogEst, b: LogEst) -> LogEst { LogEst(a.value - b.value) }
    static func + (a: LogEst, b: Int) -> LogEst { LogEst(a.value + b) }
    static func - (a: LogEst, b: Int) -> LogEst { LogEst(a.value - b) }
    static func += (a: inout LogEst, b: Int) { a.value += b }
    static func -= (a: inout LogEst, b: Int) { a.value -= b }
    static func += (a: inout LogEst, b: LogEst) { a.value += b.value }
    static func -= (a: inout LogEst, b: LogEst) { a.value -= b.value }

    var description: String { String(value) }

    static let zero = LogEst(0)

    /// sqlite3LogEst: 10*log2(n), n < 2 giving 0.
    init(count n: UInt64) {
        let fraction: [Int] = [0, 2, 3, 5, 6, 7, 8, 9]
        var x = n
        var y = 40
        if x < 8 {
            if x < 2 {
                value = 0
                return
            }
            while x < 8 {
                y -= 10
                x <<= 1
            }
        } else {
            let shift = 60 - x.leadingZeroBitCount
            y += shift * 10
            x >>= UInt64(shift)
        }
        value = fraction[Int(x & 7)] + y - 10
    }

    init(count n: Int) { self.init(count: UInt64(max(n, 0))) }

    /// sqlite3LogEstFromDouble.
    init(double x: Double) {
        if !(x > 1) {
            self.init(0)
        } else if x <= 2_000_000_000 {
            self.init(count: UInt64(x))
        } else {
            let bits = x.bitPattern
            self.init((Int(bits >> 52) - 1022) * 10)
        }
    }

    /// sqlite3LogEstAdd: the LogEst of the sum of the two quantities.
    func adding(_ other: LogEst) -> LogEst {
        let table: [Int] = [10, 10, 9, 9, 8, 8, 7, 7, 7, 6, 6, 6, 5, 5, 5, 4, 4, 4, 4,
                            3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2]
        let a = value, b = other.value
        if a >= b {
            if a > b + 49 { return LogEst(a) }
            if a > b + 31 { return LogEst(a + 1) }
            return LogEst(a + table[a - b])
        }
        if b > a + 49 { return LogEst(b) }
        if b > a + 31 { return LogEst(b + 1) }
        return LogEst(b + table[b - a])
    }

    /// sqlite3LogEstToInt: the quantity this LogEst stands for.
    var count: UInt64 {
        if value < 0 { return 1 }
        var x = value
        var n = UInt64(x % 10)
        x /= 10
        if n >= 5 { n -= 2 } else if n >= 1 { n -= 1 }
        if x > 60 { return UInt64(Int64.max) }
        return x >= 3 ? (n + 8) << UInt64(x - 3) : (n + 8) >> UInt64(3 - x)
    }

    /// where.c's estLog: log2 of a row count, as a LogEst (0 for ten rows or fewer).
    var estimatedLog: LogEst {
        value <= 10 ? LogEst(0) : LogEst(LogEst(count: UInt64(value)).value - 33)
    }
}
