// Reading and writing descriptors: pread, write and send, with what a destination is and
// how `SIGPIPE` is kept away from a write to it.
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

/// The most bytes one read or write asks for: 1 GiB, whole pages. Darwin rejects a count
/// above `INT_MAX` with `EINVAL` (Linux moves at most 2 GiB less a page per call), so the
/// loops that call ``system_pread(_:_:_:_:)``, ``system_write(_:_:_:)`` and
/// ``system_send(_:_:_:_:)`` split larger transfers, and continue after a short count.
internal let system_maxCountPerCall = 1 << 30

/// Copies up to `count` bytes (at most ``system_maxCountPerCall``) at file offset `offset`
/// into `buffer`; returns the count read, `0` at end of file, or `-1` with `errno` set.
internal func system_pread(
  _ fd: CInt, _ buffer: UnsafeMutableRawPointer, _ count: Int, _ offset: Int
) -> Int {
  pread(fd, buffer, count, off_t(offset))
}

/// What `fd` is open as, from `fstat`, and whether it is non-blocking (`O_NONBLOCK`, from
/// `fcntl`); `nil` with `errno` set if either fails (for example `EBADF` for a descriptor
/// that isn't open).
internal func system_destination(_ fd: CInt) -> (kind: DestinationKind, isNonBlocking: Bool)? {
  var status = stat()
  guard fstat(fd, &status) == 0 else { return nil }
  let flags = fcntl(fd, F_GETFL)
  guard flags != -1 else { return nil }
  let kind: DestinationKind
  switch UInt32(status.st_mode) & UInt32(S_IFMT) {
  case UInt32(S_IFSOCK): kind = .socket
  case UInt32(S_IFIFO): kind = .pipe
  case UInt32(S_IFREG): kind = .regularFile
  default: kind = .other
  }
  return (kind, flags & O_NONBLOCK != 0)
}

/// Writes up to `count` bytes (at most ``system_maxCountPerCall``) at `bytes` to `fd`;
/// returns the count written, or `-1` with `errno` set.
internal func system_write(_ fd: CInt, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
  write(fd, bytes, count)
}

/// Sends up to `count` bytes (at most ``system_maxCountPerCall``) at `bytes` on the socket
/// `fd` with `flags`; returns the count sent, or `-1` with `errno` set.
internal func system_send(_ fd: CInt, _ bytes: UnsafeRawPointer, _ count: Int, _ flags: CInt)
  -> Int
{
  send(fd, bytes, count, flags)
}

#if os(Linux) || os(Android)
  /// `MSG_NOSIGNAL`: a send on a socket whose peer is gone fails with `EPIPE` and raises no
  /// `SIGPIPE`. `nil` where the platform has no such flag.
  internal let system_MSG_NOSIGNAL: CInt? = CInt(MSG_NOSIGNAL)
#else
  internal let system_MSG_NOSIGNAL: CInt? = nil
#endif

/// Whether the platform can mark a descriptor so that a write to it whose reading end is
/// gone fails with `EPIPE` and raises no `SIGPIPE`: Darwin, with `SO_NOSIGPIPE` on a socket
/// and `F_SETNOSIGPIPE` on anything else. Elsewhere ``system_noSIGPIPE(_:isSocket:)`` and
/// ``system_setNoSIGPIPE(_:isSocket:_:)`` fail with `ENOTSUP`.
///
/// Darwin raises a broken pipe's `SIGPIPE` for the process (`psignal`), not for the writing
/// thread, so blocking it in that thread doesn't keep it from another thread's default
/// action; the mark keeps the kernel from raising it at all.
#if canImport(Darwin)
  internal let system_hasNoSIGPIPEMark = true
#else
  internal let system_hasNoSIGPIPEMark = false
#endif

/// Whether `fd` carries the no-`SIGPIPE` mark: `1` or `0`, or `-1` with `errno` set. For a
/// socket the mark is `SO_NOSIGPIPE` (`getsockopt`), for anything else `F_GETNOSIGPIPE`.
internal func system_noSIGPIPE(_ fd: CInt, isSocket: Bool) -> CInt {
  #if canImport(Darwin)
    let result: CInt
    if isSocket {
      var value: CInt = 0
      var length = socklen_t(MemoryLayout<CInt>.size)
      guard getsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &value, &length) == 0 else { return -1 }
      result = value
    } else {
      result = fcntl(fd, F_GETNOSIGPIPE)
      guard result != -1 else { return -1 }
    }
    return result != 0 ? 1 : 0  // A socket reports the flag's bit in its flags, not 1.
  #else
    errno = ENOTSUP
    return -1
  #endif
}

/// Sets (`isMarked`) or clears the no-`SIGPIPE` mark of `fd`: `SO_NOSIGPIPE` with
/// `setsockopt` for a socket, `F_SETNOSIGPIPE` for anything else. Returns `-1` with `errno`
/// set on failure: Darwin refuses every socket option with `EINVAL` on a socket shut down in
/// both directions, as one whose peer is gone is.
internal func system_setNoSIGPIPE(_ fd: CInt, isSocket: Bool, _ isMarked: Bool) -> CInt {
  #if canImport(Darwin)
    var value: CInt = isMarked ? 1 : 0
    if isSocket {
      return setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &value, socklen_t(MemoryLayout<CInt>.size))
    }
    return fcntl(fd, F_SETNOSIGPIPE, value)
  #else
    errno = ENOTSUP
    return -1
  #endif
}
