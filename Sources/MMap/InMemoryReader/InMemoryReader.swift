/// A file read into memory once, at open, with the reads, views and scans of the mapped
/// readers.
///
/// Opening reads the whole file with `pread` and closes the descriptor: an open reader holds
/// the file's bytes in memory it allocated, and neither a descriptor nor a mapping. For a
/// small file this is the fastest reader to open and close (one `read` instead of a `mmap`
/// and a `munmap`), and reads are then the same memory accesses as ``MMapReader``'s.
/// ``FileReader/open(path:options:)`` picks it for small files, and for files that can't be
/// mapped or whose size says nothing of their contents (`/proc`, `/sys`).
///
/// ```swift
/// let status = try InMemoryReader(path: "/proc/self/status")
/// defer { try? status.close() }
/// let text = try status.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
/// ```
///
/// ## Files whose size says nothing
///
/// Files of pseudo file systems report sizes unrelated to their contents: `0` for
/// `/proc/self/status`, a page for most of `/sys`. The other readers refuse them (`ENODEV`);
/// this one reads such a file, and any file that reports a size of `0`, until `pread` reports
/// its end, up to the `limit` given at open, past which opening throws `EFBIG`. Every other
/// file is read up to the size `fstat` reports at open (a file that shrinks meanwhile gives
/// fewer bytes). The reader is a snapshot: later changes to the file are not seen.
///
/// ## Concurrency
///
/// Concurrent reads from several threads are safe, and so is ``close()`` racing with them: a
/// racing read either delivers the file's bytes or throws the closed error; it never faults
/// and never returns bytes that are not the file's.
///
/// The mechanism: ``close()`` only marks the reader closed (in its `CloseGate` word), and the
/// bytes stay allocated until the reader is deinitialized, when nothing can be reading them. A
/// copying read checks the mark once, after its copy, as ``MMapReader``'s do: one load, a test
/// and a branch. That is why the type is `@unchecked Sendable`: its only mutable state is that
/// atomic word. To free the bytes at once, give up the last reference with
/// ``RandomAccessReader/release()``.
///
/// ## Lifetimes
///
/// Bytes seen through the views of ``ZeroCopyReader`` are valid only inside the closure,
/// which that protocol describes once for every reader that lends its bytes.
///
/// ## Topics
///
/// ### Opening
/// - ``init(path:offset:count:limit:)``
/// - ``init(fileDescriptor:offset:count:limit:)``
/// - ``init(path:offset:count:limit:parallelism:)``
/// - ``defaultLimit``
///
/// ### Size and path
/// - ``count``
/// - ``path``
///
/// ### Reading bytes
/// - ``subscript(_:)``
/// - ``byte(at:)``
/// - ``read(from:into:)``
///
/// ### Views and chunks
/// - ``withUnsafeBytes(in:_:)``
/// - ``forEachChunk(in:_:)``
///
/// ### File status
/// - ``fileStatus()``
///
/// ### Closing
/// - ``isClosed``
/// - ``close()``
public final class InMemoryReader: ZeroCopyReader, @unchecked Sendable {
  /// The most bytes a reader reads into memory when no limit is given: 64 MiB.
  public static let defaultLimit = 64 << 20

  // The gate first, as in MMapReader: FileReader's fast path then checks either reader's
  // gate at the same offset, and compiles to one path with no test of its kind.

  @usableFromInline
  internal let gate = CloseGate()

  /// The file's bytes, allocated by the reader and freed at deinit.
  @usableFromInline
  internal let bytes: UnsafeRawBufferPointer

  /// The number of bytes the reader holds: those of the file, or of the requested range, when
  /// it was read.
  public let count: Int

  /// The path the reader was opened with, or `nil` if it was made from a file descriptor.
  public let path: String?

  private let loaded: LoadedBytes

  /// The file's identity and size at open, for ``fileStatus()``.
  private let identity: FileIdentity

