import Foundation
import MMap
import MMapBench
import Testing

/// Ranges from untrusted integers: every value either gives exactly `offset..<offset + count`
/// or throws EINVAL, never traps, checked against arithmetic in a type wide enough for all.
@Suite struct CheckedRangeTests {
  /// What the range should be, computed in Int128, where no input overflows.
  func expected(_ offset: some BinaryInteger, _ count: some BinaryInteger) -> Range<Int>? {
    let lower = Int128(offset)
    let upper = lower + Int128(count)
    guard lower >= 0, count >= 0, upper <= Int128(Int.max) else { return nil }
    return Int(lower)..<Int(upper)
  }

  func check(_ offset: some BinaryInteger, _ count: some BinaryInteger) {
    let want = expected(offset, count)
    do {
      let range = try Range(offset: offset, count: count)
      #expect(range == want, "offset \(offset), count \(count)")
    } catch {
      #expect(want == nil, "offset \(offset), count \(count): \(error)")
      #expect(error.errno == EINVAL && error.operation == .read && error.path == nil)
    }
  }

  @Test func edgeValuesOfEveryWidthGiveTheRangeOrEINVAL() {
    let unsigned: [UInt64] = [0, 1, 4096, UInt64(Int.max) - 1, UInt64(Int.max), .max - 1, .max]
    let signed: [Int64] = [.min, -1, 0, 1, .max - 1, .max]
    for offset in unsigned {
      for count in unsigned { check(offset, count) }
      for count in signed { check(offset, count) }
      check(offset, UInt32.max)
      check(offset, UInt8(7))
    }
    for offset in signed {
      for count in signed { check(offset, count) }
      check(offset, Int32.min)
      check(offset, UInt16.max)
    }
  }

  @Test func randomValuesGiveTheRangeOrEINVAL() {
    var random = SeededGenerator(seed: 71)
    for _ in 0..<20_000 {
      // Magnitudes spread over every width, so that both outcomes are common.
      let offset =
        UInt64.random(in: 0...UInt64.max, using: &random)
        >> UInt64.random(in: 0..<64, using: &random)
      let count =
        Int64.random(in: Int64.min...Int64.max, using: &random)
        >> Int64.random(in: 0..<64, using: &random)
      check(offset, count)
      check(Int64(truncatingIfNeeded: offset), UInt32(truncatingIfNeeded: count))
    }
  }

  @Test func aRangeFromFileFieldsReadsThoseBytes() throws {
    let contents = generatedBytes(count: 256, seed: 73)
    try withTemporaryFile(contents: contents) { path in
      let reader = try MMapReader(path: path)
      defer { try? reader.close() }
      let range = try Range(offset: UInt64(40), count: UInt32(100))
      #expect(try reader.bytes(in: range) == Array(contents[40..<140]))
      #expect(throws: MMapError.self) {
        try reader.bytes(in: Range(offset: UInt64.max, count: UInt32(1)))
      }
    }
  }
}
