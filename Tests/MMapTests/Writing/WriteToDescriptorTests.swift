import Foundation
import Testing

@testable import MMap

/// Writing a reader's bytes to a descriptor, checked byte for byte at the receiving end: a
/// regular file, a pipe and a socket drained by another thread, and the failures.
@Suite struct WriteToDescriptorTests {
  /// Larger than a pipe's and a socket's buffer, several `PReadReader` chunks, and many
  /// one-page windows.
  static let largeCount = 4 * PReadReader.chunkCapacity + 5

  @Test(arguments: ReaderKind.allCases)
  func randomRangesWrittenToAFileEqualPread(kind: ReaderKind) throws {
    let contents = generatedBytes(count: (1 << 20) + 3, seed: 41)
    try withTemporaryFile(contents: contents) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      let destination = path + ".out"
      let fd = openForWriting(destination)
      var expected: [UInt8] = []
      var random = SeededGenerator(seed: 43)
      for trial in 0..<30 {
        let lower = trial == 0 ? 0 : Int.random(in: 0...contents.count, using: &random)
        let upper =
          trial == 0 ? contents.count : Int.random(in: lower...contents.count, using: &random)
        #expect(try reader.write(in: lower..<upper, to: fd) == upper - lower)
        expected += preadBytes(path: path, offset: lower, count: upper - lower)
      }
      #expect(try reader.write(to: fd) == contents.count, "the whole reader by default")
      expected += contents
      close(fd)
      #expect(sameBytes(fileContents(destination)[...], expected[...]))
    }
  }

  @Test(arguments: ReaderKind.allCases)
  func largeWriteToAPipeArrivesWhole(kind: ReaderKind) throws {
    let contents = generatedBytes(count: Self.largeCount, seed: 44)
    try withTemporaryFile(contents: contents) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      let (readEnd, writeEnd) = makePipe()
      let drain = BackgroundDrain(readEnd)
      #expect(try reader.write(to: writeEnd) == contents.count)
      #expect(try reader.write(in: 7..<pageSize + 9, to: writeEnd) == pageSize + 2)
      close(writeEnd)
      #expect(sameBytes(drain.bytes()[...], (contents + contents[7..<pageSize + 9])[...]))
    }
  }

  @Test(arguments: ReaderKind.allCases)
  func largeWriteToASocketArrivesWhole(kind: ReaderKind) throws {
    let contents = generatedBytes(count: Self.largeCount, seed: 45)
    try withTemporaryFile(contents: contents) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      let (near, far) = makeSocketPair()
      let drain = BackgroundDrain(far)
      #expect(try reader.write(to: near) == contents.count)
      close(near)
      #expect(sameBytes(drain.bytes()[...], contents[...]))
    }
  }

  /// The cursor writes the rest from its position and ends at the end.
  @Test(arguments: ReaderKind.allCases)
  func cursorWritesTheRestAndMovesToTheEnd(kind: ReaderKind) throws {
    let contents = generatedBytes(count: 3 * pageSize + 17, seed: 46)
    try withTemporaryFile(contents: contents) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      func run(_ reader: some RandomAccessReader) throws {
        let (readEnd, writeEnd) = makePipe()
        let drain = BackgroundDrain(readEnd)
        var cursor = try ReaderCursor(reader, in: 5..<contents.count - 2)
        try cursor.seek(to: pageSize)
        #expect(try cursor.write(to: writeEnd) == cursor.count - pageSize)
        #expect(cursor.isAtEnd && cursor.position == cursor.count)
        #expect(try cursor.write(to: writeEnd) == 0, "nothing left")
        try cursor.seek(to: 3, from: .end)
        #expect(try cursor.write(to: writeEnd) == 0, "past the end")
        close(writeEnd)
        #expect(drain.bytes()[...] == contents[5 + pageSize..<contents.count - 2])
      }
      try run(reader)
    }
  }

  /// A full non-blocking pipe throws `EAGAIN` with the count that went in; a cursor resumes
  /// from there each time the pipe has been drained, until every byte has arrived in order.
  @Test(arguments: ReaderKind.allCases)
  func fullNonBlockingPipeThrowsEAGAINWithTheCountAndTheCursorResumes(kind: ReaderKind) throws {
    let contents = generatedBytes(count: Self.largeCount, seed: 47)
    try withTemporaryFile(contents: contents) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      let (readEnd, writeEnd) = makePipe()
      defer {
        close(readEnd)
        close(writeEnd)
      }
      setNonBlocking(writeEnd)
      setNonBlocking(readEnd)
      let first = Self.failure { () throws(MMapError) in try reader.write(to: writeEnd) }
      let written = try #require(first?.bytesWritten)
      #expect(first?.errno == EAGAIN && first?.operation == .write && first?.path == path)
      #expect(written > 0 && written < contents.count)
      var received = readToEnd(readEnd)
      #expect(received[...] == contents[..<written])

      received += try Self.writeRest(
        of: reader, from: written, to: writeEnd, drainingInto: readEnd)
      #expect(sameBytes(received[...], contents[...]))
    }
  }

  /// Writes `reader` from `offset` to the non-blocking `fd` with a cursor, draining the
  /// non-blocking `drain` each time the cursor stops, until every byte is written; returns what
  /// was drained.
  static func writeRest(
    of reader: some RandomAccessReader, from offset: Int, to fd: CInt, drainingInto drain: CInt
  ) throws -> [UInt8] {
    var cursor = ReaderCursor(reader)
    try cursor.seek(to: offset)
    var drained: [UInt8] = []
    var again = 0
    while !cursor.isAtEnd {
      do throws(MMapError) {
        try cursor.write(to: fd)
      } catch {
        guard error.errno == EAGAIN else { throw error }
        again += 1
      }
      drained += readToEnd(drain)
    }
    #expect(again > 0, "the pipe filled again")
    return drained
  }

  /// The error `body` throws, or `nil`.
  static func failure(_ body: () throws(MMapError) -> Int) -> MMapError? {
    do {
      _ = try body()
      return nil
    } catch {
      return error
    }
  }

  /// A pipe whose reading end is closed gives `EPIPE`, not a `SIGPIPE` that would end the
  /// test process; nothing is left pending, and the thread's signal mask is as it was.
  @Test(arguments: ReaderKind.allCases)
  func closedPipeThrowsEPIPEAndRaisesNoSignal(kind: ReaderKind) throws {
    try withTemporaryFile(contents: generatedBytes(count: 3 * pageSize, seed: 48)) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      let (readEnd, writeEnd) = makePipe()
      close(readEnd)
      defer { close(writeEnd) }
      let maskBefore = currentSignalMask()
      #expect(throws: MMapError(.write, path: path, errno: EPIPE, bytesWritten: 0)) {
        try reader.write(to: writeEnd)
      }
      #expect(!isSIGPIPEPending())
      #expect(currentSignalMask() == maskBefore)
    }
  }

  @Test(arguments: ReaderKind.allCases)
  func socketWhosePeerClosedThrowsEPIPE(kind: ReaderKind) throws {
    try withTemporaryFile(contents: generatedBytes(count: 3 * pageSize, seed: 49)) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      let (near, far) = makeSocketPair()
      close(far)
      defer { close(near) }
      #expect(throws: MMapError(.write, path: path, errno: EPIPE, bytesWritten: 0)) {
        try reader.write(to: near)
      }
      #expect(!isSIGPIPEPending())
    }
  }

  /// In a process where `SIGPIPE` has its default action (ending the process), a broken pipe
  /// or socket is only an error, on every reader; and a `SIGPIPE` that was pending before
  /// the write (blocked by the caller) is still pending after it.
  @Test func brokenPipeDoesNotEndAProcessWithTheDefaultSIGPIPEAction() async {
    await #expect(processExitsWith: .success) {
      signal(SIGPIPE, SIG_DFL)
      try withTemporaryFile(contents: Array(repeating: 7, count: 100_000)) { path in
        for kind in ReaderKind.allCases {
          let reader = try kind.open(path)
          let (readEnd, writeEnd) = makePipe()
          close(readEnd)
          let (near, far) = makeSocketPair()
          close(far)
          for fd in [writeEnd, near] {
            do throws(MMapError) {
              try reader.write(to: fd)
              preconditionFailure("wrote to a broken pipe")
            } catch {
              precondition(error.errno == EPIPE)
            }
          }
          // Blocked by the caller, raised before the write: still pending afterwards.
          var pipeOnly = sigset_t()
          sigemptyset(&pipeOnly)
          sigaddset(&pipeOnly, SIGPIPE)
          pthread_sigmask(SIG_BLOCK, &pipeOnly, nil)
          pthread_kill(pthread_self(), SIGPIPE)
          _ = try? reader.write(to: writeEnd)
          precondition(isSIGPIPEPending())
          var taken: CInt = 0
          sigwait(&pipeOnly, &taken)
          pthread_sigmask(SIG_UNBLOCK, &pipeOnly, nil)
          close(writeEnd)
          close(near)
          try reader.close()
        }
      }
    }
  }

  @Test(arguments: ReaderKind.allCases)
  func badDescriptorRangeAndClosedReaderThrowWithNothingWritten(kind: ReaderKind) throws {
    try withTemporaryFile(contents: Array(0..<10)) { path in
      let reader = try kind.open(path)
      let fd = openForWriting(path + ".out")
      defer { close(fd) }
      #expect(throws: MMapError(.write, path: path, errno: EBADF, bytesWritten: 0)) {
        try reader.write(to: -1)
      }
      for range in [-1..<3, 5..<11, 11..<11, 0..<Int.max] {
        #expect(throws: MMapError(.write, path: path, errno: EINVAL, bytesWritten: 0)) {
          try reader.write(in: range, to: fd)
        }
      }
      #expect(try reader.write(in: 10..<10, to: fd) == 0)
      try reader.close()
      #expect(throws: MMapError(.write, path: path, errno: EBADF, bytesWritten: 0)) {
        try reader.write(to: fd)
      }
      #expect(fileContents(path + ".out").isEmpty)
    }
  }

  /// A write to a read-only descriptor fails as `write(2)` does, with `EBADF`.
  @Test func readOnlyDescriptorThrowsEBADF() throws {
    try withTemporaryFile(contents: Array(0..<10)) { path in
      let reader = try MMapReader(path: path)
      defer { try? reader.close() }
      let fd = open(path, O_RDONLY)
      defer { close(fd) }
      #expect(throws: MMapError(.write, path: path, errno: EBADF, bytesWritten: 0)) {
        try reader.write(to: fd)
      }
    }
  }

  /// A write from pages truncated away fails after the bytes that are still there with the
  /// truncation error, where touching them would raise `SIGBUS`: the kernel's `EFAULT`,
  /// explained by the file's size.
  @Test(arguments: ReaderKind.mapped)
  func writeFromATruncatedMappingThrowsTheTruncationErrorInsteadOfSIGBUS(kind: ReaderKind)
    throws
  {
    let contents = generatedBytes(count: 3 * pageSize, seed: 51)
    try withTemporaryFile(contents: contents) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      #expect(truncate(path, off_t(pageSize + 100)) == 0)
      let destination = path + ".out"
      let fd = openForWriting(destination)
      let failure = Self.failure { () throws(MMapError) in try reader.write(to: fd) }
      close(fd)
      #expect(failure?.errno == ENODATA && failure?.operation == .read)
      #expect(failure?.missingOffset == pageSize + 100)
      let written = try #require(failure?.bytesWritten)
      // The kernel copies whole pages: the one holding the new end reads as zeros after it.
      #expect((pageSize + 100...2 * pageSize).contains(written))
      let output = fileContents(destination)
      #expect(output.count == written)
      #expect(output[..<(pageSize + 100)] == contents[..<(pageSize + 100)])
      #expect(output[(pageSize + 100)...].allSatisfy { $0 == 0 })
    }
  }

  @Test func errorDescriptionCountsTheBytesWritten() {
    let error = MMapError(.write, path: "/data/a.bin", errno: EPIPE, bytesWritten: 65536)
    #expect(
      error.description == "write(\"/data/a.bin\") failed after 65536 bytes: Broken pipe (errno 32)"
    )
  }
}

