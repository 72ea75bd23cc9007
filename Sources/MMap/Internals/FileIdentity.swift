/// What a reader remembers of its file from the moment it opened it: the device and inode
/// that identify it, and its size then. ``FileStatus`` compares the file now against it.
internal struct FileIdentity: Sendable {
  let device: UInt64
  let inode: UInt64
  /// The whole file's size at open.
  let size: Int
  /// The file's modification time at open, seconds and nanoseconds.
  let modificationSeconds: Int
  let modificationNanoseconds: Int

  init(_ status: system_FileStatus) {
    device = status.device
    inode = status.inode
    size = status.size
    modificationSeconds = status.modificationTime.seconds
    modificationNanoseconds = status.modificationTime.nanoseconds
  }

  /// Whether `now`, a status of the same file, shows a write since open: another size or
  /// modification time.
  func isModified(_ now: system_FileStatus) -> Bool {
    now.size != size || now.modificationTime.seconds != modificationSeconds
      || now.modificationTime.nanoseconds != modificationNanoseconds
  }

  /// Whether `other` identifies the same file.
  func isSameFile(as other: FileIdentity) -> Bool {
    other.device == device && other.inode == inode
  }

  /// Whether `status` describes the same file.
  func isSameFile(as status: system_FileStatus) -> Bool {
    status.device == device && status.inode == inode
  }

  /// What the file at `path` is now, or `nil` if nothing is there (`ENOENT`, `ENOTDIR`).
  ///
  /// - Throws: ``MMapError`` with ``MMapError/Operation/stat`` and what `stat` reported for
  ///   any other failure (`EACCES` on a directory of the path, say).
  static func statusOfPath(_ path: String) throws(MMapError) -> system_FileStatus? {
    guard let status = path.withCString({ system_stat($0) }) else {
      let code = system_errno  // Next line after the call.
      if code == system_ENOENT || code == system_ENOTDIR { return nil }
      throw MMapError(.stat, path: path, errno: code)
    }
    return status
  }

  /// The status of a reader that holds a descriptor to its file, open as `fd`: the size from
  /// `fstat`, and whether `path` (if any) still names the file.
  ///
  /// - Throws: ``MMapError`` with ``MMapError/Operation/stat`` if `fstat` or `stat` fails.
  func status(descriptor fd: CInt, path: String?) throws(MMapError) -> FileStatus {
    guard let now = system_fstat(fd) else {
      throw MMapError(.stat, path: path, errno: system_errno)
    }
    let isAtPath = try path.map { (path) throws(MMapError) in
      try Self.statusOfPath(path).map(isSameFile(as:)) ?? false
    }
    return FileStatus(
      sizeAtOpen: size, size: now.size, isAtPath: isAtPath, isModified: isModified(now))
  }

  /// The status of a reader that holds no descriptor: what `path` names now, if it is still
  /// the file; nothing known for a reader without a path.
  ///
  /// - Throws: ``MMapError`` with ``MMapError/Operation/stat`` if `stat` fails other than
  ///   for a missing path.
  func status(path: String?) throws(MMapError) -> FileStatus {
    guard let path else {
      return FileStatus(sizeAtOpen: size, size: nil, isAtPath: nil, isModified: nil)
    }
    guard let now = try Self.statusOfPath(path), isSameFile(as: now) else {
      return FileStatus(sizeAtOpen: size, size: nil, isAtPath: false, isModified: nil)
    }
    return FileStatus(
      sizeAtOpen: size, size: now.size, isAtPath: true, isModified: isModified(now))
  }
}
