import Synchronization
import Testing

@testable import MMap

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// `PReadReader.extendToFileEnd()`: a reader that follows a file as it is appended to.
@Suite struct PReadReaderGrowthTests {
  @Test func appendedBytesAreReadAfterExtending() throws {
    try withTemporaryDirectory { directory in
      let path = directory + "/log"
      let writer = AppendedRecords.openForAppending(path)
      defer { close(writer) }
      AppendedRecords.append(0..<10, to: writer)
      let reader = try PReadReader(path: path)
      defer { try? reader.close() }
      #expect(reader.count == 10 * AppendedRecords.size)
      AppendedRecords.append(10..<25, to: writer)
      // Until asked, the reader keeps the count it opened with.
      #expect(reader.count == 10 * AppendedRecords.size)
      #expect(throws: MMapError.outsideReader(path: path)) {
        try reader.byte(at: 10 * AppendedRecords.size)
      }
      #expect(try reader.extendToFileEnd() == 25 * AppendedRecords.size)
      #expect(reader.count == 25 * AppendedRecords.size)
      let bytes = try reader.bytes(in: 0..<reader.count)
      #expect(bytes == preadBytes(path: path, offset: 0, count: 25 * AppendedRecords.size))
      #expect(bytes.withUnsafeBytes { AppendedRecords.areRecords($0, startingAt: 0) })
    }
  }

  @Test func aReaderOfARangeOrOfAnOffsetFollowsOnlyTheRestOfTheFile() throws {
    try withTemporaryDirectory { directory in
      let path = directory + "/log"
      let writer = AppendedRecords.openForAppending(path)
      defer { close(writer) }
      AppendedRecords.append(0..<4, to: writer)
      let fixed = try PReadReader(path: path, offset: 64, count: 128)
      let rest = try PReadReader(path: path, offset: 64)
      defer {
        try? fixed.close()
        try? rest.close()
      }
      AppendedRecords.append(4..<8, to: writer)
      #expect(try fixed.extendToFileEnd() == 128)
      #expect(try rest.extendToFileEnd() == 7 * 64)
      #expect(try rest.bytes(in: 6 * 64..<7 * 64) == AppendedRecords.record(7))
    }
  }

  /// A shrink is the truncation path: the count stays, and the reads past the new end report
  /// the missing bytes.
  @Test func theCountNeverShrinks() throws {
    try withTemporaryDirectory { directory in
      let path = directory + "/log"
      let writer = AppendedRecords.openForAppending(path)
      defer { close(writer) }
      AppendedRecords.append(0..<8, to: writer)
      let reader = try PReadReader(path: path)
      defer { try? reader.close() }
      #expect(truncate(path, 3 * 64) == 0)
      #expect(try reader.extendToFileEnd() == 8 * 64)
      #expect(throws: MMapError.truncated(path: path, missingOffset: 3 * 64)) {
        try reader.bytes(in: 2 * 64..<5 * 64)
      }
    }
  }

  /// The reader follows the file it opened, by its descriptor: a file renamed away and
  /// then appended to is still the one it reads.
  @Test func theReaderFollowsItsOwnFileAfterARename() throws {
    try withTemporaryDirectory { directory in
      let path = directory + "/log"
      let writer = AppendedRecords.openForAppending(path)
      defer { close(writer) }
      AppendedRecords.append(0..<2, to: writer)
      let reader = try PReadReader(path: path)
      defer { try? reader.close() }
      #expect(rename(path, directory + "/log.1") == 0)
      AppendedRecords.append(2..<3, to: writer)
      let other = AppendedRecords.openForAppending(path)
      AppendedRecords.append(100..<110, to: other)
      close(other)
      #expect(try reader.extendToFileEnd() == 3 * 64)
      #expect(try reader.bytes(in: 128..<192) == AppendedRecords.record(2))
    }
  }

  @Test func aClosedReaderThrowsEBADFForStat() throws {
    try withTemporaryFile(contents: AppendedRecords.record(0)) { path in
      let reader = try PReadReader(path: path)
      try reader.close()
      #expect(throws: MMapError.closed(.stat, path: path)) { try reader.extendToFileEnd() }
    }
  }

  /// A writer appends records while two threads follow the file and check every record they
  /// read, then one thread closes the reader under the other: no wrong byte, only `EBADF`
  /// after the close, and the descriptor gone.
  @Test func followersCheckEveryRecordAWriterAppends() throws {
    let records = TestScale.count(normal: 4_000, long: 40_000, sanitized: 1_000)
    try withTemporaryDirectory { directory in
      let path = directory + "/log"
      let writer = AppendedRecords.openForAppending(path)
      AppendedRecords.append(0..<1, to: writer)
      let reader = try PReadReader(path: path)
      let wrong = Atomic<Int>(0)
      let unexpected = Atomic<Int>(0)
      let checked = Atomic<Int>(0)
      runOnThreads(3) { thread in
        if thread == 0 {
          for number in 1..<records { AppendedRecords.append(number..<number + 1, to: writer) }
          return
        }
        var seen = 0
        let deadline = ContinuousClock.now + .seconds(120)
        while seen < records {
          guard ContinuousClock.now < deadline else {
            unexpected.add(1, ordering: .relaxed)
            return
          }
          do {
            let count = try reader.extendToFileEnd()
            guard count > seen * 64 else { continue }
            let fresh = try reader.bytes(in: seen * 64..<count)
            if !fresh.withUnsafeBytes({ AppendedRecords.areRecords($0, startingAt: seen) }) {
              wrong.add(1, ordering: .relaxed)
              return
            }
            seen = count / 64
          } catch {
            unexpected.add(1, ordering: .relaxed)
            return
          }
        }
        checked.add(seen, ordering: .relaxed)
      }
      close(writer)
      #expect(wrong.load(ordering: .relaxed) == 0)
      #expect(unexpected.load(ordering: .relaxed) == 0)
      #expect(checked.load(ordering: .relaxed) == 2 * records)
      try reader.close()
      #expect(throws: MMapError.closed(.stat, path: path)) { try reader.extendToFileEnd() }
      #expect(descriptorCount(of: path) == 0)
    }
  }
}
