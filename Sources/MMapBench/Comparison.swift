import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// `mmap-bench --compare FILE`: the library's readers against the C reference, `mmap-c`, as
/// whole processes, in interleaved rounds: each round runs every workload with C and then each
/// reader, each run in a fresh process on a freshly warmed file, so that every reader meets
/// the same page cache. Prints the medians as a table, checks that every reader's checksum
/// equals C's, and can draw the chart.
struct Comparison {
  static let usage =
    "usage: mmap-bench --compare FILE [--rounds N] [--label TEXT] [--workloads a,b,...]"
    + " [--ops N] [--svg PATH]"

  /// The readers compared, C first.
  static let readers = [chartReferenceReader, "mmap", "windowed", "pread"]

  var path: String
  var rounds = 5
  var label = ""
  var workloads: [Workload] = [.at, .readat8, .readat4k, .seq64k, .lines]
  var ops: Int?
  var svg: String?
  /// The directory holding `mmap-bench` and `mmap-c`.
  var tools: String

  /// Parses the arguments after `--compare`; `nil` for any it doesn't take.
  init?(arguments: [String], tools: String) {
    guard arguments.count >= 2, arguments[0] == "--compare" else { return nil }
    path = arguments[1]
    self.tools = tools
    var rest = arguments.dropFirst(2)
    while let name = rest.popFirst() {
      guard let value = rest.popFirst() else { return nil }
      switch name {
      case "--rounds":
        guard let count = Int(value), count > 0 else { return nil }
        rounds = count
      case "--label": label = value
      case "--workloads":
        let named = value.split(separator: ",").map { Workload(rawValue: String($0)) }
        guard !named.isEmpty, named.allSatisfy({ $0 != nil && $0 != .openclose && $0 != .send })
        else { return nil }
        workloads = named.map { $0! }
      case "--ops":
        guard let count = Int(value), count > 0 else { return nil }
        ops = count
      case "--svg": svg = value
      default: return nil
      }
    }
    if label.isEmpty { label = (path as NSString).lastPathComponent }
  }

  /// Runs the rounds, prints the table and writes the chart; returns the samples.
  ///
  /// - Throws: ``BenchError`` if a tool is missing or fails, or a checksum differs from C's.
  @discardableResult
  func run() throws -> [ChartSample] {
    for tool in ["mmap-c", "mmap-bench"] where access(tools + "/" + tool, X_OK) != 0 {
      throw BenchError(
        "\(tool) isn't in \(tools): build the package first (swift build -c release)")
    }
    var samples: [ChartSample] = []
    var checksums: [Workload: String] = [:]
    for round in 1...rounds {
      for workload in workloads {
        for reader in Self.readers {
          warm(path)
          let line = try runTool(reader: reader, workload: workload)
          let fields = Dictionary(
            line.split(separator: " ").compactMap { pair -> (String, String)? in
              let parts = pair.split(separator: "=", maxSplits: 1)
              return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
            }, uniquingKeysWith: { first, _ in first })
          guard let time = fields["ns_per_op"].flatMap(Double.init), time > 0,
            let checksum = fields["checksum"]
          else { throw BenchError("unexpected output of the \(reader) run: \(line)") }
          if let expected = checksums[workload], expected != checksum {
            throw BenchError(
              "\(reader) disagrees with C on the \(workload.rawValue) checksum: \(checksum),"
                + " C \(expected)")
          }
          checksums[workload] = checksum
          samples.append(
            ChartSample(
              reader: reader, workload: workload.rawValue, file: label, nanosecondsPerOp: time))
          printError(
            "mmap-bench: round \(round)/\(rounds) \(workload.rawValue) \(reader): \(line)")
        }
      }
    }
    print(Self.table(ChartGroup.groups(of: samples), rounds: rounds))
    if let svg {
      let chart = Chart.svg(ChartGroup.groups(of: samples), title: "swift-mmap against C: \(label)")
      do {
        try Data(chart.utf8).write(to: URL(fileURLWithPath: svg))
      } catch {
        throw BenchError("cannot write the chart to \(svg): \(error.localizedDescription)")
      }
      printError("mmap-bench: wrote \(svg)")
    }
    return samples
  }

