/// A workload of the benchmark protocol.
enum Workload: String, CaseIterable, Sendable {
  /// One byte at a random offset, through the single-byte accessor.
  case at
  /// A copy of 8 bytes at a random offset into one reused buffer.
  case readat8
  /// A copy of 4096 bytes at a random offset into one reused buffer.
  case readat4k
  /// Copies of 65,536 bytes from offset 0 to the end of the file.
  case seq64k
  /// Counting the bytes equal to `0x0A` in the whole file, with the library's count.
  case lines
  /// Visiting every line of the file in order, with the library's line iteration.
  case lineiter
  /// Opening the file, reading its length and closing it.
  case openclose
  /// Summing the file's bytes as `Float`s through the typed view (see FloatSum.swift).
  case floatsum
  /// The whole file through `write(in:to:)` to a loopback TCP connection drained by a second
  /// thread.
  case send
  /// Finding the first occurrence of the needle (`--needle`) in the whole file.
  case search
  /// Bringing the whole file into memory, as a cold start does: with `--reader mmap` a
  /// prefault of the whole mapping, with `--reader pread` a read into memory with large
  /// `pread`s, each on `--threads` threads (an extension of the protocol).
  case load

  /// The bytes each random read asks for (`k` in the protocol), or `0` if the workload makes
  /// no random read.
  var readSize: Int {
    switch self {
    case .at: 1
    case .readat8: 8
    case .readat4k: 4096
    case .seq64k, .lines, .lineiter, .openclose, .floatsum, .send, .search, .load: 0
    }
  }

  /// Whether the workload covers the whole file once (`ops` is then what it found, not asked).
  var coversWholeFile: Bool {
    switch self {
    case .seq64k, .lines, .lineiter, .floatsum, .send, .search, .load: true
    case .at, .readat8, .readat4k, .openclose: false
    }
  }

  /// The operation count when `--ops` is not given; `seq64k`, `lines` and `lineiter` ignore it.
  var defaultOps: Int {
    switch self {
    case .at, .readat8: 10_000_000
    case .readat4k: 1_000_000
    case .openclose: 100_000
    case .seq64k, .lines, .lineiter, .floatsum, .send, .search, .load: 1
    }
  }
}

/// A reader implementation the benchmark can drive (`--reader NAME`).
enum ReaderKind: String, CaseIterable, Sendable {
  /// ``MMap/MMapReader``: one mapping of the whole file.
  case mmap
  /// ``MMap/PReadReader``: one `pread(2)` per read, the baseline.
  case pread
  /// ``MMap/MMapWindowReader``: page-aligned windows, a few mapped at a time.
  case windowed
  /// The reader ``MMap/FileReader`` chooses for the file: an ``MMap/InMemoryReader`` for a
  /// small file, an ``MMap/MMapReader`` otherwise.
  case auto
  /// ``MMap/ReloadingReader`` over an ``MMap/MMapReader``: each read is one lookup of the
  /// current version, to compare with `mmap`.
  case reloading
  /// ``MMap/FileReader`` itself: the reader it chooses, through its one switch per call.
  case file
}

/// A failure of the benchmark itself (bad arguments, an unsuitable file), as opposed to an
/// ``MMap/MMapError`` from a reader.
struct BenchError: Error, CustomStringConvertible, Equatable {
  /// The message printed on standard error: one line.
  var description: String

  init(_ description: String) {
    self.description = description
  }
}

