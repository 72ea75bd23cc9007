extension MMapReader {
  /// Calls `body` with the mapped bytes in `range`, without copying them: the one view the
  /// other forms of ``ZeroCopyReader`` build on.
  ///
  /// The buffer points into the mapping and is valid only until `body` returns. A
  /// ``close()`` on another thread waits for `body` to return before the bytes go away: the
  /// view counts itself in the close gate for the closure's duration.
  ///
  /// If the file is truncated under the view, `body` sees zeros for the missing pages, and
  /// the view throws when `body` returns.
  ///
  /// - Throws: ``MMapError`` with `EINVAL` if `range` is not inside `0..<count`, with
  ///   `EBADF` if the reader is closed, with `ENODATA` if the file was truncated under the
  ///   reader (see ``TruncationGuard``), or what `body` throws.
  @inlinable
  public func withUnsafeBytes<Result>(
    in range: Range<Int>, _ body: (UnsafeRawBufferPointer) throws -> Result
  ) throws -> Result {
    // Inlinable, like forEachChunk, so that a scan's closure inlines into its caller; the
    // close gate is entered and left out of line.
    defer { leaveView() }
    guard enterView() else { throw gate.failure(path: path) }
    try checkInside(range, count: count, path: path)
    let result = try body(UnsafeRawBufferPointer(rebasing: mapping.bytes[range]))
    try checkViewSurvived()
    return result
  }

  /// Counts a view in the close gate and returns whether the reader was open. Call
  /// ``leaveView()`` once afterwards either way.
  @usableFromInline
  internal func enterView() -> Bool {
    gate.enter()
  }

  /// Counts a view out of the close gate; the last one out after ``close()`` releases the
  /// file's pages.
  @usableFromInline
  internal func leaveView() {
    if gate.leave() {
      try? releaseFile()  // On failure a later close(), or deinit, releases it.
    }
  }

  /// Throws if the file was truncated under a view while its closure ran.
  @usableFromInline
  internal func checkViewSurvived() throws(MMapError) {
    guard !gate.isTruncatedAfterCopy else { throw gate.truncationError(path: path) }
  }

  /// Calls `body` once, with the whole of `range` as one chunk straight from the mapping.
  ///
  /// The rules of ``RandomAccessReader/forEachChunk(in:_:)`` apply; an empty range calls
  /// `body` never.
  @inlinable
  public func forEachChunk(
    in range: Range<Int>,
    _ body: (_ offset: Int, _ chunk: UnsafeRawBufferPointer) throws -> ScanStep
  ) throws {
    try withUnsafeBytes(in: range) { chunk in
      if !chunk.isEmpty { _ = try body(range.lowerBound, chunk) }
    }
  }
}
