import Foundation
import Testing

@testable import MMap

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Releasing a scanned file's pages: what `dontNeed`, `cold` and `pageOut` each do to this
/// process's mapping (`Rss` and `Referenced` in `/proc/self/smaps`) and to the page cache
/// (``Residency``).
@Suite(.serialized) struct PageReleaseTests {
  static let pages = 64

  /// A clean file (written and synced, so that reclaiming needs no write-back), mapped and
  /// read through, with its mapping's address range.
  static func withScannedFile(
    _ body: (MMapReader, [UInt8], Range<UInt>) throws -> Void
  ) throws {
    let contents = generatedBytes(count: pages * pageSize, seed: 44)
    try withTemporaryFile(contents: contents) { path in
      let fd = open(path, O_RDONLY)
      #expect(fd >= 0 && fsync(fd) == 0)
      close(fd)
      let reader = try MMapReader(path: path)
      defer { try? reader.close() }
      #expect(try reader.bytes(in: 0..<reader.count) == contents)
      let start = try reader.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) }
      try body(reader, contents, start..<(start + UInt(contents.count)))
    }
  }

  /// The sum of an smaps field, in KiB, over the mappings that overlap `addresses`.
  static func smapsKiB(_ field: String, in addresses: Range<UInt>) -> Int {
    var total = 0
    var overlaps = false
    for line in readProcFile("/proc/self/smaps").split(separator: "\n") {
      let fields = line.split(separator: " ", omittingEmptySubsequences: true)
      if let first = fields.first, first.contains("-"), !first.hasSuffix(":") {
        let bounds = first.split(separator: "-").compactMap { UInt($0, radix: 16) }
        if bounds.count == 2 {
          overlaps = bounds[0] < addresses.upperBound && addresses.lowerBound < bounds[1]
          continue
        }
      }
      if overlaps, fields.count >= 2, fields[0] == field + ":" { total += Int(fields[1]) ?? 0 }
    }
    return total
  }

  static var fileKiB: Int { pages * pageSize / 1024 }

  /// Applies `advice`, or returns `false` if this kernel rejects it with `EINVAL`.
  static func advise(_ reader: MMapReader, _ advice: Advice) throws -> Bool {
    do throws(MMapError) {
      try reader.advise(advice)
      return true
    } catch {
      #expect(error.operation == .advise && error.errno == EINVAL)
      return false
    }
  }

  @Test func dontNeedUnmapsThePagesButThePageCacheKeepsThem() throws {
    try Self.withScannedFile { reader, contents, addresses in
      #expect(Self.smapsKiB("Rss", in: addresses) == Self.fileKiB)
      try reader.advise(.dontNeed)
      #expect(Self.smapsKiB("Rss", in: addresses) == 0, "no page mapped in this process")
      #expect(try reader.residency(in: nil).isFullyResident, "the page cache keeps them")
      #expect(try reader.bytes(in: 0..<reader.count) == contents)
    }
  }

  @Test func coldKeepsThePagesButMarksThemUnreferenced() throws {
    try Self.withScannedFile { reader, contents, addresses in
      #expect(Self.smapsKiB("Referenced", in: addresses) == Self.fileKiB)
      guard try Self.advise(reader, .cold) else { return }
      #expect(Self.smapsKiB("Rss", in: addresses) == Self.fileKiB, "still mapped")
      #expect(Self.smapsKiB("Referenced", in: addresses) == 0, "first in line for reclaim")
      #expect(try reader.residency(in: nil).isFullyResident)
      #expect(try reader.bytes(in: 0..<reader.count) == contents)
    }
  }

  @Test func pageOutReclaimsThePagesFromTheProcessAndThePageCache() throws {
    try Self.withScannedFile { reader, contents, addresses in
      guard try Self.advise(reader, .pageOut) else { return }
      #expect(Self.smapsKiB("Rss", in: addresses) == 0)
      var left = try reader.residency(in: nil)
      // Pages just read can stay cached for a moment, for example while they wait in a CPU's
      // batch of pages not yet on the kernel's LRU lists, which reclaim skips (seen once under
      // ASan on a loaded machine): map them again and retry a few times before judging.
      for _ in 0..<5 where left.residentPageCount >= Self.pages / 4 {
        usleep(50_000)
        _ = try reader.bytes(in: 0..<reader.count)
        try reader.advise(.pageOut)
        left = try reader.residency(in: nil)
      }
      #expect(left.residentPageCount < Self.pages / 4, "\(left)")
      #expect(try reader.bytes(in: 0..<reader.count) == contents, "read from the disk again")
    }
  }
}
