// The kernel's copy-free transfers (Linux only; `ENOSYS` elsewhere), from CMMapSystem, which
// wraps the calls Swift's C library overlay doesn't import.

internal import CMMapSystem

/// Moves up to `count` bytes of the file open as `from`, starting at file offset `offset`
/// (advanced by the count moved), to `to`, with the call `path` names. Returns the count
/// moved, `0` at the end of the source file, or `-1` with `errno` set.
internal func system_transfer(
  _ path: KernelTransfer, to: CInt, from: CInt, offset: inout Int, count: Int,
  isNonBlocking: Bool
) -> Int {
  var position = Int64(offset)
  let moved: Int
  switch path {
  case .sendfile: moved = mmap_sendfile(to, from, &position, count)
  case .splice: moved = mmap_splice(to, from, &position, count, isNonBlocking ? 1 : 0)
  case .copyFileRange: moved = mmap_copy_file_range(to, from, &position, count)
  }
  offset = Int(position)
  return moved
}

/// Hands up to `count` bytes at `bytes` to the pipe `to` by reference (`vmsplice`); returns
/// the count taken, or `-1` with `errno` set.
internal func system_vmsplice(
  _ to: CInt, _ bytes: UnsafeRawPointer, _ count: Int, isNonBlocking: Bool
) -> Int {
  mmap_vmsplice(to, bytes, count, isNonBlocking ? 1 : 0)
}

#if os(Linux) || os(Android)
  /// Whether the platform has ``system_transfer(_:to:from:offset:count:isNonBlocking:)``
  /// and ``system_vmsplice(_:_:_:isNonBlocking:)``: Linux.
  internal let system_hasKernelTransfers = true
#else
  internal let system_hasKernelTransfers = false
#endif
