// MathFunctions: the SQLITE_ENABLE_MATH_FUNCTIONS built-ins of lang_mathfunc.html (func.c):
// acos ... trunc, ln, log, log10, log2, exp, pow/power, mod, atan2, sqrt, radians, degrees, pi.
//
// Arguments are read with sqlite3_value_numeric_type(): numbers and numeric-looking text are
// used, anything else (NULL, other text, blobs) gives NULL. ceil/floor/trunc return INTEGER
// arguments unchanged. Results come from the C library (glibc), as SQLite's do, and a NaN
// result is NULL (sqlite3_result_double). log10 and log2 divide the natural logarithm by
// M_LN10 / M_LN2 exactly as func.c does rather than calling log10()/log2().

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Base

/// Bodies and definitions of the math functions.
enum MathFunctions {
    private static let ln10 = 2.302585092994045684017991454684364208
    private static let ln2 = 0.693147180559945309417232121458176568
    private static let piValue = 3.141592653589793238462643383279502884

    /// The argument as a number, or nil when sqlite3_value_numeric_type is not INTEGER/REAL.
    @inline(__always)
    private static func numeric(_ v: Value) -> Value? {
        let n = v.numericIfWellFormed
        switch n {
        case .integer, .real: return n
        default: return nil
        }
    }

    /// ceil(X), ceiling(X), floor(X), trunc(X).
    static func rounding(_ a: FunctionArguments, _ f: (Double) -> Double) -> Value {
        guard let n = numeric(a[0]) else { return .null }
        if case .integer = n { return n }
        return Value.fromDouble(f(n.realValue))
    }

    /// One-argument functions: exp, acos, ..., sqrt, radians, degrees.
    static func unary(_ a: FunctionArguments, _ f: (Double) -> Double) -> Value {
        guard let n = numeric(a[0]) else { return .null }
        return Value.fromDouble(f(n.realValue))
    }

    /// Two-argument functions: pow, power, mod, atan2.
    static func binary(_ a: FunctionArguments, _ f: (Double, Double) -> Double) -> Value {
        guard let x = numeric(a[0]), let y = numeric(a[1]) else { return .null }
        return Value.fromDouble(f(x.realValue, y.realValue))
    }

    /// ln(X), log(X), log10(X), log2(X) and log(B, X) (logFunc).
    static func logarithm(_ a: FunctionArguments, divisor: Double?) -> Value {
        guard let n = numeric(a[0]) else { return .null }
        var x = n.realValue
        if x <= 0 { return .null }
        if a.count == 2 {
            let b = log(x)
            if b <= 0 { return .null }
            x = a[1].realValue
            if x <= 0 { return .null }
            return Value.fromDouble(log(x) / b)
        }
        var answer = log(x)
        if let divisor { answer /= divisor }
        return Value.fromDouble(answer)
    }

    /// The function table entries of this file.
    static var definitions: [FunctionDefinition] {
        func u(_ name: String, _ f: @escaping @Sendable (Double) -> Double) -> FunctionDefinition {
            FunctionDefinition(name, .exactly(1), .scalar { a, _ in unary(a, f) })
        }
        func b(_ name: String, _ f: @escaping @Sendable (Double, Double) -> Double) -> FunctionDefinition {
            FunctionDefinition(name, .exactly(2), .scalar { a, _ in binary(a, f) })
        }
        func r(_ name: String, _ f: @escaping @Sendable (Double) -> Double) -> FunctionDefinition {
            FunctionDefinition(name, .exactly(1), .scalar { a, _ in rounding(a, f) })
        }
        return [
            r("ceil", { ceil($0) }), r("ceiling", { ceil($0) }), r("floor", { floor($0) }),
            r("trunc", { trunc($0) }),
            FunctionDefinition("ln", .exactly(1), .scalar { a, _ in logarithm(a, divisor: nil) }),
            FunctionDefinition("log", .exactly(1), .scalar { a, _ in logarithm(a, divisor: ln10) }),
            FunctionDefinition("log10", .exactly(1), .scalar { a, _ in logarithm(a, divisor: ln10) }),
            FunctionDefinition("log2", .exactly(1), .scalar { a, _ in logarithm(a, divisor: ln2) }),
            FunctionDefinition("log", .exactly(2), .scalar { a, _ in logarithm(a, divisor: nil) }),
            u("exp", { exp($0) }),
            b("pow", { pow($0, $1) }), b("power", { pow($0, $1) }), b("mod", { fmod($0, $1) }),
            u("acos", { acos($0) }), u("asin", { asin($0) }), u("atan", { atan($0) }),
            b("atan2", { atan2($0, $1) }),
            u("cos", { cos($0) }), u("sin", { sin($0) }), u("tan", { tan($0) }),
            u("cosh", { cosh($0) }), u("sinh", { sinh($0) }), u("tanh", { tanh($0) }),
            u("acosh", { acosh($0) }), u("asinh", { asinh($0) }), u("atanh", { atanh($0) }),
            u("sqrt", { sqrt($0) }),
            u("radians", { $0 * (piValue / 180.0) }), u("degrees", { $0 * (180.0 / piValue) }),
            FunctionDefinition("pi", .exactly(0), .scalar { _, _ in .real(piValue) }),
        ]
    }
}
