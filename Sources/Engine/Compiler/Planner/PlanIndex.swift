// PlanIndex: an index as the planner sees it — SQLite's Index object as
// where.c reads it (aiColumn, azColl, aSortOrder, aiRowLogEst, szIdxRow) —
// and the table statistics around it (nRowLogEst, szTabRow).
//
// Without sqlite_stat1 a table is assumed to hold 2^20 rows (LogEst 200)
// and each index equality to keep {10, 9, 8, 7, 6, 5, 5, …} rows for its
// first, second, … column (sqlite3DefaultRowEst), one row when a unique
// index is fully constrained. Row widths come from the declared column types
// (sqlite3AffinityType's szEst; estimateTableWidth, estimateIndexWidth).
// Indexes are listed in SQLite's order (the newest first, REPLACE indexes
// last): ties between equally good plans go to the first one listed.

import Base
import SQL

final class PlanIndex {
    enum Kind { case rowid, index, automatic }

    let kind: Kind
    let index: Index?
    let table: Table?
    let name: String
    /// Table column of each index field (key fields, then the rowid or primary key); -1 the rowid, -2 an expression.
    var columns: [Int] = []
    var expressions: [Expr?] = []
    var collations: [Collation] = []
    var descending: [Bool] = []
    var keyCount = 0
    /// aiRowLogEst: rows in the index, then rows per distinct prefix of 1, 2, … key columns.
    var rowLogEst: [LogEst] = []
    var rowSize = LogEst(0)
    var unique = false
    /// onError is not OE_None and is not the default: single-column unique lookups return one row.
    var hasConflictAction = false
    var uniqueNotNull = false
    var hasStat1 = false
    /// The primary key of a WITHOUT ROWID table: its records hold every column.
    var isCovering = false
    var isPrimaryKey = false
    var partialWhere: Expr?
    /// Table columns (below 63) the index holds.
    var columnMask: UInt64 = 0

    init(kind: Kind, index: Index?, table: Table?, name: String) {
        self.kind = kind
        self.index = index
        self.table = table
        self.name = name
    }

    /// The column a planner term must name to match field `j` (the rowid alias counts as the rowid).
    func termColumn(_ j: Int) -> Int {
        let c = columns[j]
        if c >= 0, let t = table, t.rowidAlias == c { return -1 }
        return c
    }

    /// colNotIdxed & colUsed: does the query read a column this index lacks?
    func isCovering(_ used: UInt64) -> Bool {
        isCovering || used & ~columnMask == 0
    }
}

/// A table as the planner sees it: nRowLogEst, szTabRow and its rowid "index" (whereLoopAddBtree's sPk).
struct PlannerTableStatistics {
    let rowLogEst: LogEst
    let rowSize: LogEst
    let rowidProbe: PlanIndex
}

extension Compiler {
    /// The planner's statistics of `table`, cached in the catalog for a catalogued table (an entry keeps
    /// its table alive through `rowidProbe`, so its ObjectIdentifier is not reused while cached).
    func plannerStatistics(_ table: Table) -> PlannerTableStatistics {
        if table.isCatalogued, let s = schemaCatalog(of: table).plannerTables[ObjectIdentifier(table)] { return s }
        let rows = Compiler.tableRowLogEst(table)
        let size = Compiler.tableRowSize(table)
        let s = PlannerTableStatistics(rowLogEst: rows, rowSize: size,
                                       rowidProbe: Compiler.rowidIndex(table, rowLogEst: rows, rowSize: size))
        if table.isCatalogued { schemaCatalog(of: table).plannerTables[ObjectIdentifier(table)] = s }
        return s
    }

    /// The planner's description of `index`, cached in the catalog for a catalogued index.
    func cachedPlanIndex(_ index: Index) -> PlanIndex {
        if index.isCatalogued, let p = schemaCatalog(of: index.table).plannerIndexes[ObjectIdentifier(index)] { return p }
        let p = Compiler.planIndex(index)
        if index.isCatalogued { schemaCatalog(of: index.table).plannerIndexes[ObjectIdentifier(index)] = p }
        return p
    }

