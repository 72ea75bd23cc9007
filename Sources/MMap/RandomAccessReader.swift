/// A file read at any offset, the Swift counterpart of Go's `io.ReaderAt` plus `Len`.
///
/// Every reader of this library conforms: ``MMapReader`` (one mapping of the whole file),
/// ``MMapWindowReader`` (a few page-aligned windows at a time), ``InMemoryReader`` (the file
/// read into memory at open) and ``PReadReader`` (one `pread(2)` per read). Code written
/// against this protocol runs on any of them; the readers that can lend their bytes without
/// copying also conform to ``ZeroCopyReader``.
///
/// ## The shared rules
///
/// - **End of file.** A read copies up to its buffer's count and is short only when the
///   reader ends first; a read at `offset == count` copies nothing.
/// - **Bad offsets and ranges throw.** Every method that takes an offset or a range throws
///   ``MMapError`` with `EINVAL` when it lies outside the reader, so that a parser taking
///   offsets from a file it doesn't trust can't crash the process. Only the readers'
///   subscripts trap, as an array's does.
/// - **Closing.** ``close()`` is idempotent, and afterwards every operation throws `EBADF`.
///   Concurrent operations, including `close()` racing with reads, are safe on every reader.
///
/// ## Reading
///
/// Use ``read(from:into:)-(_,UnsafeMutableRawBufferPointer)`` for Go's `ReadAt`,
/// ``readExactly(from:into:)-(_,UnsafeMutableRawBufferPointer)`` or ``bytes(in:)`` when
/// anything short is an error, ``byte(at:)`` for one byte, and ``forEachChunk(in:_:)`` to
/// scan a range with one helper that runs at each reader's best speed.
///
/// ## Topics
///
/// ### Size and path
/// - ``count``
/// - ``path``
///
/// ### Reading bytes
/// - ``read(from:into:)-(_,UnsafeMutableRawBufferPointer)``
/// - ``read(from:into:)-(_,[UInt8])``
/// - ``readExactly(from:into:)-(_,UnsafeMutableRawBufferPointer)``
/// - ``readExactly(from:into:)-(_,[UInt8])``
/// - ``readExactly(from:into:)-(_,UnsafeMutableBufferPointer<T>)``
/// - ``bytes(in:)``
/// - ``byte(at:)``
///
/// ### Typed reads
/// - ``integer(at:as:byteOrder:)``
/// - ``float(at:byteOrder:)``
/// - ``double(at:byteOrder:)``
/// - ``float16(at:byteOrder:)``
/// - ``unsignedLEB128(at:)``
/// - ``signedLEB128(at:)``
/// - ``string(in:invalidUTF8:)``
/// - ``cString(at:maxCount:invalidUTF8:)``
/// - ``elements(in:as:)``
///
/// ### Scanning chunks
/// - ``forEachChunk(in:_:)``
/// - ``forEachChunk(_:)``
///
/// ### Searching and lines
/// - ``count(of:in:)``
/// - ``firstOffset(of:in:)-(UInt8,_)``
/// - ``firstOffset(of:in:)-(Collection<UInt8>,_)``
/// - ``lastOffset(of:in:)-(UInt8,_)``
/// - ``lastOffset(of:in:)-(Collection<UInt8>,_)``
/// - ``forEachLine(in:options:_:)``
/// - ``lineCount(in:)``
///
/// ### Scanning on every core
/// - ``forEachChunk(in:parallelism:_:)``
/// - ``lineAlignedParts(of:count:separator:)``
/// - ``mapParts(_:parallelism:_:)``
/// - ``count(of:in:parallelism:)``
/// - ``lineCount(in:parallelism:)``
/// - ``firstOffset(of:in:parallelism:)-(UInt8,_,_)``
/// - ``firstOffset(of:in:parallelism:)-(Collection<UInt8>,_,_)``
/// - ``lastOffset(of:in:parallelism:)-(UInt8,_,_)``
/// - ``lastOffset(of:in:parallelism:)-(Collection<UInt8>,_,_)``
/// - ``forEachLine(in:options:parallelism:_:)``
///
/// ### Writing
/// - ``write(in:to:)``
///
/// ### File status
/// - ``fileStatus()``
///
/// ### Closing
/// - ``isClosed``
/// - ``close()``
/// - ``release()``
public protocol RandomAccessReader: AnyObject, Sendable {
  /// The number of bytes the reader exposes.
  var count: Int { get }

