import Foundation
import Synchronization
import Testing

@testable import MMap

/// The parallel scans against their one-thread forms, on every reader. One serialized suite:
/// the checks that count threads must not see another test's workers.
@Suite(.serialized) struct ParallelScanTests {
  /// Thread counts: one, a few, a prime, and more threads than any scan here has parts.
  static let threadCounts = [1, 2, 3, 7, 512]

  /// `threads` threads, each given as little as one byte: small test files still share out.
  static func parallelism(_ threads: Int) -> Parallelism {
    .threads(threads, minimumBytesPerThread: 1)
  }

  /// Text with short lines, carriage returns, and few enough letters that short needles
  /// occur and longer ones don't.
  static func text(count: Int, seed: UInt64) -> [UInt8] {
    bytes(count: count, from: Array("abcab\r\n\n\nxyz".utf8) + [0x0A], seed: seed)
  }

  /// Random ranges inside `0..<count`, the whole file and an empty one among them.
  static func ranges(count: Int, seed: UInt64) -> [Range<Int>] {
    var random = SeededGenerator(seed: seed)
    var ranges = [0..<count, (count / 2)..<(count / 2)]
    for _ in 0..<3 {
      let start = Int(random.next() % UInt64(count))
      let end = start + Int(random.next() % UInt64(count - start + 1))
      ranges.append(start..<end)
    }
    return ranges
  }

