import Foundation
import Testing

@testable import MMapBench

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// `mmap-bench --svg`: saved result lines parsed, reduced to medians and ratios, and drawn as
/// an SVG that parses as XML with one bar per reader and workload.
@Suite struct ChartTests {
  static let results = """
    # two rounds of the 1 GiB runs, one of the 4 KiB
    reader=c file="1 GiB" workload=at ops=10 bytes=10 ns_per_op=10.00 mb_per_s=1.0 checksum=0x1
    reader=mmap file="1 GiB" workload=at ops=10 bytes=10 ns_per_op=4.00 mb_per_s=1.0 checksum=0x1
    reader=pread file="1 GiB" workload=at ops=10 bytes=10 ns_per_op=100.00 mb_per_s=1 checksum=0x1
    reader=c file="1 GiB" workload=at ops=10 bytes=10 ns_per_op=12.00 mb_per_s=1.0 checksum=0x1
    reader=mmap file="1 GiB" workload=at ops=10 bytes=10 ns_per_op=6.00 mb_per_s=1.0 checksum=0x1
    reader=pread file="1 GiB" workload=at ops=10 bytes=10 ns_per_op=300.00 mb_per_s=1 checksum=0x1

    workload=lines ops=5 bytes=9 ns_per_op=8.00 mb_per_s=1.0 checksum=0x2 reader=mmap threads=2 file=4KiB
    workload=lines ops=5 bytes=9 ns_per_op=16.00 mb_per_s=1.0 checksum=0x2 reader=pread file=4KiB
    """

