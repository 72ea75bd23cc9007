import Foundation
import Synchronization
import Testing

@testable import MMap

/// A file truncated under a reader: every read and view reports a typed error, and the
/// process lives on.
@Suite struct TruncationGuardTests {
  /// How each access kind reads `range`: returns the bytes, or throws what the reader threw.
  enum Access: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case copy, byte, view, scan

    var testDescription: String { rawValue }

    func read(_ reader: any RandomAccessReader, _ range: Range<Int>) throws -> [UInt8] {
      switch self {
      case .copy:
        var bytes = [UInt8](repeating: 0, count: range.count)
        let copied = try reader.read(from: range.lowerBound, into: &bytes)
        return Array(bytes[..<copied])
      case .byte:
        return try range.map { try reader.byte(at: $0) }
      case .view:
        guard let reader = reader as? any ZeroCopyReader else {
          return try Self.copy.read(reader, range)
        }
        return try reader.withUnsafeBytes(in: range) { Array($0) }
      case .scan:
        var bytes: [UInt8] = []
        try reader.forEachChunk(in: range) { _, chunk in
          bytes += chunk
          return .proceed
        }
        return bytes
      }
    }
  }

  @Test(arguments: ReaderKind.readingTheFile)
  func readPastTheNewEndThrowsATypedErrorAndTheProcessSurvives(kind: ReaderKind) throws {
    let contents = generatedBytes(count: 16 * pageSize, seed: 51)
    try withTemporaryFile(contents: contents) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      #expect(try reader.bytes(in: 0..<8) == Array(contents[..<8]))
      #expect(truncate(path, off_t(4 * pageSize)) == 0)
      #expect(reader.count == 16 * pageSize, "the count never changes")
      var buffer = [UInt8](repeating: 0, count: 64)
      do throws(MMapError) {
        _ = try reader.read(from: 8 * pageSize, into: &buffer)
        Issue.record("a read past the new end must throw")
      } catch {
        #expect(error.errno == ENODATA && error.path == path)
        #expect(error.isTruncation)
        // The file ends at or before the reported offset, and after the last byte read.
        #expect((4 * pageSize...8 * pageSize).contains(error.missingOffset ?? -1))
      }
      // Bytes still in the file: the mapped readers stay failed, the pread reader reads on.
      if kind == .pread {
        #expect(try reader.read(from: 0, into: &buffer) == 64)
      } else {
        #expect(throws: MMapError.self) { try reader.read(from: 0, into: &buffer) }
      }
      if kind == .mmap { #expect(TruncationGuard.isInstalled) }
    }
  }

  @Test(arguments: ReaderKind.mapped)
  func aViewSeesZerosForTheMissingPagesAndThrowsWhenItsClosureReturns(kind: ReaderKind)
    throws
  {
    let contents = generatedBytes(count: 8 * pageSize, seed: 53)
    try withTemporaryFile(contents: contents) { path in
      let reader = try kind.openZeroCopy(path)
      defer { try? reader.close() }
      var sawZeros = false
      #expect(throws: MMapError.self) {
        try reader.withUnsafeBytes(in: pageSize..<(3 * pageSize)) { bytes in
          #expect(truncate(path, off_t(2 * pageSize)) == 0)
          sawZeros = bytes[pageSize..<(2 * pageSize)].allSatisfy { $0 == 0 }
        }
      }
      #expect(sawZeros)
    }
  }

  /// A fault in one window fails the windowed reader everywhere, even for reads that hit
  /// another window whose pages are all still there: the handler flags every slot.
  @Test func aFaultInOneWindowFailsReadsThatHitAnother() throws {
    let contents = generatedBytes(count: 8 * pageSize, seed: 57)
    try withTemporaryFile(contents: contents) { path in
      let reader = try MMapWindowReader(path: path, windowSize: 4 * pageSize, maxWindows: 2)
      defer { try? reader.close() }
      #expect(try reader.bytes(in: 0..<(8 * pageSize)) == contents)  // A scan maps both.
      #expect(reader.mappedWindowCount == 2)
      #expect(try reader.byte(at: 100) == contents[100], "a hit, before the truncation")
      #expect(truncate(path, off_t(5 * pageSize)) == 0)
      #expect(throws: MMapError.self) { try reader.byte(at: 6 * pageSize) }  // Faults.
      #expect(throws: MMapError.self) { try reader.byte(at: 100) }
      var buffer = [UInt8](repeating: 0, count: 8)
      #expect(throws: MMapError.self) { try reader.read(from: 100, into: &buffer) }
    }
  }

  /// The one case that can't fault: bytes past the new end inside the file's last page read
  /// as zeros, and succeed. `fileStatus()` tells that the file shrank.
  @Test(arguments: ReaderKind.mapped)
  func bytesPastTheNewEndInsideItsLastPageReadAsZeros(kind: ReaderKind) throws {
    try withTemporaryFile(contents: generatedBytes(count: 1 << 20, seed: 55)) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      _ = try reader.byte(at: 0)  // Maps the first page (and window).
      #expect(truncate(path, 100) == 0)
      var buffer = [UInt8](repeating: 0xFF, count: 100)
      #expect(try reader.read(from: 100, into: &buffer) == 100)
      #expect(buffer.allSatisfy { $0 == 0 })
      #expect(reader.count == 1 << 20)
    }
  }

  /// Many truncations racing with reads, for every reader and access kind: no signal death,
  /// every failure the typed error, every byte delivered the file's.
  @Test(arguments: ReaderKind.readingTheFile, Access.allCases)
  func truncationsRacingWithReadsGiveTheFilesBytesOrTheTypedError(
    kind: ReaderKind, access: Access
  ) throws {
    let size = 8 * pageSize
    let contents = generatedBytes(count: size, seed: 57)
    let failures = Atomic<Int>(0)
    let wrong = Atomic<Int>(0)
    try withTemporaryDirectory { directory in
      let path = directory + "/trial.bin"
      var random = SeededGenerator(seed: 59)
      for trial in 0..<trials {
        try Data(contents).write(to: URL(fileURLWithPath: path))
        let reader = try kind.open(path)
        let newSize = Int.random(in: 0..<8, using: &random) * pageSize  // Page-aligned.
        let delay = UInt32.random(in: 0..<40, using: &random)
        let seed = UInt64(trial + 1)
        runOnThreads(2) { thread in
          if thread == 0 {
            usleep(delay)
            _ = truncate(path, off_t(newSize))
            return
          }
          var random = SeededGenerator(seed: seed)
          for _ in 0..<200 {
            let lower = Int.random(in: 0..<size, using: &random)
            let upper = min(size, lower + Int.random(in: 1...(2 * pageSize), using: &random))
            do {
              let bytes = try access.read(reader, lower..<upper)
              if bytes[...] != contents[lower..<(lower + bytes.count)] {
                wrong.add(1, ordering: .relaxed)
              }
            } catch let error as MMapError where error.isTruncation {
              failures.add(1, ordering: .relaxed)
              if kind != .pread { break }  // A mapped reader stays failed.
            } catch {
              wrong.add(1, ordering: .relaxed)
              break
            }
          }
        }
        try reader.close()
      }
    }
    #expect(wrong.load(ordering: .relaxed) == 0)
    #expect(failures.load(ordering: .relaxed) > 0, "truncations were seen")
  }

  /// Trials per reader and access kind: 100, 1,000 with `SWIFT_MMAP_LONG_TESTS=1`, 10 under
  /// a sanitizer.
  let trials = TestScale.count(normal: 100, long: 1_000, sanitized: 10)

  /// The handler passes on what isn't its own: a SIGBUS at an address the library didn't map
  /// still kills the process with SIGBUS. Under a sanitizer the handler before the
  /// library's is the sanitizer's, which reports the fault and exits with a status of its
  /// own (1 for AddressSanitizer, 66 for ThreadSanitizer).
  @Test func aForeignSIGBUSStillKillsTheProcess() async {
    setenv("SWIFT_BACKTRACE", "enable=no", 1)  // The child must not hang in the backtracer.
    let death: ExitTest.Condition = TestScale.sanitizer != nil ? .failure : .signal(SIGBUS)
    await #expect(processExitsWith: death) {
      let path = "/tmp/swift-mmap-foreign-\(getpid())"
      let fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0o600)
      precondition(fd >= 0 && ftruncate(fd, off_t(2 * pageSize)) == 0)
      unlink(path)
      let reader = try MMapReader(path: "/proc/self/exe")  // Installs the guard.
      precondition(TruncationGuard.isInstalled && reader.count > 0)
      // A mapping of our own, not the library's, then a fault in it.
      let own = mmap(nil, 2 * pageSize, PROT_READ, MAP_SHARED, fd, 0)!
      precondition(ftruncate(fd, 0) == 0)
      _ = own.load(fromByteOffset: pageSize, as: UInt8.self)
    }
  }
}
