// Compiler+Expr: expressions to VM code (expr.c's sqlite3ExprCodeTarget,
// https://sqlite.org/lang_expr.html).
//
// `expr(e, scope, target)` leaves e's value in register `target`. Column
// references resolve through the scope (innermost first, then enclosing
// scopes for correlated subqueries); a double-quoted name that matches no
// column is a string, and bare TRUE/FALSE are 1/0 (quirks.html). Operand
// order follows the VM's conventions (Subtract P1 P2 P3: r[P3]=r[P2]-r[P1]).
// Comparisons in a value context produce 1, 0 or NULL with SQLite's
// Integer/compare/ZeroOrNull sequence. Recursion follows the AST, whose depth
// the parser bounds (maxExprDepth).

import Base
import SQL

extension Compiler {
    /// Allocates a register and computes `e` into it.
    func exprToRegister(_ e: Expr, _ scope: Scope) throws(DBError) -> Int32 {
        let r = b.allocateRegisters()
        try expr(e, scope, r)
        return r
    }

    /// A register holding `e` for instructions that only read it (the operands of comparisons and of
    /// arithmetic and logical operators). A literal is loaded once, in the setup section, as
    /// sqlite3ExprCodeTemp factors constants out of loops (sqlite3ExprCodeRunJustOnce): a scan's
    /// `WHERE b BETWEEN 100 AND 200` loads nothing per row. Registers are never reused, so nothing
    /// else writes the constant's register.
    func operandRegister(_ e: Expr, _ scope: Scope) throws(DBError) -> Int32 {
        var literal: (Literal, negated: Bool, at: Expr)?
        switch e.kind {
        case .literal(let lit): literal = (lit, false, e)
        case .unary(.negate, let x):
            if case .literal(let lit) = x.kind, case .numeric = lit { literal = (lit, true, x) }
        default: break
        }
        guard let (lit, negated, at) = literal else { return try exprToRegister(e, scope) }
        let value: Value?
        // A negated literal's error points at the literal, not the minus sign (sqlite3 locates the TK_INTEGER).
        do { value = try literalValue(lit, negated: negated) } catch { throw Compiler.locating(error, at: at) }
        guard let v = value else { return try exprToRegister(e, scope) }
        if v.isNull { return constantRegister(.Null) }
        let (opcode, p1, operand) = ProgramBuilder.constantLoad(v)
        return constantRegister(opcode, p1, operand ?? .none)
    }

    func expr(_ e: Expr, _ scope: Scope, _ target: Int32) throws(DBError) {
        do {
            try exprBody(e, scope, target)
        } catch {
            throw Compiler.locating(error, at: e)
        }
    }

    /// Gives a name-resolution error sqlite3 points at (no such column, ambiguous column name, no such function, misuse of
    /// aggregate: resolve.c's sqlite3RecordErrorOffsetOfExpr; a hex literal too big: expr.c's codeInteger)
    /// the offset of the innermost expression
    /// it came from, for sqlite3_error_offset() and the shell's caret line.
    static func locating(_ error: DBError, at e: Expr) -> DBError {
        guard error.offset == nil, error.code == .error, e.range.end > e.range.start,
              error.message.hasPrefix("no such column: ") || error.message.hasPrefix("ambiguous column name: ")
                || error.message.hasPrefix("no such function: ")
                || error.message.hasPrefix("misuse of aggregate: ") || error.message.hasPrefix("hex literal too big: ")
        else { return error }
        var located = error
        located.offset = Int(e.range.start)
        return located
    }

