// Compiler+Functions: function calls — built-ins resolved by name and
// argument count (lang_corefunc.html), the ones SQLite compiles inline
// (coalesce, ifnull, iif, likely, unlikely, likelihood), and the errors for
// aggregates and window functions used where they cannot be.

import Base
import SQL

extension Compiler {
    func functionCall(_ call: FunctionCall, _ whole: Expr, _ scope: Scope, _ target: Int32) throws(DBError) {
        let name = call.name.name
        if call.over != nil {
            throw DBError(.error, "window functions are not supported yet: \(name)()")
        }
        var args: [Expr] = []
        var star = false
        switch call.arguments {
        case .star: star = true
        case .list(_, let list): args = list
        }
        let f = try connection.functions.resolve(name, argumentCount: star ? 0 : args.count)
        if star && !namesMatch(name, "count") {
            throw DBError(.error, "wrong number of arguments to function \(name)()")
        }
        if f.isAggregate {
            // Aggregates are computed by the aggregate machinery and found in `precomputed`: this query's, or
            // an enclosing query's when the call names only its columns (Compiler+OuterAggregates.swift).
            if let r = outerAggregateRegister(whole, scope) {
                b.emit(.SCopy, r, target)
                return
            }
            if belongsToEnclosingQuery(whole, scope) { throw misuseOfAggregate(in: whole, inAggregateQuery: true) }
            throw DBError(.error, "misuse of aggregate function \(name)()")
        }
        if call.filter != nil { throw DBError(.error, "FILTER may not be used with non-aggregate \(name)()") }
        if let inline = f.inline {
            try inlineFunction(inline, name, args, scope, target)
            return
        }
        let base = b.allocateRegisters(max(args.count, 1))
        for (i, a) in args.enumerated() { try expr(a, scope, base + Int32(i)) }
        var coll = Collation.binary
        if f.flags.contains(.needsCollation) {
            for a in args {
                if let (c, _) = collation(of: a, scope) {
                    coll = c
                    break
                }
            }
        }
        b.emit(.Function, Int32(coll.rawValue), base, target, .function(f), UInt16(args.count))
    }

    private func inlineFunction(_ kind: InlineFunction, _ name: String, _ args: [Expr], _ scope: Scope,
                                _ target: Int32) throws(DBError) {
        switch kind {
        case .coalesce:
            let end = b.makeLabel()
            for (i, a) in args.enumerated() {
                try expr(a, scope, target)
                if i < args.count - 1 { b.emit(.NotNull, target, end) }
            }
            b.resolve(end)
        case .iif:
            let c = CaseExpression(operand: nil, branches: [.init(condition: args[0], result: args[1])],
                                   elseResult: args[2])
            try expr(Expr(.caseWhen(c)), scope, target)
        case .unlikely:
            if args.count == 2 {
                var literal: String?
                if case .literal(.numeric(let n)) = args[1].kind { literal = n.text }
                _ = try FunctionRegistry.likelihoodProbability(name: name, floatLiteral: literal)
            }
            try expr(args[0], scope, target)
        }
    }
}
