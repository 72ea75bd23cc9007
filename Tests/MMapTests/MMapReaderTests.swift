import Foundation
import Testing

@testable import MMap

/// Reads through the mapping compared with `pread` of the same bytes.
@Suite struct MMapReaderTests {
  static let sizes = [1, pageSize - 1, pageSize, pageSize + 1, 3 * pageSize + 17, 5 << 20 + 3]

  @Test(arguments: sizes)
  func copiesEqualPreadAtRandomOffsets(size: Int) throws {
    try withTemporaryFile(contents: generatedBytes(count: size, seed: UInt64(size))) { path in
      let truth = preadBytes(path: path, offset: 0, count: size)
      let reader = try MMapReader(path: path)
      #expect(reader.count == size)
      var random = SeededGenerator(seed: 42)
      var buffer = [UInt8](repeating: 0, count: 3 * pageSize)
      for _ in 0..<3000 {
        let offset = Int.random(in: 0...size, using: &random)
        let capacity = Int.random(in: 0...buffer.count, using: &random)
        let copied = try buffer.withUnsafeMutableBytes { whole in
          try reader.read(
            from: offset, into: UnsafeMutableRawBufferPointer(rebasing: whole[..<capacity]))
        }
        let expected = truth[offset..<min(size, offset + capacity)]
        #expect(copied == expected.count)
        #expect(buffer[..<copied].elementsEqual(expected), "offset \(offset) capacity \(capacity)")
      }
    }
  }

