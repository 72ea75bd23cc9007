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

/// Reads and writes of more than 1 GiB, which every `pread`, `write` and `send` splits into
/// calls of at most ``system_maxCountPerCall`` bytes (Darwin rejects a count above
/// `INT_MAX`), continuing after a short count. The loops are checked with stand-ins; whole
/// transfers with a sparse file of 1.5 GiB, which takes no disk space. Serialized: a big
/// read holds 1.5 GiB of memory while it runs.
@Suite(.serialized) struct LargeTransferTests {
  static let sparseSize = 3 << 29  // 1.5 GiB.

  /// A directory for the sparse file: `/dev/shm` where it exists, whose holes read without
  /// allocating page cache, else the temporary directory.
  static func withSparseFileDirectory<R>(_ body: (String) throws -> R) throws -> R {
    var status = stat()
    if stat("/dev/shm", &status) == 0, access("/dev/shm", W_OK) == 0 {
      let directory = "/dev/shm/mmap-tests-\(UUID().uuidString)"
      try FileManager.default.createDirectory(
        atPath: directory, withIntermediateDirectories: false)
      defer { try? FileManager.default.removeItem(atPath: directory) }
      return try body(directory)
    }
    return try withTemporaryDirectory(body)
  }

  /// Whether a sparse file of ``sparseSize`` bytes can be made.
  static let canMakeSparseFiles =
    (try? withSparseFileDirectory { makeSparseFile(at: $0 + "/probe.bin", size: sparseSize) })
    ?? false

  /// The range the big read copies: 1 GiB and a page, up to the file's end, so that its first
  /// `pread` ends a page before the last one.
  static let readRange = (sparseSize - (1 << 30) - 4096)..<sparseSize

  /// Marks at the file's start, at the start of ``readRange``, on both sides of its first
  /// call's end, and at the file's end.
  static let marks: [Int: [UInt8]] = [
    0: [1, 2, 3, 4, 5, 6, 7, 8],
    readRange.lowerBound: [9, 10, 11],
    readRange.lowerBound + (1 << 30) - 3: [12, 13, 14, 15, 16, 17],
    sparseSize - 5: [18, 19, 20, 21, 22],
  ]

  /// A buffer far larger than the cap, never touched: the stand-ins only count.
  static var untouchedHuge: UnsafeMutableRawBufferPointer {
    UnsafeMutableRawBufferPointer(
      start: UnsafeMutableRawPointer(bitPattern: 0x1000), count: 2 * system_maxCountPerCall + 5)
  }

  @Test func eachPreadAsksForAtMostTheMaximumAndAShortCountIsNotTheEnd() throws {
    var calls: [(offset: Int, count: Int)] = []
    let buffer = Self.untouchedHuge
    let got = try preadFully(offset: 100, into: buffer, path: "/p") { start, count, offset in
      calls.append((offset, count))
      #expect(start == buffer.baseAddress! + (offset - 100), "the address follows the offset")
      switch calls.count {
      case 2: return 7  // A short count: the loop goes on from there.
      case 3:
        system_errno = EINTR
        return -1
      default: return count
      }
    }
    #expect(got == buffer.count)
    #expect(calls.allSatisfy { $0.count <= system_maxCountPerCall })
    let cap = system_maxCountPerCall
    // The EINTR call is made again with the same offset and count.
    #expect(calls.map(\.offset) == [100, 100 + cap, 107 + cap, 107 + cap])
    #expect(calls.map(\.count) == [cap, cap, cap - 2, cap - 2])
  }

  @Test func preadStopsEarlyOnlyWhenACallReturnsZero() throws {
    var calls = 0
    let got = try preadFully(offset: 0, into: Self.untouchedHuge, path: "/p") { _, count, _ in
      calls += 1
      return calls == 1 ? 5 : calls == 2 ? count / 2 : 0
    }
    #expect(calls == 3)
    #expect(got == 5 + min(Self.untouchedHuge.count - 5, system_maxCountPerCall) / 2)
  }

