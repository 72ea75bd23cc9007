import MMap

/// `load`: the whole file brought into memory, timed from before the open to the end of the
/// load, on `--threads` threads: with `--reader mmap` the mapping prefaulted
/// (``MMap/MMapReader/prefault(in:parallelism:)``), with `--reader pread` the file read into
/// memory with large `pread`s (``MMap/InMemoryReader/init(path:offset:count:limit:parallelism:)``).
/// Meant for a file just evicted from the page cache, so that the device's speed shows;
/// `cat FILE > /dev/null` in the same round is the reference. The checksum, counted after the
/// timed load, is the file's number of line feeds, so that every reader proves it has the
/// same bytes.
func timeLoad(_ options: BenchOptions) throws -> BenchResult {
  let parallelism = Parallelism.threads(options.threads)
  let start = monotonicNanoseconds()
  switch options.reader {
  case .mmap:
    let reader = try MMapReader(path: options.path)
    defer { try? reader.close() }
    try reader.prefault(parallelism: parallelism)
    let end = monotonicNanoseconds()
    let lineFeeds = try reader.count(of: 0x0A)
    return loaded(reader.count, lineFeeds, end &- start)
  default:
    let reader = try InMemoryReader(path: options.path, parallelism: parallelism)
    defer { try? reader.close() }
    let end = monotonicNanoseconds()
    let lineFeeds = try reader.count(of: 0x0A)
    return loaded(reader.count, lineFeeds, end &- start)
  }
}

private func loaded(_ count: Int, _ lineFeeds: Int, _ nanoseconds: UInt64) -> BenchResult {
  BenchResult(
    workload: .load, ops: 1, bytes: count, nanoseconds: nanoseconds,
    checksum: UInt64(truncatingIfNeeded: lineFeeds))
}
