/// A regular file opened for a reader: a descriptor this value owns, and the byte range the
/// reader will expose.
///
/// Every reader opens its file through it, from a path or by duplicating a caller's
/// descriptor, so the ownership rule is written once: the descriptor is closed when this value
/// is destroyed, on every failure path included, unless a reader takes it with
/// ``takeDescriptor()``.
///
/// The path is not kept: a reader takes it from its own arguments. (A `String?` stored in a
/// noncopyable value is copied and destroyed through its value witnesses, which cost more
/// user-space instructions than the rest of opening a file.)
internal struct OpenedFile: ~Copyable {
  /// The descriptor, read-only and close-on-exec.
  private let descriptor: OwnedDescriptor
  /// The descriptor's number, valid while this value lives.
  var fd: CInt { descriptor.fd }
  /// The file offsets the reader exposes.
  let range: Range<Int>
  /// The file's device, inode and size as it was opened.
  let identity: FileIdentity
  /// Whether the file belongs to a pseudo file system (`/proc`, `/sys`), whose sizes say
  /// nothing of the contents; only ever `true` for a file opened `acceptingPseudoFiles`.
  let isPseudoFile: Bool

  /// Opens `path` read-only (close-on-exec, non-blocking so a FIFO can't hang the caller)
  /// and checks the range `offset` and `count` describe.
  ///
  /// A file of a pseudo file system is refused, unless `acceptingPseudoFiles`: only a reader
  /// that reads the file to its end can read it right.
  ///
  /// - Throws: ``MMapError``: ``MMapError/Operation/open`` for a path holding a NUL byte
  ///   (`EINVAL`: C would see only the part before it), a missing or unreadable path
  ///   (`ENOENT`, `EACCES`), a directory (`EISDIR`), another non-regular file or a refused
  ///   file of a pseudo file system (`ENODEV`); `rangeOperation` with `EINVAL` if the range
  ///   is not inside the file.
  init(
    path: String, offset: Int, count: Int?, rangeOperation: MMapError.Operation,
    acceptingPseudoFiles: Bool = false
  ) throws(MMapError) {
    guard !containsNUL(path) else { throw MMapError(.open, path: path, errno: system_EINVAL) }
    let fd: CInt
    do {
      fd = try checkSystemCall(.open, path: path) {
        path.withCString { system_openReadOnly($0) }
      }
    } catch {
      // open(2) refuses some special files (a socket, a device with no driver) with ENXIO,
      // or on Darwin a socket with EOPNOTSUPP: report them as every other file that is not
      // a regular file.
      guard system_isSpecialFileOpenError(error.errno) else { throw error }
      throw MMapError(.open, path: path, errno: system_ENODEV)
    }
    try self.init(
      owning: fd, path: path, offset: offset, count: count, rangeOperation: rangeOperation,
      acceptingPseudoFiles: acceptingPseudoFiles)
  }

  /// Duplicates `fileDescriptor` (close-on-exec) and checks the range `offset` and `count`
  /// describe. The caller's descriptor is never closed and may be closed at once: the reader
  /// reads through its own duplicate, so a closed and reused number can't redirect it.
  ///
  /// - Throws: ``MMapError`` with ``MMapError/Operation/open`` and what `fcntl` reported if
  ///   the descriptor can't be duplicated (`EBADF`, `EMFILE`), with `EACCES` if it was not
  ///   opened for reading (write-only, `O_PATH` on Linux, `O_EXEC`, `O_SEARCH` or
  ///   `O_EVTONLY` on Darwin), or as the path form does. A socket, like every other file
  ///   that is not a regular file, gives `ENODEV` from the `fstat` check, before any `mmap`
  ///   could report Darwin's `EOPNOTSUPP` or Linux's `ENODEV`.
  init(
    duplicating fileDescriptor: CInt, offset: Int, count: Int?,
    rangeOperation: MMapError.Operation, acceptingPseudoFiles: Bool = false
  ) throws(MMapError) {
    let fd = try checkSystemCall(.open, path: nil) { system_dupCloseOnExec(fileDescriptor) }
    let descriptor = OwnedDescriptor(fd)  // Closes `fd` if the check below throws.
    guard let isReadable = system_isOpenForReading(fd) else {
      throw MMapError(.open, path: nil, errno: system_errno)
    }
    // Refused here, rather than by every read later with EBADF, the closed reader's error.
    guard isReadable else { throw MMapError(.open, path: nil, errno: system_EACCES) }
    try self.init(
      owning: descriptor.take(), path: nil, offset: offset, count: count,
      rangeOperation: rangeOperation, acceptingPseudoFiles: acceptingPseudoFiles)
  }

