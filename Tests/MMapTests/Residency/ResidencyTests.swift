import Foundation
import Testing

@testable import MMap

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// `residency(in:)` on both mapped readers, against the page cache as `mincore` over a
/// mapping of the whole file shows it, and through the page cache's changes: written,
/// dropped, scanned.
@Suite struct ResidencyTests {
  /// A freshly written file is resident; after `POSIX_FADV_DONTNEED` none of it is, and
  /// asking doesn't change that (no page is faulted in); after a full scan all of it is
  /// again, also on a windowed reader whose windows came and went; `advise(.dontNeed)` drops
  /// the reader's mappings of the pages, not the page cache.
  @Test(arguments: ReaderKind.mapped)
  func residencyFollowsWritingDroppingAndScanning(kind: ReaderKind) throws {
    let contents = generatedBytes(count: 256 * pageSize + 123, seed: 11)
    try withTemporaryFile(contents: contents) { path in
      let reader = try kind.openControlled(path, windowPages: 8, maxWindows: 2)
      defer { try? reader.close() }
      let written = try reader.residency(in: nil)
      #expect(written.pageCount == 257 && written.byteCount == contents.count)
      #expect(written.isFullyResident && written.residentByteCount == contents.count)
      #expect(written.residentFraction == 1)

      dropCachedPages(of: path)
      let dropped = try reader.residency(in: nil)
      #expect(dropped.pageCount == 257 && dropped.residentPageCount == 0)
      #expect(dropped.residentByteCount == 0 && dropped.residentFraction == 0)
      #expect(try reader.residency(in: nil) == dropped, "asking faults nothing in")

      var scanned: [UInt8] = []
      try reader.forEachChunk { _, chunk in
        scanned += chunk
        return .proceed
      }
      #expect(scanned == contents)
      #expect(try reader.residency(in: nil) == written)

      try reader.advise(.dontNeed, in: nil)
      #expect(try reader.residency(in: nil) == written)
    }
  }

  /// With part of the file resident, every range, at random and at each edge, on readers of
  /// the whole file and of a range starting mid-page, gives the counts a per-byte loop over
  /// `mincore`'s vector gives. The windowed reader answers for its mapped windows and,
  /// through temporary mappings, for the rest.
  @Test(arguments: ReaderKind.mapped, [0, 1000, 3 * pageSize])
  func residencyOfEveryRangeMatchesMincore(kind: ReaderKind, offset: Int) throws {
    let size = 96 * pageSize + 777
    try withTemporaryFile(contents: generatedBytes(count: size, seed: 5)) { path in
      dropCachedPages(of: path)
      readPages([0, 3, 4, 17, 40, 41, 42, 43, 70, 96], of: path)
      let reader = try kind.openControlled(path, offset: offset, windowPages: 4, maxWindows: 3)
      defer { try? reader.close() }
      let count = size - offset
      // Map two windows on the windowed reader (a sequential read maps them); the other
      // reader reads the same bytes, so both see the same page cache. No read-around, or the
      // first fault reads the whole file in.
      try reader.advise(.random, in: nil)
      var head = [UInt8](repeating: 0, count: 8 * pageSize)
      #expect(try reader.read(from: 0, into: &head) == head.count)
      if let windowed = reader as? MMapWindowReader { #expect(windowed.mappedWindowCount >= 2) }

      let truth = residentPages(of: path)
      #expect(truth.contains(true) && truth.contains(false), "a mix, or the test proves little")

      var ranges: [Range<Int>?] = [
        0..<0, 5..<5, count..<count, 0..<1, (count - 1)..<count, (pageSize - 1)..<(pageSize + 1),
        0..<count, (count - (count % pageSize))..<count, (2 * pageSize)..<(5 * pageSize),
        (pageSize + 1)..<(pageSize + 2), nil,
      ]
      var random = SeededGenerator(seed: 77)
      for _ in 0..<60 {
        let lower = Int(random.next() % UInt64(count + 1))
        let upper = lower + Int(random.next() % UInt64(count - lower + 1))
        ranges.append(lower..<upper)
      }
      for range in ranges {
        // The truth just before and just after: the kernel may reclaim a page meanwhile.
        let before = residentPages(of: path)
        let residency = try reader.residency(in: range)
        let after = residentPages(of: path)
        let whole = range ?? 0..<count
        let expected = Self.expectedResidency(of: whole, offset: offset, truth: before)
        #expect(
          residency == expected
            || (before != after
              && residency == Self.expectedResidency(of: whole, offset: offset, truth: after)),
          "\(whole)")
      }
    }
  }

