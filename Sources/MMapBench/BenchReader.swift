import MMap

/// A reader the benchmark can drive: how to open it for a run.
///
/// Adding a reader to the benchmark takes a conformance and one case in
/// ``runBenchmark(_:scratch:)``.
protocol BenchReader: RandomAccessReader {
  /// Opens the file of `options` the way the reader's `openclose` does.
  static func open(_ options: BenchOptions) throws(MMapError) -> Self
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
