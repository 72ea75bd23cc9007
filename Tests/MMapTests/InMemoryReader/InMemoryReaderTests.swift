import Foundation
import Testing

@testable import MMap

/// What is specific to the in-memory reader: files that report a size of `0`, the limit on
/// what it reads, and its snapshot of the file. The contract suite covers the rest.
@Suite struct InMemoryReaderTests {
  /// `/proc` files report a size of `0` and have content: read to their end, they hold what a
  /// raw `read(2)` loop gets.
  @Test func procFileReportingSizeZeroIsReadToItsEnd() throws {
    let status = try InMemoryReader(path: "/proc/self/status")
    defer { try? status.close() }
    let text = try status.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    #expect(text.hasPrefix("Name:"))
    #expect(text.contains("\nPid:\t\(getpid())\n"))
    #expect(text.hasSuffix("\n"))
    // The command line doesn't change while the process runs: byte for byte what read(2) gets.
    let truth = Array(readProcFile("/proc/self/cmdline").utf8)
    let cmdline = try InMemoryReader(path: "/proc/self/cmdline")
    #expect(cmdline.count == truth.count && cmdline.count > 0)
    #expect(try cmdline.bytes(in: 0..<cmdline.count) == truth)
  }

  /// A `/sys` attribute reports a page and holds less: read to its end, it holds what it
  /// holds, where the other readers refuse it.
  @Test func sysAttributeIsReadToItsEnd() throws {
    let path = "/sys/devices/system/cpu/online"
    let reader = try InMemoryReader(path: path)
    let truth = Array(readProcFile(path).utf8)
    #expect(reader.count == truth.count && reader.count > 0 && reader.count < 4096)
    #expect(try reader.bytes(in: 0..<reader.count) == truth)
    #expect(throws: MMapError(.open, path: path, errno: ENODEV)) { try PReadReader(path: path) }
  }

  /// A `/proc` file larger than the first allocation (4 KiB) grows it as often as needed.
  @Test func procFileLargerThanTheFirstAllocationIsReadWhole() throws {
    let maps = try InMemoryReader(path: "/proc/self/maps")
    #expect(maps.count > 4096, "a Swift test process has more than 4 KiB of mappings")
    let lines = try maps.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
      .split(separator: "\n")
    #expect(lines.count > 20)
    #expect(lines.allSatisfy { $0.prefix { $0 != " " }.contains("-") }, "whole lines only")
  }

  /// The limit holds at its boundaries, for a file read to its end and for one whose size is
  /// known; one past it throws `EFBIG` with the path.
  @Test func limitHoldsAtItsBoundariesAndPastItThrowsEFBIG() throws {
    let path = "/proc/self/cmdline"
    let size = Array(readProcFile(path).utf8).count
    for limit in [size, size + 1, 4096, 1 << 20] {
      let reader = try InMemoryReader(path: path, limit: limit)
      #expect(reader.count == size, "limit \(limit)")
    }
    for limit in [size - 1, 1, 0] {
      #expect(throws: MMapError(.read, path: path, errno: EFBIG), "limit \(limit)") {
        try InMemoryReader(path: path, limit: limit)
      }
    }
    let contents = generatedBytes(count: 3 * pageSize + 1, seed: 61)
    try withTemporaryFile(contents: contents) { path in
      let atTheLimit = try InMemoryReader(path: path, limit: contents.count)
      #expect(atTheLimit.count == contents.count)
      #expect(throws: MMapError(.read, path: path, errno: EFBIG)) {
        try InMemoryReader(path: path, limit: contents.count - 1)
      }
      // A range needs only its own bytes under the limit.
      let range = try InMemoryReader(path: path, offset: 1, limit: contents.count - 1)
      #expect(range.count == contents.count - 1)
    }
  }

  @Test func negativeLimitTraps() async {
    await #expect(processExitsWith: .failure) {
      _ = try? InMemoryReader(path: "/proc/self/status", limit: -1)
    }
  }

  /// The reader holds a copy made at open: a file truncated or rewritten afterwards reads as
  /// it was, where the mapped readers would see the change or throw.
  @Test func readerIsASnapshotOfTheFileAtOpen() throws {
    let contents = generatedBytes(count: 4 * pageSize, seed: 63)
    try withTemporaryFile(contents: contents) { path in
      let reader = try InMemoryReader(path: path)
      defer { try? reader.close() }
      #expect(truncate(path, 0) == 0)
      try Data(repeating: 0xAB, count: 10).write(to: URL(fileURLWithPath: path))
      #expect(reader.count == contents.count)
      #expect(try reader.bytes(in: 0..<reader.count) == contents)
    }
  }

  /// Reading through a duplicate with `pread` leaves the caller's descriptor where it was.
  @Test func readerFromADescriptorLeavesItsFileOffsetAlone() throws {
    let contents = generatedBytes(count: 1000, seed: 65)
    try withTemporaryFile(contents: contents) { path in
      let fd = open(path, O_RDONLY)
      defer { close(fd) }
      #expect(lseek(fd, 123, SEEK_SET) == 123)
      let reader = try InMemoryReader(fileDescriptor: fd)
      #expect(try reader.bytes(in: 0..<reader.count) == contents)
      #expect(lseek(fd, 0, SEEK_CUR) == 123)
    }
  }

  @Test func subscriptOutsideOrAfterCloseTraps() async {
    await #expect(processExitsWith: .failure) {
      let reader = try InMemoryReader(path: "/proc/self/status")
      _ = reader[reader.count]
    }
    await #expect(processExitsWith: .failure) {
      let reader = try InMemoryReader(path: "/proc/self/status")
      try reader.close()
      _ = reader[0]
    }
  }

  /// A view running while another thread closes the reader keeps the file's bytes until its
  /// closure returns.
  @Test func viewRunningAtCloseKeepsItsBytes() throws {
    let contents = generatedBytes(count: 2 * pageSize, seed: 67)
    try withTemporaryFile(contents: contents) { path in
      let reader = try InMemoryReader(path: path)
      let same = try reader.withUnsafeBytes { bytes in
        try reader.close()
        return sameBytes(bytes, contents[...])
      }
      #expect(same)
      #expect(throws: MMapError(.read, path: path, errno: EBADF)) {
        try reader.withUnsafeBytes { _ in }
      }
    }
  }
}
