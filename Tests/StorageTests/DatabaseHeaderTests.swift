// The 100-byte header: written as sqlite3 writes it, and anything that is not
// a database is SQLITE_NOTADB.
import Testing
import Base
@testable import Storage

@Suite struct DatabaseHeaderTests {
    func decode(_ bytes: [UInt8]) throws(DBError) -> DatabaseHeader {
        try typedThrows { try bytes.withUnsafeBytes { try DatabaseHeader(decoding: $0.baseAddress!, count: $0.count) } }
    }

    @Test func encodeThenDecodeIsIdentity() throws {
        var h = DatabaseHeader(pageSize: 65536, reservedBytes: 8, encoding: .utf16be, autoVacuum: true, incrementalVacuum: true)
        h.userVersion = -7
        h.applicationID = 0x1234_5678
        h.schemaCookie = 42
        var bytes = [UInt8](repeating: 0, count: 100)
        bytes.withUnsafeMutableBytes { h.encode(into: $0.baseAddress!) }
        #expect(bytes[16] == 0 && bytes[17] == 1)  // 65536 is stored as 1
        let back = try decode(bytes)
        #expect(back == h)
        #expect(back.usableSize == 65528)
        #expect(back.isAutoVacuum)
    }

    @Test func notADatabase() {
        var good = [UInt8](repeating: 0, count: 100)
        good.withUnsafeMutableBytes { DatabaseHeader().encode(into: $0.baseAddress!) }
        var cases: [[UInt8]] = [Array("Hello, this is not a database file at all, no not at all........................................".utf8)]
        var badMagic = good; badMagic[0] = 0x73; cases.append(badMagic)
        var badSize = good; badSize[16] = 0x03; badSize[17] = 0x00; cases.append(badSize)  // 768: not a power of two
        var tiny = good; tiny[16] = 0x01; tiny[17] = 0x00; cases.append(tiny)  // 256
        var fraction = good; fraction[21] = 65; cases.append(fraction)
        var reserved = good; reserved[16] = 0x02; reserved[17] = 0x00; reserved[20] = 40; cases.append(reserved)
        var readVersion = good; readVersion[19] = 3; cases.append(readVersion)
        cases.append(Array(good[0..<50]))
        for c in cases {
            do {
                _ = try decode(c)
                Issue.record("accepted a bad header")
            } catch {
                #expect(error.code == .notadb)
                #expect(error.message == "file is not a database")
            }
        }
    }
}
