extension PReadReader {
  /// The most bytes one chunk of ``forEachChunk(in:_:)`` copies: large enough that the system
  /// call's cost is spread over many pages, small enough that the copy is still in the CPU's
  /// cache when the visitor reads it.
  public static let chunkCapacity = 256 << 10

  /// Calls `body` with the bytes in `range` copied into one reused buffer, one `pread(2)`
  /// (or a few, after a short read) per chunk of at most ``chunkCapacity`` bytes.
  ///
  /// The rules of ``RandomAccessReader/forEachChunk(in:_:)`` apply: the chunk is valid only
  /// until `body` returns, and the next chunk overwrites it.
  ///
  /// - Throws: ``MMapError`` with `EINVAL` if `range` is not inside `0..<count`, with
  ///   `EBADF` if the reader is closed, with `ENOMEM` if the buffer can't be allocated, with
  ///   `ENODATA` if the file has shrunk below `range` since it was opened, with what `pread`
  ///   reported, or what `body` throws.
  @inlinable
  public func forEachChunk(
    in range: Range<Int>,
    _ body: (_ offset: Int, _ chunk: UnsafeRawBufferPointer) throws -> ScanStep
  ) throws {
    // Inlinable, so that a scan's closure inlines into its caller, as on MMapReader; the
    // closed check, the allocation and the reads stay calls.
    guard !isClosed else { throw MMapError.closed(path: path) }
    try checkInside(range, count: count, path: path)
    guard !range.isEmpty else { return }
    let heap = try HeapBuffer(count: min(range.count, Self.chunkCapacity), path: path)
    defer { heap.free() }
    let buffer = heap.bytes
    var offset = range.lowerBound
    while offset < range.upperBound {
      // Can't overflow: offset < range.upperBound.
      let piece = UnsafeMutableRawBufferPointer(
        rebasing: buffer[..<min(buffer.count, range.upperBound &- offset)])
      try readExactly(from: offset, into: piece)
      guard try body(offset, UnsafeRawBufferPointer(piece)) == .proceed else { return }
      offset &+= piece.count  // Can't overflow: at most range.upperBound.
    }
  }
}
