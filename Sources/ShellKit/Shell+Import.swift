// Shell+Import: `.import FILE TABLE` with sqlite3 3.40.1's options and
// messages (shell.c.in, the ".import" branch of do_meta_command): --csv,
// --ascii, --skip N, --schema S and -v; the separators of the output mode when
// neither --csv nor --ascii is given; a missing table created from the first
// row (ImportColumns); each row inserted with a prepared INSERT and bound text
// values, all in one transaction; short rows filled with NULL and long rows cut,
// with sqlite3's warnings. Fields are read by ImportReader. swiftdb has only the
// main schema: another --schema fails at CREATE TABLE with the engine's error.

import Base
import Engine

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Shell {
    static let importHelpDetails = [
        "   Options:",
        "     --ascii               Use \\037 and \\036 as column and row separators",
        "     --csv                 Use , and \\n as column and row separators",
        "     --skip N              Skip the first N rows of input",
        "     --schema S            Target table to be S.TABLE",
        "     -v                    \"Verbose\" - increase auxiliary output",
        "   Notes:",
        "     *  If TABLE does not exist, it is created.  The first row of input",
        "        determines the column names.",
        "     *  If neither --csv or --ascii are used, the input mode is derived",
        "        from the \".mode\" output mode",
        "     *  If FILE begins with \"|\" then it is a command that generates the",
        "        input text.",
    ]

    /// The options of one `.import`.
    private struct ImportOptions {
        var file: [UInt8]?
        var table: [UInt8]?
        var schema: [UInt8]?
        var verbosity = 0
        var skip: Int64 = 0
        /// --csv or --ascii: (column, row) separators and whether the ASCII reader reads them.
        var separators: (column: UInt8, row: UInt8, ascii: Bool)?
    }

    func importCommand(_ args: [[UInt8]]) -> DotResult {
        guard let options = importOptions(args) else { return .failed }
        guard let connection, let (columnSeparator, rowSeparator, ascii) = importSeparators(options) else {
            return .failed
        }
        let file = options.file!
        guard let reader = ImportReader(path: file, columnSeparator: columnSeparator, rowSeparator: rowSeparator,
                                        ascii: ascii, warn: { [out] in out.error($0) }) else {
            out.error("Error: cannot open \"\(String(decoding: file, as: UTF8.self))\"")
            return .failed
        }
        if options.verbosity >= 2 || (options.verbosity >= 1 && options.separators == nil) {
            out.write("Column separator ")
            out.write(cString([columnSeparator]))
            out.write(", row separator ")
            out.write(cString([rowSeparator]))
            out.write("\n")
        }
        var skip = options.skip
        while skip > 0 {
            while reader.readField() && reader.terminator == reader.columnSeparator {}
            skip -= 1
        }
        var tableName = quotedName(options.table!)
        if let schema = options.schema { tableName = quotedName(schema) + [0x2E] + tableName }
        guard let columnCount = importTableColumns(tableName, reader, verbose: options.verbosity > 0) else {
            return .failed
        }
        if columnCount == 0 { return .ok }
        var insertSQL = Array("INSERT INTO ".utf8) + tableName + Array(" VALUES(?".utf8)
        for _ in 1..<columnCount { insertSQL += Array(",?".utf8) }
        insertSQL.append(0x29)
        if options.verbosity >= 2 {
            out.write("Insert using: ")
            out.write(insertSQL)
            out.write("\n")
        }
        let insert: PreparedStatement
        do {
            guard let prepared = try connection.prepare(insertSQL).0 else { return .failed }
            insert = prepared
        } catch {
            out.error("Error: \(error.message)")
            return .failed
        }
        // One transaction for all the rows, unless one is open already (sqlite3's needCommit).
        let ownTransaction = connection.autocommit
        if ownTransaction { try? connection.execute("BEGIN") }
        let result = importRows(reader, into: insert, columnCount: columnCount)
        if ownTransaction { try? connection.execute("COMMIT") }
        if options.verbosity > 0 {
            out.write("Added \(result.rows) rows with \(result.errors) errors using \(reader.line - 1) lines of input\n")
        }
        return result.lastFailed ? .failed : .ok
    }

    /// Parses the arguments; nil after printing sqlite3's usage error (on stdout, as sqlite3 prints it).
    private func importOptions(_ args: [[UInt8]]) -> ImportOptions? {
        var options = ImportOptions()
        func usage(_ message: String) -> ImportOptions? {
            out.write(message)
            out.write(Shell.helpLines.first { $0.hasPrefix(".import ") }! + "\n")
            for line in Shell.importHelpDetails { out.write(line + "\n") }
            return nil
        }
        var i = 1
        while i < args.count {
            var argument = args[i]
            if argument.starts(with: [0x2D, 0x2D]) { argument.removeFirst() }
            let word = String(decoding: argument, as: UTF8.self)
            if argument.first != 0x2D {
                if options.file == nil {
                    options.file = argument
                } else if options.table == nil {
                    options.table = argument
                } else {
                    return usage("ERROR: extra argument: \"\(word)\".  Usage:\n")
                }
            } else if word == "-v" {
                options.verbosity += 1
            } else if word == "-schema" && i < args.count - 1 {
                i += 1
                options.schema = args[i]
            } else if word == "-skip" && i < args.count - 1 {
                i += 1
                options.skip = parseInteger(args[i])
            } else if word == "-ascii" {
                options.separators = (0x1F, 0x1E, true)
            } else if word == "-csv" {
                options.separators = (0x2C, 0x0A, false)
            } else {
                return usage("ERROR: unknown option: \"\(word)\".  Usage:\n")
            }
            i += 1
        }
        if options.table == nil {
            return usage("ERROR: missing \(options.file == nil ? "FILE" : "TABLE") argument. Usage:\n")
        }
        return options
    }

    /// The separators to read with: the options', or the output mode's when each is one byte (as C strings:
    /// up to a NUL). Importing in csv mode turns the mode's "\r\n" row separator into "\n" for good, as in
    /// sqlite3. Nil after printing the error.
    private func importSeparators(_ options: ImportOptions) -> (UInt8, UInt8, Bool)? {
        if let given = options.separators { return given }
        func cLength(_ s: [UInt8]) -> Int { s.firstIndex(of: 0) ?? s.count }
        let column = cLength(columnSeparator)
        if column == 0 {
            out.error("Error: non-null column separator required for import")
            return nil
        }
        if column > 1 {
            out.error("Error: multi-character column separators not allowed for import")
            return nil
        }
        var row = cLength(rowSeparator)
        if row == 0 {
            out.error("Error: non-null row separator required for import")
            return nil
        }
        if row == 2 && mode == .csv && rowSeparator.prefix(2) == [0x0D, 0x0A] {
            rowSeparator = [0x0A]
            row = 1
        }
        if row > 1 {
            out.error("Error: multi-character row separators not allowed for import")
            return nil
        }
        return (columnSeparator[0], rowSeparator[0], mode == .ascii)
    }

    /// The number of columns of the target table, which is created from the next row of input when it
    /// does not exist. Nil after printing the error.
    private func importTableColumns(_ tableName: [UInt8], _ reader: ImportReader, verbose: Bool) -> Int? {
        guard let connection else { return nil }
        let query = Array("SELECT * FROM ".utf8) + tableName
        do {
            return try connection.prepare(query).0?.columnCount ?? 0
        } catch where !(error.message.hasPrefix("no such table: ") || error.message.hasPrefix("unknown database ")) {
            out.error("Error: \(error.message)")
            return nil
        } catch {
            // sqlite3 creates the table when the query finds none. (It reports an unknown schema as
            // "no such table" here too, and fails only at CREATE TABLE.)
        }
        var names: [[UInt8]] = []
        while reader.readField() {
            names.append(reader.fieldText)
            if reader.terminator != reader.columnSeparator { break }
        }
        guard let columns = ImportColumns(names: names) else {
            out.error("\(reader.name): empty file")
            return nil
        }
        if let renames = columns.renames {
            out.error("Columns renamed during .import \(reader.name) due to duplicates:\n"
                      + String(decoding: renames, as: UTF8.self))
        }
        let create = Array("CREATE TABLE ".utf8) + tableName + columns.definitions + [0x0A]
        if verbose {
            out.write(create)
            out.write("\n")
        }
        do {
            if let statement = try connection.prepare(create).0 { while try statement.step() == .row {} }
            return try connection.prepare(query).0?.columnCount ?? 0
        } catch {
            out.error(String(decoding: create, as: UTF8.self) + " failed:\n" + error.message)
            return nil
        }
    }

    /// Reads rows and inserts them: `lastFailed` is sqlite3's status for the command, set when the last
    /// row's INSERT failed.
    private func importRows(_ reader: ImportReader, into insert: PreparedStatement,
                            columnCount: Int) -> (rows: Int, errors: Int, lastFailed: Bool) {
        var rows = 0, errors = 0, lastFailed = false
        let name = reader.name
        repeat {
            let startLine = reader.line
            var i = 0
            while i < columnCount {
                let read = reader.readField()
                // At the end of the input, or (in ascii mode) of an empty record, before a field: no row.
                if i == 0 && (!read || (mode == .ascii && reader.fieldText.isEmpty)) { break }
                try? insert.bind(read ? .text(reader.fieldText) : .null, at: i + 1)
                if i < columnCount - 1 && reader.terminator != reader.columnSeparator {
                    out.error("\(name):\(startLine): expected \(columnCount) columns but found \(i + 1)"
                              + " - filling the rest with NULL")
                    for j in i + 2...columnCount { try? insert.bind(.null, at: j) }
                    i = columnCount + 1
                }
                i += 1
            }
            if reader.terminator == reader.columnSeparator {
                repeat {
                    _ = reader.readField()
                    i += 1
                } while reader.terminator == reader.columnSeparator
                out.error("\(name):\(startLine): expected \(columnCount) columns but found \(i) - extras ignored")
            }
            if i >= columnCount {
                do {
                    while try insert.step() == .row {}
                    rows += 1
                    lastFailed = false
                } catch {
                    out.error("\(name):\(startLine): INSERT failed: \(error.message)")
                    errors += 1
                    lastFailed = true
                }
                insert.reset()
            }
        } while reader.terminator != EOF
        return (rows, errors, lastFailed)
    }
}
