import CMMapScan
import Testing

/// The C kernels, both the ones the library calls (AVX2 on this machine when it has it) and the
/// portable ones other processors get, against plain loops: every length from 0 to 300 and
/// random lengths up to 10,000, at every alignment within 64 bytes, for every byte value.
@Suite struct ScanKernelTests {
  /// The kernels of one implementation, so that every check runs on both.
  struct Kernels: CustomTestStringConvertible, Sendable {
    var name: String
    var count: @Sendable (UnsafeRawPointer?, Int, UInt8) -> Int
    var first: @Sendable (UnsafeRawPointer?, Int, UInt8) -> Int
    var last: @Sendable (UnsafeRawPointer?, Int, UInt8) -> Int
    var find: @Sendable (UnsafeRawPointer?, Int, UnsafeRawPointer?, Int) -> Int
    var offsets: @Sendable (UnsafeRawPointer?, Int, UInt8, UnsafeMutablePointer<UInt32>?) -> Int

    var testDescription: String { name }

    static let dispatched = Kernels(
      name: "dispatched", count: { cmmap_scan_count($0, $1, $2) },
      first: { cmmap_scan_first($0, $1, $2) }, last: { cmmap_scan_last($0, $1, $2) },
      find: { cmmap_scan_find($0, $1, $2, $3) },
      offsets: { cmmap_scan_offsets($0, $1, $2, $3) })
    static let portable = Kernels(
      name: "portable", count: { cmmap_scan_count_portable($0, $1, $2) },
      first: { cmmap_scan_first_portable($0, $1, $2) },
      last: { cmmap_scan_last_portable($0, $1, $2) },
      find: { cmmap_scan_find_portable($0, $1, $2, $3) },
      offsets: { cmmap_scan_offsets_portable($0, $1, $2, $3) })
    static let all = [dispatched, portable]
  }

  /// Every length up to 300 (all the vector loops' edges), random ones up to 10,000, and
  /// 10,000 itself.
  static let lengths: [Int] = {
    var random = SeededGenerator(seed: 99)
    return Array(0...300) + (0..<60).map { _ in Int.random(in: 301...10_000, using: &random) }
      + [10_000]
  }()

  /// Calls `body` with `count` bytes at `alignment` bytes past a 64-byte boundary, the rest of
  /// the allocation filled with every byte value so that a kernel reading outside its buffer
  /// would see matches.
  private func withBuffer(
    _ contents: [UInt8], alignment: Int, _ body: (UnsafeRawBufferPointer) -> Void
  ) {
    let storage = UnsafeMutableRawBufferPointer.allocate(
      byteCount: contents.count + 128, alignment: 64)
    defer { storage.deallocate() }
    for index in storage.indices { storage[index] = UInt8(truncatingIfNeeded: index) }
    let buffer = UnsafeMutableRawBufferPointer(
      rebasing: storage[alignment..<(alignment + contents.count)])
    buffer.copyBytes(from: contents)
    body(UnsafeRawBufferPointer(buffer))
  }

  @Test(arguments: Kernels.all)
  func countFirstAndLastMatchPlainLoopsForEveryByteValue(kernels: Kernels) {
    var random = SeededGenerator(seed: 1)
    for length in Self.lengths {
      // Few distinct values make long runs and dense matches; 256 make sparse ones.
      let alphabet = length % 3 == 0 ? [0x0A, 0x0D, 0x61] : Array(0...255) as [UInt8]
      let contents = bytes(count: length, from: alphabet, seed: random.next())
      withBuffer(contents, alignment: Int.random(in: 0..<64, using: &random)) { buffer in
        let census = ByteCensus(buffer)
        for value in 0...255 {
          let byte = UInt8(value)
          let base = buffer.baseAddress
          #expect(kernels.count(base, length, byte) == census.counts[value], "\(length) \(value)")
          #expect(kernels.first(base, length, byte) == census.first[value] ?? length)
          #expect(kernels.last(base, length, byte) == census.last[value] ?? length)
        }
      }
    }
  }

  @Test(arguments: Kernels.all)
  func everyAlignmentGivesTheSameAnswers(kernels: Kernels) {
    let contents = bytes(count: 700, from: [0x0A, 0x20, 0x41, 0xFF], seed: 5)
    for alignment in 0..<64 {
      for length in [0, 1, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 700] {
        withBuffer(Array(contents[..<length]), alignment: alignment) { buffer in
          let census = ByteCensus(buffer)
          for byte: UInt8 in [0x0A, 0x41, 0xFF, 0x00] {
            let base = buffer.baseAddress
            #expect(kernels.count(base, length, byte) == census.counts[Int(byte)])
            #expect(kernels.first(base, length, byte) == census.first[Int(byte)] ?? length)
            #expect(kernels.last(base, length, byte) == census.last[Int(byte)] ?? length)
          }
        }
      }
    }
  }

  @Test(arguments: Kernels.all)
  func countSurvivesCounterFolding(kernels: Kernels) {
    // Every byte matches: the vector counters fold every 255 blocks, and must not wrap.
    for length in [255 * 64 - 1, 255 * 64, 255 * 64 + 1, 255 * 128 + 1, 3 * 255 * 64 + 77] {
      withBuffer([UInt8](repeating: 0x0A, count: length), alignment: 3) { buffer in
        #expect(kernels.count(buffer.baseAddress, length, 0x0A) == length)
        #expect(kernels.first(buffer.baseAddress, length, 0x0A) == 0)
        #expect(kernels.last(buffer.baseAddress, length, 0x0A) == length - 1)
      }
    }
  }

