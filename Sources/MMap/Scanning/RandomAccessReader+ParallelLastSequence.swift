import Synchronization

extension RandomAccessReader {
  /// Returns the offset of the last occurrence of `bytes` in `range`, or in the whole reader,
  /// searched by up to `parallelism`'s threads at once.
  ///
  /// The threads take the range's parts from its end backward; each searches the matches
  /// that start in its part (reading the `bytes.count - 1` bytes after it) as
  /// ``lastOffset(of:in:)-(Collection<UInt8>,_)`` does. The latest match wins, a thread skips
  /// a part that ends before a match already found, and the result is the one-thread result.
  ///
  /// - Parameters:
  ///   - bytes: The byte sequence to find. An empty sequence is found at the end of the range.
  ///   - range: The reader offsets to look at, inside `0..<count`; `nil` for all of them. A
  ///     match lies wholly inside it.
  ///   - parallelism: The most threads to use; see ``Parallelism``.
  /// - Returns: The reader offset of the first byte of the last match, or `nil`.
  /// - Throws: What ``lastOffset(of:in:)-(Collection<UInt8>,_)`` throws; with several
  ///   threads, the error of the first part (searched from the end) that failed.
  public func lastOffset(
    of bytes: some Collection<UInt8>, in range: Range<Int>? = nil, parallelism: Parallelism
  ) throws(MMapError) -> Int? {
    let range = range ?? 0..<count
    guard parallelism.mayShare(range) else { return try lastOffset(of: bytes, in: range) }
    try checkScannable(range)
    var plan = ParallelPlan(of: range, on: self, parallelism: parallelism)
    guard plan.workers > 1, bytes.count > 1 else { return try lastOffset(of: bytes, in: range) }
    plan.parts.reverse()
    let needle = Array(bytes)
    let overlap = needle.count &- 1  // Can't overflow: the needle has 2 bytes or more.
    let latest = Atomic<Int>(-1)
    _ = try PartRun<Void, MMapError>.run(plan.parts, workers: plan.workers) {
      (_, _, part) throws(MMapError) in
      // A match found in a later part beats any that starts in this one.
      guard latest.load(ordering: .relaxed) < part.lowerBound else { return }
      // Can't overflow: overlap is a collection's count, upperBound a reader offset.
      let end =
        part.upperBound > range.upperBound &- overlap
        ? range.upperBound : part.upperBound &+ overlap
      guard let found = try lastOffset(of: needle, in: part.lowerBound..<end) else { return }
      latest.max(found, ordering: .relaxed)
    }
    let found = latest.load(ordering: .relaxed)
    return found < 0 ? nil : found
  }
}