/// One benchmark run, as the command line describes it.
struct BenchOptions: Equatable, Sendable {
  var workload: Workload
  var path: String
  /// `--ops N`, or `nil` for the workload's default.
  var ops: Int?
  /// `--seed S`: the PRNG seed, never `0`.
  var seed: UInt64 = 42
  var reader: ReaderKind = .mmap
  /// `--window BYTES`: the window size of the windowed reader, or `nil` for its default.
  var windowSize: Int?
  /// `--windows N`: the most windows mapped at once, or `nil` for the reader's default.
  var maxWindows: Int?
  /// `--memory-threshold BYTES`, with `--reader auto`: the largest file read into memory, or
  /// `nil` for ``MMap/FileReader``'s default. Measures the crossover between reading and
  /// mapping, file size by file size.
  var memoryThreshold: Int?
  /// `--residency`: print the file's page-cache residency on standard error before and
  /// after the workload.
  var reportsResidency = false
  /// Threads sharing one reader (`--threads`): for the random workloads, each running the
  /// workload; for `lines`, `lineiter` and `search`, one pass shared through the library's
  /// parallel scans.
  var threads = 1
  /// `--needle TEXT`: the bytes `search` looks for.
  var needle = BenchOptions.defaultNeedle
  /// How many times the whole-file workloads (`seq64k`, `lines`, `lineiter`) cover the file
  /// inside one timed loop, so that a small file is timed long enough to mean something.
  /// `--passes N` (an extension of the protocol, default 1; the suite sets its own): with
  /// more than one, the first calls' one-time costs (binding, first touches) are spread out.
  var passes = 1
  /// `--range BYTES` (`send` only, an extension of the protocol): the file goes out as one
  /// `write(in:to:)` call per range of this many bytes, in order, instead of one call for
  /// all of it, to measure each path at each range size. `nil`: one call.
  var rangeSize: Int?
  /// `--reads-per-lookup N` (`at` and `readat8` with `--reader reloading` only, an extension
  /// of the protocol): the same reads, N of them in each `withCurrentReader` lookup instead
  /// of one lookup per read, so that the lookup's own cost shows against the reads it covers.
  /// The checksum is the protocol's. `nil`: one lookup per read.
  var readsPerLookup: Int?
  /// `--to tcp|pipe|file` (`send` only, an extension of the protocol): where `send` writes.
  var destination = SendDestination.tcp

  /// The needle when `--needle` is not given: 24 bytes the fixture generator never writes, so
  /// that the default search scans the whole file.
  static let defaultNeedle = Array("swift-mmap-needle-absent".utf8)

  /// The workloads `--threads` applies to besides the random ones: one pass shared out.
  static let sharedPassWorkloads: Set<Workload> = [.lines, .lineiter, .search]

  /// The operation count to run: `--ops` or the workload's default.
  var effectiveOps: Int { ops ?? workload.defaultOps }

  static let usage = """
    usage: mmap-bench WORKLOAD FILE [--ops N] [--seed S] [--window BYTES] [--windows N] \
    [--reader mmap|pread|windowed|auto|reloading|file] [--memory-threshold BYTES] \
    [--threads N] [--residency] [--needle TEXT] [--passes N] [--range BYTES] \
    [--reads-per-lookup N] [--to tcp|pipe|file]
           mmap-bench            (generate fixtures, run everything, print a table)
           mmap-bench --compare FILE [--rounds N] [--label TEXT] [--workloads a,b,...] \
    [--ops N] [--svg PATH]   (C and every reader in interleaved rounds of processes: a table)
           mmap-bench --svg PATH [--from RESULTS|-]   (chart the suite, or saved lines \
    with reader=NAME [file=LABEL] added; reader=c is the C reference)
    workloads: at readat8 readat4k seq64k lines lineiter openclose floatsum send search load
    """

  /// The largest `--window` the windowed reader accepts.
  static let maxWindowSize = Int.max / 2

