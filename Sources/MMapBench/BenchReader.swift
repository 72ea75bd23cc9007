import MMap

/// A reader the benchmark can drive: how to open it for a run.
///
/// Adding a reader to the benchmark takes a conformance and one case in
/// ``runBenchmark(_:scratch:)``.
protocol BenchReader: RandomAccessReader {
  /// Opens the file of `options` the way the reader's `openclose` does.
  static func open(_ options: BenchOptions) throws(MMapError) -> Self
}

extension BenchReader {
  /// The number of `0x0A` bytes in the whole file, counted chunk by chunk as the reader lends
  /// them (``RandomAccessReader/forEachChunk(in:_:)``): the whole mapping at once, one
  /// window at a time, or `pread` copies.
  func newlineCount() throws -> UInt64 {
    var total: UInt64 = 0
    try forEachChunk { _, chunk in
      total &+= countNewlines(in: chunk)
      return .proceed
    }
    return total
  }
}

extension MMapReader: BenchReader {
  static func open(_ options: BenchOptions) throws(MMapError) -> MMapReader {
    try MMapReader(path: options.path)
  }
}

extension PReadReader: BenchReader {
  static func open(_ options: BenchOptions) throws(MMapError) -> PReadReader {
    try PReadReader(path: options.path)
  }
}

extension MMapWindowReader: BenchReader {
  /// Opens with `--window` and `--windows`, or the reader's defaults.
  static func open(_ options: BenchOptions) throws(MMapError) -> MMapWindowReader {
    try MMapWindowReader(
      path: options.path, windowSize: options.windowSize ?? defaultWindowSize,
      maxWindows: options.maxWindows ?? defaultMaxWindows)
  }
}