    private func exprBody(_ e: Expr, _ scope: Scope, _ target: Int32) throws(DBError) {
        if !scope.precomputed.isEmpty, let r = scope.precomputed[e] {
            b.emit(.SCopy, r, target)
            return
        }
        switch e.kind {
        case .literal(let lit):
            try literal(lit, negated: false, target)
        case .parameter(let p):
            b.emit(.Variable, Int32(p.number), target)
        case .column(let ref):
            try columnReference(ref, scope, target)
        case .unary(let op, let x):
            try unary(op, x, scope, target)
        case .binary(let op, let l, let r):
            try binary(op, l, r, e, scope, target)
        case .isNull(let x), .notNull(let x):
            let isNull: Bool
            if case .isNull = e.kind { isNull = true } else { isNull = false }
            let rx = try exprToRegister(x, scope)
            b.emit(.Integer, 1, target)
            b.emit(isNull ? .IsNull : .NotNull, rx, b.count + 2)
            b.emit(.Integer, 0, target)
        case .like(let l):
            try likeExpression(l, scope, target)
        case .between(let bt):
            try between(bt, scope, target)
        case .in(let inExpr):
            try inExpression(inExpr, scope, target)
        case .exists(let s):
            try existsSubquery(s, scope, target)
        case .subquery(let s):
            try scalarSubquery(s, scope, target)
        case .function(let call):
            try functionCall(call, e, scope, target)
        case .cast(let x, let type):
            try expr(x, scope, target)
            let aff = type.map { t in
                Array(t.text.utf8).withUnsafeBufferPointer { Affinity(declaredTypeBytes: $0.span) }
            } ?? .numeric
            b.emit(.Cast, target, Int32(aff.rawValue))
        case .caseWhen(let c):
            try caseExpression(c, scope, target)
        case .collate(let x, _):
            // The name is looked up only where a comparison or sort uses it (collation(of:)).
            try expr(x, scope, target)
        case .vector:
            throw DBError(.error, "row value misused")
        case .raise(let action, let message):
            try raise(action, message, scope, target)
        }
    }

    func literal(_ lit: Literal, negated: Bool, _ target: Int32) throws(DBError) {
        switch lit {
        case .null:
            b.emit(.Null, 0, target)
        case .numeric, .string, .blob:
            if let v = try literalValue(lit, negated: negated) { constant(v, target) }
        case .currentTime, .currentDate, .currentTimestamp:
            let name = lit == .currentTime ? "time" : (lit == .currentDate ? "date" : "datetime")
            let f = try connection.functions.resolve(name, argumentCount: 0)
            b.emit(.Function, 0, target, target, .function(f), 0)
        }
    }

    /// The value of a literal (negated: a numeric literal after unary minus); nil for CURRENT_TIME and
    /// its kin, which are computed when the statement runs.
    func literalValue(_ lit: Literal, negated: Bool) throws(DBError) -> Value? {
        switch lit {
        case .null: return .null
        case .numeric(let n):
            switch n.kind {
            case .real: return NumericLiteralConversion.real(n.text, negated: negated)
            case .integer, .hexInteger: return try NumericLiteralConversion.integer(n.text, negated: negated)
            }
        case .string(let s): return .text(s)
        case .blob(let bytes): return .blob(bytes)
        case .currentTime, .currentDate, .currentTimestamp: return nil
        }
    }

    /// Loads a constant value into `target`.
    func constant(_ v: Value, _ target: Int32) {
        let (opcode, p1, operand) = ProgramBuilder.constantLoad(v)
        b.emit(opcode, p1, target, 0, operand ?? .none)
    }

    private func unary(_ op: UnaryOperator, _ x: Expr, _ scope: Scope, _ target: Int32) throws(DBError) {
        switch op {
        case .negate:
            if case .literal(let lit) = x.kind, case .numeric = lit {
                do { try literal(lit, negated: true, target) } catch { throw Compiler.locating(error, at: x) }
                return
            }
            let zero = b.allocateRegisters()
            b.emit(.Integer, 0, zero)
            let rx = try exprToRegister(x, scope)
            b.emit(.Subtract, rx, zero, target)
        case .plus:
            try expr(x, scope, target)
        case .bitNot:
            let rx = try exprToRegister(x, scope)
            b.emit(.BitNot, rx, target)
        case .not:
            let rx = try exprToRegister(x, scope)
            b.emit(.Not, rx, target)
        }
    }

