extension RandomAccessReader {
  /// Returns the offset of the first occurrence of `bytes` in `range`, or in the whole reader,
  /// searched by up to `parallelism`'s threads at once.
  ///
  /// The threads take the range's parts in order; each searches its part and the
  /// `bytes.count - 1` bytes after it, as
  /// ``firstOffset(of:in:)-(Collection<UInt8>,_)`` does, so a match that straddles two parts
  /// is found too. The earliest match wins, whichever thread finds it: a thread skips a part
  /// that starts after a match already found, and the result is the one-thread result.
  ///
  /// - Parameters:
  ///   - bytes: The byte sequence to find. An empty sequence is found at the start of the
  ///     range.
  ///   - range: The reader offsets to look at, inside `0..<count`; `nil` for all of them. A
  ///     match lies wholly inside it.
  ///   - parallelism: The most threads to use; see ``Parallelism``.
  /// - Returns: The reader offset of the first byte of the first match, or `nil`.
  /// - Throws: What ``firstOffset(of:in:)-(Collection<UInt8>,_)`` throws; with several
  ///   threads, the error of the first part (in reader order) that failed.
  public func firstOffset(
    of bytes: some Collection<UInt8>, in range: Range<Int>? = nil, parallelism: Parallelism
  ) throws(MMapError) -> Int? {
    let range = range ?? 0..<count
    guard parallelism.mayShare(range) else { return try firstOffset(of: bytes, in: range) }
    try checkScannable(range)
    let plan = ParallelPlan(of: range, on: self, parallelism: parallelism)
    guard plan.workers > 1, bytes.count > 1 else {
      return try firstOffset(of: bytes, in: range)
    }
    let needle = Array(bytes)
    let overlap = needle.count &- 1  // Can't overflow: the needle has 2 bytes or more.
    return try earliestMatch(in: plan) { (part) throws(MMapError) in
      // Can't overflow: overlap is a collection's count, and upperBound is a reader offset.
      let end =
        part.upperBound > range.upperBound &- overlap
        ? range.upperBound : part.upperBound &+ overlap
      return try firstOffset(of: needle, in: part.lowerBound..<end)
    }
  }
}
