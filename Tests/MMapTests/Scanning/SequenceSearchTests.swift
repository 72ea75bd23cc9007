import Testing

@testable import MMap

/// `firstOffset(of:in:)` for byte sequences on every reader against a search at every
/// position, with needles at the start and end of ranges, across chunk edges (one-page
/// windows, 256 KiB `pread` copies), longer than a chunk, and absent.
@Suite struct SequenceSearchTests {
  @Test(arguments: ReaderKind.allCases, [0, 1, 2, 1000, 3 * pageSize + 5, 600_000])
  func sequencesMatchASearchAtEveryPosition(kind: ReaderKind, size: Int) throws {
    // Three letters: short needles recur often, long ones rarely.
    let contents = bytes(count: size, from: [0x61, 0x62, 0x63], seed: UInt64(size) + 3)
    try withTemporaryFile(contents: contents) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      var random = SeededGenerator(seed: 8)
      for _ in 0..<(size > 100_000 ? 4 : 25) {
        let lower = Int.random(in: 0...size, using: &random)
        let range = lower..<Int.random(in: lower...size, using: &random)
        var needles: [[UInt8]] = [[], [0x64], [0x61, 0x64], [0x62, 0x63]]
        for length in [1, 2, 7, 12, pageSize + 3] where length <= range.count {
          needles.append(Array(contents[range.prefix(length)]))  // at the very start
          needles.append(Array(contents[range.suffix(length)]))  // at the very end
          let start = Int.random(in: range.lowerBound...(range.upperBound - length), using: &random)
          needles.append(Array(contents[start..<(start + length)]))
        }
        for needle in needles {
          let expected =
            needle.isEmpty
            ? range.lowerBound : naiveFirstOffset(of: needle, in: contents, range: range)
          #expect(
            try reader.firstOffset(of: needle, in: range) == expected,
            "range \(range), needle of \(needle.count)")
        }
      }
    }
  }

  @Test(arguments: ReaderKind.allCases)
  func matchesStraddlingEveryKindOfChunkEdgeAreFound(kind: ReaderKind) throws {
    let size = PReadReader.chunkCapacity + 4 * pageSize
    var contents = [UInt8](repeating: 0x61, count: size)
    let needle = Array("needle-XYZ".utf8)
    // Across a page edge (a window edge), across the first pread chunk's edge, and one page
    // long needle across three windows, each at every split point for the short one.
    for split in 1..<needle.count {
      var copy = contents
      let start = 2 * pageSize - split
      copy.replaceSubrange(start..<(start + needle.count), with: needle)
      try withTemporaryFile(contents: copy) { path in
        let reader = try kind.open(path)
        defer { try? reader.close() }
        #expect(try reader.firstOffset(of: needle) == start, "split \(split)")
        #expect(try reader.firstOffset(of: needle, in: (start + 1)..<size) == nil)
        #expect(try reader.firstOffset(of: needle, in: 0..<(start + needle.count - 1)) == nil)
      }
    }
    let edge = PReadReader.chunkCapacity - 4
    contents.replaceSubrange(edge..<(edge + needle.count), with: needle)
    let long = (0..<(pageSize + 10)).map { UInt8(0x41 + $0 % 26) }
    let longStart = PReadReader.chunkCapacity + pageSize - 5
    contents.replaceSubrange(longStart..<(longStart + long.count), with: long)
    try withTemporaryFile(contents: contents) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      #expect(try reader.firstOffset(of: needle) == edge)
      #expect(try reader.firstOffset(of: long) == longStart)
      #expect(try reader.firstOffset(of: long, in: (longStart + 1)..<size) == nil)
      // A needle that only partly matches before the end of the range is not found.
      #expect(try reader.firstOffset(of: long, in: 0..<(longStart + long.count - 1)) == nil)
    }
  }

  /// A needle in a collection without contiguous storage is copied element by element, and
  /// searches as the same bytes in an array do, forward and backward.
  @Test(arguments: ReaderKind.allCases)
  func needlesWithoutContiguousStorageSearchAsArraysDo(kind: ReaderKind) throws {
    let contents = bytes(count: 3 * pageSize + 7, from: [0x61, 0x62, 0x63], seed: 41)
    try withTemporaryFile(contents: contents) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      for start in [0, pageSize - 2, 2 * pageSize + 100] {
        let array = Array(contents[start..<(start + 9)])
        let lazy = array.lazy.map { $0 }  // Has no contiguous storage.
        #expect(lazy.withContiguousStorageIfAvailable { _ in true } == nil)
        #expect(try reader.firstOffset(of: lazy) == reader.firstOffset(of: array))
        #expect(try reader.lastOffset(of: lazy) == reader.lastOffset(of: array))
        #expect(
          try reader.firstOffset(of: lazy)
            == naiveFirstOffset(of: array, in: contents, range: 0..<contents.count))
      }
    }
  }
}
