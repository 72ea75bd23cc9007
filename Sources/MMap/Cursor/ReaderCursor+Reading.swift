extension ReaderCursor {
  /// Copies bytes from ``position`` into `buffer` and moves past them: the counterpart of
  /// Go's `Read`.
  ///
  /// - Parameter buffer: The memory to copy into. Its count is the most bytes copied.
  /// - Returns: The number of bytes copied: fewer than `buffer.count` only when the end
  ///   comes first, and `0` at or past the end (Go's `io.EOF`) or for an empty buffer.
  /// - Throws: ``MMapError`` with `EBADF` if the reader is closed, or what the reader's
  ///   ``RandomAccessReader/read(from:into:)-(_,UnsafeMutableRawBufferPointer)`` throws.
  @inlinable
  public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(MMapError)
    -> Int
  {
    let (offset, available) = readerOffsetAndRemainingCount
    let target =
      buffer.count <= available
      ? buffer : UnsafeMutableRawBufferPointer(rebasing: buffer[..<available])
    let copied = try reader.read(from: offset, into: target)
    _position &+= copied  // Can't overflow: copied <= available = count - position.
    return copied
  }

  /// Copies bytes from ``position`` into the start of `bytes`, up to its count, and moves
  /// past them: the array form of ``read(into:)-(UnsafeMutableRawBufferPointer)``, whose
  /// rules apply.
  ///
  /// - Parameter bytes: The array to copy into. Its count is the most bytes copied.
  /// - Returns: The number of bytes copied; `0` at or past the end.
  /// - Throws: ``MMapError``, as the buffer form does.
  @inlinable
  public mutating func read(into bytes: inout [UInt8]) throws(MMapError) -> Int {
    let result = bytes.withUnsafeMutableBytes { buffer in
      Result { () throws(MMapError) in try read(into: buffer) }
    }
    return try result.get()
  }

  /// Fills `buffer` with the bytes from ``position`` and moves past them, or throws and
  /// stays: the counterpart of Go's `io.ReadFull`.
  ///
  /// - Parameter buffer: The memory to fill.
  /// - Throws: ``MMapError`` with `ENODATA` if fewer than `buffer.count` bytes remain
  ///   (nothing is copied), with `EBADF` if the reader is closed, or what the reader's
  ///   ``RandomAccessReader/readExactly(from:into:)-(_,UnsafeMutableRawBufferPointer)``
  ///   throws. The position doesn't move.
  @inlinable
  public mutating func readExactly(into buffer: UnsafeMutableRawBufferPointer)
    throws(MMapError)
  {
    let offset = try offsetOfNext(buffer.count)
    try reader.readExactly(from: offset, into: buffer)
    _position &+= buffer.count  // Can't overflow: offsetOfNext checked it fits.
  }

  /// Fills `bytes` with the bytes from ``position`` and moves past them, or throws and
  /// stays: the array form of ``readExactly(into:)-(UnsafeMutableRawBufferPointer)``, whose
  /// rules apply.
  ///
  /// - Parameter bytes: The array to fill.
  /// - Throws: ``MMapError``, as the buffer form does.
  @inlinable
  public mutating func readExactly(into bytes: inout [UInt8]) throws(MMapError) {
    let result = bytes.withUnsafeMutableBytes { buffer in
      Result { () throws(MMapError) in try readExactly(into: buffer) }
    }
    try result.get()
  }

  /// Returns a copy of the next `count` bytes and moves past them, or throws and stays.
  ///
  /// The array's memory is checked as ``RandomAccessReader/bytes(in:)`` checks it: from 1 MiB
  /// on, `count` bytes allocated with `malloc` and freed first, `ENOMEM` if that fails.
  ///
  /// - Parameter count: How many bytes to read; `0` gives an empty array.
  /// - Returns: The bytes.
  /// - Throws: ``MMapError`` with `EINVAL` if `count` is negative, with `ENODATA` if fewer
  ///   than `count` bytes remain (checked before anything is allocated), with `EBADF` if the
  ///   reader is closed, with `ENOMEM` if `count` bytes can't be allocated, or what the reader
  ///   throws. The position doesn't move.
  @inlinable
  public mutating func readBytes(count: Int) throws(MMapError) -> [UInt8] {
    guard count >= 0 else { throw MMapError.outsideReader(path: reader.path) }
    let offset = try offsetOfNext(count)
    try checkAllocatable(byteCount: count, path: reader.path)
    var bytes = [UInt8](repeating: 0, count: count)
    try reader.readExactly(from: offset, into: &bytes)
    _position &+= count  // Can't overflow: offsetOfNext checked it fits.
    return bytes
  }

  /// Returns the integer stored at ``position`` in `byteOrder` and moves past it: the
  /// counterpart of Go's `binary.Read` of one integer.
  ///
  /// ```swift
  /// let version = try cursor.readInteger(as: UInt16.self, byteOrder: .bigEndian)
  /// let length: UInt32 = try cursor.readInteger()   // little-endian
  /// ```
  ///
  /// - Parameters:
  ///   - type: The integer type to read, such as `UInt16` or `Int64`.
  ///   - byteOrder: The order the file stores the integer's bytes in.
  /// - Returns: The integer.
  /// - Throws: ``MMapError`` with `ENODATA` if fewer than `MemoryLayout<T>.size` bytes
  ///   remain, with `EBADF` if the reader is closed, or what the reader throws. The position
  ///   doesn't move.
  @inlinable
  public mutating func readInteger<T: FixedWidthInteger>(
    as type: T.Type = T.self, byteOrder: ByteOrder = .littleEndian
  ) throws(MMapError) -> T {
    let offset = try offsetOfNext(MemoryLayout<T>.size)
    let value = try reader.integer(at: offset, as: T.self, byteOrder: byteOrder)
    _position &+= MemoryLayout<T>.size  // Can't overflow: offsetOfNext checked it fits.
    return value
  }

  /// The reader offset of ``position``, if `byteCount` bytes remain from there.
  ///
  /// - Throws: ``MMapError`` with `EBADF` if the reader is closed, or with `ENODATA` if fewer
  ///   than `byteCount` bytes remain.
  @inlinable
  internal func offsetOfNext(_ byteCount: Int) throws(MMapError) -> Int {
    let (offset, available) = readerOffsetAndRemainingCount
    guard byteCount <= available else {
      throw reader.isClosed
        ? MMapError.closed(path: reader.path) : MMapError.endOfFile(path: reader.path)
    }
    return offset
  }
}
