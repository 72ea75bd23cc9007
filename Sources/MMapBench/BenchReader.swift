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

extension InMemoryReader: BenchReader {
  static func open(_ options: BenchOptions) throws(MMapError) -> InMemoryReader {
    try InMemoryReader(path: options.path)
  }
}

extension ReloadingReader: BenchReader where Reader == MMapReader {
  /// Follows the path with the automatic check every second, so that lookups pay for it.
  static func open(_ options: BenchOptions) throws(MMapError) -> ReloadingReader<MMapReader> {
    do throws(ReloadError) {
      return try ReloadingReader(path: options.path, checkInterval: .seconds(1))
    } catch {
      throw error.mmapError
    }
  }
}

extension FileReader: BenchReader {
  /// Opens with ``BenchOptions/fileReaderOptions``.
  static func open(_ options: BenchOptions) throws(MMapError) -> FileReader {
    try FileReader.open(path: options.path, options: options.fileReaderOptions)
  }
}

extension BenchOptions {
  /// How ``MMap/FileReader`` chooses for `--reader auto` and `file`: its defaults, or
  /// `--memory-threshold`.
  var fileReaderOptions: FileReader.Options {
    FileReader.Options(memoryThreshold: memoryThreshold ?? FileReader.defaultMemoryThreshold)
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
