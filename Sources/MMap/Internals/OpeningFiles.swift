/// A regular file opened for a reader: a descriptor this value owns, and the byte range the
/// reader will expose.
///
/// Every reader opens its file through it, from a path or by duplicating a caller's
/// descriptor, so the ownership rule is written once: the descriptor is closed when this value
/// is destroyed, on every failure path included, unless a reader takes it with
/// ``takeDescriptor()``.
internal struct OpenedFile: ~Copyable {
  /// The descriptor, read-only and close-on-exec.
  private let descriptor: OwnedDescriptor
  /// The descriptor's number, valid while this value lives.
  var fd: CInt { descriptor.fd }
  /// The path for errors, or `nil` for a file given by descriptor.
  let path: String?
  /// The file offsets the reader exposes.
  let range: Range<Int>

  /// Opens `path` read-only (close-on-exec, non-blocking so a FIFO can't hang the caller)
  /// and checks the range `offset` and `count` describe.
  ///
  /// - Throws: ``MMapError``: ``MMapError/Operation/open`` for a missing or unreadable path
  ///   (`ENOENT`, `EACCES`), a directory (`EISDIR`) or another non-regular file (`ENODEV`);
  ///   `rangeOperation` with `EINVAL` if the range is not inside the file.
  init(path: String, offset: Int, count: Int?, rangeOperation: MMapError.Operation)
    throws(MMapError)
  {
    let fd = try checkSystemCall(.open, path: path) {
      path.withCString { system_openReadOnly($0) }
    }
    try self.init(
      owning: fd, path: path, offset: offset, count: count, rangeOperation: rangeOperation)
  }

  /// Duplicates `fileDescriptor` (close-on-exec) and checks the range `offset` and `count`
  /// describe. The caller's descriptor is never closed and may be closed at once: the reader
  /// reads through its own duplicate, so a closed and reused number can't redirect it.
  ///
  /// - Throws: ``MMapError`` with ``MMapError/Operation/open`` and what `fcntl` reported if
  ///   the descriptor can't be duplicated (`EBADF`, `EMFILE`), or as the path form does.
  init(
    duplicating fileDescriptor: CInt, offset: Int, count: Int?,
    rangeOperation: MMapError.Operation
  ) throws(MMapError) {
    let fd = try checkSystemCall(.open, path: nil) { system_dupCloseOnExec(fileDescriptor) }
    try self.init(
      owning: fd, path: nil, offset: offset, count: count, rangeOperation: rangeOperation)
  }

  private init(
    owning fd: CInt, path: String?, offset: Int, count: Int?,
    rangeOperation: MMapError.Operation
  ) throws(MMapError) {
    let descriptor = OwnedDescriptor(fd)  // Closes `fd` if anything below throws.
    let size = try regularFileSize(fd: fd, path: path)
    self.range = try fileRange(
      offset: offset, count: count, fileSize: size, operation: rangeOperation, path: path)
    self.descriptor = descriptor
    self.path = path
  }

  /// Hands the descriptor to a reader, which closes it when released.
  consuming func takeDescriptor() -> CInt {
    descriptor.take()
  }
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

/// The size of the regular file open as `fd`.
///
/// - Throws: ``MMapError`` with ``MMapError/Operation/open`` and `EISDIR` for a directory or
///   `ENODEV` for anything else that is not a regular file (FIFO, socket, device), or with
///   ``MMapError/Operation/stat`` if `fstat` fails.
private func regularFileSize(fd: CInt, path: String?) throws(MMapError) -> Int {
  guard let status = system_fstat(fd) else {
    throw MMapError(.stat, path: path, errno: system_errno)
  }
  guard status.isRegularFile else {
    let code = status.isDirectory ? system_EISDIR : system_ENODEV
    throw MMapError(.open, path: path, errno: code)
  }
  return status.size
}

/// The byte range a reader exposes: from `offset`, `count` bytes or (if `nil`) the rest of a
/// file of `fileSize` bytes.
///
/// - Throws: ``MMapError`` with `operation` and `EINVAL` if the range is not inside the
///   file. Can't overflow for any arguments.
private func fileRange(
  offset: Int, count: Int?, fileSize: Int, operation: MMapError.Operation, path: String?
) throws(MMapError) -> Range<Int> {
  let invalid = MMapError.outsideReader(operation, path: path)
  guard offset >= 0, offset <= fileSize else { throw invalid }
  let rest = fileSize - offset
  guard let count else { return offset..<fileSize }
  guard count >= 0, count <= rest else { throw invalid }
  return offset..<(offset + count)  // Can't overflow: count <= fileSize - offset.
}
