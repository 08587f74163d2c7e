// Affinity: SQLite's type affinities and the conversions they imply (datatype3.html §3, §4.2).
//
// - `Affinity(declaredType:)` is sqlite3AffinityType: the rules of §3.1 applied to the
//   declared type with SQLite's rolling four-byte match ("INT" anywhere → INTEGER, then
//   CHAR/CLOB/TEXT → TEXT, BLOB or no type → BLOB, REAL/FLOA/DOUB → REAL, else NUMERIC).
// - `applyingAffinity(_:)` is applyAffinity() as used when a value is stored in a column:
//   numeric affinities turn well-formed numeric text into INTEGER (or REAL when it is not an
//   exact integer) and integral REALs into INTEGER; TEXT turns numbers into text.
//   A REAL column therefore stores 1.0 as the integer 1 (it is smaller on disk); reading the
//   column back must apply `realAffinity` (OP_RealAffinity) to restore the REAL.
// - `casting(to:)` is sqlite3VdbeMemCast (CAST expressions), which always converts.
// - `Affinity.forComparison` is sqlite3CompareAffinity (§4.2); `applyingComparisonAffinity`
//   is what OP_Eq/OP_Lt/... do to an operand before comparing.

import Base

/// A column or expression affinity, with SQLite's SQLITE_AFF_* codes ('@', 'A'...'E').
public enum Affinity: UInt8, Sendable, CaseIterable {
    /// No affinity (SQLITE_AFF_NONE, '@'): expressions that are not columns or CASTs.
    case none = 0x40
    /// BLOB affinity (SQLITE_AFF_BLOB, 'A'): values are stored as they are.
    case blob = 0x41
    /// TEXT affinity ('B').
    case text = 0x42
    /// NUMERIC affinity ('C').
    case numeric = 0x43
    /// INTEGER affinity ('D').
    case integer = 0x44
    /// REAL affinity ('E').
    case real = 0x45

    /// The letter EXPLAIN prints for this affinity ('@', 'A' ... 'E').
    public var letter: Character { Character(Unicode.Scalar(rawValue)) }

    /// NUMERIC, INTEGER or REAL.
    @inline(__always) public var isNumeric: Bool { rawValue >= Affinity.numeric.rawValue }

    /// The affinity of a column declared with `declaredType` (datatype3.html §3.1).
    /// A column with no declared type (nil or empty) has BLOB affinity.
    public init(declaredType: String?) {
        guard let declaredType, !declaredType.isEmpty else { self = .blob; return }
        var type = declaredType
        self = type.withUTF8 { Affinity(declaredTypeBytes: $0.span) }
    }

    /// sqlite3AffinityType over the bytes of a type name (also the target of CAST(x AS type)).
    public init(declaredTypeBytes z: Span<UInt8>) {
        var h: UInt32 = 0
        var aff = Affinity.numeric
        let charH: UInt32 = 0x63_68_61_72, clobH: UInt32 = 0x63_6C_6F_62, textH: UInt32 = 0x74_65_78_74
        let blobH: UInt32 = 0x62_6C_6F_62, realH: UInt32 = 0x72_65_61_6C, floaH: UInt32 = 0x66_6C_6F_61
        let doubH: UInt32 = 0x64_6F_75_62, intH: UInt32 = 0x69_6E_74
        for i in z.indices {
            if z[i] == 0 { break }
            h = (h << 8) &+ UInt32(asciiLower(z[i]))
            if h == charH || h == clobH || h == textH {
                aff = .text
            } else if h == blobH && (aff == .numeric || aff == .real) {
                aff = .blob
            } else if (h == realH || h == floaH || h == doubH) && aff == .numeric {
                aff = .real
            } else if h & 0x00FF_FFFF == intH {
                aff = .integer
                break
            }
        }
        self = aff
    }

    /// sqlite3CompareAffinity: the affinity applied to both operands of a comparison whose
    /// operands have affinities `left` and `right` (`.none` for plain expressions).
    public static func forComparison(_ left: Affinity, _ right: Affinity) -> Affinity {
        if left.rawValue > Affinity.none.rawValue && right.rawValue > Affinity.none.rawValue {
            return left.isNumeric || right.isNumeric ? .numeric : .blob
        }
        return left == .none ? right : left
    }
}

