import Foundation
import Testing

@testable import MMapBench

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `load`: a prefault of the mapping or a read into memory, on one thread or several, holds
/// the file's bytes: its checksum is the line feeds `lines` counts. Other readers refuse it.
@Suite struct LoadWorkloadTests {
  @Test(arguments: [ReaderKind.mmap, .pread])
  func loadingOnAnyThreadCountHoldsTheFile(reader: ReaderKind) throws {
    let path = FileManager.default.temporaryDirectory.path + "/load-\(getpid())-\(reader)"
    // Larger than two parts of the default 4 MiB per thread, so that threads share it.
    try generateFixture(path: path, count: 9 << 20, seed: 21)
    defer { unlink(path) }
    let scratch = allocateScratch()
    defer { scratch.deallocate() }
    let lines = try runBenchmark(BenchOptions(arguments: ["lines", path]), scratch: scratch)
    for threads in ["1", "3"] {
      let loaded = try runBenchmark(
        BenchOptions(arguments: ["load", path, "--reader", reader.rawValue, "--threads", threads]),
        scratch: scratch)
      #expect(loaded.checksum == lines.checksum, "\(threads)")
      #expect(loaded.bytes == 9 << 20)
    }
    #expect(throws: BenchError.self) {
      try BenchOptions(arguments: ["load", path, "--reader", "windowed"])
    }
    #expect(throws: BenchError.self) {
      try BenchOptions(arguments: ["load", path, "--passes", "2"])
    }
  }
}