    /// sqlite3AffinityType's size estimate for a column's declared type (an integer is 1).
    static func estimatedColumnSize(_ declaredType: String) -> Int {
        let trimmed = declaredType.trimmingSpaces()
        if trimmed.isEmpty { return 1 }
        let standard = ["ANY": 1, "BLOB": 5, "INT": 1, "INTEGER": 1, "REAL": 1, "TEXT": 5]
        if trimmed.utf8.count >= 3, let v = standard[trimmed.uppercased()] { return v }
        var h: UInt32 = 0
        var affinityIsText = false, affinityIsBlob = false, isNumeric = true
        var charStart: Int?
        let bytes = Array(declaredType.utf8)
        var i = 0
        while i < bytes.count {
            let c = bytes[i] >= 0x41 && bytes[i] <= 0x5A ? bytes[i] + 32 : bytes[i]
            h = (h << 8) &+ UInt32(c)
            i += 1
            if h == 0x63686172 {  // char
                affinityIsText = true
                isNumeric = false
                charStart = i
            } else if h == 0x636c6f62 || h == 0x74657874 {  // clob, text
                affinityIsText = true
                isNumeric = false
            } else if h == 0x626c6f62 && isNumeric && !affinityIsText {  // blob
                affinityIsBlob = true
                isNumeric = false
                if i < bytes.count && bytes[i] == 0x28 { charStart = i }
            } else if (h == 0x7265616c || h == 0x666c6f61 || h == 0x646f7562) && isNumeric {  // real, floa, doub
                // REAL affinity: still numeric.
            } else if h & 0x00FF_FFFF == 0x00696e74 {  // int
                affinityIsText = false
                affinityIsBlob = false
                isNumeric = true
                break
            }
        }
        var v = 0
        if affinityIsText || affinityIsBlob {
            if let start = charStart {
                var k = start
                while k < bytes.count {
                    if bytes[k] >= 0x30 && bytes[k] <= 0x39 {
                        var n = 0
                        while k < bytes.count && bytes[k] >= 0x30 && bytes[k] <= 0x39 && n < 100_000_000 {
                            n = n * 10 + Int(bytes[k] - 0x30)
                            k += 1
                        }
                        v = n
                        break
                    }
                    k += 1
                }
            } else {
                v = 16
            }
        }
        v = v / 4 + 1
        return min(v, 255)
    }

    /// szTabRow.
    static func tableRowSize(_ table: Table) -> LogEst {
        var w = 0
        for c in table.columns { w += estimatedColumnSize(c.declaredType) }
        if table.rowidAlias == nil { w += 1 }
        return LogEst(count: UInt64(w * 4))
    }

    /// nRowLogEst.
    static func tableRowLogEst(_ table: Table) -> LogEst {
        var x = table.estimatedRows.map { LogEst(count: UInt64(max($0, 0))) } ?? LogEst(200)
        if x.value < 99 && table.indexes.contains(where: { $0.stat.isEmpty }) { x = LogEst(99) }
        return x
    }

    /// The table's indexes in SQLite's list order: newest first, REPLACE constraint indexes after the rest.
    static func orderedIndexes(_ table: Table) -> [Index] {
        let replace = table.indexes.filter { $0.unique && $0.onConflict == .replace }
        let others = table.indexes.filter { !($0.unique && $0.onConflict == .replace) }
        return others.reversed() + replace.reversed()
    }

