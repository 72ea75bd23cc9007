// The C allocator, and memchr.
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

/// Allocates `count` bytes (at least one) with `malloc`, aligned for any scalar. Returns `nil`
/// if the allocation fails. Free the memory with ``system_free(_:)``.
///
/// `UnsafeMutableRawPointer.allocate` always takes the runtime's aligned path on Linux
/// (`posix_memalign`), which costs as much again as the allocation itself.
internal func system_malloc(_ count: Int) -> UnsafeMutableRawPointer? {
  malloc(count)
}

/// Frees memory that ``system_malloc(_:)`` returned.
internal func system_free(_ pointer: UnsafeMutableRawPointer?) {
  free(pointer)
}

/// Whether the `count` bytes at `bytes` hold `byte`, with `memchr`.
internal func system_memchr(_ bytes: UnsafePointer<UInt8>, _ byte: UInt8, _ count: Int) -> Bool {
  memchr(bytes, CInt(byte), count) != nil
}
