// MemoryBackend: the completion protocol over files held in memory.
//
// Files live in a `MemoryFileSystem` that several back-ends (connections) may
// share. Requests run at `flush`, in submission order, and complete in that
// order; writes are visible at once and `sync` is a no-op here. The simulated
// back-end (Sources/IO/Simulated) adds seeded completion order, faults and
// power loss. Locks are granted per back-end instance with POSIX semantics
// (a holder never conflicts with itself).

import Base

/// A set of named in-memory files, shareable between back-ends.
public final class MemoryFileSystem: @unchecked Sendable {
    // Confined: each back-end using it runs on one thread at a time, and the
    // tests that share one file system between connections are single-threaded.
    final class File {
        var bytes: [UInt8] = []
        var locks = ByteRangeLocks<ObjectIdentifier>()
    }
    var files: [String: File] = [:]

    public init() {}

    /// A copy of a file's bytes (tests).
    public func contents(of path: String) -> [UInt8]? { files[path]?.bytes }
    /// Replaces a file's bytes (tests).
    public func setContents(of path: String, _ bytes: [UInt8]) {
        let f = files[path] ?? File()
        f.bytes = bytes
        files[path] = f
    }
}

/// The in-memory back-end (see the file header).
public final class MemoryBackend: IOBackend {
    public let name = "memory"
    public let fileSystem: MemoryFileSystem
    private var open: [Int32: (path: String, file: MemoryFileSystem.File)] = [:]
    private var nextID: Int32 = 3
    private var queued: [IORequest] = []
    private var completed: [IOCompletion] = []
    private var delivering: [IOCompletion] = []

    public init(fileSystem: MemoryFileSystem = MemoryFileSystem()) {
        self.fileSystem = fileSystem
    }

    public func open(_ path: String, options: FileOpenOptions) throws(DBError) -> FileID {
        var file = fileSystem.files[path]
        if file != nil && options.contains(.create) && options.contains(.exclusive) {
            throw DBError(.cantopen, ResultCode.cantopen.defaultMessage, detail: "\(path): exists")
        }
        if file == nil {
            guard options.contains(.create) else {
                throw DBError(.cantopen, ResultCode.cantopen.defaultMessage, detail: "\(path): no such file")
            }
            let f = MemoryFileSystem.File()
            fileSystem.files[path] = f
            file = f
        }
        let id = nextID
        nextID += 1
        open[id] = (path, file!)
        return FileID(raw: id)
    }

    public func close(_ file: FileID) {
        if let f = open[file.raw]?.file {
            f.locks.release(owner: ObjectIdentifier(self))
        }
        open[file.raw] = nil
    }

    func file(_ id: FileID) -> MemoryFileSystem.File? { open[id.raw]?.file }

    public func size(of file: FileID) throws(DBError) -> Int64 {
        guard let f = self.file(file) else { throw DBError(.ioerrFstat, ResultCode.ioerr.defaultMessage) }
        return Int64(f.bytes.count)
    }

    public func fileExists(_ path: String) -> Bool { fileSystem.files[path] != nil }

    public func delete(_ path: String) throws(DBError) {
        if fileSystem.files.removeValue(forKey: path) == nil {
            throw DBError(.ioerrDeleteNoent, ResultCode.ioerr.defaultMessage, detail: path)
        }
    }

    public func syncDirectory(of path: String) throws(DBError) {}

    public func lock(_ file: FileID, offset: Int64, length: Int64, kind: FileLockKind) throws(DBError) -> Bool {
        guard let f = self.file(file) else { throw DBError(.ioerrLock, ResultCode.ioerr.defaultMessage) }
        return f.locks.lock(owner: ObjectIdentifier(self), offset: offset, length: length, kind: kind)
    }

    /// Each back-end instance stands for its own process: its lock state is not shared with others.
    public func fileIdentity(_ file: FileID) -> String {
        "memory:\(UInt(bitPattern: ObjectIdentifier(self).hashValue)):\(open[file.raw]?.path ?? "?")"
    }

    /// The largest file this back-end holds (1 GiB): writes and truncates beyond it fail with EFBIG.
    public static let maximumFileSize: Int64 = 1 << 30

    public func submit(_ request: IORequest) {
        queued.append(request)
    }

    public func flush() {
        for r in queued { completed.append(IOCompletion(tag: r.tag, result: perform(r))) }
        queued.removeAll(keepingCapacity: true)
    }

    private func perform(_ r: IORequest) -> Int32 {
        guard let f = file(r.file) else { return -9 }  // EBADF
        switch r.kind {
        case .read:
            guard let b = r.buffer, r.offset >= 0 else { return -14 }
            let start = Int(r.offset)
            let n = max(0, min(r.length, f.bytes.count - start))
            if n > 0 { f.bytes.withUnsafeBytes { b.copyMemory(from: $0.baseAddress! + start, byteCount: n) } }
            return Int32(n)
        case .write:
            guard let b = r.buffer, r.offset >= 0 else { return -14 }
            // A file held in memory has a size limit; a write past it is write(2)'s EFBIG, never an
            // attempt to allocate it (a damaged WAL naming page 2^28 would ask for a terabyte).
            if r.offset + Int64(r.length) > MemoryBackend.maximumFileSize { return -27 }
            let end = Int(r.offset) + r.length
            if f.bytes.count < end { f.bytes.append(contentsOf: repeatElement(0, count: end - f.bytes.count)) }
            f.bytes.withUnsafeMutableBytes { ($0.baseAddress! + Int(r.offset)).copyMemory(from: b, byteCount: r.length) }
            return Int32(r.length)
        case .sync, .dataSync:
            return 0
        case .truncate:
            if r.offset > MemoryBackend.maximumFileSize { return -27 }  // EFBIG
            let n = Int(r.offset)
            if n < f.bytes.count { f.bytes.removeSubrange(n...) } else {
                f.bytes.append(contentsOf: repeatElement(0, count: n - f.bytes.count))
            }
            return 0
        }
    }

    @discardableResult
    public func reap(_ deliver: (IOCompletion) -> Void) -> Int {
        swap(&completed, &delivering)
        let n = delivering.count
        for c in delivering { deliver(c) }
        delivering.removeAll(keepingCapacity: true)
        return n
    }

    public func wait(minimum: Int, _ deliver: (IOCompletion) -> Void) {
        flush()
        reap(deliver)
    }

    public var inFlight: Int { queued.count + completed.count }
}
