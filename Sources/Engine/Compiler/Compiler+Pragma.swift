// Compiler+Pragma: the PRAGMA statements (https://sqlite.org/pragma.html)
// swiftdb knows. Each runs as a native step that reads or sets connection or
// header state and yields sqlite3's rows and column names; an unknown pragma
// is silently ignored, as sqlite3 ignores it. Setting a value prints nothing,
// except for the pragmas that sqlite3 answers even when set (threads).

import Base
import Storage
import SQL

extension Compiler {
    /// Returns whether the pragma needs a Transaction opcode (pragmas that read or write the file do).
    func compilePragma(_ p: Pragma) throws(DBError) -> Bool {
        let schema = p.name.schema
        let name = foldName(p.name.name.name)
        if let schema, try databaseIndex(schema) == 1,
           !["table_info", "table_xinfo", "index_list", "index_info", "index_xinfo", "database_list"].contains(name) {
            throw DBError(.error, "PRAGMA temp.\(name) is not supported yet")
        }
        let connection = self.connection
        let value = pragmaValue(p.value)
        func rows(_ columns: [String], _ body: @escaping (VM) throws(DBError) -> [[Value]]) {
            emitNative("PRAGMA \(name)", columns: columns) { (vm: VM) throws(DBError) -> [[Value]]? in try body(vm) }
        }
        func headerPragma(_ offset: Int, signed: Bool) {
            if let v = value {
                writes = true
                let n = UInt32(truncatingIfNeeded: v.integerValue)
                emitNative("PRAGMA \(name)") { (_: VM) throws(DBError) -> [[Value]]? in
                    try connection.tree.setHeaderField(offset, n)
                    return nil
                }
            } else {
                rows([name]) { (_: VM) throws(DBError) -> [[Value]] in
                    let raw = try connection.tree.headerField(offset)
                    return [[.integer(signed ? Int64(Int32(bitPattern: raw)) : Int64(raw))]]
                }
            }
        }
        switch name {
        case "table_info", "table_xinfo":
            guard let v = p.value, let tableName = pragmaName(v) else { return false }
            let extended = name == "table_xinfo"
            let columns = extended ? ["cid", "name", "type", "notnull", "dflt_value", "pk", "hidden"]
                                   : ["cid", "name", "type", "notnull", "dflt_value", "pk"]
            guard let t = try findTable(tableName, schema: schema) else {
                rows(columns) { (_: VM) throws(DBError) -> [[Value]] in [] }
                return false
            }
            if let module = t.virtualModule { throw DBError(.error, "no such module: \(module)") }
            let viewColumns = t.isView ? try viewColumns(t) : nil
            rows(columns) { (_: VM) throws(DBError) -> [[Value]] in
                if let viewColumns {
                    return viewColumns.names.enumerated().map { i, n in
                        let type = i < viewColumns.declaredTypes.count ? viewColumns.declaredTypes[i] ?? "" : ""
                        var r: [Value] = [.integer(Int64(i)), .text(n), .text(type), .integer(0), .null, .integer(0)]
                        if extended { r.append(.integer(0)) }
                        return r
                    }
                }
                // table_info leaves out hidden and generated columns and numbers the others from 0 (pragma.c,
                // COLFLAG_NOINSERT); table_xinfo shows every column with its own number.
                var hidden = 0
                return t.columns.enumerated().compactMap { i, c in
                    if (c.isHidden || c.generated != nil) && !extended {
                        hidden += 1
                        return nil
                    }
                    var r: [Value] = [.integer(Int64(i - hidden)), .text(c.name), .text(c.declaredType), .integer(c.notNull ? 1 : 0),
                                      c.defaultText.map { .text($0) } ?? .null, .integer(Int64(c.primaryKeyPosition))]
                    if extended { r.append(.integer(c.generated == nil ? 0 : (c.generated!.1 == .stored ? 3 : 2))) }
                    return r
                }
            }
        case "index_list":
            guard let v = p.value, let tableName = pragmaName(v) else { return false }
            let columns = ["seq", "name", "unique", "origin", "partial"]
            guard let t = try findTable(tableName, schema: schema) else {
                rows(columns) { (_: VM) throws(DBError) -> [[Value]] in [] }
                return false
            }
            rows(columns) { (_: VM) throws(DBError) -> [[Value]] in
                t.indexes.reversed().enumerated().map { seq, index in
                    [.integer(Int64(seq)), .text(index.name), .integer(index.unique ? 1 : 0), .text(index.origin.rawValue),
                     .integer(index.whereClause == nil ? 0 : 1)]
                }
            }
        case "index_info", "index_xinfo":
            guard let v = p.value, let indexName = pragmaName(v) else { return false }
            let extended = name == "index_xinfo"
            let columns = extended ? ["seqno", "cid", "name", "desc", "coll", "key"] : ["seqno", "cid", "name"]
            guard let index = try findIndex(indexName, schema: schema) else {
                rows(columns) { (_: VM) throws(DBError) -> [[Value]] in [] }
                return false
            }
            rows(columns) { (_: VM) throws(DBError) -> [[Value]] in
                var all = extended ? index.recordColumns : index.columns
                let t = index.table
                if extended && t.withoutRowid && index.origin == .primaryKey {
                    // The primary key's record holds the other stored columns after the key (BINARY, ascending:
                    // convertToWithoutRowidTable).
                    for c in t.storedColumns where !t.primaryKey.contains(c) {
                        all.append(IndexColumn(source: .column(c), collation: .binary, descending: false))
                    }
                }
                return all.enumerated().map { seq, c in
                    var cid: Int64 = -1
                    var cname: Value = .null
                    switch c.source {
                    case .column(let i):
                        cid = Int64(i)
                        cname = .text(index.table.columns[i].name)
                    case .rowid: cid = -1
                    case .expression: cid = -2
                    }
                    var r: [Value] = [.integer(Int64(seq)), .integer(cid), cname]
                    if extended {
                        r += [.integer(c.descending ? 1 : 0), .text(c.collation.name), .integer(seq < index.columns.count ? 1 : 0)]
                    }
                    return r
                }
            }
        case "page_size":
            if let v = value {
                let size = Int(v.integerValue)
                emitNative("PRAGMA page_size") { (_: VM) throws(DBError) -> [[Value]]? in
                    if connection.pager.pageCount == 0 {
                        connection.pager.setPageSizeOfEmptyDatabase(size)
                    } else if size >= 512 && size <= 65536 && size & (size - 1) == 0 {
                        connection.pendingVacuumPageSize = size
                    }
                    return nil
                }
                return false
            }
            rows(["page_size"]) { (_: VM) throws(DBError) -> [[Value]] in [[.integer(Int64(connection.pager.pageSize))]] }
        case "page_count":
            rows(["page_count"]) { (_: VM) throws(DBError) -> [[Value]] in [[.integer(Int64(connection.pager.pageCount))]] }
        case "freelist_count":
            rows(["freelist_count"]) { (_: VM) throws(DBError) -> [[Value]] in
                [[.integer(Int64(try connection.tree.headerField(HeaderOffset.freelistCount)))]]
            }
        case "cache_size":
            if let v = value {
                let n = Int(v.integerValue)
                emitNative("PRAGMA cache_size") { (_: VM) throws(DBError) -> [[Value]]? in
                    connection.pager.cacheSize = n
                    connection.cacheSizeChosen = true
                    return nil
                }
                return false
            }
            rows(["cache_size"]) { (_: VM) throws(DBError) -> [[Value]] in [[.integer(Int64(connection.pager.cacheSize))]] }
        case "default_cache_size":
            // pragma.c's PragTyp_DEFAULT_CACHE_SIZE (deprecated, still answered): the header's suggested cache
            // size (offset 48), read as its absolute value or -2000 when 0; set as |N|, which is also the
            // connection's cache size from then on.
            if let v = value {
                writes = true
                let raw = Int32(truncatingIfNeeded: v.integerValue)
                let size = raw == Int32.min ? Int32.max : abs(raw)
                emitNative("PRAGMA default_cache_size") { (_: VM) throws(DBError) -> [[Value]]? in
                    try connection.tree.setHeaderField(HeaderOffset.defaultCacheSize, UInt32(size))
                    connection.pager.cacheSize = Int(size)
                    connection.cacheSizeChosen = true
                    return nil
                }
                return true
            }
            rows(["cache_size"]) { (_: VM) throws(DBError) -> [[Value]] in
                [[.integer(Connection.defaultCacheSize(headerValue: try connection.tree.headerField(HeaderOffset.defaultCacheSize)))]]
            }
        case "user_version": headerPragma(HeaderOffset.userVersion, signed: true)
        case "application_id": headerPragma(HeaderOffset.applicationID, signed: true)
        case "schema_version":
            if value != nil { throw DBError(.error, "setting schema_version is not supported") }
            headerPragma(HeaderOffset.schemaCookie, signed: true)
        case "encoding":
            if let v = p.value, let e = pragmaName(v) {
                let enc: TextEncoding? = namesMatch(e, "UTF-8") || namesMatch(e, "UTF8") ? .utf8
                    : (namesMatch(e, "UTF-16le") ? .utf16le : (namesMatch(e, "UTF-16be") ? .utf16be
                    : (namesMatch(e, "UTF-16") || namesMatch(e, "UTF16") ? .utf16le : nil)))
                guard let enc else { throw DBError(.error, "unsupported encoding: \(e)") }
                emitNative("PRAGMA encoding") { (_: VM) throws(DBError) -> [[Value]]? in
                    if connection.pager.pageCount == 0 { connection.tree.setEncodingOfEmptyDatabase(enc) }
                    return nil
                }
                return false
            }
            rows(["encoding"]) { (_: VM) throws(DBError) -> [[Value]] in [[.text(connection.tree.encoding.name)]] }
        case "foreign_keys":
            if let v = value {
                let on = v.truthValue(ifNull: false)
                emitNative("PRAGMA foreign_keys") { (_: VM) throws(DBError) -> [[Value]]? in
                    connection.foreignKeys = on
                    return nil
                }
                return false
            }
            rows(["foreign_keys"]) { (_: VM) throws(DBError) -> [[Value]] in [[.integer(connection.foreignKeys ? 1 : 0)]] }
        case "journal_mode":
            // An unknown mode name leaves the mode as it is; the result is always the mode in force.
            let requested = p.value.flatMap { pragmaName($0) }.flatMap { JournalMode(rawValue: $0.lowercased()) }
            rows(["journal_mode"]) { (_: VM) throws(DBError) -> [[Value]] in
                if let requested { return [[.text(try connection.setJournalMode(requested).rawValue)]] }
                return [[.text(connection.pager.journalMode.rawValue)]]
            }
        case "wal_checkpoint":
            let mode = p.value.flatMap { pragmaName($0) }.flatMap { CheckpointMode(rawValue: $0.lowercased()) } ?? .passive
            rows(["busy", "log", "checkpointed"]) { (_: VM) throws(DBError) -> [[Value]] in
                if connection.pager.inWriteTransaction {
                    throw DBError(.locked, "database table is locked")
                }
                let (busy, log, done) = try connection.pager.checkpoint(mode)
                return [[.integer(Int64(busy)), .integer(Int64(log)), .integer(Int64(done))]]
            }
        case "wal_autocheckpoint":
            let n = value.map { Int(max(0, $0.integerValue)) }
            rows(["wal_autocheckpoint"]) { (_: VM) throws(DBError) -> [[Value]] in
                if let n { connection.pager.walAutoCheckpoint = n }
                return [[.integer(Int64(connection.pager.walAutoCheckpoint))]]
            }
        case "journal_size_limit":
            let limit = value.map { max(-1, $0.integerValue) }
            rows(["journal_size_limit"]) { (_: VM) throws(DBError) -> [[Value]] in
                if let limit { connection.pager.journalSizeLimit = limit }
                return [[.integer(connection.pager.journalSizeLimit)]]
            }
        case "synchronous":
            if let v = value {
                let level = synchronousLevel(v)
                emitNative("PRAGMA synchronous") { (_: VM) throws(DBError) -> [[Value]]? in
                    if let level { connection.synchronous = level }
                    return nil
                }
                return false
            }
            rows(["synchronous"]) { (_: VM) throws(DBError) -> [[Value]] in [[.integer(Int64(connection.synchronous.rawValue))]] }
        case "busy_timeout":
            if let v = value { connection.busyTimeout = max(0, Int(v.integerValue)) }
            rows(["timeout"]) { (_: VM) throws(DBError) -> [[Value]] in [[.integer(Int64(connection.busyTimeout))]] }
        case "temp_store":
            if let v = value {
                let level = tempStoreLevel(v)
                emitNative("PRAGMA temp_store") { (_: VM) throws(DBError) -> [[Value]]? in
                    if let level { connection.tempStore = level }
                    return nil
                }
                return false
            }
            rows(["temp_store"]) { (_: VM) throws(DBError) -> [[Value]] in [[.integer(Int64(connection.tempStore))]] }
        case "io_backend":
            // swiftdb's own (read-only): the connection's IO back-end and why it was chosen.
            if value != nil { return false }
            rows(["io_backend", "reason"]) { (_: VM) throws(DBError) -> [[Value]] in
                [[.text(connection.pager.io?.name ?? "memory"), .text(connection.ioBackendReason)]]
            }
            return false
        case "threads":
            rows(["threads"]) { (_: VM) throws(DBError) -> [[Value]] in [[.integer(0)]] }
        case "database_list":
            rows(["seq", "name", "file"]) { (_: VM) throws(DBError) -> [[Value]] in
                // The temp database is listed once something has been written to it (sqlite3 lists it
                // once its b-tree file is open).
                var list: [[Value]] = [[.integer(0), .text("main"), .text(connection.pager.isMemory ? "" : connection.pager.path)]]
                if let temp = connection.temp, temp.pager.pageCount > 0 { list.append([.integer(1), .text("temp"), .text("")]) }
                return list
            }
        case "auto_vacuum":
            if let v = value {
                let mode = autoVacuumMode(v)
                emitNative("PRAGMA auto_vacuum") { (_: VM) throws(DBError) -> [[Value]]? in
                    guard let mode else { return nil }
                    if connection.pager.pageCount == 0 {
                        connection.tree.setAutoVacuumOfEmptyDatabase(mode)
                    } else {
                        connection.pendingVacuumAutoVacuum = mode
                    }
                    return nil
                }
                return false
            }
            rows(["auto_vacuum"]) { (_: VM) throws(DBError) -> [[Value]] in
                [[.integer(connection.tree.autoVacuum ? (connection.tree.incrementalVacuum ? 2 : 1) : 0)]]
            }
        case "incremental_vacuum":
            writes = true
            let limit = value.map { Int($0.integerValue) }
            emitNative("PRAGMA incremental_vacuum") { (vm: VM) throws(DBError) -> [[Value]]? in
                guard connection.tree.incrementalVacuum else { return nil }
                try connection.tree.vacuumFreePages(limit: (limit ?? 0) > 0 ? limit : nil)
                return nil
            }
        case "case_sensitive_like":
            if let v = value {
                let on = v.truthValue(ifNull: false)
                emitNative("PRAGMA case_sensitive_like") { (_: VM) throws(DBError) -> [[Value]]? in
                    connection.setCaseSensitiveLike(on)
                    return nil
                }
            }
            return false
        case "writable_schema":
            if let v = value {
                // RESET also reads the schema again (pragma.c).
                let reset = v.textString.map { namesMatch($0, "reset") } ?? false
                let on = !reset && v.truthValue(ifNull: false)
                emitNative("PRAGMA writable_schema") { (_: VM) throws(DBError) -> [[Value]]? in
                    connection.writableSchema = on
                    if reset { connection.invalidateCatalog() }
                    return nil
                }
                return false
            }
            rows(["writable_schema"]) { (_: VM) throws(DBError) -> [[Value]] in
                [[.integer(connection.writableSchema ? 1 : 0)]]
            }
        case "ignore_check_constraints":
            if let v = value {
                let on = v.truthValue(ifNull: false)
                emitNative("PRAGMA ignore_check_constraints") { (_: VM) throws(DBError) -> [[Value]]? in
                    connection.ignoreCheckConstraints = on
                    return nil
                }
                return false
            }
            rows(["ignore_check_constraints"]) { (_: VM) throws(DBError) -> [[Value]] in
                [[.integer(connection.ignoreCheckConstraints ? 1 : 0)]]
            }
        case "recursive_triggers":
            // Triggers are compiled inline into the statement, so one cannot fire itself: turning recursive
            // triggers on is refused rather than ignored (a REPLACE would skip the DELETE triggers sqlite3 fires).
            if let v = value {
                if v.truthValue(ifNull: false) {
                    throw DBError(.error, "PRAGMA recursive_triggers = ON is not supported yet")
                }
                return false
            }
            rows(["recursive_triggers"]) { (_: VM) throws(DBError) -> [[Value]] in [[.integer(0)]] }
        case "integrity_check", "quick_check":
            var limit = 100
            if let v = value, case .integer(let n) = v, n > 0 { limit = Int(n) }
            let quick = name == "quick_check"
            rows([name]) { (_: VM) throws(DBError) -> [[Value]] in
                try connection.integrityCheck(maxErrors: limit, quick: quick).map { [.text($0)] }
            }
        case "collation_list":
            rows(["seq", "name"]) { (_: VM) throws(DBError) -> [[Value]] in
                [[.integer(0), .text("RTRIM")], [.integer(1), .text("NOCASE")], [.integer(2), .text("BINARY")]]
            }
        default:
            return false
        }
        return true
    }

