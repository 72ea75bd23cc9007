extension MMapWindowReader: ParallelPartitioning {
  /// Parts of whole windows, cut at window edges: each thread of a parallel scan pins one
  /// window at a time, as a one-thread scan does.
  internal func parallelParts(of range: Range<Int>, partSize: Int) -> [Range<Int>] {
    let windowsPerPart = max(1, partSize / windowSize)
    var parts: [Range<Int>] = []
    var start = range.lowerBound
    while start < range.upperBound {
      var end = start
      for _ in 0..<windowsPerPart where end < range.upperBound {
        end = chunk(from: end, to: range.upperBound).upperBound
      }
      parts.append(start..<end)
      start = end
    }
    return parts
  }

  /// ``maxWindows``: with no more threads than windows, each thread's window stays mapped
  /// while it scans, and the scan never needs more than the window budget.
  internal var parallelWorkerLimit: Int { maxWindows }
}
