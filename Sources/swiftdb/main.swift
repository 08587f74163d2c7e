// swiftdb: the command-line shell (a thin entry point; the logic is ShellKit).
import ShellKit
#if canImport(Glibc)
import Glibc
#endif

exit(Shell.main(CommandLine.arguments))
