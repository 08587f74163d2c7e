// LiteralStatementCache: programs of statements that differ only in their literals'
// values, reused with the new values put in (a script of 70,000 `SELECT b FROM t
// WHERE a=…` compiles once, not 70,000 times).
//
// Keyed by the statement's shape (SQL/StatementShape.swift) and the class of each
// literal's value (an integer of magnitude at most 1, another integer, an integral or
// a fractional real, a text that reads as a number or not, a blob): the planner's one
// value-dependent estimate (whereLoopOutputAdjust's -1/0/1 rule) and any affinity
// decision see the same class. An entry is made the second time a shape is prepared:
//   1. the literals a program may take as data are found in the parsed statement
//      (ParameterizableLiterals.swift); the others are "fixed": a later statement
//      must repeat them byte for byte;
//   2. the statement is compiled again with each of those literals replaced by a
//      sentinel of its class that nothing else in a program holds, and the
//      instructions that load a sentinel (or its negation) are the literal's slots;
//   3. the sentinel program, with the original values put back into its slots, must
//      list (EXPLAIN) exactly as the program compiled from the original text, with the
//      same result columns and flags. Otherwise the compiler made a decision from a
//      value, and the shape is refused.
// Parameters are not literals: they stay in the shape as written and in the program as
// its Variable instructions, so a hit starts with every parameter unbound (NULL).
// A hit copies the sentinel program (or takes back the program of the previous hit
// once nothing else holds it) and writes each literal's value into its slots with the
// compiler's own constant-load encoding (Program.setConstant). Entries
// belong to one compileFlagsGeneration (schema and code-generating pragmas); any
// other statement that is not DML or transaction control empties the cache when it
// is prepared and each time it runs, as do limits changing. The cache holds at most `capacity` entries and is emptied when full.

import Base
import SQL

/// A cache key: the statement's shape and its literals' classes. Hashed as one run of bytes (an array of
/// bytes hashes each element on its own, which cost more than the rest of a cache hit).
struct ShapeKey: Hashable {
    let bytes: [UInt8]

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    static func == (a: ShapeKey, b: ShapeKey) -> Bool { a.bytes == b.bytes }
}

final class LiteralStatementCache {
    /// One literal's instruction: the load of its value into a register.
    struct Slot {
        let literal: Int
        let address: Int
        let negated: Bool
    }

    final class Entry {
        let template: Program
        let slots: [Slot]
        /// Literals that must repeat exactly: index into the shape's literals and token bytes.
        let fixed: [(literal: Int, text: ArraySlice<UInt8>)]
        let generation: Int
        /// The program the last hit handed out. Once its statement is gone (the cache holds the only
        /// reference), the next hit rewrites its slots in place instead of copying the template.
        var spare: Program?
        /// The VM of a finished statement of this entry, reset, with its program (which nothing else
        /// holds): the next hit runs in it rather than in a new VM (`park`).
        var spareVM: VM?

        init(template: Program, slots: [Slot], fixed: [(literal: Int, text: ArraySlice<UInt8>)], generation: Int) {
            self.template = template
            self.slots = slots
            self.fixed = fixed
            self.generation = generation
        }
    }

    static let capacity = 256
    private var entries: [ShapeKey: Entry] = [:]
    /// Keys prepared once; the second time makes an entry (or a refusal).
    private var seen = Set<ShapeKey>()
    private var refused = Set<ShapeKey>()
    /// Statements prepared from an entry (tests and diagnostics).
    private(set) var hits = 0
    /// Hits that ran in a parked VM (tests and diagnostics).
    private(set) var vmReuses = 0

    func clear() {
        entries.removeAll()
        seen.removeAll()
        refused.removeAll()
    }

    // MARK: keys and literal values

    /// The shape's key followed by each literal's value class, or nil when a literal has no class
    /// (an integer too big for 64 bits, an infinite real).
    func key(_ shape: StatementShape, _ sql: [UInt8]) -> ShapeKey? {
        var key = shape.key
        for t in shape.literals {
            guard let c = Self.valueClass(t, sql) else { return nil }
            key.append(c)
        }
        return ShapeKey(bytes: key)
    }

