// WhereClause and WhereTerm: the WHERE clause (with ON clauses and the WHERE
// clauses of flattened views) split into AND-connected terms, as whereInt.h
// and whereexpr.c define them.
//
// A term `column op expr` records the loop (FROM position) and column of its
// column side, the operator as a WhereOp bit, and the tables each side
// reads as bitmasks (bit i is FROM term i of the scope being planned).
// Analysis appends virtual terms that are never coded themselves: commuted
// copies of `a.x = b.y`, BETWEEN's two bounds, an OR of equalities turned
// into IN, `x > NULL` for `x IS NOT NULL`. A virtual term points at its
// parent; when every child a parent has is used by a loop, the parent is
// enforced too (disableTerm in wherecode.c).

import Base
import SQL

/// WO_* operator bits (whereInt.h).
struct WhereOp: OptionSet, Hashable {
    let rawValue: UInt16
    static let inOp = WhereOp(rawValue: 0x0001)
    static let eq = WhereOp(rawValue: 0x0002)
    static let gt = WhereOp(rawValue: 0x0004)
    static let le = WhereOp(rawValue: 0x0008)
    static let lt = WhereOp(rawValue: 0x0010)
    static let ge = WhereOp(rawValue: 0x0020)
    static let aux = WhereOp(rawValue: 0x0040)
    static let isOp = WhereOp(rawValue: 0x0080)
    static let isNull = WhereOp(rawValue: 0x0100)
    static let or = WhereOp(rawValue: 0x0200)
    static let and = WhereOp(rawValue: 0x0400)
    static let equiv = WhereOp(rawValue: 0x0800)
    static let noop = WhereOp(rawValue: 0x1000)
    static let rowValue = WhereOp(rawValue: 0x2000)
    static let all = WhereOp(rawValue: 0x3fff)
    static let single = WhereOp(rawValue: 0x01ff)
    /// WO_IN|WO_EQ|WO_LT|WO_LE|WO_GT|WO_GE: comparisons that are false on NULL.
    static let comparisons = WhereOp(rawValue: 0x003f)
    static let range: WhereOp = [.lt, .le, .gt, .ge]
}

/// TERM_* flags.
struct TermFlags: OptionSet {
    let rawValue: UInt16
    static let virtual = TermFlags(rawValue: 0x0002)
    static let coded = TermFlags(rawValue: 0x0004)
    static let copied = TermFlags(rawValue: 0x0008)
    static let ok = TermFlags(rawValue: 0x0040)
    static let vnull = TermFlags(rawValue: 0x0080)
    static let likeOpt = TermFlags(rawValue: 0x0100)
    static let likeCond = TermFlags(rawValue: 0x0200)
    static let like = TermFlags(rawValue: 0x0400)
    static let isTerm = TermFlags(rawValue: 0x0800)
    static let varSelect = TermFlags(rawValue: 0x1000)
    static let heuristicTruth = TermFlags(rawValue: 0x2000)
}

/// The comparison a planner term makes, with its column on the left.
enum TermCompare: Equatable {
    case eq, lt, le, gt, ge, isOp, isNull, inList, inSelect
}

struct WhereTerm {
    /// The term as written (COLLATE and likely() stripped at the top); coded when no loop enforces it.
    var expr: Expr
    /// The scope the term's names resolve in.
    var scope: Scope
    var truthProb = LogEst(1)
    var flags: TermFlags = []
    var op: WhereOp = []
    var childCount = 0
    var parent = -1
    /// The loop whose column the left side is (-1: none; -3 and below: a term of an enclosing query).
    var leftTerm = -1
    /// The column (-1: rowid, -2: an indexed expression).
    var leftColumn = 0
    var prereqRight: UInt64 = 0
    var prereqAll: UInt64 = 0
    /// The column side and value side, as SQLite's pLeft/pRight after commuting.
    var lhs: Expr?
    var rhs: Expr?
    var compare: TermCompare?
    /// The (loop, column) of the right side when it is a bare column (whereRightSubexprIsColumn).
    var rhsColumn: (term: Int, column: Int)?
    /// The collation of the comparison, decided by the operands' original order.
    var collation: Collation = .binary
    /// An OR term: its disjuncts, and the loops every disjunct could use an index on.
    var orClause: WhereClause?
    var orIndexable: UInt64 = 0
    /// A disjunct that is an AND of several terms.
    var andClause: WhereClause?
    /// From the ON clause of a LEFT JOIN: the loop of its right table (EP_OuterON).
    var outerJoin: Int?
    /// From the ON clause of an inner join (EP_InnerON).
    var innerJoin: Int?

    init(expr: Expr, scope: Scope) {
        self.expr = expr
        self.scope = scope
    }

    var isVirtual: Bool { flags.contains(.virtual) }
    var isCoded: Bool { flags.contains(.coded) }
}

/// A list of terms joined by AND (or, inside an OR term, by OR).
final class WhereClause {
    enum Connective { case and, or }

    var terms: [WhereTerm] = []
    /// Terms up to and including the last non-virtual one.
    var baseCount = 0
    let connective: Connective
    /// The enclosing clause of an OR or AND sub-clause.
    weak var outer: WhereClause?
    /// Some term is an OR whose disjuncts are all indexable.
    var hasOr = false

    init(_ connective: Connective, outer: WhereClause? = nil) {
        self.connective = connective
        self.outer = outer
    }

    /// whereClauseInsert: appends a term; returns its index.
    @discardableResult
    func insert(_ term: WhereTerm) -> Int {
        terms.append(term)
        if !term.isVirtual { baseCount = terms.count }
        return terms.count - 1
    }

    /// markTermAsChild.
    func markChild(_ child: Int, of parent: Int) {
        terms[child].parent = parent
        terms[child].truthProb = terms[parent].truthProb
        terms[parent].childCount += 1
    }
}
