import Foundation
import MMap
import Testing

@testable import MMapBench

/// The benchmark's code paths compute the protocol's checksums, checked against a direct
/// computation over the file's bytes that shares no code with the benchmark.
@Suite struct MMapBenchTests {
  /// 1 MiB + 24: not a multiple of 64 KiB, so seq64k's last read is short; a multiple of 8.
  static let fileSize = (1 << 20) + 24

  /// A generated fixture in a fresh directory, removed after `body`.
  private func withFixture<R>(count: Int, seed: UInt64, _ body: (String) throws -> R) throws -> R {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("mmap-bench-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("fixture.txt").path
    try generateFixture(path: path, count: count, seed: seed)
    return try body(path)
  }

  /// The protocol's checksum of `workload`, computed straight from the bytes.
  private func expectedChecksum(
    _ workload: Workload, bytes: [UInt8], ops: Int, seed: UInt64
  ) -> UInt64 {
    func word(_ at: Int) -> UInt64 {
      (0..<8).reduce(0) { $0 | UInt64(bytes[at + $1]) << (8 * $1) }
    }
    var state = seed
    func next() -> UInt64 {
      state ^= state >> 12
      state ^= state << 25
      state ^= state >> 27
      return state &* 0x2545_F491_4F6C_DD1D
    }
    var sum: UInt64 = 0
    switch workload {
    case .at:
      for _ in 0..<ops { sum &+= UInt64(bytes[Int(next() % UInt64(bytes.count))]) }
    case .readat8:
      for _ in 0..<ops { sum &+= word(Int(next() % UInt64(bytes.count - 7))) }
    case .readat4k:
      for _ in 0..<ops {
        let offset = Int(next() % UInt64(bytes.count - 4095))
        sum &+= word(offset) ^ word(offset + 4088)
      }
    case .seq64k:
      for start in stride(from: 0, to: bytes.count, by: 65536) {
        let end = min(start + 65536, bytes.count)
        sum &+= word(start) ^ word(end - 8)
      }
    case .lines, .load:
      sum = UInt64(bytes.filter { $0 == 0x0A }.count)
    case .lineiter:
      // Every line between line feeds; no empty line after a final line feed.
      var length: UInt64 = 0
      for byte in bytes {
        if byte == 0x0A {
          sum = sum &* 31 &+ length
          length = 0
        } else {
          length += 1
        }
      }
      if bytes.last != 0x0A && !bytes.isEmpty { sum = sum &* 31 &+ length }
    case .openclose:
      sum = UInt64(ops) &* UInt64(bytes.count)
    case .floatsum:
      // Element i goes to partial sum i % 16 while whole groups of 16 last, then the
      // partial sums in order, then the rest.
      let floats = stride(from: 0, to: bytes.count - 3, by: 4).map { at in
        Float(bitPattern: (0..<4).reduce(0) { $0 | UInt32(bytes[at + $1]) << (8 * $1) })
      }
      let whole = floats.count / 16 * 16
      var partial = [Float](repeating: 0, count: 16)
      for index in 0..<whole { partial[index % 16] += floats[index] }
      var total: Float = 0
      for value in partial + floats[whole...] { total += value }
      sum = UInt64(total.bitPattern)
    case .send:
      for offset in stride(from: 0, to: bytes.count, by: 8) { sum &+= word(offset) }
    case .search:
      sum = naiveSearch(BenchOptions.defaultNeedle, in: bytes).map(UInt64.init) ?? .max
    }
    return sum
  }

  @Test(arguments: ReaderKind.allCases)
  func everyWorkloadMatchesDirectChecksum(reader: ReaderKind) throws {
    try withFixture(count: Self.fileSize, seed: 7) { path in
      let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
      #expect(bytes.count == Self.fileSize)
      let scratch = allocateScratch()
      defer { scratch.deallocate() }
      // load takes the two readers that prefault or read into memory (LoadWorkloadTests).
      for workload in Workload.allCases where workload != .load || [.mmap, .pread].contains(reader)
      {
        let ops = workload == .openclose ? 50 : 20_000
        var options = BenchOptions(
          workload: workload, path: path, ops: ops, seed: 42, reader: reader)
        if reader == .windowed {  // Small windows, so that reads cross window edges.
          options.windowSize = 16384
          options.maxWindows = 2
        }
        let result = try runBenchmark(options, scratch: scratch)
        let expected = expectedChecksum(
          workload, bytes: bytes, ops: result.ops, seed: options.seed)
        #expect(result.checksum == expected, "\(workload) \(reader)")
        switch workload {
        case .at: #expect(result.bytes == ops)
        case .readat8: #expect(result.bytes == 8 * ops)
        case .readat4k: #expect(result.bytes == 4096 * ops)
        case .seq64k:
          #expect(result.ops == 17)
          #expect(result.bytes == bytes.count)
        case .lines:
          #expect(result.ops == 1)
          #expect(result.bytes == bytes.count)
        case .lineiter:
          #expect(result.ops == bytes.filter { $0 == 0x0A }.count)
          #expect(result.bytes == bytes.count)
        case .openclose: #expect(result.bytes == 0)
        case .floatsum, .send, .search, .load:
          #expect(result.ops == 1)
          #expect(result.bytes == bytes.count)
        }
      }
    }
  }

  /// `--threads N`: thread `i` draws from the seed `S + i` (wrapping, 0 becoming 1: here
  /// `max`, `1`, `1`), and the
  /// checksum is the wrapping sum of the threads' checksums.
  @Test(arguments: ReaderKind.allCases)
  func threadsShareOneReaderAndSumTheirChecksums(reader: ReaderKind) throws {
    try withFixture(count: Self.fileSize, seed: 7) { path in
      let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
      let scratch = allocateScratch()
      defer { scratch.deallocate() }
      for workload in [Workload.at, .readat8, .readat4k] {
        var options = BenchOptions(
          workload: workload, path: path, ops: 5_000, seed: .max, reader: reader)
        options.threads = 3
        let result = try runBenchmark(options, scratch: scratch)
        let expected = [UInt64.max, 1, 1].reduce(UInt64(0)) { sum, seed in
          sum &+ expectedChecksum(workload, bytes: bytes, ops: 5_000, seed: seed)
        }
        #expect(result.checksum == expected, "\(workload) \(reader)")
        #expect(result.ops == 15_000)
        #expect(result.bytes == 15_000 * workload.readSize)
      }
    }
    #expect(throws: BenchError.self) {
      try BenchOptions(arguments: ["seq64k", "/f", "--threads", "2"])
    }
    #expect(throws: BenchError.self) {
      try BenchOptions(arguments: ["at", "/f", "--threads", "0"])
    }
  }

  /// The shared `lineiter` pass's checksum, chained through line-aligned parts and through
  /// pieces of each part, is the one-thread checksum, whatever the parts and pieces, on each
  /// reader (the windowed one with windows smaller than the pieces).
  @Test(arguments: ReaderKind.allCases)
  func lineChecksumsChainThroughPartsAndPieces(reader: ReaderKind) throws {
    try withFixture(count: Self.fileSize, seed: 9) { path in
      let scratch = allocateScratch()
      defer { scratch.deallocate() }
      var options = BenchOptions(workload: .lineiter, path: path, reader: reader)
      options.windowSize = 16384
      options.maxWindows = 2
      let one = try runBenchmark(options, scratch: scratch)
      func chainOnEveryCut<Reader: BenchReader>(_: Reader.Type) throws {
        let file = try Reader.open(options)
        defer { try? file.close() }
        for count in [1, 2, 3, 7] {
          for pieceSize in [1, 100, 5000, 64 << 20] {
            let parts = try file.lineAlignedParts(count: count)
            let (sum, lines) = chained(
              try parts.map { try lineChecksum(file, $0, pieceSize: pieceSize) })
            #expect(sum == one.checksum, "\(count) parts, pieces of \(pieceSize)")
            #expect(lines == one.ops)
          }
        }
      }
      switch reader {
      case .mmap: try chainOnEveryCut(MMapReader.self)
      case .pread: try chainOnEveryCut(PReadReader.self)
      case .windowed: try chainOnEveryCut(MMapWindowReader.self)
      case .auto, .file: try chainOnEveryCut(FileReader.self)
      case .reloading: try chainOnEveryCut(ReloadingReader<MMapReader>.self)
      }
    }
  }

  /// `--threads N` on `lines`, `lineiter` and `search`: one pass shared out, whose checksum,
  /// ops and bytes are exactly the one-thread ones, for needles found and absent.
  @Test(arguments: ReaderKind.allCases)
  func sharedPassesGiveTheOneThreadChecksums(reader: ReaderKind) throws {
    try withFixture(count: Self.fileSize, seed: 7) { path in
      let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
      let scratch = allocateScratch()
      defer { scratch.deallocate() }
      let needles = [
        BenchOptions.defaultNeedle, Array(bytes[(bytes.count - 40)..<(bytes.count - 10)]),
        Array(bytes[5000..<5004]), Array("\n".utf8),
      ]
      for workload in [Workload.lines, .lineiter, .search] {
        for needle in workload == .search ? needles : [BenchOptions.defaultNeedle] {
          var options = BenchOptions(workload: workload, path: path, reader: reader)
          options.needle = needle
          if reader == .windowed {
            options.windowSize = 16384
            options.maxWindows = 2
          }
          let one = try runBenchmark(options, scratch: scratch)
          if workload == .search {
            let found = naiveSearch(needle, in: bytes)
            #expect(one.checksum == found.map(UInt64.init) ?? .max)
            #expect(one.bytes == found.map { $0 + needle.count } ?? bytes.count)
          }
          for threads in [2, 3, 7] {
            options.threads = threads
            let shared = try runBenchmark(options, scratch: scratch)
            #expect(shared.checksum == one.checksum, "\(workload) \(reader) \(threads)")
            #expect(shared.ops == one.ops && shared.bytes == one.bytes)
          }
        }
      }
    }
    let options = try BenchOptions(arguments: ["search", "/f", "--needle", "abc", "--threads=2"])
    #expect(options.needle == Array("abc".utf8) && options.threads == 2)
    #expect(throws: BenchError.self) {
      try BenchOptions(arguments: ["search", "/f", "--needle", ""])
    }
  }

  /// `lineiter --threads N` on a file large enough that the library starts threads: the parts
  /// it cuts, scans in pieces and chains give the one-thread checksum and line count.
  @Test(arguments: ReaderKind.allCases)
  func sharedLineIterationOnThreadsGivesTheOneThreadChecksum(reader: ReaderKind) throws {
    // Over two parts of the default 4 MiB per thread, so that two threads share it.
    let count = 9 << 20
    #expect(Parallelism.threads(2).threadCount(forBytes: count) == 2)
    try withFixture(count: count, seed: 11) { path in
      let scratch = allocateScratch()
      defer { scratch.deallocate() }
      var options = BenchOptions(workload: .lineiter, path: path, reader: reader)
      if reader == .windowed {
        options.windowSize = 1 << 20
        options.maxWindows = 2
      }
      let one = try runBenchmark(options, scratch: scratch)
      for threads in [2, 3] {
        options.threads = threads
        let shared = try runBenchmark(options, scratch: scratch)
        #expect(shared.checksum == one.checksum, "\(reader) \(threads)")
        #expect(shared.ops == one.ops && shared.bytes == count)
      }
    }
  }

  /// The suite times small files over many passes: each pass gives the checksum of one, and
  /// the operations and bytes add up.
  @Test(arguments: ReaderKind.allCases)
  func passesRepeatWholeFileWorkloads(reader: ReaderKind) throws {
    try withFixture(count: 40_000, seed: 7) { path in
      let scratch = allocateScratch()
      defer { scratch.deallocate() }
      // load is one cold start, which --passes doesn't repeat.
      for workload in Workload.allCases where workload.coversWholeFile && workload != .load {
        // Two threads too, for the workloads that share one pass out.
        let threadCounts = BenchOptions.sharedPassWorkloads.contains(workload) ? [1, 2] : [1]
        for threads in threadCounts {
          var options = BenchOptions(workload: workload, path: path, reader: reader)
          options.threads = threads
          let once = try runBenchmark(options, scratch: scratch)
          options.passes = 3
          let thrice = try runBenchmark(options, scratch: scratch)
          #expect(thrice.checksum == once.checksum, "\(workload), \(threads) threads")
          #expect(thrice.ops == 3 * once.ops, "\(workload), \(threads) threads")
          #expect(thrice.bytes == 3 * 40_000, "\(workload), \(threads) threads")
        }
      }
    }
  }

  /// `lines` and `lineiter` on small files whose shapes the generated fixture never has:
  /// empty, no final line feed, only line feeds, CRLF line ends.
  @Test(arguments: ReaderKind.allCases)
  func lineWorkloadsHandleEdgeFiles(reader: ReaderKind) throws {
    let files: [[UInt8]] = [
      [], Array("no final line feed".utf8), Array("two\nlines".utf8), [0x0A],
      [UInt8](repeating: 0x0A, count: 5000), Array("crlf\r\nline\r\n\r\n".utf8),
    ]
    // A reloading reader refuses an empty file: a version is never empty.
    for contents in files where !(reader == .reloading && contents.isEmpty) {
      let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("mmap-bench-tests-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      defer { try? FileManager.default.removeItem(at: directory) }
      let path = directory.appendingPathComponent("edge.txt").path
      try Data(contents).write(to: URL(fileURLWithPath: path))
      let scratch = allocateScratch()
      defer { scratch.deallocate() }
      for workload in [Workload.lines, .lineiter] {
        for threads in [1, 2] {
          var options = BenchOptions(workload: workload, path: path, reader: reader)
          options.threads = threads
          let result = try runBenchmark(options, scratch: scratch)
          let expected = expectedChecksum(workload, bytes: contents, ops: 1, seed: 42)
          #expect(result.checksum == expected, "\(workload) \(contents.count) bytes, \(threads)")
        }
      }
    }
  }

  @Test(arguments: [1, 2, 160, 161, 4096, 100_003])
  func fixtureHasExactSizeAndTextLines(count: Int) throws {
    try withFixture(count: count, seed: 7) { path in
      let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
      #expect(bytes.count == count)
      #expect(bytes.last == 0x0A)
      #expect(bytes.allSatisfy { $0 == 0x0A || (0x20...0x7E).contains($0) })
      var lineLength = 0
      for byte in bytes {
        lineLength = byte == 0x0A ? 0 : lineLength + 1
        #expect(lineLength <= 160)
      }
    }
  }

  @Test func fixtureIsDeterministicPerSeed() throws {
    func contents(seed: UInt64) throws -> Data {
      try withFixture(count: 10_000, seed: seed) { try Data(contentsOf: URL(fileURLWithPath: $0)) }
    }
    let first = try contents(seed: 7)
    let again = try contents(seed: 7)
    let other = try contents(seed: 8)
    #expect(first == again)
    #expect(first != other)
  }

  @Test func resultLineFollowsProtocol() {
    let result = BenchResult(
      workload: .readat8, ops: 10_000_000, bytes: 80_000_000, nanoseconds: 123_400_000,
      checksum: 0x1b2c_3d4e_5f60_7182)
    #expect(
      result.line
        == "workload=readat8 ops=10000000 bytes=80000000 ns_per_op=12.34 mb_per_s=648.3"
        + " checksum=0x1b2c3d4e5f607182")
    let empty = BenchResult(workload: .openclose, ops: 3, bytes: 0, nanoseconds: 30, checksum: 9)
    #expect(empty.line.hasSuffix("ns_per_op=10.00 mb_per_s=0.0 checksum=0x0000000000000009"))
  }

  /// On a small file `--reader auto` runs every workload from memory, with the checksums of
  /// the mapping.
  @Test func autoReaderRunsASmallFileFromMemoryWithTheSameChecksums() throws {
    try withFixture(count: 4096, seed: 7) { path in
      let reader = try FileReader.open(path: path)
      #expect(FileReader.Kind(of: reader) == .memory)
      let scratch = allocateScratch()
      defer { scratch.deallocate() }
      for workload in Workload.allCases {
        let ops = workload == .openclose ? 50 : 5_000
        let auto = try runBenchmark(
          BenchOptions(workload: workload, path: path, ops: ops, reader: .auto), scratch: scratch)
        let mapped = try runBenchmark(
          BenchOptions(workload: workload, path: path, ops: ops, reader: .mmap), scratch: scratch)
        #expect(auto.checksum == mapped.checksum, "\(workload)")
        #expect(auto.ops == mapped.ops && auto.bytes == mapped.bytes, "\(workload)")
      }
    }
  }

  @Test func optionsParseBothSpellings() throws {
    let options = try BenchOptions(arguments: [
      "readat4k", "/f", "--ops", "7", "--seed=9", "--reader", "pread",
    ])
    #expect(options.workload == .readat4k)
    #expect(options.path == "/f")
    #expect(options.effectiveOps == 7)
    #expect(options.seed == 9)
    #expect(options.reader == .pread)
    #expect(try BenchOptions(arguments: ["at", "/f"]).effectiveOps == 10_000_000)
    #expect(try BenchOptions(arguments: ["at", "/f", "--window", "4096"]).reader == .windowed)
    #expect(try BenchOptions(arguments: ["openclose", "/f", "--reader=auto"]).reader == .auto)
    let threshold = try BenchOptions(arguments: [
      "openclose", "/f", "--reader", "auto", "--memory-threshold", "65536",
    ])
    #expect(threshold.memoryThreshold == 65536)
    #expect(threshold.fileReaderOptions.memoryThreshold == 65536)
  }

  @Test func residencyFlagTakesNoValueAndReportsTheWholeFile() throws {
    #expect(try BenchOptions(arguments: ["lines", "/f", "--residency"]).reportsResidency)
    #expect(try !BenchOptions(arguments: ["lines", "/f"]).reportsResidency)
    let options = try BenchOptions(arguments: ["--residency", "at", "/f", "--ops", "3"])
    #expect(options.reportsResidency && options.path == "/f" && options.effectiveOps == 3)
    try withFixture(count: 3 * 4096 + 5, seed: 7) { path in  // Just written: all resident.
      let line = try residencyLine("after", path: path)
      #expect(line == "residency after: 4 of 4 pages resident (100.0%), 12293 of 12293 bytes")
    }
  }

  @Test func optionsRejectBadInput() {
    let bad: [[String]] = [
      [], ["at"], ["nope", "/f"], ["at", "/f", "--seed", "0"], ["at", "/f", "--ops"],
      ["at", "/f", "--reader", "mmapx"], ["at", "/f", "--ops", "-1"], ["at", "/f", "--bogus", "1"],
      ["at", "/f", "--reader", "mmap", "--window", "4096"], ["at", "/f", "extra"],
      ["at", "/f", "--window", "4611686018427387904"], ["at", "/f", "--window", "0"],
      ["at", "/f", "--reader", "auto", "--windows", "2"], ["at", "/f", "--memory-threshold", "10"],
      ["at", "/f", "--reader", "mmap", "--memory-threshold=1"],
      ["at", "/f", "--reader", "auto", "--memory-threshold", "-1"],
    ]
    for arguments in bad {
      #expect(throws: BenchError.self, "\(arguments)") { try BenchOptions(arguments: arguments) }
    }
  }

  @Test func workloadNeedingLongerFileFails() throws {
    try withFixture(count: 12, seed: 7) { path in
      let scratch = allocateScratch()
      defer { scratch.deallocate() }
      #expect(throws: BenchError.self) {
        try runBenchmark(BenchOptions(workload: .readat4k, path: path), scratch: scratch)
      }
    }
    try withFixture(count: 13, seed: 7) { path in
      let scratch = allocateScratch()
      defer { scratch.deallocate() }
      #expect(throws: BenchError.self) {
        try runBenchmark(BenchOptions(workload: .seq64k, path: path), scratch: scratch)
      }
    }
  }

  @Test func missingFileFailsWithReaderError() {
    let scratch = allocateScratch()
    defer { scratch.deallocate() }
    let path = "/nonexistent/mmap-bench/missing.txt"
    #expect(throws: MMapError(.open, path: path, errno: ENOENT)) {
      try runBenchmark(BenchOptions(workload: .at, path: path), scratch: scratch)
    }
  }

  /// Every bad flag gets one line on standard error and status 2, before anything runs; a
  /// run that fails gets one line and status 1. Never a trap, an abort or a usage screen.
  @Test func everyBadArgumentGetsOneLineAndStatus2() throws {
    try withFixture(count: 4096, seed: 7) { path in
      let bad: [[String]] = [
        ["at"], ["nope", path], [path], ["at", path, "extra"],
        ["at", path, "--window", "4611686018427387904"],
        ["at", path, "--window", "9223372036854775807"], ["at", path, "--window", "-1"],
        ["at", path, "--window", "0"], ["at", path, "--windows", "0"],
        ["at", path, "--windows", "99999999999999999999"], ["at", path, "--ops", "-5"],
        ["at", path, "--ops", "1e9"], ["at", path, "--ops="], ["at", path, "--ops"],
        ["at", path, "--seed", "0"], ["at", path, "--seed", "-1"], ["at", path, "--seed", "x"],
        ["at", path, "--reader", "mmapx"], ["at", path, "--reader", "pread", "--windows", "2"],
        ["at", path, "--threads", "0"], ["seq64k", path, "--threads", "2"],
        ["search", path, "--needle", ""],
        ["at", path, "--bogus=1"],
      ]
      for arguments in bad {
        var lines: [String] = []
        let status = benchmarkMain(arguments: arguments) { lines.append($0) }
        #expect(status == 2, "\(arguments)")
        #expect(lines.count == 1 && !lines[0].contains("\n"), "\(arguments): \(lines)")
        #expect(lines.first?.hasPrefix("mmap-bench: ") == true)
      }
      // Huge but valid settings run: a terabyte of windows costs nothing until mapped.
      for arguments in [
        ["at", path, "--ops", "10", "--windows", "1099511627776"],
        ["at", path, "--ops", "10", "--window", "4611686018427387903"],
      ] {
        var lines: [String] = []
        #expect(benchmarkMain(arguments: arguments) { lines.append($0) } == 0)
        #expect(lines.isEmpty)
      }
      var lines: [String] = []
      let missing = path + ".missing"
      #expect(benchmarkMain(arguments: ["at", missing]) { lines.append($0) } == 1)
      #expect(
        lines == ["mmap-bench: open(\"\(missing)\") failed: No such file or directory (errno 2)"])
    }
  }

  /// A file truncated by someone else while a workload reads it: the run ends with the
  /// reader's typed error on standard error and status 1, for every reader, never a signal.
  @Test(
    arguments: ReaderKind.allCases, [Workload.seq64k, .readat4k, .lines]
  )
  func aFileTruncatedDuringARunEndsItWithTheTypedErrorAndStatus1(
    reader: ReaderKind, workload: Workload
  ) throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("mmap-bench-truncated-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("shrinking.txt").path
    var outcomes: [(status: Int32, lines: [String])] = []
    // The run may finish before the truncation lands (status 0), or, rarely, the truncation
    // may land before the reader took the file's size (the workload then refuses the empty
    // file): then try again.
    for _ in 0..<8 {
      let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o600)
      // Sparse: costs no disk. A mapped reader's `lines` counts to the end of its view
      // before it throws (zeros, after the truncation), slowly in a debug build: 4 MiB.
      let size = workload == .lines ? 4 << 20 : 256 << 20
      #expect(fd >= 0 && ftruncate(fd, off_t(size)) == 0)
      close(fd)
      let truncator = Thread {
        // Truncate as soon as the reader holds the file: a mapping or a descriptor of it.
        let deadline = Date().addingTimeInterval(10)
        while !processHolds(path), Date() < deadline { usleep(50) }
        _ = truncate(path, 0)
      }
      truncator.start()
      var lines: [String] = []
      let arguments = [
        workload.rawValue, path, "--reader", reader.rawValue, "--ops", "\(Int.max)",
      ]
      let status = benchmarkMain(arguments: arguments) { lines.append($0) }
      while truncator.isExecuting || !truncator.isFinished { usleep(100) }
      outcomes.append((status, lines))
      if status != 0, lines.first?.contains("file truncated") == true { break }
    }
    let last = try #require(outcomes.last)
    #expect(last.status == 1, "\(outcomes)")
    #expect(last.lines.count == 1, "\(outcomes)")
    let expected = "mmap-bench: read(\"\(path)\") failed: file truncated: it now ends at or before"
    #expect(last.lines.first?.hasPrefix(expected) == true, "\(last.lines)")
  }
}

