// mmap, munmap, madvise, mlock and mincore.
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

/// Maps `count` bytes of `fd` from `offset` (a multiple of the page size) read-only and shared.
/// Returns `nil` with `errno` set on failure.
///
/// With `populate`, asks the kernel to read every page in: on Linux with `MAP_POPULATE`,
/// which faults them all in before returning; where there is no such flag (Darwin), with
/// `madvise(MADV_WILLNEED)`, which starts reading them and doesn't wait, so that the first
/// touch of each page still takes a fault, if a cheaper one. Touching the pages here instead
/// would not be safe: the caller registers the mapping with the truncation guard only after
/// this returns, and a page past the end of a file truncated meanwhile raises `SIGBUS`.
internal func system_mmap(
  _ fd: CInt, count: Int, offset: Int, populate: Bool
) -> UnsafeMutableRawPointer? {
  let flags = MAP_SHARED | (populate ? system_MAP_POPULATE : 0)
  let address = mmap(nil, count, PROT_READ, flags, fd, off_t(offset))
  guard let address, address != UnsafeMutableRawPointer(bitPattern: -1) else { return nil }
  if populate && system_MAP_POPULATE == 0 {
    _ = madvise(address, count, MADV_WILLNEED)  // A hint: its failure changes no read.
  }
  return address
}

/// Maps `count` bytes of `fd` from `offset` (a multiple of the page size) as a private,
/// readable and writable copy-on-write mapping: writes go to private copies of the pages, never
/// to the file, so `fd` need only be open for reading. Returns `nil` with `errno` set on
/// failure.
internal func system_mmapPrivate(_ fd: CInt, count: Int, offset: Int) -> UnsafeMutableRawPointer? {
  let address = mmap(nil, count, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, off_t(offset))
  guard let address, address != UnsafeMutableRawPointer(bitPattern: -1) else { return nil }
  return address
}

/// Maps `count` bytes of `fd` from `offset` (a multiple of the page size) read-only and
/// shared at exactly `address`, replacing whatever was mapped there in one step
/// (`MAP_FIXED`). Returns `false` with `errno` set on failure, and then the old mapping may be
/// gone: the caller puts zero pages back.
internal func system_mmapFixed(
  _ fd: CInt, at address: UnsafeMutableRawPointer, count: Int, offset: Int
) -> Bool {
  mmap(address, count, PROT_READ, MAP_SHARED | MAP_FIXED, fd, off_t(offset)) == address
}

/// Reserves `count` bytes of address space as private, read-only zero pages that take no
/// memory (`MAP_NORESERVE` where the platform has it). Returns `nil` with `errno` set on
/// failure.
internal func system_mmapReserve(count: Int) -> UnsafeMutableRawPointer? {
  #if canImport(Darwin)
    let flags = MAP_PRIVATE | MAP_ANON
  #else
    let flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE
  #endif
  let address = mmap(nil, count, PROT_READ, flags, -1, 0)
  guard let address, address != UnsafeMutableRawPointer(bitPattern: -1) else { return nil }
  return address
}

/// Replaces the pages at `address` with a private, read-only, zero-filled anonymous mapping,
/// in one step (`MAP_FIXED`), so the range never becomes unmapped. Zero pages cost no memory.
/// Returns `false` with `errno` set on failure.
internal func system_mmapZeroPlaceholder(_ address: UnsafeMutableRawPointer, count: Int) -> Bool {
  #if canImport(Darwin)
    let anonymous = MAP_ANON
  #else
    let anonymous = MAP_ANONYMOUS
  #endif
  let result = mmap(address, count, PROT_READ, MAP_PRIVATE | anonymous | MAP_FIXED, -1, 0)
  return result == address
}

/// Unmaps `count` bytes at `address`. Returns `-1` with `errno` set on failure.
internal func system_munmap(_ address: UnsafeMutableRawPointer, count: Int) -> CInt {
  munmap(address, count)
}

/// Gives the kernel `advice` about `count` bytes at `address` (page-aligned). Returns `-1`
/// with `errno` set on failure.
internal func system_madvise(_ address: UnsafeMutableRawPointer, count: Int, _ advice: CInt)
  -> CInt
{
  madvise(address, count, advice)
}

/// Locks the pages of `count` bytes at `address` (page-aligned) in memory, reading them in
/// first. Returns `-1` with `errno` set on failure: `ENOMEM` or `EPERM` beyond
/// `RLIMIT_MEMLOCK`, `EAGAIN` if some pages could not be locked.
internal func system_mlock(_ address: UnsafeRawPointer, count: Int) -> CInt {
  mlock(address, count)
}

/// Unlocks the pages of `count` bytes at `address` (page-aligned); pages that weren't locked
/// stay as they are. Returns `-1` with `errno` set on failure.
internal func system_munlock(_ address: UnsafeRawPointer, count: Int) -> CInt {
  munlock(address, count)
}

/// Sets bit 0 of `vector[i]` if page `i` of the `count` bytes at `address` (page-aligned) is
/// resident, without touching the pages. `vector` holds a byte per page. Returns `-1` with
/// `errno` set on failure.
internal func system_mincore(
  _ address: UnsafeRawPointer, count: Int, _ vector: UnsafeMutablePointer<UInt8>
) -> CInt {
  #if canImport(Darwin)
    // Darwin declares the vector as `char *`.
    let pages = (count &+ system_pageSize &- 1) / system_pageSize  // Can't overflow: mapped.
    return vector.withMemoryRebound(to: CChar.self, capacity: pages) {
      mincore(address, count, $0)
    }
  #else
    mincore(UnsafeMutableRawPointer(mutating: address), count, vector)
  #endif
}

#if os(Linux) || os(Android)
  /// `MAP_POPULATE`: fault every page in at `mmap` time. `0` (no effect) where it is absent.
  internal let system_MAP_POPULATE: CInt = MAP_POPULATE
#else
  internal let system_MAP_POPULATE: CInt = 0
#endif

internal let system_MADV_NORMAL = CInt(MADV_NORMAL)
internal let system_MADV_SEQUENTIAL = CInt(MADV_SEQUENTIAL)
internal let system_MADV_RANDOM = CInt(MADV_RANDOM)
internal let system_MADV_WILLNEED = CInt(MADV_WILLNEED)
/// Linux drops the pages of a shared file mapping at once (reads fetch them again); Darwin
/// only moves them to the inactive queue, so that they stay resident until memory runs low.
internal let system_MADV_DONTNEED = CInt(MADV_DONTNEED)
// Advice only some kernels know: `nil` where the platform has none, so that callers need no
// `#if` and can report the advice as unsupported.
#if os(Linux) || os(Android)
  // Linux ABI values, spelled as numbers because older C libraries lack the names.
  internal let system_MADV_HUGEPAGE: CInt? = 14
  internal let system_MADV_POPULATE_READ: CInt? = 22
  // Linux 5.4 and later; an older kernel rejects them with EINVAL.
  internal let system_MADV_COLD: CInt? = 20
  internal let system_MADV_PAGEOUT: CInt? = 21
#else
  internal let system_MADV_HUGEPAGE: CInt? = nil
  internal let system_MADV_POPULATE_READ: CInt? = nil
  internal let system_MADV_COLD: CInt? = nil
  internal let system_MADV_PAGEOUT: CInt? = nil
#endif

/// `EFAULT`: what a system call that reads a caller's memory reports for an unreadable page,
/// such as a mapped page past the end of a truncated file.
internal let system_EFAULT: CInt = EFAULT
