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
  public func withUnsafeBytes<Result>(
    in range: Range<Int>, _ body: (UnsafeRawBufferPointer) throws -> Result
  ) throws -> Result {
    defer {
      if gate.leave() {
        try? mapping.replaceWithZeroPages(path: path)  // On failure deinit unmaps it.
      }
    }
    guard gate.enter() else { throw gate.failure(path: path) }
    try checkInside(range, count: count, path: path)
    let result = try body(UnsafeRawBufferPointer(rebasing: mapping.bytes[range]))
    guard !gate.isTruncatedAfterCopy else { throw gate.truncationError(path: path) }
    return result
  }

  /// Calls `body` once, with the whole of `range` as one chunk straight from the mapping.
  ///
  /// The rules of ``RandomAccessReader/forEachChunk(in:_:)`` apply; an empty range calls
  /// `body` never.
  public func forEachChunk(
    in range: Range<Int>,
    _ body: (_ offset: Int, _ chunk: UnsafeRawBufferPointer) throws -> ScanStep
  ) throws {
    try withUnsafeBytes(in: range) { chunk in
      if !chunk.isEmpty { _ = try body(range.lowerBound, chunk) }
    }
  }
}
