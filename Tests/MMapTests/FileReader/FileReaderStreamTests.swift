import Foundation
import Testing

@testable import MMap

/// Pipes, FIFOs and standard input: read to their end into memory, up to the limit.
@Suite struct FileReaderStreamTests {
  /// More than a pipe holds (64 KiB on Linux), so that the writer must run while the reader
  /// reads.
  static let size = 300_000

  /// Writes `bytes` to `fd` on a thread of its own, then closes it.
  private static func feed(_ bytes: [UInt8], to fd: CInt, after delay: Double = 0) {
    let thread = Thread {
      if delay > 0 { Thread.sleep(forTimeInterval: delay) }
      var sent = 0
      while sent < bytes.count {
        let got = bytes[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if got < 0 && errno == EINTR { continue }
        precondition(got > 0, "write failed: \(errno)")
        sent += got
      }
      close(fd)
    }
    thread.start()
  }

  @Test func pipeIsReadToItsEndThroughItsDescriptor() throws {
    let bytes = generatedBytes(count: Self.size, seed: 401)
    let (readEnd, writeEnd) = makePipe()
    defer { close(readEnd) }
    Self.feed(bytes, to: writeEnd)
    let reader = try FileReader.open(fileDescriptor: readEnd)
    #expect(reader.kind == .memory && reader.reason == .stream && reader.path == nil)
    #expect(reader.count == bytes.count)
    #expect(try reader.bytes(in: 0..<reader.count) == bytes)
    var cursor = ReaderCursor(reader)
    #expect(try cursor.readBytes(count: 16) == Array(bytes[..<16]))
  }

  /// A non-blocking descriptor whose writer starts late is waited for, not read as empty.
  @Test func nonBlockingPipeIsWaitedFor() throws {
    let bytes = generatedBytes(count: 5000, seed: 403)
    let (readEnd, writeEnd) = makePipe()
    defer { close(readEnd) }
    setNonBlocking(readEnd)
    Self.feed(bytes, to: writeEnd, after: 0.2)
    let reader = try FileReader.open(fileDescriptor: readEnd)
    #expect(try reader.bytes(in: 0..<reader.count) == bytes)
  }

  /// A FIFO opened by its path waits for its writer, and reads all it writes.
  @Test func fifoIsReadToItsEndFromItsPath() throws {
    let bytes = generatedBytes(count: Self.size, seed: 405)
    try withTemporaryDirectory { directory in
      let path = directory + "/fifo"
      #expect(mkfifo(path, 0o600) == 0)
      let thread = Thread {
        let fd = open(path, O_WRONLY)  // Waits for the reader.
        precondition(fd >= 0, "open failed: \(errno)")
        Self.feed(bytes, to: fd)
      }
      thread.start()
      let reader = try FileReader.open(path: path)
      #expect(reader.kind == .memory && reader.reason == .stream && reader.path == path)
      #expect(try reader.bytes(in: 0..<reader.count) == bytes)
      #expect(try reader.fileStatus().isAtPath == true)
    }
  }

  /// Exactly the limit is read; one byte more throws `EFBIG`, typed.
  @Test func pipeLargerThanTheLimitThrowsEFBIG() throws {
    let limit = 1000
    for (size, fits) in [(limit, true), (limit + 1, false), (3 * limit, false)] {
      let bytes = generatedBytes(count: size, seed: 407)
      let (readEnd, writeEnd) = makePipe()
      defer { close(readEnd) }
      Self.feed(bytes, to: writeEnd)  // Fits in the pipe: the writer never blocks.
      let options = FileReader.Options(memoryLimit: limit)
      if fits {
        let reader = try FileReader.open(fileDescriptor: readEnd, options: options)
        #expect(try reader.bytes(in: 0..<reader.count) == bytes)
      } else {
        #expect(throws: MMapError(.read, path: nil, errno: EFBIG), "size \(size)") {
          try FileReader.open(fileDescriptor: readEnd, options: options)
        }
      }
    }
  }

  @Test func emptyPipeReadsAsEmptyAndForcedMappingIsRefused() throws {
    let (readEnd, writeEnd) = makePipe()
    defer { close(readEnd) }
    close(writeEnd)
    let reader = try FileReader.open(fileDescriptor: readEnd)
    #expect(reader.count == 0 && reader.reason == .stream)
    for kind in [FileReader.Kind.mapped, .windowed, .pread] {
      #expect(throws: MMapError(.open, path: nil, errno: ENODEV), "\(kind)") {
        try FileReader.open(fileDescriptor: readEnd, options: .init(kind: kind))
      }
    }
    let (_, writeOnly) = makePipe()
    defer { close(writeOnly) }
    #expect(throws: MMapError(.open, path: nil, errno: EACCES)) {
      try FileReader.open(fileDescriptor: writeOnly)
    }
  }

  /// `-` is standard input: here, in a child process whose descriptor 0 is a pipe.
  @Test func dashReadsStandardInput() async {
    await #expect(processExitsWith: .success) {
      let bytes = generatedBytes(count: 3000, seed: 409)
      let (readEnd, writeEnd) = makePipe()
      let written = bytes.withUnsafeBytes { write(writeEnd, $0.baseAddress, $0.count) }
      close(writeEnd)
      guard written == bytes.count, dup2(readEnd, STDIN_FILENO) == STDIN_FILENO else { exit(2) }
      guard let reader = try? FileReader.open(path: "-"),
        reader.path == nil, reader.reason == .stream,
        (try? reader.bytes(in: 0..<reader.count)) == bytes
      else { exit(1) }
      exit(0)
    }
  }

  /// `mmap-cat -` copies its standard input, a pipe, to its standard output.
  /// Not under AddressSanitizer: Foundation's `Process` leaks a weak reference there, which
  /// LeakSanitizer reports at exit.
  @Test(.disabled(if: TestScale.sanitizer == "address", "Foundation's Process leaks under LSan"))
  func mmapCatCopiesStandardInput() throws {
    let program = productsDirectory() + "/mmap-cat"
    guard access(program, X_OK) == 0 else {
      Issue.record("mmap-cat isn't built next to the tests: \(program)")
      return
    }
    let bytes = generatedBytes(count: Self.size, seed: 411)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = ["-"]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    let writeEnd = dup(input.fileHandleForWriting.fileDescriptor)
    try input.fileHandleForWriting.close()
    Self.feed(bytes, to: writeEnd)
    let copied = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    #expect(Array(copied) == bytes)
  }
}
