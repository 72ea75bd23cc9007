// The system calls of ``FileReader``'s streams and file-system classes.
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
#endif

// MARK: Streams

/// The kinds of file that can only be read in order, to their end.
internal enum system_StreamType {
  /// A FIFO or a pipe.
  case fifo
  /// A socket.
  case socket
  /// A character device: a terminal, or a device that is none (`/dev/null`).
  case characterDevice
}

extension system_StreamType {
  /// The stream type of a file whose `st_mode` is `mode`, or `nil` for any other file.
  fileprivate init?(mode: mode_t) {
    switch UInt32(mode) & UInt32(S_IFMT) {
    case UInt32(S_IFIFO): self = .fifo
    case UInt32(S_IFSOCK): self = .socket
    case UInt32(S_IFCHR): self = .characterDevice
    default: return nil
    }
  }
}

/// The stream type of the file open as `fd`, from `fstat`; `nil` for any other file, or if
/// `fstat` fails.
internal func system_streamType(_ fd: CInt) -> system_StreamType? {
  var status = stat()
  guard fstat(fd, &status) == 0 else { return nil }
  return system_StreamType(mode: status.st_mode)
}

/// The stream type of the file at `path`, from `stat`; `nil` for any other file, or if
/// `stat` fails.
internal func system_streamType(_ path: UnsafePointer<CChar>) -> system_StreamType? {
  var status = stat()
  guard stat(path, &status) == 0 else { return nil }
  return system_StreamType(mode: status.st_mode)
}

/// Opens `path` read-only and close-on-exec, waiting, for a FIFO, until a writer opens it,
/// and never making a terminal the controlling one (`O_NOCTTY`). Returns the descriptor, or
/// `-1` with `errno` set.
internal func system_openReadOnlyBlocking(_ path: UnsafePointer<CChar>) -> CInt {
  open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)
}

/// Whether `fd` is a terminal, with `isatty`.
internal func system_isatty(_ fd: CInt) -> Bool {
  isatty(fd) == 1
}

/// Reads up to `count` bytes (at most ``system_maxCountPerCall``) from `fd`'s file offset
/// into `buffer`; returns the count read, `0` at the end, or `-1` with `errno` set.
internal func system_read(_ fd: CInt, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
  read(fd, buffer, count)
}

/// Waits until `fd` can be read, or reports its end or an error, with `poll`. Returns `1`,
/// or `-1` with `errno` set.
internal func system_pollReadable(_ fd: CInt) -> CInt {
  var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
  return poll(&entry, 1, -1)
}

// MARK: File systems

/// What `fstatfs` says of the file system holding the file open as `fd`: its type number
/// (Linux's `f_type`, `0` elsewhere), its type name (Darwin's `f_fstypename`, empty
/// elsewhere), and whether it is local (Darwin's `MNT_LOCAL`; `nil` where there is no such
/// flag). `nil` with `errno` set if `fstatfs` fails.
internal func system_fileSystem(_ fd: CInt) -> (type: Int64, name: String, isLocal: Bool?)? {
  #if canImport(Darwin)
    var info = statfs()
    guard fstatfs(fd, &info) == 0 else { return nil }
    let name = withUnsafeBytes(of: &info.f_fstypename) { bytes in
      String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }
    return (Int64(info.f_type), name, info.f_flags & UInt32(MNT_LOCAL) != 0)
  #elseif os(Linux) || os(Android)
    var type: Int64 = 0
    let code = mmap_file_system_type(fd, &type)
    guard code == 0 else {
      errno = code
      return nil
    }
    return (type, "", nil)
  #else
    errno = ENOSYS
    return nil
  #endif
}

/// The major number of the device `device` (`st_dev`): `0` for the anonymous devices of file
/// systems without a block device (network, user-space, memory and pseudo file systems), on
/// Linux; `nil` where device numbers don't tell.
internal func system_majorDevice(_ device: UInt64) -> UInt64? {
  #if os(Linux) || os(Android)
    // glibc's gnu_dev_major: bits 8 to 19 and 32 to 43.
    (device >> 8) & 0xfff | (device >> 32) & ~0xfff
  #else
    nil
  #endif
}

/// The descriptor of standard input.
internal let system_STDIN_FILENO: CInt = STDIN_FILENO
