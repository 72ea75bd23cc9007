import Foundation
import MMap
import MMapFoundation
import Testing

/// How each test opens a reader of a file.
enum Source: String, CaseIterable, Sendable, CustomTestStringConvertible {
  case mmapPath, mmapDescriptor, windowed, pread, memory, fileReader

  var testDescription: String { rawValue }

  /// Whether a `Data` of more than the threshold is a mapping of its own, rather than a copy.
  var mapsItsData: Bool { self == .mmapPath || self == .windowed || self == .fileReader }

  func openReader(_ path: String) throws -> any RandomAccessReader {
    switch self {
    case .mmapPath: return try MMapReader(path: path)
    case .mmapDescriptor:
      let fd = open(path, O_RDONLY)
      defer { close(fd) }
      return try MMapReader(fileDescriptor: fd)
    case .windowed: return try MMapWindowReader(path: path, windowSize: 2 * pageSize)
    case .pread: return try PReadReader(path: path)
    case .memory: return try InMemoryReader(path: path)
    case .fileReader: return try FileReader.open(path: path)
    }
  }
}

/// `Data` from any reader: the file's bytes, for as long as the `Data` lives.
@Suite struct DataTests {
  /// Larger than the threshold, not a multiple of the page size.
  static let size = 3 * FileReader.defaultMemoryThreshold + 17

  /// The `Data` outlives the reader's `close()` and the reader itself, with the file's bytes,
  /// whole or a range, mapped or copied.
  @Test(arguments: Source.allCases)
  func dataOutlivesCloseAndTheReaderWithTheFilesBytes(source: Source) throws {
    let contents = generatedBytes(count: Self.size, seed: 1)
    try withTemporaryFile(contents: contents) { path in
      var whole: Data
      var range: Data
      var small: Data
      do {
        let reader = try source.openReader(path)
        whole = try reader.data()
        range = try reader.data(in: 5..<(Self.size - 3))
        small = try reader.data(in: 100..<200)
        try reader.close()
        #expect(whole.elementsEqual(contents), "valid after close()")
      }
      // The reader is gone: only the Data's own mappings can be left.
      #expect(mappingCount(of: path) == (source.mapsItsData ? 2 : 0))
      #expect(whole.count == Self.size && whole.startIndex == 0)
      #expect(whole.elementsEqual(contents))
      #expect(range.startIndex == 0 && range.elementsEqual(contents[5..<(Self.size - 3)]))
      #expect(small.elementsEqual(contents[100..<200]))
      // Slices and copies keep the bytes alive; the last one out unmaps them.
      let slice = whole[4096..<8192]
      whole = Data()
      range = Data()
      small = Data()
      #expect(slice.elementsEqual(contents[4096..<8192]))
      #expect(mappingCount(of: path) == (source.mapsItsData ? 1 : 0))
    }
  }

  /// Writing to the `Data` in place changes its private copy of the page, never the file and
  /// never another `Data`.
  @Test(arguments: Source.allCases)
  func writingToTheDataInPlaceNeverReachesTheFile(source: Source) throws {
    let contents = generatedBytes(count: Self.size, seed: 2)
    try withTemporaryFile(contents: contents) { path in
      let reader = try source.openReader(path)
      defer { try? reader.close() }
      var data = try reader.data()
      let other = try reader.data()
      data[0] ^= 0xFF
      data.withUnsafeMutableBytes { (bytes: UnsafeMutableRawBufferPointer) in
        bytes[Self.size - 1] = ~contents[Self.size - 1]
      }
      data.resetBytes(in: 8000..<9000)
      #expect(data[0] == ~contents[0] && data[Self.size - 1] == ~contents[Self.size - 1])
      #expect(data[8000..<9000].allSatisfy { $0 == 0 })
      #expect(other.elementsEqual(contents), "another Data of the file is unchanged")
      #expect(try Data(contentsOf: URL(fileURLWithPath: path)).elementsEqual(contents))
      #expect(try reader.bytes(in: 0..<reader.count) == contents)
    }
  }

  @Test(arguments: Source.allCases)
  func closedReaderAndBadRangesThrow(source: Source) throws {
    try withTemporaryFile(contents: generatedBytes(count: 1000, seed: 3)) { path in
      let reader = try source.openReader(path)
      let path = reader.path  // nil for a reader made from a descriptor
      for range in [-1..<10, 990..<1001, 1001..<1001] {
        #expect(throws: MMapError(.read, path: path, errno: EINVAL)) { try reader.data(in: range) }
      }
      #expect(try reader.data(in: 1000..<1000).isEmpty)
      try reader.close()
      #expect(throws: MMapError(.read, path: path, errno: EBADF)) { try reader.data() }
    }
  }