    private static func valueClass(_ t: Token, _ sql: [UInt8]) -> UInt8? {
        switch t.kind {
        case .integer:
            guard case .integer(let v)? = value(t, sql, negated: false) else { return nil }
            return v >= -1 && v <= 1 ? UInt8(ascii: "s") : UInt8(ascii: "i")
        case .float:
            guard case .real(let r)? = value(t, sql, negated: false), r.isFinite else { return nil }
            return r.rounded() == r ? UInt8(ascii: "r") : UInt8(ascii: "f")
        case .string:
            let body = sql[Int(t.start) + 1..<Int(t.end) - 1]
            let numeric = !body.isEmpty && body.allSatisfy { c in
                (c >= 0x30 && c <= 0x39) || c == 0x2B || c == 0x2D || c == 0x2E || c == 0x65 || c == 0x45 || c == 0x20
            }
            return numeric ? UInt8(ascii: "n") : UInt8(ascii: "t")
        case .blob:
            return UInt8(ascii: "b")
        default:
            return nil
        }
    }

    /// The value a literal token loads (as the compiler's `literal` computes it).
    static func value(_ t: Token, _ sql: [UInt8], negated: Bool) -> Value? {
        let bytes = sql[Int(t.start)..<Int(t.end)]
        switch t.kind {
        case .integer:
            return bytes.withUnsafeBufferPointer { try? NumericLiteralConversion.integer($0.span, negated: negated) }
        case .float:
            return bytes.withUnsafeBufferPointer { NumericLiteralConversion.real($0.span, negated: negated) }
        case .string:
            return bytes.withUnsafeBufferPointer { b -> Value in
                let inner = UnsafeBufferPointer(rebasing: b[1..<b.count - 1])
                // Most strings hold no quote: their bytes are the value, copied at once.
                guard inner.contains(0x27) else { return .text(Array(inner)) }
                var out: [UInt8] = []
                out.reserveCapacity(inner.count)
                var i = 0
                while i < inner.count {
                    out.append(inner[i])
                    i += inner[i] == 0x27 ? 2 : 1  // '' is one quote
                }
                return .text(out)
            }
        case .blob:
            var out: [UInt8] = []
            var i = bytes.startIndex + 2
            while i + 1 < bytes.endIndex - 1 {
                out.append(hexDigit(bytes[i]) << 4 | hexDigit(bytes[i + 1]))
                i += 2
            }
            return .blob(out)
        default:
            return nil
        }
    }

    private static func hexDigit(_ c: UInt8) -> UInt8 {
        c <= 0x39 ? c &- 0x30 : (c | 0x20) &- 0x61 &+ 10
    }

    // MARK: hits

    /// A program for the statement `shape` describes, from the entry its key names, with a VM to run it
    /// in when one is parked there, or nil.
    func program(for key: ShapeKey, _ shape: StatementShape, _ sql: [UInt8], generation: Int)
        -> (program: Program, vm: VM?, entry: Entry)? {
        guard let entry = entries[key] else { return nil }
        guard entry.generation == generation else {
            entries[key] = nil
            return nil
        }
        for f in entry.fixed {
            let t = shape.literals[f.literal]
            guard sql[Int(t.start)..<Int(t.end)].elementsEqual(f.text) else { return nil }
        }
        var program: Program
        var vm: VM? = nil
        if let parked = entry.spareVM {
            entry.spareVM = nil
            vmReuses += 1
            vm = parked
            program = parked.program
        } else if var spare = entry.spare {
            entry.spare = nil
            program = isKnownUniquelyReferenced(&spare) ? spare : entry.template.copy()
        } else {
            program = entry.template.copy()
        }
        for slot in entry.slots {
            guard let v = Self.value(shape.literals[slot.literal], sql, negated: slot.negated) else { return nil }
            program.setConstant(at: slot.address, v)
        }
        program.sqlBytes = sql[Int(shape.statement.start)..<Int(shape.statement.end)]
        entry.spare = program
        hits += 1
        return (program, vm, entry)
    }

    /// Keeps the VM of a finished statement that `entry` handed out, reset, for the entry's next hit
    /// (a VM costs about as much to make and free as the rest of a cache hit). Its program lets go of the
    /// statement's text, and stops being the entry's spare: the parked VM is its only holder.
    func park(_ vm: VM, in entry: Entry) {
        vm.prepareForReuse()
        vm.program.sqlBytes = []
        if entry.spare === vm.program { entry.spare = nil }
        entry.spareVM = vm
    }

