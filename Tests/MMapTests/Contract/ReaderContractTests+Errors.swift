import Foundation
import Testing

@testable import MMap

extension ReaderContractTests {
  /// Ranges taken from an untrusted file must never crash the process: every access with a
  /// range or offset outside the reader throws.
  @Test(arguments: ReaderKind.allCases)
  func rangesOutsideTheReaderThrowEINVALForEveryAccess(kind: ReaderKind) throws {
    try withTemporaryFile(contents: Array(0..<36)) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      let invalid = MMapError(.read, path: path, errno: EINVAL)
      for range in [-1..<3, 30..<37, 37..<37, Int.min..<0, 0..<Int.max] {
        #expect(throws: invalid) { try reader.forEachChunk(in: range) { _, _ in .proceed } }
      }
      if kind != .pread {
        let reader = try kind.openZeroCopy(path)
        defer { try? reader.close() }
        for range in [-1..<3, 30..<37, 37..<37, 0..<Int.max] {
          #expect(throws: invalid) { try reader.withUnsafeBytes(in: range) { _ in } }
          #expect(throws: invalid) { try reader.withBytes(in: range) { _ in } }
        }
      }
    }
  }

  @Test(arguments: ReaderKind.allCases)
  func closeTwiceIsHarmlessAndEverythingAfterwardThrowsEBADF(kind: ReaderKind) throws {
    try withTemporaryFile(contents: Array(0..<36)) { path in
      let reader = try kind.open(path)
      #expect(!reader.isClosed)
      try reader.close()
      try reader.close()
      #expect(reader.isClosed)
      #expect(reader.count == 36, "the count stays readable")
      let closed = MMapError(.read, path: path, errno: EBADF)
      var buffer = [UInt8](repeating: 0, count: 4)
      var empty: [UInt8] = []
      #expect(throws: closed) { try reader.read(from: 0, into: &buffer) }
      #expect(throws: closed) { try reader.read(from: 0, into: &empty) }
      #expect(throws: closed) { try reader.byte(at: 0) }
      // The closed error comes first, whatever the offset.
      #expect(throws: closed) { try reader.byte(at: -1) }
      #expect(throws: closed) { try reader.byte(at: 36) }
      #expect(throws: closed) { try reader.byte(at: Int.min) }
      #expect(throws: closed) { try reader.readExactly(from: 0, into: &buffer) }
      #expect(throws: closed) { try reader.readExactly(from: 0, into: &empty) }
      #expect(throws: closed) { try reader.bytes(in: 0..<4) }
      #expect(throws: closed) { try reader.bytes(in: 0..<0) }
      #expect(throws: closed) { try reader.forEachChunk { _, _ in .proceed } }
      if kind != .pread {
        let reader = try kind.openZeroCopy(path)
        try reader.close()
        #expect(throws: closed) { try reader.withUnsafeBytes { _ in } }
        #expect(throws: closed) { try reader.withUnsafeBytes(in: 0..<0) { _ in } }
        #expect(throws: closed) { try reader.withBytes(in: 1..<2) { _ in } }
      }
    }
  }

  @Test(arguments: ReaderKind.allCases)
  func readerFromADescriptorReadsThroughItsOwnAndNeverClosesTheCallers(kind: ReaderKind) throws {
    let contents = generatedBytes(count: 2 * pageSize + 5, seed: 17)
    try withTemporaryFile(contents: contents) { path in
      let fd = open(path, O_RDONLY)
      #expect(fd >= 0)
      let reader = try kind.open(fileDescriptor: fd)
      defer { try? reader.close() }
      #expect(reader.path == nil)
      close(fd)  // The caller may close its descriptor at once.
      #expect(try reader.bytes(in: 0..<reader.count) == contents)
      try reader.close()
      let again = open(path, O_RDONLY)
      defer { close(again) }
      let second = try kind.open(fileDescriptor: again)
      try second.close()
      #expect(fcntl(again, F_GETFD) >= 0, "the reader closed the caller's descriptor")
      #expect(throws: MMapError(.open, path: nil, errno: EBADF)) {
        try kind.open(fileDescriptor: -1)
      }
    }
  }
}

extension ReaderContractTests {
  @Test(arguments: ReaderKind.mapped)
  func adviceOutsideTheReaderThrowsEINVALAndAfterCloseEBADF(kind: ReaderKind) throws {
    try withTemporaryFile(contents: generatedBytes(count: 3 * pageSize, seed: 37)) { path in
      let reader = try kind.openZeroCopy(path)
      let advise = { (range: Range<Int>?) throws(MMapError) in
        switch reader {
        case let reader as MMapReader: try reader.advise(.willNeed, in: range)
        case let reader as MMapWindowReader: try reader.advise(.willNeed, in: range)
        default: Issue.record("\(kind) has no advice")
        }
      }
      try advise(nil)
      try advise(1..<(2 * pageSize + 1))
      try advise(0..<0)
      for range in [-1..<2, 0..<(3 * pageSize + 1), Int.min..<Int.max] {
        #expect(throws: MMapError(.advise, path: path, errno: EINVAL)) { try advise(range) }
      }
      try reader.close()
      #expect(throws: MMapError(.advise, path: path, errno: EBADF)) { try advise(nil) }
    }
  }
}
