// The README's example, pasted as written (inside a namespace, with `print`
// collected), so the example in the README is known to compile and work.

import Testing
import TestSupport
import SwiftDB

enum ReadmeExample {
    nonisolated(unsafe) static var printed: [String] = []
    static func print(_ items: Any...) { printed.append(items.map { "\($0)" }.joined(separator: " ")) }


    static func openLibrary(at path: String) throws -> Database {
        var options = DatabaseOptions()
        options.journalMode = .wal
        let db = try Database(path: path, options: options)
        try db.execute("""
            CREATE TABLE IF NOT EXISTS book(
                id INTEGER PRIMARY KEY, title TEXT NOT NULL, year INTEGER, rating REAL);
            """)
        try db.write { connection in
            let insert = try connection.prepare("INSERT INTO book(title, year, rating) VALUES (?, ?, ?)")
            try insert.execute("Dune", 1965, 4.5)
            try insert.execute("Neuromancer", 1984, nil)
        }
        // A statement run often is compiled once (`execute`, `query` and `scalar` keep theirs too).
        try db.write { connection in
            try connection.cachedStatement("UPDATE book SET rating = ? WHERE title = ?").execute(4.2, "Neuromancer")
        }
        // Synchronous: rows as values, read as Swift types.
        for row in try db.query("SELECT title, year FROM book WHERE year < ? ORDER BY year", 2000) {
            let title: String = try row.get("title")
            let year: Int = try row.get("year")
            print(title, year)                        // Dune 1965, then Neuromancer 1984
        }
        return db
    }

    // Async code uses the async overloads (Swift picks them inside async functions).
    static func listTitles(in db: Database) async throws -> [String] {
        // An AsyncSequence of rows; the task suspends while pages are read.
        let titles = try await db.read { connection in
            var titles: [String] = []
            for try await row in connection.rows("SELECT title FROM book ORDER BY title") {
                titles.append(try row.get(0))
            }
            return titles
        }
        // Errors carry SQLite's codes and sqlite3's words.
        do {
            try await db.execute("INSERT INTO book(id, title) VALUES (1, 'Duplicate')")
        } catch {                                     // error: DatabaseError (typed throws)
            print(error.extendedResultCode == .constraintPrimaryKey, error.message)
            // true UNIQUE constraint failed: book.id
        }
        return titles                                 // ["Dune", "Neuromancer"]
    }
}

@Suite(.serialized) struct ReadmeExampleTests {
    @Test func readmeExampleRuns() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let db = try ReadmeExample.openLibrary(at: dir.file("library.db"))
        let titles = try await ReadmeExample.listTitles(in: db)
        #expect(titles == ["Dune", "Neuromancer"])
        #expect(ReadmeExample.printed == ["Dune 1965", "Neuromancer 1984", "true UNIQUE constraint failed: book.id"])
        #expect(try await db.query("SELECT rating FROM book WHERE title = 'Neuromancer'")[0].get(0, as: Double.self) == 4.2)
    }
}
