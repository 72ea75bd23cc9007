import Foundation
import Testing

@testable import MMap

/// The pread reader delivers exactly what the mapping reader and a plain `pread` do, with the
/// same end-of-file rule, errors and close behaviour.
@Suite struct PReadReaderTests {
  /// Sizes around page boundaries, plus one of a few MiB.
  static let sizes = [1, pageSize - 1, pageSize, pageSize + 1, 3 * pageSize + 17, 3 << 20]

  @Test(arguments: sizes)
  func readsMatchMappingReaderAndPReadAtRandomOffsets(size: Int) throws {
    try withTemporaryFile(contents: generatedBytes(count: size, seed: UInt64(size))) { path in
      let reader = try PReadReader(path: path)
      let mapped = try MMapReader(path: path)
      defer {
        try? reader.close()
        try? mapped.close()
      }
      #expect(reader.count == size)
      var random = SeededGenerator(seed: 0xC0FFEE)
      var expected = [UInt8](repeating: 0, count: 9000)
      var actual = [UInt8](repeating: 0, count: 9000)
      for _ in 0..<2000 {
        let offset = Int.random(in: 0...size, using: &random)
        let capacity = Int.random(in: 0...min(9000, size + 8), using: &random)
        let copied = try actual.withUnsafeMutableBytes { buffer throws(MMapError) in
          try reader.read(from: offset, into: .init(rebasing: buffer[..<capacity]))
        }
        let mappedCopied = try expected.withUnsafeMutableBytes { buffer throws(MMapError) in
          try mapped.read(from: offset, into: .init(rebasing: buffer[..<capacity]))
        }
        let truth = preadBytes(path: path, offset: offset, count: capacity)
        #expect(copied == mappedCopied)
        #expect(copied == truth.count)
        #expect(actual[..<copied] == expected[..<copied])
        #expect(Array(actual[..<copied]) == truth)
      }
      for _ in 0..<1000 {
        let offset = Int.random(in: 0..<size, using: &random)
        #expect(try reader.byte(at: offset) == mapped[offset])
      }
    }
  }

  @Test func subRangeReadsOnlyItsBytes() throws {
    let contents = generatedBytes(count: 3 * pageSize + 17, seed: 3)
    try withTemporaryFile(contents: contents) { path in
      let reader = try PReadReader(path: path, offset: pageSize + 5, count: 100)
      defer { try? reader.close() }
      #expect(reader.count == 100)
      #expect(try reader.bytes(in: 0..<100) == Array(contents[(pageSize + 5)..<(pageSize + 105)]))
      var buffer = [UInt8](repeating: 0, count: 200)
      #expect(try reader.read(from: 90, into: &buffer) == 10)
      #expect(try reader.byte(at: 99) == contents[pageSize + 104])
      #expect(throws: MMapError(.read, path: path, errno: EINVAL)) { try reader.byte(at: 100) }
    }
  }

