extension RandomAccessReader {
  /// Cuts `range`, or the whole reader, into at most `count` parts that each start at the
  /// range's start or just after a `separator` byte: the parts of a parser that processes
  /// lines (or records ending in any byte) on several threads, each thread getting whole
  /// lines.
  ///
  /// The cut points are `range.lowerBound + i * range.count / count` for `i` in
  /// `1..<count`, each moved forward to just past the next separator at or after it (to the
  /// range's end if there is none); repeated points are dropped, so no part is empty. A line
  /// longer than a part's share stays whole in one part, and the parts together cover the
  /// range exactly, in order. Finding each cut's separator reads from the cut to it.
  ///
  /// ```swift
  /// for part in try reader.lineAlignedParts(count: 4) {
  ///   // part.lowerBound is 0 or just after a line feed.
  /// }
  /// ```
  ///
  /// - Parameters:
  ///   - range: The reader offsets to cut, inside `0..<count`; `nil` for all of them.
  ///   - count: The most parts, at least 1.
  ///   - separator: The byte that ends a line or record: a line feed (`0x0A`) by default.
  /// - Returns: The parts in order; none for an empty range.
  /// - Precondition: `count` is positive; otherwise this traps with the value.
  /// - Throws: What ``firstOffset(of:in:)-(UInt8,_)`` throws.
  public func lineAlignedParts(
    of range: Range<Int>? = nil, count: Int, separator: UInt8 = 0x0A
  ) throws(MMapError) -> [Range<Int>] {
    if count < 1 {
      trapCallerBug("RandomAccessReader", .setting("part count \(count) is less than 1"))
    }
    let range = range ?? 0..<self.count
    try checkScannable(range)
    guard count > 1 else { return range.isEmpty ? [] : [range] }
    let length = range.count
    let cuts = (1..<count).map { index in
      // index * length / count, without overflowing: the quotient is less than length.
      range.lowerBound &+ count.dividingFullWidth(index.multipliedFullWidth(by: length)).quotient
    }
    return try alignedParts(of: range, cuttingAt: cuts, separator: separator)
  }

  /// `range` cut at `cuts` (increasing offsets inside it), each moved forward to just past
  /// the next `separator`, without repeats or empty parts.
  internal func alignedParts(
    of range: Range<Int>, cuttingAt cuts: [Int], separator: UInt8
  ) throws(MMapError) -> [Range<Int>] {
    var parts: [Range<Int>] = []
    parts.reserveCapacity(cuts.count &+ 1)  // Can't overflow: an array's count.
    var start = range.lowerBound
    // A cut before `start` moves to `start` again; one at `start` moves past the next one.
    for cut in cuts where cut >= start {
      let end = try firstOffset(of: separator, in: cut..<range.upperBound).map { $0 &+ 1 }
      guard let end, end < range.upperBound else { break }  // Can't overflow: a reader offset.
      if end > start {
        parts.append(start..<end)
        start = end
      }
    }
    if start < range.upperBound { parts.append(start..<range.upperBound) }
    return parts
  }

  /// The parts of a parallel line scan of `range`: the plan's parts, each moved to start
  /// just after a line feed, and how many threads scan them.
  internal func lineAlignedPlan(of range: Range<Int>, parallelism: Parallelism)
    throws(MMapError) -> ParallelPlan
  {
    var plan = ParallelPlan(of: range, on: self, parallelism: parallelism)
    guard plan.workers > 1 else { return plan }
    plan.parts = try alignedParts(
      of: range, cuttingAt: plan.parts.dropFirst().map(\.lowerBound), separator: 0x0A)
    plan.workers = min(plan.workers, plan.parts.count)
    return plan
  }

  /// Calls `body` with the offsets of each line in `range`, or in the whole reader, on up to
  /// `parallelism`'s threads at once, until the lines end, `body` returns ``ScanStep/stop``
  /// or throws.
  ///
  /// Lines are cut as ``forEachLine(in:options:_:)`` cuts them. The range is cut into parts
  /// that start just after a line feed (as ``lineAlignedParts(of:count:separator:)`` moves its
  /// cuts), so each thread gets whole lines of its own part, in order; lines of different
  /// parts come on different threads in any order, so `body` must be safe to call
  /// concurrently. With one thread this is ``forEachLine(in:options:_:)`` on the calling
  /// thread. To keep state per part and combine it in order, use
  /// ``lineAlignedParts(of:count:separator:)`` with ``mapParts(_:parallelism:_:)``.
  ///
  /// - Parameters:
  ///   - range: The reader offsets to cut into lines, inside `0..<count`; `nil` for all of them.
  ///   - options: How to cut lines; see ``LineOptions``.
  ///   - parallelism: The most threads to use; see ``Parallelism``.
  ///   - body: Called with the reader offsets of each line's bytes, line feed excluded.
  ///     Returning ``ScanStep/stop`` ends the whole scan: the other threads stop at their
  ///     next line.
  /// - Throws: What ``forEachLine(in:options:_:)`` throws; with several threads, the error of
  ///   the first part (in reader order) that threw, once every thread has stopped.
  public func forEachLine(
    in range: Range<Int>? = nil, options: LineOptions = [], parallelism: Parallelism,
    _ body: @Sendable (_ line: Range<Int>) throws -> ScanStep
  ) throws {
    let range = range ?? 0..<count
    guard parallelism.mayShare(range) else {
      return try forEachLine(in: range, options: options, body)
    }
    try checkScannable(range)
    let plan = try lineAlignedPlan(of: range, parallelism: parallelism)
    guard plan.workers > 1 else { return try forEachLine(in: range, options: options, body) }
    _ = try PartRun<Void, any Error>.run(plan.parts, workers: plan.workers) { run, _, part in
      try forEachLine(in: part, options: options) { line in
        guard !run.isStopped else { return .stop }
        guard try body(line) == .proceed else {
          run.stop()
          return .stop
        }
        return .proceed
      }
    }
  }
}

extension ZeroCopyReader {
  /// Calls `body` with the offsets and the bytes of each line in `range`, or in the whole
  /// reader, on up to `parallelism`'s threads at once, without copying them: the zero-copy
  /// form of ``RandomAccessReader/forEachLine(in:options:parallelism:_:)``, whose rules apply,
  /// with the bytes lent as ``forEachLine(in:options:_:)`` lends them.
  ///
  /// The buffer is valid only until `body` returns.
  ///
  /// - Throws: What ``RandomAccessReader/forEachLine(in:options:parallelism:_:)`` throws.
  public func forEachLine(
    in range: Range<Int>? = nil, options: LineOptions = [], parallelism: Parallelism,
    _ body: @Sendable (_ line: Range<Int>, _ bytes: UnsafeRawBufferPointer) throws -> ScanStep
  ) throws {
    let range = range ?? 0..<count
    guard parallelism.mayShare(range) else {
      return try forEachLine(in: range, options: options, body)
    }
    try checkScannable(range)
    let plan = try lineAlignedPlan(of: range, parallelism: parallelism)
    guard plan.workers > 1 else { return try forEachLine(in: range, options: options, body) }
    _ = try PartRun<Void, any Error>.run(plan.parts, workers: plan.workers) { run, _, part in
      try forEachLine(in: part, options: options) { line, bytes in
        guard !run.isStopped else { return .stop }
        guard try body(line, bytes) == .proceed else {
          run.stop()
          return .stop
        }
        return .proceed
      }
    }
  }
}
