import Synchronization

extension MMapReader {
  /// Asks the kernel to start reading the pages of many ranges at once, before they are read:
  /// one batch of `madvise(MADV_WILLNEED)` calls, so that the reads that follow find their
  /// pages resident instead of taking one fault (one disk wait) after another.
  ///
  /// The ranges are sorted, and ranges less than a page apart are joined, so each stretch of
  /// pages is advised once; a stretch whose pages are all resident already (one `mincore`
  /// tells) is skipped, so the call costs little when the file is in the page cache. Issue
  /// the whole batch first, then read:
  ///
  /// ```swift
  /// try reader.prefetch(records.map { $0.offset..<($0.offset + $0.count) })
  /// for record in records { try handle(reader.bytes(in: record.offset..<(record.offset + record.count))) }
  /// ```
  ///
  /// A hint: it never changes what reads return, and returns without waiting for the pages.
  ///
  /// - Parameter ranges: Offsets inside `0..<count`, in any order; empty ones are ignored.
  /// - Throws: ``MMapError`` with `EINVAL` if a range is not inside `0..<count` (checked
  ///   before anything is advised), `EBADF` if the reader is closed, or what `mincore` or
  ///   `madvise` reported.
  public func prefetch(_ ranges: some Sequence<Range<Int>>) throws(MMapError) {
    guard !isClosed else { throw MMapError.closed(.advise, path: path) }
    var sorted: [Range<Int>] = []
    for range in ranges {
      try checkInside(range, count: count, .advise, path: path)
      if !range.isEmpty { sorted.append(range) }
    }
    sorted.sort { $0.lowerBound < $1.lowerBound }
    for stretch in Self.coalesced(sorted, joiningGapsBelow: system_pageSize) {
      guard try !residency(in: stretch).isFullyResident else { continue }
      try advise(.willNeed, in: stretch)
    }
  }

  /// `sorted` (ordered by lower bound) with ranges that overlap or lie less than `gap`
  /// bytes apart joined.
  internal static func coalesced(_ sorted: [Range<Int>], joiningGapsBelow gap: Int)
    -> [Range<Int>]
  {
    var joined: [Range<Int>] = []
    for range in sorted {
      // Can't overflow: a reader offset plus a page.
      if let last = joined.last, range.lowerBound < last.upperBound &+ gap {
        joined[joined.count &- 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
      } else {
        joined.append(range)
      }
    }
    return joined
  }

  /// Reads the pages of `range`, or of the whole reader, into the page cache and maps them,
  /// on up to `parallelism`'s threads at once, and returns when they are all in: a cold start
  /// that then reads at memory speed.
  ///
  /// Each thread takes parts of the range and asks the kernel to fault them in
  /// (`madvise(MADV_POPULATE_READ)`, Linux 5.14), or touches one byte per page where that
  /// isn't available. Several threads keep several reads in flight, which a device with a
  /// deep queue (NVMe) serves faster than one.
  ///
  /// - Parameters:
  ///   - range: Offsets inside `0..<count`; `nil` for all of them.
  ///   - parallelism: The most threads to use; see ``Parallelism``.
  /// - Throws: ``MMapError`` with `EINVAL` if `range` is not inside `0..<count`, `EBADF` if
  ///   the reader is closed, or the truncation error (`ENODATA`) if the file was truncated
  ///   under the reader.
  public func prefault(in range: Range<Int>? = nil, parallelism: Parallelism)
    throws(MMapError)
  {
    let range = range ?? 0..<count
    try checkScannable(range)
    let touched = Atomic<UInt8>(0)
    let plan = ParallelPlan(of: range, on: self, parallelism: parallelism)
    let parts = plan.workers > 1 ? plan.parts : [range]
    _ = try PartRun<Void, MMapError>.run(parts, workers: plan.workers) {
      (_, _, part) throws(MMapError) in
      do {
        try withUnsafeBytes(in: part) { bytes in
          // The view holds the mapping; a failed populate (an old kernel, pages past a
          // truncated end) falls back to touching, which the truncation guard reports.
          if let populate = system_MADV_POPULATE_READ,
            (try? mapping.advise(populate, in: part, path: path)) != nil
          {
            return
          }
          var sum: UInt8 = 0
          for page in stride(from: 0, to: bytes.count, by: system_pageSize) {
            sum &+= bytes[page]
          }
          touched.store(sum, ordering: .relaxed)  // So that the loads are not dropped.
        }
      } catch let error as MMapError {
        throw error
      } catch {
        trapCallerBug("MMapReader", .brokenContract("a view threw \(error)"))
      }
    }
  }
}
