extension MMapReader {
  /// Calls `body` with all the mapped bytes, without copying them.
  ///
  /// The buffer points into the mapping and is valid only until `body` returns. Don't store
  /// it, return it, or capture it in an escaping closure; copy what you need to keep with
  /// ``read(from:into:)``. A ``close()`` on another thread waits for `body` to return before
  /// the bytes go away.
  ///
  /// - Important: If another process truncates the file, touching a page past its new end
  ///   raises `SIGBUS`. Changes other processes write may be visible.
  /// - Throws: ``MMapError`` with `EBADF` if the reader is closed, or what `body` throws.
  public func withUnsafeBytes<Result>(
    _ body: (UnsafeRawBufferPointer) throws -> Result
  ) throws -> Result {
    try withUnsafeBytes(in: 0..<count, body)
  }

  /// Calls `body` with the mapped bytes in `range`, without copying them.
  ///
  /// The buffer points into the mapping and is valid only until `body` returns. Don't store
  /// it, return it, or capture it in an escaping closure; copy what you need to keep with
  /// ``read(from:into:)``. A ``close()`` on another thread waits for `body` to return before
  /// the bytes go away.
  ///
  /// - Precondition: `range` lies within `0..<count`; otherwise this traps with the values.
  /// - Important: If another process truncates the file, touching a page past its new end
  ///   raises `SIGBUS`. Changes other processes write may be visible.
  /// - Throws: ``MMapError`` with `EBADF` if the reader is closed, or what `body` throws.
  public func withUnsafeBytes<Result>(
    in range: Range<Int>, _ body: (UnsafeRawBufferPointer) throws -> Result
  ) throws -> Result {
    if range.lowerBound < 0 || range.upperBound > count {
      fatalError("MMapReader: view range \(range) is outside 0..<\(count)")
    }
    defer {
      if gate.leave() {
        try? mapping.replaceWithZeroPages(path: path)  // On failure deinit unmaps it.
      }
    }
    guard gate.enter() else { throw closedError() }
    return try body(UnsafeRawBufferPointer(rebasing: mapping.bytes[range]))
  }

  /// Calls `body` with a span over all the mapped bytes, without copying them.
  ///
  /// The span is valid only inside `body`, which the compiler enforces: it can't be stored
  /// or returned. The rules of ``withUnsafeBytes(_:)`` apply.
  ///
  /// - Throws: ``MMapError`` with `EBADF` if the reader is closed, or what `body` throws.
  public func withBytes<Result>(_ body: (RawSpan) throws -> Result) throws -> Result {
    try withBytes(in: 0..<count, body)
  }

  /// Calls `body` with a span over the mapped bytes in `range`, without copying them.
  ///
  /// The span is valid only inside `body`, which the compiler enforces: it can't be stored
  /// or returned. The rules of ``withUnsafeBytes(in:_:)`` apply.
  ///
  /// - Precondition: `range` lies within `0..<count`; otherwise this traps with the values.
  /// - Throws: ``MMapError`` with `EBADF` if the reader is closed, or what `body` throws.
  public func withBytes<Result>(
    in range: Range<Int>, _ body: (RawSpan) throws -> Result
  ) throws -> Result {
    try withUnsafeBytes(in: range) { buffer in try body(RawSpan(_unsafeBytes: buffer)) }
  }
}
