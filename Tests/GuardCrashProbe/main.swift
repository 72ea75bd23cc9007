// A program for the truncation guard's tests: with the guard installed, it faults in a
// mapping of its own (not the library's) and must die with the Swift runtime's full crash
// report, as it would without the library.

import MMap

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

let path = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "/tmp/guard-crash-probe"
let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
let fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0o600)
precondition(fd >= 0 && ftruncate(fd, off_t(2 * pageSize)) == 0, "can't make \(path)")
unlink(path)
let reader = try MMapReader(path: CommandLine.arguments[0])  // Installs the guard.
precondition(TruncationGuard.isInstalled && reader.count > 0)
let own = mmap(nil, 2 * pageSize, PROT_READ, MAP_SHARED, fd, 0)!
precondition(ftruncate(fd, 0) == 0)
print(own.load(fromByteOffset: pageSize, as: UInt8.self))
