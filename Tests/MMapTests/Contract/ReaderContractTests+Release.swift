import Dispatch
import Foundation
import Synchronization
import Testing

@testable import MMap

extension ReaderContractTests {
  /// Counted by the file's path, so that other tests opening and mapping files meanwhile
  /// can't disturb the counts.
  @Test(arguments: ReaderKind.allCases)
  func openReadCloseCyclesLeakNoDescriptorOrMapping(kind: ReaderKind) throws {
    let contents = generatedBytes(count: 3 * pageSize + 1, seed: 23)
    try withTemporaryFile(contents: contents) { path in
      for cycle in 0..<2_000 {
        let reader = try kind.open(path)
        let offset = cycle % contents.count
        #expect(try reader.byte(at: offset) == contents[offset])
        // Half are closed, half released by deinit alone.
        if cycle % 2 == 0 { try reader.close() }
      }
      for _ in 0..<100 {  // Failed opens release what they took.
        _ = try? kind.open(path, offset: contents.count + 1)
        _ = try? kind.open(path, count: contents.count + 1)
      }
      #expect(descriptorCount(of: path) == 0, "descriptors leaked")
      #expect(mappingCount(of: path) == 0, "mappings leaked")
    }
  }

  @Test(arguments: ReaderKind.allCases)
  func closedReaderHoldsNothingOfTheFile(kind: ReaderKind) throws {
    try withTemporaryFile(contents: generatedBytes(count: 4 * pageSize, seed: 29)) { path in
      let reader = try kind.open(path)
      _ = try reader.bytes(in: 0..<reader.count)  // Maps windows, for the windowed reader.
      try reader.close()
      #expect(descriptorCount(of: path) == 0)
      #expect(mappingCount(of: path) == 0)
    }
  }

  /// Reads racing with `close()` deliver the file's bytes or `EBADF`, never anything else,
  /// and never fault.
  @Test(arguments: ReaderKind.allCases)
  func readsRacingWithCloseGetTheFilesBytesOrEBADF(kind: ReaderKind) throws {
    let contents = generatedBytes(count: 8 * pageSize, seed: 31)
    try withTemporaryFile(contents: contents) { path in
      let wrong = Atomic<Int>(0)
      let delivered = Atomic<Int>(0)
      let refused = Atomic<Int>(0)
      for round in 0..<100 {
        let reader = try kind.open(path)
        let reading = Atomic<Int>(0)
        runOnThreads(4) { thread in
          if thread == 0 {  // Closes once every reader has read, after a varying delay.
            while reading.load(ordering: .acquiring) < 3 {}
            usleep(UInt32(round % 7) * 20)
            try? reader.close()
            return
          }
          var random = SeededGenerator(seed: UInt64(round * 4 + thread))
          var buffer = [UInt8](repeating: 0, count: pageSize + 3)
          // Until the close is seen, which comes: so every reader both reads and is refused.
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
      #expect(wrong.load(ordering: .relaxed) == 0)
      // Both outcomes happened to every reader in every round: the race was really run.
      #expect(delivered.load(ordering: .relaxed) >= 300)
      #expect(refused.load(ordering: .relaxed) == 300)
      #expect(descriptorCount(of: path) == 0)
    }
  }
}