/// The write loop itself, with a stand-in for `write(2)`: short counts, `EINTR`, failures.
@Suite struct DescriptorWriterTests {
  let writer = DescriptorWriter(fd: -1, sendFlags: nil, path: "/p", isSocket: false)

  @Test func shortWritesAndEINTRAreRetriedUntilEveryByteIsWritten() throws {
    let source = generatedBytes(count: 1000, seed: 50)
    var sink: [UInt8] = []
    var calls = 0
    var written = 5
    try source.withUnsafeBytes { bytes in
      try writer.writeAll(bytes, written: &written) { start, count in
        calls += 1
        if calls % 3 == 0 {
          system_errno = EINTR
          return -1
        }
        let taken = min(count, calls * 7)
        sink += UnsafeRawBufferPointer(start: start, count: taken)
        return taken
      }
    }
    #expect(sink == source)
    #expect(written == 1005, "added to what was written before")
    #expect(calls > 10, "short counts and EINTR made it call again")
  }

  @Test func failureThrowsWithTheErrnoAfterCountingWhatWasWritten() throws {
    let source = [UInt8](repeating: 1, count: 100)
    var written = 0
    var calls = 0
    var failure: MMapError?
    source.withUnsafeBytes { bytes in
      do throws(MMapError) {
        try writer.writeAll(bytes, written: &written) { _, count in
          calls += 1
          guard calls == 1 else {
            system_errno = EAGAIN
            return -1
          }
          return 40
        }
      } catch {
        failure = error
      }
    }
    #expect(failure == MMapError(.write, path: "/p", errno: EAGAIN))
    #expect(written == 40)
  }