  /// Whether ``close()`` has been called.
  var isClosed: Bool { get }

  /// The path the reader was opened with, or `nil` if it was made from a file descriptor.
  var path: String? { get }

  /// Copies bytes starting at `offset` into `buffer`.
  ///
  /// - Parameters:
  ///   - offset: The offset of the first byte to copy, from `0` through ``count``.
  ///   - buffer: The memory to copy into. Its count is the most bytes copied.
  /// - Returns: The number of bytes copied: fewer than `buffer.count` only when the file
  ///   ends first, and `0` when `offset == count` or `buffer` is empty.
  /// - Throws: ``MMapError`` with `EINVAL` if `offset` is negative or greater than ``count``,
  ///   with `EBADF` if the reader is closed, or what the system reported.
  func read(from offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(MMapError)
    -> Int

  /// Returns the byte at `offset`.
  ///
  /// - Throws: ``MMapError`` with `EINVAL` if `offset` is outside `0..<count`, with `EBADF`
  ///   if the reader is closed, or what the system reported.
  func byte(at offset: Int) throws(MMapError) -> UInt8

  /// Calls `body` with the bytes in `range` as a sequence of contiguous chunks, in order,
  /// until the range ends or `body` returns ``ScanStep/stop``.
  ///
  /// The chunks are the largest pieces the reader can lend cheaply: the whole range at once
  /// for ``MMapReader``, one window at a time for ``MMapWindowReader`` (so a scan keeps its
  /// memory bounded), and copies into one reused buffer for ``PReadReader``. Write a scanning
  /// helper once over chunks, and it runs on every reader. Chunks never overlap, cover the
  /// range exactly, and are never empty; something that straddles two chunks (a line, a
  /// search match) is the helper's to stitch.
  ///
  /// A chunk is valid only until `body` returns. Don't store it, return it, or capture it
  /// in an escaping closure.
  ///
  /// - Parameters:
  ///   - range: The reader offsets to visit.
  ///   - body: Called with the reader offset of each chunk's first byte and the chunk.
  /// - Throws: ``MMapError`` with `EINVAL` if `range` is not inside `0..<count`, with
  ///   `EBADF` if the reader is closed (also when ``close()`` races with the scan), with what
  ///   the system reported, or what `body` throws; the scan stops there.
  func forEachChunk(
    in range: Range<Int>,
    _ body: (_ offset: Int, _ chunk: UnsafeRawBufferPointer) throws -> ScanStep
  ) throws

  /// Compares the file now with the file the reader opened: whether the reader's path still
  /// names it, and what size it has.
  ///
  /// A reader's ``count`` is fixed at open, so a program that reads a file others write (a
  /// log) calls this between reads to learn that the file grew, shrank, or was rotated away
  /// (see ``FileStatus``). It costs one `stat` or `fstat`, or both, and reads nothing.
  ///
  /// - Returns: The file's size at open, its size now if the reader can tell, and whether
  ///   the path still names the file (`nil` for a reader made from a file descriptor).
  /// - Throws: ``MMapError`` with ``MMapError/Operation/stat``: `EBADF` if the reader is
  ///   closed, or what `stat` reported for its path other than `ENOENT` and `ENOTDIR`
  ///   (which mean the file is no longer at its path).
  func fileStatus() throws(MMapError) -> FileStatus

  /// Releases what the reader holds. Calling it again does nothing.
  ///
  /// Every reader's `close()` has this throwing signature, so that code keeps compiling
  /// when it switches readers; only a mapped reader can fail to release its mapping (see
  /// ``MMapReader/close()``), and it is closed even then.
  func close() throws(MMapError)
}

/// What a ``RandomAccessReader/forEachChunk(in:_:)`` visitor wants next.
///
/// ## Topics
///
/// ### Steps
/// - ``proceed``
/// - ``stop``
public enum ScanStep: Sendable {
  /// Visit the next chunk, if any.
  case proceed
  /// End the scan now.
  case stop
}

extension RandomAccessReader {
  /// Calls `body` with all the reader's bytes as a sequence of contiguous chunks: the whole
  /// range form of ``forEachChunk(in:_:)``, whose rules apply.
  public func forEachChunk(
    _ body: (_ offset: Int, _ chunk: UnsafeRawBufferPointer) throws -> ScanStep
  ) throws {
    try forEachChunk(in: 0..<count, body)
  }

