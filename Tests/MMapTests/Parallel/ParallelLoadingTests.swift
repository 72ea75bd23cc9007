import Foundation
import Testing

@testable import MMap

/// Loading in parallel, prefaulting in parallel and prefetching in batches.
@Suite struct ParallelLoadingTests {
  static let threadCounts = [1, 2, 3, 7, 512]

  /// The parallel load holds exactly the bytes `pread` reads, for whole files and ranges.
  @Test func aParallelLoadHoldsTheFilesBytes() throws {
    for size in [0, 1, 4095, 70_001, 300_000] {
      let contents = generatedBytes(count: size, seed: UInt64(size + 1))
      try withTemporaryFile(contents: contents) { path in
        for threads in Self.threadCounts {
          let parallelism = Parallelism.threads(threads, minimumBytesPerThread: 1)
          let whole = try InMemoryReader(path: path, parallelism: parallelism)
          #expect(whole.count == size)
          #expect(try whole.withUnsafeBytes { sameBytes($0, contents[...]) }, "\(size) \(threads)")
          if size > 10 {
            let offset = size / 3
            let reader = try InMemoryReader(
              path: path, offset: offset, count: size / 2, parallelism: parallelism)
            #expect(
              try reader.withUnsafeBytes { sameBytes($0, contents[offset..<(offset + size / 2)]) })
          }
        }
      }
    }
    // A pseudo file's size says nothing: read to its end, as the one-thread initializer does.
    let status = try InMemoryReader(path: "/proc/self/status", parallelism: .automatic)
    #expect(try status.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }.contains("Pid:"))
    #expect(throws: MMapError(.read, path: "/proc/self/exe", errno: EFBIG)) {
      try InMemoryReader(path: "/proc/self/exe", limit: 10, parallelism: .automatic)
    }
  }

  /// A parallel prefault brings every page of an evicted file into the page cache.
  @Test func aParallelPrefaultMakesTheFileResident() throws {
    let contents = generatedBytes(count: 2 << 20, seed: 93)
    try withTemporaryFile(contents: contents) { path in
      let reader = try MMapReader(path: path)
      defer { try? reader.close() }
      for threads in Self.threadCounts {
        let fd = open(path, O_RDONLY)
        #expect(fd >= 0)
        _ = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED)
        close(fd)
        try reader.prefault(parallelism: .threads(threads, minimumBytesPerThread: 1))
        #expect(try reader.residency().isFullyResident, "\(threads) threads")
      }
      #expect(try reader.withUnsafeBytes { sameBytes($0, contents[...]) })
      #expect(throws: MMapError.self) {
        try reader.prefault(in: 5..<(3 << 20), parallelism: .automatic)
      }
      #expect(truncateFromAnotherProcess(path, to: 3 * pageSize))
      do throws(MMapError) {
        try reader.prefault(parallelism: .threads(3, minimumBytesPerThread: 1))
        Issue.record("a prefault past the new end must throw")
      } catch {
        #expect(error.errno == ENODATA && error.path == path)
      }
    }
  }

  /// Ranges are joined where they overlap or lie less than the gap apart, and nowhere else.
  @Test func prefetchJoinsNearbyRanges() throws {
    var random = SeededGenerator(seed: 95)
    for _ in 0..<200 {
      let ranges = (0..<Int(random.next() % 12)).map { _ -> Range<Int> in
        let start = Int(random.next() % 100_000)
        return start..<(start + 1 + Int(random.next() % 9000))
      }.sorted { $0.lowerBound < $1.lowerBound }
      let joined = MMapReader.coalesced(ranges, joiningGapsBelow: 4096)
      // Every byte of the ranges is covered, the joined ranges are ordered with gaps of at
      // least 4096, and each begins and ends at a range's bounds.
      for range in ranges {
        #expect(
          joined.contains { $0.contains(range.lowerBound) && $0.upperBound >= range.upperBound })
      }
      for (a, b) in zip(joined, joined.dropFirst()) { #expect(b.lowerBound >= a.upperBound + 4096) }
      for range in joined {
        #expect(ranges.contains { $0.lowerBound == range.lowerBound })
        #expect(ranges.contains { $0.upperBound == range.upperBound })
      }
    }
    let contents = generatedBytes(count: 1 << 20, seed: 97)
    try withTemporaryFile(contents: contents) { path in
      let reader = try MMapReader(path: path)
      try reader.prefetch([900_000..<900_010, 0..<10, 5..<6, 4096..<8192, 500..<500])
      try reader.prefetch([])
      #expect(throws: MMapError(.advise, path: path, errno: EINVAL)) {
        try reader.prefetch([0..<10, 0..<(2 << 20)])
      }
      #expect(try reader.withUnsafeBytes { sameBytes($0, contents[...]) })
      try reader.close()
      #expect(throws: MMapError(.advise, path: path, errno: EBADF)) { try reader.prefetch([0..<1]) }
    }
  }
}