  @Test func descriptorAcceptingNothingThrowsEIO() {
    var written = 0
    _ = [UInt8](repeating: 1, count: 10).withUnsafeBytes { bytes in
      #expect(throws: MMapError(.write, path: "/p", errno: EIO)) {
        try writer.writeAll(bytes, written: &written) { _, _ in 0 }
      }
    }
  }

  @Test func eachCallAsksForAtMostTheMaximum() throws {
    // A buffer larger than the cap, never touched: the stand-in only counts.
    let huge = UnsafeRawBufferPointer(
      start: UnsafeRawPointer(bitPattern: 0x1000), count: 2 * DescriptorWriter.maxCountPerCall + 1)
    var counts: [Int] = []
    var written = 0
    try writer.writeAll(huge, written: &written) { _, count in
      counts.append(count)
      return count
    }
    #expect(counts == [DescriptorWriter.maxCountPerCall, DescriptorWriter.maxCountPerCall, 1])
    #expect(written == huge.count)
  }
}

/// The calling thread's signal mask, as the bytes of a `sigset_t`.
func currentSignalMask() -> [UInt8] {
  var mask = sigset_t()
  pthread_sigmask(SIG_BLOCK, nil, &mask)
  return withUnsafeBytes(of: &mask) { Array($0) }
}

/// Whether a `SIGPIPE` is pending for the calling thread or the process.
func isSIGPIPEPending() -> Bool {
  var pending = sigset_t()
  sigpending(&pending)
  return sigismember(&pending, SIGPIPE) == 1
}
