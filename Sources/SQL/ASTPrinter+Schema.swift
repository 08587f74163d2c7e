// ASTPrinter+Schema: CREATE TABLE/INDEX/VIEW/TRIGGER/VIRTUAL TABLE, DROP, ALTER.
//
// Type names and virtual-table arguments are written as their source text. A
// DEFAULT expression is written bare when it is a literal or a signed literal
// (what parse.y's `term` allows) and in parentheses otherwise. Table constraints
// keep whether a comma separated them (it decides which constraints a
// CONSTRAINT name applies to).

extension ASTPrinter {
    mutating func writeCreate(_ keyword: String, temporary: Bool, ifNotExists: Bool, name: QualifiedName) {
        emit(temporary ? "CREATE TEMP " : "CREATE ")
        emit(keyword)
        emit(ifNotExists ? " IF NOT EXISTS " : " ")
        write(name)
    }

    mutating func write(_ create: CreateTable) {
        writeCreate("TABLE", temporary: create.temporary, ifNotExists: create.ifNotExists, name: create.name)
        switch create.body {
        case .select(let select):
            emit(" AS ")
            write(select)
        case .definition(let definition): write(definition)
        }
    }

    mutating func write(_ definition: TableDefinition) {
        emit("(")
        list(definition.columns) { $0.write($1) }
        for constraint in definition.constraints {
            emit(constraint.afterComma ? ", " : " ")
            write(constraint.kind)
        }
        emit(")")
        if definition.withoutRowID { emit(" WITHOUT ROWID") }
        if definition.strict { emit(definition.withoutRowID ? ", STRICT" : " STRICT") }
    }

    mutating func write(_ column: ColumnDefinition) {
        write(column.name)
        if let type = column.type {
            emit(" ")
            emit(type.text)
        }
        for constraint in column.constraints {
            emit(" ")
            write(constraint)
        }
    }

    mutating func writeOnConflict(_ resolution: ConflictResolution?) {
        if let resolution {
            emit(" ON CONFLICT ")
            emit(ASTPrinter.spelling(of: resolution))
        }
    }

    mutating func write(_ constraint: ColumnConstraint) {
        switch constraint {
        case .name(let name):
            emit("CONSTRAINT ")
            write(name)
        case .primaryKey(let order, let onConflict, let autoincrement):
            emit("PRIMARY KEY")
            if let order { emit(order == .ascending ? " ASC" : " DESC") }
            writeOnConflict(onConflict)
            if autoincrement { emit(" AUTOINCREMENT") }
        case .notNull(let onConflict):
            emit("NOT NULL")
            writeOnConflict(onConflict)
        case .null(let onConflict):
            emit("NULL")
            writeOnConflict(onConflict)
        case .unique(let onConflict):
            emit("UNIQUE")
            writeOnConflict(onConflict)
        case .check(let expr, _):
            emit("CHECK (")
            write(expr)
            emit(")")
        case .defaultValue(let value, _):
            emit("DEFAULT ")
            write(value)
        case .collate(let name):
            emit("COLLATE ")
            write(name)
        case .references(let clause): write(clause)
        case .deferrable(let deferrability): write(deferrability)
        case .generated(let expr, let storage):
            emit("AS (")
            write(expr)
            emit(")")
            switch storage {
            case .stored: emit(" STORED")
            case .virtual: emit(" VIRTUAL")
            case nil: break
            }
        }
    }

    mutating func write(_ value: DefaultValue) {
        switch value {
        case .identifier(let name): write(name)
        case .expression(let expr):
            if ASTPrinter.isTerm(expr) {
                write(expr)
            } else {
                emit("(")
                write(expr)
                emit(")")
            }
        }
    }

    /// A literal, or + or - applied to one: what DEFAULT takes without parentheses.
    static func isTerm(_ expr: Expr) -> Bool {
        switch expr.kind {
        case .literal: return true
        case .unary(let op, let operand):
            if op != .negate && op != .plus { return false }
            if case .literal = operand.kind { return true }
            return false
        default: return false
        }
    }

    mutating func write(_ clause: ForeignKeyClause) {
        emit("REFERENCES ")
        write(clause.table)
        if let columns = clause.columns {
            emit(" ")
            writeNames(columns)
        }
        for argument in clause.arguments {
            switch argument {
            case .onDelete(let action): emit(" ON DELETE ")
                emit(ASTPrinter.spelling(of: action))
            case .onUpdate(let action): emit(" ON UPDATE ")
                emit(ASTPrinter.spelling(of: action))
            case .onInsert(let action): emit(" ON INSERT ")
                emit(ASTPrinter.spelling(of: action))
            case .match(let name):
                emit(" MATCH ")
                write(name)
            }
        }
        if let deferrability = clause.deferrability {
            emit(" ")
            write(deferrability)
        }
    }

