// Varints round-trip at every length boundary and never read past their end.
import Testing
@testable import Storage

@Suite struct VarintTests {
    static let boundaries: [UInt64] = {
        var v: [UInt64] = [0, 1, 127, 128, 16383, 16384, UInt64(Int64.max), UInt64.max, UInt64(bitPattern: -1)]
        for bits in stride(from: 7, through: 63, by: 7) {
            let b = UInt64(1) << UInt64(bits)
            v += [b - 1, b, b + 1]
        }
        v += [0x00FF_FFFF_FFFF_FFFF, 0x0100_0000_0000_0000]
        return v
    }()

    @Test(arguments: boundaries)
    func roundTrip(value: UInt64) {
        var buf = [UInt8](repeating: 0xAA, count: 12)
        let n = buf.withUnsafeMutableBytes { writeVarint($0.baseAddress!, value) }
        #expect(n == varintLength(value))
        #expect(n >= 1 && n <= 9)
        let (v, m) = buf.withUnsafeBytes { readVarint($0.baseAddress!, $0.baseAddress! + n) }
        #expect(v == value)
        #expect(m == n)
        // One byte short is reported as truncated, not read past.
        let (_, short) = buf.withUnsafeBytes { readVarint($0.baseAddress!, $0.baseAddress! + n - 1) }
        #expect(short == 0)
    }

    @Test func knownEncodings() {
        // fileformat2.html: 0x7f is one byte; 0x80 is 0x81 0x00; the 9-byte form puts 8 bits in the last byte.
        func enc(_ v: UInt64) -> [UInt8] {
            var buf = [UInt8](repeating: 0, count: 9)
            let n = buf.withUnsafeMutableBytes { writeVarint($0.baseAddress!, v) }
            return Array(buf[0..<n])
        }
        #expect(enc(0x7f) == [0x7f])
        #expect(enc(0x80) == [0x81, 0x00])
        #expect(enc(0x3fff) == [0xff, 0x7f])
        #expect(enc(UInt64.max) == [UInt8](repeating: 0xff, count: 9))
        // 2^56 needs the 9-byte form: 8 bits in the last byte, 2^48 spread over 7-bit groups before it.
        #expect(enc(1 << 56) == [0x80, 0xC0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00])
    }
}
