// StringPatterns: sqlite3_strlike() and sqlite3_strglob() (func.c) for code
// outside the engine — the shell matches table names and help text with them —
// using the engine's own LIKE and GLOB matcher (Pattern.swift).

/// LIKE and GLOB over byte strings, as sqlite3_strlike and sqlite3_strglob.
public enum StringPatterns {
    /// sqlite3_strlike(pattern, string, escape): LIKE with ASCII case folding; `escape` 0 for none.
    public static func like(_ pattern: [UInt8], _ string: [UInt8], escape: UInt8 = 0) -> Bool {
        PatternMatcher.like.matches(pattern: pattern.span, string: string.span, matchOther: UInt32(escape))
    }

    /// sqlite3_strglob(pattern, string): GLOB, case-sensitive.
    public static func glob(_ pattern: [UInt8], _ string: [UInt8]) -> Bool {
        PatternMatcher.glob.matches(pattern: pattern.span, string: string.span, matchOther: 0x5B)
    }
}
