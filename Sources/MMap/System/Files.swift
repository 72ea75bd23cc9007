// Opening, closing and describing files.
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

/// Opens `path` read-only, close-on-exec and non-blocking (so that opening a FIFO never waits
/// for a writer). Returns the descriptor, or `-1` with `errno` set.
internal func system_openReadOnly(_ path: UnsafePointer<CChar>) -> CInt {
  open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
}

/// Closes `fd`. Never retry it: on Linux the descriptor is gone even when it reports EINTR.
internal func system_close(_ fd: CInt) -> CInt {
  close(fd)
}

/// Duplicates `fd` as a new close-on-exec descriptor, with `fcntl(fd, F_DUPFD_CLOEXEC, 0)`.
/// Returns the new descriptor, or `-1` with `errno` set.
internal func system_dupCloseOnExec(_ fd: CInt) -> CInt {
  fcntl(fd, F_DUPFD_CLOEXEC, 0)
}

/// What `stat` or `fstat` says of a file, reduced to what a reader needs.
internal struct system_FileStatus {
  var isRegularFile: Bool
  var isDirectory: Bool
  var size: Int
  /// The device and the inode number: together, the file's identity.
  var device: UInt64
  var inode: UInt64
  /// The 512-byte blocks allocated to the file: `0` for the files of pseudo file systems.
  var blocks: Int
  /// The last modification time, in seconds and nanoseconds since the epoch.
  var modificationTime: (seconds: Int, nanoseconds: Int) = (0, 0)
}

extension system_FileStatus {
  /// `status`, or `nil` with `errno` set to `EFBIG` if its size or block count doesn't fit
  /// in an `Int`: a file of 2 GiB or more where `Int` has 32 bits (watchOS's arm64_32,
  /// 32-bit Android). `st_size` and `st_blocks` have 64 bits everywhere.
  fileprivate init?(_ status: stat) {
    guard let size = Int(exactly: status.st_size), let blocks = Int(exactly: status.st_blocks)
    else {
      errno = EFBIG
      return nil
    }
    let type = UInt32(status.st_mode) & UInt32(S_IFMT)
    self.init(
      isRegularFile: type == UInt32(S_IFREG), isDirectory: type == UInt32(S_IFDIR),
      size: size, device: UInt64(truncatingIfNeeded: status.st_dev),
      inode: UInt64(truncatingIfNeeded: status.st_ino), blocks: blocks)
    #if canImport(Darwin)
      let time = status.st_mtimespec
    #else
      let time = status.st_mtim
    #endif
    modificationTime = (Int(time.tv_sec), Int(time.tv_nsec))
  }
}

/// Calls `fstat` on `fd`. Returns `nil` with `errno` set on failure, or set to `EFBIG` for a
/// file whose size doesn't fit in an `Int`.
internal func system_fstat(_ fd: CInt) -> system_FileStatus? {
  // Uninitialized: fstat fills it, and zeroing it first took a third of this call's
  // user-space instructions.
  withUnsafeTemporaryAllocation(of: stat.self, capacity: 1) { buffer in
    let status = buffer.baseAddress.unsafelyUnwrapped
    guard fstat(fd, status) == 0 else { return nil }
    return system_FileStatus(status.pointee)
  }
}

/// Calls `stat` on `path`, following symbolic links. Returns `nil` with `errno` set on
/// failure, or set to `EFBIG` for a file whose size doesn't fit in an `Int`.
internal func system_stat(_ path: UnsafePointer<CChar>) -> system_FileStatus? {
  var status = stat()
  guard stat(path, &status) == 0 else { return nil }
  return system_FileStatus(status)
}

/// Whether `fd` was opened with read access: not write-only, not (on Linux) `O_PATH`, which
/// allows no reads at all, and not (on Darwin) `O_EXEC`, `O_SEARCH` or `O_EVTONLY`. Returns
/// `nil` with `errno` set if `fcntl(F_GETFL)` fails.
internal func system_isOpenForReading(_ fd: CInt) -> Bool? {
  let flags = fcntl(fd, F_GETFL)
  guard flags != -1 else { return nil }
  #if os(Linux) || os(Android)
    // O_PATH, spelled as its Linux ABI value: the C library declares it only for _GNU_SOURCE.
    if flags & 0o10_000_000 != 0 { return false }
  #elseif canImport(Darwin)
    // O_EXEC clears the access mode, which then reads as O_RDONLY, and O_SEARCH is O_EXEC
    // with O_DIRECTORY: the O_EXEC bit marks both. O_EVTONLY asks for event notifications.
    if flags & (O_EXEC | O_EVTONLY) != 0 { return false }
  #endif
  let access = flags & O_ACCMODE
  return access == O_RDONLY || access == O_RDWR
}

/// Whether `code`, from `open(2)`, says that the path names a special file that can't be
/// opened: `ENXIO` (a socket on Linux, a device with no driver), or on Darwin `EOPNOTSUPP`,
/// which it gives for a socket.
internal func system_isSpecialFileOpenError(_ code: CInt) -> Bool {
  #if canImport(Darwin)
    code == ENXIO || code == EOPNOTSUPP
  #else
    code == ENXIO
  #endif
}

/// Whether `fd` is a file of a pseudo file system whose sizes say nothing of what a read
/// returns (Linux's `proc`, `sysfs`, `debugfs`, `tracefs`, `securityfs`, `configfs`, the
/// cgroup file systems, `pstore`, `efivarfs`, `bpf`). `false` where there is no such thing,
/// or if `fstatfs` fails.
internal func system_isOnPseudoFileSystem(_ fd: CInt) -> Bool {
  #if os(Linux) || os(Android)
    var type: Int64 = 0
    guard mmap_file_system_type(fd, &type) == 0 else { return false }
    let pseudoFileSystems: Set<Int64> = [
      0x9fa0,  // PROC_SUPER_MAGIC
      0x6265_6572,  // SYSFS_MAGIC
      0x6462_6720,  // DEBUGFS_MAGIC
      0x7472_6163,  // TRACEFS_MAGIC
      0x7363_6673,  // SECURITYFS_MAGIC
      0x6265_6570,  // CONFIGFS_MAGIC
      0x0027_e0eb,  // CGROUP_SUPER_MAGIC
      0x6367_7270,  // CGROUP2_SUPER_MAGIC
      0x6165_676c,  // PSTOREFS_MAGIC
      0xde5e_81e4,  // EFIVARFS_MAGIC
      0xcafe_4a11,  // BPF_FS_MAGIC
    ]
    return pseudoFileSystems.contains(type)
  #else
    return false
  #endif
}
