extension MMapReader {
  /// Tells the kernel how the bytes in `range` (all of them if `nil`) will be accessed.
  ///
  /// The range is widened to whole pages. Advice is a hint: it never changes what reads
  /// return. An empty reader or range does nothing.
  ///
  /// - Parameters:
  ///   - advice: The expected access pattern.
  ///   - range: Offsets inside `0..<count`, or `nil` for the whole reader.
  /// - Throws: ``MMapError`` with ``MMapError/Operation/advise``: `EINVAL` if `range` is not
  ///   inside `0..<count` or the kernel doesn't support the advice, `EBADF` if the reader
  ///   is closed, or the kernel's `errno` if it rejects the advice.
  ///
  /// The corresponding C function is `madvise`.
  public func advise(_ advice: MMap.Advice, in range: Range<Int>? = nil) throws(MMapError) {
    let range = range ?? 0..<count
    guard !gate.isClosed else { throw MMapError.closed(.advise, path: path) }
    try checkInside(range, count: count, .advise, path: path)
    try mapping.advise(advice.systemValue(path: path), in: range, path: path)
  }
}
