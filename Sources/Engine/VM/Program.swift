// Program: a compiled statement — instructions, their P4 operands, and what
// the VM must allocate to run them — and ProgramBuilder, which the compiler
// emits into.
//
// An instruction is plain data (no references), so the interpreter copies it
// out of the array without reference counting; P4 operands that need storage
// (text, key infos, functions) live in `operands`, indexed by `Instruction.p4`.
// Forward jumps are emitted against labels (negative numbers) and resolved
// once, when the builder finishes; a finished program has no labels left.

import Base
import Storage
import SQL

/// One VM instruction.
public struct Instruction: Sendable {
    public var opcode: Opcode
    public var p5: UInt16
    public var p1: Int32
    public var p2: Int32
    public var p3: Int32
    /// Index into `Program.operands` (0: no P4).
    public var p4: Int32
}

/// A P4 operand.
enum Operand {
    case none
    case int64(Int64)
    case real(Double)
    case text([UInt8])
    case blob([UInt8])
    case value(Value)
    case keyInfo(KeyInfo)
    case collation(Collation)
    case function(FunctionDefinition)
    case affinities([Affinity])
    case strictTable(StrictColumnTypes)
    case string(String)
    case native(NativeStep)
}

/// The declared types TypeCheck enforces on a STRICT table's row (https://sqlite.org/stricttables.html).
struct StrictColumnTypes {
    enum DeclaredType: String {
        case any = "ANY", blob = "BLOB", int = "INT", integer = "INTEGER", real = "REAL", text = "TEXT"
    }
    let table: String
    /// Per stored column: its name, affinity and declared type (nil: not checked, a generated column).
    let columns: [(name: String, affinity: Affinity, type: DeclaredType?)]
}

/// A statement step that runs in Swift rather than as VM code (DDL, PRAGMA, transaction control).
/// It returns rows for its output cursor, or nil.
final class NativeStep {
    let name: String
    let run: (VM) throws(DBError) -> [[Value]]?
    init(_ name: String, _ run: @escaping (VM) throws(DBError) -> [[Value]]?) {
        self.name = name
        self.run = run
    }
}

/// Flags on a comparison opcode (P5), with SQLite's values (SQLITE_AFF_MASK, SQLITE_JUMPIFNULL,
/// SQLITE_NULLEQ) so EXPLAIN shows the same numbers.
enum ComparisonFlags {
    /// The comparison affinity (Affinity.rawValue, 0x40–0x45).
    static let affinityMask: UInt16 = 0x47
    /// Jump when either operand is NULL.
    static let jumpIfNull: UInt16 = 0x10
    /// NULLs compare equal (IS / IS NOT).
    static let nullEq: UInt16 = 0x80
}

/// A compiled statement.
public final class Program {
    public internal(set) var instructions: [Instruction] = []
    var operands: [Operand] = [.none]
    var registerCount = 0
    var cursorCount = 0
    public internal(set) var columnNames: [String] = []
    /// Declared types of result columns (sqlite3_column_decltype), nil where none.
    public internal(set) var columnDeclaredTypes: [String?] = []
    public internal(set) var parameterCount = 0
    public internal(set) var parameterNames: [ParameterName] = []
    /// True when the statement never writes the database.
    public internal(set) var isReadOnly = true
    /// True when some instruction may fail after the statement has written part of its changes, so a
    /// writing statement inside a transaction needs a statement savepoint to undo them (build.c's
    /// sqlite3MayAbort and usesStmtJournal). Set by ProgramBuilder.finish from the instructions.
    var mayAbort = true
    /// EXPLAIN or EXPLAIN QUERY PLAN: the program is listed, not run.
    public internal(set) var explain: Statement.Explain?
    /// Comments EXPLAIN prints beside instructions, by address.
    var comments: [Int: String] = [:]
    /// INSERT, UPDATE and DELETE set sqlite3_changes() when they finish.
    var countsChanges = false
    /// False for a statement that may change what later statements compile to (DDL, PRAGMA,
    /// ATTACH, …): preparing it and running it each empty the connection's LiteralStatementCache.
    var keepsLiteralStatements = true
    /// Connection.compileFlagsGeneration when compiled: a pragma that changes code generation since
    /// (ignore_check_constraints) or a schema change makes the statement compile again before it runs
    /// (SQLite's OP_Expire, and its re-prepare on SQLITE_SCHEMA).
    var compileFlagsGeneration = 0
    /// The statement text (sqlite3_sql), made from `sqlBytes` when asked.
    public internal(set) var sql: String {
        get { String(decoding: sqlBytes, as: UTF8.self) }
        set { sqlBytes = ArraySlice(newValue.utf8) }
    }
    /// The statement's bytes: a slice of the text it was prepared from (sharing that array's storage), so
    /// a statement taken from the literal cache costs no string.
    var sqlBytes: ArraySlice<UInt8> = []

    /// The scalar body of each `.function` operand, by operand index (nil elsewhere), taken out once: the
    /// Function instruction then copies one closure per call instead of the whole definition (its name,
    /// body and inline form, each reference-counted).
    /// Set by ProgramBuilder.finish.
    var scalarBodies: [ScalarFunctionBody?] = []

    /// Room for a typical statement's code from the start: growing the arrays one doubling at a time
    /// cost five reallocations (and copies) per simple statement.
    init() {
        instructions.reserveCapacity(48)
        operands.reserveCapacity(8)
    }
}