  @Test(arguments: sizes)
  func viewsAndBytesEqualPreadAtRandomRanges(size: Int) throws {
    try withTemporaryFile(contents: generatedBytes(count: size, seed: UInt64(size) &+ 1)) { path in
      let reader = try MMapReader(path: path)
      var random = SeededGenerator(seed: 7)
      for _ in 0..<1000 {
        let start = Int.random(in: 0...size, using: &random)
        let end = Int.random(in: start...min(size, start + 2 * pageSize), using: &random)
        let truth = preadBytes(path: path, offset: start, count: end - start)
        let viewed = try reader.withUnsafeBytes(in: start..<end) { Array($0) }
        let spanned = try reader.withBytes(in: start..<end) { span in
          span.byteOffsets.map { span.unsafeLoad(fromByteOffset: $0, as: UInt8.self) }
        }
        #expect(viewed == truth)
        #expect(spanned == truth)
        #expect(try reader.bytes(in: start..<end) == truth)
        if start < size {
          #expect(
            reader[start] == truth.first ?? preadBytes(path: path, offset: start, count: 1)[0])
          #expect(try reader.byte(at: start) == reader[start])
        }
      }
      #expect(
        try reader.withUnsafeBytes { Array($0) } == preadBytes(path: path, offset: 0, count: size))
    }
  }

  @Test(arguments: [(1, 0), (pageSize + 5, 17), (3 * pageSize + 17, pageSize - 1)])
  func subRangeAtUnalignedOffsetStartsAtRequestedByte(offset: Int, count: Int) throws {
    let size = 4 * pageSize + 100
    try withTemporaryFile(contents: generatedBytes(count: size, seed: 3)) { path in
      let reader = try MMapReader(path: path, offset: offset, count: count)
      let truth = preadBytes(path: path, offset: offset, count: count)
      #expect(reader.count == count)
      #expect(try reader.withUnsafeBytes { Array($0) } == truth)
      var random = SeededGenerator(seed: 11)
      for _ in 0..<500 {
        let start = Int.random(in: 0...count, using: &random)
        var buffer = [UInt8](repeating: 0, count: Int.random(in: 0...64, using: &random))
        let copied = try reader.read(from: start, into: &buffer)
        #expect(buffer[..<copied].elementsEqual(truth[start..<min(count, start + buffer.count)]))
      }
      let rest = try MMapReader(path: path, offset: offset)
      #expect(rest.count == size - offset)
      #expect(
        try rest.withUnsafeBytes { Array($0) }
          == preadBytes(path: path, offset: offset, count: size))
    }
  }

  @Test func readPastEndReturnsShortCount() throws {
    let reader = try MMapReader(path: fixturePath("hello.txt"))
    var buffer = [UInt8](repeating: 0, count: 10)
    #expect(try reader.read(from: reader.count - 4, into: &buffer) == 4)
    #expect(buffer[..<4].elementsEqual(Array("ne.\n".utf8)))
    #expect(try reader.read(from: reader.count, into: &buffer) == 0)
    #expect(try reader.read(from: reader.count - 1, into: &buffer) == 1)
    #expect(try reader.read(from: 0, into: &buffer) == 10)
  }

  @Test func emptyBufferCopiesNothing() throws {
    let reader = try MMapReader(path: fixturePath("hello.txt"))
    var empty: [UInt8] = []
    for offset in [0, 5, reader.count] {
      #expect(try reader.read(from: offset, into: &empty) == 0)
    }
  }

  @Test(arguments: [-1, Int.min, 35, 36, Int.max])
  func offsetOutsideFileThrowsEINVAL(offset: Int) throws {
    let path = fixturePath("hello.txt")  // 34 bytes
    let reader = try MMapReader(path: path)
    var buffer = [UInt8](repeating: 0, count: 8)
    #expect(throws: MMapError(.read, path: path, errno: EINVAL)) {
      try reader.read(from: offset, into: &buffer)
    }
    #expect(throws: MMapError(.read, path: path, errno: EINVAL)) { try reader.byte(at: offset) }
  }

  @Test func byteAtCountThrowsButReadAtCountReturnsZero() throws {
    let path = fixturePath("hello.txt")
    let reader = try MMapReader(path: path)
    #expect(throws: MMapError(.read, path: path, errno: EINVAL)) { try reader.byte(at: 34) }
    var buffer = [UInt8](repeating: 0, count: 1)
    #expect(try reader.read(from: 34, into: &buffer) == 0)
    #expect(try reader.byte(at: 33) == 0x0A)
    #expect(reader[0] == UInt8(ascii: "H"))
  }

  @Test func lengthsNearIntMaxNeverOverflow() throws {
    let path = fixturePath("hello.txt")
    let reader = try MMapReader(path: path)
    // A buffer claiming Int.max bytes is never written past what the file holds.
    var small = [UInt8](repeating: 0, count: 4)
    try small.withUnsafeMutableBytes { buffer throws in
      let huge = UnsafeMutableRawBufferPointer(start: buffer.baseAddress, count: Int.max)
      #expect(try reader.read(from: 31, into: huge) == 3)
      #expect(try reader.read(from: 34, into: huge) == 0)
      #expect(throws: MMapError(.read, path: path, errno: EINVAL)) {
        try reader.read(from: Int.max, into: huge)
      }
    }
    #expect(throws: MMapError(.read, path: path, errno: EINVAL)) {
      try reader.bytes(in: Int.max - 1..<Int.max)
    }
    #expect(throws: MMapError(.read, path: path, errno: ENODATA)) {
      try reader.bytes(in: 30..<40)
    }
  }

  @Test func readExactlyThrowsENODATAWhenFileEndsFirst() throws {
    let path = fixturePath("hello.txt")
    let reader = try MMapReader(path: path)
    var buffer = [UInt8](repeating: 0, count: 8)
    try buffer.withUnsafeMutableBytes { try reader.readExactly(from: 26, into: $0) }
    #expect(buffer == Array("Second line.\n".utf8)[5...].map { $0 })
    #expect(throws: MMapError(.read, path: path, errno: ENODATA)) {
      try buffer.withUnsafeMutableBytes { try reader.readExactly(from: 27, into: $0) }
    }
  }

  @Test func emptyFileMapsToEmptyView() throws {
    let path = fixturePath("empty.bin")
    let reader = try MMapReader(path: path)
    #expect(reader.count == 0)
    #expect(mappingCount(of: path) == 0)
    var buffer = [UInt8](repeating: 0, count: 8)
    #expect(try reader.read(from: 0, into: &buffer) == 0)
    #expect(throws: MMapError(.read, path: path, errno: EINVAL)) {
      try reader.read(from: 1, into: &buffer)
    }
    #expect(throws: MMapError(.read, path: path, errno: EINVAL)) { try reader.byte(at: 0) }
    #expect(try reader.withUnsafeBytes { $0.count } == 0)
    #expect(try reader.withBytes { $0.byteCount } == 0)
    #expect(try reader.bytes(in: 0..<0) == [])
    try reader.advise(.sequential)
    try reader.close()
    #expect(throws: MMapError(.read, path: path, errno: EBADF)) {
      try reader.read(from: 0, into: &buffer)
    }
  }

  @Test func fixturesHaveTheDocumentedContents() throws {
    let page = try MMapReader(path: fixturePath("one-page.bin"))
    #expect(page.count == 4096)
    #expect(page[4095] == UInt8((4095 * 31 + 7) % 256))
    let binary = try MMapReader(path: fixturePath("binary.bin"))
    #expect(binary.count == 1000)
  }

  @Test func readerFromDescriptorLeavesItOpen() throws {
    try withTemporaryFile(contents: generatedBytes(count: 3 * pageSize + 17, seed: 5)) { path in
      let fd = open(path, O_RDONLY)
      #expect(fd >= 0)
      defer { close(fd) }
      let reader = try MMapReader(fileDescriptor: fd, offset: 10, count: 100)
      #expect(try reader.bytes(in: 0..<100) == preadBytes(path: path, offset: 10, count: 100))
      #expect(reader.path == nil)
      try reader.close()
      #expect(fcntl(fd, F_GETFD) >= 0, "the caller's descriptor is still open")
      #expect(throws: MMapError(.map, path: nil, errno: EINVAL)) {
        try MMapReader(fileDescriptor: fd, offset: 3 * pageSize + 18)
      }
    }
  }

  @Test func prefaultedReaderReadsTheSameBytes() throws {
    try withTemporaryFile(contents: generatedBytes(count: 3 * pageSize + 17, seed: 9)) { path in
      let reader = try MMapReader(path: path, prefault: true)
      #expect(
        try reader.withUnsafeBytes { Array($0) }
          == preadBytes(path: path, offset: 0, count: reader.count))
    }
  }
}