    // MARK: learning

    /// After `program` was compiled from `statement` (the text `shape` describes): remembers the key
    /// the first time, makes an entry (or refuses one) the second.
    func learn(_ key: ShapeKey, _ shape: StatementShape, _ sql: [UInt8], _ statement: Statement, _ program: Program,
               connection: Connection) {
        guard !refused.contains(key), entries[key] == nil else { return }
        if seen.insert(key).inserted {
            if seen.count > 4 * Self.capacity { seen.removeAll() }
            return
        }
        if entries.count >= Self.capacity { entries.removeAll() }
        if refused.count >= 4 * Self.capacity { refused.removeAll() }
        if let entry = makeEntry(shape, sql, statement, program, connection) {
            entries[key] = entry
        } else {
            refused.insert(key)
        }
    }

    private func makeEntry(_ shape: StatementShape, _ sql: [UInt8], _ statement: Statement, _ program: Program,
                           _ connection: Connection) -> Entry? {
        guard program.explain == nil else { return nil }
        let offsets = ParameterizableLiterals.offsets(in: statement)
        var parameters: [Int] = []
        var fixed: [(literal: Int, text: ArraySlice<UInt8>)] = []
        for (i, t) in shape.literals.enumerated() {
            if offsets.contains(t.start) {
                parameters.append(i)
            } else {
                fixed.append((i, sql[Int(t.start)..<Int(t.end)]))
            }
        }
        let generation = connection.compileFlagsGeneration
        if parameters.isEmpty {
            return Entry(template: program.copy(), slots: [], fixed: fixed, generation: generation)
        }
        // The statement again, each parameter literal replaced by its sentinel.
        var text: [UInt8] = []
        var copied = Int(shape.statement.start)
        var sentinels: [Value] = []
        for (n, i) in parameters.enumerated() {
            let t = shape.literals[i]
            text.append(contentsOf: sql[copied..<Int(t.start)])
            guard let (token, value) = Self.sentinel(for: t, sql, number: n) else { return nil }
            text.append(contentsOf: token)
            sentinels.append(value)
            copied = Int(t.end)
        }
        text.append(contentsOf: sql[copied..<Int(shape.statement.end)])
        var parser = Parser(text, options: connection.parserOptions)
        guard let parsed = try? parser.parseStatement(at: 0).0,
              let sentinelProgram = try? Compiler.compile(parsed, source: text, connection: connection),
              connection.compileFlagsGeneration == generation else { return nil }
        // Each sentinel's loads are its literal's slots.
        var slots: [Slot] = []
        for (n, i) in parameters.enumerated() {
            let found = sentinelProgram.constantLoads(of: sentinels[n])
            guard !found.isEmpty else { return nil }
            for (address, negated) in found { slots.append(Slot(literal: i, address: address, negated: negated)) }
        }
        // Put back the original values: the program must be the one compiled from the original text.
        let check = sentinelProgram.copy()
        for slot in slots {
            guard let v = Self.value(shape.literals[slot.literal], sql, negated: slot.negated) else { return nil }
            check.setConstant(at: slot.address, v)
        }
        guard check.sameCode(as: program) else { return nil }
        return Entry(template: sentinelProgram, slots: slots, fixed: fixed, generation: generation)
    }

    /// A literal token of the same class as `t` whose value no program would otherwise hold, and that value.
    private static func sentinel(for t: Token, _ sql: [UInt8], number n: Int) -> ([UInt8], Value)? {
        guard let c = valueClass(t, sql) else { return nil }
        let text: String
        switch c {
        case UInt8(ascii: "s"): return nil  // -1, 0 and 1 have no room for a sentinel
        case UInt8(ascii: "i"): text = String(7_346_291_870_411_000_000 + Int64(n) * 7)
        case UInt8(ascii: "r"): text = "7346291870411\(100 + n).0"
        case UInt8(ascii: "f"): text = "0.7346291870411\(100 + n)"
        case UInt8(ascii: "n"): text = "'734629187041\(100 + n)'"
        case UInt8(ascii: "t"): text = "'swiftdb literal \(n) 7346291870411'"
        default:
            var hex = String(n, radix: 16)
            if hex.count % 2 == 1 { hex = "0" + hex }
            text = "x'7346291870411F\(hex)'"
        }
        let bytes = Array(text.utf8)
        guard let v = value(Token(kind: t.kind, start: 0, end: UInt32(bytes.count)), bytes, negated: false) else {
            return nil
        }
        return (bytes, v)
    }
}

