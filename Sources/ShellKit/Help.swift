// Help: the .help text — sqlite3 3.40.1's one-line summary for each
// dot-command swiftdb implements, plus swiftdb's own .io. `.help PATTERN`
// shows the lines whose command starts with PATTERN.

extension Shell {
    static let helpLines = [
        ".bail on|off             Stop after hitting an error.  Default OFF",
        ".changes on|off          Show number of rows changed by SQL",
        ".databases               List names and files of attached databases",
        ".dump ?OBJECTS?          Render database content as SQL",
        ".echo on|off             Turn command echo on or off",
        ".exit ?CODE?             Exit this program with return-code CODE",
        ".fullschema ?--indent?   Show schema and the content of sqlite_stat tables",
        ".headers on|off          Turn display of headers on or off",
        ".help ?-all? ?PATTERN?   Show help text for PATTERN",
        ".import FILE TABLE       Import data from FILE into TABLE",
        ".indexes ?TABLE?         Show names of indexes",
        ".io                      Show the IO back-end in use and why (swiftdb)",
        ".mode MODE ?OPTIONS?     Set output mode",
        ".nullvalue STRING        Use STRING in place of NULL values",
        ".once ?OPTIONS? ?FILE?   Output for the next SQL command only to FILE",
        ".output ?FILE?           Send output to FILE or stdout if FILE is omitted",
        ".parameter CMD ...       Manage SQL parameter bindings",
        ".print STRING...         Print literal STRING",
        ".quit                    Exit this program",
        ".read FILE               Read input from FILE or command output",
        ".schema ?PATTERN?        Show the CREATE statements matching PATTERN",
        ".separator COL ?ROW?     Change the column and row separators",
        ".show                    Show the current values for various settings",
        ".tables ?TABLE?          List names of tables matching LIKE pattern TABLE",
        ".timeout MS              Try opening locked tables for MS milliseconds",
        ".width NUM1 NUM2 ...     Set minimum column widths for columnar output",
    ]

    func helpCommand(_ pattern: String?) {
        let wanted = pattern.map { $0 == "-all" ? "" : $0 } ?? ""
        var shown = 0
        for line in Shell.helpLines where line.dropFirst().hasPrefix(wanted) {
            out.write(line + "\n")
            shown += 1
        }
        if shown == 0, let pattern {
            out.write("Nothing matches '\(pattern)'\n")
        }
    }
}
