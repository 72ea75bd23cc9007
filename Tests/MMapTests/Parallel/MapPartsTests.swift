import Synchronization
import Testing

@testable import MMap

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// `mapParts` against a one-thread map of the same parts, and its thread count. Serialized:
/// the thread checks must not see another test's workers.
@Suite(.serialized) struct MapPartsTests {
  /// Parts as a parser might pass them: overlapping, empty, out of order, the whole file.
  static func parts(count: Int, seed: UInt64) -> [Range<Int>] {
    var random = SeededGenerator(seed: seed)
    var parts = [0..<count, 7..<7, (count / 3)..<count, 0..<(count / 2)]
    for _ in 0..<20 {
      let start = Int(random.next() % UInt64(count))
      parts.append(start..<(start + Int(random.next() % UInt64(count - start + 1))))
    }
    return parts
  }

  @Test(arguments: ReaderKind.allCases)
  func resultsAreTheOneThreadResultsInPartOrder(kind: ReaderKind) throws {
    let contents = ParallelScanTests.text(count: 64 * 1024 + 11, seed: 91)
    try withTemporaryFile(contents: contents) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      let parts = Self.parts(count: contents.count, seed: 92)
      let expected = parts.map { part in contents[part].filter { $0 == 0x0A }.count }
      for threads in ParallelScanTests.threadCounts {
        let counts = try reader.mapParts(parts, parallelism: ParallelScanTests.parallelism(threads))
        {
          part in try reader.count(of: 0x0A, in: part)
        }
        #expect(counts == expected, "\(threads) threads")
      }
    }
  }

  @Test func partsSmallerThanAThreadsShareRunOnTheCallingThread() throws {
    let contents = ParallelScanTests.text(count: 4096, seed: 93)
    try withTemporaryFile(contents: contents) { path in
      let reader = try MMapReader(path: path)
      defer { try? reader.close() }
      let parts = try reader.lineAlignedParts(count: 4)
      let caller = pthread_self()
      let onCaller = try reader.mapParts(parts, parallelism: .threads(4)) { _ in
        pthread_equal(pthread_self(), caller) != 0
      }
      #expect(parts.count > 1)
      #expect(onCaller == Array(repeating: true, count: parts.count))
    }
  }

  @Test func partsGivenOneByteEachRunOnTwoThreadsAtOnce() throws {
    try withTemporaryFile(contents: Array(repeating: 0x41, count: 64)) { path in
      let reader = try MMapReader(path: path)
      defer { try? reader.close() }
      let started = Atomic<Int>(0)
      // Each part waits, up to 10 s, for the other to start: only two threads can end it early.
      let sawTheOther = try reader.mapParts(
        [0..<32, 32..<64], parallelism: .threads(2, minimumBytesPerThread: 1)
      ) { _ in
        started.add(1, ordering: .relaxed)
        for _ in 0..<10_000 {
          if started.load(ordering: .relaxed) == 2 { return true }
          usleep(1000)
        }
        return false
      }
      #expect(sawTheOther == [true, true])
    }
  }
}
