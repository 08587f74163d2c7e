// KeywordCheck: whether a word is one of SQLite's keywords (sqlite3_keyword_check), for
// callers that decide when an identifier must be quoted (the shell's insert mode and .dump).

extension Parser {
    /// True when `word` (any case) is an SQLite keyword.
    public static func isKeyword(_ word: String) -> Bool {
        keywordSpellings.contains(word.uppercased())
    }

    private static let keywordSpellings: Set<String> = Set(Keywords.list.map { $0.0 })
}
