// SQLLiteral: a value rendered as an SQL literal (func.c sqlite3QuoteValue, quote()).
//
// NULL → NULL; INTEGER → decimal; REAL → "%!.15g", or "%!.20e" when 15 digits do not read
// back as the same double (`renderRealAsLiteral`); TEXT → '...' with each ' doubled, cut at
// the first 0x00 byte (the text is read as a C string); BLOB → X'...' in upper-case hex.
// The CLI's quote mode prints TEXT and BLOB the same way but REALs with "%!.20g"
// (`renderRealForQuoteMode`).

import Base

private let upperHexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

/// Values as SQL literal text (namespace).
enum SQLLiteral {
    /// quote(value).
    static func render(_ v: Value) -> [UInt8] {
        var out: [UInt8] = []
        append(v, to: &out)
        return out
    }

    /// Appends quote(value) to `out`.
    static func append(_ v: Value, to out: inout [UInt8]) {
        switch v {
        case .null: out.append(contentsOf: [0x4E, 0x55, 0x4C, 0x4C])
        case .integer(let i): appendInteger(i, to: &out)
        case .real(let r): out.append(contentsOf: renderRealAsLiteral(r))
        case .text(let t): appendQuotedText(t.span, to: &out)
        case .blob(let b): appendBlobLiteral(b.span, to: &out)
        }
    }

    /// '...' with embedded single quotes doubled, up to the first 0x00 byte (printf %Q).
    static func appendQuotedText(_ t: Span<UInt8>, to out: inout [UInt8]) {
        out.append(0x27)
        for i in t.indices {
            let c = t[i]
            if c == 0 { break }
            out.append(c)
            if c == 0x27 { out.append(0x27) }
        }
        out.append(0x27)
    }

    /// X'hex' with upper-case digits.
    static func appendBlobLiteral(_ b: Span<UInt8>, to out: inout [UInt8]) {
        out.reserveCapacity(out.count + b.count * 2 + 3)
        out.append(0x58)
        out.append(0x27)
        appendHex(b, to: &out)
        out.append(0x27)
    }

    /// The bytes as upper-case hexadecimal (hex()).
    static func appendHex(_ b: Span<UInt8>, to out: inout [UInt8]) {
        for i in b.indices {
            out.append(upperHexDigits[Int(b[i] >> 4)])
            out.append(upperHexDigits[Int(b[i] & 0x0F)])
        }
    }
}