  @Test func preadFailureThrowsTheErrnoWithThePath() {
    #expect(throws: MMapError(.read, path: "/p", errno: EIO)) {
      try preadFully(offset: 0, into: Self.untouchedHuge, path: "/p") { _, _, _ in
        system_errno = EIO
        return -1
      }
    }
  }

  /// One read of 1 GiB and a page, in two `pread` calls, returns every byte: the marks where
  /// they were written and zeros everywhere else, none left as the buffer held them before.
  @Test(.enabled(if: canMakeSparseFiles, "no file system here can hold a 1.5 GiB sparse file"))
  func readOfMoreThanOneGiBReturnsEveryByte() throws {
    try Self.withSparseFileDirectory { directory in
      let path = directory + "/sparse.bin"
      #expect(makeSparseFile(at: path, size: Self.sparseSize, marks: Self.marks))
      let reader = try PReadReader(path: path)
      defer { try? reader.close() }
      let range = Self.readRange
      try withFreshMemory(count: range.count) { (buffer) throws in
        memset(buffer.baseAddress!, 0xEE, buffer.count)  // No byte of it reads as the file's.
        #expect(try reader.read(from: range.lowerBound, into: buffer) == range.count)
        for (offset, mark) in Self.marks where range.contains(offset) {
          let index = offset - range.lowerBound
          #expect(Array(buffer[index..<index + mark.count]) == mark, "mark at \(offset)")
          memset(buffer.baseAddress! + index, 0, mark.count)
        }
        #expect(isAllZero(buffer), "only zeros besides the marks")
      }
    }
  }

  /// The mapped reader writes its 1.5 GiB in one piece, which becomes two `write` calls; the
  /// count written is the file's size.
  @Test(.enabled(if: canMakeSparseFiles, "no file system here can hold a 1.5 GiB sparse file"))
  func writeOfMoreThanOneGiBToDevNullCompletes() throws {
    try Self.withSparseFileDirectory { directory in
      let path = directory + "/sparse.bin"
      #expect(makeSparseFile(at: path, size: Self.sparseSize, marks: Self.marks))
      let reader = try MMapReader(path: path)
      defer { try? reader.close() }
      let fd = open("/dev/null", O_WRONLY)
      try #require(fd >= 0)
      defer { close(fd) }
      #expect(try reader.write(to: fd) == Self.sparseSize)
      let tail = (1 << 30) - 3..<Self.sparseSize
      #expect(try reader.write(in: tail, to: fd) == tail.count)
    }
  }
}

/// Calls `body` with `count` bytes of fresh anonymous memory, unmapped afterwards: backed by
/// huge pages where the kernel offers them, since touching a gibibyte of small pages for the
/// first time costs seconds in a virtual machine.
private func withFreshMemory(
  count: Int, _ body: (UnsafeMutableRawBufferPointer) throws -> Void
) throws {
  #if canImport(Darwin)
    let anonymous = MAP_ANON
  #else
    let anonymous = MAP_ANONYMOUS
  #endif
  let start = mmap(nil, count, PROT_READ | PROT_WRITE, MAP_PRIVATE | anonymous, -1, 0)
  let address = try #require(start == MAP_FAILED ? nil : start)
  defer { munmap(address, count) }
  #if os(Linux)
    _ = madvise(address, count, 14)  // MADV_HUGEPAGE, a hint.
  #endif
  try body(UnsafeMutableRawBufferPointer(start: address, count: count))
}

/// Whether every byte of `bytes` is zero, compared with `memcmp` a mebibyte at a time: fast in
/// a debug build, where a byte loop over a gibibyte is not.
private func isAllZero(_ bytes: UnsafeMutableRawBufferPointer) -> Bool {
  let zeros = [UInt8](repeating: 0, count: 1 << 20)
  var start = 0
  while start < bytes.count {
    let length = min(zeros.count, bytes.count - start)
    let differs = zeros.withUnsafeBytes {
      memcmp(bytes.baseAddress! + start, $0.baseAddress!, length) != 0
    }
    if differs { return false }
    start += length
  }
  return true
}
