import MMap

/// A reader the benchmark can drive: how to open it for a run, and how it counts newlines
/// (`lines`), which each reader does its own way.
///
/// Adding a reader to the benchmark takes a conformance and one case in
/// ``runBenchmark(_:scratch:)``.
protocol BenchReader: RandomAccessReader {
  /// Opens the file of `options` the way the reader's `openclose` does.
  static func open(_ options: BenchOptions) throws(MMapError) -> Self

  /// The number of `0x0A` bytes in the whole file. `scratch` is a buffer of at least 1 MiB
  /// that a copying reader may read chunks into.
  func newlineCount(scratch: UnsafeMutableRawBufferPointer) throws -> UInt64
}

extension MMapReader: BenchReader {
  static func open(_ options: BenchOptions) throws(MMapError) -> MMapReader {
    try MMapReader(path: options.path)
  }

  /// Counts through one view of the whole mapping: no copy.
  func newlineCount(scratch: UnsafeMutableRawBufferPointer) throws -> UInt64 {
    try withUnsafeBytes { bytes in countNewlines(in: bytes) }
  }
}

extension PReadReader: BenchReader {
  static func open(_ options: BenchOptions) throws(MMapError) -> PReadReader {
    try PReadReader(path: options.path)
  }

  /// Reads the file in chunks of 1 MiB, one `pread(2)` each, like the C reference's `read(2)`
  /// loop, and counts each chunk.
  func newlineCount(scratch: UnsafeMutableRawBufferPointer) throws -> UInt64 {
    let chunk = UnsafeMutableRawBufferPointer(rebasing: scratch[..<(1 << 20)])
    var total: UInt64 = 0
    var offset = 0
    while offset < count {
      let copied = try read(from: offset, into: chunk)
      guard copied > 0 else { throw BenchError("\(path ?? "file") shrank during the run") }
      total &+= countNewlines(in: UnsafeRawBufferPointer(rebasing: chunk[..<copied]))
      offset &+= copied
    }
    return total
  }
}

extension MMapWindowReader: BenchReader {
  /// Opens with `--window` and `--windows`, or the reader's defaults.
  static func open(_ options: BenchOptions) throws(MMapError) -> MMapWindowReader {
    try MMapWindowReader(
      path: options.path, windowSize: options.windowSize ?? defaultWindowSize,
      maxWindows: options.maxWindows ?? defaultMaxWindows)
  }

  /// Counts window by window through zero-copy views, with at most `maxWindows` mapped.
  func newlineCount(scratch: UnsafeMutableRawBufferPointer) throws -> UInt64 {
    var total: UInt64 = 0
    try forEachWindow { _, bytes in
      bytes.withUnsafeBytes { total &+= countNewlines(in: $0) }
    }
    return total
  }
}
