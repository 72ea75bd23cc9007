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

/// Huge sparse files and bounded resident memory. Serialized: the resident-memory test
/// measures the whole process, so these tests must not map large files at the same time.
@Suite(.serialized) struct MMapWindowReaderMemoryTests {
  static let gibibyte = 1 << 30

  /// Whether the temporary directory's file system can make a sparse file of `size` bytes.
  static func canMakeSparseFile(size: Int) -> Bool {
    (try? withTemporaryDirectory { directory in
      makeSparseFile(at: directory + "/probe.bin", size: size)
    }) ?? false
  }

  /// Reads 8-byte marks back from a sparse file of `size` bytes, including past 4 GiB and
  /// across the window edge at 4 GiB, and checks that no more than the windows (plus one
  /// view's temporary mapping) are ever mapped.
  func checkSparseFile(size: Int) throws {
    let maxWindows = 2
    var marks: [Int: [UInt8]] = [:]
    let offsets = [
      0, 12345, Self.gibibyte + 7, 4 * Self.gibibyte - 4, 4 * Self.gibibyte + 4097,
      3 * (size / 4) + 3, size - 8,
    ]
    for (index, offset) in offsets.enumerated() {
      marks[offset] = (0..<8).map { UInt8(truncatingIfNeeded: 0xA0 + index * 8 + $0) }
    }
    try withTemporaryDirectory { directory in
      let path = directory + "/sparse.bin"
      #expect(makeSparseFile(at: path, size: size, marks: marks))
      let reader = try MMapWindowReader(path: path, maxWindows: maxWindows)
      #expect(reader.count == size)
      for (offset, mark) in marks {
        #expect(try reader.bytes(in: offset..<(offset + 8)) == mark, "mark at \(offset)")
        if offset > 0 { #expect(try reader.byte(at: offset - 1) == 0) }
        try reader.withUnsafeBytes(in: offset..<(offset + 8)) { view in
          #expect(Array(view) == mark, "view of the mark at \(offset)")
          #expect(mappingCount(of: path) <= maxWindows + 1)
        }
      }
      // Scan 64 MiB around 4 GiB window by window, then copy 48 MiB past 6 GiB if the file
      // is that large: the windows come and go, never more than `maxWindows` at once.
      let around = (4 * Self.gibibyte - (32 << 20))..<(4 * Self.gibibyte + (32 << 20))
      var markBytesSeen = 0
      try reader.forEachWindow(in: around) { offset, bytes in
        var index = 0
        while index < bytes.byteCount {  // One byte a page, to fault the window in.
          #expect(bytes.unsafeLoad(fromByteOffset: index, as: UInt8.self) == 0 || index == 0)
          index += pageSize
        }
        for (markOffset, mark) in marks {
          for (byteIndex, byte) in mark.enumerated()
          where (offset..<offset + bytes.byteCount).contains(markOffset + byteIndex) {
            let index = markOffset + byteIndex - offset
            #expect(bytes.unsafeLoad(fromByteOffset: index, as: UInt8.self) == byte)
            markBytesSeen += 1
          }
        }
        #expect(mappingCount(of: path) <= maxWindows)
      }
      // The mark across 4 GiB, split over two windows, and the one at 4 GiB + 4097.
      #expect(markBytesSeen == 16)
      var chunk = [UInt8](repeating: 1, count: 65536)
      var offset = 6 * Self.gibibyte
      while offset < min(size, 6 * Self.gibibyte + (48 << 20)) {
        offset += try reader.read(from: offset, into: &chunk)
        #expect(mappingCount(of: path) <= maxWindows)
      }
      #expect(reader.mappedWindowCount <= maxWindows)
      try reader.close()
      #expect(mappingCount(of: path) == 0)
    }
  }

  @Test func sparse8GiBFileReadsBackFarBytesWithOnlyItsWindowsMapped() throws {
    try checkSparseFile(size: 8 * Self.gibibyte)
  }

  @Test(
    .enabled(
      if: canMakeSparseFile(size: 100 * gibibyte),
      "the temporary directory's file system can't make a 100 GiB sparse file"))
  func sparse100GiBFileReadsBackFarBytesWithOnlyItsWindowsMapped() throws {
    try checkSparseFile(size: 100 * Self.gibibyte)
  }

  /// Writes a 1 GiB file of a cheap pattern: each 1 MiB chunk is one repeated byte stamped
  /// with its index.
  static func writeGibibyteFile(at path: String) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    precondition(fd >= 0, "cannot create \(path)")
    defer { close(fd) }
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    for index in 0..<1024 {
      chunk.withUnsafeMutableBytes { bytes in
        memset(bytes.baseAddress!, Int32(index % 251) + 1, bytes.count)
        bytes.storeBytes(of: UInt32(index), as: UInt32.self)
        let written = write(fd, bytes.baseAddress!, bytes.count)
        precondition(written == bytes.count, "cannot write \(path)")
      }
    }
  }

  /// A full scan with 2 windows of 16 MiB, by views and by 64 KiB copies, keeps the
  /// process's resident file pages within 48 MiB of where they started: pages become
  /// resident only inside mapped windows, and leave with them. The whole-file reader's scan
  /// makes the whole file resident.
  @Test func fullScanKeepsResidentFilePagesBoundedUnlikeTheWholeFileReader() throws {
    try withTemporaryDirectory { directory in
      let path = directory + "/big.bin"
      Self.writeGibibyteFile(at: path)
      let size = Self.gibibyte
      var sum: UInt64 = 0
      let reader = try MMapWindowReader(path: path, windowSize: 16 << 20, maxWindows: 2)
      let baseline = try #require(statusKiB("RssFile"))
      var peak = baseline
      try reader.forEachWindow { _, bytes in
        var index = 0
        while index < bytes.byteCount {  // One byte a page faults every page in.
          sum &+= UInt64(bytes.unsafeLoad(fromByteOffset: index, as: UInt8.self))
          index += pageSize
        }
        peak = max(peak, statusKiB("RssFile") ?? .max)
      }
      var chunk = [UInt8](repeating: 0, count: 65536)
      var offset = 0
      while offset < size {
        offset += try reader.read(from: offset, into: &chunk)
        sum &+= UInt64(chunk[0])
        if offset % (4 << 20) == 0 { peak = max(peak, statusKiB("RssFile") ?? .max) }
      }
      try reader.close()
      #expect(peak - baseline < 48 << 10, "RssFile grew by \(peak - baseline) KiB")

      let whole = try MMapReader(path: path)
      let before = try #require(statusKiB("RssFile"))
      var index = 0
      while index < size {
        sum &+= UInt64(whole[index])
        index += pageSize
      }
      let after = try #require(statusKiB("RssFile"))
      try whole.close()
      #expect(after - before > 512 << 10, "RssFile grew by only \(after - before) KiB")
      #expect(sum > 0)
    }
  }
}
