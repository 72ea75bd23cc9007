// Every read goes to the chosen reader's own code. A byte or a whole read of a file in memory
// or mapped whole takes an inlined fast path (one compare against loadableCount, a load or copy
// from loadableBase, then the chosen reader's gate check), so that it stays a load; the rest
// switch on the kind. Both readers hold their gate first, at the same offset, so the gate
// check's two arms compile to one load: no test of the kind remains.

extension FileReader {
  /// The byte at `offset`, like indexing an array: the chosen reader's subscript.
  ///
  /// - Precondition: `offset` is in `0..<count` and the reader is open. A violation traps
  ///   with the offending values in the message. On a file read with `pread`
  ///   (``Kind/pread``), a failed read traps too: code that may race with ``close()``, or
  ///   read a file that can fail, uses ``byte(at:)``, which throws instead.
  @inlinable
  @inline(__always)
  public subscript(offset: Int) -> UInt8 {
    // As in byte(at:). Through the chosen reader's own subscript, every byte retained and
    // released the reader.
    if _fastPath(UInt(bitPattern: offset) < UInt(bitPattern: loadableCount)) {
      let byte = loadableBase.unsafelyUnwrapped.load(fromByteOffset: offset, as: UInt8.self)
      if _fastPath(!loadedBytesAreUnreadable) { return byte }
    }
    return byteThroughChosenSubscript(at: offset)
  }