    /// The planner's description of `index`.
    static func planIndex(_ index: Index) -> PlanIndex {
        let table = index.table
        let p = PlanIndex(kind: .index, index: index, table: table, name: index.name)
        p.isPrimaryKey = index.origin == .primaryKey && table.withoutRowid
        var fields = index.recordColumns
        if p.isPrimaryKey {
            for c in table.columns.indices where !table.isVirtual(c) && !fields.contains(where: { f in
                if case .column(let x) = f.source { return x == c } else { return false } }) {
                fields.append(IndexColumn(source: .column(c), collation: table.columns[c].collation, descending: false))
            }
            p.isCovering = true
        }
        // colNotIdxed of a UNIQUE constraint's index on a WITHOUT ROWID table is computed when CREATE
        // TABLE makes the index, before convertToWithoutRowidTable appends the primary-key columns, and
        // never again (build.c): the planner counts only its key columns as held, so `SELECT pk, u`
        // scans the table rather than that index.
        let heldFields = index.origin == .unique && table.withoutRowid ? index.columns.count : fields.count
        var width = 0
        for (k, f) in fields.enumerated() {
            switch f.source {
            case .column(let c):
                p.columns.append(c)
                p.expressions.append(nil)
                width += estimatedColumnSize(table.columns[c].declaredType)
                // A VIRTUAL column is computed from others, never read from an index (recomputeColumnsNotIndexed).
                if c < 63 && k < heldFields && !table.isVirtual(c) { p.columnMask |= 1 << UInt64(c) }
            case .rowid:
                p.columns.append(-1)
                p.expressions.append(nil)
                width += 1
            case .expression(let e):
                p.columns.append(-2)
                p.expressions.append(e)
                width += 1
            }
            p.collations.append(f.collation)
            p.descending.append(f.descending)
        }
        p.keyCount = index.columns.count
        p.rowSize = LogEst(count: UInt64(width * 4))
        p.unique = index.unique
        p.hasConflictAction = index.unique
        p.uniqueNotNull = index.unique && index.columns.allSatisfy { c in
            if case .column(let x) = c.source { return table.columns[x].notNull || p.isPrimaryKey }
            return false
        }
        p.partialWhere = index.whereClause
        p.rowLogEst = defaultRowLogEst(table, keyCount: p.keyCount, unique: p.unique, partial: index.whereClause != nil)
        if !index.stat.isEmpty {
            p.hasStat1 = true
            for (i, n) in index.stat.enumerated() where i <= p.keyCount {
                p.rowLogEst[i] = LogEst(count: UInt64(max(n, 0)))
            }
        }
        // One entry per index field plus one, as sqlite3AllocateIndexObject sizes aiRowLogEst: the
        // fields after the key (the rowid) estimate 0, SQLite's zeroed memory. An equality on every
        // key field and the rowid reads aiRowLogEst[nColumn].
        while p.rowLogEst.count <= p.columns.count { p.rowLogEst.append(LogEst(0)) }
        return p
    }

    /// sqlite3DefaultRowEst.
    static func defaultRowLogEst(_ table: Table, keyCount: Int, unique: Bool, partial: Bool) -> [LogEst] {
        var x = tableRowLogEst(table)
        if x.value < 99 { x = LogEst(99) }
        if partial { x -= 10 }
        var a = [x]
        let guesses = [33, 32, 30, 28, 26]
        for i in 0..<keyCount { a.append(LogEst(i < guesses.count ? guesses[i] : 23)) }
        if unique { a[keyCount] = LogEst(0) }
        return a
    }

    /// The rowid "index" of a rowid table (whereLoopAddBtree's sPk).
    static func rowidIndex(_ table: Table?, rowLogEst: LogEst, rowSize: LogEst) -> PlanIndex {
        let p = PlanIndex(kind: .rowid, index: nil, table: table, name: "")
        p.columns = [-1]
        p.expressions = [nil]
        p.collations = [.binary]
        p.descending = [false]
        p.keyCount = 1
        p.rowLogEst = [rowLogEst, LogEst(0)]
        p.rowSize = rowSize
        p.unique = true
        p.hasConflictAction = true
        return p
    }
}

extension String {
    /// The string without leading and trailing ASCII white space.
    func trimmingSpaces() -> String {
        var bytes = Array(utf8)
        while let f = bytes.first, f == 0x20 || (f >= 0x09 && f <= 0x0D) { bytes.removeFirst() }
        while let l = bytes.last, l == 0x20 || (l >= 0x09 && l <= 0x0D) { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}
