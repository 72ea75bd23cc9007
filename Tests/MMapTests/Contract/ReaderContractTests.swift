import Foundation
import Testing

@testable import MMap

/// The contract every reader shares, checked once for each of them: reads, views and chunk
/// scans equal `pread` of the same bytes; the end-of-file rule; errors; closing; release.
/// Reader-specific suites test only what is specific.
@Suite struct ReaderContractTests {
  /// 1 byte, a page and its neighbours, several pages with a tail, and 1 MiB + 3.
  static let sizes = [1, pageSize - 1, pageSize, pageSize + 1, 3 * pageSize + 17, (1 << 20) + 3]

  @Test(arguments: ReaderKind.allCases, sizes)
  func copiesEqualPreadAtRandomOffsets(kind: ReaderKind, size: Int) throws {
    let contents = generatedBytes(count: size, seed: UInt64(size))
    try withTemporaryFile(contents: contents) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      #expect(reader.count == size)
      var random = SeededGenerator(seed: 7)
      var buffer = [UInt8](repeating: 0, count: 3 * pageSize)
      for _ in 0..<500 {
        let offset = Int.random(in: 0...size, using: &random)
        let length = Int.random(in: 0...buffer.count, using: &random)
        let copied = try buffer.withUnsafeMutableBytes { bytes in
          try reader.read(
            from: offset, into: UnsafeMutableRawBufferPointer(rebasing: bytes[..<length]))
        }
        let truth = preadBytes(path: path, offset: offset, count: length)
        #expect(copied == truth.count)
        #expect(sameBytes(buffer[..<copied], truth[...]), "offset \(offset), length \(length)")
        if offset < size { #expect(try reader.byte(at: offset) == contents[offset]) }
      }
    }
  }