  /// The residency a per-byte loop gives: the pages `range` (reader offsets, the reader
  /// starting at file offset `offset`) touches, and its bytes in the resident ones.
  static func expectedResidency(of range: Range<Int>, offset: Int, truth: [Bool]) -> Residency {
    var pages: [Int] = []
    var residentBytes = 0
    for byte in range {
      let page = (offset + byte) / pageSize
      if pages.last != page { pages.append(page) }
      if truth[page] { residentBytes += 1 }
    }
    return Residency(
      pageCount: pages.count, residentPageCount: pages.count(where: { truth[$0] }),
      byteCount: range.count, residentByteCount: residentBytes)
  }

  /// The counts of ranges at the edges, spelled out.
  @Test(arguments: ReaderKind.mapped)
  func edgeRangesCountTheirPages(kind: ReaderKind) throws {
    let size = 5 * pageSize + 10
    try withTemporaryFile(contents: generatedBytes(count: size, seed: 9)) { path in
      let reader = try kind.openControlled(path, windowPages: 1, maxWindows: 2)
      defer { try? reader.close() }
      let cases: [(Range<Int>, pages: Int)] = [
        (0..<0, 0), (size..<size, 0), (0..<1, 1), ((pageSize - 1)..<(pageSize + 1), 2),
        ((5 * pageSize)..<size, 1), ((size - 1)..<size, 1), (0..<size, 6),
        (1..<(2 * pageSize - 1), 2), (pageSize..<(2 * pageSize), 1),
      ]
      for (range, pages) in cases {
        let residency = try reader.residency(in: range)
        #expect(residency.pageCount == pages, "\(range)")
        #expect(residency.byteCount == range.count, "\(range)")
        #expect(residency.residentPageCount <= pages && residency.residentByteCount <= range.count)
      }
      #expect(try reader.residency(in: 7..<7) == .empty)
    }
  }

  @Test(arguments: ReaderKind.mapped)
  func residencyOfAnEmptyFileIsEmpty(kind: ReaderKind) throws {
    try withTemporaryFile(contents: []) { path in
      let reader = try kind.openControlled(path)
      #expect(try reader.residency(in: nil) == .empty)
      #expect(try reader.residency(in: 0..<0) == .empty)
      #expect(Residency.empty.residentFraction == 1 && Residency.empty.isFullyResident)
    }
  }

  @Test(arguments: ReaderKind.mapped)
  func rangesOutsideTheReaderThrowEINVALNamingTheOperation(kind: ReaderKind) throws {
    try withTemporaryFile(contents: generatedBytes(count: 3 * pageSize, seed: 2)) { path in
      let reader = try kind.openControlled(path)
      defer { try? reader.close() }
      let outside = [-1..<4, 0..<(3 * pageSize + 1), (3 * pageSize + 1)..<(3 * pageSize + 1)]
      for range in outside {
        let operations: [(MMapError.Operation, () throws(MMapError) -> Void)] = [
          (.residency, { () throws(MMapError) in _ = try reader.residency(in: range) }),
          (.lock, { () throws(MMapError) in try reader.lock(in: range) }),
          (.unlock, { () throws(MMapError) in try reader.unlock(in: range) }),
        ]
        for (operation, call) in operations {
          let error = #expect(throws: MMapError.self, "\(operation) \(range)") { try call() }
          #expect(error?.operation == operation && error?.errno == EINVAL)
          #expect(error?.path == path)
        }
      }
    }
  }

  @Test(arguments: ReaderKind.mapped)
  func closedReaderThrowsEBADFNamingTheOperation(kind: ReaderKind) throws {
    try withTemporaryFile(contents: generatedBytes(count: 3 * pageSize, seed: 2)) { path in
      let reader = try kind.openControlled(path)
      try reader.close()
      for range in [nil, 0..<0, 0..<5] as [Range<Int>?] {
        let operations: [(MMapError.Operation, () throws(MMapError) -> Void)] = [
          (.residency, { () throws(MMapError) in _ = try reader.residency(in: range) }),
          (.lock, { () throws(MMapError) in try reader.lock(in: range) }),
          (.unlock, { () throws(MMapError) in try reader.unlock(in: range) }),
        ]
        for (operation, call) in operations {
          let error = #expect(throws: MMapError.self, "\(operation) \(String(describing: range))") {
            try call()
          }
          #expect(error?.operation == operation && error?.errno == EBADF && error?.path == path)
        }
      }
    }
  }

  @Test func descriptionGivesTheCountsAndTheShare() {
    let residency = Residency(
      pageCount: 262_144, residentPageCount: 65_536, byteCount: 1 << 30,
      residentByteCount: 1 << 28)
    #expect(
      residency.description
        == "65536 of 262144 pages resident (25.0%), 268435456 of 1073741824 bytes")
    #expect(!residency.isFullyResident && residency.residentFraction == 0.25)
    let error = MMapError(.lock, path: "/data/index.bin", errno: ENOMEM)
    #expect(
      error.description == "lock(\"/data/index.bin\") failed: Cannot allocate memory (errno 12)")
  }
}
