// The record format round-trips every value exactly, decodes columns lazily,
// and turns a malformed record into SQLITE_CORRUPT.
import Testing
import Base
@testable import Storage

@Suite struct RecordCodecTests {
    static let samples: [Value] = [
        .null, .integer(0), .integer(1), .integer(-1), .integer(127), .integer(-128), .integer(128),
        .integer(32767), .integer(-32768), .integer(32768), .integer(8_388_607), .integer(-8_388_608),
        .integer(8_388_608), .integer(2_147_483_647), .integer(-2_147_483_648), .integer(2_147_483_648),
        .integer(140_737_488_355_327), .integer(-140_737_488_355_328), .integer(140_737_488_355_328),
        .integer(.max), .integer(.min), .real(0.0), .real(-0.0), .real(1.5), .real(-1e308), .real(.infinity),
        .real(-.infinity), .real(Double.leastNonzeroMagnitude), .text(""), .text("abc"),
        .text([0xff, 0xfe, 0x00, 0x80]), .blob([]), .blob([0, 1, 2, 255]),
        .text(String(repeating: "x", count: 70)), .blob([UInt8](repeating: 7, count: 10_000)),
    ]

    @Test func everyValueRoundTrips() throws {
        let record = RecordEncoder.encode(Self.samples)
        let decoded = try record.withUnsafeBytes { try RecordReader($0.baseAddress!, size: $0.count).values() }
        #expect(decoded == Self.samples)
    }

    @Test func integersUseTheSmallestSerialType() {
        #expect(serialType(forInteger: 0).type == 8)
        #expect(serialType(forInteger: 1).type == 9)
        #expect(serialType(forInteger: 2).type == 1)
        #expect(serialType(forInteger: -129).type == 2)
        #expect(serialType(forInteger: 8_388_608).type == 4)
        #expect(serialType(forInteger: -140_737_488_355_329).type == 6)
        #expect(serialType(for: .text("ab")).type == 17)
        #expect(serialType(for: .blob([1, 2])).type == 16)
    }

    @Test func columnsDecodeLazilyAndMissingOnesAreNull() throws {
        let values: [Value] = [.integer(5), .text("hello"), .real(2.5)]
        let record = RecordEncoder.encode(values)
        try record.withUnsafeBytes { b in
            let r = try RecordReader(b.baseAddress!, size: b.count)
            #expect(try r.columnCount() == 3)
            #expect(try r.value(at: 1) == .text("hello"))
            #expect(try r.value(at: 2) == .real(2.5))
            #expect(try r.value(at: 7) == .null)
        }
    }

    @Test func aHeaderLongerThan127BytesRoundTrips() throws {
        let values = [Value](repeating: .integer(1000), count: 200)
        let record = RecordEncoder.encode(values)
        #expect(record[0] & 0x80 != 0)
        let back = try record.withUnsafeBytes { try RecordReader($0.baseAddress!, size: $0.count).values() }
        #expect(back == values)
    }

