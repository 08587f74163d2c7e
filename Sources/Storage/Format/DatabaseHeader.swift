// DatabaseHeader: the 100-byte header at the start of page 1.
//
// Implements https://sqlite.org/fileformat2.html section 1.3:
//
//   OFFSET SIZE DESCRIPTION
//        0   16 "SQLite format 3\0"
//       16    2 page size (1 means 65536)
//       18    1 file format write version (1 legacy, 2 WAL)
//       19    1 file format read version (1 legacy, 2 WAL)
//       20    1 reserved bytes at the end of each page
//       21    1 max embedded payload fraction (must be 64)
//       22    1 min embedded payload fraction (must be 32)
//       23    1 leaf payload fraction (must be 32)
//       24    4 file change counter
//       28    4 database size in pages (valid when 92 == 24)
//       32    4 first freelist trunk page
//       36    4 total number of freelist pages
//       40    4 schema cookie
//       44    4 schema format number (1..4)
//       48    4 default page cache size
//       52    4 largest root b-tree page (auto-vacuum and incremental-vacuum; 0 = neither)
//       56    4 text encoding (1 UTF-8, 2 UTF-16le, 3 UTF-16be)
//       60    4 user version
//       64    4 incremental-vacuum mode (non-zero = incremental)
//       68    4 application ID
//       72   20 reserved for expansion, zero
//       92    4 version-valid-for number
//       96    4 SQLITE_VERSION_NUMBER of the last writer
//
// A header that breaks the rules SQLite enforces at open (magic, payload
// fractions, page size, usable size >= 480, read version) is SQLITE_NOTADB.

import Base

/// The text encoding of a database (header offset 56).
public enum TextEncoding: UInt32, Sendable {
    case utf8 = 1
    case utf16le = 2
    case utf16be = 3

    /// The name PRAGMA encoding prints.
    public var name: String {
        switch self {
        case .utf8: return "UTF-8"
        case .utf16le: return "UTF-16le"
        case .utf16be: return "UTF-16be"
        }
    }
}

/// Named offsets of the database header; nothing else uses these byte positions.
public enum HeaderOffset {
    public static let magic = 0
    public static let pageSize = 16
    public static let writeVersion = 18
    public static let readVersion = 19
    public static let reservedBytes = 20
    public static let maxPayloadFraction = 21
    public static let minPayloadFraction = 22
    public static let leafPayloadFraction = 23
    public static let changeCounter = 24
    public static let databaseSize = 28
    public static let firstFreelistTrunk = 32
    public static let freelistCount = 36
    public static let schemaCookie = 40
    public static let schemaFormat = 44
    public static let defaultCacheSize = 48
    public static let largestRootPage = 52
    public static let textEncoding = 56
    public static let userVersion = 60
    public static let incrementalVacuum = 64
    public static let applicationID = 68
    public static let versionValidFor = 92
    public static let sqliteVersion = 96
    public static let size = 100
}

/// The decoded database header.
public struct DatabaseHeader: Sendable, Equatable {
    public static let magic: [UInt8] = Array("SQLite format 3".utf8) + [0]
    /// The version number swiftdb writes at offset 96: the SQLite release it is compatible with.
    public static let writerVersionNumber: UInt32 = 3_040_001

    public var pageSize: Int
    public var writeVersion: UInt8
    public var readVersion: UInt8
    public var reservedBytes: Int
    public var changeCounter: UInt32
    public var databaseSize: UInt32
    public var firstFreelistTrunk: UInt32
    public var freelistCount: UInt32
    public var schemaCookie: UInt32
    public var schemaFormat: UInt32
    public var defaultCacheSize: Int32
    public var largestRootPage: UInt32
    public var textEncoding: TextEncoding
    public var userVersion: Int32
    public var incrementalVacuum: UInt32
    public var applicationID: Int32
    public var versionValidFor: UInt32
    public var sqliteVersion: UInt32

    /// The header of a new, empty database (as sqlite3 writes it, before the first table).
    public init(pageSize: Int = 4096, reservedBytes: Int = 0, encoding: TextEncoding = .utf8,
                autoVacuum: Bool = false, incrementalVacuum: Bool = false) {
        self.pageSize = pageSize
        writeVersion = 1
        readVersion = 1
        self.reservedBytes = reservedBytes
        changeCounter = 1
        databaseSize = 1
        firstFreelistTrunk = 0
        freelistCount = 0
        schemaCookie = 0
        schemaFormat = 4
        defaultCacheSize = 0
        largestRootPage = autoVacuum || incrementalVacuum ? 1 : 0
        textEncoding = encoding
        userVersion = 0
        self.incrementalVacuum = incrementalVacuum ? 1 : 0
        applicationID = 0
        versionValidFor = 1
        sqliteVersion = Self.writerVersionNumber
    }

    /// Bytes per page available to b-tree content.
    public var usableSize: Int { pageSize - reservedBytes }
    public var isAutoVacuum: Bool { largestRootPage != 0 }
    /// True when the in-header database size may be trusted (fileformat2 1.3.7).
    public var databaseSizeIsValid: Bool { databaseSize != 0 && changeCounter == versionValidFor }