  /// Reads the file at `path` into memory, or the byte range of it starting at `offset`.
  ///
  /// Opens the file read-only and non-blocking (a FIFO fails at once rather than waiting for
  /// a writer), reads it, and closes the descriptor before returning.
  ///
  /// - Parameters:
  ///   - path: The file to read. It must be a regular file.
  ///   - offset: The file offset of the first byte the reader holds.
  ///   - count: How many bytes to hold, or `nil` for the rest of the file. A whole file of a
  ///     pseudo file system, or that reports a size of `0`, is read to its end.
  ///   - limit: The most bytes to read into memory. Must not be negative.
  /// - Throws: ``MMapError``: ``MMapError/Operation/open`` for a missing or unreadable path
  ///   (`ENOENT`, `EACCES`), a path with a NUL byte (`EINVAL`), a directory (`EISDIR`) or
  ///   another non-regular file (`ENODEV`), or with `EINVAL` if the range is not inside the
  ///   file; ``MMapError/Operation/read`` with `EFBIG` if there are more than `limit` bytes
  ///   to read, with `ENOMEM` if `malloc` can't provide the memory for them (which the reader
  ///   then owns), or with what `pread` reported.
  /// - Precondition: `limit` is not negative; otherwise this traps, before opening anything.
  public convenience init(
    path: String, offset: Int = 0, count: Int? = nil, limit: Int = InMemoryReader.defaultLimit
  ) throws(MMapError) {
    let limit = Self.checkedLimit(limit)
    let file = try OpenedFile(
      path: path, offset: offset, count: count, rangeOperation: .open,
      acceptingPseudoFiles: true)
    try self.init(reading: file, path: path, toEnd: offset == 0 && count == nil, limit: limit)
  }

  /// Reads the file open as `fileDescriptor` into memory, or a byte range of it.
  ///
  /// The reader reads through a duplicate of the descriptor with `pread`, so it never closes
  /// `fileDescriptor` and never moves its file offset. Parameters and errors are those of
  /// ``init(path:offset:count:limit:)``, with `nil` as the error's path, and
  /// ``MMapError/Operation/open`` with what `fcntl` reported if the descriptor can't be
  /// duplicated (`EBADF`, `EMFILE`), or with `EACCES` if it was not opened for reading.
  public convenience init(
    fileDescriptor: CInt, offset: Int = 0, count: Int? = nil,
    limit: Int = InMemoryReader.defaultLimit
  ) throws(MMapError) {
    let limit = Self.checkedLimit(limit)
    let file = try OpenedFile(
      duplicating: fileDescriptor, offset: offset, count: count, rangeOperation: .open,
      acceptingPseudoFiles: true)
    try self.init(reading: file, path: nil, toEnd: offset == 0 && count == nil, limit: limit)
  }

  /// Reads `file`'s range (to the end, if `toEnd`), opened from `path` (`nil` for a
  /// descriptor), up to `limit` bytes; `file` closes its descriptor when its owner drops it.
  internal convenience init(
    reading file: borrowing OpenedFile, path: String?, toEnd: Bool, limit: Int
  ) throws(MMapError) {
    self.init(
      try readIntoMemory(file, path: path, toEnd: toEnd, limit: limit), path: path,
      identity: file.identity)
  }

  /// Takes ownership of `loaded`, which the reader frees at deinit.
  internal init(_ loaded: LoadedBytes, path: String?, identity: FileIdentity) {
    self.loaded = loaded
    self.bytes = loaded.bytes
    self.count = loaded.count
    self.path = path
    self.identity = identity
  }

  deinit {
    // Nothing can be reading now: every read holds a reference to the reader.
    loaded.deallocate()
  }

  /// `limit`, or a trap if it is negative.
  internal static func checkedLimit(_ limit: Int) -> Int {
    if limit < 0 { trapCallerBug("InMemoryReader", .setting("limit \(limit) is negative")) }
    return limit
  }

  /// Whether ``close()`` has been called.
  public var isClosed: Bool { gate.isClosed }

  /// Marks the reader closed. Calling it again does nothing.
  ///
  /// Reads and views begun afterwards throw ``MMapError`` with `EBADF`. A read or view
  /// running on another thread completes with the file's bytes. The memory holding them is
  /// freed when the reader is deinitialized; ``RandomAccessReader/release()`` closes the
  /// reader and frees it at once when the caller held the only reference.
  ///
  /// - Throws: Nothing: the signature is that of ``RandomAccessReader/close()``.
  public func close() throws(MMapError) {
    _ = gate.close()
  }

  /// Compares the file now with the file the reader read, by its path: the reader holds no
  /// descriptor.
  ///
  /// The rules of ``MMapReader/fileStatus()`` apply: while the path names the file the
  /// reader read (the same device and inode as at open), the status has its size now;
  /// afterwards, and for a reader made from a descriptor, the size is unknown. The reader's
  /// bytes never change: the status tells whether the file has changed since they were read.
  /// For a file of a pseudo file system, the sizes are those `stat` reports, which say
  /// nothing of its contents.
  ///
  /// - Throws: ``MMapError`` with ``MMapError/Operation/stat``: `EBADF` if the reader is
  ///   closed, or what `stat` reported other than `ENOENT` and `ENOTDIR`.
  public func fileStatus() throws(MMapError) -> FileStatus {
    guard !gate.isClosed else { throw MMapError.closed(.stat, path: path) }
    return try identity.status(path: path)
  }
}
