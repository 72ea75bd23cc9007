extension InMemoryReader {
  /// Calls `body` with the bytes in `range`, without copying them: the one view the other
  /// forms of ``ZeroCopyReader`` build on.
  ///
  /// The buffer points into the reader's memory and is valid only until `body` returns. A
  /// ``close()`` on another thread doesn't take the bytes away: they stay allocated until the
  /// reader is deinitialized, which can't happen while `body` runs.
  ///
  /// - Throws: ``MMapError`` with `EBADF` if the reader is closed, with `EINVAL` if `range`
  ///   is not inside `0..<count`, or what `body` throws.
  @inlinable
  public func withUnsafeBytes<Result>(
    in range: Range<Int>, _ body: (UnsafeRawBufferPointer) throws -> Result
  ) throws -> Result {
    // Inlined, nothing here uses `self` after `body` begins, so the caller's last reference
    // may go (and deinit free the bytes) while `body` reads them: keep `self` alive to the end.
    defer { withExtendedLifetime(self) {} }
    guard !gate.isClosed else { throw MMapError.closed(path: path) }
    try checkInside(range, count: count, path: path)
    return try body(UnsafeRawBufferPointer(rebasing: bytes[range]))
  }

  /// Calls `body` once, with the whole of `range` as one chunk straight from memory.
  ///
  /// The rules of ``RandomAccessReader/forEachChunk(in:_:)`` apply; an empty range calls
  /// `body` never.
  @inlinable
  public func forEachChunk(
    in range: Range<Int>,
    _ body: (_ offset: Int, _ chunk: UnsafeRawBufferPointer) throws -> ScanStep
  ) throws {
    // Inlinable, so that a scan's closure inlines into its caller, as on MMapReader.
    try withUnsafeBytes(in: range) { chunk in
      if !chunk.isEmpty { _ = try body(range.lowerBound, chunk) }
    }
  }
}
