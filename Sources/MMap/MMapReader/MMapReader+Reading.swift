extension MMapReader {
  /// The byte at `offset`, like indexing an array: the counterpart of Go's `At`.
  ///
  /// - Precondition: `offset` is in `0..<count` and the reader is open. A violation traps
  ///   with the offending values in the message. Code that may race with ``close()`` uses
  ///   ``byte(at:)``, which throws instead.
  @inlinable
  public subscript(offset: Int) -> UInt8 {
    // One unsigned compare for 0 <= offset < count (count is never negative).
    if UInt(bitPattern: offset) >= UInt(bitPattern: count) {
      trapCallerBug("MMapReader", .offsetOutside(offset, count: count))
    }
    // Can't be nil: count > offset >= 0, so the file is mapped.
    let byte = mapping.bytes.baseAddress.unsafelyUnwrapped.load(
      fromByteOffset: offset, as: UInt8.self)
    if gate.isUnreadableAfterCopy {
      trapCallerBug("MMapReader", .readingClosed(offset: offset))
    }
    return byte
  }

  /// Returns the byte at `offset`, or throws if it can't.
  ///
  /// - Throws: ``MMapError`` with `EBADF` if the reader is closed (also when ``close()``
  ///   races with this call), with `EINVAL` if `offset` is outside `0..<count`, or with
  ///   `ENODATA` if the file was truncated under the reader (see ``TruncationGuard``).
  @inlinable
  public func byte(at offset: Int) throws(MMapError) -> UInt8 {
    // One unsigned compare for 0 <= offset < count (count is never negative). A closed
    // reader's error comes first, as for every read, so the slow path looks at the gate.
    guard UInt(bitPattern: offset) < UInt(bitPattern: count) else {
      throw gate.isUnreadable ? gate.failure(path: path) : MMapError.outsideReader(path: path)
    }
    // No check of the gate before the load: the range stays mapped (the file's pages, or
    // zero pages after close() or a truncation) for as long as the caller holds the reader,
    // so the load can't fault, and the check after it catches every close() or truncation
    // that happened before it. One load of the gate per byte instead of two keeps the loop
    // small enough for the CPU to overlap more cache misses.
    let byte = mapping.bytes.baseAddress.unsafelyUnwrapped.load(
      fromByteOffset: offset, as: UInt8.self)
    guard !gate.isUnreadableAfterCopy else { throw gate.failure(path: path) }
    return byte
  }

  /// Copies bytes starting at `offset` into `buffer`: the counterpart of Go's `ReadAt`.
  ///
  /// - Parameters:
  ///   - offset: The offset of the first byte to copy, from `0` through ``count``.
  ///   - buffer: The memory to copy into. Its count is the most bytes copied.
  /// - Returns: The number of bytes copied: fewer than `buffer.count` only when the file
  ///   ends first, and `0` when `offset == count` or `buffer` is empty.
  /// - Throws: ``MMapError`` with `EBADF` if the reader is closed (also when ``close()``
  ///   races with this call), with `EINVAL` if `offset` is negative or past ``count``, or
  ///   with `ENODATA` if the file was truncated under the reader (see ``TruncationGuard``).
  @inlinable
  public func read(from offset: Int, into buffer: UnsafeMutableRawBufferPointer)
    throws(MMapError) -> Int
  {
    // The common case inlines to a fixed-size copy when the caller's buffer size is a
    // constant: an open reader and a whole buffer that fits before the end of the file.
    // As in byte(at:), only the check after the copy matters: the range stays readable.
    if fillsWhole(byteCount: buffer.count, at: offset, count: count) {
      buffer.baseAddress.unsafelyUnwrapped.copyMemory(
        from: mapping.bytes.baseAddress.unsafelyUnwrapped + offset, byteCount: buffer.count)
      guard !gate.isUnreadableAfterCopy else { throw gate.failure(path: path) }
      return buffer.count
    }
    return try readNearEnd(from: offset, into: buffer)
  }

  /// The rest of ``read(from:into:)``: a short copy at the end of the file, an empty buffer,
  /// and the errors. Kept out of line so that the common case stays small.
  @usableFromInline
  internal func readNearEnd(from offset: Int, into buffer: UnsafeMutableRawBufferPointer)
    throws(MMapError) -> Int
  {
    guard !gate.isUnreadable else { throw gate.failure(path: path) }
    guard let copied = readableByteCount(offset: offset, capacity: buffer.count, count: count)
    else { throw MMapError.outsideReader(path: path) }
    guard copied > 0 else { return 0 }
    // Neither is nil: copied > 0 means the buffer is not empty and the file is mapped.
    buffer.baseAddress.unsafelyUnwrapped.copyMemory(
      from: mapping.bytes.baseAddress.unsafelyUnwrapped + offset, byteCount: copied)
    guard !gate.isUnreadableAfterCopy else { throw gate.failure(path: path) }
    return copied
  }
}
