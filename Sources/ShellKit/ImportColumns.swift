// ImportColumns: the column list of the table `.import` creates from the
// first row of its input, as sqlite3 3.40.1's shell forms it (shell.c.in:
// zAutoColumn, in its default "minimal one pass" renaming): every column is
// TEXT, an empty name becomes "?", and names that equal another one (ignoring
// ASCII case) get "_" and their position, with leading zeros added until no
// two names collide — checked with the position padded to the digits of the
// column count, though the suffix finally written is not padded (so sqlite3 can
// still produce a duplicate, which then fails as CREATE TABLE does).

import Base

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct ImportColumns {
    /// "(\n"a" TEXT, "b" TEXT, …)": four columns to a line.
    let definitions: [UInt8]
    /// The renames, one `"old" to "new"` a line, or nil when no name was repeated.
    let renames: [UInt8]?

    /// The columns for `names` (the fields of the first row); nil when there are none.
    init?(names fields: [[UInt8]]) {
        guard !fields.isEmpty else { return nil }
        let names = fields.map { $0.isEmpty ? [UInt8(ascii: "?")] : $0 }
        var counts: [[UInt8]: Int] = [:]
        for name in names { counts[folded(name), default: 0] += 1 }
        let repeated = names.map { counts[folded($0)]! > 1 }
        var suffixes = [[UInt8]](repeating: [], count: names.count)
        if repeated.contains(true) {
            // The number of leading zeros that makes every candidate name distinct; candidates are
            // compared with the position printed to as many digits as the column count has.
            let digits = Int(ceil(log10(Double(names.count) + 0.5)))
            func candidate(_ i: Int, zeros: Int) -> [UInt8] {
                guard repeated[i] else { return names[i] }
                let position = String(i + 1)
                let padding = String(repeating: "0", count: zeros + max(0, digits - position.count))
                return names[i] + Array(("_" + padding + position).utf8)
            }
            var zeros = 0
            while true {
                let candidates = Set(names.indices.map { folded(candidate($0, zeros: zeros)) })
                if candidates.count == names.count { break }
                zeros += 1
            }
            for i in names.indices where repeated[i] {
                suffixes[i] = Array(("_" + String(repeating: "0", count: zeros) + String(i + 1)).utf8)
            }
        }
        var definitions: [UInt8] = Array("(\n".utf8)
        var renames: [UInt8] = []
        for i in names.indices {
            if i > 0 { definitions += Array((i % 4 == 0 ? ",\n " : ", ").utf8) }
            let newName = names[i] + suffixes[i]
            definitions += quotedName(newName) + Array(" TEXT".utf8)
            if !suffixes[i].isEmpty {
                if !renames.isEmpty { renames += Array(",\n".utf8) }
                renames += quotedName(names[i]) + Array(" to ".utf8) + quotedName(newName)
            }
        }
        definitions.append(UInt8(ascii: ")"))
        self.definitions = definitions
        self.renames = repeated.contains(true) ? renames : nil
    }
}

/// "name" with quotes doubled (printf's %w inside double quotes).
func quotedName(_ name: [UInt8]) -> [UInt8] {
    var q: [UInt8] = [0x22]
    for c in name {
        q.append(c)
        if c == 0x22 { q.append(0x22) }
    }
    q.append(0x22)
    return q
}

/// A name as NOCASE compares it: only ASCII letters fold.
private func folded(_ name: [UInt8]) -> [UInt8] { name.map(asciiLower) }
