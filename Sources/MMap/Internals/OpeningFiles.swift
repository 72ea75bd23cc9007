/// Opens `path` read-only (close-on-exec, non-blocking so a FIFO can't hang the caller).
///
/// - Returns: A descriptor the caller must close with ``system_close(_:)``.
internal func openReadOnly(path: String) throws(MMapError) -> CInt {
  try checkSystemCall(.open, path: path) { path.withCString { system_openReadOnly($0) } }
}

/// The size of the regular file open as `fd`.
///
/// - Throws: ``MMapError`` with ``MMapError/Operation/open`` and `EISDIR` for a directory or
///   `ENODEV` for anything else that is not a regular file (FIFO, socket, device), or with
///   ``MMapError/Operation/stat`` if `fstat` fails.
internal func regularFileSize(fd: CInt, path: String?) throws(MMapError) -> Int {
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
/// - Throws: ``MMapError`` with ``MMapError/Operation/map`` and `EINVAL` if the range is not
///   inside the file. Can't overflow for any arguments.
internal func fileRange(offset: Int, count: Int?, fileSize: Int, path: String?)
  throws(MMapError) -> Range<Int>
{
  let invalid = MMapError(.map, path: path, errno: system_EINVAL)
  guard offset >= 0, offset <= fileSize else { throw invalid }
  let rest = fileSize - offset
  guard let count else { return offset..<fileSize }
  guard count >= 0, count <= rest else { throw invalid }
  return offset..<(offset + count)  // Can't overflow: count <= fileSize - offset.
}