/// Whether this process maps the file at `path` or holds a descriptor of it, from `/proc`,
/// read with raw system calls: cheap enough to poll, also under a sanitizer.
private func processHolds(_ path: String) -> Bool {
  if procText("/proc/self/maps").contains(path) { return true }
  guard let directory = opendir("/proc/self/fd") else { return false }
  defer { closedir(directory) }
  var target = [CChar](repeating: 0, count: 4096)
  while let entry = readdir(directory) {
    let name = withUnsafeBytes(of: entry.pointee.d_name) {
      String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
    }
    let count = readlink("/proc/self/fd/" + name, &target, target.count - 1)
    if count > 0,
      String(decoding: target[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) == path
    {
      return true
    }
  }
  return false
}

/// The text of a `/proc` file, read with a raw `read(2)` loop.
private func procText(_ path: String) -> String {
  let fd = open(path, O_RDONLY)
  guard fd >= 0 else { return "" }
  defer { close(fd) }
  var bytes: [UInt8] = []
  var chunk = [UInt8](repeating: 0, count: 65536)
  while true {
    let got = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
    if got <= 0 { break }
    bytes += chunk[..<got]
  }
  return String(decoding: bytes, as: UTF8.self)
}

/// The offset of the first occurrence of `needle` in `bytes`, compared byte by byte.
private func naiveSearch(_ needle: [UInt8], in bytes: [UInt8]) -> Int? {
  guard needle.count <= bytes.count else { return nil }
  return (0...(bytes.count - needle.count)).first { start in
    bytes[start..<(start + needle.count)].elementsEqual(needle)
  }
}
