// Help: the .help text — sqlite3 3.40.1's lines for each dot-command swiftdb
// implements (a first line, for some commands detail lines after it), plus
// swiftdb's own .io, shown by shell.c.in's showHelp rules.

import Engine

extension Shell {
    static let helpLines = [
        ".backup ?DB? FILE        Backup DB (default \"main\") to FILE",
        "   Options:",
        "       --async             Write to FILE without journal and fsync()",
        ".bail on|off             Stop after hitting an error.  Default OFF",
        ".changes on|off          Show number of rows changed by SQL",
        ".databases               List names and files of attached databases",
        ".dbinfo ?DB?             Show status information about the database",
        ".dump ?OBJECTS?          Render database content as SQL",
        ".echo on|off             Turn command echo on or off",
        ".eqp on|off|full|...     Enable or disable automatic EXPLAIN QUERY PLAN",
        ".exit ?CODE?             Exit this program with return-code CODE",
        ".explain ?on|off|auto?   Change the EXPLAIN formatting mode.  Default: auto",
        ".fullschema ?--indent?   Show schema and the content of sqlite_stat tables",
        ".headers on|off          Turn display of headers on or off",
        ".help ?-all? ?PATTERN?   Show help text for PATTERN",
        ".import FILE TABLE       Import data from FILE into TABLE",
        ".indexes ?TABLE?         Show names of indexes",
        ".io                      Show the IO back-end in use and why (swiftdb)",
        ".limit ?LIMIT? ?VAL?     Display or change the value of an SQLITE_LIMIT",
        ".mode MODE ?OPTIONS?     Set output mode",
        ".nullvalue STRING        Use STRING in place of NULL values",
        ".once ?OPTIONS? ?FILE?   Output for the next SQL command only to FILE",
        ".open ?OPTIONS? ?FILE?   Close existing database and reopen FILE",
        "     Options:",
        "        --new           Initialize FILE to an empty database",
        "        --nofollow      Do not follow symbolic links",
        "        --readonly      Open FILE readonly",
        ".output ?FILE?           Send output to FILE or stdout if FILE is omitted",
        ".parameter CMD ...       Manage SQL parameter bindings",
        ".print STRING...         Print literal STRING",
        ".prompt MAIN CONTINUE    Replace the standard prompts",
        ".quit                    Exit this program",
        ".read FILE               Read input from FILE or command output",
        ".restore ?DB? FILE       Restore content of DB (default \"main\") from FILE",
        ".save ?OPTIONS? FILE     Write database to FILE (an alias for .backup ...)",
        ".schema ?PATTERN?        Show the CREATE statements matching PATTERN",
        "   Options:",
        "      --indent             Try to pretty-print the schema",
        "      --nosys              Omit objects whose names start with \"sqlite_\"",
        ".separator COL ?ROW?     Change the column and row separators",
        ".sha3sum ...             Compute a SHA3 hash of database content",
        "    Options:",
        "      --schema              Also hash the sqlite_schema table",
        "      --sha3-224            Use the sha3-224 algorithm",
        "      --sha3-256            Use the sha3-256 algorithm (default)",
        "      --sha3-384            Use the sha3-384 algorithm",
        "      --sha3-512            Use the sha3-512 algorithm",
        "    Any other argument is a LIKE pattern for tables to hash",
        ".shell CMD ARGS...       Run CMD ARGS... in a system shell",
        ".show                    Show the current values for various settings",
        ".stats ?ARG?             Show stats or turn stats on or off",
        "   off                      Turn off automatic stat display",
        "   on                       Turn on automatic stat display",
        "   stmt                     Show statement stats",
        "   vmstep                   Show the virtual machine step count only",
        ".system CMD ARGS...      Run CMD ARGS... in a system shell",
        ".tables ?TABLE?          List names of tables matching LIKE pattern TABLE",
        ".timeout MS              Try opening locked tables for MS milliseconds",
        ".timer on|off            Turn SQL timer on or off",
        ".width NUM1 NUM2 ...     Set minimum column widths for columnar output",
    ]

    /// showHelp (shell.c.in): with no pattern (or -a, -all, --all, or one starting with "0") every
    /// command's first line (all lines for a pattern); else the commands whose name starts with
    /// PATTERN (GLOB), with the detail lines when there is just one; else every command with a
    /// line containing PATTERN (LIKE), in full. "Nothing matches" when none does.
    func helpCommand(_ pattern: String?) {
        let lines = Shell.helpLines
        var shown = 0
        defer {
            if shown == 0, let pattern { out.write("Nothing matches '\(pattern)'\n") }
        }
        func show(_ i: Int) {
            out.write(lines[i] + "\n")
        }
        guard let pattern, !pattern.hasPrefix("0"), !["-a", "-all", "--all"].contains(pattern) else {
            for i in lines.indices where lines[i].hasPrefix(".") || pattern != nil { show(i) }
            shown = 1
            return
        }
        let isCommand = { (i: Int) in lines[i].hasPrefix(".") }
        var next = 0
        let prefix = Array(".\(pattern)*".utf8)
        for i in lines.indices where StringPatterns.glob(prefix, Array(lines[i].utf8)) {
            show(i)
            next = i + 1
            shown += 1
        }
        if shown == 1 {
            while next < lines.count - 1 && !isCommand(next) {
                show(next)
                next += 1
            }
        }
        if shown > 0 { return }
        let anywhere = Array("%\(pattern)%".utf8)
        var i = 0
        var command = 0
        while i < lines.count {
            if isCommand(i) { command = i }
            if StringPatterns.like(anywhere, Array(lines[i].utf8)) {
                show(command)
                while command < lines.count - 1 && !isCommand(command + 1) {
                    command += 1
                    show(command)
                }
                i = command
                shown += 1
            }
            i += 1
        }
    }
}