    static func spelling(of action: ForeignKeyClause.Action) -> String {
        switch action {
        case .setNull: return "SET NULL"
        case .setDefault: return "SET DEFAULT"
        case .cascade: return "CASCADE"
        case .restrict: return "RESTRICT"
        case .noAction: return "NO ACTION"
        }
    }

    mutating func write(_ deferrability: Deferrability) {
        emit(deferrability.not ? "NOT DEFERRABLE" : "DEFERRABLE")
        switch deferrability.initially {
        case .deferred: emit(" INITIALLY DEFERRED")
        case .immediate: emit(" INITIALLY IMMEDIATE")
        case nil: break
        }
    }

    mutating func write(_ constraint: TableConstraint.Kind) {
        switch constraint {
        case .name(let name):
            emit("CONSTRAINT ")
            write(name)
        case .primaryKey(let columns, let autoincrement, let onConflict):
            emit("PRIMARY KEY (")
            writeOrderingTerms(columns)
            emit(autoincrement ? " AUTOINCREMENT)" : ")")
            writeOnConflict(onConflict)
        case .unique(let columns, let onConflict):
            emit("UNIQUE (")
            writeOrderingTerms(columns)
            emit(")")
            writeOnConflict(onConflict)
        case .check(let expr, _, let onConflict):
            emit("CHECK (")
            write(expr)
            emit(")")
            writeOnConflict(onConflict)
        case .foreignKey(let columns, let clause):
            emit("FOREIGN KEY ")
            writeNames(columns)
            emit(" ")
            write(clause)
        }
    }

    mutating func write(_ create: CreateIndex) {
        emit(create.unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ")
        if create.ifNotExists { emit("IF NOT EXISTS ") }
        write(create.name)
        emit(" ON ")
        write(create.table)
        emit(" (")
        writeOrderingTerms(create.columns)
        emit(")")
        writeWhere(create.whereClause)
    }

    mutating func write(_ create: CreateView) {
        writeCreate("VIEW", temporary: create.temporary, ifNotExists: create.ifNotExists, name: create.name)
        if let columns = create.columns {
            emit(" ")
            writeNames(columns)
        }
        emit(" AS ")
        write(create.select)
    }

    mutating func write(_ create: CreateTrigger) {
        writeCreate("TRIGGER", temporary: create.temporary, ifNotExists: create.ifNotExists, name: create.name)
        switch create.timing {
        case .before: emit(" BEFORE")
        case .after: emit(" AFTER")
        case .insteadOf: emit(" INSTEAD OF")
        case nil: break
        }
        switch create.event {
        case .delete: emit(" DELETE")
        case .insert: emit(" INSERT")
        case .update(let columns):
            emit(" UPDATE")
            if let columns {
                emit(" OF ")
                list(columns) { $0.write($1) }
            }
        }
        emit(" ON ")
        write(create.table)
        if create.forEachRow { emit(" FOR EACH ROW") }
        if let when = create.when {
            emit(" WHEN ")
            write(when)
        }
        emit(" BEGIN ")
        for step in create.steps {
            switch step {
            case .update(let update): write(update)
            case .insert(let insert): write(insert)
            case .delete(let delete): write(delete)
            case .select(let select): write(select)
            }
            emit("; ")
        }
        emit("END")
    }

    mutating func write(_ create: CreateVirtualTable) {
        emit("CREATE VIRTUAL TABLE ")
        if create.ifNotExists { emit("IF NOT EXISTS ") }
        write(create.name)
        emit(" USING ")
        write(create.module)
        if let arguments = create.arguments {
            emit("(")
            list(arguments) { $0.emit($1) }
            emit(")")
        }
    }

    mutating func write(_ drop: Drop) {
        switch drop.kind {
        case .table: emit("DROP TABLE ")
        case .index: emit("DROP INDEX ")
        case .view: emit("DROP VIEW ")
        case .trigger: emit("DROP TRIGGER ")
        }
        if drop.ifExists { emit("IF EXISTS ") }
        write(drop.name)
    }

    mutating func write(_ alter: AlterTable) {
        emit("ALTER TABLE ")
        write(alter.table)
        switch alter.action {
        case .renameTable(let name):
            emit(" RENAME TO ")
            write(name)
        case .renameColumn(let old, let new):
            emit(" RENAME COLUMN ")
            write(old)
            emit(" TO ")
            write(new)
        case .addColumn(let column, _):
            emit(" ADD COLUMN ")
            write(column)
        case .dropColumn(let name):
            emit(" DROP COLUMN ")
            write(name)
        }
    }
}
