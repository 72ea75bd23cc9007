import Foundation
import Testing

@testable import MMapBench

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// `mmap-bench --compare`: C and every reader as processes of their own, their checksums
/// checked against C's, and the medians as a table and a chart.
@Suite struct ComparisonTests {
  /// The directory of the build's products, where `mmap-c` and `mmap-bench` are built.
  static func productsDirectory() -> String {
    var path = CommandLine.arguments[0]
    while !path.isEmpty, !path.hasSuffix(".xctest"), path != "/" {
      path = (path as NSString).deletingLastPathComponent
    }
    return (path.isEmpty || path == "/")
      ? (CommandLine.arguments[0] as NSString).deletingLastPathComponent
      : (path as NSString).deletingLastPathComponent
  }

  @Test func everyReaderRunsAgainstCWithEqualChecksums() throws {
    let directory = FileManager.default.temporaryDirectory.path + "/compare-\(getpid())"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let fixture = directory + "/fixture.txt"
    try generateFixture(path: fixture, count: 64 << 10, seed: 5)
    let chart = directory + "/chart.svg"
    let comparison = try #require(
      Comparison(
        arguments: [
          "--compare", fixture, "--rounds", "2", "--ops", "200", "--workloads", "readat8,lines",
          "--label", "64 KiB", "--svg", chart,
        ], tools: Self.productsDirectory()))
    let samples = try comparison.run()
    // Two rounds of two workloads on four readers, C first in each.
    #expect(samples.count == 16)
    #expect(samples.prefix(4).map(\.reader) == ["c", "mmap", "windowed", "pread"])
    #expect(Set(samples.map(\.workload)) == ["readat8", "lines"])
    #expect(samples.allSatisfy { $0.file == "64 KiB" && $0.nanosecondsPerOp > 0 })
    let parser = try #require(XMLParser(contentsOf: URL(fileURLWithPath: chart)))
    #expect(parser.parse())
    let svg = try String(contentsOfFile: chart, encoding: .utf8)
    #expect(svg.components(separatedBy: "class=\"bar\"").count - 1 == 8)
  }

  @Test func badArgumentsAndMissingToolsAreRefused() throws {
    #expect(Comparison(arguments: ["--compare"], tools: "/") == nil)
    #expect(Comparison(arguments: ["--compare", "f", "--rounds", "0"], tools: "/") == nil)
    #expect(Comparison(arguments: ["--compare", "f", "--workloads", "send"], tools: "/") == nil)
    #expect(Comparison(arguments: ["--compare", "f", "--nope", "1"], tools: "/") == nil)
    let missing = try #require(Comparison(arguments: ["--compare", "f"], tools: "/nonexistent"))
    #expect(throws: BenchError.self) { try missing.run() }
  }
}
