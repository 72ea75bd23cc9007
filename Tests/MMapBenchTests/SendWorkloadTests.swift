import Foundation
import Testing

@testable import MMapBench

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The `send` workload's receiver: its sum of little-endian words is the direct one however
/// the stream is cut into reads.
@Suite struct SendWorkloadTests {
  @Test func receiverSumsWordsCutAcrossReads() throws {
    var random = SystemRandomNumberGenerator()
    let bytes = (0..<(8 * 1000)).map { _ in UInt8.random(in: 0...255, using: &random) }
    var expected: UInt64 = 0
    for offset in stride(from: 0, to: bytes.count, by: 8) {
      expected &+= (0..<8).reduce(0) { $0 | UInt64(bytes[offset + $1]) << (8 * $1) }
    }
    let (sender, receiving) = try loopbackPair()
    let receiver = StreamReceiver(receiving)
    // Pieces of 1 to 13 bytes, each its own write, with pauses: reads end inside words.
    var offset = 0
    var piece = 1
    while offset < bytes.count {
      let count = min(piece, bytes.count - offset)
      let written = bytes[offset..<offset + count].withUnsafeBytes {
        write(sender, $0.baseAddress, count)
      }
      #expect(written == count)
      offset += count
      piece = piece % 13 + 1
      if offset % 97 == 0 { usleep(100) }
    }
    shutdown(sender, CInt(SHUT_WR))
    let received = receiver.wait()
    close(sender)
    #expect(received.count == bytes.count)
    #expect(received.sum == expected)
  }

  /// `--range`: the file sent as one `write(in:to:)` per range of that size arrives whole, with
  /// the checksum of one call for all of it, from every reader; other workloads refuse it.
  @Test(arguments: [ReaderKind.mmap, .windowed, .pread, .file])
  func sendingInRangesDeliversTheSameStream(reader: ReaderKind) throws {
    let path = FileManager.default.temporaryDirectory.path + "/send-ranges-\(getpid())-\(reader)"
    try generateFixture(path: path, count: 3 * 65536 + 4096 + 8, seed: 9)
    defer { unlink(path) }
    let scratch = allocateScratch()
    defer { scratch.deallocate() }
    let whole = try runBenchmark(
      BenchOptions(arguments: ["send", path, "--reader", reader.rawValue]), scratch: scratch)
    for size in ["4096", "65536", "1000000"] {
      let ranged = try runBenchmark(
        BenchOptions(arguments: ["send", path, "--reader", reader.rawValue, "--range", size]),
        scratch: scratch)
      #expect(ranged.checksum == whole.checksum, "\(size)")
      #expect(ranged.bytes == whole.bytes)
    }
    #expect(throws: BenchError.self) {
      try BenchOptions(arguments: ["at", path, "--range", "4096"])
    }
  }

  /// `--to pipe` and `--to file`: the file written to a pipe or a regular file, whole or in
  /// ranges, arrives whole with the checksum of the TCP stream, from every reader; other
  /// workloads refuse the option.
  @Test(arguments: [ReaderKind.mmap, .windowed, .pread, .file])
  func sendingToAPipeOrAFileDeliversTheSameStream(reader: ReaderKind) throws {
    let path = FileManager.default.temporaryDirectory.path + "/send-to-\(getpid())-\(reader)"
    try generateFixture(path: path, count: 2 * 65536 + 4096 + 8, seed: 13)
    defer { unlink(path) }
    let scratch = allocateScratch()
    defer { scratch.deallocate() }
    let overTCP = try runBenchmark(
      BenchOptions(arguments: ["send", path, "--reader", reader.rawValue]), scratch: scratch)
    for destination in ["pipe", "file"] {
      for range in [[], ["--range", "4096"]] {
        let arguments = ["send", path, "--reader", reader.rawValue, "--to", destination] + range
        let sent = try runBenchmark(BenchOptions(arguments: arguments), scratch: scratch)
        #expect(sent.checksum == overTCP.checksum, "\(arguments)")
        #expect(sent.bytes == overTCP.bytes)
      }
    }
    #expect(throws: BenchError.self) {
      try BenchOptions(arguments: ["at", path, "--to", "pipe"])
    }
    #expect(throws: BenchError.self) {
      try BenchOptions(arguments: ["send", path, "--to", "disk"])
    }
  }
}
