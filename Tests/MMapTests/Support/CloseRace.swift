import Foundation
import Synchronization

@testable import MMap

/// What the reading threads of ``raceReadsWithEnding(kind:path:contents:rounds:end:)`` saw.
struct CloseRaceOutcome {
  /// Reads that delivered the file's bytes.
  var delivered = 0
  /// Reads that delivered other bytes, or failed with anything but `EBADF`.
  var wrong = 0
  /// Reads refused with `EBADF`: one per reading thread per round, when the race really ran.
  var refused = 0
}

/// Races reads with the end of a reader, `rounds` times over a fresh reader of `kind` on the
/// file at `path` (whose bytes are `contents`): three threads read at random offsets, copies
/// and single bytes in turn, until a read is refused; a fourth waits until each has read
/// once, pauses a little (a different while in each round), and calls `end` with its own
/// reference to the reader (to `close()` it, or to release it).
func raceReadsWithEnding(
  kind: ReaderKind, path: String, contents: [UInt8], rounds: Int,
  end: @escaping @Sendable (consuming any RandomAccessReader) -> Void
) throws -> CloseRaceOutcome {
  let wrong = Atomic<Int>(0)
  let delivered = Atomic<Int>(0)
  let refused = Atomic<Int>(0)
  for round in 0..<rounds {
    let reader = try kind.open(path)
    let reading = Atomic<Int>(0)
    runOnThreads(4) { thread in
      if thread == 0 {
        while reading.load(ordering: .acquiring) < 3 {}
        usleep(UInt32(round % 7) * 20)
        end(reader)
        return
      }
      var random = SeededGenerator(seed: UInt64(round * 4 + thread))
      var buffer = [UInt8](repeating: 0, count: pageSize + 3)
      // Until the end is seen, which comes: so every reader both reads and is refused.
      for step in 0... {
        if step == 1 { reading.add(1, ordering: .releasing) }
        let offset = Int.random(in: 0..<contents.count, using: &random)
        do throws(MMapError) {
          let good: Bool
          if offset % 2 == 0 {
            let copied = try reader.read(from: offset, into: &buffer)
            good = sameBytes(buffer[..<copied], contents[offset..<(offset + copied)])
          } else {
            good = try reader.byte(at: offset) == contents[offset]
          }
          if good {
            delivered.add(1, ordering: .relaxed)
          } else {
            wrong.add(1, ordering: .relaxed)
          }
        } catch {
          if error == MMapError(.read, path: path, errno: EBADF) {
            refused.add(1, ordering: .relaxed)
          } else {
            wrong.add(1, ordering: .relaxed)
          }
          break
        }
      }
    }
  }
  return CloseRaceOutcome(
    delivered: delivered.load(ordering: .relaxed), wrong: wrong.load(ordering: .relaxed),
    refused: refused.load(ordering: .relaxed))
}
