// PrecomputedExpressions: the expressions of an aggregate query's output
// phase whose values already sit in registers (its aggregate calls and GROUP
// BY terms), looked up for every node the output expressions compile.
//
// A query has a handful of them, so a list searched in order beats a
// dictionary: hashing an expression walks all of it (SipHash over every
// name), and compiling an output expression looked up each of its nodes,
// hashing each subtree again. A tag from the node's top alone (its kind, a
// function's name length and argument count) rules out most entries before
// the structural comparison. Invariant: equal expressions have equal tags.

import SQL

struct PrecomputedExpressions {
    private var entries: [(tag: Int, expr: Expr, register: Int32)] = []

    var isEmpty: Bool { entries.isEmpty }

    subscript(e: Expr) -> Int32? {
        get {
            let tag = PrecomputedExpressions.tag(e)
            for entry in entries where entry.tag == tag && entry.expr == e { return entry.register }
            return nil
        }
        set {
            let tag = PrecomputedExpressions.tag(e)
            if let i = entries.firstIndex(where: { $0.tag == tag && $0.expr == e }) {
                if let r = newValue { entries[i].register = r } else { entries.remove(at: i) }
            } else if let r = newValue {
                entries.append((tag, e, r))
            }
        }
    }

    private static func tag(_ e: Expr) -> Int {
        switch e.kind {
        case .literal: return 1
        case .parameter: return 2
        case .column(let ref): return 3 | ref.column.name.utf8.count << 8
        case .unary: return 4
        case .binary: return 5
        case .isNull: return 6
        case .notNull: return 7
        case .like: return 8
        case .between: return 9
        case .in: return 10
        case .exists: return 11
        case .subquery: return 12
        case .raise: return 13
        case .cast: return 14
        case .collate: return 15
        case .function(let call):
            var arguments = 0
            if case .list(_, let list) = call.arguments { arguments = list.count + 1 }
            return 16 | call.name.name.utf8.count << 8 | arguments << 20
        case .caseWhen: return 17
        case .vector(let xs): return 18 | xs.count << 8
        }
    }
}
