// VM+StrictTypes: the TypeCheck opcode, vdbe.c's OP_TypeCheck for STRICT tables
// (https://sqlite.org/stricttables.html): each stored column's value gets the
// column's affinity, then must be NULL or of the declared type — INT and
// INTEGER an integer, REAL a real (an integer is stored as REAL), TEXT text,
// BLOB a blob, ANY anything — else the statement fails with
// SQLITE_CONSTRAINT_DATATYPE, whatever its conflict clause says.

import Base

extension VM {
    func checkStrictTypes(_ op: Instruction) throws(DBError) {
        guard case .strictTable(let strict) = operand(op) else { throw DBError(.internal, "TypeCheck without a table") }
        for (i, column) in strict.columns.enumerated() where i < Int(op.p2) {
            guard let type = column.type else { continue }
            let r = Int(op.p1) + i
            let value = registers[r].applyingAffinity(column.affinity)
            registers[r] = value
            switch (type, value) {
            case (_, .null), (.any, _), (.int, .integer), (.integer, .integer), (.real, .real), (.text, .text),
                 (.blob, .blob):
                continue
            case (.real, .integer(let n)):
                registers[r] = .real(Double(n))
            default:
                errorAction = .abort
                throw DBError(.constraintDataType, "cannot store \(value.strictTypeName) value in \(type.rawValue) column "
                                                   + "\(strict.table).\(column.name)")
            }
        }
    }
}

extension Value {
    /// vdbeMemTypeName: how TypeCheck's message names a value's type.
    fileprivate var strictTypeName: String {
        switch self {
        case .null: return "NULL"
        case .integer: return "INT"
        case .real: return "REAL"
        case .text: return "TEXT"
        case .blob: return "BLOB"
        }
    }
}