    private func binary(_ op: BinaryOperator, _ l: Expr, _ r: Expr, _ whole: Expr, _ scope: Scope,
                        _ target: Int32) throws(DBError) {
        switch op {
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .is, .isNot:
            if case .vector(let ls) = l.kind {
                try vectorComparison(op, ls, r, scope, target)
                return
            }
            if case .vector = r.kind { throw DBError(.error, "row value misused") }
            let rl = try operandRegister(l, scope)
            let rr = try operandRegister(r, scope)
            let nullEq = op == .is || op == .isNot
            b.emit(.Integer, 1, target)
            emitComparison(op, l, r, scope, lhs: rl, rhs: rr, jumpTo: b.count + 2, jumpIfNull: false)
            if nullEq {
                b.emit(.Integer, 0, target)
            } else {
                b.emit(.ZeroOrNull, rl, target, rr)
            }
        case .and, .or:
            let rl = try operandRegister(l, scope)
            let rr = try operandRegister(r, scope)
            b.emit(op == .and ? .And : .Or, rr, rl, target)
        case .add, .multiply, .bitAnd, .bitOr:
            let rl = try operandRegister(l, scope)
            let rr = try operandRegister(r, scope)
            let code: Opcode = op == .add ? .Add : (op == .multiply ? .Multiply : (op == .bitAnd ? .BitAnd : .BitOr))
            b.emit(code, rl, rr, target)
        case .subtract, .divide, .remainder, .shiftLeft, .shiftRight, .concat:
            let rl = try operandRegister(l, scope)
            let rr = try operandRegister(r, scope)
            let code: Opcode
            switch op {
            case .subtract: code = .Subtract
            case .divide: code = .Divide
            case .remainder: code = .Remainder
            case .shiftLeft: code = .ShiftLeft
            case .shiftRight: code = .ShiftRight
            default: code = .Concat
            }
            b.emit(code, rr, rl, target)
        case .arrow, .doubleArrow:
            throw DBError(.error, "no such function: \(op == .arrow ? "->" : "->>")")
        }
    }

    /// Emits the compare-and-jump for `l op r` (registers already computed): jumps to `jumpTo` when true.
    func emitComparison(_ op: BinaryOperator, _ l: Expr, _ r: Expr, _ scope: Scope, lhs: Int32, rhs: Int32,
                        jumpTo: Int32, jumpIfNull: Bool) {
        let aff = Affinity.forComparison(affinity(of: l, scope), affinity(of: r, scope))
        let coll = comparisonCollation(l, r, scope)
        var p5 = UInt16(aff.rawValue)
        if jumpIfNull { p5 |= ComparisonFlags.jumpIfNull }
        let code: Opcode
        switch op {
        case .equal: code = .Eq
        case .notEqual: code = .Ne
        case .less: code = .Lt
        case .lessEqual: code = .Le
        case .greater: code = .Gt
        case .greaterEqual: code = .Ge
        case .is:
            code = .Eq
            p5 |= ComparisonFlags.nullEq
            p5 &= ~ComparisonFlags.jumpIfNull
        default:
            code = .Ne
            p5 |= ComparisonFlags.nullEq
            p5 &= ~ComparisonFlags.jumpIfNull
        }
        b.emit(code, rhs, jumpTo, lhs, .collation(coll), p5)
    }

