// Every read goes to the chosen reader's own code: one switch on `base`, then that reader's
// inlinable fast path, so that a read of a mapped file stays a load.

extension FileReader {
  /// The byte at `offset`, like indexing an array: the chosen reader's subscript.
  ///
  /// - Precondition: `offset` is in `0..<count` and the reader is open. A violation traps
  ///   with the offending values in the message. On a file read with `pread`
  ///   (``Kind/pread``), a failed read traps too: code that may race with ``close()``, or
  ///   read a file that can fail, uses ``byte(at:)``, which throws instead.
  @inlinable
  public subscript(offset: Int) -> UInt8 {
    switch base {
    case .memory(let reader): return reader[offset]
    case .mapped(let reader): return reader[offset]
    case .windowed(let reader): return reader[offset]
    case .pread(let reader):
      if UInt(bitPattern: offset) >= UInt(bitPattern: count) {
        trapCallerBug("FileReader", .offsetOutside(offset, count: count))
      }
      guard let byte = try? reader.byte(at: offset) else {
        trapCallerBug("FileReader", .readingClosed(offset: offset))
      }
      return byte
    }
  }

  /// Returns the byte at `offset`, or throws if it can't, as the chosen reader's
  /// `byte(at:)` does.
  ///
  /// - Throws: ``MMapError`` with `EBADF` if the reader is closed, with `EINVAL` if
  ///   `offset` is outside `0..<count`, with `ENODATA` if the file was truncated under the
  ///   reader, or what the system reported.
  @inlinable
  public func byte(at offset: Int) throws(MMapError) -> UInt8 {
    switch base {
    case .memory(let reader): try reader.byte(at: offset)
    case .mapped(let reader): try reader.byte(at: offset)
    case .windowed(let reader): try reader.byte(at: offset)
    case .pread(let reader): try reader.byte(at: offset)
    }
  }

  /// Copies bytes starting at `offset` into `buffer`, as the chosen reader's
  /// `read(from:into:)` does: the counterpart of Go's `ReadAt`.
  ///
  /// - Returns: The number of bytes copied: fewer than `buffer.count` only when the file
  ///   ends first, and `0` when `offset == count` or `buffer` is empty.
  /// - Throws: ``MMapError`` with `EBADF` if the reader is closed, with `EINVAL` if `offset`
  ///   is negative or past ``count``, with `ENODATA` if the file was truncated under the
  ///   reader, or what the system reported.
  @inlinable
  public func read(from offset: Int, into buffer: UnsafeMutableRawBufferPointer)
    throws(MMapError) -> Int
  {
    switch base {
    case .memory(let reader): try reader.read(from: offset, into: buffer)
    case .mapped(let reader): try reader.read(from: offset, into: buffer)
    case .windowed(let reader): try reader.read(from: offset, into: buffer)
    case .pread(let reader): try reader.read(from: offset, into: buffer)
    }
  }

  /// Returns the integer stored at `offset` in `byteOrder`: on a mapped file one load
  /// straight from the mapping, as ``MMapReader/integer(at:as:byteOrder:)`` does.
  ///
  /// The rules of ``RandomAccessReader/integer(at:as:byteOrder:)`` apply.
  ///
  /// - Throws: ``MMapError`` with `EINVAL` if `offset` is negative or past ``count``, with
  ///   `ENODATA` if the file ends before the integer does or was truncated under the reader,
  ///   with `EBADF` if the reader is closed, or what the system reported.
  @inlinable
  public func integer<T: FixedWidthInteger>(
    at offset: Int, as type: T.Type = T.self, byteOrder: ByteOrder = .littleEndian
  ) throws(MMapError) -> T {
    switch base {
    case .memory(let reader): try reader.integer(at: offset, as: T.self, byteOrder: byteOrder)
    case .mapped(let reader): try reader.integer(at: offset, as: T.self, byteOrder: byteOrder)
    case .windowed(let reader):
      try reader.integer(at: offset, as: T.self, byteOrder: byteOrder)
    case .pread(let reader): try reader.integer(at: offset, as: T.self, byteOrder: byteOrder)
    }
  }

