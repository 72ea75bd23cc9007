import MMap

// The whole-file workloads that `--threads N` shares out as one pass (`lines`, `lineiter`,
// `search`), through the library's parallel scans, and the one-thread `search`.

/// `search`: the library's first offset of `needle` in the whole file, `passes` times; `ops`
/// is the number of passes, the checksum the match's offset (all ones for none), `bytes` the
/// match's end or the file's count.
@inline(__always)
func timeSearch<Reader: BenchReader>(_ reader: Reader, needle: [UInt8], passes: Int) throws
  -> BenchResult
{
  var found: Int?
  let start = monotonicNanoseconds()
  for _ in 0..<passes {
    found = try reader.firstOffset(of: needle)
  }
  let end = monotonicNanoseconds()
  return searchResult(found, needle: needle, count: reader.count, passes: passes, end &- start)
}

/// The protocol's result of a search that found `found`.
func searchResult(
  _ found: Int?, needle: [UInt8], count: Int, passes: Int, _ nanoseconds: UInt64
) -> BenchResult {
  // Can't overflow: a match ends inside the file.
  let bytes = found.map { $0 &+ needle.count } ?? count
  return BenchResult(
    workload: .search, ops: passes, bytes: bytes &* passes, nanoseconds: nanoseconds,
    checksum: found.map { UInt64(truncatingIfNeeded: $0) } ?? .max)
}

/// `lines`, `lineiter` or `search` with `--threads N`: one pass per `passes` over the file by
/// up to N threads sharing `reader`, through the library's parallel API, timed with the
/// threads' start and join. The checksums are the one-thread checksums. A file too small to
/// share, where the library would start no thread, is scanned on this thread as
/// `lineiter` without `--threads` scans it; the other two take the library's own shortcut.
func timeSharedPass<Reader: BenchReader>(_ reader: Reader, _ options: BenchOptions) throws
  -> BenchResult
{
  let threads = options.threads
  let parallelism = Parallelism.threads(threads)
  let passes = options.passes
  let count = reader.count
  switch options.workload {
  case .lines:
    var newlines = 0
    let start = monotonicNanoseconds()
    for _ in 0..<passes {
      newlines = try reader.count(of: 0x0A, parallelism: parallelism)
    }
    let end = monotonicNanoseconds()
    return BenchResult(
      workload: .lines, ops: passes, bytes: count &* passes, nanoseconds: end &- start,
      checksum: UInt64(newlines))
  case .lineiter:
    var sum: UInt64 = 0
    var lines = 0
    let start = monotonicNanoseconds()
    // One part per thread the library would start: a file too small to share is scanned
    // whole on this thread, with no parts and no result array to allocate.
    let threadCount = parallelism.threadCount(forBytes: count)
    for _ in 0..<passes {
      guard threadCount > 1 else {
        (sum, lines) = try lineChecksum(reader, 0..<count)
        continue
      }
      // The protocol's parts: cut points i * L / N moved past the next line feed.
      let parts = try reader.lineAlignedParts(count: threadCount)
      let checksums = try reader.mapParts(parts, parallelism: parallelism) { part in
        try lineChecksum(reader, part)
      }
      (sum, lines) = chained(checksums)
    }
    let end = monotonicNanoseconds()
    return BenchResult(
      workload: .lineiter, ops: lines &* passes, bytes: count &* passes,
      nanoseconds: end &- start,
      checksum: sum)
  case .search:
    var found: Int?
    let needle = options.needle
    let start = monotonicNanoseconds()
    for _ in 0..<passes {
      found = try reader.firstOffset(of: needle, parallelism: parallelism)
    }
    let end = monotonicNanoseconds()
    return searchResult(found, needle: needle, count: count, passes: passes, end &- start)
  default:
    preconditionFailure("\(options.workload) is not shared out")
  }
}

/// The `lineiter` checksum of the lines of `part`, chained from 0, and their number.
///
/// The part is scanned in pieces of about `pieceSize` bytes that end just after a line feed,
/// the checksum chained through them: a loop, in which the optimizer inlines the line loop.
/// A single call to `forEachLine` in the parts' closure stays a call per line, which costs a
/// part a third more than the one-thread scan.
@inline(__always)
func lineChecksum<Reader: BenchReader>(
  _ reader: Reader, _ part: Range<Int>, pieceSize: Int = 64 << 20
) throws -> (sum: UInt64, lines: Int) {
  var sum: UInt64 = 0
  var lines = 0
  var start = part.lowerBound
  while start < part.upperBound {
    var end = part.upperBound
    if part.upperBound - start > pieceSize {
      let feed = try reader.firstOffset(of: 0x0A, in: (start + pieceSize)..<part.upperBound)
      end = feed.map { $0 + 1 } ?? part.upperBound
    }
    try reader.forEachLine(in: start..<end) { line in
      sum = sum &* 31 &+ UInt64(truncatingIfNeeded: line.count)
      lines &+= 1
      return .proceed
    }
    start = end
  }
  return (sum: sum, lines: lines)
}

/// The `lineiter` checksum and line count of consecutive parts, from theirs:
/// `c = c * 31^(n_i) + c_i`, left to right.
func chained(_ parts: [(sum: UInt64, lines: Int)]) -> (sum: UInt64, lines: Int) {
  var sum: UInt64 = 0
  var lines = 0
  for part in parts {
    sum = sum &* power(31, part.lines) &+ part.sum
    lines &+= part.lines
  }
  return (sum, lines)
}

/// `base` to the power `exponent`, wrapping, by repeated squaring.
func power(_ base: UInt64, _ exponent: Int) -> UInt64 {
  var result: UInt64 = 1
  var square = base
  var rest = exponent
  while rest > 0 {
    if rest & 1 == 1 { result = result &* square }
    square = square &* square
    rest >>= 1
  }
  return result
}
