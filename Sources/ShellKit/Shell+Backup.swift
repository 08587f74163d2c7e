// Shell+Backup: .backup ?DB? ?OPTIONS? FILE (and its alias .save) and
// .restore ?DB? FILE, as shell.c.in runs them: a second connection on FILE and
// one sqlite3_backup of "main" into it, or from it (Connection.copyContents).
// --async writes the copy without syncs or journal; --append (the appendvfs)
// is not supported. Only the main database exists (no ATTACH yet), so DB
// must name it.

import Base
import Engine

extension Shell {
    func backupCommand(_ args: [String]) -> DotResult {
        var destination: String?
        var database: String?
        var async = false
        for a in args.dropFirst() {
            if a.hasPrefix("-") {
                let option = a.hasPrefix("--") ? String(a.dropFirst()) : a
                if option == "-async" {
                    async = true
                } else if option == "-append" {
                    out.error("Error: .backup --append is not supported by swiftdb")
                    return .failed
                } else {
                    out.error("unknown option: \(a)")
                    return .failed
                }
            } else if destination == nil {
                destination = a
            } else if database == nil {
                database = destination
                destination = a
            } else {
                out.error("Usage: .backup ?DB? ?OPTIONS? FILENAME")
                return .failed
            }
        }
        guard let destination else {
            out.error("missing FILENAME argument on .backup")
            return .failed
        }
        guard let target = try? Connection(path: destination, options: ConnectionOptions()) else {
            out.error("Error: cannot open \"\(destination)\"")
            return .failed
        }
        if async { _ = try? target.query("PRAGMA synchronous=OFF; PRAGMA journal_mode=OFF;") }
        guard let connection else { return .failed }
        if let database, !isMainDatabase(database) {
            out.error("Error: unknown database \(database)")
            return .failed
        }
        do {
            try target.copyContents(of: connection)
        } catch {
            out.error("Error: \(error.message)")
            return .failed
        }
        return .ok
    }

    func restoreCommand(_ args: [String]) -> DotResult {
        guard args.count == 2 || args.count == 3 else {
            out.error("Usage: .restore ?DB? FILE")
            return .failed
        }
        let file = args[args.count - 1]
        guard let source = try? Connection(path: file, options: ConnectionOptions()) else {
            out.error("Error: cannot open \"\(file)\"")
            return .failed
        }
        guard let connection else { return .failed }
        if args.count == 3 && !isMainDatabase(args[1]) {
            out.error("Error: unknown database \(args[1])")
            return .failed
        }
        do {
            try connection.copyContents(of: source)
        } catch {
            out.error(error.code.primary == .busy ? "Error: source database is busy" : "Error: \(error.message)")
            return .failed
        }
        return .ok
    }

    private func isMainDatabase(_ name: String) -> Bool { name.lowercased() == "main" }
}
