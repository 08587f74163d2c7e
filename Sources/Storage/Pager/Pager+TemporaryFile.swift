// Temporary files: scratch space beside the database for work too large to keep in memory (the
// sorter's sorted runs; vdbesort.c's PMA files).
//
// A temporary file is created in the directory SQLite would pick (os_unix.c, unixTempFileDir:
// $SQLITE_TMPDIR, $TMPDIR, /var/tmp, /usr/tmp, /tmp, then "."), under a random name with
// SQLite's "etilqs_" prefix, created exclusively and unlinked at once, so it vanishes when
// closed or when the process dies (SQLITE_OPEN_DELETEONCLOSE). Its reads and writes are
// requests to the database's own I/O back-end (DESIGN.md, decision 2), waited for on the spot
// like the journal's (`performNow`): other completions that arrive meanwhile go to the pager.

import Base
import IO
#if canImport(Glibc)
import Glibc
#endif

/// A scratch file that exists only while open; see the file header.
public final class TemporaryFile {
    private let pager: Pager
    private let io: IOBackend
    private let file: FileID
    /// Bytes written so far: the file's end.
    public private(set) var size: Int64 = 0

    fileprivate init(pager: Pager, io: IOBackend, file: FileID) {
        self.pager = pager
        self.io = io
        self.file = file
    }

    deinit { io.close(file) }

    /// Writes `count` bytes at `offset` and waits for them.
    public func write(_ bytes: UnsafeRawPointer, count: Int, at offset: Int64) throws(DBError) {
        let r = pager.performNow(.write(file, offset: offset, from: bytes, length: count, tag: 0))
        guard r == Int32(count) else {
            throw r == -ENOSPC ? DBError(.full) : DBError(.ioerrWrite, ResultCode.ioerr.defaultMessage)
        }
        size = max(size, offset + Int64(count))
    }

    /// Reads `count` bytes at `offset` into `buffer` and waits for them; a read past the end is an error.
    public func read(into buffer: UnsafeMutableRawPointer, count: Int, at offset: Int64) throws(DBError) {
        let r = pager.performNow(.read(file, offset: offset, into: buffer, length: count, tag: 0))
        guard r == Int32(count) else {
            throw DBError(r >= 0 ? .ioerrShortRead : .ioerrRead, ResultCode.ioerr.defaultMessage)
        }
    }
}

extension Pager {
    /// A new temporary file on this database's I/O back-end, or nil for an in-memory database.
    public func openTemporaryFile() throws(DBError) -> TemporaryFile? {
        guard let io else { return nil }
        let directory = Pager.temporaryDirectory()
        // A name taken by another file is tried again with fresh random bits, as unixGetTempname does.
        for _ in 0..<11 {
            let hex = String(random.nextUInt64(), radix: 16)
            let path = directory + "/etilqs_" + hex
            guard let f = try? io.open(path, options: [.create, .exclusive]) else { continue }
            // Unlinked at once: nothing is left behind whatever happens to the process.
            try? io.delete(path)
            temporaryFileCount += 1
            return TemporaryFile(pager: self, io: io, file: f)
        }
        throw DBError(.cantopen, ResultCode.cantopen.defaultMessage, detail: "no temporary file in \(directory)")
    }

    /// The first writable directory of unixTempFileDir's list.
    static func temporaryDirectory() -> String {
        let environment = ["SQLITE_TMPDIR", "TMPDIR"].compactMap { name -> String? in
            guard let v = getenv(name) else { return nil }
            return String(cString: v)
        }
        for dir in environment + ["/var/tmp", "/usr/tmp", "/tmp"] where !dir.isEmpty {
            var st = stat()
            if stat(dir, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR, access(dir, W_OK | X_OK) == 0 { return dir }
        }
        return "."
    }
}