    /// (a, b) = (c, d) and friends: element-wise, with SQLite's NULL semantics.
    private func vectorComparison(_ op: BinaryOperator, _ ls: [Expr], _ r: Expr, _ scope: Scope,
                                  _ target: Int32) throws(DBError) {
        guard case .vector(let rs) = r.kind else {
            throw DBError(.error, "row value misused")
        }
        guard ls.count == rs.count else { throw DBError(.error, "row value misused") }
        switch op {
        case .equal, .notEqual, .is, .isNot:
            // AND of element comparisons (NOT of it for != / IS NOT).
            let acc = b.allocateRegisters()
            let one = b.allocateRegisters()
            b.emit(.Integer, 1, acc)
            let elementOp: BinaryOperator = (op == .is || op == .isNot) ? .is : .equal
            for (x, y) in zip(ls, rs) {
                try binary(elementOp, x, y, Expr(.binary(elementOp, x, y)), scope, one)
                b.emit(.And, one, acc, acc)
            }
            if op == .notEqual || op == .isNot { b.emit(.Not, acc, target) } else { b.emit(.SCopy, acc, target) }
        default:
            // Lexicographic: compare element by element; the first unequal pair decides.
            let done = b.makeLabel()
            for i in 0..<ls.count {
                let x = ls[i], y = rs[i]
                let rx = try exprToRegister(x, scope)
                let ry = try exprToRegister(y, scope)
                b.emit(.Null, 0, target)
                b.emit(.IsNull, rx, done)
                b.emit(.IsNull, ry, done)
                if i < ls.count - 1 {
                    let next = b.makeLabel()
                    let eq = b.allocateRegisters()
                    try binary(.equal, x, y, Expr(.binary(.equal, x, y)), scope, eq)
                    b.emit(.If, eq, next)
                    try binary(op, x, y, Expr(.binary(op, x, y)), scope, target)
                    b.emit(.Goto, 0, done)
                    b.resolve(next)
                } else {
                    try binary(op, x, y, Expr(.binary(op, x, y)), scope, target)
                }
            }
            b.resolve(done)
        }
    }

    private func likeExpression(_ l: LikeExpression, _ scope: Scope, _ target: Int32) throws(DBError) {
        switch l.op {
        case .match:
            throw DBError(.error, "unable to use function MATCH in the requested context")
        case .regexp:
            throw DBError(.error, "no such function: REGEXP")
        case .like, .glob:
            let argc = l.escape == nil ? 2 : 3
            let name = l.op == .like ? "like" : "glob"
            let f = try connection.functions.resolve(name, argumentCount: argc)
            let base = b.allocateRegisters(argc)
            try expr(l.pattern, scope, base)
            try expr(l.value, scope, base + 1)
            if let esc = l.escape { try expr(esc, scope, base + 2) }
            b.emit(.Function, 0, base, target, .function(f), UInt16(argc))
            if l.negated { b.emit(.Not, target, target) }
        }
    }

    private func between(_ bt: BetweenExpression, _ scope: Scope, _ target: Int32) throws(DBError) {
        let rx = try exprToRegister(bt.value, scope)
        let lo = b.allocateRegisters(), hi = b.allocateRegisters()
        try comparisonWithRegister(.greaterEqual, bt.value, rx, bt.low, scope, lo)
        try comparisonWithRegister(.lessEqual, bt.value, rx, bt.high, scope, hi)
        b.emit(.And, hi, lo, target)
        if bt.negated { b.emit(.Not, target, target) }
    }

    /// `x op y` where x is already in register `rx`.
    func comparisonWithRegister(_ op: BinaryOperator, _ x: Expr, _ rx: Int32, _ y: Expr, _ scope: Scope,
                                _ target: Int32) throws(DBError) {
        let ry = try operandRegister(y, scope)
        b.emit(.Integer, 1, target)
        emitComparison(op, x, y, scope, lhs: rx, rhs: ry, jumpTo: b.count + 2, jumpIfNull: false)
        b.emit(.ZeroOrNull, rx, target, ry)
    }

    private func caseExpression(_ c: CaseExpression, _ scope: Scope, _ target: Int32) throws(DBError) {
        let end = b.makeLabel()
        var operandReg: Int32?
        if let op = c.operand { operandReg = try exprToRegister(op, scope) }
        for branch in c.branches {
            let next = b.makeLabel()
            if let operandReg, let operand = c.operand {
                let rw = try exprToRegister(branch.condition, scope)
                emitComparisonNot(.equal, operand, branch.condition, scope, lhs: operandReg, rhs: rw, jumpTo: next)
            } else {
                try jumpIfFalse(branch.condition, scope, next, jumpIfNull: true)
            }
            try expr(branch.result, scope, target)
            b.emit(.Goto, 0, end)
            b.resolve(next)
        }
        if let e = c.elseResult { try expr(e, scope, target) } else { b.emit(.Null, 0, target) }
        b.resolve(end)
    }

