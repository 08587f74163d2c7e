// ValueConversion: how SQLite reads one storage class as another (vdbemem.c, vdbe.c).
//
// - `integerValue` is sqlite3VdbeIntValue: reals truncate toward zero and clamp to the Int64
//   range; text and blob bytes go through sqlite3Atoi64 (a decimal prefix, else 0); NULL is 0.
// - `realValue` is sqlite3VdbeRealValue: text and blob bytes go through sqlite3AtoF.
// - `truthValue` is sqlite3VdbeBooleanValue: integers test != 0, everything else tests its
//   real value != 0.0 (so '1abc' and 0.5 are true, 'abc' is false).
// - `arithmeticOperand` is numericType()/computeNumericType(): the INTEGER-or-REAL view of a
//   value that the arithmetic opcodes use; it never fails (non-numbers become 0).
// - `textBytes` is sqlite3VdbeMemStringify: integers in decimal, reals as "%!.15g".
// Blobs are read as if their bytes were UTF-8 text. Nothing here throws.

import Base

extension Value {
    /// sqlite3VdbeIntValue: the best Int64 this value can give (NULL gives 0).
    var integerValue: Int64 {
        switch self {
        case .integer(let i): return i
        case .real(let r): return realToInt64(r)
        case .text(let t), .blob(let t): return NumericParsing.parseInt64(t.span).value
        case .null: return 0
        }
    }

    /// sqlite3VdbeRealValue: the best Double this value can give (NULL gives 0.0).
    var realValue: Double {
        switch self {
        case .real(let r): return r
        case .integer(let i): return Double(i)
        case .text(let t), .blob(let t): return NumericParsing.parseReal(t.span).value
        case .null: return 0
        }
    }

    /// sqlite3_value_int: the integer value truncated to 32 bits, as C's `(int)` cast does.
    var int32Value: Int32 { Int32(truncatingIfNeeded: integerValue) }

    /// sqlite3VdbeBooleanValue: whether the value is true; `ifNull` for NULL.
    func truthValue(ifNull: Bool) -> Bool {
        switch self {
        case .integer(let i): return i != 0
        case .null: return ifNull
        default: return realValue != 0.0
        }
    }

    /// The operand arithmetic sees (numericType): INTEGER or REAL for every non-NULL value.
    /// Text and blobs that are (or start with) an integer in range give INTEGER, other text REAL.
    var arithmeticOperand: Value {
        switch self {
        case .integer, .real, .null: return self
        case .text(let t), .blob(let t): return Value.numericOperand(t.span)
        }
    }

    /// computeNumericType on text bytes.
    static func numericOperand(_ z: Span<UInt8>) -> Value {
        let r = NumericParsing.parseReal(z)
        if r.code <= 0 {
            if r.code == 0 {
                let p = NumericParsing.parseInt64(z)
                if p.status.rawValue <= 1 { return .integer(p.value) }
            }
            return .real(r.value)
        }
        if r.code == 1 {
            let p = NumericParsing.parseInt64(z)
            if p.status == .exact { return .integer(p.value) }
        }
        return .real(r.value)
    }

    /// sqlite3VdbeMemStringify: the text form of a number; text and blob bytes as they are;
    /// nil for NULL.
    var textBytes: [UInt8]? {
        switch self {
        case .null: return nil
        case .integer(let i): return renderInteger(i)
        case .real(let r): return renderRealAsText(r)
        case .text(let t), .blob(let t): return t
        }
    }

    /// The storage class name typeof() returns.
    var typeName: StaticString {
        switch self {
        case .null: return "null"
        case .integer: return "integer"
        case .real: return "real"
        case .text: return "text"
        case .blob: return "blob"
        }
    }
}

/// doubleToInt64 / sqlite3RealToI64: truncation toward zero, clamped to the Int64 range.
/// NaN (never stored by SQLite) gives Int64.min, as the x86-64 conversion instruction does.
func realToInt64(_ r: Double) -> Int64 {
    if r <= -9223372036854775808.0 { return Int64.min }
    if r >= 9223372036854775807.0 { return Int64.max }
    if r.isNaN { return Int64.min }
    return Int64(r)
}

/// sqlite3RealSameAsInt: `r` equals `i` exactly and `i` is within +-2^51.
func realSameAsInt(_ r: Double, _ i: Int64) -> Bool {
    r == 0.0 || (r.bitPattern == Double(i).bitPattern && i >= -2251799813685248 && i < 2251799813685248)
}

/// The decimal text of an integer (sqlite3Int64ToText).
func renderInteger(_ v: Int64) -> [UInt8] {
    var out: [UInt8] = []
    appendInteger(v, to: &out)
    return out
}

/// Appends the decimal text of an integer.
public func appendInteger(_ v: Int64, to out: inout [UInt8]) {
    var x = v.magnitude
    var digits = InlineArray<20, UInt8>(repeating: 0)
    var i = 20
    repeat {
        i -= 1
        digits[i] = UInt8(truncatingIfNeeded: x % 10) &+ 0x30
        x /= 10
    } while x != 0
    if v < 0 { out.append(0x2D) }
    while i < 20 {
        out.append(digits[i])
        i += 1
    }
}
