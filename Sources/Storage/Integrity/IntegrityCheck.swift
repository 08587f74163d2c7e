// IntegrityCheck: PRAGMA integrity_check and PRAGMA quick_check over the
// storage layer, with sqlite3's findings in sqlite3's words.
//
// Two phases, as SQLite runs them (btree.c sqlite3BtreeIntegrityCheck, then
// pragma.c): first the file — every page used exactly once, the freelist,
// every b-tree's pages, cells, keys and overflow chains, the pointer map
// (IntegrityCheck+Pages.swift, IntegrityCheck+Tree.swift); then each table's
// rows — records readable, NOT NULL and datatypes, and, for integrity_check
// only, WITHOUT ROWID key order and every index against its table
// (IntegrityCheck+Rows.swift). Findings of the first phase form one result
// row headed "*** in database main ***"; each later finding is a row. At most
// `maxErrors` findings (default 100) are reported, then the check stops.
// Every walk is bounded by the page count (each page is visited once), so a
// corrupt file yields findings or a DBError, never a trap or a hang.

import Base

/// How to run an integrity check.
public struct IntegrityCheckOptions {
    /// PRAGMA integrity_check(N): stop after N findings; N <= 0 means the default, 100.
    public var maxErrors: Int
    /// PRAGMA quick_check: skip the index-versus-table and primary-key-order checks.
    public var quick: Bool
    /// The schema name in the "*** in database X ***" header.
    public var databaseName: String
    /// Numeric affinity applied to `text` (UTF-8) would give a number (sqlite3AtoF accepts it whole).
    /// Used for the "TEXT value in t.c" check on numeric columns; nil skips that check.
    public var textIsNumeric: ((_ text: [UInt8]) -> Bool)?

    public init(maxErrors: Int = 100, quick: Bool = false, databaseName: String = "main",
                textIsNumeric: ((_ text: [UInt8]) -> Bool)? = nil) {
        self.maxErrors = maxErrors
        self.quick = quick
        self.databaseName = databaseName
        self.textIsNumeric = textIsNumeric
    }
}

/// The outcome of an integrity check.
public struct IntegrityReport: Sendable {
    /// The rows PRAGMA integrity_check returns: ["ok"] for a sound database. The first row, when the
    /// file phase found anything, holds "*** in database main ***" and those findings, one per line.
    public var rows: [String]
    /// Every finding, one per element, without the "*** in database ... ***" header.
    public var findings: [String]
    /// Set when reading a table failed midway: sqlite3's statement fails with this error after `rows`.
    public var error: DBError?

    public var isOK: Bool { findings.isEmpty && error == nil }
}

extension BTree {
    /// Checks the database file and the tables described by `tables` (PRAGMA integrity_check semantics).
    /// Only the b-trees of `tables` and their indexes count as used: describe them all (sqlite_schema
    /// included) or every other page is reported as never used.
    public func integrityCheck(tables: [IntegrityTable],
                               options: IntegrityCheckOptions = IntegrityCheckOptions()) -> IntegrityReport {
        let maxErrors = options.maxErrors > 0 ? options.maxErrors : 100
        // A maintenance pass: it waits for its reads rather than suspending (DESIGN.md, decision 3).
        let mode = pager.ioMode
        pager.ioMode = .blocking
        defer { pager.ioMode = mode }
        let checker = IntegrityChecker(tree: self, maxErrors: maxErrors)
        var roots: [UInt32] = []
        for t in tables {
            if t.root != 0 { roots.append(t.root) }
            for i in t.indexes where i.root != 0 { roots.append(i.root) }
        }
        checker.checkFile(roots: roots)
        let fileFindings = checker.findings
        var rows: [String] = []
        if !fileFindings.isEmpty {
            rows.append("*** in database \(options.databaseName) ***\n" + fileFindings.joined(separator: "\n"))
        }
        var error: DBError?
        if checker.budget > 0 {
            do {
                try checker.checkRows(tables: tables, options: options)
            } catch let e {
                error = e
            }
        }
        rows.append(contentsOf: checker.findings[fileFindings.count...])
        if rows.isEmpty && error == nil { rows = ["ok"] }
        return IntegrityReport(rows: rows, findings: checker.findings, error: error)
    }
}

/// The state of one integrity check: the page reference map, the error budget and the message prefix.
final class IntegrityChecker {
    let tree: BTree
    let pager: Pager
    let usableSize: Int
    /// Pages in the database as the check sees it (the in-header size when valid, as SQLite).
    let pageCount: UInt32
    /// Findings that may still be reported; at 0 the check stops.
    var budget: Int
    var findings: [String] = []
    /// One bit per page: referenced by the freelist or a b-tree already.
    var referenced: [UInt8]
    /// The prefix of the next finding (SQLite's zPfx with its two arguments).
    var prefix = MessagePrefix.none
    var prefixPage: UInt32 = 0
    var prefixCell = 0
    /// Set when reading overflow pages for a record failed (an error, not a malformed record).
    var payloadReadFailed = false
    /// The rows phase met a record that does not parse and ended with "database disk image is malformed".
    var endedByMalformedRecord = false
    /// The current row's field locations (recordFields), a buffer kept for its capacity.
    var spans: [FieldSpan] = []

    enum MessagePrefix {
        case none, page, cell, rightChild, freelist
    }

    init(tree: BTree, maxErrors: Int) {
        self.tree = tree
        pager = tree.pager
        usableSize = tree.usableSize
        pageCount = pager.pageCount
        budget = maxErrors
        referenced = [UInt8](repeating: 0, count: Int(pager.pageCount) / 8 + 1)
    }

    /// Records a finding under the current prefix (checkAppendMsg); nothing once the budget is spent.
    func report(_ message: String) {
        guard budget > 0 else { return }
        budget -= 1
        let head: String
        switch prefix {
        case .none: head = ""
        case .page: head = "Page \(prefixPage): "
        case .cell: head = "On tree page \(prefixPage) cell \(prefixCell): "
        case .rightChild: head = "On page \(prefixPage) at right child: "
        case .freelist: head = "Main freelist: "
        }
        findings.append(head + message)
    }

    /// A finding that is a row of its own (the rows phase): reported without prefix.
    func reportRow(_ message: String) {
        guard budget > 0 else { return }
        budget -= 1
        findings.append(message)
    }

    func isReferenced(_ pgno: UInt32) -> Bool {
        referenced[Int(pgno / 8)] & (1 << (pgno & 7)) != 0
    }

    func setReferenced(_ pgno: UInt32) {
        referenced[Int(pgno / 8)] |= 1 << (pgno & 7)
    }

    /// Counts a reference to `pgno` (checkRef). True when it is out of range or referenced before.
    func checkRef(_ pgno: UInt32) -> Bool {
        if pgno > pageCount || pgno == 0 {
            report("invalid page number \(Int32(bitPattern: pgno))")
            return true
        }
        if isReferenced(pgno) {
            report("2nd reference to page \(Int32(bitPattern: pgno))")
            return true
        }
        setReferenced(pgno)
        return false
    }
}

/// Where one field of a record lies: its serial type, and its offset and length in the payload.
struct FieldSpan {
    var type: UInt64
    var offset: Int
    var length: Int
}