    /// Decodes and validates `bytes` (at least 100 of them). Throws SQLITE_NOTADB for a file that is not a database.
    public init(decoding p: UnsafeRawPointer, count: Int) throws(DBError) {
        guard count >= HeaderOffset.size else { throw DBError(.notadb) }
        for i in 0..<16 where p.load(fromByteOffset: i, as: UInt8.self) != Self.magic[i] {
            throw DBError(.notadb)
        }
        let rawPageSize = get16(p, HeaderOffset.pageSize)
        let pageSize = rawPageSize == 1 ? 65536 : rawPageSize
        guard pageSize >= 512, pageSize <= 65536, pageSize & (pageSize - 1) == 0 else { throw DBError(.notadb) }
        let byte = { (o: Int) -> UInt8 in p.load(fromByteOffset: o, as: UInt8.self) }
        guard byte(HeaderOffset.maxPayloadFraction) == 64, byte(HeaderOffset.minPayloadFraction) == 32,
              byte(HeaderOffset.leafPayloadFraction) == 32 else { throw DBError(.notadb) }
        // A read version above 2 means a format this library cannot read.
        guard byte(HeaderOffset.readVersion) <= 2 else { throw DBError(.notadb) }
        let reserved = Int(byte(HeaderOffset.reservedBytes))
        guard pageSize - reserved >= 480 else { throw DBError(.notadb) }
        self.pageSize = pageSize
        writeVersion = byte(HeaderOffset.writeVersion)
        readVersion = byte(HeaderOffset.readVersion)
        reservedBytes = reserved
        changeCounter = get32(p, HeaderOffset.changeCounter)
        databaseSize = get32(p, HeaderOffset.databaseSize)
        firstFreelistTrunk = get32(p, HeaderOffset.firstFreelistTrunk)
        freelistCount = get32(p, HeaderOffset.freelistCount)
        schemaCookie = get32(p, HeaderOffset.schemaCookie)
        schemaFormat = get32(p, HeaderOffset.schemaFormat)
        defaultCacheSize = Int32(bitPattern: get32(p, HeaderOffset.defaultCacheSize))
        largestRootPage = get32(p, HeaderOffset.largestRootPage)
        let enc = get32(p, HeaderOffset.textEncoding)
        // An empty database (no schema yet) may carry 0 here; it then takes the connection's encoding.
        textEncoding = TextEncoding(rawValue: enc) ?? .utf8
        userVersion = Int32(bitPattern: get32(p, HeaderOffset.userVersion))
        incrementalVacuum = get32(p, HeaderOffset.incrementalVacuum)
        applicationID = Int32(bitPattern: get32(p, HeaderOffset.applicationID))
        versionValidFor = get32(p, HeaderOffset.versionValidFor)
        sqliteVersion = get32(p, HeaderOffset.sqliteVersion)
        guard enc <= 3 else { throw DBError(.notadb) }
        if schemaFormat > 4 {
            throw DBError(.error, "unsupported file format")
        }
    }

    /// Writes the header into the first 100 bytes at `p`.
    public func encode(into p: UnsafeMutableRawPointer) {
        for i in 0..<16 { p.storeBytes(of: Self.magic[i], toByteOffset: i, as: UInt8.self) }
        put16(p, HeaderOffset.pageSize, pageSize == 65536 ? 1 : pageSize)
        p.storeBytes(of: writeVersion, toByteOffset: HeaderOffset.writeVersion, as: UInt8.self)
        p.storeBytes(of: readVersion, toByteOffset: HeaderOffset.readVersion, as: UInt8.self)
        p.storeBytes(of: UInt8(reservedBytes), toByteOffset: HeaderOffset.reservedBytes, as: UInt8.self)
        p.storeBytes(of: UInt8(64), toByteOffset: HeaderOffset.maxPayloadFraction, as: UInt8.self)
        p.storeBytes(of: UInt8(32), toByteOffset: HeaderOffset.minPayloadFraction, as: UInt8.self)
        p.storeBytes(of: UInt8(32), toByteOffset: HeaderOffset.leafPayloadFraction, as: UInt8.self)
        put32(p, HeaderOffset.changeCounter, changeCounter)
        put32(p, HeaderOffset.databaseSize, databaseSize)
        put32(p, HeaderOffset.firstFreelistTrunk, firstFreelistTrunk)
        put32(p, HeaderOffset.freelistCount, freelistCount)
        put32(p, HeaderOffset.schemaCookie, schemaCookie)
        put32(p, HeaderOffset.schemaFormat, schemaFormat)
        put32(p, HeaderOffset.defaultCacheSize, UInt32(bitPattern: defaultCacheSize))
        put32(p, HeaderOffset.largestRootPage, largestRootPage)
        put32(p, HeaderOffset.textEncoding, textEncoding.rawValue)
        put32(p, HeaderOffset.userVersion, UInt32(bitPattern: userVersion))
        put32(p, HeaderOffset.incrementalVacuum, incrementalVacuum)
        put32(p, HeaderOffset.applicationID, UInt32(bitPattern: applicationID))
        for i in 72..<92 { p.storeBytes(of: UInt8(0), toByteOffset: i, as: UInt8.self) }
        put32(p, HeaderOffset.versionValidFor, versionValidFor)
        put32(p, HeaderOffset.sqliteVersion, sqliteVersion)
    }
}
