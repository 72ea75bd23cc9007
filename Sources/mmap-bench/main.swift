// mmap-bench: the benchmark protocol of ../shared/BENCH_PROTOCOL.md, or with no arguments,
// every workload with every reader on generated files. The code lives in MMapBench.
import MMapBench

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

exit(benchmarkMain(arguments: Array(CommandLine.arguments.dropFirst())))