    @Test func truncatedRecordsAreCorrupt() {
        let record = RecordEncoder.encode([.text("hello world")])
        for cut in [0, 1, 5] {
            let short = Array(record[0..<cut])
            #expect(throws: DBError.self) {
                try short.withUnsafeBytes { b in
                    let base = b.baseAddress ?? UnsafeRawPointer(bitPattern: 8)!
                    _ = try RecordReader(base, size: b.count).values()
                }
            }
        }
    }

    @Test func utf16DatabasesStoreUTF16AndReadBackUTF8() throws {
        let values: [Value] = [.text("héllo 𝄞"), .text("")]
        for enc in [TextEncoding.utf16le, .utf16be] {
            let record = RecordEncoder.encode(values, encoding: enc)
            let back = try record.withUnsafeBytes { try RecordReader($0.baseAddress!, size: $0.count, encoding: enc).values() }
            #expect(back == values)
        }
        let le = RecordEncoder.encode([.text("A")], encoding: .utf16le)
        #expect(Array(le.suffix(2)) == [0x41, 0x00])
    }

    @Test func recordComparisonFollowsSQLiteOrder() throws {
        let ordered: [Value] = [.null, .integer(-5), .real(-4.5), .integer(0), .real(0.5), .integer(1),
                                .text("A"), .text("a"), .text("b"), .blob([0]), .blob([0, 0])]
        let info = KeyInfo(binaryFields: 1)
        for (i, a) in ordered.enumerated() {
            let rec = RecordEncoder.encode([a])
            for (j, b) in ordered.enumerated() {
                let c = try rec.withUnsafeBytes { try compareRecord($0.baseAddress!, size: $0.count, to: SearchKey([b]), keyInfo: info) }
                #expect(c.signum() == (i < j ? -1 : (i > j ? 1 : 0)), "\(a) vs \(b)")
            }
        }
    }

    @Test("a fixed key's comparison (first field in place, the rest after a tie) agrees with the general record walk")
    func fixedKeyComparisonAgreesWithRecordWalk() throws {
        let firsts: [Value] = [.null, .integer(-3), .integer(0), .integer(1), .integer(1 << 40), .real(1.5),
                               .text("a"), .text("abc"), .text(String(repeating: "z", count: 70)), .blob([1, 2])]
        let seconds: [Value] = [.null, .integer(-1), .integer(7), .text("k"), .real(-2.25)]
        var records: [[Value]] = []
        for f in firsts { for s in seconds { records.append([f, s, .integer(Int64(records.count % 3))]) } }
        let infos = [KeyInfo(binaryFields: 3),
                     KeyInfo(collations: [.binary, .binary, .binary], descending: [true, false, true]),
                     KeyInfo(collations: [.nocase, .binary, .binary], descending: [false, true, false])]
        for info in infos {
            for key in records {
                let k = RecordEncoder.encode(key)
                for fields in 1...3 {
                    for order in [-1, 0, 1] {
                        try k.withUnsafeBytes { kb in
                            let fixed = FixedKeyComparison(key: kb, keyInfo: info, fields: fields, defaultOrder: order,
                                                           encoding: .utf8)
                            for r in records {
                                let rec = RecordEncoder.encode(r)
                                try rec.withUnsafeBytes { rb in
                                    let general = try compareRecords(rb.baseAddress!, rb.count, kb.baseAddress!, kb.count,
                                                                     keyInfo: info, fields: fields, defaultOrder: order)
                                    let mine = try fixed.compare(rb.baseAddress!, rb.count, keyInfo: info)
                                    #expect(mine.signum() == general.signum(), "\(r) vs key \(key), \(fields) fields")
                                    if general != 0 || order != 0, r[0] == key[0], case .integer = r[0] {
                                        let tie = try fixed.compareAfterLeadingTie(rb.baseAddress!, rb.count, keyInfo: info)
                                        #expect(tie.signum() == general.signum(), "tie: \(r) vs key \(key)")
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test func recordComparisonHonoursCollationAndDirection() throws {
        let rec = RecordEncoder.encode([.text("ABC"), .integer(1)])
        let nocaseDesc = KeyInfo(collations: [.nocase, .binary], descending: [false, true])
        func cmp(_ key: [Value], _ info: KeyInfo, _ dflt: Int = 0) throws -> Int {
            try rec.withUnsafeBytes { try compareRecord($0.baseAddress!, size: $0.count, to: SearchKey(key, defaultOrder: dflt), keyInfo: info) }
        }
        #expect(try cmp([.text("abc")], nocaseDesc) == 0)
        #expect(try cmp([.text("abc")], KeyInfo(binaryFields: 2)) < 0)
        #expect(try cmp([.text("abc"), .integer(2)], nocaseDesc) > 0)
        #expect(try cmp([.text("abc")], nocaseDesc, -1) == -1)
        #expect(try cmp([.text("ABC  ")], KeyInfo(collations: [.rtrim], descending: [false])) == 0)
    }
}
