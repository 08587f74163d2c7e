// Keywords as names (parse.y's %fallback ID and the id/ids/nm token classes):
// every keyword, written bare in every kind of name position, must be accepted
// or refused exactly as libsqlite3 accepts or refuses it, with the same message
// and error offset. This pins down which keywords are reserved where.

import SQL
import Testing

@Suite("Keywords as identifiers")
struct KeywordFallbackTests {
    static let templates = [
        "CREATE TABLE k1(%)",
        "CREATE TABLE k2(a %)",
        "CREATE TABLE k3(a INT %)",
        "CREATE TABLE %(a)",
        "SELECT % FROM t",
        "SELECT t.% FROM t",
        "SELECT %.a FROM t",
        "SELECT %(1)",
        "SELECT a AS % FROM t",
        "SELECT a % FROM t",
        "SELECT * FROM t AS %",
        "SELECT * FROM t %",
        "SELECT * FROM %",
        "SELECT * FROM t, % WHERE 1",
        "WITH % AS (SELECT 1) SELECT 1",
        "SELECT x FROM t WINDOW % AS (ORDER BY a)",
        "SELECT f() OVER % FROM t",
        "SELECT a COLLATE % FROM t",
        "CREATE INDEX % ON t(a)",
        "INSERT INTO t(%) VALUES (1)",
        "UPDATE t SET % = 1",
        "PRAGMA %",
        "PRAGMA a = %",
        "SELECT CAST(1 AS %)",
        "SELECT * FROM t WHERE % = 1",
        "SELECT * FROM t ORDER BY %",
        "SELECT * FROM t LIMIT %",
        "DROP TABLE %",
        "SAVEPOINT %",
        "SELECT 1 FROM t GROUP BY %",
        "CREATE TABLE k4(a DEFAULT %)",
        "SELECT %",
    ]

    @Test("every keyword in every name position, against libsqlite3")
    func keywordsAsNames() {
        var differential = Differential()
        differential.oracle.execute("CREATE TABLE t(a, b)")
        for keyword in Mutator.keywords + ["ROWID", "TRUE", "FALSE", "CONCURRENT", "STRICT"] {
            for template in Self.templates {
                let sql = template.replacingOccurrences(of: "%", with: keyword)
                differential.run(CorpusChunk(sql: Array(sql.utf8), execute: false, location: sql), compare: true)
            }
        }
        Swift.print("keywords as names: \(differential.report.summary)")
        for line in differential.report.mismatches.prefix(40) { Swift.print(line) }
        #expect(differential.report.mismatches.isEmpty)
    }
}
