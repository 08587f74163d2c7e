// NumericLiteralConversion: the value of a numeric literal token in SQL text (expr.c codeInteger,
// codeReal; lang_expr.html "Literal Values").
//
// A decimal integer literal that fits in an Int64 is an INTEGER; one that does not (for
// example 9223372036854775808 without a minus sign) becomes the REAL the same digits denote.
// A hexadecimal literal of up to 16 significant digits is the Int64 with that bit pattern
// (0xffffffffffffffff is -1); a longer one, or -0x8000000000000000, is the error
// "hex literal too big: [-]0x...". A floating-point literal is converted with sqlite3AtoF.
// `negated` is set when the literal is the operand of a unary minus, which the compiler folds
// into the constant.

import Base

/// Numeric literal tokens to values (namespace).
enum NumericLiteralConversion {
    /// The value of an integer literal token (decimal digits or 0x-hex), optionally negated.
    static func integer(_ token: String, negated: Bool = false) throws(DBError) -> Value {
        let bytes = Array(token.utf8)
        return try integer(bytes.span, negated: negated)
    }

    /// The value of an integer literal token given as bytes.
    static func integer(_ z: Span<UInt8>, negated: Bool = false) throws(DBError) -> Value {
        let (value, status) = NumericParsing.parseIntegerLiteral(z)
        if (status == .twoToThe63 && !negated) || status == .overflow || (negated && value == Int64.min) {
            if z.count >= 2 && z[0] == 0x30 && (z[1] | 0x20) == 0x78 {
                var text = negated ? "-" : ""
                var bytes: [UInt8] = []
                bytes.reserveCapacity(z.count)
                for i in z.indices { bytes.append(z[i]) }
                text += String(decoding: bytes, as: UTF8.self)
                throw DBError(.error, "hex literal too big: \(text)")
            }
            return real(z, negated: negated)
        }
        if negated { return .integer(status == .twoToThe63 ? Int64.min : -value) }
        return .integer(value)
    }

    /// The value of a floating-point literal token (codeReal), optionally negated.
    static func real(_ z: Span<UInt8>, negated: Bool = false) -> Value {
        let r = NumericParsing.parseReal(z).value
        return .real(negated ? -r : r)
    }

    /// The value of a floating-point literal token given as a string.
    static func real(_ token: String, negated: Bool = false) -> Value {
        var token = token
        return token.withUTF8 { real($0.span, negated: negated) }
    }
}
