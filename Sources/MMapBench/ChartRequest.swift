import Foundation

/// `mmap-bench --svg PATH [--from RESULTS]`: the chart of the no-argument suite's results, or
/// of saved result lines (see ``ChartSample/parse(_:)``; `-` reads them from standard input).
struct ChartRequest {
  static let usage = "usage: mmap-bench --svg PATH [--from RESULTS|-]"

  var output: String
  var results: String?

  init?(arguments: [String]) {
    guard arguments.count == 2 || arguments.count == 4, arguments[0] == "--svg" else {
      return nil
    }
    output = arguments[1]
    if arguments.count == 4 {
      guard arguments[2] == "--from" else { return nil }
      results = arguments[3]
    }
  }

  /// Reads or measures the results, and writes the chart.
  ///
  /// - Throws: ``BenchError`` if the results can't be read or parsed, or the chart can't be
  ///   written; what the suite throws.
  func run() throws {
    let samples: [ChartSample]
    let title: String
    if let results {
      let data =
        results == "-"
        ? FileHandle.standardInput.readDataToEndOfFile()
        : try Data(contentsOf: URL(fileURLWithPath: results))
      samples = try ChartSample.parse(String(decoding: data, as: UTF8.self))
      title = "swift-mmap against the C reference"
    } else {
      samples = try runSuite()
      title = "swift-mmap: the no-argument suite"
    }
    guard !samples.isEmpty else { throw BenchError("no results to chart") }
    let svg = Chart.svg(ChartGroup.groups(of: samples), title: title)
    do {
      try Data(svg.utf8).write(to: URL(fileURLWithPath: output))
    } catch {
      throw BenchError("cannot write the chart to \(output): \(error.localizedDescription)")
    }
    printError("mmap-bench: wrote \(output)")
  }
}
