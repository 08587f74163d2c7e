// GeneratedCases: differential families built in code — cross products of
// values, operators, declared types and collations that would be tedious to
// write by hand. Each family is a CaseFile of small named cases; the SQL is
// plain text, so a failure prints exactly what ran.

enum GeneratedCases {
    static var families: [CaseFile] {
        [comparisons, storedAffinity, casts, arithmetic, patterns, orderings, aggregates]
    }

    /// Literals of every storage class, including the awkward ones.
    static let literals = ["NULL", "0", "1", "-1", "2", "1.0", "1.5", "-0.0", "'1'", "'1.0'", "' 1'", "'abc'",
                           "'ABC'", "''", "x'31'", "x''", "9223372036854775807", "-9223372036854775808",
                           "9223372036854775808", "1e308", "'1e2'", "'0x10'"]
    static let declaredTypes = ["INTEGER", "REAL", "TEXT", "NUMERIC", "BLOB", ""]

    /// Column (of each affinity) compared with literals by each operator, on stored values of each class.
    static var comparisons: CaseFile {
        let stored = ["NULL", "1", "1.0", "'1'", "'abc'", "x'31'", "2.5", "' 1'", "'1e2'", "100"]
        let operators = ["=", "<", ">=", "<>", "IS", "IS NOT"]
        let probes = ["1", "'1'", "1.0", "'abc'", "x'31'", "NULL", "100", "'100'", "2.5", "' 1'"]
        let scripts = declaredTypes.map { type -> (String, String) in
            var sql = "CREATE TABLE t(c \(type));\n"
            sql += "INSERT INTO t VALUES " + stored.map { "(\($0))" }.joined(separator: ", ") + ";\n"
            sql += "SELECT rowid, c, typeof(c) FROM t ORDER BY rowid;\n"
            for p in probes {
                let columns = operators.map { "c \($0) \(p)" }.joined(separator: ", ")
                sql += "SELECT rowid, \(columns) FROM t ORDER BY rowid;\n"
                sql += "SELECT rowid, \(p) = c, \(p) < c, c IN (\(p), NULL), c BETWEEN \(p) AND 'zzz' "
                    + "FROM t ORDER BY rowid;\n"
            }
            return (type.isEmpty ? "no-type" : type.lowercased(), sql)
        }
        return CaseFile(name: "gen-comparisons", scripts: scripts)
    }

    /// Every literal stored in a column of every declared type: the class it gets.
    static var storedAffinity: CaseFile {
        let scripts = declaredTypes.map { type -> (String, String) in
            var sql = "CREATE TABLE t(c \(type));\n"
            for l in literals {
                sql += "INSERT INTO t VALUES(\(l));\n"
                sql += "SELECT c, typeof(c), quote(c) FROM t WHERE rowid = last_insert_rowid();\n"
            }
            sql += "UPDATE t SET c = c || '';\nSELECT c, typeof(c) FROM t ORDER BY rowid;\n"
            return (type.isEmpty ? "no-type" : type.lowercased(), sql)
        }
        return CaseFile(name: "gen-stored-affinity", scripts: scripts)
    }

    /// CAST of every literal to every type name.
    static var casts: CaseFile {
        let targets = ["INTEGER", "REAL", "TEXT", "NUMERIC", "BLOB", "INT", "VARCHAR(5)", "FLOAT", "BOGUS"]
        let scripts = targets.map { target -> (String, String) in
            let sql = literals.map { "SELECT CAST(\($0) AS \(target)), typeof(CAST(\($0) AS \(target)));" }
                .joined(separator: "\n")
            return (target.lowercased(), sql)
        }
        return CaseFile(name: "gen-casts", prelude: "CREATE TABLE probe(x);", scripts: scripts)
    }

    /// Binary arithmetic and bit operators on pairs of literals.
    static var arithmetic: CaseFile {
        let operands = ["NULL", "0", "3", "-7", "2.5", "'4'", "'x'", "x'35'", "9223372036854775807",
                        "-9223372036854775808", "1e308", "'-2.5e1'"]
        let operators = ["+", "-", "*", "/", "%", "&", "|", "<<", ">>", "||"]
        let scripts = operators.map { op -> (String, String) in
            let sql = operands.map { a in
                "SELECT " + operands.map { b in "\(a) \(op) \(b)" }.joined(separator: ", ") + ";"
            }.joined(separator: "\n")
            return ("op \(op)", sql)
        }
        return CaseFile(name: "gen-arithmetic", prelude: "CREATE TABLE probe(x);", scripts: scripts)
    }

