import Foundation
import Testing

@testable import MMap

/// A randomized model check: long random sequences of open, read, view, scan, advise,
/// truncate, grow, overwrite, status and close on random files, for every reader that reads
/// the file at each access (the in-memory reader is a snapshot, checked by the contract
/// suite), each outcome compared with a model built on `pread` of the same file.
///
/// The model's rules, beyond the contract every reader shares:
/// - A reader's count stays what it was at open, whatever happens to the file.
/// - `PReadReader` answers each read from the file as it is now: the bytes, or (for bytes
///   the file no longer has) the truncation error with `missingOffset` where the file ends.
/// - A mapped reader shows the file's bytes, then zeros up to the end of the page holding
///   the file's last byte, without an error: the one case a mapping can't detect. An access
///   past that page faults; the reader throws the truncation error then and for every later
///   access, even after the file grows back: it is failed for good.
/// - The windowed reader serves a copy from a window (as a mapping does) or with `pread`
///   (which stops at the file's end, and then fails for good): bytes past the end inside the
///   last page may read as zeros or fail. Its views are always mappings.
/// - `missingOffset` is never below where the file ends now, and below the end of the access.
@Suite struct ReaderModelTests {
  /// Operations per reader kind: 30,000 by default, 10,000,000 with
  /// `SWIFT_MMAP_LONG_TESTS=1`, 5,000 under a sanitizer.
  static let operations = TestScale.count(
    normal: 30_000, long: 10_000_000, sanitized: 5_000)

  @Test(arguments: ReaderKind.readingTheFile)
  func randomOperationsMatchTheModel(kind: ReaderKind) throws {
    try withTemporaryDirectory { directory in
      let seed = 0x5EED_0000 + UInt64(ReaderKind.allCases.firstIndex(of: kind)!)
      var check = ModelCheck(kind: kind, directory: directory, seed: seed)
      for _ in 0..<Self.operations {
        check.step()
        if check.mismatches.count >= 5 { break }
      }
      for mismatch in check.mismatches { Issue.record(Comment(rawValue: mismatch)) }
      #expect(check.mismatches.isEmpty)
      #expect(check.tally["truncation"] ?? 0 > 0, "\(check.tally)")
      if TestScale.isLong || ProcessInfo.processInfo.environment["SWIFT_MMAP_MODEL_REPORT"] == "1" {
        let outcomes = check.tally.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        print(
          "model \(kind.rawValue): \(Self.operations) operations,"
            + " \(check.mismatches.count) mismatches; " + outcomes.joined(separator: ", "))
      }
    }
  }
}
