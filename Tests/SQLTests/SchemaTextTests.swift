// The text SQLite stores in sqlite_schema.sql for a CREATE statement, rebuilt by
// Statement.schemaSQL(in:) and compared with what libsqlite3 stores for the same
// statement: "CREATE <kind> " plus the input from the unqualified name on, cut
// where SQLite cuts it (see Statement.schemaSQL).

import CSQLite3
import SQL
import Testing

@Suite("Stored schema text")
struct SchemaTextTests {
    static let statements = [
        "create temp table if not exists  \"T1\" (a int  /* c */, b) ;",
        "create table main.t2b(a, b) -- trailing\n;",
        "create table t5(x int) strict ;",
        "create table t6(x int primary key) without rowid, strict  /* c */ ;",
        "create table t7b(x) /* c */ ;",
        "create table t9(x int) strict",
        "create table t16(x int) strict   ",
        "create table t17(x int) strict -- c",
        "create table 't12'(a)",
        "create table [t13](a)",
        "create unique index if not exists i1 on t2(a collate nocase desc) where a > 0 ;",
        "create index i2 on t7(x)  /* c */  ;",
        "create index main . i5 on t2(a);",
        "create index i6 on t2(b)   ",
        "create index i7 on t2(a) where a>0 /* c */",
        "create  view if not exists v1(x) as select 1 /*c*/ ;",
        "create temporary view v2 as select 2",
        "create view v3 as select 1  ",
        "create view v5 as select 1 -- c\n;",
        "create view main.v6 as select 1",
        "create trigger if not exists tr1 after insert on t2 for each row begin select 1; end ;",
        "create trigger main . tr4 after insert on t2 begin select 1; end ;",
        "create trigger tr3 after insert on t2 begin select 1; end  ",
        "create virtual table vt3 using fts5(a, b  )  ;",
        "create virtual table vt4 using fts5 ( a ) /*x*/ ;",
    ]

    /// What libsqlite3 stores for `sql` (run in a fresh database); nil if it fails.
    func stored(_ sql: String) -> [UInt8]? {
        var db: OpaquePointer?
        sqlite3_open(":memory:", &db)
        defer { sqlite3_close(db) }
        sqlite3_exec(db, "CREATE TABLE t2(a, b); CREATE TABLE t7(x);", nil, nil, nil)
        let before = Set(names(db))
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { return nil }
        for table in ["sqlite_schema", "sqlite_temp_schema"] {
            var statement: OpaquePointer?
            sqlite3_prepare_v2(db, "SELECT name, sql FROM \(table) ORDER BY rowid", -1, &statement, nil)
            defer { sqlite3_finalize(statement) }
            while sqlite3_step(statement) == SQLITE_ROW {
                let name = String(cString: sqlite3_column_text(statement, 0))
                if before.contains(name) || name.contains("_") { continue }
                let count = Int(sqlite3_column_bytes(statement, 1))
                guard let text = sqlite3_column_blob(statement, 1) else { return [] }
                return Array(UnsafeRawBufferPointer(start: text, count: count))
            }
        }
        return nil
    }

    func names(_ db: OpaquePointer?) -> [String] {
        var statement: OpaquePointer?
        sqlite3_prepare_v2(db, "SELECT name FROM sqlite_schema", -1, &statement, nil)
        defer { sqlite3_finalize(statement) }
        var result: [String] = []
        while sqlite3_step(statement) == SQLITE_ROW {
            result.append(String(cString: sqlite3_column_text(statement, 0)))
        }
        return result
    }

    @Test("schemaSQL equals the text libsqlite3 stores")
    func againstSQLite() throws {
        for sql in Self.statements {
            let expected = stored(sql)
            #expect(expected != nil, "sqlite3 refused \(sql)")
            let statement = try Parser.parseAll(sql)[0]
            let text = statement.schemaSQL(in: Array(sql.utf8)).map { String(decoding: $0, as: UTF8.self) }
            #expect(text == expected.map { String(decoding: $0, as: UTF8.self) }, "\(sql)")
        }
    }

    @Test("the ADD COLUMN definition text SQLite splices into the table's SQL")
    func addColumnText() throws {
        let sql = "ALTER TABLE t ADD COLUMN c INT DEFAULT 0  /* x */  ;"
        guard case .alterTable(let alter) = try Parser.parseAll(sql)[0].command,
              case .addColumn(_, let text) = alter.action else {
            Issue.record("ADD COLUMN")
            return
        }
        #expect(String(decoding: Array(sql.utf8)[text.bounds], as: UTF8.self) == "c INT DEFAULT 0  /* x */")
    }

    @Test("no schema text for other statements and CREATE TABLE AS")
    func none() throws {
        #expect(try Parser.parseAll("SELECT 1")[0].schemaSQL(in: Array("SELECT 1".utf8)) == nil)
        let sql = "CREATE TABLE t AS SELECT 1"
        #expect(try Parser.parseAll(sql)[0].schemaSQL(in: Array(sql.utf8)) == nil)
    }
}
