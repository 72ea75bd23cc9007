import Synchronization

/// A file, or a byte range of it, read with one `pread(2)` per call.
///
/// It holds the file's descriptor open and maps nothing, so every read is a system call: the
/// baseline that ``MMapReader`` is measured against, and a reader for files that can't be
/// mapped. Its bounds and end-of-file rules are those of every ``RandomAccessReader``.
///
/// ```swift
/// let reader = try PReadReader(path: "/data/index.bin")
/// defer { try? reader.close() }
/// var header = [UInt8](repeating: 0, count: 16)
/// let copied = try reader.read(from: 0, into: &header)
/// ```
///
/// ## Concurrency
///
/// Concurrent reads from several threads are safe, and so is ``close()`` racing with them: a
/// racing read either delivers the file's bytes or throws the closed error; it never reads
/// from a descriptor number that was closed and then reused for another file.
///
/// The mechanism (`CloseGate`): each read registers itself for the duration of its
/// `pread` (one atomic add on entry and one on exit) and throws the closed error if the gate
/// is already closed. ``close()`` closes the gate; the descriptor is closed by whoever comes
/// last, the closing thread or the last read in flight, exactly once. That is why the type is
/// `@unchecked Sendable`: its only mutable state is that atomic word.
///
/// ## Topics
///
/// ### Opening
/// - ``init(path:offset:count:)``
/// - ``init(fileDescriptor:offset:count:)``
///
/// ### Size and path
/// - ``count``
/// - ``path``
/// - ``extendToFileEnd()``
///
/// ### Reading bytes
/// - ``read(from:into:)``
/// - ``byte(at:)``
///
/// ### Scanning chunks
/// - ``forEachChunk(in:_:)``
/// - ``chunkCapacity``
///
/// ### File status
/// - ``fileStatus()``
///
/// ### Closing
/// - ``isClosed``
/// - ``close()``
public final class PReadReader: RandomAccessReader, @unchecked Sendable {
  /// The number of bytes the reader exposes: the file's size, or the requested range's.
  ///
  /// It grows when ``extendToFileEnd()`` finds bytes appended to the file, for a reader
  /// opened on the rest of its file, and never shrinks.
  public var count: Int { currentCount.load(ordering: .relaxed) }

  /// The path the reader was opened with, or `nil` if it was made from a file descriptor.
  public let path: String?

  /// The descriptor every `pread` uses.
  internal let fd: CInt

  /// The file offset of the reader's byte `0`.
  internal let startOffset: Int

  internal let gate = CloseGate()

  /// The value of ``count``; only ``extendToFileEnd()`` raises it. Relaxed: every byte comes
  /// from `pread`, so no memory is published with it.
  internal let currentCount: Atomic<Int>

  /// Whether the reader was opened on the rest of its file (no `count` given), and so
  /// follows the file's end.
  internal let followsFileEnd: Bool

  /// The file's identity and size at open, for ``fileStatus()``.
  internal let identity: FileIdentity

  /// Opens the file at `path` for reading, exposing all of it or the byte range starting at
  /// `offset`.
  ///
  /// Opens the file read-only and non-blocking (a FIFO fails at once rather than waiting for
  /// a writer) and keeps the descriptor until ``close()`` or `deinit`. The size is taken
  /// once, here: a file that grows later still reads as `count` bytes until
  /// ``extendToFileEnd()`` is called, and one that shrinks reads short.
  ///
  /// - Parameters:
  ///   - path: The file to read. It must be a regular file.
  ///   - offset: The file offset of the first byte the reader exposes.
  ///   - count: How many bytes to expose, or `nil` for the rest of the file.
  /// - Throws: ``MMapError``: ``MMapError/Operation/open`` for a missing or unreadable path
  ///   (`ENOENT`, `EACCES`), a path with a NUL byte (`EINVAL`), a directory (`EISDIR`), or
  ///   another non-regular file or a file of a pseudo file system like `/proc` (`ENODEV`),
  ///   or with `EINVAL` if the range is not inside the file.
  public convenience init(path: String, offset: Int = 0, count: Int? = nil) throws(MMapError) {
    try self.init(
      OpenedFile(path: path, offset: offset, count: count, rangeOperation: .open), path: path,
      followsFileEnd: count == nil)
  }

  /// Reads the file open as `fileDescriptor`, or a byte range of it.
  ///
  /// The reader duplicates the descriptor (close-on-exec) and reads through its duplicate,
  /// which it closes when released; it never closes `fileDescriptor`, never moves its file
  /// offset (`pread` doesn't), and the caller may close it as soon as this returns. So a
  /// caller closing its descriptor can never make the reader read another file that reused
  /// the number. Parameters and errors are those of ``init(path:offset:count:)``, with `nil`
  /// as the error's path, and ``MMapError/Operation/open`` with what `fcntl` reported if the
  /// descriptor can't be duplicated (`EBADF`, `EMFILE`), or with `EACCES` if it was not
  /// opened for reading (write-only, or `O_PATH`).
  public convenience init(fileDescriptor: CInt, offset: Int = 0, count: Int? = nil)
    throws(MMapError)
  {
    try self.init(
      OpenedFile(
        duplicating: fileDescriptor, offset: offset, count: count, rangeOperation: .open),
      path: nil, followsFileEnd: count == nil)
  }

  /// Takes `file`'s descriptor, opened from `path` (`nil` for a descriptor), which the reader
  /// keeps until it is released; with `followsFileEnd`, ``extendToFileEnd()`` may grow it.
  internal init(_ file: consuming OpenedFile, path: String?, followsFileEnd: Bool = false) {
    self.path = path
    self.startOffset = file.range.lowerBound
    self.currentCount = Atomic(file.range.count)
    self.followsFileEnd = followsFileEnd
    self.identity = file.identity
    self.fd = file.takeDescriptor()
  }

