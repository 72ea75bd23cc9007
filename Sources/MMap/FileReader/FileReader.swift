/// Opens a file with the reader that reads it fastest: one call, whatever the file.
///
/// ```swift
/// let reader = try FileReader.open(path: "/etc/hosts")   // any ZeroCopyReader
/// defer { try? reader.close() }
/// let text = try reader.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
/// print(FileReader.Kind(of: reader)!)                      // memory
/// ```
///
/// Every reader it returns is a ``ZeroCopyReader``: the reads, views and scans don't depend
/// on the choice, only their costs do. The choice, made from what `fstat` reports at open:
///
/// - A file of at most ``Options/memoryThreshold`` bytes (64 KiB unless set) is read into
///   memory with one `pread`, as an ``InMemoryReader``. Opening and closing a mapping costs
///   more than reading that much (see ``defaultMemoryThreshold``), and the reads are the same
///   memory accesses afterwards.
/// - A file of a pseudo file system (`/proc`, `/sys`), whose size says nothing of its
///   contents, and a file that reports a size of `0` are read to their end, where the mapped
///   readers refuse them or would be empty; so is a file whose mapping the kernel refuses
///   (`ENODEV`, `EACCES`, `EPERM`, `EINVAL`, `ENOTSUP`: some special and network file
///   systems). Either way at most ``Options/memoryLimit`` bytes, past which opening throws
///   `EFBIG`.
/// - A file of at least ``Options/windowThreshold`` bytes, when that is set, is mapped in
///   windows, as an ``MMapWindowReader`` with ``Options/windowSize`` and
///   ``Options/maxWindows``.
/// - Any other file is mapped whole, as an ``MMapReader``.
///
/// ``Options/kind`` forces a choice instead (a forced mapping of a pseudo file throws
/// `ENODEV`, as the mapped readers do), and ``Kind/init(of:)`` tells which kind a reader is.
/// Directories, FIFOs, sockets and devices are refused as every reader refuses them
/// (`EISDIR`, `ENODEV`).
///
/// Close the reader with ``RandomAccessReader/close()``, or with
/// ``RandomAccessReader/release()`` to release a mapping with a single `munmap` when no
/// other reference to the reader exists.
public enum FileReader {
  /// The largest file read into memory when no threshold is given: 64 KiB.
  ///
  /// Measured with the benchmark (`openclose`, `lines` and `readat8`, with `--reader auto
  /// --memory-threshold` against `--reader mmap`) on an x86-64 Linux virtual machine: opening
  /// and closing an ``InMemoryReader`` (`open`, `fstat`, one `pread`, `close`) costs about
  /// half as much as an ``MMapReader`` (`open`, `fstat`, `mmap`, `close`, `munmap`) for a
  /// 4 KiB file, four fifths at 64 KiB, as much at about 96 KiB, and more beyond, where the
  /// copy costs more than the mapping; with one pass over every byte, which takes a page
  /// fault per 16 mapped pages, reading stays the cheaper past 256 KiB. Random reads cost
  /// about the same on both once open. The threshold sits below both crossovers, and keeps
  /// the memory a reader holds small. On
  /// machines where system calls and page faults cost less (outside a virtual machine) the
  /// crossovers are lower: LLVM's `MemoryBuffer`, for one, stops reading at 16 KiB.
  public static let defaultMemoryThreshold = 64 << 10

