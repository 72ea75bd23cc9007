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

/// One row of the suite's table: the median of the runs of one workload, reader and file.
private struct SuiteRow {
  var file: String
  var workload: Workload
  var reader: ReaderKind
  var median: BenchResult
}

/// The operation counts of the suite: smaller than the protocol's defaults, so that the
/// `pread` baseline finishes the whole table in about a minute.
private func suiteOps(_ workload: Workload) -> Int {
  switch workload {
  case .at, .readat8: 2_000_000
  case .readat4k: 200_000
  case .openclose: 20_000
  case .seq64k, .lines, .lineiter: 1
  }
}

/// Runs each workload this many times and reports the median.
private let suiteRuns = 3

/// The no-argument mode: generates a 256 MiB and a 4 KiB fixture (seed 7) in a fresh
/// temporary directory, runs every workload with every reader on both, shows
/// progress on standard error, prints a table on standard output, and deletes the files.
///
/// - Throws: ``BenchError`` if a fixture can't be written or readers disagree on a
///   checksum, or a reader's ``MMap/MMapError``.
func runSuite() throws {
  let directory = try makeTemporaryDirectory()
  let files = [
    SuiteFile(label: "256 MiB", path: directory + "/big.txt", count: 256 << 20),
    SuiteFile(label: "4 KiB", path: directory + "/small.txt", count: 4096),
  ]
  defer {
    for file in files { unlink(file.path) }
    rmdir(directory)
  }
  for file in files {
    printError("mmap-bench: generating \(file.label) fixture \(file.path) (seed 7)")
    try generateFixture(path: file.path, count: file.count, seed: 7)
  }
  let readers = ReaderKind.allCases
  let total = files.count * Workload.allCases.count * readers.count
  let scratch = allocateScratch()
  defer { scratch.deallocate() }
  var rows: [SuiteRow] = []
  for file in files {
    for workload in Workload.allCases {
      var checksums: [ReaderKind: UInt64] = [:]
      for reader in readers {
        let options = BenchOptions(
          workload: workload, path: file.path, ops: suiteOps(workload), seed: 42,
          reader: reader)
        var results: [BenchResult] = []
        for _ in 0..<suiteRuns {
          results.append(try runBenchmark(options, scratch: scratch))
        }
        results.sort { $0.nanoseconds < $1.nanoseconds }
        let median = results[results.count / 2]
        rows.append(SuiteRow(file: file.label, workload: workload, reader: reader, median: median))
        checksums[reader] = median.checksum
        printError(
          "mmap-bench: [\(rows.count)/\(total)] \(file.label) \(workload.rawValue)"
            + " \(reader.rawValue): \(String(format: "%.2f", median.nanosecondsPerOp)) ns/op")
      }
      if Set(checksums.values).count > 1 {
        throw BenchError("readers disagree on the \(workload.rawValue) checksum: \(checksums)")
      }
    }
  }
  print(suiteTable(rows))
}

/// The table of the suite: one row per file, workload and reader, with its speed relative to
/// the `pread` reader on the same file and workload (pread's ns/op divided by the row's).
private func suiteTable(_ rows: [SuiteRow]) -> String {
  func pad(_ text: String, _ width: Int) -> String {
    String(repeating: " ", count: max(0, width - text.count)) + text
  }
  var lines = [
    "\(pad("file", 8)) \(pad("workload", 9)) \(pad("reader", 8)) \(pad("ns/op", 12))"
      + " \(pad("MB/s", 10)) \(pad("x pread", 8))"
  ]
  for row in rows {
    let baseline = rows.first {
      $0.file == row.file && $0.workload == row.workload && $0.reader == .pread
    }
    var ratio = "-"
    if let baseline, row.median.nanosecondsPerOp > 0 {
      ratio = String(format: "%.2f", baseline.median.nanosecondsPerOp / row.median.nanosecondsPerOp)
    }
    lines.append(
      "\(pad(row.file, 8)) \(pad(row.workload.rawValue, 9)) \(pad(row.reader.rawValue, 8))"
        + " \(pad(String(format: "%.2f", row.median.nanosecondsPerOp), 12))"
        + " \(pad(String(format: "%.1f", row.median.megabytesPerSecond), 10)) \(pad(ratio, 8))")
  }
  lines.append("x pread: how many times faster than the pread reader (its ns/op over this one's).")
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
