// Posix: every system call the syscall back-end makes, in one file.
//
// Each wrapper retries on EINTR and returns either a result or a negated errno,
// so no ARC traffic or other call can clobber errno between the call and its
// check (as swift-nio's System.swift does). Reads and writes loop until the
// whole length is transferred, end of file (reads) or an error.
//
// Safety: pointers passed in must address `length` valid bytes for the call's
// duration; the callers (the back-ends) take them from IORequest, whose
// submitter guarantees exactly that.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum Posix {
    @inline(never)
    static func openFile(_ path: String, flags: Int32, mode: mode_t = 0o644) -> Int32 {
        while true {
            let fd = path.withCString { open($0, flags | O_CLOEXEC, mode) }
            if fd >= 0 { return fd }
            let e = errno
            if e != EINTR { return -e }
        }
    }

    @inline(never)
    static func closeFile(_ fd: Int32) {
        _ = close(fd)
    }

    /// Reads up to `length` bytes at `offset`; returns bytes read (short only at end of file) or -errno.
    @inline(never)
    static func readFully(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ length: Int, _ offset: Int64) -> Int32 {
        var done = 0
        while done < length {
            let n = pread(fd, buffer + done, length - done, off_t(offset) + off_t(done))
            if n < 0 {
                let e = errno
                if e == EINTR { continue }
                return -e
            }
            if n == 0 { break }
            done += n
        }
        return Int32(done)
    }

    /// Writes all `length` bytes at `offset`; returns `length` or -errno.
    @inline(never)
    static func writeFully(_ fd: Int32, _ buffer: UnsafeRawPointer, _ length: Int, _ offset: Int64) -> Int32 {
        var done = 0
        while done < length {
            let n = pwrite(fd, buffer + done, length - done, off_t(offset) + off_t(done))
            if n < 0 {
                let e = errno
                if e == EINTR { continue }
                return -e
            }
            if n == 0 { return -EIO }
            done += n
        }
        return Int32(done)
    }

    @inline(never)
    static func syncFile(_ fd: Int32, dataOnly: Bool) -> Int32 {
        while true {
            let r = dataOnly ? fdatasync(fd) : fsync(fd)
            if r == 0 { return 0 }
            let e = errno
            if e != EINTR { return -e }
        }
    }

    @inline(never)
    static func truncateFile(_ fd: Int32, _ size: Int64) -> Int32 {
        while true {
            if ftruncate(fd, off_t(size)) == 0 { return 0 }
            let e = errno
            if e != EINTR { return -e }
        }
    }

    /// The file size in bytes, or -errno.
    @inline(never)
    static func fileSize(_ fd: Int32) -> Int64 {
        var st = stat()
        if fstat(fd, &st) != 0 { return -Int64(errno) }
        return Int64(st.st_size)
    }

    @inline(never)
    static func exists(_ path: String) -> Bool {
        path.withCString { access($0, F_OK) } == 0
    }

    @inline(never)
    static func unlinkFile(_ path: String) -> Int32 {
        if path.withCString({ unlink($0) }) == 0 { return 0 }
        return -errno
    }

    /// fsync of the directory that holds `path`.
    @inline(never)
    static func syncDirectory(of path: String) -> Int32 {
        var dir = "."
        if let slash = path.lastIndex(of: "/") {
            dir = slash == path.startIndex ? "/" : String(path[..<slash])
        }
        let fd = openFile(dir, flags: O_RDONLY)
        if fd < 0 { return fd }
        defer { closeFile(fd) }
        return syncFile(fd, dataOnly: false)
    }

    /// fcntl(F_SETLK): returns 1 when granted, 0 when another process holds a conflicting lock, or -errno.
    @inline(never)
    static func setLock(_ fd: Int32, type: Int32, offset: Int64, length: Int64) -> Int32 {
        var fl = flock()
        fl.l_type = Int16(type)
        fl.l_whence = Int16(SEEK_SET)
        fl.l_start = off_t(offset)
        fl.l_len = off_t(length)
        while true {
            if fcntl(fd, F_SETLK, &fl) == 0 { return 1 }
            let e = errno
            if e == EINTR { continue }
            if e == EAGAIN || e == EACCES { return 0 }
            return -e
        }
    }

    static func errorText(_ e: Int32) -> String {
        guard let s = strerror(e) else { return "errno \(e)" }
        return String(cString: s)
    }
}
