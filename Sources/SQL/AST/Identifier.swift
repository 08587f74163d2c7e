// Identifier: a name as written in SQL (table, column, index, alias, collation…),
// with its quotes removed and a record of how it was quoted.
//
// https://sqlite.org/lang_keywords.html: "x" and [x] and `x` quote identifiers,
// and 'x' may stand for one where a name is expected. The quoting is kept because
// the engine needs it: a double-quoted name that matches no column becomes a
// string literal (https://sqlite.org/quirks.html#dblquote), and only bare
// TRUE/FALSE are the boolean constants. Names compare case-insensitively (ASCII
// folding) in the engine; the AST keeps them as written.

/// A name with its quoting.
public struct Identifier: Sendable, Hashable, CustomStringConvertible {
    /// How an identifier was written.
    public enum Quoting: UInt8, Sendable, Hashable {
        /// A bare word or keyword used as a name: `t`.
        case none
        /// `"t"` (may also be a string literal, see the file header).
        case doubleQuotes
        /// `[t]`
        case brackets
        /// `` `t` ``
        case backticks
        /// `'t'`, a string literal used where the grammar wants a name.
        case singleQuotes
    }

    /// The name, dequoted (a doubled quote character stands for one).
    public var name: String
    public var quoting: Quoting
    public var range: SourceRange

    public init(_ name: String, quoting: Quoting = .none, range: SourceRange = .empty(at: 0)) {
        self.name = name
        self.quoting = quoting
        self.range = range
    }

    /// True when the name equals `other` under SQLite's ASCII case folding.
    public func matches(_ other: String) -> Bool {
        let a = name.utf8, b = other.utf8
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) where asciiFold(x) != asciiFold(y) { return false }
        return true
    }

    /// True for an unquoted TRUE or FALSE, which SQLite reads as 1 or 0 when no column
    /// has that name (sqlite3ExprIdToTrueFalse).
    public var isBooleanKeyword: Bool { quoting == .none && (matches("true") || matches("false")) }

    public var description: String { name }
}

@inline(__always) func asciiFold(_ c: UInt8) -> UInt8 { c &- 0x41 < 26 ? c | 0x20 : c }

/// `[schema.]name`: a table, index, view or trigger name with an optional schema.
public struct QualifiedName: Sendable, Hashable, CustomStringConvertible {
    public var schema: Identifier?
    public var name: Identifier

    public init(schema: Identifier? = nil, name: Identifier) {
        self.schema = schema
        self.name = name
    }

    public var range: SourceRange { schema.map { $0.range.union(name.range) } ?? name.range }
    public var description: String { schema.map { "\($0.name).\(name.name)" } ?? name.name }
}
