// SHA3: the SHA3-224/256/384/512 hashes (FIPS 202; Keccak-f[1600] with the
// 0x06 domain padding), as ext/misc/shathree.c computes them for the sqlite3
// shell's sha3() and sha3_query() functions (SHA3Functions.swift). Incremental:
// `update` any number of times, then `finalize` once.

/// An incremental SHA3 hash of 224, 256, 384 or 512 bits.
struct SHA3 {
    /// The Keccak state: 5 x 5 lanes of 64 bits, lane (x, y) at index x + 5 y.
    private var state = [UInt64](repeating: 0, count: 25)
    /// Bytes absorbed per permutation: 200 minus twice the digest size.
    private let rate: Int
    private let digestBytes: Int
    /// Bytes of the current block absorbed so far.
    private var position = 0

    /// A hash of `bits` bits; `bits` is one of 224, 256, 384, 512.
    init(bits: Int) {
        precondition(bits == 224 || bits == 256 || bits == 384 || bits == 512, "SHA3 size")
        digestBytes = bits / 8
        rate = 200 - 2 * digestBytes
    }

    /// XORs one byte into the state at byte offset `i` (lanes are little-endian).
    private mutating func absorb(_ byte: UInt8, at i: Int) {
        state[i >> 3] ^= UInt64(byte) << UInt64((i & 7) * 8)
    }

    mutating func update(_ bytes: some Sequence<UInt8>) {
        for b in bytes {
            absorb(b, at: position)
            position += 1
            if position == rate {
                permute()
                position = 0
            }
        }
    }

    mutating func update(_ text: String) { update(text.utf8) }

    /// The digest; the hash must not be updated afterwards.
    mutating func finalize() -> [UInt8] {
        absorb(0x06, at: position)
        absorb(0x80, at: rate - 1)
        permute()
        return (0..<digestBytes).map { UInt8(truncatingIfNeeded: state[$0 >> 3] >> UInt64(($0 & 7) * 8)) }
    }

    private static let roundConstants: [UInt64] = [
        0x0000_0000_0000_0001, 0x0000_0000_0000_8082, 0x8000_0000_0000_808A, 0x8000_0000_8000_8000,
        0x0000_0000_0000_808B, 0x0000_0000_8000_0001, 0x8000_0000_8000_8081, 0x8000_0000_0000_8009,
        0x0000_0000_0000_008A, 0x0000_0000_0000_0088, 0x0000_0000_8000_8009, 0x0000_0000_8000_000A,
        0x0000_0000_8000_808B, 0x8000_0000_0000_008B, 0x8000_0000_0000_8089, 0x8000_0000_0000_8003,
        0x8000_0000_0000_8002, 0x8000_0000_0000_0080, 0x0000_0000_0000_800A, 0x8000_0000_8000_000A,
        0x8000_0000_8000_8081, 0x8000_0000_0000_8080, 0x0000_0000_8000_0001, 0x8000_0000_8000_8008,
    ]

    /// The rotation of lane x + 5 y in the rho step.
    private static let rotations: [UInt64] = [
        0, 1, 62, 28, 27,
        36, 44, 6, 55, 20,
        3, 10, 43, 25, 39,
        41, 45, 15, 21, 8,
        18, 2, 61, 56, 14,
    ]

    /// Keccak-f[1600]: 24 rounds of theta, rho and pi, chi, iota.
    private mutating func permute() {
        var a = state
        var b = [UInt64](repeating: 0, count: 25)
        var c = [UInt64](repeating: 0, count: 5)
        for round in 0..<24 {
            for x in 0..<5 { c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20] }
            for x in 0..<5 {
                let d = c[(x + 4) % 5] ^ rotate(c[(x + 1) % 5], 1)
                for y in stride(from: 0, to: 25, by: 5) { a[x + y] ^= d }
            }
            // rho and pi: lane (x, y) moves to (y, 2x + 3y).
            for x in 0..<5 {
                for y in 0..<5 {
                    b[y + 5 * ((2 * x + 3 * y) % 5)] = rotate(a[x + 5 * y], Self.rotations[x + 5 * y])
                }
            }
            for y in stride(from: 0, to: 25, by: 5) {
                for x in 0..<5 { a[x + y] = b[x + y] ^ (~b[(x + 1) % 5 + y] & b[(x + 2) % 5 + y]) }
            }
            a[0] ^= Self.roundConstants[round]
        }
        state = a
    }

    private func rotate(_ v: UInt64, _ n: UInt64) -> UInt64 { n == 0 ? v : (v << n) | (v >> (64 - n)) }
}