    /// LIKE and GLOB over stored strings and patterns.
    static var patterns: CaseFile {
        let subjects = ["'abc'", "'ABC'", "'a_c'", "'a%c'", "''", "'äbc'", "'ÄBC'", "'a.c'", "'abcabc'", "NULL",
                        "123", "'[x]'", "'a\\c'"]
        let patterns = ["'abc'", "'a%'", "'%c'", "'_b_'", "'%'", "''", "'a_c'", "'A%'", "'%b%'", "'äbc'",
                        "'a*'", "'?b?'", "'[a-b]*'", "'[^a]*'", "'*c'", "'[[]x]'", "'1%'", "'a\\%'"]
        var scripts: [(String, String)] = []
        for op in ["LIKE", "GLOB", "NOT LIKE", "NOT GLOB"] {
            var sql = "CREATE TABLE s(v);\nINSERT INTO s VALUES " + subjects.map { "(\($0))" }
                .joined(separator: ", ") + ";\n"
            for p in patterns { sql += "SELECT rowid, v \(op) \(p) FROM s ORDER BY rowid;\n" }
            scripts.append((op.lowercased(), sql))
        }
        var escape = ""
        for p in ["'a\\%c'", "'a\\_c'", "'a\\\\c'", "'%\\%%'"] {
            escape += "SELECT 'a%c' LIKE \(p) ESCAPE '\\', 'abc' LIKE \(p) ESCAPE '\\', "
                + "'a\\c' LIKE \(p) ESCAPE '\\';\n"
        }
        scripts.append(("escape", escape))
        return CaseFile(name: "gen-patterns", prelude: "CREATE TABLE probe(x);", scripts: scripts)
    }

    /// ORDER BY over mixed values with each collation, direction and NULLS placement.
    static var orderings: CaseFile {
        let prelude = """
            CREATE TABLE o(id INTEGER PRIMARY KEY, v);
            INSERT INTO o(v) VALUES(3), ('b'), ('B'), (NULL), (2.5), ('a '), ('a'), (x'00'), ('A'), (-1), (''), ('10'),
              (10), (NULL), ('b  ');
            """
        var scripts: [(String, String)] = []
        for collation in ["BINARY", "NOCASE", "RTRIM"] {
            var sql = ""
            for direction in ["ASC", "DESC"] {
                for nulls in ["", " NULLS FIRST", " NULLS LAST"] {
                    sql += "SELECT v FROM o ORDER BY v COLLATE \(collation) \(direction)\(nulls), id;\n"
                }
            }
            sql += "SELECT DISTINCT v COLLATE \(collation) FROM o ORDER BY 1, typeof(v);\n"
            sql += "SELECT count(*), min(v COLLATE \(collation)), max(v COLLATE \(collation)) FROM o "
                + "GROUP BY v COLLATE \(collation) ORDER BY 2;\n"
            sql += "SELECT a.id, b.id FROM o a, o b WHERE a.v = b.v COLLATE \(collation) AND a.id < b.id "
                + "ORDER BY 1, 2;\n"
            scripts.append((collation.lowercased(), sql))
        }
        return CaseFile(name: "gen-orderings", prelude: prelude, scripts: scripts)
    }

    /// Every aggregate, plain and DISTINCT, over groups of mixed values.
    static var aggregates: CaseFile {
        let prelude = """
            CREATE TABLE g(k, v);
            INSERT INTO g VALUES(1, 1), (1, 2), (1, 2), (2, 2.5), (2, '3'), (2, NULL), (3, 'x'), (3, x'41'), (3, 'x'),
              (4, NULL), (5, 9223372036854775807), (5, 1), (6, -0.5), (6, 0.5), (6, 1e308), (6, 1e308);
            """
        var scripts: [(String, String)] = []
        for f in ["count", "sum", "total", "avg", "min", "max", "group_concat"] {
            var sql = ""
            for distinct in ["", "DISTINCT "] {
                sql += "SELECT k, \(f)(\(distinct)v) FROM g GROUP BY k ORDER BY k;\n"
                sql += "SELECT \(f)(\(distinct)v) FROM g WHERE k <> 5;\n"
                sql += "SELECT k, typeof(\(f)(\(distinct)v)) FROM g GROUP BY k ORDER BY k;\n"
            }
            sql += "SELECT \(f)(v) FROM g WHERE 0;\n"
            sql += "SELECT k FROM g GROUP BY k HAVING \(f)(v) IS NOT NULL ORDER BY k;\n"
            scripts.append((f, sql))
        }
        return CaseFile(name: "gen-aggregates", prelude: prelude, scripts: scripts)
    }
}
