import Foundation

/// Draws result groups as a self-contained SVG bar chart: one panel per workload and file,
/// one bar per reader, its length the reader's speed relative to the C reference (a dashed
/// line marks the reference, at 1×), or to `pread` where the panel has no C result. Each bar
/// is labelled with both ratios and the median time. Plain SVG 1.1, no script, no external
/// font or style, so it shows the same in a browser and in a DocC archive.
enum Chart {
  static let width = 820
  static let labelWidth = 150
  static let barWidth = 380
  static let barHeight = 16
  static let barGap = 6
  static let panelGap = 18
  static let titleHeight = 44

  static func svg(_ groups: [ChartGroup], title: String) -> String {
    var body: [String] = []
    var y = titleHeight
    for group in groups {
      body.append(panel(group, top: y))
      y += panelHeight(group) + panelGap
    }
    let height = y + 4
    return """
      <?xml version="1.0" encoding="UTF-8"?>
      <svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="\(width)" height="\(height)" \
      viewBox="0 0 \(width) \(height)" font-family="Helvetica, Arial, sans-serif" font-size="12">
      <rect width="\(width)" height="\(height)" fill="#ffffff"/>
      <text x="12" y="22" font-size="15" font-weight="bold">\(escaped(title))</text>
      <text x="12" y="38" fill="#555555">Speed relative to the C reference (dashed line, 1×), \
      or to pread where a panel has no C result; longer is faster. Medians.</text>
      \(body.joined(separator: "\n"))
      </svg>

      """
  }

  static func panelHeight(_ group: ChartGroup) -> Int {
    20 + group.bars.count * (barHeight + barGap)
  }

  /// What a panel's bars measure: the C reference if the panel has it, else `pread`.
  static func measure(of group: ChartGroup) -> (values: [Double], unit: String)? {
    if group.bars.allSatisfy({ $0.relativeToReference != nil }) {
      return (group.bars.map { $0.relativeToReference! }, "C")
    }
    if group.bars.allSatisfy({ $0.relativeToPRead != nil }) {
      return (group.bars.map { $0.relativeToPRead! }, "pread")
    }
    return nil
  }

  static func panel(_ group: ChartGroup, top: Int) -> String {
    let heading = group.file.isEmpty ? group.workload : "\(group.workload) · \(group.file)"
    var parts = [
      "<g class=\"panel\" data-workload=\"\(escaped(group.workload))\""
        + " data-file=\"\(escaped(group.file))\">",
      "<text x=\"12\" y=\"\(top + 13)\" font-weight=\"bold\">\(escaped(heading))</text>",
    ]
    // A panel with neither baseline draws its bars at equal length, labelled with times only.
    let (measured, unit) = measure(of: group) ?? (group.bars.map { _ in 1.0 }, "")
    // A ratio of extreme times can overflow to infinity: drawn as the longest bar.
    let largestFinite = measured.filter(\.isFinite).max() ?? 1
    let values = measured.map { $0.isFinite ? $0 : largestFinite }
    let scale = max(largestFinite, unit == "C" ? 1 : 0, .leastNormalMagnitude) * 1.12
    if unit == "C" {
      // First, so that the bars and their labels are drawn over it.
      let x = labelWidth + Int((1 / scale * Double(barWidth)).rounded())
      let bottom = top + panelHeight(group) - barGap
      parts.append(
        "<line class=\"reference\" x1=\"\(x)\" y1=\"\(top + 17)\" x2=\"\(x)\" y2=\"\(bottom)\""
          + " stroke=\"#999999\" stroke-dasharray=\"4 3\"/>")
    }
    for (index, bar) in group.bars.enumerated() {
      let y = top + 20 + index * (barHeight + barGap)
      let length = max(1, Int((values[index] / scale * Double(barWidth)).rounded()))
      parts.append(
        "<text x=\"\(labelWidth - 8)\" y=\"\(y + 12)\" text-anchor=\"end\">"
          + "\(escaped(bar.reader))</text>")
      parts.append(
        "<rect class=\"bar\" data-reader=\"\(escaped(bar.reader))\" x=\"\(labelWidth)\""
          + " y=\"\(y)\" width=\"\(length)\" height=\"\(barHeight)\""
          + " fill=\"\(color(of: bar.reader))\"><title>\(escaped(barText(bar)))</title></rect>")
      parts.append(
        "<text x=\"\(labelWidth + length + 6)\" y=\"\(y + 12)\" fill=\"#333333\">"
          + "\(escaped(barText(bar)))</text>")
    }
    parts.append("</g>")
    return parts.joined(separator: "\n")
  }

  /// A bar's label: its ratios to the baselines the panel has, and its median time.
  static func barText(_ bar: ChartGroup.Bar) -> String {
    var pieces: [String] = []
    if let ratio = bar.relativeToReference { pieces.append("\(ratioText(ratio)) C") }
    if let ratio = bar.relativeToPRead { pieces.append("\(ratioText(ratio)) pread") }
    pieces.append(timeText(bar.nanosecondsPerOp))
    return pieces.joined(separator: " · ")
  }

  static func ratioText(_ ratio: Double) -> String {
    String(format: ratio < 10 ? "%.2f×" : "%.1f×", ratio)
  }

  static func timeText(_ nanoseconds: Double) -> String {
    if nanoseconds >= 1e6 { return String(format: "%.2f ms/op", nanoseconds / 1e6) }
    if nanoseconds >= 1e3 { return String(format: "%.2f µs/op", nanoseconds / 1e3) }
    return String(format: "%.2f ns/op", nanoseconds)
  }

  static func color(of reader: String) -> String {
    let name = reader.split(separator: " ").first.map(String.init) ?? reader
    switch name {
    case chartReferenceReader: return "#8c8c8c"
    case "mmap": return "#2f6db5"
    case "windowed": return "#3a9e8f"
    case "pread": return "#d98c2b"
    default: return "#8a63b8"
    }
  }

  /// `text` with the characters XML reserves replaced by entities.
  static func escaped(_ text: String) -> String {
    var result = ""
    for character in text {
      switch character {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      case "\"": result += "&quot;"
      // XML 1.0 allows no other control characters, even as references.
      case _ where character.asciiValue.map({ $0 < 0x20 && $0 != 0x09 }) ?? false:
        result += " "
      default: result.append(character)
      }
    }
    return result
  }
}
