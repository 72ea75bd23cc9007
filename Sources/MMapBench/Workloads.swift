import MMap

/// What one run measured: the protocol's output line, before formatting.
struct BenchResult: Equatable, Sendable {
  var workload: Workload
  /// Operations timed.
  var ops: Int
  /// Bytes delivered to the caller.
  var bytes: Int
  /// Wall-clock nanoseconds of the timed loop.
  var nanoseconds: UInt64
  var checksum: UInt64

  /// Nanoseconds per operation, or `0` for no operation.
  var nanosecondsPerOp: Double { ops > 0 ? Double(nanoseconds) / Double(ops) : 0 }

  /// `bytes / seconds / 1e6`, or `0` where no bytes are delivered.
  var megabytesPerSecond: Double {
    guard bytes > 0, nanoseconds > 0 else { return 0 }
    return Double(bytes) / (Double(nanoseconds) / 1e9) / 1e6
  }
}

/// Runs one workload with the reader `options` names. Only the workload's loop is timed.
///
/// - Parameters:
///   - options: The workload, the file and the reader, as parsed from the command line.
///   - scratch: The reused destination of `seq64k`'s copies: at least 1 MiB, 64-byte aligned.
///     (`readat8` and `readat4k` copy into a buffer of their own.)
/// - Returns: What the run measured.
/// - Throws: What the reader threw, or a ``BenchError`` for a file the workload can't use.
func runBenchmark(_ options: BenchOptions, scratch: UnsafeMutableRawBufferPointer) throws
  -> BenchResult
{
  if options.workload == .load { return try timeLoad(options) }
  return switch options.reader {
  case .mmap: try runMMapReader(options, scratch: scratch)
  case .pread: try runPReadReader(options, scratch: scratch)
  case .windowed: try runWindowReader(options, scratch: scratch)
  case .auto: try runAutoReader(options, scratch: scratch)
  case .reloading: try runReloadingReader(options, scratch: scratch)
  case .file: try runFileReader(options, scratch: scratch)
  }
}

// One non-generic entry per reader type. The generic workload code below is inlined into
// each with the concrete type, so a reader's inlinable accessors inline into the loops: no
// existential, no dynamic call. Adding a reader takes one such entry and one case above.

@inline(never)
func runMMapReader(_ options: BenchOptions, scratch: UnsafeMutableRawBufferPointer) throws
  -> BenchResult
{
  try runBenchmark(MMapReader.self, options, scratch: scratch)
}

@inline(never)
func runPReadReader(_ options: BenchOptions, scratch: UnsafeMutableRawBufferPointer) throws
  -> BenchResult
{
  try runBenchmark(PReadReader.self, options, scratch: scratch)
}

@inline(never)
func runWindowReader(_ options: BenchOptions, scratch: UnsafeMutableRawBufferPointer) throws
  -> BenchResult
{
  try runBenchmark(MMapWindowReader.self, options, scratch: scratch)
}

@inline(never)
func runReloadingReader(_ options: BenchOptions, scratch: UnsafeMutableRawBufferPointer) throws
  -> BenchResult
{
  if let readsPerLookup = options.readsPerLookup {
    return try runGroupedLookups(options, readsPerLookup: readsPerLookup)
  }
  return try runBenchmark(ReloadingReader<MMapReader>.self, options, scratch: scratch)
}

@inline(never)
func runFileReader(_ options: BenchOptions, scratch: UnsafeMutableRawBufferPointer) throws
  -> BenchResult
{
  try runBenchmark(FileReader.self, options, scratch: scratch)
}

/// `--reader auto`: ``MMap/FileReader`` chooses the reader, and the workload runs on it with
/// its concrete type, as if it had been named, so that its accessors inline into the loops.
@inline(never)
func runAutoReader(_ options: BenchOptions, scratch: UnsafeMutableRawBufferPointer) throws
  -> BenchResult
{
  if options.workload == .openclose {
    return try timeAutoOpenClose(options, ops: options.effectiveOps)
  }
  let reader = try FileReader.open(path: options.path, options: options.fileReaderOptions)
  defer { try? reader.close() }
  switch reader.base {
  case .memory(let reader): return try runOpened(reader, options, scratch: scratch)
  case .mapped(let reader): return try runOpened(reader, options, scratch: scratch)
  case .windowed(let reader): return try runOpened(reader, options, scratch: scratch)
  case .pread(let reader): return try runOpened(reader, options, scratch: scratch)
  }
}

