// KnownDifferences: the named exclusion list of the statement differential suite.
//
// Each key is "family/case" (a case file's name, or a generated family's name,
// then the case name); each value says why swiftdb differs from sqlite3 there.
// docs/KNOWN-DIFFERENCES.md explains every entry. Listed cases are skipped;
// SWIFTDB_STMT_KNOWN=1 runs them and reports any that now pass.

enum KnownDifferences {
    static let excluded: [String: String] = [
        // Hangs.

        // Features not implemented: swiftdb refuses with "… is not supported yet" (never a wrong answer).
        "ddl-alter/rename-column-named-in-views-and-triggers": "ALTER TABLE RENAME COLUMN is refused while a view or trigger has a token spelling the column's name (sqlite3 rewrites them)",
        "dml-conflict/replace-with-triggers-and-delete-count": "PRAGMA recursive_triggers = ON is refused (triggers are compiled inline and cannot fire themselves; a REPLACE fires no DELETE trigger)",
        "transactions/begin-kinds": "BEGIN CONCURRENT is reserved for swiftdb's MVCC extension (not supported yet); sqlite3 3.40 calls it a syntax error",

    ]
}
