// CaseLibrary: every family of statement differential cases — the hand-written
// case files in Cases/ (one Swift file each, holding the cases' SQL text as a
// raw string literal in CaseFile's format) and the families GeneratedCases
// builds in code. Families are built lazily, once per process.

enum CaseLibrary {
    /// Hand-written families, one per file in Cases/.
    static var handWritten: [CaseFile] {
        [ddlTable, ddlIndex, ddlViewTrigger, ddlAlter, ddlTemp, dmlInsert, dmlConflict, dmlUpsert, dmlUpdateDelete, selectJoin,
         selectSubquery, selectClauses, semantics, functions, transactions, pragmas, literalReuse]
    }

    static let all: [CaseFile] = handWritten + GeneratedCases.families

    static var familyNames: [String] { all.map(\.name) }

    static func family(_ name: String) -> CaseFile? { all.first { $0.name == name } }
}