  @Test func linesParseWithTheirReaderFileAndThreads() throws {
    let samples = try ChartSample.parse(Self.results)
    #expect(samples.count == 8)
    #expect(
      samples[0] == ChartSample(reader: "c", workload: "at", file: "1 GiB", nanosecondsPerOp: 10))
    #expect(
      samples[6]
        == ChartSample(reader: "mmap ×2", workload: "lines", file: "4KiB", nanosecondsPerOp: 8))
    #expect(throws: BenchError.self) { try ChartSample.parse("workload=at ns_per_op=3") }
    #expect(throws: BenchError.self) { try ChartSample.parse("reader=c workload=at ns_per_op=0") }
  }

  @Test func linesWithExtraSpacesTabsAndCarriageReturnsParse() throws {
    let text =
      "reader=c  workload=at\tns_per_op=2 file=\"1 GiB\"\r\n  reader=mmap workload=at ns_per_op=1\r\n"
    let samples = try ChartSample.parse(text)
    #expect(
      samples == [
        ChartSample(reader: "c", workload: "at", file: "1 GiB", nanosecondsPerOp: 2),
        ChartSample(reader: "mmap", workload: "at", file: "", nanosecondsPerOp: 1),
      ])
  }

  /// An extreme time gives an infinite ratio, and a label a control character: the chart is
  /// still drawn, and still XML.
  @Test func extremeTimesAndControlCharactersStillMakeValidXML() throws {
    let samples = try ChartSample.parse(
      "reader=c workload=at ns_per_op=10\nreader=mmap workload=at ns_per_op=1e-310")
    let svg = Chart.svg(ChartGroup.groups(of: samples), title: "bell \u{07} tab\t")
    let shape = SVGShape()
    let parser = XMLParser(data: Data(svg.utf8))
    parser.delegate = shape
    #expect(parser.parse(), "\(parser.parserError.map(String.init(describing:)) ?? "")")
    #expect(shape.bars == [["at", "c"], ["at", "mmap"]])
  }

  @Test func groupsHoldMediansAndRatiosToTheReferenceAndToPRead() throws {
    let groups = ChartGroup.groups(of: try ChartSample.parse(Self.results))
    #expect(groups.map(\.workload) == ["at", "lines"])
    let at = groups[0]
    #expect(at.bars.map(\.reader) == ["c", "mmap", "pread"])
    // Medians of two samples: c 11, mmap 5, pread 200.
    #expect(at.bars.map(\.nanosecondsPerOp) == [11, 5, 200])
    #expect(at.bars[1].relativeToReference == 11.0 / 5.0)
    #expect(at.bars[1].relativeToPRead == 40)
    #expect(at.bars[0].relativeToReference == 1)
    let lines = groups[1]
    #expect(lines.bars.map(\.relativeToReference) == [nil, nil])
    #expect(lines.bars.map(\.relativeToPRead) == [2, 1])
    #expect(median([3, 1, 2]) == 2)
  }

  @Test func theChartParsesAsXMLWithABarPerReaderAndWorkload() throws {
    let groups = ChartGroup.groups(of: try ChartSample.parse(Self.results))
    let svg = Chart.svg(groups, title: "A & B <test>")
    let shape = SVGShape()
    let parser = XMLParser(data: Data(svg.utf8))
    parser.delegate = shape
    #expect(parser.parse(), "\(parser.parserError.map(String.init(describing:)) ?? "")")
    #expect(shape.root == "svg")
    #expect(
      shape.bars == [
        ["at", "c"], ["at", "mmap"], ["at", "pread"], ["lines", "mmap ×2"], ["lines", "pread"],
      ])
    // The dashed 1× line only where the panel has the C reference.
    #expect(shape.referenceLines == ["at"])
    #expect(shape.texts.contains("2.20× C · 40.0× pread · 5.00 ns/op"))
    #expect(shape.texts.contains("A & B <test>"))
  }

  /// The chart in the documentation catalog, measured on a real machine: valid XML, with a
  /// bar for each reader, the C reference included, in each workload's panel.
  @Test func theCatalogsChartHasABarPerReaderAndWorkload() throws {
    let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    let chart = repository.appendingPathComponent(
      "Sources/MMap/MMap.docc/Resources/benchmark-chart.svg")
    let shape = SVGShape()
    let parser = try #require(XMLParser(contentsOf: chart))
    parser.delegate = shape
    #expect(parser.parse(), "\(parser.parserError.map(String.init(describing:)) ?? "")")
    #expect(shape.root == "svg")
    let readers: Set = ["c", "mmap", "windowed", "pread"]
    for workload in ["at", "readat8", "readat4k", "seq64k", "lines"] {
      let drawn = Set(shape.bars.filter { $0[0] == workload }.map { $0[1] })
      #expect(drawn == readers, "\(workload)")
    }
    // Every panel has the C reference, so every panel draws its 1× line.
    #expect(shape.referenceLines.count == shape.panels.count)
  }

  @Test func theCommandWritesTheChartOfSavedLines() throws {
    let directory = FileManager.default.temporaryDirectory.path
    let input = directory + "/chart-input-\(getpid()).txt"
    let output = directory + "/chart-\(getpid()).svg"
    defer {
      unlink(input)
      unlink(output)
    }
    try Data(Self.results.utf8).write(to: URL(fileURLWithPath: input))
    var errors: [String] = []
    #expect(
      benchmarkMain(arguments: ["--svg", output, "--from", input]) { errors.append($0) } == 0)
    #expect(errors.isEmpty)
    let svg = try String(contentsOfFile: output, encoding: .utf8)
    #expect(svg.hasPrefix("<?xml"))
    #expect(svg.contains("data-reader=\"mmap ×2\""))
    #expect(benchmarkMain(arguments: ["--svg"]) { errors.append($0) } == 2)
    #expect(
      benchmarkMain(arguments: ["--svg", output, "--from", directory + "/none"]) { _ in } == 1)
  }
}

/// What a parsed SVG holds: its root, each bar's panel and reader, the panels with a
/// reference line, and every text.
private final class SVGShape: NSObject, XMLParserDelegate {
  var root: String?
  var bars: [[String]] = []
  var referenceLines: [String] = []
  var panels: [String] = []
  var texts: [String] = []
  private var panel = ""
  private var text: String?

  func parser(
    _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
    qualifiedName: String?, attributes: [String: String] = [:]
  ) {
    if root == nil { root = name }
    if name == "g", attributes["class"] == "panel" {
      panel = attributes["data-workload"] ?? ""
      panels.append(panel)
    }
    if name == "rect", attributes["class"] == "bar" {
      bars.append([panel, attributes["data-reader"] ?? ""])
    }
    if name == "line", attributes["class"] == "reference" { referenceLines.append(panel) }
    if name == "text" || name == "title" { text = "" }
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) { text? += string }

  func parser(
    _ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?
  ) {
    if name == "text" || name == "title", let text { texts.append(text) }
    text = nil
  }
}