  @Test(arguments: Kernels.all)
  func offsetsListEveryMatchInOrder(kernels: Kernels) {
    var random = SeededGenerator(seed: 2)
    let offsets = UnsafeMutablePointer<UInt32>.allocate(
      capacity: 10_000 + Int(CMMAP_SCAN_OFFSETS_SLACK))
    defer { offsets.deallocate() }
    for length in Self.lengths {
      // Dense line feeds too, so that blocks hold more than four.
      let alphabet: [UInt8] =
        length % 2 == 0 ? [0x0A, 0x61] : [0x0A, 0x61, 0x62, 0x63, 0x64, 0x65]
      let contents = bytes(count: length, from: alphabet, seed: random.next())
      withBuffer(contents, alignment: Int.random(in: 0..<64, using: &random)) { buffer in
        for byte: UInt8 in [0x0A, 0x61, 0x00] {
          let found = kernels.offsets(buffer.baseAddress, length, byte, offsets)
          let expected = contents.indices.filter { contents[$0] == byte }
          #expect(found == expected.count, "\(length)")
          #expect((0..<found).map { Int(offsets[$0]) } == expected, "\(length)")
        }
      }
    }
  }

  @Test(arguments: Kernels.all)
  func findLocatesNeedlesAtStartEndAndNowhere(kernels: Kernels) {
    var random = SeededGenerator(seed: 3)
    for length in Self.lengths where length % 2 == 0 || length < 80 {
      let contents = bytes(count: length, from: [0x61, 0x62, 0x63], seed: random.next())
      withBuffer(contents, alignment: Int.random(in: 0..<64, using: &random)) { buffer in
        // Absent needles first: a byte that never occurs, and near misses.
        var needles: [[UInt8]] = [
          [0x64], [0x61, 0x64], [0x61, 0x62, 0x63, 0x61, 0x62, 0x63, 0x64],
        ]
        for needleLength in [1, 2, 3, 5, 33, 70] where needleLength <= length {
          needles.append(Array(contents[..<needleLength]))  // at the very start
          needles.append(Array(contents[(length - needleLength)...]))  // at the very end
          let start = Int.random(in: 0...(length - needleLength), using: &random)
          needles.append(Array(contents[start..<(start + needleLength)]))
          // Right first and last bytes, wrong middle: a candidate that must be rejected.
          if needleLength > 2 {
            var decoy = Array(contents[start..<(start + needleLength)])
            decoy[needleLength / 2] = 0x7A
            needles.append(decoy)
          }
        }
        needles.append(Array(contents) + [0x61])  // longer than the buffer
        for needle in needles {
          let expected = naiveFirstOffset(of: needle, in: contents, range: 0..<length) ?? length
          let found = needle.withUnsafeBytes {
            kernels.find(buffer.baseAddress, length, $0.baseAddress, needle.count)
          }
          #expect(found == expected, "length \(length), needle \(needle.count)")
        }
      }
    }
  }

  /// The vector search filters on the two needle bytes it expects to be rarest: needles mixing
  /// bytes of every class it ranks (spaces, frequent and rare letters, digits, zero, 0xFF,
  /// punctuation, control bytes), and for each a decoy per position that differs there alone,
  /// so that whichever two bytes the filter compares, some decoys pass it and only the full
  /// compare rejects them.
  @Test(arguments: Kernels.all)
  func findRejectsNeedlesThatDifferInAnyOneByte(kernels: Kernels) {
    let alphabet: [UInt8] = [
      0x20, 0x65, 0x74, 0x7A, 0x71, 0x41, 0x37, 0x00, 0xFF, 0x2C, 0x7E, 0x01,
    ]
    var random = SeededGenerator(seed: 11)
    for length in [64, 65, 127, 128, 200, 1_000, 4_096] {
      // Few symbols, so that decoys often share both filtered bytes with some position.
      let contents = bytes(
        count: length, from: Array(alphabet.shuffled(using: &random)[..<4]),
        seed: random.next())
      withBuffer(contents, alignment: Int.random(in: 0..<64, using: &random)) { buffer in
        for needleLength in [2, 3, 4, 8, 16, 31, 32, 33] where needleLength <= length {
          let start = Int.random(in: 0...(length - needleLength), using: &random)
          let needle = Array(contents[start..<(start + needleLength)])
          var needles = [needle]
          for position in 0..<needleLength {
            var decoy = needle
            decoy[position] = alphabet[Int.random(in: 0..<alphabet.count, using: &random)]
            needles.append(decoy)
          }
          for candidate in needles {
            let expected =
              naiveFirstOffset(of: candidate, in: contents, range: 0..<length) ?? length
            let found = candidate.withUnsafeBytes {
              kernels.find(buffer.baseAddress, length, $0.baseAddress, candidate.count)
            }
            #expect(found == expected, "length \(length), needle \(candidate)")
          }
        }
      }
    }
  }
}