  private init(
    owning fd: CInt, path: String?, offset: Int, count: Int?,
    rangeOperation: MMapError.Operation, acceptingPseudoFiles: Bool
  ) throws(MMapError) {
    let descriptor = OwnedDescriptor(fd)  // Closes `fd` if anything below throws.
    let (status, isPseudoFile) = try regularFileStatus(
      fd: fd, path: path, acceptingPseudoFiles: acceptingPseudoFiles)
    self.range = try fileRange(
      offset: offset, count: count, fileSize: status.size, operation: rangeOperation,
      path: path)
    self.identity = FileIdentity(status)
    self.isPseudoFile = isPseudoFile
    self.descriptor = descriptor
  }

  /// Hands the descriptor to a reader, which closes it when released.
  consuming func takeDescriptor() -> CInt {
    descriptor.take()
  }
}

/// Whether `path` holds a NUL byte, which C would take for its end.
///
/// Searched with `memchr` in the string's contiguous UTF-8 storage: the generic
/// `utf8.contains(0)` took about 450 user-space instructions for a 14-byte path, more than
/// the rest of opening a file.
private func containsNUL(_ path: String) -> Bool {
  let found = path.utf8.withContiguousStorageIfAvailable { bytes in
    guard let start = bytes.baseAddress else { return false }
    return system_memchr(start, 0, bytes.count)
  }
  return found ?? path.utf8.contains(0)
}

/// A descriptor closed when this value is destroyed, unless someone takes it.
private struct OwnedDescriptor: ~Copyable {
  let fd: CInt

  init(_ fd: CInt) { self.fd = fd }

  deinit {
    _ = system_close(fd)  // Never retried: the descriptor is gone even on EINTR.
  }

  /// Gives up ownership: the caller closes the descriptor.
  consuming func take() -> CInt {
    let fd = self.fd
    discard self
    return fd
  }
}

/// What `fstat` says of the regular file open as `fd`, and whether it belongs to a pseudo
/// file system.
///
/// A file of a pseudo file system such as `/proc` or `/sys` is refused as if it were not a
/// regular file, although `fstat` calls it one, unless `acceptingPseudoFiles`: its size says
/// nothing of its contents (0 for `/proc/self/status`, 4096 for most of `/sys`), so a reader
/// that trusts it would silently read nothing, or a few bytes and then fail. Such files
/// report no blocks, so ordinary files pay no `fstatfs` for the check.
///
/// - Throws: ``MMapError`` with ``MMapError/Operation/open`` and `EISDIR` for a directory or
///   `ENODEV` for anything else that is not a regular file (FIFO, socket, device, a refused
///   file of a pseudo file system), or with ``MMapError/Operation/stat`` if `fstat` fails.
private func regularFileStatus(fd: CInt, path: String?, acceptingPseudoFiles: Bool)
  throws(MMapError) -> (status: system_FileStatus, isPseudoFile: Bool)
{
  guard let status = system_fstat(fd) else {
    throw MMapError(.stat, path: path, errno: system_errno)
  }
  guard status.isRegularFile else {
    let code = status.isDirectory ? system_EISDIR : system_ENODEV
    throw MMapError(.open, path: path, errno: code)
  }
  if status.blocks == 0, system_isOnPseudoFileSystem(fd) {
    guard acceptingPseudoFiles else { throw MMapError(.open, path: path, errno: system_ENODEV) }
    return (status, true)
  }
  return (status, false)
}

/// The byte range a reader exposes: from `offset`, `count` bytes or (if `nil`) the rest of a
/// file of `fileSize` bytes.
///
/// - Throws: ``MMapError`` with `operation` and `EINVAL` if the range is not inside the
///   file. Can't overflow for any arguments.
private func fileRange(
  offset: Int, count: Int?, fileSize: Int, operation: MMapError.Operation, path: String?
) throws(MMapError) -> Range<Int> {
  // The error is built only when thrown: building it copies strings, on every open.
  guard offset >= 0, offset <= fileSize else {
    throw MMapError.outsideReader(operation, path: path)
  }
  guard let count else { return offset..<fileSize }
  // Can't overflow: 0 <= offset <= fileSize.
  guard count >= 0, count <= fileSize &- offset else {
    throw MMapError.outsideReader(operation, path: path)
  }
  return offset..<(offset + count)  // Can't overflow: count <= fileSize - offset.
}