    private func pragmaValue(_ v: Pragma.Value?) -> Value? {
        guard let v else { return nil }
        switch v {
        case .number(let n, let negative):
            if n.kind == .real { return NumericLiteralConversion.real(n.text, negated: negative) }
            return (try? NumericLiteralConversion.integer(n.text, negated: negative)) ?? .integer(0)
        case .name(let id):
            let lower = id.name.lowercased()
            switch lower {
            case "on", "yes", "true": return .integer(1)
            case "off", "no", "false": return .integer(0)
            default: return .text(Array(id.name.utf8))
            }
        case .keyword(let k):
            let lower = k.lowercased()
            if lower == "on" { return .integer(1) }
            return .text(Array(k.utf8))
        }
    }

    private func pragmaName(_ v: Pragma.Value) -> String? {
        switch v {
        case .name(let id): return id.name
        case .keyword(let k): return k
        case .number(let n, _): return n.text
        }
    }

    /// PRAGMA temp_store's argument (sqlite3's getTempStore): 0/DEFAULT, 1/FILE, 2/MEMORY.
    private func tempStoreLevel(_ v: Value) -> Int? {
        if case .text(let t) = v {
            switch String(decoding: t, as: UTF8.self).lowercased() {
            case "default": return 0
            case "file": return 1
            case "memory": return 2
            default: if let n = Int(String(decoding: t, as: UTF8.self)) { return (0...2).contains(n) ? n : 0 }
            }
            return 0
        }
        let n = Int(v.integerValue)
        return (0...2).contains(n) ? n : 0
    }

