/// How a reader cuts a range into the parts of a parallel scan, for a reader that needs its
/// own cut. Readers that don't conform are cut into equal parts with no limit on workers.
internal protocol ParallelPartitioning: RandomAccessReader {
  /// The parts of `range`, in order, covering it exactly, each about `partSize` bytes.
  func parallelParts(of range: Range<Int>, partSize: Int) -> [Range<Int>]

  /// The most threads that may scan the reader at once.
  var parallelWorkerLimit: Int { get }
}

/// The parts of a parallel scan and how many threads scan them.
internal struct ParallelPlan {
  /// The largest part: 4 MiB. Small enough that the threads of a scan of a gigabyte share
  /// out hundreds of parts and finish within a part's time of each other, and that a search
  /// stops soon after its match; large enough that a part's own costs (a view, a cutter's
  /// buffer, a few `pread` calls) are lost in its scan.
  static let largestPart = 4 << 20

  /// The smallest part: 4 KiB, a page. Smaller parts would cost more than they spread.
  static let smallestPart = 4 << 10

  /// The parts, in the order workers take them; empty when ``workers`` is 1, where the
  /// caller scans the range itself and an array would cost a heap allocation per call.
  var parts: [Range<Int>]

  /// The threads, the calling one included: `1` runs every part on the calling thread.
  var workers: Int

  /// The plan of a scan of `range` on `reader` with `parallelism`: the range whole on the
  /// calling thread if it gives one thread's work, else parts of about a quarter of each
  /// thread's share (so that threads that run slower get less), cut as the reader says.
  init(of range: Range<Int>, on reader: some RandomAccessReader, parallelism: Parallelism) {
    var threads = parallelism.workers(forBytes: range.count, parts: .max)
    guard threads > 1 else {
      parts = []
      workers = 1
      return
    }
    // After the early return: the conformance lookup costs microseconds on its first call,
    // more than a small range's whole scan.
    let partitioning = reader as? any ParallelPartitioning
    if let partitioning { threads = min(threads, partitioning.parallelWorkerLimit) }
    // Can't overflow: threads is at most the range's count, and a count over 4 is less.
    let quarterShare = (range.count &+ threads &* 4 &- 1) / (threads &* 4)
    let partSize = min(Self.largestPart, max(Self.smallestPart, quarterShare))
    parts =
      partitioning?.parallelParts(of: range, partSize: partSize)
      ?? Self.equalParts(of: range, partSize: partSize)
    workers = min(threads, parts.count)
  }

  /// `range` cut into parts of `partSize` bytes, the last one shorter.
  static func equalParts(of range: Range<Int>, partSize: Int) -> [Range<Int>] {
    stride(from: range.lowerBound, to: range.upperBound, by: partSize).map { start in
      // Can't overflow: start < upperBound, and partSize is at most 4 MiB.
      start..<min(start &+ partSize, range.upperBound)
    }
  }
}
