import Synchronization

extension RandomAccessReader {
  /// Returns the offset of the first byte equal to `byte` in `range`, or in the whole reader,
  /// searched by up to `parallelism`'s threads at once.
  ///
  /// The threads take the range's parts in order and search each as
  /// ``firstOffset(of:in:)-(UInt8,_)`` does. The earliest match wins, whichever thread finds
  /// it: a thread skips a part that starts after a match already found, so the threads stop
  /// soon after the first match, and the result is always the one-thread result.
  ///
  /// - Parameters:
  ///   - byte: The byte value to find.
  ///   - range: The reader offsets to look at, inside `0..<count`; `nil` for all of them.
  ///   - parallelism: The most threads to use; see ``Parallelism``.
  /// - Returns: The reader offset of the first match, or `nil` if there is none.
  /// - Throws: What ``firstOffset(of:in:)-(UInt8,_)`` throws; with several threads, the
  ///   error of the first part (in reader order) that failed, once every thread has stopped.
  public func firstOffset(of byte: UInt8, in range: Range<Int>? = nil, parallelism: Parallelism)
    throws(MMapError) -> Int?
  {
    let range = range ?? 0..<count
    guard parallelism.mayShare(range) else { return try firstOffset(of: byte, in: range) }
    try checkScannable(range)
    let plan = ParallelPlan(of: range, on: self, parallelism: parallelism)
    guard plan.workers > 1 else { return try firstOffset(of: byte, in: range) }
    return try earliestMatch(in: plan) { (part) throws(MMapError) in
      try firstOffset(of: byte, in: part)
    }
  }

  /// Returns the offset of the last byte equal to `byte` in `range`, or in the whole reader,
  /// searched by up to `parallelism`'s threads at once.
  ///
  /// The threads take the range's parts from its end backward and search each as
  /// ``lastOffset(of:in:)-(UInt8,_)`` does; the latest match wins, and a thread skips a part
  /// that ends before a match already found.
  ///
  /// - Parameters:
  ///   - byte: The byte value to find.
  ///   - range: The reader offsets to look at, inside `0..<count`; `nil` for all of them.
  ///   - parallelism: The most threads to use; see ``Parallelism``.
  /// - Returns: The reader offset of the last match, or `nil` if there is none.
  /// - Throws: What ``lastOffset(of:in:)-(UInt8,_)`` throws; with several threads, the error
  ///   of the first part (in the order they are searched, from the end) that failed.
  public func lastOffset(of byte: UInt8, in range: Range<Int>? = nil, parallelism: Parallelism)
    throws(MMapError) -> Int?
  {
    let range = range ?? 0..<count
    guard parallelism.mayShare(range) else { return try lastOffset(of: byte, in: range) }
    try checkScannable(range)
    var plan = ParallelPlan(of: range, on: self, parallelism: parallelism)
    guard plan.workers > 1 else { return try lastOffset(of: byte, in: range) }
    plan.parts.reverse()
    let latest = Atomic<Int>(-1)
    _ = try PartRun<Void, MMapError>.run(plan.parts, workers: plan.workers) {
      (_, _, part) throws(MMapError) in
      // A match found in a later part beats any in this one.
      guard latest.load(ordering: .relaxed) < part.lowerBound else { return }
      guard let found = try lastOffset(of: byte, in: part) else { return }
      latest.max(found, ordering: .relaxed)
    }
    let found = latest.load(ordering: .relaxed)
    return found < 0 ? nil : found
  }

  /// Runs `search` over the parts of `plan` on its threads and returns the smallest offset
  /// any part found. A part that starts at or after a match already found is skipped: no
  /// match in it could come first.
  internal func earliestMatch(
    in plan: ParallelPlan, _ search: @Sendable (_ part: Range<Int>) throws(MMapError) -> Int?
  ) throws(MMapError) -> Int? {
    let earliest = Atomic<Int>(.max)
    _ = try PartRun<Void, MMapError>.run(plan.parts, workers: plan.workers) {
      (_, _, part) throws(MMapError) in
      guard part.lowerBound < earliest.load(ordering: .relaxed) else { return }
      guard let found = try search(part) else { return }
      earliest.min(found, ordering: .relaxed)
    }
    let found = earliest.load(ordering: .relaxed)
    return found == .max ? nil : found
  }
}
