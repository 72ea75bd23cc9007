// The rules the scanning helpers share: which range a `nil` means, how a range is checked
// before a scan that may not visit all of it, and typed errors from chunk scans.

extension RandomAccessReader {
  /// Throws what a chunk scan of `range` would throw before visiting anything: `EBADF` if the
  /// reader is closed, else `EINVAL` if `range` is not inside `0..<count`.
  @usableFromInline
  internal func checkScannable(_ range: Range<Int>) throws(MMapError) {
    guard !isClosed else { throw MMapError.closed(path: path) }
    // The path is asked for only to throw: a call on a small range pays for every step.
    guard isInside(range, count: count) else { throw MMapError.outsideReader(.read, path: path) }
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

  /// `bytes` copied into a new buffer that the caller deallocates: a sequence search's needle.
  ///
  /// A contiguous collection (an array, a buffer) is copied as memory: the generic copy
  /// instantiates type metadata on every call, which costs a search of a few kilobytes more
  /// than its scan.
  internal func allocatedNeedle(_ bytes: some Collection<UInt8>) -> UnsafeMutableRawBufferPointer {
    let needle = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
    let copied: Void? = bytes.withContiguousStorageIfAvailable { contiguous in
      needle.copyMemory(from: UnsafeRawBufferPointer(contiguous))
    }
    if copied == nil { needle.copyBytes(from: bytes) }
    return needle
  }
}
