/// One measured result for the chart: a reader's time on a workload and file.
struct ChartSample: Equatable, Sendable {
  /// The reader's label: `mmap`, `windowed`, `pread`, `c` for the C reference, with ` ×N` for
  /// N threads.
  var reader: String
  var workload: String
  /// The input's label, such as `1 GiB`; empty when the lines don't say.
  var file: String
  var nanosecondsPerOp: Double
}

/// The reader label that marks the C reference's lines.
let chartReferenceReader = "c"

extension ChartSample {
  /// Parses saved result lines: the protocol's `key=value` line, with a `reader=NAME` pair
  /// (and optionally `file=LABEL`, `threads=N`) added anywhere. A value with spaces is
  /// quoted, as `file="1 GiB"`. Blank lines and lines starting with `#` are skipped; a line
  /// may end with `\r\n`.
  ///
  /// - Throws: ``BenchError`` naming the line that lacks `reader`, `workload` or a positive
  ///   `ns_per_op`.
  static func parse(_ text: String) throws(BenchError) -> [ChartSample] {
    var samples: [ChartSample] = []
    // By isNewline: a "\r\n" is one Character, which is not "\n".
    for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
      .enumerated()
    {
      let trimmed = line.drop { $0 == " " || $0 == "\t" }
      guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
      let pairs = keyValuePairs(String(trimmed))
      guard let reader = pairs["reader"], let workload = pairs["workload"],
        let time = pairs["ns_per_op"].flatMap(Double.init), time > 0, time.isFinite
      else {
        throw BenchError(
          "line \(index + 1) of the results needs reader=, workload= and a positive"
            + " ns_per_op=: \(line)")
      }
      let threads = pairs["threads"].flatMap(Int.init) ?? 1
      samples.append(
        ChartSample(
          reader: threads > 1 ? "\(reader) ×\(threads)" : reader, workload: workload,
          file: pairs["file"] ?? "", nanosecondsPerOp: time))
    }
    return samples
  }

  /// The `key=value` pairs of `line`; a value in double quotes may hold spaces.
  private static func keyValuePairs(_ line: String) -> [String: String] {
    var pairs: [String: String] = [:]
    var rest = Substring(line)
    while let equals = rest.firstIndex(of: "=") {
      let key = rest[..<equals].drop { $0 == " " || $0 == "\t" }
      var value = rest[rest.index(after: equals)...]
      if value.hasPrefix("\"") {
        value = value.dropFirst()
        let end = value.firstIndex(of: "\"") ?? value.endIndex
        pairs[String(key)] = String(value[..<end])
        rest = end < value.endIndex ? value[value.index(after: end)...] : ""
      } else {
        let end = value.firstIndex { $0 == " " || $0 == "\t" } ?? value.endIndex
        pairs[String(key)] = String(value[..<end])
        rest = value[end...]
      }
    }
    return pairs
  }
}

/// The chart's content: for each workload and file, in the order first seen, each reader's
/// median time and its speed relative to the C reference and to `pread`.
struct ChartGroup: Equatable, Sendable {
  struct Bar: Equatable, Sendable {
    var reader: String
    /// The median of the reader's samples.
    var nanosecondsPerOp: Double
    /// How many times faster than the C reference (`c`), or `nil` if the group has none.
    var relativeToReference: Double?
    /// How many times faster than `pread`, or `nil` if the group has none.
    var relativeToPRead: Double?
  }

  var workload: String
  var file: String
  var bars: [Bar]

  /// Groups `samples` by workload and file, each reader's samples reduced to their median.
  static func groups(of samples: [ChartSample]) -> [ChartGroup] {
    var order: [String] = []
    var byKey:
      [String: (workload: String, file: String, readers: [String], times: [String: [Double]])] =
        [:]
    for sample in samples {
      let key = sample.workload + "\u{0}" + sample.file
      if byKey[key] == nil {
        order.append(key)
        byKey[key] = (sample.workload, sample.file, [], [:])
      }
      if byKey[key]!.times[sample.reader] == nil { byKey[key]!.readers.append(sample.reader) }
      byKey[key]!.times[sample.reader, default: []].append(sample.nanosecondsPerOp)
    }
    return order.map { key in
      let group = byKey[key]!
      let medians = group.times.mapValues(median)
      let reference = medians[chartReferenceReader]
      let pread = medians["pread"]
      return ChartGroup(
        workload: group.workload, file: group.file,
        bars: group.readers.map { reader in
          let time = medians[reader]!
          return Bar(
            reader: reader, nanosecondsPerOp: time,
            relativeToReference: reference.map { $0 / time },
            relativeToPRead: pread.map { $0 / time })
        })
    }
  }
}

/// The median of `values`, which is not empty: the mean of the middle two for an even count.
func median(_ values: [Double]) -> Double {
  let sorted = values.sorted()
  let middle = sorted.count / 2
  return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
