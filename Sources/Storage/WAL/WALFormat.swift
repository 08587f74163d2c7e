// WALFormat: SQLite's write-ahead log file layout (https://sqlite.org/fileformat2.html#the_write_ahead_log).
//
// A 32-byte header, then frames of a 24-byte header plus one page:
//   header: magic 0x377f0682 (checksums over little-endian words) or
//           0x377f0683 (big-endian words), format version 3007000, page
//           size, checkpoint sequence, salt-1, salt-2, checksum-1, checksum-2
//           (over the first 24 bytes)
//   frame:  page number, database size in pages after a commit (0 for a
//           frame that does not end a transaction), salt-1, salt-2 (copied
//           from the header), checksum-1, checksum-2 (cumulative: over the
//           frame header's first 8 bytes and the page, starting from the
//           previous frame's checksum, or the header's for the first frame)
// A frame is valid only if its salts match the header's and its checksum
// matches; the log holds every frame up to the last valid commit frame.
// Integers are big-endian; the checksum reads 32-bit words in the byte order
// the magic names. swiftdb writes little-endian checksums, as sqlite3 does on
// the machines it runs on here.

import Base

public enum WALFormat {
    public static let magicLittleEndian: UInt32 = 0x377f_0682
    public static let version: UInt32 = 3_007_000
    public static let headerSize = 32
    public static let frameHeaderSize = 24

    /// Continues SQLite's WAL checksum over `count` bytes (a multiple of 8) at `p`.
    public static func checksum(_ p: UnsafeRawPointer, _ count: Int, bigEndianWords: Bool,
                                _ start: (UInt32, UInt32)) -> (UInt32, UInt32) {
        var s1 = start.0, s2 = start.1
        var i = 0
        if bigEndianWords {
            while i < count {
                s1 = s1 &+ get32(p, i) &+ s2
                s2 = s2 &+ get32(p, i + 4) &+ s1
                i += 8
            }
        } else {
            while i < count {
                s1 = s1 &+ UInt32(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt32.self)) &+ s2
                s2 = s2 &+ UInt32(littleEndian: p.loadUnaligned(fromByteOffset: i + 4, as: UInt32.self)) &+ s1
                i += 8
            }
        }
        return (s1, s2)
    }

    /// Byte offset of frame `n` (1-based) in a log of `pageSize` pages.
    public static func frameOffset(_ n: UInt32, pageSize: Int) -> Int64 {
        Int64(headerSize) + Int64(n - 1) * Int64(frameHeaderSize + pageSize)
    }
}

/// The fields of a WAL header.
public struct WALHeader: Equatable, Sendable {
    public var bigEndianChecksums: Bool
    public var pageSize: Int
    public var checkpointSequence: UInt32
    public var salt1: UInt32
    public var salt2: UInt32
    public var checksum: (UInt32, UInt32)

    public static func == (a: WALHeader, b: WALHeader) -> Bool {
        a.bigEndianChecksums == b.bigEndianChecksums && a.pageSize == b.pageSize
            && a.checkpointSequence == b.checkpointSequence && a.salt1 == b.salt1 && a.salt2 == b.salt2
            && a.checksum == b.checksum
    }

    /// A new header (its checksum computed) for a log of `pageSize` pages.
    public init(pageSize: Int, checkpointSequence: UInt32, salt1: UInt32, salt2: UInt32) {
        bigEndianChecksums = false
        self.pageSize = pageSize
        self.checkpointSequence = checkpointSequence
        self.salt1 = salt1
        self.salt2 = salt2
        checksum = (0, 0)
        var bytes = [UInt8](repeating: 0, count: WALFormat.headerSize)
        bytes.withUnsafeMutableBytes { encodeFields(into: $0.baseAddress!) }
        checksum = bytes.withUnsafeBytes { WALFormat.checksum($0.baseAddress!, 24, bigEndianWords: false, (0, 0)) }
    }

    private func encodeFields(into p: UnsafeMutableRawPointer) {
        put32(p, 0, WALFormat.magicLittleEndian | (bigEndianChecksums ? 1 : 0))
        put32(p, 4, WALFormat.version)
        put32(p, 8, UInt32(pageSize))
        put32(p, 12, checkpointSequence)
        put32(p, 16, salt1)
        put32(p, 20, salt2)
    }

    /// Writes the 32 header bytes.
    public func encode(into p: UnsafeMutableRawPointer) {
        encodeFields(into: p)
        put32(p, 24, checksum.0)
        put32(p, 28, checksum.1)
    }

    /// Parses and validates a header (magic, version, page size, checksum); nil if it is not valid.
    public init?(decoding p: UnsafeRawPointer) {
        let magic = get32(p, 0)
        guard magic & 0xFFFF_FFFE == WALFormat.magicLittleEndian, get32(p, 4) == WALFormat.version else { return nil }
        bigEndianChecksums = magic & 1 == 1
        pageSize = Int(get32(p, 8))
        guard pageSize >= 512, pageSize <= 65536, pageSize & (pageSize - 1) == 0 else { return nil }
        checkpointSequence = get32(p, 12)
        salt1 = get32(p, 16)
        salt2 = get32(p, 20)
        checksum = (get32(p, 24), get32(p, 28))
        let computed = WALFormat.checksum(p, 24, bigEndianWords: bigEndianChecksums, (0, 0))
        guard computed == checksum else { return nil }
    }
}
