// swiftdb: the command-line shell (a thin entry point; the logic is ShellKit).
import ShellKit
#if canImport(Glibc)
import Glibc
#endif

#if canImport(Glibc)
/// malloc.h's mallopt, which the Glibc module does not export; M_MMAP_THRESHOLD is -3 there.
@_silgen_name("mallopt") func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
let M_MMAP_THRESHOLD: Int32 = -3

// Allocations of 128 KiB and more are mapped and unmapped on their own, always. glibc otherwise raises
// that threshold each time such a block is freed, so later large blocks (a sorter's keys, a long
// group_concat) come from the heap and stay resident after they are freed: the shell's peak memory
// would grow with every large statement of a script instead of returning to its working size.
_ = mallopt(M_MMAP_THRESHOLD, 128 * 1024)
#endif

exit(Shell.main(CommandLine.arguments))
