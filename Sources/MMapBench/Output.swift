import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The monotonic clock in nanoseconds (`CLOCK_MONOTONIC`), for timing loops.
@inline(__always)
func monotonicNanoseconds() -> UInt64 {
  var time = timespec()
  clock_gettime(CLOCK_MONOTONIC, &time)
  return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
}

extension BenchResult {
  /// The protocol's output line, such as `workload=readat8 ops=10000000 bytes=80000000
  /// ns_per_op=12.34 mb_per_s=6483.1 checksum=0x1b2c3d4e5f607182`.
  var line: String {
    "workload=\(workload.rawValue) ops=\(ops) bytes=\(bytes)"
      + " ns_per_op=\(String(format: "%.2f", nanosecondsPerOp))"
      + " mb_per_s=\(String(format: "%.1f", megabytesPerSecond))"
      + " checksum=0x\(hex16(checksum))"
  }
}

/// `value` as 16 lowercase hexadecimal digits.
func hex16(_ value: UInt64) -> String {
  let digits = String(value, radix: 16)
  return String(repeating: "0", count: 16 - digits.count) + digits
}

/// Writes `text` and a newline to standard error.
func printError(_ text: String) {
  FileHandle.standardError.write(Data((text + "\n").utf8))
}
