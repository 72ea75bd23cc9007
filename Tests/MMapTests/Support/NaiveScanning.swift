// Ground truth for the scanning tests: the plainest loops over an array, sharing no code with
// the library.

/// The lines of `bytes[range]` as reader offsets, cut byte by byte.
func naiveLines(
  _ bytes: [UInt8], in range: Range<Int>, omittingCarriageReturn: Bool = false
) -> [Range<Int>] {
  var lines: [Range<Int>] = []
  var start = range.lowerBound
  for offset in range where bytes[offset] == 0x0A {
    var end = offset
    if omittingCarriageReturn && end > start && bytes[end - 1] == 0x0D { end -= 1 }
    lines.append(start..<end)
    start = offset + 1
  }
  if start < range.upperBound { lines.append(start..<range.upperBound) }
  return lines
}

/// The offset of the first occurrence of `needle` wholly inside `bytes[range]`, compared at
/// every position.
func naiveFirstOffset(of needle: [UInt8], in bytes: [UInt8], range: Range<Int>) -> Int? {
  guard needle.count <= range.count else { return nil }
  for start in range.lowerBound...(range.upperBound - needle.count)
  where bytes[start..<(start + needle.count)].elementsEqual(needle) {
    return start
  }
  return nil
}

/// For every byte value: how often it occurs in `bytes[range]`, and where first and last.
struct ByteCensus {
  var counts = [Int](repeating: 0, count: 256)
  var first = [Int?](repeating: nil, count: 256)
  var last = [Int?](repeating: nil, count: 256)

  init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
    for (index, byte) in bytes.enumerated() {
      let value = Int(byte)
      counts[value] += 1
      if first[value] == nil { first[value] = offset + index }
      last[value] = offset + index
    }
  }

  init(_ bytes: [UInt8], in range: Range<Int>) {
    self = bytes.withUnsafeBytes {
      ByteCensus(UnsafeRawBufferPointer(rebasing: $0[range]), offset: range.lowerBound)
    }
  }
}

/// `count` bytes drawn from `alphabet`, reproducibly from `seed`, which must not be `0`.
func bytes(count: Int, from alphabet: [UInt8], seed: UInt64) -> [UInt8] {
  var random = SeededGenerator(seed: seed)
  return (0..<count).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
}
