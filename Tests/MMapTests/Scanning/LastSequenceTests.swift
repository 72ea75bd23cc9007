import Foundation
import Testing

@testable import MMap

/// `lastOffset(of:in:)` for byte sequences on every reader against a backward search at
/// every position: random ranges and needles, matches straddling window, `pread` chunk and
/// backward-piece edges, and absent needles.
@Suite struct LastSequenceTests {
  /// The offset of the last occurrence of `needle` wholly inside `bytes[range]`.
  func naiveLastOffset(of needle: [UInt8], in bytes: [UInt8], range: Range<Int>) -> Int? {
    guard needle.count <= range.count else { return nil }
    for start in stride(from: range.upperBound - needle.count, through: range.lowerBound, by: -1)
    where bytes[start..<(start + needle.count)].elementsEqual(needle) {
      return start
    }
    return nil
  }

  @Test(arguments: ReaderKind.allCases, [0, 1, 2, 1000, 3 * pageSize + 5, 600_000])
  func sequencesMatchABackwardSearchAtEveryPosition(kind: ReaderKind, size: Int) throws {
    let contents = bytes(count: size, from: [0x61, 0x62, 0x63], seed: UInt64(size) + 5)
    try withTemporaryFile(contents: contents) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      var random = SeededGenerator(seed: 11)
      for _ in 0..<(size > 100_000 ? 4 : 25) {
        let lower = Int.random(in: 0...size, using: &random)
        let range = lower..<Int.random(in: lower...size, using: &random)
        var needles: [[UInt8]] = [[], [0x64], [0x61, 0x64], [0x62, 0x63], [0x61, 0x61, 0x61]]
        for length in [1, 2, 7, 12, pageSize + 3] where length <= range.count {
          needles.append(Array(contents[range.prefix(length)]))
          needles.append(Array(contents[range.suffix(length)]))
          let start = Int.random(in: range.lowerBound...(range.upperBound - length), using: &random)
          needles.append(Array(contents[start..<(start + length)]))
        }
        for needle in needles {
          let expected =
            needle.isEmpty
            ? range.upperBound : naiveLastOffset(of: needle, in: contents, range: range)
          #expect(
            try reader.lastOffset(of: needle, in: range) == expected,
            "range \(range), needle of \(needle.count)")
        }
      }
    }
  }

  @Test(arguments: ReaderKind.allCases)
  func matchesStraddlingEveryKindOfEdgeAreFound(kind: ReaderKind) throws {
    // Past the first backward piece (64 KiB from the end), and past a pread chunk.
    let size = PReadReader.chunkCapacity + 4 * pageSize
    let needle = Array("needle-XYZ".utf8)
    let edges = [2 * pageSize, size - (64 << 10), PReadReader.chunkCapacity]
    for edge in edges {
      for split in 1..<needle.count {
        var contents = [UInt8](repeating: 0x61, count: size)
        let start = edge - split
        contents.replaceSubrange(start..<(start + needle.count), with: needle)
        contents.replaceSubrange(10..<(10 + needle.count), with: needle)  // an earlier one
        try withTemporaryFile(contents: contents) { path in
          let reader = try kind.open(path)
          defer { try? reader.close() }
          #expect(try reader.lastOffset(of: needle) == start, "edge \(edge), split \(split)")
          #expect(try reader.lastOffset(of: needle, in: 0..<(start + needle.count - 1)) == 10)
          #expect(try reader.lastOffset(of: needle, in: 11..<size) == start)
        }
      }
    }
  }

  @Test(arguments: ReaderKind.allCases)
  func badRangesAndClosedReadersThrow(kind: ReaderKind) throws {
    try withTemporaryFile(contents: [UInt8](repeating: 0x61, count: 100)) { path in
      let reader = try kind.open(path)
      let outside = #expect(throws: MMapError.self) {
        try reader.lastOffset(of: [0x61, 0x61], in: 50..<101)
      }
      #expect(outside?.errno == EINVAL)
      #expect(try reader.lastOffset(of: [0x61, 0x61]) == 98)
      try reader.close()
      let closed = #expect(throws: MMapError.self) { try reader.lastOffset(of: [0x61, 0x61]) }
      #expect(closed?.errno == EBADF)
    }
  }
}