  @Test(arguments: ReaderKind.allCases)
  func countsAndSearchesMatchOneThread(kind: ReaderKind) throws {
    let contents = Self.text(count: 96 * 1024 + 37, seed: 71)
    try withTemporaryFile(contents: contents) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      let needles: [[UInt8]] = [
        Array("ab".utf8), Array("\r\n".utf8), Array("zyx".utf8), Array("abcabca".utf8),
        Array("q".utf8), [], Array(contents[50_000..<50_009]),
      ]
      for range in Self.ranges(count: contents.count, seed: 72) {
        for threads in Self.threadCounts {
          let parallelism = Self.parallelism(threads)
          let context = "range \(range), \(threads) threads"
          for byte: UInt8 in [0x0A, 0x0D, 0x7A, 0x71] {
            #expect(
              try reader.count(of: byte, in: range, parallelism: parallelism)
                == reader.count(of: byte, in: range), "\(context)")
            #expect(
              try reader.firstOffset(of: byte, in: range, parallelism: parallelism)
                == reader.firstOffset(of: byte, in: range), "\(context)")
            #expect(
              try reader.lastOffset(of: byte, in: range, parallelism: parallelism)
                == reader.lastOffset(of: byte, in: range), "\(context)")
          }
          #expect(
            try reader.lineCount(in: range, parallelism: parallelism)
              == reader.lineCount(in: range), "\(context)")
          for needle in needles {
            #expect(
              try reader.firstOffset(of: needle, in: range, parallelism: parallelism)
                == naiveFirstOffset(of: needle, in: contents, range: range),
              "\(context), needle \(needle)")
            #expect(
              try reader.lastOffset(of: needle, in: range, parallelism: parallelism)
                == reader.lastOffset(of: needle, in: range),
              "\(context), needle \(needle)")
          }
        }
      }
    }
  }

  /// The concurrent chunks cover the range exactly once with the file's bytes, each part's
  /// chunks in order on one thread; the windowed reader keeps within its two windows.
  @Test(arguments: ReaderKind.allCases)
  func concurrentChunksCoverTheRangeOnce(kind: ReaderKind) throws {
    let contents = generatedBytes(count: 64 * 1024 + 5, seed: 73)
    try withTemporaryFile(contents: contents) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      let windows = (reader as? MMapWindowReader).map(\.maxWindows)
      for range in Self.ranges(count: contents.count, seed: 74) {
        for threads in Self.threadCounts {
          let seen = LockedValue<[(offset: Int, bytes: [UInt8])]>([])
          let overBudget = Atomic<Int>(0)
          try reader.forEachChunk(in: range, parallelism: Self.parallelism(threads)) {
            offset, chunk in
            if let windows, let windowed = reader as? MMapWindowReader,
              windowed.mappedWindowCount > windows
            {
              overBudget.add(1, ordering: .relaxed)
            }
            seen.withLock { $0.append((offset, Array(chunk))) }
            return .proceed
          }
          let chunks = seen.withLock { $0 }.sorted { $0.offset < $1.offset }
          var next = range.lowerBound
          for chunk in chunks {
            #expect(chunk.offset == next && !chunk.bytes.isEmpty, "\(range), \(threads)")
            #expect(
              sameBytes(
                chunk.bytes[...], contents[chunk.offset..<(chunk.offset + chunk.bytes.count)]))
            next = chunk.offset + chunk.bytes.count
          }
          #expect(next == range.upperBound, "\(range), \(threads) threads")
          let overBudgetCalls = overBudget.load(ordering: .relaxed)
          #expect(overBudgetCalls == 0)
        }
      }
    }
  }

  /// The parallel line scans give exactly the one-thread lines, with their bytes, each
  /// part's lines in order.
  @Test(arguments: ReaderKind.allCases)
  func parallelLinesAreTheOneThreadLines(kind: ReaderKind) throws {
    let contents = Self.text(count: 80 * 1024 + 11, seed: 75)
    try withTemporaryFile(contents: contents) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      for range in Self.ranges(count: contents.count, seed: 76) {
        for options: LineOptions in [[], .omittingCarriageReturn] {
          var expected: [Range<Int>] = []
          try reader.forEachLine(in: range, options: options) { line in
            expected.append(line)
            return .proceed
          }
          for threads in Self.threadCounts {
            let lines = LockedValue<[Range<Int>]>([])
            let inOrder = Atomic<Bool>(true)  // Whether every line's bytes were the file's.
            try reader.forEachLine(
              in: range, options: options, parallelism: Self.parallelism(threads)
            ) { line in
              lines.withLock { $0.append(line) }
              return .proceed
            }
            #expect(lines.withLock { $0 }.sorted { $0.lowerBound < $1.lowerBound } == expected)
            if let zeroCopy = reader as? any ZeroCopyReader {
              let lent = LockedValue<[Range<Int>]>([])
              try zeroCopy.forEachLine(
                in: range, options: options, parallelism: Self.parallelism(threads)
              ) { line, bytes in
                if !sameBytes(bytes, contents[line]) {
                  inOrder.store(false, ordering: .relaxed)
                }
                lent.withLock { $0.append(line) }
                return .proceed
              }
              #expect(lent.withLock { $0 }.sorted { $0.lowerBound < $1.lowerBound } == expected)
            }
            let lentTheFileBytes = inOrder.load(ordering: .relaxed)
            #expect(lentTheFileBytes, "bytes differ, \(range) \(threads)")
          }
        }
      }
    }
  }

  /// Line-aligned parts follow the protocol's rule: cut points `i * L / N` moved past the
  /// next separator, repeats dropped; they cover the range in order, each starting at the
  /// range's start or after a separator.
  @Test(arguments: ReaderKind.allCases)
  func lineAlignedPartsStartAfterSeparators(kind: ReaderKind) throws {
    let contents = bytes(count: 1_511, from: Array("aaaaaaaaaa;\n".utf8), seed: 77)
    try withTemporaryFile(contents: contents) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      for range in Self.ranges(count: contents.count, seed: 78) {
        for separator in Array(";\n#".utf8) {
          for count in [1, 2, 3, 7, 100, 2_000] {
            var boundaries = [range.lowerBound]
            for index in 1..<max(count, 1) {
              var cut = range.lowerBound + index * range.count / count
              while cut < range.upperBound && contents[cut] != separator { cut += 1 }
              cut = min(cut + 1, range.upperBound)
              if cut > boundaries.last! { boundaries.append(cut) }
            }
            if range.upperBound > boundaries.last! { boundaries.append(range.upperBound) }
            let expected = zip(boundaries, boundaries.dropFirst()).map { $0..<$1 }
            #expect(
              try reader.lineAlignedParts(of: range, count: count, separator: separator)
                == expected, "\(range), \(count) parts")
          }
        }
      }
    }
  }

  /// A match that straddles two parts of the plan is found, ahead of later matches inside
  /// a part.
  @Test(arguments: ReaderKind.allCases)
  func theEarliestMatchWinsAcrossPartBoundaries(kind: ReaderKind) throws {
    var contents = [UInt8](repeating: 0x2E, count: 256 * 1024)
    try withTemporaryFile(contents: contents) { probe in
      let reader = try kind.open(probe)
      defer { try? reader.close() }
      let plan = ParallelPlan(
        of: 0..<contents.count, on: reader, parallelism: Self.parallelism(3))
      let windows = (reader as? MMapWindowReader)?.maxWindows ?? .max
      #expect(plan.parts.count > 6 && plan.workers == min(3, windows))
      let needle = Array("NEEDLE".utf8)
      let boundary = plan.parts[3].upperBound
      // One straddling the boundary after part 3, and later ones inside parts.
      contents.replaceSubrange((boundary - 2)..<(boundary + 4), with: needle)
      for later in plan.parts[5...].map(\.lowerBound) {
        contents.replaceSubrange((later + 100)..<(later + 106), with: needle)
      }
    }
    try withTemporaryFile(contents: contents) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      let expected = naiveFirstOffset(
        of: Array("NEEDLE".utf8), in: contents, range: 0..<contents.count)
      for threads in Self.threadCounts {
        #expect(
          try reader.firstOffset(of: "NEEDLE".utf8, parallelism: Self.parallelism(threads))
            == expected)
        #expect(
          try reader.firstOffset(of: UInt8(ascii: "N"), parallelism: Self.parallelism(threads))
            == expected)
        #expect(
          try reader.lastOffset(of: UInt8(ascii: "E"), parallelism: Self.parallelism(threads))
            == contents.lastIndex(of: UInt8(ascii: "E")))
        #expect(
          try reader.lastOffset(of: "NEEDLE".utf8, parallelism: Self.parallelism(threads))
            == contents.lastIndex(of: UInt8(ascii: "N")))
      }
    }
  }
}