  @Test func subRangeOutsideFileThrowsEINVAL() throws {
    try withTemporaryFile(contents: [1, 2, 3]) { path in
      #expect(throws: MMapError(.open, path: path, errno: EINVAL)) {
        try PReadReader(path: path, offset: 4)
      }
      #expect(throws: MMapError(.open, path: path, errno: EINVAL)) {
        try PReadReader(path: path, offset: 1, count: 3)
      }
      #expect(throws: MMapError(.open, path: path, errno: EINVAL)) {
        try PReadReader(path: path, offset: -1)
      }
    }
  }

  @Test func readAtEndReturnsZero() throws {
    try withTemporaryFile(contents: [1, 2, 3]) { path in
      let reader = try PReadReader(path: path)
      var buffer = [UInt8](repeating: 0, count: 4)
      #expect(try reader.read(from: 3, into: &buffer) == 0)
    }
  }

  @Test func readPastEndOrBeforeStartThrowsEINVAL() throws {
    try withTemporaryFile(contents: [1, 2, 3]) { path in
      let reader = try PReadReader(path: path)
      var buffer = [UInt8](repeating: 0, count: 4)
      let invalid = MMapError(.read, path: path, errno: EINVAL)
      #expect(throws: invalid) { try reader.read(from: 4, into: &buffer) }
      #expect(throws: invalid) { try reader.read(from: -1, into: &buffer) }
      #expect(throws: invalid) { try reader.read(from: Int.max, into: &buffer) }
      #expect(throws: invalid) { try reader.byte(at: 3) }
      #expect(throws: invalid) { try reader.byte(at: -1) }
    }
  }

  @Test func readPastEndReturnsShortCount() throws {
    try withTemporaryFile(contents: [1, 2, 3, 4, 5]) { path in
      let reader = try PReadReader(path: path)
      var buffer = [UInt8](repeating: 0, count: 4)
      #expect(try reader.read(from: 3, into: &buffer) == 2)
      #expect(buffer == [4, 5, 0, 0])
      #expect(throws: MMapError(.read, path: path, errno: ENODATA)) {
        try reader.bytes(in: 3..<6)
      }
    }
  }

  @Test func emptyFileReadsAsEmpty() throws {
    try withTemporaryFile(contents: []) { path in
      let reader = try PReadReader(path: path)
      #expect(reader.count == 0)
      var buffer = [UInt8](repeating: 0, count: 4)
      #expect(try reader.read(from: 0, into: &buffer) == 0)
      #expect(try reader.bytes(in: 0..<0) == [])
    }
  }

  @Test func openingMissingFileThrowsENOENTWithPath() {
    let path = "/nonexistent/swift-mmap/missing.bin"
    #expect(throws: MMapError(.open, path: path, errno: ENOENT)) { try PReadReader(path: path) }
  }

  @Test func openingDirectoryThrowsEISDIR() throws {
    try withTemporaryDirectory { directory in
      #expect(throws: MMapError(.open, path: directory, errno: EISDIR)) {
        try PReadReader(path: directory)
      }
    }
  }

  @Test func openingDevNullThrowsENODEV() {
    #expect(throws: MMapError(.open, path: "/dev/null", errno: ENODEV)) {
      try PReadReader(path: "/dev/null")
    }
  }

  @Test func closedReaderThrowsEBADF() throws {
    try withTemporaryFile(contents: [1, 2, 3]) { path in
      let reader = try PReadReader(path: path)
      #expect(!reader.isClosed)
      try reader.close()
      #expect(reader.isClosed)
      var buffer = [UInt8](repeating: 0, count: 2)
      let closed = MMapError(.read, path: path, errno: EBADF)
      #expect(throws: closed) { try reader.read(from: 0, into: &buffer) }
      #expect(throws: closed) { try reader.byte(at: 0) }
      // Closed wins over a bad offset, as for MMapReader.
      #expect(throws: closed) { try reader.byte(at: 7) }
    }
  }

  @Test func closeTwiceIsHarmless() throws {
    try withTemporaryFile(contents: [1, 2, 3]) { path in
      let reader = try PReadReader(path: path)
      try reader.close()
      try reader.close()
      #expect(reader.isClosed)
    }
  }

  /// Counted in a child process: tests running in parallel open descriptors of their own.
  /// The test runtime may hold a descriptor briefly, so the final count may take a moment to
  /// settle; a leak would leave 500 more.
  @Test func thousandOpenCloseCyclesLeakNoDescriptor() async {
    await #expect(processExitsWith: .success) {
      let path = "/tmp/swift-mmap-pread-cycles-\(getpid())"
      let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o600)
      precondition(fd >= 0 && write(fd, "0123456789", 10) == 10)
      close(fd)
      defer { unlink(path) }
      // Counted by what they point to: the runner's own descriptors come and go.
      let opened = [path, "/dev/null", "/tmp"]
      let descriptors = openDescriptorTargets().filter(opened.contains).count
      do {
        let reader = try PReadReader(path: path)
        precondition(fcntl(reader.fd, F_GETFD) != -1, "no descriptor held")
        try reader.close()
        try reader.close()
        precondition(fcntl(reader.fd, F_GETFD) == -1, "close kept the descriptor")
      }
      for cycle in 0..<1000 {
        let reader = try PReadReader(path: path)
        let byte = try reader.byte(at: cycle % 10)
        precondition(byte == UInt8(ascii: "0") + UInt8(cycle % 10))
        if cycle % 2 == 0 { try reader.close() }  // The others close in deinit.
      }
      for _ in 0..<100 {
        _ = try? PReadReader(path: "/dev/null")
        _ = try? PReadReader(path: "/tmp")
        _ = try? PReadReader(path: path, offset: 11)
      }
      precondition(openDescriptorTargets().filter(opened.contains).count == descriptors)
    }
  }

  @Test func callersDescriptorIsNeverClosedAndMayCloseFirst() throws {
    try withTemporaryFile(contents: [7, 8, 9]) { path in
      let fd = open(path, O_RDONLY)
      try #require(fd >= 0)
      defer { close(fd) }
      do {
        let reader = try PReadReader(fileDescriptor: fd, offset: 1)
        #expect(reader.path == nil)
        #expect(try reader.bytes(in: 0..<2) == [8, 9])
        try reader.close()
        #expect(throws: MMapError(.read, path: nil, errno: EBADF)) { try reader.byte(at: 0) }
      }
      _ = try PReadReader(fileDescriptor: fd)  // Dropped at once: deinit must not close fd.
      #expect(fcntl(fd, F_GETFD) != -1)
      var byte: UInt8 = 0
      #expect(pread(fd, &byte, 1, 0) == 1)
      #expect(byte == 7)
      // The reader reads through its own duplicate, so the caller may close first.
      let early = open(path, O_RDONLY)
      let reader = try PReadReader(fileDescriptor: early)
      close(early)
      #expect(try reader.bytes(in: 0..<3) == [7, 8, 9])
      #expect(throws: MMapError(.open, path: nil, errno: EBADF)) {
        try PReadReader(fileDescriptor: early)
      }
    }
  }

  /// Reads racing with `close()` deliver the file's bytes or throw EBADF, and the descriptor
  /// is closed exactly once, after the last of them (counted in a child process).
  @Test func closeRacingWithReadsDeliversFileBytesOrEBADF() async {
    await #expect(processExitsWith: .success) {
      let contents = generatedBytes(count: 64 * 1024, seed: 11)
      let path = "/tmp/swift-mmap-pread-race-\(getpid())"
      try Data(contents).write(to: URL(fileURLWithPath: path))
      defer { unlink(path) }
      let descriptors = openDescriptorTargets().filter { $0 == path }.count
      for round in 0..<20 {
        let reader = try PReadReader(path: path)
        await withTaskGroup(of: Void.self) { group in
          for task in 0..<4 {
            group.addTask {
              var random = SeededGenerator(seed: UInt64(round * 8 + task + 1))
              var buffer = [UInt8](repeating: 0, count: 64)
              for _ in 0..<500 {
                let offset = Int.random(in: 0...(contents.count - 64), using: &random)
                do throws(MMapError) {
                  let copied = try reader.read(from: offset, into: &buffer)
                  precondition(copied == 64)
                  precondition(buffer[...] == contents[offset..<(offset + 64)])
                } catch {
                  precondition(error.errno == EBADF, "\(error)")
                  return
                }
              }
            }
          }
          group.addTask { try? reader.close() }
        }
        precondition(reader.isClosed)
      }
      // Counted by target: the runner's own descriptors come and go.
      precondition(openDescriptorTargets().filter { $0 == path }.count == descriptors)
    }
  }
}
