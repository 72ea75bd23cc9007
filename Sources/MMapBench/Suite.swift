import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A generated input of the suite.
private struct SuiteFile {
  var label: String
  var path: String
  var count: Int
}

/// One row of the suite's table: the median of the samples of one workload, file and reader.
private struct SuiteRow {
  var workload: Workload
  var file: String
  var reader: ReaderKind
  /// `--threads`: 1, or 2 for the shared-pass rows of `lines`, `lineiter` and `search`.
  var threads = 1
  var median: BenchResult

  /// The reader column: its name, with `×N` for N threads.
  var readerLabel: String { threads > 1 ? "\(reader.rawValue) ×\(threads)" : reader.rawValue }

  var chartSample: ChartSample {
    ChartSample(
      reader: readerLabel, workload: workload.rawValue, file: file,
      nanosecondsPerOp: median.nanosecondsPerOp)
  }
}

/// Each sample runs at least this long, so that clock reads and the first touches of the file
/// are a small part of it.
private let sampleNanoseconds: UInt64 = 100_000_000

/// Samples per row; the table shows their median.
private let samplesPerRow = 3

/// The operation count of the first, calibrating run of a random workload.
private func probeOps(_ workload: Workload) -> Int {
  workload == .openclose ? 200 : 20_000
}

/// The no-argument mode: generates a 256 MiB and a 4 KiB fixture (seed 7) in a fresh
/// temporary directory, runs every workload with every reader on both, shows progress on
/// standard error, prints a table on standard output, and deletes the files.
///
/// Each row is the median of ``samplesPerRow`` samples, each timed for at least
/// ``sampleNanoseconds``: random workloads get an operation count, whole-file ones a number of
/// passes over the file, calibrated by a first run.
///
/// - Returns: The rows, for a chart.
/// - Throws: ``BenchError`` if a fixture can't be written or readers disagree on a
///   checksum, or a reader's ``MMap/MMapError``.
@discardableResult
func runSuite() throws -> [ChartSample] {
  let directory = try makeTemporaryDirectory()
  let files = [
    SuiteFile(label: "4 KiB", path: directory + "/small.txt", count: 4096),
    SuiteFile(label: "256 MiB", path: directory + "/big.txt", count: 256 << 20),
  ]
  defer {
    for file in files { unlink(file.path) }
    rmdir(directory)
  }
  for file in files {
    printError("mmap-bench: generating \(file.label) fixture \(file.path) (seed 7)")
    try generateFixture(path: file.path, count: file.count, seed: 7)
  }
  let readers: [ReaderKind] = [.mmap, .windowed, .pread]  // The baseline last.
  // One-thread rows for every reader, then two-thread rows for the shared-pass workloads.
  let runs = readers.map { ($0, 1) } + readers.map { ($0, 2) }
  // load measures a cold start, which the suite's warm, repeated runs can't.
  let workloads = Workload.allCases.filter { $0 != .load }
  let total =
    files.count * readers.count * (workloads.count + BenchOptions.sharedPassWorkloads.count)
  let scratch = allocateScratch()
  defer { scratch.deallocate() }
  var rows: [SuiteRow] = []
  for workload in workloads {
    for file in files {
      var checksums: [ReaderKind: UInt64] = [:]
      for (reader, threads) in runs
      where threads == 1 || BenchOptions.sharedPassWorkloads.contains(workload) {
        var options = BenchOptions(workload: workload, path: file.path, seed: 42, reader: reader)
        options.threads = threads
        let (median, checksum) = try measure(&options, scratch: scratch)
        let row = SuiteRow(
          workload: workload, file: file.label, reader: reader, threads: threads, median: median)
        rows.append(row)
        if let other = checksums[reader], other != checksum {
          throw BenchError(
            "\(reader.rawValue) on \(threads) threads disagrees on the \(workload.rawValue)"
              + " checksum: \(checksum), one thread \(other)")
        }
        checksums[reader] = checksum
        printError(
          "mmap-bench: [\(rows.count)/\(total)] \(workload.rawValue) \(file.label)"
            + " \(row.readerLabel): \(resultText(median))")
      }
      if Set(checksums.values).count > 1 {
        throw BenchError("readers disagree on the \(workload.rawValue) checksum: \(checksums)")
      }
    }
  }
  print(suiteTable(rows))
  return rows.map(\.chartSample)
}