  /// Opens the file at `path` with the reader ``Options`` chooses, or with the fastest for it.
  ///
  /// The file is opened read-only, close-on-exec and non-blocking (a FIFO fails at once
  /// rather than waiting for a writer), once, and handed to the chosen reader.
  ///
  /// - Parameters:
  ///   - path: The file to read. It must be a regular file.
  ///   - options: The thresholds and limits of the choice, or a forced ``Kind``.
  /// - Returns: An ``InMemoryReader``, an ``MMapReader`` or an ``MMapWindowReader``, behind the
  ///   protocol; ``Kind/init(of:)`` tells which.
  /// - Throws: ``MMapError``: ``MMapError/Operation/open`` for a missing or unreadable path
  ///   (`ENOENT`, `EACCES`), a directory (`EISDIR`) or another non-regular file (`ENODEV`);
  ///   ``MMapError/Operation/read`` with `EFBIG` if a file read into memory holds more than
  ///   ``Options/memoryLimit`` bytes, with `ENOMEM` if the memory for it can't be allocated
  ///   (the reader allocates it with `malloc`, and owns it), or with what `pread` reported;
  ///   ``MMapError/Operation/map`` with what `mmap` reported if a forced mapping fails, or if
  ///   mapping fails for a reason other than the file system's refusal.
  /// - Precondition: The options are in range (see ``Options``); otherwise this traps with
  ///   the values, before opening anything.
  public static func open(path: String, options: Options = Options()) throws(MMapError)
    -> any ZeroCopyReader
  {
    options.checkRanges()
    let file = try OpenedFile(
      path: path, offset: 0, count: nil, rangeOperation: .open, acceptingPseudoFiles: true)
    return try open(file, path: path, options: options)
  }

  /// Opens the file open as `fileDescriptor` with the reader ``Options`` chooses, or with the
  /// fastest for it.
  ///
  /// The reader reads through a duplicate of the descriptor (which it closes when it no longer
  /// needs it), so it never closes `fileDescriptor` and never moves its file offset; the
  /// caller may close it as soon as this returns. Parameters and errors are those of
  /// ``open(path:options:)``, with `nil` as the error's path, and
  /// ``MMapError/Operation/open`` with what `fcntl` reported if the descriptor can't be
  /// duplicated (`EBADF`, `EMFILE`), or with `EACCES` if it was not opened for reading.
  public static func open(fileDescriptor: CInt, options: Options = Options()) throws(MMapError)
    -> any ZeroCopyReader
  {
    options.checkRanges()
    let file = try OpenedFile(
      duplicating: fileDescriptor, offset: 0, count: nil, rangeOperation: .open,
      acceptingPseudoFiles: true)
    return try open(file, path: nil, options: options)
  }

  /// Gives `file`, opened from `path` (`nil` for a descriptor), to the reader `options`
  /// forces, or to the one its size calls for.
  private static func open(_ file: consuming OpenedFile, path: String?, options: Options)
    throws(MMapError) -> any ZeroCopyReader
  {
    let kind =
      options.kind ?? (file.isPseudoFile ? .memory : options.kind(forFileOf: file.identity.size))
    // A mapping of a pseudo file would read nothing, or fail later: refused, as by the
    // mapped readers' own initializers.
    guard kind == .memory || !file.isPseudoFile else {
      throw MMapError(.open, path: path, errno: system_ENODEV)
    }
    switch kind {
    case .memory:
      return try InMemoryReader(
        reading: file, path: path, toEnd: true, limit: options.memoryLimit)
    case .windowed:
      return try MMapWindowReader(
        file, path: path, windowSize: MMapWindowReader.checkedWindowSize(options.windowSize),
        maxWindows: options.maxWindows)
    case .mapped:
      do {
        return try MMapReader(mapping: file, path: path, prefault: false)
      } catch let error where options.kind == nil && refusesMapping(error) {
        return try InMemoryReader(
          reading: file, path: path, toEnd: true, limit: options.memoryLimit)
      }
    }
  }

  /// Whether `error` is the file system's refusal to map a file, as opposed to a failure to
  /// map it now (out of memory or mappings), which reading it whole wouldn't avoid.
  private static func refusesMapping(_ error: MMapError) -> Bool {
    [
      system_ENODEV, system_EACCES, system_EPERM, system_EINVAL, system_ENOTSUP,
      system_EOPNOTSUPP,
    ].contains(error.errno)
  }
}