  /// One run of `reader` on `workload` in a process of its own: its protocol line.
  private func runTool(reader: String, workload: Workload) throws -> String {
    var arguments = [workload.rawValue, path, "--reader", reader == "c" ? "mmap" : reader]
    if let ops, !workload.coversWholeFile { arguments += ["--ops", String(ops)] }
    let tool = tools + (reader == chartReferenceReader ? "/mmap-c" : "/mmap-bench")
    return try runProcess(tool, arguments, environment: ["MMAP_C_LINES=simd"])
  }

  /// Drops the file's pages from the page cache and reads it back in, as `dd iflag=nocache
  /// count=0` and `cat` do, so that every run finds the same page cache.
  private func warm(_ path: String) {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return }
    defer { close(fd) }
    #if os(Linux)
      _ = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED)
    #endif
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: 1 << 20, alignment: 4096)
    defer { buffer.deallocate() }
    while read(fd, buffer, 1 << 20) > 0 {}
  }

  /// The medians as a table: for each workload, C's time, each reader's, the mapped reader's
  /// ratio to C, and `pread`'s to it.
  static func table(_ groups: [ChartGroup], rounds: Int) -> String {
    var lines = [
      "workload    C            mmap         ÷ C    windowed     pread        pread ÷ mmap",
      String(repeating: "-", count: 82),
    ]
    func cell(_ text: String, _ width: Int) -> String {
      text + String(repeating: " ", count: max(1, width - text.count))
    }
    for group in groups {
      let time = { (reader: String) in group.bars.first { $0.reader == reader }?.nanosecondsPerOp }
      guard let c = time("c"), let mmap = time("mmap"), let windowed = time("windowed"),
        let pread = time("pread")
      else { continue }
      lines.append(
        cell(group.workload, 12) + cell(Chart.timeText(c), 13) + cell(Chart.timeText(mmap), 13)
          + cell(String(format: "%.2f", mmap / c), 7) + cell(Chart.timeText(windowed), 13)
          + cell(Chart.timeText(pread), 13) + String(format: "%.1f×", pread / mmap))
    }
    lines += [
      "",
      "Medians of \(rounds) interleaved rounds, each run a process of its own on a freshly"
        + " warmed file; every checksum equals C's. ÷ C above 1 is slower than C.",
    ]
    return lines.joined(separator: "\n")
  }
}

/// Runs `executable` with `arguments` and `environment` added to this process's, and returns
/// the last line of its standard output.
///
/// - Throws: ``BenchError`` if it can't start, or exits with a failure.
func runProcess(_ executable: String, _ arguments: [String], environment: [String]) throws
  -> String
{
  var ends: [CInt] = [0, 0]
  guard pipe(&ends) == 0 else { throw BenchError("pipe failed: \(errorText())") }
  #if canImport(Darwin)
    var actions: posix_spawn_file_actions_t?
  #else
    var actions = posix_spawn_file_actions_t()
  #endif
  posix_spawn_file_actions_init(&actions)
  defer { posix_spawn_file_actions_destroy(&actions) }
  posix_spawn_file_actions_adddup2(&actions, ends[1], 1)
  posix_spawn_file_actions_addclose(&actions, ends[0])
  let argv = ([executable] + arguments).map { strdup($0) } + [nil]
  let inherited = ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }
  let environ = (environment + inherited).map { strdup($0) } + [nil]
  defer {
    argv.forEach { free($0) }
    environ.forEach { free($0) }
  }
  var child: pid_t = 0
  let spawned = posix_spawn(&child, executable, &actions, nil, argv, environ)
  close(ends[1])
  guard spawned == 0 else {
    close(ends[0])
    throw BenchError("can't run \(executable): \(String(cString: strerror(spawned)))")
  }
  var output: [UInt8] = []
  var chunk = [UInt8](repeating: 0, count: 4096)
  while true {
    let got = chunk.withUnsafeMutableBytes { read(ends[0], $0.baseAddress, $0.count) }
    if got < 0 && errno == EINTR { continue }
    guard got > 0 else { break }
    output += chunk[..<got]
  }
  close(ends[0])
  var status: CInt = 0
  while waitpid(child, &status, 0) < 0 && errno == EINTR {}
  guard status == 0 else {
    throw BenchError("\(executable) \(arguments.joined(separator: " ")) failed (\(status))")
  }
  let text = String(decoding: output, as: UTF8.self)
  return text.split(separator: "\n").last.map(String.init) ?? ""
}