  /// The subscript through the chosen reader's own: every case but a loaded byte of a file in
  /// memory or mapped whole, where the chosen reader traps with its own message.
  @usableFromInline
  @inline(never)
  internal func byteThroughChosenSubscript(at offset: Int) -> UInt8 {
    switch kind {
    case .memory: return chosen(InMemoryReader.self)[offset]
    case .mapped: return chosen(MMapReader.self)[offset]
    case .windowed: return chosen(MMapWindowReader.self)[offset]
    case .pread:
      if UInt(bitPattern: offset) >= UInt(bitPattern: count) {
        trapCallerBug("FileReader", .offsetOutside(offset, count: count))
      }
      guard
        let byte = try? chosen(PReadReader.self).byte(at: offset)
      else {
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
  @inline(__always)
  public func byte(at offset: Int) throws(MMapError) -> UInt8 {
    // One unsigned compare for the kind and 0 <= offset < count: loadableCount is 0 but for
    // a file in memory or mapped whole. The hint keeps the other cases out of the caller's
    // loop: inlined, their calls made the loop keep its sum and counters on the stack, a
    // third more time per byte, and fewer cache misses in flight on a large file.
    if _fastPath(UInt(bitPattern: offset) < UInt(bitPattern: loadableCount)) {
      let byte = loadableBase.unsafelyUnwrapped.load(fromByteOffset: offset, as: UInt8.self)
      if _fastPath(!loadedBytesAreUnreadable) { return byte }
    }
    return try byteThroughChosenReader(at: offset)
  }

  /// ``byte(at:)`` through the chosen reader's own method: every case but a loaded byte of
  /// a file in memory or mapped whole.
  @usableFromInline
  @inline(never)
  internal func byteThroughChosenReader(at offset: Int) throws(MMapError) -> UInt8 {
    switch kind {
    case .memory: try chosen(InMemoryReader.self).byte(at: offset)
    case .mapped: try chosen(MMapReader.self).byte(at: offset)
    case .windowed: try chosen(MMapWindowReader.self).byte(at: offset)
    case .pread: try chosen(PReadReader.self).byte(at: offset)
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
  @inline(__always)
  public func read(from offset: Int, into buffer: UnsafeMutableRawBufferPointer)
    throws(MMapError) -> Int
  {
    // As in byte(at:): against loadableCount, the bounds test the kind too; the hint keeps
    // the other cases out of the caller's loop.
    if _fastPath(fillsWhole(byteCount: buffer.count, at: offset, count: loadableCount)) {
      buffer.baseAddress.unsafelyUnwrapped.copyMemory(
        from: loadableBase.unsafelyUnwrapped + offset, byteCount: buffer.count)
      if _fastPath(!loadedBytesAreUnreadable) { return buffer.count }
    }
    return try readThroughChosenReader(from: offset, into: buffer)
  }

  /// ``read(from:into:)`` through the chosen reader's own method: every case but a whole
  /// copy from a file in memory or mapped whole.
  @usableFromInline
  @inline(never)
  internal func readThroughChosenReader(
    from offset: Int, into buffer: UnsafeMutableRawBufferPointer
  ) throws(MMapError) -> Int {
    switch kind {
    case .memory: try chosen(InMemoryReader.self).read(from: offset, into: buffer)
    case .mapped: try chosen(MMapReader.self).read(from: offset, into: buffer)
    case .windowed: try chosen(MMapWindowReader.self).read(from: offset, into: buffer)
    case .pread: try chosen(PReadReader.self).read(from: offset, into: buffer)
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
  @inline(__always)
  public func integer<T: FixedWidthInteger>(
    at offset: Int, as type: T.Type = T.self, byteOrder: ByteOrder = .littleEndian
  ) throws(MMapError) -> T {
    // As in byte(at:): against loadableCount, the bounds test the kind too. Through the
    // chosen reader's own method, every call retained and released it.
    if _fastPath(fillsWhole(byteCount: MemoryLayout<T>.size, at: offset, count: loadableCount)) {
      let stored = loadableBase.unsafelyUnwrapped.loadUnaligned(
        fromByteOffset: offset, as: T.self)
      if _fastPath(!loadedBytesAreUnreadable) { return byteOrder.value(fromStored: stored) }
    }
    return try integerThroughChosenReader(at: offset, as: T.self, byteOrder: byteOrder)
  }

  /// ``integer(at:as:byteOrder:)`` through the chosen reader's own method: every case but a
  /// loaded integer of a file in memory or mapped whole. Inlinable so that it is specialized
  /// for `T`, never inlined so that it stays out of the caller's loop.
  @inlinable
  @inline(never)
  internal func integerThroughChosenReader<T: FixedWidthInteger>(
    at offset: Int, as type: T.Type, byteOrder: ByteOrder
  ) throws(MMapError) -> T {
    switch kind {
    case .memory:
      try chosen(InMemoryReader.self).integer(at: offset, as: T.self, byteOrder: byteOrder)
    case .mapped:
      try chosen(MMapReader.self).integer(at: offset, as: T.self, byteOrder: byteOrder)
    case .windowed:
      try chosen(MMapWindowReader.self).integer(at: offset, as: T.self, byteOrder: byteOrder)
    case .pread:
      try chosen(PReadReader.self).integer(at: offset, as: T.self, byteOrder: byteOrder)
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
    // Lent: through chosen(_:), every view retained and released the reader.
    switch kind {
    case .memory:
      try withChosen(InMemoryReader.self) { try $0.withUnsafeBytes(in: range, body) }
    case .mapped: try withChosen(MMapReader.self) { try $0.withUnsafeBytes(in: range, body) }
    case .windowed:
      try withChosen(MMapWindowReader.self) { try $0.withUnsafeBytes(in: range, body) }
    case .pread: try withChosen(PReadReader.self) { try $0.withCopiedBytes(in: range, body) }
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
    // Not lent as withUnsafeBytes(in:_:) is: inside the lending closure, the optimizer kept
    // the chunk loop out of a line loop's caller, which took 1.4x the time per line.
    switch kind {
    case .memory: try chosen(InMemoryReader.self).forEachChunk(in: range, body)
    case .mapped: try chosen(MMapReader.self).forEachChunk(in: range, body)
    case .windowed:
      try chosen(MMapWindowReader.self).forEachChunk(in: range, body)
    case .pread: try chosen(PReadReader.self).forEachChunk(in: range, body)
    }
  }
}

extension FileReader {
  /// ``RandomAccessReader/write(in:to:)`` by the chosen reader, so that each takes its own
  /// fastest path: `vmsplice` of mapped pages to a pipe, `sendfile` or `splice` from a
  /// descriptor.
  internal func writeThroughBase(_ range: Range<Int>?, to fileDescriptor: CInt)
    throws(MMapError) -> Int
  {
    switch base {
    case .memory(let reader): try reader.write(in: range, to: fileDescriptor)
    case .mapped(let reader): try reader.write(in: range, to: fileDescriptor)
    case .windowed(let reader): try reader.write(in: range, to: fileDescriptor)
    case .pread(let reader): try reader.write(in: range, to: fileDescriptor)
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