  /// Calls `body` with the bytes in `range`: without copying them from memory or a mapping,
  /// and read into a temporary buffer, freed when `body` returns, from a file read with
  /// `pread` (``Kind/pread``).
  ///
  /// The buffer is valid only until `body` returns (see ``ZeroCopyReader``'s lifetime
  /// rules).
  ///
  /// - Throws: ``MMapError`` with `EINVAL` if `range` is not inside `0..<count`, with
  ///   `EBADF` if the reader is closed, with `ENODATA` if the file was truncated under the
  ///   reader, with `ENOMEM` if a temporary buffer can't be allocated, with what the system
  ///   reported, or what `body` throws.
  @inlinable
  public func withUnsafeBytes<Result>(
    in range: Range<Int>, _ body: (UnsafeRawBufferPointer) throws -> Result
  ) throws -> Result {
    switch base {
    case .memory(let reader): try reader.withUnsafeBytes(in: range, body)
    case .mapped(let reader): try reader.withUnsafeBytes(in: range, body)
    case .windowed(let reader): try reader.withUnsafeBytes(in: range, body)
    case .pread(let reader): try reader.withCopiedBytes(in: range, body)
    }
  }

  /// Calls `body` with the bytes in `range` as a sequence of contiguous chunks, as the
  /// chosen reader's `forEachChunk(in:_:)` does (see
  /// ``RandomAccessReader/forEachChunk(in:_:)``).
  @inlinable
  public func forEachChunk(
    in range: Range<Int>,
    _ body: (_ offset: Int, _ chunk: UnsafeRawBufferPointer) throws -> ScanStep
  ) throws {
    switch base {
    case .memory(let reader): try reader.forEachChunk(in: range, body)
    case .mapped(let reader): try reader.forEachChunk(in: range, body)
    case .windowed(let reader): try reader.forEachChunk(in: range, body)
    case .pread(let reader): try reader.forEachChunk(in: range, body)
    }
  }
}

extension FileReader {
  /// ``RandomAccessReader/write(_:to:)`` by the chosen reader, so that each takes its own
  /// fastest path: `vmsplice` of mapped pages to a pipe, `sendfile` or `splice` from a
  /// descriptor.
  internal func writeThroughBase(_ range: Range<Int>?, to fileDescriptor: CInt)
    throws(MMapError) -> Int
  {
    switch base {
    case .memory(let reader): try reader.write(range, to: fileDescriptor)
    case .mapped(let reader): try reader.write(range, to: fileDescriptor)
    case .windowed(let reader): try reader.write(range, to: fileDescriptor)
    case .pread(let reader): try reader.write(range, to: fileDescriptor)
    }
  }
}

extension FileReader: DetachableReader {
  /// A new private mapping of the bytes in `range` from a mapped reader; `nil` (copy them)
  /// from the others.
  package func detachedMapping(in range: Range<Int>) throws(MMapError) -> DetachedMapping? {
    switch base {
    case .mapped(let reader): try reader.detachedMapping(in: range)
    case .windowed(let reader): try reader.detachedMapping(in: range)
    case .memory, .pread: nil
    }
  }
}

extension FileReader: FileEndChecking {
  /// Where the mapped file ends now, for a system call that read its pages; `nil` for the
  /// readers that map nothing.
  internal func fileEndNow() -> Int? {
    switch base {
    case .mapped(let reader): reader.fileEndNow()
    case .windowed(let reader): reader.fileEndNow()
    case .memory, .pread: nil
    }
  }
}

extension PReadReader {
  /// Calls `body` with a copy of the bytes in `range`, read into a temporary buffer that is
  /// freed when `body` returns: the view of ``FileReader`` on a file read with `pread`.
  ///
  /// - Throws: ``MMapError`` with `EBADF` if the reader is closed, with `EINVAL` if `range`
  ///   is not inside `0..<count`, with `ENOMEM` if the buffer can't be allocated, with
  ///   `ENODATA` if the file now ends before `range` does, what `pread` reported, or what
  ///   `body` throws.
  @usableFromInline
  internal func withCopiedBytes<Result>(
    in range: Range<Int>, _ body: (UnsafeRawBufferPointer) throws -> Result
  ) throws -> Result {
    guard !isClosed else { throw MMapError.closed(path: path) }
    try checkInside(range, count: count, path: path)
    guard !range.isEmpty else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
    let buffer = try HeapBuffer(count: range.count, path: path)
    defer { buffer.free() }
    try readExactly(from: range.lowerBound, into: buffer.bytes)
    return try body(UnsafeRawBufferPointer(buffer.bytes))
  }
}