/// The workload on a reader `--reader auto` opened: one specialization per reader type, each
/// a function of its own like ``runMMapReader(_:scratch:)``, so that its loops get the
/// registers to themselves.
@inline(never)
func runOpened<Reader: BenchReader>(
  _ reader: Reader, _ options: BenchOptions, scratch: UnsafeMutableRawBufferPointer
) throws -> BenchResult {
  try runWorkload(reader, options, scratch: scratch)
}

/// Runs one workload with a reader of type `Reader`. Only the workload's loop is timed.
@inline(__always)
func runBenchmark<Reader: BenchReader>(
  _: Reader.Type, _ options: BenchOptions, scratch: UnsafeMutableRawBufferPointer
) throws -> BenchResult {
  if options.workload == .openclose {
    return try timeOpenClose(Reader.self, options, ops: options.effectiveOps)
  }
  let reader = try Reader.open(options)
  defer { try? reader.close() }
  return try runWorkload(reader, options, scratch: scratch)
}

/// Runs the timed loop of `options`' workload, other than `openclose`, on `reader`.
@inline(__always)
func runWorkload<Reader: BenchReader>(
  _ reader: Reader, _ options: BenchOptions, scratch: UnsafeMutableRawBufferPointer
) throws -> BenchResult {
  let workload = options.workload
  let ops = options.effectiveOps
  let count = reader.count
  let readSize = workload.readSize
  if readSize > 0 && count < readSize {
    throw BenchError("\(options.path): file shorter than the read size")
  }
  // Can't overflow: 0 < readSize <= count.
  let offsetRange = UInt64(truncatingIfNeeded: count &- readSize &+ 1)
  if options.threads > 1 && BenchOptions.sharedPassWorkloads.contains(workload) {
    return try timeSharedPass(reader, options)
  }
  if options.threads > 1 {
    return try timeOnThreads(
      reader, workload: workload, threads: options.threads, ops: ops, offsetRange: offsetRange,
      seed: options.seed)
  }
  let result: BenchResult
  switch workload {
  case .at:
    result = try timeAt(reader, ops: ops, offsetRange: offsetRange, seed: options.seed)
  case .readat8:
    result = try timeRandomReads8(
      reader, ops: ops, offsetRange: offsetRange, seed: options.seed)
  case .readat4k:
    result = try timeRandomReads4k(
      reader, ops: ops, offsetRange: offsetRange, seed: options.seed)
  case .seq64k:
    guard count >= 8, count % 8 == 0 else {
      throw BenchError("\(options.path): seq64k needs a length that is a multiple of 8")
    }
    result = try timeSequential(reader, passes: options.passes, buffer: scratch)
  case .lines:
    result = try timeLineCount(reader, passes: options.passes)
  case .lineiter:
    result = try timeLineIteration(reader, passes: options.passes)
  case .floatsum:
    result = try timeFloatSum(reader, passes: options.passes)
  case .send:
    result = try timeSend(
      reader, passes: options.passes, rangeSize: options.rangeSize, to: options.destination)
  case .search:
    result = try timeSearch(reader, needle: options.needle, passes: options.passes)
  case .openclose, .load:
    preconditionFailure("handled above")
  }
  blackHole(scratch.baseAddress)
  return result
}

/// The little-endian `UInt64` at `pointer`, which need not be aligned.
@inline(__always)
func load64(_ pointer: UnsafeRawPointer) -> UInt64 {
  UInt64(littleEndian: pointer.loadUnaligned(as: UInt64.self))
}

/// Stops the optimizer from treating the copies into `pointer`'s memory as dead: they are
/// read by a function it can't see into.
@inline(never)
func blackHole(_ pointer: UnsafeMutableRawPointer?) {
  _ = pointer
}

@inline(never)
func shortRead<Reader: BenchReader>(_ reader: Reader) -> BenchError {
  BenchError("\(reader.path ?? "file"): short read (the file shrank during the run?)")
}