  /// Parses the arguments that follow the program name, as `--name value` or `--name=value`.
  ///
  /// `--window` or `--windows` without `--reader` selects the windowed reader, as in the C
  /// reference. `--residency` is the one option without a value.
  ///
  /// - Throws: ``BenchError`` with a one-line message naming what is wrong, for any argument
  ///   the benchmark can't run with: every value is checked here, so that no bad flag can
  ///   reach a reader's trapping preconditions.
  init(arguments: [String]) throws(BenchError) {
    var positional: [String] = []
    var reader: ReaderKind?
    var ops: Int?
    var seed: UInt64 = 42
    var windowSize: Int?
    var maxWindows: Int?
    var memoryThreshold: Int?
    var reportsResidency = false
    var threads = 1
    var needle = Self.defaultNeedle
    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      guard argument.hasPrefix("--") else {
        positional.append(argument)
        continue
      }
      if argument == "--residency" {
        reportsResidency = true
        continue
      }
      let name: Substring
      let value: String
      if let equals = argument.firstIndex(of: "=") {
        name = argument[..<equals]
        value = String(argument[argument.index(after: equals)...])
      } else {
        name = Substring(argument)
        guard index < arguments.count else { throw BenchError("missing value for \(name)") }
        value = arguments[index]
        index += 1
      }
      switch name {
      case "--ops": ops = try Self.count(value, for: name, allowingZero: true)
      case "--seed":
        guard let parsed = UInt64(value) else {
          throw BenchError("invalid number for --seed: \(value) (expected 1 to \(UInt64.max))")
        }
        guard parsed != 0 else { throw BenchError("--seed must not be 0") }
        seed = parsed
      case "--window":
        let size = try Self.count(value, for: name, allowingZero: false)
        guard size <= Self.maxWindowSize else {
          throw BenchError("--window must be at most \(Self.maxWindowSize) bytes")
        }
        windowSize = size
      case "--windows": maxWindows = try Self.count(value, for: name, allowingZero: false)
      case "--memory-threshold":
        memoryThreshold = try Self.count(value, for: name, allowingZero: true)
      case "--threads": threads = try Self.count(value, for: name, allowingZero: false)
      case "--passes": passes = try Self.count(value, for: name, allowingZero: false)
      case "--range": rangeSize = try Self.count(value, for: name, allowingZero: false)
      case "--to":
        guard let kind = SendDestination(rawValue: value) else {
          throw BenchError("unknown destination \(value) (tcp, pipe, file)")
        }
        destination = kind
      case "--reads-per-lookup":
        readsPerLookup = try Self.count(value, for: name, allowingZero: false)
      case "--needle":
        guard (1...255).contains(value.utf8.count) else {
          throw BenchError("--needle must be 1 to 255 bytes of UTF-8")
        }
        needle = Array(value.utf8)
      case "--reader":
        guard let kind = ReaderKind(rawValue: value) else {
          let names = ReaderKind.allCases.map(\.rawValue).joined(separator: ", ")
          throw BenchError("unknown reader \(value) (\(names))")
        }
        reader = kind
      default: throw BenchError("unknown option \(name)")
      }
    }
    guard positional.count == 2 else {
      throw BenchError(
        positional.count < 2
          ? "expected a workload and a file" : "unexpected argument \(positional[2])")
    }
    guard let workload = Workload(rawValue: positional[0]) else {
      throw BenchError("unknown workload \(positional[0])")
    }
    let windowed = windowSize != nil || maxWindows != nil
    let kind = reader ?? (windowed ? .windowed : .mmap)
    if windowed && kind != .windowed {
      throw BenchError("--window and --windows need the windowed reader")
    }
    if memoryThreshold != nil && kind != .auto && kind != .file {
      throw BenchError("--memory-threshold needs --reader auto or file")
    }
    if rangeSize != nil && workload != .send {
      throw BenchError("--range applies to send only")
    }
    if destination != .tcp && workload != .send {
      throw BenchError("--to applies to send only")
    }
    if readsPerLookup != nil
      && (kind != .reloading || threads > 1 || (workload != .at && workload != .readat8))
    {
      throw BenchError("--reads-per-lookup needs at or readat8, --reader reloading, one thread")
    }
    if workload == .load && kind != .mmap && kind != .pread {
      throw BenchError("load needs --reader mmap (prefault) or pread (read into memory)")
    }
    if workload == .load && passes > 1 {
      throw BenchError("load is one cold start: --passes doesn't apply")
    }
    let takesThreads =
      workload.readSize > 0 || workload == .load || Self.sharedPassWorkloads.contains(workload)
    if threads > 1 && !takesThreads {
      throw BenchError(
        "--threads applies to at, readat8, readat4k, lines, lineiter, search and load only")
    }
    self.workload = workload
    self.path = positional[1]
    self.ops = ops
    self.seed = seed
    self.threads = threads
    self.needle = needle
    self.reader = kind
    self.windowSize = windowSize
    self.maxWindows = maxWindows
    self.memoryThreshold = memoryThreshold
    self.reportsResidency = reportsResidency
  }

  /// Creates options directly, for the suite and tests.
  init(
    workload: Workload, path: String, ops: Int? = nil, seed: UInt64 = 42,
    reader: ReaderKind = .mmap
  ) {
    self.workload = workload
    self.path = path
    self.ops = ops
    self.seed = seed
    self.reader = reader
  }

  private static func count(_ text: String, for name: Substring, allowingZero: Bool)
    throws(BenchError) -> Int
  {
    guard let value = Int(text), value >= 0 else {
      throw BenchError("invalid number for \(name): \(text) (expected 0 to \(Int.max))")
    }
    guard allowingZero || value > 0 else { throw BenchError("\(name) must be positive") }
    return value
  }
}
