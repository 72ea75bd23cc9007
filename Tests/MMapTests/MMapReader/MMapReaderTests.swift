import Foundation
import Testing

@testable import MMap

/// Reads through the mapping compared with `pread` of the same bytes.
@Suite struct MMapReaderTests {
  static let sizes = [1, pageSize - 1, pageSize, pageSize + 1, 3 * pageSize + 17, 5 << 20 + 3]

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

  @Test func prefaultedReaderReadsTheSameBytes() throws {
    try withTemporaryFile(contents: generatedBytes(count: 3 * pageSize + 17, seed: 9)) { path in
      let reader = try MMapReader(path: path, prefault: true)
      #expect(
        try reader.withUnsafeBytes { Array($0) }
          == preadBytes(path: path, offset: 0, count: reader.count))
    }
  }
}
