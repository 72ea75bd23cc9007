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
///
/// Other suites run meanwhile and leave anonymous placeholders of their own readers' pages, so
/// these tests look for the file's mappings by path and for a placeholder at the address the
/// reader's mapping had, not for every placeholder of the process. (A placeholder of another
/// suite's reader at that very address would fail them: the freed range reused by a file
/// mapping that is then closed with a view in flight, within these few lines.)
@Suite struct ScopedReaderTests {
  struct Failure: Error, Equatable {}

  /// The page-aligned address of the mapping that holds `byte`.
  func mappingStart(of byte: UnsafeRawPointer) -> UInt {
    UInt(bitPattern: byte) & ~UInt(pageSize - 1)
  }

  /// The anonymous read-only placeholders (see `readerMappingCount(of:)`) that start at
  /// `start`: none once the reader mapped there is released. Another suite's file may be mapped
  /// at the freed address meanwhile; it has a path, and doesn't count.
  func placeholdersStarting(at start: UInt) -> [String] {
    let digits = String(start, radix: 16)  // The file pads addresses to 8 digits.
    let prefix = String(repeating: "0", count: max(0, 8 - digits.count)) + digits + "-"
    return currentMappings().filter { line in
      let fields = line.split(separator: " ", omittingEmptySubsequences: true)
      return line.hasPrefix(prefix) && fields.count == 5 && fields[1] == "r--p"
        && fields[4] == "0"
    }
  }

  @Test func theClosureReadsTheFileAndTheMappingIsGoneAfter() throws {
    let bytes = generatedBytes(count: 2 * pageSize + 9, seed: 11)
    try withTemporaryFile(contents: bytes) { path in
      var start: UInt = 0
      let read = try MMapReader.withReader(path: path, offset: 9) { reader in
        #expect(mappingCount(of: path) == 1)
        start = try reader.withUnsafeBytes(in: 0..<1) { mappingStart(of: $0.baseAddress!) }
        return try reader.bytes(in: 0..<reader.count)
      }
      #expect(read == Array(bytes[9...]))
      #expect(mappingCount(of: path) == 0)
      #expect(placeholdersStarting(at: start).isEmpty, "no placeholder stands in for the pages")
      let viaFile = try FileReader.withReader(path: path) { try $0.bytes(in: 0..<4) }
      #expect(viaFile == Array(bytes[0..<4]))
      #expect(mappingCount(of: path) == 0)
    }
  }

  @Test func anErrorOfTheClosureReachesTheCallerAfterTheRelease() throws {
    try withTemporaryFile(contents: [7, 8, 9]) { path in
      var start: UInt = 0
      #expect(throws: Failure()) {
        try MMapReader.withReader(path: path) { reader in
          start = try reader.withUnsafeBytes(in: 0..<1) { mappingStart(of: $0.baseAddress!) }
          throw Failure()
        }
      }
      #expect(mappingCount(of: path) == 0)
      #expect(placeholdersStarting(at: start).isEmpty)
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
