import Foundation
import Testing

@testable import MMap

/// The scanning helpers follow the library's rules for bad input: a range outside the reader
/// throws `EINVAL` and a closed reader `EBADF`, even for empty ranges and empty needles, before
/// anything is found.
@Suite struct ScanningErrorTests {
  /// Every scanning helper, run on `range`, by name.
  private func scans(_ reader: any RandomAccessReader, _ range: Range<Int>?)
    -> KeyValuePairs<String, () throws -> Void>
  {
    [
      "count": { _ = try reader.count(of: 0x0A, in: range) },
      "first": { _ = try reader.firstOffset(of: 0x0A, in: range) },
      "last": { _ = try reader.lastOffset(of: 0x0A, in: range) },
      "sequence": { _ = try reader.firstOffset(of: [0x0A, 0x0B], in: range) },
      "empty sequence": { _ = try reader.firstOffset(of: [], in: range) },
      "lineCount": { _ = try reader.lineCount(in: range) },
      "forEachLine": { try reader.forEachLine(in: range) { _ in .proceed } },
    ]
  }

  @Test(arguments: ReaderKind.allCases)
  func rangesOutsideTheReaderThrowEINVAL(kind: ReaderKind) throws {
    // Line feeds everywhere: a helper that scanned before checking would find one.
    try withTemporaryFile(contents: [UInt8](repeating: 0x0A, count: 36)) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      let invalid = MMapError(.read, path: path, errno: EINVAL)
      for range in [-1..<3, 30..<37, 37..<37, Int.min..<0, 0..<Int.max, -5..<36] {
        for (name, scan) in scans(reader, range) {
          #expect(throws: invalid, "\(name) \(range)") { try scan() }
        }
        if kind != .pread {
          #expect(throws: invalid) {
            try kind.openZeroCopy(path).forEachLine(in: range) { _, _ in .proceed }
          }
        }
      }
    }
  }

  @Test(arguments: ReaderKind.allCases)
  func closedReadersThrowEBADF(kind: ReaderKind) throws {
    try withTemporaryFile(contents: [UInt8](repeating: 0x0A, count: 36)) { path in
      let reader = try kind.open(path)
      try reader.close()
      let closed = MMapError(.read, path: path, errno: EBADF)
      for range in [nil, 0..<0, 3..<10] {
        for (name, scan) in scans(reader, range) {
          #expect(throws: closed, "\(name) \(String(describing: range))") { try scan() }
        }
      }
      if kind != .pread {
        let reader = try kind.openZeroCopy(path)
        try reader.close()
        #expect(throws: closed) { try reader.forEachLine { _, _ in .proceed } }
      }
    }
  }

  /// The scans read through the readers' guarded chunks: a file truncated under the reader
  /// gives a typed error, never a crash or a count of zeros. (The in-memory reader holds a
  /// copy, which a truncation doesn't touch.)
  @Test(arguments: ReaderKind.readingTheFile)
  func scansOfAFileTruncatedUnderTheReaderThrowENODATA(kind: ReaderKind) throws {
    try withTemporaryFile(contents: generatedBytes(count: 16 * pageSize, seed: 61)) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      #expect(truncate(path, off_t(4 * pageSize)) == 0)
      // All but the empty sequence's search, which reads nothing.
      for (name, scan) in scans(reader, (2 * pageSize)..<(16 * pageSize))
      where name != "empty sequence" {
        do {
          try scan()
          Issue.record("\(name) past the new end must throw")
        } catch let error as MMapError {
          #expect(error.errno == ENODATA && error.path == path)
        }
      }
    }
  }

  @Test(arguments: ReaderKind.allCases)
  func emptyRangesFindNothingButTheEmptyNeedle(kind: ReaderKind) throws {
    try withTemporaryFile(contents: [UInt8](repeating: 0x0A, count: 36)) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      for offset in [0, 17, 36] {
        let empty = offset..<offset
        #expect(try reader.count(of: 0x0A, in: empty) == 0)
        #expect(try reader.firstOffset(of: 0x0A, in: empty) == nil)
        #expect(try reader.lastOffset(of: 0x0A, in: empty) == nil)
        #expect(try reader.firstOffset(of: [0x0A, 0x0A], in: empty) == nil)
        #expect(try reader.firstOffset(of: [], in: empty) == offset)
        #expect(try reader.lineCount(in: empty) == 0)
        var visits = 0
        try reader.forEachLine(in: empty) { _ in
          visits += 1
          return .proceed
        }
        #expect(visits == 0)
      }
    }
  }
}