  /// A range whose count doesn't fit an `Int` is outside the reader like any other: `EINVAL`,
  /// never an overflow, whatever the reader; a closed reader says so first.
  @Test(arguments: Source.allCases)
  func rangesWhoseCountOverflowsThrowEINVAL(source: Source) throws {
    try withTemporaryFile(contents: generatedBytes(count: Self.size, seed: 7)) { path in
      let reader = try source.openReader(path)
      let path = reader.path  // nil for a reader made from a descriptor
      let ranges = [-1..<Int.max, Int.min..<5, Int.min..<Int.max]
      for range in ranges {
        #expect(throws: MMapError(.read, path: path, errno: EINVAL), "\(range)") {
          try reader.data(in: range)
        }
      }
      try reader.close()
      for range in ranges {
        #expect(throws: MMapError(.read, path: path, errno: EBADF), "\(range)") {
          try reader.data(in: range)
        }
      }
    }
  }

  /// A file truncated under a mapped `Data`: the bytes past the new end read as zeros, and
  /// take writes, instead of raising `SIGBUS`; the bytes before it are the file's.
  @Test func dataOfATruncatedFileReadsZerosPastTheNewEnd() throws {
    let contents = generatedBytes(count: Self.size, seed: 4)
    try withTemporaryFile(contents: contents) { path in
      var data = try MMapReader(path: path).data()
      #expect(truncate(path, off_t(pageSize)) == 0)
      #expect(data[..<pageSize].elementsEqual(contents[..<pageSize]))
      #expect(data[(2 * pageSize)...].allSatisfy { $0 == 0 })
      data[Self.size - 1] = 7
      #expect(data[Self.size - 1] == 7)
    }
  }

  /// A file truncated by another process before the `Data` is made: the mapping readers check
  /// the file's size before mapping, the copying readers find the file ending early, and both
  /// throw the truncation error rather than hand out zeros. An in-memory reader holds the
  /// bytes it read at open.
  @Test(arguments: Source.allCases)
  func dataOfAFileTruncatedByAnotherProcessThrowsENODATA(source: Source) throws {
    let size = 4 << 20
    let contents = generatedBytes(count: size, seed: 8)
    try withTemporaryFile(contents: contents) { path in
      let reader = try source.openReader(path)
      defer { try? reader.close() }
      #expect(truncateFromAnotherProcess(path, to: 0))
      for range in [0..<size, 100..<200, (size - 1)..<size] {
        if source == .memory {
          #expect(try reader.data(in: range).elementsEqual(contents[range]))
          continue
        }
        do throws(MMapError) {
          _ = try reader.data(in: range)
          Issue.record("data of a truncated file must throw: \(range)")
        } catch {
          #expect(error.operation == .read && error.errno == ENODATA, "\(range)")
          #expect(error.path == reader.path && error.isTruncation, "\(range)")
        }
      }
      if source != .memory {
        #expect(throws: MMapError(.read, path: reader.path, errno: ENODATA, missingOffset: 0)) {
          try reader.data()
        }
      }
    }
  }

  /// A reader of a byte range at an unaligned offset maps the file from that offset.
  @Test func dataOfARangeReaderStartsAtItsFirstByte() throws {
    let contents = generatedBytes(count: 3 * Self.size, seed: 6)
    try withTemporaryFile(contents: contents) { path in
      let offset = pageSize + 123
      let readers: [any RandomAccessReader] = [
        try MMapReader(path: path, offset: offset, count: 2 * Self.size),
        try MMapWindowReader(path: path, offset: offset, count: 2 * Self.size),
      ]
      for reader in readers {
        let data = try reader.data(in: 7..<(Self.size + 7))
        try reader.close()
        #expect(mappingCount(of: path) >= 1, "the Data maps the file")
        #expect(data.elementsEqual(contents[(offset + 7)..<(offset + Self.size + 7)]))
      }
    }
  }

  /// An `MMapReader` whose path now names another file copies its own bytes rather than map
  /// the other file.
  @Test func readerWhosePathWasReplacedGivesItsOwnBytes() throws {
    let contents = generatedBytes(count: Self.size, seed: 5)
    try withTemporaryFile(contents: contents) { path in
      let reader = try MMapReader(path: path)
      let replacement = path + ".new"
      try Data(repeating: 0x55, count: Self.size).write(to: URL(fileURLWithPath: replacement))
      #expect(rename(replacement, path) == 0)
      let data = try reader.data()
      #expect(data.elementsEqual(contents))
    }
  }

  /// The point of the bridge: a mapped JSON file decoded straight from its mapping.
  @Test func mappedJSONFixtureDecodesWithJSONDecoder() throws {
    struct Fixture: Decodable, Equatable {
      struct Record: Decodable, Equatable {
        var id: Int
        var name: String
        var tags: [String]
        var score: Double
        var active: Bool
      }
      var version: Int
      var records: [Record]
    }
    let url = URL(fileURLWithPath: fixturePath("records.json"))
    let reader = try FileReader.open(url: url)
    #expect(FileReader.Kind(of: reader) == .mapped)
    let data = try reader.data()
    try reader.close()
    let decoded = try JSONDecoder().decode(Fixture.self, from: data)
    #expect(decoded.version == 3 && decoded.records.count == 800)
    #expect(decoded.records[123].name == "record-0123")
    #expect(decoded == (try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))))
  }
}