/// Emits instructions and resolves labels.
struct ProgramBuilder {
    let program = Program()
    private var labelTargets: [Int32] = {
        var targets: [Int32] = []
        targets.reserveCapacity(16)
        return targets
    }()
    private(set) var nextRegister: Int32 = 1
    private(set) var nextCursor: Int32 = 0
    /// The compiler knows every instruction that may fail runs before the first row is written (a
    /// single-row INSERT without triggers or REPLACE: insert.c checks every constraint, then writes),
    /// so the statement needs no savepoint: the program does not `mayAbort` (vdbe.c's usesStmtJournal
    /// needs isMultiWrite as well as mayAbort).
    var checksPrecedeWrites = false

    var count: Int32 { Int32(program.instructions.count) }

    /// Allocates `n` consecutive registers and returns the first.
    mutating func allocateRegisters(_ n: Int = 1) -> Int32 {
        let r = nextRegister
        nextRegister += Int32(n)
        return r
    }

    mutating func allocateCursor() -> Int32 {
        let c = nextCursor
        nextCursor += 1
        return c
    }

    /// A label for a jump target not emitted yet.
    mutating func makeLabel() -> Int32 {
        labelTargets.append(-1)
        return -Int32(labelTargets.count)
    }

    /// Binds `label` to the next instruction's address.
    mutating func resolve(_ label: Int32) {
        labelTargets[Int(-label) - 1] = count
    }

    @discardableResult
    mutating func emit(_ op: Opcode, _ p1: Int32 = 0, _ p2: Int32 = 0, _ p3: Int32 = 0,
                       _ p4: Operand = .none, _ p5: UInt16 = 0) -> Int32 {
        var p4Index: Int32 = 0
        if case .none = p4 {} else {
            p4Index = Int32(program.operands.count)
            program.operands.append(p4)
        }
        program.instructions.append(Instruction(opcode: op, p5: p5, p1: p1, p2: p2, p3: p3, p4: p4Index))
        return count - 1
    }

    /// How a constant is loaded into a register (P2): the opcode, P1 and the P4 operand, if any
    /// (expr.c's codeInteger and codeReal: a 32-bit integer rides in P1, a wider one in P4).
    /// Program.setConstant rewrites a cached program's literal loads with it.
    static func constantLoad(_ v: Value) -> (Opcode, Int32, Operand?) {
        switch v {
        case .null: return (.Null, 0, nil)
        case .integer(let i):
            if i >= Int64(Int32.min) && i <= Int64(Int32.max) { return (.Integer, Int32(i), nil) }
            return (.Int64, 0, .int64(i))
        case .real(let d): return (.Real, 0, .real(d))
        case .text(let t): return (.String8, 0, .text(t))
        case .blob(let x): return (.Blob, Int32(x.count), .blob(x))
        }
    }

    /// Sets P2 of the instruction at `address` (a jump patched later).
    mutating func setP2(_ address: Int32, _ value: Int32) {
        program.instructions[Int(address)].p2 = value
    }

    /// Gives the instruction at `address` the P4 operand `operand` (an ephemeral index's key, known only
    /// once the SELECT that fills it is compiled).
    mutating func setP4(_ address: Int32, _ operand: Operand) {
        program.instructions[Int(address)].p4 = Int32(program.operands.count)
        program.operands.append(operand)
    }

    mutating func setP1(_ address: Int32, _ value: Int32) {
        program.instructions[Int(address)].p1 = value
    }

    mutating func setP3(_ address: Int32, _ value: Int32) {
        program.instructions[Int(address)].p3 = value
    }

    mutating func setP5(_ address: Int32, _ value: UInt16) {
        program.instructions[Int(address)].p5 = value
    }

    /// Turns the instruction at `address` into a Noop (a decision taken after it was emitted).
    mutating func setOpcodeToNoop(_ address: Int32) {
        program.instructions[Int(address)] = Instruction(opcode: .Noop, p5: 0, p1: 0, p2: 0, p3: 0, p4: 0)
    }

    mutating func comment(_ text: String) {
        program.comments[program.instructions.count - 1] = text
    }

    /// Replaces label references with addresses and sizes the register and cursor files.
    mutating func finish() -> Program {
        // Only jump operands hold labels: P2, Jump's P1 and P3, InitCoroutine's P3.
        @inline(__always) func target(_ v: Int32) -> Int32 { v < 0 ? labelTargets[Int(-v) - 1] : v }
        var mayAbort = false
        program.instructions.withUnsafeMutableBufferPointer { code in
            for i in code.indices {
                if !code[i].opcode.cannotAbortStatement || (code[i].opcode == .Halt && code[i].p1 != 0) {
                    mayAbort = true
                }
                code[i].p2 = target(code[i].p2)
                switch code[i].opcode {
                case .Jump:
                    code[i].p1 = target(code[i].p1)
                    code[i].p3 = target(code[i].p3)
                case .InitCoroutine:
                    code[i].p3 = target(code[i].p3)
                default:
                    break
                }
            }
        }
        if program.operands.contains(where: { if case .function = $0 { return true } else { return false } }) {
            program.scalarBodies = program.operands.map { operand in
                if case .function(let f) = operand, case .scalar(let body) = f.implementation { return body }
                return nil
            }
        }
        program.mayAbort = mayAbort && !checksPrecedeWrites
        program.registerCount = Int(nextRegister)
        program.cursorCount = Int(nextCursor)
        return program
    }
}
