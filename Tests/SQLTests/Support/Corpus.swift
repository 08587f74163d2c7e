// Corpus: the SQL of the shared test corpora, cut the way it is fed to SQLite.
//
// sqllogictest files (https://sqlite.org/sqllogictest, format as in
// shared/tools/slt_run.py): the SQL of each `statement` and `query` record,
// including records skipped for the "sqlite" engine (parsed, never executed).
// speedtest1 scripts: chunks as the sqlite3 CLI cuts its input, lines gathered
// until one with a ';' leaves the buffer sqlite3_complete.

import CSQLite3
import Foundation

/// One piece of SQL handed to sqlite3_prepare_v2 (and our parser) as a unit.
struct CorpusChunk {
    var sql: [UInt8]
    /// Whether the oracle steps its statements to build state for later chunks.
    var execute: Bool
    /// file:line, for messages.
    var location: String
}

enum Corpus {
    /// `shared/`, found by walking up from this file (or $SWIFTDB_SHARED).
    static let sharedDirectory: URL? = {
        if let path = ProcessInfo.processInfo.environment["SWIFTDB_SHARED"] {
            return URL(fileURLWithPath: path)
        }
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<8 {
            let candidate = url.appendingPathComponent("shared/sqllogictest")
            if FileManager.default.fileExists(atPath: candidate.path) {
                return url.appendingPathComponent("shared")
            }
            url.deleteLastPathComponent()
        }
        return nil
    }()

    static var isAvailable: Bool { sharedDirectory != nil }

    /// True when the whole corpora should be parsed ($SWIFTDB_FULL_CORPUS=1).
    static var isFull: Bool { ProcessInfo.processInfo.environment["SWIFTDB_FULL_CORPUS"] == "1" }

    static func sqllogictestFiles() -> [URL] {
        guard let root = sharedDirectory?.appendingPathComponent("sqllogictest") else { return [] }
        let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        var files: [URL] = []
        while let url = walker?.nextObject() as? URL {
            if url.pathExtension == "test" { files.append(url) }
        }
        return files.sorted { $0.path < $1.path }
    }

    static func speedtestFiles() -> [URL] {
        guard let root = sharedDirectory?.appendingPathComponent("bench/speedtest1") else { return [] }
        return ["cte", "trigger", "orm", "fp", "main"].map { root.appendingPathComponent("\($0).sql") }
    }

    /// The file's lines, without their "\n" or "\r\n" (split on bytes: in Swift "\r\n" is
    /// one Character).
    static func lines(of url: URL) -> [Substring] {
        guard let data = FileManager.default.contents(atPath: url.path) else { return [] }
        return [UInt8](data).split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            let trimmed = line.last == 0x0D ? line.dropLast() : line
            return Substring(String(decoding: trimmed, as: UTF8.self))
        }
    }

    /// The SQL of every statement/query record of a sqllogictest file.
    static func sqllogictestChunks(_ url: URL) -> [CorpusChunk] {
        let lines = lines(of: url)
        var chunks: [CorpusChunk] = []
        var i = 0
        let name = url.lastPathComponent
        func isBlank(_ line: Substring) -> Bool { line.allSatisfy { $0 == " " || $0 == "\t" } }
        while i < lines.count {
            if isBlank(lines[i]) || lines[i].hasPrefix("#") {
                i += 1
                continue
            }
            var skipped = false
            while lines[i].hasPrefix("skipif ") || lines[i].hasPrefix("onlyif ") {
                let engine = lines[i].split(separator: " ").dropFirst().first.map { $0.lowercased() } ?? ""
                if lines[i].hasPrefix("skipif ") ? engine == "sqlite" : engine != "sqlite" { skipped = true }
                i += 1
            }
            let header = lines[i]
            let start = i + 1
            i += 1
            guard header.hasPrefix("statement") || header.hasPrefix("query") else {
                if header.hasPrefix("halt") && !skipped { break }
                continue
            }
            var sqlLines: [Substring] = []
            while i < lines.count && !isBlank(lines[i]) && lines[i] != "----" {
                if !lines[i].hasPrefix("#") { sqlLines.append(lines[i]) }
                i += 1
            }
            while i < lines.count && !isBlank(lines[i]) { i += 1 }
            let sql = Array(sqlLines.joined(separator: "\n").utf8)
            chunks.append(CorpusChunk(sql: sql, execute: !skipped && header.hasPrefix("statement"),
                                      location: "\(name):\(start)"))
        }
        return chunks
    }

    /// A script cut into the pieces the sqlite3 CLI would prepare.
    static func scriptChunks(_ url: URL) -> [CorpusChunk] {
        guard let data = FileManager.default.contents(atPath: url.path) else { return [] }
        let bytes = [UInt8](data)
        var chunks: [CorpusChunk] = []
        var buffer: [UInt8] = []
        var lineStart = 0
        var lineNumber = 0
        var chunkLine = 1
        let name = url.lastPathComponent
        while lineStart < bytes.count {
            let lineEnd = bytes[lineStart...].firstIndex(of: 0x0A) ?? bytes.count
            lineNumber += 1
            if buffer.isEmpty { chunkLine = lineNumber }
            buffer.append(contentsOf: bytes[lineStart..<lineEnd])
            buffer.append(0x0A)
            if bytes[lineStart..<lineEnd].contains(UInt8(ascii: ";")) && isComplete(buffer) {
                chunks.append(CorpusChunk(sql: buffer, execute: true, location: "\(name):\(chunkLine)"))
                buffer.removeAll(keepingCapacity: true)
            }
            lineStart = lineEnd + 1
        }
        if buffer.contains(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x09 }) {
            chunks.append(CorpusChunk(sql: buffer, execute: true, location: "\(name):\(chunkLine)"))
        }
        return chunks
    }

    static func isComplete(_ sql: [UInt8]) -> Bool {
        (sql + [0]).withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { sqlite3_complete($0) != 0 }
        }
    }
}
