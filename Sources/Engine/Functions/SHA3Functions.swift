// SHA3Functions: the sqlite3 shell's sha3(X[,SIZE]) and sha3_query(SQL[,SIZE])
// (ext/misc/shathree.c). They are not built-ins of the library: the sqlite3 CLI
// registers them on every connection it opens (shell.c.in open_db calls
// sqlite3_shathree_init), and so does the swiftdb shell, through
// Connection.registerShellFunctions. .sha3sum (ShellKit/Shell+SHA3Sum.swift) hashes
// a database's content with sha3_query.

import Base
import SQL

enum SHA3Functions {
    static var definitions: [FunctionDefinition] {
        [
            FunctionDefinition("sha3", .exactly(1), .scalar(sha3)),
            FunctionDefinition("sha3", .exactly(2), .scalar(sha3)),
            FunctionDefinition("sha3_query", .exactly(1), [.directOnly], .scalar(sha3Query)),
            FunctionDefinition("sha3_query", .exactly(2), [.directOnly], .scalar(sha3Query)),
        ]
    }

    /// The SIZE argument (sqlite3_value_int of it), 256 without one.
    private static func size(_ a: FunctionArguments) throws(DBError) -> Int {
        guard a.count == 2 else { return 256 }
        let bits = Int(a[1].int32Value)
        guard bits == 224 || bits == 256 || bits == 384 || bits == 512 else {
            throw DBError(.error, "SHA3 size should be one of: 224 256 384 512")
        }
        return bits
    }

    /// sha3(X, SIZE): the hash of a blob's bytes or of the value's text (NULL for NULL).
    static func sha3(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        let bits = try size(a)
        var hash = SHA3(bits: bits)
        switch a[0] {
        case .null: return .null
        case .blob(let b): hash.update(b)
        default: hash.update(a[0].textBytes ?? [])
        }
        return .blob(hash.finalize())
    }

    /// sha3_query(SQL, SIZE): runs each statement of SQL and hashes, for each, "S<n>:" and its
    /// text (leading white space and the ";" included, as sqlite3_sql gives it), then per row
    /// "R" and per column N, I + 8 bytes big-endian, F + the 8 bytes of the IEEE double big-endian,
    /// T<n>: + UTF-8 text or B<n>: + bytes. A statement that fails while running adds the rows it
    /// gave (sha3QueryFunc stops at the first step that is not SQLITE_ROW and does not look why).
    static func sha3Query(_ a: FunctionArguments, _ c: inout FunctionContext) throws(DBError) -> Value {
        let bits = try size(a)
        guard var sql = a[0].textBytes else { return .null }
        guard let connection = c.host as? Connection else {
            throw DBError(.error, "sha3_query() needs a database connection")
        }
        if let nul = sql.firstIndex(of: 0) { sql.removeSubrange(nul...) }  // C text ends at a NUL
        var hash = SHA3(bits: bits)
        var offset = 0
        while offset < sql.count {
            let statement: PreparedStatement?
            let next: Int
            do {
                (statement, next) = try connection.prepare(sql, at: offset)
            } catch {
                let tail = String(decoding: sql[failedTail(sql, from: offset, connection)...], as: UTF8.self)
                throw DBError(.error, "error SQL statement [\(tail)]: \(error.message)")
            }
            let text = sql[offset..<next]
            offset = next
            guard let statement else { continue }
            guard statement.isReadOnly else {
                throw DBError(.error, "non-query: [\(String(decoding: text, as: UTF8.self))]")
            }
            hash.update("S\(text.count):")
            hash.update(text)
            let columns = statement.columnCount
            while (try? statement.step()) == .row {
                hash.update(CollectionOfOne(0x52))  // R
                for i in 0..<columns { add(statement.column(i), to: &hash) }
            }
        }
        return .blob(hash.finalize())
    }

    private static func add(_ value: Value, to hash: inout SHA3) {
        func tagged(_ tag: UInt8, _ bits: UInt64) {
            hash.update(CollectionOfOne(tag))
            hash.update((0..<8).map { UInt8(truncatingIfNeeded: bits >> UInt64(56 - 8 * $0)) })
        }
        switch value {
        case .null: hash.update(CollectionOfOne(0x4E))
        case .integer(let i): tagged(0x49, UInt64(bitPattern: i))
        case .real(let r): tagged(0x46, r.bitPattern)
        case .text(let t):
            hash.update("T\(t.count):")
            hash.update(t)
        case .blob(let b):
            hash.update("B\(b.count):")
            hash.update(b)
        }
    }

    /// Where sqlite3_prepare's tail would be after failing on the statement at `offset`
    /// (tokenize.c, sqlite3RunParser): at an unrecognized token or the one that made the statement
    /// too long (the loop stops before taking it), past the token any other syntax error stopped at,
    /// at the end for incomplete input, and past the statement when it parsed and failed to compile.
    private static func failedTail(_ sql: [UInt8], from offset: Int, _ connection: Connection) -> Int {
        var parser = Parser(sql, options: connection.parserOptions)
        do {
            return try parser.parseStatement(at: offset).1
        } catch {
            if error.message == "incomplete input" { return sql.count }
            if error.message.hasPrefix("unrecognized token") || error.code == .toobig {
                return min(sql.count, error.position)
            }
            return min(sql.count, Parser.endOfToken(in: sql, at: error.position))
        }
    }
}

extension Connection {
    /// Adds the functions the sqlite3 shell registers on its connections: sha3() and sha3_query().
    public func registerShellFunctions() {
        for d in SHA3Functions.definitions { functions.register(d) }
    }
}
