// ConstantValue: the value of an expression that is a constant literal, and
// the value a column reads where a record is too short to hold it.
//
// A literal (a number, possibly signed, a string, a blob, NULL, TRUE or
// FALSE) has its value without running any code; the compiler uses it for
// ORDER BY and GROUP BY column numbers, LIMIT checks and column defaults. A
// record written before ALTER TABLE ADD COLUMN lacks the new column: reading
// it gives the column's DEFAULT with the column's affinity applied, the value
// sqlite3ColumnDefault gives OP_Column (lang_altertable.html 4).

import Base
import SQL

extension Expr {
    /// The value of a constant expression (a literal, possibly signed), or nil.
    var constantValue: Value? {
        switch kind {
        case .literal(let lit):
            switch lit {
            case .null: return .null
            case .numeric(let n):
                if n.kind == .real { return NumericLiteralConversion.real(n.text, negated: false) }
                return try? NumericLiteralConversion.integer(n.text, negated: false)
            case .string(let s): return .text(s)
            case .blob(let x): return .blob(x)
            default: return nil
            }
        case .unary(.negate, let x):
            if case .literal(.numeric(let n)) = x.kind {
                if n.kind == .real { return NumericLiteralConversion.real(n.text, negated: true) }
                return try? NumericLiteralConversion.integer(n.text, negated: true)
            }
            return nil
        case .unary(.plus, let x):
            return x.constantValue
        case .column(let ref) where ref.table == nil && ref.column.isBooleanKeyword:
            return .integer(ref.column.matches("true") ? 1 : 0)
        default:
            return nil
        }
    }
}

extension Column {
    /// What a record too short to hold this column reads for it: the constant DEFAULT under the column's
    /// affinity (`b TEXT DEFAULT 5` reads '5'), nil when it has none. A REAL column may get an integer:
    /// reading it applies RealAffinity after, as for stored values.
    var recordDefault: Value? {
        guard let d = defaultValue, let v = d.constantValue else { return nil }
        return v.applyingAffinity(affinity)
    }
}
