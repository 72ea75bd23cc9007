import Foundation
import Testing

@testable import MMap

/// The guard's handler can't tell a truncation from a failed read of the file; the reader
/// tells them apart by the file's size when it builds the error.
@Suite struct FaultCauseTests {
  /// A page that faulted while the file still holds it is an I/O error, not a truncation.
  /// This checks the rule, not a device: without a failing device, a file truncated and
  /// grown back before the error is built is the one way to make such a fault (and the one
  /// case the rule misreads).
  @Test(arguments: [ReaderKind.mmap, .windowed])
  func aFaultOnAPageTheFileStillHoldsIsAnIOError(kind: ReaderKind) throws {
    let contents = generatedBytes(count: 8 * pageSize, seed: 61)
    try withTemporaryFile(contents: contents) { path in
      let reader = try kind.openZeroCopy(path)
      defer { try? reader.close() }
      do {
        try reader.withUnsafeBytes(in: 0..<(8 * pageSize)) { bytes in
          #expect(truncate(path, off_t(2 * pageSize)) == 0)
          #expect(bytes[5 * pageSize] == 0)  // Faults: zero pages from here.
          #expect(truncate(path, off_t(8 * pageSize)) == 0)
        }
        Issue.record("the view must throw")
      } catch let error as MMapError {
        #expect(error.errno == EIO && error.path == path && !error.isTruncation)
      }
    }
  }

  @Test(arguments: [ReaderKind.mmap, .windowed])
  func aFaultInAFileThatShrankIsATruncation(kind: ReaderKind) throws {
    let contents = generatedBytes(count: 8 * pageSize, seed: 63)
    try withTemporaryFile(contents: contents) { path in
      let reader = try kind.openZeroCopy(path)
      defer { try? reader.close() }
      #expect(truncate(path, off_t(2 * pageSize)) == 0)
      let error = #expect(throws: MMapError.self) { try reader.byte(at: 5 * pageSize) }
      #expect(error?.errno == ENODATA && error?.isTruncation == true)
    }
  }
}
