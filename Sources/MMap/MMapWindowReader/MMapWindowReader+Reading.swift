extension MMapWindowReader {
  /// The byte at `offset`, like indexing an array: the counterpart of Go's `At`.
  ///
  /// - Precondition: `offset` is in `0..<count` and the reader is open. A violation traps
  ///   with the offending values in the message. Code that may race with ``close()`` uses
  ///   ``byte(at:)``, which throws instead.
  public subscript(offset: Int) -> UInt8 {
    if offset < 0 || offset >= count {
      trapCallerBug("MMapWindowReader", .offsetOutside(offset, count: count))
    }
    guard let byte = try? byte(at: offset) else {
      trapCallerBug("MMapWindowReader", .readingClosed(offset: offset))
    }
    return byte
  }

  /// Returns the byte at `offset`, or throws if it can't.
  ///
  /// - Throws: ``MMapError`` with `EBADF` if the reader is closed (also when ``close()``
  ///   races with this call), with `EINVAL` if `offset` is outside `0..<count`, with
  ///   `ENODATA` if the file was truncated under the reader, or with what `pread` reported.
  @inlinable
  public func byte(at offset: Int) throws(MMapError) -> UInt8 {
    // The common case: a mapped window, read without the lock. The slots check the bounds,
    // and their sequences carry a truncation (see WindowSlots.truncatedBit).
    if let byte = slots.load(at: offset) { return byte }
    return try byteThroughTable(at: offset)
  }

  /// The rest of ``byte(at:)``: a miss, a race with a remap, and the errors.
  @usableFromInline
  internal func byteThroughTable(at offset: Int) throws(MMapError) -> UInt8 {
    guard offset >= 0, offset < count else {
      throw isClosed ? MMapError.closed(path: path) : MMapError.outsideReader(path: path)
    }
    var byte: UInt8 = 0
    let copied = try withUnsafeMutableBytes(of: &byte) { (buffer) throws(MMapError) in
      try read(from: offset, into: buffer)
    }
    guard copied == 1 else { throw MMapError.outsideReader(path: path) }  // Can't happen.
    return byte
  }

  /// Copies bytes starting at `offset` into `buffer`: the counterpart of Go's `ReadAt`.
  ///
  /// Bytes in a mapped window are copied from it; a read that crosses a window edge is
  /// split into one copy per window. A read that misses the mapped windows maps its window
  /// or calls `pread`, as the type's miss policy decides.
  ///
  /// - Parameters:
  ///   - offset: The offset of the first byte to copy, from `0` through ``count``.
  ///   - buffer: The memory to copy into. Its count is the most bytes copied.
  /// - Returns: The number of bytes copied: fewer than `buffer.count` only when the file
  ///   ends first, and `0` when `offset == count` or `buffer` is empty.
  /// - Throws: ``MMapError`` with `EBADF` if the reader is closed (also when ``close()``
  ///   races with this call), with `EINVAL` if `offset` is negative or past ``count``, or
  ///   with what `pread` reported.
  @inlinable @inline(__always)
  public func read(from offset: Int, into buffer: UnsafeMutableRawBufferPointer)
    throws(MMapError) -> Int
  {
    // The common case, inlined so that a constant-size read copies with a constant size: a
    // whole buffer inside one mapped window, copied without the lock. The slots check the
    // bounds: a slot serves only offsets inside the reader. Their sequences carry a
    // truncation (see WindowSlots.truncatedBit).
    if buffer.count > 0,
      slots.copy(
        from: offset, count: buffer.count, into: buffer.baseAddress.unsafelyUnwrapped)
    {
      return buffer.count
    }
    return try readSlowly(from: offset, into: buffer)
  }

  /// The rest of ``read(from:into:)``: a short read at the end, a miss, a read across a
  /// window edge or one that raced with a remap, and the errors. Out of line, so that the
  /// common case stays small.
  @usableFromInline
  internal func readSlowly(from offset: Int, into buffer: UnsafeMutableRawBufferPointer)
    throws(MMapError) -> Int
  {
    guard let total = readableByteCount(offset: offset, capacity: buffer.count, count: count)
    else {
      throw isClosed ? MMapError.closed(path: path) : MMapError.outsideReader(path: path)
    }
    guard total > 0 else {
      if isClosed { throw MMapError.closed(path: path) }
      return 0
    }
    // Not nil: total > 0, so the buffer is not empty.
    let destination = buffer.baseAddress.unsafelyUnwrapped
    return try readThroughTable(from: offset, count: total, into: destination, buffer: buffer)
  }

  /// The rest of ``read(from:into:)``: a read that misses the mapped windows, crosses an
  /// edge, or raced with a change, served piece by piece through the window table.
  private func readThroughTable(
    from offset: Int, count total: Int, into destination: UnsafeMutableRawPointer,
    buffer: UnsafeMutableRawBufferPointer
  ) throws(MMapError) -> Int {
    guard !truncation.isSet else {  // A closed reader reports that first, as every reader does.
      throw isClosed ? MMapError.closed(path: path) : truncation.error(path: path)
    }
    var done = 0
    var kind = WindowTable.Kind.read
    while done < total {
      // Neither overflows: done < total, and offset + total <= count.
      let position = offset &+ done
      let wanted = total &- done
      let access = try enter(at: position, count: wanted, kind: kind)
      kind = .continuation(streak: access.streak)
      if let source = address(of: access) {
        let piece = min(wanted, access.available)
        (destination + done).copyMemory(from: source, byteCount: piece)
        leave(access)
        guard !truncation.isSetAfterCopy else { throw truncation.error(path: path) }
        done &+= piece  // Can't overflow: piece <= wanted.
        continue
      }
      // No window: one pread for the rest, which may cross any number of window edges.
      let got: Int
      do {
        defer { leave(access) }
        got = try preadFully(
          fd, offset: geometry.fileOffset(of: position),
          into: UnsafeMutableRawBufferPointer(rebasing: buffer[done..<total]), path: path)
      }
      if got < wanted {  // The file shrank: it ends there now.
        truncation.set(fileEnd: position &+ got)  // Can't overflow: got < wanted.
        slots.markTruncated()  // Lock-free reads fail from now on too.
        throw truncation.error(path: path)
      }
      done &+= got  // Can't overflow: got <= wanted.
    }
    return done
  }
}
