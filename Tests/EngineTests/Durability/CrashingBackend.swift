// CrashingBackend: a syscall back-end that "crashes" after a number of writes
// to one file (the database or its WAL): that write and every later request
// but reads fail, and nothing more reaches the disk, so the files are left as
// a power cut at that moment would leave them (every earlier write durable).
// `failOnlyOnce` fails just that one write instead (a disk full for a moment);
// `failure` is the errno reported (EIO, or 28 = ENOSPC).

import Base
import IO

final class CrashingBackend: IOBackend {
    let inner = SyscallBackend()
    /// The file whose writes are counted.
    let path: String
    var writesBeforeCrash: Int
    /// Writes are counted only while armed.
    var armed = true
    var failure: Int32 = 5
    var failOnlyOnce = false
    private(set) var crashed = false
    private var paths: [Int32: String] = [:]
    private var failed: [IOCompletion] = []

    init(path: String, writesBeforeCrash: Int) {
        self.path = path
        self.writesBeforeCrash = writesBeforeCrash
    }

    var name: String { "crashing" }
    func open(_ path: String, options: FileOpenOptions) throws(DBError) -> FileID {
        let f = try inner.open(path, options: options)
        paths[f.raw] = path
        return f
    }
    func close(_ file: FileID) { inner.close(file) }
    func size(of file: FileID) throws(DBError) -> Int64 { try inner.size(of: file) }
    func fileExists(_ path: String) -> Bool { inner.fileExists(path) }
    func delete(_ path: String) throws(DBError) {
        if crashed { throw DBError(.ioerrDelete) }
        try inner.delete(path)
    }
    func syncDirectory(of path: String) throws(DBError) {
        if crashed { throw DBError(.ioerrDirFsync) }
        try inner.syncDirectory(of: path)
    }
    func lock(_ file: FileID, offset: Int64, length: Int64, kind: FileLockKind) throws(DBError) -> Bool {
        try inner.lock(file, offset: offset, length: length, kind: kind)
    }
    func fileIdentity(_ file: FileID) -> String { inner.fileIdentity(file) }
    func submit(_ request: IORequest) {
        if armed && !crashed && request.kind == .write && paths[request.file.raw] == path {
            if writesBeforeCrash == 0 {
                if failOnlyOnce {
                    writesBeforeCrash = -1
                    failed.append(IOCompletion(tag: request.tag, result: -failure))
                    return
                }
                crashed = true
            } else if writesBeforeCrash > 0 {
                writesBeforeCrash -= 1
            }
        }
        if crashed && request.kind != .read {
            failed.append(IOCompletion(tag: request.tag, result: -failure))
        } else {
            inner.submit(request)
        }
    }
    func flush() { inner.flush() }
    @discardableResult
    func reap(_ deliver: (IOCompletion) -> Void) -> Int {
        let early = failed
        failed.removeAll()
        for c in early { deliver(c) }
        return early.count + inner.reap(deliver)
    }
    func wait(minimum: Int, _ deliver: (IOCompletion) -> Void) {
        if !failed.isEmpty {
            reap(deliver)
            return
        }
        inner.wait(minimum: minimum, deliver)
    }
    var inFlight: Int { inner.inFlight + failed.count }
}
