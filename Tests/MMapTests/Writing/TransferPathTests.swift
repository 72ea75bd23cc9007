import Foundation
import Testing

@testable import MMap

/// The path each destination takes (`send` or `sendfile` to a socket, `vmsplice` or `splice`
/// to a pipe, `write` or `copy_file_range` to a regular file), each checked byte for byte
/// against `pread` and for its typed failures.
@Suite struct TransferPathTests {
  /// A destination of a write, opened fresh for each test.
  enum Destination: String, CaseIterable, CustomTestStringConvertible {
    case socket, pipe, regularFile
    var testDescription: String { rawValue }
  }

  /// A destination's writing end and what arrives at it, once `finish()` is called.
  struct Sink {
    let fd: CInt
    let finish: () -> [UInt8]

    init(_ destination: Destination, path: String) {
      switch destination {
      case .socket:
        let (near, far) = makeSocketPair()
        let drain = BackgroundDrain(far)
        fd = near
        finish = {
          close(near)
          return drain.bytes()
        }
      case .pipe:
        let (readEnd, writeEnd) = makePipe()
        let drain = BackgroundDrain(readEnd)
        fd = writeEnd
        finish = {
          close(writeEnd)
          return drain.bytes()
        }
      case .regularFile:
        let out = path + ".out"
        let fd = openForWriting(out)
        self.fd = fd
        finish = {
          close(fd)
          defer { unlink(out) }
          return fileContents(out)
        }
      }
    }
  }

  /// Ranges at the edges: empty, one byte at each end, around every page boundary of the
  /// first pages, the whole file, and random ones.
  static func ranges(count: Int) -> [Range<Int>] {
    var ranges: [Range<Int>] = [0..<0, 0..<1, count - 1..<count, 0..<count, count..<count]
    for edge in [pageSize, 2 * pageSize] {
      ranges += [edge - 1..<edge, edge..<edge + 1, edge - 1..<edge + 1, 0..<edge, edge..<count]
    }
    var random = SeededGenerator(seed: 61)
    for _ in 0..<12 {
      let lower = Int.random(in: 0...count, using: &random)
      ranges.append(lower..<Int.random(in: lower...count, using: &random))
    }
    return ranges
  }

