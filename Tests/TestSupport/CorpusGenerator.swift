// CorpusGenerator: databases written by the sqlite3 CLI, for the read-fidelity
// and integrity-check tests (StorageTests) and the shell's .dump round trip
// (ShellTests). Each spec is a page size, a text encoding, an auto-vacuum
// mode, reserved bytes and a list of contents; `build(in:)` runs the CLI on a
// script made from them and returns the file. Nothing is committed: every
// test run generates its databases in a temporary directory
// (SWIFTDB_FULL_CORPUS=1 widens the matrix; see Corpus.fullSpecs).
//
// Contents cover every serial type (NULL, integers of 1/2/3/4/6/8 bytes, 0
// and 1, reals including -0.0 and ±inf, texts and blobs of 0 bytes to 1 MB),
// multi-column, DESC, NOCASE and RTRIM indexes, UNIQUE indexes, WITHOUT ROWID
// tables, short records (ALTER TABLE ADD COLUMN with a default), generated
// and STRICT columns, many deleted rows (a freelist), 0-, 1- and 100,000-row
// tables and 200+ tables.
import Foundation

public enum CorpusContent: String, Sendable, CaseIterable {
    /// Every serial type in a column without affinity, and a few small tables.
    case types
    /// Texts and blobs from 0 bytes to 70 KB, across the overflow thresholds.
    case sizes
    /// A rowid table with multi-column, DESC, NOCASE, RTRIM and UNIQUE indexes; most rows then deleted.
    case indexed
    /// WITHOUT ROWID tables (composite DESC/NOCASE keys, overflowing records) and their indexes.
    case withoutRowid
    /// Generated, STRICT and INTEGER PRIMARY KEY tables.
    case special
    /// 100,000 rows and an index on them.
    case big
    /// 210 tables, each with an index.
    case manyTables
    /// Texts and blobs of 1 MB, in a table and an index.
    case huge
}

public struct CorpusSpec: Sendable, CustomStringConvertible {
    public var pageSize: Int
    public var encoding: String
    public var autoVacuum: String
    public var reservedBytes: Int = 0
    public var contents: [CorpusContent]

    public init(pageSize: Int, encoding: String, autoVacuum: String, reservedBytes: Int = 0,
                contents: [CorpusContent]) {
        self.pageSize = pageSize
        self.encoding = encoding
        self.autoVacuum = autoVacuum
        self.reservedBytes = reservedBytes
        self.contents = contents
    }

    public var description: String {
        "\(pageSize)-\(encoding)-\(autoVacuum)\(reservedBytes > 0 ? "-r\(reservedBytes)" : "")-"
            + contents.map(\.rawValue).joined(separator: "+")
    }

    /// Creates the database with the sqlite3 CLI in `directory`; returns its path.
    public func build(in directory: TemporaryDirectory) throws -> String {
        let path = directory.file("\(description).db")
        var script = "PRAGMA page_size=\(pageSize);\nPRAGMA encoding='\(encoding)';\n"
        // Reserved bytes first: once auto_vacuum is set, the CLI's reserve_bytes no longer takes effect.
        if reservedBytes > 0 { script += ".filectrl reserve_bytes \(reservedBytes)\n" }
        script += "PRAGMA auto_vacuum=\(autoVacuum);\n"
        for c in contents { script += sql(for: c) }
        // Deletions last, so no later insert takes the freed pages back off the freelist.
        if contents.contains(.indexed) { script += "DELETE FROM people WHERE id % 5 <> 0 AND id < 4000;\n" }
        if contents.contains(.withoutRowid) { script += "DELETE FROM wr WHERE b % 3 = 1;\n" }
        let r = try sqlite3CLI(path, script, options: ["-batch", "-bail"])
        guard r.status == 0, r.stderr.isEmpty else {
            throw CorpusError.cli("sqlite3 failed building \(description): \(r.stderr)")
        }
        return path
    }

    public func sql(for content: CorpusContent) -> String {
        switch content {
        case .types: return typesSQL
        case .sizes: return sizesSQL
        case .indexed: return indexedSQL
        case .withoutRowid: return withoutRowidSQL
        case .special: return specialSQL
        case .big: return bigSQL
        case .manyTables: return manyTablesSQL
        case .huge: return hugeSQL
        }
    }

