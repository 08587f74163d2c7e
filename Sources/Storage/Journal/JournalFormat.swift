// JournalFormat: SQLite's rollback-journal file layout (fileformat2.html §4).
//
// A journal is one or more segments. Each segment starts, at a multiple of
// the sector size, with a header:
//   0  8 bytes  magic d9 d5 05 f9 20 a1 63 d7 (zeros until the segment is sealed)
//   8  4        number of page records that follow (0xFFFFFFFF: as many as the file holds)
//   12 4        nonce, the checksum's initial value
//   16 4        database size in pages before the transaction
//   20 4        sector size
//   24 4        page size
// padded with zeros to the sector size, then page records of
//   4 bytes page number, page-size bytes of the page's original image, 4 bytes checksum,
// where checksum = nonce + the bytes at offsets pageSize-200, pageSize-400, … (> 0).
// An optional super-journal record ends the file (only multi-database
// transactions write one): the lock-byte page's number, the name, its length,
// its byte sum, and the magic.
// All integers are big-endian.

/// The fields of one segment header.
public struct JournalHeader: Equatable, Sendable {
    public static let magic: [UInt8] = [0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7]
    /// Bytes of the header proper (the rest of the sector is padding).
    public static let size = 28
    /// `recordCount` of a journal whose writer never syncs: count the records by the file size.
    public static let countFromFileSize: UInt32 = 0xFFFF_FFFF

    public var recordCount: UInt32
    public var nonce: UInt32
    public var initialPageCount: UInt32
    public var sectorSize: UInt32
    public var pageSize: UInt32

    public init(recordCount: UInt32, nonce: UInt32, initialPageCount: UInt32, sectorSize: UInt32, pageSize: UInt32) {
        self.recordCount = recordCount
        self.nonce = nonce
        self.initialPageCount = initialPageCount
        self.sectorSize = sectorSize
        self.pageSize = pageSize
    }

    /// Writes the header into `buffer` (28 bytes); `sealed == false` leaves magic and count zero,
    /// as a syncing writer does until the records are durable.
    public func encode(into buffer: UnsafeMutableRawPointer, sealed: Bool) {
        for i in 0..<8 { buffer.storeBytes(of: sealed ? JournalHeader.magic[i] : 0, toByteOffset: i, as: UInt8.self) }
        put32(buffer, 8, sealed ? recordCount : 0)
        put32(buffer, 12, nonce)
        put32(buffer, 16, initialPageCount)
        put32(buffer, 20, sectorSize)
        put32(buffer, 24, pageSize)
    }

    /// Parses a header; nil when the magic is absent (an unsealed or zeroed segment).
    public init?(decoding buffer: UnsafeRawPointer) {
        for i in 0..<8 where buffer.load(fromByteOffset: i, as: UInt8.self) != JournalHeader.magic[i] { return nil }
        recordCount = get32(buffer, 8)
        nonce = get32(buffer, 12)
        initialPageCount = get32(buffer, 16)
        sectorSize = get32(buffer, 20)
        pageSize = get32(buffer, 24)
    }

    /// Bytes of one page record.
    public var recordSize: Int { Int(pageSize) + 8 }
}

public enum JournalChecksum {
    /// SQLite's page-record checksum: the nonce plus every 200th byte counted back from the page's end.
    public static func of(page: UnsafeRawPointer, pageSize: Int, nonce: UInt32) -> UInt32 {
        var sum = nonce
        var i = pageSize - 200
        while i > 0 {
            sum &+= UInt32(page.load(fromByteOffset: i, as: UInt8.self))
            i -= 200
        }
        return sum
    }
}

/// The journal modes of PRAGMA journal_mode (https://sqlite.org/pragma.html#pragma_journal_mode).
public enum JournalMode: String, Sendable, CaseIterable {
    case delete, truncate, persist, memory, off, wal

    /// True for the modes that keep a journal file beside the database.
    public var usesJournalFile: Bool {
        switch self {
        case .delete, .truncate, .persist: return true
        case .memory, .off, .wal: return false
        }
    }
}
