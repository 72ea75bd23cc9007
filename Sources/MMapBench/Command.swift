import Foundation
import MMap

/// Runs `mmap-bench` with `arguments` (without the program name) and returns the exit
/// status.
///
/// With a workload and a file, prints the benchmark protocol's one output line on standard
/// output. With no arguments, generates fixtures, runs every workload with every reader, and
/// prints a table (see ``runSuite()``). With `--help`, prints the usage. Every failure is
/// one line on standard error: status 2 for bad arguments, 1 for a failed run, such as a
/// reader's error when the file is truncated under it.
public func benchmarkMain(arguments: [String]) -> Int32 {
  benchmarkMain(arguments: arguments, errorOutput: printError)
}

/// ``benchmarkMain(arguments:)``, writing its one line of error to `errorOutput`.
func benchmarkMain(arguments: [String], errorOutput: (String) -> Void) -> Int32 {
  if arguments.contains("--help") || arguments.contains("-h") {
    print(BenchOptions.usage)
    return 0
  }
  do {
    if arguments.isEmpty {
      try runSuite()
      return 0
    }
    if arguments.first == "--compare" {
      // mmap-c is built next to mmap-bench, by the same package.
      let tools =
        Bundle.main.executableURL?.deletingLastPathComponent().path
        ?? (CommandLine.arguments[0] as NSString).deletingLastPathComponent
      guard let comparison = Comparison(arguments: arguments, tools: tools) else {
        errorOutput("mmap-bench: \(Comparison.usage)")
        return 2
      }
      try comparison.run()
      return 0
    }
    if arguments.first == "--svg" {
      guard let request = ChartRequest(arguments: arguments) else {
        errorOutput("mmap-bench: \(ChartRequest.usage)")
        return 2
      }
      try request.run()
      return 0
    }
  } catch {
    errorOutput("mmap-bench: \(error)")
    return 1
  }
  let options: BenchOptions
  do throws(BenchError) {
    options = try BenchOptions(arguments: arguments)
  } catch {
    errorOutput("mmap-bench: \(error) (mmap-bench --help shows the usage)")
    return 2
  }
  do {
    let scratch = allocateScratch()
    defer { scratch.deallocate() }
    if options.reportsResidency { printError(try residencyLine("before", path: options.path)) }
    print(try runBenchmark(options, scratch: scratch).line)
    if options.reportsResidency { printError(try residencyLine("after", path: options.path)) }
    return 0
  } catch {
    errorOutput("mmap-bench: \(error)")
    return 1
  }
}

/// The reused destination of `seq64k`'s copies: 1 MiB (more than it needs),
/// 64-byte aligned like the C reference's buffer. Allocated before any timed loop.
func allocateScratch() -> UnsafeMutableRawBufferPointer {
  let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
  scratch.initializeMemory(as: UInt8.self, repeating: 0)  // Touch every page once.
  return scratch
}
