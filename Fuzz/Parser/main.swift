// libFuzzer entry for the SQL front end (Sources/SQL): arbitrary bytes in.
//
// For every input: split it into statements as the shell does (parse, and after
// an error go on after the next ';'), and for every statement that parses, render
// it, parse the rendering and require the same AST, hash it, and compute its
// stored schema text; also run the completeness check. A crash, a hang, a stack
// overflow or a round-trip difference is a finding (a rendering that only exceeds
// the parser-stack limit is not: see check). Built and run by run.sh.

import SQL

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = Parser.isComplete(bytes)
    var parser = Parser(bytes)
    var offset = 0
    var rounds = 0
    while offset <= bytes.count && rounds < 1000 {
        rounds += 1
        do {
            let (statement, next) = try parser.parseStatement(at: offset)
            guard let statement else { break }
            check(statement, source: bytes)
            if next <= offset { fatalError("no progress at \(offset)") }
            offset = next
        } catch {
            guard let semicolon = bytes[min(error.position, bytes.count)...].firstIndex(of: UInt8(ascii: ";")) else {
                break
            }
            offset = semicolon + 1
        }
    }
    return 0
}

func check(_ statement: Statement, source: [UInt8]) {
    let rendered = ASTPrinter.sql(for: statement)
    do {
        let again = try Parser.parseAll(rendered)
        if again != [statement] {
            fatalError("round trip differs: \(String(decoding: rendered, as: UTF8.self))")
        }
    } catch where error.message == "parser stack overflow" {
        // The printer parenthesizes operands that the original text left to precedence (`x NOTNULL + y`
        // is `(x NOTNULL) + y`), so a statement near SQLite's parser-stack limit (YYSTACKDEPTH) may render
        // past it. The limit is a documented one, not a printing error; everything else must round-trip.
    } catch {
        fatalError("rendering does not parse: \(error.message): \(String(decoding: rendered, as: UTF8.self))")
    }
    var hasher = Hasher()
    statement.hash(into: &hasher)
    _ = hasher.finalize()
    _ = statement.schemaSQL(in: source)
}
