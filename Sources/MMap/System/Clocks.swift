// The coarse monotonic clock.
// Part of System/: `system_foo` wraps the C function `foo`, hiding signature differences
// between platforms and adding no behaviour of its own.

internal import CMMapSystem

#if canImport(Darwin)
  import Darwin
#elseif canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Android)
  import Android
#else
  #error("MMap requires mmap(2); this platform is not supported.")
#endif

/// A monotonic clock in nanoseconds that costs no system call: `CLOCK_MONOTONIC_COARSE` on
/// Linux (read from the vDSO, a few milliseconds of resolution), `CLOCK_MONOTONIC` elsewhere.
internal func system_coarseMonotonicNanoseconds() -> Int {
  var time = timespec()
  #if os(Linux) || os(Android)
    _ = clock_gettime(CLOCK_MONOTONIC_COARSE, &time)
  #else
    _ = clock_gettime(CLOCK_MONOTONIC, &time)
  #endif
  // Can't overflow for 292 years of uptime.
  return time.tv_sec &* 1_000_000_000 &+ time.tv_nsec
}
