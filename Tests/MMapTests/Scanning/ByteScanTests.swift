import Testing

@testable import MMap

/// `count(of:in:)`, `firstOffset(of:in:)` and `lastOffset(of:in:)` on every reader against a
/// census of the bytes, for every byte value, over the whole reader and random ranges. The
/// windowed reader has one-page windows and PReadReader copies 256 KiB chunks, so most ranges
/// cross chunk edges.
@Suite struct ByteScanTests {
  /// Empty, tiny, around a page, and past two `pread` chunks.
  static let sizes = [0, 1, 100, pageSize - 1, pageSize + 1, 3 * pageSize + 17, 600_000]

  @Test(arguments: ReaderKind.allCases, sizes)
  func countFirstAndLastMatchACensusForEveryByteValue(kind: ReaderKind, size: Int) throws {
    // Bytes 0 to 199 only, so that 56 values never occur.
    let contents = bytes(count: size, from: Array(0..<200), seed: UInt64(size) + 1)
    try withTemporaryFile(contents: contents) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      var random = SeededGenerator(seed: 4)
      var ranges = [0..<size]
      for _ in 0..<(size > 100_000 ? 3 : 12) {
        let lower = Int.random(in: 0...size, using: &random)
        ranges.append(lower..<Int.random(in: lower...size, using: &random))
      }
      for range in ranges {
        let census = ByteCensus(contents, in: range)
        for value in 0...255 {
          let byte = UInt8(value)
          #expect(try reader.count(of: byte, in: range) == census.counts[value], "\(range)")
          #expect(try reader.firstOffset(of: byte, in: range) == census.first[value])
          #expect(try reader.lastOffset(of: byte, in: range) == census.last[value])
        }
      }
      let whole = ByteCensus(contents, in: 0..<size)
      #expect(try reader.count(of: 7) == whole.counts[7])
      #expect(try reader.firstOffset(of: 7) == whole.first[7])
      #expect(try reader.lastOffset(of: 7) == whole.last[7])
    }
  }

  @Test(arguments: ReaderKind.allCases)
  func matchesAtTheVeryStartAndEndOfRangesAndChunks(kind: ReaderKind) throws {
    // One marked byte at each chunk edge of every reader: page edges, 256 KiB, and the ends.
    let size = 2 * PReadReader.chunkCapacity + 3 * pageSize
    var contents = [UInt8](repeating: 0x20, count: size)
    let marks = [
      0, pageSize - 1, pageSize, PReadReader.chunkCapacity - 1, PReadReader.chunkCapacity,
      2 * PReadReader.chunkCapacity, size - 1,
    ]
    for mark in marks { contents[mark] = 0x0A }
    try withTemporaryFile(contents: contents) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      #expect(try reader.count(of: 0x0A) == marks.count)
      for (index, mark) in marks.enumerated() {
        #expect(try reader.firstOffset(of: 0x0A, in: mark..<size) == mark)
        #expect(try reader.lastOffset(of: 0x0A, in: 0..<(mark + 1)) == mark)
        #expect(try reader.count(of: 0x0A, in: mark..<(mark + 1)) == 1)
        if index + 1 < marks.count {
          let between = (mark + 1)..<marks[index + 1]
          #expect(try reader.firstOffset(of: 0x0A, in: between) == nil)
          #expect(try reader.lastOffset(of: 0x0A, in: between) == nil)
          #expect(try reader.count(of: 0x0A, in: between) == 0)
        }
      }
      // The last match far from the end: the backward walk widens until it gets there.
      #expect(try reader.lastOffset(of: 0x0A, in: 0..<(size - 1)) == 2 * PReadReader.chunkCapacity)
    }
  }
}
