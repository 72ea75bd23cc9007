import Foundation
import Testing

@testable import MMapBench

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `--reads-per-lookup`: the same reads grouped into lookups give the protocol's checksum,
/// whatever the group size (one that doesn't divide the count included), and other readers,
/// workloads and thread counts refuse it.
@Suite struct GroupedLookupTests {
  @Test(arguments: ["at", "readat8"])
  func groupedLookupsReadWhatSingleLookupsRead(workload: String) throws {
    let path = FileManager.default.temporaryDirectory.path + "/grouped-\(getpid())-\(workload)"
    try generateFixture(path: path, count: 65536, seed: 5)
    defer { unlink(path) }
    let scratch = allocateScratch()
    defer { scratch.deallocate() }
    let plain = try runBenchmark(
      BenchOptions(arguments: [workload, path, "--reader", "mmap", "--ops", "10007"]),
      scratch: scratch)
    for group in ["1", "3", "16", "20000"] {
      let grouped = try runBenchmark(
        BenchOptions(arguments: [
          workload, path, "--reader", "reloading", "--ops", "10007", "--reads-per-lookup", group,
        ]), scratch: scratch)
      #expect(grouped.checksum == plain.checksum, "\(group)")
      #expect(grouped.ops == plain.ops)
      #expect(grouped.bytes == plain.bytes)
    }
  }

  @Test func otherReadersWorkloadsAndThreadCountsRefuseIt() {
    for arguments in [
      ["at", "/f", "--reads-per-lookup", "4"],
      ["readat4k", "/f", "--reader", "reloading", "--reads-per-lookup", "4"],
      ["at", "/f", "--reader", "reloading", "--threads", "2", "--reads-per-lookup", "4"],
      ["at", "/f", "--reader", "reloading", "--reads-per-lookup", "0"],
    ] {
      #expect(throws: BenchError.self, "\(arguments)") {
        try BenchOptions(arguments: arguments)
      }
    }
  }
}