    private var typesSQL: String {
        // Text that is not valid UTF-8 only where the encoding stores bytes as they are.
        let invalid = encoding == "UTF-8" ? ",(CAST(x'ff00fe80' AS TEXT)),(CAST(x'c3' AS TEXT))" : ""
        return """
        CREATE TABLE empty(a, b, c);
        CREATE TABLE one(a TEXT, b);
        INSERT INTO one VALUES('only row', x'01');
        CREATE TABLE types(v);
        INSERT INTO types VALUES (NULL),(0),(1),(2),(-1),(127),(-128),(128),(-129),(32767),(-32768),(32768),
          (-32769),(8388607),(-8388608),(8388608),(-8388609),(2147483647),(-2147483648),(2147483648),
          (-2147483649),(140737488355327),(-140737488355328),(140737488355328),(-140737488355329),
          (9223372036854775807),(-9223372036854775808),
          (0.0),(-0.0),(1.5),(-2.25),(1e308),(-1e308),(4.9e-324),(2.2250738585072014e-308),(9e999),(-9e999),
          (0.1),(3.0),(-7.0),(1e15),(123456789012345678.0),
          (''),('a'),('hello world'),('ünïcødé ✓'),('😀 astral 𝄞'),(x''),(x'00'),(x'deadbeef'),(zeroblob(10))
          \(invalid);
        CREATE INDEX types_v ON types(v);
        CREATE TABLE wide(c0,c1,c2,c3,c4,c5,c6,c7,c8,c9,c10,c11,c12,c13,c14,c15,c16,c17,c18,c19);
        INSERT INTO wide VALUES(1,2.5,'x',x'ff',NULL,0,1,-1,1e100,'',x'',7,8,9,10,11,12,13,14,15);

        """
    }

    private var sizesSQL: String {
        """
        CREATE TABLE sizes(n INTEGER, t TEXT, b BLOB, u TEXT);
        WITH RECURSIVE s(n) AS (VALUES(0) UNION ALL SELECT n+1 FROM s WHERE n<90)
          INSERT INTO sizes SELECT n*31, printf('%.*c', n*31, 'x'), randomblob(n*31),
            replace(printf('%.*c', n*7, 'x'), 'x', 'é') FROM s;
        WITH v(n) AS (VALUES(\(pageSize - 36)),(\(pageSize - 35)),(\(pageSize - 34)),(\(pageSize)),(\(pageSize * 2)),
                           (\(pageSize * 3 + 17)),(5000),(20000),(70000))
          INSERT INTO sizes SELECT n, printf('%.*c', n, 'y'), randomblob(n),
            replace(printf('%.*c', n/4, 'x'), 'x', '€')
          FROM v;

        """
    }

    private var indexedSQL: String {
        """
        CREATE TABLE people(id INTEGER PRIMARY KEY, name TEXT, nick TEXT COLLATE NOCASE, score REAL, tag,
                            note TEXT COLLATE RTRIM, born INT);
        CREATE INDEX people_name_score ON people(name, score DESC);
        CREATE INDEX people_nick ON people(nick);
        CREATE INDEX people_note ON people(note, tag DESC);
        CREATE UNIQUE INDEX people_born ON people(born);
        CREATE INDEX people_tag ON people(tag COLLATE NOCASE DESC, id);
        WITH RECURSIVE s(i) AS (VALUES(1) UNION ALL SELECT i+1 FROM s WHERE i<1500)
          INSERT INTO people SELECT i*3, 'name' || (i % 97), substr('AbCdEfGh', 1 + i % 5, 3) || (i % 13),
            CASE i % 4 WHEN 0 THEN i / 7.0 WHEN 1 THEN i WHEN 2 THEN NULL ELSE -i * 1.25 END,
            CASE i % 6 WHEN 0 THEN NULL WHEN 1 THEN i WHEN 2 THEN i * 0.5 WHEN 3 THEN 'Tag' || (i % 11)
                       WHEN 4 THEN 'tAG' || (i % 7) ELSE randomblob(i % 9) END,
            'note' || (i % 17) || substr('     ', 1, i % 4),
            CASE WHEN i % 10 = 0 THEN NULL ELSE i * 2 END
          FROM s;
        UPDATE people SET note = printf('%.*c', 600 + id % 900, 'n') WHERE id % 29 = 0;
        ALTER TABLE people ADD COLUMN extra DEFAULT 42;
        INSERT INTO people(id, name, extra) VALUES (100001, 'late one', 'set'), (100002, 'late two', NULL);
        CREATE INDEX people_extra ON people(extra, name);

        """
    }

