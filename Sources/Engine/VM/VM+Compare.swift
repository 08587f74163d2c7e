// VM+Compare: the comparison opcodes (Eq … Ge, Compare) and the calls into
// built-in functions and aggregates.

import Base
import Storage

extension VM {
    /// Eq/Ne/Lt/Le/Gt/Ge: whether to jump (vdbe.c OP_Eq semantics, NULL rules from P5).
    @inline(__always)
    func compareJumps(_ op: Instruction) throws(DBError) -> Bool {
        // Two integers, the common case, are compared in place (no copy of either register's value).
        if case .integer(let a) = registers[Int(op.p3)], case .integer(let b) = registers[Int(op.p1)] {
            return jumps(op.opcode, order: a < b ? -1 : (a > b ? 1 : 0))
        }
        let lhs = registers[Int(op.p3)], rhs = registers[Int(op.p1)]
        if lhs.isNull || rhs.isNull {
            if op.p5 & ComparisonFlags.nullEq != 0 {
                let bothNull = lhs.isNull && rhs.isNull
                switch op.opcode {
                case .Eq: return bothNull
                case .Ne: return !bothNull
                default: return false
                }
            }
            return op.p5 & ComparisonFlags.jumpIfNull != 0
        }
        let aff = Affinity(rawValue: UInt8(op.p5 & ComparisonFlags.affinityMask)) ?? .none
        var coll = Collation.binary
        if case .collation(let c) = operand(op) { coll = c }
        return jumps(op.opcode, order: Comparison.order(lhs, rhs, affinity: aff, collation: coll) ?? 0)
    }

    /// Whether comparison `opcode` (Eq … Ge) jumps for `order`, the left operand's against the right's.
    @inline(__always)
    private func jumps(_ opcode: Opcode, order: Int) -> Bool {
        switch opcode {
        case .Eq: return order == 0
        case .Ne: return order != 0
        case .Lt: return order < 0
        case .Le: return order <= 0
        case .Gt: return order > 0
        default: return order >= 0
        }
    }

    /// Compare: orders two register runs under a key info (for ORDER BY/GROUP BY change detection).
    func compareRegisters(_ op: Instruction) -> Int {
        // Without a KeyInfo operand every field is ascending BINARY; none is built (this runs once per row
        // of a GROUP BY).
        var collations: [Collation] = [], descending: [Bool] = []
        if case .keyInfo(let k) = operand(op) {
            collations = k.collations
            descending = k.descending
        }
        for i in 0..<Int(op.p3) {
            let coll = i < collations.count ? collations[i] : .binary
            var c = compareValues(registers[Int(op.p1) + i], registers[Int(op.p2) + i], collation: coll)
            if c != 0 {
                if i < descending.count && descending[i] { c = -c }
                return c
            }
        }
        return 0
    }

    func callFunction(_ op: Instruction) throws(DBError) {
        let args = FunctionArguments(base: UnsafePointer(registers + Int(op.p2)), count: Int(op.p5))
        functionContext.collation = Collation(rawValue: UInt8(op.p1)) ?? .binary
        let i = Int(op.p4)
        if i < program.scalarBodies.count, let body = program.scalarBodies[i] {
            registers[Int(op.p3)] = try body(args, &functionContext)
            return
        }
        guard case .function(let f) = operand(op) else { throw DBError(.internal, "Function without a function") }
        registers[Int(op.p3)] = try f.callScalar(args, &functionContext)
    }

    func aggregateStep(_ op: Instruction) throws(DBError) {
        let slot = Int(op.p3)
        if !accumulators.isStarted(slot) {
            guard case .function(let f) = operand(op), let a = f.makeAccumulator() else {
                throw DBError(.internal, "AggStep without an aggregate function")
            }
            accumulators.start(slot, a)
        }
        let args = FunctionArguments(base: UnsafePointer(registers + Int(op.p2)), count: Int(op.p5))
        functionContext.collation = Collation(rawValue: UInt8(op.p1 & 0xFF)) ?? .binary
        let changed = try accumulators.pointer(slot).pointee!.step(args, &functionContext)
        // P1 >> 8, when set, names a register told whether min()/max() took this row's value.
        let changedRegister = Int(op.p1 >> 8)
        if changedRegister != 0 { registers[changedRegister] = .integer(changed ? 1 : 0) }
    }

    func aggregateFinal(_ op: Instruction) throws(DBError) {
        guard case .function(let f) = operand(op) else { throw DBError(.internal, "AggFinal without a function") }
        let slot = Int(op.p1)
        var acc: AggregateAccumulator
        if let a = accumulators.take(slot) {
            acc = a
        } else if let fresh = f.makeAccumulator() {
            acc = fresh
        } else {
            registers[slot] = .null
            return
        }
        registers[slot] = try acc.finalize(&functionContext)
    }
}
