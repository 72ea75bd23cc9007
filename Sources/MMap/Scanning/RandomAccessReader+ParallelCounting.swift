extension RandomAccessReader {
  /// Returns the number of bytes equal to `byte` in `range`, or in the whole reader, counted
  /// by up to `parallelism`'s threads at once.
  ///
  /// The range is cut into parts (whole windows on ``MMapWindowReader``, with no more threads
  /// than its windows), which the threads take in turn and count as
  /// ``count(of:in:)`` does; the counts are summed. A range too small to share (see
  /// ``Parallelism/minimumBytesPerThread``) is counted on the calling thread, starting no
  /// thread. The result is the one-thread count, whatever the number of threads.
  ///
  /// ```swift
  /// let newlines = try reader.count(of: 0x0A, parallelism: .automatic)
  /// ```
  ///
  /// - Parameters:
  ///   - byte: The byte value to count.
  ///   - range: The reader offsets to look at, inside `0..<count`; `nil` for all of them.
  ///   - parallelism: The most threads to use; see ``Parallelism``.
  /// - Returns: How many bytes in the range equal `byte`.
  /// - Throws: What ``count(of:in:)`` throws; with several threads, the error of the first
  ///   part (in reader order) that failed, once every thread has stopped.
  public func count(of byte: UInt8, in range: Range<Int>? = nil, parallelism: Parallelism)
    throws(MMapError) -> Int
  {
    let range = range ?? 0..<count
    guard parallelism.mayShare(range) else { return try count(of: byte, in: range) }
    try checkScannable(range)
    let plan = ParallelPlan(of: range, on: self, parallelism: parallelism)
    guard plan.workers > 1 else { return try count(of: byte, in: range) }
    let counts = try PartRun<Int, MMapError>.run(plan.parts, workers: plan.workers) {
      (_, _, part) throws(MMapError) in try count(of: byte, in: part)
    }
    // Can't overflow: at most `count`. Every part ran: nothing stops a count but an error.
    return counts.reduce(0) { $0 &+ ($1 ?? 0) }
  }

  /// Returns the number of lines in `range`, or in the whole reader, counted by up to
  /// `parallelism`'s threads at once: the lines ``lineCount(in:)`` counts, at the speed of
  /// ``count(of:in:parallelism:)``.
  ///
  /// - Parameters:
  ///   - range: The reader offsets to look at, inside `0..<count`; `nil` for all of them.
  ///   - parallelism: The most threads to use; see ``Parallelism``.
  /// - Returns: The number of lines; `0` for an empty range.
  /// - Throws: What ``count(of:in:parallelism:)`` throws.
  public func lineCount(in range: Range<Int>? = nil, parallelism: Parallelism)
    throws(MMapError) -> Int
  {
    let range = range ?? 0..<count
    let feeds = try count(of: 0x0A, in: range, parallelism: parallelism)
    guard let last = range.last else { return 0 }
    // Can't overflow: at most `count`.
    return try byte(at: last) == 0x0A ? feeds : feeds &+ 1
  }
}