    /// Jumps to `jumpTo` when `l op r` is not true (false or NULL).
    func emitComparisonNot(_ op: BinaryOperator, _ l: Expr, _ r: Expr, _ scope: Scope, lhs: Int32, rhs: Int32,
                           jumpTo: Int32) {
        emitComparison(negate(op), l, r, scope, lhs: lhs, rhs: rhs, jumpTo: jumpTo, jumpIfNull: true)
    }

    func negate(_ op: BinaryOperator) -> BinaryOperator {
        switch op {
        case .equal: return .notEqual
        case .notEqual: return .equal
        case .less: return .greaterEqual
        case .lessEqual: return .greater
        case .greater: return .lessEqual
        case .greaterEqual: return .less
        case .is: return .isNot
        case .isNot: return .is
        default: return op
        }
    }

    private func raise(_ action: RaiseAction, _ message: Identifier?, _ scope: Scope, _ target: Int32) throws(DBError) {
        guard let triggerContext = currentTrigger else {
            throw DBError(.error, "RAISE() may only be used within a trigger-program")
        }
        switch action {
        case .ignore:
            b.emit(.Goto, 0, triggerContext.ignoreLabel)
        case .rollback, .abort, .fail:
            let conflict: ConflictAction = action == .rollback ? .rollback : (action == .abort ? .abort : .fail)
            b.emit(.Halt, ResultCode.constraintTrigger.rawValue, Int32(conflict.rawValue), 0,
                   .string(message?.name ?? ""))
        }
        b.emit(.Null, 0, target)
    }

    // MARK: columns

    func columnReference(_ ref: ColumnReference, _ scope: Scope, _ target: Int32) throws(DBError) {
        if let (binding, _) = try scope.resolve(ref) {
            try loadColumn(binding, scope, target)
            return
        }
        if ref.table == nil && ref.column.quoting == .doubleQuotes {
            constant(.text(Array(ref.column.name.utf8)), target)
            return
        }
        if ref.table == nil && ref.column.isBooleanKeyword {
            b.emit(.Integer, ref.column.matches("true") ? 1 : 0, target)
            return
        }
        throw noSuchColumn(ref)
    }

    func noSuchColumn(_ ref: ColumnReference) -> DBError {
        var name = ref.column.name
        if let t = ref.table { name = t.name + "." + name }
        if let s = ref.schema { name = s.name + "." + name }
        return DBError(.error, "no such column: \(name)")
    }