extension Program {
    /// A program with this one's code and flags, to be changed without changing this one.
    func copy() -> Program {
        let p = Program()
        p.instructions = instructions
        p.operands = operands
        p.registerCount = registerCount
        p.cursorCount = cursorCount
        p.columnNames = columnNames
        p.columnDeclaredTypes = columnDeclaredTypes
        p.parameterCount = parameterCount
        p.parameterNames = parameterNames
        p.isReadOnly = isReadOnly
        p.mayAbort = mayAbort
        p.explain = explain
        p.comments = comments
        p.countsChanges = countsChanges
        p.compileFlagsGeneration = compileFlagsGeneration
        p.sqlBytes = ArraySlice(Array(sqlBytes))  // its own bytes: a template outlives the text
        return p
    }

    /// The addresses of the instructions that load `v` (or, for a number, its negation) into a register.
    func constantLoads(of v: Value) -> [(address: Int, negated: Bool)] {
        var out: [(address: Int, negated: Bool)] = []
        let negation: Value? = switch v {
        case .integer(let i): i == Int64.min ? nil : .integer(-i)
        case .real(let r): .real(-r)
        default: nil
        }
        for (address, op) in instructions.enumerated() {
            guard let loaded = loadedConstant(op) else { continue }
            if Self.identical(loaded, v) {
                out.append((address, false))
            } else if let negation, Self.identical(loaded, negation) {
                out.append((address, true))
            }
        }
        return out
    }

    /// The same storage class and the same bits.
    private static func identical(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.integer(let x), .integer(let y)): return x == y
        case (.real(let x), .real(let y)): return x.bitPattern == y.bitPattern
        case (.text(let x), .text(let y)): return x == y
        case (.blob(let x), .blob(let y)): return x == y
        default: return false
        }
    }

    /// The value a constant-load instruction puts in its register, or nil for any other instruction.
    private func loadedConstant(_ op: Instruction) -> Value? {
        switch op.opcode {
        case .Integer: return .integer(Int64(op.p1))
        case .Int64: if case .int64(let i) = operands[Int(op.p4)] { return .integer(i) }
        case .Real: if case .real(let r) = operands[Int(op.p4)] { return .real(r) }
        case .String8: if case .text(let t) = operands[Int(op.p4)] { return .text(t) }
        case .Blob: if case .blob(let b) = operands[Int(op.p4)] { return .blob(b) }
        default: break
        }
        return nil
    }

    /// Makes the load at `address` load `v` instead, into the same register, encoded as the
    /// compiler encodes a constant (ProgramBuilder.constantLoad).
    func setConstant(at address: Int, _ v: Value) {
        let old = instructions[address]
        let (opcode, p1, operand) = ProgramBuilder.constantLoad(v)
        var p4: Int32 = 0
        if let operand {
            // A load that had an operand rewrites it (each emitted instruction has its own), so a program
            // rewritten at every reuse keeps its size.
            switch old.opcode {
            case .Int64, .Real, .String8, .Blob:
                p4 = old.p4
                operands[Int(p4)] = operand
            default:
                p4 = Int32(operands.count)
                operands.append(operand)
            }
        }
        instructions[address] = Instruction(opcode: opcode, p5: 0, p1: p1, p2: old.p2, p3: 0, p4: p4)
    }

    /// The same instructions (as EXPLAIN lists them), result columns and flags as `other`.
    func sameCode(as other: Program) -> Bool {
        instructions.count == other.instructions.count && registerCount == other.registerCount
            && cursorCount == other.cursorCount && columnNames == other.columnNames
            && columnDeclaredTypes == other.columnDeclaredTypes && isReadOnly == other.isReadOnly
            && mayAbort == other.mayAbort && countsChanges == other.countsChanges
            && parameterCount == other.parameterCount && listing() == other.listing()
    }
}