    private func synchronousLevel(_ v: Value) -> SynchronousMode? {
        if case .text(let t) = v {
            switch String(decoding: t, as: UTF8.self).lowercased() {
            case "off": return .off
            case "normal": return .normal
            case "full": return .full
            case "extra": return .extra
            // sqlite3's getSafetyLevel: a leading digit is a number, anything else unknown is NORMAL.
            default: return Int(String(decoding: t, as: UTF8.self)).flatMap { SynchronousMode(rawValue: $0 & 3) }
                ?? .normal
            }
        }
        return SynchronousMode(rawValue: Int(v.integerValue) & 3)
    }

    private func autoVacuumMode(_ v: Value) -> Int? {
        if case .text(let t) = v {
            switch String(decoding: t, as: UTF8.self).lowercased() {
            case "none": return 0
            case "full": return 1
            case "incremental": return 2
            default: return nil
            }
        }
        let n = Int(v.integerValue)
        return n >= 0 && n <= 2 ? n : nil
    }

    /// The column names of a view (its SELECT compiled on the side, never run).
    func viewColumnNames(_ view: Table) throws(DBError) -> [String] {
        if let names = view.viewColumnNames { return names }
        return try viewColumns(view).names
    }

    /// A view's column names and declared types: a column that reads a table column (through subqueries and
    /// views) has that column's declared type (select.c, sqlite3SelectAddColumnTypeAndCollation's columnType).
    func viewColumns(_ view: Table) throws(DBError) -> (names: [String], declaredTypes: [String?]) {
        guard let s = view.viewSelect else { return (view.viewColumnNames ?? [], []) }
        let side = Compiler(connection: connection, catalog: catalog, tempCatalog: tempCatalog, source: Array(view.sql.utf8))
        side.schemaObjectDatabases = [view.database]
        let info = try side.compileSelect(s, parent: nil, destination: .callback { (_: Int32) throws(DBError) in })
        return (view.viewColumnNames ?? info.names, info.declaredTypes)
    }

