// Aggregates: count, count(*), sum, total, avg, min, max, group_concat (func.c sumStep ...
// groupConcatValue; lang_aggfunc.html).
//
// An `AggregateAccumulator` is a value owned by the VM, one per group and aggregate call:
// `step` per input row, `finalize` once; as a window function also `inverse` (remove the
// oldest row) and `value`. Nothing is allocated per row except group_concat's text.
// - sum/total/avg read each argument as sqlite3_value_numeric_type does (numeric text counts
//   as a number); INTEGER inputs are summed exactly until the first overflow or non-integer,
//   the REAL sum is kept alongside in plain double arithmetic (SQLite 3.40 has no Kahan
//   summation). sum() of integers that overflowed is the error "integer overflow".
// - min/max compare with the collation in the context; `step` returns false when the row
//   did not become the new minimum/maximum (SQLite's "skip accumulator load", which decides
//   the values of bare columns).
// - group_concat puts the separator (default ",") before every value but the first and
//   tracks separator lengths so `inverse` can remove the oldest value exactly as SQLite does.

import Base

/// The running state of one aggregate for one group.
struct AggregateAccumulator {
    /// Which aggregate this accumulates.
    let kind: AggregateKind
    /// Rows counted (count, and the cnt of sum/total/avg).
    private var rowCount: Int64 = 0
    private var integerSum: Int64 = 0
    private var realSum: Double = 0
    private var overflowed = false
    private var approximate = false
    /// min/max: the best value so far (hasBest: SQLite's pBest->flags != 0).
    private var best: Value = .null
    private var hasBest = false
    /// group_concat state.
    private var text: [UInt8] = []
    private var contextAllocated = false
    private var started = false
    private var accumulated = 0
    private var firstSeparatorLength = 0
    private var separatorLengths: [Int]?
    private var tooBig = false

    /// An empty accumulator (no rows yet).
    init(_ kind: AggregateKind) { self.kind = kind }

    /// Adds one row. Returns false when SQLite would skip the accumulator load (min/max: the
    /// row is not the new best).
    @discardableResult
    mutating func step(_ args: FunctionArguments, _ context: inout FunctionContext) throws(DBError) -> Bool {
        switch kind {
        case .countStar:
            rowCount += 1
        case .count:
            if !args[0].isNull { rowCount += 1 }
        case .sum, .total, .average:
            addToSum(args[0].numericIfWellFormed)
        case .min, .max:
            return stepMinMax(args[0], context.collation)
        case .groupConcat:
            stepGroupConcat(args)
        }
        return true
    }

    /// Removes the oldest row (window frames). Not used for min/max.
    mutating func inverse(_ args: FunctionArguments, _ context: inout FunctionContext) throws(DBError) {
        switch kind {
        case .countStar:
            rowCount -= 1
        case .count:
            if !args[0].isNull { rowCount -= 1 }
        case .sum, .total, .average:
            let v = args[0].numericIfWellFormed
            if v.isNull { return }
            rowCount -= 1
            if case .integer(let i) = v, !approximate {
                realSum -= Double(i)
                integerSum &-= i
            } else {
                realSum -= v.realValue
            }
        case .min, .max:
            break
        case .groupConcat:
            inverseGroupConcat(args)
        }
    }

    /// The current result (window functions); the accumulator stays usable.
    func value(_ context: inout FunctionContext) throws(DBError) -> Value {
        switch kind {
        case .count, .countStar:
            return .integer(rowCount)
        case .sum:
            if rowCount <= 0 { return .null }
            if overflowed { throw DBError(.error, "integer overflow") }
            return approximate ? Value.fromDouble(realSum) : .integer(integerSum)
        case .total:
            return Value.fromDouble(realSum)
        case .average:
            if rowCount <= 0 { return .null }
            return Value.fromDouble(realSum / Double(rowCount))
        case .min, .max:
            return hasBest ? best : .null
        case .groupConcat:
            if tooBig { throw DBError.tooBig }
            // groupConcatValue reads the text with sqlite3_str_value(): empty text is NULL.
            return contextAllocated && !text.isEmpty ? .text(text) : .null
        }
    }

    /// The final result of the group.
    mutating func finalize(_ context: inout FunctionContext) throws(DBError) -> Value {
        if kind == .groupConcat {
            if tooBig { throw DBError.tooBig }
            return contextAllocated ? .text(text) : .null
        }
        return try value(&context)
    }

    private mutating func addToSum(_ v: Value) {
        switch v {
        case .null:
            return
        case .integer(let i):
            rowCount += 1
            realSum += Double(i)
            if !approximate && !overflowed {
                let (s, o) = integerSum.addingReportingOverflow(i)
                if o {
                    approximate = true
                    overflowed = true
                } else {
                    integerSum = s
                }
            }
        default:
            rowCount += 1
            realSum += v.realValue
            approximate = true
        }
    }

    private mutating func stepMinMax(_ arg: Value, _ collation: Collation) -> Bool {
        if arg.isNull { return !hasBest }
        if hasBest {
            let order = compareValues(best, arg, collation: collation)
            if (kind == .max && order < 0) || (kind == .min && order > 0) {
                best = arg
                return true
            }
            return false
        }
        best = arg
        hasBest = true
        return true
    }

    private mutating func stepGroupConcat(_ args: FunctionArguments) {
        guard let value = args[0].textBytes else { return }
        contextAllocated = true
        let firstTerm = !started
        started = true
        if args.count == 1 {
            if !firstTerm {
                appendText([0x2C])
            } else {
                firstSeparatorLength = 1
            }
        } else if !firstTerm {
            let separator = args[1].textBytes
            let n = separator?.count ?? 0
            if let separator { appendText(separator) }
            if n != firstSeparatorLength || separatorLengths != nil {
                if separatorLengths == nil {
                    separatorLengths = Array(repeating: firstSeparatorLength, count: max(accumulated - 1, 0))
                }
                separatorLengths?.append(n)
            }
        } else {
            firstSeparatorLength = args[1].textBytes?.count ?? 0
        }
        accumulated += 1
        appendText(value)
    }

    private mutating func appendText(_ bytes: [UInt8]) {
        if tooBig { return }
        if text.count + bytes.count + 1 > SQLiteLimits.maxLength {
            tooBig = true
            text = []
            return
        }
        text.append(contentsOf: bytes)
    }

    private mutating func inverseGroupConcat(_ args: FunctionArguments) {
        guard let value = args[0].textBytes else { return }
        var removed = value.count
        accumulated -= 1
        if separatorLengths != nil {
            if accumulated > 0, let first = separatorLengths?.first {
                removed += first
                separatorLengths?.removeFirst()
            }
        } else {
            removed += firstSeparatorLength
        }
        if removed >= text.count {
            text.removeAll(keepingCapacity: true)
        } else {
            text.removeFirst(removed)
        }
        if text.isEmpty {
            started = false
            separatorLengths = nil
        }
    }
}

extension Value {
    /// sqlite3_result_double: a NaN result is NULL.
    @inline(__always)
    static func fromDouble(_ r: Double) -> Value { r.isNaN ? .null : .real(r) }
}
