extension MMapWindowReader {
  /// Calls `body` with all the reader's bytes, without copying them.
  ///
  /// The buffer points into a mapping and is valid only until `body` returns. Don't store
  /// it, return it, or capture it in an escaping closure; copy what you need to keep with
  /// ``read(from:into:)``. A ``close()`` on another thread waits for `body` to return before
  /// the bytes go away.
  ///
  /// Unless the whole reader fits in one window, this maps the whole range temporarily, and
  /// the pages `body` touches stay resident until it returns; ``forEachWindow(in:_:)`` scans
  /// with bounded memory.
  ///
  /// - Important: If another process truncates the file, touching a page past its new end
  ///   raises `SIGBUS`. Changes other processes write may be visible.
  /// - Throws: ``MMapError`` with `EBADF` if the reader is closed, with
  ///   ``MMapError/Operation/map`` if the range can't be mapped, or what `body` throws.
  public func withUnsafeBytes<Result>(
    _ body: (UnsafeRawBufferPointer) throws -> Result
  ) throws -> Result {
    try withUnsafeBytes(in: 0..<count, body)
  }

  /// Calls `body` with the bytes in `range`, without copying them.
  ///
  /// The buffer points into a mapping and is valid only until `body` returns. Don't store
  /// it, return it, or capture it in an escaping closure; copy what you need to keep with
  /// ``read(from:into:)``. A ``close()`` on another thread waits for `body` to return before
  /// the bytes go away.
  ///
  /// A range inside one window uses that window, pinned while `body` runs, mapping it if it
  /// is not mapped and the access looks sequential or dense, or the range is at least a
  /// quarter of a window. Any other range, including one that crosses a window edge or is
  /// larger than all the windows together, gets a temporary mapping of exactly its pages,
  /// unmapped when `body` returns.
  ///
  /// - Precondition: `range` lies within `0..<count`; otherwise this traps with the values.
  /// - Important: If another process truncates the file, touching a page past its new end
  ///   raises `SIGBUS`. Changes other processes write may be visible.
  /// - Throws: ``MMapError`` with `EBADF` if the reader is closed, with
  ///   ``MMapError/Operation/map`` if the range can't be mapped, or what `body` throws.
  public func withUnsafeBytes<Result>(
    in range: Range<Int>, _ body: (UnsafeRawBufferPointer) throws -> Result
  ) throws -> Result {
    if range.lowerBound < 0 || range.upperBound > count {
      fatalError("MMapWindowReader: view range \(range) is outside 0..<\(count)")
    }
    guard !range.isEmpty else {
      if isClosed { throw closedError() }
      return try body(UnsafeRawBufferPointer(start: nil, count: 0))
    }
    let first = geometry.window(containing: range.lowerBound)
    // Can't overflow: the range is not empty.
    let last = geometry.window(containing: range.upperBound &- 1)
    let access = try enter(
      at: range.lowerBound, count: range.count, kind: first == last ? .view : .crossingView)
    defer { leave(access) }
    if let address = access.address {
      return try body(UnsafeRawBufferPointer(start: address, count: range.count))
    }
    // The descriptor stays open: this operation is in flight until `leave`.
    let mapping = try FileMapping(
      fd: fd, offset: geometry.start &+ range.lowerBound,  // Can't overflow: inside the file.
      count: range.count, populate: false, path: path)
    defer { mapping.unmap() }
    if let advice = access.advice {  // Advice is a hint; the view reads the same without it.
      try? mapping.advise(advice, in: 0..<range.count, path: path)
    }
    return try body(mapping.bytes)
  }

  /// Calls `body` with a span over all the reader's bytes, without copying them.
  ///
  /// The span is valid only inside `body`, which the compiler enforces: it can't be stored
  /// or returned. The rules of ``withUnsafeBytes(_:)`` apply, including the temporary
  /// mapping of the whole range.
  ///
  /// - Throws: ``MMapError`` with `EBADF` if the reader is closed, with
  ///   ``MMapError/Operation/map`` if the range can't be mapped, or what `body` throws.
  public func withBytes<Result>(_ body: (RawSpan) throws -> Result) throws -> Result {
    try withBytes(in: 0..<count, body)
  }

  /// Calls `body` with a span over the bytes in `range`, without copying them.
  ///
  /// The span is valid only inside `body`, which the compiler enforces: it can't be stored
  /// or returned. The rules of ``withUnsafeBytes(in:_:)`` apply.
  ///
  /// - Precondition: `range` lies within `0..<count`; otherwise this traps with the values.
  /// - Throws: ``MMapError`` with `EBADF` if the reader is closed, with
  ///   ``MMapError/Operation/map`` if the range can't be mapped, or what `body` throws.
  public func withBytes<Result>(
    in range: Range<Int>, _ body: (RawSpan) throws -> Result
  ) throws -> Result {
    try withUnsafeBytes(in: range) { buffer in try body(RawSpan(_unsafeBytes: buffer)) }
  }

  /// Calls `body` with the bytes in `range` one window at a time, in order, without copying
  /// them: the way to scan a large range with bounded memory.
  ///
  /// Each call gets the part of `range` inside one window and the reader offset of its
  /// first byte. Every piece after the first starts where the last one ended, so the miss
  /// policy maps its window (a short first piece may get a temporary mapping instead); the
  /// window stays pinned until `body` returns, and windows are evicted least recently used
  /// first, so a scan keeps at most ``maxWindows`` windows mapped and resident. The span is
  /// valid only inside `body`, which the compiler enforces. The rules of
  /// ``withUnsafeBytes(in:_:)`` apply.
  ///
  /// - Parameters:
  ///   - range: The reader offsets to visit, or `nil` for all of them.
  ///   - body: Called with the offset of each piece and a span over its bytes.
  /// - Precondition: `range` lies within `0..<count`; otherwise this traps with the values.
  /// - Throws: ``MMapError`` with `EBADF` if the reader is closed (also when ``close()``
  ///   races with the scan), with ``MMapError/Operation/map`` if a window can't be mapped, or
  ///   what `body` throws; the scan stops there.
  public func forEachWindow(
    in range: Range<Int>? = nil, _ body: (_ offset: Int, _ bytes: RawSpan) throws -> Void
  ) throws {
    let range = range ?? 0..<count
    if range.lowerBound < 0 || range.upperBound > count {
      fatalError("MMapWindowReader: scan range \(range) is outside 0..<\(count)")
    }
    var offset = range.lowerBound
    while offset < range.upperBound {
      let window = geometry.bounds(ofWindow: geometry.window(containing: offset))
      let piece = offset..<min(window.upperBound, range.upperBound)
      try withBytes(in: piece) { bytes in try body(piece.lowerBound, bytes) }
      offset = piece.upperBound
    }
  }
}