  /// Copies bytes starting at `offset` into the start of `bytes`, up to its count.
  ///
  /// - Returns: The number of bytes copied, with the same end-of-file rule as
  ///   ``read(from:into:)-(_,UnsafeMutableRawBufferPointer)``.
  /// - Throws: ``MMapError``, as the buffer form does.
  @inlinable
  public func read(from offset: Int, into bytes: inout [UInt8]) throws(MMapError) -> Int {
    // Array's closure methods rethrow untyped errors; carry ours out in a Result.
    let result = bytes.withUnsafeMutableBytes { buffer in
      Result { () throws(MMapError) in try read(from: offset, into: buffer) }
    }
    return try result.get()
  }

  /// Fills `buffer` with the bytes starting at `offset`, or throws.
  ///
  /// - Throws: ``MMapError`` with `ENODATA` if the file ends before `buffer` is full (the
  ///   buffer then holds the bytes that were there), or what
  ///   ``read(from:into:)-(_,UnsafeMutableRawBufferPointer)`` throws, also for an empty
  ///   buffer.
  @inlinable
  public func readExactly(from offset: Int, into buffer: UnsafeMutableRawBufferPointer)
    throws(MMapError)
  {
    // An empty buffer still checks the offset and that the reader is open.
    var filled = try read(from: offset, into: buffer)
    while filled < buffer.count {
      // Can't overflow: filled < buffer.count, and a read never passes the end of the file.
      let rest = UnsafeMutableRawBufferPointer(rebasing: buffer[filled...])
      let copied = try read(from: offset &+ filled, into: rest)
      guard copied > 0 else { throw MMapError.endOfFile(path: path) }
      filled &+= copied
    }
  }

  /// Fills `bytes` with the bytes starting at `offset`, or throws: the array form of
  /// ``readExactly(from:into:)-(_,UnsafeMutableRawBufferPointer)``, whose rules apply.
  @inlinable
  public func readExactly(from offset: Int, into bytes: inout [UInt8]) throws(MMapError) {
    let result = bytes.withUnsafeMutableBytes { buffer in
      Result { () throws(MMapError) in try readExactly(from: offset, into: buffer) }
    }
    try result.get()
  }

  /// Returns a copy of the bytes in `range`.
  ///
  /// An array can't be made from memory allocated another way, and when the allocation of
  /// one fails Swift stops the process. So before allocating an array of 1 MiB or more this
  /// allocates `range.count` bytes with `malloc` and frees them, and throws `ENOMEM` if that
  /// fails (in a process limited by `ulimit -v`, say). That is a check, not a guarantee: memory another
  /// thread takes in between can still run out. To copy into memory you allocated yourself,
  /// use ``readExactly(from:into:)-(_,UnsafeMutableRawBufferPointer)``.
  ///
  /// - Throws: ``MMapError`` with `EBADF` if the reader is closed, with `EINVAL` if
  ///   `range.lowerBound` is negative or past the end,
  ///   with `ENODATA` if the reader ends before `range.upperBound` (checked before anything
  ///   is allocated), with `ENOMEM` if `range.count` bytes can't be allocated, or what
  ///   ``read(from:into:)-(_,UnsafeMutableRawBufferPointer)`` throws.
  @inlinable
  public func bytes(in range: Range<Int>) throws(MMapError) -> [UInt8] {
    guard !isClosed else { throw MMapError.closed(path: path) }
    guard range.lowerBound >= 0, range.lowerBound <= count else {
      throw MMapError.outsideReader(path: path)
    }
    guard range.upperBound <= count else { throw MMapError.endOfFile(path: path) }
    try checkAllocatable(byteCount: range.count, path: path)
    var bytes = [UInt8](repeating: 0, count: range.count)
    try readExactly(from: range.lowerBound, into: &bytes)
    return bytes
  }
}
