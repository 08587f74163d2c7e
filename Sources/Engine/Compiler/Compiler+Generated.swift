// Compiler+Generated: generated columns in the rows INSERT and UPDATE write
// (https://sqlite.org/gencol.html; insert.c, sqlite3ComputeGeneratedColumns).
// A row being written sits in registers in table order; once its ordinary
// columns hold their values (affinities applied), each generated column is
// computed into its register from them, after any generated column it reads,
// and takes its own affinity. Index keys, CHECK and NOT NULL constraints and
// triggers then see the computed values; the record stores only the STORED
// ones (Table+Storage). INSERT cannot name a generated column and UPDATE
// cannot assign one, with sqlite3's messages.

import Base
import SQL

extension Compiler {
    /// Computes the generated columns of the row in registers (rowid, base…).
    func computeGeneratedColumns(_ t: Table, base: Int32, rowid: Int32) throws(DBError) {
        guard t.hasGenerated else { return }
        let (scope, _) = rowScope(t, base: base, rowid: rowid, parent: nil)
        var pending = t.columns.indices.filter { t.columns[$0].generated != nil }
        while !pending.isEmpty {
            // A column waits while it reads another generated column not yet computed; none ready is a loop,
            // named by the last column that waits, as sqlite3 names it.
            guard let k = pending.firstIndex(where: { i in
                var others = OrdinalSet()
                for p in pending where p != i { others.insert(p) }
                return !readsColumn(t.columns[i].generated!.0, of: t, in: others)
            }) else {
                throw DBError(.error, "generated column loop on \"\(t.columns[pending.last!].name)\"")
            }
            let i = pending.remove(at: k)
            let column = t.columns[i]
            try expr(column.generated!.0, scope, base + Int32(i))
            if column.affinity != .none && column.affinity != .blob {
                b.emit(.Affinity, base + Int32(i), 1, 0, .affinities([column.affinity]))
            }
        }
    }

    /// Does `e` (an expression of table `t`'s own row) read one of `columns`?
    func readsColumn(_ e: Expr, of t: Table, in columns: OrdinalSet) -> Bool {
        var reads = false
        visitExpressions(e) { x in
            if case .column(let ref) = x.kind, let c = t.columnIndex(ref.column.name), columns.contains(c) {
                reads = true
            }
            return !reads
        }
        return reads
    }

    /// The generated columns whose values follow from `changed` columns, directly or through other
    /// generated columns (update.c marks them changed too, so their indexes and checks are redone).
    func generatedColumnsDepending(on changed: OrdinalSet, rowid: Bool, in t: Table) -> OrdinalSet {
        var out = OrdinalSet()
        var grew = true
        while grew {
            grew = false
            for (i, c) in t.columns.enumerated() where !out.contains(i) {
                guard let (e, _) = c.generated else { continue }
                if readsColumn(e, of: t, in: changed.union(out)) || (rowid && readsRowid(e, of: t)) {
                    out.insert(i)
                    grew = true
                }
            }
        }
        return out
    }

    private func readsRowid(_ e: Expr, of t: Table) -> Bool {
        var reads = false
        visitExpressions(e) { x in
            if case .column(let ref) = x.kind {
                if let c = t.columnIndex(ref.column.name) {
                    reads = c == t.rowidAlias
                } else {
                    reads = isRowidName(ref.column.name)
                }
            }
            return !reads
        }
        return reads
    }
}
