extension RandomAccessReader {
  /// Calls `body` with the bytes in `range` as contiguous chunks, on up to `parallelism`'s
  /// threads at once, until the range ends, `body` returns ``ScanStep/stop`` or throws.
  ///
  /// The range is cut into parts (whole windows on ``MMapWindowReader``, which never gets
  /// more threads than windows), and the threads take them in order. Each part is visited by
  /// one thread with ``forEachChunk(in:_:)``, its chunks in order; chunks of different parts
  /// come on different threads in any order, so `body` must be safe to call concurrently.
  /// Together the chunks cover the range exactly once. With one thread (``Parallelism/serial``,
  /// or a range too small to share), this is ``forEachChunk(in:_:)`` on the calling thread.
  ///
  /// A chunk is valid only until `body` returns, as in ``forEachChunk(in:_:)``.
  ///
  /// ```swift
  /// let total = Atomic<Int>(0)
  /// try reader.forEachChunk(parallelism: .automatic) { _, chunk in
  ///   total.add(checksum(chunk), ordering: .relaxed)
  ///   return .proceed
  /// }
  /// ```
  ///
  /// - Parameters:
  ///   - range: The reader offsets to visit, inside `0..<count`; `nil` for all of them.
  ///   - parallelism: The most threads to use; see ``Parallelism``.
  ///   - body: Called with the reader offset of each chunk's first byte and the chunk.
  ///     Returning ``ScanStep/stop`` ends the whole scan: the other threads take no further
  ///     part, and finish their current one at their next chunk.
  /// - Throws: What ``forEachChunk(in:_:)`` throws. When `body` or the reader throws on
  ///   several threads, the error of the first part (in reader order) that threw, once every
  ///   thread has stopped; the other threads stop at their next chunk.
  public func forEachChunk(
    in range: Range<Int>? = nil, parallelism: Parallelism,
    _ body: @Sendable (_ offset: Int, _ chunk: UnsafeRawBufferPointer) throws -> ScanStep
  ) throws {
    let range = range ?? 0..<count
    guard parallelism.mayShare(range) else { return try forEachChunk(in: range, body) }
    try checkScannable(range)
    let plan = ParallelPlan(of: range, on: self, parallelism: parallelism)
    guard plan.workers > 1 else { return try forEachChunk(in: range, body) }
    _ = try PartRun<Void, any Error>.run(plan.parts, workers: plan.workers) { run, _, part in
      try forEachChunk(in: part) { offset, chunk in
        guard !run.isStopped else { return .stop }
        guard try body(offset, chunk) == .proceed else {
          run.stop()
          return .stop
        }
        return .proceed
      }
    }
  }

  /// Calls `transform` on each of `parts`, on up to `parallelism`'s threads at once, and
  /// returns the results in the order of `parts`: the way to give each thread of a scan its
  /// own state, such as a parser's, and combine them afterward.
  ///
  /// The threads take the parts in order, one at a time each. The parts may be any ranges
  /// inside the reader, such as those of ``lineAlignedParts(of:count:separator:)``; each
  /// `transform` call reads its part with the reader's one-thread helpers. On
  /// ``MMapWindowReader`` at most ``MMapWindowReader/maxWindows`` threads run. As in every
  /// parallel call, each thread needs ``Parallelism/minimumBytesPerThread`` bytes of the parts
  /// (their counts added up), so small inputs stay on the calling thread; where a part's work
  /// is heavy for its size, say so with `.threads(n, minimumBytesPerThread: 1)`.
  ///
  /// ```swift
  /// let parts = try reader.lineAlignedParts(count: 8)
  /// let counts = try reader.mapParts(parts, parallelism: .threads(8)) { part in
  ///   try reader.lineCount(in: part)
  /// }
  /// ```
  ///
  /// - Parameters:
  ///   - parts: The ranges to hand to `transform`.
  ///   - parallelism: The most threads to use; see ``Parallelism``.
  ///   - transform: Called once per part, with the part; must be safe to call concurrently.
  /// - Returns: What `transform` returned for each part, in the order of `parts`.
  /// - Throws: What `transform` threw for the first part (in the order of `parts`) that
  ///   threw, once every thread has stopped; the threads take no further part once one has
  ///   thrown.
  @inlinable
  public func mapParts<PartResult: Sendable>(
    _ parts: [Range<Int>], parallelism: Parallelism,
    _ transform: @Sendable (_ part: Range<Int>) throws -> PartResult
  ) throws -> [PartResult] {
    // Inlinable, so that a run on the calling thread is a plain map whose `transform`
    // inlines into the caller, as a one-thread loop would.
    let workers = partWorkers(for: parts, parallelism: parallelism)
    guard workers > 1 else { return try parts.map(transform) }
    return try mapPartsOnThreads(parts, workers: workers, transform)
  }

  /// How many threads ``mapParts(_:parallelism:_:)`` runs `parts` on.
  @usableFromInline
  internal func partWorkers(for parts: [Range<Int>], parallelism: Parallelism) -> Int {
    // Parts may overlap, so their sum can pass `Int.max`: saturate.
    let byteCount = parts.reduce(0) { total, part in
      let (sum, overflow) = total.addingReportingOverflow(part.count)
      return overflow ? .max : sum
    }
    let workers = parallelism.workers(forBytes: byteCount, parts: parts.count)
    // The conformance lookup costs microseconds on its first call: only a parallel run pays.
    guard workers > 1, let partitioning = self as? any ParallelPartitioning else {
      return workers
    }
    return min(workers, partitioning.parallelWorkerLimit)
  }

  /// ``mapParts(_:parallelism:_:)`` on `workers` threads, the calling one among them.
  @usableFromInline
  internal func mapPartsOnThreads<PartResult: Sendable>(
    _ parts: [Range<Int>], workers: Int,
    _ transform: @Sendable (_ part: Range<Int>) throws -> PartResult
  ) throws -> [PartResult] {
    let results = try PartRun<PartResult, any Error>.run(parts, workers: workers) { _, _, part in
      try transform(part)
    }
    // Every part ran: only an error, which threw above, stops a part run.
    return results.map { $0.unsafelyUnwrapped }
  }

}