extension Value {
    /// applyAffinity(): the value as stored in a column with this affinity (see the header:
    /// REAL affinity prefers an INTEGER representation for integral values).
    func applyingAffinity(_ affinity: Affinity) -> Value {
        switch affinity {
        case .numeric, .integer, .real:
            switch self {
            case .real(let r): return Value.integerIfExact(r)
            case .text(let t): return Value.numericAffinity(t.span, tryForInteger: true) ?? self
            default: return self
            }
        case .text:
            switch self {
            case .integer(let i): return .text(renderInteger(i))
            case .real(let r): return .text(renderRealAsText(r))
            default: return self
            }
        case .blob, .none:
            return self
        }
    }

    /// OP_RealAffinity: an INTEGER read from a REAL column becomes REAL again.
    @inline(__always)
    var realAffinity: Value {
        if case .integer(let i) = self { return .real(Double(i)) }
        return self
    }

    /// sqlite3VdbeIntegerAffinity: a REAL that is exactly an integer (excluding the two Int64
    /// extremes) becomes INTEGER.
    static func integerIfExact(_ r: Double) -> Value {
        let i = realToInt64(r)
        if r == Double(i) && i > Int64.min && i < Int64.max { return .integer(i) }
        return .real(r)
    }

    /// applyNumericAffinity(): nil when the text is not a well-formed number; otherwise INTEGER
    /// or REAL. With `tryForInteger`, integral REALs such as '48.00' become INTEGER.
    static func numericAffinity(_ z: Span<UInt8>, tryForInteger: Bool) -> Value? {
        let r = NumericParsing.parseReal(z)
        if r.code <= 0 { return nil }
        if r.code == 1 {
            let i = realToInt64(r.value)
            if realSameAsInt(r.value, i) { return .integer(i) }
            let p = NumericParsing.parseInt64(z)
            if p.status == .exact { return .integer(p.value) }
        }
        return tryForInteger ? integerIfExact(r.value) : .real(r.value)
    }

    /// sqlite3_value_numeric_type's conversion: numeric-looking TEXT becomes INTEGER or REAL
    /// (without forcing integral reals to INTEGER); other values are unchanged.
    var numericIfWellFormed: Value {
        if case .text(let t) = self { return Value.numericAffinity(t.span, tryForInteger: false) ?? self }
        return self
    }

    /// The operand as OP_Eq, OP_Lt, ... see it after applying comparison affinity `affinity`.
    /// Numeric affinities convert well-formed numeric text; TEXT converts numbers to text.
    func applyingComparisonAffinity(_ affinity: Affinity) -> Value {
        if affinity.isNumeric {
            if case .text(let t) = self { return Value.numericAffinity(t.span, tryForInteger: false) ?? self }
            return self
        }
        if affinity == .text {
            switch self {
            case .integer(let i): return .text(renderInteger(i))
            case .real(let r): return .text(renderRealAsText(r))
            default: return self
            }
        }
        return self
    }

    /// sqlite3VdbeMemNumerify (CAST(x AS NUMERIC)): text and blobs become INTEGER when they
    /// hold an integer (or a real equal to a small integer), else REAL; numbers stay as they are.
    var numerified: Value {
        switch self {
        case .text(let t), .blob(let t): return Value.numerify(t.span)
        default: return self
        }
    }

    /// sqlite3VdbeMemNumerify on text bytes.
    static func numerify(_ z: Span<UInt8>) -> Value {
        let r = NumericParsing.parseReal(z)
        if r.code == 0 || r.code == 1 {
            let p = NumericParsing.parseInt64(z)
            if p.status.rawValue <= 1 { return .integer(p.value) }
        }
        let i = realToInt64(r.value)
        if realSameAsInt(r.value, i) { return .integer(i) }
        return .real(r.value)
    }

    /// sqlite3VdbeMemCast: CAST(value AS affinity). NULL stays NULL.
    func casting(to affinity: Affinity) -> Value {
        switch self {
        case .null: return .null
        default: break
        }
        switch affinity {
        case .blob, .none:
            switch self {
            case .blob: return self
            case .text(let t): return .blob(t)
            default: return .blob(textBytes ?? [])
            }
        case .numeric: return numerified
        case .integer: return .integer(integerValue)
        case .real: return .real(realValue)
        case .text:
            switch self {
            case .text: return self
            case .blob(let b): return .text(b)
            default: return .text(textBytes ?? [])
            }
        }
    }
}
