// VM+Run: the interpreter loop. One `switch` over the opcode; short
// operations are written inline, longer ones call the VM+*.swift helpers.
// The switch is the one place exempt from the 70-line function rule: the
// dispatch of every opcode belongs together (as vdbe.c's sqlite3VdbeExec).

import Base
import Storage

extension VM {
    @inline(__always)
    func reg(_ i: Int32) -> UnsafeMutablePointer<Value> { registers + Int(i) }

    @inline(__always)
    func operand(_ op: Instruction) -> Operand { program.operands[Int(op.p4)] }

    func run() throws(DBError) -> StepResult {
        // The instructions through a pointer: the program (which `self.program` keeps, and nothing changes
        // while it runs) owns the array, and every jump target and fall-through is an address the
        // compiler emitted, so the per-instruction bounds check is left to debug builds.
        let count = program.instructions.count
        let code = program.instructions.withUnsafeBufferPointer { $0.baseAddress! }
        // Counted in a local (a register) and added once however the run ends.
        var steps = 0
        // The program counter too, stored back however the run ends (a step that throws for I/O leaves
        // it on its instruction, which the next step runs again): only this loop reads or moves it.
        var pc = self.pc
        defer {
            vmSteps &+= steps
            self.pc = pc
        }
        while true {
            steps &+= 1
            assert(pc >= 0 && pc < count, "program counter \(pc) outside the program")
            let op = code[pc]
            switch op.opcode {
            case .Init:
                pc = Int(op.p2)
                continue
            case .Goto:
                if Int(op.p2) < pc && interrupt.isRaised { throw DBError(.interrupt) }
                pc = Int(op.p2)
                continue
            case .Gosub:
                registers[Int(op.p1)] = .integer(Int64(pc + 1))
                pc = Int(op.p2)
                continue
            case .Return:
                if case .integer(let a) = registers[Int(op.p1)] {
                    pc = Int(a)
                    continue
                }
                if op.p3 == 0 { throw DBError(.internal, "Return without Gosub") }
            case .InitCoroutine:
                registers[Int(op.p1)] = .integer(Int64(op.p3) - 1)
                if op.p2 != 0 {
                    pc = Int(op.p2)
                    continue
                }
            case .EndCoroutine:
                guard case .integer(let a) = registers[Int(op.p1)], a >= 0, a < count else {
                    throw DBError(.internal, "bad coroutine")
                }
                // The last Yield stored its own address; resume at the jump target of that Yield's caller.
                let caller = code[Int(a)]
                registers[Int(op.p1)] = .integer(Int64(pc))
                pc = Int(caller.p2)
                continue
            case .Yield:
                guard case .integer(let a) = registers[Int(op.p1)] else { throw DBError(.internal, "bad coroutine") }
                registers[Int(op.p1)] = .integer(Int64(pc))
                pc = Int(a) + 1
                continue
            case .Halt:
                if op.p1 != 0 {
                    errorAction = ConflictAction(rawValue: UInt8(op.p2)) ?? .abort
                    var message = ResultCode(rawValue: op.p1).defaultMessage
                    if case .string(let s) = operand(op) { message = s }
                    throw DBError(ResultCode(rawValue: op.p1), message)
                }
                try finish()
                return .done
            case .HaltIfNull:
                if registers[Int(op.p3)].isNull {
                    errorAction = ConflictAction(rawValue: UInt8(op.p2)) ?? .abort
                    var message = ResultCode(rawValue: op.p1).defaultMessage
                    if case .string(let s) = operand(op) { message = s }
                    throw DBError(ResultCode(rawValue: op.p1), message)
                }
            case .TypeCheck:
                try checkStrictTypes(op)
            case .Transaction:
                if op.p1 == 1 {
                    try connection.beginTempStatementTransaction(self, write: op.p2 != 0)
                    break
                }
                try connection.beginStatementTransaction(self, write: op.p2 != 0)
                // The read may have found a file another connection created or changed since the step began.
                encoding = connection.tree.encoding
            case .Once:
                if case .integer = registers[Int(op.p1)] {
                    pc = Int(op.p2)
                    continue
                }
                registers[Int(op.p1)] = .integer(1)
            case .Integer:
                registers[Int(op.p2)] = .integer(Int64(op.p1))
            case .Int64:
                if case .int64(let v) = operand(op) { registers[Int(op.p2)] = .integer(v) }
            case .Real:
                if case .real(let v) = operand(op) { registers[Int(op.p2)] = .real(v) }
            case .String8:
                if case .text(let v) = operand(op) { registers[Int(op.p2)] = .text(v) }
            case .Blob:
                if case .blob(let v) = operand(op) { registers[Int(op.p2)] = .blob(v) }
            case .Null:
                let last = max(op.p2, op.p3)
                var i = op.p2
                while i <= last {
                    registers[Int(i)] = .null
                    i += 1
                }
            case .Variable:
                let i = Int(op.p1) - 1
                registers[Int(op.p2)] = i < bindings.count ? bindings[i] : .null
            case .Move:
                for i in 0..<Int(op.p3) {
                    registers[Int(op.p2) + i] = registers[Int(op.p1) + i]
                    registers[Int(op.p1) + i] = .null
                }
            case .Copy:
                for i in 0...Int(op.p3) { registers[Int(op.p2) + i] = registers[Int(op.p1) + i] }
            case .SCopy, .IntCopy:
                registers[Int(op.p2)] = registers[Int(op.p1)]
            case .ResultRow:
                rowStart = op.p1
                rowCount = op.p2
                pc += 1
                return .row
            case .Concat:
                registers[Int(op.p3)] = try Concatenation.concatenate(registers[Int(op.p2)], registers[Int(op.p1)])
            case .Add:
                // Two integers are read in place (copying the registers' values out cost an outlined
                // copy each).
                let a = registers + Int(op.p1), b = registers + Int(op.p2)
                if case .integer(let x) = a.pointee, case .integer(let y) = b.pointee {
                    let (s, o) = x.addingReportingOverflow(y)
                    (registers + Int(op.p3)).storeTrivial(o ? .real(Double(x) + Double(y)) : .integer(s))
                } else {
                    registers[Int(op.p3)] = Arithmetic.apply(.add, a.pointee, b.pointee)
                }
            case .Subtract:
                registers[Int(op.p3)] = Arithmetic.apply(.subtract, registers[Int(op.p2)], registers[Int(op.p1)])
            case .Multiply:
                registers[Int(op.p3)] = Arithmetic.apply(.multiply, registers[Int(op.p1)], registers[Int(op.p2)])
            case .Divide:
                registers[Int(op.p3)] = Arithmetic.apply(.divide, registers[Int(op.p2)], registers[Int(op.p1)])
            case .Remainder:
                registers[Int(op.p3)] = Arithmetic.apply(.remainder, registers[Int(op.p2)], registers[Int(op.p1)])
            case .BitAnd:
                registers[Int(op.p3)] = Arithmetic.bitAnd(registers[Int(op.p1)], registers[Int(op.p2)])
            case .BitOr:
                registers[Int(op.p3)] = Arithmetic.bitOr(registers[Int(op.p1)], registers[Int(op.p2)])
            case .ShiftLeft:
                registers[Int(op.p3)] = Arithmetic.shiftLeft(registers[Int(op.p2)], registers[Int(op.p1)])
            case .ShiftRight:
                registers[Int(op.p3)] = Arithmetic.shiftRight(registers[Int(op.p2)], registers[Int(op.p1)])
            case .And:
                registers[Int(op.p3)] = Comparison.and(registers[Int(op.p1)], registers[Int(op.p2)])
            case .Or:
                registers[Int(op.p3)] = Comparison.or(registers[Int(op.p1)], registers[Int(op.p2)])
            case .Not:
                registers[Int(op.p2)] = Comparison.not(registers[Int(op.p1)])
            case .BitNot:
                registers[Int(op.p2)] = Arithmetic.bitNot(registers[Int(op.p1)])
            case .IsTrue:
                registers[Int(op.p2)] = Comparison.isTrue(registers[Int(op.p1)], ifNull: op.p3 != 0, negated: op.p4 != 0)
            case .Eq, .Ne, .Lt, .Le, .Gt, .Ge:
                if try compareJumps(op) {
                    pc = Int(op.p2)
                    continue
                }
            case .If, .IfNot:
                let v = registers[Int(op.p1)]
                let jump: Bool
                if v.isNull {
                    jump = op.p3 != 0
                } else {
                    jump = v.truthValue(ifNull: false) == (op.opcode == .If)
                }
                if jump {
                    pc = Int(op.p2)
                    continue
                }
            case .IsNull:
                if registers[Int(op.p1)].isNull {
                    pc = Int(op.p2)
                    continue
                }
            case .NotNull:
                if !registers[Int(op.p1)].isNull {
                    pc = Int(op.p2)
                    continue
                }
            case .ZeroOrNull:
                registers[Int(op.p2)] = registers[Int(op.p1)].isNull || registers[Int(op.p3)].isNull ? .null : .integer(0)
            case .Compare:
                lastCompare = compareRegisters(op)
            case .Jump:
                pc = Int(lastCompare < 0 ? op.p1 : (lastCompare == 0 ? op.p2 : op.p3))
                continue
            case .Function:
                try callFunction(op)
            case .AggStep:
                try aggregateStep(op)
            case .AggFinal:
                try aggregateFinal(op)
            case .Cast:
                let aff = Affinity(rawValue: UInt8(op.p2)) ?? .blob
                registers[Int(op.p1)] = registers[Int(op.p1)].casting(to: aff)
            case .Affinity:
                if case .affinities(let affs) = operand(op) {
                    for i in 0..<Int(op.p2) where i < affs.count {
                        let r = Int(op.p1) + i
                        registers[r] = registers[r].applyingAffinity(affs[i])
                    }
                }
            case .RealAffinity:
                if case .integer(let i) = registers[Int(op.p1)] { registers[Int(op.p1)] = .real(Double(i)) }
            case .MustBeInt:
                let v = registers[Int(op.p1)].applyingAffinity(.numeric)
                if case .integer = v {
                    registers[Int(op.p1)] = v
                } else if op.p2 == 0 {
                    throw DBError(.mismatch, "datatype mismatch")
                } else {
                    pc = Int(op.p2)
                    continue
                }
            case .IfPos:
                if case .integer(let v) = registers[Int(op.p1)], v > 0 {
                    registers[Int(op.p1)] = .integer(v - Int64(op.p3))
                    pc = Int(op.p2)
                    continue
                }
            case .IfNotZero:
                if case .integer(let v) = registers[Int(op.p1)], v != 0 {
                    if v > 0 { registers[Int(op.p1)] = .integer(v - 1) }
                    pc = Int(op.p2)
                    continue
                }
            case .DecrJumpZero:
                if case .integer(let v) = registers[Int(op.p1)] {
                    if v > Int64.min { registers[Int(op.p1)] = .integer(v - 1) }
                    if v - 1 == 0 {
                        pc = Int(op.p2)
                        continue
                    }
                }
            case .OffsetLimit:
                // A NULL limit register is swiftdb's "no limit" (setupLimit), as a negative one is SQLite's.
                var limit: Int64 = -1
                if case .integer(let l) = registers[Int(op.p1)] { limit = l }
                var offset: Int64 = 0
                if op.p3 > 0, case .integer(let o) = registers[Int(op.p3)], o > 0 { offset = o }
                if limit <= 0 {
                    registers[Int(op.p2)] = .integer(-1)
                } else {
                    let (s, o) = limit.addingReportingOverflow(offset)
                    registers[Int(op.p2)] = .integer(o ? -1 : s)
                }
            case .OpenRead, .OpenWrite:
                try openCursor(op)
            case .OpenEphemeral:
                try openEphemeral(op)
            case .OpenDup:
                try openDuplicate(op)
            case .OpenPseudo:
                let c = VMCursor(kind: .pseudo, isTable: false, keyInfo: KeyInfo(binaryFields: 0),
                                 encoding: encoding)
                c.pseudoRegister = op.p2
                setCursor(op.p1, c)
            case .SorterOpen:
                guard case .keyInfo(let ki) = operand(op) else { throw DBError(.internal, "SorterOpen without keyinfo") }
                let c = VMCursor(kind: .sorter, isTable: false, keyInfo: ki, encoding: encoding)
                // Runs go to a temporary file beside a file database unless PRAGMA temp_store=MEMORY.
                let pager = connection.pager
                let spill = connection.tempStore == 2 || pager.isMemory ? nil : SorterSpill(pager: pager)
                c.sorter = Sorter(keyInfo: ki, encoding: encoding, spill: spill)
                setCursor(op.p1, c)
            case .Close:
                closeCursor(Int(op.p1))
            case .IfNullRow:
                if let c = cursors[Int(op.p1)], c.nullRow {
                    registers[Int(op.p3)] = .null
                    pc = Int(op.p2)
                    continue
                }
            case .NullRow:
                if cursors[Int(op.p1)] == nil {
                    // A cursor never opened (its loop never ran, as the automatic index of a loop whose outer
                    // loop had no rows) reads as a row of NULLs (vdbe.c's OP_NullRow makes a pseudo-cursor).
                    let c = VMCursor(kind: .pseudo, isTable: false, keyInfo: KeyInfo(binaryFields: 0),
                                     encoding: encoding)
                    c.nullRow = true
                    setCursor(op.p1, c)
                } else if let c = cursors[Int(op.p1)] {
                    // A pseudo-cursor reads its register again (vdbe.c's OP_Column on a pseudo-cursor
                    // with nullRow set): its row is whatever record the register holds now.
                    if c.kind == .pseudo {
                        c.pseudoRecord = []
                    } else {
                        c.nullRow = true
                    }
                    c.invalidateCache()
                }
            case .Rewind, .Sort, .Last:
                // Last with P2 = 0 only positions the cursor (select.c's bounded sort reads the largest key).
                if try !moveToEdge(op, first: op.opcode != .Last), op.p2 != 0 {
                    pc = Int(op.p2)
                    continue
                }
            case .Next, .Prev:
                if try advance(op, forward: op.opcode == .Next) {
                    if interrupt.isRaised { throw DBError(.interrupt) }
                    pc = Int(op.p2)
                    continue
                }
            case .SeekRowid, .NotExists:
                if try !seekRowid(op) {
                    pc = Int(op.p2)
                    continue
                }
            case .SeekGE, .SeekGT, .SeekLE, .SeekLT:
                if try !seek(op) {
                    pc = Int(op.p2)
                    continue
                }
            case .IdxGE, .IdxGT, .IdxLE, .IdxLT:
                if try indexCompareJumps(op) {
                    pc = Int(op.p2)
                    continue
                }
            case .Found, .NotFound, .NoConflict:
                if try foundJumps(op) {
                    pc = Int(op.p2)
                    continue
                }
            case .Column:
                try storeColumn(op)
            case .Rowid:
                registers[Int(op.p2)] = try readRowid(Int(op.p1))
            case .IdxRowid:
                registers[Int(op.p2)] = try readIndexRowid(Int(op.p1))
            case .DeferredSeek:
                try deferredSeek(op)
            case .MakeRecord:
                makeRecord(op)
            case .Count:
                registers[Int(op.p2)] = .integer(try countEntries(Int(op.p1)))
            case .NewRowid:
                registers[Int(op.p2)] = .integer(try newRowid(op))
            case .Insert:
                noteWrite(op.p1)
                try insertRow(op)
            case .Delete:
                noteWrite(op.p1)
                try deleteRow(op)
            case .IdxInsert:
                noteWrite(op.p1)
                try insertIndexKey(op)
            case .IdxDelete:
                noteWrite(op.p1)
                try deleteIndexKey(op)
            case .SorterInsert:
                guard case .blob(let record) = registers[Int(op.p2)], let s = cursors[Int(op.p1)]?.sorter else {
                    throw DBError(.internal, "SorterInsert without a record")
                }
                try s.insert(record)
            case .SorterSort:
                guard let c = cursors[Int(op.p1)], let s = c.sorter else { throw DBError(.internal, "not a sorter") }
                c.nullRow = false
                if try !s.sort() {
                    pc = Int(op.p2)
                    continue
                }
            case .SorterNext:
                guard let s = cursors[Int(op.p1)]?.sorter else { throw DBError(.internal, "not a sorter") }
                if try s.next() {
                    if interrupt.isRaised { throw DBError(.interrupt) }
                    pc = Int(op.p2)
                    continue
                }
            case .SorterCompare:
                guard let s = cursors[Int(op.p1)]?.sorter, case .blob(let key) = registers[Int(op.p3)],
                      case .int64(let fields) = operand(op) else {
                    throw DBError(.internal, "SorterCompare without a sorter or record")
                }
                if try !s.currentEquals(key, fields: Int(fields)) {
                    pc = Int(op.p2)
                    continue
                }
            case .SorterData:
                guard let s = cursors[Int(op.p1)]?.sorter else { throw DBError(.internal, "not a sorter") }
                // The pseudo cursor drops its reference to the previous record first, so that the register's
                // buffer is refilled in place rather than copied.
                let pseudo = cursors[Int(op.p3)]
                pseudo?.invalidateCache()
                pseudo?.pseudoRecord = []
                var record = takeBlobBuffer(Int(op.p2))
                s.copyCurrent(into: &record)
                registers[Int(op.p2)] = .blob(record)
            case .Sequence:
                guard let c = cursors[Int(op.p1)] else { throw DBError(.internal, "no cursor") }
                registers[Int(op.p2)] = .integer(c.sequence)
                c.sequence += 1
            case .Clear:
                wroteRows = true
                let n = try connection.tree(ofDatabase: op.p2).clearTree(UInt32(bitPattern: op.p1))
                if op.p3 != 0 { registers[Int(op.p3)] = .integer(registers[Int(op.p3)].integerOrZero + Int64(n)) }
                if op.p5 & InsertFlags.countChange != 0 { changeCount += Int64(n) }
                if op.p5 & InsertFlags.countTotal != 0 { triggerChangeCount += Int64(n) }
            case .Native:
                try runNative(op)
            case .Noop, .Explain:
                break
            }
            pc += 1
        }
    }
}
