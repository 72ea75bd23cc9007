import Testing

@testable import MMap

/// The fast-path bounds test every `read(from:into:)` shares, against the rule written the
/// plain way (in wider arithmetic, so that it can't overflow), at the edges where a shortcut
/// in unsigned arithmetic would go wrong.
@Suite struct BoundsRuleTests {
  /// Values at and around the edges: zero, small counts, page sizes, and the extremes of `Int`.
  static let edges: [Int] = [
    .min, .min + 1, -4097, -4096, -9, -8, -7, -1, 0, 1, 2, 7, 8, 9, 4095, 4096, 4097,
    .max / 2, .max - 8, .max - 1, .max,
  ]

  /// Whether `byteCount` bytes at `offset` lie inside `0..<count` and fill a non-empty
  /// buffer, computed without overflow.
  static func expectedFillsWhole(byteCount: Int, offset: Int, count: Int) -> Bool {
    guard byteCount > 0, offset >= 0, count >= 0 else { return false }
    let end = Int128(offset) + Int128(byteCount)
    return end <= Int128(count)
  }

  @Test func fillsWholeMatchesThePlainRuleAtEveryEdge() {
    for byteCount in Self.edges {
      for offset in Self.edges {
        for count in Self.edges where count >= 0 {
          let expected = Self.expectedFillsWhole(
            byteCount: byteCount, offset: offset, count: count)
          #expect(
            fillsWhole(byteCount: byteCount, at: offset, count: count) == expected,
            "byteCount \(byteCount), offset \(offset), count \(count)")
        }
      }
    }
  }
}