  @Test(arguments: ReaderKind.allCases, Destination.allCases)
  func everyPathDeliversExactlyWhatPreadReads(kind: ReaderKind, destination: Destination)
    throws
  {
    // More than a pipe's or a socket's buffer, and not a whole number of pages.
    let contents = generatedBytes(count: 3 * 65536 + 2 * pageSize + 11, seed: 62)
    try withTemporaryFile(contents: contents) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      let sink = Sink(destination, path: path)
      var expected: [UInt8] = []
      for range in Self.ranges(count: contents.count) {
        #expect(try reader.write(in: range, to: sink.fd) == range.count, "\(range)")
        expected += preadBytes(path: path, offset: range.lowerBound, count: range.count)
      }
      #expect(sameBytes(sink.finish()[...], expected[...]))
    }
  }

  /// `fstat` of the destination chooses the kernel transfer a descriptor-holding reader
  /// uses; a device gets plain writes.
  @Test func destinationKindChoosesTheKernelTransfer() throws {
    try withTemporaryFile(contents: [1, 2, 3]) { path in
      let (near, far) = makeSocketPair()
      let (readEnd, writeEnd) = makePipe()
      let file = openForWriting(path + ".out")
      let device = open("/dev/null", O_WRONLY)
      defer {
        for fd in [near, far, readEnd, writeEnd, file, device] { close(fd) }
        unlink(path + ".out")
      }
      let transfers = try [near, writeEnd, file, device].map { fd throws(MMapError) in
        try DescriptorWriter(fd: fd, path: path).kernelTransfer
      }
      #expect(transfers == [.sendfile, .splice, .copyFileRange, nil])
      setNonBlocking(writeEnd)
      #expect(try DescriptorWriter(fd: writeEnd, path: path).isNonBlocking)
      #expect(try !DescriptorWriter(fd: file, path: path).isNonBlocking)
    }
  }

  /// A non-blocking socket that fills throws `EAGAIN` with the count that went in, and the
  /// rest can follow from there, on every path.
  @Test(arguments: ReaderKind.allCases)
  func fullNonBlockingSocketThrowsEAGAINWithTheCount(kind: ReaderKind) throws {
    let contents = generatedBytes(count: 8 << 20, seed: 63)
    try withTemporaryFile(contents: contents) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      let (near, far) = makeSocketPair()
      defer {
        close(near)
        close(far)
      }
      setNonBlocking(near)
      setNonBlocking(far)
      let first = WriteToDescriptorTests.failure { () throws(MMapError) in
        try reader.write(to: near)
      }
      let written = try #require(first?.bytesWritten)
      #expect(first?.errno == EAGAIN && first?.operation == .write && first?.path == path)
      #expect(written > 0 && written < contents.count)
      var received = readToEnd(far)
      #expect(received[...] == contents[..<written])
      received += try WriteToDescriptorTests.writeRest(
        of: reader, from: written, to: near, drainingInto: far)
      #expect(sameBytes(received[...], contents[...]))
    }
  }

  /// A file truncated before a write that needs the lost bytes: every path throws the
  /// truncation error with the new end, after delivering only the file's bytes (a kernel
  /// transfer all that are left; a mapping at most up to the end of the page that holds the
  /// new end, zeros after it).
  @Test(arguments: ReaderKind.readingTheFile, Destination.allCases)
  func truncatedFileThrowsTheTruncationErrorOnEveryPath(
    kind: ReaderKind, destination: Destination
  ) throws {
    let contents = generatedBytes(count: 64 * pageSize, seed: 64)
    let newEnd = 5 * pageSize + 100
    try withTemporaryFile(contents: contents) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      #expect(truncate(path, off_t(newEnd)) == 0)
      let sink = Sink(destination, path: path)
      let failure = WriteToDescriptorTests.failure { () throws(MMapError) in
        try reader.write(in: pageSize..<contents.count, to: sink.fd)
      }
      let received = sink.finish()
      #expect(failure?.errno == ENODATA && failure?.operation == .read)
      #expect(failure?.missingOffset == newEnd)
      let written = try #require(failure?.bytesWritten)
      #expect(received.count == written)
      let kept = newEnd - pageSize
      if kind == .pread {
        #expect(written == kept, "a kernel transfer stops at the end of file")
      } else {
        // A socket may refuse a whole send that reaches a lost page (EFAULT), so a mapping
        // delivers at most up to the end of the page that holds the new end.
        #expect(written <= kept + pageSize)
      }
      let good = min(kept, written)
      #expect(received.prefix(good)[...] == contents[pageSize..<pageSize + good])
      #expect(received.dropFirst(kept).allSatisfy { $0 == 0 })
    }
  }

  /// `copy_file_range` refuses a destination opened with `O_APPEND` (`EBADF`); the write then
  /// goes by copies, appended after what the file held.
  @Test(arguments: ReaderKind.allCases)
  func appendingDestinationGetsEveryByteAfterItsContents(kind: ReaderKind) throws {
    let contents = generatedBytes(count: 3 * pageSize + 5, seed: 65)
    try withTemporaryFile(contents: contents) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      let out = path + ".out"
      defer { unlink(out) }
      let fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0o600)
      #expect(fd >= 0)
      let prefix: [UInt8] = [9, 9, 9]
      #expect(write(fd, prefix, 3) == 3)
      #expect(try reader.write(in: 1..<contents.count, to: fd) == contents.count - 1)
      close(fd)
      #expect(fileContents(out) == [9, 9, 9] + contents[1...])
    }
  }

  /// A destination on another file system (`/dev/shm`, a tmpfs) may refuse
  /// `copy_file_range` with `EXDEV`; every byte still arrives.
  @Test(arguments: ReaderKind.allCases)
  func destinationOnAnotherFileSystemGetsEveryByte(kind: ReaderKind) throws {
    let out = "/dev/shm/swift-mmap-transfer-\(getpid())-\(kind.rawValue)"
    let fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { return }  // No /dev/shm here: nothing to check.
    defer { unlink(out) }
    let contents = generatedBytes(count: 70_000, seed: 66)
    try withTemporaryFile(contents: contents) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      #expect(try reader.write(to: fd) == contents.count)
      close(fd)
      #expect(sameBytes(fileContents(out)[...], contents[...]))
    }
  }
}