  deinit {
    // Nothing can be reading now: every read holds a reference to the reader. A closed
    // reader has released the descriptor already (the last read out, or close(), did).
    if !gate.isReleased { releaseDescriptor() }
  }

  /// Whether ``close()`` has been called.
  public var isClosed: Bool { gate.isClosed }

  /// Closes the reader's descriptor. Calling it again does nothing.
  ///
  /// Reads begun afterwards throw ``MMapError`` with `EBADF`. A read already running on
  /// another thread completes, and the descriptor is closed when the last such read returns.
  /// A descriptor passed to ``init(fileDescriptor:offset:count:)`` stays open: the reader
  /// closes only its duplicate.
  ///
  /// - Throws: Nothing in practice: `close(2)` isn't retried and its result is ignored, since
  ///   on Linux the descriptor is gone even when it reports an error. The signature is that of
  ///   ``RandomAccessReader/close()``.
  public func close() throws(MMapError) {
    if gate.close() { releaseDescriptor() }
  }

  /// Copies bytes starting at `offset` into `buffer`, with `pread`: the counterpart of Go's
  /// `ReadAt`.
  ///
  /// - Parameters:
  ///   - offset: The offset of the first byte to copy, from `0` through ``count``.
  ///   - buffer: The memory to copy into. Its count is the most bytes copied.
  /// - Returns: The number of bytes copied: fewer than `buffer.count` only when the reader
  ///   ends first, and `0` when `offset == count` or `buffer` is empty.
  /// - Throws: ``MMapError`` with `EBADF` if the reader is closed (also when ``close()``
  ///   races with this call), with `EINVAL` if `offset` is negative or past ``count``, with
  ///   `ENODATA` and ``MMapError/missingOffset`` if the file has shrunk below the bytes asked
  ///   for since it was opened, or with ``MMapError/Operation/read`` and what `pread`
  ///   reported.
  ///
  /// The corresponding C function is `pread`.
  public func read(from offset: Int, into buffer: UnsafeMutableRawBufferPointer)
    throws(MMapError) -> Int
  {
    guard !gate.isClosed else { throw MMapError.closed(path: path) }
    let count = self.count
    guard let wanted = readableByteCount(offset: offset, capacity: buffer.count, count: count)
    else { throw MMapError.outsideReader(path: path) }
    guard wanted > 0 else { return 0 }
    let target = UnsafeMutableRawBufferPointer(rebasing: buffer[..<wanted])
    let copied = try whileDescriptorIsOpen { () throws(MMapError) in
      // Can't overflow: offset <= count, and startOffset + count is within the file.
      try preadFully(fd, offset: startOffset &+ offset, into: target, path: path)
    }
    // The file shrank: each read reports the file as it is now, so this one fails.
    guard copied == wanted else {
      throw MMapError.truncated(path: path, missingOffset: offset &+ copied)  // Can't overflow.
    }
    return copied
  }

  /// Returns the byte at `offset`, read with a one-byte `pread`.
  ///
  /// - Throws: ``MMapError`` with `EBADF` if the reader is closed (also when ``close()``
  ///   races with this call), with `EINVAL` if `offset` is outside `0..<count`, with
  ///   `ENODATA` and ``MMapError/missingOffset`` if the file has shrunk below `offset` since it
  ///   was opened, or with ``MMapError/Operation/read`` and what `pread` reported.
  ///
  /// The corresponding C function is `pread`.
  public func byte(at offset: Int) throws(MMapError) -> UInt8 {
    guard !gate.isClosed else { throw MMapError.closed(path: path) }
    guard offset >= 0, offset < count else { throw MMapError.outsideReader(path: path) }
    var byte: UInt8 = 0
    let copied = try withUnsafeMutableBytes(of: &byte) { buffer throws(MMapError) in
      try whileDescriptorIsOpen { () throws(MMapError) in
        // Can't overflow: offset < count, and startOffset + count is within the file.
        try preadFully(fd, offset: startOffset &+ offset, into: buffer, path: path)
      }
    }
    guard copied == 1 else { throw MMapError.truncated(path: path, missingOffset: offset) }
    return byte
  }

  /// Compares the file now with the file the reader opened: its size from `fstat` on the
  /// reader's descriptor (the file the reader reads, wherever it has been moved), and
  /// whether the reader's path still names it.
  ///
  /// - Throws: ``MMapError`` with ``MMapError/Operation/stat``: `EBADF` if the reader is
  ///   closed (also when ``close()`` races with this call), or what `fstat` or `stat`
  ///   reported (other than `ENOENT` and `ENOTDIR` for the path, which mean the file is no
  ///   longer there).
  public func fileStatus() throws(MMapError) -> FileStatus {
    defer {
      if gate.leave() { releaseDescriptor() }
    }
    guard gate.enter() else { throw MMapError.closed(.stat, path: path) }
    return try identity.status(descriptor: fd, path: path)
  }

  /// Runs `body` with the descriptor guaranteed open: registered with the gate, so that a
  /// racing ``close()`` leaves the closing of the descriptor to the last operation out.
  ///
  /// - Throws: ``MMapError`` of `operation` with `EBADF` if the reader is closed, or what
  ///   `body` throws.
  internal func whileDescriptorIsOpen<Result>(
    for operation: MMapError.Operation = .read, _ body: () throws(MMapError) -> Result
  ) throws(MMapError) -> Result {
    defer {
      if gate.leave() { releaseDescriptor() }
    }
    guard gate.enter() else { throw MMapError.closed(operation, path: path) }
    return try body()
  }

  /// Closes the reader's descriptor. Call it once, when no read can use it.
  private func releaseDescriptor() {
    _ = system_close(fd)  // Never retried; see system_close.
  }

}
