import Foundation
import Synchronization
import Testing

@testable import MMap

/// `close()` racing with reads, round after round: four threads read one mapped reader with
/// copies, throwing single-byte reads and views while a fifth closes it. Every byte a read
/// returns is checked against the file's; every failure must be the closed reader's `EBADF`;
/// a fault would end the test process.
@Suite struct CloseRaceStressTests {
  /// Rounds per reader: 10,000 by default, 100,000 with `SWIFT_MMAP_LONG_TESTS=1`, 1,000
  /// under a sanitizer.
  static let rounds = TestScale.count(normal: 10_000, long: 100_000, sanitized: 1_000)

  /// What the readers saw, summed over every round.
  final class Tally: Sendable {
    let delivered = Atomic<Int>(0)
    let refused = Atomic<Int>(0)
    let wrong = Atomic<Int>(0)
    let viewsDelivered = Atomic<Int>(0)
    let started = Atomic<Int>(0)
  }

  /// The reader of the current round, handed from the closing thread to the reading ones
  /// across a barrier, which orders every access to it.
  final class RoundReader: @unchecked Sendable {
    var reader: (any ZeroCopyReader)?
  }

  @Test(arguments: ReaderKind.zeroCopy)
  func closeRacingWithCopiesBytesAndViewsNeverFaultsOrLies(kind: ReaderKind) throws {
    let contents = generatedBytes(count: 6 * pageSize + 5, seed: 91)
    try withTemporaryFile(contents: contents) { path in
      #expect(preadBytes(path: path, offset: 0, count: contents.count) == contents)
      let tally = Tally()
      let current = RoundReader()
      let barrier = ThreadBarrier(count: 5)
      let rounds = Self.rounds
      runOnThreads(5) { thread in
        var random = SeededGenerator(seed: UInt64(thread) &+ 1)
        for _ in 0..<rounds {
          if thread == 0 {
            tally.started.store(0, ordering: .relaxed)
            current.reader = try? kind.openZeroCopy(path)
          }
          barrier.wait()  // The round's reader is open and published.
          if let reader = current.reader {
            if thread == 0 {
              closeWhileReading(reader, tally: tally, using: &random)
            } else {
              tally.started.add(1, ordering: .releasing)
              readUntilClosed(reader, contents: contents, tally: tally, using: &random)
            }
          }
          barrier.wait()  // Everyone is done with it.
          if thread == 0 { current.reader = nil }
        }
      }
      #expect(tally.wrong.load(ordering: .relaxed) == 0)
      // Both outcomes happened, views among the deliveries, so the race was really run.
      #expect(tally.delivered.load(ordering: .relaxed) > rounds)
      #expect(tally.refused.load(ordering: .relaxed) > rounds)
      #expect(tally.viewsDelivered.load(ordering: .relaxed) > 0)
      #expect(mappingCount(of: path) == 0)
      #expect(descriptorCount(of: path) == 0)
      if TestScale.isLong {
        print(
          "close race \(kind.rawValue): \(rounds) rounds, reads delivered"
            + " \(tally.delivered.load(ordering: .relaxed)) (views"
            + " \(tally.viewsDelivered.load(ordering: .relaxed))), refused"
            + " \(tally.refused.load(ordering: .relaxed)), wrong"
            + " \(tally.wrong.load(ordering: .relaxed))")
      }
    }
  }

  /// Waits until the four readers have started, lets them read for a varying moment, then
  /// closes the reader.
  private func closeWhileReading(
    _ reader: any ZeroCopyReader, tally: Tally, using random: inout SeededGenerator
  ) {
    while tally.started.load(ordering: .acquiring) < 4 { sched_yield() }
    let spins = Int.random(in: 0..<2_000, using: &random)
    var sink = 0
    for spin in 0..<spins { sink &+= spin }
    blackHole(sink)
    do {
      try reader.close()
    } catch {
      tally.wrong.add(1, ordering: .relaxed)
    }
  }

  /// Reads at random until the reader throws: each delivery checked against `contents`, and
  /// the only acceptable failure the closed reader's `EBADF`. Yields the processor now and
  /// then, so that the closing thread runs soon even with fewer cores than threads.
  private func readUntilClosed(
    _ reader: any ZeroCopyReader, contents: [UInt8], tally: Tally,
    using random: inout SeededGenerator
  ) {
    let closed = MMapError(.read, path: reader.path, errno: EBADF)
    var buffer = [UInt8](repeating: 0, count: 2 * pageSize)
    for step in 0..<100_000 {
      if step % 8 == 7 { sched_yield() }
      let offset = Int.random(in: 0..<contents.count, using: &random)
      let length = Int.random(in: 1...buffer.count, using: &random)
      do {
        let good: Bool
        switch Int.random(in: 0..<3, using: &random) {
        case 0:
          let copied = try buffer.withUnsafeMutableBytes { bytes in
            try reader.read(
              from: offset, into: UnsafeMutableRawBufferPointer(rebasing: bytes[..<length]))
          }
          good =
            copied == min(length, contents.count - offset)
            && sameBytes(buffer[..<copied], contents[offset..<(offset + copied)])
        case 1:
          good = try reader.byte(at: offset) == contents[offset]
        default:
          let end = min(contents.count, offset + length)
          good = try reader.withUnsafeBytes(in: offset..<end) { bytes in
            sameBytes(bytes, contents[offset..<end])
          }
          if good { tally.viewsDelivered.add(1, ordering: .relaxed) }
        }
        if good {
          tally.delivered.add(1, ordering: .relaxed)
        } else {
          tally.wrong.add(1, ordering: .relaxed)
        }
      } catch let error as MMapError where error == closed {
        tally.refused.add(1, ordering: .relaxed)
        return
      } catch {
        tally.wrong.add(1, ordering: .relaxed)
        return
      }
    }
    tally.wrong.add(1, ordering: .relaxed)  // The close never took effect.
  }
}

/// Keeps the optimizer from deleting a computation whose result is unused.
@inline(never)
func blackHole<T>(_ value: T) { _ = value }
