// SourceRange: where a token or AST node was written, as byte offsets into the
// parser's input.
//
// Invariant: `start <= end`; offsets are absolute in the buffer given to `Parser`
// (not relative to the statement). AST equality is structural: two nodes that
// differ only in where they were written compare equal, so `SourceRange`'s `==`
// is always true and its hash is constant. Compare `start`/`end` (or `bounds`)
// when positions matter.

/// A byte range `start..<end` of the parser's input.
public struct SourceRange: Sendable, Hashable, CustomStringConvertible {
    public var start: UInt32
    public var end: UInt32

    @inlinable public init(start: UInt32, end: UInt32) {
        self.start = start
        self.end = end
    }

    @inlinable public init(_ range: Range<Int>) {
        self.start = UInt32(truncatingIfNeeded: range.lowerBound)
        self.end = UInt32(truncatingIfNeeded: range.upperBound)
    }

    /// The range as `Int` offsets, for slicing the input.
    @inlinable public var bounds: Range<Int> { Int(start)..<Int(end) }

    /// The empty range at `offset`.
    @inlinable public static func empty(at offset: Int) -> SourceRange { SourceRange(offset..<offset) }

    /// The smallest range covering both.
    @inlinable public func union(_ other: SourceRange) -> SourceRange {
        SourceRange(start: Swift.min(start, other.start), end: Swift.max(end, other.end))
    }

    /// Always true: positions never distinguish AST nodes (see the file header).
    @inlinable public static func == (_: SourceRange, _: SourceRange) -> Bool { true }
    @inlinable public func hash(into hasher: inout Hasher) {}

    public var description: String { "\(start)..<\(end)" }
}