    /// Reads a bound column into `target`, honouring the scopes' redirects and covering indexes.
    func loadColumn(_ binding: ColumnBinding, _ scope: Scope, _ target: Int32) throws(DBError) {
        let term: FromTerm
        let column: Int
        switch binding {
        case .column(let t, let c): (term, column) = (t, c)
        case .rowid(let t): (term, column) = (t, -1)
        case .expression(let e, let inner, let view, let column):
            // Captured whole (an aggregate's phase after the loop): read where it was put.
            if view.outerJoinLoop != nil, try loadRedirected(view, column, scope, target) { return }
            // A view flattened into a LEFT JOIN: on the join's row of NULLs, a column that is an expression
            // (a constant, arithmetic) reads NULL too (select.c's TK_IF_NULL_ROW). The test reads the cursor
            // the loop reads (a covering index's, as sqlite3WhereEnd rewrites OP_IfNullRow).
            if let loop = view.outerJoinLoop, !isBareColumn(e) {
                let done = b.makeLabel()
                b.emit(.IfNullRow, loop.coveringCursor ?? loop.cursor, done, target)
                try expr(e, derivedScope(inner, from: scope), target)
                b.resolve(done)
            } else {
                try expr(e, derivedScope(inner, from: scope), target)
            }
            return
        }
        var s: Scope? = scope
        while let sc = s {
            if let redirect = sc.redirects[ObjectIdentifier(term)] {
                switch redirect {
                case .registers(let base, let rowid):
                    if column < 0 || (term.table?.rowidAlias == column) {
                        if let rowid { b.emit(.SCopy, rowid, target) } else { b.emit(.Null, 0, target) }
                    } else {
                        b.emit(.SCopy, base + Int32(column), target)
                    }
                    return
                case .cursorFields(let cursor, let fields):
                    if let f = fields[ColumnKey(term: ObjectIdentifier(term), column: column)] {
                        b.emit(.Column, cursor, f, target)
                        return
                    }
                case .registerMap(let map):
                    if let r = map[ColumnKey(term: ObjectIdentifier(term), column: column)] {
                        b.emit(.SCopy, r, target)
                        return
                    }
                }
            }
            s = sc.parent
        }
        if column < 0 && term.coroutine != nil {
            b.emit(.Null, 0, target)
            return
        }
        if column < 0 {
            term.usesRowid = true
            if let ci = term.coveringCursor {
                b.emit(.IdxRowid, ci, target)
            } else {
                b.emit(.Rowid, term.cursor, target)
            }
            return
        }
        term.usedColumns.insert(column)
        try readTableColumn(term, column, target)
    }

    /// Column `column` of `term` from a redirect that holds it (a sorter's field, a captured register).
    private func loadRedirected(_ term: FromTerm, _ column: Int, _ scope: Scope, _ target: Int32) throws(DBError) -> Bool {
        let key = ColumnKey(term: ObjectIdentifier(term), column: column)
        var s: Scope? = scope
        while let sc = s {
            switch sc.redirects[ObjectIdentifier(term)] {
            case .cursorFields(let cursor, let fields)?:
                if let f = fields[key] {
                    b.emit(.Column, cursor, f, target)
                    return true
                }
            case .registerMap(let map)?:
                if let r = map[key] {
                    b.emit(.SCopy, r, target)
                    return true
                }
            default:
                break
            }
            s = sc.parent
        }
        return false
    }

    func isBareColumn(_ e: Expr) -> Bool {
        if case .column = e.kind { return true }
        return false
    }

    /// A scope over a flattened view's tables that keeps the calling scope's redirects (an aggregate's
    /// captured columns, a sorter's fields), which are keyed by the same table terms.
    func derivedScope(_ inner: Scope, from outer: Scope) -> Scope {
        let s = Scope(terms: inner.terms, parent: inner.parent)
        s.namedTerms = inner.namedTerms
        var o: Scope? = outer
        while let x = o {
            for (k, v) in x.redirects where s.redirects[k] == nil { s.redirects[k] = v }
            o = x.parent
        }
        for (k, v) in inner.redirects { s.redirects[k] = v }
        s.aggregateMode = outer.aggregateMode
        return s
    }

    /// Column `column` of the term's current row (table, ephemeral table or covering index).
    func readTableColumn(_ term: FromTerm, _ column: Int, _ target: Int32) throws(DBError) {
        if let co = term.coroutine {
            b.emit(.SCopy, co.base + Int32(column), target)
            return
        }
        guard let table = term.table else {
            if let ci = term.coveringCursor, let fields = term.coveringFields, column < fields.count, fields[column] >= 0 {
                b.emit(.Column, ci, Int32(fields[column]), target)
            } else {
                b.emit(.Column, term.cursor, Int32(column), target)
            }
            return
        }
        if table.rowidAlias == column {
            if let ci = term.coveringCursor {
                b.emit(.IdxRowid, ci, target)
            } else {
                b.emit(.Rowid, term.cursor, target)
            }
            return
        }
        let col = table.columns[column]
        if let (gen, storage) = col.generated, storage == .virtual {
            // A VIRTUAL column is computed from the row (sqlite3ExprCodeGetColumnOfTable); a STORED one is read.
            let inner = Scope(terms: [term], parent: nil)
            try expr(gen, inner, target)
            if col.affinity != .none { b.emit(.Affinity, target, 1, 0, .affinities([col.affinity])) }
            // SQLite's REAL affinity leaves an integer flagged as a real (MEM_IntReal): it reads as one.
            if col.affinity == .real { b.emit(.RealAffinity, target) }
            return
        }
        if let ci = term.coveringCursor, let index = term.coveringIndex,
           let pos = index.recordColumns.firstIndex(where: { if case .column(let c) = $0.source { return c == column }
                                                            return false }) {
            b.emit(.Column, ci, Int32(pos), target)
        } else {
            let stored = table.storagePosition(column)
            var dflt: Operand = .none
            if let v = col.recordDefault { dflt = .value(v) }
            b.emit(.Column, term.cursor, Int32(stored), target, dflt)
        }
        if col.affinity == .real { b.emit(.RealAffinity, target) }
    }

