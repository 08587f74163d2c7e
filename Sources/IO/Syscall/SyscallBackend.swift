// SyscallBackend: the completion protocol over plain pread/pwrite/fsync.
//
// The fallback back-end on Linux and the only one elsewhere. It has no
// completions of its own: `flush` performs the queued requests in submission
// order with blocking syscalls on the caller's thread and queues their
// completions, which `reap`/`wait` then deliver in that same order. Used from
// the synchronous API this blocks only the caller (DESIGN.md, "I/O execution
// model"); the async API gives it a dedicated thread pool (issue 6).

import Base
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The syscall back-end: requests run at `flush`, completions queue in order.
public final class SyscallBackend: IOBackend {
    public let name = "syscall"
    private var queued: [IORequest] = []
    private var completed: [IOCompletion] = []
    private var delivering: [IOCompletion] = []

    public init() {}

    public func open(_ path: String, options: FileOpenOptions) throws(DBError) -> FileID {
        var flags: Int32 = options.contains(.readOnly) ? O_RDONLY : O_RDWR
        if options.contains(.create) { flags |= O_CREAT }
        if options.contains(.exclusive) { flags |= O_EXCL }
        let fd = Posix.openFile(path, flags: flags)
        if fd < 0 {
            let e = -fd
            if e == EISDIR { throw DBError(.cantopenIsDir, ResultCode.cantopen.defaultMessage, detail: path) }
            throw DBError(.cantopen, ResultCode.cantopen.defaultMessage,
                          detail: "\(path): \(Posix.errorText(e))")
        }
        return FileID(raw: fd)
    }

    public func close(_ file: FileID) {
        Posix.closeFile(file.raw)
    }

    public func size(of file: FileID) throws(DBError) -> Int64 {
        let n = Posix.fileSize(file.raw)
        if n < 0 { throw DBError(.ioerrFstat, ResultCode.ioerr.defaultMessage, detail: Posix.errorText(Int32(-n))) }
        return n
    }

    public func fileExists(_ path: String) -> Bool { Posix.exists(path) }

    public func delete(_ path: String) throws(DBError) {
        let r = Posix.unlinkFile(path)
        if r == -ENOENT { throw DBError(.ioerrDeleteNoent, ResultCode.ioerr.defaultMessage, detail: path) }
        if r < 0 { throw DBError(.ioerrDelete, ResultCode.ioerr.defaultMessage, detail: Posix.errorText(-r)) }
    }

    public func syncDirectory(of path: String) throws(DBError) {
        let r = Posix.syncDirectory(of: path)
        if r < 0 { throw DBError(.ioerrDirFsync, ResultCode.ioerr.defaultMessage, detail: Posix.errorText(-r)) }
    }

    public func lock(_ file: FileID, offset: Int64, length: Int64, kind: FileLockKind) throws(DBError) -> Bool {
        let type: Int32
        switch kind {
        case .shared: type = Int32(F_RDLCK)
        case .exclusive: type = Int32(F_WRLCK)
        case .unlock: type = Int32(F_UNLCK)
        }
        let r = Posix.setLock(file.raw, type: type, offset: offset, length: length)
        if r < 0 {
            let code: ResultCode = kind == .unlock ? .ioerrUnlock : .ioerrLock
            throw DBError(code, ResultCode.ioerr.defaultMessage, detail: Posix.errorText(-r))
        }
        return r == 1
    }

    public func fileIdentity(_ file: FileID) -> String {
        var st = stat()
        guard fstat(file.raw, &st) == 0 else { return "fd:\(file.raw)" }
        return "\(st.st_dev):\(st.st_ino)"
    }

    public func submit(_ request: IORequest) {
        queued.append(request)
    }

    public func flush() {
        if queued.isEmpty { return }
        for r in queued { completed.append(IOCompletion(tag: r.tag, result: Self.perform(r))) }
        queued.removeAll(keepingCapacity: true)
    }

    static func perform(_ r: IORequest) -> Int32 {
        switch r.kind {
        case .read where r.noWait:
            // This back-end cannot tell whether a read would wait (Glibc's module lacks preadv2), so
            // it never promises one that would not: the caller does the read where it may block.
            return -EAGAIN
        case .read:
            guard let b = r.buffer else { return -EFAULT }
            return Posix.readFully(r.file.raw, b, r.length, r.offset)
        case .write:
            guard let b = r.buffer else { return -EFAULT }
            return Posix.writeFully(r.file.raw, b, r.length, r.offset)
        case .sync: return Posix.syncFile(r.file.raw, dataOnly: false)
        case .dataSync: return Posix.syncFile(r.file.raw, dataOnly: true)
        case .truncate: return Posix.truncateFile(r.file.raw, r.offset)
        }
    }

    @discardableResult
    public func reap(_ deliver: (IOCompletion) -> Void) -> Int {
        // Swap buffers first: `deliver` may submit and flush again.
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
