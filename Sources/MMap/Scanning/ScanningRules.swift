// The rules the scanning helpers share: which range a `nil` means, how a range is checked
// before a scan that may not visit all of it, and typed errors from chunk scans.

extension RandomAccessReader {
  /// Throws what a chunk scan of `range` would throw before visiting anything: `EBADF` if the
  /// reader is closed, else `EINVAL` if `range` is not inside `0..<count`.
  @usableFromInline
  internal func checkScannable(_ range: Range<Int>) throws(MMapError) {
    guard !isClosed else { throw MMapError.closed(path: path) }
    try checkInside(range, count: count, path: path)
  }

  /// ``forEachChunk(in:_:)`` for a visitor that throws nothing, so that the only errors are
  /// the reader's own.
  ///
  /// A conforming reader throws ``MMapError`` or what its visitor throws, and this visitor
  /// throws nothing; any other error breaks the protocol's contract and stops the process.
  @usableFromInline
  internal func forEachChunkOfReader(
    in range: Range<Int>, _ body: (_ offset: Int, _ chunk: UnsafeRawBufferPointer) -> ScanStep
  ) throws(MMapError) {
    do {
      try forEachChunk(in: range, body)
    } catch let error as MMapError {
      throw error
    } catch {
      let problem = "forEachChunk threw \(error), which is not an MMapError"
      trapCallerBug("RandomAccessReader", .brokenContract(problem))
    }
  }
}