/// Calibrates `options` so that one run takes at least ``sampleNanoseconds``, then returns
/// the median of ``samplesPerRow`` runs and the checksum of the calibrating run, which has
/// the same operation count for every reader.
private func measure(_ options: inout BenchOptions, scratch: UnsafeMutableRawBufferPointer)
  throws -> (median: BenchResult, checksum: UInt64)
{
  let probe: BenchResult
  if options.workload.coversWholeFile {
    probe = try runBenchmark(options, scratch: scratch)
    options.passes = Int(sampleNanoseconds / max(probe.nanoseconds, 1)) + 1
  } else {
    options.ops = probeOps(options.workload)
    probe = try runBenchmark(options, scratch: scratch)
    let perOp = max(probe.nanoseconds / UInt64(probe.ops), 1)
    options.ops = max(probe.ops, Int(sampleNanoseconds / perOp) + 1)
  }
  var samples: [BenchResult] = []
  for _ in 0..<samplesPerRow {
    samples.append(try runBenchmark(options, scratch: scratch))
  }
  samples.sort { $0.nanosecondsPerByteOrOp < $1.nanosecondsPerByteOrOp }
  return (samples[samples.count / 2], probe.checksum)
}

extension BenchResult {
  /// What the table ranks by, lower being faster: time per byte for the whole-file workloads,
  /// per operation for the others.
  fileprivate var nanosecondsPerByteOrOp: Double {
    workload.coversWholeFile
      ? Double(nanoseconds) / Double(max(bytes, 1)) : nanosecondsPerOp
  }
}

/// A result in the unit that fits it: bytes per second for the whole-file workloads, time
/// per operation for the others, with three significant digits.
private func resultText(_ result: BenchResult) -> String {
  result.workload.coversWholeFile
    ? threeDigits(result.megabytesPerSecond, units: ["MB/s", "GB/s", "TB/s"])
    : threeDigits(result.nanosecondsPerOp, units: ["ns", "µs", "ms", "s"])
}

/// `value`, given in `units[0]`, in the first unit of `units` (each 1000 times the one before)
/// that keeps it under 1000, with three significant digits.
private func threeDigits(_ value: Double, units: [String]) -> String {
  var value = value
  var unit = 0
  while value >= 999.5 && unit + 1 < units.count {
    value /= 1000
    unit += 1
  }
  let decimals = value < 9.995 ? 2 : value < 99.95 ? 1 : 0
  return String(format: "%.\(decimals)f ", value) + units[unit]
}

/// The suite's table: rows grouped by workload, then file, then reader, each with its result
/// in the unit that fits, its speed relative to the `pread` reader on the same workload and
/// file, and a mark on the fastest reader.
private func suiteTable(_ rows: [SuiteRow]) -> String {
  func left(_ text: String, _ width: Int) -> String {
    text + String(repeating: " ", count: max(0, width - text.count))
  }
  func right(_ text: String, _ width: Int) -> String {
    String(repeating: " ", count: max(0, width - text.count)) + text
  }
  var lines = [
    "\(left("workload", 10))\(left("file", 9))\(left("reader", 13))\(right("result", 11))"
      + "\(right("vs pread", 10))",
    String(repeating: "-", count: 55),
  ]
  var previous: SuiteRow?
  for row in rows {
    let group = rows.filter { $0.workload == row.workload && $0.file == row.file }
    let baseline = group.first { $0.reader == .pread && $0.threads == 1 }
    let fastest = group.min {
      $0.median.nanosecondsPerByteOrOp < $1.median.nanosecondsPerByteOrOp
    }
    var ratio = "-"
    if let baseline, row.median.nanosecondsPerByteOrOp > 0 {
      let speedup =
        baseline.median.nanosecondsPerByteOrOp / row.median.nanosecondsPerByteOrOp
      ratio = String(format: speedup < 10 ? "%.2fx" : "%.1fx", speedup)
    }
    if let previous, previous.workload != row.workload { lines.append("") }
    let workload = previous?.workload == row.workload ? "" : row.workload.rawValue
    let file = previous?.workload == row.workload && previous?.file == row.file ? "" : row.file
    let mark = fastest?.reader == row.reader && fastest?.threads == row.threads ? "  *" : ""
    lines.append(
      "\(left(workload, 10))\(left(file, 9))\(left(row.readerLabel, 13))"
        + "\(right(resultText(row.median), 11))\(right(ratio, 10))\(mark)")
    previous = row
  }
  lines += [
    "",
    "result: time per operation; bytes per second for the whole-file workloads.",
    "vs pread: times faster than the pread reader on the same workload and file.",
    "*: the fastest reader. Each row is the median of \(samplesPerRow) samples of at least"
      + " \(sampleNanoseconds / 1_000_000) ms.",
  ]
  return lines.joined(separator: "\n")
}

/// Creates a fresh directory under `$TMPDIR` (or `/tmp`) with `mkdtemp`.
private func makeTemporaryDirectory() throws(BenchError) -> String {
  let parent = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
  var template = Array("\(parent)/mmap-bench-XXXXXX".utf8CString)
  guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
    throw BenchError("cannot create a temporary directory in \(parent): \(errorText())")
  }
  return String(cString: made)
}