  @Test(arguments: ReaderKind.allCases, sizes)
  func chunksCoverTheRangeInOrderAndEqualPread(kind: ReaderKind, size: Int) throws {
    try withTemporaryFile(contents: generatedBytes(count: size, seed: 3)) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      var random = SeededGenerator(seed: 11)
      for trial in 0..<40 {
        let lower = trial == 0 ? 0 : Int.random(in: 0...size, using: &random)
        let upper = trial == 0 ? size : Int.random(in: lower...size, using: &random)
        var seen: [UInt8] = []
        var next = lower
        try reader.forEachChunk(in: lower..<upper) { offset, chunk in
          #expect(offset == next, "chunks are contiguous")
          #expect(!chunk.isEmpty, "no empty chunk")
          seen += chunk
          next = offset + chunk.count
          return .proceed
        }
        #expect(next == upper)
        #expect(seen == preadBytes(path: path, offset: lower, count: upper - lower))
      }
    }
  }

  @Test(arguments: ReaderKind.allCases)
  func chunkScanStopsWhenAsked(kind: ReaderKind) throws {
    let size = 5 * PReadReader.chunkCapacity / 2
    try withTemporaryFile(contents: generatedBytes(count: size, seed: 5)) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      var visits = 0
      try reader.forEachChunk { _, _ in
        visits += 1
        return .stop
      }
      #expect(visits == 1)
    }
  }

  @Test(arguments: ReaderKind.zeroCopy, sizes)
  func viewsAndSpansEqualPreadAtRandomRanges(kind: ReaderKind, size: Int) throws {
    try withTemporaryFile(contents: generatedBytes(count: size, seed: 9)) { path in
      let reader = try kind.openZeroCopy(path)
      defer { try? reader.close() }
      var random = SeededGenerator(seed: 13)
      for _ in 0..<200 {
        let lower = Int.random(in: 0...size, using: &random)
        let upper = Int.random(in: lower...min(size, lower + 3 * pageSize), using: &random)
        let truth = preadBytes(path: path, offset: lower, count: upper - lower)
        #expect(try reader.withUnsafeBytes(in: lower..<upper) { sameBytes($0, truth[...]) })
        let viaSpan = try reader.withBytes(in: lower..<upper) { span in
          span.withUnsafeBytes { sameBytes($0, truth[...]) }
        }
        #expect(viaSpan)
        #expect(try reader.bytes(in: lower..<upper) == truth)
      }
      let whole = preadBytes(path: path, offset: 0, count: size)
      #expect(try reader.withUnsafeBytes { sameBytes($0, whole[...]) })
      #expect(try reader.withBytes { $0.byteCount } == size)
    }
  }

  @Test(arguments: ReaderKind.allCases)
  func readsFollowTheEndOfFileRule(kind: ReaderKind) throws {
    try withTemporaryFile(contents: Array(0..<36)) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      var buffer = [UInt8](repeating: 0xFF, count: 10)
      #expect(try reader.read(from: 30, into: &buffer) == 6, "short only at the end")
      #expect(buffer[..<6] == [30, 31, 32, 33, 34, 35])
      #expect(buffer[6...].allSatisfy { $0 == 0xFF }, "nothing written past the copy")
      #expect(try reader.read(from: 36, into: &buffer) == 0, "offset == count copies nothing")
      var empty: [UInt8] = []
      #expect(try reader.read(from: 5, into: &empty) == 0)
      for offset in [-1, Int.min, 37, Int.max] {
        #expect(throws: MMapError(.read, path: path, errno: EINVAL)) {
          try reader.read(from: offset, into: &buffer)
        }
        #expect(throws: MMapError(.read, path: path, errno: EINVAL)) {
          try reader.read(from: offset, into: &empty)
        }
      }
      for offset in [-1, 36, Int.max] {
        #expect(throws: MMapError(.read, path: path, errno: EINVAL)) {
          try reader.byte(at: offset)
        }
      }
    }
  }

  @Test(arguments: ReaderKind.allCases)
  func exactReadsThrowENODATAWhenTheFileEndsFirst(kind: ReaderKind) throws {
    try withTemporaryFile(contents: Array(0..<36)) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      var four = [UInt8](repeating: 0, count: 4)
      try reader.readExactly(from: 32, into: &four)
      #expect(four == [32, 33, 34, 35])
      #expect(throws: MMapError(.read, path: path, errno: ENODATA)) {
        try reader.readExactly(from: 33, into: &four)
      }
      #expect(try reader.bytes(in: 30..<36) == Array(30..<36))
      #expect(try reader.bytes(in: 36..<36) == [])
      #expect(throws: MMapError(.read, path: path, errno: ENODATA)) {
        try reader.bytes(in: 30..<37)
      }
      // Checked before allocating: a terabyte is never asked for.
      #expect(throws: MMapError(.read, path: path, errno: ENODATA)) {
        try reader.bytes(in: 0..<(1 << 40))
      }
      for range in [-1..<0, 37..<37, 37..<40] {
        #expect(throws: MMapError(.read, path: path, errno: EINVAL)) {
          try reader.bytes(in: range)
        }
      }
      var nothing: [UInt8] = []
      #expect(throws: MMapError(.read, path: path, errno: EINVAL)) {
        try reader.readExactly(from: 37, into: &nothing)
      }
    }
  }

  @Test(arguments: ReaderKind.allCases)
  func lengthsNearIntMaxNeverOverflow(kind: ReaderKind) throws {
    try withTemporaryFile(contents: Array(0..<36)) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      // A buffer claiming Int.max bytes: only the file's bytes may be written.
      var storage = [UInt8](repeating: 0, count: 36)
      let copied = try storage.withUnsafeMutableBytes { bytes in
        try reader.read(
          from: 20, into: UnsafeMutableRawBufferPointer(start: bytes.baseAddress, count: .max))
      }
      #expect(copied == 16)
      #expect(storage[..<16] == ArraySlice(20..<36))
    }
  }

  @Test(arguments: ReaderKind.allCases)
  func emptyFileReadsAsEmpty(kind: ReaderKind) throws {
    try withTemporaryFile(contents: []) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      #expect(reader.count == 0)
      var buffer = [UInt8](repeating: 0, count: 4)
      #expect(try reader.read(from: 0, into: &buffer) == 0)
      #expect(try reader.bytes(in: 0..<0) == [])
      var visits = 0
      try reader.forEachChunk { _, _ in
        visits += 1
        return .proceed
      }
      #expect(visits == 0, "an empty range has no chunk")
    }
  }

  /// Sub-ranges at unaligned offsets: empty, short, and crossing pages.
  static let subRanges: [SubRange] = [
    SubRange(offset: 1, count: 0), SubRange(offset: pageSize + 5, count: 17),
    SubRange(offset: 3 * pageSize + 17, count: pageSize - 1),
  ]

  struct SubRange: Sendable { var offset: Int, count: Int }

  @Test(arguments: ReaderKind.allCases, subRanges)
  func subRangeAtAnyOffsetStartsAtTheRequestedByte(kind: ReaderKind, subRange: SubRange) throws {
    let (offset, count) = (subRange.offset, subRange.count)
    let contents = generatedBytes(count: 5 * pageSize, seed: 21)
    try withTemporaryFile(contents: contents) { path in
      let reader = try kind.open(path, offset: offset, count: count)
      defer { try? reader.close() }
      #expect(reader.count == count)
      #expect(try reader.bytes(in: 0..<count) == Array(contents[offset..<(offset + count)]))
      var seen: [UInt8] = []
      try reader.forEachChunk { _, chunk in
        seen += chunk
        return .proceed
      }
      #expect(seen == Array(contents[offset..<(offset + count)]))
      let rest = try kind.open(path, offset: offset)
      defer { try? rest.close() }
      #expect(rest.count == contents.count - offset)
    }
  }

  /// Code written once against the protocols runs on every reader.
  @Test(arguments: ReaderKind.allCases)
  func genericCodeRunsThroughTheProtocols(kind: ReaderKind) throws {
    let contents = Array("one\ntwo\nthree\n".utf8)
    try withTemporaryFile(contents: contents) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      #expect(try newlineCount(reader) == 3)
      #expect(try firstWord(reader) == Array("one".utf8))
      if kind != .pread {
        let zeroCopy = try kind.openZeroCopy(path)
        defer { try? zeroCopy.close() }
        #expect(try lastByte(zeroCopy) == UInt8(ascii: "\n"))
      }
    }
  }
}

/// A helper written once over chunks, as a scanning helper of the library's users would be.
func newlineCount(_ reader: some RandomAccessReader) throws -> Int {
  var count = 0
  try reader.forEachChunk { _, chunk in
    count += chunk.count { $0 == UInt8(ascii: "\n") }
    return .proceed
  }
  return count
}

/// The bytes before the first line feed, by copying.
func firstWord(_ reader: some RandomAccessReader) throws -> [UInt8] {
  var word: [UInt8] = []
  var offset = 0
  while offset < reader.count {
    let byte = try reader.byte(at: offset)
    if byte == UInt8(ascii: "\n") { break }
    word.append(byte)
    offset += 1
  }
  return word
}

/// The last byte, through a view.
func lastByte(_ reader: some ZeroCopyReader) throws -> UInt8? {
  try reader.withUnsafeBytes { $0.last }
}