    private var withoutRowidSQL: String {
        """
        CREATE TABLE wr(a TEXT COLLATE NOCASE, b INT, c, d, PRIMARY KEY(b DESC, a)) WITHOUT ROWID;
        CREATE INDEX wr_c ON wr(c, a COLLATE BINARY);
        WITH RECURSIVE s(i) AS (VALUES(1) UNION ALL SELECT i+1 FROM s WHERE i<800)
          INSERT INTO wr SELECT substr('NaMe', 1 + i % 4) || i, i % 37, CASE i % 3 WHEN 0 THEN i WHEN 1 THEN 'c' || i
            ELSE NULL END, CASE WHEN i % 11 = 0 THEN randomblob(\(pageSize / 2) + i) ELSE i * 1.5 END FROM s;
        CREATE TABLE wr2(k BLOB PRIMARY KEY, v) WITHOUT ROWID;
        WITH RECURSIVE s(i) AS (VALUES(1) UNION ALL SELECT i+1 FROM s WHERE i<200)
          INSERT INTO wr2 SELECT randomblob(8 + i % 50), printf('%.*c', i * 13, 'v') FROM s;
        CREATE TABLE wr3(k TEXT COLLATE RTRIM PRIMARY KEY, v UNIQUE) WITHOUT ROWID;
        INSERT INTO wr3 VALUES('a', 1), ('b ', 2), ('c  ', 3), ('B', 4);

        """
    }

    private var specialSQL: String {
        """
        CREATE TABLE gen(a INT, b AS (a * 2) VIRTUAL, c AS (a + 1) STORED, d TEXT);
        CREATE INDEX gen_cd ON gen(c, d);
        WITH RECURSIVE s(i) AS (VALUES(1) UNION ALL SELECT i+1 FROM s WHERE i<300)
          INSERT INTO gen(a, d) SELECT i * 1000003, 'd' || i FROM s;
        CREATE TABLE st(a INTEGER PRIMARY KEY, b TEXT NOT NULL, c REAL, d ANY, e BLOB) STRICT;
        CREATE INDEX st_bc ON st(b DESC, c);
        WITH RECURSIVE s(i) AS (VALUES(1) UNION ALL SELECT i+1 FROM s WHERE i<300)
          INSERT INTO st SELECT i, 'b' || (i % 19), i / 3.0, CASE i % 3 WHEN 0 THEN i WHEN 1 THEN 't' ELSE x'00' END,
            randomblob(i % 20) FROM s;
        CREATE TABLE seq(id INTEGER PRIMARY KEY AUTOINCREMENT, v);
        INSERT INTO seq(v) VALUES (1), (2), (3);
        CREATE TABLE descpk(x INTEGER PRIMARY KEY DESC, y);
        INSERT INTO descpk VALUES (-5, 'a'), (0, 'b'), (9223372036854775807, 'c'), (-9223372036854775808, 'd');

        """
    }

    private var bigSQL: String {
        """
        CREATE TABLE big(id INTEGER PRIMARY KEY, a INT, b TEXT);
        WITH RECURSIVE s(i) AS (VALUES(1) UNION ALL SELECT i+1 FROM s WHERE i<100000)
          INSERT INTO big SELECT i, (i * 7919) % 100003, 'row ' || i FROM s;
        CREATE INDEX big_a ON big(a);

        """
    }

    private var manyTablesSQL: String {
        var s = "BEGIN;\n"
        for i in 0..<210 {
            s += "CREATE TABLE m\(i)(a INTEGER PRIMARY KEY, b TEXT, c);\nCREATE INDEX m\(i)_b ON m\(i)(b);\n"
            s += "INSERT INTO m\(i) VALUES (1, 'one \(i)', \(i)), (2, 'two', \(i).5), (3, NULL, x'0\(i % 10)');\n"
        }
        return s + "COMMIT;\n"
    }

