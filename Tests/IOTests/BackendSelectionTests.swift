// The default back-end's selection (IOBackends): io_uring on Linux (IOBackends.defaultIsIOUring), else syscall;
// io_uring when SWIFTDB_IO=io_uring asks and the kernel allows it; always with a reason.
import Testing
import IO

@Suite struct BackendSelectionTests {
    @Test func syscallCanBeForced() {
        let s = IOBackends.select(setting: "syscall", disabledSetting: "0")
        #expect(s.backend.name == "syscall")
        #expect(s.reason == "forced by SWIFTDB_IO=syscall")
    }

    @Test func disabledByTheKernelSettingFallsBack() {
        let s = IOBackends.select(setting: "io_uring", disabledSetting: "2\n")
        #expect(s.backend.name == "syscall")
        #if os(Linux)
        #expect(s.reason == "io_uring is disabled (/proc/sys/kernel/io_uring_disabled = 2)")
        #endif
    }

    @Test func unknownSettingIsNamedInTheReason() {
        let s = IOBackends.select(setting: "aio", disabledSetting: nil)
        #expect(s.reason.hasPrefix("SWIFTDB_IO=aio is not a back-end (syscall, io_uring); "))
    }

    #if os(Linux)
    /// On this machine io_uring is expected to work (CI runs on a kernel that has it); when it does not, the
    /// fallback must say why.
    @Test func requestedIOUringIsGrantedOrSaysWhyNot() {
        let s = IOBackends.select(setting: "io_uring", disabledSetting: "0")
        if s.backend.name == "io_uring" {
            #expect(s.reason.hasPrefix("requested by SWIFTDB_IO=io_uring"))
        } else {
            #expect(s.backend.name == "syscall")
            #expect(s.reason.hasPrefix("io_uring unavailable: "))
        }
        let d = IOBackends.select(setting: nil, disabledSetting: "0")
        #expect(d.backend.name == (IOBackends.defaultIsIOUring ? s.backend.name : "syscall"))
    }
    #endif
}