    func compileAnalyze(_ target: QualifiedName?) throws(DBError) {
        writes = true
        var only: Set<String>?
        var onlyIndex: String?
        if let target {
            let name = target.name.name
            if let t = try catalog.table(name) {
                only = [foldName(t.name)]
            } else if let i = try catalog.index(name) {
                only = [foldName(i.table.name)]
                onlyIndex = i.name
            } else if target.schema == nil && (namesMatch(name, "main") || namesMatch(name, "temp")) {
                only = nil
            } else {
                throw DBError(.error, "no such table: \(target)")
            }
        }
        let connection = self.connection
        emitNative("ANALYZE") { (vm: VM) throws(DBError) -> [[Value]]? in
            try connection.analyze(only: only, onlyIndex: onlyIndex)
            vm.changedSchema = true
            return nil
        }
    }

    func compileVacuum(_ v: Vacuum) throws(DBError) {
        if let s = v.schema { _ = try databaseIndex(s) }
        if v.into != nil { throw DBError(.error, "VACUUM INTO is not supported yet") }
        // The rebuild runs its own transactions (Connection+Vacuum.swift), outside the statement's.
        writes = true
        let connection = self.connection
        emitNative("VACUUM") { (_: VM) throws(DBError) -> [[Value]]? in
            try connection.vacuum()
            return nil
        }
    }

    func compileReindex(_ target: QualifiedName?) throws(DBError) {
        if let target {
            let name = target.name.name
            if Collation(name: name) == nil, try !catalog.hasTableOrIndex(name) {
                throw DBError(.error, "unable to identify the object to be reindexed")
            }
        }
        // Indexes are always kept in order with the built-in collations, which never change: nothing to rebuild.
        emitNative("REINDEX") { (_: VM) throws(DBError) -> [[Value]]? in nil }
    }
}
