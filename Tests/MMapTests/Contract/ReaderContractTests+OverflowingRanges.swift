import Foundation
import Testing

@testable import MMap

/// Ranges whose count doesn't fit an `Int`, at every entry point that takes a range (or an
/// offset and a count) on every reader: each throws its typed `EINVAL`, as for any range
/// outside the reader, and none computes the count before checking the bounds.
extension ReaderContractTests {
  /// `upperBound - lowerBound` overflows for each.
  static let overflowingRanges = [-1..<Int.max, Int.min..<5, Int.min..<Int.max]

  @Test(arguments: ReaderKind.allCases)
  func rangesWhoseCountOverflowsThrowEINVALFromEveryRandomAccessEntryPoint(kind: ReaderKind)
    throws
  {
    try withTemporaryFile(contents: generatedBytes(count: 3 * pageSize + 5, seed: 81)) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      let invalid = MMapError(.read, path: path, errno: EINVAL)
      let null = open("/dev/null", O_WRONLY)
      defer { close(null) }
      for range in Self.overflowingRanges {
        #expect(throws: invalid, "bytes \(range)") { try reader.bytes(in: range) }
        #expect(throws: invalid, "forEachChunk \(range)") {
          try reader.forEachChunk(in: range) { _, _ in .proceed }
        }
        #expect(throws: invalid, "firstOffset \(range)") {
          try reader.firstOffset(of: 0x0A, in: range)
        }
        #expect(throws: invalid, "lastOffset \(range)") {
          try reader.lastOffset(of: 0x0A, in: range)
        }
        for needle in [[], [0x0A], [0x0D, 0x0A], Array(repeating: 7, count: 100)] as [[UInt8]] {
          #expect(throws: invalid, "firstOffset of \(needle.count) bytes \(range)") {
            try reader.firstOffset(of: needle, in: range)
          }
        }
        #expect(throws: invalid, "count \(range)") { try reader.count(of: 0x0A, in: range) }
        #expect(throws: invalid, "lineCount \(range)") { try reader.lineCount(in: range) }
        for options in [[], .omittingCarriageReturn] as [LineOptions] {
          #expect(throws: invalid, "forEachLine \(range)") {
            try reader.forEachLine(in: range, options: options) { _ in .proceed }
          }
        }
        #expect(
          throws: MMapError(.write, path: path, errno: EINVAL, bytesWritten: 0), "write \(range)"
        ) { try reader.write(in: range, to: null) }
        expectCursorRefuses(range, over: reader, throwing: invalid)
      }
      // Offsets and counts whose sum or difference overflows, at a cursor and at open.
      expectCursorRefusesOverflowingCounts(over: reader, path: path)
      for (offset, count) in [(-1, Int.max), (Int.min, 5), (Int.min, Int.max), (5, Int.max)] {
        #expect(
          throws: MMapError(kind.rangeOperation, path: path, errno: EINVAL), "\(offset), \(count)"
        ) { try kind.open(path, offset: offset, count: count) }
      }
      #expect(try reader.bytes(in: 0..<5) == preadBytes(path: path, offset: 0, count: 5))
    }
  }

  @Test(arguments: ReaderKind.zeroCopy)
  func rangesWhoseCountOverflowsThrowEINVALFromEveryView(kind: ReaderKind) throws {
    try withTemporaryFile(contents: generatedBytes(count: 3 * pageSize + 5, seed: 83)) { path in
      let reader = try kind.openZeroCopy(path)
      defer { try? reader.close() }
      let invalid = MMapError(.read, path: path, errno: EINVAL)
      for range in Self.overflowingRanges {
        #expect(throws: invalid, "withUnsafeBytes \(range)") {
          try reader.withUnsafeBytes(in: range) { _ in Issue.record("called") }
        }
        #expect(throws: invalid, "withBytes \(range)") {
          try reader.withBytes(in: range) { _ in Issue.record("called") }
        }
        #expect(throws: invalid, "forEachLine with bytes \(range)") {
          try reader.forEachLine(in: range) { _, _ in .proceed }
        }
      }
    }
  }

  /// Advice, locks, residency, windows and detached mappings.
  @Test(arguments: ReaderKind.mapped)
  func rangesWhoseCountOverflowsThrowEINVALFromEveryMappedReaderEntryPoint(kind: ReaderKind)
    throws
  {
    try withTemporaryFile(contents: generatedBytes(count: 3 * pageSize + 5, seed: 85)) { path in
      let reader = try kind.openZeroCopy(path)
      defer { try? reader.close() }
      func invalid(_ operation: MMapError.Operation) -> MMapError {
        MMapError(operation, path: path, errno: EINVAL)
      }
      for range in Self.overflowingRanges {
        switch reader {
        case let reader as MMapReader:
          #expect(throws: invalid(.advise)) { try reader.advise(.willNeed, in: range) }
          #expect(throws: invalid(.lock)) { try reader.lock(in: range) }
          #expect(throws: invalid(.unlock)) { try reader.unlock(in: range) }
          #expect(throws: invalid(.residency)) { try reader.residency(in: range) }
          #expect(throws: invalid(.read)) { try reader.detachedMapping(in: range) }
        case let reader as MMapWindowReader:
          #expect(throws: invalid(.advise)) { try reader.advise(.willNeed, in: range) }
          #expect(throws: invalid(.lock)) { try reader.lock(in: range) }
          #expect(throws: invalid(.unlock)) { try reader.unlock(in: range) }
          #expect(throws: invalid(.residency)) { try reader.residency(in: range) }
          #expect(throws: invalid(.read)) { try reader.detachedMapping(in: range) }
          #expect(throws: invalid(.read)) {
            try reader.forEachWindow(in: range) { _, _ in Issue.record("called") }
          }
        default:
          Issue.record("not a mapped reader: \(type(of: reader))")
        }
      }
      #expect(reader.mappedWindowCountIfWindowed == 0, "nothing was mapped for a bad range")
    }
  }
}

/// Expects a cursor over `range` of `reader` to be refused with `error`.
private func expectCursorRefuses<Reader: RandomAccessReader>(
  _ range: Range<Int>, over reader: Reader, throwing error: MMapError
) {
  #expect(throws: error, "cursor \(range)") { try ReaderCursor(reader, in: range) }
}

/// Expects a cursor over `reader`, of the file at `path`, to refuse counts and seeks that
/// would overflow from its position, and to stay where it was.
private func expectCursorRefusesOverflowingCounts<Reader: RandomAccessReader>(
  over reader: Reader, path: String
) {
  var cursor = ReaderCursor(reader)
  #expect(throws: MMapError(.read, path: path, errno: ENODATA)) {
    try cursor.readBytes(count: .max)
  }
  #expect(throws: MMapError(.read, path: path, errno: EINVAL)) {
    try cursor.readBytes(count: .min)
  }
  for (offset, origin) in [(Int.max, SeekOrigin.end), (.min, .end), (.min, .current)] {
    #expect(throws: MMapError(.seek, path: path, errno: EINVAL), "seek \(offset) \(origin)") {
      try cursor.seek(to: offset, from: origin)
    }
  }
  #expect(cursor.position == 0)
}

extension ZeroCopyReader {
  /// The windows a windowed reader has mapped, or `0` for any other reader.
  fileprivate var mappedWindowCountIfWindowed: Int {
    (self as? MMapWindowReader)?.mappedWindowCount ?? 0
  }
}