    private var hugeSQL: String {
        """
        CREATE TABLE huge(k INTEGER PRIMARY KEY, v);
        INSERT INTO huge(v) VALUES (randomblob(1000000)), (printf('%.*c', 1000000, 'h')), (zeroblob(999999)),
          (replace(printf('%.*c', 300000, 'x'), 'x', 'ß')), (randomblob(65536));
        CREATE INDEX huge_v ON huge(v);

        """
    }
}

public enum CorpusError: Error { case cli(String) }

extension Corpus {
    public static var fullSpecs: [CorpusSpec] {
        var out: [CorpusSpec] = []
        for pageSize in pageSizes {
            for encoding in encodings {
                for vacuum in vacuumModes {
                    out.append(CorpusSpec(pageSize: pageSize, encoding: encoding, autoVacuum: vacuum,
                                          contents: [.types, .sizes, .indexed, .withoutRowid, .special, .huge]))
                }
            }
        }
        return out + [
            CorpusSpec(pageSize: 512, encoding: "UTF-16be", autoVacuum: "INCREMENTAL", contents: [.big, .manyTables]),
            CorpusSpec(pageSize: 65536, encoding: "UTF-8", autoVacuum: "FULL", contents: [.big, .manyTables]),
        ]
    }
}

public enum Corpus {
    public static let pageSizes = [512, 1024, 4096, 65536]
    public static let encodings = ["UTF-8", "UTF-16le", "UTF-16be"]
    public static let vacuumModes = ["NONE", "FULL", "INCREMENTAL"]

    /// The read-fidelity corpus: every page size × encoding × auto-vacuum mode with the mixed contents,
    /// plus the large cases (100,000 rows, 210 tables, 1 MB values) and reserved bytes.
    /// SWIFTDB_FULL_CORPUS=1 gives every combination every content, 1 MB values included.
    public static var specs: [CorpusSpec] {
        if ProcessInfo.processInfo.environment["SWIFTDB_FULL_CORPUS"] == "1" { return fullSpecs }
        var out: [CorpusSpec] = []
        let mixed: [CorpusContent] = [.types, .sizes, .indexed, .withoutRowid, .special]
        for (i, pageSize) in pageSizes.enumerated() {
            for (j, encoding) in encodings.enumerated() {
                for (k, vacuum) in vacuumModes.enumerated() {
                    // Every combination gets the mixed contents; the slow-to-check ones rotate.
                    let contents = (i + j + k) % 3 == 0 ? mixed : [.types, .indexed, .withoutRowid, .special]
                    out.append(CorpusSpec(pageSize: pageSize, encoding: encoding, autoVacuum: vacuum,
                                          contents: contents))
                }
            }
        }
        out.append(CorpusSpec(pageSize: 4096, encoding: "UTF-8", autoVacuum: "NONE", contents: [.big]))
        out.append(CorpusSpec(pageSize: 1024, encoding: "UTF-16le", autoVacuum: "FULL", contents: [.big]))
        out.append(CorpusSpec(pageSize: 1024, encoding: "UTF-8", autoVacuum: "NONE", contents: [.manyTables]))
        out.append(CorpusSpec(pageSize: 4096, encoding: "UTF-16be", autoVacuum: "INCREMENTAL",
                              contents: [.manyTables, .types]))
        out.append(CorpusSpec(pageSize: 512, encoding: "UTF-8", autoVacuum: "NONE", contents: [.huge]))
        out.append(CorpusSpec(pageSize: 65536, encoding: "UTF-16be", autoVacuum: "FULL", contents: [.huge]))
        out.append(CorpusSpec(pageSize: 512, encoding: "UTF-8", autoVacuum: "NONE", reservedBytes: 32,
                              contents: [.types, .sizes, .indexed, .withoutRowid]))
        out.append(CorpusSpec(pageSize: 1024, encoding: "UTF-16le", autoVacuum: "FULL", reservedBytes: 8,
                              contents: [.types, .indexed, .withoutRowid]))
        out.append(CorpusSpec(pageSize: 4096, encoding: "UTF-8", autoVacuum: "INCREMENTAL", reservedBytes: 255,
                              contents: [.sizes, .indexed, .special]))
        return out
    }
}
