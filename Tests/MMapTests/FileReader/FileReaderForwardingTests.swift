import Foundation
import Testing

@testable import MMap

/// A `FileReader` is a concrete reader: a cursor takes it, and every call reaches the reader it
/// chose, with the same answers as that reader opened directly.
@Suite struct FileReaderForwardingTests {
  /// A file larger than the memory threshold and than a window, not a multiple of a page.
  static let size = 3 * FileReader.defaultMemoryThreshold + 123

  /// Every kind, forced, with options whose windows are smaller than the file.
  static func options(_ kind: FileReader.Kind) -> FileReader.Options {
    FileReader.Options(kind: kind, windowSize: 4 * pageSize, maxWindows: 2)
  }

  @Test(arguments: FileReader.Kind.allCases)
  func cursorReadsTheFileThroughTheChosenReader(kind: FileReader.Kind) throws {
    let bytes = generatedBytes(count: Self.size, seed: 301)
    try withTemporaryFile(contents: bytes) { path in
      let reader = try FileReader.open(path: path, options: Self.options(kind))
      defer { try? reader.close() }
      #expect(reader.kind == kind && reader.reason == .forced)
      var cursor = ReaderCursor(reader)
      let first = try cursor.readInteger(as: UInt32.self, byteOrder: .bigEndian)
      #expect(
        first == UInt32(bytes[0]) << 24 | UInt32(bytes[1]) << 16 | UInt32(bytes[2]) << 8
          | UInt32(bytes[3]))
      try cursor.seek(to: Self.size - 10)
      #expect(try cursor.readBytes(count: 10) == Array(bytes[(Self.size - 10)...]))
      #expect(cursor.isAtEnd)
    }
  }

  /// Each read, view and scan gives what the reader of the same kind, opened directly, gives.
  @Test(arguments: FileReader.Kind.allCases)
  func readsViewsAndScansMatchThePreadTruth(kind: FileReader.Kind) throws {
    let bytes = generatedBytes(count: Self.size, seed: 303)
    try withTemporaryFile(contents: bytes) { path in
      let reader = try FileReader.open(path: path, options: Self.options(kind))
      defer { try? reader.close() }
      #expect(reader.count == Self.size && reader.path == path)
      for offset in [0, 1, pageSize - 3, 4 * pageSize - 1, Self.size - 8] {
        #expect(reader[offset] == bytes[offset])
        #expect(try reader.byte(at: offset) == bytes[offset])
        let expected = bytes[offset..<(offset + 8)].reversed().reduce(UInt64(0)) {
          $0 << 8 | UInt64($1)
        }
        #expect(try reader.integer(at: offset, as: UInt64.self) == expected)
        #expect(
          try reader.integer(at: offset, as: UInt64.self, byteOrder: .bigEndian)
            == expected.byteSwapped)
      }
      // A range across a window edge, and one at the end.
      for range in [(4 * pageSize - 100)..<(4 * pageSize + 100), (Self.size - 50)..<Self.size] {
        #expect(try reader.withUnsafeBytes(in: range) { Array($0) } == Array(bytes[range]))
        #expect(try reader.bytes(in: range) == Array(bytes[range]))
      }
      #expect(try reader.withUnsafeBytes(in: 7..<7) { $0.count } == 0)
      var scanned: [UInt8] = []
      try reader.forEachChunk { offset, chunk in
        #expect(offset == scanned.count)
        scanned += chunk
        return .proceed
      }
      #expect(scanned == bytes)
      #expect(try reader.count(of: 0x0A) == bytes.count { $0 == 0x0A })
      #expect(throws: MMapError(.read, path: path, errno: EINVAL)) {
        try reader.withUnsafeBytes(in: 0..<(Self.size + 1)) { _ in }
      }
      #expect(throws: MMapError(.read, path: path, errno: ENODATA)) {
        try reader.integer(at: Self.size - 3, as: UInt32.self)
      }
    }
  }

  /// `byte(at:)` and `read(from:into:)` at every edge (negative, at and past the end, a
  /// partial last read, an empty buffer, a closed reader) answer as the chosen reader does:
  /// the fast path that loads a file in memory or mapped whole keeps every case but the
  /// whole read inside the file for that reader.
  @Test(arguments: FileReader.Kind.allCases)
  func readsAtTheEdgesAnswerAsTheChosenReader(kind: FileReader.Kind) throws {
    let bytes = generatedBytes(count: Self.size, seed: 305)
    try withTemporaryFile(contents: bytes) { path in
      let reader = try FileReader.open(path: path, options: Self.options(kind))
      let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 16, alignment: 1)
      defer { buffer.deallocate() }
      func read(_ offset: Int, _ count: Int) -> Result<[UInt8], MMapError> {
        Result { () throws(MMapError) -> [UInt8] in
          let target = UnsafeMutableRawBufferPointer(rebasing: buffer[..<count])
          let copied = try reader.read(from: offset, into: target)
          return Array(target[..<copied])
        }
      }
      let size = Self.size
      for offset in [-1, 0, size - 16, size - 5, size - 1, size, size + 1, .max, .min] {
        let expectedByte = (0..<size).contains(offset) ? bytes[offset] : nil
        #expect((try? reader.byte(at: offset)) == expectedByte, "\(offset)")
        for count in [0, 1, 16] {
          let valid = offset >= 0 && offset <= size
          let expected = valid ? Array(bytes[offset..<min(offset + count, size)]) : nil
          #expect((try? read(offset, count).get()) == expected, "\(offset), \(count)")
        }
      }
      #expect(throws: MMapError(.read, path: path, errno: EINVAL)) { try reader.byte(at: size) }
      try reader.close()
      #expect(throws: MMapError.closed(path: path)) { try reader.byte(at: 0) }
      #expect(throws: MMapError.closed(path: path)) { try read(0, 16).get() }
    }
  }

  /// Advice, locks and residency reach a mapped reader; a file in memory is all resident and
  /// has nothing to lock; a file read with pread can't be locked or counted.
  @Test(arguments: FileReader.Kind.allCases)
  func mappedExtrasOnEveryKind(kind: FileReader.Kind) throws {
    try withTemporaryFile(contents: generatedBytes(count: Self.size, seed: 305)) { path in
      let reader = try FileReader.open(path: path, options: Self.options(kind))
      try reader.advise(.random)
      try reader.advise(.willNeed, in: 0..<pageSize)
      #expect(throws: MMapError(.advise, path: path, errno: EINVAL)) {
        try reader.advise(.normal, in: 0..<(Self.size + 1))
      }
      let firstPages = 0..<(2 * pageSize)
      switch kind {
      case .mapped, .windowed:
        try reader.lock(in: firstPages)
        #expect(try reader.residency(in: firstPages).isFullyResident)
        try reader.unlock(in: firstPages)
        #expect(try reader.residency().pageCount == (Self.size + pageSize - 1) / pageSize)
      case .memory:
        try reader.lock(in: firstPages)
        try reader.unlock()
        let residency = try reader.residency(in: 10..<(pageSize + 10))
        #expect(residency.pageCount == 2 && residency.isFullyResident)
        #expect(residency.residentByteCount == pageSize)
      case .pread:
        #expect(throws: MMapError(.lock, path: path, errno: ENOTSUP)) { try reader.lock() }
        try reader.unlock()
        #expect(throws: MMapError(.residency, path: path, errno: ENOTSUP)) {
          try reader.residency()
        }
      }
      try reader.close()
      #expect(reader.isClosed)
      #expect(throws: MMapError(.advise, path: path, errno: EBADF)) { try reader.advise(.random) }
      #expect(throws: MMapError(.read, path: path, errno: EBADF)) { try reader.byte(at: 0) }
      #expect(throws: MMapError(.stat, path: path, errno: EBADF)) { try reader.fileStatus() }
    }
  }

  /// Why each kind was chosen, in the reader's description.
  @Test func reasonsOfTheChoice() throws {
    let threshold = FileReader.defaultMemoryThreshold
    let options = FileReader.Options(windowThreshold: 2 * threshold)
    for (size, kind, reason) in [
      (0, FileReader.Kind.memory, FileReader.Reason.sizeUnknown), (100, .memory, .small),
      (threshold + 1, .mapped, .mappable),
      (2 * threshold, .windowed, .large),
    ] {
      try withTemporaryFile(contents: generatedBytes(count: size, seed: 307)) { path in
        let reader = try FileReader.open(path: path, options: options)
        #expect(reader.kind == kind && reader.reason == reason, "size \(size)")
        #expect(
          reader.description == "FileReader(\(kind), \"\(path)\", \(size) bytes: \(reason), open)")
      }
    }
    let status = try FileReader.open(path: "/proc/self/status")
    #expect(status.kind == .memory && status.reason == .sizeUnknown)
  }

  /// `release()` of an unshared reader frees it at once; of a shared one, closes it for every
  /// holder.
  @Test(arguments: FileReader.Kind.allCases)
  func releaseFreesAnUnsharedReaderAndClosesASharedOne(kind: FileReader.Kind) throws {
    try withTemporaryFile(contents: generatedBytes(count: Self.size, seed: 309)) { path in
      var reader = try FileReader.open(path: path, options: Self.options(kind))
      weak let unshared = reader
      try (consume reader).release()
      #expect(unshared == nil)
      #expect(mappingCount(of: path) == 0)
      reader = try FileReader.open(path: path, options: Self.options(kind))
      let other = reader
      try (consume reader).release()
      #expect(other.isClosed)
      #expect(throws: MMapError(.read, path: path, errno: EBADF)) { try other.byte(at: 0) }
    }
  }
}
