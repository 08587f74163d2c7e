// IOBackends: which back-end a connection gets when its caller names none.
//
// The default on Linux is io_uring: async statements keep many reads in flight
// without a thread each (CompletionReactor), scans read ahead in batches, and a
// commit's writes and sync go to the kernel as one linked submission (issue 6's
// benchmark, Benchmarks/Sources/IOBench). Its cost: ext4 hands every buffered
// write and fsync to a kernel worker, so a commit that syncs pays a hand-off
// more than fdatasync would (small unsynced writes are copied inline:
// IOUringBackend.swift). It is probed: the
// ring must set up (io_uring_queue_init fails under a seccomp filter that
// blocks io_uring_setup, on kernels without it, or with EPERM when
// /proc/sys/kernel/io_uring_disabled forbids it) and the kernel must have the
// read, write and fsync opcodes (5.6+). Otherwise the syscall back-end serves,
// and the selection records why, for `PRAGMA io_backend`. The environment
// variable SWIFTDB_IO=syscall forces the syscall back-end; SWIFTDB_IO=io_uring
// asks for io_uring (still falling back, with the reason, when it cannot).
// `IOBackends.defaultIsIOUring` says which is the default.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A back-end and the reason it was chosen.
public struct IOBackendSelection {
    public var backend: IOBackend
    public var reason: String
}

public enum IOBackends {
    /// Whether a connection that names no back-end gets io_uring (where the kernel allows it).
    public static let defaultIsIOUring = true

    /// The platform's default back-end, honouring SWIFTDB_IO. `confinedToThread`: only the calling
    /// thread will use it (IOUringBackend's thread-confined ring).
    public static func makeDefault(confinedToThread: Bool = false) -> IOBackendSelection {
        make(setting: getenv("SWIFTDB_IO").map { String(cString: $0) }, confinedToThread: confinedToThread)
    }

    /// The back-end a SWIFTDB_IO-style setting names ("syscall", "io_uring"; nil for the default), with
    /// io_uring's probe and fallback.
    public static func make(setting: String?, confinedToThread: Bool = false) -> IOBackendSelection {
        select(setting: setting, disabledSetting: readDisabledSetting(), confinedToThread: confinedToThread)
    }

    /// The selection for a SWIFTDB_IO value (nil when unset) and a /proc/sys/kernel/io_uring_disabled value
    /// (nil when the file is absent); separate from the environment so tests can drive every path.
    public static func select(setting: String?, disabledSetting: String?,
                              confinedToThread: Bool = false) -> IOBackendSelection {
        var prefix = ""
        switch setting?.lowercased() {
        case "syscall":
            return IOBackendSelection(backend: SyscallBackend(), reason: "forced by SWIFTDB_IO=syscall")
        case nil, "", "default":
            if !defaultIsIOUring {
                return IOBackendSelection(backend: SyscallBackend(),
                                          reason: "the default (SWIFTDB_IO=io_uring selects io_uring)")
            }
        case "io_uring", "iouring":
            break
        case let other?:
            prefix = "SWIFTDB_IO=\(other) is not a back-end (syscall, io_uring); "
        }
        let requested = setting?.lowercased() == "io_uring" || setting?.lowercased() == "iouring"
        #if canImport(CLiburing)
        if let d = disabledSetting?.trimmingASCIISpaces, d == "2" {
            return IOBackendSelection(backend: SyscallBackend(),
                                      reason: prefix + "io_uring is disabled (/proc/sys/kernel/io_uring_disabled = 2)")
        }
        do {
            let ring = try IOUringBackend(confinedToThread: confinedToThread)
            let how = requested ? "requested by SWIFTDB_IO=io_uring" : "the Linux default"
            return IOBackendSelection(backend: ring, reason: prefix + how
                                      + (ring.isConfinedToThread ? "; one thread, completions deferred to its waits" : "")
                                      + (ring.nativeTruncate ? "" : "; truncate runs synchronously (kernel < 6.9)"))
        } catch {
            var why = error.detail ?? error.message
            if disabledSetting?.trimmingASCIISpaces == "1" {
                why += " (/proc/sys/kernel/io_uring_disabled = 1: only the io_uring_group may use it)"
            }
            return IOBackendSelection(backend: SyscallBackend(), reason: prefix + "io_uring unavailable: " + why)
        }
        #else
        return IOBackendSelection(backend: SyscallBackend(), reason: prefix + "io_uring exists only on Linux")
        #endif
    }

    /// The contents of /proc/sys/kernel/io_uring_disabled (Linux 6.6+), or nil.
    static func readDisabledSetting() -> String? {
        #if os(Linux)
        let fd = Posix.openFile("/proc/sys/kernel/io_uring_disabled", flags: O_RDONLY)
        if fd < 0 { return nil }
        defer { Posix.closeFile(fd) }
        var bytes = [UInt8](repeating: 0, count: 16)
        let n = bytes.withUnsafeMutableBytes { b in read(fd, b.baseAddress!, b.count) }
        if n <= 0 { return nil }
        return String(decoding: bytes[0..<n], as: UTF8.self)
        #else
        return nil
        #endif
    }
}

extension String {
    fileprivate var trimmingASCIISpaces: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\n" || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\n" || c == "\t" { s.removeLast() }
        return String(s)
    }
}
