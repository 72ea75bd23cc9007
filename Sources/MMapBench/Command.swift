import MMap

/// Runs `mmap-bench` with `arguments` (without the program name) and returns the exit
/// status.
///
/// With a workload and a file, prints the benchmark protocol's one output line on standard
/// output. With no arguments, generates fixtures, runs every workload with every reader, and
/// prints a table (see ``runSuite()``). Errors go to standard error: status 2 for a usage
/// error, 1 for any other failure.
public func benchmarkMain(arguments: [String]) -> Int32 {
  do {
    if arguments.isEmpty {
      try runSuite()
      return 0
    }
    let options = try BenchOptions(arguments: arguments)
    let scratch = allocateScratch()
    defer { scratch.deallocate() }
    if options.reportsResidency { printError(try residencyLine("before", path: options.path)) }
    print(try runBenchmark(options, scratch: scratch).line)
    if options.reportsResidency { printError(try residencyLine("after", path: options.path)) }
    return 0
  } catch let error as BenchError where error.isUsage {
    if !error.description.isEmpty { printError("mmap-bench: \(error)") }
    printError(BenchOptions.usage)
    return 2
  } catch {
    printError("mmap-bench: \(error)")
    return 1
  }
}

/// The reused destination of every copy: 1 MiB (more than `seq64k` needs),
/// 64-byte aligned like the C reference's buffer. Allocated before any timed loop.
func allocateScratch() -> UnsafeMutableRawBufferPointer {
  let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
  scratch.initializeMemory(as: UInt8.self, repeating: 0)  // Touch every page once.
  return scratch
}
