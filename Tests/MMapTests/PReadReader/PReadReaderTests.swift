import Foundation
import Testing

@testable import MMap

/// What only the pread reader does: chunked scans through one buffer, and a file that
/// shrinks under it. The shared contract is in ``ReaderContractTests``.
@Suite struct PReadReaderTests {
  @Test func chunksAreCopiesOfAtMostChunkCapacityBytesInOneBuffer() throws {
    let size = 2 * PReadReader.chunkCapacity + 5
    try withTemporaryFile(contents: generatedBytes(count: size, seed: 41)) { path in
      let reader = try PReadReader(path: path)
      defer { try? reader.close() }
      var sizes: [Int] = []
      var addresses: Set<UnsafeRawPointer?> = []
      try reader.forEachChunk { _, chunk in
        sizes.append(chunk.count)
        addresses.insert(chunk.baseAddress)
        return .proceed
      }
      let capacity = PReadReader.chunkCapacity
      #expect(sizes == [capacity, capacity, 5])
      #expect(addresses.count == 1, "one buffer, reused")
    }
  }

  @Test func fileShrunkSinceOpeningThrowsTheTruncationWithWhereTheFileEndsNow() throws {
    let contents = generatedBytes(count: 3 * pageSize, seed: 43)
    try withTemporaryFile(contents: contents) { path in
      let reader = try PReadReader(path: path)
      defer { try? reader.close() }
      #expect(truncate(path, off_t(pageSize + 10)) == 0)
      #expect(reader.count == 3 * pageSize, "the size is taken once, at open")
      let truncated = MMapError(.read, path: path, errno: ENODATA, missingOffset: pageSize + 10)
      var buffer = [UInt8](repeating: 0, count: 2 * pageSize)
      #expect(throws: truncated) { try reader.read(from: 0, into: &buffer) }
      #expect(try reader.bytes(in: 0..<(pageSize + 10)) == Array(contents[..<(pageSize + 10)]))
      #expect(throws: truncated) { try reader.forEachChunk { _, _ in .proceed } }
      #expect(throws: MMapError(.read, path: path, errno: ENODATA, missingOffset: 2 * pageSize)) {
        try reader.byte(at: 2 * pageSize)
      }
    }
  }
}
