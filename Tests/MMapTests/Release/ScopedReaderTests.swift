import Synchronization
import Testing

@testable import MMap

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// `MMapReader.withReader(path:)` and `FileReader.withReader(path:)`: the reader lives for
/// the closure, and nothing of it is left afterwards.
@Suite struct ScopedReaderTests {
  struct Failure: Error, Equatable {}

  @Test func theClosureReadsTheFileAndTheMappingIsGoneAfter() throws {
    let bytes = generatedBytes(count: 2 * pageSize + 9, seed: 11)
    try withTemporaryFile(contents: bytes) { path in
      let read = try MMapReader.withReader(path: path, offset: 9) { reader in
        #expect(mappingCount(of: path) == 1)
        return try reader.bytes(in: 0..<reader.count)
      }
      #expect(read == Array(bytes[9...]))
      #expect(readerMappingCount(of: path) == 0)
      let viaFile = try FileReader.withReader(path: path) { try $0.bytes(in: 0..<4) }
      #expect(viaFile == Array(bytes[0..<4]))
      #expect(readerMappingCount(of: path) == 0)
    }
  }

  @Test func anErrorOfTheClosureReachesTheCallerAfterTheRelease() throws {
    try withTemporaryFile(contents: [7, 8, 9]) { path in
      #expect(throws: Failure()) {
        try MMapReader.withReader(path: path) { _ in throw Failure() }
      }
      #expect(readerMappingCount(of: path) == 0)
      #expect(throws: Failure()) {
        try FileReader.withReader(path: path) { _ in throw Failure() }
      }
      #expect(throws: MMapError(.open, path: path + ".none", errno: ENOENT)) {
        try MMapReader.withReader(path: path + ".none") { _ in 0 }
      }
    }
  }

  /// A reader the closure keeps is closed, not unmapped under its holder: its reads throw
  /// `EBADF`.
  @Test func aReaderTheClosureKeepsIsClosedSafely() throws {
    try withTemporaryFile(contents: [1, 2, 3, 4]) { path in
      let kept = Mutex<MMapReader?>(nil)
      try MMapReader.withReader(path: path) { reader in kept.withLock { $0 = reader } }
      let reader = try #require(kept.withLock { $0 })
      #expect(reader.isClosed)
      #expect(throws: MMapError.closed(path: path)) { try reader.byte(at: 0) }
    }
  }
}
