extension FileReader {
  /// Opens the file at `path` with the reader ``Options`` chooses, or with the fastest for it.
  ///
  /// A regular file is opened read-only, close-on-exec and non-blocking, once, and handed to
  /// the chosen reader. A FIFO is opened to be read to its end, which waits until a writer
  /// opens it, as `cat` does; a terminal is read until end of file (Control-D). The path `-`
  /// names standard input, as for most command-line tools: it is
  /// ``open(fileDescriptor:options:)`` of descriptor `0` (name a file called `-` as `./-`).
  ///
  /// - Parameters:
  ///   - path: The file to read: a regular file, a FIFO or a terminal, or `-`.
  ///   - options: The thresholds and limits of the choice, or a forced ``Kind``.
  /// - Returns: The reader; ``kind`` tells which it chose, ``reason`` why.
  /// - Throws: ``MMapError``: ``MMapError/Operation/open`` for a missing or unreadable path
  ///   (`ENOENT`, `EACCES`), a directory (`EISDIR`) or a device that is not a terminal
  ///   (`ENODEV`), or a forced mapping of a stream (`ENODEV`); ``MMapError/Operation/read``
  ///   with `EFBIG` if a file read into memory holds more than ``Options/memoryLimit`` bytes,
  ///   with `ENOMEM` if the memory for it can't be allocated (the reader allocates it with
  ///   `malloc`, and owns it), or with what `pread` or `read` reported;
  ///   ``MMapError/Operation/map`` with what `mmap` reported if a forced mapping fails, or if
  ///   mapping fails for a reason other than the file system's refusal.
  /// - Precondition: The options are in range (see ``Options``); otherwise this traps with
  ///   the values, before opening anything.
  public static func open(path: String, options: Options = Options()) throws(MMapError)
    -> FileReader
  {
    options.checkRanges()
    if path == "-" { return try open(fileDescriptor: system_STDIN_FILENO, options: options) }
    let file: OpenedFile
    do {
      file = try OpenedFile(
        path: path, offset: 0, count: nil, rangeOperation: .open, acceptingPseudoFiles: true)
    } catch let error where error.errno == system_ENODEV && error.operation == .open {
      // Not a regular file: a FIFO or a terminal is read as a stream, anything else refused.
      guard let reader = try openStream(path: path, options: options) else { throw error }
      return reader
    }
    return try open(file, path: path, options: options)
  }

  /// Opens the file open as `fileDescriptor` with the reader ``Options`` chooses, or with the
  /// fastest for it.
  ///
  /// For a regular file the reader reads through a duplicate of the descriptor (which it
  /// closes when it no longer needs it), so it never closes `fileDescriptor` and never moves
  /// its file offset, and reads the whole file whatever that offset is; the caller may close
  /// it as soon as this returns. A pipe, a FIFO, a socket or a terminal (standard input, say)
  /// is read from `fileDescriptor` itself until its end, which consumes what it held; a
  /// descriptor that is non-blocking is waited for with `poll`. Parameters and errors are
  /// those of ``open(path:options:)``, with `nil` as the error's path, and
  /// ``MMapError/Operation/open`` with what `fcntl` reported if the descriptor can't be
  /// duplicated (`EBADF`, `EMFILE`), or with `EACCES` if it was not opened for reading.
  public static func open(fileDescriptor: CInt, options: Options = Options())
    throws(MMapError) -> FileReader
  {
    options.checkRanges()
    let file: OpenedFile
    do {
      file = try OpenedFile(
        duplicating: fileDescriptor, offset: 0, count: nil, rangeOperation: .open,
        acceptingPseudoFiles: true)
    } catch let error where error.errno == system_ENODEV && error.operation == .open {
      guard isStream(fileDescriptor) else { throw error }
      return try readStream(fileDescriptor, path: nil, options: options)
    }
    return try open(file, path: nil, options: options)
  }

  /// Gives `file`, opened from `path` (`nil` for a descriptor), to the reader `options`
  /// forces, or to the one the file calls for.
  private static func open(_ file: consuming OpenedFile, path: String?, options: Options)
    throws(MMapError) -> FileReader
  {
    let (kind, reason) = choice(for: file, options: options)
    // A mapping of a pseudo file would read nothing, or fail later: refused, as by the
    // mapped readers' own initializers.
    guard kind == .memory || !file.isPseudoFile else {
      throw MMapError(.open, path: path, errno: system_ENODEV)
    }
    switch kind {
    case .memory:
      let reader = try InMemoryReader(
        reading: file, path: path, toEnd: true, limit: options.memoryLimit)
      return FileReader(.memory(reader), reason: reason)
    case .windowed:
      let reader = try MMapWindowReader(
        file, path: path, windowSize: MMapWindowReader.checkedWindowSize(options.windowSize),
        maxWindows: options.maxWindows)
      return FileReader(.windowed(reader), reason: reason)
    case .pread:
      return FileReader(.pread(PReadReader(file, path: path)), reason: reason)
    case .mapped:
      do {
        return FileReader(
          .mapped(try MMapReader(mapping: file, path: path, prefault: false)), reason: reason)
      } catch let error where options.kind == nil && refusesMapping(error) {
        let reader = try InMemoryReader(
          reading: file, path: path, toEnd: true, limit: options.memoryLimit)
        return FileReader(.memory(reader), reason: .mappingRefused(errno: error.errno))
      }
    }
  }

  /// The kind `options` forces, or the one `file` calls for, and why.
  private static func choice(for file: borrowing OpenedFile, options: Options) -> (Kind, Reason) {
    if file.isPseudoFile && options.kind == nil { return (.memory, .sizeUnknown) }
    let (fd, device) = (file.fd, file.identity.device)
    return options.kind(forFileOf: file.identity.size) {
      FileSystemClass(ofFileOpenAs: fd, device: device)
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