    // MARK: affinity and collation

    /// sqlite3ExprAffinity.
    func affinity(of e: Expr, _ scope: Scope) -> Affinity {
        switch e.kind {
        case .column(let ref):
            guard let (binding, _) = try? scope.resolve(ref) else { return .none }
            switch binding {
            case .rowid: return .integer
            case .column(let t, let c): return t.affinities[c]
            case .expression(let e, let inner, _, _): return affinity(of: e, inner)
            }
        case .cast(_, let type):
            return type.map { t in Array(t.text.utf8).withUnsafeBufferPointer { Affinity(declaredTypeBytes: $0.span) } }
                ?? .numeric
        case .collate(let x, _):
            return affinity(of: x, scope)
        case .subquery(let s):
            if case .select(let core) = s.first, let first = core.columns.first, case .expr(let x, _, _) = first,
               let sub = try? subqueryScope(for: s, scope) {
                return affinity(of: x, sub)
            }
            return .none
        default:
            return .none
        }
    }

    /// The collation an expression carries: an explicit COLLATE, else a column's.
    func collation(of e: Expr, _ scope: Scope) -> (Collation, explicit: Bool)? {
        switch e.kind {
        case .collate(_, let name):
            guard let c = Collation(name: name.name) else {
                if missingCollation == nil { missingCollation = name.name }
                return nil
            }
            return (c, true)
        case .column(let ref):
            guard let (binding, _) = try? scope.resolve(ref) else { return nil }
            if case .column(let t, let c) = binding { return (t.collations[c], false) }
            if case .expression(let e, let inner, _, _) = binding { return collation(of: e, inner) }
            return nil
        case .unary(.plus, let x):
            // Unary + keeps an explicit collation but not a column's.
            if let (c, explicit) = collation(of: x, scope), explicit { return (c, true) }
            return nil
        case .binary(let op, let l, let r) where op == .concat || op == .add || op == .subtract:
            _ = op
            if let c = explicitCollation(of: l, scope) { return (c, true) }
            if let c = explicitCollation(of: r, scope) { return (c, true) }
            return nil
        default:
            return nil
        }
    }

    /// The collation `e` names with COLLATE, if any.
    func explicitCollation(of e: Expr, _ scope: Scope) -> Collation? {
        guard let (c, explicit) = collation(of: e, scope), explicit else { return nil }
        return c
    }

    func explicitOnly(_ c: (Collation, explicit: Bool)?) -> Collation? {
        guard let (x, explicit) = c, explicit else { return nil }
        return x
    }

    /// sqlite3BinaryCompareCollSeq: the left operand's explicit collation, the right's, then column collations.
    func comparisonCollation(_ l: Expr, _ r: Expr, _ scope: Scope) -> Collation {
        let lc = collation(of: l, scope), rc = collation(of: r, scope)
        if let c = explicitOnly(lc) { return c }
        if let c = explicitOnly(rc) { return c }
        if let (c, _) = lc { return c }
        if let (c, _) = rc { return c }
        return .binary
    }
}
